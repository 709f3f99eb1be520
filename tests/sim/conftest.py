"""The two servers the sim tests run on.

`lab` (tests/conftest.py) is the lab simulator, the default: the kit's vcsim with its
extension, deciding every verdict as vCenter does. `stock_lab` is the same binary with its
extension off, as the public vmware/vcsim:v0.56.0 image behaves: lablib's fallback decides
there. `any_lab` runs a test on both, for what must hold whatever the server.
"""

import pytest
from attached_sim import AttachedSimulator

import lablib
from lablib.config import load


@pytest.fixture(scope="session")
def stock_simulator(tmp_path_factory):
    """The kit's vcsim with its extension off, started once for the session."""
    simulator = AttachedSimulator(tmp_path_factory.mktemp("stock") / "vcsim", "extension-off")
    yield simulator
    simulator.stop()


@pytest.fixture
def stock_lab(stock_simulator, tmp_path_factory):
    """A Lab on the stock simulator, freshly reset (lablib's fallback applies the rules)."""
    folder = tmp_path_factory.mktemp("stock-lab")
    (folder / "lab.toml").write_text("")
    config = load(folder / "lab.toml", env=stock_simulator.env(folder / "state"))
    lab = lablib.connect(config, reset=True)
    assert lab.backend.simulated, "the stock simulator must get lablib's fallback"
    yield lab
    lab.close()


@pytest.fixture(params=["lab simulator", "stock vcsim"])
def any_lab(request):
    """A fresh Lab on the lab simulator, then on stock vcsim (lablib's fallback)."""
    return request.getfixturevalue("lab" if request.param == "lab simulator" else "stock_lab")
