"""Find inventory objects by name, inventory path or managed object id, and list them.

Listings go through the PropertyCollector: one ContainerView and one RetrievePropertiesEx
for a whole kind, whatever the number of objects (docs/style.md §5), never
one SOAP round trip per property per object.

Lookups follow govc's `find` semantics: a name, an inventory path such as
`/Datacenter/host/Cluster/ESXi_1`, or a managed object id such as `host-21`.
Not found names the kind and the closest names; an ambiguous name lists the paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pyVmomi import vim, vmodl

from . import listing
from .errors import InputError, MultipleFoundError, NotFoundError, WrongKindError, closest, quoted
from .text import Text

if TYPE_CHECKING:
    from .connection import Connection

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
#: How each kind is written, in a sentence and as a plural, in both languages.
LABELS = {"vm": Text("VM"), "host": Text("host", "hôte"), "cluster": Text("cluster"),
          "datastore": Text("datastore"), "network": Text("network", "réseau"),
          "datacenter": Text("datacenter"), "resource pool": Text("resource pool",
                                                                   "pool de ressources"),
          "folder": Text("folder", "dossier")}
PLURALS = {"vm": Text("VMs", "VM"), "host": Text("Hosts", "Hôtes"),
           "cluster": Text("Clusters"), "datastore": Text("Datastores"),
           "network": Text("Networks", "Réseaux"), "datacenter": Text("Datacenters"),
           "resource pool": Text("Resource pools", "Pools de ressources"),
           "folder": Text("Folders", "Dossiers")}
MAX_NAME = 255
MOID = re.compile(r"^[a-z]+(-[a-z]+)?-\d+$")  # a managed object id: vm-21, domain-c9
_PC = vmodl.query.PropertyCollector


def kind_of(obj: Any) -> str:
    """Return the lab's word for the kind of a managed object ("host", "VM", ...)."""
    for kind, cls in KINDS.items():
        if isinstance(obj, cls):
            return kind
    return type(obj).__name__


def label(kind: str) -> Text:
    """Return how a kind is written in a sentence."""
    return LABELS.get(kind, Text(kind))


class Inventory:
    """Read the inventory of one connection."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def retrieve(self, kind: str, props: Sequence[str], root: Any = None) -> list[dict]:
        """Return every object of `kind` under `root` with `props`, in one listing.

        Each row is a dict of the property paths asked for plus "obj", the managed object.
        Paths that are unset on an object are absent from its row.
        """
        return self.retrieve_many({kind: props}, root)[kind]

    def retrieve_many(self, wanted: dict[str, Sequence[str]],
                      root: Any = None) -> dict[str, list]:
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

    def retrieve_one(self, obj: Any, props: Sequence[str]) -> dict:
        """Return `props` of one object in one round trip (unset paths are absent)."""
        spec = _PC.FilterSpec(objectSet=[_PC.ObjectSpec(obj=obj)],
                              propSet=[_PC.PropertySpec(type=type(obj), pathSet=list(props))])
        rows = list(_rows(self.conn, spec))
        return rows[0] if rows else {"obj": obj}

    def names(self, kind: str) -> dict[str, list]:
        """Return {name: [objects]} for every object of `kind` (gone ones are left out)."""
        found: dict[str, list] = {}
        for row in self.retrieve(kind, ["name"]):
            if "name" in row:
                found.setdefault(row["name"], []).append(row["obj"])
        return found

    def names_of(self, objs: Sequence[Any]) -> dict[str, str]:
        """Return {moid: name} of some objects, in one round trip (gone ones are left out)."""
        objs = [o for o in objs if o is not None]
        if not objs:
            return {}
        spec = _PC.FilterSpec(objectSet=[_PC.ObjectSpec(obj=o) for o in objs],
                              propSet=[_PC.PropertySpec(type=t, pathSet=["name"])
                                       for t in {type(o) for o in objs}])
        return {row["obj"]._moId: row["name"] for row in _rows(self.conn, spec)
                if "name" in row}

    def find(self, kind: str, ref: Any) -> Any:
        """Return the one object of `kind` that `ref` names (name, path, moid or object).

        Raises:
            InputError: `ref` is empty, too long or not a name.
            NotFoundError / WrongKindError: nothing of that kind has that name.
            MultipleFoundError: several objects have that name.
        """
        if kind not in KINDS:
            raise InputError(Text("Unknown kind {kind}. Kinds: {kinds}.",
                                  "Type d'objet inconnu : {kind}. Types : {kinds}.",
                                  kind=repr(kind)[:40], kinds=", ".join(KINDS)))
        cls = KINDS[kind]
        if isinstance(ref, vim.ManagedEntity):
            if not isinstance(ref, cls):
                raise WrongKindError(Text("'{name}' is a {kind}, not a {wanted}.",
                                          "'{name}' est un objet {kind}, pas {wanted}.",
                                          name=_name_of(ref), kind=label(kind_of(ref)),
                                          wanted=label(kind)), kind, _name_of(ref))
            return ref
        name = check_name(ref, kind)
        if "/" in name:
            return self._find_by_path(kind, name)
        matches = self.names(kind)
        if name in matches:
            if len(matches[name]) > 1:
                paths = [self.path(obj) for obj in matches[name]]
                raise MultipleFoundError(Text(
                    "{count} {kinds} are named '{name}': {paths}. Give the inventory path of "
                    "the one you mean.", "{count} objets {kinds} s'appellent '{name}' : "
                    "{paths}. Donnez le chemin d'inventaire de celui que vous voulez.",
                    count=len(paths), kinds=PLURALS[kind], name=name, paths=quoted(paths)),
                    paths)
            return matches[name][0]
        if MOID.match(name):
            obj = self._find_by_moid(cls, name)
            if obj is not None:
                return obj
        raise self._not_found(kind, name, list(matches))

    def _find_by_path(self, kind: str, path: str) -> Any:
        obj = self.conn.content.searchIndex.FindByInventoryPath(path)
        if obj is None:
            raise NotFoundError(Text(
                "Nothing is at the inventory path '{path}'. Paths look like "
                "/Datacenter/host/Cluster/ESXi_1.", "Rien au chemin d'inventaire '{path}'. "
                "Un chemin ressemble à /Datacenter/host/Cluster/ESXi_1.", path=path),
                kind, path)
        return self.find(kind, obj)

    def _find_by_moid(self, cls: Any, moid: str) -> Any:
        obj = cls(moid, self.conn.stub)
        try:
            _ = obj.name
        except vmodl.fault.ManagedObjectNotFound:
            return None
        return obj

    def _not_found(self, kind: str, name: str, names: list[str]) -> NotFoundError:
        listed = quoted(sorted(names))
        for other in KINDS:
            if other not in (kind, "folder", "resource pool") and name in self.names(other):
                return WrongKindError(Text(
                    "'{name}' is a {other}, not a {kind}. {kinds}: {names}.",
                    "'{name}' est un objet {other}, pas {kind}. {kinds} : {names}.",
                    name=name, other=label(other), kind=label(kind), kinds=PLURALS[kind],
                    names=listed), kind, name, names)
        hint = closest(name, names)
        maybe = Text(" Did you mean '{hint}'?", " Vouliez-vous dire '{hint}' ?",
                     hint=hint[0]) if hint else ""
        return NotFoundError(Text("No {kind} is named '{name}'.{maybe} {kinds}: {names}.",
                                  "Aucun objet {kind} ne s'appelle '{name}'.{maybe} "
                                  "{kinds} : {names}.", kind=label(kind), name=_short(name),
                                  maybe=maybe, kinds=PLURALS[kind], names=listed),
                             kind, name, hint)

    def path(self, obj: Any) -> str:
        """Return the inventory path of an object, e.g. /Datacenter/vm/vm-shared."""
        root = self.conn.content.rootFolder
        parts = []
        while obj is not None and obj != root:
            parts.append(obj.name.replace("/", "%2f"))
            obj = obj.parent
        return "/" + "/".join(reversed(parts))


def check_name(ref: Any, kind: str) -> str:
    """Return `ref` stripped if it is a usable name, or raise InputError."""
    what, example = label(kind), _example(kind)
    if not isinstance(ref, str):
        raise InputError(Text(
            "Expected the name of a {what} (a text such as '{example}'), got {type} {got}.",
            "Attendu : le nom d'un objet {what} (un texte comme '{example}'), reçu {type} "
            "{got}.", what=what, example=example, type=type(ref).__name__,
            got=_short(repr(ref))))
    name = ref.strip()
    if not name:
        raise InputError(Text("The {what} name is empty. Give a name such as '{example}'.",
                              "Le nom ({what}) est vide. Donnez un nom comme '{example}'.",
                              what=what, example=example))
    if len(name) > MAX_NAME:
        raise InputError(Text(
            "The {what} name is {length} characters long; vSphere names are at most {top}. "
            "Check what was passed.", "Le nom ({what}) fait {length} caractères ; les noms "
            "vSphere en ont au plus {top}. Vérifiez ce qui a été passé.", what=what,
            length=len(name), top=MAX_NAME))
    if any(ord(c) < 32 for c in name):
        raise InputError(Text("The {what} name {got} holds control characters. Type the name "
                              "again.", "Le nom ({what}) {got} contient des caractères de "
                              "contrôle. Tapez le nom de nouveau.", what=what,
                              got=_short(repr(name))))
    return name


def _example(kind: str) -> str:
    return {"vm": "vm-shared", "host": "ESXi_2", "cluster": "Cluster",
            "datastore": "SharedDS", "network": "VM Network"}.get(kind, "Datacenter")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _name_of(obj: Any) -> str:
    try:
        return obj.name
    except Exception:
        return obj._moId


def _rows(conn: Connection, spec: Any) -> Iterable[dict]:
    collector = conn.content.propertyCollector
    rows, token = listing.retrieve(conn, collector, spec)
    yield from rows
    while token:
        rows, token = listing.rows_of(collector.ContinueRetrievePropertiesEx(token))
        yield from rows
