"""Matplotlib figures of one pre-copy model run (lablib.precopy).

Each function returns a new Figure and never shows it: the notebook displays what a cell
returns. Titles say "Modelled" ("Modélisé") and a footnote gives the sources, because every
number comes from the model, not from a measurement.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from lablib.precopy import MB, SOURCES, PrecopyResult, StopReason, check_lang
from lablib.text import Text, number, render

PRECOPY_COLORS = ("tab:blue", "cornflowerblue")   # alternate so adjacent rounds stay apart
SWITCHOVER_COLOR = "tab:red"
THRESHOLD_COLOR = "tab:green"
SETUP_COLOR = "0.75"

LABELS = {
    "rounds_title": Text("Modelled: data sent per round", "Modélisé : données envoyées par tour"),
    "remaining_title": Text("Modelled: dirty memory left after each round",
                            "Modélisé : mémoire sale restante après chaque tour"),
    "timeline_title": Text("Modelled: migration timeline",
                           "Modélisé : chronologie de la migration"),
    "summary_title": Text("Modelled pre-copy migration: total {total} s, switchover {down} s, "
                          "{why}", "Migration par pré-copie modélisée : durée totale {total} s, "
                          "bascule {down} s, {why}"),
    "round": Text("round", "tour"), "after_round": Text("after round", "après le tour"),
    "time": Text("time (s)", "temps (s)"), "data": Text("data ({unit})", "données ({unit})"),
    "dirty": Text("dirty memory ({unit})", "mémoire sale ({unit})"),
    "precopy": Text("pre-copy round (VM running)", "tour de pré-copie (VM active)"),
    "switchover": Text("switchover (VM paused)", "bascule (switchover, VM en pause)"),
    "threshold": Text("stop threshold", "seuil d'arrêt"), "setup": Text("setup", "préparation"),
    "downtime": Text("switchover {down} s ", "bascule {down} s "),
    "mb": Text("MB", "Mo"), "gb": Text("GB", "Go"),
    "caption": Text("Model, not a measurement. Sources: {sources}",
                    "Modèle, pas une mesure. Sources : {sources}"),
    StopReason.CONVERGED: Text("converged", "convergé"),
    StopReason.ROUND_LIMIT: Text("round limit", "limite de tours"),
    StopReason.DATA_CAP: Text("data cap", "plafond de données"),
    StopReason.MAX_RATE: Text("dirtying outpaces the max rate",
                              "mémoire salie plus vite que le débit maximal"),
}
#: Room above the tallest bar, so the legend never covers a bar (a run that does not
#: converge has every round as tall as the first).
HEADROOM = 1.45


def plot_rounds(result: PrecopyResult, *, lang: str | None = None) -> Figure:
    """Draw the data sent in each round as bars, the switchover in its own colour.

    Args:
        result: a run of lablib.precopy.simulate().
        lang: "en" or "fr" (the notebook's language by default).

    Returns:
        A new Figure with one bar per round.
    """
    return _single_plot(result, lang, _draw_rounds)


def plot_remaining(result: PrecopyResult, *, lang: str | None = None) -> Figure:
    """Draw the dirty memory left after each pre-copy round, with the stop threshold.

    Args:
        result: a run of lablib.precopy.simulate().
        lang: "en" or "fr" (the notebook's language by default).

    Returns:
        A new Figure; the y axis is logarithmic when every value is positive.
    """
    return _single_plot(result, lang, _draw_remaining)


def plot_timeline(result: PrecopyResult, *, lang: str | None = None) -> Figure:
    """Draw the rounds along the time axis, with the switchover highlighted.

    Args:
        result: a run of lablib.precopy.simulate().
        lang: "en" or "fr" (the notebook's language by default).

    Returns:
        A new Figure.
    """
    return _single_plot(result, lang, _draw_timeline, size=(8, 2.6))


def plot_summary(result: PrecopyResult, *, lang: str | None = None) -> Figure:
    """Draw rounds, dirty memory and timeline together in one figure.

    Args:
        result: a run of lablib.precopy.simulate().
        lang: "en" or "fr" (the notebook's language by default).

    Returns:
        A new Figure with three axes named "rounds", "remaining" and "timeline".
    """
    say = _sayer(lang)
    fig = _new_figure((10, 6.5))
    axes = fig.subplot_mosaic([["rounds", "remaining"], ["timeline", "timeline"]],
                              height_ratios=[3, 2])
    for name, draw in (("rounds", _draw_rounds), ("remaining", _draw_remaining),
                       ("timeline", _draw_timeline)):
        axes[name].set_label(name)
        draw(axes[name], result, say)
        axes[name].title.set_fontsize(10)   # French titles are long: they must fit
    fig.suptitle(say("summary_title", total=number(result.total_time_s, 2),
                     down=number(result.downtime_s, 3), why=LABELS[result.stop_reason]))
    _add_caption(fig, say)
    return fig


class Say:
    """The figure's labels in one language: say("key", **values)."""

    def __init__(self, lang: str | None):
        self.lang = check_lang(lang)

    def __call__(self, key: Any, **values: Any) -> str:
        return render(LABELS[key].fill(**values), self.lang)


_Draw = Callable[[Axes, PrecopyResult, Say], None]


def _sayer(lang: str | None) -> Say:
    """Return the labels of LABELS rendered in `lang`."""
    return Say(lang)


def _single_plot(result: PrecopyResult, lang: str | None, draw: _Draw,
                 size: tuple[float, float] = (7, 4)) -> Figure:
    """Make a one-axes figure with draw(), plus the source footnote."""
    say = _sayer(lang)
    fig = _new_figure(size)
    draw(fig.add_subplot(), result, say)
    _add_caption(fig, say)
    return fig


def _new_figure(size: tuple[float, float]) -> Figure:
    """Create a figure pyplot will not show by itself (the caller returns it)."""
    fig = plt.figure(figsize=size, layout="constrained")
    plt.close(fig)   # detach from pyplot: no second copy in notebooks, no leaked figures
    return fig


def _add_caption(fig: Figure, say: Say) -> None:
    """Write the model caveat and sources as a small footnote under the axes."""
    lines = textwrap.wrap(say("caption", sources=SOURCES), width=int(fig.get_figwidth() * 17),
                          break_on_hyphens=False)
    height = 0.05 + 0.14 * len(lines)   # inches taken by the footnote
    engine = fig.get_layout_engine()
    assert engine is not None   # _new_figure makes constrained-layout figures
    engine.set(rect=(0, height / fig.get_figheight(), 1,  # type: ignore[call-arg]
                     1 - height / fig.get_figheight()))
    fig.text(0.01, 0.01, "\n".join(lines), fontsize=7, color="0.35", ha="left", va="bottom")


def _scale(result: PrecopyResult, say: Say) -> tuple[float, str]:
    """Pick MB or GB for the largest round."""
    largest = max(r.bytes_sent for r in result.rounds)
    return (1000 * MB, say("gb")) if largest >= 10_000 * MB else (MB, say("mb"))


def _draw_rounds(ax: Axes, result: PrecopyResult, say: Say) -> None:
    """Bar per round: pre-copy rounds in blue, the switchover in red."""
    scale, unit = _scale(result, say)
    live = result.rounds[:-1]
    ax.bar([r.index for r in live], [r.bytes_sent / scale for r in live],
           color=PRECOPY_COLORS[0], label=say("precopy"))
    last = result.switchover
    ax.bar([last.index], [last.bytes_sent / scale], color=SWITCHOVER_COLOR,
           label=say("switchover"))
    ax.set(title=say("rounds_title"), xlabel=say("round"), ylabel=say("data", unit=unit))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _plain(v, say.lang)))
    tallest = max(r.bytes_sent / scale for r in result.rounds)
    ax.set_ylim(0, tallest * HEADROOM if tallest > 0 else 1)   # the legend's own room
    ax.legend(loc="upper right", fontsize=8)


def _draw_remaining(ax: Axes, result: PrecopyResult, say: Say) -> None:
    """Dirty memory left after each pre-copy round, and the threshold that ends pre-copy."""
    scale, unit = _scale(result, say)
    live = result.rounds[:-1]
    values = [r.dirty_after_bytes / scale for r in live]
    ax.plot([r.index for r in live], values, marker="o", color=PRECOPY_COLORS[0],
            label=say("dirty", unit=unit))
    threshold = result.threshold_bytes / scale
    ax.axhline(threshold, color=THRESHOLD_COLOR, linestyle="--", label=say("threshold"))
    if min(values) > 0 and threshold > 0:
        ax.set_yscale("log")
        low, high = min(*values, threshold), max(*values, threshold)
        ax.set_ylim(low / 1.6, high * 3.0)   # room for the legend above the line
        _readable_log_axis(ax, say.lang)
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _plain(v, say.lang)))
    ax.set(title=say("remaining_title"), xlabel=say("after_round"),
           ylabel=say("dirty", unit=unit))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper right", fontsize=8)


def _readable_log_axis(ax: Axes, lang: str | None) -> None:
    """Label a log axis with plain numbers (600, 1 000, 2 000), minor ticks too.

    Matplotlib's defaults label a range within one decade only "6×10²" and "10³"; here
    the minor ticks at 2, 3 and 5 × 10ⁿ carry labels when the axis spans a few decades.
    """
    low, high = ax.get_ylim()
    decades = math.log10(high / low)
    plain = FuncFormatter(lambda v, _: _plain(v, lang))
    ax.yaxis.set_major_locator(LogLocator(base=10))
    ax.yaxis.set_major_formatter(plain)
    ax.yaxis.set_minor_locator(LogLocator(base=10, subs=(2, 3, 5) if decades <= 3 else (2, 5)))
    ax.yaxis.set_minor_formatter(plain if decades <= 3 else NullFormatter())


def _plain(value: float, lang: str | None) -> str:
    """Return a tick value as a person writes it: 0.5, 600, 1,000 (0,5, 600, 1 000 in French)."""
    if value <= 0:
        return "0"
    if value >= 1:
        digits = 0 if value == round(value) else 1
        return render(Text(f"{value:,.{digits}f}", f"{value:,.{digits}f}".replace(",", "\u202f")
                           .replace(".", ",")), lang)
    return render(number(value, max(0, -math.floor(math.log10(value)))), lang)


def _draw_timeline(ax: Axes, result: PrecopyResult, say: Say) -> None:
    """Setup, rounds and switchover as segments of one bar along the time axis."""
    setup = result.params.setup_s
    if setup > 0:
        ax.barh(0, setup, left=0, color=SETUP_COLOR, label=say("setup"))
    live = result.rounds[:-1]
    ax.barh([0] * len(live), [r.duration_s for r in live], left=[r.start_s for r in live],
            color=[PRECOPY_COLORS[r.index % 2] for r in live], label=say("precopy"))
    last = result.switchover
    end = last.end_s + result.params.resume_s
    ax.barh(0, end - last.start_s, left=last.start_s, color=SWITCHOVER_COLOR)
    # The highlight spans the whole height, like axvspan (an explicit Rectangle: axvspan
    # returns a Polygon before matplotlib 3.9).
    ax.add_patch(Rectangle((last.start_s, 0), end - last.start_s, 1,
                           transform=ax.get_xaxis_transform(), color=SWITCHOVER_COLOR,
                           alpha=0.25, linewidth=1.5, label=say("switchover")))
    ax.annotate(say("downtime", down=number(result.downtime_s, 3)),
                xy=(last.start_s, 0.45), ha="right", va="bottom", fontsize=8,
                color=SWITCHOVER_COLOR)
    ax.set(title=say("timeline_title"), xlabel=say("time"), yticks=[],
           xlim=(0, result.total_time_s * 1.02), ylim=(-0.6, 1.0))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _plain(v, say.lang)))
    ax.legend(loc="upper left", fontsize=8, ncols=3)
