"""Test session setup: every test and notebook runs on its own simulator.

The session gets a private state directory and an empty lab.toml, so the tests never
touch the developer's own lab or a vCenter named in their configuration; the simulator
they start is stopped when the session ends.
"""

import os
import tempfile
from pathlib import Path

import pytest

import lablib
from lablib import config as lab_config
from lablib import sim


def pytest_configure(config):
    if os.environ.get("LAB_TEST_VCENTER") == "1":
        return  # the real-vCenter tests read the developer's configuration on purpose
    root = Path(tempfile.mkdtemp(prefix="vmotion-lab-test-"))
    (root / "lab.toml").write_text("")
    for var in [v for v in os.environ if v.startswith("LAB_")]:
        del os.environ[var]
    os.environ["LAB_CONFIG"] = str(root / "lab.toml")
    os.environ["LAB_STATE_DIR"] = str(root / "state")


def pytest_unconfigure(config):
    if os.environ.get("LAB_TEST_VCENTER") != "1":
        sim.stop(lab_config.load())


@pytest.fixture
def english_checks():
    """Check messages in English, with no attempts remembered from another test."""
    from lablib.exercises import forget_attempts

    lablib.set_language("en")
    forget_attempts()
    yield
    lablib.set_language("en")


@pytest.fixture(scope="session")
def sim_state():
    """The session's running, seeded simulator."""
    return sim.ensure_running(lab_config.load())


@pytest.fixture
def lab(sim_state):
    """A Lab on a freshly reset simulator (the course's initial state)."""
    fresh = lablib.connect(reset=True)
    yield fresh
    fresh.close()


#: The host profile of model simulators: every host has vMotion on vmk0.
MOBILE_HOSTS = {"hosts": {}, "default": {"vmotionVnics": ["vmk0"]}}


@pytest.fixture(scope="session")
def model_simulator(tmp_path_factory):
    """Start vcsim with model flags (a generated inventory), once per set of flags.

    Large models take seconds to build, so tests asking for the same flags share one
    simulator; they must not change its inventory. All are stopped after the session.
    Their hosts are vcsim's template hosts (one CPU, one shared datastore) with vMotion on
    vmk0, so any running VM may move between them.
    """
    from lablib.connection import Connection, Target
    from lablib.sim import locate, runner, state

    started = {}

    def start(*model: str, delay_ms: int = 0):
        key = (model, delay_ms)
        if key not in started:
            directory = state.ensure_dir(tmp_path_factory.mktemp("model"))
            started[key] = (runner.launch_binary(locate.find_tool("vcsim"), directory,
                                                 delay_ms=delay_ms, model=model,
                                                 profile=MOBILE_HOSTS), directory)
        return Connection(Target.from_url(started[key][0].url))

    yield start
    for sim_state, directory in started.values():
        runner.stop(sim_state, directory)
