"""Find a simulator to use: a running one, a vcsim binary, or Docker (in that order)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..config import LabConfig
from ..errors import SimulatorError

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_BIN = REPO_ROOT / ".build" / "bin"

NO_SIMULATOR = (
    "No vCenter simulator found. Get one either way:\n"
    "  - with Go >= 1.25: run `make sim-tools` in the lab kit folder (builds vcsim and govc "
    "into .build/bin), or\n"
    "  - with Docker running: it is used automatically (image vmware/vcsim:v0.56.0), or start "
    "`docker compose -f docker/compose.yaml up -d vcsim` and set LAB_SIM_URL.")


@dataclass(frozen=True)
class Launcher:
    """How to get a simulator: "attached" (url), "binary" (path) or "docker"."""

    mode: str
    binary: Path | None = None
    url: str = field(default="", repr=False)  # may carry a password


def find_simulator(config: LabConfig) -> Launcher:
    """Return how to get a simulator for this configuration.

    Raises:
        SimulatorError: nothing usable was found; the message says the two ways to get one.
    """
    if config.sim.url:
        return Launcher("attached", url=config.sim.url)
    mode = config.sim.mode
    if mode in ("auto", "binary"):
        binary = find_tool("vcsim", config.sim.binary)
        if binary:
            return Launcher("binary", binary=binary)
        if mode == "binary":
            raise SimulatorError(NO_SIMULATOR)
    if docker_answers():
        return Launcher("docker")
    raise SimulatorError(NO_SIMULATOR)


def find_tool(name: str, configured: str = "") -> Path | None:
    """Return the configured path, the repo's build folder copy, or the one on PATH."""
    if configured:
        path = Path(configured).expanduser()
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise SimulatorError(f"The configured {name} '{path}' is not an executable file. "
                                 f"Fix LAB_SIM_BIN / [sim] binary, or remove it to use the "
                                 f"one in .build/bin.")
        return path
    built = BUILD_BIN / name
    if built.is_file() and os.access(built, os.X_OK):
        return built
    on_path = shutil.which(name)
    return Path(on_path) if on_path else None


def docker_answers() -> bool:
    """Tell whether a Docker engine answers (the client alone is not enough)."""
    if not shutil.which("docker"):
        return False
    try:
        done = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"],
                              capture_output=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
