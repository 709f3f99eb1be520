"""The simulator's life: start, reuse, status, reset, stop, and recovery after a kill."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import lablib
from lablib import sim
from lablib.config import load
from lablib.errors import ConnectError, SimulatorError
from lablib.sim import runner

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def config(tmp_path):
    """A configuration with its own state directory, so this test has its own simulator."""
    (tmp_path / "lab.toml").write_text("")
    env = {"LAB_STATE_DIR": str(tmp_path / "state"), "LAB_CONFIG": str(tmp_path / "lab.toml")}
    cfg = load(tmp_path / "lab.toml", env=env)
    yield cfg
    sim.stop(cfg)
    assert our_processes(cfg) == [], "a simulator was left behind"


def our_processes(cfg):
    return [int(p.name) for p in Path("/proc").iterdir()
            if p.name.isdigit() and runner.is_our_vcsim(int(p.name), cfg.state_dir)]


def cli(cfg, *args):
    env = {**os.environ, "LAB_STATE_DIR": str(cfg.state_dir), "LAB_CONFIG": cfg.path}
    return subprocess.run([sys.executable, "-m", "lablib", "sim", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_start_status_reuse_reset_stop(config):
    assert not sim.status(config).running
    state, started = sim.start(config)
    assert started and state.seeded and sim.status(config).running
    again, started_again = sim.start(config)
    assert not started_again and again.url == state.url

    # A second process (another kernel, the CLI) finds the same simulator.
    shown = cli(config, "status")
    assert shown.returncode == 0 and state.public_url() in shown.stdout
    assert "Already running" in cli(config, "start").stdout
    assert our_processes(config) == [state.pid]

    # The state file is private to the user and holds no password in the clear URL shown.
    mode = (config.state_dir / "sim.json").stat().st_mode & 0o777
    assert mode == 0o600
    assert "lab:" not in shown.stdout

    reset = sim.reset(config)
    assert reset.port == state.port and reset.pid != state.pid
    assert our_processes(config) == [reset.pid]

    assert "Simulator stopped" in cli(config, "stop").stdout
    assert not sim.status(config).running
    assert cli(config, "status").returncode == 3


def test_a_killed_simulator_is_reported_then_restarted_by_connect(config):
    lab = lablib.connect(config)
    os.kill(lab.sim_state.pid, signal.SIGKILL)
    with pytest.raises(ConnectError, match="not answering.*lablib.connect"):
        lab.placement("vm-shared")
    assert not sim.status(config).running

    lab = lablib.connect(config)
    assert lab.placement("vm-shared").host == "ESXi_1"
    assert our_processes(config) == [lab.sim_state.pid]
    lab.close()


def test_a_reset_by_another_process_is_followed(config):
    lab = lablib.connect(config)
    before = lab.sim_state.url
    (config.state_dir / "other").mkdir()
    # Another kernel resets while this port is taken: the simulator moves to a new port.
    with runner.socket.socket() as blocker:
        state = sim.status(config).state
        sim.stop(config)
        blocker.setsockopt(runner.socket.SOL_SOCKET, runner.socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", state.port))
        blocker.listen()
        moved = sim.start(config)[0]
    assert moved.url != before
    assert lab.placement("vm-shared").host == "ESXi_1"
    lab.close()


def test_a_damaged_state_file_gives_a_clear_error_and_reset_recovers(config):
    state, _ = sim.start(config)
    (config.state_dir / "sim.json").write_text("{not json")
    with pytest.raises(SimulatorError, match="damaged.*python -m lablib sim reset"):
        sim.status(config)
    with pytest.raises(SimulatorError, match="damaged"):
        lablib.connect(config)
    fresh = sim.reset(config)
    assert our_processes(config) == [fresh.pid]  # the old simulator did not survive
    assert json.loads((config.state_dir / "sim.json").read_text())["seeded"] is True


# No vcsim binary and no Docker, a configured binary that is missing, a port already in
# use: cases of the bad-input table in tests/sim/test_bad_input.py.
