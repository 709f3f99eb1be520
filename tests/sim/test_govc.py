"""The pinned govc runs against the test simulators: on the lab simulator it reads the
server's real properties; on stock vcsim (the public image's behaviour) it sees only
what lablib's fallback keeps in custom fields."""

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


def test_govc_reads_the_modelled_host_facts(lab):
    vnic = govc.run("govc host.vnic.info -host ESXi_2", lab.sim_state)
    assert vnic.ok, vnic.stderr
    assert "192.168.1.172" in vnic.stdout
    mode = govc.run("govc object.collect -s /Datacenter/host/Cluster/ESXi_2 "
                    "summary.maxEVCModeKey", lab.sim_state)
    assert mode.stdout.strip() == lab.facts.snapshot().host("ESXi_2").max_evc
    fields = govc.run("govc fields.ls", lab.sim_state)
    assert fields.ok and "vmotionlab" not in fields.stdout   # no emulation state


def test_govc_sees_the_fallbacks_custom_fields_on_stock_vcsim(stock_lab):
    fields = govc.run("govc fields.info -n vmotionlab.mgmt_ip /Datacenter/host/Cluster/ESXi_2",
                      stock_lab.sim_state)
    assert fields.ok, fields.stderr
    assert "192.168.1.172" in fields.stdout
    vnic = govc.run("govc host.vnic.service -host ESXi_1 -enable vmotion vmk0",
                    stock_lab.sim_state)
    assert not vnic.ok and "does not implement" in vnic.stderr
