"""What the lab knows about its hosts, VMs and datastores, read in a few listings.

Every fact is a real vSphere property, read in one listing. On the public vcsim image,
which lacks some of them (docs/vcsim-gaps.md §2), the backend (lablib.fallback) amends
them and names what it simulates in `simulated`, so the labs can say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import NotFoundError
from .text import Text

if TYPE_CHECKING:
    from .backend import Backend
    from .inventory import Inventory


@dataclass(frozen=True)
class Placement:
    """Where a VM is: its host, datastores and power state."""

    vm: str
    host: str
    datastores: tuple[str, ...]
    power_state: str

    def __str__(self) -> str:
        return Text("{vm} runs on {host} ({power}); files on {files}",
                    "{vm} tourne sur {host} ({power}) ; fichiers sur {files}", vm=self.vm,
                    host=self.host, power=power_state(self.power_state),
                    files=", ".join(self.datastores) or Text("no datastore", "aucun datastore")
                    ).render()


def power_state(state: str) -> Text:
    """Return a VM's power state as the vSphere Client writes it."""
    return {"poweredOn": Text("powered on", "sous tension"),
            "poweredOff": Text("powered off", "hors tension"),
            "suspended": Text("suspended", "suspendue")}.get(state, Text(state))


@dataclass(frozen=True)
class HostFacts:
    """A host as the vMotion rules see it."""

    obj: Any = field(repr=False, compare=False)
    name: str
    cluster: str
    mgmt_ip: str
    cpu_vendor: str
    cpu_model: str
    max_evc: str
    vmotion_vmks: tuple[str, ...]
    vmknics: tuple[str, ...]
    datastores: tuple[str, ...]
    networks: tuple[str, ...]
    connection_state: str
    in_maintenance: bool
    simulated: frozenset[str] = frozenset()  # facts lablib simulates (public vcsim image)


@dataclass(frozen=True)
class VmFacts:
    """A VM's placement and state."""

    obj: Any = field(repr=False, compare=False)
    name: str
    host: str
    datastores: tuple[str, ...]
    networks: tuple[str, ...]
    power_state: str
    files: str
    cpu_baseline: str
    cpus: int = 0
    memory_mb: int = 0
    simulated: frozenset[str] = frozenset()  # facts lablib simulates (public vcsim image)


@dataclass(frozen=True)
class DatastoreFacts:
    """A datastore and the hosts that mount it."""

    obj: Any = field(repr=False, compare=False)
    name: str
    hosts: tuple[str, ...]
    kind: str
    capacity_gb: float
    free_gb: float

    @property
    def shared(self) -> bool:
        """Tell whether more than one host mounts it."""
        return len(self.hosts) > 1


@dataclass(frozen=True)
class ClusterFacts:
    """A cluster's EVC mode and DRS settings."""

    obj: Any = field(repr=False, compare=False)
    name: str
    evc_mode: str
    drs_enabled: bool
    drs_behavior: str
    hosts: tuple[str, ...]
    simulated: frozenset[str] = frozenset()  # facts lablib simulates (public vcsim image)


_HOST_PROPS = ["name", "parent", "summary.hardware.cpuModel",
               "hardware.cpuPkg", "summary.maxEVCModeKey", "config.network.vnic",
               "config.virtualNicManagerInfo.netConfig", "datastore", "network",
               "runtime.connectionState", "runtime.inMaintenanceMode"]
_VM_PROPS = ["name", "runtime.host", "datastore", "network",
             "runtime.powerState", "config.files.vmPathName", "runtime.minRequiredEVCModeKey",
             "config.hardware.numCPU", "config.hardware.memoryMB"]


_DS_PROPS = ["name", "host", "summary.type", "summary.capacity", "summary.freeSpace"]
_CLUSTER_PROPS = ["name", "host", "summary.currentEVCModeKey",
                  "configurationEx"]


@dataclass(frozen=True)
class Snapshot:
    """Facts of the whole inventory, read at one moment."""

    hosts: list[HostFacts]
    vms: list[VmFacts]
    datastores: list[DatastoreFacts]
    clusters: list[ClusterFacts]

    def host(self, name: str) -> HostFacts | None:
        """Return the host named `name`, or None."""
        return next((h for h in self.hosts if h.name == name), None)

    def vm(self, name: str) -> VmFacts | None:
        """Return the VM named `name`, or None."""
        return next((v for v in self.vms if v.name == name), None)

    def datastore(self, name: str) -> DatastoreFacts | None:
        """Return the datastore named `name`, or None."""
        return next((d for d in self.datastores if d.name == name), None)

    def cluster(self, name: str) -> ClusterFacts | None:
        """Return the cluster named `name`, or None."""
        return next((c for c in self.clusters if c.name == name), None)

    def of(self, obj: Any) -> Any:
        """Return the facts of the managed object `obj`, or raise NotFoundError if it is gone."""
        for items in (self.vms, self.hosts, self.clusters, self.datastores):
            found = next((item for item in items if item.obj == obj), None)
            if found is not None:
                return found
        raise NotFoundError(Text(
            "The object {moid} no longer exists (it was deleted, perhaps by another notebook). "
            "Look it up again by name.", "L'objet {moid} n'existe plus (supprimé, peut-être par "
            "un autre notebook). Cherchez-le de nouveau par son nom.", moid=obj._moId),
            "", obj._moId)


class Facts:
    """Read facts from one lab connection: one listing (three round trips) per snapshot."""

    def __init__(self, inventory: Inventory, backend: Backend):
        self.inventory = inventory
        self.backend = backend

    def snapshot(self) -> Snapshot:
        """Return the facts of every host, VM, datastore and cluster, sorted by name."""
        wanted: dict[str, Sequence[str]] = {
            kind: props + self.backend.listing_properties(kind) for kind, props in (
            ("host", _HOST_PROPS), ("vm", _VM_PROPS), ("datastore", _DS_PROPS),
            ("cluster", _CLUSTER_PROPS), ("network", ["name"]))}
        rows = self.inventory.retrieve_many(wanted)
        names = {row["obj"]._moId: row.get("name", "") for kind_rows in rows.values()
                 for row in kind_rows}
        amend = self.backend.amend

        def by_name(items: Any) -> list[Any]:
            return sorted(items, key=lambda item: item.name)

        return Snapshot(
            hosts=by_name(amend(_host(row, names), row) for row in rows["host"]),
            vms=by_name(amend(_vm(row, names), row) for row in rows["vm"]),
            datastores=by_name(_datastore(row, names) for row in rows["datastore"]),
            clusters=by_name(amend(_cluster(row, names), row) for row in rows["cluster"]))

    def hosts(self) -> list[HostFacts]:
        """Return the facts of every host, sorted by name."""
        return self.snapshot().hosts

    def vms(self) -> list[VmFacts]:
        """Return the facts of every VM, sorted by name."""
        return self.snapshot().vms

    def placement(self, vm: Any) -> Placement:
        """Return where a VM is now, read from the VM itself (`runtime.host`, `datastore`)."""
        row = self.inventory.retrieve_one(vm, ["name", "runtime.host", "datastore",
                                               "runtime.powerState"])
        if "name" not in row:
            raise NotFoundError(Text("The VM {moid} no longer exists. Look it up again by "
                                     "name.", "La VM {moid} n'existe plus. Cherchez-la de "
                                     "nouveau par son nom.", moid=vm._moId), "vm", vm._moId)
        host = row.get("runtime.host")
        names = self.inventory.names_of([host, *row.get("datastore", [])])
        return Placement(row["name"], names.get(host._moId, "") if host else "",
                         tuple(sorted(names.get(ds._moId, "") for ds in row.get("datastore", []))),
                         row.get("runtime.powerState", ""))


def _datastore(row: dict, names: dict) -> DatastoreFacts:
    return DatastoreFacts(
        row["obj"], row.get("name", ""),
        tuple(sorted(names[m.key._moId] for m in row.get("host", [])
                     if m.key._moId in names)),
        row.get("summary.type", ""), row.get("summary.capacity", 0) / 1024 ** 3,
        row.get("summary.freeSpace", 0) / 1024 ** 3)


def _cluster(row: dict, names: dict) -> ClusterFacts:
    drs = getattr(row.get("configurationEx"), "drsConfig", None)
    return ClusterFacts(
        row["obj"], row.get("name", ""), row.get("summary.currentEVCModeKey") or "",
        bool(drs and drs.enabled), (drs.defaultVmBehavior or "") if drs else "",
        _named(row.get("host", []), names))


def _host(row: dict, names: dict) -> HostFacts:
    vnics = row.get("config.network.vnic", [])
    parent = row.get("parent")
    return HostFacts(
        obj=row["obj"], name=row.get("name", ""),
        cluster=names.get(parent._moId, "") if parent is not None else "",
        mgmt_ip=next((v.spec.ip.ipAddress for v in vnics if v.device == "vmk0"), ""),
        cpu_vendor=next((p.vendor for p in row.get("hardware.cpuPkg", [])), ""),
        cpu_model=row.get("summary.hardware.cpuModel", ""),
        max_evc=row.get("summary.maxEVCModeKey") or "",
        vmotion_vmks=tuple(_selected_vmks(row.get("config.virtualNicManagerInfo.netConfig", []),
                                          "vmotion")),
        vmknics=tuple(v.device for v in vnics),
        datastores=_named(row.get("datastore", []), names),
        networks=_named(row.get("network", []), names),
        connection_state=row.get("runtime.connectionState", ""),
        in_maintenance=bool(row.get("runtime.inMaintenanceMode")))


def _vm(row: dict, names: dict) -> VmFacts:
    host = row.get("runtime.host")
    return VmFacts(
        obj=row["obj"], name=row.get("name", ""),
        host=names.get(host._moId, "") if host else "",
        datastores=_named(row.get("datastore", []), names),
        networks=_named(row.get("network", []), names),
        power_state=row.get("runtime.powerState", ""),
        files=row.get("config.files.vmPathName", ""),
        cpu_baseline=row.get("runtime.minRequiredEVCModeKey") or "",
        cpus=row.get("config.hardware.numCPU", 0),
        memory_mb=row.get("config.hardware.memoryMB", 0))


def _named(objs: Any, names: dict) -> tuple[str, ...]:
    return tuple(sorted(names[o._moId] for o in objs if o._moId in names))


def selected_devices(config: Any) -> list[str]:
    """Return the devices a NetConfig selects (docs/vsphere-facts.md §1).

    `selectedVnic` holds keys, such as "vmotion.key-vim.host.VirtualNic-vmk0".
    """
    devices = {v.key: v.device for v in config.candidateVnic or []}
    return sorted(devices.get(key, key.rsplit("-", 1)[-1]) for key in config.selectedVnic or [])


def _selected_vmks(net_configs: Any, nic_type: str) -> list[str]:
    """Return the devices selected for `nic_type` among a host's NetConfigs."""
    return next((selected_devices(c) for c in net_configs or [] if c.nicType == nic_type), [])
