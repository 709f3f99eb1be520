"""The pinned govc runs against the test simulator and sees lablib's lab."""

from lablib import govc


def test_govc_is_pinned_and_reaches_the_lab(lab):
    version = govc.run("govc version", lab.sim_state)
    assert version.ok and "0.56.0" in version.stdout
    listing = govc.run("govc ls /Datacenter/host/Cluster", lab.sim_state)
    assert listing.ok
    assert {"/Datacenter/host/Cluster/ESXi_1", "/Datacenter/host/Cluster/ESXi_2"} <= \
        set(listing.stdout.split())


def test_govc_vm_info_shows_the_placement(lab):
    info = govc.run("govc vm.info vm-local", lab.sim_state)
    assert info.ok, info.stderr
    assert "ESXi_1" in info.stdout and "poweredOn" in info.stdout


def test_govc_sees_the_simulated_facts_as_custom_fields(lab):
    fields = govc.run("govc fields.info -n vmotionlab.mgmt_ip /Datacenter/host/Cluster/ESXi_2",
                      lab.sim_state)
    assert fields.ok, fields.stderr
    assert "192.168.1.172" in fields.stdout
