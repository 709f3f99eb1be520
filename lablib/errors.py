"""Errors lablib raises: one base class, one subclass per kind of problem.

Every message says what went wrong, where, and what to do next, in one or two short
sentences, in the notebook's language (a `Text`, rendered when shown), because students
read them in a notebook (docs/style.md §10). `error_for_fault` is the one place where a
server fault that no operation explains becomes a lablib error.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from pyVmomi import vmodl

from .text import Text, render


class LabError(Exception):
    """Base class of every error lablib raises on purpose."""

    def __init__(self, message: Text | str, *args: Any):
        super().__init__(message, *args)
        self.message = message

    def __str__(self) -> str:
        return render(self.message)


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

    def __init__(self, message: Text | str, kind: str = "", name: str = "",
                 candidates: Iterable[str] = ()):
        super().__init__(message)
        self.kind, self.name, self.candidates = kind, name, list(candidates)


class WrongKindError(NotFoundError):
    """The name exists, but it is another kind of object (a datastore, not a host)."""


class MultipleFoundError(LabError):
    """A name matches several objects; an inventory path tells them apart."""

    def __init__(self, message: Text | str, matches: Iterable[str] = ()):
        super().__init__(message)
        self.matches = list(matches)


class TaskFailed(LabError):
    """A vSphere task or call ended in a server fault; `.fault` is that fault."""

    def __init__(self, message: Text | str, fault: Any = None):
        super().__init__(message)
        self.fault = fault


class TaskTimeout(LabError):
    """A vSphere task did not finish in the time allowed."""


class OperationRefused(LabError):
    """vCenter's rules refuse the operation; `.fault` is the pyVmomi fault vCenter raises.

    `.findings` explain it, one per failed rule, with the fix (lablib.vmotion.findings).
    """

    def __init__(self, message: Text | str, fault: Any = None, findings: Iterable[Any] = ()):
        super().__init__(message)
        self.fault = fault
        self.findings = list(findings)


class MigrationRefused(OperationRefused):
    """vCenter's migration rules refuse a vMotion; nothing was moved."""


class EvcRefused(OperationRefused):
    """vCenter's EVC rules refuse an EVC mode for the cluster; nothing was changed."""


class OutOfScope(LabError):
    """A change outside the lab scope that the configuration names."""


class Unsupported(LabError):
    """The target cannot do this (for example `reset` on a real vCenter)."""


class LabMoved(LabError):
    """The simulator was reset meanwhile (by another notebook or a terminal)."""


def closest(name: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """Return up to `limit` names that look like `name`, best first."""
    names = list(names)
    by_case = {n.lower(): n for n in names}
    found = difflib.get_close_matches(name.lower(), list(by_case), n=limit, cutoff=0.5)
    return [by_case[n] for n in found]


def quoted(names: Iterable[Any], limit: int = 8) -> Text:
    """Return names as 'a', 'b' and 'c' ('a', 'b' et 'c'), cut to `limit`."""
    shown = [f"'{n}'" for n in names]
    if not shown:
        return Text("none", "aucun")
    rest = len(shown) - limit
    if rest > 0:
        return Text("{names} and {rest} more", "{names} et {rest} autres",
                    names=", ".join(shown[:limit]), rest=rest)
    if len(shown) == 1:
        return Text(shown[0])
    return Text("{head} and {last}", "{head} et {last}", head=", ".join(shown[:-1]),
                last=shown[-1])


def fault_name(fault: Any) -> str:
    """Return a fault's type name, "VMotionNotConfigured" for vim.fault.VMotionNotConfigured."""
    return type(fault).__name__.rsplit(".", 1)[-1]


#: What common faults mean, for servers that send only the fault's type.
_MEANINGS = {
    "InvalidPowerState": Text("the VM's power state does not allow this",
                              "l'état d'alimentation de la VM ne le permet pas"),
    "InvalidState": Text("the object's current state does not allow this",
                         "l'état actuel de l'objet ne le permet pas"),
    "InvalidArgument": Text("an argument of the call is not valid",
                            "un argument de l'appel n'est pas valide"),
    "NotFound": Text("something the call names does not exist",
                     "un objet nommé par l'appel n'existe pas"),
    "ManagedObjectNotFound": Text("the object no longer exists", "l'objet n'existe plus"),
    "NoPermission": Text("the user lacks a privilege for this",
                         "l'utilisateur n'a pas le privilège nécessaire"),
    "NotAuthenticated": Text("the session is not logged in", "la session n'est pas ouverte"),
    "MethodNotFound": Text("the server does not implement this method",
                           "le serveur n'implémente pas cette méthode"),
}


def fault_message(fault: Any) -> str:
    """Return the server's own message for a fault, "" when it sent only the type's name.

    pyVmomi puts the task error's localizedMessage in `msg`; stock vcsim writes the Go type
    name there ("*types.InvalidArgument", docs/simulator-extension.md §4).
    """
    msg = (getattr(fault, "msg", "") or "").strip()
    return "" if not msg or msg.endswith(fault_name(fault)) else msg


def fault_text(fault: Any) -> Text:
    """Return a readable sentence for a pyVmomi fault: its message and its type."""
    if fault is None:
        return Text("no details from the server", "aucun détail du serveur")
    kind = fault_name(fault)
    msg = fault_message(fault)
    if not msg:
        meaning = _MEANINGS.get(kind, Text("the server gave no explanation",
                                           "le serveur n'a donné aucune explication"))
        return Text("{meaning} ({kind})", "{meaning} ({kind})", meaning=meaning, kind=kind)
    return Text("{msg} ({kind})", msg=msg, kind=kind)


def error_for_fault(fault: Any, doing: Text | str) -> LabError:
    """Return the lablib error for a server fault raised while `doing` something.

    The one mapping of server faults no operation explains itself: an object deleted
    meanwhile is a NotFoundError; any other fault is a TaskFailed carrying it.
    """
    if isinstance(fault, vmodl.fault.ManagedObjectNotFound):
        return NotFoundError(Text(
            "An object given to {doing} no longer exists ({fault}). Look it up again by name.",
            "Un objet donné à {doing} n'existe plus ({fault}). Cherchez-le de nouveau par "
            "son nom.", doing=doing, fault=fault_text(fault)))
    return TaskFailed(Text("The server refused {doing}: {fault}",
                           "Le serveur a refusé {doing} : {fault}", doing=doing,
                           fault=fault_text(fault)), fault)
