"""A hung simulator, a reset made in a terminal, an expired session: bounded and followed.

- A simulator that stops answering (SIGSTOP) makes every call fail in bounded time, with a
  message that says so and how to recover; `lablib.connect()` does not block either.
- After `python -m lablib sim reset` in a terminal, every read through the notebook's
  session follows the new simulator (check cells, `lab.facts.snapshot()`); a change raises
  LabMoved instead of landing on a lab the student did not see.
- A session that expires while a task is awaited is logged in again and the wait goes on.
"""

import os
import signal
import subprocess
import sys
import threading

import pytest
from pyVmomi import vim

import lablib
from lablib import ConnectError, LabMoved, NotFoundError
from lablib.config import load
from lablib.connection import Connection, Target
from lablib.exercises import check, prepare
from lablib.inventory import Inventory
from lablib.session import Session
from lablib.tasks import wait


@pytest.fixture
def private(tmp_path):
    """A configuration with its own state directory: its own simulator, stopped after."""
    (tmp_path / "lab.toml").write_text("")
    config = load(tmp_path / "lab.toml", env={"LAB_STATE_DIR": str(tmp_path / "state")})
    yield config
    lablib.sim.stop(config)


def _in_thread(function, limit: float):
    """Run `function` in a thread; return what it raised (None), failing past `limit` s."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            function()
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert outcome, f"still waiting after {limit:g} s: a wait is not bounded"
    return outcome[0]


def test_a_hung_simulator_fails_every_call_with_a_way_out(private):
    lab = lablib.connect(private)
    pid = lab.sim_state.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        error = _in_thread(lambda: lab.placement("vm-shared"), limit=300)
        assert isinstance(error, ConnectError)
        assert "not answering" in str(error) and "python -m lablib sim reset" in str(error)
        error = _in_thread(lambda: lablib.connect(private), limit=300)
        assert isinstance(error, ConnectError) and "not answering" in str(error)
    finally:
        os.kill(pid, signal.SIGCONT)
    assert lab.placement("vm-shared").host == "ESXi_1"  # it answers again


def _reset_in_a_terminal(config) -> None:
    done = subprocess.run([sys.executable, "-m", "lablib", "sim", "reset"], timeout=120,
                          env={**os.environ, "LAB_STATE_DIR": str(config.state_dir),
                               "LAB_CONFIG": config.path}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_after_a_reset_in_a_terminal_reads_follow_and_changes_say_so(private):
    lab = lablib.connect(private)
    prepare(lab, "05")  # check() reads this lab
    before = lab.sim_state.url
    _reset_in_a_terminal(private)
    assert "not done yet" in str(check("03.1"))        # read on the new simulator
    assert lab.sim_state.url != before
    assert len(lab.facts.snapshot().vms) == 2           # straight through the session
    _reset_in_a_terminal(private)
    with pytest.raises(LabMoved, match="was reset meanwhile.*Run the notebook's first cell"):
        lab.enable_vmotion("ESXi_1")
    assert lab.vmotion_vmks("ESXi_1") == []             # the change did not land


def test_a_session_that_expires_during_a_wait_is_followed(private):
    lablib.sim.reset(private, delay_ms=3000)  # migrations take 3 s
    lab = lablib.connect(private)
    prepare_vmotion(lab)
    task = lab.vm("vm-shared").RelocateVM_Task(vim.vm.RelocateSpec(host=lab.host("ESXi_2")))
    admin = Connection(Target.from_url(lab.sim_state.url))
    mine = lab.conn.content.sessionManager.currentSession.key
    admin.content.sessionManager.TerminateSession([mine])  # as an expiry would
    admin.close()
    assert wait(lab.conn, task, timeout=60).state == "success"
    assert lab.placement("vm-shared").host == "ESXi_2"


def prepare_vmotion(lab) -> None:
    """vMotion on both hosts and EVC at the older generation (lab 05's starting state)."""
    for host in ("ESXi_1", "ESXi_2"):
        lab.enable_vmotion(host)
    for vm in ("vm-shared", "vm-local"):
        lab.power_off(vm)
    lab.configure_evc("intel-cascadelake")
    for vm in ("vm-shared", "vm-local"):
        lab.power_on(vm)


def test_an_object_gone_between_two_reads_is_not_found(lab, monkeypatch):
    # A listing row without its name: the object was deleted between the view and the read.
    retrieve = Inventory.retrieve

    def vanishing(self, kind, props, root=None):
        return [{k: v for k, v in row.items() if k != "name"} if kind == "vm" else row
                for row in retrieve(self, kind, props, root)]

    monkeypatch.setattr(Inventory, "retrieve", vanishing)
    with pytest.raises(NotFoundError):
        lab.vm("vm-shared")


class _Server:
    is_simulator = False  # a real vCenter answers


def test_the_guard_follows_the_server_actually_connected():
    session = Session.__new__(Session)  # no connection needed to read the decision
    session.sim_state, session.conn = object(), _Server()
    assert session.guarded  # a state file, but the server is a vCenter: guard on
