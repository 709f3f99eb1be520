"""The attached route: a simulator lablib did not start (LAB_SIM_URL, Docker Compose).

lablib seeds it, and resets it in place (it cannot restart it): after the course's
changes and more (a folder, a VM, a resource pool, a file, a custom field), `lab.reset()`,
`prepare(lab, "05")` and `connect(reset=True)` give back exactly the freshly seeded lab.
Run for the kit's simulator and for it with its extension off (the public image).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from attached_sim import VARIANTS, AttachedSimulator, signature
from pyVmomi import vim

import lablib
from lablib import selfcheck, sim
from lablib.classroom import LabState, run_lab05
from lablib.config import load
from lablib.errors import SimulatorError
from lablib.exercises import prepare
from lablib.tasks import wait

LABS = Path(__file__).resolve().parents[2] / "labs"


@pytest.fixture(params=VARIANTS)
def attached(request, tmp_path):
    """A separately started simulator and a configuration attached to it."""
    simulator = AttachedSimulator(tmp_path / "vcsim", request.param)
    (tmp_path / "lab.toml").write_text("")
    config = load(tmp_path / "lab.toml", env=simulator.env(tmp_path / "state"))
    yield simulator, config
    simulator.stop()


def student_mess(lab):
    """What a student may leave behind, beyond the course's own changes."""
    run_lab05(lab)
    lab.migrate("vm-local", datastore="SharedDS")  # lab 06's fix: Storage vMotion
    dc = lab.find("datacenter", "Datacenter")
    folder = dc.vmFolder.CreateFolder("scratch")
    pool = lab.cluster().resourcePool.CreateResourcePool("mine", vim.ResourceConfigSpec(
        cpuAllocation=allocation(), memoryAllocation=allocation()))
    spec = vim.vm.ConfigSpec(name="vm-extra", numCPUs=1, memoryMB=256, guestId="otherGuest64",
                             files=vim.vm.FileInfo(vmPathName="[SharedDS]"))
    wait(lab.conn, folder.CreateVM_Task(config=spec, pool=pool, host=lab.host("ESXi_1")))
    lab.power_on("vm-extra")
    lab.conn.content.fileManager.MakeDirectory("[SharedDS] notes", dc, True)
    fields = lab.conn.content.customFieldsManager
    key = fields.AddCustomFieldDef(name="owner", moType=vim.VirtualMachine).key
    fields.SetField(entity=lab.vm("vm-shared"), key=key, value="me")


def allocation():
    return vim.ResourceAllocationInfo(reservation=0, limit=-1, expandableReservation=True,
                                      shares=vim.SharesInfo(level="normal", shares=0))


def test_reset_gives_back_the_freshly_seeded_lab_and_nothing_else(attached):
    _simulator, config = attached
    lab = lablib.connect(config)
    try:
        fresh = signature(lab.conn)
        assert lab.sim_state.mode == "attached"
        student_mess(lab)
        assert signature(lab.conn) != fresh

        lab.reset()
        assert LabState.read(lab) == LabState.initial(lab.roles)
        assert signature(lab.conn) == fresh

        prepare(lab, "05")  # every lab's first cell: a reset, then labs 03-04 replayed
        ready = signature(lab.conn)
        student_mess(lab)
        prepare(lab, "05")
        assert signature(lab.conn) == ready
    finally:
        lab.close()
    again = lablib.connect(config, reset=True)
    try:
        assert signature(again.conn) == fresh
        assert again.placement("vm-shared").host == "ESXi_1"
    finally:
        again.close()


def test_what_vcsim_cannot_remove_is_refused_before_any_change(attached):
    _simulator, config = attached
    lab = lablib.connect(config)
    try:
        lab.power_off("vm-local")
        dc = lab.find("datacenter", "Datacenter")
        dc.hostFolder.CreateClusterEx("Other", vim.cluster.ConfigSpecEx())
        before = signature(lab.conn)
        with pytest.raises(SimulatorError, match=r"cannot be reset in place.*Other.*restart"):
            lab.reset()
        assert signature(lab.conn) == before
    finally:
        lab.close()


def test_another_inventory_in_the_simulator_is_refused(attached):
    _simulator, config = attached
    lab = lablib.connect(config)
    lab.conn.content.rootFolder.CreateDatacenter("DC0")
    lab.close()
    with pytest.raises(SimulatorError, match=r"holds DC0, which is not the lab.*vcsim -dc 0"):
        lablib.connect(config)


def student_progress(lab) -> dict:
    """What a check must leave as it was: the VMs' ids (a reset makes new VMs) and vMotion."""
    return {"vms": sorted(vm._moId for vm in lab.find("datacenter", "Datacenter")
                          .vmFolder.childEntity),
            "vmotion": {h: lab.vmotion_vmks(h) for h in ("ESXi_1", "ESXi_2")}}


@pytest.mark.parametrize("attached", ["extension-off"], indirect=True)
def test_check_runs_the_notebook_on_a_private_simulator_never_the_students(
        attached, monkeypatch, capsys):
    simulator, config = attached
    lab = lablib.connect(config)
    lab.enable_vmotion("ESXi_1")  # half of lab 03: the student's own progress
    before = student_progress(lab)
    for name, value in simulator.env(config.state_dir).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LAB_CONFIG", config.path)
    try:
        assert selfcheck.main([str(LABS / "en" / "solutions" / "03_enable_vmotion.ipynb")]) == 0
        assert "exercises pass." in capsys.readouterr().out
        assert student_progress(lab) == before, "check changed the student's lab"
    finally:
        lab.close()


@pytest.mark.parametrize("attached", ["extension-off"], indirect=True)
def test_check_without_a_way_to_start_a_private_simulator_refuses_and_says_why(
        attached, monkeypatch, tmp_path, capsys):
    simulator, config = attached
    lab = lablib.connect(config)
    before = student_progress(lab)
    for name, value in simulator.env(config.state_dir).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LAB_CONFIG", config.path)
    monkeypatch.setattr(sim.locate, "BUILD_BIN", tmp_path)  # no vcsim, no Docker
    monkeypatch.setenv("PATH", str(tmp_path))
    try:
        assert selfcheck.main([str(LABS / "en" / "solutions" / "03_enable_vmotion.ipynb")]) == 2
        err = capsys.readouterr().err
        for words in ("would reset your lab", "LAB_SIM_URL", "make sim-tools", "Run All"):
            assert words in err
        assert simulator.password not in err
        assert student_progress(lab) == before
    finally:
        lab.close()


@pytest.mark.parametrize("attached", ["extension-off"], indirect=True)
def test_sim_stop_leaves_an_attached_simulator_running_and_says_so(attached):
    simulator, config = attached
    lablib.connect(config).close()
    env = {**os.environ, **simulator.env(config.state_dir), "LAB_CONFIG": config.path}
    done = subprocess.run([sys.executable, "-m", "lablib", "sim", "stop"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "did not start the simulator at LAB_SIM_URL" in done.stdout
    assert simulator.proc.poll() is None
    assert lablib.connect(config).placement("vm-shared").host == "ESXi_1"
