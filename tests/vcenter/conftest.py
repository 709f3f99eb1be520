"""The real-vCenter code path, run on every test run.

lablib's vCenter path (a server lablib did not start, TLS checks as configured, the scope
guard on) is exercised against the lab simulator given to lablib as a vCenter target: a
vcsim started separately with the course's host profile, seeded once, then reached with
LAB_BACKEND=vcenter and a lab scope. With LAB_TEST_VCENTER=1 and LAB_* (LAB_BACKEND=vcenter,
LAB_HOST, LAB_USER, LAB_PASSWORD, LAB_SCOPE_CLUSTER) the same tests run on a real vCenter;
the few that need a real vCenter's own behaviour run only then, and say why.
"""

import os
import warnings

import pytest
from attached_sim import AttachedSimulator

import lablib
from lablib.config import load
from lablib.connection import InsecureTLSWarning, Target

REAL = os.environ.get("LAB_TEST_VCENTER") == "1"


@pytest.fixture(scope="session")
def vcenter_config(tmp_path_factory):
    """The configuration of the vCenter target: the real one, or the lab simulator."""
    if REAL:
        yield load()
        return
    folder = tmp_path_factory.mktemp("as-vcenter")
    simulator = AttachedSimulator(folder / "vcsim", "lab-extension")
    (folder / "lab.toml").write_text("")
    seeder = lablib.connect(load(folder / "lab.toml", env=simulator.env(folder / "state")))
    seeder.close()  # the lab is seeded; from now on lablib sees a vCenter it did not start
    target = Target.from_url(simulator.url)
    os.environ["LAB_PASSWORD"] = target.password
    yield load(folder / "lab.toml", env={
        "LAB_BACKEND": "vcenter", "LAB_HOST": target.host, "LAB_PORT": str(target.port),
        "LAB_USER": target.user, "LAB_VERIFY_TLS": "false", "LAB_SCOPE_CLUSTER": "Cluster",
        "LAB_STATE_DIR": str(folder / "state")})
    os.environ.pop("LAB_PASSWORD", None)
    simulator.stop()


@pytest.fixture
def vc(vcenter_config):
    """A Lab on the vCenter target, with the scope guard on."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureTLSWarning)  # the simulator's own certificate
        lab = lablib.connect(vcenter_config)
    assert lab.sim_state is None and lab.session.guarded
    yield lab
    lab.close()

