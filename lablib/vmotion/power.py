"""Power a VM on or off, which is when it takes (or drops) its EVC CPU baseline.

"Reboot nécessaire des VM pour appliquer l'EVC" (the course): a VM gets its CPU
baseline at power-on, from the cluster's EVC mode or else its host, and keeps it until
a full power-off/power-on (vsphere-facts.md §2). Both calls are idempotent.
"""

from __future__ import annotations

from pyVmomi import vim

from .. import scope
from ..errors import OperationRefused
from ..tasks import wait
from .evc import vm_baselines


def power_on(lab, vm):
    """Power the VM on (it takes the cluster's EVC baseline) and return its Placement.

    Raises:
        OperationRefused: its host is in maintenance mode (InvalidState).

    govc: govc vm.power -on VM. PowerCLI: Start-VM -VM V
    """
    return _power(lab, vm, "poweredOn")


def power_off(lab, vm):
    """Power the VM off (a hard power-off, as govc does) and return its Placement.

    govc: govc vm.power -off VM. PowerCLI: Stop-VM -VM V -Confirm:$false
    """
    return _power(lab, vm, "poweredOff")


def _power(lab, vm, wanted: str):
    obj = lab.vm(vm)
    action = "power on" if wanted == "poweredOn" else "power off"
    scope.check_change(lab, action, obj)
    row = lab.inventory.retrieve_one(obj, ["name", "runtime.powerState", "runtime.host"])
    if row["runtime.powerState"] != wanted:
        if wanted == "poweredOn":
            host = lab.inventory.retrieve_one(row["runtime.host"],
                                              ["name", "runtime.inMaintenanceMode"])
            if host.get("runtime.inMaintenanceMode"):
                message = (f"Cannot power on '{row['name']}': its host {host['name']} is in "
                           "maintenance mode. Take the host out of maintenance "
                           f"(lab.exit_maintenance('{host['name']}')) or migrate the VM first.")
                raise OperationRefused(message, vim.fault.InvalidState(msg=message))
            wait(lab.conn, obj.PowerOnVM_Task())
        else:
            wait(lab.conn, obj.PowerOffVM_Task())
        vm_baselines(lab, lab.facts.snapshot())  # on vcsim: record the new baseline
    return lab.placement(obj)
