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

// The vMotion service of VMkernel adapters (docs/vsphere-facts.md §1): per host,
// HostVirtualNicManager.SelectVnicForNicType / DeselectVnicForNicType / QueryNetConfig.
//
// The host's config.virtualNicManagerInfo is the truth; the manager's `info`, the
// host's config.vmotion and summary.config.vmotionEnabled, and the network system's
// vmknic list (what `govc host.vnic.info` prints) are kept in step with it. vcsim
// shares one NIC-type template between hosts and lists a vmk1 that does not exist;
// each host's candidates are rebuilt from its own config.network.vnic.

// vnicKey is the key of a device in a nic type's NetConfig (govc matches on it).
func vnicKey(nicType, device string) string {
	return nicType + ".key-vim.host.VirtualNic-" + device
}

// setVnicIP sets a VMkernel adapter's IPv4 address in the host's network config.
func setVnicIP(host *simulator.HostSystem, device, ip string) {
	if host.Config == nil || host.Config.Network == nil {
		return
	}
	for i := range host.Config.Network.Vnic {
		v := &host.Config.Network.Vnic[i]
		if v.Device != device {
			continue
		}
		spec := types.HostIpConfig{}
		if v.Spec.Ip != nil {
			spec = *v.Spec.Ip
		}
		spec.IpAddress = ip
		spec.Dhcp = false
		if spec.SubnetMask == "" || spec.SubnetMask == "255.0.0.0" {
			spec.SubnetMask = "255.255.255.0"
		}
		v.Spec.Ip = &spec
	}
}

// rebuildNetConfig lists the host's own VMkernel adapters as candidates of every nic
// type; `management` keeps vmk0, vmotion selects `vmotion` (none by default).
func rebuildNetConfig(host *simulator.HostSystem, vmotion []string) {
	cfg := host.Config
	if cfg == nil || cfg.Network == nil {
		return
	}
	if cfg.VirtualNicManagerInfo == nil {
		cfg.VirtualNicManagerInfo = &types.HostVirtualNicManagerInfo{}
	}
	vnics := cfg.Network.Vnic
	has := map[string]bool{}
	for _, v := range vnics {
		has[v.Device] = true
	}
	for i := range cfg.VirtualNicManagerInfo.NetConfig {
		nc := &cfg.VirtualNicManagerInfo.NetConfig[i]
		nc.CandidateVnic = nil
		for _, v := range vnics {
			c := copyVnic(v)
			c.Key = vnicKey(nc.NicType, v.Device)
			nc.CandidateVnic = append(nc.CandidateVnic, c)
		}
		var selected []string
		switch nc.NicType {
		case string(types.HostVirtualNicManagerNicTypeManagement):
			if has["vmk0"] {
				selected = []string{vnicKey(nc.NicType, "vmk0")}
			}
		case string(types.HostVirtualNicManagerNicTypeVmotion):
			for _, d := range vmotion {
				if has[d] {
					selected = append(selected, vnicKey(nc.NicType, d))
				}
			}
		default:
			for _, k := range nc.SelectedVnic {
				if d := strings.TrimPrefix(k, nc.NicType+".key-vim.host.VirtualNic-"); has[d] {
					selected = append(selected, k)
				}
			}
		}
		nc.SelectedVnic = selected
	}
	syncVMotionInfo(host)
}

func copyVnic(v types.HostVirtualNic) types.HostVirtualNic {
	c := v
	if v.Spec.Ip != nil {
		ip := *v.Spec.Ip
		c.Spec.Ip = &ip
	}
	return c
}

// netConfig returns a host's NetConfig of a nic type, or nil.
func netConfig(host *simulator.HostSystem, nicType string) *types.VirtualNicManagerNetConfig {
	if host.Config == nil || host.Config.VirtualNicManagerInfo == nil {
		return nil
	}
	for i := range host.Config.VirtualNicManagerInfo.NetConfig {
		if host.Config.VirtualNicManagerInfo.NetConfig[i].NicType == nicType {
			return &host.Config.VirtualNicManagerInfo.NetConfig[i]
		}
	}
	return nil
}

// selectedDevices returns the devices selected for a nic type.
func selectedDevices(nc *types.VirtualNicManagerNetConfig) []string {
	if nc == nil {
		return nil
	}
	var devices []string
	for _, k := range nc.SelectedVnic {
		for _, c := range nc.CandidateVnic {
			if c.Key == k {
				devices = append(devices, c.Device)
			}
		}
	}
	sort.Strings(devices)
	return devices
}

// syncVMotionInfo mirrors the vmotion selection into config.vmotion and
// summary.config.vmotionEnabled.
func syncVMotionInfo(host *simulator.HostSystem) {
	devices := selectedDevices(netConfig(host, string(types.HostVirtualNicManagerNicTypeVmotion)))
	host.Summary.Config.VmotionEnabled = len(devices) > 0
	if host.Config.Vmotion == nil {
		host.Config.Vmotion = &types.HostVMotionInfo{}
	}
	nc := &types.HostVMotionNetConfig{}
	for _, v := range host.Config.Network.Vnic {
		c := copyVnic(v)
		c.Key = "VMotionConfig.vmotion." + v.Key
		nc.CandidateVnic = append(nc.CandidateVnic, c)
		if len(devices) > 0 && devices[0] == v.Device {
			nc.SelectedVnic = c.Key
			host.Config.Vmotion.IpConfig = c.Spec.Ip
		}
	}
	if len(devices) == 0 {
		host.Config.Vmotion.IpConfig = nil
	}
	host.Config.Vmotion.NetConfig = nc
}

// syncNicViews copies the host's NIC state into its HostVirtualNicManager.info and
// its HostNetworkSystem's vmknic list.
func (x *Extension) syncNicViews(ctx *simulator.Context, host *simulator.HostSystem) {
	var info []types.VirtualNicManagerNetConfig
	var vnics []types.HostVirtualNic
	var mgr, netsys *types.ManagedObjectReference
	ctx.WithLock(host, func() {
		if host.Config != nil && host.Config.VirtualNicManagerInfo != nil {
			for _, nc := range host.Config.VirtualNicManagerInfo.NetConfig {
				c := nc
				c.CandidateVnic = nil
				for _, v := range nc.CandidateVnic {
					c.CandidateVnic = append(c.CandidateVnic, copyVnic(v))
				}
				c.SelectedVnic = append([]string(nil), nc.SelectedVnic...)
				info = append(info, c)
			}
		}
		if host.Config != nil && host.Config.Network != nil {
			for _, v := range host.Config.Network.Vnic {
				vnics = append(vnics, copyVnic(v))
			}
		}
		mgr = host.ConfigManager.VirtualNicManager
		netsys = host.ConfigManager.NetworkSystem
	})
	if mgr != nil {
		x.mu.Lock()
		x.vnicMgrs[*mgr] = host.Self
		x.mu.Unlock()
		if obj := ctx.Map.Get(*mgr); obj != nil {
			update(ctx, obj, func() {
				if m := vnicManagerMO(obj); m != nil {
					m.Info.NetConfig = info
				}
			})
		}
	}
	if netsys != nil {
		if obj := ctx.Map.Get(*netsys); obj != nil {
			update(ctx, obj, func() {
				if ns, ok := obj.(*simulator.HostNetworkSystem); ok && ns.NetworkInfo != nil {
					ns.NetworkInfo.Vnic = vnics
				}
			})
		}
	}
}

// vnicManagerMO returns the managed object of vcsim's manager or of a loaded one.
func vnicManagerMO(obj mo.Reference) *mo.HostVirtualNicManager {
	switch m := obj.(type) {
	case *simulator.HostVirtualNicManager:
		return &m.HostVirtualNicManager
	case *mo.HostVirtualNicManager:
		return m
	}
	return nil
}

// hostOfVnicManager returns the host a HostVirtualNicManager belongs to.
func (x *Extension) hostOfVnicManager(ctx *simulator.Context, mgr types.ManagedObjectReference) *simulator.HostSystem {
	x.mu.Lock()
	ref, ok := x.vnicMgrs[mgr]
	x.mu.Unlock()
	if ok {
		if h, ok := ctx.Map.Get(ref).(*simulator.HostSystem); ok {
			return h
		}
	}
	return nil
}

// QueryNetConfig returns the host's NetConfig of a nic type.
func (p *vnicProxy) QueryNetConfig(ctx *simulator.Context, req *types.QueryNetConfig) soap.HasFault {
	body := new(methods.QueryNetConfigBody)
	host := p.x.hostOfVnicManager(ctx, req.This)
	if host == nil {
		body.Fault_ = notFound("this", req.This).soapFault()
		return body
	}
	ctx.WithLock(host, func() {
		nc := netConfig(host, req.NicType)
		if nc == nil {
			body.Fault_ = unknownNicType(host, req.NicType).soapFault()
			return
		}
		c := *nc
		c.CandidateVnic = append([]types.HostVirtualNic(nil), nc.CandidateVnic...)
		c.SelectedVnic = append([]string(nil), nc.SelectedVnic...)
		body.Res = &types.QueryNetConfigResponse{Returnval: &c}
	})
	return body
}

// SelectVnicForNicType enables a nic type (e.g. vmotion) on a VMkernel adapter.
func (p *vnicProxy) SelectVnicForNicType(ctx *simulator.Context, req *types.SelectVnicForNicType) soap.HasFault {
	body := new(methods.SelectVnicForNicTypeBody)
	if f := p.x.selectVnic(ctx, req.This, req.NicType, req.Device, true); f != nil {
		body.Fault_ = f.soapFault()
	} else {
		body.Res = new(types.SelectVnicForNicTypeResponse)
	}
	return body
}

// DeselectVnicForNicType disables a nic type on a VMkernel adapter.
func (p *vnicProxy) DeselectVnicForNicType(ctx *simulator.Context, req *types.DeselectVnicForNicType) soap.HasFault {
	body := new(methods.DeselectVnicForNicTypeBody)
	if f := p.x.selectVnic(ctx, req.This, req.NicType, req.Device, false); f != nil {
		body.Fault_ = f.soapFault()
	} else {
		body.Res = new(types.DeselectVnicForNicTypeResponse)
	}
	return body
}

// selectVnic applies a selection: "Selecting a device automatically deselects the
// previous selection if multiSelectAllowed is false" (docs/vsphere-facts.md §1).
func (x *Extension) selectVnic(ctx *simulator.Context, mgr types.ManagedObjectReference, nicType, device string, on bool) *finding {
	host := x.hostOfVnicManager(ctx, mgr)
	if host == nil {
		return notFound("this", mgr)
	}
	var f *finding
	x.decided(func() { f = x.applySelection(ctx, host, nicType, device, on) })
	if f == nil {
		x.syncNicViews(ctx, host)
		x.notify()
	}
	return f
}

// applySelection changes a nic type's selection on the host; decide is held.
func (x *Extension) applySelection(ctx *simulator.Context, host *simulator.HostSystem, nicType, device string, on bool) *finding {
	var f *finding
	ctx.WithLock(host, func() {
		nc := netConfig(host, nicType)
		if nc == nil {
			f = unknownNicType(host, nicType)
			return
		}
		if !hasVnic(host, device) {
			f = unknownVnic(host, device)
			return
		}
		key := vnicKey(nicType, device)
		var selected []string
		for _, k := range nc.SelectedVnic {
			if k != key && (nc.MultiSelectAllowed || !on) {
				selected = append(selected, k)
			}
		}
		if on {
			selected = append(selected, key)
			sort.Strings(selected)
		}
		update(ctx, host, func() {
			nc.SelectedVnic = selected
			syncVMotionInfo(host)
		})
	})
	return f
}

func hasVnic(host *simulator.HostSystem, device string) bool {
	if host.Config == nil || host.Config.Network == nil {
		return false
	}
	for _, v := range host.Config.Network.Vnic {
		if v.Device == device {
			return true
		}
	}
	return false
}

func unknownNicType(host *simulator.HostSystem, nicType string) *finding {
	var known []string
	if host.Config != nil && host.Config.VirtualNicManagerInfo != nil {
		for _, nc := range host.Config.VirtualNicManagerInfo.NetConfig {
			known = append(known, nc.NicType)
		}
	}
	sort.Strings(known)
	return invalidArgument("nicType", fmt.Sprintf("'%s' is not a VMkernel NIC type of %s; known: %s", nicType, host.Name, strings.Join(known, ", ")))
}

func unknownVnic(host *simulator.HostSystem, device string) *finding {
	var known []string
	if host.Config != nil && host.Config.Network != nil {
		for _, v := range host.Config.Network.Vnic {
			known = append(known, v.Device)
		}
	}
	return invalidArgument("device", fmt.Sprintf("%s has no VMkernel adapter '%s'; its adapters: %s", host.Name, device, strings.Join(known, ", ")))
}
