"""Shared wording for what lablib shows: result marks and the "simulated" label."""

from __future__ import annotations

from ..i18n import tr

OK, FAIL, WARN = "✔", "✘", "!"
SIMULATED = "*"


def simulated_note() -> str:
    """Return the note under a table whose starred values lablib simulates."""
    return tr("* simulated by lablib: vcsim has no API for this.",
              "* simulé par lablib : vcsim n'a pas d'API pour cela.")


def starred(text: str, emulated: bool) -> str:
    """Return `text` with the simulated mark when `emulated`."""
    return f"{text}{SIMULATED}" if emulated else text


def when(moment) -> str:
    """Return a task or event time as "2026-05-04 10:17:34" (local time), "" if unset."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class ShownAsTable:
    """Mixin: print and show in a notebook through the class's `table()`."""

    def __str__(self) -> str:
        return str(self.table())

    def __repr__(self) -> str:  # plain-text frontends show the table, not the fields
        return str(self)

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()
