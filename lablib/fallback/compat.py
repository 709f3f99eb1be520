"""Make pyVmomi read what vcsim v0.56 sends for a VM's runtime info.

vcsim v0.53 to v0.56 send `runtime.faultToleranceState` and `runtime.recordReplayState` as
empty strings, which no enum accepts, so pyVmomi fails on `vm.runtime` and `vm.summary`
(vmware/govmomi#4084; fixed upstream after v0.56.0 by #4112, which sends the values below).
Reading the empty value as the value a real vCenter reports for a VM without fault
tolerance or record/replay keeps `vm.runtime.host` working in every notebook. A real
vCenter never sends the empty value, so this changes nothing there.
"""

from pyVmomi import vim

_DEFAULTS = {
    vim.VirtualMachine.FaultToleranceState: "notConfigured",
    vim.VirtualMachine.RecordReplayState: "inactive",
}

for _enum, _value in _DEFAULTS.items():
    setattr(_enum, "", getattr(_enum, _value))
