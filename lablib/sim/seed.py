"""Build the course's lab inventory on an empty simulator (docs/design.md §4).

Everything goes through the vSphere API (docs/vcsim-gaps.md §5, "Runtime API vs -load"):
CreateDatacenter, CreateClusterEx, AddHost_Task, CreateLocalDatastore, CreateVM_Task,
PowerOnVM_Task. The hosts' hardware (vmk0 addresses, CPU generations) comes from the
course's host profile, `course_hosts.json`, which lablib gives the lab simulator when it
starts it; on the public vcsim image, which cannot hold them, the backend records them
(lablib.fallback). The initial state is the course's starting point: vMotion enabled on
no VMkernel adapter, EVC off.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyVmomi import vim

from ..capabilities import choose_backend
from ..config import Roles
from ..connection import Connection
from ..inventory import Inventory
from ..tasks import wait_all

#: The course's hosts, in the order of the roles (source, destination); docker/go reads it.
COURSE_HOSTS = Path(__file__).with_name("course_hosts.json")


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
    """Return the two course hosts, named by the roles: the source newer, the destination older.

    The IPs are the course notes' ("ESXi_1 (192.168.1.170) vers ESXi_2 (192.168.1.172)");
    the CPU models are real parts of each generation (Xeon Gold 6330: Ice Lake-SP, Gold
    6230: Cascade Lake); the EVC keys are those of docs/vsphere-facts.md §2.
    """
    hosts = json.loads(COURSE_HOSTS.read_text(encoding="utf-8"))["hosts"]
    names = (roles.source_host, roles.destination_host)
    return [HostSpec(name, h["managementIp"], h["cpuModel"], h["maxEvcMode"], h["cpuVendor"])
            for name, h in zip(names, hosts.values())]


def host_profile(roles: Roles) -> dict[str, Any]:
    """Return the host profile the lab simulator applies to the hosts it sees added."""
    return {"hosts": {h.name: {"managementIp": h.mgmt_ip, "cpuVendor": h.cpu_vendor,
                               "cpuModel": h.cpu_model, "maxEvcMode": h.max_evc}
                      for h in lab_hosts(roles)}}


def lab_vms(roles: Roles) -> list[VmSpec]:
    """Return the two course VMs, both on the source host and powered on."""
    return [VmSpec(roles.vm, roles.shared_datastore, roles.source_host),
            VmSpec(roles.local_vm, roles.local_datastore, roles.source_host)]


def seed(conn: Connection, roles: Roles) -> None:
    """Create the lab inventory on an empty simulator reached through `conn`."""
    content = conn.content
    backend = choose_backend(conn, Inventory(conn))
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
    backend.record_hosts(hosts, specs)
    _create_datastores(content, dc, hosts, roles)
    vms = _create_vms(conn, dc, cluster, hosts, roles)
    wait_all(conn, [vm.PowerOnVM_Task() for vm in vms])
    by_name = {spec.name: spec for spec in specs}
    # Without EVC a VM runs with every CPU feature of the host it was powered on.
    backend.record_power_on(vms, {vm._moId: by_name[vm_spec.host].max_evc
                                  for vm, vm_spec in zip(vms, lab_vms(roles))})


def _named(entities: Any, name: str) -> Any:
    return next((e for e in entities if e.name == name), None)


def _create_datastores(content: Any, dc: Any, hosts: dict, roles: Roles) -> None:
    # A datastore created with the same name on several hosts is shared; one created on a
    # single host is local to it (docs/vcsim-gaps.md §4(j)). The path must exist on the
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


def _create_local_datastore(host: Any, name: str, path: str) -> None:
    # vcsim v0.56 mounts an existing datastore on one more host but answers with an
    # empty reference that pyVmomi cannot read (KeyError); the mount itself is done.
    with contextlib.suppress(KeyError):
        host.configManager.datastoreSystem.CreateLocalDatastore(name=name, path=path)


def _create_vms(conn: Connection, dc: Any, cluster: Any, hosts: dict,
                roles: Roles) -> list:
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
