"""What the lab knows about its hosts, VMs and datastores, read in a few listings.

On a real vCenter every fact is a real property. On vcsim some properties are empty or
identical for all hosts (vcsim-gaps.md §2), so the values the simulator's overlay holds
(`vmotionlab.*` custom fields, see lablib.sim.overlay) take their place; `emulated`
names the facts that came from the overlay, so the labs can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .sim.overlay import Overlay


@dataclass(frozen=True)
class HostFacts:
    """A host as the vMotion rules see it."""

    obj: object = field(repr=False, compare=False)
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
    emulated: frozenset[str] = frozenset()


@dataclass(frozen=True)
class VmFacts:
    """A VM's placement and state."""

    obj: object = field(repr=False, compare=False)
    name: str
    host: str
    datastores: tuple[str, ...]
    networks: tuple[str, ...]
    power_state: str
    files: str
    cpu_baseline: str
    cpus: int = 0
    memory_mb: int = 0
    emulated: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DatastoreFacts:
    """A datastore and the hosts that mount it."""

    obj: object = field(repr=False, compare=False)
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

    obj: object = field(repr=False, compare=False)
    name: str
    evc_mode: str
    drs_enabled: bool
    drs_behavior: str
    hosts: tuple[str, ...]
    emulated: frozenset[str] = frozenset()


_HOST_PROPS = ["name", "parent", "customValue", "summary.hardware.cpuModel",
               "hardware.cpuPkg", "summary.maxEVCModeKey", "config.network.vnic",
               "config.virtualNicManagerInfo.netConfig", "datastore", "network",
               "runtime.connectionState", "runtime.inMaintenanceMode"]
_VM_PROPS = ["name", "customValue", "runtime.host", "datastore", "network",
             "runtime.powerState", "config.files.vmPathName", "runtime.minRequiredEVCModeKey",
             "config.hardware.numCPU", "config.hardware.memoryMB"]


_DS_PROPS = ["name", "host", "summary.type", "summary.capacity", "summary.freeSpace"]
_CLUSTER_PROPS = ["name", "host", "customValue", "summary.currentEVCModeKey",
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


class Facts:
    """Read facts from one lab connection: one listing (three round trips) per snapshot."""

    def __init__(self, inventory):
        self.inventory = inventory
        self.overlay = Overlay(inventory.conn)
        self.emulating = inventory.conn.backend == "vcsim"

    def snapshot(self) -> Snapshot:
        """Return the facts of every host, VM, datastore and cluster, sorted by name."""
        rows = self.inventory.retrieve_many({
            "host": _HOST_PROPS, "vm": _VM_PROPS, "datastore": _DS_PROPS,
            "cluster": _CLUSTER_PROPS, "network": ["name"]})
        names = {row["obj"]._moId: row["name"] for kind_rows in rows.values()
                 for row in kind_rows}
        by_name = lambda items: sorted(items, key=lambda item: item.name)  # noqa: E731
        return Snapshot(
            hosts=by_name(self._host(row, names) for row in rows["host"]),
            vms=by_name(self._vm(row, names) for row in rows["vm"]),
            datastores=by_name(self._datastore(row, names) for row in rows["datastore"]),
            clusters=by_name(self._cluster(row, names) for row in rows["cluster"]))

    def hosts(self) -> list[HostFacts]:
        """Return the facts of every host, sorted by name."""
        return self.snapshot().hosts

    def vms(self) -> list[VmFacts]:
        """Return the facts of every VM, sorted by name."""
        return self.snapshot().vms

    def _datastore(self, row: dict, names: dict) -> DatastoreFacts:
        return DatastoreFacts(
            row["obj"], row["name"],
            tuple(sorted(names[m.key._moId] for m in row.get("host", [])
                         if m.key._moId in names)),
            row.get("summary.type", ""), row.get("summary.capacity", 0) / 1024 ** 3,
            row.get("summary.freeSpace", 0) / 1024 ** 3)

    def _cluster(self, row: dict, names: dict) -> ClusterFacts:
        lab = self.overlay.decode(row.get("customValue"))
        evc = lab.get("evc_mode", "") if self.emulating else \
            row.get("summary.currentEVCModeKey") or ""
        drs = getattr(row.get("configurationEx"), "drsConfig", None)
        return ClusterFacts(
            row["obj"], row["name"], evc, bool(drs and drs.enabled),
            (drs.defaultVmBehavior or "") if drs else "", _named(row.get("host", []), names),
            frozenset({"evc_mode"}) if self.emulating else frozenset())

    def _host(self, row: dict, names: dict) -> HostFacts:
        lab = self.overlay.decode(row.get("customValue"))
        vnics = row.get("config.network.vnic", [])
        real = {
            "mgmt_ip": next((v.spec.ip.ipAddress for v in vnics if v.device == "vmk0"), ""),
            "cpu_vendor": next((p.vendor for p in row.get("hardware.cpuPkg", [])), ""),
            "cpu_model": row.get("summary.hardware.cpuModel", ""),
            "max_evc": row.get("summary.maxEVCModeKey") or "",
            "vmotion_vmks": ",".join(_selected_vmks(
                row.get("config.virtualNicManagerInfo.netConfig", []), "vmotion")),
        }
        value = {key: lab.get(key, "") for key in real} if self.emulating else real
        return HostFacts(
            obj=row["obj"], name=row["name"], cluster=names.get(row["parent"]._moId, ""),
            mgmt_ip=value["mgmt_ip"], cpu_vendor=value["cpu_vendor"],
            cpu_model=value["cpu_model"], max_evc=value["max_evc"],
            vmotion_vmks=tuple(v for v in value["vmotion_vmks"].split(",") if v),
            vmknics=tuple(v.device for v in vnics),
            datastores=_named(row.get("datastore", []), names),
            networks=_named(row.get("network", []), names),
            connection_state=row.get("runtime.connectionState", ""),
            in_maintenance=bool(row.get("runtime.inMaintenanceMode")),
            emulated=frozenset(real) if self.emulating else frozenset())

    def _vm(self, row: dict, names: dict) -> VmFacts:
        lab = self.overlay.decode(row.get("customValue"))
        host = row.get("runtime.host")
        return VmFacts(
            obj=row["obj"], name=row["name"], host=names.get(host._moId, "") if host else "",
            datastores=_named(row.get("datastore", []), names),
            networks=_named(row.get("network", []), names),
            power_state=row.get("runtime.powerState", ""),
            files=row.get("config.files.vmPathName", ""),
            cpu_baseline=lab.get("cpu_baseline", "") if self.emulating
            else row.get("runtime.minRequiredEVCModeKey") or "",
            cpus=row.get("config.hardware.numCPU", 0),
            memory_mb=row.get("config.hardware.memoryMB", 0),
            emulated=frozenset({"cpu_baseline"}) if self.emulating else frozenset())


def _named(objs, names: dict) -> tuple[str, ...]:
    return tuple(sorted(names[o._moId] for o in objs if o._moId in names))


def selected_devices(config) -> list[str]:
    """Return the devices a NetConfig selects: `selectedVnic` holds keys (vsphere-facts §1)."""
    devices = {v.key: v.device for v in config.candidateVnic or []}
    return sorted(devices.get(key, key.rsplit("-", 1)[-1]) for key in config.selectedVnic or [])


def _selected_vmks(net_configs, nic_type: str) -> list[str]:
    """Return the devices selected for `nic_type` among a host's NetConfigs."""
    return next((selected_devices(c) for c in net_configs or [] if c.nicType == nic_type), [])
