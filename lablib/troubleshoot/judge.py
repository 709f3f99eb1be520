"""Judge a lab 09 fix on the live lab: the migration, and how the student got there.

The VM must run on the destination host, moved live (no power-off unless the fix needed
one), its files moved only if they had to, the cause gone, and nothing outside the
ticket changed since prepare. Each finding is a sign (a named reading of the live state,
`SIGNS`); a wrong fix that still got the VM moved gets its own "migrated, but ..." reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from ..text import Text
from .draw import Draw
from .model import Scenario, Sign
from .record import Record
from .state import State, capture, changes, describe, of_kind

if TYPE_CHECKING:
    from ..lab import Lab


@dataclass
class Evidence:
    """What the check reads: the state then and now, and what happened since prepare."""

    values: dict[str, str]
    before: State | None
    after: State
    powered_off: set[str] = field(default_factory=set)
    storage_moves: int = 0
    best: str = ""
    contains: Any = None  # EvcCatalog.contains

    def key(self, template: str) -> str:
        """Return a state key with the roles filled in ("host:{destination_host}:vmotion")."""
        return template.format(**self.values)


def values_of(lab: Lab, modes: Any = None) -> dict[str, str]:
    """Return the values texts and steps are filled with: role names, EVC modes, paths."""
    roles = lab.roles
    values = {name: getattr(roles, name) for name in roles.__dataclass_fields__}
    modes = modes or lab.evc_modes()
    below = modes.for_cluster[:-1]
    values.update(mode=modes.best, lower_mode=below[-1] if below else modes.best,
                  cluster_path=f"/{roles.datacenter}/host/{roles.cluster}")
    return values


def gather(lab: Lab, record: Record, values: dict[str, str], modes: Any = None) -> Evidence:
    """Read the live lab: its state, and the power-offs and migrations since prepare."""
    modes = modes or lab.evc_modes()
    evidence = Evidence(values, record.before, capture(lab), best=modes.best,
                        contains=modes.catalog.contains)
    spec = vim.event.EventFilterSpec(eventTypeId=["VmPoweredOffEvent", "VmMigratedEvent",
                                                  "DrsVmMigratedEvent"], maxCount=1000)
    if record.prepared_at and not record.marker:
        spec.time = vim.event.EventFilterSpec.ByTime(
            beginTime=datetime.fromisoformat(record.prepared_at))
    for event in lab.conn.content.eventManager.QueryEvents(spec) or []:
        if (record.marker and event.key <= record.marker) or event.vm is None:
            continue
        if isinstance(event, vim.event.VmPoweredOffEvent):
            evidence.powered_off.add(event.vm.name)
        elif event.vm.name == values["vm"] and _name(event.sourceDatastore) != _name(event.ds):
            evidence.storage_moves += 1
    return evidence


def _name(argument: Any) -> str:
    return getattr(argument, "name", "") or ""


# The signs: named readings of the live lab.

def _datastore(path: str) -> str:
    """Return the datastore of a "[ds] folder/file" path ("" for another backing)."""
    return path[1:path.find("]")] if path.startswith("[") and "]" in path else ""


def _vm_files_shared(e: Evidence) -> bool:
    """Tell whether the VM's configuration and disks are on datastores both hosts mount."""
    both = {e.values["source_host"], e.values["destination_host"]}
    files = [e.after.get(e.key("vm:{vm}:files"), "")]
    files += [d["backing"] for d in of_kind(e.after, e.values["vm"], "disk").values()]
    return all(both <= set(e.after.get(f"datastore:{_datastore(f)}:hosts", []))
               for f in files if _datastore(f))


def _count(state: State | None, vm: str, kind: str) -> int:
    return len(of_kind(state or {}, vm, kind))


def _media_reachable(e: Evidence) -> bool:
    mounted = set(e.after.get(e.key("host:{destination_host}:datastores"), []))
    for kind in ("cdrom", "floppy"):
        for device in of_kind(e.after, e.values["vm"], kind).values():
            file = _datastore(device["backing"])
            if (device["connected"] or device["start"]) and file and file not in mounted:
                return False
    return True


def _networks_present(e: Evidence, host: str) -> bool:
    have = set(e.after.get(f"host:{host}:networks", []))
    return set(e.after.get(e.key("vm:{vm}:networks"), [])) <= have


def _nics(state: State | None, vm: str) -> list[tuple[str, bool]]:
    return sorted((d["backing"], d["connected"]) for d in of_kind(state or {}, vm, "nic")
                  .values())


def _evc_covers(e: Evidence) -> bool:
    mode = e.after.get(e.key("cluster:{cluster}:evc"), "")
    baseline = e.after.get(e.key("vm:{vm}:baseline"), "")
    return bool(mode) and (not baseline or e.contains(mode, baseline))


SIGNS: dict[str, Callable[..., bool]] = {
    "power_cycled": lambda e: e.values["vm"] in e.powered_off,
    "vmotion_on": lambda e, host: bool(e.after.get(f"host:{host}:vmotion")),
    "files_shared": _vm_files_shared,
    "files_local": lambda e: not _vm_files_shared(e),
    "disk_removed": lambda e: e.before is not None and
    _count(e.after, e.values["vm"], "disk") < _count(e.before, e.values["vm"], "disk"),
    "cdrom_removed": lambda e: e.before is not None and
    _count(e.after, e.values["vm"], "cdrom") < _count(e.before, e.values["vm"], "cdrom"),
    "media_reachable": _media_reachable,
    "networks_present": _networks_present,
    "nic_disconnected": lambda e: any(not connected for _, connected in
                                      _nics(e.after, e.values["vm"])),
    "network_changed": lambda e: e.before is not None and
    [b for b, _ in _nics(e.after, e.values["vm"])] != [b for b, _ in _nics(e.before,
                                                                         e.values["vm"])],
    "out_of_maintenance": lambda e, host: not e.after.get(f"host:{host}:maintenance"),
    "connected": lambda e, host: e.after.get(f"host:{host}:connection") == "connected",
    "evc_covers": _evc_covers,
    "evc_off": lambda e: not e.after.get(e.key("cluster:{cluster}:evc")),
    "evc_below": lambda e: bool(e.after.get(e.key("cluster:{cluster}:evc")))
    and e.after.get(e.key("cluster:{cluster}:evc")) != e.best,
}


def reads(sign: Sign, evidence: Evidence) -> bool:
    """Tell whether the sign shows in the evidence."""
    args = {k: v.format(**evidence.values) for k, v in sign.args.items()}
    return bool(SIGNS[sign.name](evidence, **args))


@dataclass(frozen=True)
class Verdict:
    """The check's answer: "done", "not done", or "wrong" with the reason."""

    status: str
    reason: Text | None = None


def judge(draw: Draw, evidence: Evidence) -> Verdict:
    """Judge the fix of the drawn lab from the evidence."""
    v, e = evidence.values, evidence
    if e.after.get(e.key("vm:{vm}:host")) != v["destination_host"]:
        return Verdict("not done")
    migrated = Text("migrated, but {why}", "migrée, mais {why}")

    def wrong(reason: Text) -> Verdict:
        return Verdict("wrong", migrated.fill(why=reason.fill(**v)))

    if e.after.get(e.key("vm:{vm}:power")) != "poweredOn":
        return wrong(Text("{vm} is not running: its users are waiting for it. Power it on.",
                          "{vm} ne tourne pas : ses utilisateurs l'attendent. Rallumez-la."))
    cycle = any(s.power_cycle for s in draw.scenarios)  # a stacked cause may need one
    for scenario in draw.scenarios:
        for fix in scenario.wrong:
            if not (cycle and fix.sign.name == "power_cycled") and reads(fix.sign, e):
                return wrong(fix.message)
    if v["vm"] in e.powered_off and not cycle:
        return wrong(Text("you powered {vm} off, and its users lost it: this fix needs no "
                          "power-off, and vMotion moves a running VM.",
                          "vous avez éteint {vm}, et ses utilisateurs l'ont perdue : cette "
                          "correction n'exige pas d'arrêt, et vMotion déplace une VM allumée."))
    others = sorted(e.powered_off - {v["vm"]})
    if others:
        return wrong(Text("you also powered off {others}, which the ticket did not need.",
                          "vous avez aussi éteint {others}, ce que le ticket n'exigeait pas.",
                          others=", ".join(others)))
    if e.storage_moves and not any(s.files_move for s in draw.scenarios):
        return wrong(Text("you moved {vm}'s files too (Storage vMotion): they were already on "
                          "a datastore both hosts mount, so copying them cost time and I/O for "
                          "nothing. A compute-only migration was enough.",
                          "vous avez aussi déplacé les fichiers de {vm} (Storage vMotion) : ils "
                          "étaient déjà sur une banque que les deux hôtes montent, la copie a "
                          "coûté du temps et des E/S pour rien. Changer seulement d'hôte "
                          "suffisait."))
    for sign, reason in _GENERIC:
        if reads(sign, e):
            return wrong(reason)
    for scenario in draw.scenarios:
        if not reads(scenario.fixed, e):
            return wrong(scenario.unsolved)
    if e.before is not None:
        owned = [p.format(**v) for s in draw.scenarios for p in s.owns]
        # The migration moves the VM; the server recomputes its datastore list (its files
        # and disks are judged one by one, above and in the disk keys).
        owned += [e.key("vm:{vm}:host"), e.key("vm:{vm}:datastores")]
        changed = changes(e.before, e.after, owned)
        if changed:
            key, then, now = changed[0]
            return wrong(Text("you also changed something outside the ticket: {what}. Undo "
                              "it, or prepare the lab again to start over.",
                              "vous avez aussi changé quelque chose hors du ticket : {what}. "
                              "Annulez-le, ou préparez de nouveau le lab pour recommencer.",
                              what=describe(key, now if now is not None else then)))
    return Verdict("done")


#: Wrong fixes any scenario can meet, after each scenario's own.
_GENERIC = (
    (Sign.of("files_local"), Text(
        "its files are on a datastore only one host mounts: it cannot move back after the "
        "maintenance. Keep them on {shared_datastore}.",
        "ses fichiers sont sur une banque qu'un seul hôte monte : elle ne pourra pas revenir "
        "après la maintenance. Gardez-les sur {shared_datastore}.")),
    (Sign.of("nic_disconnected"), Text(
        "a network adapter of {vm} is disconnected: nobody can reach it. Connect it again.",
        "un adaptateur réseau de {vm} est déconnecté : personne ne peut l'atteindre. "
        "Reconnectez-le.")),
    (Sign.of("network_changed"), Text(
        "{vm} is on another network than before: its clients expect '{vm_network}'.",
        "{vm} est sur un autre réseau qu'avant : ses clients attendent '{vm_network}'.")),
)


def hint_tiers(draw: Draw, evidence: Evidence | None, values: dict[str, str]
               ) -> tuple[Text, Text, Text]:
    """Return the three hints (nudge, tool, fix) for the first scenario still broken."""
    pending: list[Scenario] = [s for s in draw.scenarios
                               if evidence is None or not reads(s.fixed, evidence)]
    scenario = (pending or list(draw.scenarios))[0]
    more = Text(" (and a second cause: see lab.precheck)",
                " (et une seconde cause : voir lab.precheck)") if len(pending) > 1 else ""
    nudge, tool, fix = (h.fill(**values) for h in scenario.hints)
    return nudge + more, tool, fix


def evaluate(lab: Lab, record: Record) -> tuple[Verdict, Evidence]:
    """Judge the live lab against the record's draw."""
    modes = lab.evc_modes()
    values = values_of(lab, modes)
    evidence = gather(lab, record, values, modes)
    return judge(record.draw(), evidence), evidence
