"""lablib's stand-in for the vMotion APIs the public `vmware/vcsim:v0.56.0` image lacks.

The lab simulator (docker/go) and vCenter serve those APIs and decide every verdict. The
public image answers none of them (docs/vcsim-gaps.md §8), so behind the same interface as
lablib.backend.Backend, this package keeps the missing state in `vmotionlab.*` custom
fields (overlay), applies vCenter's rules before each call (rules), renames the files of
a storage move (files), keeps the VMs' CPU baselines (baselines) and corrects the
migration events (events). Everything it decides is labelled "simulated by lablib";
other clients, such as govc, bypass it. It is the only module that reads custom fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from ..backend import Backend, DrsMove, Verdict
from ..errors import TaskFailed, fault_text
from ..facts import ClusterFacts, HostFacts, Snapshot, VmFacts
from ..text import Text
from ..vmotion.drs import ClusterModel
from ..vmotion.evc import power_on_baseline
from ..vmotion.evc_modes import EvcCatalog
from ..vmotion.history import Arrival, EventView
from ..vmotion.plan import plan_move
from . import baselines, compat, evc_table, events, files, rules
from .overlay import Overlay

if TYPE_CHECKING:
    from ..connection import Connection
    from ..inventory import Inventory
    from ..vmotion.plan import Plan

__all__ = ["FallbackBackend", "compat"]

_HOST_FIELDS = ("mgmt_ip", "cpu_vendor", "cpu_model", "max_evc")


class FallbackBackend(Backend):
    """The public vcsim image: lablib keeps the state and applies vCenter's rules itself."""

    simulated = frozenset({*_HOST_FIELDS, "vmotion_vmks", "evc_mode", "cpu_baseline",
                           "verdicts", "drs", "events"})
    label = Text("simulated by lablib (public vcsim image)",
                 "simulé par lablib (image vcsim publique)")

    def __init__(self, conn: Connection, inventory: Inventory):
        super().__init__(conn, inventory)
        self.overlay = Overlay(conn)

    def note(self) -> Text:
        return Text("* simulated by lablib: the public vcsim image has no API for these "
                    "values, and govc or pyVmomi used directly bypass lablib's rules.",
                    "* simulé par lablib : l'image vcsim publique n'a pas d'API pour ces "
                    "valeurs, et govc ou pyVmomi utilisés directement contournent les règles "
                    "de lablib.")

    # Facts: the overlay's values replace the properties vcsim leaves empty or identical.

    def listing_properties(self, kind: str) -> list[str]:
        return ["customValue"] if kind in ("host", "vm", "cluster") else []

    def amend(self, facts: Any, row: dict) -> Any:
        held = self.overlay.decode(row.get("customValue"))
        if isinstance(facts, HostFacts):
            vmks = tuple(d for d in held.get("vmotion_vmks", "").split(",") if d)
            return replace(facts, vmotion_vmks=vmks, mgmt_ip=held.get("mgmt_ip", ""),
                           cpu_vendor=held.get("cpu_vendor", ""),
                           cpu_model=held.get("cpu_model", ""), max_evc=held.get("max_evc", ""),
                           simulated=frozenset({*_HOST_FIELDS, "vmotion_vmks"}))
        if isinstance(facts, ClusterFacts):
            return replace(facts, evc_mode=held.get("evc_mode", ""),
                           simulated=frozenset({"evc_mode"}))
        if isinstance(facts, VmFacts):
            return replace(facts, cpu_baseline=held.get("cpu_baseline", ""),
                           simulated=frozenset({"cpu_baseline"}))
        return facts

    # vMotion on a VMkernel adapter (docs/vcsim-gaps.md §4(a))

    def vmotion_vmks(self, host: vim.HostSystem) -> list[str]:
        return [d for d in self.overlay.get(host, "vmotion_vmks").split(",") if d]

    def set_vmotion(self, host: vim.HostSystem, device: str, enable: bool) -> None:
        selected = set(self.vmotion_vmks(host))
        selected = selected | {device} if enable else selected - {device}
        self.overlay.set(host, "vmotion_vmks", ",".join(sorted(selected)))

    # EVC (docs/vcsim-gaps.md §4(b))

    def evc_catalog(self) -> EvcCatalog:
        return evc_table.catalog()

    def set_evc(self, cluster: ClusterFacts, mode: str, snapshot: Snapshot,
                baselines_now: dict[str, str]) -> None:
        hosts = [h for h in snapshot.hosts if h.name in cluster.hosts]
        vms = [v for v in snapshot.vms if v.host in cluster.hosts]
        refused = rules.evc_fault(mode, self.evc_catalog(), cluster.name, hosts, vms,
                                  baselines_now)
        if refused is not None:
            raise TaskFailed(fault_text(refused), refused)
        self.overlay.set(cluster.obj, "evc_mode", mode)

    def baselines(self, snapshot: Snapshot) -> dict[str, str]:
        expected = {vm.obj._moId: power_on_baseline(snapshot, vm) for vm in snapshot.vms}
        held = baselines.reconcile(self.conn, self.overlay, expected)
        return {vm.name: held.get(vm.obj._moId, "") for vm in snapshot.vms}

    def power_refusal(self, vm: VmFacts, host: HostFacts) -> Any:
        return rules.power_on_fault(vm, host)

    # Migrations (docs/vcsim-gaps.md §4(c), (d))

    def check_relocations(self, plans: Sequence[Plan]) -> list[Verdict]:
        return [Verdict(tuple(rules.relocation_faults(plan.move))) for plan in plans]

    def before_relocations(self, plans: Sequence[Plan]) -> None:
        for plan in plans:
            move = plan.move
            if move.datastore_changes and move.target is not None:
                where = files.path_datastore(move.target.name, move.source.datastores,
                                             move.destination.datastores)
                if where is not None:
                    files.rename_files(self.conn, plan.vm, where)

    def after_relocations(self, arrivals: Sequence[Arrival], found: Sequence[Any]) -> bool:
        return events.correct_arrivals(self.conn, self.inventory, arrivals, found)

    def migration_events(self, found: Sequence[Any]) -> list[EventView]:
        corrected = {events.corrected_key(e) for e in found} - {None}
        shown = [e for e in found if e.key not in corrected]
        inferred = events.inferred_destinations(
            [e for e in shown if isinstance(e, vim.event.VmMigratedEvent)
             and not events.is_correction(e)], events.current_places(self.inventory))
        views = []
        for event in shown:
            if events.is_correction(event):
                views.append(EventView(event, note=Text(
                    "posted by lablib: vcsim's own event names the source as destination",
                    "publié par lablib : l'événement de vcsim donne la source comme "
                    "destination"), simulated=True))
            elif event.key in inferred:
                host, ds = inferred[event.key]
                views.append(EventView(event, host, ds, Text(
                    "corrected by lablib: vcsim's event names the source as destination",
                    "corrigé par lablib : l'événement de vcsim donne la source comme "
                    "destination"), True))
            else:
                views.append(EventView(event))
        return views

    # DRS (docs/vcsim-gaps.md §4(f))

    def recommendations(self, cluster: ClusterFacts, snapshot: Snapshot,
                        refresh: bool) -> list[DrsMove]:
        if not cluster.drs_enabled:
            return []
        held, catalog = self.baselines(snapshot), self.evc_catalog()

        def compatible(vm: VmFacts, host: HostFacts) -> bool:
            move = plan_move(snapshot, vm, host, None, None, held.get(vm.name, ""), catalog)
            return not rules.relocation_faults(move)

        model = ClusterModel(self.inventory, snapshot, cluster.name, compatible)
        found = []
        while (step := model.next_move()) is not None:
            vm, source, destination, reason = step
            found.append(DrsMove(vm.name, source.name, destination.name, reason))
        return found

    # The lab inventory (lablib.sim.seed)

    def record_hosts(self, hosts: dict[str, Any], specs: Sequence[Any]) -> None:
        self.overlay.define_fields()
        for spec in specs:
            for name in _HOST_FIELDS:
                self.overlay.set(hosts[spec.name], name, getattr(spec, name))

    def record_power_on(self, vms: Sequence[Any], held: dict[str, str]) -> None:
        for vm in vms:
            self.overlay.set(vm, "cpu_baseline", held.get(vm._moId, ""))
            self.overlay.set(vm, "baseline_boot", baselines.power_on_stamp(self.conn, vm))
