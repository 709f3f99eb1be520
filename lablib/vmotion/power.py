"""Power a VM on or off, which is when it takes (or drops) its EVC CPU baseline.

"Reboot nécessaire des VM pour appliquer l'EVC" (the course): a VM gets its CPU
baseline at power-on, from the cluster's EVC mode or else its host, and keeps it until
a full power-off/power-on (docs/vsphere-facts.md §2). Both calls are idempotent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import OperationRefused, TaskFailed, fault_text
from ..facts import Placement
from ..tasks import wait
from ..text import Text

if TYPE_CHECKING:
    from ..session import Session


def power_on(session: Session, vm: Any) -> Placement:
    """Power the VM on (it takes the cluster's EVC baseline) and return its Placement.

    Raises:
        OperationRefused: the server refuses it (its host is in maintenance mode).

    govc: govc vm.power -on VM. PowerCLI: Start-VM -VM V
    """
    return _power(session, vm, "poweredOn")


def power_off(session: Session, vm: Any) -> Placement:
    """Power the VM off (a hard power-off, as govc does) and return its Placement.

    govc: govc vm.power -off VM. PowerCLI: Stop-VM -VM V -Confirm:$false
    """
    return _power(session, vm, "poweredOff")


def _power(session: Session, vm: Any, wanted: str) -> Placement:
    obj = session.vm(vm)
    session.check_change("power on" if wanted == "poweredOn" else "power off", obj)
    snap = session.facts.snapshot()
    facts = snap.of(obj)
    if facts.power_state != wanted:
        try:
            if wanted == "poweredOn":
                host = snap.host(facts.host)
                refused = session.backend.power_refusal(facts, host) if host else None
                if refused is not None:
                    raise TaskFailed(fault_text(refused), refused)
                wait(session.conn, obj.PowerOnVM_Task())
            else:
                wait(session.conn, obj.PowerOffVM_Task())
        except TaskFailed as failed:
            raise OperationRefused(_refusal(facts.name, facts.host, wanted, failed.fault),
                                   failed.fault) from None
        session.backend.baselines(session.facts.snapshot())  # fallback: record the baseline
    return session.facts.placement(obj)


def _refusal(vm: str, host: str, wanted: str, fault: Any) -> Text:
    if wanted == "poweredOn":
        return Text("Cannot power on '{vm}': {fault}. If its host {host} is in maintenance "
                    "mode, take it out (lab.exit_maintenance('{host}')) or migrate the VM "
                    "first.", "Impossible de mettre '{vm}' sous tension : {fault}. Si son hôte "
                    "{host} est en mode maintenance, sortez-l'en "
                    "(lab.exit_maintenance('{host}')) ou migrez d'abord la VM.", vm=vm,
                    host=host, fault=fault_text(fault))
    return Text("Cannot power off '{vm}': {fault}.", "Impossible de mettre '{vm}' hors "
                "tension : {fault}.", vm=vm, fault=fault_text(fault))
