"""Run the pinned govc against the lab, as the labs' "under the hood" cells show it.

The labs print govc commands next to each lablib call; the tests run them with this
module against the same simulator, so every command a student sees is known to work.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass

from .errors import SimulatorError
from .sim.locate import find_tool


@dataclass(frozen=True)
class GovcResult:
    """What a govc command printed and how it ended."""

    command: str
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        """Tell whether govc exited with status 0."""
        return self.returncode == 0


def govc_environment(sim_state, datacenter: str = "") -> dict[str, str]:
    """Return the GOVC_* variables that point govc at the simulator (and its datacenter).

    The URL carries the user and password, so GOVC_USERNAME/GOVC_PASSWORD are not needed;
    the simulator's certificate is self-signed (GOVC_INSECURE).
    """
    env = {"GOVC_URL": sim_state.url, "GOVC_INSECURE": "1"}
    if datacenter:
        env["GOVC_DATACENTER"] = datacenter
    return env


def govc_path():
    """Return the pinned govc lablib uses (LAB_GOVC_BIN, .build/bin, PATH), or None."""
    return find_tool("govc", os.environ.get("LAB_GOVC_BIN", ""))


def run(command: str, sim_state, timeout: float = 60) -> GovcResult:
    """Run `command` ("govc vm.info vm-shared") against the simulator and return the result."""
    args = shlex.split(command)
    if not args or args[0] != "govc":
        raise ValueError(f"not a govc command: {command!r}")
    binary = govc_path()
    if binary is None:
        raise SimulatorError("govc not found. Run `make sim-tools` (builds it into "
                             ".build/bin) or put govc on PATH.")
    env = {**os.environ, **govc_environment(sim_state)}
    done = subprocess.run([str(binary), *args[1:]], capture_output=True, text=True,
                          env=env, timeout=timeout)
    return GovcResult(command, done.returncode, done.stdout, done.stderr)
