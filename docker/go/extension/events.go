package extension

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// Events the kit posts (docs/vsphere-facts.md §5-§6). vcsim formats the message of the
// event types it has a template for; the others get vCenter's wording here
// (UNCONFIRMED where the README says so). vcsim's VmBeingMigratedEvent template does
// not parse, so that event type is never posted.

// postEvents posts events under the EventManager's lock, as vcsim does.
func postEvents(ctx *simulator.Context, events ...types.BaseEvent) {
	m := ctx.Map.EventManager()
	ctx.WithLock(m, func() {
		for _, e := range events {
			m.PostEvent(ctx, &types.PostEvent{EventToPost: e})
		}
	})
}

// eventPlace is where an event happens: datacenter, compute resource, host, datastore.
type eventPlace struct {
	dc   *types.DatacenterEventArgument
	cr   *types.ComputeResourceEventArgument
	host *types.HostEventArgument
	ds   *types.DatastoreEventArgument
}

// placeOf describes a host (and, when given, a datastore) for an event.
func placeOf(ctx *simulator.Context, h *hostFacts, dsName string, stores map[string]dsInfo) eventPlace {
	p := eventPlace{host: &types.HostEventArgument{EntityEventArgument: types.EntityEventArgument{Name: h.name}, Host: h.ref}}
	if name := entityName(ctx, h.parent); h.parent.Value != "" {
		p.cr = &types.ComputeResourceEventArgument{EntityEventArgument: types.EntityEventArgument{Name: name}, ComputeResource: h.parent}
	}
	if dc, ok := datacenterOf(ctx, h.ref); ok {
		p.dc = &types.DatacenterEventArgument{EntityEventArgument: types.EntityEventArgument{Name: entityName(ctx, dc)}, Datacenter: dc}
	}
	if ds, ok := stores[dsName]; ok {
		p.ds = &types.DatastoreEventArgument{EntityEventArgument: types.EntityEventArgument{Name: dsName}, Datastore: ds.ref}
	}
	return p
}

// datacenterOf walks up the inventory to the entity's datacenter.
func datacenterOf(ctx *simulator.Context, ref types.ManagedObjectReference) (types.ManagedObjectReference, bool) {
	for i := 0; i < 64; i++ {
		if ref.Type == "Datacenter" {
			return ref, true
		}
		e, ok := ctx.Map.Get(ref).(mo.Entity)
		if !ok {
			return ref, false
		}
		var parent *types.ManagedObjectReference
		ctx.WithLock(e, func() { parent = e.Entity().Parent })
		if parent == nil {
			return ref, false
		}
		ref = *parent
	}
	return ref, false
}

func vmEvent(vm *vmFacts, at eventPlace, msg string) types.VmEvent {
	return types.VmEvent{Event: types.Event{
		Datacenter: at.dc, ComputeResource: at.cr, Host: at.host, Ds: at.ds,
		Vm:                   &types.VmEventArgument{EntityEventArgument: types.EntityEventArgument{Name: vm.name}, Vm: vm.ref},
		FullFormattedMessage: msg,
	}}
}

func hostEvent(at eventPlace) types.HostEvent {
	return types.HostEvent{Event: types.Event{Datacenter: at.dc, ComputeResource: at.cr, Host: at.host}}
}

func argName[T any](a *T, name func(*T) string) string {
	if a == nil {
		return ""
	}
	return name(a)
}

func dsLabel(a *types.DatastoreEventArgument) string {
	return argName(a, func(a *types.DatastoreEventArgument) string { return a.Name })
}

func dcLabel(a *types.DatacenterEventArgument) string {
	return argName(a, func(a *types.DatacenterEventArgument) string { return a.Name })
}

// movePlaces returns where a move starts and where it ends (its configuration file's
// datastore after the move).
func (x *Extension) movePlaces(ctx *simulator.Context, m *move) (from, to eventPlace) {
	stores := x.datastoresByName(ctx, m.src, m.dst)
	toDS := m.vm.configDatastore()
	if m.configTarget != "" {
		toDS = m.configTarget
	}
	return placeOf(ctx, m.src, m.vm.configDatastore(), stores), placeOf(ctx, m.dst, toDS, stores)
}

// postMigrationStart posts VmBeingHotMigratedEvent (a running VM) or
// VmBeingRelocatedEvent (a cold migration).
func (x *Extension) postMigrationStart(ctx *simulator.Context, p *plan) {
	m := p.move
	from, to := x.movePlaces(ctx, m)
	msg := fmt.Sprintf("Migrating %s from %s, %s in %s to %s, %s in %s", m.vm.name, m.src.name, dsLabel(from.ds), dcLabel(from.dc),
		m.dst.name, dsLabel(to.ds), dcLabel(to.dc))
	if m.hot() {
		postEvents(ctx, &types.VmBeingHotMigratedEvent{VmEvent: vmEvent(m.vm, from, msg), DestHost: *to.host, DestDatacenter: to.dc, DestDatastore: to.ds})
		return
	}
	msg = fmt.Sprintf("Relocating %s from %s, %s in %s to %s, %s in %s", m.vm.name, m.src.name, dsLabel(from.ds), dcLabel(from.dc),
		m.dst.name, dsLabel(to.ds), dcLabel(to.dc))
	postEvents(ctx, &types.VmBeingRelocatedEvent{VmRelocateSpecEvent: types.VmRelocateSpecEvent{VmEvent: vmEvent(m.vm, from, msg)},
		DestHost: *to.host, DestDatacenter: to.dc, DestDatastore: to.ds})
}

// postMigrated posts VmMigratedEvent (DrsVmMigratedEvent when DRS moved the VM),
// naming the real source and destination.
func (x *Extension) postMigrated(ctx *simulator.Context, p *plan, src, dst *hostFacts, oldDS string, stores map[string]dsInfo) {
	var newDS string
	ctx.WithLock(p.vm, func() { newDS = dsName(p.vm.Config.Files.VmPathName) })
	from := placeOf(ctx, src, oldDS, stores)
	to := placeOf(ctx, dst, newDS, stores)
	e := types.VmMigratedEvent{VmEvent: vmEvent(p.move.vm, to, ""), SourceHost: *from.host, SourceDatacenter: from.dc, SourceDatastore: from.ds}
	if p.byDRS {
		postEvents(ctx, &types.DrsVmMigratedEvent{VmMigratedEvent: e})
		return
	}
	postEvents(ctx, &e)
}

// postFailedMigration posts VmFailedMigrateEvent with the refusal.
func (x *Extension) postFailedMigration(ctx *simulator.Context, p *plan, f *finding) {
	m := p.move
	if m == nil || m.src == nil || m.dst == nil {
		return
	}
	from, to := x.movePlaces(ctx, m)
	msg := fmt.Sprintf("Cannot migrate %s from %s, %s to %s, %s in %s: %s", m.vm.name, m.src.name, dsLabel(from.ds),
		m.dst.name, dsLabel(to.ds), dcLabel(from.dc), f.msg)
	postEvents(ctx, &types.VmFailedMigrateEvent{VmEvent: vmEvent(m.vm, from, msg), DestHost: *to.host,
		Reason: *f.localized(), DestDatacenter: to.dc, DestDatastore: to.ds})
}
