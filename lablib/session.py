"""The context every lab operation takes: one target, its inventory, facts and backend.

A Session is what lablib.vmotion's operations work on (the `Lab` a notebook holds is a
thin facade over one). It has the backend chosen once per connection
(lablib.capabilities: the server's own vSphere APIs, or lablib.fallback on the public
vcsim image), knows
whether the scope guard applies, and follows the embedded simulator when another
notebook or a terminal resets it.
"""

from __future__ import annotations

import time
from typing import Any

from . import scope, sim
from .capabilities import choose_backend
from .config import LabConfig, Roles
from .connection import Target, open_connection
from .errors import SimulatorError, Unsupported
from .facts import Facts, Placement
from .inventory import Inventory
from .sim import SimState
from .text import Text

FOLLOW_WAIT = 10.0  # seconds to wait for a reset made elsewhere to finish


class Session:
    """A connected target: configuration, connection, inventory, facts and backend."""

    def __init__(self, config: LabConfig, sim_state: SimState | None = None):
        self.config = config
        self.sim_state = sim_state
        self._open()

    def _open(self) -> None:
        relocate = self._relocate if self.sim_state is not None else None
        self.conn = open_connection(self.config, self.sim_state, relocate)
        self.inventory = Inventory(self.conn)
        self.backend = choose_backend(self.conn, self.inventory)
        self.facts = Facts(self.inventory, self.backend)

    @property
    def roles(self) -> Roles:
        """Return the names of the lab's objects (source host, shared datastore, ...)."""
        return self.config.roles

    @property
    def guarded(self) -> bool:
        """Tell whether the scope guard applies: everywhere but a simulator lablib runs."""
        return not (self.sim_state is not None and self.conn.is_simulator)

    def check_change(self, action: str, *objects: Any) -> None:
        """Refuse, before any change, an action outside the lab scope (docs/design.md §8)."""
        if self.guarded:
            scope.check_change(self, action, *objects)

    def find(self, kind: str, ref: Any) -> Any:
        """Return the managed object of `kind` ("vm", "host", ...) named by `ref`."""
        return self.inventory.find(kind, ref)

    def host(self, ref: Any) -> Any:
        """Return a host by name, path, id or object."""
        return self.find("host", ref)

    def vm(self, ref: Any) -> Any:
        """Return a VM by name, path, id or object."""
        return self.find("vm", ref)

    def cluster(self, ref: Any = None) -> Any:
        """Return a cluster by name (the lab's cluster by default)."""
        return self.find("cluster", ref if ref is not None else self.roles.cluster)

    def placement(self, vm: Any) -> Placement:
        """Return where a VM is now (read from the VM itself)."""
        return self.facts.placement(self.vm(vm))

    def reset(self) -> None:
        """Rebuild the simulator's initial lab and reconnect (a simulator lablib runs only)."""
        if not self.config.uses_simulator:
            raise Unsupported(Text(
                "reset only rebuilds the embedded simulator; it never touches a real vCenter. "
                "Undo your changes in the vSphere Client.",
                "reset ne reconstruit que le simulateur intégré ; il ne touche jamais un vrai "
                "vCenter. Annulez vos changements dans le vSphere Client."))
        self.conn.close()
        self.sim_state = sim.reset(self.config)
        self._open()

    def close(self) -> None:
        """Log out; the simulator keeps running for the other notebooks."""
        self.conn.close()

    def _relocate(self) -> Target | None:
        """Return where the user's simulator runs now, if a reset elsewhere moved it."""
        deadline = time.monotonic() + FOLLOW_WAIT
        while True:
            try:
                current = sim.status(self.config)
            except SimulatorError:
                current = None
            if current is not None and current.running and current.state is not None:
                if self.sim_state is not None and current.state.url == self.sim_state.url:
                    return None
                self.sim_state = current.state
                return Target.from_url(current.state.url)
            if time.monotonic() > deadline:
                return None
            time.sleep(0.2)  # a reset elsewhere takes about a second
