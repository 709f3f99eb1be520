package extension

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// Facts: plain copies of what the rules read, taken object by object under each
// object's lock (never two locks at once), so rules run on data no one else writes.

type hostFacts struct {
	ref         types.ManagedObjectReference
	name        string
	parent      types.ManagedObjectReference // its compute resource
	cluster     *types.ManagedObjectReference
	connection  types.HostSystemConnectionState
	maintenance bool
	entering    bool
	datastores  map[string]types.ManagedObjectReference // mounted, by name
	networks    map[string]types.ManagedObjectReference // by name (port groups, DV port groups)
	netRefs     map[types.ManagedObjectReference]bool
	vmotion     []string // VMkernel adapters with the vMotion service
	vendor      string
	maxEVC      string
	cpuMhz      int64
	cores       int64
	memoryMB    int64
	vms         []types.ManagedObjectReference
}

type diskFacts struct {
	key    int32
	label  string
	chain  []string // the disk's file, then its parents'
	backer types.BaseVirtualDeviceBackingInfo
}

type mediaFacts struct {
	key       int32
	label     string
	file      string
	connected bool
}

type nicFacts struct {
	key       int32
	label     string
	network   string // port group name, or the DV port group's name
	ref       *types.ManagedObjectReference
	connected bool
}

type vmFacts struct {
	ref        types.ManagedObjectReference
	name       string
	power      types.VirtualMachinePowerState
	host       types.ManagedObjectReference
	pool       *types.ManagedObjectReference
	template   bool
	files      types.VirtualMachineFileInfo
	disks      []diskFacts
	media      []mediaFacts
	nics       []nicFacts
	baseline   string
	datastores []types.ManagedObjectReference
	cpus       int64
	memoryMB   int64
	cpuDemand  int64
	memDemand  int64
}

type clusterFacts struct {
	ref      types.ManagedObjectReference
	name     string
	hosts    []types.ManagedObjectReference
	pool     *types.ManagedObjectReference
	drs      bool
	behavior types.DrsBehavior
	evc      string
}

// dsName returns the datastore name of a "[ds] path" file name ("" if none).
func dsName(file string) string {
	var p object.DatastorePath
	if p.FromString(file) {
		return p.Datastore
	}
	return ""
}

// vmFactsOf copies a VM's facts.
func (x *Extension) vmFactsOf(ctx *simulator.Context, vm *simulator.VirtualMachine) *vmFacts {
	f := &vmFacts{ref: vm.Self}
	ctx.WithLock(vm, func() {
		f.name = vm.Name
		f.power = vm.Runtime.PowerState
		if vm.Runtime.Host != nil {
			f.host = *vm.Runtime.Host
		}
		if vm.ResourcePool != nil {
			p := *vm.ResourcePool
			f.pool = &p
		}
		f.baseline = vm.Runtime.MinRequiredEVCModeKey
		f.datastores = append(f.datastores, vm.Datastore...)
		f.cpuDemand = int64(vm.Summary.QuickStats.OverallCpuUsage)
		f.memDemand = int64(vm.Summary.QuickStats.GuestMemoryUsage)
		if vm.Config == nil {
			return
		}
		f.template = vm.Config.Template
		f.files = vm.Config.Files
		f.cpus = int64(vm.Config.Hardware.NumCPU)
		f.memoryMB = int64(vm.Config.Hardware.MemoryMB)
		count := map[string]int{}
		for _, d := range vm.Config.Hardware.Device {
			dev := d.GetVirtualDevice()
			label := deviceLabel(d, count)
			// A powered-off VM's devices are disconnected; what counts is whether they
			// connect when it powers on.
			connected := dev.Connectable == nil || dev.Connectable.Connected ||
				(f.power != types.VirtualMachinePowerStatePoweredOn && dev.Connectable.StartConnected)
			switch dev := d.(type) {
			case *types.VirtualDisk:
				f.disks = append(f.disks, diskFacts{key: dev.Key, label: label, chain: diskChain(dev.Backing), backer: dev.Backing})
			case *types.VirtualCdrom, *types.VirtualFloppy:
				if b, ok := dev.GetVirtualDevice().Backing.(types.BaseVirtualDeviceFileBackingInfo); ok {
					if file := b.GetVirtualDeviceFileBackingInfo().FileName; dsName(file) != "" {
						f.media = append(f.media, mediaFacts{key: dev.GetVirtualDevice().Key, label: label, file: file, connected: connected})
					}
				}
			case types.BaseVirtualEthernetCard:
				card := dev.GetVirtualEthernetCard()
				n := nicFacts{key: card.Key, label: label, connected: connected}
				x.nicBacking(ctx, card.Backing, &n)
				f.nics = append(f.nics, n)
			}
		}
	})
	return f
}

// deviceLabel returns a device's label as vCenter shows it ("Hard disk 1"); vcsim's own
// labels are its internal device names.
func deviceLabel(d types.BaseVirtualDevice, count map[string]int) string {
	kind := ""
	switch d.(type) {
	case *types.VirtualDisk:
		kind = "Hard disk"
	case *types.VirtualCdrom:
		kind = "CD/DVD drive"
	case *types.VirtualFloppy:
		kind = "Floppy drive"
	case types.BaseVirtualEthernetCard:
		kind = "Network adapter"
	default:
		return ""
	}
	count[kind]++
	return fmt.Sprintf("%s %d", kind, count[kind])
}

// nicBacking fills a NIC's network from its backing (names are read without lock:
// networks are only renamed by their own Rename_Task).
func (x *Extension) nicBacking(ctx *simulator.Context, backing types.BaseVirtualDeviceBackingInfo, n *nicFacts) {
	switch b := backing.(type) {
	case *types.VirtualEthernetCardNetworkBackingInfo:
		n.network = b.DeviceName
		if b.Network != nil {
			r := *b.Network
			n.ref = &r
		}
	case *types.VirtualEthernetCardDistributedVirtualPortBackingInfo:
		r := types.ManagedObjectReference{Type: "DistributedVirtualPortgroup", Value: b.Port.PortgroupKey}
		n.ref = &r
		n.network = b.Port.PortgroupKey
		if pg, ok := ctx.Map.Get(r).(*simulator.DistributedVirtualPortgroup); ok {
			n.network = pg.Name
		}
	case *types.VirtualEthernetCardOpaqueNetworkBackingInfo:
		n.network = "" // opaque networks are not checked
	}
}

// diskChain returns a disk's file and its parents' files.
func diskChain(b types.BaseVirtualDeviceBackingInfo) []string {
	var chain []string
	for b != nil {
		fb, ok := b.(types.BaseVirtualDeviceFileBackingInfo)
		if !ok {
			break
		}
		chain = append(chain, fb.GetVirtualDeviceFileBackingInfo().FileName)
		b = diskParent(b)
	}
	return chain
}

// diskParent returns the parent backing of a disk backing, or nil.
func diskParent(b types.BaseVirtualDeviceBackingInfo) types.BaseVirtualDeviceBackingInfo {
	switch t := b.(type) {
	case *types.VirtualDiskFlatVer2BackingInfo:
		if t.Parent != nil {
			return t.Parent
		}
	case *types.VirtualDiskFlatVer1BackingInfo:
		if t.Parent != nil {
			return t.Parent
		}
	case *types.VirtualDiskSeSparseBackingInfo:
		if t.Parent != nil {
			return t.Parent
		}
	case *types.VirtualDiskSparseVer1BackingInfo:
		if t.Parent != nil {
			return t.Parent
		}
	case *types.VirtualDiskSparseVer2BackingInfo:
		if t.Parent != nil {
			return t.Parent
		}
	}
	return nil
}

// configDatastore returns the datastore of the VM's configuration file.
func (f *vmFacts) configDatastore() string { return dsName(f.files.VmPathName) }

// vmxPath returns the configuration file's path ("[ds] dir/name.vmx").
func (f *vmFacts) vmxPath() string {
	p := f.files.VmPathName
	if path.Ext(p) == ".vmx" {
		return p
	}
	return strings.TrimRight(p, "/") + "/" + f.name + ".vmx"
}

// hostFactsOf copies a host's facts.
func (x *Extension) hostFactsOf(ctx *simulator.Context, ref types.ManagedObjectReference) *hostFacts {
	host, ok := ctx.Map.Get(ref).(*simulator.HostSystem)
	if !ok {
		return nil
	}
	h := &hostFacts{ref: ref, datastores: map[string]types.ManagedObjectReference{},
		networks: map[string]types.ManagedObjectReference{}, netRefs: map[types.ManagedObjectReference]bool{}}
	var dsRefs, netRefs []types.ManagedObjectReference
	var netsys *types.ManagedObjectReference
	ctx.WithLock(host, func() {
		netsys = host.ConfigManager.NetworkSystem
		h.name = host.Name
		if host.Parent != nil {
			h.parent = *host.Parent
		}
		h.connection = host.Runtime.ConnectionState
		h.maintenance = host.Runtime.InMaintenanceMode
		dsRefs = append(dsRefs, host.Datastore...)
		netRefs = append(netRefs, host.Network...)
		h.vms = append(h.vms, host.Vm...)
		h.vmotion = selectedDevices(netConfig(host, string(types.HostVirtualNicManagerNicTypeVmotion)))
		h.maxEVC = host.Summary.MaxEVCModeKey
		if hw := host.Summary.Hardware; hw != nil {
			h.cpuMhz = int64(hw.CpuMhz)
			h.cores = int64(hw.NumCpuCores)
			h.memoryMB = hw.MemorySize >> 20
		}
	})
	if cpu, ok := x.hostCPUOf(ref); ok {
		h.vendor = cpu.vendor
		if h.maxEVC == "" {
			h.maxEVC = cpu.maxEVC
		}
	}
	if h.parent.Type == "ClusterComputeResource" {
		c := h.parent
		h.cluster = &c
	}
	x.mu.Lock()
	_, h.entering = x.entering[ref]
	x.mu.Unlock()
	for _, r := range dsRefs {
		if ds, ok := ctx.Map.Get(r).(*simulator.Datastore); ok {
			ctx.WithLock(ds, func() { h.datastores[ds.Name] = r })
		}
	}
	// A standard port group of the host is a network of that name on it.
	if netsys != nil {
		if ns, ok := ctx.Map.Get(*netsys).(*simulator.HostNetworkSystem); ok {
			ctx.WithLock(ns, func() {
				if ns.NetworkInfo != nil {
					for _, pg := range ns.NetworkInfo.Portgroup {
						h.networks[pg.Spec.Name] = types.ManagedObjectReference{}
					}
				}
			})
		}
	}
	for _, r := range netRefs {
		h.netRefs[r] = true
		switch n := ctx.Map.Get(r).(type) {
		case *mo.Network:
			ctx.WithLock(n, func() { h.networks[n.Name] = r })
		case *simulator.DistributedVirtualPortgroup:
			ctx.WithLock(n, func() { h.networks[n.Name] = r })
		case *mo.OpaqueNetwork:
			ctx.WithLock(n, func() { h.networks[n.Name] = r })
		}
	}
	return h
}

// usable tells whether DRS may place VMs on the host.
func (h *hostFacts) usable() bool {
	return h.connection == types.HostSystemConnectionStateConnected && !h.maintenance && !h.entering
}

// clusterFactsOf copies a cluster's facts (nil if ref is not a cluster).
func (x *Extension) clusterFactsOf(ctx *simulator.Context, ref types.ManagedObjectReference) *clusterFacts {
	c, ok := ctx.Map.Get(ref).(*simulator.ClusterComputeResource)
	if !ok {
		return nil
	}
	f := &clusterFacts{ref: ref}
	ctx.WithLock(c, func() {
		f.name = c.Name
		f.hosts = append(f.hosts, c.Host...)
		if c.ResourcePool != nil {
			p := *c.ResourcePool
			f.pool = &p
		}
		if cfg, ok := c.ConfigurationEx.(*types.ClusterConfigInfoEx); ok {
			f.drs = cfg.DrsConfig.Enabled != nil && *cfg.DrsConfig.Enabled
			f.behavior = cfg.DrsConfig.DefaultVmBehavior
		}
	})
	f.evc = x.clusterMode(ref)
	sort.Slice(f.hosts, func(i, j int) bool { return f.hosts[i].Value < f.hosts[j].Value })
	return f
}

// computeResourceOf returns the compute resource owning a resource pool.
func computeResourceOf(ctx *simulator.Context, pool types.ManagedObjectReference) (types.ManagedObjectReference, bool) {
	for i := 0; i < 64; i++ {
		obj := ctx.Map.Get(pool)
		var parent *types.ManagedObjectReference
		switch p := obj.(type) {
		case *simulator.ResourcePool:
			ctx.WithLock(p, func() { parent = p.Parent })
		case *simulator.VirtualApp:
			ctx.WithLock(p, func() { parent = p.Parent })
		default:
			return types.ManagedObjectReference{}, false
		}
		if parent == nil {
			return types.ManagedObjectReference{}, false
		}
		if parent.Type == "ComputeResource" || parent.Type == "ClusterComputeResource" {
			return *parent, true
		}
		pool = *parent
	}
	return types.ManagedObjectReference{}, false
}

// hostsOf returns a compute resource's hosts and root pool.
func hostsOf(ctx *simulator.Context, cr types.ManagedObjectReference) ([]types.ManagedObjectReference, *types.ManagedObjectReference) {
	var hosts []types.ManagedObjectReference
	var pool *types.ManagedObjectReference
	switch c := ctx.Map.Get(cr).(type) {
	case *simulator.ClusterComputeResource:
		ctx.WithLock(c, func() {
			hosts = append(hosts, c.Host...)
			pool = c.ResourcePool
		})
	case *mo.ComputeResource:
		ctx.WithLock(c, func() {
			hosts = append(hosts, c.Host...)
			pool = c.ResourcePool
		})
	}
	if pool != nil {
		p := *pool
		pool = &p
	}
	return hosts, pool
}

// allVMs returns every VM in the registry.
func allVMs(ctx *simulator.Context) []*simulator.VirtualMachine {
	var vms []*simulator.VirtualMachine
	for _, e := range ctx.Map.All("VirtualMachine") {
		if vm, ok := e.(*simulator.VirtualMachine); ok {
			vms = append(vms, vm)
		}
	}
	sort.Slice(vms, func(i, j int) bool { return vms[i].Self.Value < vms[j].Self.Value })
	return vms
}
