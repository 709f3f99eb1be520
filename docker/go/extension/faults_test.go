package extension

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vmware/govmomi/vim25/types"
)

// Every fault constructor gives vCenter's English message, never a Go type name, and
// tags the fault with its rule.
func TestFaultsCarryMessagesAndRules(t *testing.T) {
	h1 := &hostFacts{ref: types.ManagedObjectReference{Type: "HostSystem", Value: "host-1"}, name: "ESXi_1"}
	h2 := &hostFacts{ref: types.ManagedObjectReference{Type: "HostSystem", Value: "host-2"}, name: "ESXi_2", maxEVC: "intel-cascadelake"}
	ds := types.ManagedObjectReference{Type: "Datastore", Value: "datastore-1"}
	task := types.ManagedObjectReference{Type: "Task", Value: "task-1"}
	all := []*finding{
		invalidArgument("spec.host", "x"), notFound("spec.host", h1.ref), internalError("boom"), taskInProgress(task, "vm"),
		invalidPowerState(types.VirtualMachinePowerStatePoweredOn, types.VirtualMachinePowerStatePoweredOff),
		hostNotConnected(h2, "hostTests"), hostInMaintenance(h2), vmotionNotConfigured(h1, h2, h1), vmotionNotConfigured(h1, h2, h2),
		cannotAccessConfig("[ds] vm/vm.vmx"), cannotAccessDisk("Hard disk 1", "[ds] vm/vm.vmdk"),
		cannotAccessDevice(h1, h2, "CD/DVD drive 1", "[ds] iso/x.iso", true), datastoreNotWritable(ds, "ds", h2),
		cannotAccessNetwork("Network adapter 1", "Lab Net", nil, true), cpuIncompatible(h1, h2, 7, "ecx", "", ""),
		evcDisconnectedHosts([]string{"ESXi_2"}), evcIllegalByVendor("amd-zen", "amd", "intel"), evcUnsupportedByHosts("intel-icelake", []*hostFacts{h2}),
		evcActiveVMs("intel-merom", []*hostFacts{h1}, "vm"), evcAdmissionCPUModel("intel-skylake"), evcAdmissionCPUVendor("intel", "amd"),
		alreadyInMaintenance(h1), notInMaintenance(h1), enteringMaintenance(h1, task), timedout(),
	}
	for _, f := range all {
		lf := f.localized()
		name := fmt.Sprintf("%T", f.fault)
		if lf.LocalizedMessage == "" || strings.Contains(lf.LocalizedMessage, "types.") || f.rule == "" {
			t.Errorf("%s: message %q rule %q", name, lf.LocalizedMessage, f.rule)
		}
		if m := f.fault.GetMethodFault().FaultMessage; len(m) != 1 || m[0].Key != MessageKeyPrefix+f.rule {
			t.Errorf("%s: faultMessage %+v", name, m)
		}
	}
	if got := cpuIncompatible(h1, h2, leafAMD, "edx", "", "").msg; !strings.Contains(got, "CPUID level 0x80000001 register 'edx'") {
		t.Errorf("AMD leaf: %s", got)
	}
}
