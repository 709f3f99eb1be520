"""The lab scope: on a real vCenter, lablib changes only what the configuration names.

An instructor's vCenter holds more than the lab. Every operation that changes something
(migrate, vMotion on a vmknic, EVC, power, maintenance) calls `check_change` first, so
a change outside the scope is refused before any call that changes anything reaches
vCenter (docs/design.md §8); the check itself only reads. Reading is always allowed. It
applies to every server but the simulator lablib itself runs (lablib.session decides),
so it is tested against the lab simulator given to lablib as a vCenter.

What the scope holds:

- `[scope] cluster`: the cluster, its hosts, datastores and networks, and every VM that
  runs on one of its hosts. EVC, vMotion adapters and maintenance mode may change.
- `[scope] folder` and/or `resource_pool`: the VMs in that folder (or a folder below it)
  and in that pool (or a pool below it). Hosts and clusters are shared with other
  students, so their settings never change; a lab VM may still move to a host, datastore
  or network of the pool's cluster. Given with a cluster, both must hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from .errors import ConfigError, NotFoundError, OutOfScope
from .inventory import kind_of, label
from .text import Text

if TYPE_CHECKING:
    from .session import Session


def check_change(session: Session, action: str, *objects: Any) -> None:
    """Raise OutOfScope unless every object may be changed by `action` in this lab.

    When the objects include VMs (a migration), the other objects are where those VMs
    go: a destination host, datastore or network must belong to the scope's cluster
    (or the cluster of its resource pool). Without a VM, the objects themselves change
    (a host's vMotion adapter, a cluster's EVC mode) and must be inside a cluster scope.

    Args:
        session: the lab's session.
        action: what would change, for the message ("migrate", "enable vMotion on").
        objects: the managed objects the action changes or moves things to.

    Raises:
        OutOfScope: saying which object is outside the scope and why.
        ConfigError: the scope names a cluster, folder or pool that does not exist.
    """
    scope = session.config.scope
    where = session.config.vcenter.host
    if not (scope.cluster or scope.folder or scope.resource_pool):
        raise OutOfScope(Text(
            "No lab scope is configured for vCenter {host}, so lablib will not {action} "
            "anything there. Name the lab's cluster (or folder and resource pool) in lab.toml "
            "[scope].", "Aucun périmètre de lab n'est configuré pour le vCenter {host} : "
            "lablib n'y fera rien ({action}). Nommez le cluster du lab (ou le dossier et le "
            "pool de ressources) dans lab.toml [scope].", host=where, action=action))
    area = _Area(session)
    changed = [obj for obj in objects if obj is not None]
    moving = any(isinstance(obj, vim.VirtualMachine) for obj in changed)
    for obj in changed:
        verb = action
        if isinstance(obj, vim.VirtualMachine):
            why = area.vm_outside(obj)
        elif moving:
            why, verb = area.destination_outside(obj), f"{action} to"
        else:
            why = area.setting_outside(obj)
        if why:
            raise OutOfScope(Text(
                "Refused to {verb} {kind} '{name}': {why}, outside the lab scope ({scope}). "
                "lablib only changes the lab's objects; nothing was changed. Ask your "
                "instructor if this is your lab.",
                "Refusé ({verb}) pour {kind} '{name}' : {why}, hors du périmètre du lab "
                "({scope}). lablib ne change que les objets du lab ; rien n'a été changé. "
                "Demandez à votre formateur si c'est bien votre lab.", verb=verb,
                kind=label(kind_of(obj)), name=_name(obj), why=why, scope=_describe(scope)))


class _Area:
    """The scope's objects, looked up once per check (reads only)."""

    def __init__(self, session: Session):
        self.session = session
        scope = session.config.scope
        self.cluster = self._find("cluster", scope.cluster, "cluster")
        self.pool = self._find("resource pool", scope.resource_pool, "resource_pool")
        self.folder = self._find("folder", scope.folder, "folder")
        # Where a lab VM may go: the scope's cluster, else the cluster of its pool.
        self.compute = self.cluster or (self._read(self.pool, "owner") if self.pool else None)

    def vm_outside(self, vm: Any) -> str:
        row = self.session.inventory.retrieve_one(vm, ["runtime.host", "resourcePool", "parent"])
        if self.folder is not None and not self._below(row.get("parent"), self.folder,
                                                       "parent"):
            return "it is in another VM folder"
        if self.pool is not None and not self._below(row.get("resourcePool"), self.pool,
                                                     "parent"):
            return "it is in another resource pool"
        if self.cluster is not None:
            host = row.get("runtime.host")
            if host is None or self._read(host, "parent") != self.cluster:
                return "it runs on a host of another cluster"
        return ""

    def destination_outside(self, obj: Any) -> str:
        if self.compute is None:
            return "the scope names no cluster or resource pool, so no host is the lab's"
        return self._outside_compute(obj)

    def setting_outside(self, obj: Any) -> str:
        if self.cluster is None:
            return ("its settings are shared with everyone on this vCenter (the scope is a "
                    "folder or resource pool, not a cluster)")
        return self._outside_compute(obj)

    def _outside_compute(self, obj: Any) -> str:
        compute = self.compute
        if isinstance(obj, vim.ClusterComputeResource):
            return "" if obj == compute else "it is another cluster"
        if isinstance(obj, vim.HostSystem):
            return "" if self._read(obj, "parent") == compute else \
                "it is a host of another cluster"
        if isinstance(obj, (vim.Datastore, vim.Network)):
            mounted = self._read(compute, "datastore" if isinstance(obj, vim.Datastore)
                                 else "network") or []
            return "" if obj in mounted else "no host of the lab's cluster has it"
        return f"lablib changes no {label(kind_of(obj)).render('en')} on a vCenter"

    def _below(self, obj: Any, top: Any, up: str) -> bool:
        """Tell whether `obj` is `top` or below it, following the `up` property."""
        root = self.session.conn.content.rootFolder
        while obj is not None and obj != root:
            if obj == top:
                return True
            obj = self._read(obj, up)
        return False

    def _read(self, obj: Any, prop: str) -> Any:
        return self.session.inventory.retrieve_one(obj, [prop]).get(prop)

    def _find(self, kind: str, ref: str, key: str) -> Any:
        if not ref:
            return None
        try:
            return self.session.inventory.find(kind, ref)
        except NotFoundError as error:
            if "/" in ref and not ref.startswith("/"):  # "Lab-Cluster/Resources/student01"
                found = self._find_relative(kind, ref)
                if found is not None:
                    return found
            raise ConfigError(Text(
                "The lab scope names {kind} '{ref}' ([scope] {key}), which is not on vCenter "
                "{host}: {error} Fix [scope] {key} in lab.toml.", "Le périmètre du lab nomme "
                "{kind} '{ref}' ([scope] {key}), absent du vCenter {host} : {error} Corrigez "
                "[scope] {key} dans lab.toml.", kind=label(kind), ref=ref, key=key,
                host=self.session.config.vcenter.host, error=error.message)) from None

    def _find_relative(self, kind: str, ref: str) -> Any:
        """Find a pool path relative to a datacenter's host folder (a folder: its vm folder)."""
        under = "vm" if kind == "folder" else "host"
        for dc in self.session.inventory.names("datacenter"):
            path = f"/{dc}/{under}/{ref.strip('/')}"
            try:
                return self.session.inventory.find(kind, path)
            except NotFoundError:
                continue
        return None


def _name(obj: Any) -> str:
    try:
        return obj.name
    except Exception:  # a deleted object: its id still says which one
        return obj._moId


def _describe(scope: Any) -> str:
    parts = [f"cluster '{scope.cluster}'" if scope.cluster else "",
             f"folder '{scope.folder}'" if scope.folder else "",
             f"resource pool '{scope.resource_pool}'" if scope.resource_pool else ""]
    return ", ".join(p for p in parts if p)
