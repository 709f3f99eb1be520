"""What the server can do, learnt once per connection: the one seam between lablib and it.

lablib talks the vSphere API exactly as to a vCenter. A server that serves the vMotion
APIs (vCenter, and the kit's lab simulator) decides every verdict itself: `Backend` only
calls it. The public `vmware/vcsim:v0.56.0` image lacks those APIs: there
`lablib.fallback.FallbackBackend`, behind the same interface, keeps the missing state in
custom fields and applies vCenter's rules before each call (docs/design.md §3).
lablib.session chooses one per connection, from what the server answers
(docs/vcsim-gaps.md §3: probe by asking, never from a version string); no other module
knows which one it talks to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from .errors import TaskFailed, fault_text
from .facts import selected_devices
from .tasks import wait, wait_all
from .text import Text
from .vmotion.evc import power_on_baseline
from .vmotion.evc_modes import EvcCatalog, EvcMode
from .vmotion.history import Arrival, EventView
from .vmotion.spec import relocate_spec

if TYPE_CHECKING:
    from .connection import Connection
    from .facts import ClusterFacts, HostFacts, Snapshot, VmFacts
    from .inventory import Inventory
    from .vmotion.plan import Plan

NIC_TYPE = "vmotion"
#: CheckRelocate's tests (docs/vsphere-facts.md §3): all of them.
TEST_TYPES = ["sourceTests", "hostTests", "resourcePoolTests", "datastoreTests",
              "networkTests"]


@dataclass(frozen=True)
class Verdict:
    """The server's answer on one planned migration: blocking errors and warnings (faults)."""

    errors: tuple[Any, ...] = ()
    warnings: tuple[Any, ...] = ()


@dataclass(frozen=True)
class DrsMove:
    """One DRS recommendation to move a VM, as the server gives it."""

    vm: str
    source: str
    destination: str
    reason: Text | str
    key: str = ""


class Backend:
    """The vSphere API, served by the server itself (vCenter, the lab simulator).

    `simulated` names what lablib simulates on this server (empty here); the labs mark
    those values "simulated by lablib".
    """

    simulated: frozenset[str] = frozenset()
    label = Text("vSphere API", "API vSphere")

    def __init__(self, conn: Connection, inventory: Inventory):
        self.conn = conn
        self.inventory = inventory

    def note(self) -> Text | None:
        """Return what the labs say under the facts this server gives, or None."""
        if self.conn.is_simulator:
            return Text("Hosts' CPUs, EVC modes and addresses are modelled by the lab "
                        "simulator from the course's host profile (docker/go/README.md).",
                        "Les CPU, modes EVC et adresses des hôtes sont modélisés par le "
                        "simulateur du lab à partir du profil d'hôtes du cours "
                        "(docker/go/README.md).")
        return None

    # Facts: what a listing asks for, and how the server's answer becomes facts.

    def listing_properties(self, kind: str) -> list[str]:
        """Return the extra properties this backend reads for `kind` in a facts listing."""
        return []

    def amend(self, facts: Any, row: dict) -> Any:
        """Return the facts of one object as this backend knows them."""
        return facts

    # vMotion on a VMkernel adapter (docs/vsphere-facts.md §1)

    def vmotion_vmks(self, host: vim.HostSystem) -> list[str]:
        """Return the host's VMkernel adapters with the vMotion service."""
        manager = self._nic_manager(host)
        return selected_devices(manager.QueryNetConfig(NIC_TYPE))

    def set_vmotion(self, host: vim.HostSystem, device: str, enable: bool) -> None:
        """Select or deselect `device` for vMotion on the host."""
        manager = self._nic_manager(host)
        if enable:
            manager.SelectVnicForNicType(NIC_TYPE, device)
        else:
            manager.DeselectVnicForNicType(NIC_TYPE, device)

    def _nic_manager(self, host: vim.HostSystem) -> Any:
        return self.inventory.retrieve_one(host, ["configManager.virtualNicManager"])[
            "configManager.virtualNicManager"]

    # EVC (docs/vsphere-facts.md §2)

    def evc_catalog(self) -> EvcCatalog:
        """Return the EVC modes the server knows (`si.capability.supportedEVCMode`)."""
        modes = self.conn.si.capability.supportedEVCMode or []
        # The lab simulator says, in each mode's summary, that it models the mode and
        # whether its key string is confirmed (docker/go/README.md, "EVC"); vCenter's are real.
        return EvcCatalog([EvcMode(m.key, m.label or m.key, m.vendor, m.vendorTier,
                                   tuple(m.track or ()),
                                   "UNCONFIRMED" not in (m.summary or ""))
                           for m in modes], simulated=False,
                          modelled=any("modelled" in (m.summary or "") for m in modes))

    def set_evc(self, cluster: ClusterFacts, mode: str, snapshot: Snapshot,
                baselines: dict[str, str]) -> None:
        """Configure EVC at `mode` ("" disables it); TaskFailed carries a refusal's fault.

        As the vSphere Client's EVC dialog does, the server's check runs first
        (CheckConfigureEvcMode_Task), so a refused mode changes nothing.
        """
        manager = cluster.obj.EvcManager()
        if not mode:
            wait(self.conn, manager.DisableEvcMode_Task())
            return
        refusals: Any = wait(self.conn, manager.CheckConfigureEvcMode_Task(evcModeKey=mode)).result
        first = next((r.error for r in refusals or [] if r.error is not None), None)
        if first is not None:
            raise TaskFailed(fault_text(first), first)
        wait(self.conn, manager.ConfigureEvcMode_Task(evcModeKey=mode))

    def baselines(self, snapshot: Snapshot) -> dict[str, str]:
        """Return {VM name: the EVC mode whose CPU features it runs with}, "" when off.

        `runtime.minRequiredEVCModeKey`; vCenter leaves it unset for a running VM outside
        an EVC cluster, which runs with every feature of its host (docs/vsphere-facts.md §2).
        """
        return {vm.name: "" if vm.power_state == "poweredOff" else
                vm.cpu_baseline or power_on_baseline(snapshot, vm) for vm in snapshot.vms}

    # Power

    def power_refusal(self, vm: VmFacts, host: HostFacts) -> Any:
        """Return the fault that refuses powering `vm` on, when lablib decides it; else None."""
        return None

    # Migrations (docs/vsphere-facts.md §3, §4)

    def check_relocations(self, plans: Sequence[Plan]) -> list[Verdict]:
        """Return the server's CheckRelocate_Task verdict on each plan (all checked at once)."""
        checker = self.conn.content.vmProvisioningChecker
        tasks = [checker.CheckRelocate_Task(vm=plan.vm, spec=relocate_spec(self.inventory, plan),
                                            testType=TEST_TYPES) for plan in plans]
        verdicts = []
        for info in wait_all(self.conn, tasks, timeout=120, raise_on_error=False):
            if info.state == "error":  # the check itself failed: that fault is the verdict
                verdicts.append(Verdict((info.error,)))
                continue
            results = info.result or []
            verdicts.append(Verdict(
                tuple(f for r in results for f in r.error or []),
                tuple(f for r in results for f in r.warning or [])))
        return verdicts

    def before_relocations(self, plans: Sequence[Plan]) -> None:
        """Do what the server needs before the relocations start (nothing here)."""

    def after_relocations(self, arrivals: Sequence[Arrival], events: Sequence[Any]) -> bool:
        """Record what the server misses after relocations; tell whether events were posted."""
        return False

    def migration_events(self, events: Sequence[Any]) -> list[EventView]:
        """Return the migration events to show, newest first, as the server gives them."""
        return [EventView(event) for event in events]

    # DRS (docs/vsphere-facts.md §6)

    def recommendations(self, cluster: ClusterFacts, snapshot: Snapshot,
                        refresh: bool) -> list[DrsMove]:
        """Return the cluster's DRS recommendations (none when DRS is off).

        `refresh` asks DRS to compute them now (RefreshRecommendation needs a privilege a
        student may lack, so it is sent only when applying, after the scope check).
        """
        if not cluster.drs_enabled:
            return []
        if refresh:
            cluster.obj.RefreshRecommendation()
        found = []
        for rec in self.inventory.retrieve_one(cluster.obj, ["recommendation"]).get(
                "recommendation", []):
            for action in rec.action or []:
                move = getattr(action, "drsMigration", None)
                if move is not None and move.vm is not None:
                    found.append(DrsMove(move.vm.name, move.source.name, move.destination.name,
                                         rec.reasonText or str(rec.reason), rec.key))
        return found

    # The lab inventory (lablib.sim.seed)

    def record_hosts(self, hosts: dict[str, Any], specs: Sequence[Any]) -> None:
        """Record what the server cannot hold about new hosts (nothing: it has them)."""

    def record_power_on(self, vms: Sequence[Any], baselines: dict[str, str]) -> None:
        """Record the CPU baselines of VMs just powered on (nothing: the server does)."""
