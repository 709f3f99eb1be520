package extension

import (
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// Power operations and the VM's CPU baseline (docs/vsphere-facts.md §2).
//
// A VM takes its CPU baseline at power-on: the cluster's EVC mode, else every feature
// of its host (its best EVC mode: a modelling choice, README). The baseline shows as
// runtime.minRequiredEVCModeKey and runtime.featureRequirement and is KEPT until a
// power-off: suspend/resume and reset keep it ("A full power cycling is required").
// The registry hook sees every power-state change, whoever makes it.
//
// While a host enters or is in maintenance mode no VM may power on there; while a VM
// is being migrated it may not change power state or be destroyed.

// PowerOnVMTask refuses a power-on on a host entering maintenance mode, then lets vcsim power on.
func (p *vmProxy) PowerOnVMTask(ctx *simulator.Context, req *types.PowerOnVM_Task) soap.HasFault {
	if f := p.x.powerOnRefusal(ctx, req.This); f != nil {
		return &methods.PowerOnVM_TaskBody{Res: &types.PowerOnVM_TaskResponse{Returnval: p.x.failedTask(ctx, req.This, "PowerOnVM_Task", "VirtualMachine.powerOn", f)}}
	}
	return p.x.delegateVM(ctx, req.This, func(vm *simulator.VirtualMachine) soap.HasFault { return vm.PowerOnVMTask(ctx, req) })
}

// PowerOnMultiVMTask (govc vm.power -on -M) powers VMs on under the same rules: as on
// vCenter, a VM it refuses is listed in the result's notAttempted with its fault, and
// each other VM is powered on by a task of its own, listed in attempted.
func (p *datacenterProxy) PowerOnMultiVMTask(ctx *simulator.Context, req *types.PowerOnMultiVM_Task) soap.HasFault {
	t := startTask(ctx, &req.This, entityName(ctx, req.This), "PowerOnMultiVM_Task", "Datacenter.powerOnVm", false)
	defer t.recoverInto()
	res := types.ClusterPowerOnVmResult{}
	for _, ref := range req.Vm {
		f := notFound("vm", ref)
		if _, ok := ctx.Map.Get(ref).(*simulator.VirtualMachine); ok {
			f = p.x.powerOnRefusal(ctx, ref)
		}
		if f != nil {
			res.NotAttempted = append(res.NotAttempted, types.ClusterNotAttemptedVmInfo{Vm: ref, Fault: *f.localized()})
			continue
		}
		vmCtx := detach(ctx) // one context per task, as vcsim's own PowerOnMultiVM
		body := p.x.delegateVM(vmCtx, ref, func(vm *simulator.VirtualMachine) soap.HasFault {
			return vm.PowerOnVMTask(vmCtx, &types.PowerOnVM_Task{This: ref})
		}).(*methods.PowerOnVM_TaskBody)
		task := body.Res.Returnval
		res.Attempted = append(res.Attempted, types.ClusterAttemptedVmInfo{Vm: ref, Task: &task})
	}
	t.succeed(res)
	return &methods.PowerOnMultiVM_TaskBody{Res: &types.PowerOnMultiVM_TaskResponse{Returnval: t.ref()}}
}

// powerOnRefusal is why a VM may not power on now (nil: it may).
func (x *Extension) powerOnRefusal(ctx *simulator.Context, ref types.ManagedObjectReference) *finding {
	if f := x.powerOnBlocked(ctx, ref); f != nil {
		return f
	}
	return x.powerStateRefusal(ctx, ref, types.VirtualMachinePowerStatePoweredOn)
}

// PowerOffVMTask refuses while the VM migrates.
func (p *vmProxy) PowerOffVMTask(ctx *simulator.Context, req *types.PowerOffVM_Task) soap.HasFault {
	f := p.x.busy(ctx, req.This)
	if f == nil {
		f = p.x.powerStateRefusal(ctx, req.This, types.VirtualMachinePowerStatePoweredOff)
	}
	if f != nil {
		return &methods.PowerOffVM_TaskBody{Res: &types.PowerOffVM_TaskResponse{Returnval: p.x.failedTask(ctx, req.This, "PowerOffVM_Task", "VirtualMachine.powerOff", f)}}
	}
	return p.x.delegateVM(ctx, req.This, func(vm *simulator.VirtualMachine) soap.HasFault { return vm.PowerOffVMTask(ctx, req) })
}

// SuspendVMTask refuses while the VM migrates.
func (p *vmProxy) SuspendVMTask(ctx *simulator.Context, req *types.SuspendVM_Task) soap.HasFault {
	f := p.x.busy(ctx, req.This)
	if f == nil {
		f = p.x.powerStateRefusal(ctx, req.This, types.VirtualMachinePowerStateSuspended)
	}
	if f != nil {
		return &methods.SuspendVM_TaskBody{Res: &types.SuspendVM_TaskResponse{Returnval: p.x.failedTask(ctx, req.This, "SuspendVM_Task", "VirtualMachine.suspend", f)}}
	}
	return p.x.delegateVM(ctx, req.This, func(vm *simulator.VirtualMachine) soap.HasFault { return vm.SuspendVMTask(ctx, req) })
}

// DestroyTask refuses while the VM migrates.
func (p *vmProxy) DestroyTask(ctx *simulator.Context, req *types.Destroy_Task) soap.HasFault {
	if f := p.x.busy(ctx, req.This); f != nil {
		return &methods.Destroy_TaskBody{Res: &types.Destroy_TaskResponse{Returnval: p.x.failedTask(ctx, req.This, "Destroy_Task", "VirtualMachine.destroy", f)}}
	}
	return p.x.delegateVM(ctx, req.This, func(vm *simulator.VirtualMachine) soap.HasFault { return vm.DestroyTask(ctx, req) })
}

// UnregisterVM refuses while the VM migrates.
func (p *vmProxy) UnregisterVM(ctx *simulator.Context, req *types.UnregisterVM) soap.HasFault {
	if f := p.x.busy(ctx, req.This); f != nil {
		return &methods.UnregisterVMBody{Fault_: f.soapFault()}
	}
	return p.x.delegateVM(ctx, req.This, func(vm *simulator.VirtualMachine) soap.HasFault { return vm.UnregisterVM(ctx, req) })
}

// ResetVMTask resets a running VM in place: it stays powered on on its host and keeps
// its CPU baseline (vcsim's reset powers off then on, which would lose it).
func (p *vmProxy) ResetVMTask(ctx *simulator.Context, req *types.ResetVM_Task) soap.HasFault {
	x := p.x
	vm, ok := ctx.Map.Get(req.This).(*simulator.VirtualMachine)
	if !ok {
		return &methods.ResetVM_TaskBody{Fault_: notFound("this", req.This).soapFault()}
	}
	t := startTask(ctx, &req.This, entityName(ctx, req.This), "ResetVM_Task", "VirtualMachine.reset", false)
	defer t.recoverInto()
	if f := x.busy(ctx, req.This); f != nil {
		t.fail(f)
		return &methods.ResetVM_TaskBody{Res: &types.ResetVM_TaskResponse{Returnval: t.ref()}}
	}
	vmf := x.vmFactsOf(ctx, vm)
	if vmf.power != types.VirtualMachinePowerStatePoweredOn {
		t.fail(invalidPowerState(types.VirtualMachinePowerStatePoweredOn, vmf.power))
		return &methods.ResetVM_TaskBody{Res: &types.ResetVM_TaskResponse{Returnval: t.ref()}}
	}
	if h := x.hostFactsOf(ctx, vmf.host); h != nil {
		at := placeOf(ctx, h, vmf.configDatastore(), x.datastoresByName(ctx, h))
		postEvents(t.ctx, &types.VmResettingEvent{VmEvent: vmEvent(vmf, at, "")})
	}
	ctx.WithLock(vm, func() {
		now := time.Now()
		ctx.Update(vm, []types.PropertyChange{{Name: "runtime.bootTime", Val: now}, {Name: "summary.runtime.bootTime", Val: now}})
	})
	t.succeed(nil)
	return &methods.ResetVM_TaskBody{Res: &types.ResetVM_TaskResponse{Returnval: t.ref()}}
}

// powerStateRefusal is InvalidPowerState, with vCenter's message, for a power
// operation the VM's state does not allow (vcsim's own task would say
// "*types.InvalidPowerState").
func (x *Extension) powerStateRefusal(ctx *simulator.Context, ref types.ManagedObjectReference, to types.VirtualMachinePowerState) *finding {
	vm := ctx.Map.Get(ref).(*simulator.VirtualMachine)
	var state types.VirtualMachinePowerState
	ctx.WithLock(vm, func() { state = vm.Runtime.PowerState })
	switch {
	case state == to:
		return invalidPowerState(to, state)
	case to == types.VirtualMachinePowerStateSuspended && state != types.VirtualMachinePowerStatePoweredOn:
		return invalidPowerState(types.VirtualMachinePowerStatePoweredOn, state)
	}
	return nil
}

// delegateVM runs vcsim's own method under the VM's lock, as vcsim's dispatcher would.
func (x *Extension) delegateVM(ctx *simulator.Context, ref types.ManagedObjectReference, call func(*simulator.VirtualMachine) soap.HasFault) soap.HasFault {
	vm := ctx.Map.Get(ref).(*simulator.VirtualMachine)
	var res soap.HasFault
	ctx.WithLock(vm, func() { res = call(vm) })
	return res
}

// failedTask returns a task that failed with f at once.
func (x *Extension) failedTask(ctx *simulator.Context, entity types.ManagedObjectReference, name, descriptionID string, f *finding) types.ManagedObjectReference {
	t := startTask(ctx, &entity, entityName(ctx, entity), name, descriptionID, false)
	t.fail(f)
	return t.ref()
}

// busy returns TaskInProgress when the VM is being migrated.
func (x *Extension) busy(ctx *simulator.Context, vm types.ManagedObjectReference) *finding {
	x.mu.Lock()
	task, moving := x.moving[vm]
	x.mu.Unlock()
	if moving {
		return taskInProgress(task, entityName(ctx, vm))
	}
	return nil
}

// powerOnBlocked refuses a power-on while the VM migrates or its host enters or is in
// maintenance mode ("no virtual machines can be powered on", docs/vsphere-facts.md §6).
func (x *Extension) powerOnBlocked(ctx *simulator.Context, ref types.ManagedObjectReference) *finding {
	if f := x.busy(ctx, ref); f != nil {
		return f
	}
	vm := ctx.Map.Get(ref).(*simulator.VirtualMachine)
	var host *types.ManagedObjectReference
	var state types.VirtualMachinePowerState
	ctx.WithLock(vm, func() { host, state = vm.Runtime.Host, vm.Runtime.PowerState })
	if host == nil || state == types.VirtualMachinePowerStatePoweredOn {
		return nil // vcsim answers InvalidPowerState
	}
	if h := x.hostFactsOf(ctx, *host); h != nil && (h.maintenance || h.entering) {
		return hostInMaintenance(h)
	}
	return nil
}

// powerChanged follows a VM's power state (registry hook; the VM is locked by the
// caller of Update, so only the VM itself and the extension's maps are read).
func (x *Extension) powerChanged(ctx *simulator.Context, vm *simulator.VirtualMachine) {
	now := vm.Runtime.PowerState
	x.mu.Lock()
	before, known := x.power[vm.Self]
	x.power[vm.Self] = now
	x.mu.Unlock()
	switch {
	case now == types.VirtualMachinePowerStatePoweredOff:
		if vm.Runtime.MinRequiredEVCModeKey != "" || len(vm.Runtime.FeatureRequirement) > 0 {
			x.setBaseline(ctx, vm, "")
		}
	case now == types.VirtualMachinePowerStatePoweredOn && (!known || before == types.VirtualMachinePowerStatePoweredOff):
		x.setBaseline(ctx, vm, x.powerOnBaseline(ctx, vm))
	}
}

// powerOnBaseline returns the baseline a VM gets at power-on: its cluster's EVC mode,
// else its host's best mode.
func (x *Extension) powerOnBaseline(ctx *simulator.Context, vm *simulator.VirtualMachine) string {
	if vm.Runtime.Host == nil {
		return ""
	}
	ref := *vm.Runtime.Host
	if h, ok := ctx.Map.Get(ref).(*simulator.HostSystem); ok && h.Parent != nil {
		if mode := x.clusterMode(*h.Parent); mode != "" {
			return mode
		}
	}
	if cpu, ok := x.hostCPUOf(ref); ok {
		return cpu.maxEVC
	}
	return ""
}

// setBaseline writes a VM's baseline (mode "" clears it); the VM's lock is held.
func (x *Extension) setBaseline(ctx *simulator.Context, vm *simulator.VirtualMachine, mode string) {
	req := x.catalog.Requirement(mode)
	ctx.Update(vm, []types.PropertyChange{
		{Name: "runtime.minRequiredEVCModeKey", Val: mode},
		{Name: "runtime.featureRequirement", Val: req},
		{Name: "summary.runtime.minRequiredEVCModeKey", Val: mode},
		{Name: "summary.runtime.featureRequirement", Val: req},
	})
}
