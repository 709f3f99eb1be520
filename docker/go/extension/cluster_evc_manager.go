package extension

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// EVC (docs/vsphere-facts.md §2): cluster.EvcManager() returns the cluster's
// ClusterEVCManager, a registered object with evcState, ConfigureEvcMode_Task,
// CheckConfigureEvcMode_Task and DisableEvcMode_Task. The cluster's
// summary.currentEVCModeKey and its hosts' summary.currentEVCModeKey follow the mode.
// Raising the mode while VMs run is allowed; running VMs keep their baseline until
// they are powered off (vm_power.go). A host joining an EVC cluster must support its
// mode (AddHost_Task).
//
// Refusals of ConfigureEvcMode_Task, first one wins (CheckConfigureEvcMode_Task lists
// them all): InvalidArgument (unknown mode), DisconnectedHostsBlockingEVC,
// EVCModeIllegalByVendor, EVCModeUnsupportedByHosts, ActiveVMsBlockingEVC.

// EVCManager is a cluster's ClusterEVCManager.
type EVCManager struct {
	mo.ClusterEVCManager
	x *Extension
}

// clusterMode returns a cluster's EVC mode ("" when EVC is off).
func (x *Extension) clusterMode(cluster types.ManagedObjectReference) string {
	x.mu.Lock()
	defer x.mu.Unlock()
	if m, ok := x.evc[cluster]; ok {
		return m.mode
	}
	return ""
}

// EvcManager serves ClusterComputeResource.EvcManager().
func (p *clusterProxy) EvcManager(ctx *simulator.Context, req *types.EvcManager) soap.HasFault {
	ref := p.x.evcManager(ctx, req.This).Self
	return &methods.EvcManagerBody{Res: &types.EvcManagerResponse{Returnval: &ref}}
}

// evcManager returns (creating it on first use) a cluster's EVC manager.
func (x *Extension) evcManager(ctx *simulator.Context, cluster types.ManagedObjectReference) *EVCManager {
	x.mu.Lock()
	m, ok := x.evc[cluster]
	if !ok {
		m = &evcCluster{}
		x.evc[cluster] = m
	}
	mgr := m.manager
	x.mu.Unlock()
	if mgr != nil {
		return mgr
	}
	mgr = &EVCManager{x: x}
	mgr.Self = types.ManagedObjectReference{Type: "ClusterEVCManager"}
	mgr.ManagedCluster = cluster
	mgr.EvcState = x.evcState(x.clusterMode(cluster))
	x.mu.Lock()
	if m.manager == nil {
		m.manager = mgr
		x.mu.Unlock()
		ctx.Map.Put(mgr)
		return mgr
	}
	mgr = m.manager
	x.mu.Unlock()
	return mgr
}

// evcCluster is a cluster's EVC mode and manager.
type evcCluster struct {
	mode    string
	manager *EVCManager
}

// evcState returns the EVCState for a mode.
func (x *Extension) evcState(mode string) types.ClusterEVCManagerEVCState {
	st := types.ClusterEVCManagerEVCState{SupportedEVCMode: x.catalog.EVCModes(), CurrentEVCModeKey: mode}
	if mode != "" {
		m := x.catalog.EVCMode(mode)
		st.GuaranteedCPUFeatures = m.GuaranteedCPUFeatures
		st.FeatureCapability = m.FeatureCapability
		st.FeatureMask = m.FeatureMask
		st.FeatureRequirement = m.FeatureRequirement
	}
	return st
}

// ConfigureEvcModeTask enables EVC or changes its mode.
func (m *EVCManager) ConfigureEvcModeTask(ctx *simulator.Context, req *types.ConfigureEvcMode_Task) soap.HasFault {
	x := m.x
	t := startTask(ctx, &m.ManagedCluster, entityName(ctx, m.ManagedCluster), "ConfigureEvcMode_Task", "cluster.EVCManager.configureEvc", false)
	defer t.recoverInto()
	var found []*finding
	x.decided(func() {
		if found = x.evcFindings(ctx, m.ManagedCluster, req.EvcModeKey); len(found) == 0 {
			x.applyEVC(ctx, m, req.EvcModeKey)
		}
	})
	if len(found) > 0 {
		t.fail(found[0])
	} else {
		t.succeed(nil)
	}
	return &methods.ConfigureEvcMode_TaskBody{Res: &types.ConfigureEvcMode_TaskResponse{Returnval: t.ref()}}
}

// CheckConfigureEvcModeTask lists what ConfigureEvcMode_Task would refuse.
func (m *EVCManager) CheckConfigureEvcModeTask(ctx *simulator.Context, req *types.CheckConfigureEvcMode_Task) soap.HasFault {
	x := m.x
	t := startTask(ctx, &m.ManagedCluster, entityName(ctx, m.ManagedCluster), "CheckConfigureEvcMode_Task", "cluster.EVCManager.checkConfigureEvc", false)
	defer t.recoverInto()
	var found []*finding
	x.decided(func() { found = x.evcFindings(ctx, m.ManagedCluster, req.EvcModeKey) })
	if len(found) > 0 && found[0].rule == ruleSpec {
		t.fail(found[0])
	} else {
		var results types.ArrayOfClusterEVCManagerCheckResult
		for _, f := range found {
			results.ClusterEVCManagerCheckResult = append(results.ClusterEVCManagerCheckResult,
				types.ClusterEVCManagerCheckResult{EvcModeKey: req.EvcModeKey, Error: *f.localized(), Host: faultHosts(f)})
		}
		t.succeed(results)
	}
	return &methods.CheckConfigureEvcMode_TaskBody{Res: &types.CheckConfigureEvcMode_TaskResponse{Returnval: t.ref()}}
}

// DisableEvcModeTask turns EVC off; running VMs keep their baseline.
func (m *EVCManager) DisableEvcModeTask(ctx *simulator.Context, req *types.DisableEvcMode_Task) soap.HasFault {
	x := m.x
	t := startTask(ctx, &m.ManagedCluster, entityName(ctx, m.ManagedCluster), "DisableEvcMode_Task", "cluster.EVCManager.disableEvc", false)
	defer t.recoverInto()
	x.decided(func() { x.applyEVC(ctx, m, "") })
	t.succeed(nil)
	return &methods.DisableEvcMode_TaskBody{Res: &types.DisableEvcMode_TaskResponse{Returnval: t.ref()}}
}

// evcFindings returns the refusals of mode for the cluster, in rule order.
func (x *Extension) evcFindings(ctx *simulator.Context, cluster types.ManagedObjectReference, mode string) []*finding {
	want, ok := x.catalog.Mode(mode)
	if !ok {
		return []*finding{invalidArgument("evcModeKey", fmt.Sprintf("'%s' is not an EVC mode; modes: %s", mode, strings.Join(x.catalog.Keys(""), ", ")))}
	}
	c := x.clusterFactsOf(ctx, cluster)
	if c == nil {
		return []*finding{notFound("this", cluster)}
	}
	var hosts []*hostFacts
	for _, ref := range c.hosts {
		if h := x.hostFactsOf(ctx, ref); h != nil {
			hosts = append(hosts, h)
		}
	}
	var found []*finding
	var disconnected, unsupported []*hostFacts
	var vendors []string
	for _, h := range hosts {
		if h.connection != types.HostSystemConnectionStateConnected {
			disconnected = append(disconnected, h)
		}
		if h.vendor != "" && h.vendor != want.Vendor && !contains(vendors, h.vendor) {
			vendors = append(vendors, h.vendor)
		}
		if !x.catalog.Contains(h.maxEVC, mode) {
			unsupported = append(unsupported, h)
		}
	}
	if len(disconnected) > 0 {
		_, names, _ := hostLists(disconnected, nil)
		f := evcDisconnectedHosts(names)
		found = append(found, f)
	}
	if len(vendors) > 0 {
		sort.Strings(vendors)
		found = append(found, evcIllegalByVendor(mode, want.Vendor, vendors[0]))
	} else if len(unsupported) > 0 {
		found = append(found, evcUnsupportedByHosts(mode, unsupported))
	}
	if f := x.activeVMsBlocking(ctx, mode, hosts); f != nil {
		found = append(found, f)
	}
	return found
}

// activeVMsBlocking finds powered-on or suspended VMs whose baseline the mode lacks.
func (x *Extension) activeVMsBlocking(ctx *simulator.Context, mode string, hosts []*hostFacts) *finding {
	var blocking []*hostFacts
	var detail []string
	for _, h := range hosts {
		var vms []string
		for _, ref := range h.vms {
			vm, ok := ctx.Map.Get(ref).(*simulator.VirtualMachine)
			if !ok {
				continue
			}
			var name, baseline string
			var power types.VirtualMachinePowerState
			ctx.WithLock(vm, func() { name, baseline, power = vm.Name, vm.Runtime.MinRequiredEVCModeKey, vm.Runtime.PowerState })
			if power != types.VirtualMachinePowerStatePoweredOff && baseline != "" && !x.catalog.Contains(mode, baseline) {
				vms = append(vms, fmt.Sprintf("%s (%s)", name, baseline))
			}
		}
		if len(vms) > 0 {
			sort.Strings(vms)
			blocking = append(blocking, h)
			detail = append(detail, h.name+": "+strings.Join(vms, ", "))
		}
	}
	if len(blocking) == 0 {
		return nil
	}
	sort.Strings(detail)
	return evcActiveVMs(mode, blocking, strings.Join(detail, "; "))
}

// applyEVC sets the mode on the cluster, its hosts and its EVC manager; decide is held.
func (x *Extension) applyEVC(ctx *simulator.Context, m *EVCManager, mode string) {
	x.mu.Lock()
	x.evc[m.ManagedCluster].mode = mode
	x.mu.Unlock()
	state := x.evcState(mode)
	ctx.WithLock(m, func() {
		m.EvcState = state
		ctx.Update(m, []types.PropertyChange{{Name: "evcState", Val: state}})
	})
	cluster, ok := ctx.Map.Get(m.ManagedCluster).(*simulator.ClusterComputeResource)
	if !ok {
		return
	}
	var hosts []types.ManagedObjectReference
	ctx.WithLock(cluster, func() {
		hosts = append(hosts, cluster.Host...)
		if s, ok := cluster.Summary.(*types.ClusterComputeResourceSummary); ok {
			s.CurrentEVCModeKey = mode
			ctx.Update(cluster, []types.PropertyChange{{Name: "summary", Val: s}})
		}
	})
	for _, ref := range hosts {
		if h, ok := ctx.Map.Get(ref).(*simulator.HostSystem); ok {
			ctx.WithLock(h, func() {
				ctx.Update(h, []types.PropertyChange{{Name: "summary.currentEVCModeKey", Val: mode}})
			})
		}
	}
	x.notify()
}

// faultHosts returns the hosts an EVC fault names.
func faultHosts(f *finding) []types.ManagedObjectReference {
	switch e := f.fault.(type) {
	case *types.EVCModeUnsupportedByHosts:
		return e.Host
	case *types.ActiveVMsBlockingEVC:
		return e.Host
	}
	return nil
}

// AddHostTask refuses a host whose CPU cannot run the cluster's EVC mode
// (EVCAdmissionFailed...), then lets vcsim add it.
func (p *clusterProxy) AddHostTask(ctx *simulator.Context, req *types.AddHost_Task) soap.HasFault {
	x := p.x
	if mode := x.clusterMode(req.This); mode != "" {
		hp := x.profile.For(req.Spec.HostName)
		want, _ := x.catalog.Mode(mode)
		var f *finding
		if hp.CPUVendor != want.Vendor {
			f = evcAdmissionCPUVendor(want.Vendor, hp.CPUVendor)
		} else if !x.catalog.Contains(hp.MaxEVCMode, mode) {
			f = evcAdmissionCPUModel(mode)
		}
		if f != nil {
			t := startTask(ctx, &req.This, entityName(ctx, req.This), "AddHost_Task", "ClusterComputeResource.addHost", false)
			t.fail(f)
			return &methods.AddHost_TaskBody{Res: &types.AddHost_TaskResponse{Returnval: t.ref()}}
		}
	}
	cluster, ok := ctx.Map.Get(req.This).(*simulator.ClusterComputeResource)
	if !ok {
		return &methods.AddHost_TaskBody{Fault_: notFound("this", req.This).soapFault()}
	}
	var res soap.HasFault
	ctx.WithLock(cluster, func() { res = cluster.AddHostTask(ctx, req) })
	return res
}
