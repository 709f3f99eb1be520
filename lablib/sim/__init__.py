"""The embedded simulator: start, stop, status and reset, shared by every kernel.

Everything that exists only because the target is vcsim lives in this package: finding
and running vcsim (locate, runner, procs, state, files), building the lab inventory with
the course's host profile (seed), seeding and resetting a simulator lablib did not start
(attached). Nothing here runs against a real vCenter.

The simulator of a user is described by a state file in that user's state directory,
so every notebook kernel and `python -m lablib sim ...` reuse the same one. A simulator
of the user that runs without a state file (the file was deleted) is adopted, never
left running next to a second one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ..config import LabConfig
from ..errors import LabError, SimulatorError
from . import attached, runner, state
from .locate import find_simulator, find_tool
from .seed import host_profile, seed
from .state import SimState

__all__ = ["SimState", "Status", "ensure_running", "reset", "start", "status", "stop"]


@dataclass(frozen=True)
class Status:
    """What `python -m lablib sim status` reports."""

    running: bool
    state: SimState | None
    note: str = ""

    def __str__(self) -> str:
        st = self.state
        if not self.running or st is None:
            return f"The simulator is not running. {self.note}".strip()
        where = f"pid {st.pid}" if st.mode == "binary" else (st.container[:12] or st.mode)
        delay = f", migrations take {st.relocate_delay_ms} ms (demo mode)" \
            if st.relocate_delay_ms else ""
        return f"The simulator runs at {st.public_url()} ({st.mode}, {where}){delay}."


def ensure_running(config: LabConfig) -> SimState:
    """Return the user's seeded simulator, starting and seeding it if needed."""
    directory = config.state_dir
    with state.locked(directory):
        current = _recorded(config)
        if current and current.mode != "attached" and current.seeded \
                and _matches(current, config) and _runs(current, config):
            return current
        # A simulator lablib did not start may have been restarted empty: check it each time.
        port = current.port if current and current.mode != "attached" else 0
        delay = current.relocate_delay_ms if current else config.sim.relocate_delay_ms
        _drop(current, config)
        return _start(config, port, delay)


def start(config: LabConfig, delay_ms: int | None = None) -> tuple[SimState, bool]:
    """Start and seed the simulator unless one runs; return (state, started now)."""
    directory = config.state_dir
    with state.locked(directory):
        current = _recorded(config)
        wanted = config.sim.relocate_delay_ms if delay_ms is None else delay_ms
        if (current and current.seeded and _matches(current, config) and _runs(current, config)
                and (current.mode == "attached" or current.relocate_delay_ms == wanted)):
            return current, False
        _drop(current, config)
        port = current.port if current and current.mode != "attached" else 0
        return _start(config, port, wanted), True


def stop(config: LabConfig) -> bool:
    """Stop the user's simulator; return whether one was running."""
    directory = config.state_dir
    with state.locked(directory):
        try:
            current = state.read(directory)
        except SimulatorError:  # a damaged file: stop whatever it may have described
            current = None
        was_running = bool(current and current.mode != "attached" and _runs(current, config))
        if current:
            runner.stop(current, directory, _binaries(config))
        strays = runner.stop_strays(directory, _binaries(config))
        state.forget(directory)
        return was_running or strays > 0


def status(config: LabConfig) -> Status:
    """Report whether the user's simulator runs, and where."""
    directory = config.state_dir
    with state.locked(directory):
        current = _recorded(config)
    if current is None:
        return Status(False, None, "It starts by itself on lablib.connect(), "
                                   "or run `python -m lablib sim start`.")
    if not _runs(current, config):
        return Status(False, current, "It was stopped or killed; lablib.connect() "
                                      "starts a fresh one.")
    return Status(True, current)


def reset(config: LabConfig, delay_ms: int | None = None) -> SimState:
    """Bring the lab back to its initial inventory (a fresh simulator on the same port)."""
    directory = config.state_dir
    with state.locked(directory):
        try:
            current = _recorded(config)
        except SimulatorError:  # damaged or untrusted: whatever it described is stopped
            current = None
        wanted = config.sim.relocate_delay_ms if delay_ms is None else delay_ms
        if current and current.mode != "attached" and delay_ms is None:
            wanted = current.relocate_delay_ms
        _drop(current, config)
        port = current.port if current and current.mode != "attached" else 0
        return _start(config, port, wanted, rebuild=True)


def _recorded(config: LabConfig) -> SimState | None:
    """Return the state file's simulator, or adopt the user's unrecorded one (or None)."""
    directory = config.state_dir
    current = state.read(directory)
    if current is not None or config.sim.url:
        return current
    binaries = _binaries(config)
    pids = runner.our_pids(directory, binaries)
    if len(pids) != 1:
        return None  # none, or several: _start stops them before starting one
    found = runner.adopt(pids[0], directory)
    if found is None or not _seeded(found, config):
        return None
    found = replace(found, seeded=True)
    state.write(directory, found)
    return found


def _matches(current: SimState, config: LabConfig) -> bool:
    """Tell whether the recorded simulator is the one the configuration asks for."""
    if config.sim.url:
        return current.mode == "attached" and current.url == config.sim.url
    return current.mode != "attached"


def _runs(current: SimState, config: LabConfig) -> bool:
    return runner.is_running(current, config.state_dir, _binaries(config))


def _drop(current: SimState | None, config: LabConfig) -> None:
    """Stop the recorded simulator (if lablib started it) and every unrecorded one."""
    directory = config.state_dir
    if current:
        runner.stop(current, directory, _binaries(config))
    runner.stop_strays(directory, _binaries(config))
    state.forget(directory)


def _start(config: LabConfig, port: int, delay_ms: int, rebuild: bool = False) -> SimState:
    directory = state.ensure_dir(config.state_dir)
    launcher = find_simulator(config)
    if launcher.mode == "attached":
        new = SimState(url=launcher.url, mode="attached", started_at=time.time())
        _prepare_attached(new, config, rebuild)
    else:
        if port and not runner.port_is_free(port):
            port = 0  # the old port was taken meanwhile; the state file gives the new one
        try:
            new = _launch(launcher, directory, port, delay_ms, config)
        except SimulatorError:
            if not port:
                raise
            # On a class server another student's simulator may take the old port between
            # the check and the bind: any free port will do (kernels follow the state file).
            new = _launch(launcher, directory, 0, delay_ms, config)
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


def _launch(launcher, directory, port: int, delay_ms: int, config: LabConfig) -> SimState:
    if launcher.mode == "binary":
        return runner.launch_binary(launcher.binary, directory, port, delay_ms,
                                    profile=host_profile(config.roles))
    return runner.launch_docker(directory, port, delay_ms)


def _connect(st: SimState):
    from ..connection import Connection, Target  # lablib.connection imports this package

    return Connection(Target.from_url(st.url))


def _seeded(st: SimState, config: LabConfig) -> bool:
    """Tell whether an adopted simulator answers and holds the lab's datacenter."""
    try:
        runner.wait_until_answering(st, timeout=5)
        conn = _connect(st)
    except LabError:
        return False
    try:
        return any(e.name == config.roles.datacenter
                   for e in conn.content.rootFolder.childEntity)
    except Exception:
        return False
    finally:
        conn.close()


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


def _prepare_attached(st: SimState, config: LabConfig, rebuild: bool = False) -> None:
    """Seed a simulator lablib did not start (for example Docker Compose's), or reset it."""
    conn = _connect(st)
    try:
        attached.prepare(conn, config.roles, rebuild)
    except LabError:
        raise
    except Exception as exc:
        raise SimulatorError(f"Preparing the lab on the simulator at {st.public_url()} "
                             f"failed: {exc}. Restart that simulator empty (vcsim -dc 0) "
                             "and connect again.") from exc
    finally:
        conn.close()
