"""The instructor's side of lab 09: the scenarios, a class's draws, and breaking by hand.

    python -m lablib.troubleshoot list                       # every scenario
    python -m lablib.troubleshoot plan alice bob 1 2 3       # which ticket each seed gets
    python -m lablib.troubleshoot steps --seed alice         # how to break alice's lab

On the simulator `prepare(lab, "09")` breaks the lab itself. On a real vCenter it changes
nothing: the instructor breaks each student's scope by hand with the steps printed here,
from the same descriptions, before the student starts. A scenario whose break changes a
host or the cluster is refused for a scope that is only a folder and a resource pool
(other students share those hosts).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..config import LabConfig, load
from ..errors import LabError
from ..table import Table
from ..text import Text
from . import actions
from .draw import Draw, choices, draw, pool
from .model import Scenario, Step

#: What a scope lets an instructor change by hand (lablib.config.Scope).
_OWNED = {"cluster": ("vm", "host", "cluster"), "folder": ("vm",)}


def values_offline(config: LabConfig) -> dict[str, str]:
    """Return the values steps are filled with when no lab is connected."""
    roles = config.roles
    values = {name: getattr(roles, name) for name in roles.__dataclass_fields__}
    values.update(mode="<the newest EVC mode both hosts support>",
                  lower_mode="<an older EVC mode>",
                  cluster_path=f"/{roles.datacenter}/host/{roles.cluster}")
    return values


def scope_kind(config: LabConfig) -> str:
    """Return "cluster" when the student owns a cluster (or the simulator), else "folder"."""
    return "cluster" if config.uses_simulator or config.scope.cluster else "folder"


def step_lines(step: Step, values: dict[str, str]) -> list[str]:
    """Return how to do one step by hand: the vSphere Client's path, then govc."""
    args = step.resolved(values)
    action = actions.ACTIONS[step.action]
    if step.action == "migrate":
        args.setdefault("host", "")
        args.setdefault("datastore", "")
        args.setdefault("network", "")
        kind = (Text("Change both compute resource and storage",
                     "Changer à la fois la ressource de calcul et le stockage")
                if args["host"] and args["datastore"] else
                Text("Change compute resource only", "Changer uniquement la ressource de "
                     "calcul") if args["host"] else
                Text("Change storage only", "Changer uniquement le stockage"))
        where = ", ".join(a for a in (args["host"], args["datastore"], args["network"]) if a)
        client = action.client.fill(kind=kind, where=where, **args)
    else:
        client = action.client.fill(**{**values, **args})
    lines = [f"- {client}"]
    lines += [f"    $ {line}" for line in actions.govc_lines(step.action, args)]
    return lines


def scenario_lines(scenario: Scenario, values: dict[str, str], scope: str) -> list[str]:
    """Return one scenario's instructions: cause, break, the server's answer, fixes."""
    title = scenario.title.fill(**values)
    lines = [str(Text("{id}: {title} ({source})", id=scenario.id, title=title,
                      source=scenario.source))]
    if scenario.scope not in _OWNED[scope]:
        lines.append(str(Text(
            "  Cannot be broken by hand in this scope: it changes a {what} that other "
            "students share. Give this class only the scenarios that change a VM "
            "([troubleshoot] scenarios = \"{vm_only}\").",
            "  Impossible à casser à la main dans ce périmètre : il change un {what} que "
            "d'autres étudiants partagent. Ne donnez à cette classe que les scénarios qui "
            "changent une VM ([troubleshoot] scenarios = \"{vm_only}\").",
            what=Text("host", "hôte") if scenario.scope == "host" else "cluster",
            vm_only=", ".join(s.id for s in pool() if s.scope == "vm"))))
        return lines
    lines.append(str(Text("  Break it:", "  Pour le casser :")))
    lines += ["  " + line for step in scenario.breaks for line in step_lines(step, values)]
    lines.append(str(Text("  The server then refuses the migration with: {faults}.",
                          "  Le serveur refuse alors la migration avec : {faults}.",
                          faults=", ".join(scenario.faults))))
    lines.append(str(Text("  Right fix, then migrate the running VM:",
                          "  Bonne correction, puis migrer la VM allumée :")))
    lines += ["  " + line for step in scenario.fix for line in step_lines(step, values)]
    for fix in scenario.wrong:
        lines.append(str(Text("  Wrong fix that still moves it ({what}): \"migrated, but "
                              "{message}\"", "  Mauvaise correction qui la déplace quand "
                              "même ({what}) : « migrée, mais {message} »",
                              what=fix.what, message=fix.message.fill(**values))))
    return lines


def instructions(chosen: Draw, values: dict[str, str], scope: str = "cluster") -> str:
    """Return how to break one student's lab by hand, scenario by scenario, in order."""
    head = Text("Ticket {ticket} (seed '{seed}', level {level}): break these in this order, "
                "then the student runs the notebook.",
                "Ticket {ticket} (graine '{seed}', niveau {level}) : cassez ceci dans cet "
                "ordre, puis l'étudiant lance le notebook.", ticket=chosen.ticket,
                seed=chosen.seed, level=chosen.level)
    lines = [str(head)]
    for scenario in chosen.scenarios:
        lines += scenario_lines(scenario, values, scope)
    return "\n".join(lines)


def scenario_table(scenarios: tuple[Scenario, ...], values: dict[str, str]) -> Table:
    """Return every scenario: id, cause, the server's faults, what the break touches."""
    return Table(Text("Lab 09 scenarios", "Scénarios du lab 09"),
                 ["id", Text("cause", "cause"), Text("faults", "faults"),
                  Text("changes a", "change un"), Text("wrong fixes", "mauvaises corrections")],
                 [[s.id, s.title.fill(**values), ", ".join(s.faults), s.scope,
                   ", ".join(f.id for f in s.wrong) or "-"] for s in scenarios])


def plan(seeds: list[Any], level: int, scenarios: Any = None) -> Table:
    """Return, for each seed, the ticket and the scenarios it draws."""
    rows = []
    for seed in seeds:
        chosen = draw(seed, level, scenarios)
        rows.append([chosen.seed, chosen.ticket, " + ".join(chosen.ids)])
    total = len(choices(pool(scenarios), level))
    return Table(Text("Lab 09 draws (level {level})", "Tirages du lab 09 (niveau {level})",
                      level=level), [Text("seed", "graine"), "ticket", Text("scenarios",
                                                                              "scénarios")],
                 rows, [Text("{n} different labs at this level; seeds 1 to {n} give each "
                             "once.", "{n} labs différents à ce niveau ; les graines 1 à {n} "
                             "donnent chacun une fois.", n=total)])


def main(argv: list[str] | None = None) -> int:
    """Run `python -m lablib.troubleshoot`; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m lablib.troubleshoot",
                                     description="Lab 09 for instructors: scenarios, draws, "
                                                 "and how to break a lab by hand.")
    actions_ = parser.add_subparsers(dest="action", required=True)
    actions_.add_parser("list", help="every scenario")
    plan_ = actions_.add_parser("plan", help="the ticket and scenarios each seed draws")
    plan_.add_argument("seeds", nargs="+", help="students' names or numbers")
    steps = actions_.add_parser("steps", help="how to break a student's lab by hand")
    steps.add_argument("--seed", required=True, help="the student's name or number")
    for command in (plan_, steps):
        command.add_argument("--level", type=int, help="1 or 2 (default: lab.toml)")
        command.add_argument("--scenarios", help="ids, comma-separated (default: lab.toml)")
    args = parser.parse_args(argv)
    try:
        config = load()
        values = values_offline(config)
        if args.action == "list":
            print(scenario_table(pool(), values))
            return 0
        level = args.level or config.troubleshoot.level
        chosen_pool = args.scenarios or config.troubleshoot.scenarios or None
        if args.action == "plan":
            print(plan(args.seeds, level, chosen_pool))
            return 0
        print(instructions(draw(args.seed, level, chosen_pool), values, scope_kind(config)))
    except LabError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
