package extension

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// DRS (docs/vsphere-facts.md §6): cluster.recommendation, RefreshRecommendation,
// ApplyRecommendation, CancelRecommendation, and the placements maintenance mode and
// RelocateSpec(pool only) need. vcsim has no DRS engine; this one is MODELLED on
// lablib's ClusterModel (lablib/vmotion/drs.py): a host's load is the mean of its CPU
// and memory demand over capacity (a VM's demand is its quick stats, else its vCPUs at
// the host's core speed and its memory); DRS moves a VM from the most to the least
// loaded host while that narrows the gap by at least MinGain. Only VMs that pass the
// migration rules are recommended ("recommendations may only be made if the VM can be
// vMotioned"); none when DRS is off. With DRS fully automated a refresh applies the
// moves at once, as DRS's next pass would.

// MinGain is the least narrowing of the load gap a balancing move must bring.
const MinGain = 0.05

// clusterModel is a cluster as DRS weighs it.
type clusterModel struct {
	x        *Extension
	cluster  *clusterFacts
	hosts    map[types.ManagedObjectReference]*hostFacts
	usable   []*hostFacts
	vms      map[types.ManagedObjectReference]*vmFacts // powered on
	where    map[types.ManagedObjectReference]types.ManagedObjectReference
	capacity map[types.ManagedObjectReference][2]float64
}

// modelOf reads a cluster's hosts and powered-on VMs.
func (x *Extension) modelOf(ctx *simulator.Context, c *clusterFacts) *clusterModel {
	cm := &clusterModel{x: x, cluster: c, hosts: map[types.ManagedObjectReference]*hostFacts{},
		vms: map[types.ManagedObjectReference]*vmFacts{}, where: map[types.ManagedObjectReference]types.ManagedObjectReference{},
		capacity: map[types.ManagedObjectReference][2]float64{}}
	for _, ref := range c.hosts {
		h := x.hostFactsOf(ctx, ref)
		if h == nil {
			continue
		}
		cm.hosts[ref] = h
		if h.usable() {
			cm.usable = append(cm.usable, h)
		}
		cm.capacity[ref] = [2]float64{maxf(1, float64(h.cpuMhz*h.cores)), maxf(1, float64(h.memoryMB))}
		for _, vmRef := range h.vms {
			vm, ok := ctx.Map.Get(vmRef).(*simulator.VirtualMachine)
			if !ok {
				continue
			}
			f := x.vmFactsOf(ctx, vm)
			if f.power == types.VirtualMachinePowerStatePoweredOn && f.host == ref {
				cm.vms[vmRef] = f
				cm.where[vmRef] = ref
			}
		}
	}
	return cm
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// demand returns a VM's (CPU MHz, memory MB) demand.
func (cm *clusterModel) demand(vm *vmFacts) (float64, float64) {
	cpu, mem := float64(vm.cpuDemand), float64(vm.memDemand)
	if cpu == 0 {
		if h := cm.hosts[cm.where[vm.ref]]; h != nil {
			cpu = float64(vm.cpus * h.cpuMhz)
		}
	}
	if mem == 0 {
		mem = float64(vm.memoryMB)
	}
	return cpu, mem
}

// load returns a host's load: the mean of its CPU and memory demand over capacity.
func (cm *clusterModel) load(host types.ManagedObjectReference) float64 {
	var cpu, mem float64
	for vm, at := range cm.where {
		if at == host {
			c, m := cm.demand(cm.vms[vm])
			cpu += c
			mem += m
		}
	}
	capacity := cm.capacity[host]
	return (cpu/capacity[0] + mem/capacity[1]) / 2
}

// gap returns the load gap between the most and the least loaded usable host.
func (cm *clusterModel) gap() float64 {
	if len(cm.usable) == 0 {
		return 0
	}
	lo, hi := 1e18, -1e18
	for _, h := range cm.usable {
		l := cm.load(h.ref)
		if l < lo {
			lo = l
		}
		if l > hi {
			hi = l
		}
	}
	return hi - lo
}

// byLoad returns the usable hosts, least loaded first.
func (cm *clusterModel) byLoad() []*hostFacts {
	hosts := append([]*hostFacts(nil), cm.usable...)
	sort.SliceStable(hosts, func(i, j int) bool {
		li, lj := cm.load(hosts[i].ref), cm.load(hosts[j].ref)
		if li != lj {
			return li < lj
		}
		return hosts[i].name < hosts[j].name
	})
	return hosts
}

// computeMove returns the compute-only move of vm to dst.
func computeMove(vm *vmFacts, src, dst *hostFacts) *move {
	return &move{vm: vm, src: src, dst: dst, diskTargets: map[int32]string{}, targets: map[string]types.ManagedObjectReference{}, nics: vm.nics}
}

// passes tells whether the rules accept the move (the relocation in progress of the
// VM is ignored: DRS plans around it).
func (x *Extension) passes(m *move) []*finding {
	var errs []*finding
	for _, f := range x.catalog.check(m) {
		if !f.warning && f.rule != ruleBusy {
			errs = append(errs, f)
		}
	}
	return errs
}

// placeVM returns the least loaded usable host of the cluster that the rules accept
// for base's VM (base's storage targets kept), and every refusal by host name.
func (x *Extension) placeVM(ctx *simulator.Context, c *clusterFacts, base *move, avoid *types.ManagedObjectReference) (*hostFacts, map[string][]*finding) {
	cm := x.modelOf(ctx, c)
	refused := map[string][]*finding{}
	for _, h := range cm.byLoad() {
		if (avoid != nil && h.ref == *avoid) || h.ref == base.src.ref {
			continue
		}
		m := *base
		m.dst = h
		if errs := x.passes(&m); len(errs) > 0 {
			refused[h.name] = errs
			continue
		}
		return h, refused
	}
	return nil, refused
}

// balance returns the moves that narrow the cluster's load gap, best first.
func (cm *clusterModel) balance() []types.ClusterRecommendation {
	var recs []types.ClusterRecommendation
	for i := 0; i < len(cm.vms); i++ {
		hosts := cm.byLoad()
		if len(hosts) < 2 {
			break
		}
		cool, hot, gap := hosts[0], hosts[len(hosts)-1], cm.gap()
		var best *vmFacts
		bestGap := gap - MinGain
		for _, ref := range sortedRefs(cm.where) {
			vm := cm.vms[ref]
			if cm.where[ref] != hot.ref || len(cm.x.passes(computeMove(vm, hot, cool))) > 0 {
				continue
			}
			cm.where[ref] = cool.ref
			after := cm.gap()
			cm.where[ref] = hot.ref
			if after < bestGap {
				best, bestGap = vm, after
			}
		}
		if best == nil {
			break
		}
		hotBefore, coolBefore := cm.load(hot.ref), cm.load(cool.ref)
		cm.where[best.ref] = cool.ref
		reason := "fairnessCpuAvg"
		text := "Balance average CPU loads."
		if c, m := cm.demand(best); m/cm.capacity[hot.ref][1] > c/cm.capacity[hot.ref][0] {
			reason, text = "fairnessMemAvg", "Balance average memory loads."
		}
		text += fmt.Sprintf(" (modelled load: %s %.0f%% -> %.0f%%, %s %.0f%% -> %.0f%%)", hot.name, hotBefore*100, cm.load(hot.ref)*100,
			cool.name, coolBefore*100, cm.load(cool.ref)*100)
		recs = append(recs, recommendation(cm.cluster.ref, best.ref, hot.ref, cool.ref, reason, text, 3))
	}
	return recs
}

func sortedRefs(m map[types.ManagedObjectReference]types.ManagedObjectReference) []types.ManagedObjectReference {
	refs := make([]types.ManagedObjectReference, 0, len(m))
	for r := range m {
		refs = append(refs, r)
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Value < refs[j].Value })
	return refs
}

// recommendation builds a DRS migration recommendation (its key is set when stored).
func recommendation(cluster, vm, src, dst types.ManagedObjectReference, reason, text string, rating int32) types.ClusterRecommendation {
	now := time.Now()
	target := vm
	c := cluster
	return types.ClusterRecommendation{
		Type: "V1", Time: now, Rating: rating, Reason: reason, ReasonText: text, Target: &c,
		Action: []types.BaseClusterAction{&types.ClusterMigrationAction{
			ClusterAction: types.ClusterAction{Type: "migration", Target: &target},
			DrsMigration:  &types.ClusterDrsMigration{Time: now, Vm: vm, Source: src, Destination: dst},
		}},
	}
}

// migrationOf returns a recommendation's (vm, source, destination).
func migrationOf(r types.ClusterRecommendation) (vm, src, dst types.ManagedObjectReference, ok bool) {
	for _, a := range r.Action {
		if m, isMove := a.(*types.ClusterMigrationAction); isMove && m.DrsMigration != nil {
			return m.DrsMigration.Vm, m.DrsMigration.Source, m.DrsMigration.Destination, true
		}
	}
	return vm, src, dst, false
}

// storeRecommendations replaces a cluster's recommendations of the given reasons
// (nil: all) with recs, keeping the key of a recommendation already listed, and
// publishes cluster.recommendation.
func (x *Extension) storeRecommendations(ctx *simulator.Context, cluster types.ManagedObjectReference, recs []types.ClusterRecommendation, replace func(types.ClusterRecommendation) bool) {
	x.mu.Lock()
	old := x.recs[cluster]
	var next []types.ClusterRecommendation
	for _, r := range old {
		if !replace(r) {
			next = append(next, r)
		}
	}
	for _, r := range recs {
		vm, src, dst, _ := migrationOf(r)
		r.Key = ""
		for _, o := range old {
			if ovm, osrc, odst, _ := migrationOf(o); o.Reason == r.Reason && ovm == vm && osrc == src && odst == dst {
				r.Key = o.Key
				r.Time = o.Time
			}
		}
		if r.Key == "" {
			x.recKey++
			r.Key = strconv.Itoa(x.recKey)
		}
		if m, ok := r.Action[0].(*types.ClusterMigrationAction); ok {
			m.DrsMigration.Key = r.Key
		}
		next = append(next, r)
	}
	x.recs[cluster] = next
	list := append([]types.ClusterRecommendation(nil), next...)
	x.mu.Unlock()
	if !reflect.DeepEqual(old, next) {
		x.publishRecommendations(ctx, cluster, list)
	}
}

func (x *Extension) publishRecommendations(ctx *simulator.Context, cluster types.ManagedObjectReference, list []types.ClusterRecommendation) {
	c, ok := ctx.Map.Get(cluster).(*simulator.ClusterComputeResource)
	if !ok {
		return
	}
	ctx.WithLock(c, func() {
		ctx.Update(c, []types.PropertyChange{{Name: "recommendation", Val: list}})
	})
}

// takeRecommendation removes and returns a recommendation by key.
func (x *Extension) takeRecommendation(ctx *simulator.Context, cluster types.ManagedObjectReference, key string) (types.ClusterRecommendation, bool) {
	x.mu.Lock()
	var found *types.ClusterRecommendation
	var rest []types.ClusterRecommendation
	for _, r := range x.recs[cluster] {
		if r.Key == key && found == nil {
			r := r
			found = &r
			continue
		}
		rest = append(rest, r)
	}
	x.recs[cluster] = rest
	list := append([]types.ClusterRecommendation(nil), rest...)
	x.mu.Unlock()
	if found == nil {
		return types.ClusterRecommendation{}, false
	}
	x.publishRecommendations(ctx, cluster, list)
	return *found, true
}

// beforeRead runs DRS's balancing pass before a client reads a cluster's
// recommendation, as vCenter's DRS has run since the last change by the time a client
// looks (it runs every few minutes and on inventory events). A read is a
// RetrieveProperties(Ex) naming it, a filter created on it (govc object.collect without
// -o starts so), or a wait or check for updates of a collector holding such a filter.
func (x *Extension) beforeRead(ctx *simulator.Context, method *simulator.Method) {
	var specs []types.PropertyFilterSpec
	switch req := method.Body.(type) {
	case *types.RetrievePropertiesEx:
		specs = req.SpecSet
	case *types.RetrieveProperties:
		specs = req.SpecSet
	case *types.CreateFilter:
		specs = []types.PropertyFilterSpec{req.Spec}
	case *types.WaitForUpdatesEx, *types.WaitForUpdates, *types.CheckForUpdates:
		specs = filterSpecs(ctx, method.This)
	default:
		return
	}
	for _, spec := range specs {
		for _, ps := range spec.PropSet {
			if ps.Type == "ClusterComputeResource" && (isTrue(ps.All) || contains(ps.PathSet, "recommendation")) {
				for _, e := range ctx.Map.All("ClusterComputeResource") {
					x.balancePass(ctx, e.Reference())
				}
				return
			}
		}
	}
}

// filterSpecs returns the specs of a property collector's filters.
func filterSpecs(ctx *simulator.Context, collector types.ManagedObjectReference) []types.PropertyFilterSpec {
	if ctx.Session == nil {
		return nil
	}
	pc, ok := ctx.Session.Get(collector).(*simulator.PropertyCollector)
	if !ok {
		return nil
	}
	var refs []types.ManagedObjectReference
	ctx.WithLock(pc, func() { refs = append(refs, pc.Filter...) })
	var specs []types.PropertyFilterSpec
	for _, ref := range refs {
		if f, ok := ctx.Session.Get(ref).(*simulator.PropertyFilter); ok {
			ctx.WithLock(f, func() { specs = append(specs, f.Spec) })
		}
	}
	return specs
}

func isTrue(b *bool) bool { return b != nil && *b }

// balancePass recomputes a cluster's balancing recommendations (DRS manual or
// partially automated; none when DRS is off; a fully automated DRS applies its moves
// only when asked to refresh).
func (x *Extension) balancePass(ctx *simulator.Context, cluster types.ManagedObjectReference) {
	x.mu.Lock()
	gen, done := x.gen, x.balanced[cluster] == x.gen
	x.balanced[cluster] = gen
	x.mu.Unlock()
	if done {
		return // nothing changed since the last pass (a cancelled recommendation stays away)
	}
	c := x.clusterFactsOf(ctx, cluster)
	if c == nil {
		return
	}
	if !c.drs {
		x.storeRecommendations(ctx, cluster, nil, func(types.ClusterRecommendation) bool { return true })
		return
	}
	var recs []types.ClusterRecommendation
	if c.behavior != types.DrsBehaviorFullyAutomated { // fully automated lists none: it acts
		x.decided(func() { recs = x.modelOf(ctx, c).balance() })
	}
	x.storeRecommendations(ctx, cluster, recs, func(r types.ClusterRecommendation) bool { return r.Reason != "hostMaint" })
}

// RefreshRecommendation recomputes the cluster's recommendations.
func (p *clusterProxy) RefreshRecommendation(ctx *simulator.Context, req *types.RefreshRecommendation) soap.HasFault {
	p.x.refresh(ctx, req.This)
	return &methods.RefreshRecommendationBody{Res: new(types.RefreshRecommendationResponse)}
}

// refresh recomputes balancing and maintenance recommendations (fully automated: applies them).
func (x *Extension) refresh(ctx *simulator.Context, cluster types.ManagedObjectReference) {
	c := x.clusterFactsOf(ctx, cluster)
	if c == nil {
		return
	}
	all := func(types.ClusterRecommendation) bool { return true }
	if !c.drs {
		x.storeRecommendations(ctx, cluster, nil, all)
		return
	}
	var recs []types.ClusterRecommendation
	x.decided(func() { recs = x.modelOf(ctx, c).balance() })
	if c.behavior == types.DrsBehaviorFullyAutomated {
		x.storeRecommendations(ctx, cluster, nil, func(r types.ClusterRecommendation) bool { return r.Reason != "hostMaint" })
		for _, r := range recs {
			x.applyMigration(ctx, r)
		}
		x.notify() // let maintenance runs act too
		return
	}
	x.storeRecommendations(ctx, cluster, recs, func(r types.ClusterRecommendation) bool { return r.Reason != "hostMaint" })
	x.notify()
}

// ApplyRecommendation starts the recommendation's migration (a RelocateVM_Task by DRS).
func (p *clusterProxy) ApplyRecommendation(ctx *simulator.Context, req *types.ApplyRecommendation) soap.HasFault {
	body := new(methods.ApplyRecommendationBody)
	r, ok := p.x.takeRecommendation(ctx, req.This, req.Key)
	if !ok {
		body.Fault_ = invalidArgument("key", "no recommendation '"+req.Key+"' on this cluster").soapFault()
		return body
	}
	p.x.applyMigration(ctx, r)
	body.Res = new(types.ApplyRecommendationResponse)
	return body
}

// CancelRecommendation drops a recommendation.
func (p *clusterProxy) CancelRecommendation(ctx *simulator.Context, req *types.CancelRecommendation) soap.HasFault {
	body := new(methods.CancelRecommendationBody)
	if _, ok := p.x.takeRecommendation(ctx, req.This, req.Key); !ok {
		body.Fault_ = invalidArgument("key", "no recommendation '"+req.Key+"' on this cluster").soapFault()
		return body
	}
	body.Res = new(types.CancelRecommendationResponse)
	return body
}

// applyMigration relocates a recommendation's VM to its destination's root pool.
func (x *Extension) applyMigration(ctx *simulator.Context, r types.ClusterRecommendation) types.ManagedObjectReference {
	vm, _, dst, ok := migrationOf(r)
	if !ok {
		return types.ManagedObjectReference{}
	}
	spec := &types.VirtualMachineRelocateSpec{Host: &dst}
	if h, found := ctx.Map.Get(dst).(*simulator.HostSystem); found {
		var parent *types.ManagedObjectReference
		ctx.WithLock(h, func() { parent = h.Parent })
		if parent != nil {
			if _, pool := hostsOf(ctx, *parent); pool != nil {
				spec.Pool = pool
			}
		}
	}
	return x.relocate(ctx, vm, spec, "RelocateVM_Task", "VirtualMachine.relocate", true)
}
