"""TaskProgress: a progress bar fed by a vSphere task, with a text fallback.

It is the `on_progress(info, elapsed)` callback of lablib.tasks.wait (and of every Lab
method that takes `on_progress`), so it follows the task through PropertyCollector
updates and the wait's one-second heartbeat, never by polling itself
(docs/style.md §0 (rule 4), docs/teaching.md C4):

- on a real vCenter the bar shows `info.progress`, the percentage the server reports;
- vcsim never reports one (docs/vcsim-gaps.md §4(i)): the bar is full and pale blue
  ("indeterminate": `.indeterminate` is True, CSS class `lablib-indeterminate`) and the
  label says "running… 3.2 s";
- success turns it green; failure red, with the fault's text.

Where no widget frontend runs (plain Python, nbval, `LAB_EXECUTION=ci` as in
docs/teaching.md C2) it prints a few plain lines instead: one per state change and
one per quarter of real progress, never one per heartbeat.
"""

from __future__ import annotations

import html
import os
import sys

import ipywidgets as widgets

from lablib.errors import LabError
from lablib.plots._common import lang_of
from lablib.precopy import format_number
from lablib.tasks import describe, fault_text

from ._display import widget_bundle

_TEXT = {
    "en": {"idle": "waiting", "queued": "queued", "running": "running…",
           "success": "success in {t} s", "error": "failed after {t} s: {why}",
           "refused": "refused: {why}", "task": "task"},
    "fr": {"idle": "en attente", "queued": "en file d'attente", "running": "en cours…",
           "success": "réussie en {t} s", "error": "échec après {t} s : {why}",
           "refused": "refusée : {why}", "task": "tâche"},
}
MODES = ("auto", "widget", "text")
_STYLES = {"idle": "", "queued": "info", "running": "info", "success": "success",
           "error": "danger"}


class TaskProgress:
    """A progress bar for one task at a time; pass it as `on_progress`."""

    def __init__(self, title: str = "", *, mode: str = "auto", lang: str | None = None,
                 stream=None):
        """Build the bar.

        Args:
            title: what the bar stands for until a task names itself.
            mode: "widget", "text" (print lines), or "auto" (text without a kernel or
                when LAB_EXECUTION=ci).
            lang: "en" or "fr" (the notebook's language by default).
            stream: where text mode prints (sys.stdout by default).
        """
        if mode not in MODES:
            raise LabError(f"Unknown progress mode {mode!r}. Accepted: {', '.join(MODES)}.")
        self.lang = lang_of(lang)
        self.mode = _auto_mode() if mode == "auto" else mode
        self.stream = stream
        self.title = title
        self.bar = widgets.IntProgress(value=0, min=0, max=100,
                                       layout=widgets.Layout(width="24em"))
        self.label = widgets.HTML()
        self._box = widgets.HBox([self.bar, self.label])
        self.lines: list[str] = []
        self.reset(title)

    @property
    def widget(self) -> widgets.HBox:
        """The box holding the bar and its label."""
        return self._box

    def _repr_mimebundle_(self, **kwargs):
        return widget_bundle(self._box, self.status(), **kwargs)

    def __repr__(self) -> str:
        return f"<TaskProgress {self.status()}>"

    def reset(self, title: str | None = None) -> None:
        """Go back to the empty bar, ready for the next task."""
        self.title = self.title if title is None else title
        self.state, self.progress, self.elapsed, self.why = "idle", None, 0.0, ""
        self.indeterminate = False
        self._printed: tuple = ()
        self._show()

    def __call__(self, info, elapsed: float) -> None:
        self.update(info, elapsed)

    def update(self, info, elapsed: float) -> None:
        """Show a TaskInfo: its state, its progress if the server gives one, the time."""
        self.title = describe(info)
        self.state = str(info.state)
        self.elapsed = float(elapsed)
        self.progress = info.progress if info.progress is not None else None
        if self.state == "error":
            self.why = fault_text(info.error)
        self._show()

    def finish(self, info=None, elapsed: float | None = None) -> None:
        """Mark the task done: green (the last update may have been missed)."""
        if info is not None:
            self.title = describe(info)
        if elapsed is not None:
            self.elapsed = float(elapsed)
        self.state, self.progress = "success", 100
        self._show()

    def fail(self, error: BaseException | str) -> None:
        """Mark the task failed (or refused before it started): red, with the reason."""
        if self.state == "error" and self.why:
            pass   # the task's own fault is already shown
        elif isinstance(error, LabError) and self.state == "idle":
            self.state, self.why = "refused", str(error)   # no task was started
        else:
            self.state, self.why = "error", str(error)
        self._show()

    def track(self, operation, *args, **kwargs):
        """Call `operation(*args, on_progress=self, **kwargs)` and show how it ends.

        Returns what the operation returns; its exception is shown in red, then raised.
        """
        self.reset()
        try:
            result = operation(*args, on_progress=self, **kwargs)
        except Exception as error:
            self.fail(error)
            raise
        if self.state != "success":
            self.finish()
        return result

    def wait(self, conn, task, timeout: float | None = None):
        """Wait for `task` (lablib.tasks.wait) with this bar; return its TaskInfo."""
        from lablib.tasks import wait

        return self.track(wait, conn, task, timeout=timeout)

    def status(self) -> str:
        """Return the one-line status: "RelocateVM_Task on 'vm-shared': running… 3.2 s"."""
        text = _TEXT[self.lang]
        seconds = format_number(self.elapsed, 1, self.lang)
        if self.state == "success":
            what = text["success"].format(t=seconds)
        elif self.state == "error":
            what = text["error"].format(t=seconds, why=self.why)
        elif self.state == "refused":
            what = text["refused"].format(why=self.why)
        elif self.state == "running" and self.progress is None:
            what = f"{text['running']} {seconds} s"
        elif self.state == "running":
            what = f"{self.progress} % · {seconds} s"
        else:
            what = text.get(self.state, self.state)
        title = self.title or text["task"]
        return f"{title}: {what}"

    def _show(self) -> None:
        state = self.state
        self.indeterminate = state in ("queued", "running") and self.progress is None
        if state in ("success", "error", "refused"):
            value = 100
        elif self.indeterminate:
            value = 100 if state == "running" else 0
        else:
            value = int(self.progress or 0)
        self.bar.value = value
        self.bar.bar_style = _STYLES.get(state, "danger")
        if self.indeterminate and state == "running":
            self.bar.add_class("lablib-indeterminate")
        else:
            self.bar.remove_class("lablib-indeterminate")
        color = {"success": "#2e7d32", "error": "#b00020", "refused": "#b00020"}.get(state)
        status = html.escape(self.status())
        self.label.value = f"<span style='color:{color}'>{status}</span>" if color else status
        self._print()

    def _print(self) -> None:
        """In text mode, print a line when the state or the progress quarter changes."""
        if self.mode != "text" or self.state == "idle":
            return
        quarter = (self.progress or 0) // 25 if self.state == "running" else None
        key = (self.title, self.state, quarter)
        if key == self._printed:
            return
        self._printed = key
        line = self.status()
        self.lines.append(line)
        print(line, file=self.stream or sys.stdout, flush=True)


def _auto_mode() -> str:
    """Return "widget" inside a Jupyter kernel, "text" elsewhere or when LAB_EXECUTION=ci."""
    if os.environ.get("LAB_EXECUTION", "").lower() == "ci":
        return "text"
    try:
        from IPython import get_ipython
    except ImportError:
        return "text"
    shell = get_ipython()
    return "widget" if shell is not None and getattr(shell, "kernel", None) else "text"
