"""TaskProgress: a progress bar fed by a vSphere task, with a text fallback.

It is the `on_progress(info, elapsed)` callback of lablib.tasks.wait (and of every Lab
method that takes `on_progress`), so it follows the task through PropertyCollector
updates and the wait's one-second heartbeat, never by polling itself
(docs/style.md §0 (rule 4), docs/teaching.md C4):

- when the server reports `info.progress` (vCenter; the lab simulator in demo mode) the
  bar's width follows it, striped and moving;
- when it reports none (or still 0 %), the bar is "indeterminate": a striped segment
  slides along it (`.indeterminate` is True, CSS class `lablib-indeterminate`);
- the elapsed time counts up smoothly between the kernel's updates: a CSS animation
  started at the last known elapsed time (no Python loop, no JavaScript);
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

from lablib.errors import InputError, LabError
from lablib.language import check_language
from lablib.tasks import describe, fault_text
from lablib.text import Text, number, render

from ._display import widget_bundle

MODES = ("auto", "widget", "text")
_STATES = {"idle": Text("waiting", "en attente"), "queued": Text("queued", "en file d'attente")}
_STYLES = {"idle": "", "queued": "info", "running": "info", "success": "success",
           "error": "danger"}
DECIMAL = Text(".", ",")
_COLORS = {"success": "#2e7d32", "error": "#b00020", "refused": "#b00020"}

#: The animations: the sliding segment, the moving stripes, the elapsed-time counter
#: (two registered integer properties stepped by CSS; a negative animation-delay starts
#: them at the elapsed time the kernel last reported).
STYLE = """<style>
.lablib-progress .progress { overflow: hidden; }
.lablib-progress .progress-bar { transition: width 0.4s ease; }
.lablib-running .progress-bar {
  background-image: linear-gradient(45deg, rgba(255,255,255,.35) 25%, transparent 25%,
    transparent 50%, rgba(255,255,255,.35) 50%, rgba(255,255,255,.35) 75%,
    transparent 75%, transparent);
  background-size: 16px 16px; animation: lablib-stripes 0.8s linear infinite; }
.lablib-indeterminate .progress-bar { width: 35% !important;
  animation: lablib-stripes 0.8s linear infinite, lablib-slide 1.6s ease-in-out infinite; }
@keyframes lablib-stripes { from { background-position: 16px 0; }
  to { background-position: 0 0; } }
@keyframes lablib-slide { from { transform: translateX(-100%); }
  to { transform: translateX(290%); } }
@property --lablib-s { syntax: '<integer>'; inherits: false; initial-value: 0; }
@property --lablib-t { syntax: '<integer>'; inherits: false; initial-value: 0; }
.lablib-clock { counter-reset: lablib-s var(--lablib-s) lablib-t var(--lablib-t);
  animation: lablib-s 86400s steps(86400, end) forwards, lablib-t 1s steps(10, end) infinite; }
.lablib-clock::after { content: counter(lablib-s) attr(data-sep) counter(lablib-t) " s"; }
@keyframes lablib-s { from { --lablib-s: 0; } to { --lablib-s: 86400; } }
@keyframes lablib-t { from { --lablib-t: 0; } to { --lablib-t: 10; } }
</style>"""


class TaskProgress:
    """A progress bar for one task at a time; pass it as `on_progress`."""

    def __init__(self, title: Text | str = "", *, mode: str = "auto", lang: str | None = None,
                 stream=None):
        """Build the bar.

        Args:
            title: what the bar stands for until a task names itself.
            mode: "widget", "text" (print lines), or "auto" (text without a kernel or
                when LAB_EXECUTION=ci).
            lang: "en" or "fr" to force a language (the notebook's language by default).
            stream: where text mode prints (sys.stdout by default).
        """
        if mode not in MODES:
            raise InputError(Text("Unknown progress mode {mode}. Accepted: {accepted}.",
                                  "Mode de progression inconnu : {mode}. Acceptés : "
                                  "{accepted}.", mode=repr(mode)[:40],
                                  accepted=", ".join(MODES)))
        self.lang = None if lang is None else check_language(lang)
        self.mode = _auto_mode() if mode == "auto" else mode
        self.stream = stream
        self.title: Text | str = title
        self.bar = widgets.IntProgress(value=0, min=0, max=100,
                                       layout=widgets.Layout(width="24em"))
        self.bar.add_class("lablib-progress")
        self.label = widgets.HTML()
        self.label.add_class("lablib-progress-label")
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

    def reset(self, title: Text | str | None = None) -> None:
        """Go back to the empty bar, ready for the next task."""
        self.title = self.title if title is None else title
        self.state, self.elapsed = "idle", 0.0
        self.progress: int | None = None
        self.why: Text | str = ""
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

    def fail(self, error: BaseException | Text | str) -> None:
        """Mark the task failed (or refused before it started): red, with the reason."""
        why = getattr(error, "message", None) or str(error)
        if self.state == "error" and self.why:
            pass   # the task's own fault is already shown
        elif isinstance(error, LabError) and self.state == "idle":
            self.state, self.why = "refused", _first_line(why)   # no task was started
        else:
            self.state, self.why = "error", _first_line(why)
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

    @property
    def running(self) -> bool:
        """Tell whether a task is queued or running."""
        return self.state in ("queued", "running")

    def status(self) -> str:
        """Return the one-line status: "Migrer la machine virtuelle (vm-shared) : 40 % · 3,2 s"."""
        return render(self._status(), self.lang)

    def _status(self, clock: bool = False) -> Text:
        seconds = Text("{t} s", t=number(self.elapsed))
        what: Text
        if self.state == "success":
            what = Text("completed in {t}", "terminée en {t}", t=seconds)
        elif self.state == "error":
            what = Text("failed after {t}: {why}", "échec après {t} : {why}", t=seconds,
                        why=self.why)
        elif self.state == "refused":
            what = Text("refused: {why}", "refusée : {why}", why=self.why)
        elif self.state == "running" and not self.progress:
            what = Text("running… {t}", "en cours… {t}", t="{clock}" if clock else seconds)
        elif self.state == "running":
            what = Text("{p} % · {t}", "{p} % · {t}", p=self.progress,
                        t="{clock}" if clock else seconds)
        else:
            what = _STATES.get(self.state, Text(self.state))
        title = self.title or Text("task", "tâche")
        return Text("{title}: {what}", "{title} : {what}", title=title, what=what)

    def _show(self) -> None:
        state = self.state
        self.indeterminate = self.running and not self.progress
        if state in ("success", "error", "refused"):
            value = 100
        elif self.indeterminate:
            value = 100 if state == "running" else 0
        else:
            value = int(self.progress or 0)
        self.bar.value = value
        self.bar.bar_style = _STYLES.get(state, "danger")
        for css, on in (("lablib-running", state == "running"),
                        ("lablib-indeterminate", self.indeterminate and state == "running")):
            (self.bar.add_class if on else self.bar.remove_class)(css)
        self.label.value = self._label_html()
        self._print()

    def _label_html(self) -> str:
        """Return the label: the status, with a counting clock while the task runs."""
        text = html.escape(render(self._status(clock=self.state == "running"), self.lang))
        if self.state == "running":
            delay = f"-{self.elapsed:.2f}s"
            clock = (f"<span class='lablib-clock' data-sep='{render(DECIMAL, self.lang)}' "
                     f"style='animation-delay:{delay},{delay}'></span>")
            text = STYLE + text.replace("{clock}", clock)
        color = _COLORS.get(self.state)
        return f"<span style='color:{color}'>{text}</span>" if color else text

    def _print(self) -> None:
        """In text mode, print a line when the state or the progress quarter changes."""
        if self.mode != "text" or self.state == "idle":
            return
        quarter = (self.progress or 0) // 25 if self.state == "running" else None
        key = (render(self.title, self.lang), self.state, quarter)
        if key == self._printed:
            return
        self._printed = key
        line = self.status()
        self.lines.append(line)
        print(line, file=self.stream or sys.stdout, flush=True)


def _first_line(why: Text | str) -> Text | str:
    """Return a reason short enough for the bar's label: a refusal's headline."""
    return getattr(why, "headline", why)


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
