"""Turn migrate()'s arguments into a checked plan: the objects, the Move, the findings.

Every reference is checked before any call reaches the server: names are resolved by
lablib.inventory (with close-name hints), and objects passed as managed objects must
still exist in the current listing, because vcsim can crash on a reference to a deleted
object or to an object of the wrong type (vcsim-gaps.md §4(c)).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyVmomi import vmodl

from ..errors import InputError, NotFoundError
from ..facts import Snapshot
from . import rules
from .evc import vm_baselines
from .evc_modes import EvcCatalog, catalog
from .findings import Finding


@dataclass(frozen=True)
class Target:
    """The resolved arguments of one migration."""

    vm: object
    host: object | None = None
    datastore: object | None = None
    network: object | None = None
    network_name: str | None = None

    @property
    def objects(self) -> tuple:
        """Return the objects the migration changes or moves things to."""
        return tuple(o for o in (self.vm, self.host, self.datastore, self.network)
                     if o is not None)


@dataclass(frozen=True)
class RuleFacts:
    """What the rules read, in one listing: the inventory, the VMs' baselines, EVC modes."""

    snapshot: Snapshot
    baselines: dict[str, str]
    catalog: EvcCatalog


@dataclass(frozen=True)
class Plan:
    """A migration ready to run: its objects, the Move the rules read, their findings."""

    vm: object
    host: object | None                 # the destination host, when the host changes
    datastore: object | None
    network: object | None
    move: rules.Move
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether every rule holds."""
        return all(f.ok for f in self.findings)

    @property
    def moves(self) -> bool:
        """Tell whether anything changes."""
        return not any(f.rule == "destination" for f in self.findings)


def resolve(lab, vm, host=None, datastore=None, network=None) -> Target:
    """Return the objects the arguments name, or raise a LabError saying what is wrong."""
    if host is None and datastore is None:
        raise InputError("Say where to migrate: give host= (compute), datastore= (storage) or "
                         "both. network= only remaps the VM's network during a migration.")
    find = lab.inventory.find
    target = Target(find("vm", vm), find("host", host) if host is not None else None,
                    find("datastore", datastore) if datastore is not None else None)
    if network is None:
        return target
    net = find("network", network)
    return Target(target.vm, target.host, target.datastore, net, _existing_name(net))


def rule_facts(lab) -> RuleFacts:
    """Return what the rules need, read now."""
    snap = lab.facts.snapshot()
    return RuleFacts(snap, vm_baselines(lab, snap), catalog(lab.conn))


def make_plan(facts: RuleFacts, target: Target) -> Plan:
    """Return the checked Plan of a migration (no server call)."""
    snap = facts.snapshot
    vm = _listed(snap.vms, target.vm, "VM")
    dest = _listed(snap.hosts, target.host, "host") if target.host is not None else None
    ds = _listed(snap.datastores, target.datastore, "datastore") \
        if target.datastore is not None else None
    move = rules.plan_move(snap, vm, dest, ds, target.network_name,
                           facts.baselines.get(vm.name, ""), facts.catalog)
    return Plan(target.vm, target.host if move.host_changes else None, target.datastore,
                target.network, move, rules.check(move))


def _listed(items, obj, kind: str):
    found = next((item for item in items if item.obj == obj), None)
    if found is None:
        raise NotFoundError(f"The {kind} {obj._moId} no longer exists in the inventory. Look "
                            "it up again by name.", kind.lower(), obj._moId)
    return found


def _existing_name(network) -> str:
    try:
        return network.name
    except vmodl.fault.ManagedObjectNotFound:
        raise NotFoundError(f"The network {network._moId} no longer exists in the inventory. "
                            "Look it up again by name.", "network", network._moId) from None
