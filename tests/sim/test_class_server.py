"""A shared class server (TLJH: one machine, many students): what another uid can try.

Each test plays the other user for real where it can (files owned by `nobody`, a process
run as `nobody`) and asserts that the student's lab neither trusts nor harms anything it
did not make itself: the state directory, its files, the processes lablib signals, the
simulator password in notebook outputs.
"""

import contextlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

import lablib
from lablib import govc, sim
from lablib.config import load
from lablib.errors import SimulatorError
from lablib.sim import runner, state

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")


@pytest.fixture
def config(tmp_path):
    """A configuration with its own state directory (its own simulator)."""
    (tmp_path / "lab.toml").write_text("")
    cfg = load(tmp_path / "lab.toml", env={"LAB_STATE_DIR": str(tmp_path / "state"),
                                           "LAB_CONFIG": str(tmp_path / "lab.toml")})
    yield cfg
    sim.stop(cfg)


def password_of(url: str) -> str:
    return url.split("://", 1)[1].rsplit("@", 1)[0].split(":", 1)[1]


def test_no_notebook_output_shows_the_simulator_password(config):
    lab = lablib.connect(config)
    try:
        secret = password_of(lab.sim_state.url)
        shown = [repr(lab.sim_state), str(lab.sim_state), repr(vars(lab)), repr(lab),
                 repr(lab.config), str(sim.status(config))]
        for text in shown:
            assert secret not in text
        assert "127.0.0.1" in repr(lab.sim_state)  # still says where it runs
    finally:
        lab.close()


def test_an_attached_simulators_password_is_not_shown_either(tmp_path):
    cfg = load(None, env={"LAB_SIM_URL": "https://student:fake-hunter2@127.0.0.1:8989/sdk",
                          "LAB_STATE_DIR": str(tmp_path / "state")})
    st = state.SimState(url=cfg.sim.url, mode="attached")
    for text in (repr(cfg), repr(st), str(st)):
        assert "fake-hunter2" not in text and "student" in text


def as_nobody(*command: str) -> subprocess.CompletedProcess:
    """Run `command` as user nobody (another student of the machine)."""
    return subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                           *command], capture_output=True, text=True, timeout=60)


@pytest.fixture
def shared():
    """A folder other users may traverse, like /home or /tmp on a class server."""
    root = Path(tempfile.mkdtemp(prefix="vmotion-lab-class-"))
    root.chmod(0o755)
    yield root
    with contextlib.suppress(SimulatorError):  # another user's state: nothing of ours runs
        sim.stop(config_in(root))
    shutil.rmtree(root, ignore_errors=True)


def config_in(folder: Path):
    return load(None, env={"LAB_STATE_DIR": str(folder / "state"),
                           "LAB_CONFIG": str(folder / "none.toml")})


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702], ids=oct)
def test_a_state_directory_open_to_others_is_made_private(shared, mode):
    cfg = config_in(shared)
    cfg.state_dir.mkdir()
    cfg.state_dir.chmod(mode)  # `chmod -R 777 ~`: a student's mistake
    sim.start(cfg)
    assert cfg.state_dir.stat().st_mode & 0o777 == 0o700
    for path in cfg.state_dir.iterdir():
        assert path.lstat().st_mode & 0o077 == 0, f"{path.name} is readable by others"


@as_root
def test_a_state_directory_link_of_another_user_is_refused(shared):
    theirs = shared / "theirs"
    theirs.mkdir()
    os.chown(theirs, NOBODY, NOBODY)
    os.symlink(theirs, shared / "state")
    os.lchown(shared / "state", NOBODY, NOBODY)
    with pytest.raises(SimulatorError, match=r"belongs to another user.*LAB_STATE_DIR"):
        sim.start(config_in(shared))
    assert list(theirs.iterdir()) == []


PLANTED = ("vcsim.log", "vcsim.env", "vcsim.secret", "sim.lock", "sim.json.tmp")


@as_root
def test_files_planted_by_another_user_are_never_followed(shared):
    cfg = config_in(shared)
    cfg.state_dir.mkdir()
    cfg.state_dir.chmod(0o777)  # the student's mistake lets others plant files
    notes = shared / "notes.md"
    notes.write_text("my vMotion notes\n")
    notes.chmod(0o644)
    evil = shared / "evil"  # the other user's folder
    evil.mkdir()
    os.chown(evil, NOBODY, NOBODY)
    for name in PLANTED:
        assert as_nobody("ln", "-s", str(notes), str(cfg.state_dir / name)).returncode == 0
    assert as_nobody("ln", "-s", str(evil), str(cfg.state_dir / "vcsim-tmp")).returncode == 0

    sim.reset(cfg)  # `python -m lablib sim reset`, which the README tells instructors to run

    assert notes.read_text() == "my vMotion notes\n"  # not truncated, no password in it
    assert notes.stat().st_mode & 0o777 == 0o644
    assert list(evil.iterdir()) == []  # the datastore folders did not go to their folder
    for name in (*PLANTED[:3], "sim.lock", "sim.json", "vcsim-tmp"):
        info = (cfg.state_dir / name).lstat()
        assert not stat.S_ISLNK(info.st_mode) and info.st_uid == os.getuid(), name
    assert sim.status(cfg).running


@as_root
def test_a_state_file_swapped_in_by_another_user_is_not_trusted(shared):
    cfg = config_in(shared)
    st, _ = sim.start(cfg)
    cfg.state_dir.chmod(0o777)  # the student's mistake, after the simulator started
    attacker = socket.create_server(("127.0.0.1", 0))  # the other user's "simulator"
    reached = []

    def serve():  # record whoever connects, and hang up
        with contextlib.suppress(OSError):
            while True:
                peer, _ = attacker.accept()
                reached.append(peer)
                peer.close()
    threading.Thread(target=serve, daemon=True).start()
    fake = {**json.loads((cfg.state_dir / "sim.json").read_text()),
            "url": f"https://lab:fake@127.0.0.1:{attacker.getsockname()[1]}/sdk"}
    planted = cfg.state_dir / "planted.json"
    script = f"import json; json.dump({fake!r}, open({str(planted)!r}, 'w'))"
    assert as_nobody(sys.executable, "-c", script).returncode == 0
    assert as_nobody("mv", "-f", str(planted), str(cfg.state_dir / "sim.json")).returncode == 0

    try:
        with pytest.raises(SimulatorError, match=r"not your own file.*sim reset"):
            lablib.connect(cfg)
        assert reached == [], "the student's lab connected to the other user's server"
        fresh = sim.reset(cfg)  # recovers: the planted file is ignored and replaced
        assert (cfg.state_dir / "sim.json").stat().st_uid == os.getuid()
        assert runner.our_pids(cfg.state_dir) == [fresh.pid] and fresh.pid != st.pid
    finally:
        attacker.close()


def test_stop_signals_only_the_simulator_not_a_tail_of_its_files(config):
    st, _ = sim.start(config)
    # The student watches the simulator's files in a terminal: their own processes,
    # whose command lines name the state directory.
    watchers = [subprocess.Popen(["tail", "-f", str(config.state_dir / name)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for name in ("vcsim.env", "vcsim.log")]
    try:
        assert runner.our_pids(config.state_dir) == [st.pid]
        assert sim.stop(config) is True
        assert [w.poll() for w in watchers] == [None, None], "sim stop killed a tail -f"
        assert sim.stop(config) is False  # nothing left that counts as a simulator
        assert all(w.poll() is None for w in watchers)
    finally:
        for watcher in watchers:
            watcher.kill()
            watcher.wait()


def test_a_simulator_whose_binary_was_rebuilt_meanwhile_is_still_stopped(tmp_path):
    binary = tmp_path / "bin" / "vcsim"
    binary.parent.mkdir()
    shutil.copy2(sim.locate.find_tool("vcsim"), binary)
    cfg = load(None, env={"LAB_STATE_DIR": str(tmp_path / "state"), "LAB_SIM_BIN": str(binary),
                          "LAB_CONFIG": str(tmp_path / "none.toml")})
    st, _ = sim.start(cfg)
    rebuilt = tmp_path / "bin" / "vcsim.new"  # `make sim-tools` writes a new file
    shutil.copy2(binary, rebuilt)
    os.replace(rebuilt, binary)
    assert sim.status(cfg).running
    assert sim.stop(cfg) is True
    assert not Path(f"/proc/{st.pid}").exists() or \
        Path(f"/proc/{st.pid}/stat").read_text().split(") ")[-1].startswith("Z")


def test_a_running_simulator_whose_state_file_was_deleted_is_adopted(config):
    lab = lablib.connect(config)
    st = lab.sim_state
    lab.power_off("vm-local")  # the student's progress, in that simulator
    (config.state_dir / "sim.json").unlink()  # `rm -rf ~/.local/state/...` half done

    assert sim.status(config).running  # still found, through its executable and files
    other = lablib.connect(config)  # a new kernel
    try:
        assert runner.our_pids(config.state_dir) == [st.pid], "a second vcsim was started"
        assert other.sim_state.url == st.url and other.sim_state.binary
        assert other.placement("vm-local").power_state == "poweredOff"
        assert lab.placement("vm-local").power_state == "poweredOff"  # the old kernel too
    finally:
        other.close()
        lab.close()


def test_an_unrecorded_demo_simulator_keeps_its_delay_when_adopted(config):
    st, _ = sim.start(config, delay_ms=1500)
    (config.state_dir / "sim.json").unlink()
    again, started = sim.start(config, delay_ms=1500)
    assert not started and again.pid == st.pid and again.relocate_delay_ms == 1500


@as_root
def test_another_user_can_neither_list_nor_fill_a_students_datastore(config, tmp_path):
    """The simulator's file endpoints need the session, as the SOAP API does.

    Needs the kit's vcsim main to check the session on /folder, /guestFile and /nfc: it
    fails on a vcsim without that check (another local user can list a student's
    datastore and PUT files that land in the student's state directory).
    """
    st, _ = sim.start(config)
    base = f"https://127.0.0.1:{st.port}"
    query = "dcPath=Datacenter&dsName=SharedDS"
    for method, path in (("GET", f"/folder/?{query}"), ("PUT", f"/folder/planted.txt?{query}"),
                         ("GET", "/guestFile/?id=1&token=x"), ("PUT", "/guestFile/?id=1&token=x"),
                         ("GET", "/nfc/x/disk-0.vmdk")):
        done = as_nobody("curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", "-X", method,
                         *(["--data-binary", "planted"] if method == "PUT" else []), base + path)
        assert done.stdout in ("401", "403"), f"{method} {path} as nobody: {done.stdout}"
    assert not list(config.state_dir.rglob("planted.txt")), "a file of nobody landed"

    # The student's own tools, which hold the URL and so a session, still work.
    mine = tmp_path / "notes.txt"
    mine.write_text("mine\n")
    up = govc.run(f"govc datastore.upload -ds SharedDS {mine} notes.txt", st)
    assert up.ok, up.stderr
    listed = govc.run("govc datastore.ls -ds SharedDS", st)
    assert listed.ok and "notes.txt" in listed.stdout.split()
