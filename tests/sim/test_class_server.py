"""A shared class server (TLJH: one machine, many students): what another uid can try.

Each test plays the other user for real where it can (files owned by `nobody`, a process
run as `nobody`) and asserts that the student's lab neither trusts nor harms anything it
did not make itself: the state directory, its files, the processes lablib signals, the
simulator password in notebook outputs.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import lablib
from lablib import sim
from lablib.config import load
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
    cfg = load(None, env={"LAB_SIM_URL": "https://student:hunter2@127.0.0.1:8989/sdk",
                          "LAB_STATE_DIR": str(tmp_path / "state")})
    st = state.SimState(url=cfg.sim.url, mode="attached")
    for text in (repr(cfg), repr(st), str(st)):
        assert "hunter2" not in text and "student" in text
