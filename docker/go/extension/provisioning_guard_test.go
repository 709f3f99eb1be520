package extension

import (
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
)

func (l *lab) createVMFault(name, vmx string, host *object.HostSystem, disk string) *types.LocalizedMethodFault {
	folders, err := l.dc.Folders(l.ctx)
	l.must(err)
	pool, err := l.cluster().ResourcePool(l.ctx)
	l.must(err)
	spec := types.VirtualMachineConfigSpec{Name: name, GuestId: "otherGuest64", Files: &types.VirtualMachineFileInfo{VmPathName: vmx}}
	if disk != "" {
		spec.DeviceChange = []types.BaseVirtualDeviceConfigSpec{
			&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd,
				Device: &types.VirtualLsiLogicController{VirtualSCSIController: types.VirtualSCSIController{VirtualController: types.VirtualController{VirtualDevice: types.VirtualDevice{Key: -1}}}}},
			&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd, FileOperation: types.VirtualDeviceConfigSpecFileOperationCreate,
				Device: &types.VirtualDisk{CapacityInKB: 1024, VirtualDevice: types.VirtualDevice{Key: -2, ControllerKey: -1, UnitNumber: types.NewInt32(0),
					Backing: &types.VirtualDiskFlatVer2BackingInfo{VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: disk}}}}},
		}
	}
	return l.taskFault(folders.VmFolder.CreateVM(l.ctx, spec, pool, host))
}

// vcsim panics (and the simulator dies) on these; the kit refuses them.
func TestCreateVMThatVcsimCannotPlaceIsRefused(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		for _, row := range []struct {
			name, vmx, disk string
			host            *object.HostSystem
			fault           string
		}{
			{"unknown datastore", "[NoSuchDS]", "", nil, "InvalidDatastorePath"},
			{"host does not mount it", "[ESXi_2-local]", "", l.host("ESXi_1"), "DatastoreNotWritableOnHost"},
			{"disk where the host cannot write", "[SharedDS]", "[ESXi_2-local] x/x.vmdk", l.host("ESXi_1"), "DatastoreNotWritableOnHost"},
		} {
			if f := l.createVMFault("vm-"+row.fault, row.vmx, row.host, row.disk); f == nil || faultName(f.Fault) != row.fault {
				t.Errorf("%s: %v", row.name, f)
			}
		}
		// Without a host, the VM goes to a host that mounts all its datastores.
		l.must(l.fileManagerMkdir("[ESXi_2-local] vm-placed"))
		if f := l.createVMFault("vm-placed", "[SharedDS]", nil, "[ESXi_2-local] vm-placed/d.vmdk"); f != nil {
			t.Fatal(f.LocalizedMessage)
		}
		if h, _ := l.placement("vm-placed"); h != "ESXi_2" {
			t.Errorf("vm-placed on %s", h)
		}
		l.assertInvariants()
	})
}

func TestReconfigureWithAFileTheHostCannotReachIsRefused(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		l.powerOff("vm-shared")
		v := l.vm("vm-shared")
		devices, err := v.Device(l.ctx)
		l.must(err)
		ctrl, err := devices.FindSCSIController("")
		l.must(err)
		disk := devices.CreateDisk(ctrl, l.ds("ESXi_2-local").Reference(), "[ESXi_2-local] vm-shared/bad.vmdk")
		f := l.taskFault(v.Reconfigure(l.ctx, types.VirtualMachineConfigSpec{DeviceChange: []types.BaseVirtualDeviceConfigSpec{
			&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd, FileOperation: types.VirtualDeviceConfigSpecFileOperationCreate, Device: disk}}}))
		if f == nil || faultName(f.Fault) != "DatastoreNotWritableOnHost" {
			t.Errorf("reconfigure: %v", f)
		}
		l.assertInvariants()
	})
}
