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
from ..troubleshoot.draw import Draw, draw
from ..troubleshoot.ticket import Ticket, break_lab, note_vcenter
from .core import LABS, role_values, use_lab

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
    "09": ("vmotion", "evc"),   # then the student's broken lab (lablib.troubleshoot)
}


@dataclass
class Preparation:
    """What prepare() did (simulator) or what is still to do (vCenter)."""

    lab_id: str
    done: list[Text] = field(default_factory=list)
    todo: list[Text] = field(default_factory=list)
    ticket: Any = None  # lab 09: what the student is asked to fix (lablib.troubleshoot)

    @property
    def ready(self) -> bool:
        """Tell whether the lab is in the state the notebook starts from."""
        return not self.todo

    def __repr__(self) -> str:
        if self.ticket is not None:
            return f"{self._state()}\n\n{self.ticket}"
        return self._state()

    def _state(self) -> str:
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


def prepare(lab: Lab, lab_id: str, *, seed: Any = None, level: Any = None,
            scenarios: Any = None) -> Preparation:
    """Bring the simulator to the state lab `lab_id` starts from; on vCenter, check it.

    It also makes `lab` the lab that `check()` reads. Lab 09 then breaks the lab for the
    student's draw (lablib.troubleshoot) and shows the ticket; on a real vCenter it changes
    nothing, and the instructor breaks the student's scope by hand
    (`python -m lablib.troubleshoot steps --seed SEED`).

    Args:
        lab: the notebook's Lab (lablib.connect()).
        lab_id: "00" to "09".
        seed: lab 09 only: the student's name or a number from the instructor (default:
            the JupyterHub user, else the login).
        level: lab 09 only: 1 (one cause) or 2 (two stacked); default `[troubleshoot] level`.
        scenarios: lab 09 only: the scenario ids to draw from; default `[troubleshoot]
            scenarios` (all).

    Returns:
        A Preparation that says what was done, or (on vCenter) what is left to do.
    """
    lab_id = str(lab_id).zfill(2)
    if lab_id not in LABS:
        raise InputError(Text("No lab {got}. Labs: {labs}.", "Pas de lab {got}. Labs : {labs}.",
                              got=repr(lab_id)[:40], labs=", ".join(LABS)))
    chosen = _draw(lab, lab_id, seed, level, scenarios)
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
        if chosen is not None:  # say nothing of the steps: the break would contradict them
            break_lab(lab, chosen)
            report.done[:] = [Text("the lab is in the state lab 05 starts from, then broken "
                                   "for your ticket", "le lab est dans l'état où commence le "
                                   "lab 05, puis cassé pour votre ticket")]
    else:
        for need in needs:
            missing = _MISSING[need](lab)
            if missing:
                report.todo.append(missing)
        if chosen is not None:
            note_vcenter(lab, chosen)
            report.done.append(Text(
                "on a real vCenter lablib breaks nothing: your instructor broke your lab for "
                "ticket {ticket} by hand", "sur un vrai vCenter lablib ne casse rien : votre "
                "formateur a cassé votre lab pour le ticket {ticket} à la main",
                ticket=chosen.ticket))
    if chosen is not None:
        report.ticket = Ticket(chosen, role_values(lab.roles))
    return report


def _draw(lab: Lab, lab_id: str, seed: Any, level: Any, scenarios: Any) -> Draw | None:
    """Return lab 09's draw (checked before anything changes); None for the other labs."""
    if lab_id != "09":
        if (seed, level, scenarios) != (None, None, None):
            raise InputError(Text("seed, level and scenarios are lab 09's: lab {lab} takes "
                                  "none.", "seed, level et scenarios sont ceux du lab 09 : le "
                                  "lab {lab} n'en prend pas.", lab=lab_id))
        return None
    settings = lab.config.troubleshoot
    return draw(seed, settings.level if level is None else level,
                scenarios if scenarios is not None else settings.scenarios or None)


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
