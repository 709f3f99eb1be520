package extension

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// Call routing: which SOAP methods the kit serves instead of vcsim.
//
// vcsim looks the target up, offers the call to Registry.Handler, then prefers the
// session's view of the target, so a handler returned by the hook would be ignored for
// logged-in clients. The hook therefore rewrites method.This to a proxy registered in
// the registry; the proxy's Go method (found by name, Foo_Task -> FooTask) reads the
// real target from the request body's This field. Proxies implement sync.Locker so
// that vcsim does not lock them: each method locks the real objects it touches.
// Routing only routes: the proxies' methods live with their concern.

// routes maps a managed object type to the methods the kit serves for it.
var routes = map[string]map[string]bool{
	"VirtualMachine": set("RelocateVM_Task", "MigrateVM_Task", "PowerOnVM_Task", "PowerOffVM_Task",
		"SuspendVM_Task", "ResetVM_Task", "Destroy_Task", "UnregisterVM", "ReconfigVM_Task"),
	"HostSystem":             set("EnterMaintenanceMode_Task", "ExitMaintenanceMode_Task"),
	"ClusterComputeResource": set("EvcManager", "RefreshRecommendation", "ApplyRecommendation", "CancelRecommendation", "AddHost_Task"),
	"HostVirtualNicManager":  set("SelectVnicForNicType", "DeselectVnicForNicType", "QueryNetConfig"),
	"HostNetworkSystem":      set("AddPortGroup", "RemovePortGroup"),
	"VirtualMachineProvisioningChecker": set("CheckRelocate_Task", "CheckMigrate_Task",
		"QueryVMotionCompatibilityEx_Task"),
	"Folder":     set("CreateVM_Task"),
	"Datacenter": set("PowerOnMultiVM_Task"),
}

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// proxy is the registry object a routed call is sent to.
type proxy struct {
	mo.ExtensibleManagedObject
	x *Extension
}

func (*proxy) Lock()   {}
func (*proxy) Unlock() {}

type (
	vmProxy         struct{ proxy } // VirtualMachine: relocate.go, vm_power.go, provisioning_guard.go
	hostProxy       struct{ proxy } // HostSystem: maintenance.go
	clusterProxy    struct{ proxy } // ClusterComputeResource: cluster_evc_manager.go, drs.go
	vnicProxy       struct{ proxy } // HostVirtualNicManager: host_vnic_manager.go
	netProxy        struct{ proxy } // HostNetworkSystem: host_network_system.go
	checkerProxy    struct{ proxy } // VirtualMachineProvisioningChecker: check_relocate.go
	folderProxy     struct{ proxy } // Folder: provisioning_guard.go
	datacenterProxy struct{ proxy } // Datacenter: vm_power.go
)

// registerProxies puts one proxy per routed type into the registry.
func (x *Extension) registerProxies(ctx *simulator.Context) {
	x.proxies = map[string]types.ManagedObjectReference{}
	add := func(kind string, p mo.Reference, base *proxy) {
		base.x = x
		base.Self = types.ManagedObjectReference{Type: "VmotionLabProxy", Value: "vmotionlab-proxy-" + kind}
		ctx.Map.Put(p)
		x.proxies[kind] = base.Self
	}
	vm, host, cluster := &vmProxy{}, &hostProxy{}, &clusterProxy{}
	vnic, checker, folder, net := &vnicProxy{}, &checkerProxy{}, &folderProxy{}, &netProxy{}
	dc := &datacenterProxy{}
	add("VirtualMachine", vm, &vm.proxy)
	add("HostSystem", host, &host.proxy)
	add("ClusterComputeResource", cluster, &cluster.proxy)
	add("HostVirtualNicManager", vnic, &vnic.proxy)
	add("HostNetworkSystem", net, &net.proxy)
	add("VirtualMachineProvisioningChecker", checker, &checker.proxy)
	add("Folder", folder, &folder.proxy)
	add("Datacenter", dc, &dc.proxy)
}

// route is the Registry.Handler hook: it sends the calls of routes to the proxies,
// and lets DRS run before a client reads cluster recommendations (drs.go).
func (x *Extension) route(ctx *simulator.Context, method *simulator.Method) (mo.Reference, types.BaseMethodFault) {
	if method.This.Type == "PropertyCollector" {
		x.beforeRead(ctx, method)
		return nil, nil
	}
	methods, ok := routes[method.This.Type]
	if !ok || !methods[method.Name] {
		return nil, nil
	}
	if ctx.Map.Get(method.This) == nil {
		return nil, nil // vcsim answers ManagedObjectNotFound
	}
	method.This = x.proxies[method.This.Type]
	return nil, nil
}
