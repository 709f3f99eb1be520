"""The real-vCenter guard, tested on the simulator configured as if it were a vCenter.

The Lab here is built from a `backend = "vcenter"` configuration that points at a
private simulator (127.0.0.1, its port, user "lab", LAB_PASSWORD = its password), so
every check runs the code a real vCenter gets: lablib.scope refuses a change outside the
configured scope before any modifying call (docs/design.md §8), and the refusal changes
nothing (tests/sim/unchanged.py counts the SOAP methods sent).

The simulator holds the course lab (cluster "Cluster": ESXi_1, ESXi_2) plus what an
instructor's vCenter has around it: cluster "Other" with host ESXi_9, its local
datastore Other-local and VM other-vm; and inside "Cluster" a student's folder and
resource pool "student01" holding student-vm.
"""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from pyVmomi import vim
from unchanged import unchanged
from vmotion_setup import prepare

import lablib
from lablib import sim
from lablib.config import LabConfig, Scope, SimConfig, VCenterConfig, load
from lablib.connection import InsecureTLSWarning, Target, open_connection
from lablib.errors import ConfigError, ConnectError, OutOfScope, Unsupported
from lablib.exercises import prepare as prepare_lab
from lablib.exercises.prepare import NEEDS
from lablib.lab import Lab
from lablib.session import Session
from lablib.sim.seed import HostSpec
from lablib.tasks import wait

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = Scope(cluster="Cluster")
STUDENT = Scope(folder="/Datacenter/vm/student01", resource_pool="Cluster/Resources/student01")


@pytest.fixture(scope="module")
def simulator(tmp_path_factory):
    """A private simulator: the course lab plus objects outside the lab's scope."""
    directory = tmp_path_factory.mktemp("guard")
    config = load(None, env={"LAB_STATE_DIR": str(directory / "state"),
                             "LAB_CONFIG": os.devnull})
    lab = lablib.connect(config, reset=True)
    prepare(lab)  # vMotion on vmk0 of ESXi_1/ESXi_2, EVC: in-scope migrations pass
    add_outside_objects(lab)
    lab.close()
    yield lab.sim_state
    sim.stop(config)


def add_outside_objects(lab):
    """Add cluster Other (ESXi_9, Other-local, other-vm) and student01's folder and pool."""
    conn, content = lab.conn, lab.conn.content
    dc = lab.find("datacenter", "Datacenter")
    other = dc.hostFolder.CreateClusterEx("Other", vim.cluster.ConfigSpecEx())
    host = wait(conn, other.AddHost_Task(spec=vim.host.ConnectSpec(hostName="ESXi_9",
                                                                    force=True),
                                         asConnected=True)).result
    lab.backend.record_hosts({"ESXi_9": host}, [HostSpec(
        "ESXi_9", "192.168.1.179", "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz",
        "intel-cascadelake")])
    home = content.setting.QueryOptions("vcsim.home")[0].value
    content.fileManager.MakeDirectory("[SharedDS] .Other-local", datacenter=dc,
                                      createParentDirectories=True)
    host.configManager.datastoreSystem.CreateLocalDatastore(name="Other-local",
                                                            path=f"{home}/.Other-local")
    folder = dc.vmFolder.CreateFolder("student01")
    pool = lab.cluster().resourcePool.CreateResourcePool("student01", _pool_spec())
    for name, where, ds, host_obj in (("other-vm", other.resourcePool, "Other-local", host),
                                      ("student-vm", pool, "SharedDS", lab.host("ESXi_1"))):
        spec = vim.vm.ConfigSpec(name=name, numCPUs=1, memoryMB=512, guestId="otherGuest64",
                                 files=vim.vm.FileInfo(vmPathName=f"[{ds}]"))
        parent = folder if name == "student-vm" else dc.vmFolder
        wait(conn, parent.CreateVM_Task(config=spec, pool=where, host=host_obj))
        lab.power_on(name)


def _pool_spec():
    def allocation():
        return vim.ResourceAllocationInfo(reservation=0, limit=-1, expandableReservation=True,
                                          shares=vim.SharesInfo(level="normal", shares=0))
    return vim.ResourceConfigSpec(cpuAllocation=allocation(), memoryAllocation=allocation())


@pytest.fixture
def as_vcenter(simulator, monkeypatch):
    """Return a function that builds a Lab on the simulator configured as a vCenter."""
    target = Target.from_url(simulator.url)
    monkeypatch.setenv("LAB_PASSWORD", target.password)
    opened = []

    def build(scope=CLUSTER) -> Lab:
        config = vcenter_config(target.port, scope)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureTLSWarning)  # tested on its own below
            lab = Lab(Session(config))
        opened.append(lab)
        return lab

    yield build
    for lab in opened:
        lab.close()


def vcenter_config(port: int, scope: Scope, verify_tls: bool = False) -> LabConfig:
    # The session's state folder (tests/conftest.py): lab 09 keeps its draw there.
    return LabConfig(backend="vcenter", vcenter=VCenterConfig(
        host="127.0.0.1", port=port, user="lab", verify_tls=verify_tls), scope=scope,
        sim=SimConfig(state_dir=os.environ["LAB_STATE_DIR"]))


# (what, the call, words of the refusal). The scope is the lab's cluster "Cluster".
OUTSIDE_CLUSTER = [
    ("migrate to a host of another cluster",
     lambda lab: lab.migrate("vm-shared", host="ESXi_9"), ["migrate to host 'ESXi_9'",
                                                           "host of another cluster"]),
    ("migrate to a datastore outside",
     lambda lab: lab.migrate("vm-shared", datastore="Other-local"),
     ["migrate to datastore 'Other-local'", "no host of the lab's cluster has it"]),
    ("migrate a VM of another cluster",
     lambda lab: lab.migrate("other-vm", host="ESXi_2"), ["migrate VM 'other-vm'",
                                                          "host of another cluster"]),
    ("enable vMotion", lambda lab: lab.enable_vmotion("ESXi_9"),
     ["enable vMotion on host 'ESXi_9'"]),
    ("disable vMotion", lambda lab: lab.disable_vmotion("ESXi_9"),
     ["disable vMotion on host 'ESXi_9'"]),
    ("configure EVC", lambda lab: lab.configure_evc("intel-cascadelake", cluster="Other"),
     ["configure EVC on cluster 'Other'", "another cluster"]),
    ("disable EVC", lambda lab: lab.disable_evc("Other"), ["disable EVC on cluster 'Other'"]),
    ("power off", lambda lab: lab.power_off("other-vm"), ["power off VM 'other-vm'"]),
    ("power on", lambda lab: lab.power_on("other-vm"), ["power on VM 'other-vm'"]),
    ("enter maintenance", lambda lab: lab.enter_maintenance("ESXi_9"),
     ["put into maintenance mode host 'ESXi_9'"]),
    ("exit maintenance", lambda lab: lab.exit_maintenance("ESXi_9"),
     ["take out of maintenance mode host 'ESXi_9'"]),
    ("rebalance", lambda lab: lab.rebalance("Other", apply=True),
     ["rebalance cluster 'Other'"]),
]


@pytest.mark.parametrize("what, call, words", OUTSIDE_CLUSTER,
                         ids=[case[0] for case in OUTSIDE_CLUSTER])
def test_changes_outside_the_cluster_scope_are_refused_before_any_call(as_vcenter, what,
                                                                       call, words):
    lab = as_vcenter(CLUSTER)
    with unchanged(lab):
        with pytest.raises(OutOfScope) as refused:
            call(lab)
    for word in [*words, "outside the lab scope (cluster 'Cluster')", "nothing was changed"]:
        assert word in str(refused.value)


def test_the_lab_itself_is_outside_another_scope(as_vcenter):
    lab = as_vcenter(Scope(cluster="Other"))
    with unchanged(lab):
        with pytest.raises(OutOfScope, match="VM 'vm-shared': it runs on a host of another"):
            lab.migrate("vm-shared", host="ESXi_2")
        with pytest.raises(OutOfScope, match="host 'ESXi_1'"):
            lab.enable_vmotion("ESXi_1", "vmk0")
        with pytest.raises(OutOfScope, match="cluster 'Cluster'"):
            lab.configure_evc("intel-skylake")


def test_changes_inside_the_scope_go_through(as_vcenter):
    lab = as_vcenter(CLUSTER)
    moved = lab.migrate("vm-shared", host="ESXi_2")
    assert (moved.before.host, moved.after.host) == ("ESXi_1", "ESXi_2")
    back = lab.migrate("vm-shared", host="ESXi_1")
    assert back.after.host == "ESXi_1"
    assert lab.disable_vmotion("ESXi_2") == []
    assert lab.enable_vmotion("ESXi_2") == ["vmk0"]


def test_reading_outside_the_scope_is_allowed(as_vcenter):
    lab = as_vcenter(CLUSTER)
    with unchanged(lab):
        assert lab.placement("other-vm").host == "ESXi_9"
        assert lab.vmotion_vmks("ESXi_9") == []
        assert lab.evc_mode("Other") == ""
        assert lab.precheck("other-vm", host="ESXi_2").kind == "compute"
        lab.status()
        lab.facts.snapshot()
        lab.rebalance("Other")  # reads the recommendations: no RefreshRecommendation,
    assert "RefreshRecommendation" not in lab.conn.calls  # a privilege students lack


def test_a_folder_and_pool_scope_moves_its_vms_but_never_changes_hosts(as_vcenter):
    lab = as_vcenter(STUDENT)
    with unchanged(lab):
        with pytest.raises(OutOfScope, match="VM 'vm-shared': it is in another VM folder"):
            lab.migrate("vm-shared", host="ESXi_2")
        with pytest.raises(OutOfScope, match="host 'ESXi_1': its settings are shared"):
            lab.enable_vmotion("ESXi_1")
        with pytest.raises(OutOfScope, match="cluster 'Cluster': its settings are shared"):
            lab.disable_evc()
        with pytest.raises(OutOfScope, match="host 'ESXi_2': its settings are shared"):
            lab.enter_maintenance("ESXi_2")
        with pytest.raises(OutOfScope, match="to host 'ESXi_9': it is a host of another"):
            lab.migrate("student-vm", host="ESXi_9")
    assert lab.migrate("student-vm", host="ESXi_2").after.host == "ESXi_2"
    assert lab.migrate("student-vm", host="ESXi_1").after.host == "ESXi_1"


@pytest.mark.parametrize("lab_id", sorted(NEEDS))
def test_a_labs_first_cell_changes_nothing_on_a_vcenter(as_vcenter, lab_id):
    lab = as_vcenter(CLUSTER)
    with unchanged(lab):
        prepare_lab(lab, lab_id)  # on vCenter it only says what is left to do


def test_no_scope_refuses_every_change(as_vcenter):
    lab = as_vcenter(Scope())
    with unchanged(lab):
        with pytest.raises(OutOfScope, match=r"No lab scope is configured.*lab.toml \[scope\]"):
            lab.power_off("vm-shared")


def test_a_scope_naming_a_missing_cluster_is_a_configuration_error(as_vcenter):
    lab = as_vcenter(Scope(cluster="Lab-Cluster"))
    with unchanged(lab):
        with pytest.raises(ConfigError) as error:
            lab.enable_vmotion("ESXi_1")
    for word in ("[scope] cluster", "'Lab-Cluster'", "'Cluster'", "Fix [scope] cluster"):
        assert word in str(error.value)


def test_reset_and_seeding_never_run_on_a_vcenter(as_vcenter, simulator, tmp_path):
    lab = as_vcenter(CLUSTER)
    with unchanged(lab):
        with pytest.raises(Unsupported, match="never touches a real vCenter"):
            lab.reset()
        with pytest.raises(Unsupported, match="never touches a real vCenter"):
            lablib.connect(lab.config, reset=True)
    (tmp_path / "lab.toml").write_text("")
    env = {**os.environ, "LAB_BACKEND": "vcenter", "LAB_HOST": "127.0.0.1",
           "LAB_PORT": str(simulator.port), "LAB_CONFIG": str(tmp_path / "lab.toml"),
           "LAB_STATE_DIR": str(tmp_path / "state")}
    for action in ("reset", "start"):
        with unchanged(lab):
            done = subprocess.run([sys.executable, "-m", "lablib", "sim", action], cwd=ROOT,
                                  env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and "real vCenter" in done.stderr
    assert not (tmp_path / "state").exists()


def test_tls_is_verified_unless_the_configuration_turns_it_off(simulator, monkeypatch):
    target = Target.from_url(simulator.url)
    monkeypatch.setenv("LAB_PASSWORD", target.password)
    with pytest.raises(ConnectError, match=r"certificate of 127.0.0.1 is not trusted.*"
                                           "verify_tls = false"):
        open_connection(vcenter_config(target.port, CLUSTER, verify_tls=True))
    with pytest.warns(InsecureTLSWarning, match="TLS certificate checks are off for 127.0.0.1"):
        conn = open_connection(vcenter_config(target.port, CLUSTER, verify_tls=False))
    assert conn.is_simulator
    conn.close()
