"""A simulator lablib did not start (LAB_SIM_URL, Docker Compose): seed it, and reset it.

lablib cannot restart such a simulator, so `reset` rebuilds the lab through the API.
vcsim v0.56 can remove neither a cluster (ClusterComputeResource has no Destroy_Task) nor
a host in one (HostSystem.Destroy leaves the cluster pointing at the removed host, and
vcsim then crashes on the next datastore removal), so a datacenter that holds a cluster
can never be destroyed (ResourceInUse). The reset therefore keeps the datacenter, the
cluster and its hosts, brings back their settings (connection, maintenance mode, the
vMotion service of vmknics, EVC), removes everything else in order (VMs powered off
first, resource pools, folders, datastores with their files, custom field definitions)
and seeds the lab again into what is left. Anything it cannot remove (another cluster,
another host) is refused before any change, with what to do.

Every task is waited for at most TASK_TIMEOUT_S seconds.
"""

from __future__ import annotations

from typing import Any

from pyVmomi import vim

from ..backend import Backend
from ..capabilities import choose_backend
from ..config import Roles
from ..connection import Connection
from ..errors import SimulatorError
from ..facts import Facts
from ..inventory import Inventory
from ..tasks import wait_all
from .seed import seed

TASK_TIMEOUT_S = 120


def prepare(conn: Connection, roles: Roles, rebuild: bool = False) -> None:
    """Seed the lab into an empty simulator; with `rebuild`, reset a seeded one first.

    Raises:
        SimulatorError: the target is not a simulator, or holds what lablib cannot remove.
    """
    if not conn.is_simulator:
        raise SimulatorError("LAB_SIM_URL points at a real vCenter. Set LAB_BACKEND="
                             "vcenter and LAB_HOST instead; lablib never seeds a vCenter.")
    root = conn.content.rootFolder
    others = [e.name for e in root.childEntity if e.name != roles.datacenter]
    if others:
        raise SimulatorError(
            f"The simulator at LAB_SIM_URL holds {', '.join(others)}, which is not the lab. "
            "Start it empty (vcsim -dc 0), as docker/compose.yaml does, so lablib can seed "
            "it; with Docker Compose: `docker compose -f docker/compose.yaml restart vcsim`.")
    dc = next((e for e in root.childEntity if e.name == roles.datacenter), None)
    if dc is not None and not rebuild:
        return
    if dc is not None:
        empty(conn, dc, roles)
    seed(conn, roles)


def empty(conn: Connection, dc: Any, roles: Roles) -> None:
    """Bring `dc` back to what the seeding builds on: the cluster and its hosts, bare."""
    backend = choose_backend(conn, Inventory(conn))
    cluster, hosts = _skeleton(dc, roles)
    _restore_hosts(conn, hosts)
    vms = _all(conn, dc, vim.VirtualMachine)
    _wait(conn, [vm.PowerOffVM_Task() for vm in vms
                 if vm.runtime.powerState != "poweredOff"])
    _back_to_where_listed(conn, dc, vms, hosts)
    _wait(conn, [vm.Destroy_Task() for vm in vms])
    if cluster is not None:
        _destroy_pools(conn, cluster.resourcePool)
        _disable_evc(backend, cluster)
    for host in hosts:
        for device in backend.vmotion_vmks(host):
            backend.set_vmotion(host, device, enable=False)
    datastores = _all(conn, dc, vim.Datastore)
    _delete_files(conn, dc, datastores)
    _wait(conn, [ds.Destroy_Task() for ds in datastores])
    for folder in (dc.vmFolder, dc.hostFolder, dc.datastoreFolder, dc.networkFolder):
        _wait(conn, [f.Destroy_Task() for f in folder.childEntity if isinstance(f, vim.Folder)])
    fields = conn.content.customFieldsManager  # every definition, whoever made it
    for field in fields.field or []:
        fields.RemoveCustomFieldDef(field.key)


def _skeleton(dc, roles: Roles):
    """Return (the lab cluster or None, its hosts); refuse what vcsim cannot remove."""
    compute = _compute_resources(dc.hostFolder)
    strangers = [c.name for c in compute if c.name != roles.cluster
                 or not isinstance(c, vim.ClusterComputeResource)]
    cluster = next((c for c in compute if c.name == roles.cluster
                    and isinstance(c, vim.ClusterComputeResource)), None)
    hosts = list(cluster.host) if cluster is not None else []
    lab_hosts = {roles.source_host, roles.destination_host}
    strangers += [h.name for h in hosts if h.name not in lab_hosts]
    if strangers:
        raise SimulatorError(
            f"The lab cannot be reset in place: the simulator holds {', '.join(strangers)}, "
            "and vcsim cannot remove a cluster or a host. Restart the simulator empty "
            "(with Docker Compose: `docker compose -f docker/compose.yaml restart vcsim`); "
            "lablib seeds the lab again on the next connect. Nothing was changed.")
    return cluster, hosts


def _compute_resources(folder) -> list:
    found = []
    for child in folder.childEntity:
        if isinstance(child, vim.Folder):
            found += _compute_resources(child)
        else:
            found.append(child)
    return found


def _restore_hosts(conn, hosts) -> None:
    _wait(conn, [h.ReconnectHost_Task() for h in hosts
                 if h.runtime.connectionState != vim.HostSystem.ConnectionState.connected])
    _wait(conn, [h.ExitMaintenanceMode_Task(timeout=0) for h in hosts
                 if h.runtime.inMaintenanceMode])


def _back_to_where_listed(conn, dc, vms, hosts) -> None:
    """Move each VM back to the host, datastore and pool that list it, so removing it
    clears those lists.

    vcsim v0.56's RelocateVM_Task never updates the `vm` lists of hosts, datastores and
    resource pools: a migrated VM stays listed where it was created only. Destroying it
    elsewhere would leave a host pointing at a deleted VM (which breaks every listing of
    the lab afterwards) and a datastore that cannot be removed (ResourceInUse).
    """
    listed: dict[Any, dict[str, Any]] = {}
    for owner in [*hosts, *_all(conn, dc, vim.Datastore), *_all(conn, dc, vim.ResourcePool)]:
        for vm in owner.vm or []:
            listed.setdefault(vm, {})[type(owner).__name__] = owner
    for vm in vms:
        where = listed.get(vm, {})
        spec = vim.vm.RelocateSpec()
        host, ds, pool = (where.get(k) for k in ("vim.HostSystem", "vim.Datastore",
                                                   "vim.ResourcePool"))
        moves = False
        if host is not None and vm.runtime.host != host:
            spec.host, moves = host, True
        if ds is not None and ds not in vm.datastore:
            spec.datastore, moves = ds, True
        if pool is not None and vm.resourcePool != pool:
            spec.pool, moves = pool, True
        if moves:
            _wait(conn, [vm.RelocateVM_Task(spec)])


def _all(conn, dc, kind) -> list:
    view = conn.content.viewManager.CreateContainerView(dc, [kind], True)
    try:
        return list(view.view)
    finally:
        view.Destroy()


def _destroy_pools(conn, root) -> None:
    # Destroying a pool moves its children up: repeat until the root pool has none.
    for _ in range(1000):
        children = list(root.resourcePool or [])
        if not children:
            return
        _wait(conn, [pool.Destroy_Task() for pool in children])


def _disable_evc(backend: Backend, cluster: Any) -> None:
    """Turn EVC off, through the backend (the server's EVC manager, or lablib's fallback)."""
    snapshot = Facts(backend.inventory, backend).snapshot()
    facts = snapshot.of(cluster)
    if facts.evc_mode:
        backend.set_evc(facts, "", snapshot, {})


def _delete_files(conn, dc, datastores) -> None:
    """Delete every file and folder at the top of each datastore (VM folders, uploads)."""
    paths = []
    for ds in datastores:
        spec = vim.host.DatastoreBrowser.SearchSpec(matchPattern=["*"], query=[
            vim.host.DatastoreBrowser.FolderQuery(), vim.host.DatastoreBrowser.Query()])
        result = _wait(conn, [ds.browser.SearchDatastore_Task(f"[{ds.name}]", spec)])
        found = result[0].result.file if result else []
        paths += [f"[{ds.name}] {f.path}" for f in found or []]
    manager = conn.content.fileManager
    _wait(conn, [manager.DeleteDatastoreFile_Task(path, dc) for path in paths],
          tolerate=(vim.fault.FileNotFound,))


def _wait(conn, tasks, tolerate=()) -> list:
    """Wait for `tasks` (bounded); return their infos. Faults in `tolerate` are ignored."""
    infos = []
    for task in tasks:  # one by one: a failure names its task
        try:
            infos += wait_all(conn, [task], TASK_TIMEOUT_S)
        except Exception as exc:
            if tolerate and isinstance(getattr(exc, "fault", None), tolerate):
                continue
            raise
    return infos
