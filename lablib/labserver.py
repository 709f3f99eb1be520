"""Start JupyterLab on the labs with the kit's tools first on PATH (`make lab`).

    python -m lablib lab [JupyterLab options]        (what `make lab` runs)

Kernels and terminals get the server's environment, so the folder of this Python
(`.venv/bin`: python, lablib, jupyter) and `.build/bin` (vcsim, govc) go first on its PATH:
the labs' terminal commands (`python -m lablib check ...`, `govc vm.info vm-local` after
`eval "$(python -m lablib sim env)"`) work as written. A terminal's shell would lose that:
Jupyter opens it as a login shell when it has no TTY (a service, a container, CI), which
resets PATH from /etc/profile, and the user's ~/.bashrc may put its own folders first
(pyenv, conda). So each terminal runs a login shell, then the user's interactive shell
with a start-up file (in the private state directory) that reads ~/.bashrc and then puts
the kit's folders first. As root (a container, a VM lab) JupyterLab refuses to start
without --allow-root: it is passed, and said once.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from pathlib import Path

from .config import load
from .errors import LabError
from .sim import files, state
from .sim.locate import BUILD_BIN, REPO_ROOT

LABS = REPO_ROOT / "labs"
POSIX_SHELLS = {"bash", "zsh", "sh", "dash", "ksh", "mksh"}
ROOT_NOTE = ("running as root: JupyterLab is started with --allow-root, so notebooks and "
             "terminals run as root. Use an ordinary account for a class.")


def kit_path() -> list[str]:
    """Return the folders the kit's commands live in, to put first on PATH."""
    return [str(Path(sys.executable).parent), str(BUILD_BIN)]


def environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """Return `base` (os.environ) with the kit's folders first on PATH."""
    env = dict(os.environ if base is None else base)
    rest = [p for p in env.get("PATH", "").split(os.pathsep) if p and p not in kit_path()]
    env["PATH"] = os.pathsep.join(kit_path() + rest)
    return env


def terminal_command(rc_file: Path, shell: str = "") -> list[str]:
    """Return the shell a JupyterLab terminal runs: login, then interactive, kit PATH first.

    bash reads `rc_file` (~/.bashrc, then the kit's folders first); another POSIX shell
    gets the kit's folders first before its own start-up files run.
    """
    shell = shell or os.environ.get("SHELL") or ""
    if Path(shell).name not in POSIX_SHELLS:  # e.g. fish: another syntax
        shell = shutil.which("bash") or "/bin/sh"
    if Path(shell).name == "bash":
        return [shell, "-l", "-c", 'exec "$0" --rcfile "$1" -i', shell, str(rc_file)]
    prefix = shlex.quote(os.pathsep.join(kit_path()))
    return [shell, "-l", "-c", f'PATH={prefix}:"$PATH"; export PATH; exec "$0" -i', shell]


def write_rc_file(state_dir: Path) -> Path:
    """Write the terminals' bash start-up file in the private `state_dir`; return it."""
    path = state.ensure_dir(state_dir) / "terminal.bashrc"
    prefix = shlex.quote(os.pathsep.join(kit_path()))
    with files.create(path) as out:
        out.write("# The lab kit's JupyterLab terminals (lablib/labserver.py): your own\n"
                  "# ~/.bashrc, then the kit's python, lablib and govc first on PATH.\n"
                  '[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"\n'
                  f'PATH={prefix}:"$PATH"; export PATH\n')
    return path


def command(args: list[str], rc_file: Path) -> list[str]:
    """Return the `jupyter lab` command line for the labs, with `args` appended."""
    shell = json.dumps(terminal_command(rc_file))
    settings = f"--ServerApp.terminado_settings=shell_command={shell}"
    line = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={LABS}", settings]
    if os.geteuid() == 0 and "--allow-root" not in args:
        line.append("--allow-root")
    return line + list(args)


def main(args: list[str]) -> int:
    """Replace this process with JupyterLab on the labs (returns only if it cannot start)."""
    try:
        rc_file = write_rc_file(load().state_dir)
    except LabError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if os.geteuid() == 0:
        print(ROOT_NOTE, file=sys.stderr, flush=True)
    line = command(args, rc_file)
    try:
        os.execve(line[0], line, environment())
    except OSError as exc:
        print(f"error: cannot start JupyterLab ({exc.strerror}): run `make install`.",
              file=sys.stderr)
        return 1
