"""vCenter behaviour lablib emulates on vcsim, which lacks it (vcsim-gaps.md §8).

Each function here stands in for a vCenter feature the simulator does not have. lablib
calls them only on the simulator, after the server answered that it has no API for the
feature (lablib.vmotion.capability), and the labs label their results "simulated by
lablib: vcsim has no API for this". On a real vCenter none of this runs.

- the vMotion service of VMkernel adapters (vcsim-gaps.md §4(a)): overlay `vmotion_vmks`;
- the EVC mode list and the cluster's EVC mode (§4(b), vsphere-facts.md §2): a static
  table and overlay `evc_mode`;
- the CPU baseline a VM was powered on with: overlay `cpu_baseline` + `baseline_boot`,
  tied to the VM's power events, so a power cycle made by govc is seen too;
- migration events (§4(c)): vcsim's VmMigratedEvent names the source as destination; a
  corrected event is posted, and older ones are corrected when listed.
"""

from __future__ import annotations

import posixpath
import weakref

from pyVmomi import vim

from ..inventory import Inventory
from ..tasks import wait
from .overlay import Overlay

#: EVC modes by vendor, oldest first: (key, label, vendor, vendorTier, track, confirmed).
#: The keys are those of vsphere-facts.md §2; the later ones are UNCONFIRMED strings there
#: (confirmed=False). The tiers and tracks are lablib's: they follow the doc's rule
#: "A is a superset of B iff A.track ⊇ B.track and A.vendorTier ≥ B.vendorTier"; AMD's
#: Opteron Gen. 3 with 3DNow! is a branch the Bulldozer line does not contain.
STATIC_EVC_MODES = (
    ("intel-merom", 'Intel "Merom" Generation', "intel", 0, (), True),
    ("intel-penryn", 'Intel "Penryn" Generation', "intel", 1, (), True),
    ("intel-nehalem", 'Intel "Nehalem" Generation', "intel", 2, (), True),
    ("intel-westmere", 'Intel "Westmere" Generation', "intel", 3, (), True),
    ("intel-sandybridge", 'Intel "Sandy Bridge" Generation', "intel", 4, (), True),
    ("intel-ivybridge", 'Intel "Ivy Bridge" Generation', "intel", 5, (), True),
    ("intel-haswell", 'Intel "Haswell" Generation', "intel", 6, (), True),
    ("intel-broadwell", 'Intel "Broadwell" Generation', "intel", 7, (), True),
    ("intel-skylake", 'Intel "Skylake" Generation', "intel", 8, (), True),
    ("intel-cascadelake", 'Intel "Cascade Lake" Generation', "intel", 9, (), False),
    ("intel-icelake", 'Intel "Ice Lake" Generation', "intel", 10, (), False),
    ("intel-sapphirerapids", 'Intel "Sapphire Rapids" Generation', "intel", 11, (), False),
    ("amd-rev-e", "AMD Opteron Generation 1", "amd", 0, (), True),
    ("amd-rev-f", "AMD Opteron Generation 2", "amd", 1, (), True),
    ("amd-greyhound-no3dnow", "AMD Opteron Gen. 3 (no 3DNow!)", "amd", 2, (), True),
    ("amd-greyhound", "AMD Opteron Generation 3", "amd", 3, ("3dnow",), True),
    ("amd-bulldozer", 'AMD Opteron "Bulldozer" Generation', "amd", 3, ("bulldozer",), True),
    ("amd-piledriver", 'AMD Opteron "Piledriver" Generation', "amd", 4, ("bulldozer",), True),
    ("amd-steamroller", 'AMD Opteron "Steamroller" Generation', "amd", 5, ("bulldozer",),
     True),
    ("amd-zen", 'AMD "Zen" Generation', "amd", 6, ("bulldozer",), True),
    ("amd-zen2", 'AMD "Zen 2" Generation', "amd", 7, ("bulldozer",), False),
    ("amd-zen3", 'AMD "Zen 3" Generation', "amd", 8, ("bulldozer",), False),
    ("amd-zen4", 'AMD "Zen 4" Generation', "amd", 9, ("bulldozer",), False),
)

#: changeTag of the VmMigratedEvents lablib posts, followed by the key of vcsim's own.
CORRECTION_TAG = "vmotionlab.corrects:"

_overlays: "weakref.WeakKeyDictionary[object, Overlay]" = weakref.WeakKeyDictionary()


def overlay(conn) -> Overlay:
    """Return the overlay of the simulator behind `conn` (one per connection)."""
    if conn not in _overlays:
        _overlays[conn] = Overlay(conn)
    return _overlays[conn]


# vMotion service of VMkernel adapters (SelectVnicForNicType: MethodNotFound on vcsim)

def vmotion_vmks(conn, host) -> list[str]:
    """Return the host's VMkernel adapters with the vMotion service, e.g. ["vmk0"]."""
    return [d for d in overlay(conn).get(host, "vmotion_vmks").split(",") if d]


def set_vmotion_vmks(conn, host, devices) -> None:
    """Record which VMkernel adapters of the host carry the vMotion service."""
    overlay(conn).set(host, "vmotion_vmks", ",".join(sorted(set(devices))))


# Cluster EVC (cluster.EvcManager(): MethodNotFound on vcsim)

def evc_mode(conn, cluster) -> str:
    """Return the cluster's EVC mode key, "" when EVC is off."""
    return overlay(conn).get(cluster, "evc_mode")


def set_evc_mode(conn, cluster, mode: str) -> None:
    """Set the cluster's EVC mode key ("" turns EVC off)."""
    overlay(conn).set(cluster, "evc_mode", mode)


# CPU baselines (vcsim sets no runtime.minRequiredEVCModeKey)

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


def reconcile_baselines(conn, expected: dict[str, str]) -> dict[str, str]:
    """Return {VM moid: CPU baseline}, taking in the power cycles made since they were set.

    A VM keeps the CPU baseline it was powered on with until a full power-off/power-on;
    a suspend/resume keeps it (vsphere-facts.md §2). The overlay holds the baseline and
    the VM's `power_on_stamp` when it was set (here read for every VM in one query, with
    the power-offs in between). A newer power-on after a power-off (by lablib,
    govc or any client) is a power cycle: the VM then gets `expected[moid]` (the
    cluster's EVC mode, else its host's max EVC). A powered-off VM has no baseline.
    Changed values are written back, so every notebook and `govc fields.info` agree.
    """
    fields = overlay(conn)
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


def _power_history(conn) -> dict[str, list[tuple[int, bool]]]:
    """Return {VM moid: [(event key, is a power-on)]}, newest first, in one query."""
    spec = vim.event.EventFilterSpec(eventTypeId=["VmPoweredOnEvent", "VmPoweredOffEvent"],
                                     maxCount=1000)
    history: dict[str, list[tuple[int, bool]]] = {}
    for event in conn.content.eventManager.QueryEvents(spec) or []:
        if event.vm is not None:
            history.setdefault(event.vm.vm._moId, []).append(
                (event.key, isinstance(event, vim.event.VmPoweredOnEvent)))
    return history


# Storage migration bookkeeping (vcsim moves no file)

_FILE_PATHS = ("vmPathName", "snapshotDirectory", "suspendDirectory", "logDirectory",
               "ftMetadataDirectory")


def rename_files(conn, vm, datastore: str) -> bool:
    """Point the VM's file paths at `datastore`, as a storage migration does; tell if any.

    vcsim's RelocateVM_Task changes `datastore` but leaves `config.files` and the disk
    backings naming the old datastore (vcsim-gaps.md §4(c)). Every later relocation
    looks those paths up on the VM's host of the moment (updateDiskLayouts), and vcsim
    v0.56 crashes (a nil Datastore in findDatastore) when that host does not mount
    them. Renaming (ReconfigVM_Task; the new disk files are created empty, vcsim's hold
    no data) reads the old and the new paths on the VM's current host, so it is done
    before the relocation, on the source host: see `path_datastore`.
    """
    row = Inventory(conn).retrieve_one(vm, ["config.files", "config.hardware.device"])
    prefix = f"[{datastore}]"

    def moved(path):
        if path and path.startswith("[") and not path.startswith(prefix):
            return prefix + path.split("]", 1)[1]
        return None

    files = row.get("config.files")
    new_files = {name: moved(getattr(files, name, None)) for name in _FILE_PATHS}
    new_files = {name: path for name, path in new_files.items() if path}
    disks = [d for d in row.get("config.hardware.device", [])
             if isinstance(d, vim.vm.device.VirtualDisk) and moved(d.backing.fileName)]
    if not (new_files or disks):
        return False
    folders = [posixpath.dirname(p) for p in [new_files.get("vmPathName", "")]
               + [moved(d.backing.fileName) for d in disks] if p]
    for folder in dict.fromkeys(folders):
        conn.content.fileManager.MakeDirectory(name=folder, datacenter=_datacenter(vm),
                                               createParentDirectories=True)
    edits = []
    for disk in disks:
        disk.backing.fileName = moved(disk.backing.fileName)
        edits.append(vim.vm.device.VirtualDeviceSpec(operation="edit", device=disk,
                                                     fileOperation="create"))
    wait(conn, vm.ReconfigVM_Task(spec=vim.vm.ConfigSpec(
        files=vim.vm.FileInfo(**new_files), deviceChange=edits)))
    return True


def path_datastore(target: str, source_mounts, destination_mounts) -> str | None:
    """Return the datastore to rename a VM's paths to before a storage relocation.

    The target itself when the source host mounts it; for a move between two hosts'
    local datastores, a datastore both hosts mount, so the paths stay readable on every
    host the VM runs on (a real vCenter names the target; `datastore` does here too);
    None when no such datastore exists.
    """
    if target in source_mounts:
        return target
    shared = sorted(set(source_mounts) & set(destination_mounts))
    return shared[0] if shared else None


def _datacenter(entity):
    while not isinstance(entity, vim.Datacenter):
        entity = entity.parent
    return entity


# Migration events (vcsim's VmMigratedEvent names the source as destination)

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

    vcsim builds its event before it moves the VM (vcsim-gaps.md §4(c)); PostEvent is
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
    or, for its latest one, where the VM is now (vcsim-gaps.md §8).
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
