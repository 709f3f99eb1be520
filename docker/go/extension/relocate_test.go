package extension

import (
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/types"
)

func TestRelocateRefusesBadSpecs(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		ds := l.ds("SharedDS").Reference()
		host := l.host("ESXi_2").Reference()
		gone := types.ManagedObjectReference{Type: "HostSystem", Value: "host-999"}
		vm := l.vm("vm-shared")
		otherPool, err := l.host("ESXi_2").ResourcePool(l.ctx)
		l.must(err)
		_ = otherPool
		for _, row := range []struct {
			name  string
			spec  types.VirtualMachineRelocateSpec
			fault string
		}{
			{"host is a datastore", types.VirtualMachineRelocateSpec{Host: &ds}, "InvalidArgument"},
			{"host does not exist", types.VirtualMachineRelocateSpec{Host: &gone}, "ManagedObjectNotFound"},
			{"datastore is a host", types.VirtualMachineRelocateSpec{Datastore: &host}, "InvalidArgument"},
			{"pool is a host", types.VirtualMachineRelocateSpec{Pool: &host}, "InvalidArgument"},
			{"folder is a host", types.VirtualMachineRelocateSpec{Folder: &host}, "InvalidArgument"},
			{"disk that is not the VM's", types.VirtualMachineRelocateSpec{Disk: []types.VirtualMachineRelocateSpecDiskLocator{{DiskId: 4242, Datastore: ds}}}, "InvalidArgument"},
			{"device change that is not a NIC backing", types.VirtualMachineRelocateSpec{DeviceChange: []types.BaseVirtualDeviceConfigSpec{
				&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationRemove, Device: &types.VirtualCdrom{}}}}, "InvalidArgument"},
		} {
			before := l.snapshot()
			f := l.taskFault(vm.Relocate(l.ctx, row.spec, types.VirtualMachineMovePriorityDefaultPriority))
			if f == nil || faultName(f.Fault) != row.fault || strings.Contains(f.LocalizedMessage, "*types") {
				t.Errorf("%s: %v", row.name, f)
			}
			if after := l.snapshot(); !equalPictures(before, after) {
				t.Errorf("%s changed the inventory", row.name)
			}
		}
		l.assertInvariants()
	})
}

func TestSecondRelocationWhileTheFirstRunsIsRefused(t *testing.T) {
	runLab(t, labOptions{Options: Options{VMotionTime: 2 * time.Second}}, func(l *lab) {
		l.readyForVMotion()
		first, err := l.vm("vm-shared").Relocate(l.ctx, l.spec("ESXi_2", ""), types.VirtualMachineMovePriorityDefaultPriority)
		l.must(err)
		var progress []int32
		l.eventually("progress rising", func() bool {
			info := l.taskInfo(first)
			if p := info.Progress; p > 0 && (len(progress) == 0 || progress[len(progress)-1] != p) {
				progress = append(progress, p)
			}
			return len(progress) >= 2 || info.State != types.TaskInfoStateRunning
		})
		if len(progress) < 2 || progress[1] <= progress[0] {
			t.Errorf("progress %v", progress)
		}
		f := l.relocate("vm-shared", "ESXi_2", "SharedDS")
		if f == nil || faultName(f.Fault) != "TaskInProgress" || f.Fault.(*types.TaskInProgress).Task != first.Reference() {
			t.Errorf("second relocation: %v", f)
		}
		if f := l.taskFault(l.vm("vm-shared").PowerOff(l.ctx)); f == nil || faultName(f.Fault) != "TaskInProgress" {
			t.Errorf("power-off during a migration: %v", f)
		}
		l.waitTask(first, nil)
		if h, _ := l.placement("vm-shared"); h != "ESXi_2" {
			t.Errorf("vm-shared on %s", h)
		}
		l.assertInvariants()
	})
}

func TestCancelARunningRelocation(t *testing.T) {
	runLab(t, labOptions{Options: Options{VMotionTime: 30 * time.Second}}, func(l *lab) {
		l.readyForVMotion()
		before := l.snapshot()
		task, err := l.vm("vm-shared").Relocate(l.ctx, l.spec("ESXi_2", ""), types.VirtualMachineMovePriorityDefaultPriority)
		l.must(err)
		l.must(task.Cancel(l.ctx))
		if f := l.taskFault(task, nil); f == nil || faultName(f.Fault) != "RequestCanceled" {
			t.Errorf("cancel: %v", f)
		}
		l.eventually("the VM free again", func() bool { return !l.moving("vm-shared") })
		if after := l.snapshot(); !equalPictures(before, after) {
			t.Error("a cancelled relocation changed the inventory")
		}
	})
}

func TestMigrateVMTask(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		host := l.host("ESXi_2").Reference()
		res, err := methods.MigrateVM_Task(l.ctx, l.c, &types.MigrateVM_Task{This: l.vm("vm-shared").Reference(), Host: &host,
			Priority: types.VirtualMachineMovePriorityDefaultPriority})
		l.must(err)
		f := l.taskFault(object.NewTask(l.c, res.Returnval), nil)
		if f == nil || faultName(f.Fault) != "VMotionNotConfigured" {
			t.Errorf("MigrateVM_Task: %v", f)
		}
		res, err = methods.MigrateVM_Task(l.ctx, l.c, &types.MigrateVM_Task{This: l.vm("vm-shared").Reference(), Host: &host,
			Priority: types.VirtualMachineMovePriorityDefaultPriority, State: types.VirtualMachinePowerStatePoweredOff})
		l.must(err)
		if f := l.taskFault(object.NewTask(l.c, res.Returnval), nil); f == nil || faultName(f.Fault) != "InvalidPowerState" {
			t.Errorf("state mismatch: %v", f)
		}
		l.powerOff("vm-shared")
		res, err = methods.MigrateVM_Task(l.ctx, l.c, &types.MigrateVM_Task{This: l.vm("vm-shared").Reference(), Host: &host,
			Priority: types.VirtualMachineMovePriorityDefaultPriority, State: types.VirtualMachinePowerStatePoweredOff})
		l.must(err)
		info := l.waitTask(object.NewTask(l.c, res.Returnval), nil)
		if info.Name != "MigrateVM_Task" || info.DescriptionId != "VirtualMachine.migrate" {
			t.Errorf("task %s %s", info.Name, info.DescriptionId)
		}
		if h, _ := l.placement("vm-shared"); h != "ESXi_2" {
			t.Errorf("vm-shared on %s", h)
		}
	})
}

func TestRelocateMovesANicToAnotherNetwork(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		l.powerOff("vm-shared")
		l.nicOnLocalPortGroup("vm-shared", true)
		// govc vm.migrate -net 'VM Network': edit the NIC's backing in the same call.
		v := l.vm("vm-shared")
		devices, err := v.Device(l.ctx)
		l.must(err)
		nic := devices.SelectByType((*types.VirtualEthernetCard)(nil))[0]
		nic.(types.BaseVirtualEthernetCard).GetVirtualEthernetCard().Backing = &types.VirtualEthernetCardNetworkBackingInfo{
			VirtualDeviceDeviceBackingInfo: types.VirtualDeviceDeviceBackingInfo{DeviceName: "VM Network"}}
		spec := l.spec("ESXi_2", "")
		spec.DeviceChange = []types.BaseVirtualDeviceConfigSpec{&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationEdit, Device: nic}}
		l.waitTask(v.Relocate(l.ctx, spec, types.VirtualMachineMovePriorityDefaultPriority))
		vm := l.vmMO("vm-shared", "network", "config.hardware.device")
		if len(vm.Network) != 1 || vm.Network[0].Type != "Network" {
			t.Errorf("network %v", vm.Network)
		}
		for _, d := range vm.Config.Hardware.Device {
			if card, ok := d.(types.BaseVirtualEthernetCard); ok {
				if b, ok := card.GetVirtualEthernetCard().Backing.(*types.VirtualEthernetCardNetworkBackingInfo); !ok || b.DeviceName != "VM Network" {
					t.Errorf("backing %+v", card.GetVirtualEthernetCard().Backing)
				}
			}
		}
	})
}

func TestRelocateOneDiskWithADiskLocator(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		vm := l.vmMO("vm-shared", "config.hardware.device")
		var key int32
		for _, d := range vm.Config.Hardware.Device {
			if disk, ok := d.(*types.VirtualDisk); ok {
				key = disk.Key
			}
		}
		spec := types.VirtualMachineRelocateSpec{Disk: []types.VirtualMachineRelocateSpecDiskLocator{{DiskId: key, Datastore: l.ds("ESXi_1-local").Reference()}}}
		l.waitTask(l.vm("vm-shared").Relocate(l.ctx, spec, types.VirtualMachineMovePriorityDefaultPriority))
		got := l.vmMO("vm-shared", "config", "datastore")
		if dsName(got.Config.Files.VmPathName) != "SharedDS" || len(got.Datastore) != 2 {
			t.Errorf("config %s, datastores %v", got.Config.Files.VmPathName, got.Datastore)
		}
		for _, d := range got.Config.Hardware.Device {
			if disk, ok := d.(*types.VirtualDisk); ok {
				if f := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo).FileName; f != "[ESXi_1-local] vm-shared/vm-shared.vmdk" {
					t.Errorf("disk %s", f)
				}
			}
		}
		l.assertInvariants()
		// The VM now needs ESXi_1-local: it cannot leave ESXi_1 without moving that disk.
		l.enableVMotion("ESXi_1", "ESXi_2")
		if f := l.relocate("vm-shared", "ESXi_2", ""); f == nil || faultName(f.Fault) != "CannotAccessVmDisk" {
			t.Errorf("relocate with a local disk: %v", f)
		}
	})
}

// moving tells whether the extension has a relocation of the VM running.
func (l *lab) moving(vm string) bool {
	l.x.mu.Lock()
	defer l.x.mu.Unlock()
	_, busy := l.x.moving[l.vm(vm).Reference()]
	return busy
}

func equalPictures(a, b picture) bool {
	return joined(mapLines(a.VMs)) == joined(mapLines(b.VMs)) && joined(mapLines(a.Hosts)) == joined(mapLines(b.Hosts)) && joined(a.Disk) == joined(b.Disk)
}

func mapLines(m map[string]string) []string {
	var lines []string
	for _, k := range sortedKeys(m) {
		lines = append(lines, k+"="+m[k])
	}
	return lines
}
