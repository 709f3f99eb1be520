"""vCenter behaviour lablib emulates on vcsim, which lacks it (vcsim-gaps.md §8).

Each function here stands in for a vCenter feature the simulator does not have. The
labs label its results "simulated by lablib: vcsim has no API for this".
"""

from __future__ import annotations

from pyVmomi import vim


def power_on_stamp(conn, vm) -> str:
    """Return an id of the VM's latest power-on (the key of its newest VmPoweredOnEvent).

    vcsim leaves `runtime.bootTime` unset, so the CPU baseline a VM was powered on with
    is tied to this event: a power cycle made outside lablib (govc, the API) shows up as a
    new key (vcsim posts VM lifecycle events, vcsim-gaps.md §4(h)).
    """
    spec = vim.event.EventFilterSpec(
        entity=vim.event.EventFilterSpec.ByEntity(entity=vm, recursion="self"),
        eventTypeId=["VmPoweredOnEvent"], maxCount=1)
    events = conn.content.eventManager.QueryEvents(spec)
    return str(events[0].key) if events else ""
