package extension

import (
	"os"
	"path"
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// dir returns a datastore's directory on disk.
func (l *lab) dir(ds string) string {
	var d mo.Datastore
	l.must(l.ds(ds).Properties(l.ctx, l.ds(ds).Reference(), []string{"summary"}, &d))
	return d.Summary.Url
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestStorageMovesMoveTheFiles(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		local, shared := l.dir("ESXi_1-local"), l.dir("SharedDS")
		if !exists(path.Join(local, "vm-local", "vm-local.vmx")) {
			t.Fatal("no vmx before the move")
		}
		// Back and forth: stock vcsim panics in findDatastore on the way back.
		for i := 0; i < 3; i++ {
			if f := l.relocate("vm-local", "", "SharedDS"); f != nil {
				t.Fatalf("to SharedDS: %s", f.LocalizedMessage)
			}
			l.assertFilesOn("vm-local", "SharedDS")
			for _, f := range []string{"vm-local.vmx", "vm-local.vmdk", "vm-local-flat.vmdk"} {
				if !exists(path.Join(shared, "vm-local", f)) {
					t.Errorf("%s not moved to SharedDS", f)
				}
			}
			if exists(path.Join(local, "vm-local")) {
				t.Error("the folder is left on ESXi_1-local")
			}
			if f := l.relocate("vm-local", "", "ESXi_1-local"); f != nil {
				t.Fatalf("back: %s", f.LocalizedMessage)
			}
			l.assertFilesOn("vm-local", "ESXi_1-local")
		}
		l.assertInvariants()
		// Power operations after the move log in the moved folder (vcsim's own log path).
		l.powerOff("vm-local")
		l.powerOn("vm-local")
		if !exists(path.Join(local, "vm-local", "vmware.log")) {
			t.Error("vmware.log not in the moved folder")
		}
		if exists(path.Join(shared, "vm-local")) {
			t.Error("a power operation recreated the old folder")
		}
	})
}

func TestStorageMoveKeepsAnotherVMsFolder(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		// A folder of that name already on the target: the VM gets "vm-local (1)".
		l.must(object.NewFileManager(l.c).MakeDirectory(l.ctx, "[SharedDS] vm-local", l.dc, true))
		if f := l.relocate("vm-local", "", "SharedDS"); f != nil {
			t.Fatal(f.LocalizedMessage)
		}
		v := l.vmMO("vm-local", "config")
		if v.Config.Files.VmPathName != "[SharedDS] vm-local (1)/vm-local.vmx" {
			t.Errorf("vmPathName %s", v.Config.Files.VmPathName)
		}
		l.assertFilesOn("vm-local", "SharedDS")
		l.assertInvariants()
	})
}

func TestComputeAndStorageMoveToTheOtherHostsLocalDatastore(t *testing.T) {
	runLab(t, labOptions{vmotionOn: true}, func(l *lab) {
		l.powerOff("vm-local")
		if f := l.relocate("vm-local", "ESXi_2", "ESXi_2-local"); f != nil {
			t.Fatal(f.LocalizedMessage)
		}
		if h, _ := l.placement("vm-local"); h != "ESXi_2" {
			t.Errorf("on %s", h)
		}
		l.assertFilesOn("vm-local", "ESXi_2-local")
		l.powerOn("vm-local")
		if b := l.baseline("vm-local"); b != "intel-cascadelake" {
			t.Errorf("baseline on ESXi_2: %q", b)
		}
		// And back, live, with the files: a "shared-nothing" vMotion.
		if f := l.relocate("vm-local", "ESXi_1", "ESXi_1-local"); f != nil {
			t.Fatal(f.LocalizedMessage)
		}
		l.assertFilesOn("vm-local", "ESXi_1-local")
		l.assertInvariants()
	})
}

func TestRelocateToADeletedHostIsRefused(t *testing.T) {
	runLab(t, labOptions{noVMs: false}, func(l *lab) {
		l.powerOff("vm-shared")
		h := l.host("ESXi_2")
		ref := h.Reference()
		l.waitTask(h.Destroy(l.ctx))
		f := l.taskFault(l.vm("vm-shared").Relocate(l.ctx, types.VirtualMachineRelocateSpec{Host: &ref}, types.VirtualMachineMovePriorityDefaultPriority))
		if f == nil || faultName(f.Fault) != "ManagedObjectNotFound" {
			t.Errorf("relocate to a deleted host: %v", f)
		}
		l.assertInvariants()
	})
}
