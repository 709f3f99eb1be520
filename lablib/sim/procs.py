"""Which running processes are this user's simulators, told by their executable.

A process is the simulator of a state directory only if all of these hold: it runs as this
user, its executable (/proc/PID/exe) is a vcsim binary lablib launches, and it was started
with `-E <state_dir>/vcsim.env` as its first arguments (the order lablib uses). The
student's `tail -f vcsim.env` in a terminal, or another user's process that names the
folder, is never taken for it, let alone signalled. Signals go through a pidfd opened
before the check, so a PID reused in between is never hit.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
from collections.abc import Iterable
from pathlib import Path

_DELETED = " (deleted)"  # the binary was rebuilt (make sim-tools) while it ran


def executable(pid: int) -> str:
    """Return the path of the program `pid` runs ("" when it cannot be read)."""
    try:
        path = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""
    return path[:-len(_DELETED)] if path.endswith(_DELETED) else path


def arguments(pid: int) -> list[str]:
    """Return the command line of `pid` ([] when it cannot be read)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [a.decode(errors="replace") for a in raw.split(b"\0")[:-1]]


def is_simulator(pid: int, state_dir: Path, binaries: Iterable[Path]) -> bool:
    """Tell whether `pid` is this user's vcsim, one of `binaries`, started for `state_dir`."""
    try:
        if Path(f"/proc/{pid}").stat().st_uid != os.getuid():
            return False
    except OSError:
        return False
    wanted = {os.path.realpath(b) for b in binaries if b}
    if executable(pid) not in wanted:
        return False
    return arguments(pid)[1:3] == ["-E", str(state_dir / "vcsim.env")]


def simulators(state_dir: Path, binaries: Iterable[Path]) -> list[int]:
    """Return the pids of this user's simulators started for `state_dir`."""
    binaries = tuple(binaries)
    return [int(entry.name) for entry in Path("/proc").iterdir()
            if entry.name.isdigit() and is_simulator(int(entry.name), state_dir, binaries)]


def terminate(pid: int, is_it, grace: float = 5.0) -> bool:
    """Stop `pid` if `is_it(pid)` holds (SIGTERM, then SIGKILL after `grace` s).

    Returns whether it was signalled. The pidfd is opened before the check: if the process
    ended and its PID was reused meanwhile, the signal goes nowhere.
    """
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return False
    except (AttributeError, OSError):  # an old kernel: plain kill after the check
        pidfd = None
    try:
        if not is_it(pid):
            return False
        if not _send(pid, pidfd, signal.SIGTERM):
            return False
        if not _ended(pid, pidfd, grace):
            _send(pid, pidfd, signal.SIGKILL)
            _ended(pid, pidfd, grace)
        return True
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _send(pid: int, pidfd: int | None, sig: int) -> bool:
    try:
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _ended(pid: int, pidfd: int | None, timeout: float) -> bool:
    """Wait up to `timeout` s for `pid` to end (or become a zombie); tell whether it did."""
    if pidfd is not None:
        return bool(select.select([pidfd], [], [], timeout)[0])
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] == "Z":
                return True
        if not Path(f"/proc/{pid}").exists():
            return True
        time.sleep(0.02)
    return False
