"""The shapes lab 09's descriptions are written in: steps, signs, wrong fixes, scenarios.

A scenario is data (lablib.troubleshoot.scenarios): the vSphere API steps that break the
lab, the ticket's context line, the faults the server answers, the right fix, the wrong
fixes that also "work", the signs the check reads in the live lab, and the hints.
Values such as "{destination_host}" name the lab's roles (lablib.config.Roles) and are
filled in for each lab, so a real vCenter with other names gets the same scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..text import Text


def _frozen(values: dict[str, Any]) -> MappingProxyType:
    return MappingProxyType(dict(values))


@dataclass(frozen=True)
class Step:
    """One action through the vSphere API (lablib.troubleshoot.actions names them)."""

    action: str
    args: MappingProxyType = field(default_factory=lambda: _frozen({}))

    @classmethod
    def of(cls, action: str, **args: Any) -> Step:
        """Return the step `action` with its arguments ("{vm}" names a role)."""
        return cls(action, _frozen(args))

    def resolved(self, values: dict[str, str]) -> dict[str, Any]:
        """Return the arguments with the roles' names filled in."""
        return {k: v.format(**values) if isinstance(v, str) else v
                for k, v in self.args.items()}


@dataclass(frozen=True)
class Sign:
    """Something the check reads in the live lab (lablib.troubleshoot.signs names them)."""

    name: str
    args: MappingProxyType = field(default_factory=lambda: _frozen({}))

    @classmethod
    def of(cls, name: str, **args: Any) -> Sign:
        """Return the sign `name` with its arguments ("{vm}" names a role)."""
        return cls(name, _frozen(args))


@dataclass(frozen=True)
class WrongFix:
    """A fix that also gets the VM moved, but is not what an administrator should do.

    Attributes:
        id: a short name ("cold-migration").
        what: what the student did, as the instructor's report says it.
        steps: how to do it from the broken lab, the migration included (the tests run them).
        sign: what the check reads to recognise it once the VM is on the destination.
        message: the check's "migrated, but ..." reason.
    """

    id: str
    what: Text
    steps: tuple[Step, ...]
    sign: Sign
    message: Text


@dataclass(frozen=True)
class Scenario:
    """One broken lab: the cause, how to break it, what the server says, how to fix it.

    Attributes:
        id: a short name ("vmotion-destination").
        title: the cause in a few words (instructor's view; students never see it).
        context: the ticket's line of context (the symptom's story, never the cause).
        source: the section of docs/ that gives the real cause.
        breaks: the vSphere API steps that break the lab, from the state lab 05 starts from.
        faults: the fault types the server answers, the task's error first.
        rule: the rule of lablib.vmotion.rules that explains them.
        fix: the right fix (the migration with the VM running comes after it).
        fixed: the sign that the cause is gone.
        unsolved: "migrated, but ..." when the VM moved and the cause is still there.
        owns: the state keys (lablib.troubleshoot.state) the right fix may change.
        wrong: the wrong fixes, each with its message.
        hints: a nudge, the tool to use, the fix.
        areas: what the break touches; two scenarios stack only when these differ.
        scope: what an instructor must own to break it by hand: "vm", "host" or "cluster".
        power_cycle: the right fix powers the VM off and on (EVC); else it stays on.
        files_move: the right fix moves the VM's files (Storage vMotion).
        order: the breaks of stacked scenarios run by increasing order.
    """

    id: str
    title: Text
    context: Text
    source: str
    breaks: tuple[Step, ...]
    faults: tuple[str, ...]
    rule: str
    fix: tuple[Step, ...]
    fixed: Sign
    unsolved: Text
    owns: tuple[str, ...]
    wrong: tuple[WrongFix, ...]
    hints: tuple[Text, Text, Text]
    areas: frozenset[str]
    scope: str = "vm"
    power_cycle: bool = False
    files_move: bool = False
    order: int = 0
