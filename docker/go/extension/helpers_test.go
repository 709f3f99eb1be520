package extension

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// The course's inventory (docs/design.md §4), built through the API on an empty
// simulator as lablib/sim/seed.py does, with the course's host profile.

var courseProfile = filepath.Join("..", "..", "..", "lablib", "sim", "course_hosts.json")

// wait bounds every wait of the tests.
const wait = 60 * time.Second

// lab is a test's simulator with the course inventory and a client.
type lab struct {
	t      *testing.T
	ctx    context.Context
	c      *vim25.Client
	model  *simulator.Model
	finder *find.Finder
	dc     *object.Datacenter
	x      *Extension
}

// labOptions tunes the inventory a test starts from.
type labOptions struct {
	Options
	drs       types.DrsBehavior // "" = DRS off
	noVMs     bool
	extraVMs  int  // more VMs on SharedDS on ESXi_1
	vmotionOn bool // vMotion enabled on vmk0 of both hosts
	noInstall bool // stock vcsim
}

// runLab runs f against a fresh simulator with the course inventory.
func runLab(t *testing.T, o labOptions, f func(l *lab)) {
	t.Helper()
	model := simulator.VPX()
	model.Datacenter = 0
	model.Autostart = false
	if err := model.Create(); err != nil {
		t.Fatal(err)
	}
	if o.ProfilePath == "" {
		o.ProfilePath = courseProfile
	}
	var x *Extension
	if !o.noInstall {
		var err error
		if x, err = install(model, o.Options); err != nil {
			t.Fatal(err)
		}
	}
	err := model.Run(func(ctx context.Context, c *vim25.Client) error {
		ctx, cancel := context.WithTimeout(ctx, 5*wait)
		defer cancel()
		l := &lab{t: t, ctx: ctx, c: c, model: model, finder: find.NewFinder(c), x: x}
		l.seed(o)
		f(l)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (l *lab) must(err error) {
	l.t.Helper()
	if err != nil {
		l.t.Fatal(err)
	}
}

// seed builds the course inventory.
func (l *lab) seed(o labOptions) {
	ctx, c := l.ctx, l.c
	root := object.NewRootFolder(c)
	dc, err := root.CreateDatacenter(ctx, "Datacenter")
	l.must(err)
	l.dc = dc
	l.finder.SetDatacenter(dc)
	folders, err := dc.Folders(ctx)
	l.must(err)
	cluster, err := folders.HostFolder.CreateCluster(ctx, "Cluster", types.ClusterConfigSpecEx{})
	l.must(err)
	drs := types.ClusterDrsConfigInfo{Enabled: types.NewBool(o.drs != ""), DefaultVmBehavior: o.drs}
	if o.drs == "" {
		drs.DefaultVmBehavior = types.DrsBehaviorManual
	}
	l.waitTask(cluster.Reconfigure(ctx, &types.ClusterConfigSpecEx{DrsConfig: &drs}, true))
	for _, name := range []string{"ESXi_1", "ESXi_2"} {
		l.waitTask(cluster.AddHost(ctx, types.HostConnectSpec{HostName: name, Force: true}, true, nil, nil))
	}
	home := l.option("vcsim.home")
	h1, h2 := l.host("ESXi_1"), l.host("ESXi_2")
	for _, h := range []*object.HostSystem{h1, h2} {
		l.createDatastore(h, "SharedDS", home)
	}
	fm := object.NewFileManager(c)
	for _, pair := range [][2]string{{"ESXi_1", "ESXi_1-local"}, {"ESXi_2", "ESXi_2-local"}} {
		l.must(fm.MakeDirectory(ctx, "[SharedDS] ."+pair[1], dc, true))
		l.createDatastore(l.host(pair[0]), pair[1], home+"/."+pair[1])
	}
	if o.vmotionOn {
		for _, h := range []string{"ESXi_1", "ESXi_2"} {
			l.must(l.vnicManager(h).SelectVnic(ctx, "vmotion", "vmk0"))
		}
	}
	if o.noVMs {
		return
	}
	l.createVM("vm-shared", "SharedDS", "ESXi_1", true)
	l.createVM("vm-local", "ESXi_1-local", "ESXi_1", true)
	for i := 0; i < o.extraVMs; i++ {
		l.createVM("vm-extra-"+string(rune('a'+i)), "SharedDS", "ESXi_1", true)
	}
}

func (l *lab) option(name string) string {
	m := object.NewOptionManager(l.c, *l.c.ServiceContent.Setting)
	opts, err := m.Query(l.ctx, name)
	l.must(err)
	return opts[0].GetOptionValue().Value.(string)
}

func (l *lab) createDatastore(h *object.HostSystem, name, path string) {
	dss, err := h.ConfigManager().DatastoreSystem(l.ctx)
	l.must(err)
	_, err = dss.CreateLocalDatastore(l.ctx, name, path)
	l.must(err)
}

// createVM creates a VM with a disk and a NIC on "VM Network", as seed.py does.
func (l *lab) createVM(name, ds, host string, on bool) *object.VirtualMachine {
	ctx := l.ctx
	folders, err := l.dc.Folders(ctx)
	l.must(err)
	cluster, err := l.finder.ClusterComputeResource(ctx, "Cluster")
	l.must(err)
	pool, err := cluster.ResourcePool(ctx)
	l.must(err)
	h := l.host(host)
	hostRef := h.Reference()
	devices := []types.BaseVirtualDeviceConfigSpec{
		&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd,
			Device: &types.ParaVirtualSCSIController{VirtualSCSIController: types.VirtualSCSIController{
				SharedBus: types.VirtualSCSISharingNoSharing, VirtualController: types.VirtualController{BusNumber: 0,
					VirtualDevice: types.VirtualDevice{Key: -101}}}}},
		&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd, FileOperation: types.VirtualDeviceConfigSpecFileOperationCreate,
			Device: &types.VirtualDisk{CapacityInKB: 1024, VirtualDevice: types.VirtualDevice{Key: -102, ControllerKey: -101, UnitNumber: types.NewInt32(0),
				Backing: &types.VirtualDiskFlatVer2BackingInfo{DiskMode: "persistent", ThinProvisioned: types.NewBool(true),
					VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: "[" + ds + "] " + name + "/" + name + ".vmdk"}}}}},
		&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd,
			Device: &types.VirtualVmxnet3{VirtualVmxnet: types.VirtualVmxnet{VirtualEthernetCard: types.VirtualEthernetCard{VirtualDevice: types.VirtualDevice{
				Key:         -103,
				Backing:     &types.VirtualEthernetCardNetworkBackingInfo{VirtualDeviceDeviceBackingInfo: types.VirtualDeviceDeviceBackingInfo{DeviceName: "VM Network"}},
				Connectable: &types.VirtualDeviceConnectInfo{Connected: true, StartConnected: true, AllowGuestControl: true}}}}}},
	}
	spec := types.VirtualMachineConfigSpec{Name: name, NumCPUs: 2, MemoryMB: 4096, GuestId: "otherGuest64",
		Files: &types.VirtualMachineFileInfo{VmPathName: "[" + ds + "]"}, DeviceChange: devices}
	t, err := folders.VmFolder.CreateVM(ctx, spec, pool, h)
	l.must(err)
	info, err := t.WaitForResult(ctx)
	l.must(err)
	vm := object.NewVirtualMachine(l.c, info.Result.(types.ManagedObjectReference))
	_ = hostRef
	if on {
		l.waitTask(vm.PowerOn(ctx))
	}
	return vm
}

func (l *lab) host(name string) *object.HostSystem {
	l.t.Helper()
	h, err := l.finder.HostSystem(l.ctx, name)
	l.must(err)
	return h
}

func (l *lab) vm(name string) *object.VirtualMachine {
	l.t.Helper()
	vm, err := l.finder.VirtualMachine(l.ctx, name)
	l.must(err)
	return vm
}

func (l *lab) ds(name string) *object.Datastore {
	l.t.Helper()
	ds, err := l.finder.Datastore(l.ctx, name)
	l.must(err)
	return ds
}

func (l *lab) cluster() *object.ClusterComputeResource {
	c, err := l.finder.ClusterComputeResource(l.ctx, "Cluster")
	l.must(err)
	return c
}

func (l *lab) vnicManager(host string) *object.HostVirtualNicManager {
	m, err := l.host(host).ConfigManager().VirtualNicManager(l.ctx)
	l.must(err)
	return m
}

// waitTask waits for a task that must succeed.
func (l *lab) waitTask(t *object.Task, err error) *types.TaskInfo {
	l.t.Helper()
	l.must(err)
	ctx, cancel := context.WithTimeout(l.ctx, wait)
	defer cancel()
	info, err := t.WaitForResult(ctx)
	l.must(err)
	return info
}

// taskFault waits for a task and returns its fault (nil on success).
func (l *lab) taskFault(t *object.Task, err error) *types.LocalizedMethodFault {
	l.t.Helper()
	l.must(err)
	ctx, cancel := context.WithTimeout(l.ctx, wait)
	defer cancel()
	_, err = t.WaitForResult(ctx)
	if err == nil {
		return nil
	}
	var te task.Error
	if errors.As(err, &te) {
		return te.LocalizedMethodFault
	}
	l.t.Fatalf("task wait: %v", err)
	return nil
}

// soapFault returns the vim fault of a synchronous call's error.
func soapFault(err error) types.BaseMethodFault {
	if err == nil {
		return nil
	}
	if !soap.IsSoapFault(err) {
		return nil
	}
	v := soap.ToSoapFault(err).VimFault()
	if f, ok := v.(types.BaseMethodFault); ok {
		return f
	}
	if v == nil {
		return nil
	}
	ptr := reflect.New(reflect.TypeOf(v)) // a fault decoded as a value
	ptr.Elem().Set(reflect.ValueOf(v))
	f, _ := ptr.Interface().(types.BaseMethodFault)
	return f
}

// relocate relocates a VM and returns the task's fault (nil on success).
func (l *lab) relocate(vm string, host, ds string) *types.LocalizedMethodFault {
	l.t.Helper()
	spec := l.spec(host, ds)
	return l.taskFault(l.vm(vm).Relocate(l.ctx, spec, types.VirtualMachineMovePriorityDefaultPriority))
}

// spec builds a RelocateSpec to a host (with its root pool) and/or a datastore.
func (l *lab) spec(host, ds string) types.VirtualMachineRelocateSpec {
	var spec types.VirtualMachineRelocateSpec
	if host != "" {
		h := l.host(host)
		ref := h.Reference()
		spec.Host = &ref
		pool, err := h.ResourcePool(l.ctx)
		l.must(err)
		pr := pool.Reference()
		spec.Pool = &pr
	}
	if ds != "" {
		ref := l.ds(ds).Reference()
		spec.Datastore = &ref
	}
	return spec
}

// vmMO reads a VM's properties.
func (l *lab) vmMO(name string, props ...string) mo.VirtualMachine {
	l.t.Helper()
	var v mo.VirtualMachine
	l.must(l.vm(name).Properties(l.ctx, l.vm(name).Reference(), props, &v))
	return v
}

func (l *lab) hostMO(name string, props ...string) mo.HostSystem {
	l.t.Helper()
	var h mo.HostSystem
	l.must(l.host(name).Properties(l.ctx, l.host(name).Reference(), props, &h))
	return h
}

// placement returns where a VM runs and where its files are: host name, datastores.
func (l *lab) placement(name string) (string, []string) {
	v := l.vmMO(name, "runtime.host", "datastore")
	var host mo.HostSystem
	pc := property.DefaultCollector(l.c)
	l.must(pc.RetrieveOne(l.ctx, *v.Runtime.Host, []string{"name"}, &host))
	var names []string
	for _, ref := range v.Datastore {
		var ds mo.Datastore
		l.must(pc.RetrieveOne(l.ctx, ref, []string{"name"}, &ds))
		names = append(names, ds.Name)
	}
	return host.Name, names
}

// events returns the events of the given types about a VM (all VMs when vm is "").
func (l *lab) events(vm string, kinds ...string) []types.BaseEvent {
	l.t.Helper()
	if vm == "" {
		return l.entityEvents(types.ManagedObjectReference{}, kinds...)
	}
	return l.entityEvents(l.vm(vm).Reference(), kinds...)
}

// entityEvents returns the events of the given types about an entity (any when empty).
func (l *lab) entityEvents(ref types.ManagedObjectReference, kinds ...string) []types.BaseEvent {
	l.t.Helper()
	req := types.QueryEvents{This: *l.c.ServiceContent.EventManager, Filter: types.EventFilterSpec{EventTypeId: kinds, MaxCount: 1000}}
	if ref.Value != "" {
		req.Filter.Entity = &types.EventFilterSpecByEntity{Entity: ref, Recursion: types.EventFilterSpecRecursionOptionSelf}
	}
	res, err := methods.QueryEvents(l.ctx, l.c, &req)
	l.must(err)
	return res.Returnval
}

func eventName(e types.BaseEvent) string { return strings.TrimPrefix(fmt.Sprintf("%T", e), "*types.") }

// enableVMotion enables vMotion on vmk0 of hosts.
func (l *lab) enableVMotion(hosts ...string) {
	for _, h := range hosts {
		l.must(l.vnicManager(h).SelectVnic(l.ctx, "vmotion", "vmk0"))
	}
}

// powerOff powers a VM off (it must be on).
func (l *lab) powerOff(name string) { l.waitTask(l.vm(name).PowerOff(l.ctx)) }
func (l *lab) powerOn(name string)  { l.waitTask(l.vm(name).PowerOn(l.ctx)) }

// faultName returns the Go type name of a fault without the package ("VMotionNotConfigured").
func faultName(f types.BaseMethodFault) string {
	if f == nil {
		return "<nil>"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", f), "*types.")
}
