package extension

import (
	"strings"
	"testing"

	"github.com/vmware/govmomi/vim25/types"
)

func TestRelocateTaskAndEvents(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		l.readyForVMotion()
		task, err := l.vm("vm-shared").Relocate(l.ctx, l.spec("ESXi_2", ""), types.VirtualMachineMovePriorityDefaultPriority)
		l.must(err)
		info := l.waitTask(task, nil)
		if info.Name != "RelocateVM_Task" || info.DescriptionId != "VirtualMachine.relocate" || info.EntityName != "vm-shared" || info.Progress != 100 {
			t.Errorf("task %s %s %s %d", info.Name, info.DescriptionId, info.EntityName, info.Progress)
		}
		hot := l.events("vm-shared", "VmBeingHotMigratedEvent")
		if len(hot) != 1 || hot[0].(*types.VmBeingHotMigratedEvent).DestHost.Name != "ESXi_2" {
			t.Errorf("VmBeingHotMigratedEvent: %v", hot)
		}
		done := l.events("vm-shared", "VmMigratedEvent")
		if len(done) != 1 {
			t.Fatalf("%d VmMigratedEvent", len(done))
		}
		e := done[0].(*types.VmMigratedEvent)
		if e.SourceHost.Name != "ESXi_1" || e.Host.Name != "ESXi_2" || e.SourceDatastore.Name != "SharedDS" || e.Ds.Name != "SharedDS" {
			t.Errorf("VmMigratedEvent from %s to %s", e.SourceHost.Name, e.Host.Name)
		}
		if want := "Migration of virtual machine vm-shared from ESXi_1, SharedDS to ESXi_2, SharedDS completed"; e.FullFormattedMessage != want {
			t.Errorf("message %q", e.FullFormattedMessage)
		}
		// Cold: the relocate flavour of the start event.
		l.powerOff("vm-shared")
		l.waitTask(l.vm("vm-shared").Relocate(l.ctx, l.spec("ESXi_1", ""), types.VirtualMachineMovePriorityDefaultPriority))
		if ev := l.events("vm-shared", "VmBeingRelocatedEvent"); len(ev) != 1 {
			t.Errorf("%d VmBeingRelocatedEvent", len(ev))
		}
	})
}

func TestRelocateRefusalEvent(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		f := l.relocate("vm-local", "ESXi_2", "")
		ev := l.events("vm-local", "VmFailedMigrateEvent")
		if f == nil || len(ev) != 1 {
			t.Fatalf("fault %v, %d events", f, len(ev))
		}
		e := ev[0].(*types.VmFailedMigrateEvent)
		if e.DestHost.Name != "ESXi_2" || e.Host.Name != "ESXi_1" || faultName(e.Reason.Fault) != "VMotionNotConfigured" ||
			!strings.HasPrefix(e.FullFormattedMessage, "Cannot migrate vm-local from ESXi_1, ESXi_1-local to ESXi_2") {
			t.Errorf("event %s %s %s %q", e.DestHost.Name, e.Host.Name, faultName(e.Reason.Fault), e.FullFormattedMessage)
		}
	})
}

func TestEventsNeverUseVcsimsBrokenTemplate(t *testing.T) {
	// vcsim's VmBeingMigratedEvent template does not parse (events.go); the kit posts
	// VmBeingHotMigratedEvent or VmBeingRelocatedEvent instead.
	runLab(t, labOptions{}, func(l *lab) {
		l.powerOff("vm-shared")
		l.waitTask(l.vm("vm-shared").Relocate(l.ctx, l.spec("ESXi_2", ""), types.VirtualMachineMovePriorityDefaultPriority))
		if ev := l.events("", "VmBeingMigratedEvent"); len(ev) != 0 {
			t.Errorf("%d VmBeingMigratedEvent", len(ev))
		}
	})
}

func TestDatacenterOfWalksUpTheInventory(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		ctx := l.model.Service.Context
		dc, ok := datacenterOf(ctx, l.host("ESXi_1").Reference())
		if !ok || dc != l.dc.Reference() {
			t.Errorf("datacenterOf(ESXi_1) = %v %v", dc, ok)
		}
		if _, ok := datacenterOf(ctx, types.ManagedObjectReference{Type: "HostSystem", Value: "nope"}); ok {
			t.Error("datacenterOf(unknown) found one")
		}
	})
}
