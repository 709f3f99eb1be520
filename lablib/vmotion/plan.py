"""Turn migrate()'s arguments into a plan: the objects, and the move as facts.

Every reference is checked before any call reaches the server: names are resolved by
lablib.inventory (with close-name hints), and objects passed as managed objects must
still exist in the current listing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyVmomi import vmodl

from ..errors import InputError, NotFoundError
from ..facts import DatastoreFacts, HostFacts, Snapshot, VmFacts
from ..text import Text
from .evc_modes import EvcCatalog

if TYPE_CHECKING:
    from ..session import Session


@dataclass(frozen=True)
class Target:
    """The resolved arguments of one migration."""

    vm: Any
    host: Any = None
    datastore: Any = None
    network: Any = None
    network_name: str | None = None

    @property
    def objects(self) -> tuple[Any, ...]:
        """Return the objects the migration changes or moves things to."""
        return tuple(o for o in (self.vm, self.host, self.datastore, self.network)
                     if o is not None)


@dataclass(frozen=True)
class Move:
    """One planned migration, as facts: what the rules and their explanations read."""

    vm: VmFacts
    source: HostFacts
    destination: HostFacts                  # the source itself when the host does not change
    datastores: tuple[DatastoreFacts, ...]  # where the VM's files are now
    target: DatastoreFacts | None = None    # where every file and disk goes; None: they stay
    network: str | None = None              # the network every adapter moves to; None: same
    evc_mode: str = ""                      # the destination cluster's EVC mode, "" when off
    baseline: str = ""                      # the CPU features the VM runs with
    catalog: EvcCatalog | None = None
    requested: str = "compute"              # the kind the arguments asked for

    @property
    def host_changes(self) -> bool:
        """Tell whether the VM changes host."""
        return self.source.name != self.destination.name

    @property
    def datastore_changes(self) -> bool:
        """Tell whether a file of the VM changes datastore."""
        return self.target is not None and set(self.vm.datastores) != {self.target.name}

    @property
    def changes(self) -> bool:
        """Tell whether anything changes (host, datastore or network)."""
        return self.host_changes or self.datastore_changes or bool(self.network)

    @property
    def kind(self) -> str:
        """Return "compute", "storage" or "compute+storage"."""
        parts = [name for name, changes in (("compute", self.host_changes),
                                            ("storage", self.datastore_changes)) if changes]
        return "+".join(parts) or self.requested

    @property
    def live(self) -> bool:
        """Tell whether the VM runs, so the move is a live one (vMotion)."""
        return self.vm.power_state == "poweredOn"


@dataclass(frozen=True)
class RuleFacts:
    """What a plan reads, in one listing: the inventory, the VMs' baselines, EVC modes."""

    snapshot: Snapshot
    baselines: dict[str, str]
    catalog: EvcCatalog


@dataclass(frozen=True)
class Plan:
    """A migration ready to check and run: its objects and the Move as facts."""

    vm: Any
    host: Any                # the destination host, when the host changes
    datastore: Any
    network: Any
    move: Move


def resolve(session: Session, vm: Any, host: Any = None, datastore: Any = None,
            network: Any = None) -> Target:
    """Return the objects the arguments name, or raise a LabError saying what is wrong."""
    if host is None and datastore is None:
        raise InputError(Text(
            "Say where to migrate: give host= (compute), datastore= (storage) or both. "
            "network= only remaps the VM's network during a migration.",
            "Dites où migrer : donnez host= (calcul), datastore= (stockage) ou les deux. "
            "network= ne fait que changer le réseau de la VM pendant une migration."))
    find = session.inventory.find
    target = Target(find("vm", vm), find("host", host) if host is not None else None,
                    find("datastore", datastore) if datastore is not None else None)
    if network is None:
        return target
    net = find("network", network)
    return Target(target.vm, target.host, target.datastore, net, _existing_name(net))


def rule_facts(session: Session) -> RuleFacts:
    """Return what plans need, read now."""
    snap = session.facts.snapshot()
    return RuleFacts(snap, session.backend.baselines(snap), session.backend.evc_catalog())


def make_plan(facts: RuleFacts, target: Target) -> Plan:
    """Return the Plan of a migration (no server call)."""
    snap = facts.snapshot
    vm = _listed(snap.vms, target.vm, "VM")
    dest = _listed(snap.hosts, target.host, "host") if target.host is not None else None
    ds = _listed(snap.datastores, target.datastore, "datastore") \
        if target.datastore is not None else None
    move = plan_move(snap, vm, dest, ds, target.network_name,
                     facts.baselines.get(vm.name, ""), facts.catalog)
    return Plan(target.vm, target.host if move.host_changes else None, target.datastore,
                target.network, move)


def plan_move(snapshot: Snapshot, vm: VmFacts, destination: HostFacts | None = None,
              target: DatastoreFacts | None = None, network: str | None = None,
              baseline: str = "", catalog: EvcCatalog | None = None) -> Move:
    """Return the Move of `vm` to `destination` and/or `target` (None: it stays)."""
    source = snapshot.host(vm.host)
    if source is None:
        raise NotFoundError(Text("'{vm}' runs on no host lablib can see. Look at "
                                 "lab.status().", "'{vm}' ne tourne sur aucun hôte visible. "
                                 "Regardez lab.status().", vm=vm.name), "host", vm.host)
    dest = destination or source
    cluster = snapshot.cluster(dest.cluster)
    requested = "+".join(part for part, given in (("compute", destination is not None),
                                                  ("storage", target is not None)) if given)
    return Move(vm, source, dest,
                tuple(ds for ds in map(snapshot.datastore, vm.datastores) if ds is not None),
                target, network, cluster.evc_mode if cluster else "", baseline, catalog,
                requested or "compute")


def _listed(items: Any, obj: Any, kind: str) -> Any:
    found = next((item for item in items if item.obj == obj), None)
    if found is None:
        raise NotFoundError(Text("The {kind} {moid} no longer exists in the inventory. Look it "
                                 "up again by name.", "L'objet {kind} {moid} n'existe plus "
                                 "dans l'inventaire. Cherchez-le de nouveau par son nom.",
                                 kind=kind, moid=obj._moId), kind.lower(), obj._moId)
    return found


def _existing_name(network: Any) -> str:
    try:
        return str(network.name)
    except vmodl.fault.ManagedObjectNotFound:
        raise NotFoundError(Text("The network {moid} no longer exists in the inventory. Look "
                                 "it up again by name.", "Le réseau {moid} n'existe plus dans "
                                 "l'inventaire. Cherchez-le de nouveau par son nom.",
                                 moid=network._moId), "network", network._moId) from None
