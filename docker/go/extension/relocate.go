package extension

import (
	"fmt"
	"sort"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// RelocateVM_Task and MigrateVM_Task: resolve the spec into a plan, let the rules
// decide, then run the move (relocate_commit.go) as a task named by its WSDL method.
// A refusal changes nothing: the task fails with vCenter's fault and message and a
// VmFailedMigrateEvent is posted.

// plan is a resolved relocation.
type plan struct {
	vm         *simulator.VirtualMachine
	move       *move
	pool       *types.ManagedObjectReference // destination pool
	folder     *types.ManagedObjectReference
	nicChanges map[int32]types.BaseVirtualDeviceBackingInfo // new NIC backings (deviceChange)
	byDRS      bool
}

// RelocateVMTask serves VirtualMachine.RelocateVM_Task.
func (p *vmProxy) RelocateVMTask(ctx *simulator.Context, req *types.RelocateVM_Task) soap.HasFault {
	ref := p.x.relocate(ctx, req.This, &req.Spec, "RelocateVM_Task", "VirtualMachine.relocate", false)
	return &methods.RelocateVM_TaskBody{Res: &types.RelocateVM_TaskResponse{Returnval: ref}}
}

// MigrateVMTask serves the legacy VirtualMachine.MigrateVM_Task (host and/or pool;
// `state`, when set, must be the VM's power state).
func (p *vmProxy) MigrateVMTask(ctx *simulator.Context, req *types.MigrateVM_Task) soap.HasFault {
	spec := &types.VirtualMachineRelocateSpec{Host: req.Host, Pool: req.Pool}
	if req.State != "" {
		if vm, ok := ctx.Map.Get(req.This).(*simulator.VirtualMachine); ok {
			var state types.VirtualMachinePowerState
			ctx.WithLock(vm, func() { state = vm.Runtime.PowerState })
			if state != req.State {
				t := startTask(ctx, &req.This, entityName(ctx, req.This), "MigrateVM_Task", "VirtualMachine.migrate", false)
				t.fail(invalidPowerState(req.State, state))
				return &methods.MigrateVM_TaskBody{Res: &types.MigrateVM_TaskResponse{Returnval: t.ref()}}
			}
		}
	}
	ref := p.x.relocate(ctx, req.This, spec, "MigrateVM_Task", "VirtualMachine.migrate", false)
	return &methods.MigrateVM_TaskBody{Res: &types.MigrateVM_TaskResponse{Returnval: ref}}
}

// relocate starts a relocation task and returns it; refused moves fail at once.
func (x *Extension) relocate(ctx *simulator.Context, vmRef types.ManagedObjectReference, spec *types.VirtualMachineRelocateSpec, name, descriptionID string, byDRS bool) types.ManagedObjectReference {
	vmName := entityName(ctx, vmRef)
	t := startTask(ctx, &vmRef, vmName, name, descriptionID, true)
	defer t.recoverInto()
	var p *plan
	var failure *finding
	x.decided(func() {
		if p, failure = x.planRelocation(ctx, vmRef, spec); failure == nil {
			failure = firstError(x.catalog.check(p.move))
		}
		if failure == nil {
			x.mu.Lock()
			x.moving[vmRef] = t.ref()
			x.mu.Unlock()
		}
	})
	if failure != nil {
		t.fail(failure)
		if p != nil {
			x.postFailedMigration(t.ctx, p, failure)
		}
		return t.ref()
	}
	p.byDRS = byDRS
	x.postMigrationStart(t.ctx, p)
	t.safely(func() { x.runRelocation(t, p) })
	return t.ref()
}

// relocationTime is how long a relocation runs: -vmotion-time for a running VM, else
// vcsim's task delay for relocations when one is set (-method-delay RelocateVm:ms or
// RelocateVM_Task:ms, which delay every relocation as in stock vcsim).
func (x *Extension) relocationTime(p *plan) time.Duration {
	if d := x.opts.VMotionTime; d > 0 && p.move.hot() {
		return d
	}
	for _, name := range []string{"RelocateVM_Task", "RelocateVm"} {
		if ms := simulator.TaskDelay.MethodDelay[name]; ms > 0 {
			return time.Duration(ms) * time.Millisecond
		}
	}
	return 0
}

// progressTick is how often a delayed relocation updates its progress.
const progressTick = 100 * time.Millisecond

// runRelocation waits out the demo time (progress rising), then applies the move.
func (x *Extension) runRelocation(t *labTask, p *plan) {
	defer func() {
		x.mu.Lock()
		if x.moving[p.move.vm.ref] == t.ref() {
			delete(x.moving, p.move.vm.ref)
		}
		x.mu.Unlock()
		x.notify()
	}()
	if d := x.relocationTime(p); d > 0 {
		start, last := time.Now(), int32(0)
		for elapsed := time.Duration(0); elapsed < d; elapsed = time.Since(start) {
			time.Sleep(min(progressTick, d-elapsed))
			if t.cancelled() {
				return
			}
			if pct := int32(time.Since(start) * 100 / d); pct > last && pct < 100 {
				last = pct
				t.progress(pct)
			}
		}
	}
	t.complete(func() (types.AnyType, *finding) {
		x.decide.Lock()
		defer x.decide.Unlock()
		if f := x.commit(t.ctx, p); f != nil {
			x.postFailedMigration(t.ctx, p, f)
			return nil, f
		}
		return nil, nil
	})
}

// planRelocation resolves a RelocateSpec against the inventory. A spec naming objects
// that do not exist or are of the wrong type is refused (InvalidArgument,
// ManagedObjectNotFound) with nothing changed.
func (x *Extension) planRelocation(ctx *simulator.Context, vmRef types.ManagedObjectReference, spec *types.VirtualMachineRelocateSpec) (*plan, *finding) {
	vm, ok := ctx.Map.Get(vmRef).(*simulator.VirtualMachine)
	if !ok {
		return nil, notFound("vm", vmRef)
	}
	vmf := x.vmFactsOf(ctx, vm)
	src := x.hostFactsOf(ctx, vmf.host)
	if src == nil {
		return nil, internalError(fmt.Sprintf("%s has no host", vmf.name))
	}
	p := &plan{vm: vm, pool: vmf.pool}
	m := &move{vm: vmf, src: src, dst: src, diskTargets: map[int32]string{}, targets: map[string]types.ManagedObjectReference{}}
	p.move = m
	x.mu.Lock()
	if task, busy := x.moving[vmRef]; busy {
		m.busy = &task
	}
	x.mu.Unlock()

	if spec.Pool != nil {
		if !isPool(ctx, *spec.Pool) {
			return nil, badRef(ctx, "spec.pool", *spec.Pool)
		}
		pool := *spec.Pool
		p.pool = &pool
	}
	if spec.Host != nil {
		if _, ok := ctx.Map.Get(*spec.Host).(*simulator.HostSystem); !ok {
			return nil, badRef(ctx, "spec.host", *spec.Host)
		}
		if m.dst = x.hostFactsOf(ctx, *spec.Host); m.dst == nil {
			return nil, badRef(ctx, "spec.host", *spec.Host)
		}
	}
	if f := x.resolveDeviceChange(ctx, p, spec.DeviceChange); f != nil {
		return p, f
	}
	if spec.Datastore != nil {
		name, f := datastoreName(ctx, "spec.datastore", *spec.Datastore)
		if f != nil {
			return p, f
		}
		m.targets[name] = *spec.Datastore
		m.configTarget = name
		for _, d := range vmf.disks {
			m.diskTargets[d.key] = name
		}
	}
	for _, loc := range spec.Disk {
		if !hasDisk(vmf, loc.DiskId) {
			return p, invalidArgument("spec.disk.diskId", fmt.Sprintf("%d is not a virtual disk of %s", loc.DiskId, vmf.name))
		}
		name, f := datastoreName(ctx, "spec.disk.datastore", loc.Datastore)
		if f != nil {
			return p, f
		}
		m.targets[name] = loc.Datastore
		m.diskTargets[loc.DiskId] = name
	}
	if spec.Folder != nil {
		if _, ok := ctx.Map.Get(*spec.Folder).(*simulator.Folder); !ok {
			return p, badRef(ctx, "spec.folder", *spec.Folder)
		}
		folder := *spec.Folder
		p.folder = &folder
	}
	if f := x.resolveHostAndPool(ctx, p, spec); f != nil {
		return p, f
	}
	return p, nil
}

// resolveHostAndPool applies RelocateSpec's host/pool rules: with no host, the VM stays
// on its host when the pool is on the same compute resource, goes to the standalone
// host of the pool, or to the host DRS picks in a DRS cluster (InvalidArgument without
// DRS); with a host and no pool, the host's root pool when the compute resource
// changes; a pool must belong to the host's compute resource.
func (x *Extension) resolveHostAndPool(ctx *simulator.Context, p *plan, spec *types.VirtualMachineRelocateSpec) *finding {
	m := p.move
	if spec.Host == nil && spec.Pool != nil {
		cr, ok := computeResourceOf(ctx, *spec.Pool)
		if !ok {
			return invalidArgument("spec.pool", "the pool belongs to no compute resource")
		}
		if cr == m.src.parent {
			return nil
		}
		hosts, _ := hostsOf(ctx, cr)
		if cr.Type == "ComputeResource" && len(hosts) == 1 {
			m.dst = x.hostFactsOf(ctx, hosts[0])
			return nil
		}
		c := x.clusterFactsOf(ctx, cr)
		if c == nil || !c.drs {
			return invalidArgument("spec.pool", "the pool's cluster does not have DRS enabled: give spec.host")
		}
		dst, refused := x.placeVM(ctx, c, m, nil)
		if dst == nil {
			return refusedEverywhere(m.vm, refused)
		}
		m.dst = dst
		return nil
	}
	if m.dst.parent != m.src.parent || spec.Pool != nil {
		_, root := hostsOf(ctx, m.dst.parent)
		if spec.Pool == nil {
			p.pool = root
			return nil
		}
		cr, ok := computeResourceOf(ctx, *spec.Pool)
		if !ok || cr != m.dst.parent {
			return invalidArgument("spec.pool", fmt.Sprintf("the pool is not a resource pool of %s's compute resource", m.dst.name))
		}
	}
	return nil
}

// refusedEverywhere is the fault when DRS found no host: the first host's first error.
func refusedEverywhere(vm *vmFacts, refused map[string][]*finding) *finding {
	for _, name := range sortedKeys(refused) {
		if f := firstError(refused[name]); f != nil {
			return f
		}
	}
	return invalidArgument("spec.pool", "no host of the cluster can run "+vm.name)
}

// resolveDeviceChange accepts what a migration may change on devices: the backing of
// a network adapter (govc vm.migrate -net). Anything else is refused.
func (x *Extension) resolveDeviceChange(ctx *simulator.Context, p *plan, changes []types.BaseVirtualDeviceConfigSpec) *finding {
	m := p.move
	m.nics = append([]nicFacts(nil), m.vm.nics...)
	for _, c := range changes {
		spec := c.GetVirtualDeviceConfigSpec()
		card, ok := spec.Device.(types.BaseVirtualEthernetCard)
		if !ok || spec.Operation != types.VirtualDeviceConfigSpecOperationEdit || spec.FileOperation != "" {
			return invalidArgument("spec.deviceChange", "a migration may only change the network of an existing network adapter")
		}
		dev := card.GetVirtualEthernetCard()
		found := false
		for i := range m.nics {
			if m.nics[i].key != dev.Key {
				continue
			}
			found = true
			n := m.nics[i]
			n.network, n.ref = "", nil
			x.completeNicBacking(ctx, dev.Backing)
			x.nicBacking(ctx, dev.Backing, &n)
			if n.ref != nil && ctx.Map.Get(*n.ref) == nil {
				return badRef(ctx, "spec.deviceChange.device.backing", *n.ref)
			}
			if n.ref == nil && n.network != "" {
				return invalidArgument("spec.deviceChange.device.backing", "network '"+n.network+"' not found")
			}
			m.nics[i] = n
			if p.nicChanges == nil {
				p.nicChanges = map[int32]types.BaseVirtualDeviceBackingInfo{}
			}
			p.nicChanges[dev.Key] = dev.Backing
		}
		if !found {
			return invalidArgument("spec.deviceChange.device.key", fmt.Sprintf("%d is not a network adapter of %s", dev.Key, m.vm.name))
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func hasDisk(vm *vmFacts, key int32) bool {
	for _, d := range vm.disks {
		if d.key == key {
			return true
		}
	}
	return false
}

func isPool(ctx *simulator.Context, ref types.ManagedObjectReference) bool {
	switch ctx.Map.Get(ref).(type) {
	case *simulator.ResourcePool, *simulator.VirtualApp:
		return true
	}
	return false
}

// datastoreName returns the name of a datastore reference, or the fault for a bad one.
func datastoreName(ctx *simulator.Context, property string, ref types.ManagedObjectReference) (string, *finding) {
	ds, ok := ctx.Map.Get(ref).(*simulator.Datastore)
	if !ok {
		return "", badRef(ctx, property, ref)
	}
	name := ""
	ctx.WithLock(ds, func() { name = ds.Name })
	return name, nil
}

// badRef is the fault for a reference to nothing (ManagedObjectNotFound) or to an
// object of the wrong type (InvalidArgument).
func badRef(ctx *simulator.Context, property string, ref types.ManagedObjectReference) *finding {
	if ctx.Map.Get(ref) == nil {
		return notFound(property, ref)
	}
	return invalidArgument(property, fmt.Sprintf("%s is a %s", ref.Value, ref.Type))
}
