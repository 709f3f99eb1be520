"""Command line: `lablib sim start|stop|status|reset|env`, `check NOTEBOOK` and `lab`.

`lablib` (installed by pyproject's [project.scripts]) is `python -m lablib`. Instructors
and scripts use `sim` to run the embedded simulator that every notebook shares. `sim env`
prints what govc needs so the govc commands of the labs work in a terminal:
`eval "$(python -m lablib sim env)"`. Self-study learners use
`check labs/en/05_migrate.ipynb` to see which exercises of a notebook pass. `lab` starts
JupyterLab on the labs with the kit's tools on PATH (what `make lab` runs).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from . import sim
from .config import load
from .errors import LabError
from .govc import govc_environment, govc_path


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check"]:  # its own options and help: lablib.selfcheck
        from . import selfcheck
        return selfcheck.main(argv[1:])
    if argv[:1] == ["lab"]:  # every other argument goes to JupyterLab
        from . import labserver
        return labserver.main(argv[1:])
    parser = argparse.ArgumentParser(
        prog=_program(),
        description="The vMotion Lab Kit: run its simulator, check a lab notebook.")
    groups = parser.add_subparsers(dest="group", required=True)
    groups.add_parser("check", help="run a lab notebook and say which exercises pass")
    groups.add_parser("lab", help="start JupyterLab on the labs (what `make lab` runs)")
    simulator = groups.add_parser("sim", help="the embedded vCenter simulator")
    actions = simulator.add_subparsers(dest="action", required=True)
    for name, text in (("start", "start and seed it (reuses a running one)"),
                       ("reset", "bring the lab back to its initial state")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--demo", nargs="?", const=5000, type=int, metavar="MS",
                            help="demo mode: each migration takes MS ms (default 5000)")
    actions.add_parser("stop", help="stop it")
    actions.add_parser("status", help="say whether it runs, and where")
    actions.add_parser("env", help="print what govc needs (eval it in a shell)")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except LabError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _run(args) -> int:
    config = load()
    if not config.uses_simulator:
        print("error: the configured target is a real vCenter; these commands only run the "
              "simulator. Unset LAB_BACKEND or use another lab.toml.", file=sys.stderr)
        return 2
    if args.action == "start":
        state, started = sim.start(config, delay_ms=args.demo)
        print(("Started and seeded: " if started else "Already running: ")
              + str(sim.status(config)))
    elif args.action == "reset":
        sim.reset(config, delay_ms=args.demo)
        print("Lab reset to its initial state. " + str(sim.status(config)))
    elif args.action == "stop":
        stopped = sim.stop(config)
        if config.sim.url and not stopped:
            print("lablib did not start the simulator at LAB_SIM_URL, so it leaves it "
                  "running; stop it where it runs (Docker Compose: `docker compose -f "
                  "docker/compose.yaml stop vcsim`).")
        else:
            print("Simulator stopped." if stopped else "No simulator was running.")
    elif args.action == "status":
        status = sim.status(config)
        print(status)
        return 0 if status.running else 3
    elif args.action == "env":
        state = sim.ensure_running(config)
        for key, value in govc_environment(state, config.roles.datacenter).items():
            print(f"export {key}={shlex.quote(value)}")
        print(_path_line(govc_path()))
    return 0


def _program() -> str:
    """Return how the user called the command line: `lablib` or `python -m lablib`."""
    name = Path(sys.argv[0]).name
    return "python -m lablib" if name in ("__main__.py", "-c", "") else name


def _path_line(govc) -> str:
    """Return an `export PATH=...` line putting python's and govc's folders first.

    So that `eval "$(.venv/bin/python -m lablib sim env)"` in any shell makes the labs'
    `python -m lablib ...` and `govc ...` commands work as written.
    """
    on_path = os.environ.get("PATH", "").split(os.pathsep)
    venv = [str(Path(sys.executable).parent)] if sys.prefix != sys.base_prefix else []
    wanted = venv + ([str(govc.parent)] if govc else [])
    missing = [d for d in dict.fromkeys(wanted) if d not in on_path[:len(wanted)]]
    if not govc:
        print("# govc not found: run `make sim-tools` (builds it into .build/bin).",
              file=sys.stderr)
    if not missing:
        return "# python and govc are already first on PATH"
    return f'export PATH={shlex.quote(os.pathsep.join(missing))}:"$PATH"'


if __name__ == "__main__":
    sys.exit(main())
