"""Bring the lab to the state a lab notebook starts from, so every lab runs on its own.

On the simulator, `prepare(lab, "05")` resets the inventory to the course's initial
state, then replays the earlier labs' steps through the public Lab API (enable vMotion,
configure EVC, power-cycle the VMs). On a real vCenter it changes nothing: it checks
the same conditions and says what to do (docs/design.md §8: lablib never resets a vCenter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..lab import Lab
from ..text import Text
from .core import LABS, use_lab

#: What each lab needs, after the course's initial state (vMotion on no vmknic, EVC off):
#: "vmotion" is lab 03's result, "evc" lab 04's (EVC set, the VMs power-cycled into it).
#: Lab 00 only looks at the lab, so it does not reset it.
NEEDS = {
    "00": None,
    "01": (),
    "02": (),
    "03": (),
    "04": ("vmotion",),
    "05": ("vmotion", "evc"),
    "06": ("vmotion", "evc"),
    "07": ("vmotion", "evc"),
    "08": ("vmotion", "evc"),
}


@dataclass
class Preparation:
    """What prepare() did (simulator) or what is still to do (vCenter)."""

    lab_id: str
    done: list[Text] = field(default_factory=list)
    todo: list[Text] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """Tell whether the lab is in the state the notebook starts from."""
        return not self.todo

    def __repr__(self) -> str:
        if self.todo:
            return Text("Lab {lab}: before you start, {todo}.",
                        "Lab {lab} : avant de commencer, {todo}.", lab=self.lab_id,
                        todo=Text.join(SEMICOLON, self.todo)).render()
        if not self.done:
            return Text("Lab {lab} is ready.", "Le lab {lab} est prêt.",
                        lab=self.lab_id).render()
        return Text("Lab {lab} is ready: {done}.", "Le lab {lab} est prêt : {done}.",
                    lab=self.lab_id, done=Text.join(SEMICOLON, self.done)).render()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def prepare(lab: Lab, lab_id: str) -> Preparation:
    """Bring the simulator to the state lab `lab_id` starts from; on vCenter, check it.

    It also makes `lab` the lab that `check()` reads.

    Args:
        lab: the notebook's Lab (lablib.connect()).
        lab_id: "00" to "08".

    Returns:
        A Preparation that says what was done, or (on vCenter) what is left to do.
    """
    lab_id = str(lab_id).zfill(2)
    if lab_id not in LABS:
        raise InputError(Text("No lab {got}. Labs: {labs}.", "Pas de lab {got}. Labs : {labs}.",
                              got=repr(lab_id)[:40], labs=", ".join(LABS)))
    use_lab(lab)
    needs = NEEDS[lab_id]
    report = Preparation(lab_id)
    if needs is None:
        return report
    if lab.config.uses_simulator:
        lab.reset()
        report.done.append(Text("the simulator is back to the course's initial state",
                                "le simulateur est revenu à l'état initial du cours"))
        for need in needs:
            report.done.append(_APPLY[need](lab))
    else:
        for need in needs:
            missing = _MISSING[need](lab)
            if missing:
                report.todo.append(missing)
    return report


def _hosts(lab: Lab) -> list[str]:
    return [lab.roles.source_host, lab.roles.destination_host]


def _vms(lab: Lab) -> list[str]:
    return [lab.roles.vm, lab.roles.local_vm]


def _and(names: list[str]) -> Text:
    return Text(" and ".join(names), " et ".join(names))


def _of_hosts(names: list[str]) -> Text:
    """Return "of ESXi_1 and ESXi_2" ("de l'hôte ESXi_1", "des hôtes ESXi_1 et ESXi_2")."""
    return Text("of {hosts}", "de l'hôte {hosts}" if len(names) == 1 else "des hôtes {hosts}",
                hosts=_and(names))


def _enable_vmotion(lab: Lab) -> Text:
    for host in _hosts(lab):
        lab.enable_vmotion(host, "vmk0")
    return Text("vMotion enabled on vmk0 {of_hosts} (lab 03)",
                "vMotion activé sur vmk0 {of_hosts} (lab 03)", of_hosts=_of_hosts(_hosts(lab)))


def _configure_evc(lab: Lab) -> Text:
    # vCenter refuses a mode below what running VMs use (ActiveVMsBlockingEVC): power
    # them off, configure EVC, power them on so they take it (docs/vsphere-facts.md §2).
    running = [vm for vm in _vms(lab) if lab.placement(vm).power_state == "poweredOn"]
    for vm in running:
        lab.power_off(vm)
    mode = lab.evc_modes().best
    lab.configure_evc(mode)
    for vm in running:
        lab.power_on(vm)
    return Text("EVC set to {mode}, {vms} power-cycled into it (lab 04)",
                "EVC réglé sur {mode}, {vms} éteintes puis rallumées avec ce mode (lab 04)",
                mode=mode, vms=_and(running))


def _vmotion_missing(lab: Lab) -> Text | None:
    snap = lab.facts.snapshot()
    missing = [h for h in _hosts(lab) if not getattr(snap.host(h), "vmotion_vmks", ())]
    if not missing:
        return None
    return Text("enable vMotion on a VMkernel adapter {of_hosts} (lab 03)",
                "activez vMotion sur un adaptateur VMkernel {of_hosts} (lab 03)",
                of_hosts=_of_hosts(missing))


def _evc_missing(lab: Lab) -> Text | None:
    modes = lab.evc_modes()
    if len(set(modes.hosts.values())) > 1 and not (
            modes.current and modes.catalog.contains(modes.best, modes.current)):
        return Text("configure EVC on {cluster} at {mode} (lab 04)",
                    "configurez EVC sur {cluster} en mode {mode} (lab 04)",
                    cluster=modes.cluster, mode=modes.best)
    stale = [vm for vm in _vms(lab) if modes.current and lab.cpu_baseline(vm)
             and not modes.catalog.contains(modes.current, lab.cpu_baseline(vm))]
    if not stale:
        return None
    return Text("power off and on {vms} so they start with the EVC mode (lab 04)",
                "éteignez puis rallumez {vms} pour qu'elles démarrent avec le mode EVC "
                "(lab 04)", vms=_and(stale))


SEMICOLON = Text("; ", " ; ")
_APPLY = {"vmotion": _enable_vmotion, "evc": _configure_evc}
_MISSING = {"vmotion": _vmotion_missing, "evc": _evc_missing}
