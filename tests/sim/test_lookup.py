"""Finding objects by name, path or id, and the errors for names that do not fit."""

import pytest
from pyVmomi import vim

from lablib.errors import MultipleFoundError
from lablib.tasks import wait


def test_by_name_path_id_and_object(lab):
    host = lab.host("ESXi_2")
    assert lab.host("/Datacenter/host/Cluster/ESXi_2") == host
    assert lab.host(host._moId) == host
    assert lab.host(host) is host
    assert lab.datastore("SharedDS").name == "SharedDS"
    assert lab.network("VM Network").name == "VM Network"
    assert lab.cluster().name == "Cluster"


# Bad names (unknown, misspelt, wrong kind, empty, huge, unicode...) are cases of the
# bad-input table in tests/sim/test_bad_input.py.


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
