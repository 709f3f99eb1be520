package extension

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// VirtualMachineProvisioningChecker (docs/vsphere-facts.md §3): CheckRelocate_Task,
// CheckMigrate_Task and QueryVMotionCompatibilityEx_Task run the same rules as the
// migration and return their findings as a CheckResult's errors and warnings,
// filtered by testType (unset: all). The task's entity is the VM, so pyVim's
// WaitForTask works (vcsim's names the checker: docs/simulator-extension.md §4). A spec that
// names nothing usable fails the task itself (InvalidArgument, ManagedObjectNotFound).

// CheckRelocateTask serves CheckRelocate_Task.
func (p *checkerProxy) CheckRelocateTask(ctx *simulator.Context, req *types.CheckRelocate_Task) soap.HasFault {
	ref := p.x.check(ctx, req.Vm, &req.Spec, req.TestType, "CheckRelocate_Task", "vm.check.ProvisioningChecker.checkRelocate")
	return &methods.CheckRelocate_TaskBody{Res: &types.CheckRelocate_TaskResponse{Returnval: ref}}
}

// CheckMigrateTask serves CheckMigrate_Task (host and/or pool; state must match when set).
func (p *checkerProxy) CheckMigrateTask(ctx *simulator.Context, req *types.CheckMigrate_Task) soap.HasFault {
	x := p.x
	if req.State != "" {
		if vm, ok := ctx.Map.Get(req.Vm).(*simulator.VirtualMachine); ok {
			var state types.VirtualMachinePowerState
			ctx.WithLock(vm, func() { state = vm.Runtime.PowerState })
			if state != req.State {
				t := startTask(ctx, &req.Vm, entityName(ctx, req.Vm), "CheckMigrate_Task", "vm.check.ProvisioningChecker.checkMigrate", false)
				t.succeed(types.ArrayOfCheckResult{CheckResult: []types.CheckResult{{Vm: &req.Vm,
					Error: []types.LocalizedMethodFault{*invalidPowerState(req.State, state).localized()}}}})
				return &methods.CheckMigrate_TaskBody{Res: &types.CheckMigrate_TaskResponse{Returnval: t.ref()}}
			}
		}
	}
	spec := &types.VirtualMachineRelocateSpec{Host: req.Host, Pool: req.Pool}
	ref := x.check(ctx, req.Vm, spec, req.TestType, "CheckMigrate_Task", "vm.check.ProvisioningChecker.checkMigrate")
	return &methods.CheckMigrate_TaskBody{Res: &types.CheckMigrate_TaskResponse{Returnval: ref}}
}

// QueryVMotionCompatibilityExTask checks a compute-only migration of each VM to each host.
func (p *checkerProxy) QueryVMotionCompatibilityExTask(ctx *simulator.Context, req *types.QueryVMotionCompatibilityEx_Task) soap.HasFault {
	x := p.x
	var entity *types.ManagedObjectReference
	name := ""
	if len(req.Vm) > 0 {
		entity = &req.Vm[0]
		name = entityName(ctx, req.Vm[0])
	}
	t := startTask(ctx, entity, name, "QueryVMotionCompatibilityEx_Task", "vm.check.ProvisioningChecker.queryVMotionCompatibilityEx", false)
	defer t.recoverInto()
	var results types.ArrayOfCheckResult
	var failure *finding
	for _, vm := range req.Vm {
		for _, host := range req.Host {
			h := host
			r, f := x.checkResult(ctx, vm, &types.VirtualMachineRelocateSpec{Host: &h}, nil)
			if f != nil {
				failure = f
				break
			}
			results.CheckResult = append(results.CheckResult, r)
		}
	}
	if failure != nil {
		t.fail(failure)
	} else {
		t.succeed(results)
	}
	return &methods.QueryVMotionCompatibilityEx_TaskBody{Res: &types.QueryVMotionCompatibilityEx_TaskResponse{Returnval: t.ref()}}
}

// check runs a checker task for one VM and spec.
func (x *Extension) check(ctx *simulator.Context, vm types.ManagedObjectReference, spec *types.VirtualMachineRelocateSpec, tests []string, name, descriptionID string) types.ManagedObjectReference {
	t := startTask(ctx, &vm, entityName(ctx, vm), name, descriptionID, false)
	defer t.recoverInto()
	r, f := x.checkResult(ctx, vm, spec, tests)
	if f != nil {
		t.fail(f)
	} else {
		t.succeed(types.ArrayOfCheckResult{CheckResult: []types.CheckResult{r}})
	}
	return t.ref()
}

// checkResult evaluates the rules; a spec error is returned as the task's fault.
func (x *Extension) checkResult(ctx *simulator.Context, vm types.ManagedObjectReference, spec *types.VirtualMachineRelocateSpec, tests []string) (types.CheckResult, *finding) {
	var p *plan
	var f *finding
	var found []*finding
	x.decided(func() {
		p, f = x.planRelocation(ctx, vm, spec)
		if f == nil {
			found = x.catalog.check(p.move)
		} else if f.rule != ruleSpec && f.rule != "internal" {
			found = []*finding{f}
			f = nil
		}
	})
	if f != nil {
		return types.CheckResult{}, f
	}
	r := types.CheckResult{Vm: &vm}
	if p != nil && p.move != nil && p.move.dst != nil {
		host := p.move.dst.ref
		r.Host = &host
	}
	for _, f := range found {
		if len(tests) > 0 && !contains(tests, f.test) {
			continue
		}
		if f.warning {
			r.Warning = append(r.Warning, *f.localized())
		} else {
			r.Error = append(r.Error, *f.localized())
		}
	}
	return r, nil
}
