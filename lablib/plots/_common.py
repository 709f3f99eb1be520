"""What the lab's inventory figures share: a detached figure, the snapshot, the language."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from lablib.errors import InputError
from lablib.i18n import LANGUAGES, language


def new_figure(size: tuple[float, float], layout: str | None = None) -> Figure:
    """Create a figure pyplot will not show by itself (the caller returns it)."""
    fig = plt.figure(figsize=size, layout=layout)
    plt.close(fig)   # detach from pyplot: no second copy in notebooks, no leaked figures
    return fig


def snapshot_of(lab_or_snapshot):
    """Return a Facts Snapshot: the one given, or a fresh one read from a Lab."""
    if hasattr(lab_or_snapshot, "facts"):
        return lab_or_snapshot.facts.snapshot()
    if hasattr(lab_or_snapshot, "hosts") and hasattr(lab_or_snapshot, "vms"):
        return lab_or_snapshot
    raise InputError(f"Expected a Lab or a Facts snapshot, not {type(lab_or_snapshot).__name__}."
                     " Pass `lab` or `lab.facts.snapshot()`.")


def lang_of(lang: str | None) -> str:
    """Return `lang`, or the notebook's language (lablib.i18n) when None."""
    lang = language() if lang is None else lang
    if lang not in LANGUAGES:
        raise InputError(f"Unknown language {lang!r}. Accepted: {', '.join(LANGUAGES)}.")
    return lang
