"""Finding objects by name, path or id, and the errors for names that do not fit."""

import pytest
from pyVmomi import vim

from lablib.errors import InputError, MultipleFoundError, NotFoundError, WrongKindError
from lablib.tasks import wait


def test_by_name_path_id_and_object(lab):
    host = lab.host("ESXi_2")
    assert lab.host("/Datacenter/host/Cluster/ESXi_2") == host
    assert lab.host(host._moId) == host
    assert lab.host(host) is host
    assert lab.datastore("SharedDS").name == "SharedDS"
    assert lab.network("VM Network").name == "VM Network"
    assert lab.cluster().name == "Cluster"


@pytest.mark.parametrize("kind, name, error, words", [
    ("host", "ESXi_3", NotFoundError, ["No host is named 'ESXi_3'", "Did you mean 'ESXi_",
                                       "Hosts: 'ESXi_1' and 'ESXi_2'"]),
    ("host", "esxi_1", NotFoundError, ["Did you mean 'ESXi_1'?"]),
    ("vm", "vm-shard", NotFoundError, ["No VM is named 'vm-shard'", "'vm-shared'"]),
    ("datastore", "Shared", NotFoundError, ["No datastore", "'SharedDS'"]),
    ("host", "SharedDS", WrongKindError, ["'SharedDS' is a datastore, not a host"]),
    ("datastore", "ESXi_1", WrongKindError, ["'ESXi_1' is a host, not a datastore"]),
    ("vm", "Cluster", WrongKindError, ["'Cluster' is a cluster, not a VM"]),
    ("host", "", InputError, ["host name is empty"]),
    ("host", "   ", InputError, ["host name is empty"]),
    ("vm", "x" * 5000, InputError, ["5000 characters", "at most 255"]),
    ("vm", "vm\x00shared", InputError, ["control characters"]),
    ("host", 42, InputError, ["Expected the name of a host", "int"]),
    ("host", None, InputError, ["Expected the name of a host", "NoneType"]),
    ("vm", "vm-sharéd🙂", NotFoundError, ["No VM is named 'vm-sharéd🙂'"]),
    ("host", "/Datacenter/host/Nope", NotFoundError, ["Nothing is at the inventory path"]),
    ("host", "host-99999", NotFoundError, ["No host is named 'host-99999'"]),
])
def test_bad_names_say_what_exists(lab, kind, name, error, words):
    with pytest.raises(error) as raised:
        lab.find(kind, name)
    for word in words:
        assert word in str(raised.value)


def test_an_object_of_the_wrong_kind_is_refused(lab):
    with pytest.raises(WrongKindError, match="'SharedDS' is a datastore, not a host"):
        lab.host(lab.datastore("SharedDS"))


def test_ambiguous_names_list_the_paths(lab):
    dc = lab.find("datacenter", "Datacenter")
    folder = dc.vmFolder.CreateFolder("team-b")
    spec = vim.vm.ConfigSpec(name="vm-shared", memoryMB=128, numCPUs=1, guestId="otherGuest64",
                             files=vim.vm.FileInfo(vmPathName="[SharedDS]"))
    wait(lab.conn, folder.CreateVM_Task(config=spec, pool=lab.cluster().resourcePool,
                                        host=lab.host("ESXi_2")))
    with pytest.raises(MultipleFoundError) as raised:
        lab.vm("vm-shared")
    assert "2 VMs are named 'vm-shared'" in str(raised.value)
    assert set(raised.value.matches) == {"/Datacenter/vm/vm-shared",
                                         "/Datacenter/vm/team-b/vm-shared"}
    assert lab.vm("/Datacenter/vm/team-b/vm-shared").runtime.host.name == "ESXi_2"
