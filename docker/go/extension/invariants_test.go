package extension

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// What must hold after any sequence of calls, and a comparable picture of the
// inventory to show that a refusal changed nothing.

// inventory is the whole inventory as the tests compare it.
type inventory struct {
	vms        []mo.VirtualMachine
	hosts      []mo.HostSystem
	datastores []mo.Datastore
	pools      []mo.ResourcePool
}

func (l *lab) inventory() inventory {
	l.t.Helper()
	m := view.NewManager(l.c)
	v, err := m.CreateContainerView(l.ctx, l.c.ServiceContent.RootFolder, nil, true)
	l.must(err)
	defer v.Destroy(l.ctx)
	var inv inventory
	l.must(v.Retrieve(l.ctx, []string{"VirtualMachine"}, []string{"name", "runtime", "datastore", "resourcePool", "config", "layoutEx"}, &inv.vms))
	l.must(v.Retrieve(l.ctx, []string{"HostSystem"}, []string{"name", "vm", "datastore", "runtime", "summary"}, &inv.hosts))
	l.must(v.Retrieve(l.ctx, []string{"Datastore"}, []string{"name", "vm", "host", "summary"}, &inv.datastores))
	l.must(v.Retrieve(l.ctx, []string{"ResourcePool"}, []string{"name", "vm"}, &inv.pools))
	return inv
}

// picture is what a refusal must not change.
type picture struct {
	VMs   map[string]string // name -> host, power, files, baseline
	Hosts map[string]string // name -> vms, maintenance
	Disk  []string          // files under the datastores' directories
}

func (l *lab) snapshot() picture {
	inv := l.inventory()
	names := refNames(inv)
	p := picture{VMs: map[string]string{}, Hosts: map[string]string{}}
	for _, vm := range inv.vms {
		files := []string{vm.Config.Files.VmPathName}
		for _, d := range vm.Config.Hardware.Device {
			if disk, ok := d.(*types.VirtualDisk); ok {
				files = append(files, diskChain(disk.Backing)...)
			}
		}
		p.VMs[vm.Name] = strings.Join([]string{names[*vm.Runtime.Host], string(vm.Runtime.PowerState), strings.Join(files, ","),
			namesOf(names, vm.Datastore), vm.Runtime.MinRequiredEVCModeKey}, " | ")
	}
	for _, h := range inv.hosts {
		p.Hosts[h.Name] = namesOf(names, h.Vm) + " | " + boolString(h.Runtime.InMaintenanceMode)
	}
	roots := map[string]bool{}
	for _, ds := range inv.datastores {
		root := ds.Summary.Url
		if roots[root] {
			continue
		}
		roots[root] = true
		_ = filepath.Walk(root, func(file string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && info.Name() != "vmware.log" {
				p.Disk = append(p.Disk, file)
			}
			return nil
		})
	}
	sort.Strings(p.Disk)
	return p
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func refNames(inv inventory) map[types.ManagedObjectReference]string {
	names := map[types.ManagedObjectReference]string{}
	for _, v := range inv.vms {
		names[v.Self] = v.Name
	}
	for _, h := range inv.hosts {
		names[h.Self] = h.Name
	}
	for _, d := range inv.datastores {
		names[d.Self] = d.Name
	}
	for _, p := range inv.pools {
		names[p.Self] = p.Name
	}
	return names
}

func namesOf(names map[types.ManagedObjectReference]string, refs []types.ManagedObjectReference) string {
	var list []string
	for _, r := range refs {
		list = append(list, names[r])
	}
	sort.Strings(list)
	return strings.Join(list, ",")
}

// assertInvariants checks the inventory's consistency after any sequence of calls.
func (l *lab) assertInvariants() {
	l.t.Helper()
	inv := l.inventory()
	names := refNames(inv)
	hostByRef := map[types.ManagedObjectReference]mo.HostSystem{}
	for _, h := range inv.hosts {
		hostByRef[h.Self] = h
	}
	dsByName := map[string]mo.Datastore{}
	for _, d := range inv.datastores {
		dsByName[d.Name] = d
	}
	onHost := map[types.ManagedObjectReference][]string{}
	onDS := map[types.ManagedObjectReference][]string{}
	inPool := map[types.ManagedObjectReference][]string{}
	for _, vm := range inv.vms {
		host, ok := hostByRef[*vm.Runtime.Host]
		if !ok {
			l.t.Errorf("%s runs on an unknown host %v", vm.Name, vm.Runtime.Host)
			continue
		}
		onHost[host.Self] = append(onHost[host.Self], vm.Name)
		if vm.ResourcePool != nil {
			inPool[*vm.ResourcePool] = append(inPool[*vm.ResourcePool], vm.Name)
		}
		used := map[string]bool{}
		files := []string{vm.Config.Files.VmPathName}
		for _, d := range vm.Config.Hardware.Device {
			if disk, ok := d.(*types.VirtualDisk); ok {
				files = append(files, diskChain(disk.Backing)...)
			}
		}
		if vm.LayoutEx != nil {
			for _, f := range vm.LayoutEx.File {
				files = append(files, f.Name)
			}
		}
		for _, f := range files {
			ds := dsName(f)
			used[ds] = true
			if !hasRef(host.Datastore, dsByName[ds].Self) {
				l.t.Errorf("%s runs on %s, which does not mount %s (file %s)", vm.Name, host.Name, ds, f)
			}
		}
		listed := map[string]bool{}
		for _, r := range vm.Datastore {
			listed[names[r]] = true
			onDS[r] = append(onDS[r], vm.Name)
		}
		for ds := range used {
			if !listed[ds] {
				l.t.Errorf("%s has files on %s, not in its datastore list %v", vm.Name, ds, namesOf(names, vm.Datastore))
			}
		}
		for _, f := range files[:1] {
			if !l.fileExists(dsByName, f) {
				l.t.Errorf("%s: %s is missing on disk", vm.Name, f)
			}
		}
		for _, d := range vm.Config.Hardware.Device {
			if disk, ok := d.(*types.VirtualDisk); ok {
				if chain := diskChain(disk.Backing); len(chain) > 0 && !l.fileExists(dsByName, chain[0]) {
					l.t.Errorf("%s: disk %s is missing on disk", vm.Name, chain[0])
				}
			}
		}
	}
	for _, h := range inv.hosts {
		if got, want := namesOf(names, h.Vm), sortedJoin(onHost[h.Self]); got != want {
			l.t.Errorf("%s.vm = [%s], but [%s] run there", h.Name, got, want)
		}
	}
	for _, d := range inv.datastores {
		if got, want := namesOf(names, d.Vm), sortedJoin(onDS[d.Self]); got != want {
			l.t.Errorf("%s.vm = [%s], but [%s] use it", d.Name, got, want)
		}
	}
	for _, p := range inv.pools {
		if got, want := namesOf(names, p.Vm), sortedJoin(inPool[p.Self]); got != want {
			l.t.Errorf("pool %s.vm = [%s], but [%s] are in it", p.Name, got, want)
		}
	}
}

func sortedJoin(list []string) string {
	sort.Strings(list)
	return strings.Join(list, ",")
}

// fileExists tells whether a datastore path exists in the simulated datastore.
func (l *lab) fileExists(stores map[string]mo.Datastore, file string) bool {
	var p object.DatastorePath
	if !p.FromString(file) {
		return false
	}
	ds, ok := stores[p.Datastore]
	if !ok {
		return false
	}
	_, err := os.Stat(path.Join(ds.Summary.Url, p.Path))
	return err == nil
}

// assertFilesOn checks that all of a VM's files are on one datastore, on disk too.
func (l *lab) assertFilesOn(vm, ds string) {
	l.t.Helper()
	v := l.vmMO(vm, "config", "layoutEx", "datastore", "layout", "summary")
	if got := dsName(v.Config.Files.VmPathName); got != ds {
		l.t.Errorf("%s config on %s, want %s", vm, got, ds)
	}
	if got := dsName(v.Summary.Config.VmPathName); got != ds {
		l.t.Errorf("%s summary.config.vmPathName on %s", vm, got)
	}
	for _, d := range v.Config.Hardware.Device {
		if disk, ok := d.(*types.VirtualDisk); ok {
			b := disk.Backing.(types.BaseVirtualDeviceFileBackingInfo).GetVirtualDeviceFileBackingInfo()
			if dsName(b.FileName) != ds || b.Datastore == nil || *b.Datastore != l.ds(ds).Reference() {
				l.t.Errorf("%s disk %s (datastore %v), want %s", vm, b.FileName, b.Datastore, ds)
			}
		}
	}
	for _, f := range v.LayoutEx.File {
		if dsName(f.Name) != ds {
			l.t.Errorf("%s layoutEx file %s not on %s", vm, f.Name, ds)
		}
	}
	for _, d := range v.Layout.Disk {
		for _, f := range d.DiskFile {
			if dsName(f) != ds {
				l.t.Errorf("%s layout disk file %s not on %s", vm, f, ds)
			}
		}
	}
	if len(v.Datastore) != 1 || v.Datastore[0] != l.ds(ds).Reference() {
		l.t.Errorf("%s datastore list %v", vm, v.Datastore)
	}
	var dsMO mo.Datastore
	l.must(l.ds(ds).Properties(l.ctx, l.ds(ds).Reference(), []string{"summary"}, &dsMO))
	var p object.DatastorePath
	p.FromString(v.Config.Files.VmPathName)
	if _, err := os.Stat(path.Join(dsMO.Summary.Url, p.Path)); err != nil {
		l.t.Errorf("%s: %v", vm, err)
	}
}
