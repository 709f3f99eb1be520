"""Find inventory objects by name, inventory path or managed object id, and list them.

Listings go through the PropertyCollector: one ContainerView and one RetrievePropertiesEx
for a whole kind, whatever the number of objects (reference/style-anchors.md §5), never
one SOAP round trip per property per object.

Lookups follow govc's `find` semantics: a name, an inventory path such as
`/Datacenter/host/Cluster/ESXi_1`, or a managed object id such as `host-21`.
Not found names the kind and the closest names; an ambiguous name lists the paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pyVmomi import vim, vmodl

from . import listing
from .errors import InputError, MultipleFoundError, NotFoundError, WrongKindError
from .errors import closest, quoted

KINDS = {
    "vm": vim.VirtualMachine,
    "host": vim.HostSystem,
    "cluster": vim.ClusterComputeResource,
    "datastore": vim.Datastore,
    "network": vim.Network,
    "datacenter": vim.Datacenter,
    "resource pool": vim.ResourcePool,
    "folder": vim.Folder,
}
PLURALS = {"vm": "VMs", "host": "hosts", "cluster": "clusters", "datastore": "datastores",
           "network": "networks", "datacenter": "datacenters",
           "resource pool": "resource pools", "folder": "folders"}
MAX_NAME = 255
MOID = re.compile(r"^[a-z]+(-[a-z]+)?-\d+$")  # a managed object id: vm-21, domain-c9
_PC = vmodl.query.PropertyCollector


def kind_of(obj) -> str:
    """Return the lab's word for the kind of a managed object ("host", "VM", ...)."""
    for kind, cls in KINDS.items():
        if isinstance(obj, cls):
            return kind
    return type(obj).__name__


def label(kind: str) -> str:
    """Return how a kind is written in a sentence."""
    return "VM" if kind == "vm" else kind


class Inventory:
    """Read the inventory of one connection."""

    def __init__(self, conn):
        self.conn = conn

    def retrieve(self, kind: str, props: Sequence[str], root=None) -> list[dict]:
        """Return every object of `kind` under `root` with `props`, in one listing.

        Each row is a dict of the property paths asked for plus "obj", the managed object.
        Paths that are unset on an object are absent from its row.
        """
        return self.retrieve_many({kind: props}, root)[kind]

    def retrieve_many(self, wanted: dict[str, Sequence[str]], root=None) -> dict[str, list]:
        """Return {kind: rows} for several kinds in one listing (three round trips in all)."""
        content = self.conn.content
        types = {KINDS[kind]: kind for kind in wanted}
        view = content.viewManager.CreateContainerView(root or content.rootFolder,
                                                       list(types), True)
        try:
            spec = _PC.FilterSpec(
                objectSet=[_PC.ObjectSpec(obj=view, skip=True, selectSet=[_PC.TraversalSpec(
                    name="view", type=vim.view.ContainerView, path="view", skip=False)])],
                propSet=[_PC.PropertySpec(type=KINDS[kind], pathSet=list(props))
                         for kind, props in wanted.items()])
            found: dict[str, list] = {kind: [] for kind in wanted}
            for row in _rows(self.conn, spec):
                kind = next(kind for cls, kind in types.items() if isinstance(row["obj"], cls))
                found[kind].append(row)
            return found
        finally:
            view.DestroyView()

    def retrieve_one(self, obj, props: Sequence[str]) -> dict:
        """Return `props` of one object in one round trip (unset paths are absent)."""
        spec = _PC.FilterSpec(objectSet=[_PC.ObjectSpec(obj=obj)],
                              propSet=[_PC.PropertySpec(type=type(obj), pathSet=list(props))])
        rows = list(_rows(self.conn, spec))
        return rows[0] if rows else {"obj": obj}

    def names(self, kind: str) -> dict[str, list]:
        """Return {name: [objects]} for every object of `kind`."""
        found: dict[str, list] = {}
        for row in self.retrieve(kind, ["name"]):
            found.setdefault(row["name"], []).append(row["obj"])
        return found

    def find(self, kind: str, ref):
        """Return the one object of `kind` that `ref` names (name, path, moid or object).

        Raises:
            InputError: `ref` is empty, too long or not a name.
            NotFoundError / WrongKindError: nothing of that kind has that name.
            MultipleFoundError: several objects have that name.
        """
        cls = KINDS[kind]
        if isinstance(ref, vim.ManagedEntity):
            if not isinstance(ref, cls):
                raise WrongKindError(f"{_name_of(ref)!r} is a {label(kind_of(ref))}, "
                                     f"not a {label(kind)}.", kind, _name_of(ref))
            return ref
        name = check_name(ref, kind)
        if "/" in name:
            return self._find_by_path(kind, name)
        matches = self.names(kind)
        if name in matches:
            if len(matches[name]) > 1:
                paths = [self.path(obj) for obj in matches[name]]
                raise MultipleFoundError(
                    f"{len(paths)} {PLURALS[kind]} are named '{name}': {quoted(paths)}. "
                    "Give the inventory path of the one you mean.", paths)
            return matches[name][0]
        if MOID.match(name):
            obj = self._find_by_moid(cls, name)
            if obj is not None:
                return obj
        raise self._not_found(kind, name, list(matches))

    def _find_by_path(self, kind: str, path: str):
        obj = self.conn.content.searchIndex.FindByInventoryPath(path)
        if obj is None:
            raise NotFoundError(f"Nothing is at the inventory path '{path}'. "
                                f"Paths look like /Datacenter/host/Cluster/ESXi_1.", kind, path)
        return self.find(kind, obj)

    def _find_by_moid(self, cls, moid: str):
        obj = cls(moid, self.conn.stub)
        try:
            obj.name
        except vmodl.fault.ManagedObjectNotFound:
            return None
        return obj

    def _not_found(self, kind: str, name: str, names: list[str]) -> NotFoundError:
        for other in KINDS:
            if other not in (kind, "folder", "resource pool") and name in self.names(other):
                return WrongKindError(
                    f"'{name}' is a {label(other)}, not a {label(kind)}. "
                    f"{PLURALS[kind].capitalize()}: {quoted(sorted(names))}.", kind, name, names)
        hint = closest(name, names)
        maybe = f" Did you mean '{hint[0]}'?" if hint else ""
        return NotFoundError(f"No {label(kind)} is named '{_short(name)}'.{maybe} "
                             f"{PLURALS[kind].capitalize()}: {quoted(sorted(names))}.",
                             kind, name, hint)

    def path(self, obj) -> str:
        """Return the inventory path of an object, e.g. /Datacenter/vm/vm-shared."""
        root = self.conn.content.rootFolder
        parts = []
        while obj is not None and obj != root:
            parts.append(obj.name.replace("/", "%2f"))
            obj = obj.parent
        return "/" + "/".join(reversed(parts))


def check_name(ref, kind: str) -> str:
    """Return `ref` stripped if it is a usable name, or raise InputError."""
    what = label(kind)
    if not isinstance(ref, str):
        raise InputError(f"Expected the name of a {what} (a text such as '{_example(kind)}'), "
                         f"got {type(ref).__name__} {_short(repr(ref))}.")
    name = ref.strip()
    if not name:
        raise InputError(f"The {what} name is empty. Give a name such as '{_example(kind)}'.")
    if len(name) > MAX_NAME:
        raise InputError(f"The {what} name is {len(name)} characters long; vSphere names are "
                         f"at most {MAX_NAME}. Check what was passed.")
    if any(ord(c) < 32 for c in name):
        raise InputError(f"The {what} name {_short(repr(name))} holds control characters. "
                         "Type the name again.")
    return name


def _example(kind: str) -> str:
    return {"vm": "vm-shared", "host": "ESXi_2", "cluster": "Cluster",
            "datastore": "SharedDS", "network": "VM Network"}.get(kind, "Datacenter")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _name_of(obj) -> str:
    try:
        return obj.name
    except Exception:
        return obj._moId


def _rows(conn, spec) -> Iterable[dict]:
    collector = conn.content.propertyCollector
    rows, token = listing.retrieve(conn, collector, spec)
    yield from rows
    while token:
        rows, token = listing.rows_of(collector.ContinueRetrievePropertiesEx(token))
        yield from rows
