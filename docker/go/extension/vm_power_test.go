package extension

import (
	"testing"

	"github.com/vmware/govmomi/vim25/types"
)

func TestBaselineFollowsPowerState(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		if b := l.baseline("vm-shared"); b != "intel-icelake" {
			t.Fatalf("baseline at power-on %q, want ESXi_1's best mode", b)
		}
		v := l.vmMO("vm-shared", "summary.runtime")
		if v.Summary.Runtime.MinRequiredEVCModeKey != "intel-icelake" || len(v.Summary.Runtime.FeatureRequirement) == 0 {
			t.Errorf("summary.runtime %q", v.Summary.Runtime.MinRequiredEVCModeKey)
		}
		l.waitTask(l.vm("vm-shared").Reset(l.ctx))
		if b := l.baseline("vm-shared"); b != "intel-icelake" {
			t.Errorf("after reset %q", b)
		}
		if ev := l.events("vm-shared", "VmResettingEvent"); len(ev) != 1 {
			t.Errorf("%d VmResettingEvent", len(ev))
		}
		l.powerOff("vm-shared")
		if v := l.vmMO("vm-shared", "runtime"); v.Runtime.MinRequiredEVCModeKey != "" || len(v.Runtime.FeatureRequirement) != 0 {
			t.Errorf("powered off: %q", v.Runtime.MinRequiredEVCModeKey)
		}
		if f := l.taskFault(l.vm("vm-shared").Reset(l.ctx)); f == nil || faultName(f.Fault) != "InvalidPowerState" {
			t.Errorf("reset of a powered-off VM: %v", f)
		}
	})
}

func TestRuntimeEnumsArePyVmomiReadable(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		v := l.vmMO("vm-local", "runtime", "summary.runtime")
		for _, rt := range []types.VirtualMachineRuntimeInfo{v.Runtime, v.Summary.Runtime} {
			if rt.FaultToleranceState != types.VirtualMachineFaultToleranceStateNotConfigured || rt.RecordReplayState != types.VirtualMachineRecordReplayStateInactive {
				t.Errorf("runtime %q %q", rt.FaultToleranceState, rt.RecordReplayState)
			}
		}
	})
}
