"""The CPU baseline each VM was powered on with, kept by lablib on the public vcsim image.

vcsim sets no `runtime.minRequiredEVCModeKey` (docs/vcsim-gaps.md §4(b)): lablib keeps each
VM's baseline in the overlay, tied to the VM's latest power-on event, so a power cycle
made by any client (govc, the API) is taken in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from ..inventory import Inventory
from .overlay import Overlay

if TYPE_CHECKING:
    from ..connection import Connection


def power_on_stamp(conn: Connection, vm: Any) -> str:
    """Return an id of the VM's latest power-on (the key of its newest VmPoweredOnEvent).

    vcsim leaves `runtime.bootTime` unset, so the CPU baseline a VM was powered on with
    is tied to this event: a power cycle made outside lablib (govc, the API) shows up as a
    new key (vcsim posts VM lifecycle events, docs/vcsim-gaps.md §4(h)).
    """
    spec = vim.event.EventFilterSpec(
        entity=vim.event.EventFilterSpec.ByEntity(entity=vm, recursion="self"),
        eventTypeId=["VmPoweredOnEvent"], maxCount=1)
    events = conn.content.eventManager.QueryEvents(spec)
    return str(events[0].key) if events else ""


def reconcile(conn: Connection, fields: Overlay, expected: dict[str, str]) -> dict[str, str]:
    """Return {VM moid: CPU baseline}, taking in the power cycles made since they were set.

    A VM keeps the CPU baseline it was powered on with until a full power-off/power-on;
    a suspend/resume keeps it (docs/vsphere-facts.md §2). The overlay holds the baseline and
    the VM's `power_on_stamp` when it was set (here read for every VM in one query, with
    the power-offs in between). A newer power-on after a power-off (by lablib,
    govc or any client) is a power cycle: the VM then gets `expected[moid]` (the
    cluster's EVC mode, else its host's max EVC). A powered-off VM has no baseline.
    Changed values are written back, so every notebook and `govc fields.info` agree.
    """
    history = _power_history(conn)
    baselines = {}
    for row in Inventory(conn).retrieve("vm", ["customValue", "runtime.powerState"]):
        moid = row["obj"]._moId
        held = fields.decode(row.get("customValue"))
        baseline, boot = held.get("cpu_baseline", ""), held.get("baseline_boot", "")
        events = history.get(moid, [])
        latest_on = next((str(key) for key, on in events if on), "")
        if row.get("runtime.powerState") == "poweredOff":
            new = ("", boot)
        elif latest_on == boot and baseline:
            new = (baseline, boot)
        elif boot.isdigit() and baseline and not any(
                not on and key > int(boot) for key, on in events):
            new = (baseline, latest_on)  # resumed from suspended: same baseline
        else:
            new = (expected.get(moid, ""), latest_on)
        if new != (baseline, boot):
            fields.set(row["obj"], "cpu_baseline", new[0])
            fields.set(row["obj"], "baseline_boot", new[1])
        baselines[moid] = new[0]
    return baselines


def _power_history(conn: Connection) -> dict[str, list[tuple[int, bool]]]:
    """Return {VM moid: [(event key, is a power-on)]}, newest first, in one query."""
    spec = vim.event.EventFilterSpec(eventTypeId=["VmPoweredOnEvent", "VmPoweredOffEvent"],
                                     maxCount=1000)
    history: dict[str, list[tuple[int, bool]]] = {}
    for event in conn.content.eventManager.QueryEvents(spec) or []:
        if event.vm is not None:
            history.setdefault(event.vm.vm._moId, []).append(
                (event.key, isinstance(event, vim.event.VmPoweredOnEvent)))
    return history
