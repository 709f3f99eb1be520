"""Show a LabError in a notebook as one short block instead of a traceback.

In a Jupyter kernel the error is displayed as an HTML box (lablib.boxes: a refusal's
failed rules with their fixes and vCenter's own message, in the notebook's language),
then reported to the kernel as an error whose "traceback" is the same block as plain
text. So the kernel still records the error (JupyterLab's Run All stops at it unless the
cell is tagged `raises-exception`; nbval sees it), JupyterLab hides that repeated text
under the box, and a frontend without HTML shows the plain block. In a terminal
IPython only the plain block is printed.
"""

from __future__ import annotations

from typing import Any

from .boxes import HIDE_NEXT_ERROR, error_box
from .errors import LabError
from .text import render

_RED, _RESET = "\x1b[0;31m", "\x1b[0m"


def install_error_display() -> None:
    """Register the short display in the running IPython shell, once; else do nothing."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_lablib_short_errors", False):
        return
    shell.set_custom_exc((LabError,), _show)
    shell._lablib_short_errors = True


def short_message(error: BaseException) -> list[str]:
    """Return the plain lines shown for an error, the first one in red.

    A refusal is its block (the fault's type is in it); another error is "Kind: message".
    """
    first, _, rest = str(error).partition("\n")
    if not callable(getattr(getattr(error, "message", None), "html", None)):
        first = f"{type(error).__name__}: {first}"
    return [f"{_RED}{first}{_RESET}" + (f"\n{rest}" if rest else "")]


def error_html(error: BaseException) -> str:
    """Return the HTML box of an error: a refusal's own block, else its message."""
    message = getattr(error, "message", None)
    html = getattr(message, "html", None)
    if callable(html):
        return html()
    return error_box(render(message if message is not None else str(error)), kind="error")


class ErrorBlock:
    """What a notebook displays for a LabError: the HTML box, with a plain-text twin."""

    def __init__(self, error: BaseException):
        self.error = error

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": error_html(self.error) + HIDE_NEXT_ERROR,
                "text/plain": str(self.error)}


def _show(shell, etype, value, tb, tb_offset=None):
    lines = short_message(value)
    if getattr(shell, "kernel", None) is not None:   # a Jupyter kernel: the box first
        from IPython.display import display

        display(ErrorBlock(value))
    shell._showtraceback(etype, value, lines)
    return lines
