"""Helpers the vMotion tests share: the course's preparation, state, extra networks."""

from pyVmomi import vim

from lablib.tasks import wait

OLDER_EVC = "intel-cascadelake"  # ESXi_2's CPU generation (docs/design.md §4)


def prepare(lab) -> None:
    """vMotion on vmk0 of both hosts and EVC at the older generation, as in scenario 3."""
    for host in ("ESXi_1", "ESXi_2"):
        lab.enable_vmotion(host, "vmk0")
    for vm in ("vm-shared", "vm-local"):
        lab.power_off(vm)
    lab.configure_evc(OLDER_EVC)
    for vm in ("vm-shared", "vm-local"):
        lab.power_on(vm)


def state(lab):
    """Return everything a refused operation must leave as it was."""
    snap = lab.facts.snapshot()
    return snap.hosts, snap.vms, snap.clusters, [(d.name, d.hosts) for d in snap.datastores]


def network_only_on(lab, host: str, name: str = "Lab-Isolated") -> str:
    """Create a distributed port group that only `host` has; return its name."""
    folder = lab.find("datacenter", "Datacenter").networkFolder
    switch = wait(lab.conn, folder.CreateDVS_Task(vim.DistributedVirtualSwitch.CreateSpec(
        configSpec=vim.dvs.VmwareDistributedVirtualSwitch.ConfigSpec(
            name=f"{name}-switch")))).result
    wait(lab.conn, switch.AddDVPortgroup_Task([vim.dvs.DistributedVirtualPortgroup.ConfigSpec(
        name=name, type="earlyBinding", numPorts=8)]))
    wait(lab.conn, switch.ReconfigureDvs_Task(vim.dvs.VmwareDistributedVirtualSwitch.ConfigSpec(
        host=[vim.dvs.HostMember.ConfigSpec(operation="add", host=lab.host(host))])))
    return name


def attach(lab, vm: str, network: str) -> None:
    """Connect the VM's network adapters to a standard network (test setup, pyVmomi)."""
    obj = lab.vm(vm)
    edits = []
    for nic in obj.config.hardware.device:
        if isinstance(nic, vim.vm.device.VirtualEthernetCard):
            nic.backing = vim.vm.device.VirtualEthernetCard.NetworkBackingInfo(
                deviceName=network)
            edits.append(vim.vm.device.VirtualDeviceSpec(operation="edit", device=nic))
    wait(lab.conn, obj.ReconfigVM_Task(vim.vm.ConfigSpec(deviceChange=edits)))


def port_group_on(lab, host: str, name: str = "Lab-Backend") -> str:
    """Add a standard port group to one host (vcsim lists it in no host's networks)."""
    system = lab.host(host).configManager.networkSystem
    system.AddPortGroup(vim.host.PortGroup.Specification(
        name=name, vlanId=0, vswitchName="vSwitch0", policy=vim.host.NetworkPolicy()))
    return name
