"""Bring the lab to the state a lab notebook starts from, so every lab runs on its own.

On the simulator, `prepare(lab, "05")` resets the inventory to the course's initial
state, then replays the earlier labs' steps through the public Lab API (enable vMotion,
configure EVC, power-cycle the VMs). On a real vCenter it changes nothing: it checks
the same conditions and says what to do (DESIGN.md §8: lablib never resets a vCenter).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import tr
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
    done: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """Tell whether the lab is in the state the notebook starts from."""
        return not self.todo

    def __repr__(self) -> str:
        if self.todo:
            head = tr(f"Lab {self.lab_id}: before you start, ",
                      f"Lab {self.lab_id} : avant de commencer, ")
            return head + "; ".join(self.todo) + "."
        head = tr(f"Lab {self.lab_id} is ready", f"Le lab {self.lab_id} est prêt")
        if not self.done:
            return head + "."
        return head + tr(": ", " : ") + "; ".join(self.done) + "."

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(repr(self))


def prepare(lab, lab_id: str) -> Preparation:
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
        from ..errors import InputError

        raise InputError(f"No lab {lab_id!r}. Labs: {', '.join(LABS)}.")
    use_lab(lab)
    needs = NEEDS[lab_id]
    report = Preparation(lab_id)
    if needs is None:
        return report
    if lab.config.backend == "simulator":
        lab.reset()
        report.done.append(tr("the simulator is back to the course's initial state",
                              "le simulateur est revenu à l'état initial du cours"))
        for need in needs:
            report.done.append(_APPLY[need](lab))
    else:
        for need in needs:
            missing = _MISSING[need](lab)
            if missing:
                report.todo.append(missing)
    return report


def _hosts(lab):
    return [lab.roles.source_host, lab.roles.destination_host]


def _vms(lab):
    return [lab.roles.vm, lab.roles.local_vm]


def _enable_vmotion(lab) -> str:
    for host in _hosts(lab):
        lab.enable_vmotion(host, "vmk0")
    return tr("vMotion enabled on vmk0 of " + " and ".join(_hosts(lab)) + " (lab 03)",
              "vMotion activé sur vmk0 de " + " et ".join(_hosts(lab)) + " (lab 03)")


def _configure_evc(lab) -> str:
    # vCenter refuses a mode below what running VMs use (ActiveVMsBlockingEVC): power
    # them off, configure EVC, power them on so they take it (vsphere-facts.md §2).
    running = [vm for vm in _vms(lab) if lab.placement(vm).power_state == "poweredOn"]
    for vm in running:
        lab.power_off(vm)
    mode = lab.evc_modes().best
    lab.configure_evc(mode)
    for vm in running:
        lab.power_on(vm)
    return tr(f"EVC set to {mode}, {' and '.join(running)} power-cycled into it (lab 04)",
              f"EVC réglé sur {mode}, {' et '.join(running)} éteintes puis rallumées avec "
              "ce mode (lab 04)")


def _vmotion_missing(lab) -> str:
    snap = lab.facts.snapshot()
    missing = [h for h in _hosts(lab) if not snap.host(h).vmotion_vmks]
    if not missing:
        return ""
    return tr("enable vMotion on a VMkernel adapter of " + " and ".join(missing) + " (lab 03)",
              "activez vMotion sur un adaptateur VMkernel de " + " et ".join(missing)
              + " (lab 03)")


def _evc_missing(lab) -> str:
    modes = lab.evc_modes()
    if len(set(modes.hosts.values())) > 1 and not (
            modes.current and modes.catalog.contains(modes.best, modes.current)):
        return tr(f"configure EVC on {modes.cluster} at {modes.best} (lab 04)",
                  f"configurez EVC sur {modes.cluster} en mode {modes.best} (lab 04)")
    stale = [vm for vm in _vms(lab) if modes.current and lab.cpu_baseline(vm)
             and not modes.catalog.contains(modes.current, lab.cpu_baseline(vm))]
    if not stale:
        return ""
    return tr("power off and on " + " and ".join(stale) + " so they start with the EVC mode "
              "(lab 04)", "éteignez puis rallumez " + " et ".join(stale)
              + " pour qu'elles démarrent avec le mode EVC (lab 04)")


_APPLY = {"vmotion": _enable_vmotion, "evc": _configure_evc}
_MISSING = {"vmotion": _vmotion_missing, "evc": _evc_missing}
