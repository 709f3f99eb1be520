"""Migration events as stock vcsim should post them.

Its VmMigratedEvent names the source as destination (docs/vcsim-gaps.md §4(c)): lablib
posts a corrected event after each of its migrations, and infers the destination of the
others (made by govc, say) when listing.
"""

from __future__ import annotations

from typing import Any

from pyVmomi import vim

#: changeTag of the VmMigratedEvents lablib posts, followed by the key of vcsim's own.
CORRECTION_TAG = "vmotionlab.corrects:"

def is_correction(event) -> bool:
    """Tell whether lablib posted `event` to correct one of vcsim's."""
    return (getattr(event, "changeTag", None) or "").startswith(CORRECTION_TAG)


def corrected_key(event) -> int | None:
    """Return the key of the vcsim event that lablib's `event` corrects."""
    if not is_correction(event):
        return None
    tail = event.changeTag[len(CORRECTION_TAG):]
    return int(tail) if tail.isdigit() else None


def names_source_as_destination(event) -> bool:
    """Tell whether a VmMigratedEvent has vcsim's slip: its destination is its source."""
    return (isinstance(event, vim.event.VmMigratedEvent) and not is_correction(event)
            and event.host is not None and event.sourceHost is not None
            and event.host.name == event.sourceHost.name
            and _name(event.ds) == _name(event.sourceDatastore))


def post_corrected_migration(conn, event, host, datastore, cluster) -> None:
    """Post a VmMigratedEvent that names the real destination of vcsim's `event`.

    Args:
        host, datastore, cluster: the destination, as vim.event.HostEventArgument,
            DatastoreEventArgument and ComputeResourceEventArgument.

    vcsim builds its event before it moves the VM (docs/vcsim-gaps.md §4(c)); PostEvent is
    implemented (§4(h)) and formats the usual "Migration of virtual machine ... from ...
    to ... completed" message. The changeTag links it to vcsim's event.
    """
    fixed = vim.event.VmMigratedEvent(
        key=0, chainId=0, createdTime=event.createdTime, userName="", vm=event.vm,
        datacenter=event.datacenter, host=host, ds=datastore, computeResource=cluster,
        sourceHost=event.sourceHost, sourceDatacenter=event.sourceDatacenter,
        sourceDatastore=event.sourceDatastore, changeTag=f"{CORRECTION_TAG}{event.key}")
    conn.content.eventManager.PostEvent(eventToPost=fixed)


def inferred_destinations(events, current: dict[str, tuple[str, str]]) -> dict[int, tuple]:
    """Return {event key: (host, datastore)} for vcsim's own, uncorrected VmMigratedEvents.

    Args:
        events: migration events, newest first, without the ones lablib corrected.
        current: {VM moid: (host, datastore)} where each VM is now.

    The real destination of a migration is where the VM's next migration started from,
    or, for its latest one, where the VM is now (docs/vcsim-gaps.md §8).
    """
    next_source: dict[str, tuple[str, str]] = {}
    found = {}
    for event in events:
        moid = event.vm.vm._moId
        destination = next_source.get(moid, current.get(moid))
        if names_source_as_destination(event) and destination:
            found[event.key] = destination
        next_source[moid] = (_name(event.sourceHost), _name(event.sourceDatastore))
    return found


def _name(argument) -> str:
    return argument.name if argument is not None else ""


def correct_arrivals(conn: Any, inventory: Any, arrivals: Any, events: Any) -> bool:
    """Post a corrected event for each arrival whose vcsim event names the wrong place.

    Args:
        arrivals: the relocations that succeeded (VM and task info).
        events: the migration events since they started, newest first.

    Returns:
        Whether any event was posted (the caller reads the events again).
    """
    latest: dict[str, Any] = {}
    for event in events:
        if event.vm is not None and not is_correction(event):
            latest.setdefault(event.vm.vm._moId, event)
    rows = inventory.retrieve_many({"vm": ["runtime.host", "datastore"],
                                    "host": ["name", "parent"], "datastore": ["name"],
                                    "cluster": ["name"]})
    names = {r["obj"]._moId: r.get("name", "") for kind in ("host", "datastore", "cluster")
             for r in rows[kind]}
    parents = {r["obj"]._moId: r.get("parent") for r in rows["host"]}
    where = {r["obj"]._moId: r for r in rows["vm"]}
    posted = False
    for arrival in arrivals:
        event, row = latest.get(arrival.vm._moId), where.get(arrival.vm._moId)
        if event is None or row is None or not names_source_as_destination(event):
            continue
        host, datastores = row.get("runtime.host"), row.get("datastore") or []
        if host is None or not datastores:
            continue
        if event.host.host == host and event.ds.datastore == datastores[0]:
            continue  # it did not move: the event is right
        cluster = parents.get(host._moId)
        post_corrected_migration(
            conn, event, vim.event.HostEventArgument(name=names.get(host._moId, ""), host=host),
            vim.event.DatastoreEventArgument(name=names.get(datastores[0]._moId, ""),
                                             datastore=datastores[0]),
            vim.event.ComputeResourceEventArgument(
                name=names.get(cluster._moId, "") if cluster else "", computeResource=cluster))
        posted = True
    return posted


def current_places(inventory: Any) -> dict[str, tuple[str, str]]:
    """Return {VM moid: (host, first datastore)} where each VM is now, in one listing."""
    rows = inventory.retrieve_many({"vm": ["runtime.host", "datastore"], "host": ["name"],
                                    "datastore": ["name"]})
    names = {r["obj"]._moId: r.get("name", "") for kind in ("host", "datastore")
             for r in rows[kind]}
    return {r["obj"]._moId: (names.get(r["runtime.host"]._moId, ""),
                             names.get(r["datastore"][0]._moId, "") if r.get("datastore")
                             else "")
            for r in rows["vm"] if r.get("runtime.host") is not None}
