"""The cluster load figure before and after, from hand-built snapshots."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from lab_snapshots import course

from lablib.errors import InputError
from lablib.plots.load import host_load, plot_load

SIZES = {"vm-shared": (2, 4096), "vm-local": (4, 8192)}
BEFORE = course()
EVACUATED = course(maintenance=["ESXi_1"],
                   vms={"vm-shared": ("ESXi_2", "SharedDS", "poweredOn"),
                        "vm-local": ("ESXi_1", "ESXi_1-local", "poweredOff")})


def _heights(fig, axes_label):
    ax = next(a for a in fig.axes if a.get_label() == axes_label)
    return {c.get_label(): [round(bar.get_height(), 3) for bar in c]
            for c in ax.containers if not c.get_label().startswith("_")}


def test_host_load_counts_vms_and_the_size_of_powered_on_ones():
    load = host_load(EVACUATED, SIZES)
    assert load["ESXi_1"] == {"vms": 1, "powered_off": 1, "cpus": 0, "memory": 0.0}
    assert load["ESXi_2"] == {"vms": 1, "powered_off": 0, "cpus": 2, "memory": 4.0}


def test_before_and_after_side_by_side_in_three_panels():
    fig = plot_load(BEFORE, EVACUATED, sizes=SIZES)
    assert plt.get_fignums() == []
    assert [ax.get_label() for ax in fig.axes] == ["vms", "cpus", "memory"]
    assert _heights(fig, "vms") == {"before": [2, 0], "after": [1, 1]}
    assert _heights(fig, "cpus") == {"before": [6, 0], "after": [0, 2]}
    assert _heights(fig, "memory") == {"before": [12, 0], "after": [0, 4]}
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["ESXi_1\n(maintenance)", "ESXi_2"]
    assert fig.get_suptitle() == "Cluster load per host"


def test_one_state_and_custom_labels():
    fig = plot_load(BEFORE, sizes=SIZES)
    assert _heights(fig, "vms") == {"now": [2, 0]}
    fig = plot_load(BEFORE, EVACUATED, sizes=SIZES, labels=("before rebalance", "after"),
                    title="Rebalance")
    assert set(_heights(fig, "cpus")) == {"before rebalance", "after"}
    assert fig.get_suptitle() == "Rebalance"


def test_without_sizes_only_the_vm_counts_are_drawn():
    fig = plot_load(BEFORE, EVACUATED)
    assert [ax.get_label() for ax in fig.axes] == ["vms"]
    assert "vm_sizes(lab)" in fig.axes[0].get_xlabel()


def test_french_labels():
    fig = plot_load(BEFORE, EVACUATED, sizes=SIZES, lang="fr")
    assert fig.get_suptitle() == "Charge du cluster par hôte"
    assert set(_heights(fig, "vms")) == {"avant", "après"}


def test_not_a_snapshot_is_refused():
    with pytest.raises(InputError, match="Facts snapshot"):
        plot_load({"ESXi_1": 2})
