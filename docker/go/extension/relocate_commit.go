package extension

import (
	"fmt"
	"io"
	"os"
	"path"
	"reflect"
	"strings"
	"unsafe"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// Moves that really move (docs/vcsim-gaps.md §4(c) lists what stock vcsim leaves behind):
// a storage move renames the VM's files in the simulated datastore directories and
// rewrites every path that names them (config.files, each disk backing and its parent
// chain, layout, layoutEx, storage usage, the datastore list); the host, pool and
// datastore back-references follow the VM; VmMigratedEvent names the real source and
// destination. commit runs under decide and re-checks what may have changed since the
// rules accepted the move; a failure leaves everything as it was.

// fileMove is one file to move on disk.
type fileMove struct{ from, to string }

// pathMap rewrites datastore paths of a move.
type pathMap struct {
	files          map[string]string // exact "[ds] rel" -> new path (disk chain files)
	dirFrom, dirTo string            // "[A] vm" -> "[B] vm" (the configuration folder)
	relFrom, relTo string            // "vm" -> "vm (1)" (relative form, for layout.configFile)
	absFrom, absTo string            // the folder's directories on disk
}

func (pm *pathMap) rewrite(p string) string {
	if n, ok := pm.files[p]; ok {
		return n
	}
	if pm.dirFrom != "" {
		if p == pm.dirFrom || p == pm.dirFrom+"/" {
			return pm.dirTo + strings.TrimPrefix(p, pm.dirFrom)
		}
		if strings.HasPrefix(p, pm.dirFrom+"/") {
			return pm.dirTo + strings.TrimPrefix(p, pm.dirFrom)
		}
	}
	return p
}

func (pm *pathMap) rewriteRel(p string) string {
	if pm.relFrom != "" && pm.relFrom != pm.relTo && (p == pm.relFrom || strings.HasPrefix(p, pm.relFrom+"/")) {
		return pm.relTo + strings.TrimPrefix(p, pm.relFrom)
	}
	return p
}

// dsInfo is a datastore's reference and directory.
type dsInfo struct {
	ref types.ManagedObjectReference
	url string
}

// commit applies a planned move; decide is held.
func (x *Extension) commit(ctx *simulator.Context, p *plan) *finding {
	m := p.move
	if ctx.Map.Get(p.vm.Self) == nil {
		return notFound("vm", p.vm.Self)
	}
	vmf := x.vmFactsOf(ctx, p.vm)
	src := x.hostFactsOf(ctx, vmf.host)
	dst := x.hostFactsOf(ctx, m.dst.ref)
	if src == nil || dst == nil {
		return notFound("spec.host", m.dst.ref)
	}
	if dst.connection != types.HostSystemConnectionStateConnected {
		return hostNotConnected(dst, "hostTests")
	}
	for name, ref := range m.targets {
		if _, ok := dst.datastores[name]; !ok || ctx.Map.Get(ref) == nil {
			return datastoreNotWritable(ref, name, dst)
		}
	}
	if p.pool != nil && !isPool(ctx, *p.pool) {
		return notFound("spec.pool", *p.pool)
	}
	stores := x.datastoresByName(ctx, src, dst)
	pm, moves, f := planFiles(vmf, m, stores)
	if f != nil {
		return f
	}
	done, err := moveFiles(moves)
	if err != nil {
		undoFiles(done)
		return &finding{rule: ruleFiles, fault: &types.FileFault{File: err.file}, msg: "Unable to move file " + err.file + ": " + err.err.Error()}
	}
	removeEmptyDirs(moves)

	oldStores := append([]types.ManagedObjectReference(nil), vmf.datastores...)
	oldConfigDS := vmf.configDatastore()
	var newStores []types.ManagedObjectReference
	ctx.WithLock(p.vm, func() {
		update(ctx, p.vm, func() {
			x.rewriteVM(ctx, p, pm, stores, dst)
			newStores = append(newStores, p.vm.Datastore...)
		})
		x.retargetLog(p.vm, pm)
	})
	x.followBackReferences(ctx, p.vm.Self, vmf, src, dst, p.pool, oldStores, newStores)
	if p.folder != nil {
		x.moveIntoFolder(ctx, *p.folder, p.vm.Self)
	}
	x.postMigrated(ctx, p, src, dst, oldConfigDS, stores)
	return nil
}

// datastoresByName returns the datastores the source and destination mount.
func (x *Extension) datastoresByName(ctx *simulator.Context, hosts ...*hostFacts) map[string]dsInfo {
	stores := map[string]dsInfo{}
	for _, h := range hosts {
		for name, ref := range h.datastores {
			if _, seen := stores[name]; seen {
				continue
			}
			if ds, ok := ctx.Map.Get(ref).(*simulator.Datastore); ok {
				ctx.WithLock(ds, func() { stores[name] = dsInfo{ref: ref, url: ds.Summary.Url} })
			}
		}
	}
	return stores
}

// planFiles works out the new paths and the files to move. Nothing is changed yet.
func planFiles(vm *vmFacts, m *move, stores map[string]dsInfo) (*pathMap, []fileMove, *finding) {
	pm := &pathMap{files: map[string]string{}}
	var moves []fileMove
	abs := func(file string) (string, bool) {
		var dp object.DatastorePath
		if !dp.FromString(file) {
			return "", false
		}
		ds, ok := stores[dp.Datastore]
		if !ok {
			return "", false
		}
		return path.Join(ds.url, dp.Path), true
	}
	staying := map[string]bool{} // files of disks that stay on the configuration's datastore
	for _, d := range vm.disks {
		if m.diskTarget(d) == dsName(firstOf(d.chain)) {
			for _, f := range d.chain {
				staying[f] = true
				staying[simulator.VirtualDiskBackingFileName(f)] = true
			}
		}
	}

	var cfg object.DatastorePath
	cfgMoves := m.configTarget != "" && cfg.FromString(vm.files.VmPathName) && m.configTarget != cfg.Datastore
	if cfgMoves {
		rel := cfg.Path
		if path.Ext(rel) == ".vmx" {
			rel = path.Dir(rel)
		}
		target, ok := stores[m.configTarget]
		if !ok {
			return nil, nil, datastoreNotWritable(m.targets[m.configTarget], m.configTarget, m.dst)
		}
		newRel := uniqueDir(target.url, rel)
		pm.dirFrom = fmt.Sprintf("[%s] %s", cfg.Datastore, rel)
		pm.dirTo = fmt.Sprintf("[%s] %s", m.configTarget, newRel)
		pm.relFrom, pm.relTo = rel, newRel
		pm.absTo = path.Join(target.url, newRel)
		if from, ok := abs(pm.dirFrom); ok {
			pm.absFrom = from
			entries, _ := os.ReadDir(from)
			for _, e := range entries {
				file := pm.dirFrom + "/" + e.Name()
				if staying[file] {
					continue
				}
				moves = append(moves, fileMove{path.Join(from, e.Name()), path.Join(target.url, newRel, e.Name())})
			}
		}
	}
	for _, d := range vm.disks {
		to := m.diskTarget(d)
		for _, file := range d.chain {
			var dp object.DatastorePath
			if !dp.FromString(file) || dp.Datastore == to {
				continue
			}
			target, ok := stores[to]
			if !ok {
				return nil, nil, datastoreNotWritable(m.targets[to], to, m.dst)
			}
			newPath := fmt.Sprintf("[%s] %s", to, dp.Path)
			if cfgMoves && to == m.configTarget {
				if moved := pm.rewrite(file); moved != file {
					newPath = moved
				}
			}
			pm.files[file] = newPath
			pm.files[simulator.VirtualDiskBackingFileName(file)] = simulator.VirtualDiskBackingFileName(newPath)
			var np object.DatastorePath
			np.FromString(newPath)
			for _, pair := range [][2]string{{file, newPath}, {simulator.VirtualDiskBackingFileName(file), simulator.VirtualDiskBackingFileName(newPath)}} {
				from, ok := abs(pair[0])
				if !ok {
					continue
				}
				var tp object.DatastorePath
				tp.FromString(pair[1])
				toAbs := path.Join(target.url, tp.Path)
				if already(moves, from) {
					continue
				}
				if _, err := os.Stat(toAbs); err == nil {
					return nil, nil, &finding{rule: ruleFiles, fault: &types.FileAlreadyExists{FileFault: types.FileFault{File: pair[1]}},
						msg: "The file " + pair[1] + " already exists."}
				}
				moves = append(moves, fileMove{from, toAbs})
			}
		}
	}
	return pm, moves, nil
}

func firstOf(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

func already(moves []fileMove, from string) bool {
	for _, mv := range moves {
		if mv.from == from {
			return true
		}
	}
	return false
}

// uniqueDir returns rel, or "rel (N)" when rel exists under root (as vcsim names VM folders).
func uniqueDir(root, rel string) string {
	name := rel
	for i := 1; i < 1024; i++ {
		if _, err := os.Stat(path.Join(root, name)); os.IsNotExist(err) {
			return name
		}
		name = fmt.Sprintf("%s (%d)", rel, i)
	}
	return name
}

type moveError struct {
	file string
	err  error
}

// moveFiles moves the files; on error it returns what it moved (to undo).
func moveFiles(moves []fileMove) ([]fileMove, *moveError) {
	var done []fileMove
	for _, mv := range moves {
		if _, err := os.Stat(mv.from); os.IsNotExist(err) {
			continue // vcsim did not create it
		}
		if err := os.MkdirAll(path.Dir(mv.to), 0o700); err != nil {
			return done, &moveError{mv.to, err}
		}
		if err := renameOrCopy(mv.from, mv.to); err != nil {
			return done, &moveError{mv.from, err}
		}
		done = append(done, mv)
	}
	return done, nil
}

func undoFiles(done []fileMove) {
	for i := len(done) - 1; i >= 0; i-- {
		_ = renameOrCopy(done[i].to, done[i].from)
	}
}

// renameOrCopy renames a file, copying it when the datastores are on different devices.
func renameOrCopy(from, to string) error {
	if err := os.Rename(from, to); err == nil {
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(to)
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Remove(from)
}

// removeEmptyDirs removes the source folders left empty.
func removeEmptyDirs(moves []fileMove) {
	seen := map[string]bool{}
	for _, mv := range moves {
		dir := path.Dir(mv.from)
		if !seen[dir] {
			seen[dir] = true
			_ = os.Remove(dir) // fails, harmlessly, when not empty
		}
	}
}

// rewriteVM updates the VM's properties for the move; the VM's lock is held.
func (x *Extension) rewriteVM(ctx *simulator.Context, p *plan, pm *pathMap, stores map[string]dsInfo, dst *hostFacts) {
	vm := p.vm
	files := &vm.Config.Files
	for _, f := range []*string{&files.VmPathName, &files.SnapshotDirectory, &files.SuspendDirectory, &files.LogDirectory, &files.FtMetadataDirectory} {
		*f = pm.rewrite(*f)
	}
	vm.Summary.Config.VmPathName = files.VmPathName
	for _, d := range vm.Config.Hardware.Device {
		dev := d.GetVirtualDevice()
		if _, ok := d.(*types.VirtualDisk); ok {
			for b := dev.Backing; b != nil; b = diskParent(b) {
				fb, ok := b.(types.BaseVirtualDeviceFileBackingInfo)
				if !ok {
					break
				}
				info := fb.GetVirtualDeviceFileBackingInfo()
				info.FileName = pm.rewrite(info.FileName)
				if ds, ok := stores[dsName(info.FileName)]; ok {
					ref := ds.ref
					info.Datastore = &ref
				}
			}
		}
		if backing, ok := p.nicChanges[dev.Key]; ok {
			dev.Backing = backing
			x.completeNicBacking(ctx, backing)
		}
	}
	if l := vm.Layout; l != nil {
		for i := range l.ConfigFile {
			l.ConfigFile[i] = pm.rewriteRel(l.ConfigFile[i])
		}
		for i := range l.LogFile {
			l.LogFile[i] = pm.rewriteRel(l.LogFile[i])
		}
		l.SwapFile = pm.rewrite(l.SwapFile)
		for i := range l.Disk {
			for j := range l.Disk[i].DiskFile {
				l.Disk[i].DiskFile[j] = pm.rewrite(l.Disk[i].DiskFile[j])
			}
		}
		for i := range l.Snapshot {
			for j := range l.Snapshot[i].SnapshotFile {
				l.Snapshot[i].SnapshotFile[j] = pm.rewrite(l.Snapshot[i].SnapshotFile[j])
			}
		}
	}
	if l := vm.LayoutEx; l != nil {
		for i := range l.File {
			l.File[i].Name = pm.rewrite(l.File[i].Name)
		}
	}
	vm.Datastore = datastoresInUse(vm, stores)
	recomputeStorage(vm, stores)
	host := dst.ref
	vm.Runtime.Host = &host
	vm.Summary.Runtime.Host = &host
	if p.pool != nil {
		pool := *p.pool
		vm.ResourcePool = &pool
	}
	if len(p.nicChanges) > 0 {
		vm.Network = nil
		for _, d := range vm.Config.Hardware.Device {
			if card, ok := d.(types.BaseVirtualEthernetCard); ok {
				var n nicFacts
				x.nicBacking(ctx, card.GetVirtualEthernetCard().Backing, &n)
				if n.ref != nil {
					vm.Network = append(vm.Network, *n.ref)
				}
				if vm.Guest != nil {
					for i := range vm.Guest.Net {
						if vm.Guest.Net[i].DeviceConfigId == card.GetVirtualEthernetCard().Key {
							vm.Guest.Net[i].Network = n.network
						}
					}
				}
			}
		}
	}
}

// completeNicBacking fills the network reference of a standard port group backing.
func (x *Extension) completeNicBacking(ctx *simulator.Context, backing types.BaseVirtualDeviceBackingInfo) {
	b, ok := backing.(*types.VirtualEthernetCardNetworkBackingInfo)
	if !ok || b.Network != nil {
		return
	}
	for _, e := range ctx.Map.All("Network") {
		if n, ok := e.(*mo.Network); ok && n.Name == b.DeviceName {
			ref := n.Self
			b.Network = &ref
			return
		}
	}
}

// datastoresInUse returns the datastores holding any of the VM's files, configuration first.
func datastoresInUse(vm *simulator.VirtualMachine, stores map[string]dsInfo) []types.ManagedObjectReference {
	var out []types.ManagedObjectReference
	add := func(file string) {
		ds, ok := stores[dsName(file)]
		if !ok {
			return
		}
		for _, r := range out {
			if r == ds.ref {
				return
			}
		}
		out = append(out, ds.ref)
	}
	add(vm.Config.Files.VmPathName)
	for _, d := range vm.Config.Hardware.Device {
		if _, ok := d.(*types.VirtualDisk); ok {
			for _, f := range diskChain(d.GetVirtualDevice().Backing) {
				add(f)
			}
		}
	}
	if vm.LayoutEx != nil {
		for _, f := range vm.LayoutEx.File {
			add(f.Name)
		}
	}
	for _, d := range vm.Config.Hardware.Device {
		switch d.(type) {
		case *types.VirtualCdrom, *types.VirtualFloppy:
			if b, ok := d.GetVirtualDevice().Backing.(types.BaseVirtualDeviceFileBackingInfo); ok {
				add(b.GetVirtualDeviceFileBackingInfo().FileName)
			}
		}
	}
	if len(out) == 0 {
		return vm.Datastore // never leave it empty: vcsim's events index it
	}
	return out
}

// recomputeStorage rebuilds storage.perDatastoreUsage and summary.storage from the layout.
func recomputeStorage(vm *simulator.VirtualMachine, stores map[string]dsInfo) {
	if vm.LayoutEx == nil || vm.Storage == nil {
		return
	}
	usage := map[types.ManagedObjectReference]*types.VirtualMachineUsageOnDatastore{}
	var order []types.ManagedObjectReference
	for _, f := range vm.LayoutEx.File {
		ds, ok := stores[dsName(f.Name)]
		if !ok {
			continue
		}
		u, ok := usage[ds.ref]
		if !ok {
			u = &types.VirtualMachineUsageOnDatastore{Datastore: ds.ref}
			usage[ds.ref] = u
			order = append(order, ds.ref)
		}
		u.Committed += f.Size
		if path.Ext(f.Name) == ".vmdk" {
			u.Unshared += f.Size
		}
	}
	for _, d := range vm.Config.Hardware.Device {
		if disk, ok := d.(*types.VirtualDisk); ok {
			chain := diskChain(disk.Backing)
			if ds, ok := stores[dsName(firstOf(chain))]; ok {
				if u, ok := usage[ds.ref]; ok {
					u.Uncommitted += disk.CapacityInBytes
				}
			}
		}
	}
	var list []types.VirtualMachineUsageOnDatastore
	summary := types.VirtualMachineStorageSummary{Timestamp: vm.Storage.Timestamp}
	for _, ref := range order {
		u := *usage[ref]
		u.Uncommitted -= u.Committed
		if u.Uncommitted < 0 {
			u.Uncommitted = 0
		}
		summary.Committed += u.Committed
		summary.Uncommitted += u.Uncommitted
		summary.Unshared += u.Unshared
		list = append(list, u)
	}
	vm.Storage.PerDatastoreUsage = list
	vm.Summary.Storage = &summary
}

// retargetLog points vcsim's private vmware.log path at the moved folder, so that
// later power operations keep logging there instead of failing on a missing folder.
// This is the one place the kit touches an unexported vcsim field.
func (x *Extension) retargetLog(vm *simulator.VirtualMachine, pm *pathMap) {
	if pm.absFrom == "" {
		return
	}
	f := reflect.ValueOf(vm).Elem().FieldByName("log")
	if !f.IsValid() || f.Kind() != reflect.String {
		return
	}
	field := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
	if old := field.String(); path.Dir(old) == pm.absFrom {
		field.SetString(path.Join(pm.absTo, path.Base(old)))
	}
}

// followBackReferences moves the VM in the host, pool and datastore lists.
func (x *Extension) followBackReferences(ctx *simulator.Context, vm types.ManagedObjectReference, before *vmFacts, src, dst *hostFacts, pool *types.ManagedObjectReference, oldStores, newStores []types.ManagedObjectReference) {
	if src.ref != dst.ref {
		editVMList(ctx, src.ref, vm, false)
		editVMList(ctx, dst.ref, vm, true)
	}
	if pool != nil && (before.pool == nil || *before.pool != *pool) {
		if before.pool != nil {
			editVMList(ctx, *before.pool, vm, false)
		}
		editVMList(ctx, *pool, vm, true)
	}
	for _, ref := range oldStores {
		if !containsRef(newStores, ref) {
			editVMList(ctx, ref, vm, false)
		}
	}
	for _, ref := range newStores {
		if !containsRef(oldStores, ref) {
			editVMList(ctx, ref, vm, true)
		}
	}
}

// editVMList adds or removes a VM in the `vm` property of a host, pool or datastore.
func editVMList(ctx *simulator.Context, owner, vm types.ManagedObjectReference, add bool) {
	obj := ctx.Map.Get(owner)
	if obj == nil {
		return
	}
	ctx.WithLock(obj, func() {
		var list *[]types.ManagedObjectReference
		switch o := obj.(type) {
		case *simulator.HostSystem:
			list = &o.Vm
		case *simulator.ResourcePool:
			list = &o.Vm
		case *simulator.VirtualApp:
			list = &o.Vm
		case *simulator.Datastore:
			list = &o.Vm
		default:
			return
		}
		next := make([]types.ManagedObjectReference, 0, len(*list)+1)
		for _, r := range *list {
			if r != vm {
				next = append(next, r)
			}
		}
		if add {
			next = append(next, vm)
		}
		ctx.Update(obj, []types.PropertyChange{{Name: "vm", Val: next}})
	})
}

func containsRef(list []types.ManagedObjectReference, ref types.ManagedObjectReference) bool {
	for _, r := range list {
		if r == ref {
			return true
		}
	}
	return false
}

// moveIntoFolder moves the VM to another folder with vcsim's own MoveIntoFolder_Task.
func (x *Extension) moveIntoFolder(ctx *simulator.Context, folder, vm types.ManagedObjectReference) {
	f, ok := ctx.Map.Get(folder).(*simulator.Folder)
	if !ok {
		return
	}
	var res *types.MoveIntoFolder_TaskResponse
	ctx.WithLock(f, func() {
		body, ok := f.MoveIntoFolderTask(ctx, &types.MoveIntoFolder_Task{This: folder, List: []types.ManagedObjectReference{vm}}).(*methods.MoveIntoFolder_TaskBody)
		if ok && body.Res != nil {
			res = body.Res
		}
	})
	if res != nil {
		if t, ok := ctx.Map.Get(res.Returnval).(*simulator.Task); ok {
			t.Wait()
		}
	}
}
