"""Every widget callback's error lands in the widget's Output, never lost.

In JupyterLab, what a widget callback prints or raises is shown nowhere
(docs/style.md §6, docs/teaching.md C4 [ipympl-116][hnn-699]). So each
lablib widget owns one `ipywidgets.Output` and wraps its callbacks with `@captured`:

- a `LabError` (a refusal, a typo, a lost connection) becomes one short line in the
  notebook's language (a refusal's headline; its block is on the widget's page);
- any other exception is a bug: its traceback is written in full, so it can be reported.

Both are also sent to the `lablib.widgets` logger. The Output is written by assigning
its `outputs` (what `append_stdout` does), never through its context manager, which is
unsafe when several threads print (ipywidgets "Output Widget" docs) and does nothing
without a kernel (tests, plain Python).
"""

from __future__ import annotations

import functools
import logging
import traceback

from lablib.errors import LabError

LOGGER = logging.getLogger("lablib.widgets")
MAX_LINES = 40   # an Output log keeps the last lines only: a widget is not a log file


class OutputHandler(logging.Handler):
    """Append log records to an ipywidgets Output (the docs' OutputWidgetHandler)."""

    def __init__(self, output, level: int = logging.INFO):
        super().__init__(level)
        self.output = output
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = "stderr" if record.levelno >= logging.WARNING else "stdout"
            write(self.output, self.format(record), stream)
        except Exception:   # logging must never raise into the caller
            self.handleError(record)


def write(output, text: str, stream: str = "stdout") -> None:
    """Append a line of text to an Output, keeping its last MAX_LINES outputs."""
    line = {"output_type": "stream", "name": stream, "text": text.rstrip("\n") + "\n"}
    output.outputs = (*output.outputs, line)[-MAX_LINES:]


def error_text(error: BaseException) -> str:
    """Return what a widget shows for an error: a LabError's first line, else a traceback.

    (A refusal's whole block is on the widget's page; the log keeps its headline.)
    """
    if isinstance(error, LabError):
        return str(error).split("\n", 1)[0]
    return "".join(traceback.format_exception(error)).rstrip()


def report(owner, error: BaseException) -> None:
    """Show `error` in `owner.output`, remember it as `owner.error`, and log it."""
    text = error_text(error)
    owner.error = text
    write(owner.output, text, "stderr")
    if isinstance(error, LabError):
        LOGGER.info(text)
    else:
        LOGGER.error("lablib widget callback failed", exc_info=error)


def captured(method):
    """Wrap a widget callback so an error is shown in the widget and not raised.

    The widget (`self`) must have an `output` (ipywidgets.Output) and an `error`
    attribute; `error` is reset before each call and holds the text of the last error.
    """

    @functools.wraps(method)
    def callback(self, *args, **kwargs):
        self.error = None
        try:
            return method(self, *args, **kwargs)
        except Exception as error:   # a callback's error must reach the notebook, not vanish
            report(self, error)
            return None

    return callback
