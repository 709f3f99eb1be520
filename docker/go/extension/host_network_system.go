package extension

import (
	"fmt"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// Standard port groups shared by name across hosts (docs/vsphere-facts.md §4): "vCenter
// Server assigns virtual machines to port groups based on matching network labels", so
// port groups of the same name on several hosts' standard switches are one network.
//
// vcsim makes each AddPortGroup a new datacenter Network and refuses a second port group
// of an existing name (DuplicateName); its RemovePortGroup deletes the Network even
// while other hosts have a port group of that name; neither updates the host's `network`.
// The kit serves both calls per host (N3-N6 in the README):
//
//   - AddPortGroup: the port group goes on the host's switch and the host joins the
//     datacenter's standard Network of that name (created when none exists); the host's
//     and the Network's lists follow. AlreadyExists when the host has that port group,
//     NotFound when it has no such switch, DuplicateName when another kind of network
//     (a distributed port group) has the name.
//   - RemovePortGroup: NotFound when the host has no such port group, ResourceInUse when
//     a VM on the host uses it; else it leaves the host, and the Network goes only when
//     no other host keeps a port group of that name.

// hostOfNetworkSystem returns the host a HostNetworkSystem belongs to, with the system.
func hostOfNetworkSystem(ctx *simulator.Context, ref types.ManagedObjectReference) (*simulator.HostSystem, *simulator.HostNetworkSystem) {
	ns, ok := ctx.Map.Get(ref).(*simulator.HostNetworkSystem)
	if !ok {
		return nil, nil
	}
	for _, e := range ctx.Map.All("HostSystem") {
		h, ok := e.(*simulator.HostSystem)
		if !ok {
			continue
		}
		var own bool
		ctx.WithLock(h, func() {
			own = h.ConfigManager.NetworkSystem != nil && *h.ConfigManager.NetworkSystem == ref
		})
		if own {
			return h, ns
		}
	}
	return nil, nil
}

// AddPortGroup adds a standard port group to one host.
func (p *netProxy) AddPortGroup(ctx *simulator.Context, req *types.AddPortGroup) soap.HasFault {
	body := new(methods.AddPortGroupBody)
	var f *finding
	p.x.decided(func() { f = p.x.addPortGroup(ctx, req) })
	if f != nil {
		body.Fault_ = f.soapFault()
		return body
	}
	p.x.notify()
	body.Res = new(types.AddPortGroupResponse)
	return body
}

// RemovePortGroup removes a standard port group from one host.
func (p *netProxy) RemovePortGroup(ctx *simulator.Context, req *types.RemovePortGroup) soap.HasFault {
	body := new(methods.RemovePortGroupBody)
	var f *finding
	p.x.decided(func() { f = p.x.removePortGroup(ctx, req) })
	if f != nil {
		body.Fault_ = f.soapFault()
		return body
	}
	p.x.notify()
	body.Res = new(types.RemovePortGroupResponse)
	return body
}

// addPortGroup applies AddPortGroup; decide is held.
func (x *Extension) addPortGroup(ctx *simulator.Context, req *types.AddPortGroup) *finding {
	host, ns := hostOfNetworkSystem(ctx, req.This)
	if host == nil {
		return notFound("this", req.This)
	}
	name := req.Portgrp.Name
	if name == "" {
		return invalidArgument("portgrp.name", "a port group needs a name")
	}
	var f *finding
	ctx.WithLock(ns, func() {
		info := ns.NetworkInfo
		switch {
		case info == nil || vswitchIndex(info, req.Portgrp.VswitchName) < 0:
			f = portGroupNotFound("virtual switch", req.Portgrp.VswitchName, host.Name)
		case portGroupIndex(info, name) >= 0:
			f = &finding{rule: "port-group", fault: &types.AlreadyExists{Name: name},
				msg: fmt.Sprintf("The specified key, name, or identifier '%s' already exists.", name)}
		}
	})
	if f != nil {
		return f
	}
	network, other := networkNamed(ctx, host, name)
	if other != nil {
		return &finding{rule: "port-group", fault: &types.DuplicateName{Name: name, Object: *other},
			msg: fmt.Sprintf("The name '%s' already exists.", name)}
	}
	if network == nil {
		// No network of that name yet: vcsim creates it, as it would for a first host.
		var res soap.HasFault
		ctx.WithLock(ns, func() {
			ns.NetworkInfo = copyNetworkInfo(ns.NetworkInfo)
			res = ns.AddPortGroup(ctx, req)
		})
		if f := vcsimFault(res); f != nil {
			return f
		}
		if network, _ = networkNamed(ctx, host, name); network == nil {
			return internalError("the port group's network was not created")
		}
	} else {
		ctx.WithLock(ns, func() {
			info := copyNetworkInfo(ns.NetworkInfo)
			sw := &info.Vswitch[vswitchIndex(info, req.Portgrp.VswitchName)]
			sw.Portgroup = append(sw.Portgroup, name)
			info.Portgroup = append(info.Portgroup, types.HostPortGroup{
				Key: "key-vim.host.PortGroup-" + name, Spec: req.Portgrp})
			ns.NetworkInfo = info
		})
	}
	x.syncHostPortGroups(ctx, host, ns)
	ref := network.Self
	ctx.WithLock(host, func() { ctx.Map.AddReference(ctx, host, &host.Network, ref) })
	ctx.WithLock(network, func() { ctx.Map.AddReference(ctx, network, &network.Host, host.Self) })
	var parent *types.ManagedObjectReference
	ctx.WithLock(host, func() { parent = host.Parent })
	if parent != nil {
		addComputeNetwork(ctx, ctx.Map.Get(*parent), ref)
	}
	return nil
}

// removePortGroup applies RemovePortGroup; decide is held.
func (x *Extension) removePortGroup(ctx *simulator.Context, req *types.RemovePortGroup) *finding {
	host, ns := hostOfNetworkSystem(ctx, req.This)
	if host == nil {
		return notFound("this", req.This)
	}
	name := req.PgName
	var found bool
	ctx.WithLock(ns, func() { found = ns.NetworkInfo != nil && portGroupIndex(ns.NetworkInfo, name) >= 0 })
	if !found {
		return portGroupNotFound("port group", name, host.Name)
	}
	network, _ := networkNamed(ctx, host, name)
	if vm := vmUsingNetwork(ctx, host, name); vm != "" {
		return &finding{rule: "port-group", fault: &types.ResourceInUse{Type: "Network", Name: name},
			msg: fmt.Sprintf("The resource '%s' is in use (%s uses it on %s).", name, vm, host.Name)}
	}
	if network != nil && !portGroupElsewhere(ctx, ns, name) {
		// The last host with it: vcsim removes the port group and its Network.
		x.dropHostNetwork(ctx, host, network)
		var res soap.HasFault
		ctx.WithLock(ns, func() {
			ns.NetworkInfo = copyNetworkInfo(ns.NetworkInfo)
			res = ns.RemovePortGroup(ctx, req)
		})
		if f := vcsimFault(res); f != nil {
			return f
		}
		x.syncHostPortGroups(ctx, host, ns)
		return nil
	}
	ctx.WithLock(ns, func() {
		info := copyNetworkInfo(ns.NetworkInfo)
		for i := range info.Vswitch {
			info.Vswitch[i].Portgroup = without(info.Vswitch[i].Portgroup, name)
		}
		if i := portGroupIndex(info, name); i >= 0 {
			info.Portgroup = append(info.Portgroup[:i], info.Portgroup[i+1:]...)
		}
		ns.NetworkInfo = info
	})
	x.syncHostPortGroups(ctx, host, ns)
	if network != nil {
		x.dropHostNetwork(ctx, host, network)
	}
	return nil
}

// dropHostNetwork removes a Network from the host's list and the host from the Network's.
func (x *Extension) dropHostNetwork(ctx *simulator.Context, host *simulator.HostSystem, network *mo.Network) {
	ref := network.Self
	ctx.WithLock(host, func() { ctx.Map.RemoveReference(ctx, host, &host.Network, ref) })
	ctx.WithLock(network, func() { ctx.Map.RemoveReference(ctx, network, &network.Host, host.Self) })
}

// syncHostPortGroups copies the network system's port groups into the host's
// config.network (what the host's own view and `govc host.portgroup.info` show).
func (x *Extension) syncHostPortGroups(ctx *simulator.Context, host *simulator.HostSystem, ns *simulator.HostNetworkSystem) {
	var groups []types.HostPortGroup
	ctx.WithLock(ns, func() {
		if ns.NetworkInfo != nil {
			groups = append(groups, ns.NetworkInfo.Portgroup...)
		}
	})
	ctx.WithLock(host, func() {
		if host.Config == nil || host.Config.Network == nil {
			return
		}
		network := *host.Config.Network // the template is shared between hosts: copy
		network.Portgroup = groups
		host.Config.Network = &network
	})
}

// networkNamed returns the standard Network named `name` in the host's datacenter, or
// the reference of another kind of network of that name.
func networkNamed(ctx *simulator.Context, host *simulator.HostSystem, name string) (*mo.Network, *types.ManagedObjectReference) {
	dc, ok := datacenterOf(ctx, host.Self)
	if !ok {
		return nil, nil
	}
	var refs []types.ManagedObjectReference
	if d, ok := ctx.Map.Get(dc).(*simulator.Datacenter); ok {
		ctx.WithLock(d, func() { refs = append(refs, d.Network...) })
	}
	for _, ref := range refs {
		switch n := ctx.Map.Get(ref).(type) {
		case *mo.Network:
			if n.Name == name {
				return n, nil
			}
		case mo.Entity:
			if n.Entity().Name == name {
				r := ref
				return nil, &r
			}
		}
	}
	return nil, nil
}

// vcsimFault returns the fault of a call vcsim answered, as a finding (nil when none).
func vcsimFault(res soap.HasFault) *finding {
	if res == nil || res.Fault() == nil {
		return nil
	}
	fault, ok := res.Fault().VimFault().(types.BaseMethodFault)
	if !ok {
		return internalError(res.Fault().String)
	}
	return &finding{rule: "port-group", fault: fault, msg: res.Fault().String}
}

// addComputeNetwork lists a network on the host's compute resource (cluster).
func addComputeNetwork(ctx *simulator.Context, cr mo.Reference, ref types.ManagedObjectReference) {
	switch c := cr.(type) {
	case *simulator.ClusterComputeResource:
		ctx.WithLock(c, func() { ctx.Map.AddReference(ctx, c, &c.Network, ref) })
	case *mo.ComputeResource:
		ctx.WithLock(c, func() { ctx.Map.AddReference(ctx, c, &c.Network, ref) })
	}
}

// portGroupElsewhere tells whether another host's network system has a port group `name`.
func portGroupElsewhere(ctx *simulator.Context, self *simulator.HostNetworkSystem, name string) bool {
	for _, r := range ctx.Map.AllReference("HostNetworkSystem") {
		ns, ok := r.(*simulator.HostNetworkSystem)
		if !ok || ns == self {
			continue
		}
		var has bool
		ctx.WithLock(ns, func() { has = ns.NetworkInfo != nil && portGroupIndex(ns.NetworkInfo, name) >= 0 })
		if has {
			return true
		}
	}
	return false
}

// vmUsingNetwork returns a VM on the host whose network adapter uses the network `name`.
func vmUsingNetwork(ctx *simulator.Context, host *simulator.HostSystem, name string) string {
	var vms []types.ManagedObjectReference
	ctx.WithLock(host, func() { vms = append(vms, host.Vm...) })
	for _, ref := range vms {
		vm, ok := ctx.Map.Get(ref).(*simulator.VirtualMachine)
		if !ok {
			continue
		}
		var uses bool
		var vmName string
		ctx.WithLock(vm, func() {
			vmName = vm.Name
			if vm.Config == nil {
				return
			}
			for _, d := range vm.Config.Hardware.Device {
				if nic, ok := d.(types.BaseVirtualEthernetCard); ok {
					if b, ok := nic.GetVirtualEthernetCard().Backing.(*types.VirtualEthernetCardNetworkBackingInfo); ok && b.DeviceName == name {
						uses = true
					}
				}
			}
		})
		if uses {
			return vmName
		}
	}
	return ""
}

func portGroupNotFound(kind, name, host string) *finding {
	return &finding{rule: "port-group", fault: &types.NotFound{},
		msg: fmt.Sprintf("The object or item referred to could not be found (%s '%s' on %s).", kind, name, host)}
}

func vswitchIndex(info *types.HostNetworkInfo, name string) int {
	for i, sw := range info.Vswitch {
		if sw.Name == name {
			return i
		}
	}
	return -1
}

func portGroupIndex(info *types.HostNetworkInfo, name string) int {
	for i, pg := range info.Portgroup {
		if pg.Spec.Name == name {
			return i
		}
	}
	return -1
}

// copyNetworkInfo returns a copy whose switch and port group lists can be changed
// without touching another host's (vcsim's templates share slices).
func copyNetworkInfo(in *types.HostNetworkInfo) *types.HostNetworkInfo {
	out := *in
	out.Vswitch = make([]types.HostVirtualSwitch, len(in.Vswitch))
	for i, sw := range in.Vswitch {
		sw.Portgroup = append([]string(nil), sw.Portgroup...)
		out.Vswitch[i] = sw
	}
	out.Portgroup = append([]types.HostPortGroup(nil), in.Portgroup...)
	return &out
}

func without(list []string, name string) []string {
	out := list[:0:0]
	for _, s := range list {
		if s != name {
			out = append(out, s)
		}
	}
	return out
}
