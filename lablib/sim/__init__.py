"""The embedded simulator: start, stop, status and reset, shared by every kernel.

Everything that exists only because the target is vcsim lives in this package: finding
and running vcsim (locate, runner, state), building the lab inventory (seed), keeping
what vcsim cannot hold (overlay) and the vCenter rules lablib applies in its place
(emulation). Nothing here runs against a real vCenter.

The simulator of a user is described by a state file in that user's state directory,
so every notebook kernel and `python -m lablib sim ...` reuse the same one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ..config import LabConfig
from ..errors import LabError, SimulatorError
from . import runner, state
from .locate import find_simulator, find_tool
from ..tasks import wait
from .seed import seed
from .state import SimState

__all__ = ["SimState", "Status", "ensure_running", "start", "stop", "status", "reset"]


@dataclass(frozen=True)
class Status:
    """What `python -m lablib sim status` reports."""

    running: bool
    state: SimState | None
    note: str = ""

    def __str__(self) -> str:
        if not self.running:
            return f"The simulator is not running. {self.note}".strip()
        st = self.state
        where = f"pid {st.pid}" if st.mode == "binary" else (st.container[:12] or st.mode)
        delay = f", migrations take {st.relocate_delay_ms} ms (demo mode)" \
            if st.relocate_delay_ms else ""
        return f"The simulator runs at {st.public_url()} ({st.mode}, {where}){delay}."


def ensure_running(config: LabConfig) -> SimState:
    """Return the user's seeded simulator, starting and seeding it if needed."""
    directory = config.state_dir
    with state.locked(directory):
        current = state.read(directory)
        if current and current.mode != "attached" and current.seeded \
                and runner.is_running(current, directory, _binaries(config)):
            return current
        # A simulator lablib did not start may have been restarted empty: check it each time.
        port = current.port if current else 0
        delay = current.relocate_delay_ms if current else config.sim.relocate_delay_ms
        if current:
            runner.stop(current, directory, _binaries(config))
            state.forget(directory)
        return _start(config, port, delay)


def start(config: LabConfig, delay_ms: int | None = None) -> tuple[SimState, bool]:
    """Start and seed the simulator unless one runs; return (state, started now)."""
    directory = config.state_dir
    with state.locked(directory):
        current = state.read(directory)
        wanted = config.sim.relocate_delay_ms if delay_ms is None else delay_ms
        if current and runner.is_running(current, directory, _binaries(config)) and current.seeded:
            if current.mode == "attached" or current.relocate_delay_ms == wanted:
                return current, False
        if current:
            runner.stop(current, directory, _binaries(config))
            state.forget(directory)
        return _start(config, current.port if current else 0, wanted), True


def stop(config: LabConfig) -> bool:
    """Stop the user's simulator; return whether one was running."""
    directory = config.state_dir
    with state.locked(directory):
        try:
            current = state.read(directory)
        except SimulatorError:  # a damaged file: stop whatever it may have described
            current = None
        was_running = bool(current and runner.is_running(current, directory, _binaries(config)))
        if current:
            runner.stop(current, directory, _binaries(config))
        strays = runner.stop_strays(directory, _binaries(config))
        state.forget(directory)
        return was_running or strays > 0


def status(config: LabConfig) -> Status:
    """Report whether the user's simulator runs, and where."""
    directory = config.state_dir
    current = state.read(directory)
    if current is None:
        return Status(False, None, "It starts by itself on lablib.connect(), "
                                   "or run `python -m lablib sim start`.")
    if not runner.is_running(current, directory, _binaries(config)):
        return Status(False, current, "It was stopped or killed; lablib.connect() "
                                      "starts a fresh one.")
    return Status(True, current)


def reset(config: LabConfig, delay_ms: int | None = None) -> SimState:
    """Bring the lab back to its initial inventory (a fresh simulator on the same port)."""
    directory = config.state_dir
    with state.locked(directory):
        try:
            current = state.read(directory)
        except SimulatorError:
            current = None
            runner.stop_strays(directory, _binaries(config))
        wanted = config.sim.relocate_delay_ms if delay_ms is None else delay_ms
        if current and current.mode != "attached":
            wanted = current.relocate_delay_ms if delay_ms is None else delay_ms
            runner.stop(current, directory, _binaries(config))
        state.forget(directory)
        return _start(config, current.port if current else 0, wanted, rebuild=True)


def _start(config: LabConfig, port: int, delay_ms: int, rebuild: bool = False) -> SimState:
    directory = state.ensure_dir(config.state_dir)
    launcher = find_simulator(config)
    if launcher.mode == "attached":
        new = SimState(url=launcher.url, mode="attached", started_at=time.time())
        _seed_attached(new, config, rebuild)
    else:
        if port and not runner.port_is_free(port):
            port = 0  # the old port was taken meanwhile; the state file gives the new one
        try:
            new = _launch(launcher, directory, port, delay_ms)
        except SimulatorError:
            if not port:
                raise
            # On a class server another student's simulator may take the old port between
            # the check and the bind: any free port will do (kernels follow the state file).
            new = _launch(launcher, directory, 0, delay_ms)
        try:
            _seed_new(new, config)
        except BaseException:
            runner.stop(new, directory)
            raise
    new = replace(new, seeded=True)
    state.write(directory, new)
    return new


def _binaries(config: LabConfig) -> tuple:
    """Return the vcsim executable this configuration starts, if there is one."""
    try:
        found = find_tool("vcsim", config.sim.binary)
    except SimulatorError:  # a wrong LAB_SIM_BIN: said when starting, not when stopping
        found = None
    return (found,) if found else ()


def _launch(launcher, directory, port: int, delay_ms: int) -> SimState:
    if launcher.mode == "binary":
        return runner.launch_binary(launcher.binary, directory, port, delay_ms)
    return runner.launch_docker(directory, port, delay_ms)


def _connect(st: SimState):
    from ..connection import Connection, Target  # lablib.connection imports this package

    return Connection(Target.from_url(st.url))


def _seed_new(st: SimState, config: LabConfig) -> None:
    conn = _connect(st)
    try:
        seed(conn, config.roles)
    except LabError:
        raise
    except Exception as exc:
        raise SimulatorError(f"Building the lab inventory failed: {exc}. "
                             "Run `python -m lablib sim reset`.") from exc
    finally:
        conn.close()


def _seed_attached(st: SimState, config: LabConfig, rebuild: bool = False) -> None:
    """Seed a simulator lablib did not start (for example Docker Compose's)."""
    conn = _connect(st)
    try:
        if conn.backend != "vcsim":
            raise SimulatorError("LAB_SIM_URL points at a real vCenter. Set LAB_BACKEND="
                                 "vcenter and LAB_HOST instead; lablib never seeds a vCenter.")
        existing = {dc.name: dc for dc in conn.content.rootFolder.childEntity}
        if config.roles.datacenter in existing:
            if not rebuild:
                return
            # A simulator lablib cannot restart is reset by rebuilding its inventory.
            wait(conn, existing.pop(config.roles.datacenter).Destroy_Task())
        if existing:
            raise SimulatorError(
                f"The simulator at LAB_SIM_URL already holds {', '.join(existing)}. Start "
                "it empty (vcsim -dc 0), as docker/compose.yaml does, so lablib can seed it.")
        seed(conn, config.roles)
    finally:
        conn.close()
