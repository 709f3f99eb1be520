"""Faults: a simulator killed mid-operation, a dropped session, a migration the server
refuses after lablib's rules passed, objects deleted behind lablib's back, and two
kernels sharing one simulator.

The basic kill-then-reconnect case is tests/sim/test_lifecycle.py; here the kill lands
while a migration runs. Each test that starts a simulator uses its own state directory
and checks that no vcsim process is left for it.
"""

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from pyVmomi import vim, vmodl
from unchanged import unchanged
from vmotion_setup import network_only_on, prepare

import lablib
from lablib import sim
from lablib.config import load
from lablib.connection import Connection, Target
from lablib.errors import ConnectError, LabError, MigrationRefused, NotFoundError
from lablib.sim import runner
from lablib.tasks import wait

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def private(tmp_path):
    """A configuration with its own state directory; its simulator is stopped after."""
    (tmp_path / "lab.toml").write_text("")
    config = load(tmp_path / "lab.toml", env=private_env(tmp_path))
    yield config
    sim.stop(config)
    assert runner.our_pids(config.state_dir) == [], "a simulator was left behind"


def private_env(tmp_path) -> dict[str, str]:
    return {"LAB_STATE_DIR": str(tmp_path / "state"), "LAB_CONFIG": str(tmp_path / "lab.toml")}


def simulator_answers(lab) -> bool:
    """Tell whether the lab's simulator process still runs and logs a new session in."""
    if lab.sim_state.pid and not runner.is_our_vcsim(lab.sim_state.pid, lab.config.state_dir):
        return False  # a simulator lablib started (an attached one has no pid here)
    Connection(Target.from_url(lab.sim_state.url)).close()  # raises if it does not answer
    return True


# (a) The simulator killed while a migration runs.

def test_a_simulator_killed_during_a_migration_is_reported_then_rebuilt(private):
    lab = lablib.connect(replace(private, sim=replace(private.sim, relocate_delay_ms=3000)))
    prepare(lab)
    killed = []

    def kill_once(info, elapsed):
        if not killed and info.state == "running":
            os.kill(lab.sim_state.pid, signal.SIGKILL)
            killed.append(lab.sim_state.pid)

    with pytest.raises(ConnectError, match=r"not answering.*lablib.connect"):
        lab.migrate("vm-shared", host="ESXi_2", on_progress=kill_once)
    assert killed and runner.our_pids(private.state_dir) == []
    with pytest.raises(ConnectError, match=r"not answering.*lablib.connect"):
        lab.status()  # every later call says the same, none hangs

    fresh = lablib.connect(private)  # restarts and reseeds: the course's initial state
    assert fresh.placement("vm-shared").host == "ESXi_1"
    assert fresh.vmotion_vmks("ESXi_1") == []
    assert runner.our_pids(private.state_dir) == [fresh.sim_state.pid]
    assert fresh.sim_state.pid not in killed
    fresh.close()


# (b) An expired or dropped session: lablib logs in again by itself.

@pytest.mark.parametrize("how", ["terminated by another session", "logged out"])
def test_a_dropped_session_logs_in_again_transparently(lab, how):
    key = lab.conn.content.sessionManager.currentSession.key
    if how == "logged out":
        lab.conn.content.sessionManager.Logout()
    else:
        admin = Connection(Target.from_url(lab.sim_state.url))
        admin.content.sessionManager.TerminateSession([key])
        admin.close()
    logins = lab.conn.calls["Login"]
    assert lab.placement("vm-shared").host == "ESXi_1"
    assert lab.conn.calls["Login"] == logins + 1
    assert lab.conn.content.sessionManager.currentSession.key != key


# (c) A migration the server refuses after lablib's rules passed.

def test_a_migration_refused_by_the_server_carries_its_fault_and_moves_nothing(stock_lab):
    # The precheck passes and the task itself fails: on stock vcsim, where lablib's
    # fallback decides the precheck and vcsim refuses the NIC edit at run time.
    lab = stock_lab
    prepare(lab)
    network = network_only_on(lab, "ESXi_2")  # a port group on a switch ESXi_1 is not on
    precheck = lab.precheck("vm-shared", host="ESXi_2", network=network)
    assert precheck.ok  # lablib's rules (vCenter's) accept it...
    before = lab.placement("vm-shared")
    with pytest.raises(MigrationRefused) as refused:
        # ...vcsim refuses the NIC edit: every host of the VM's cluster must be on the
        # switch (simulator/virtual_machine.go validateSwitchMembers).
        lab.migrate("vm-shared", host="ESXi_2", network=network)
    assert isinstance(refused.value.fault, vmodl.fault.InvalidArgument)
    assert refused.value.fault.invalidProperty == "spec.deviceChange.device.port.switchUuid"
    assert "The server refused the migration of vm-shared" in str(refused.value)
    assert lab.placement("vm-shared") == before
    assert simulator_answers(lab)


def test_a_datastore_deleted_after_the_precheck_is_refused_before_the_call(lab):
    prepare(lab)
    home = lab.conn.content.setting.QueryOptions("vcsim.home")[0].value
    dc = lab.find("datacenter", "Datacenter")
    lab.conn.content.fileManager.MakeDirectory("[SharedDS] .Temp-DS", datacenter=dc,
                                               createParentDirectories=True)
    for host in ("ESXi_1", "ESXi_2"):
        with contextlib.suppress(KeyError):  # vcsim's answer for a second mount (lablib.sim.seed)
            lab.host(host).configManager.datastoreSystem.CreateLocalDatastore(
                name="Temp-DS", path=f"{home}/.Temp-DS")
            pass
    temp = lab.datastore("Temp-DS")
    assert lab.precheck("vm-shared", datastore=temp).ok
    other = Connection(Target.from_url(lab.sim_state.url))  # another kernel deletes it
    wait(other, vim.Datastore(temp._moId, other.stub).Destroy_Task())
    other.close()
    with unchanged(lab):
        with pytest.raises(NotFoundError, match=f"datastore {temp._moId} no longer exists"):
            lab.migrate("vm-shared", datastore=temp)
    assert simulator_answers(lab)


def test_a_vm_destroyed_by_another_kernel_is_refused_before_the_call(lab):
    prepare(lab)
    vm = lab.vm("vm-local")
    other = Connection(Target.from_url(lab.sim_state.url))
    theirs = vim.VirtualMachine(vm._moId, other.stub)
    wait(other, theirs.PowerOffVM_Task())
    wait(other, theirs.Destroy_Task())
    other.close()
    with unchanged(lab):
        with pytest.raises(NotFoundError, match=f"VM {vm._moId} no longer exists"):
            lab.migrate(vm, host="ESXi_2")
        with pytest.raises(LabError, match="deleted"):
            lab.power_on(vm)
    assert simulator_answers(lab)


# (d) Two kernels on one simulator.

KERNEL = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import lablib

    role, signals, reset = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "reset"

    def wait_for(name):
        deadline = time.monotonic() + 60
        while not (signals / name).exists():
            assert time.monotonic() < deadline, f"{role} waited for {name} in vain"
            time.sleep(0.05)

    lab = lablib.connect()
    for _ in range(20):  # both kernels read at the same time
        assert lab.placement("vm-shared").host == "ESXi_1"
    if role == "a":
        lab.enable_vmotion("ESXi_1", "vmk0")
        (signals / "changed").touch()
        wait_for("done")
        print("after b:", lab.vmotion_vmks("ESXi_1"), lab.placement("vm-shared").host)
    else:
        wait_for("changed")
        print("sees the change:", lab.vmotion_vmks("ESXi_1"))
        if reset:
            lab.reset()
        else:
            lab.disable_vmotion("ESXi_1", "vmk0")
        (signals / "done").touch()
    print("status ready:", lab.status().ready)
""")


def run_two_kernels(config, tmp_path, reset: bool) -> dict[str, str]:
    """Run kernels a and b at once on the simulator of `config`; return their output."""
    sim.start(config)
    env = {**os.environ, **private_env(tmp_path),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    kernels = {role: subprocess.Popen(
        [sys.executable, "-c", KERNEL, role, str(tmp_path), "reset" if reset else "change"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for role in ("a", "b")}
    out = {role: proc.communicate(timeout=180) for role, proc in kernels.items()}
    for role, proc in kernels.items():
        assert proc.returncode == 0, f"kernel {role}: {out[role][1][-1500:]}"
    assert len(runner.our_pids(config.state_dir)) == 1
    return {role: stdout for role, (stdout, _) in out.items()}


def test_two_kernels_work_at_once_and_see_each_others_changes(private, tmp_path):
    out = run_two_kernels(private, tmp_path, reset=False)
    assert "sees the change: ['vmk0']" in out["b"]
    assert "after b: [] ESXi_1" in out["a"]
    assert "status ready: True" in out["a"] and "status ready: True" in out["b"]


def test_a_reset_by_one_kernel_is_followed_by_the_other(private, tmp_path):
    out = run_two_kernels(private, tmp_path, reset=True)
    assert "sees the change: ['vmk0']" in out["b"]
    assert "after b: [] ESXi_1" in out["a"]  # a follows b's reset: initial state again
    assert "status ready: True" in out["a"] and "status ready: True" in out["b"]
