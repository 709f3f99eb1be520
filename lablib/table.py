"""A small table that prints as aligned text and shows as HTML in a notebook.

Its title, columns, cells and notes may be `Text`s: they are rendered when the table is
shown, in the notebook's language.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from .text import Text, render


@dataclass(repr=False)
class Table:
    """Rows under a title; `notes` are printed below (e.g. what is simulated)."""

    title: Text | str
    columns: list[Any]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)

    def __str__(self) -> str:
        cells = [[render(c) for c in self.columns]] + [[render(c) for c in row]
                                                        for row in self.rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.columns))]
        lines = [render(self.title)]
        for n, row in enumerate(cells):
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        if not self.rows:
            lines.append(render(NONE))
        return "\n".join(lines + [render(n) for n in self.notes])

    def __repr__(self) -> str:  # plain-text frontends show the table, not the fields
        return str(self)

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left'>{html.escape(render(c))}</th>"
                       for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{html.escape(render(c))}"
                                        "</td>" for c in row) + "</tr>" for row in self.rows)
        if not self.rows:
            body = (f"<tr><td colspan='{len(self.columns)}'><i>{html.escape(render(NONE))}"
                    "</i></td></tr>")
        notes = "".join(f"<div><small>{html.escape(render(n))}</small></div>"
                        for n in self.notes)
        return (f"<div><b>{html.escape(render(self.title))}</b><table><thead><tr>{head}</tr>"
                f"</thead><tbody>{body}</tbody></table>{notes}</div>")


NONE = Text("(none)", "(aucun)")


@dataclass(repr=False)
class Report:
    """Several tables shown together."""

    tables: list[Table]

    def __str__(self) -> str:
        return "\n\n".join(str(t) for t in self.tables)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return "".join(t._repr_html_() for t in self.tables)
