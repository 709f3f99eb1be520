package extension

import (
	"context"
	"strings"
	"testing"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// A host added after Install gets its profile and its own vMotion NIC state.
func TestAddedHostsGetTheirProfile(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		if got := l.hostMO("ESXi_2", "config.network.vnic").Config.Network.Vnic[0].Spec.Ip.IpAddress; got != "192.168.1.172" {
			t.Errorf("ESXi_2 vmk0 %s", got)
		}
		l.x.mu.Lock()
		cpu, ok := l.x.hosts[l.host("ESXi_2").Reference()]
		l.x.mu.Unlock()
		if !ok || cpu.maxEVC != "intel-cascadelake" {
			t.Errorf("hook state %+v", cpu)
		}
	})
}

// Hosts and VMs of a model created before Install (vcsim's default inventory) are
// adopted: template CPUs, baselines for the running VMs, vMotion off until enabled.
func TestDefaultModelWithTheExtension(t *testing.T) {
	model := simulator.VPX()
	if err := model.Create(); err != nil {
		t.Fatal(err)
	}
	if err := Install(model, Options{}); err != nil {
		t.Fatal(err)
	}
	err := model.Run(func(ctx context.Context, c *vim25.Client) error {
		finder := find.NewFinder(c)
		dc, err := finder.DefaultDatacenter(ctx)
		if err != nil {
			return err
		}
		finder.SetDatacenter(dc)
		vm, err := finder.VirtualMachine(ctx, "DC0_C0_RP0_VM0")
		if err != nil {
			return err
		}
		var v mo.VirtualMachine
		if err := vm.Properties(ctx, vm.Reference(), []string{"runtime"}, &v); err != nil {
			return err
		}
		if v.Runtime.MinRequiredEVCModeKey != DefaultMaxEVCMode {
			t.Errorf("baseline %q", v.Runtime.MinRequiredEVCModeKey)
		}
		hosts, err := finder.HostSystemList(ctx, "DC0_C0/*")
		if err != nil {
			return err
		}
		var dst *object.HostSystem
		for _, h := range hosts {
			if h.Reference() != *v.Runtime.Host {
				dst = h
			}
		}
		ref := dst.Reference()
		task, err := vm.Relocate(ctx, types.VirtualMachineRelocateSpec{Host: &ref}, types.VirtualMachineMovePriorityDefaultPriority)
		if err != nil {
			return err
		}
		if err := task.Wait(ctx); err == nil || !strings.Contains(err.Error(), "vMotion interface is not configured") {
			t.Errorf("relocate without vMotion: %v", err)
		}
		for _, h := range hosts {
			m, err := h.ConfigManager().VirtualNicManager(ctx)
			if err != nil {
				return err
			}
			if err := m.SelectVnic(ctx, "vmotion", "vmk0"); err != nil {
				return err
			}
		}
		task, err = vm.Relocate(ctx, types.VirtualMachineRelocateSpec{Host: &ref}, types.VirtualMachineMovePriorityDefaultPriority)
		if err != nil {
			return err
		}
		return task.Wait(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
}
