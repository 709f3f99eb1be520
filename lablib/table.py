"""A small table that prints as aligned text and shows as HTML in a notebook.

Its title, columns, cells and notes may be `Text`s: they are rendered when the table is
shown, in the notebook's language. The HTML carries its own inline style (header row
separated, borders and padding), so it reads the same in a cell's output and inside a
widget, where JupyterLab's table style does not apply.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from .text import Text, render

NONE = Text("(none)", "(aucun)")
_TABLE = ("border-collapse:collapse;margin:2px 0 6px 0;font-size:13px;"
          "font-family:var(--jp-content-font-family,system-ui,sans-serif)")
_TH = ("text-align:left;padding:4px 10px;border-bottom:2px solid #8a94a6;background:#f1f3f6;"
       "white-space:nowrap;font-weight:600")
_TD = "text-align:left;padding:3px 10px;border-bottom:1px solid #dde1e7;vertical-align:top"
_NOTE = "font-size:12px;color:#5f6368;margin:1px 0"
#: Result marks stand out: a rule that holds in green, one that fails in bold red.
_MARKS = {"✔": "color:#1b5e20", "✘": "color:#b00020;font-weight:700",
          "!": "color:#8a5a00;font-weight:700"}


@dataclass(repr=False)
class Table:
    """Rows under a title; `notes` are printed below (e.g. what is simulated).

    `empty` is what a table without rows says ("no event", "aucun événement").
    """

    title: Text | str
    columns: list[Any]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    empty: Text | str = NONE

    def render(self, lang: str | None = None) -> str:
        """Return the table as aligned text in `lang` (the notebook's language by default)."""
        cells = [[render(c, lang) for c in self.columns]] + [[render(c, lang) for c in row]
                                                             for row in self.rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.columns))]
        lines = [render(self.title, lang)] if render(self.title, lang) else []
        for n, row in enumerate(cells):
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        if not self.rows:
            lines.append(render(self.empty, lang))
        return "\n".join(lines + [render(n, lang) for n in self.notes])

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:  # plain-text frontends show the table, not the fields
        return str(self)

    def html(self, lang: str | None = None) -> str:
        """Return the table as styled HTML in `lang` (the notebook's language by default)."""
        def cell(value: Any) -> str:
            return html.escape(render(value, lang))

        def td(value: Any) -> str:
            text = cell(value)
            mark = _MARKS.get(text)
            return f"<td style='{_TD};{mark}'>{text}</td>" if mark else \
                f"<td style='{_TD}'>{text}</td>"

        head = "".join(f"<th style='{_TH}'>{cell(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(td(c) for c in row) + "</tr>" for row in self.rows)
        if not self.rows:
            body = (f"<tr><td colspan='{len(self.columns)}' style='{_TD};color:#5f6368'>"
                    f"<i>{cell(self.empty)}</i></td></tr>")
        title = f"<div style='font-weight:600;margin-top:4px'>{cell(self.title)}</div>" \
            if render(self.title, lang) else ""
        notes = "".join(f"<div style='{_NOTE}'>{cell(n)}</div>" for n in self.notes)
        return (f"<div class='lablib-table'>{title}<table style='{_TABLE}'><thead><tr>{head}"
                f"</tr></thead><tbody>{body}</tbody></table>{notes}</div>")

    def _repr_html_(self) -> str:
        return self.html()


@dataclass(repr=False)
class Report:
    """Several tables shown together."""

    tables: list[Table]

    def __str__(self) -> str:
        return "\n\n".join(str(t) for t in self.tables)

    def __repr__(self) -> str:
        return str(self)

    def html(self, lang: str | None = None) -> str:
        """Return every table as HTML in `lang`."""
        return "".join(t.html(lang) for t in self.tables)

    def _repr_html_(self) -> str:
        return self.html()
