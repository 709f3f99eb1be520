"""The seeded lab matches the course's inventory (docs/design.md §4) exactly."""

from lablib.fallback import FallbackBackend


def test_inventory_matches_the_design(lab):
    snap = lab.facts.snapshot()
    assert [c.name for c in snap.clusters] == ["Cluster"]
    assert snap.clusters[0].hosts == ("ESXi_1", "ESXi_2")
    assert snap.clusters[0].evc_mode == ""  # EVC off
    assert [dc.name for dc in lab.conn.content.rootFolder.childEntity] == ["Datacenter"]

    esxi1, esxi2 = snap.hosts
    assert (esxi1.name, esxi1.mgmt_ip, esxi1.cpu_vendor, esxi1.max_evc) == \
        ("ESXi_1", "192.168.1.170", "intel", "intel-icelake")
    assert (esxi2.name, esxi2.mgmt_ip, esxi2.cpu_vendor, esxi2.max_evc) == \
        ("ESXi_2", "192.168.1.172", "intel", "intel-cascadelake")
    for host in snap.hosts:
        assert host.vmotion_vmks == ()  # vMotion enabled on no vmknic
        assert host.vmknics == ("vmk0",)
        assert host.connection_state == "connected" and not host.in_maintenance
        assert "VM Network" in host.networks

    mounts = {d.name: d.hosts for d in snap.datastores}
    assert mounts == {"SharedDS": ("ESXi_1", "ESXi_2"), "ESXi_1-local": ("ESXi_1",),
                      "ESXi_2-local": ("ESXi_2",)}
    assert esxi1.datastores == ("ESXi_1-local", "SharedDS")
    assert esxi2.datastores == ("ESXi_2-local", "SharedDS")

    placed = {v.name: (v.host, v.datastores, v.power_state, v.networks) for v in snap.vms}
    assert placed == {
        "vm-shared": ("ESXi_1", ("SharedDS",), "poweredOn", ("VM Network",)),
        "vm-local": ("ESXi_1", ("ESXi_1-local",), "poweredOn", ("VM Network",)),
    }
    assert snap.vm("vm-local").files == "[ESXi_1-local] vm-local/vm-local.vmx"
    # Powered on without EVC on the newer host: the VMs use all of its CPU features.
    assert {v.cpu_baseline for v in snap.vms} == {"intel-icelake"}


def test_vm_disks_are_on_the_vm_datastore(lab):
    disks = [d.backing.fileName for d in lab.vm("vm-local").config.hardware.device
             if hasattr(d.backing, "fileName") and d.backing.fileName]
    assert disks == ["[ESXi_1-local] vm-local/vm-local.vmdk"]


def test_hosts_have_the_course_profile(lab):
    hosts = lab.facts.snapshot()
    assert (hosts.host("ESXi_1").mgmt_ip, hosts.host("ESXi_2").mgmt_ip) == (
        "192.168.1.170", "192.168.1.172")
    assert (hosts.host("ESXi_1").max_evc, hosts.host("ESXi_2").max_evc) == (
        "intel-icelake", "intel-cascadelake")
    simulated = isinstance(lab.backend, FallbackBackend)
    assert ({"mgmt_ip", "max_evc", "vmotion_vmks"} <= hosts.host("ESXi_1").simulated) \
        == simulated
    fields = {f.name for f in lab.conn.content.customFieldsManager.field or []}
    assert ("vmotionlab.mgmt_ip" in fields) == simulated  # the fallback keeps them there


def test_full_vm_runtime_reads_in_pyvmomi(lab):
    # vcsim v0.56 sends empty enum values (govmomi#4084); lablib's shim reads them.
    vm = lab.vm("vm-shared")
    assert vm.runtime.host.name == "ESXi_1"
    assert vm.summary.runtime.faultToleranceState == "notConfigured"


def test_status_says_ready_and_where_values_come_from(any_lab):
    status = any_lab.status()
    assert status.ready and status.missing == []
    text = str(status)
    assert "Lab status: ready." in text
    if any_lab.backend.simulated:
        assert "simulated by lablib" in text
    else:
        assert "modelled by the lab simulator" in text and "*" not in text.split("Hosts")[1]
    assert "192.168.1.170" in text and "intel-cascadelake" in text
    assert "<table" in status._repr_html_()


def test_status_names_what_is_missing_and_the_fix(lab):
    lab.vm("vm-local").PowerOffVM_Task()
    from lablib.tasks import wait
    wait(lab.conn, lab.vm("vm-local").Destroy_Task())
    status = lab.status()
    assert not status.ready
    assert "Missing vm 'vm-local'" in str(status) and "lab.reset()" in str(status)
    lab.reset()
    assert lab.status().ready
