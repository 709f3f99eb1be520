"""Show a LabError in a notebook as one short message instead of a traceback.

The kernel still reports an error (so nbval's `raises-exception` cells and students'
"expected failure" cells behave as usual); only the display is shortened.
"""

from __future__ import annotations

from .errors import LabError

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
    """Return the lines shown for an error: its kind and its message."""
    return [f"{_RED}{type(error).__name__}{_RESET}: {error}"]


def _show(shell, etype, value, tb, tb_offset=None):
    lines = short_message(value)
    shell._showtraceback(etype, value, lines)
    return lines
