"""Start and stop one vcsim process or container, and tell whether it still runs.

The simulator starts empty (`-dc 0`, vcsim-gaps.md §5) on a loopback port with a per-run
password, in its own session so that it outlives the kernel that started it and serves
every notebook of this user. Task delays (`-method-delay RelocateVm:N,LockHandoff:0`,
vcsim-gaps.md §4(i)) make migrations take visible time in demo mode.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

from ..config import VCSIM_IMAGE
from ..errors import SimulatorError
from .state import SimState

USER = "lab"
START_TIMEOUT = 30.0
_children: dict[int, subprocess.Popen] = {}  # processes this Python process started


EMPTY = ("-dc", "0")  # no inventory: lablib seeds the lab (vcsim-gaps.md §5)


def simulator_flags(delay_ms: int, password: str, listen: str,
                    model: tuple[str, ...] = EMPTY) -> list[str]:
    """Return the vcsim flags lablib uses, the same for the binary and the image."""
    flags = ["-l", listen, *model, "-username", USER, "-password", password]
    if delay_ms:
        flags += ["-method-delay", f"RelocateVm:{delay_ms},LockHandoff:0"]
    return flags


def launch_binary(binary: Path, state_dir: Path, port: int = 0, delay_ms: int = 0,
                  model: tuple[str, ...] = EMPTY) -> SimState:
    """Start the vcsim binary and return its state once its SDK answers.

    `model` replaces the empty inventory with vcsim's model flags (e.g. "-vm", "100"),
    which the tests and benchmarks use for large inventories.
    """
    env_file = state_dir / "vcsim.env"
    env_file.write_text("")
    secret = state_dir / "vcsim.secret"
    password = secrets.token_urlsafe(12)
    fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(password)
    args = [str(binary), "-E", str(env_file),
            *simulator_flags(delay_ms, str(secret), f"127.0.0.1:{port}", model)]
    with open(state_dir / "vcsim.log", "wb") as log:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True, close_fds=True)
    _children[proc.pid] = proc
    deadline = time.monotonic() + START_TIMEOUT
    while not env_file.read_text().strip():
        if proc.poll() is not None:
            raise SimulatorError(_start_failure(state_dir / "vcsim.log", port))
        if time.monotonic() > deadline:
            terminate_pid(proc.pid)
            raise SimulatorError(f"vcsim did not start within {START_TIMEOUT:g} s. "
                                 f"See {state_dir / 'vcsim.log'}.")
        time.sleep(0.01)
    url = re.search(r"GOVC_URL=(\S+)", env_file.read_text()).group(1)
    return SimState(url=url, mode="binary", pid=proc.pid, port=int(url.rsplit(":", 1)[1]
                    .split("/")[0]), relocate_delay_ms=delay_ms, started_at=time.time())


def launch_docker(state_dir: Path, port: int = 0, delay_ms: int = 0) -> SimState:
    """Start the pinned vcsim image on a loopback port and return its state."""
    port = port or free_port()
    password = secrets.token_urlsafe(12)
    name = f"vmotion-lab-{os.getuid()}-{port}"
    args = ["docker", "run", "-d", "--rm", "--name", name, "-p", f"127.0.0.1:{port}:8989",
            VCSIM_IMAGE, *simulator_flags(delay_ms, password, "0.0.0.0:8989")]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SimulatorError(f"Docker could not start {VCSIM_IMAGE}: "
                             f"{done.stderr.strip()[-300:]}")
    state = SimState(url=f"https://{USER}:{password}@127.0.0.1:{port}/sdk", mode="docker",
                     container=done.stdout.strip(), port=port, relocate_delay_ms=delay_ms,
                     started_at=time.time())
    wait_until_answering(state)
    return state


def wait_until_answering(state: SimState, timeout: float = START_TIMEOUT) -> None:
    """Wait until the simulator's /about page answers."""
    url = state.public_url().replace("/sdk", "/about")
    context = ssl._create_unverified_context()  # noqa: S323  (own simulator on loopback)
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


def is_running(state: SimState, state_dir: Path) -> bool:
    """Tell whether the recorded simulator still runs (and is really ours)."""
    if state.mode == "docker":
        done = subprocess.run(["docker", "inspect", "-f", "{{.State.Running}}",
                               state.container], capture_output=True, text=True)
        return done.stdout.strip() == "true"
    if state.mode == "attached":
        return True
    return is_our_vcsim(state.pid, state_dir)


def is_our_vcsim(pid: int, state_dir: Path) -> bool:
    """Tell whether `pid` is a vcsim started for `state_dir` (guards against reused PIDs)."""
    child = _children.get(pid)
    if child is not None and child.poll() is not None:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return str(state_dir / "vcsim.env").encode() in cmdline


def stop(state: SimState, state_dir: Path) -> None:
    """Stop the recorded simulator; a simulator that is already gone is fine."""
    if state.mode == "docker":
        subprocess.run(["docker", "rm", "-f", state.container], capture_output=True)
    elif state.mode == "binary" and is_our_vcsim(state.pid, state_dir):
        terminate_pid(state.pid)


def stop_strays(state_dir: Path) -> int:
    """Stop every vcsim started for `state_dir` that the state file no longer names."""
    stopped = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and is_our_vcsim(int(entry.name), state_dir):
            terminate_pid(int(entry.name))
            stopped += 1
    return stopped


def terminate_pid(pid: int, grace: float = 5.0) -> None:
    """Ask a process to stop, then kill it after `grace` seconds; reap it if it is ours."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    child = _children.pop(pid, None)
    if child is not None:
        try:
            child.wait(grace)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return
    deadline = time.monotonic() + grace
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    if Path(f"/proc/{pid}").exists():
        os.kill(pid, signal.SIGKILL)


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
    text = log.read_text(errors="replace")[-4000:]
    if "address already in use" in text:
        return (f"Port {port} is already in use, so the simulator cannot listen there. "
                "Stop what uses it, or let lablib pick a free port (port 0).")
    first = next((line for line in text.splitlines() if line.strip()), "no output")
    return f"vcsim stopped at start: {first[-200:]}. See {log}."
