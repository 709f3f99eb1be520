package extension

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// The RegisterObject handler: vcsim tells it of every object put, updated or removed
// (docs/simulator-extension.md §3). It runs inside whoever changes the registry, often with
// that object locked, so it only touches the object it is told about and the
// extension's maps (object lock -> mu), never another object's lock it may not get.

// PutObject gives new hosts their profile, new tasks their WSDL name, and records new
// VMs' power state.
func (x *Extension) PutObject(ctx *simulator.Context, obj mo.Reference) {
	switch o := obj.(type) {
	case *simulator.Task:
		renameTask(ctx, o)
	case *simulator.HostSystem:
		x.initHost(ctx, o)
		x.notify()
	case *simulator.VirtualMachine:
		// The VM is being created, possibly under its lock held by its creator: it is
		// not locked here (it is not visible to clients yet).
		setRuntimeEnums(o)
		x.mu.Lock()
		x.power[o.Self] = o.Runtime.PowerState
		x.mu.Unlock()
	}
}

// setRuntimeEnums gives runtime.faultToleranceState and runtime.recordReplayState the
// values vCenter reports for a VM without fault tolerance or record/replay: vcsim
// v0.56 sends empty strings, which pyVmomi cannot read (vmware/govmomi#4084, fixed
// upstream after v0.56.0 by #4112; lablib/fallback/compat.py works around it client-side).
func setRuntimeEnums(vm *simulator.VirtualMachine) {
	for _, rt := range []*types.VirtualMachineRuntimeInfo{&vm.Runtime, &vm.Summary.Runtime} {
		if rt.FaultToleranceState == "" {
			rt.FaultToleranceState = types.VirtualMachineFaultToleranceStateNotConfigured
		}
		if rt.RecordReplayState == "" {
			rt.RecordReplayState = types.VirtualMachineRecordReplayStateInactive
		}
	}
}

// UpdateObject follows power-state changes (the VM's CPU baseline) and wakes the
// maintenance runs when VMs, hosts or clusters change.
func (x *Extension) UpdateObject(ctx *simulator.Context, obj mo.Reference, changes []types.PropertyChange) {
	var vm *simulator.VirtualMachine
	switch o := obj.(type) {
	case *mo.VirtualMachine:
		if v, ok := ctx.Map.Get(o.Self).(*simulator.VirtualMachine); ok && &v.VirtualMachine == o {
			vm = v
		}
	case *mo.HostSystem:
		x.notify()
		return
	case *mo.ClusterComputeResource:
		for _, c := range changes {
			if c.Name != "recommendation" { // publishing DRS's advice changes nothing DRS reads
				x.notify()
				break
			}
		}
		return
	default:
		return
	}
	if vm == nil {
		return
	}
	for _, c := range changes {
		if c.Name == "runtime.powerState" {
			x.powerChanged(ctx, vm)
			break
		}
	}
	for _, c := range changes {
		if c.Name == "runtime.powerState" || c.Name == "runtime.host" {
			x.notify()
			break
		}
	}
}

// RemoveObject forgets removed VMs and hosts.
func (x *Extension) RemoveObject(ctx *simulator.Context, ref types.ManagedObjectReference) {
	switch ref.Type {
	case "VirtualMachine":
		x.mu.Lock()
		delete(x.power, ref)
		x.mu.Unlock()
		x.notify()
	case "HostSystem":
		x.mu.Lock()
		delete(x.hosts, ref)
		x.mu.Unlock()
		x.notify()
	}
}
