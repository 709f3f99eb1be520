"""The Lab object a notebook works with, and `connect()`, which returns one.

A Lab is a thin facade over a Session (lablib.session): its methods take objects by
name (or inventory path, managed object id, or managed object) and raise `LabError`
subclasses with short messages in the notebook's language; a server that stopped
answering becomes a `ConnectError` that says what to do.
"""

from __future__ import annotations

import functools
import http.client
from collections.abc import Callable
from typing import Any, TypeVar

from pyVmomi import vim, vmodl

from . import notebook, sim
from .backend import Backend
from .config import LabConfig, Roles, load
from .connection import Connection
from .errors import ConnectError, LabError, Unsupported, error_for_fault
from .facts import Facts, Placement
from .inventory import Inventory
from .session import Session
from .sim import SimState
from .status import LabStatus, lab_status
from .text import Text
from .vmotion import drs, evc, history, maintenance, power
from .vmotion import migrate as migration
from .vmotion import network as vmotion_network

F = TypeVar("F", bound=Callable[..., Any])


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
    if reset and not config.uses_simulator:
        raise Unsupported(Text(
            "reset only rebuilds the embedded simulator; it never touches a real vCenter. "
            "Connect without reset=True.",
            "reset ne reconstruit que le simulateur intégré ; il ne touche jamais un vrai "
            "vCenter. Connectez-vous sans reset=True."))
    sim_state = None
    if config.uses_simulator:
        sim_state = sim.reset(config) if reset else sim.ensure_running(config)
    return Lab(Session(config, sim_state))


def lab_api(method: F) -> F:
    """Turn a lost connection or a stray server fault into a short LabError."""

    @functools.wraps(method)
    def call(self: Lab, *args: Any, **kwargs: Any) -> Any:
        self.conn.begin_operation()
        try:
            return method(self, *args, **kwargs)
        except LabError:
            raise
        except vim.fault.InvalidLogin:  # a simulator reset meanwhile, and not back in time
            raise ConnectError(self._lost_message()) from None
        except vmodl.MethodFault as fault:
            raise error_for_fault(fault, method.__name__) from None
        except (OSError, http.client.HTTPException):
            raise ConnectError(self._lost_message()) from None

    return call  # type: ignore[return-value]


def lab_operation(function: Callable[..., Any]) -> Any:
    """Make an operation of lablib.vmotion a Lab method: same name, arguments and docstring."""

    @functools.wraps(function)
    def method(self: Lab, *args: Any, **kwargs: Any) -> Any:
        return function(self.session, *args, **kwargs)

    return lab_api(method)


class Lab:
    """A connected lab: the target, its inventory, and the operations the course teaches."""

    def __init__(self, session: Session):
        self.session = session

    @property
    def config(self) -> LabConfig:
        """Return the configuration."""
        return self.session.config

    @property
    def conn(self) -> Connection:
        """Return the connection (pyVmomi's `si` and `content` are on it)."""
        return self.session.conn

    @property
    def inventory(self) -> Inventory:
        """Return the inventory reader."""
        return self.session.inventory

    @property
    def facts(self) -> Facts:
        """Return the facts reader (lab.facts.snapshot())."""
        return self.session.facts

    @property
    def backend(self) -> Backend:
        """Return what the server serves: its own vSphere APIs, or lablib's fallback."""
        return self.session.backend

    @property
    def sim_state(self) -> SimState | None:
        """Return the embedded simulator lablib runs, or None on a vCenter."""
        return self.session.sim_state

    @property
    def roles(self) -> Roles:
        """Return the names of the lab's objects (source host, shared datastore, ...)."""
        return self.session.roles

    @property
    def round_trips(self) -> int:
        """Return how many SOAP requests this lab has sent."""
        return self.conn.round_trips

    def __repr__(self) -> str:
        where = self.sim_state.public_url() if self.sim_state else \
            f"{self.conn.target.host}:{self.conn.target.port}"
        return f"<Lab at {where}>"

    @lab_api
    def find(self, kind: str, ref: Any) -> Any:
        """Return the managed object of `kind` ("vm", "host", ...) named by `ref`."""
        return self.session.find(kind, ref)

    def host(self, ref: Any) -> Any:
        """Return a host by name, path, id or object."""
        return self.find("host", ref)

    def vm(self, ref: Any) -> Any:
        """Return a VM by name, path, id or object."""
        return self.find("vm", ref)

    def datastore(self, ref: Any) -> Any:
        """Return a datastore by name, path, id or object."""
        return self.find("datastore", ref)

    def network(self, ref: Any) -> Any:
        """Return a network by name, path, id or object."""
        return self.find("network", ref)

    def cluster(self, ref: Any = None) -> Any:
        """Return a cluster by name (the lab's cluster by default)."""
        return self.find("cluster", ref if ref is not None else self.roles.cluster)

    @lab_api
    def placement(self, vm: Any) -> Placement:
        """Return where a VM is now, read from `runtime.host` and `datastore`."""
        return self.session.placement(vm)

    @lab_api
    def status(self) -> LabStatus:
        """Return the lab status: target, hosts, datastores, VMs and what is missing."""
        return lab_status(self.session)

    # The course's operations (lablib.vmotion); each docstring names govc and PowerCLI.
    enable_vmotion = lab_operation(vmotion_network.enable_vmotion)
    disable_vmotion = lab_operation(vmotion_network.disable_vmotion)
    vmotion_vmks = lab_operation(vmotion_network.vmotion_vmks)
    evc_modes = lab_operation(evc.evc_modes)
    evc_mode = lab_operation(evc.evc_mode)
    configure_evc = lab_operation(evc.configure_evc)
    disable_evc = lab_operation(evc.disable_evc)
    cpu_baseline = lab_operation(evc.cpu_baseline)
    power_on = lab_operation(power.power_on)
    power_off = lab_operation(power.power_off)
    precheck = lab_operation(migration.precheck)
    migrate = lab_operation(migration.migrate)
    enter_maintenance = lab_operation(maintenance.enter_maintenance)
    exit_maintenance = lab_operation(maintenance.exit_maintenance)
    rebalance = lab_operation(drs.rebalance)
    tasks = lab_operation(history.tasks)
    events = lab_operation(history.events)

    @lab_api
    def reset(self) -> Lab:
        """Bring the simulator's lab back to its initial state (simulator only)."""
        self.session.reset()
        return self

    def close(self) -> None:
        """Log out; the simulator keeps running for the other notebooks."""
        self.session.close()

    def _lost_message(self) -> Text:
        if self.config.uses_simulator:
            return Text(
                "The simulator is not answering (stopped, hung, or being reset). Run "
                "`python -m lablib sim reset` in a terminal, then the notebook's first cell "
                "(`lab = lablib.connect()`) again.",
                "Le simulateur ne répond pas (arrêté, bloqué, ou en cours de remise à zéro). "
                "Lancez `python -m lablib sim reset` dans un terminal, puis relancez la "
                "première cellule du notebook (`lab = lablib.connect()`).")
        return Text("vCenter {host} stopped answering. Check the network, then run "
                    "`lab = lablib.connect()` again.", "vCenter {host} ne répond plus. "
                    "Vérifiez le réseau, puis relancez `lab = lablib.connect()`.",
                    host=self.conn.target.host)
