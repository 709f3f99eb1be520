"""Check that a refused call changed nothing: same inventory, no modifying SOAP call.

Shared by the bad-input, fault and guard tests. The SOAP methods are counted by the
Connection (`conn.calls`), so the check does not depend on the server being vcsim.
"""

import contextlib

from vmotion_setup import state

from lablib.connection import READ_ONLY  # noqa: E402  (the SOAP methods that change nothing)


def modifying_calls(conn, before) -> dict:
    """Return {method: count} of the calls since `before` that may change something."""
    return {name: count - before.get(name, 0) for name, count in conn.calls.items()
            if count > before.get(name, 0) and name not in READ_ONLY}


@contextlib.contextmanager
def unchanged(lab):
    """Assert that the block sends no modifying call and leaves the inventory as it was."""
    before_state = state(lab)
    conn = lab.conn
    before_calls = dict(conn.calls)
    yield
    assert lab.conn is conn, "the lab reconnected: a refused call must not"
    sent = modifying_calls(conn, before_calls)
    assert not sent, f"modifying SOAP calls were sent: {sent}"
    after_state = state(lab)
    assert after_state == before_state, f"the inventory changed:\n{before_state}\n{after_state}"
