"""The lab's topology as one matplotlib figure: cluster, hosts, VMs, networks, datastores.

The layout is computed from the names alone (hosts sorted by cluster then name,
datastores ordered under the hosts that mount them), so the same inventory always
gives the same picture (docs/teaching.md C4: explicit positions, never a
spring layout). It shows what the vMotion rules look at:

- the vMotion network, and a line to it from each host that has vMotion enabled on a
  VMkernel adapter (the course's "vmk0 > Modifier > cocher vMotion");
- each datastore with one line per host that mounts it, so a VM on a local datastore
  is visibly reachable from one host only (the course's shared-storage error);
- the VM being moved, with an arrow from its source to its destination;
- every host or datastore a precheck failure names, greyed, with the reason.

Artists carry stable ids (`Artist.get_gid()`) so tests and curious students can find
them: "cluster:<name>", "host:<name>", "vm:<name>", "datastore:<name>",
"mount:<host>:<datastore>", "vmotion:<host>", "vmotion-network", "move:host",
"move:datastore", "ghost:<vm>", "greyed:<name>", "reason:<name>".
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Rectangle

from lablib.errors import InputError, quoted
from lablib.language import check_language
from lablib.status import SIMULATED
from lablib.text import Text, render
from lablib.vmotion.findings import rule_name

from ._common import new_figure, snapshot_of

HOST_W, HOST_GAP = 3.4, 1.2
HEADER_H, CHIP_H, CHIP_GAP, PAD = 1.15, 0.62, 0.14, 0.25
REASON_H = 0.95
FRAME_PAD, FRAME_TOP = 0.4, 0.75
NET_GAP, NET_H = 0.8, 0.36
DS_GAP, DS_H, DS_SPACE = 1.6, 0.85, 0.4

MOVE_COLOR = "tab:orange"
ON_FACE, ON_EDGE = "#d7efd8", "#2e7d32"
OFF_FACE, OFF_EDGE = "white", "0.55"
HOST_FACE, HOST_EDGE = "#eef3fb", "#3a5f8f"
GREY_FACE, GREY_EDGE = "0.86", "0.55"
SHARED_FACE, LOCAL_FACE = "#cfe0f3", "#f3e3c8"
SHARED_LINE, LOCAL_LINE = "#3a6ea5", "#a0702a"
VMOTION_COLOR = "#6a3d9a"
REASON_COLOR = "#b00020"

LABELS = {
    "title": Text("Lab topology", "Topologie du lab"),
    "moving": Text("moving {vm}", "migration de {vm}"),
    "vmotion_net": Text("vMotion network", "réseau vMotion"),
    "vmotion": Text("vMotion: {vmks}", "vMotion : {vmks}"),
    "no_vmotion": Text("no vMotion vmknic", "pas de vmknic vMotion"),
    "maintenance": Text("maintenance mode", "mode maintenance"),
    "evc": Text("EVC: {mode}", "EVC : {mode}"), "off": Text("off", "désactivé"),
    "shared": Text("shared", "partagé"), "local": Text("local to {host}", "local à {host}"),
    "unmounted": Text("not mounted", "non monté"),
    "free": Text("{free} GB free", "{free} Go libres"),
    "before": Text("{vm} (before)", "{vm} (avant)"),
    "after": Text("{vm} (destination)", "{vm} (destination)"),
    "on": Text("VM powered on", "VM sous tension"), "off_vm": Text("VM powered off",
                                                                  "VM hors tension"),
    "shared_ds": Text("shared datastore", "datastore partagé"),
    "local_ds": Text("local datastore", "datastore local"),
    "move": Text("migration", "migration"),
    "footnote": Text("{mark} simulated by lablib: the public vcsim image has no API for these "
                     "values.", "{mark} simulé par lablib : l'image vcsim publique n'a pas "
                     "d'API pour ces valeurs.", mark=SIMULATED),
}


_ROLES = {"source": Text("source", "source"), "destination": Text("destination", "destination")}


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def top(self) -> float:
        return self.y + self.h


def plot_topology(lab_or_snapshot, moving: str | None = None, destination=None,
                  findings=None, lang: str | None = None, *, source=None) -> Figure:
    """Draw the cluster, its hosts and VMs, the vMotion network and the datastores.

    Args:
        lab_or_snapshot: a Lab (read now) or a `lab.facts.snapshot()`.
        moving: the name of the VM to highlight.
        destination: where `moving` goes: a host name, a datastore name, several of
            them, a mapping {"host": ..., "datastore": ...} or a Placement.
        findings: what to grey out: a precheck result (its failures), a list of
            findings, or a mapping {host or datastore name: reason}.
        lang: "en" or "fr" (the notebook's language by default).
        source: where `moving` was before a migration (same forms as `destination`):
            the VM is then drawn where it is now, with an arrow from `source`.

    Returns:
        A new Figure with one axes; see the module docstring for the artists' ids.

    Raises:
        InputError: a name is not a VM, host or datastore of the snapshot.
    """
    snap = snapshot_of(lab_or_snapshot)
    text = _Say(None if lang is None else check_language(lang))
    vm = _moving_vm(snap, moving)
    dst_hosts, dst_dss = _targets(snap, destination, "destination")
    src_hosts, src_dss = _targets(snap, source, "source")
    if vm is not None and (source is not None) and not (src_hosts or src_dss):
        src_hosts = [vm.host]
    greyed = greyed_objects(snap, findings, dst_hosts or ([vm.host] if vm else []), text.lang)

    hosts = sorted(snap.hosts, key=lambda h: (h.cluster, h.name))
    ghost_host = _ghost_host(vm, source, src_hosts, dst_hosts)
    rows = max([len(_vms_on(snap, h.name)) + (h.name == ghost_host) for h in hosts] + [1])
    host_h = HEADER_H + rows * (CHIP_H + CHIP_GAP) + PAD
    if any(h.name in greyed for h in hosts):
        host_h += REASON_H
    boxes = {h.name: _Box(i * (HOST_W + HOST_GAP), 0.0, HOST_W, host_h)
             for i, h in enumerate(hosts)}
    width = max(len(hosts) * (HOST_W + HOST_GAP) - HOST_GAP, HOST_W)
    left, right = -FRAME_PAD - 0.2, width + FRAME_PAD + 0.2
    net_y = host_h + FRAME_TOP + NET_GAP
    ds_top = -FRAME_PAD - DS_GAP
    ds_reason = REASON_H if any(d.name in greyed for d in snap.datastores) else 0.0
    storage_move = bool(dst_dss) and vm is not None
    # Room for the storage arrow's arc, the legend and the footnote.
    bottom = ds_top - DS_H - max(ds_reason, 1.0 if storage_move else 0.0) - 1.3
    top = net_y + NET_H + 0.3

    scale = 0.78   # inches per data unit
    fig = new_figure((max(7.0, (right - left) * scale), (top - bottom) * scale))
    ax = fig.add_axes((0.015, 0.0, 0.97, 0.94))
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.axis("off")
    title = text["title"]
    if vm is not None:
        title += " — " + text("moving", vm=vm.name)
    ax.set_title(title, fontsize=12, loc="left")

    marks: set[str] = set()
    _draw_clusters(ax, snap, hosts, boxes, text, marks)
    _draw_vmotion(ax, hosts, boxes, left, right, net_y, text, marks)
    chips = _draw_hosts(ax, snap, hosts, boxes, vm, greyed, text, marks)
    ds_boxes = _draw_datastores(ax, snap, hosts, boxes, left, right, ds_top, greyed,
                                dst_dss, text)
    if vm is not None:
        _draw_move(ax, vm, boxes, chips, ds_boxes, ghost_host, source is not None,
                   src_dss if source is not None else list(vm.datastores),
                   dst_dss, text)
    _draw_legend(ax, text, (left + right) / 2, bottom + 0.75)
    if marks:
        ax.text(left + 0.1, bottom + 0.15, text["footnote"], fontsize=7.5, color="0.35",
                ha="left", va="bottom", gid="footnote")
    return fig


def greyed_objects(snapshot, findings, default: Iterable[str] = (),
                   lang: str | None = None) -> dict[str, str]:
    """Return {host or datastore name: reasons} for the failures in `findings`.

    A failure greys the hosts and datastores it is about (its `objects`, when the
    finding carries them, else the names its message gives); one naming none greys the
    `default` objects (the destination). Each reason is "<rule>: <message>", one line
    per failure. A mapping is returned as it is.
    """
    if not findings:
        return {}
    if isinstance(findings, Mapping):
        return {str(name): str(reason) for name, reason in findings.items()}
    names = [h.name for h in snapshot.hosts] + [d.name for d in snapshot.datastores]
    greyed: dict[str, list[str]] = {}
    for finding in findings:
        if getattr(finding, "ok", True):
            continue
        message = render(getattr(finding, "message", "") or finding, lang)
        rule_id = str(getattr(finding, "rule", "") or "")
        rule = render(rule_name(rule_id), lang) if rule_id else ""
        named = list(getattr(finding, "objects", None) or
                     [n for n in names if _names(message, n)] or default)
        for name in named:
            greyed.setdefault(str(name), []).append(
                render(Text("{rule}: {message}", "{rule} : {message}", rule=rule,
                            message=message), lang) if rule else message)
    return {name: "\n".join(reasons) for name, reasons in greyed.items()}


def _names(message: str, name: str) -> bool:
    """Tell whether `message` names `name` as a whole ("ESXi_1" is not in "ESXi_1-local")."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", message) is not None


def _moving_vm(snap, moving):
    if moving is None:
        return None
    name = getattr(moving, "vm", None) or getattr(moving, "name", None) or moving
    vm = snap.vm(str(name))
    if vm is None:
        raise InputError(Text("No VM '{name}' in the lab. VMs: {vms}.",
                              "Aucune VM '{name}' dans le lab. VM : {vms}.", name=name,
                              vms=quoted(v.name for v in snap.vms)))
    return vm


def _targets(snap, where, role: str) -> tuple[list[str], list[str]]:
    """Split `where` (names, a mapping or a Placement) into host and datastore names."""
    if where is None:
        return [], []
    if isinstance(where, Mapping):
        items = [where.get("host"), *_as_list(where.get("datastore"))]
    elif hasattr(where, "host") and hasattr(where, "datastores"):
        items = [where.host, *where.datastores]
    else:
        items = _as_list(where)
    hosts, dss = [], []
    for item in items:
        if not item:
            continue
        name = getattr(item, "name", item)
        if snap.host(name) is not None:
            hosts.append(name)
        elif snap.datastore(name) is not None:
            dss.append(name)
        else:
            raise InputError(Text("The {role} '{name}' is neither a host nor a datastore of "
                                  "the lab.", "La {role} '{name}' n'est ni un hôte ni un "
                                  "datastore du lab.", role=_ROLES[role], name=name))
    return hosts, dss


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _ghost_host(vm, source, src_hosts, dst_hosts) -> str | None:
    """Return the host where the VM's outline is drawn: the one it left, or will reach."""
    if vm is None:
        return None
    other = src_hosts[0] if source is not None and src_hosts else \
        (dst_hosts[0] if dst_hosts else None)
    return other if other and other != vm.host else None


def _vms_on(snap, host: str) -> list:
    return [v for v in snap.vms if v.host == host]


def _draw_clusters(ax: Axes, snap, hosts, boxes, text, marks) -> None:
    """Draw one frame around the hosts of each cluster, with its name and EVC mode."""
    groups: dict[str, list[str]] = {}
    for host in hosts:
        if host.cluster and snap.cluster(host.cluster) is not None:
            groups.setdefault(host.cluster, []).append(host.name)
    for name, members in groups.items():
        first, last = boxes[members[0]], boxes[members[-1]]
        cluster = snap.cluster(name)
        frame = FancyBboxPatch((first.x - FRAME_PAD, -FRAME_PAD),
                               last.x + last.w - first.x + 2 * FRAME_PAD,
                               first.h + FRAME_PAD + FRAME_TOP,
                               boxstyle="round,pad=0,rounding_size=0.2", facecolor="none",
                               edgecolor="0.35", linewidth=1.4, gid=f"cluster:{name}")
        ax.add_patch(frame)
        mark = SIMULATED if "evc_mode" in cluster.simulated else ""
        marks.update(mark)
        evc = text("evc", mode=(cluster.evc_mode or text["off"]) + mark)
        ax.text(first.x - FRAME_PAD + 0.15, first.h + FRAME_TOP - 0.12, name, fontsize=10,
                fontweight="bold", ha="left", va="top", gid=f"cluster-name:{name}")
        ax.text(last.x + last.w + FRAME_PAD - 0.15, first.h + FRAME_TOP - 0.12, evc,
                fontsize=8.5, ha="right", va="top", gid=f"evc:{name}")


def _draw_vmotion(ax: Axes, hosts, boxes, left, right, net_y, text, marks) -> None:
    """Draw the vMotion network and a line to it from each host with vMotion enabled."""
    ax.add_patch(Rectangle((left + 0.1, net_y), right - left - 0.2, NET_H,
                           facecolor="#e9def5", edgecolor=VMOTION_COLOR, linewidth=1.2,
                           gid="vmotion-network"))
    ax.text(left + 0.25, net_y + NET_H / 2, text["vmotion_net"], fontsize=9,
            color=VMOTION_COLOR, fontweight="bold", ha="left", va="center")
    for host in hosts:
        if not host.vmotion_vmks:
            continue
        box = boxes[host.name]
        mark = SIMULATED if "vmotion_vmks" in host.simulated else ""
        marks.update(mark)
        ax.add_line(Line2D([box.cx, box.cx], [box.top, net_y], color=VMOTION_COLOR,
                           linewidth=2.2, gid=f"vmotion:{host.name}"))
        ax.text(box.cx + 0.1, (box.top + FRAME_TOP + net_y) / 2,
                ", ".join(host.vmotion_vmks) + mark, fontsize=8, color=VMOTION_COLOR,
                ha="left", va="center")


def _draw_hosts(ax: Axes, snap, hosts, boxes, vm, greyed, text, marks) -> dict:
    """Draw each host's box, header and VM chips; return {vm name: chip box}."""
    chips = {}
    for host in hosts:
        box = boxes[host.name]
        grey = host.name in greyed
        ax.add_patch(FancyBboxPatch(
            (box.x, box.y), box.w, box.h, boxstyle="round,pad=0,rounding_size=0.12",
            facecolor=GREY_FACE if grey else HOST_FACE,
            edgecolor=GREY_EDGE if grey else HOST_EDGE, linewidth=1.3,
            hatch="///" if grey else None, gid=f"host:{host.name}"))
        if grey:
            ax.add_patch(Rectangle((box.x, box.y), box.w, box.h, facecolor="none",
                                   edgecolor="none", gid=f"greyed:{host.name}"))
        ip_mark = SIMULATED if "mgmt_ip" in host.simulated else ""
        marks.update(ip_mark)
        lines = [(host.name, 10, "bold", "black"),
                 (f"vmk0 {host.mgmt_ip}{ip_mark}" if host.mgmt_ip else "", 8, "normal", "0.25")]
        if host.vmotion_vmks:
            vm_mark = SIMULATED if "vmotion_vmks" in host.simulated else ""
            lines.append((text("vmotion", vmks=", ".join(host.vmotion_vmks)) + vm_mark,
                          8, "normal", VMOTION_COLOR))
        else:
            lines.append((text["no_vmotion"], 8, "normal", REASON_COLOR))
        if host.in_maintenance:
            lines[0] = (f"{host.name} — {text['maintenance']}", 10, "bold", REASON_COLOR)
        y = box.top - 0.12
        for label, size, weight, color in lines:
            if label:
                ax.text(box.x + 0.15, y, label, fontsize=size, fontweight=weight,
                        color=color, ha="left", va="top")
            y -= 0.34 if size >= 10 else 0.28
        row_y = box.top - HEADER_H
        for v in _vms_on(snap, host.name):
            chip = _Box(box.x + 0.2, row_y - CHIP_H, box.w - 0.4, CHIP_H)
            _draw_chip(ax, chip, v, highlight=vm is not None and v.name == vm.name)
            chips[v.name] = chip
            row_y -= CHIP_H + CHIP_GAP
        chips[("next", host.name)] = _Box(box.x + 0.2, row_y - CHIP_H, box.w - 0.4, CHIP_H)
        if grey:
            _reason(ax, box.x + 0.15, box.y + REASON_H - 0.08, greyed[host.name],
                    width=int(box.w * 11), name=host.name)
    return chips


def _draw_chip(ax: Axes, chip: _Box, vm, highlight: bool) -> None:
    """Draw a VM as a chip: filled when powered on, dashed outline when off."""
    on = vm.power_state == "poweredOn"
    ax.add_patch(FancyBboxPatch(
        (chip.x, chip.y), chip.w, chip.h, boxstyle="round,pad=0,rounding_size=0.1",
        facecolor=ON_FACE if on else OFF_FACE,
        edgecolor=MOVE_COLOR if highlight else (ON_EDGE if on else OFF_EDGE),
        linewidth=2.8 if highlight else 1.0, linestyle="-" if on else "--",
        gid=f"vm:{vm.name}"))
    color = "black" if on else "0.45"
    ax.text(chip.x + 0.12, chip.top - 0.08, vm.name, fontsize=9, fontweight="bold",
            color=color, ha="left", va="top")
    ax.text(chip.x + 0.12, chip.y + 0.07, ", ".join(vm.datastores) or "—", fontsize=7.5,
            color=color, ha="left", va="bottom")


def _reason(ax: Axes, x: float, y: float, reason: str, width: int, name: str) -> None:
    """Write why an object is greyed: each reason on at most two lines, four in all."""
    per_reason = 2 if "\n" in reason else 4
    lines = [line for one in reason.split("\n")
             for line in textwrap.wrap("× " + one, width=width, max_lines=per_reason,
                                       placeholder=" …")]
    if len(lines) > 4:
        lines = [*lines[:3], "…"]
    ax.text(x, y, "\n".join(lines), fontsize=7, color=REASON_COLOR, ha="left", va="top",
            gid=f"reason:{name}", linespacing=1.15,
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.5})


def _ds_order(snap, hosts) -> list:
    """Datastores ordered under the hosts that mount them, then by name."""
    index = {h.name: i for i, h in enumerate(hosts)}

    def key(ds):
        where = [index[h] for h in ds.hosts if h in index]
        return (sum(where) / len(where) if where else len(index), ds.name)

    return sorted(snap.datastores, key=key)


def _draw_datastores(ax: Axes, snap, hosts, boxes, left, right, ds_top, greyed, dst_dss,
                     text) -> dict:
    """Draw the datastores in a row and one line per host that mounts each; return boxes."""
    order = _ds_order(snap, hosts)
    if not order:
        return {}
    span = right - left - 0.4
    step = span / len(order)
    ds_w = min(HOST_W, step - DS_SPACE)
    ds_boxes = {}
    for j, ds in enumerate(order):
        cx = left + 0.2 + (j + 0.5) * step
        box = _Box(cx - ds_w / 2, ds_top - DS_H, ds_w, DS_H)
        ds_boxes[ds.name] = box
        grey = ds.name in greyed
        ax.add_patch(FancyBboxPatch(
            (box.x, box.y), box.w, box.h, boxstyle="round,pad=0,rounding_size=0.15",
            facecolor=GREY_FACE if grey else (SHARED_FACE if ds.shared else LOCAL_FACE),
            edgecolor=MOVE_COLOR if ds.name in dst_dss else
            (GREY_EDGE if grey else (SHARED_LINE if ds.shared else LOCAL_LINE)),
            linewidth=2.2 if ds.name in dst_dss else 1.2, hatch="///" if grey else None,
            gid=f"datastore:{ds.name}"))
        if grey:
            ax.add_patch(Rectangle((box.x, box.y), box.w, box.h, facecolor="none",
                                   edgecolor="none", gid=f"greyed:{ds.name}"))
        kind = text["shared"] if ds.shared else (
            text("local", host=ds.hosts[0]) if ds.hosts else text["unmounted"])
        ax.text(box.cx, box.top - 0.1, ds.name, fontsize=9, fontweight="bold", ha="center",
                va="top")
        ax.text(box.cx, box.y + 0.08, f"{kind} · {text('free', free=f'{ds.free_gb:.0f}')}",
                fontsize=7.5, ha="center", va="bottom", color="0.25")
        if grey:
            _reason(ax, box.x, box.y - 0.08, greyed[ds.name], width=int(box.w * 11),
                    name=ds.name)
    _draw_mounts(ax, order, hosts, boxes, ds_boxes)
    return ds_boxes


def _draw_mounts(ax: Axes, order, hosts, boxes, ds_boxes) -> None:
    """One line from a host's bottom edge to each datastore it mounts, fanned out."""
    by_host = {h.name: [d for d in order if h.name in d.hosts] for h in hosts}
    for ds in order:
        mounted = [h.name for h in hosts if h.name in ds.hosts]
        box = ds_boxes[ds.name]
        for k, host in enumerate(mounted):
            hbox = boxes[host]
            mine = by_host[host]
            x0 = hbox.x + hbox.w * (mine.index(ds) + 1) / (len(mine) + 1)
            x1 = box.x + box.w * (k + 1) / (len(mounted) + 1)
            ax.add_line(Line2D([x0, x1], [hbox.y, box.top],
                               color=SHARED_LINE if ds.shared else LOCAL_LINE,
                               linewidth=1.6, gid=f"mount:{host}:{ds.name}"))


def _draw_move(ax: Axes, vm, boxes, chips, ds_boxes, ghost_host, after: bool,
               src_dss, dst_dss, text) -> None:
    """Draw the moving VM's outline at its other host, and the arrows of the move."""
    if ghost_host is not None and ghost_host in boxes:
        ghost = chips[("next", ghost_host)]
        ax.add_patch(FancyBboxPatch(
            (ghost.x, ghost.y), ghost.w, ghost.h, boxstyle="round,pad=0,rounding_size=0.1",
            facecolor="none", edgecolor=MOVE_COLOR, linewidth=1.8, linestyle="--",
            gid=f"ghost:{vm.name}"))
        label = text("before" if after else "after", vm=vm.name)
        ax.text(ghost.x + 0.12, ghost.top - 0.08, label, fontsize=8.5, color=MOVE_COLOR,
                ha="left", va="top", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        chip = chips[vm.name]
        start, end = (ghost, chip) if after else (chip, ghost)
        _arrow(ax, start, end, "move:host", rad=-0.15, ends="side")
    moved_from = [d for d in src_dss if d in ds_boxes and d not in dst_dss]
    for dst in dst_dss:
        for src in moved_from[:1]:
            _arrow(ax, ds_boxes[src], ds_boxes[dst], "move:datastore", rad=0.35,
                   ends="bottom")


def _arrow(ax: Axes, start: _Box, end: _Box, gid: str, rad: float, ends: str) -> None:
    """Draw the migration arrow between the sides (chips) or bottoms (datastores) of boxes."""
    if ends == "side":
        rightward = start.cx < end.cx
        tail = (start.x + start.w if rightward else start.x, start.y + start.h / 2)
        head = (end.x if rightward else end.x + end.w, end.y + end.h / 2)
    else:
        tail, head = (start.cx, start.y), (end.cx, end.y)
    ax.add_patch(FancyArrowPatch(tail, head,
                                 connectionstyle=f"arc3,rad={rad if start.cx < end.cx else -rad}",
                                 arrowstyle="-|>", mutation_scale=22, linewidth=2.6,
                                 color=MOVE_COLOR, zorder=5, gid=gid))


def _draw_legend(ax: Axes, text, x: float, y: float) -> None:
    handles = [
        Patch(facecolor=ON_FACE, edgecolor=ON_EDGE, label=text["on"]),
        Patch(facecolor=OFF_FACE, edgecolor=OFF_EDGE, linestyle="--", label=text["off_vm"]),
        Patch(facecolor=SHARED_FACE, edgecolor=SHARED_LINE, label=text["shared_ds"]),
        Patch(facecolor=LOCAL_FACE, edgecolor=LOCAL_LINE, label=text["local_ds"]),
        Line2D([], [], color=MOVE_COLOR, linewidth=2.6, label=text["move"]),
    ]
    ax.legend(handles=handles, loc="center", fontsize=7.5, ncols=5, frameon=False,
              bbox_to_anchor=(x, y), bbox_transform=ax.transData)


class _Say:
    """The figure's labels in one language: say["key"] or say("key", **values)."""

    def __init__(self, lang: str | None):
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return render(LABELS[key], self.lang)

    def __call__(self, key: str, **values) -> str:
        return render(LABELS[key].fill(**values), self.lang)
