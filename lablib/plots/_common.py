"""What the lab's inventory figures share: a detached figure and the snapshot."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from lablib.errors import InputError
from lablib.text import Text


def new_figure(size: tuple[float, float], layout: str | None = None) -> Figure:
    """Create a figure pyplot will not show by itself (the caller returns it)."""
    fig = plt.figure(figsize=size, layout=layout)
    plt.close(fig)   # detach from pyplot: no second copy in notebooks, no leaked figures
    return fig


def snapshot_of(lab_or_snapshot: Any) -> Any:
    """Return a Facts Snapshot: the one given, or a fresh one read from a Lab."""
    if hasattr(lab_or_snapshot, "facts"):
        return lab_or_snapshot.facts.snapshot()
    if hasattr(lab_or_snapshot, "hosts") and hasattr(lab_or_snapshot, "vms"):
        return lab_or_snapshot
    raise InputError(Text("Expected a Lab or a Facts snapshot, not {kind}. Pass `lab` or "
                          "`lab.facts.snapshot()`.", "Attendu : un Lab ou un instantané des "
                          "faits, pas {kind}. Passez `lab` ou `lab.facts.snapshot()`.",
                          kind=type(lab_or_snapshot).__name__))
