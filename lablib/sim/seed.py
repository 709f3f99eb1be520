"""Build the course's lab inventory on an empty simulator (DESIGN.md §4).

Everything goes through the runtime API of a stock vcsim (vcsim-gaps.md §5,
"Runtime API vs -load"): CreateDatacenter, CreateClusterEx, AddHost_Task,
CreateLocalDatastore, CreateVM_Task, PowerOnVM_Task. What vcsim cannot express (the
hosts' management IPs and CPU generations, vcsim-gaps.md §4(k)) is written to the
overlay fields. The initial state is the course's starting point: vMotion enabled on no
VMkernel adapter, EVC off.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyVmomi import vim

from ..config import Roles
from ..tasks import wait_all
from .emulation import power_on_stamp
from .overlay import Overlay


@dataclass(frozen=True)
class HostSpec:
    """A lab host: its name, vmk0 address and CPU."""

    name: str
    mgmt_ip: str
    cpu_model: str
    max_evc: str
    cpu_vendor: str = "intel"


@dataclass(frozen=True)
class VmSpec:
    """A lab VM: its name, datastore, host and size."""

    name: str
    datastore: str
    host: str
    cpus: int = 2
    memory_mb: int = 4096
    disk_gb: int = 16


def lab_hosts(roles: Roles) -> list[HostSpec]:
    """Return the two course hosts: ESXi_1 newer (Ice Lake), ESXi_2 older (Cascade Lake)."""
    # IPs from the course notes ("ESXi_1 (192.168.1.170) vers ESXi_2 (192.168.1.172)").
    # The CPU models are real parts of each generation (Xeon Gold 6330: Ice Lake-SP,
    # Gold 6230: Cascade Lake); the EVC keys are those of vsphere-facts.md §2.
    return [
        HostSpec(roles.source_host, "192.168.1.170",
                 "Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz", "intel-icelake"),
        HostSpec(roles.destination_host, "192.168.1.172",
                 "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", "intel-cascadelake"),
    ]


def lab_vms(roles: Roles) -> list[VmSpec]:
    """Return the two course VMs, both on the source host and powered on."""
    return [VmSpec(roles.vm, roles.shared_datastore, roles.source_host),
            VmSpec(roles.local_vm, roles.local_datastore, roles.source_host)]


def seed(conn, roles: Roles) -> None:
    """Create the lab inventory on an empty simulator reached through `conn`."""
    content = conn.content
    overlay = Overlay(conn)
    overlay.define_fields()
    # A simulator lablib cannot restart keeps its datacenter, cluster and hosts across a
    # reset (lablib.sim.attached): the seeding builds on them.
    dc = _named(content.rootFolder.childEntity, roles.datacenter) or \
        content.rootFolder.CreateDatacenter(roles.datacenter)
    cluster = _named(dc.hostFolder.childEntity, roles.cluster) or \
        dc.hostFolder.CreateClusterEx(roles.cluster, vim.cluster.ConfigSpecEx())
    # DRS on, manual: it recommends, the student applies. vcsim drops the DRS settings
    # given to CreateClusterEx, so they are set by a reconfiguration.
    wait_all(conn, [cluster.ReconfigureComputeResource_Task(vim.cluster.ConfigSpecEx(
        drsConfig=vim.cluster.DrsConfigInfo(enabled=True, defaultVmBehavior="manual")),
        modify=True)])
    specs = lab_hosts(roles)
    hosts = {host.name: host for host in cluster.host}
    missing = [spec for spec in specs if spec.name not in hosts]
    added = wait_all(conn, [cluster.AddHost_Task(
        spec=vim.host.ConnectSpec(hostName=spec.name, force=True), asConnected=True)
        for spec in missing])
    hosts.update({spec.name: info.result for spec, info in zip(missing, added)})
    for spec in specs:
        for field in ("mgmt_ip", "cpu_vendor", "cpu_model", "max_evc"):
            overlay.set(hosts[spec.name], field, getattr(spec, field))
    _create_datastores(content, dc, hosts, roles)
    vms = _create_vms(conn, dc, cluster, hosts, roles)
    wait_all(conn, [vm.PowerOnVM_Task() for vm in vms])
    by_name = {spec.name: spec for spec in specs}
    for vm, vm_spec in zip(vms, lab_vms(roles)):
        # Without EVC a VM runs with every CPU feature of the host it was powered on.
        overlay.set(vm, "cpu_baseline", by_name[vm_spec.host].max_evc)
        overlay.set(vm, "baseline_boot", power_on_stamp(conn, vm))


def _named(entities, name: str):
    return next((e for e in entities if e.name == name), None)


def _create_datastores(content, dc, hosts: dict, roles: Roles) -> None:
    # A datastore created with the same name on several hosts is shared; one created on a
    # single host is local to it (vcsim-gaps.md §4(j)). The path must exist on the
    # simulator's machine: the local ones are folders made inside the shared one.
    home = content.setting.QueryOptions("vcsim.home")[0].value
    for host in hosts.values():
        _create_local_datastore(host, roles.shared_datastore, home)
    for host_name, ds_name in ((roles.source_host, roles.local_datastore),
                               (roles.destination_host, roles.destination_local_datastore)):
        folder = f".{ds_name}"
        content.fileManager.MakeDirectory(f"[{roles.shared_datastore}] {folder}",
                                          datacenter=dc, createParentDirectories=True)
        _create_local_datastore(hosts[host_name], ds_name, f"{home}/{folder}")


def _create_local_datastore(host, name: str, path: str) -> None:
    try:
        host.configManager.datastoreSystem.CreateLocalDatastore(name=name, path=path)
    except KeyError:
        # vcsim v0.56 mounts an existing datastore on one more host but answers with an
        # empty reference that pyVmomi cannot read; the mount itself is done.
        pass


def _create_vms(conn, dc, cluster, hosts: dict, roles: Roles) -> list:
    tasks = []
    for spec in lab_vms(roles):
        config = vim.vm.ConfigSpec(
            name=spec.name, numCPUs=spec.cpus, memoryMB=spec.memory_mb,
            guestId="otherGuest64", files=vim.vm.FileInfo(vmPathName=f"[{spec.datastore}]"),
            deviceChange=_devices(spec, roles))
        tasks.append(dc.vmFolder.CreateVM_Task(config=config, pool=cluster.resourcePool,
                                               host=hosts[spec.host]))
    return [info.result for info in wait_all(conn, tasks)]


def _devices(spec: VmSpec, roles: Roles) -> list:
    add = vim.vm.device.VirtualDeviceSpec.Operation.add
    controller = vim.vm.device.ParaVirtualSCSIController(key=-101, busNumber=0,
                                                          sharedBus="noSharing")
    disk = vim.vm.device.VirtualDisk(
        key=-102, controllerKey=-101, unitNumber=0, capacityInKB=spec.disk_gb * 1024 ** 2,
        backing=vim.vm.device.VirtualDisk.FlatVer2BackingInfo(
            fileName=f"[{spec.datastore}] {spec.name}/{spec.name}.vmdk",
            diskMode="persistent", thinProvisioned=True))
    nic = vim.vm.device.VirtualVmxnet3(
        key=-103, backing=vim.vm.device.VirtualEthernetCard.NetworkBackingInfo(
            deviceName=roles.vm_network),
        connectable=vim.vm.device.VirtualDevice.ConnectInfo(
            connected=True, startConnected=True, allowGuestControl=True))
    return [vim.vm.device.VirtualDeviceSpec(operation=add, device=controller),
            vim.vm.device.VirtualDeviceSpec(operation=add, device=disk, fileOperation="create"),
            vim.vm.device.VirtualDeviceSpec(operation=add, device=nic)]
