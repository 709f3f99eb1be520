"""What the server supports, learnt once per connection: which backend lablib uses.

The one place that chooses (docs/design.md §3): a server that lists EVC modes
(`si.capability.supportedEVCMode`) serves the vMotion APIs, as vCenter and the kit's lab
simulator do, and decides every verdict itself; the public vcsim image lists none and
gets lablib's fallback. The answer decides, never a version string or a name.
"""

from __future__ import annotations

from .backend import Backend
from .connection import Connection
from .fallback import FallbackBackend
from .inventory import Inventory


def choose_backend(conn: Connection, inventory: Inventory) -> Backend:
    """Return the backend for this connection, from one read of the server's capability."""
    if conn.si.capability.supportedEVCMode or not conn.is_simulator:
        return Backend(conn, inventory)
    return FallbackBackend(conn, inventory)
