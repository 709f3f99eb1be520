"""Start and stop one vcsim process or container, and tell whether it still runs.

The simulator starts empty (`-dc 0`, docs/vcsim-gaps.md §5) on a loopback port with a per-run
password, in its own session so that it outlives the kernel that started it and serves
every notebook of this user. The kit's own vcsim (docker/go) gets the course's host
profile (`-host-profile`) and, in demo mode, `-vmotion-time`: a relocation of a running VM
then takes that long, its progress rising. Another vcsim (the public image) gets task
delays instead (`-method-delay RelocateVm:N,LockHandoff:0`, docs/vcsim-gaps.md §4(i)).

On a shared class server every student runs one of these next to the others, so nothing
here is global: the port is picked by the kernel, every file (state, password, the
GOVC_URL vcsim writes, its log and its datastore folders) lives in the student's own
state directory with mode 0600/0700, the password never appears on a command line
(other users can read /proc/<pid>/cmdline), and only the student's own processes are
ever recognised as their simulator, let alone stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import tarfile
import time
import urllib.request
from io import BytesIO
from pathlib import Path

from ..config import VCSIM_IMAGE
from ..errors import SimulatorError
from . import files, procs
from .locate import find_tool
from .state import SimState

USER = "lab"
START_TIMEOUT = 30.0
_children: dict[int, subprocess.Popen] = {}  # processes this Python process started


EMPTY = ("-dc", "0")  # no inventory: lablib seeds the lab (docs/vcsim-gaps.md §5)


def simulator_flags(delay_ms: int, password: str, listen: str,
                    model: tuple[str, ...] = EMPTY, kit: Path | None = None,
                    extension: bool = True) -> list[str]:
    """Return the vcsim flags lablib uses.

    Args:
        kit: the host profile file, for the kit's own vcsim (None: another vcsim, such as
            the public image, which takes task delays instead).
        extension: False runs the kit's vcsim as stock vcsim (tests of the fallback).
    """
    flags = ["-l", listen, *model, "-username", USER, "-password", password]
    if kit is None:
        if delay_ms:
            flags += ["-method-delay", f"RelocateVm:{delay_ms},LockHandoff:0"]
        return flags
    if not extension:
        return [*flags, "-lab-extension=false"]
    flags += ["-host-profile", str(kit)]
    if delay_ms:
        flags += ["-vmotion-time", f"{delay_ms}ms"]
    return flags


def has_lab_extension(binary: Path) -> bool:
    """Tell whether `binary` is the kit's vcsim (docker/go), from its usage text."""
    key = (str(binary), binary.stat().st_mtime_ns)
    if key not in _kit_binaries:
        try:
            usage = subprocess.run([str(binary), "-h"], capture_output=True, text=True,
                                   timeout=10, stdin=subprocess.DEVNULL)
            _kit_binaries[key] = "-lab-extension" in usage.stdout + usage.stderr
        except (OSError, subprocess.TimeoutExpired):
            _kit_binaries[key] = False
    return _kit_binaries[key]


_kit_binaries: dict[tuple[str, int], bool] = {}


def launch_binary(binary: Path, state_dir: Path, port: int = 0, delay_ms: int = 0,
                  model: tuple[str, ...] = EMPTY, timeout: float = START_TIMEOUT,
                  profile: dict | None = None, extension: bool = True) -> SimState:
    """Start the vcsim binary and return its state once its SDK answers.

    Args:
        model: vcsim's model flags instead of the empty inventory (e.g. "-vm", "100"),
            which the tests and benchmarks use for large inventories.
        profile: the host profile the kit's vcsim applies to the hosts it sees added
            (lablib.sim.seed.host_profile); ignored by another vcsim.
        extension: False runs the kit's vcsim without its extension, as stock vcsim.
    """
    env_file = state_dir / "vcsim.env"  # vcsim writes GOVC_URL, password included, here
    secret = state_dir / "vcsim.secret"  # vcsim reads the password from this file
    hosts = state_dir / "host-profile.json" if has_lab_extension(binary) else None
    args = [str(binary), "-E", str(env_file),
            *simulator_flags(delay_ms, str(secret), f"127.0.0.1:{port}", model, hosts,
                             extension)]
    try:
        with files.create(env_file):
            pass
        with files.create(secret) as out:
            out.write(secrets.token_urlsafe(12))
        if hosts is not None:
            with files.create(hosts) as out:
                json.dump(profile or {"hosts": {}}, out, indent=1)
        with files.create(state_dir / "vcsim.log", "wb") as log:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    env=_simulator_env(state_dir), start_new_session=True,
                                    close_fds=True)
    except files.Untrusted as exc:
        raise SimulatorError(f"Cannot start the simulator in {state_dir}: {exc}. Keep that "
                             "folder private (chmod 700).") from None
    _children[proc.pid] = proc
    deadline = time.monotonic() + timeout
    while not (files.read_own(env_file) or "").strip():
        if proc.poll() is not None:
            raise SimulatorError(_start_failure(state_dir / "vcsim.log", port))
        if time.monotonic() > deadline:
            terminate_pid(proc.pid)
            raise SimulatorError(f"vcsim did not start within {timeout:g} s. "
                                 f"See {state_dir / 'vcsim.log'}.")
        time.sleep(0.01)
    found = re.search(r"GOVC_URL=(\S+)", files.read_own(env_file) or "")
    if found is None:
        terminate_pid(proc.pid)
        raise SimulatorError(f"vcsim wrote no URL. See {state_dir / 'vcsim.log'}.")
    url = found.group(1)
    return SimState(url=url, mode="binary", pid=proc.pid, port=_port_of(url),
                    relocate_delay_ms=delay_ms, started_at=time.time(), binary=str(binary))


def adopt(pid: int, state_dir: Path) -> SimState | None:
    """Return the state of our running simulator `pid` from its files, or None.

    Used when the state file was deleted while the simulator ran: its URL (password
    included) is in the `-E` file it wrote, its demo delay on its command line.
    """
    try:
        text = files.read_own(state_dir / "vcsim.env") or ""
    except OSError:
        return None
    found = re.search(r"GOVC_URL=(\S+) GOVC_SIM_PID=(\d+)", text)
    if not found or int(found.group(2)) != pid:
        return None
    url = found.group(1)
    args = procs.arguments(pid)
    return SimState(url=url, mode="binary", pid=pid, port=_port_of(url),
                    relocate_delay_ms=_demo_delay(args),
                    started_at=time.time(), binary=procs.executable(pid))


def _demo_delay(args: list[str]) -> int:
    """Return the demo delay (ms) a simulator was started with, from its arguments."""
    def value(flag: str) -> str:
        return args[args.index(flag) + 1] if flag in args[:-1] else ""

    kit = re.fullmatch(r"(\d+)ms", value("-vmotion-time"))
    stock = re.search(r"RelocateVm:(\d+)", value("-method-delay"))
    found = kit or stock
    return int(found.group(1)) if found else 0


def _port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


def _simulator_env(state_dir: Path) -> dict[str, str]:
    """Return vcsim's environment: its datastore folders go in the state directory.

    vcsim keeps its datastores (the VMs' .vmx and disk files) in a `govcsim-*` folder made
    in $TMPDIR; in a shared /tmp those would outlive a killed simulator and sit next to
    every other student's. In the state directory they stay private and are cleaned up.
    """
    home = files.own_dir(state_dir / "vcsim-tmp")
    if not our_pids(state_dir):  # folders left by a killed simulator of this directory
        for left in home.glob("govcsim-*"):
            shutil.rmtree(left, ignore_errors=True)
    return {**os.environ, "TMPDIR": str(home)}


SECRET_IN_CONTAINER = "/tmp/vcsim.secret"  # the image's /tmp belongs to its vcsim user


def launch_docker(state_dir: Path, port: int = 0, delay_ms: int = 0) -> SimState:
    """Start the pinned vcsim image on a loopback port and return its state.

    The container is created, given its password file with `docker cp`, then started, so
    the password is on no command line of the host (`docker run ... -password X` would
    show it to every user in `ps`).
    """
    port = port or free_port()
    password = secrets.token_urlsafe(12)
    name = f"vmotion-lab-{os.getuid()}-{port}"
    create = ["docker", "create", "--rm", "--name", name, "-p", f"127.0.0.1:{port}:8989",
              VCSIM_IMAGE, *simulator_flags(delay_ms, SECRET_IN_CONTAINER, "0.0.0.0:8989")]
    container = _docker(create).stdout.strip()
    try:
        _docker(["docker", "cp", "-", f"{container}:{Path(SECRET_IN_CONTAINER).parent}"],
                _secret_tar(Path(SECRET_IN_CONTAINER).name, password))
        _docker(["docker", "start", container])
        state = SimState(url=f"https://{USER}:{password}@127.0.0.1:{port}/sdk",
                         mode="docker", container=container, port=port,
                         relocate_delay_ms=delay_ms, started_at=time.time())
        wait_until_answering(state)
    except BaseException:
        subprocess.run(["docker", "rm", "-f", container], capture_output=True)
        raise
    return state


def _docker(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(args, input=data, capture_output=True, timeout=120)
    if done.returncode != 0:
        raise SimulatorError(f"Docker could not start {VCSIM_IMAGE} ({args[1]}): "
                             f"{done.stderr.decode(errors='replace').strip()[-300:]}")
    return subprocess.CompletedProcess(args, 0, done.stdout.decode(errors="replace"), "")


def _secret_tar(name: str, password: str) -> bytes:
    """Return a tar holding the password file, readable by the image's non-root user."""
    data = password.encode()
    member = tarfile.TarInfo(name)
    member.size, member.mode, member.mtime = len(data), 0o444, int(time.time())
    buffer = BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.addfile(member, BytesIO(data))
    return buffer.getvalue()


def wait_until_answering(state: SimState, timeout: float = START_TIMEOUT) -> None:
    """Wait until the simulator's /about page answers."""
    url = state.public_url().replace("/sdk", "/about")
    context = ssl._create_unverified_context()
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SimulatorError(f"The simulator at {state.public_url()} did not answer "
                                     f"within {timeout:g} s.") from None
            time.sleep(0.2)


def is_running(state: SimState, state_dir: Path, binaries=None) -> bool:
    """Tell whether the recorded simulator still runs (and is really ours)."""
    if state.mode == "docker":
        done = _run_quietly(["docker", "inspect", "-f", "{{.State.Running}}",
                             state.container])
        return done.stdout.strip() == "true"
    if state.mode == "attached":
        return True
    return is_our_vcsim(state.pid, state_dir, _with_recorded(binaries, state))


def is_our_vcsim(pid: int, state_dir: Path, binaries=None) -> bool:
    """Tell whether `pid` is a vcsim started for `state_dir` (lablib.sim.procs).

    `binaries` are the vcsim executables it may run (by default the one lablib would
    start now). Only this user's processes running such an executable count: another
    student's process, or the student's own `tail -f vcsim.env`, never does.
    """
    return not _ended_child(pid) and procs.is_simulator(pid, state_dir, _or_default(binaries))


def _ended_child(pid: int) -> bool:
    """Tell whether `pid` is a process this Python started that has ended (a zombie)."""
    child = _children.get(pid)
    return child is not None and child.poll() is not None


def our_pids(state_dir: Path, binaries=None) -> list[int]:
    """Return the pids of every vcsim started for `state_dir` that still runs."""
    return [pid for pid in procs.simulators(state_dir, _or_default(binaries))
            if not _ended_child(pid)]


def stop(state: SimState, state_dir: Path, binaries=None) -> None:
    """Stop the recorded simulator; a simulator that is already gone is fine."""
    if state.mode == "docker":
        _run_quietly(["docker", "rm", "-f", state.container])
    elif state.mode == "binary":
        wanted = _with_recorded(binaries, state)
        terminate_pid(state.pid, is_it=lambda pid: is_our_vcsim(pid, state_dir, wanted))


def stop_strays(state_dir: Path, binaries=None) -> int:
    """Stop every vcsim started for `state_dir` that the state file no longer names."""
    wanted = _or_default(binaries)
    return sum(terminate_pid(pid, is_it=lambda p: is_our_vcsim(p, state_dir, wanted))
               for pid in our_pids(state_dir, wanted))


def terminate_pid(pid: int, grace: float = 5.0, is_it=lambda pid: True) -> bool:
    """Stop `pid` if `is_it(pid)` (SIGTERM, SIGKILL after `grace` s); reap it if ours.

    Returns whether it was signalled.
    """
    signalled = procs.terminate(pid, is_it, grace)
    child = _children.pop(pid, None)
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(grace)
    return signalled


def default_binaries() -> tuple[Path, ...]:
    """Return the vcsim lablib would start now (LAB_SIM_BIN, .build/bin, PATH), if any."""
    try:
        found = find_tool("vcsim", os.environ.get("LAB_SIM_BIN", ""))
    except SimulatorError:
        found = None
    return (found,) if found else ()


def _or_default(binaries) -> tuple[Path, ...]:
    return tuple(binaries) if binaries is not None else default_binaries()


def _with_recorded(binaries, state: SimState) -> tuple[Path, ...]:
    recorded = (Path(state.binary),) if state.binary else ()
    return recorded + _or_default(binaries)


def _run_quietly(args: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return subprocess.CompletedProcess(args, 1, "", "")


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Tell whether `port` can be bound on the loopback interface."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _start_failure(log: Path, port: int) -> str:
    try:
        text = (files.read_own(log) or "")[-4000:]
    except OSError:
        text = ""
    if "address already in use" in text:
        return (f"Port {port} is already in use, so the simulator cannot listen there. "
                "Stop what uses it, or let lablib pick a free port (port 0).")
    first = next((line for line in text.splitlines() if line.strip()), "no output")
    return f"vcsim stopped at start: {first[-200:]}. See {log}."
