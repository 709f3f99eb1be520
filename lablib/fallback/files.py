"""A storage move's file paths, which stock vcsim leaves naming the old datastore."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from ..inventory import Inventory
from ..tasks import wait

if TYPE_CHECKING:
    from ..connection import Connection

_FILE_PATHS = ("vmPathName", "snapshotDirectory", "suspendDirectory", "logDirectory",
               "ftMetadataDirectory")


def rename_files(conn: Connection, vm: Any, datastore: str) -> bool:
    """Point the VM's file paths at `datastore`, as a storage migration does; tell if any.

    vcsim's RelocateVM_Task changes `datastore` but leaves `config.files` and the disk
    backings naming the old datastore (docs/vcsim-gaps.md §4(c)). Every later relocation
    looks those paths up on the VM's host of the moment (updateDiskLayouts), and vcsim
    v0.56 crashes (a nil Datastore in findDatastore) when that host does not mount
    them. Renaming (ReconfigVM_Task; the new disk files are created empty, vcsim's hold
    no data) reads the old and the new paths on the VM's current host, so it is done
    before the relocation, on the source host: see `path_datastore`.
    """
    row = Inventory(conn).retrieve_one(vm, ["config.files", "config.hardware.device"])
    prefix = f"[{datastore}]"

    def moved(path: str | None) -> str | None:
        if path and path.startswith("[") and not path.startswith(prefix):
            return prefix + path.split("]", 1)[1]
        return None

    files = row.get("config.files")
    new_files = {name: moved(getattr(files, name, None)) for name in _FILE_PATHS}
    new_files = {name: path for name, path in new_files.items() if path}
    devices: list[Any] = row.get("config.hardware.device", [])
    disks = [d for d in devices if _is_disk(d) and moved(d.backing.fileName)]
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


def path_datastore(target: str, source_mounts: Any, destination_mounts: Any) -> str | None:
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


def _datacenter(entity: Any) -> Any:
    while not isinstance(entity, vim.Datacenter):
        entity = entity.parent
    return entity


def _is_disk(device: Any) -> bool:
    return isinstance(device, vim.vm.device.VirtualDisk)
