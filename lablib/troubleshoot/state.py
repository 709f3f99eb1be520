"""The lab's state as flat keys, to tell what changed since lab 09 was prepared.

`capture(lab)` reads the facts snapshot and the VMs' devices (a few SOAP round trips) into
{key: value}, JSON-ready so it can be kept in a file: "host:ESXi_2:vmotion" -> ["vmk0"],
"vm:vm-shared:cdrom:3000" -> {...}. `changes(before, after, owned)` lists the keys that
differ, leaving out those the scenario's fix owns (fnmatch patterns).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from ..text import Text

if TYPE_CHECKING:
    from ..lab import Lab

State = dict[str, Any]

#: Device kinds kept in the state, with the label the vSphere Client gives them.
_KINDS = ((vim.vm.device.VirtualDisk, "disk", Text("Hard disk", "Disque dur")),
          (vim.vm.device.VirtualCdrom, "cdrom", Text("CD/DVD drive", "Lecteur CD/DVD")),
          (vim.vm.device.VirtualFloppy, "floppy", Text("Floppy drive", "Lecteur de disquette")),
          (vim.vm.device.VirtualEthernetCard, "nic",
           Text("Network adapter", "Adaptateur réseau")))
LABELS = {kind: label for _, kind, label in _KINDS}


def capture(lab: Lab) -> State:
    """Return the lab's state: hosts, cluster, VMs and their devices, datastores."""
    snap = lab.facts.snapshot()
    state: State = {}
    for h in snap.hosts:
        state.update({f"host:{h.name}:vmotion": list(h.vmotion_vmks),
                      f"host:{h.name}:connection": h.connection_state,
                      f"host:{h.name}:maintenance": h.in_maintenance,
                      f"host:{h.name}:networks": list(h.networks),
                      f"host:{h.name}:datastores": list(h.datastores)})
    for c in snap.clusters:
        state[f"cluster:{c.name}:evc"] = c.evc_mode
        state[f"cluster:{c.name}:drs"] = [c.drs_enabled, c.drs_behavior]
    for d in snap.datastores:
        state[f"datastore:{d.name}:hosts"] = list(d.hosts)
    rows = lab.inventory.retrieve_many({"vm": ["config.hardware.device"]})["vm"]
    devices = {row["obj"]._moId: row.get("config.hardware.device", []) for row in rows}
    for v in snap.vms:
        state.update({f"vm:{v.name}:host": v.host, f"vm:{v.name}:power": v.power_state,
                      f"vm:{v.name}:datastores": list(v.datastores),
                      f"vm:{v.name}:files": v.files,
                      f"vm:{v.name}:networks": list(v.networks),
                      f"vm:{v.name}:baseline": v.cpu_baseline,
                      f"vm:{v.name}:size": [v.cpus, v.memory_mb]})
        state.update(_devices(v.name, devices.get(v.obj._moId, [])))
    return state


def _devices(vm: str, devices: list[Any]) -> State:
    found: State = {}
    count: dict[str, int] = {}
    for device in devices:
        kind = next((k for cls, k, _ in _KINDS if isinstance(device, cls)), None)
        if kind is None:
            continue
        count[kind] = count.get(kind, 0) + 1
        backing = device.backing
        target = getattr(backing, "fileName", None) or getattr(backing, "deviceName", None) \
            or getattr(getattr(backing, "port", None), "portgroupKey", None) or ""
        plug = device.connectable
        found[f"vm:{vm}:{kind}:{device.key}"] = {
            "number": count[kind], "backing": target,
            "connected": bool(plug and plug.connected),
            "start": bool(plug and plug.startConnected)}
    return found


def changes(before: State, after: State, owned: list[str]) -> list[tuple[str, Any, Any]]:
    """Return (key, before, after) for each key that changed and no pattern of `owned` covers."""
    found = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key) or any(fnmatchcase(key, p) for p in owned):
            continue
        found.append((key, before.get(key), after.get(key)))
    return found


def of_kind(state: State, vm: str, kind: str) -> dict[str, dict]:
    """Return the VM's devices of one kind ("disk", "cdrom", "nic"): {key: facts}."""
    prefix = f"vm:{vm}:{kind}:"
    return {k: v for k, v in state.items() if k.startswith(prefix)}


def describe(key: str, value: Any) -> Text:
    """Return what a state key names, in the notebook's words ("vMotion on ESXi_2")."""
    kind, name, what, *_ = [*key.split(":"), "", ""]
    if kind == "vm" and what in LABELS:
        number = value.get("number", "") if isinstance(value, dict) else ""
        return Text("{label} {n} of {vm}", "{label} {n} de {vm}", label=LABELS[what],
                    n=number, vm=name)
    words = {
        ("host", "vmotion"): Text("vMotion on {name}", "vMotion sur {name}"),
        ("host", "connection"): Text("{name}'s connection", "la connexion de {name}"),
        ("host", "maintenance"): Text("{name}'s maintenance mode", "le mode maintenance de "
                                      "{name}"),
        ("host", "networks"): Text("{name}'s networks", "les réseaux de {name}"),
        ("host", "datastores"): Text("{name}'s datastores", "les banques de données de {name}"),
        ("cluster", "evc"): Text("{name}'s EVC mode", "le mode EVC de {name}"),
        ("cluster", "drs"): Text("{name}'s DRS settings", "les réglages DRS de {name}"),
        ("datastore", "hosts"): Text("the hosts that mount {name}",
                                     "les hôtes qui montent {name}"),
        ("vm", "host"): Text("{name}'s host", "l'hôte de {name}"),
        ("vm", "power"): Text("{name}'s power state", "l'état d'alimentation de {name}"),
        ("vm", "datastores"): Text("{name}'s datastores", "les banques de données de {name}"),
        ("vm", "files"): Text("{name}'s configuration file", "le fichier de configuration de "
                              "{name}"),
        ("vm", "networks"): Text("{name}'s networks", "les réseaux de {name}"),
        ("vm", "baseline"): Text("{name}'s CPU baseline", "la base CPU de {name}"),
        ("vm", "size"): Text("{name}'s CPUs and memory", "les CPU et la mémoire de {name}"),
    }
    return words.get((kind, what), Text(key)).fill(name=name)
