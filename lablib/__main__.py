"""Command line: `python -m lablib sim start|stop|status|reset|env` and `check NOTEBOOK`.

Instructors and scripts use `sim` to run the embedded simulator that every notebook
shares. `sim env` prints the GOVC_* variables so the govc commands of the labs work
in a terminal: `eval "$(python -m lablib sim env)"`. Self-study learners use
`check labs/en/05_migrate.ipynb` to see which exercises of a notebook pass.
"""

from __future__ import annotations

import argparse
import sys

from . import sim
from .config import load
from .errors import LabError
from .govc import govc_environment


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check"]:  # its own options and help: lablib.selfcheck
        from . import selfcheck
        return selfcheck.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m lablib",
                                     description="The vMotion Lab Kit: run its simulator, check a lab notebook.")
    groups = parser.add_subparsers(dest="group", required=True)
    groups.add_parser("check", help="run a lab notebook and say which exercises pass")
    simulator = groups.add_parser("sim", help="the embedded vCenter simulator")
    actions = simulator.add_subparsers(dest="action", required=True)
    for name, text in (("start", "start and seed it (reuses a running one)"),
                       ("reset", "bring the lab back to its initial state")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--demo", nargs="?", const=5000, type=int, metavar="MS",
                            help="demo mode: each migration takes MS ms (default 5000)")
    actions.add_parser("stop", help="stop it")
    actions.add_parser("status", help="say whether it runs, and where")
    actions.add_parser("env", help="print GOVC_* variables for govc (eval them in a shell)")
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
        print("Simulator stopped." if sim.stop(config) else "No simulator was running.")
    elif args.action == "status":
        status = sim.status(config)
        print(status)
        return 0 if status.running else 3
    elif args.action == "env":
        state = sim.ensure_running(config)
        for key, value in govc_environment(state).items():
            print(f"export {key}='{value}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
