package extension

import (
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// eventually polls cond until it holds, failing the test after the bounded wait.
func (l *lab) eventually(what string, cond func() bool) {
	l.t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			l.t.Fatalf("still not true after %s: %s", wait, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readyForVMotion enables vMotion on both hosts and puts every VM on the cluster's
// EVC baseline (intel-cascadelake), powered on, so shared-storage VMs can move.
func (l *lab) readyForVMotion() {
	l.enableVMotion("ESXi_1", "ESXi_2")
	vms, err := l.finder.VirtualMachineList(l.ctx, "*")
	l.must(err)
	for _, vm := range vms {
		l.waitTask(vm.PowerOff(l.ctx))
	}
	l.configureEVC("intel-cascadelake")
	for _, vm := range vms {
		l.waitTask(vm.PowerOn(l.ctx))
	}
}

func (l *lab) taskInfo(t *object.Task) types.TaskInfo {
	var m mo.Task
	l.must(t.Properties(l.ctx, t.Reference(), []string{"info"}, &m))
	return m.Info
}

func (l *lab) inMaintenance(host string) bool {
	return l.hostMO(host, "runtime.inMaintenanceMode").Runtime.InMaintenanceMode
}

func TestMaintenanceWaitsWithDRSOff(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		l.readyForVMotion()
		task, err := l.host("ESXi_1").EnterMaintenanceMode(l.ctx, 0, false, nil)
		l.must(err)
		info := l.taskInfo(task)
		if info.State != types.TaskInfoStateRunning || info.Name != "EnterMaintenanceMode_Task" || info.EntityName != "ESXi_1" {
			t.Fatalf("task %s %s %s", info.State, info.Name, info.EntityName)
		}
		// While it enters: no power-on, no migration to it; the user moves the VMs.
		l.powerOff("vm-local")
		if f := l.taskFault(l.vm("vm-local").PowerOn(l.ctx)); f == nil || faultName(f.Fault) != "InvalidHostState" {
			t.Errorf("power-on on an entering host: %v", f)
		}
		if f := l.relocate("vm-shared", "ESXi_2", ""); f != nil {
			t.Fatalf("evacuating by hand: %s", f.LocalizedMessage)
		}
		if f := l.relocate("vm-shared", "ESXi_1", ""); f == nil || faultName(f.Fault) != "InvalidHostState" {
			t.Errorf("migration to an entering host: %v", f)
		}
		l.waitTask(task, nil)
		if !l.inMaintenance("ESXi_1") {
			t.Error("not in maintenance mode")
		}
		if f := l.taskFault(l.vm("vm-local").PowerOn(l.ctx)); f == nil {
			t.Error("power-on on a host in maintenance mode succeeded")
		}
		// The datacenter's multi-VM power-on (govc vm.power -on -M) meets the same rule:
		// vm-local is not attempted, with the fault; vm-shared (running) neither.
		l.assertMultiPowerOn(map[string]string{"vm-local": "InvalidHostState", "vm-shared": "InvalidPowerState"})
		hostEvents := l.hostEvents("ESXi_1")
		for _, kind := range []string{"EnteringMaintenanceModeEvent", "EnteredMaintenanceModeEvent"} {
			if !strings.Contains(hostEvents, kind) {
				t.Errorf("no %s in %s", kind, hostEvents)
			}
		}
		if recs := l.recommendations(); len(recs) != 0 {
			t.Errorf("DRS off, yet %d recommendations", len(recs))
		}
		l.waitTask(l.host("ESXi_1").ExitMaintenanceMode(l.ctx, 0))
		if l.inMaintenance("ESXi_1") || !strings.Contains(l.hostEvents("ESXi_1"), "ExitMaintenanceModeEvent") {
			t.Error("exit: still in maintenance mode or no ExitMaintenanceModeEvent")
		}
		l.assertMultiPowerOn(map[string]string{"vm-local": ""})
		if state := l.vmMO("vm-local", "runtime.powerState").Runtime.PowerState; state != types.VirtualMachinePowerStatePoweredOn {
			t.Errorf("vm-local after the multi-VM power-on: %s", state)
		}
	})
}

func TestMaintenanceInvalidStates(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		if f := l.taskFault(l.host("ESXi_2").ExitMaintenanceMode(l.ctx, 0)); f == nil || faultName(f.Fault) != "InvalidState" {
			t.Errorf("exit when not in maintenance: %v", f)
		}
		l.waitTask(l.host("ESXi_2").EnterMaintenanceMode(l.ctx, 0, false, nil))
		if f := l.taskFault(l.host("ESXi_2").EnterMaintenanceMode(l.ctx, 0, false, nil)); f == nil || faultName(f.Fault) != "InvalidState" ||
			!strings.Contains(f.LocalizedMessage, "The operation is not allowed in the current state.") {
			t.Errorf("enter when in maintenance: %v", f)
		}
	})
}

func TestMaintenanceTimesOutAndCancels(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		f := l.taskFault(l.host("ESXi_1").EnterMaintenanceMode(l.ctx, 1, false, nil))
		if f == nil || faultName(f.Fault) != "Timedout" || f.LocalizedMessage != "Operation timed out." {
			t.Fatalf("timeout: %v", f)
		}
		if l.inMaintenance("ESXi_1") {
			t.Error("in maintenance after a timeout")
		}
		task, err := l.host("ESXi_1").EnterMaintenanceMode(l.ctx, 0, false, nil)
		l.must(err)
		l.must(task.Cancel(l.ctx))
		if f := l.taskFault(task, nil); f == nil || faultName(f.Fault) != "RequestCanceled" {
			t.Errorf("cancel: %v", f)
		}
		// The run is over: the host accepts power-ons again.
		l.powerOff("vm-local")
		l.eventually("power-on accepted after the cancel", func() bool {
			return l.taskFault(l.vm("vm-local").PowerOn(l.ctx)) == nil
		})
	})
}

func TestMaintenanceWithDRSFullyAutomated(t *testing.T) {
	runLab(t, labOptions{drs: types.DrsBehaviorFullyAutomated}, func(l *lab) {
		l.readyForVMotion()
		task, err := l.host("ESXi_1").EnterMaintenanceMode(l.ctx, 0, false, nil)
		l.must(err)
		// DRS moves vm-shared; vm-local (local storage) cannot move.
		l.eventually("vm-shared moved by DRS", func() bool { h, _ := l.placement("vm-shared"); return h == "ESXi_2" })
		if ev := l.events("vm-shared", "DrsVmMigratedEvent"); len(ev) != 1 {
			t.Errorf("%d DrsVmMigratedEvent", len(ev))
		}
		l.eventually("NoMaintenanceModeDrsRecommendationForVM for vm-local", func() bool {
			return len(l.events("vm-local", "NoMaintenanceModeDrsRecommendationForVM")) == 1
		})
		msg := l.events("vm-local", "NoMaintenanceModeDrsRecommendationForVM")[0].GetEvent().FullFormattedMessage
		if !strings.Contains(msg, "Unable to automatically migrate vm-local from ESXi_1") || !strings.Contains(msg, "Unable to access the virtual machine configuration") {
			t.Errorf("message %q", msg)
		}
		if info := l.taskInfo(task); info.State != types.TaskInfoStateRunning {
			t.Fatalf("task %s while vm-local runs", info.State)
		}
		l.powerOff("vm-local")
		l.waitTask(task, nil)
		if !l.inMaintenance("ESXi_1") {
			t.Error("not in maintenance mode")
		}
		l.assertInvariants()
	})
}

func TestMaintenanceWithDRSManual(t *testing.T) {
	runLab(t, labOptions{drs: types.DrsBehaviorManual}, func(l *lab) {
		l.readyForVMotion()
		task, err := l.host("ESXi_1").EnterMaintenanceMode(l.ctx, 0, false, nil)
		l.must(err)
		var rec types.ClusterRecommendation
		l.eventually("a maintenance recommendation", func() bool {
			recs := l.recommendations()
			if len(recs) == 1 {
				rec = recs[0]
			}
			return len(recs) == 1
		})
		vm, src, dst, _ := migrationOf(rec)
		if rec.Reason != "hostMaint" || vm != l.vm("vm-shared").Reference() || src != l.host("ESXi_1").Reference() || dst != l.host("ESXi_2").Reference() {
			t.Errorf("recommendation %+v", rec)
		}
		if h, _ := l.placement("vm-shared"); h != "ESXi_1" {
			t.Error("manual DRS moved a VM by itself")
		}
		l.applyRecommendation(rec.Key)
		l.eventually("vm-shared moved", func() bool { h, _ := l.placement("vm-shared"); return h == "ESXi_2" })
		l.powerOff("vm-local")
		l.waitTask(task, nil)
		if recs := l.recommendations(); len(recs) != 0 {
			t.Errorf("recommendations left: %v", recs)
		}
	})
}

func TestMaintenanceEvacuatesPoweredOffVMsWhenAsked(t *testing.T) {
	runLab(t, labOptions{drs: types.DrsBehaviorFullyAutomated}, func(l *lab) {
		l.powerOff("vm-shared")
		l.powerOff("vm-local")
		l.waitTask(l.vm("vm-local").Relocate(l.ctx, l.spec("", "SharedDS"), types.VirtualMachineMovePriorityDefaultPriority))
		l.waitTask(l.host("ESXi_1").EnterMaintenanceMode(l.ctx, 0, true, nil))
		for _, vm := range []string{"vm-shared", "vm-local"} {
			if h, _ := l.placement(vm); h != "ESXi_2" {
				t.Errorf("%s on %s", vm, h)
			}
		}
		l.assertInvariants()
	})
}

func (l *lab) hostEvents(host string) string {
	var names []string
	for _, e := range l.entityEvents(l.host(host).Reference()) {
		names = append(names, eventName(e))
	}
	return strings.Join(names, ",")
}

// assertMultiPowerOn powers VMs on with Datacenter.PowerOnMultiVM_Task and checks the
// fault each is not attempted with ("" = attempted, and powered on).
func (l *lab) assertMultiPowerOn(want map[string]string) {
	l.t.Helper()
	var refs []types.ManagedObjectReference
	for name := range want {
		refs = append(refs, l.vm(name).Reference())
	}
	info := l.waitTask(l.dc.PowerOnVM(l.ctx, refs))
	res, ok := info.Result.(types.ClusterPowerOnVmResult)
	if !ok {
		l.t.Fatalf("PowerOnMultiVM_Task result %T", info.Result)
	}
	got := map[types.ManagedObjectReference]string{}
	for _, a := range res.Attempted {
		got[a.Vm] = ""
		l.waitTask(object.NewTask(l.c, *a.Task), nil)
	}
	for _, n := range res.NotAttempted {
		got[n.Vm] = faultName(n.Fault.Fault)
		if strings.Contains(n.Fault.LocalizedMessage, "*types") || n.Fault.LocalizedMessage == "" {
			l.t.Errorf("not attempted with message %q", n.Fault.LocalizedMessage)
		}
	}
	for name, fault := range want {
		if f, seen := got[l.vm(name).Reference()]; !seen || f != fault {
			l.t.Errorf("%s: got %q (listed %v), want %q", name, f, seen, fault)
		}
	}
}
