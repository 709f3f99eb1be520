"""vMotion operations, as the course teaches them; every one is also a method of `Lab`.

Each module is one concept, and each operation takes the lab's Session:

- network: the vMotion service of VMkernel adapters (enable_vmotion, vmotion_vmks);
- evc_modes, evc: EVC modes, the cluster's mode, the VMs' CPU baselines;
- power: power on/off, when a VM takes its baseline;
- plan, spec, migrate, relocation: from arguments to a checked RelocateVM_Task;
- rules, findings: the server's verdict explained, one Finding per course rule;
- maintenance, drs: evacuation into maintenance mode, DRS recommendations;
- history: the Tasks tab and migration events;
- commands: the govc and PowerCLI equivalents.

The server decides every verdict (docs/design.md §3); lablib.backend is the one seam
between these operations and it.
"""
