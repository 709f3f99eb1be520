"""The Lab object a notebook works with: one target, found by name, read in listings.

`lablib.connect()` returns a Lab. Its methods take objects by name (or inventory path,
managed object id, or managed object) and raise `LabError` subclasses with short
messages; a dropped connection or a stopped simulator becomes a `ConnectError` that
says what to do.
"""

from __future__ import annotations

import functools
import http.client
from dataclasses import dataclass

from pyVmomi import vim, vmodl

from .config import LabConfig
from .errors import ConnectError, LabError, NotFoundError, TaskFailed, Unsupported
from .facts import Facts
from .inventory import Inventory
from .status import LabStatus, lab_status
from .tasks import fault_text
from .vmotion import drs, evc, history, maintenance, power
from .vmotion import migrate as migration
from .vmotion import network as vmotion_network


_SIMULATOR_MAY_HAVE_MOVED = (OSError, http.client.HTTPException, vim.fault.InvalidLogin,
                             vim.fault.NotAuthenticated)


def lab_api(method):
    """Turn connection losses and stray server faults into short LabErrors."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            try:
                return method(self, *args, **kwargs)
            except _SIMULATOR_MAY_HAVE_MOVED:
                # Another kernel may have reset the simulator: it runs with a new password,
                # maybe on a new port. Follow it.
                if not self._follow_simulator():
                    raise
                return method(self, *args, **kwargs)
        except LabError:
            raise
        except vmodl.fault.ManagedObjectNotFound as fault:
            raise NotFoundError(f"An object given to {method.__name__} no longer exists "
                                f"({fault_text(fault)}). Look it up again by name.") from None
        except vmodl.MethodFault as fault:
            raise TaskFailed(f"The server refused {method.__name__}: {fault_text(fault)}",
                             fault) from None
        except (OSError, http.client.HTTPException):
            raise ConnectError(self._lost_message()) from None

    return call


def lab_operation(function):
    """Make a lablib.vmotion function a Lab method: same name, arguments and docstring."""

    @functools.wraps(function)
    def method(self, *args, **kwargs):
        return function(self, *args, **kwargs)

    return lab_api(method)


@dataclass(frozen=True)
class Placement:
    """Where a VM is: its host, datastores and power state."""

    vm: str
    host: str
    datastores: tuple[str, ...]
    power_state: str

    def __str__(self) -> str:
        return (f"{self.vm} runs on {self.host} ({self.power_state}); "
                f"files on {', '.join(self.datastores) or 'no datastore'}")


class Lab:
    """A connected lab: the target, its inventory, and the operations the course teaches."""

    def __init__(self, config: LabConfig, conn, sim_state=None):
        self.config = config
        self.sim_state = sim_state
        self._set_connection(conn)

    @property
    def backend(self) -> str:
        """Return "vcsim" or "vcenter", from the server's About info."""
        return self.conn.backend

    @property
    def roles(self):
        """Return the names of the lab's objects (source host, shared datastore, ...)."""
        return self.config.roles

    @property
    def round_trips(self) -> int:
        """Return how many SOAP requests this lab has sent."""
        return self.conn.round_trips

    def __repr__(self) -> str:
        where = self.sim_state.public_url() if self.sim_state else \
            f"{self.conn.target.host}:{self.conn.target.port}"
        return f"<Lab {self.backend} at {where}>"

    @lab_api
    def find(self, kind: str, ref):
        """Return the managed object of `kind` ("vm", "host", ...) named by `ref`."""
        return self.inventory.find(kind, ref)

    def host(self, ref):
        """Return a host by name, path, id or object."""
        return self.find("host", ref)

    def vm(self, ref):
        """Return a VM by name, path, id or object."""
        return self.find("vm", ref)

    def datastore(self, ref):
        """Return a datastore by name, path, id or object."""
        return self.find("datastore", ref)

    def network(self, ref):
        """Return a network by name, path, id or object."""
        return self.find("network", ref)

    def cluster(self, ref=None):
        """Return a cluster by name (the lab's cluster by default)."""
        return self.find("cluster", ref if ref is not None else self.roles.cluster)

    @lab_api
    def placement(self, vm) -> Placement:
        """Return where a VM is now, read from `runtime.host` and `datastore`.

        vcsim leaves stale back-references in `host.vm` after a relocation, so placement
        is always read from the VM itself (vcsim-gaps.md §4(c)).
        """
        obj = self.vm(vm)
        row = self.inventory.retrieve_one(obj, ["name", "runtime.host", "datastore",
                                                "runtime.powerState"])
        return Placement(row["name"], row["runtime.host"].name,
                         tuple(sorted(ds.name for ds in row.get("datastore", []))),
                         row["runtime.powerState"])

    @lab_api
    def status(self) -> LabStatus:
        """Return the lab status: target, hosts, datastores, VMs and what is missing."""
        return lab_status(self)

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
    def reset(self) -> "Lab":
        """Bring the simulator's lab back to its initial state (simulator only)."""
        if self.config.backend != "simulator":
            raise Unsupported("reset only rebuilds the embedded simulator; it never "
                              "touches a real vCenter. Undo your changes in the vSphere Client.")
        from . import sim

        self.conn.close()
        self.sim_state = sim.reset(self.config)
        self._set_connection(self._reconnect())
        return self

    def _reconnect(self):
        from .session import open_connection

        return open_connection(self.config, self.sim_state)

    def _follow_simulator(self) -> bool:
        """Reconnect if the simulator now runs elsewhere; tell whether it did."""
        if self.config.backend != "simulator" or self.sim_state is None:
            return False
        from . import sim

        current = sim.status(self.config)
        if not current.running or current.state.url == self.sim_state.url:
            return False
        self.sim_state = current.state
        self._set_connection(self._reconnect())
        return True

    def _set_connection(self, conn) -> None:
        self.conn = conn
        self.inventory = Inventory(conn)
        self.facts = Facts(self.inventory)

    def close(self) -> None:
        """Log out; the simulator keeps running for the other notebooks."""
        self.conn.close()

    def _lost_message(self) -> str:
        if self.config.backend == "simulator":
            return ("The simulator stopped answering (it was stopped or killed). Run "
                    "`lab = lablib.connect()` again: it starts a fresh, seeded simulator.")
        return (f"vCenter {self.conn.target.host} stopped answering. Check the network, "
                "then run `lab = lablib.connect()` again.")
