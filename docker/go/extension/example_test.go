package extension_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"vmotionlab/tools/extension"
)

// Install the extension on vcsim's default inventory: a live migration is refused
// until both hosts have a vMotion VMkernel adapter, as on vCenter.
func ExampleInstall() {
	model := simulator.VPX()
	if err := model.Create(); err != nil {
		panic(err)
	}
	if err := extension.Install(model, extension.Options{}); err != nil {
		panic(err)
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
		if err := vm.Properties(ctx, vm.Reference(), []string{"runtime.host"}, &v); err != nil {
			return err
		}
		hosts, err := finder.HostSystemList(ctx, "DC0_C0/*")
		if err != nil {
			return err
		}
		var spec types.VirtualMachineRelocateSpec
		for _, h := range hosts {
			if ref := h.Reference(); ref != *v.Runtime.Host {
				spec.Host = &ref
			}
		}
		migrate := func() error {
			t, err := vm.Relocate(ctx, spec, types.VirtualMachineMovePriorityDefaultPriority)
			if err != nil {
				return err
			}
			return t.Wait(ctx)
		}
		var refused task.Error
		if err := migrate(); errors.As(err, &refused) {
			fmt.Printf("refused: %T\n", refused.Fault())
		}
		for _, h := range hosts {
			m, err := h.ConfigManager().VirtualNicManager(ctx)
			if err != nil {
				return err
			}
			if err := m.SelectVnic(ctx, "vmotion", "vmk0"); err != nil { // govc host.vnic.service -enable vmotion vmk0
				return err
			}
		}
		if err := migrate(); err != nil {
			return err
		}
		fmt.Println("migrated")
		return nil
	})
	if err != nil {
		panic(err)
	}
	// Output:
	// refused: *types.VMotionNotConfigured
	// migrated
}
