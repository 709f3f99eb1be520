"""Matplotlib figures of one pre-copy model run (lablib.precopy).

Each function returns a new Figure and never shows it: the notebook displays what a cell
returns. Titles say "Modelled" ("Modélisé") and a footnote gives the sources, because every
number comes from the model, not from a measurement.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from lablib.precopy import MB, SOURCES, PrecopyResult, StopReason, check_lang, format_number

PRECOPY_COLORS = ("tab:blue", "cornflowerblue")   # alternate so adjacent rounds stay apart
SWITCHOVER_COLOR = "tab:red"
THRESHOLD_COLOR = "tab:green"
SETUP_COLOR = "0.75"

_TEXT = {
    "en": {
        "rounds_title": "Modelled: data sent per round",
        "remaining_title": "Modelled: dirty memory left after each round",
        "timeline_title": "Modelled: migration timeline",
        "summary_title": "Modelled pre-copy migration: total {total} s, switchover {down} s, {why}",
        "round": "round", "after_round": "after round", "time": "time (s)",
        "data": "data ({unit})", "dirty": "dirty memory ({unit})",
        "precopy": "pre-copy round (VM running)", "switchover": "switchover (VM paused)",
        "threshold": "stop threshold", "setup": "setup", "downtime": "switchover {down} s ",
        "units": ("MB", "GB"),
        "caption": "Model, not a measurement. Sources: ",
        StopReason.CONVERGED: "converged", StopReason.ROUND_LIMIT: "round limit",
        StopReason.DATA_CAP: "data cap", StopReason.MAX_RATE: "dirtying outpaces the max rate",
    },
    "fr": {
        "rounds_title": "Modélisé : données envoyées par tour",
        "remaining_title": "Modélisé : mémoire sale restante après chaque tour",
        "timeline_title": "Modélisé : chronologie de la migration",
        "summary_title": "Migration par pré-copie modélisée : durée totale {total} s, "
                         "bascule {down} s, {why}",
        "round": "tour", "after_round": "après le tour", "time": "temps (s)",
        "data": "données ({unit})", "dirty": "mémoire sale ({unit})",
        "precopy": "tour de pré-copie (VM active)",
        "switchover": "bascule (switchover, VM en pause)",
        "threshold": "seuil d'arrêt", "setup": "préparation", "downtime": "bascule {down} s ",
        "units": ("Mo", "Go"),
        "caption": "Modèle, pas une mesure. Sources : ",
        StopReason.CONVERGED: "convergé", StopReason.ROUND_LIMIT: "limite de tours",
        StopReason.DATA_CAP: "plafond de données",
        StopReason.MAX_RATE: "mémoire salie plus vite que le débit maximal",
    },
}


def plot_rounds(result: PrecopyResult, *, lang: str | None = None) -> Figure:
    """Draw the data sent in each round as bars, the switchover in its own colour.

    Args:
        result: a run of lablib.precopy.simulate().
        lang: "en" or "fr".

    Returns:
        A new Figure with one bar per round.
    """
    return _single_plot(result, lang, _draw_rounds)


def plot_remaining(result: PrecopyResult, *, lang: str | None = None) -> Figure:
    """Draw the dirty memory left after each pre-copy round, with the stop threshold.

    Args:
        result: a run of lablib.precopy.simulate().
        lang: "en" or "fr".

    Returns:
        A new Figure; the y axis is logarithmic when every value is positive.
    """
    return _single_plot(result, lang, _draw_remaining)


def plot_timeline(result: PrecopyResult, *, lang: str | None = None) -> Figure:
    """Draw the rounds along the time axis, with the switchover highlighted.

    Args:
        result: a run of lablib.precopy.simulate().
        lang: "en" or "fr".

    Returns:
        A new Figure.
    """
    return _single_plot(result, lang, _draw_timeline, size=(8, 2.6))


def plot_summary(result: PrecopyResult, *, lang: str | None = None) -> Figure:
    """Draw rounds, dirty memory and timeline together in one figure.

    Args:
        result: a run of lablib.precopy.simulate().
        lang: "en" or "fr".

    Returns:
        A new Figure with three axes named "rounds", "remaining" and "timeline".
    """
    lang = check_lang(lang)
    text = _TEXT[lang]
    fig = _new_figure((10, 6.5))
    axes = fig.subplot_mosaic([["rounds", "remaining"], ["timeline", "timeline"]],
                              height_ratios=[3, 2])
    for name, draw in (("rounds", _draw_rounds), ("remaining", _draw_remaining),
                       ("timeline", _draw_timeline)):
        axes[name].set_label(name)
        draw(axes[name], result, text, lang)
    fig.suptitle(text["summary_title"].format(
        total=format_number(result.total_time_s, 2, lang),
        down=format_number(result.downtime_s, 3, lang), why=text[result.stop_reason]))
    _add_caption(fig, text)
    return fig


_Draw = Callable[[Axes, PrecopyResult, dict, str], None]


def _single_plot(result: PrecopyResult, lang: str, draw: _Draw,
                 size: tuple[float, float] = (7, 4)) -> Figure:
    """Make a one-axes figure with draw(), plus the source footnote."""
    lang = check_lang(lang)
    text = _TEXT[lang]
    fig = _new_figure(size)
    draw(fig.add_subplot(), result, text, lang)
    _add_caption(fig, text)
    return fig


def _new_figure(size: tuple[float, float]) -> Figure:
    """Create a figure pyplot will not show by itself (the caller returns it)."""
    fig = plt.figure(figsize=size, layout="constrained")
    plt.close(fig)   # detach from pyplot: no second copy in notebooks, no leaked figures
    return fig


def _add_caption(fig: Figure, text: dict) -> None:
    """Write the model caveat and sources as a small footnote under the axes."""
    lines = textwrap.wrap(text["caption"] + SOURCES, width=int(fig.get_figwidth() * 17),
                          break_on_hyphens=False)
    height = 0.05 + 0.14 * len(lines)   # inches taken by the footnote
    fig.get_layout_engine().set(rect=(0, height / fig.get_figheight(), 1,
                                      1 - height / fig.get_figheight()))
    fig.text(0.01, 0.01, "\n".join(lines), fontsize=7, color="0.35", ha="left", va="bottom")


def _scale(result: PrecopyResult, text: dict) -> tuple[float, str]:
    """Pick MB or GB for the largest round."""
    largest = max(r.bytes_sent for r in result.rounds)
    mb, gb = text["units"]
    return (1000 * MB, gb) if largest >= 10_000 * MB else (MB, mb)


def _draw_rounds(ax: Axes, result: PrecopyResult, text: dict, lang: str) -> None:
    """Bar per round: pre-copy rounds in blue, the switchover in red."""
    scale, unit = _scale(result, text)
    live = result.rounds[:-1]
    ax.bar([r.index for r in live], [r.bytes_sent / scale for r in live],
           color=PRECOPY_COLORS[0], label=text["precopy"])
    last = result.switchover
    ax.bar([last.index], [last.bytes_sent / scale], color=SWITCHOVER_COLOR,
           label=text["switchover"])
    ax.set(title=text["rounds_title"], xlabel=text["round"], ylabel=text["data"].format(unit=unit))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper right", fontsize=8)


def _draw_remaining(ax: Axes, result: PrecopyResult, text: dict, lang: str) -> None:
    """Dirty memory left after each pre-copy round, and the threshold that ends pre-copy."""
    scale, unit = _scale(result, text)
    live = result.rounds[:-1]
    values = [r.dirty_after_bytes / scale for r in live]
    ax.plot([r.index for r in live], values, marker="o", color=PRECOPY_COLORS[0],
            label=text["dirty"].format(unit=unit))
    threshold = result.threshold_bytes / scale
    ax.axhline(threshold, color=THRESHOLD_COLOR, linestyle="--", label=text["threshold"])
    if min(values) > 0 and threshold > 0:
        ax.set_yscale("log")
    ax.set(title=text["remaining_title"], xlabel=text["after_round"],
           ylabel=text["dirty"].format(unit=unit))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="best", fontsize=8)   # "best" is computed from the data: still deterministic


def _draw_timeline(ax: Axes, result: PrecopyResult, text: dict, lang: str) -> None:
    """Setup, rounds and switchover as segments of one bar along the time axis."""
    setup = result.params.setup_s
    if setup > 0:
        ax.barh(0, setup, left=0, color=SETUP_COLOR, label=text["setup"])
    live = result.rounds[:-1]
    ax.barh([0] * len(live), [r.duration_s for r in live], left=[r.start_s for r in live],
            color=[PRECOPY_COLORS[r.index % 2] for r in live], label=text["precopy"])
    last = result.switchover
    end = last.end_s + result.params.resume_s
    ax.barh(0, end - last.start_s, left=last.start_s, color=SWITCHOVER_COLOR)
    # The highlight spans the whole height, like axvspan (an explicit Rectangle: axvspan
    # returns a Polygon before matplotlib 3.9).
    ax.add_patch(Rectangle((last.start_s, 0), end - last.start_s, 1,
                           transform=ax.get_xaxis_transform(), color=SWITCHOVER_COLOR,
                           alpha=0.25, linewidth=1.5, label=text["switchover"]))
    ax.annotate(text["downtime"].format(down=format_number(result.downtime_s, 3, lang)),
                xy=(last.start_s, 0.45), ha="right", va="bottom", fontsize=8,
                color=SWITCHOVER_COLOR)
    ax.set(title=text["timeline_title"], xlabel=text["time"], yticks=[],
           xlim=(0, result.total_time_s * 1.02), ylim=(-0.6, 1.0))
    ax.legend(loc="upper left", fontsize=8, ncols=3)
