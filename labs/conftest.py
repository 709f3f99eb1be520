"""nbval runs the lab notebooks on the test session's private simulator.

`pytest tests labs` loads tests/conftest.py, which gives the session its own state
directory and an empty lab.toml, so the notebooks' kernels (which inherit the
environment) never touch a developer's lab or a configured vCenter. `pytest labs` alone
does not load that file: this one applies the same isolation then. It also puts this
checkout on the kernels' PYTHONPATH, so `import lablib` works without an install.
"""

import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_isolation = None


def _tests_conftest():
    spec = importlib.util.spec_from_file_location("_labs_session_isolation",
                                                  ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pytest_configure(config):
    global _isolation
    paths = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    if "vmotion-lab-test-" not in os.environ.get("LAB_STATE_DIR", ""):
        _isolation = _tests_conftest()
        _isolation.pytest_configure(config)


def pytest_unconfigure(config):
    if _isolation is not None:
        _isolation.pytest_unconfigure(config)
