"""Which vSphere methods the server has, learnt from its answers and kept per connection.

lablib calls the real API first. A server that answers `vmodl.fault.MethodNotFound`
(or, for the vMotion nic type of QueryNetConfig, `InvalidArgument`) lacks that API:
on the simulator lablib then uses its emulation (lablib.sim.emulation) and remembers
the answer for the rest of the session, so the next call goes straight to it
(DESIGN.md §3.1; vcsim-gaps.md §3: probe by calling, never from a version string).
On a real vCenter nothing is emulated: a missing method is an `Unsupported` error.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

from pyVmomi import vmodl

from ..errors import Unsupported
from ..tasks import fault_text

T = TypeVar("T")
MISSING = (vmodl.fault.MethodNotFound,)

_answers: "weakref.WeakKeyDictionary[object, dict[str, bool]]" = weakref.WeakKeyDictionary()


def known(conn, method: str) -> bool | None:
    """Return whether the server has `method`, or None when it was not called yet."""
    return _answers.get(conn, {}).get(method)


def call(conn, method: str, real: Callable[[], T], emulate: Callable[[], T],
         missing: tuple = MISSING) -> tuple[T, bool]:
    """Run `real()`, or `emulate()` on a simulator that lacks `method`.

    Args:
        conn: the Connection; answers are kept per connection.
        method: the vSphere method `real` calls (the key of the answer).
        real: the call to the server.
        emulate: the simulator's stand-in (lablib.sim.emulation).
        missing: the faults that mean "this server has no such API".

    Returns:
        (value, emulated): what `real` or `emulate` returned, and which one ran.

    Raises:
        Unsupported: a real vCenter lacks the method (nothing is emulated there).
    """
    if known(conn, method) is not False:
        try:
            value = real()
        except missing as fault:
            if conn.backend != "vcsim":
                raise Unsupported(
                    f"{conn.about.fullName} has no {method} ({fault_text(fault)}). lablib "
                    "emulates missing vSphere APIs only on the simulator.") from None
            _answers.setdefault(conn, {})[method] = False
        else:
            _answers.setdefault(conn, {})[method] = True
            return value, False
    return emulate(), True
