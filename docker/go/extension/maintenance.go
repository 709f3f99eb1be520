package extension

import (
	"fmt"
	"strings"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// Maintenance mode (docs/vsphere-facts.md §6). EnterMaintenanceMode_Task "completes once
// there are no powered-on virtual machines on the host and no provisioning operations
// in progress"; while it runs and while the host is in maintenance mode no VM may
// power on or migrate to it. With DRS fully automated the server migrates the VMs
// itself under the migration rules (DrsVmMigratedEvent) and reports those it cannot
// place (NoMaintenanceModeDrsRecommendationForVM); with DRS manual or partially
// automated it publishes maintenance recommendations (reason hostMaint) the user
// applies, or the user moves the VMs; with DRS off it waits. timeout > 0 ends the task
// with Timedout at expiry; CancelTask ends it too. evacuatePoweredOffVms makes
// powered-off and suspended VMs block (and DRS move them) as well.

// maintenanceRun is a host entering maintenance mode.
type maintenanceRun struct {
	task     *labTask
	host     types.ManagedObjectReference
	name     string
	deadline time.Time
	offToo   bool
	reported map[types.ManagedObjectReference]bool // NoMaintenanceModeDrsRecommendationForVM posted
	attempts map[types.ManagedObjectReference]int  // DRS migrations started per VM
}

// maxAttempts bounds the migrations DRS starts for one VM during one run.
const maxAttempts = 3

// poll is the longest a maintenance run sleeps without a change notification.
const poll = 250 * time.Millisecond

// EnterMaintenanceModeTask starts a host's entry into maintenance mode.
func (p *hostProxy) EnterMaintenanceModeTask(ctx *simulator.Context, req *types.EnterMaintenanceMode_Task) soap.HasFault {
	x := p.x
	name := entityName(ctx, req.This)
	t := startTask(ctx, &req.This, name, "EnterMaintenanceMode_Task", "HostSystem.enterMaintenanceMode", true)
	defer t.recoverInto()
	run := &maintenanceRun{task: t, host: req.This, name: name, reported: map[types.ManagedObjectReference]bool{},
		attempts: map[types.ManagedObjectReference]int{}}
	if req.Timeout > 0 {
		run.deadline = time.Now().Add(time.Duration(req.Timeout) * time.Second)
	}
	run.offToo = req.EvacuatePoweredOffVms != nil && *req.EvacuatePoweredOffVms
	var refusal *finding
	var h *hostFacts
	x.decided(func() {
		h = x.hostFactsOf(ctx, req.This)
		x.mu.Lock()
		defer x.mu.Unlock()
		switch other, entering := x.entering[req.This]; {
		case h == nil:
			refusal = notFound("this", req.This)
		case h.maintenance:
			refusal = alreadyInMaintenance(h)
		case entering:
			refusal = enteringMaintenance(h, other.task.ref())
		default:
			x.entering[req.This] = run
		}
	})
	if refusal != nil {
		t.fail(refusal)
		return &methods.EnterMaintenanceMode_TaskBody{Res: &types.EnterMaintenanceMode_TaskResponse{Returnval: t.ref()}}
	}
	postEvents(t.ctx, &types.EnteringMaintenanceModeEvent{HostEvent: hostEvent(placeOf(ctx, h, "", nil))})
	x.notify()
	t.safely(func() {
		defer x.endRun(t.ctx, run)
		x.runMaintenance(t.ctx, run)
	})
	return &methods.EnterMaintenanceMode_TaskBody{Res: &types.EnterMaintenanceMode_TaskResponse{Returnval: t.ref()}}
}

// runMaintenance waits (and lets DRS act) until the host can enter maintenance mode.
func (x *Extension) runMaintenance(ctx *simulator.Context, run *maintenanceRun) {
	for {
		changed := x.changes()
		if run.task.cancelled() {
			return
		}
		if !run.deadline.IsZero() && !time.Now().Before(run.deadline) {
			run.task.complete(func() (types.AnyType, *finding) {
				x.endRun(ctx, run)
				return nil, timedout()
			})
			return
		}
		if x.tryEnter(ctx, run) {
			return
		}
		x.evacuate(ctx, run)
		wait := poll
		if !run.deadline.IsZero() {
			if left := time.Until(run.deadline); left < wait {
				wait = left
			}
		}
		timer := time.NewTimer(wait)
		select {
		case <-changed:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// blockers returns the VMs that keep the host out of maintenance mode.
func (x *Extension) blockers(ctx *simulator.Context, run *maintenanceRun) ([]*vmFacts, *hostFacts) {
	h := x.hostFactsOf(ctx, run.host)
	if h == nil {
		return nil, nil
	}
	var vms []*vmFacts
	for _, ref := range h.vms {
		vm, ok := ctx.Map.Get(ref).(*simulator.VirtualMachine)
		if !ok {
			continue
		}
		f := x.vmFactsOf(ctx, vm)
		if f.host == run.host && (f.power == types.VirtualMachinePowerStatePoweredOn || run.offToo) {
			vms = append(vms, f)
		}
	}
	return vms, h
}

// tryEnter puts the host into maintenance mode when nothing blocks it any more.
func (x *Extension) tryEnter(ctx *simulator.Context, run *maintenanceRun) bool {
	entered := false
	run.task.complete(func() (types.AnyType, *finding) {
		x.decide.Lock()
		defer x.decide.Unlock()
		vms, h := x.blockers(ctx, run)
		if h == nil {
			entered = true
			return nil, notFound("this", run.host)
		}
		if len(vms) > 0 || x.relocationsTouching(ctx, run.host) {
			return nil, errNotYet
		}
		x.setMaintenance(ctx, run.host, true)
		x.endRun(ctx, run)
		postEvents(ctx, &types.EnteredMaintenanceModeEvent{HostEvent: hostEvent(placeOf(ctx, h, "", nil))})
		entered = true
		return nil, nil
	})
	return entered
}

// relocationsTouching tells whether a relocation from or to the host is running.
func (x *Extension) relocationsTouching(ctx *simulator.Context, host types.ManagedObjectReference) bool {
	x.mu.Lock()
	var vms []types.ManagedObjectReference
	for vm := range x.moving {
		vms = append(vms, vm)
	}
	x.mu.Unlock()
	for _, ref := range vms {
		if vm, ok := ctx.Map.Get(ref).(*simulator.VirtualMachine); ok {
			var at *types.ManagedObjectReference
			ctx.WithLock(vm, func() { at = vm.Runtime.Host })
			if at != nil && *at == host {
				return true
			}
		}
	}
	return false
}

// setMaintenance writes runtime.inMaintenanceMode.
func (x *Extension) setMaintenance(ctx *simulator.Context, ref types.ManagedObjectReference, on bool) {
	if h, ok := ctx.Map.Get(ref).(*simulator.HostSystem); ok {
		ctx.WithLock(h, func() {
			ctx.Update(h, []types.PropertyChange{{Name: "runtime.inMaintenanceMode", Val: on}, {Name: "summary.runtime.inMaintenanceMode", Val: on}})
		})
	}
}

// evacuate lets DRS act for the host's blocking VMs.
func (x *Extension) evacuate(ctx *simulator.Context, run *maintenanceRun) {
	vms, h := x.blockers(ctx, run)
	if h == nil || h.cluster == nil {
		return
	}
	c := x.clusterFactsOf(ctx, *h.cluster)
	if c == nil || !c.drs {
		return
	}
	var recs []types.ClusterRecommendation
	for _, vm := range vms {
		if x.busy(ctx, vm.ref) != nil {
			continue // already moving
		}
		var dst *hostFacts
		var refused map[string][]*finding
		x.decided(func() { dst, refused = x.placeVM(ctx, c, computeMove(vm, h, h), &run.host) })
		if dst == nil {
			if !run.reported[vm.ref] {
				run.reported[vm.ref] = true
				x.postNoRecommendation(ctx, vm, h, refused)
			}
			continue
		}
		if c.behavior == types.DrsBehaviorFullyAutomated {
			if run.attempts[vm.ref] < maxAttempts {
				run.attempts[vm.ref]++
				x.applyMigration(ctx, recommendation(c.ref, vm.ref, h.ref, dst.ref, "hostMaint", "", 5))
			}
			continue
		}
		recs = append(recs, recommendation(c.ref, vm.ref, h.ref, dst.ref, "hostMaint", "Host "+h.name+" is entering maintenance mode.", 5))
	}
	if c.behavior != types.DrsBehaviorFullyAutomated {
		x.storeRecommendations(ctx, c.ref, recs, func(r types.ClusterRecommendation) bool {
			_, src, _, _ := migrationOf(r)
			return r.Reason == "hostMaint" && src == run.host
		})
	}
}

// postNoRecommendation posts NoMaintenanceModeDrsRecommendationForVM with the reasons.
func (x *Extension) postNoRecommendation(ctx *simulator.Context, vm *vmFacts, h *hostFacts, refused map[string][]*finding) {
	var why []string
	for _, name := range sortedKeys(refused) {
		why = append(why, name+": "+refused[name][0].msg)
	}
	msg := fmt.Sprintf("Unable to automatically migrate %s from %s: no other connected host is compatible with this virtual machine", vm.name, h.name)
	if len(why) > 0 {
		msg += " (" + strings.Join(why, "; ") + ")"
	}
	at := placeOf(ctx, h, vm.configDatastore(), x.datastoresByName(ctx, h))
	postEvents(ctx, &types.NoMaintenanceModeDrsRecommendationForVM{VmEvent: vmEvent(vm, at, msg+".")})
}

// endRun forgets a finished run and its maintenance recommendations (before its task
// ends, so that a client sees both at once; again after a cancel).
func (x *Extension) endRun(ctx *simulator.Context, run *maintenanceRun) {
	x.mu.Lock()
	if x.entering[run.host] == run {
		delete(x.entering, run.host)
	}
	x.mu.Unlock()
	if h := x.hostFactsOf(ctx, run.host); h != nil && h.cluster != nil {
		x.storeRecommendations(ctx, *h.cluster, nil, func(r types.ClusterRecommendation) bool {
			_, src, _, _ := migrationOf(r)
			return r.Reason == "hostMaint" && src == run.host
		})
	}
	x.notify()
}

// ExitMaintenanceModeTask takes a host out of maintenance mode.
func (p *hostProxy) ExitMaintenanceModeTask(ctx *simulator.Context, req *types.ExitMaintenanceMode_Task) soap.HasFault {
	x := p.x
	t := startTask(ctx, &req.This, entityName(ctx, req.This), "ExitMaintenanceMode_Task", "HostSystem.exitMaintenanceMode", false)
	defer t.recoverInto()
	var h *hostFacts
	var refusal *finding
	x.decided(func() {
		h = x.hostFactsOf(ctx, req.This)
		switch {
		case h == nil:
			refusal = notFound("this", req.This)
		case !h.maintenance:
			refusal = notInMaintenance(h)
		default:
			x.setMaintenance(ctx, req.This, false)
		}
	})
	if refusal != nil {
		t.fail(refusal)
	} else {
		postEvents(t.ctx, &types.ExitMaintenanceModeEvent{HostEvent: hostEvent(placeOf(ctx, h, "", nil))})
		x.notify()
		t.succeed(nil)
	}
	return &methods.ExitMaintenanceMode_TaskBody{Res: &types.ExitMaintenanceMode_TaskResponse{Returnval: t.ref()}}
}
