"""Where this user's simulator runs, kept in a state file every kernel and the CLI share.

The file lives in the user's own state directory (never a fixed global path), readable
by the user only, because the URL carries the simulator's per-run password. A lock file
next to it serializes start, stop and reset between processes. The directory is made
private (0700) whenever lablib uses it, and its files are handled by lablib.sim.files:
never through a link, trusted only when they are the user's own.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..config import redact_url
from ..errors import SimulatorError
from . import files


@dataclass
class SimState:
    """One running simulator: where it listens and how it was started."""

    url: str
    mode: str  # "binary", "docker" or "attached"
    pid: int = 0
    container: str = ""
    port: int = 0
    relocate_delay_ms: int = 0
    seeded: bool = False
    started_at: float = 0.0
    binary: str = ""  # the vcsim executable started (mode "binary")

    def public_url(self) -> str:
        """Return the URL without its credentials, for messages and status output."""
        scheme, _, rest = self.url.partition("://")
        return f"{scheme}://{rest.rpartition('@')[2]}"

    def __repr__(self) -> str:  # shown by notebooks (vars(lab)): never the password
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)
                          if f.name != "url")
        return f"SimState(url={redact_url(self.url)!r}, {shown})"

    __str__ = __repr__


def state_file(state_dir: Path) -> Path:
    """Return the path of the state file in `state_dir`."""
    return state_dir / "sim.json"


def read(state_dir: Path) -> SimState | None:
    """Return the recorded simulator, or None when there is none.

    Raises:
        SimulatorError: the file exists but is damaged; the message says how to recover.
    """
    path = state_file(state_dir)
    try:
        text = files.read_own(path)
        if text is None:
            return None
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        known = {f.name for f in fields(SimState)}
        return SimState(**{k: v for k, v in data.items() if k in known})
    except files.Untrusted as exc:
        raise SimulatorError(
            f"The simulator state file {path} is not your own file ({exc}): another user "
            "may have put it there, so lablib did not use it. Run `python -m lablib sim "
            f"reset` to replace it, and keep {state_dir} private (chmod 700).") from None
    except (OSError, ValueError, TypeError) as exc:
        raise SimulatorError(
            f"The simulator state file {path} is damaged ({type(exc).__name__}). "
            "Run `python -m lablib sim reset` to stop the simulator it described and "
            "start a fresh lab.") from None


def write(state_dir: Path, state: SimState) -> None:
    """Record `state` atomically, readable by this user only."""
    ensure_dir(state_dir)
    path = state_file(state_dir)
    tmp = path.with_suffix(".json.tmp")
    with files.create(tmp) as out:
        json.dump(asdict(state), out, indent=1)
    os.replace(tmp, path)


def forget(state_dir: Path) -> None:
    """Delete the state file if it exists."""
    state_file(state_dir).unlink(missing_ok=True)


def ensure_dir(state_dir: Path) -> Path:
    """Create the state directory, private to this user, and refuse someone else's.

    On a shared class server a state directory set to a common path (a shared
    XDG_STATE_HOME, a LAB_STATE_DIR in /tmp) must not let one student use, or plant
    files in, another student's lab: a directory (or a link to one) owned by another user
    is refused, and the user's own directory is made private (0700) if it was not.
    """
    try:
        state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        link = state_dir.lstat()
        info = state_dir.stat()
    except OSError as exc:
        raise SimulatorError(f"Cannot create the lab state directory {state_dir} "
                             f"({exc.strerror}). Set LAB_STATE_DIR to a folder you can "
                             "write to.") from None
    if os.getuid() != info.st_uid or os.getuid() != link.st_uid:  # the folder, or a link to it
        raise SimulatorError(f"The lab state directory {state_dir} belongs to another user. "
                             "Each student needs their own: set LAB_STATE_DIR to a folder in "
                             "your home (or unset it to use ~/.local/state/vmotion-lab).")
    if not stat.S_ISDIR(info.st_mode):
        raise SimulatorError(f"The lab state directory {state_dir} is not a folder. Set "
                             "LAB_STATE_DIR to a folder of yours.")
    if info.st_mode & 0o077:  # others could read the password, or plant files
        os.chmod(state_dir, 0o700)
    return state_dir


@contextlib.contextmanager
def locked(state_dir: Path):
    """Hold this user's simulator lock (blocks while another process holds it)."""
    ensure_dir(state_dir)
    with files.open_shared(state_dir / "sim.lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
