"""CI of the Docker route: labs run under nbval on a simulator started separately.

As with `docker compose -f docker/compose.yaml up`: the simulator is started on its own
(the kit's vcsim, and the same binary with its extension off, as the public image
behaves), the notebooks' kernels reach it through LAB_SIM_URL only, and every lab's first
cell seeds or resets it in place. Labs 00, 05 and 06 (solutions, English and French) run
under nbval; then `python -m lablib check` runs a student notebook on a private simulator
and leaves the attached lab as the student left it.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from attached_sim import VARIANTS, AttachedSimulator

import lablib
from lablib.config import load

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = [f"labs/{lang}/solutions/{name}" for lang in ("en", "fr")
             for name in ("00_setup.ipynb", "05_migrate.ipynb", "06_local_storage.ipynb")]
RUN_TIMEOUT_S = 900  # a bound, not a measure: a few minutes on 2 busy cores


@pytest.fixture(params=VARIANTS)
def route(request, tmp_path):
    """A separately started simulator and the environment of a student attached to it."""
    simulator = AttachedSimulator(tmp_path / "vcsim", request.param)
    (tmp_path / "lab.toml").write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAB_")}
    env.update(simulator.env(tmp_path / "state"), LAB_CONFIG=str(tmp_path / "lab.toml"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
    yield simulator, env
    simulator.stop()


def run(env, *args, timeout=RUN_TIMEOUT_S):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_labs_run_on_a_simulator_started_separately(route):
    _simulator, env = route
    # --noconftest: labs/conftest.py would isolate the run from LAB_SIM_URL, on purpose
    # for `make test`; here the attached simulator is what is tested.
    done = run(env, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "--noconftest",
               "-p", "no:cacheprovider", "-q", *NOTEBOOKS)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert "passed" in done.stdout and "failed" not in done.stdout

    config = load(Path(env["LAB_CONFIG"]), env=env)
    lab = lablib.connect(config)
    try:
        assert lab.sim_state.mode == "attached"
        ids = sorted(vm._moId for vm in lab.find("datacenter", "Datacenter").vmFolder.childEntity)
        placement = lab.placement("vm-shared").host
        checked = run(env, "-m", "lablib", "check", "labs/en/05_migrate.ipynb")
        assert checked.returncode == 1, checked.stdout + checked.stderr  # exercises not done
        assert "not done" in checked.stdout or "0 of" in checked.stdout, checked.stdout
        now = sorted(vm._moId for vm in lab.find("datacenter", "Datacenter").vmFolder.childEntity)
        assert now == ids and lab.placement("vm-shared").host == placement, \
            "lablib check touched the attached lab"
    finally:
        lab.close()
