"""Connect to the configured target, or to the embedded simulator when none is set."""

from __future__ import annotations

import getpass
import os

from . import notebook, sim
from .config import LabConfig, load
from .connection import Connection, Target
from .errors import ConnectError, Unsupported
from .lab import Lab


def connect(config: LabConfig | None = None, *, reset: bool = False) -> Lab:
    """Return a Lab on the configured target, starting the simulator if that is the target.

    Args:
        config: the configuration (read from lab.toml and LAB_* variables by default).
        reset: on the simulator, rebuild the initial lab inventory first.

    Raises:
        ConfigError, ConnectError, SimulatorError: with what to do next.
    """
    config = config or load()
    notebook.install_error_display()
    if reset and config.backend != "simulator":
        raise Unsupported("reset only rebuilds the embedded simulator; it never touches a "
                          "real vCenter. Connect without reset=True.")
    sim_state = None
    if config.backend == "simulator":
        sim_state = sim.reset(config) if reset else sim.ensure_running(config)
    return Lab(config, open_connection(config, sim_state), sim_state)


def open_connection(config: LabConfig, sim_state=None) -> Connection:
    """Open a session to the simulator described by `sim_state`, or to the vCenter."""
    if sim_state is not None:
        return Connection(Target.from_url(sim_state.url))
    vc = config.vcenter
    return Connection(Target(vc.host, vc.port, vc.user or _ask_user(vc.host),
                             _password(vc.host), vc.verify_tls))


def _ask_user(host: str) -> str:
    raise ConnectError(f"No user name for {host}. Set [vcenter] user in lab.toml or LAB_USER.")


def _password(host: str) -> str:
    """Return LAB_PASSWORD, or ask for it; never read it from a file or a notebook."""
    if os.environ.get("LAB_PASSWORD"):
        return os.environ["LAB_PASSWORD"]
    try:
        return getpass.getpass(f"Password for {host}: ")
    except Exception:  # no terminal or frontend to ask (CI, nbval)
        raise ConnectError(f"No password for {host}: set LAB_PASSWORD in the environment "
                           "of Jupyter (never in a notebook).") from None
