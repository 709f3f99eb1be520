package extension

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
)

// One row per migration rule, refused and accepted, through RelocateVM_Task on the
// course inventory: fault type, key fields, message, and that a refusal changed nothing.

type relocateRow struct {
	name    string
	opts    labOptions
	setup   func(l *lab)
	vm      string
	host    string // destination host ("" = stays)
	ds      string // destination datastore ("" = files stay)
	fault   string // "" = accepted
	message string // substring of the task error's message
	check   func(l *lab, f *types.LocalizedMethodFault)
	after   func(l *lab) // accepted moves: what must hold afterwards
}

var relocateRows = []relocateRow{
	{name: "vmotion-network/source", vm: "vm-shared", host: "ESXi_2", fault: "VMotionNotConfigured",
		message: "Unable to migrate from ESXi_1 to ESXi_2: The vMotion interface is not configured (or is misconfigured) on the source host 'ESXi_1'.",
		check: func(l *lab, f *types.LocalizedMethodFault) {
			e := f.Fault.(*types.VMotionNotConfigured)
			if !e.AtSourceHost || e.FailedHost != "ESXi_1" || e.FailedHostEntity == nil || *e.FailedHostEntity != l.host("ESXi_1").Reference() {
				l.t.Errorf("fields: %+v", e.VMotionInterfaceIssue)
			}
		}},
	{name: "vmotion-network/destination", vm: "vm-shared", host: "ESXi_2", fault: "VMotionNotConfigured",
		setup:   func(l *lab) { l.enableVMotion("ESXi_1") },
		message: "on the destination host 'ESXi_2'",
		check: func(l *lab, f *types.LocalizedMethodFault) {
			if e := f.Fault.(*types.VMotionNotConfigured); e.AtSourceHost || e.FailedHost != "ESXi_2" {
				l.t.Errorf("fields: %+v", e.VMotionInterfaceIssue)
			}
		}},
	{name: "vm-files/config (the course's local-storage error)", vm: "vm-local", host: "ESXi_2", fault: "CannotAccessVmConfig",
		opts:    labOptions{vmotionOn: true},
		message: "Unable to access the virtual machine configuration: Unable to access file [ESXi_1-local] vm-local/vm-local.vmx",
		check: func(l *lab, f *types.LocalizedMethodFault) {
			if r, ok := f.Fault.(*types.CannotAccessVmConfig).Reason.Fault.(*types.CannotAccessFile); !ok || r.File != "[ESXi_1-local] vm-local/vm-local.vmx" {
				l.t.Errorf("reason: %#v", f.Fault.(*types.CannotAccessVmConfig).Reason)
			}
		}},
	{name: "vm-files/cold migration still needs the files", vm: "vm-local", host: "ESXi_2", fault: "CannotAccessVmConfig",
		setup: func(l *lab) { l.powerOff("vm-local") }},
	{name: "vm-files/disk on another datastore", vm: "vm-shared", host: "ESXi_2", fault: "CannotAccessVmDisk",
		opts:    labOptions{vmotionOn: true},
		setup:   func(l *lab) { l.powerOff("vm-shared"); l.addDisk("vm-shared", "ESXi_1-local") },
		message: "Virtual disk 'Hard disk 2' is not accessible on the destination host: Unable to access file [ESXi_1-local] vm-shared/extra.vmdk",
		check: func(l *lab, f *types.LocalizedMethodFault) {
			if e := f.Fault.(*types.CannotAccessVmDisk); e.Device != "Hard disk 2" || !e.Connected {
				l.t.Errorf("fields: %+v", e.CannotAccessVmDevice)
			}
		}},
	{name: "vm-files/connected CD-ROM image", vm: "vm-shared", host: "ESXi_2", fault: "CannotAccessVmDevice",
		opts:    labOptions{vmotionOn: true},
		setup:   func(l *lab) { l.powerOff("vm-shared"); l.addCdrom("vm-shared", "ESXi_1-local", true) },
		message: "Unable to migrate from ESXi_1 to ESXi_2: Device 'CD/DVD drive 1' uses backing '[ESXi_1-local] iso/tools.iso', which is not accessible."},
	{name: "vm-files/disconnected CD-ROM image is only a warning", vm: "vm-shared", host: "ESXi_2",
		opts:  labOptions{vmotionOn: true},
		setup: func(l *lab) { l.powerOff("vm-shared"); l.addCdrom("vm-shared", "ESXi_1-local", false) }},
	{name: "target-datastore", vm: "vm-local", host: "ESXi_2", ds: "ESXi_1-local", fault: "DatastoreNotWritableOnHost",
		opts:    labOptions{vmotionOn: true},
		message: "The datastore 'ESXi_1-local' is not writable on the host 'ESXi_2'.",
		check: func(l *lab, f *types.LocalizedMethodFault) {
			e := f.Fault.(*types.DatastoreNotWritableOnHost)
			if e.Host != l.host("ESXi_2").Reference() || e.Name != "ESXi_1-local" || *e.Datastore != l.ds("ESXi_1-local").Reference() {
				l.t.Errorf("fields: %+v", e)
			}
		}},
	{name: "network", vm: "vm-shared", host: "ESXi_2", fault: "CannotAccessNetwork",
		opts:    labOptions{vmotionOn: true},
		setup:   func(l *lab) { l.powerOff("vm-shared"); l.nicOnLocalPortGroup("vm-shared", true) },
		message: "Currently connected network interface 'Network adapter 1' uses network 'Lab Net', which is not accessible.",
		check: func(l *lab, f *types.LocalizedMethodFault) {
			if e := f.Fault.(*types.CannotAccessNetwork); e.Device != "Network adapter 1" || e.Backing != "Lab Net" || !e.Connected {
				l.t.Errorf("fields: %+v", e.CannotAccessVmDevice)
			}
		}},
	{name: "network/disconnected adapter is only a warning", vm: "vm-shared", host: "ESXi_2",
		opts:  labOptions{vmotionOn: true},
		setup: func(l *lab) { l.powerOff("vm-shared"); l.nicOnLocalPortGroup("vm-shared", false) }},
	{name: "cpu/running above the destination's CPU", vm: "vm-shared", host: "ESXi_2", fault: "CpuIncompatible",
		opts:    labOptions{vmotionOn: true},
		message: "Unable to migrate from ESXi_1 to ESXi_2: The CPU of the host is incompatible with the CPU feature requirements of the virtual machine; problem detected at CPUID level 0x7 register 'ebx'.",
		check: func(l *lab, f *types.LocalizedMethodFault) {
			e := f.Fault.(*types.CpuIncompatible)
			if e.Level != 7 || e.RegisterName != "ebx" || *e.Host != l.host("ESXi_2").Reference() || e.DesiredBits == e.RegisterBits {
				l.t.Errorf("fields: %+v", e)
			}
		}},
	{name: "cpu/suspended VM keeps its CPU baseline", vm: "vm-shared", host: "ESXi_2", fault: "CpuIncompatible",
		setup: func(l *lab) { l.waitTask(l.vm("vm-shared").Suspend(l.ctx)) }},
	{name: "cpu/EVC applied by a power cycle", vm: "vm-shared", host: "ESXi_2",
		opts: labOptions{vmotionOn: true},
		setup: func(l *lab) {
			l.powerOff("vm-local")
			l.powerOff("vm-shared")
			l.configureEVC("intel-cascadelake")
			l.powerOn("vm-shared")
		},
		after: func(l *lab) {
			if v := l.vmMO("vm-shared", "runtime.minRequiredEVCModeKey"); v.Runtime.MinRequiredEVCModeKey != "intel-cascadelake" {
				l.t.Errorf("baseline after the move: %q", v.Runtime.MinRequiredEVCModeKey)
			}
		}},
	{name: "cpu/EVC without a power cycle does not help", vm: "vm-shared", host: "ESXi_2", fault: "CpuIncompatible",
		opts: labOptions{vmotionOn: true},
		setup: func(l *lab) {
			l.powerOff("vm-local") // otherwise it blocks lowering the mode
			l.powerOff("vm-shared")
			l.powerOn("vm-shared") // icelake baseline
			l.mustFault(l.evcManager().ConfigureEvcMode_Task, "intel-cascadelake", "ActiveVMsBlockingEVC")
		}},
	{name: "cold migration needs no vMotion network and no CPU check", vm: "vm-shared", host: "ESXi_2",
		setup: func(l *lab) { l.powerOff("vm-shared") }},
	{name: "host-state/destination in maintenance mode", vm: "vm-shared", host: "ESXi_2", fault: "InvalidHostState",
		setup: func(l *lab) {
			l.powerOff("vm-shared")
			l.waitTask(l.host("ESXi_2").EnterMaintenanceMode(l.ctx, 0, false, nil))
		},
		message: "The operation is not allowed in the current state of the host.",
		check: func(l *lab, f *types.LocalizedMethodFault) {
			if *f.Fault.(*types.InvalidHostState).Host != l.host("ESXi_2").Reference() {
				l.t.Errorf("host: %v", f.Fault)
			}
		}},
	{name: "host-state/destination disconnected", vm: "vm-shared", host: "ESXi_2", fault: "InvalidHostConnectionState",
		setup: func(l *lab) {
			l.powerOff("vm-shared")
			l.waitTask(l.host("ESXi_2").Disconnect(l.ctx))
		},
		message: "The operation is not allowed in the current connection state of the host."},
	{name: "vmotion with everything in place", vm: "vm-shared", host: "ESXi_2",
		opts: labOptions{vmotionOn: true},
		setup: func(l *lab) {
			l.powerOff("vm-local")
			l.powerOff("vm-shared")
			l.configureEVC("intel-cascadelake")
			l.powerOn("vm-shared")
		},
		after: func(l *lab) {
			if h := l.hostMO("ESXi_2", "vm"); !hasRef(h.Vm, l.vm("vm-shared").Reference()) {
				l.t.Errorf("ESXi_2.vm = %v", h.Vm)
			}
			if h := l.hostMO("ESXi_1", "vm"); hasRef(h.Vm, l.vm("vm-shared").Reference()) {
				l.t.Errorf("ESXi_1.vm still lists vm-shared")
			}
		}},
	{name: "storage vMotion of the local VM to the shared datastore", vm: "vm-local", ds: "SharedDS",
		after: func(l *lab) {
			l.assertFilesOn("vm-local", "SharedDS")
		}},
	{name: "compute and storage at once", vm: "vm-local", host: "ESXi_2", ds: "ESXi_2-local",
		opts:  labOptions{vmotionOn: true},
		setup: func(l *lab) { l.powerOff("vm-local") },
		after: func(l *lab) { l.assertFilesOn("vm-local", "ESXi_2-local") }},
}

func TestRelocateRules(t *testing.T) {
	for _, row := range relocateRows {
		t.Run(row.name, func(t *testing.T) {
			runLab(t, row.opts, func(l *lab) {
				if row.setup != nil {
					row.setup(l)
				}
				before := l.snapshot()
				f := l.relocate(row.vm, row.host, row.ds)
				if row.fault == "" {
					if f != nil {
						t.Fatalf("refused: %s: %s", faultName(f.Fault), f.LocalizedMessage)
					}
					host, _ := l.placement(row.vm)
					if row.host != "" && host != row.host {
						t.Errorf("%s runs on %s, want %s", row.vm, host, row.host)
					}
					if row.after != nil {
						row.after(l)
					}
					l.assertInvariants()
					return
				}
				if f == nil {
					t.Fatalf("accepted, want %s", row.fault)
				}
				if got := faultName(f.Fault); got != row.fault {
					t.Fatalf("fault %s (%s), want %s", got, f.LocalizedMessage, row.fault)
				}
				if !strings.Contains(f.LocalizedMessage, row.message) || strings.Contains(f.LocalizedMessage, "*types.") {
					t.Errorf("message %q, want %q", f.LocalizedMessage, row.message)
				}
				if row.check != nil {
					row.check(l, f)
				}
				if after := l.snapshot(); !reflect.DeepEqual(before, after) {
					t.Errorf("a refusal changed the inventory:\nbefore %+v\nafter  %+v", before, after)
				}
				if len(l.events(row.vm, "VmFailedMigrateEvent")) == 0 {
					t.Error("no VmFailedMigrateEvent")
				}
				l.assertInvariants()
			})
		})
	}
}

// addDisk gives a powered-off VM a second disk on a datastore.
func (l *lab) addDisk(vm, ds string) {
	v := l.vm(vm)
	devices, err := v.Device(l.ctx)
	l.must(err)
	ctrl, err := devices.FindSCSIController("")
	l.must(err)
	disk := devices.CreateDisk(ctrl, l.ds(ds).Reference(), "["+ds+"] "+vm+"/extra.vmdk")
	disk.CapacityInKB = 1024
	l.must(l.fileManagerMkdir("[" + ds + "] " + vm))
	l.must(v.AddDevice(l.ctx, disk))
}

func (l *lab) fileManagerMkdir(dir string) error {
	return object.NewFileManager(l.c).MakeDirectory(l.ctx, dir, l.dc, true)
}

// addCdrom gives a VM a CD-ROM backed by an ISO image on a datastore.
func (l *lab) addCdrom(vm, ds string, connected bool) {
	v := l.vm(vm)
	devices, err := v.Device(l.ctx)
	l.must(err)
	ide, err := devices.FindIDEController("")
	l.must(err)
	cd, err := devices.CreateCdrom(ide)
	l.must(err)
	cd.Backing = &types.VirtualCdromIsoBackingInfo{VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: "[" + ds + "] iso/tools.iso"}}
	cd.Connectable = &types.VirtualDeviceConnectInfo{Connected: connected, StartConnected: connected}
	l.must(v.AddDevice(l.ctx, cd))
}

// nicOnLocalPortGroup moves the VM's NIC to a port group only ESXi_1 has.
func (l *lab) nicOnLocalPortGroup(vm string, connected bool) {
	ns, err := l.host("ESXi_1").ConfigManager().NetworkSystem(l.ctx)
	l.must(err)
	l.must(ns.AddPortGroup(l.ctx, types.HostPortGroupSpec{Name: "Lab Net", VswitchName: "vSwitch0"}))
	v := l.vm(vm)
	devices, err := v.Device(l.ctx)
	l.must(err)
	nic := devices.SelectByType((*types.VirtualEthernetCard)(nil))[0]
	card := nic.(types.BaseVirtualEthernetCard).GetVirtualEthernetCard()
	card.Backing = &types.VirtualEthernetCardNetworkBackingInfo{VirtualDeviceDeviceBackingInfo: types.VirtualDeviceDeviceBackingInfo{DeviceName: "Lab Net"}}
	card.Connectable = &types.VirtualDeviceConnectInfo{Connected: connected, StartConnected: connected}
	l.must(v.EditDevice(l.ctx, nic))
}

func hasRef(list []types.ManagedObjectReference, ref types.ManagedObjectReference) bool {
	for _, r := range list {
		if r == ref {
			return true
		}
	}
	return false
}
