package extension

import (
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/types"
)

// checkRelocate runs CheckRelocate_Task and returns its task info.
func (l *lab) checkRelocate(vm string, spec types.VirtualMachineRelocateSpec, tests ...string) (*types.TaskInfo, *types.LocalizedMethodFault) {
	res, err := methods.CheckRelocate_Task(l.ctx, l.c, &types.CheckRelocate_Task{
		This: *l.c.ServiceContent.VmProvisioningChecker, Vm: l.vm(vm).Reference(), Spec: spec, TestType: tests})
	l.must(err)
	t := object.NewTask(l.c, res.Returnval)
	if f := l.taskFault(t, nil); f != nil {
		return nil, f
	}
	info := l.taskInfo(t)
	return &info, nil
}

func faultNames(list []types.LocalizedMethodFault) []string {
	var names []string
	for _, f := range list {
		names = append(names, faultName(f.Fault))
	}
	return names
}

func TestCheckRelocateListsEveryFinding(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		l.addCdrom("vm-local", "ESXi_1-local", false)
		info, f := l.checkRelocate("vm-local", l.spec("ESXi_2", ""))
		if f != nil {
			t.Fatal(f.LocalizedMessage)
		}
		if info.Name != "CheckRelocate_Task" || info.DescriptionId != "vm.check.ProvisioningChecker.checkRelocate" ||
			*info.Entity != l.vm("vm-local").Reference() || info.EntityName != "vm-local" {
			t.Errorf("task %s %s %v %s (the entity must be the VM for pyVim)", info.Name, info.DescriptionId, info.Entity, info.EntityName)
		}
		results := info.Result.(types.ArrayOfCheckResult).CheckResult
		if len(results) != 1 || *results[0].Vm != l.vm("vm-local").Reference() || *results[0].Host != l.host("ESXi_2").Reference() {
			t.Fatalf("results %+v", results)
		}
		want := "VMotionNotConfigured,VMotionNotConfigured,CannotAccessVmConfig,CannotAccessVmDisk,CpuIncompatible"
		if got := joined(faultNames(results[0].Error)); got != want {
			t.Errorf("errors %s, want %s", got, want)
		}
		if got := joined(faultNames(results[0].Warning)); got != "CannotAccessVmDevice" {
			t.Errorf("warnings %s", got)
		}
		for _, e := range results[0].Error {
			if e.LocalizedMessage == "" {
				t.Errorf("%s without a message", faultName(e.Fault))
			}
		}
		// Nothing changed.
		if h, _ := l.placement("vm-local"); h != "ESXi_1" {
			t.Error("CheckRelocate moved the VM")
		}
	})
}

func TestCheckRelocateHonoursTestType(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		for _, row := range []struct {
			test, want string
		}{
			{"sourceTests", "VMotionNotConfigured"},
			{"hostTests", "VMotionNotConfigured,CpuIncompatible"},
			{"datastoreTests", "CannotAccessVmConfig,CannotAccessVmDisk"},
			{"networkTests", ""},
			{"resourcePoolTests", ""},
		} {
			info, f := l.checkRelocate("vm-local", l.spec("ESXi_2", ""), row.test)
			if f != nil {
				t.Fatal(f.LocalizedMessage)
			}
			if got := joined(faultNames(info.Result.(types.ArrayOfCheckResult).CheckResult[0].Error)); got != row.want {
				t.Errorf("%s: %s, want %s", row.test, got, row.want)
			}
		}
	})
}

func TestCheckRelocatePassesWhenTheMoveWould(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		info, f := l.checkRelocate("vm-local", l.spec("", "SharedDS"))
		if f != nil {
			t.Fatal(f.LocalizedMessage)
		}
		if r := info.Result.(types.ArrayOfCheckResult).CheckResult[0]; len(r.Error)+len(r.Warning) != 0 {
			t.Errorf("storage vMotion: %v %v", faultNames(r.Error), faultNames(r.Warning))
		}
	})
}

func TestCheckRelocateRefusesABadSpec(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		ds := l.ds("SharedDS").Reference()
		_, f := l.checkRelocate("vm-shared", types.VirtualMachineRelocateSpec{Host: &ds})
		if f == nil || faultName(f.Fault) != "InvalidArgument" {
			t.Errorf("host = a datastore: %v", f)
		}
	})
}

func TestCheckMigrateAndVMotionCompatibility(t *testing.T) {
	runLab(t, labOptions{vmotionOn: true}, func(l *lab) {
		host := l.host("ESXi_2").Reference()
		res, err := methods.CheckMigrate_Task(l.ctx, l.c, &types.CheckMigrate_Task{This: *l.c.ServiceContent.VmProvisioningChecker,
			Vm: l.vm("vm-shared").Reference(), Host: &host})
		l.must(err)
		info := l.waitTask(object.NewTask(l.c, res.Returnval), nil)
		if got := joined(faultNames(info.Result.(types.ArrayOfCheckResult).CheckResult[0].Error)); got != "CpuIncompatible" {
			t.Errorf("CheckMigrate_Task: %s", got)
		}
		q, err := methods.QueryVMotionCompatibilityEx_Task(l.ctx, l.c, &types.QueryVMotionCompatibilityEx_Task{This: *l.c.ServiceContent.VmProvisioningChecker,
			Vm:   []types.ManagedObjectReference{l.vm("vm-shared").Reference(), l.vm("vm-local").Reference()},
			Host: []types.ManagedObjectReference{l.host("ESXi_1").Reference(), host}})
		l.must(err)
		results := l.waitTask(object.NewTask(l.c, q.Returnval), nil).Result.(types.ArrayOfCheckResult).CheckResult
		if len(results) != 4 {
			t.Fatalf("%d results", len(results))
		}
		if len(results[0].Error) != 0 || joined(faultNames(results[1].Error)) != "CpuIncompatible" ||
			joined(faultNames(results[3].Error)) != "CannotAccessVmConfig,CannotAccessVmDisk,CpuIncompatible" {
			t.Errorf("results %v / %v / %v", faultNames(results[0].Error), faultNames(results[1].Error), faultNames(results[3].Error))
		}
	})
}

func joined(list []string) string {
	s := ""
	for i, x := range list {
		if i > 0 {
			s += ","
		}
		s += x
	}
	return s
}
