"""Cluster load per host, before and after a rebalance or an evacuation.

Three panels side by side: the number of VMs on each host, and the vCPUs and memory
configured for the powered-on VMs (what a host has to serve; a powered-off VM only
occupies its datastore). Bars for "before" and "after" stand next to each other, so a
host emptied by maintenance mode or relieved by a rebalance is seen at a glance.

The figure is drawn from two Facts snapshots, so tests and labs can build any
before/after states. The configured sizes are not part of a snapshot:
`vm_sizes(lab)` reads them in one listing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from lablib.language import check_language
from lablib.text import Text, render

from ._common import new_figure, snapshot_of

if TYPE_CHECKING:
    from lablib.lab import Lab

BEFORE_COLOR, AFTER_COLOR = "#9bb7d4", "#2f5d8c"
METRICS = ("vms", "cpus", "memory")

LABELS = {
    "title": Text("Cluster load per host", "Charge du cluster par hôte"),
    "before": Text("before", "avant"), "after": Text("after", "après"),
    "now": Text("now", "maintenant"),
    "vms": Text("VMs (hatched: powered off)", "VM (hachurées : hors tension)"),
    "cpus": Text("vCPUs of powered-on VMs", "vCPU des VM sous tension"),
    "memory": Text("memory of powered-on VMs (GiB)", "mémoire des VM sous tension (Gio)"),
    "maintenance": Text("maintenance", "maintenance"),
    "no_sizes": Text("vCPU and memory: pass sizes=vm_sizes(lab)",
                     "vCPU et mémoire : passez sizes=vm_sizes(lab)"),
}


def vm_sizes(lab: Lab) -> dict[str, tuple[int, int]]:
    """Return {VM name: (vCPUs, memory MB)} as configured, read in one listing."""
    rows = lab.inventory.retrieve("vm", ["name", "config.hardware.numCPU",
                                         "config.hardware.memoryMB"])
    return {row["name"]: (int(row.get("config.hardware.numCPU", 0)),
                          int(row.get("config.hardware.memoryMB", 0))) for row in rows}


def host_load(snapshot, sizes: Mapping[str, tuple[int, int]] | None = None) -> dict:
    """Return {host: {"vms", "powered_off", "cpus", "memory"}} for one snapshot.

    Args:
        snapshot: a `lab.facts.snapshot()`.
        sizes: {VM name: (vCPUs, memory MB)}, from `vm_sizes(lab)`; without it the
            vCPU and memory totals are 0.

    Returns:
        A dict per host name: VM count, powered-off VM count, vCPUs and memory (GiB)
        of its powered-on VMs.
    """
    load = {h.name: {"vms": 0, "powered_off": 0, "cpus": 0, "memory": 0.0}
            for h in snapshot.hosts}
    for vm in snapshot.vms:
        row = load.setdefault(vm.host, {"vms": 0, "powered_off": 0, "cpus": 0,
                                        "memory": 0.0})
        row["vms"] += 1
        if vm.power_state != "poweredOn":
            row["powered_off"] += 1
            continue
        cpus, memory_mb = (sizes or {}).get(vm.name, (0, 0))
        row["cpus"] += cpus
        row["memory"] += memory_mb / 1024
    return load


def plot_load(before, after=None, *, sizes: Mapping[str, tuple[int, int]] | None = None,
              labels: tuple[str, str] | None = None, title: str | None = None,
              lang: str | None = None) -> Figure:
    """Draw each host's load before and after, side by side.

    Args:
        before: a snapshot (or a Lab, read now) of the state before.
        after: the state after, or None to draw one state only.
        sizes: {VM name: (vCPUs, memory MB)}; read from `before` or `after` when one
            is a Lab; without sizes only the VM counts are drawn.
        labels: the two bar labels (default "before" and "after"; Texts are rendered).
        title: the figure title (a Text is rendered).
        lang: "en" or "fr" (the notebook's language by default).

    Returns:
        A new Figure with axes labelled "vms" (and "cpus", "memory" when sizes are
        known); each axes has one bar container per state, labelled as the legend says.
    """
    lang = None if lang is None else check_language(lang)
    text = {key: render(value, lang) for key, value in LABELS.items()}
    if sizes is None:
        lab = next((s for s in (before, after) if hasattr(s, "facts")), None)
        sizes = vm_sizes(lab) if lab is not None else _sizes_from_facts(before, after)
    states = [snapshot_of(before)] + ([snapshot_of(after)] if after is not None else [])
    names = [render(n, lang) for n in labels or ((text["before"], text["after"])
                                                 if after is not None else (text["now"],))]
    names = names[:len(states)]
    loads = [host_load(state, sizes) for state in states]
    hosts = sorted({name for load in loads for name in load if name})
    metrics = METRICS if sizes else METRICS[:1]
    fig = new_figure((3.6 * len(metrics) + 0.6, 3.6), layout="constrained")
    axes = fig.subplots(1, len(metrics), squeeze=False)[0]
    ticks = [_tick(host, states[-1], text) for host in hosts]
    for ax, metric in zip(axes, metrics):
        ax.set_label(metric)
        _bars(ax, metric, hosts, loads, names, ticks)
        ax.set_title(text[metric], fontsize=10)
    if not sizes:
        axes[0].set_xlabel(text["no_sizes"], fontsize=7, color="0.4")
    fig.suptitle(render(title, lang) if title else text["title"])
    return fig


def _bars(ax: Axes, metric: str, hosts, loads, names, ticks) -> None:
    width = 0.8 / len(loads)
    colors = (BEFORE_COLOR, AFTER_COLOR) if len(loads) > 1 else (AFTER_COLOR,)
    for k, (load, name, color) in enumerate(zip(loads, names, colors)):
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(hosts))]
        values = [load.get(h, {}).get(metric, 0) for h in hosts]
        ax.bar(xs, values, width=width, color=color, label=name)
        if metric == "vms":   # the powered-off part, hatched over the count
            off = [load.get(h, {}).get("powered_off", 0) for h in hosts]
            ax.bar(xs, off, width=width, facecolor="none", edgecolor="white", hatch="///",
                   linewidth=0, label=f"_{name} powered off")
    ax.set_xticks(range(len(hosts)), ticks, fontsize=8.5)
    ax.set_ylim(0, max([1] + [load.get(h, {}).get(metric, 0) * 1.2
                              for load in loads for h in hosts]))
    if metric in ("vms", "cpus"):
        ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    ax.legend(fontsize=8, loc="upper right")


def _tick(host: str, last, text) -> str:
    facts = last.host(host)
    return f"{host}\n({text['maintenance']})" if facts and facts.in_maintenance else host


def _sizes_from_facts(*states) -> dict | None:
    """Take sizes from the VmFacts that know them (a snapshot read from a server)."""
    sizes = {}
    for state in states:
        for vm in getattr(state, "vms", None) or []:
            if getattr(vm, "cpus", 0) or getattr(vm, "memory_mb", 0):
                sizes[vm.name] = (vm.cpus, vm.memory_mb)
    return sizes or None
