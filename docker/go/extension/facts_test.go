package extension

import (
	"testing"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

type vmObject = *simulator.VirtualMachine

func TestDsName(t *testing.T) {
	for in, want := range map[string]string{"[SharedDS] vm/vm.vmx": "SharedDS", "[a b] x": "a b", "[ESXi_1-local]": "ESXi_1-local", "plain": "", "": ""} {
		if got := dsName(in); got != want {
			t.Errorf("dsName(%q) = %q", in, got)
		}
	}
}

func TestDeviceLabelsAreVCenters(t *testing.T) {
	count := map[string]int{}
	devices := []types.BaseVirtualDevice{&types.VirtualDisk{}, &types.VirtualVmxnet3{}, &types.VirtualDisk{}, &types.VirtualCdrom{}, &types.VirtualFloppy{}, &types.VirtualIDEController{}}
	want := []string{"Hard disk 1", "Network adapter 1", "Hard disk 2", "CD/DVD drive 1", "Floppy drive 1", ""}
	for i, d := range devices {
		if got := deviceLabel(d, count); got != want[i] {
			t.Errorf("device %d: %q, want %q", i, got, want[i])
		}
	}
}

func TestDiskChainFollowsParents(t *testing.T) {
	parent := &types.VirtualDiskFlatVer2BackingInfo{VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: "[ds] vm/vm.vmdk"}}
	child := &types.VirtualDiskFlatVer2BackingInfo{VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: "[ds] vm/vm-000001.vmdk"}, Parent: parent}
	if got := diskChain(child); len(got) != 2 || got[1] != "[ds] vm/vm.vmdk" {
		t.Errorf("chain %v", got)
	}
}

func TestFactsOfTheCourseInventory(t *testing.T) {
	runLab(t, labOptions{vmotionOn: true}, func(l *lab) {
		ctx := l.model.Service.Context
		h := l.x.hostFactsOf(ctx, l.host("ESXi_1").Reference())
		if h.name != "ESXi_1" || h.vendor != "intel" || h.maxEVC != "intel-icelake" || len(h.vmotion) != 1 || h.cluster == nil ||
			len(h.datastores) != 2 || h.networks["VM Network"].Value == "" || !h.usable() {
			t.Errorf("host facts %+v", h)
		}
		vm := l.x.vmFactsOf(ctx, l.model.Map().Get(l.vm("vm-local").Reference()).(vmObject))
		if vm.name != "vm-local" || len(vm.disks) != 1 || vm.disks[0].label != "Hard disk 1" || len(vm.nics) != 1 || vm.nics[0].network != "VM Network" ||
			!vm.nics[0].connected || vm.configDatastore() != "ESXi_1-local" || vm.vmxPath() != "[ESXi_1-local] vm-local/vm-local.vmx" {
			t.Errorf("vm facts %+v", vm)
		}
		c := l.x.clusterFactsOf(ctx, l.cluster().Reference())
		if c.name != "Cluster" || len(c.hosts) != 2 || c.drs {
			t.Errorf("cluster facts %+v", c)
		}
	})
}
