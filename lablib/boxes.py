"""The HTML blocks lablib shows in a notebook: a refusal or an error, a calm line.

Inline styles only: a widget's HTML and a cell's output share no stylesheet. Text wraps
between words, never inside one (a long name may still break rather than overflow).
Every value is escaped here; callers pass rendered strings.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

RED, RED_BG = "#b00020", "#fff5f5"
GREEN, GREEN_BG = "#1b5e20", "#eef7ee"
CALM, CALM_BG = "#24527a", "#f0f5fb"
GREY = "#5f6368"
WRAP = "white-space:normal;overflow-wrap:break-word;word-break:normal"
FONT = "font-family:var(--jp-content-font-family,system-ui,sans-serif);font-size:13px"

#: In JupyterLab, the short error output that follows an error box repeats it: hide it.
#: (The kernel still records the error; other frontends show both, both short.)
HIDE_NEXT_ERROR = (
    "<style>.jp-OutputArea-child:has(.lablib-error-box) + .jp-OutputArea-child"
    ":has(> .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'])"
    "{display:none}</style>")


class Item:
    """One line of an error box: what is wrong, the fix, and a smaller grey line."""

    __slots__ = ("detail", "fix", "message")

    def __init__(self, message: str, fix: str = "", detail: str = ""):
        self.message, self.fix, self.detail = message, fix, detail


def error_box(headline: str, items: Sequence[Item] = (), kind: str = "refusal") -> str:
    """Return a red-bordered box: the headline, then one entry per item.

    Args:
        headline: the first line, in bold red.
        items: the failed rules (message in bold, fix in normal weight, detail in grey).
        kind: a CSS class suffix: "refusal" or "error".
    """
    entries = "".join(
        f"<li style='margin:3px 0'><span style='font-weight:600'>✘ {html.escape(i.message)}"
        f"</span>{' ' + html.escape(i.fix) if i.fix else ''}"
        + (f"<div style='font-size:85%;color:{GREY};margin-top:1px'>{html.escape(i.detail)}"
           "</div>" if i.detail else "") + "</li>" for i in items)
    body = (f"<ul style='list-style:none;margin:4px 0 0 0;padding:0 0 0 0.6em'>{entries}</ul>"
            if entries else "")
    return (f"<div class='lablib-error-box lablib-{kind}' style='border:1px solid {RED};"
            f"border-left:4px solid {RED};border-radius:4px;background:{RED_BG};color:#202124;"
            f"padding:6px 10px;margin:4px 0;max-width:60em;{WRAP};{FONT}'>"
            f"<div style='font-weight:700;color:{RED}'>{html.escape(headline)}</div>"
            f"{body}</div>")


def line(text: str, color: str = CALM, background: str = CALM_BG, css: str = "lablib-line",
         bold: bool = False) -> str:
    """Return one short line in a soft box (a verdict, "your turn", "nothing to do")."""
    weight = "font-weight:600;" if bold else ""
    return (f"<div class='{css}' style='color:{color};background:{background};"
            f"border-left:3px solid {color};border-radius:3px;padding:4px 10px;margin:4px 0;"
            f"max-width:60em;{weight}{WRAP};{FONT}'>{html.escape(text)}</div>")


class Shown:
    """A line a cell returns: HTML in a notebook, the plain text elsewhere (no quotes)."""

    def __init__(self, text: str, color: str = CALM, background: str = CALM_BG,
                 css: str = "lablib-line"):
        self.text, self.color, self.background, self.css = text, color, background, css

    def _repr_html_(self) -> str:
        return line(self.text, self.color, self.background, self.css)

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text
