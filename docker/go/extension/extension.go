// Package extension adds the vCenter behaviour the vMotion Lab Kit teaches to govmomi's
// vCenter simulator (vcsim) without forking it.
//
// vcsim v0.56.0 lacks the vMotion APIs (no SelectVnicForNicType, no EVC manager, no
// DRS recommendations) and accepts any RelocateVM_Task. Install wires the kit's
// behaviour into a created (or loaded) model through vcsim's two extension points:
//
//   - the Registry.Handler hook (routing.go) sends the calls the kit serves to proxy
//     objects of ours, registered in the registry, whose Go methods do the work;
//   - a RegisterObject handler (registry_hooks.go) follows objects as they are added or
//     changed: new hosts get their profile, power-ons set a VM's CPU baseline, tasks
//     get their WSDL names.
//
// The registry's own objects are never replaced (vcsim type-asserts them everywhere).
// Rules decide (relocate_rules.go, cluster_evc_manager.go's checks), the rest applies
// their verdicts. docker/go/README.md documents every API, fault and message.
package extension

import (
	"errors"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// FullNameSuffix is appended to About.FullName, after vcsim's " (govmomi simulator)".
const FullNameSuffix = " with the vMotion Lab Kit extension"

// Options configures the extension.
type Options struct {
	ProfilePath string        // JSON host profile (host_profile.go); "" = no profile
	VMotionTime time.Duration // demo mode: each relocation of a powered-on VM takes this long, progress rising; 0 = immediate
}

// Extension holds the kit's vCenter state next to vcsim's registry.
//
// Locking: decide serialises the decisions (rules evaluated, outcome applied) so two
// clients never act on the same stale view; mu guards the maps below and is never held
// while an object lock is taken (object lock -> mu is the only order). Object locks
// are taken one at a time.
type Extension struct {
	opts    Options
	profile *Profile
	catalog *Catalog
	reg     *simulator.Registry
	self    types.ManagedObjectReference
	proxies map[string]types.ManagedObjectReference // managed object type -> its proxy

	decide sync.Mutex

	mu       sync.Mutex
	hosts    map[types.ManagedObjectReference]hostCPU                      // CPU facts per host
	vnicMgrs map[types.ManagedObjectReference]types.ManagedObjectReference // vnic manager -> host
	evc      map[types.ManagedObjectReference]*evcCluster                  // cluster -> its EVC mode and manager
	power    map[types.ManagedObjectReference]types.VirtualMachinePowerState
	moving   map[types.ManagedObjectReference]types.ManagedObjectReference // VM -> its relocation task
	entering map[types.ManagedObjectReference]*maintenanceRun              // host -> its enter task
	recs     map[types.ManagedObjectReference][]types.ClusterRecommendation
	recKey   int
	balanced map[types.ManagedObjectReference]int // cluster -> generation of its last DRS pass
	gen      int                                  // inventory generation, bumped by notify
	changed  chan struct{}                        // closed and replaced when the inventory changes
}

// Install adds the kit's vCenter behaviour to a created (or loaded) VPX model, before NewServer.
func Install(model *simulator.Model, opts Options) error {
	_, err := install(model, opts)
	return err
}

func install(model *simulator.Model, opts Options) (*Extension, error) {
	if model == nil || model.Service == nil {
		return nil, errors.New("extension: the model must be created (Model.Create or Model.Load) before Install")
	}
	reg := model.Map()
	if reg.IsESX() {
		return nil, errors.New("extension: the vMotion Lab Kit extension needs a vCenter (VPX) model, not -esx")
	}
	profile := &Profile{}
	if opts.ProfilePath != "" {
		p, err := LoadProfile(opts.ProfilePath)
		if err != nil {
			return nil, err
		}
		profile = p
	}
	x := &Extension{
		opts:     opts,
		profile:  profile,
		catalog:  DefaultCatalog(),
		reg:      reg,
		self:     types.ManagedObjectReference{Type: "VmotionLabExtension", Value: "vmotionlab-extension"},
		hosts:    map[types.ManagedObjectReference]hostCPU{},
		vnicMgrs: map[types.ManagedObjectReference]types.ManagedObjectReference{},
		evc:      map[types.ManagedObjectReference]*evcCluster{},
		power:    map[types.ManagedObjectReference]types.VirtualMachinePowerState{},
		moving:   map[types.ManagedObjectReference]types.ManagedObjectReference{},
		entering: map[types.ManagedObjectReference]*maintenanceRun{},
		recs:     map[types.ManagedObjectReference][]types.ClusterRecommendation{},
		balanced: map[types.ManagedObjectReference]int{},
		changed:  make(chan struct{}),
	}
	if err := profile.check(x.catalog); err != nil {
		return nil, err
	}
	ctx := model.Service.Context
	x.nameServer(ctx, model)
	x.registerProxies(ctx)
	x.adoptInventory(ctx)
	reg.AddHandler(x)
	reg.Handler = x.route
	return x, nil
}

// Reference makes the Extension a RegisterObject handler (registry_hooks.go).
func (x *Extension) Reference() types.ManagedObjectReference { return x.self }

// nameServer says in About.FullName that the simulator runs the kit's extension and
// publishes the EVC catalog in si.capability.supportedEVCMode.
func (x *Extension) nameServer(ctx *simulator.Context, model *simulator.Model) {
	model.ServiceContent.About.FullName += FullNameSuffix
	si := ctx.Map.Get(vim25.ServiceInstance).(*simulator.ServiceInstance)
	ctx.WithLock(si, func() {
		si.Content.About.FullName += FullNameSuffix
		si.Capability.SupportedEVCMode = x.catalog.EVCModes()
	})
}

// adoptInventory gives the objects the model already has what new ones get from the
// registry hooks: hosts their profile and vMotion NIC state, VMs their CPU baseline.
func (x *Extension) adoptInventory(ctx *simulator.Context) {
	for _, e := range ctx.Map.All("HostSystem") {
		if host, ok := e.(*simulator.HostSystem); ok {
			x.initHost(ctx, host)
		}
	}
	for _, e := range ctx.Map.All("VirtualMachine") {
		vm, ok := e.(*simulator.VirtualMachine)
		if !ok {
			continue
		}
		ctx.WithLock(vm, func() {
			setRuntimeEnums(vm)
			x.mu.Lock()
			x.power[vm.Self] = vm.Runtime.PowerState
			x.mu.Unlock()
			if vm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOff {
				x.setBaseline(ctx, vm, x.powerOnBaseline(ctx, vm))
			}
		})
	}
}

// decided runs f under decide (deferred unlock: a panic in f must not leave it held).
func (x *Extension) decided(f func()) {
	x.decide.Lock()
	defer x.decide.Unlock()
	f()
}

// notify wakes whoever waits for the inventory to change (maintenance mode).
func (x *Extension) notify() {
	x.mu.Lock()
	close(x.changed)
	x.changed = make(chan struct{})
	x.gen++
	x.mu.Unlock()
}

// changes returns a channel closed at the next inventory change.
func (x *Extension) changes() <-chan struct{} {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.changed
}

// detach returns a context of its own for work that outlives the call (a task's
// goroutine): same registry and session, its own lock ownership.
func detach(ctx *simulator.Context) *simulator.Context {
	bg := *ctx
	return &bg
}

// entityName returns the name of a registry entity, or its reference value.
func entityName(ctx *simulator.Context, ref types.ManagedObjectReference) string {
	if e, ok := ctx.Map.Get(ref).(mo.Entity); ok {
		name := ""
		ctx.WithLock(e, func() { name = e.Entity().Name })
		if name != "" {
			return name
		}
	}
	return ref.Value
}
