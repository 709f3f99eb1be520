"""vMotion operations with vCenter's rules, on the simulator and on a real vCenter.

Each module is one concept; every operation is also a method of `Lab`:

- network: the vMotion service of VMkernel adapters (enable_vmotion, vmotion_vmks);
- evc_modes, evc: EVC modes, the cluster's mode, the VMs' CPU baselines;
- power: power on/off, when a VM takes its baseline;
- rules, findings: vCenter's migration rules as Findings, gathered in a Precheck;
- plan, spec, checkrelocate, migrate: from arguments to a RelocateVM_Task;
- maintenance, drs: evacuation into maintenance mode, rebalancing recommendations;
- history: the Tasks tab and migration events;
- commands: the govc and PowerCLI equivalents;
- capability: which APIs the server has; lablib.sim.emulation stands in on vcsim.

One pyVmomi code path serves both targets (DESIGN.md §3): the real API is called first,
and only a simulator that answers it has no such method gets lablib's emulation.
"""

from .commands import GOVC_COMMANDS, POWERCLI, govc_command
from .drs import Recommendation, Recommendations
from .evc_modes import EvcMode, EvcModes
from .findings import Finding, Precheck
from .history import MigrationEvent, TaskSummary
from .maintenance import BlockedVm, MaintenanceReport
from .relocation import MigrationResult

__all__ = ["GOVC_COMMANDS", "POWERCLI", "govc_command", "Recommendation", "Recommendations",
           "EvcMode", "EvcModes", "Finding", "Precheck", "MigrationEvent", "TaskSummary",
           "BlockedVm", "MaintenanceReport", "MigrationResult"]
