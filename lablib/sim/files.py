"""Files in a state directory: made fresh, never opened through a link, trusted if ours.

On a class server a state directory may have been open to other users for a while (a
`chmod -R 777 ~`, a LAB_STATE_DIR in /tmp). Whatever they planted there must never be
followed or believed: a symbolic link named `vcsim.log` would have the next `sim reset`
truncate the file it points to, and a `sim.json` of theirs would send the student's lab to
their server. So every file is opened with O_NOFOLLOW, files lablib writes are created anew
with O_EXCL (after removing whatever had the name), and a file lablib reads is trusted only
if `fstat` on the open descriptor says it is this user's own regular file: no window
between a check and the open.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class Untrusted(OSError):
    """A file that is not this user's own regular file (a link, another user's file)."""


def create(path: Path, mode: str = "w"):
    """Create `path` anew, readable and writable by this user only (0600); return it open.

    Whatever had the name before (a file, a link planted by someone else) is removed,
    not followed.
    """
    with_name_removed(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o600)
    os.fchmod(fd, 0o600)  # whatever the umask
    return os.fdopen(fd, mode)


def open_shared(path: Path):
    """Open `path` for appending and locking without emptying it (the lock file).

    Every process must lock the same file, so an existing one is kept when it is this
    user's own regular file, and replaced otherwise.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o600)
        trusted_fd(fd, path)
    except OSError:
        with_name_removed(path)
        fd = os.open(path, flags | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "a")


def read_own(path: Path) -> str | None:
    """Return the text of `path`, or None when it does not exist.

    Raises:
        Untrusted: the file is a link, not a regular file, or not this user's.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if os.path.islink(path):
            raise Untrusted(f"{path.name} is a link") from None
        raise exc
    with os.fdopen(fd, "rb") as file:
        trusted_fd(file.fileno(), path)
        return file.read(1 << 20).decode("utf-8", errors="replace")


def trusted_fd(fd: int, path: Path) -> None:
    """Raise Untrusted unless `fd` is this user's own regular file with one name."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise Untrusted(f"{path.name} is not a regular file")
    if info.st_uid != os.getuid():
        raise Untrusted(f"{path.name} belongs to uid {info.st_uid}")
    if info.st_nlink != 1:  # a hard link to a file elsewhere
        raise Untrusted(f"{path.name} has {info.st_nlink} names")


def own_dir(path: Path) -> Path:
    """Make `path` this user's own private folder, replacing a link or a stranger's entry."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and not (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()):
        with_name_removed(path)
        info = None
    if info is None:
        os.mkdir(path, 0o700)
    os.chmod(path, 0o700, follow_symlinks=False)
    return path


def with_name_removed(path: Path) -> None:
    """Remove the entry `path` (a file or a link, never what a link points to)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        try:
            os.rmdir(path)
        except OSError:
            raise Untrusted(f"{path} is a folder lablib did not make; remove it") from None
    else:
        os.unlink(path)
