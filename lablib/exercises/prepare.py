"""Bring the lab to the state a lab notebook starts from, so every lab runs on its own.

On the simulator, `prepare(lab, "05")` resets the inventory to the course's initial
state, then replays the earlier labs' steps through the public Lab API (enable vMotion,
configure EVC, power-cycle the VMs). On a real vCenter it changes nothing: it checks
the same conditions and says what to do (DESIGN.md §8: lablib never resets a vCenter).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import tr
from ..prerequisites import baseline_mode, evc_rank
from .core import LABS, use_lab

#: What each lab needs, after the course's initial state (vMotion on no vmknic, EVC off).
#: Lab 00 only looks at the lab, so it does not reset it.
NEEDS = {
    "00": None,
    "01": (),
    "02": (),
    "03": (),
    "04": ("vmotion",),
    "05": ("vmotion", "evc", "power_cycle"),
    "06": ("vmotion", "evc", "power_cycle"),
    "07": ("vmotion", "evc", "power_cycle"),
    "08": ("vmotion", "evc", "power_cycle"),
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


def _enable_vmotion(lab) -> str:
    for host in _hosts(lab):
        lab.enable_vmotion(host, "vmk0")
    return tr("vMotion enabled on vmk0 of " + " and ".join(_hosts(lab)) + " (lab 03)",
              "vMotion activé sur vmk0 de " + " et ".join(_hosts(lab)) + " (lab 03)")


def _configure_evc(lab) -> str:
    mode = baseline_mode(lab.facts.snapshot().hosts)
    lab.configure_evc(mode)
    return tr(f"EVC set to {mode} (lab 04)", f"EVC réglé sur {mode} (lab 04)")


def _power_cycle(lab) -> str:
    names = [lab.roles.vm, lab.roles.local_vm]
    for vm in names:
        lab.power_off(vm)
        lab.power_on(vm)
    return tr(f"{' and '.join(names)} power-cycled with the EVC mode (lab 04)",
              f"{' et '.join(names)} éteintes puis rallumées avec le mode EVC (lab 04)")


def _vmotion_missing(lab) -> str:
    snap = lab.facts.snapshot()
    missing = [h for h in _hosts(lab) if not snap.host(h).vmotion_vmks]
    if not missing:
        return ""
    return tr("enable vMotion on a VMkernel adapter of " + " and ".join(missing) + " (lab 03)",
              "activez vMotion sur un adaptateur VMkernel de " + " et ".join(missing)
              + " (lab 03)")


def _evc_missing(lab) -> str:
    snap = lab.facts.snapshot()
    cluster = snap.cluster(lab.roles.cluster)
    mode, needed = cluster.evc_mode, baseline_mode(snap.hosts)
    if len({h.max_evc for h in snap.hosts}) == 1 or (mode and evc_rank(mode) <= evc_rank(needed)):
        return ""
    return tr(f"configure EVC on {cluster.name} at {needed} (lab 04)",
              f"configurez EVC sur {cluster.name} en mode {needed} (lab 04)")


def _power_cycle_missing(lab) -> str:
    snap = lab.facts.snapshot()
    dest = snap.host(lab.roles.destination_host)
    stale = [v.name for v in snap.vms if v.name in (lab.roles.vm, lab.roles.local_vm)
             and v.power_state == "poweredOn" and evc_rank(v.cpu_baseline) > evc_rank(dest.max_evc)]
    if not stale:
        return ""
    return tr("power off and on " + " and ".join(stale) + " so they start with the EVC mode "
              "(lab 04)", "éteignez puis rallumez " + " et ".join(stale)
              + " pour qu'elles démarrent avec le mode EVC (lab 04)")


_APPLY = {"vmotion": _enable_vmotion, "evc": _configure_evc, "power_cycle": _power_cycle}
_MISSING = {"vmotion": _vmotion_missing, "evc": _evc_missing,
            "power_cycle": _power_cycle_missing}
