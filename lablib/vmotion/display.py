"""Shared wording for what lablib shows: result marks and the "simulated" label."""

from __future__ import annotations

from typing import Any

from ..table import Table
from ..text import Text

OK, FAIL, WARN = "✔", "✘", "!"
SIMULATED = "*"


def simulated_note() -> Text:
    """Return the note under a table whose starred values lablib simulates."""
    return Text("* simulated by lablib: the public vcsim image has no API for this.",
                "* simulé par lablib : l'image vcsim publique n'a pas d'API pour cela.")


def starred(text: Any, simulated: bool) -> Any:
    """Return `text` with the simulated mark when `simulated`."""
    return Text.join("", [text, SIMULATED]) if simulated else text


def when(moment: Any) -> str:
    """Return a task or event time as "2026-05-04 10:17:34" (local time), "" if unset."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class ShownAsTable:
    """Mixin: print and show in a notebook through the class's `table()`."""

    def table(self) -> Table:
        """Return what to show, as a table."""
        raise NotImplementedError

    def __str__(self) -> str:
        return str(self.table())

    def __repr__(self) -> str:  # plain-text frontends show the table, not the fields
        return str(self)

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()
