"""Errors lablib raises: one base class, one subclass per kind of problem.

Every message says what went wrong, where, and what to do next, in one or two short
sentences, because students read them in a notebook (reference/style-anchors.md §10).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class LabError(Exception):
    """Base class of every error lablib raises on purpose."""


class ConfigError(LabError):
    """A setting in lab.toml or a LAB_* variable is missing or invalid."""


class ConnectError(LabError):
    """The vCenter or simulator cannot be reached or refuses the login."""


class SimulatorError(LabError):
    """The embedded simulator cannot be found, started or stopped."""


class InputError(LabError):
    """An argument is empty, too long or of the wrong type."""


class NotFoundError(LabError):
    """No inventory object of that kind has that name, path or id."""

    def __init__(self, message: str, kind: str = "", name: str = "",
                 candidates: Iterable[str] = ()):
        super().__init__(message)
        self.kind, self.name, self.candidates = kind, name, list(candidates)


class WrongKindError(NotFoundError):
    """The name exists, but it is another kind of object (a datastore, not a host)."""


class MultipleFoundError(LabError):
    """A name matches several objects; an inventory path tells them apart."""

    def __init__(self, message: str, matches: Iterable[str] = ()):
        super().__init__(message)
        self.matches = list(matches)


class TaskFailed(LabError):
    """A vSphere task ended in error; `.fault` is the server's fault."""

    def __init__(self, message: str, fault=None):
        super().__init__(message)
        self.fault = fault


class TaskTimeout(LabError):
    """A vSphere task did not finish in the time allowed."""


class OperationRefused(LabError):
    """vCenter's rules refuse the operation; `.fault` is the pyVmomi fault vCenter raises."""

    def __init__(self, message: str, fault=None, findings=()):
        super().__init__(message)
        self.fault = fault
        self.findings = list(findings)


class OutOfScope(LabError):
    """A change outside the lab scope that the configuration names."""


class Unsupported(LabError):
    """The target cannot do this (for example `reset` on a real vCenter)."""


def closest(name: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """Return up to `limit` names that look like `name`, best first."""
    names = list(names)
    by_case = {n.lower(): n for n in names}
    found = difflib.get_close_matches(name.lower(), list(by_case), n=limit, cutoff=0.5)
    return [by_case[n] for n in found]


def quoted(names: Iterable[str], limit: int = 8) -> str:
    """Return names as 'a', 'b' and 'c', cut to `limit` with a count of the rest."""
    names = [f"'{n}'" for n in names]
    if not names:
        return "none"
    shown, rest = names[:limit], len(names) - limit
    if rest > 0:
        return ", ".join(shown) + f" and {rest} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


class MigrationRefused(OperationRefused):
    """vCenter's migration rules refuse a vMotion; nothing was moved."""


class EvcRefused(OperationRefused):
    """vCenter's EVC rules refuse an EVC mode for the cluster; nothing was changed."""
