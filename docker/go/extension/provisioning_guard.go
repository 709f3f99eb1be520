package extension

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// Guards for vcsim calls that crash the whole simulator on inconsistent input (a nil
// type assertion or rand.Intn(0) in a task goroutine): CreateVM_Task with a datastore
// that does not exist or that no host of the pool mounts, or a host that does not
// mount it, and ReconfigVM_Task adding files on a datastore the VM's host does not
// mount (vcsim's findDatastore). They refuse with vCenter's faults instead; valid
// calls go to vcsim unchanged (except that CreateVM_Task without a host gets one that
// mounts every datastore the VM uses, where vcsim would pick at random).

// CreateVMTask checks the placement of a new VM, then lets vcsim create it.
func (p *folderProxy) CreateVMTask(ctx *simulator.Context, req *types.CreateVM_Task) soap.HasFault {
	x := p.x
	if f := x.checkCreateVM(ctx, req); f != nil {
		t := startTask(ctx, &req.This, entityName(ctx, req.This), "CreateVM_Task", "Folder.createVm", false)
		t.fail(f)
		return &methods.CreateVM_TaskBody{Res: &types.CreateVM_TaskResponse{Returnval: t.ref()}}
	}
	folder, ok := ctx.Map.Get(req.This).(*simulator.Folder)
	if !ok {
		return &methods.CreateVM_TaskBody{Fault_: notFound("this", req.This).soapFault()}
	}
	var res soap.HasFault
	ctx.WithLock(folder, func() { res = folder.CreateVMTask(ctx, req) })
	return res
}

// checkCreateVM returns the fault for a VM vcsim cannot place, or nil; it may set req.Host.
func (x *Extension) checkCreateVM(ctx *simulator.Context, req *types.CreateVM_Task) *finding {
	if req.Config.Files == nil || req.Config.Files.VmPathName == "" {
		return nil // vcsim answers InvalidVmConfig
	}
	needed := specDatastores(&req.Config)
	if !isPool(ctx, req.Pool) {
		return badRef(ctx, "pool", req.Pool)
	}
	if req.Host != nil {
		if _, ok := ctx.Map.Get(*req.Host).(*simulator.HostSystem); !ok {
			return badRef(ctx, "host", *req.Host)
		}
		h := x.hostFactsOf(ctx, *req.Host)
		for _, name := range needed {
			if _, ok := h.datastores[name]; !ok {
				return x.unknownOrUnmounted(ctx, name, h)
			}
		}
		return nil
	}
	cr, ok := computeResourceOf(ctx, req.Pool)
	if !ok {
		return invalidArgument("pool", "the pool belongs to no compute resource")
	}
	hosts, _ := hostsOf(ctx, cr)
	var first *hostFacts
	for _, ref := range hosts {
		h := x.hostFactsOf(ctx, ref)
		if h == nil {
			continue
		}
		if first == nil {
			first = h
		}
		all := true
		for _, name := range needed {
			if _, ok := h.datastores[name]; !ok {
				all = false
			}
		}
		if all {
			host := ref
			req.Host = &host
			return nil
		}
	}
	if first == nil {
		return invalidArgument("pool", "the pool's compute resource has no host")
	}
	for _, name := range needed {
		if _, ok := first.datastores[name]; !ok {
			return x.unknownOrUnmounted(ctx, name, first)
		}
	}
	return nil
}

// unknownOrUnmounted is InvalidDatastorePath for a datastore that does not exist, else
// DatastoreNotWritableOnHost.
func (x *Extension) unknownOrUnmounted(ctx *simulator.Context, name string, h *hostFacts) *finding {
	for _, e := range ctx.Map.All("Datastore") {
		if ds, ok := e.(*simulator.Datastore); ok {
			var dsName string
			ctx.WithLock(ds, func() { dsName = ds.Name })
			if dsName == name {
				return datastoreNotWritable(ds.Self, name, h)
			}
		}
	}
	return &finding{rule: ruleTargetDS, fault: &types.InvalidDatastorePath{InvalidDatastore: types.InvalidDatastore{Name: name}, DatastorePath: "[" + name + "]"},
		msg: "Invalid datastore path '[" + name + "]'."}
}

// specDatastores returns the datastores a config spec puts files on.
func specDatastores(spec *types.VirtualMachineConfigSpec) []string {
	var names []string
	add := func(file string) {
		if n := dsName(file); n != "" && !contains(names, n) {
			names = append(names, n)
		}
	}
	if spec.Files != nil {
		add(spec.Files.VmPathName)
	}
	for _, c := range spec.DeviceChange {
		dc := c.GetVirtualDeviceConfigSpec()
		if dc.Device == nil || dc.Operation == types.VirtualDeviceConfigSpecOperationRemove {
			continue
		}
		if b, ok := dc.Device.GetVirtualDevice().Backing.(types.BaseVirtualDeviceFileBackingInfo); ok {
			add(b.GetVirtualDeviceFileBackingInfo().FileName)
		}
	}
	return names
}

// ReconfigVMTask refuses while the VM migrates or when a device file would be on a
// datastore the VM's host does not mount, then lets vcsim reconfigure.
func (p *vmProxy) ReconfigVMTask(ctx *simulator.Context, req *types.ReconfigVM_Task) soap.HasFault {
	x := p.x
	f := x.busy(ctx, req.This)
	if f == nil {
		vm := ctx.Map.Get(req.This).(*simulator.VirtualMachine)
		var host *types.ManagedObjectReference
		ctx.WithLock(vm, func() { host = vm.Runtime.Host })
		if host != nil {
			if h := x.hostFactsOf(ctx, *host); h != nil {
				spec := req.Spec
				spec.Files = nil // only device files are checked: the VM's own paths stay
				for _, name := range specDatastores(&spec) {
					if _, ok := h.datastores[name]; !ok {
						f = x.unknownOrUnmounted(ctx, name, h)
						break
					}
				}
			}
		}
	}
	if f != nil {
		return &methods.ReconfigVM_TaskBody{Res: &types.ReconfigVM_TaskResponse{Returnval: x.failedTask(ctx, req.This, "ReconfigVM_Task", "VirtualMachine.reconfigure", f)}}
	}
	res := x.delegateVM(ctx, req.This, func(vm *simulator.VirtualMachine) soap.HasFault { return vm.ReconfigVMTask(ctx, req) })
	if body, ok := res.(*methods.ReconfigVM_TaskBody); ok && body.Res != nil {
		x.afterTask(ctx, body.Res.Returnval, func(bg *simulator.Context) { x.listVMOnItsDatastores(bg, req.This) })
	}
	return res
}

// afterTask runs f once a vcsim task has ended (in the background).
func (x *Extension) afterTask(ctx *simulator.Context, ref types.ManagedObjectReference, f func(*simulator.Context)) {
	t, ok := ctx.Map.Get(ref).(*simulator.Task)
	if !ok {
		return
	}
	bg := detach(ctx)
	go func() {
		defer func() { _ = recover() }()
		t.Wait()
		f(bg)
	}()
}

// listVMOnItsDatastores adds the VM to the `vm` list of every datastore it uses
// (vcsim's ReconfigVM_Task adds a disk's datastore to the VM but not the VM to it).
func (x *Extension) listVMOnItsDatastores(ctx *simulator.Context, ref types.ManagedObjectReference) {
	vm, ok := ctx.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return
	}
	var stores []types.ManagedObjectReference
	ctx.WithLock(vm, func() { stores = append(stores, vm.Datastore...) })
	for _, ds := range stores {
		if d, ok := ctx.Map.Get(ds).(*simulator.Datastore); ok {
			listed := false
			ctx.WithLock(d, func() { listed = containsRef(d.Vm, ref) })
			if !listed {
				editVMList(ctx, ds, ref, true)
			}
		}
	}
}
