package extension

import (
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator/vpx"
	"github.com/vmware/govmomi/vim25/types"
)

func TestVcsimTasksGetTheirWSDLNames(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		for _, row := range []struct {
			run        func() *types.TaskInfo
			name, desc string
			entity     string
		}{
			{func() *types.TaskInfo { return l.waitTask(l.vm("vm-shared").PowerOff(l.ctx)) }, "PowerOffVM_Task", "VirtualMachine.powerOff", "vm-shared"},
			{func() *types.TaskInfo { return l.waitTask(l.vm("vm-shared").PowerOn(l.ctx)) }, "PowerOnVM_Task", "VirtualMachine.powerOn", "vm-shared"},
			{func() *types.TaskInfo { return l.waitTask(l.vm("vm-shared").Suspend(l.ctx)) }, "SuspendVM_Task", "VirtualMachine.suspend", "vm-shared"},
			{func() *types.TaskInfo { return l.waitTask(l.host("ESXi_2").EnterMaintenanceMode(l.ctx, 0, false, nil)) }, "EnterMaintenanceMode_Task", "HostSystem.enterMaintenanceMode", "ESXi_2"},
			{func() *types.TaskInfo { return l.waitTask(l.host("ESXi_2").ExitMaintenanceMode(l.ctx, 0)) }, "ExitMaintenanceMode_Task", "HostSystem.exitMaintenanceMode", "ESXi_2"},
			{func() *types.TaskInfo { return l.waitTask(l.vm("vm-local").Reset(l.ctx)) }, "ResetVM_Task", "VirtualMachine.reset", "vm-local"},
		} {
			info := row.run()
			if info.Name != row.name || info.DescriptionId != row.desc || info.EntityName != row.entity {
				t.Errorf("%s: got %s %s %s", row.name, info.Name, info.DescriptionId, info.EntityName)
			}
		}
	})
}

func TestTaskNameTable(t *testing.T) {
	known := map[string]bool{}
	for _, m := range vpx.Description.MethodInfo {
		known[m.GetElementDescription().Key] = true
	}
	for id, n := range taskNames {
		if _, ok := types.TypeFunc()(n[0]); !ok {
			t.Errorf("%s: %s is not a WSDL method", id, n[0])
		}
		if !known[n[1]] {
			t.Errorf("%s: %s is not one of vCenter's descriptionIds", id, n[1])
		}
	}
	for _, row := range []struct{ name, id, wantName string }{
		{"DeleteDatastoreFile", "FileManager.deleteDatastoreFile", "DeleteDatastoreFile_Task"},
		{"PowerOn", "VirtualMachine.powerOn", "PowerOnVM_Task"},
		{"RelocateVM_Task", "VirtualMachine.relocate", ""},  // the kit's own
		{"ImportVAppLRO", "ResourcePool.ImportVAppLRO", ""}, // no such WSDL task
	} {
		name, _, ok := wsdlTaskName(&types.TaskInfo{Name: row.name, DescriptionId: row.id})
		if (row.wantName == "") == ok || name != row.wantName {
			t.Errorf("%s: %q %v", row.name, name, ok)
		}
	}
}

func TestTaskErrorsCarryVCenterMessages(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		f := l.relocate("vm-local", "ESXi_2", "")
		if f == nil || f.LocalizedMessage == "*types.VMotionNotConfigured" || f.LocalizedMessage == "" {
			t.Fatalf("%v", f)
		}
		msgs := f.Fault.GetMethodFault().FaultMessage
		if len(msgs) != 1 || msgs[0].Key != MessageKeyPrefix+ruleVMotionNIC {
			t.Errorf("faultMessage %+v", msgs)
		}
	})
}

func TestAPanicBecomesTheTasksError(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		ctx := l.model.Service.Context
		ref := l.host("ESXi_1").Reference()
		task := startTask(ctx, &ref, "ESXi_1", "EnterMaintenanceMode_Task", "HostSystem.enterMaintenanceMode", false)
		func() {
			defer task.recoverInto()
			panic("boom")
		}()
		f := l.taskFault(object.NewTask(l.c, task.ref()), nil)
		if f == nil || faultName(f.Fault) != "SystemError" || f.LocalizedMessage != "A general system error occurred: boom" {
			t.Errorf("%v", f)
		}
		done := make(chan struct{})
		other := startTask(ctx, &ref, "ESXi_1", "EnterMaintenanceMode_Task", "HostSystem.enterMaintenanceMode", false)
		other.safely(func() { defer close(done); panic("in a goroutine") })
		<-done
		if f := l.taskFault(object.NewTask(l.c, other.ref()), nil); f == nil || faultName(f.Fault) != "SystemError" {
			t.Errorf("%v", f)
		}
	})
}
