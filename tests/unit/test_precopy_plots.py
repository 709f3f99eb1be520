"""Figures of a pre-copy model run: checked through their artists, never their pixels."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from lablib.errors import InputError
from lablib.plots.precopy import (
    SWITCHOVER_COLOR,
    plot_remaining,
    plot_rounds,
    plot_summary,
    plot_timeline,
)
from lablib.precopy import MB, reference_case, simulate

PLOTS = (plot_rounds, plot_remaining, plot_timeline, plot_summary)


@pytest.fixture(scope="module")
def result():
    return simulate(dirty_pages_per_s=200_000, setup_s=0.5, resume_s=0.05)


def _axes(fig, name=None):
    return fig.axes[0] if name is None else next(ax for ax in fig.axes if ax.get_label() == name)


def _bars(ax):
    return [bar for container in ax.containers for bar in container]


def _switchover_spans(ax, label):
    return [p for p in ax.patches if p.get_label() == label]


@pytest.mark.parametrize("plot", PLOTS)
def test_each_plot_returns_a_figure_pyplot_does_not_hold(plot, result):
    fig = plot(result)
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == []


@pytest.mark.parametrize("plot", PLOTS)
def test_titles_say_modelled_and_the_footnote_gives_sources(plot, result):
    fig = plot(result)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles and all(title.startswith("Modelled") for title in titles)
    caption = " ".join(text.get_text() for text in fig.texts)
    assert "Model, not a measurement" in caption and "Clark" in caption


@pytest.mark.parametrize("plot", PLOTS)
def test_french_titles_say_modelise(plot, result):
    fig = plot(result, lang="fr")
    assert all(ax.get_title().startswith("Modélisé") for ax in fig.axes)
    assert "Modèle, pas une mesure" in " ".join(text.get_text() for text in fig.texts)


def test_unknown_language_is_refused(result):
    with pytest.raises(InputError, match="language"):
        plot_rounds(result, lang="de")


@pytest.mark.parametrize("key", ["1", "3a", "5b"])
def test_one_bar_per_round_with_the_switchover_last(key):
    result = reference_case(key).simulate()
    bars = _bars(_axes(plot_rounds(result)))
    assert len(bars) == len(result.rounds)
    assert [bar.get_height() for bar in bars] == pytest.approx(
        [r.bytes_sent / MB for r in result.rounds])
    assert matplotlib.colors.same_color(bars[-1].get_facecolor(), SWITCHOVER_COLOR)
    assert not matplotlib.colors.same_color(bars[0].get_facecolor(), SWITCHOVER_COLOR)


def test_remaining_plot_draws_the_stop_threshold(result):
    ax = _axes(plot_remaining(result))
    [threshold] = [line for line in ax.lines if line.get_label() == "stop threshold"]
    assert list(threshold.get_ydata()) == pytest.approx([result.threshold_bytes / MB] * 2)
    [dirty] = [line for line in ax.lines if line.get_label().startswith("dirty memory")]
    assert list(dirty.get_ydata()) == pytest.approx(
        [r.dirty_after_bytes / MB for r in result.rounds[:-1]])
    assert ax.get_yscale() == "log"


def test_remaining_plot_stays_linear_when_nothing_is_dirty():
    ax = _axes(plot_remaining(simulate()))
    assert ax.get_yscale() == "linear"


def test_timeline_highlights_the_switchover_and_resume(result):
    ax = _axes(plot_timeline(result))
    [span] = _switchover_spans(ax, "switchover (VM paused)")
    assert span.get_x() == pytest.approx(result.switchover.start_s)
    assert span.get_x() + span.get_width() == pytest.approx(result.total_time_s)
    assert span.get_width() == pytest.approx(result.downtime_s)
    labels = {patch.get_label() for patch in ax.patches} | {c.get_label() for c in ax.containers}
    assert {"setup", "pre-copy round (VM running)"} <= labels


def test_summary_combines_the_three_plots(result):
    fig = plot_summary(result)
    assert sorted(ax.get_label() for ax in fig.axes) == ["remaining", "rounds", "timeline"]
    assert len(_bars(_axes(fig, "rounds"))) == len(result.rounds)
    assert _switchover_spans(_axes(fig, "timeline"), "switchover (VM paused)")
    assert fig.get_suptitle().startswith("Modelled")
    french = plot_summary(result, lang="fr")
    assert _switchover_spans(_axes(french, "timeline"), "bascule (switchover, VM en pause)")
    assert "bascule" in french.get_suptitle()


def test_same_result_gives_the_same_layout(result):
    first, second = plot_summary(result), plot_summary(result)
    for a, b in zip(first.axes, second.axes):
        assert a.get_position().bounds == b.get_position().bounds
        assert [bar.get_height() for bar in _bars(a)] == [bar.get_height() for bar in _bars(b)]


def _tick_labels(ax):
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.yaxis.get_majorticklabels() + ax.yaxis.get_minorticklabels()
            if t.get_text() and t.get_visible()
            and ax.get_ylim()[0] <= t.get_position()[1] <= ax.get_ylim()[1]]


@pytest.mark.parametrize("rate", [100_000, 200_000, 300_000, 600_000])
def test_the_log_axis_reads_in_plain_numbers_in_every_case(rate):
    run = simulate(dirty_pages_per_s=rate)
    english = _tick_labels(_axes(plot_remaining(run)))
    assert len(english) >= 3, english                 # not just "6×10²" and "10³"
    assert not any("10^" in t or "times" in t or "mathdefault" in t for t in english), english
    assert all(t.replace(",", "").replace(".", "").isdigit() for t in english), english
    french = _tick_labels(_axes(plot_remaining(run, lang="fr")))
    assert all(t.replace("\u202f", "").replace(",", "").isdigit() for t in french), french
    if any(len(t) > 3 and "," in t for t in english):
        assert any("\u202f" in t for t in french)    # 1 000, not 1,000


@pytest.mark.parametrize("rate", [100_000, 300_000, 400_000, 600_000])
def test_the_legend_never_covers_a_bar(rate):
    run = simulate(dirty_pages_per_s=rate)
    for fig in (plot_rounds(run), plot_summary(run, lang="fr")):
        ax = _axes(fig, "rounds" if len(fig.axes) > 1 else None)
        fig.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        for bar in _bars(ax):
            assert not legend.overlaps(bar.get_window_extent()), (rate, bar)
