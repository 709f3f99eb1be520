package extension

import (
	"sort"

	"github.com/vmware/govmomi/vim25/types"
)

// The migration rules of RelocateVM_Task, MigrateVM_Task and CheckRelocate_Task
// (docs/vsphere-facts.md §1-§4). Rules only decide: they read a move (plain facts) and
// return findings; nothing here changes the inventory. The order below is the order
// of the task error when several rules fail (the first error wins) and of
// CheckRelocate's lists:
//
//  1. relocation-in-progress  TaskInProgress: the VM is already being migrated
//  2. host-state              InvalidHostConnectionState (source or destination not
//     connected), InvalidHostState (destination in or entering maintenance mode)
//  3. vmotion-network         VMotionNotConfigured: a powered-on VM changing host needs
//     a vMotion VMkernel adapter on the source, then on the destination
//  4. vm-files                CannotAccessVmConfig, CannotAccessVmDisk (per disk), and
//     CannotAccessVmDevice for CD/floppy images: every file that stays must be
//     reachable from the destination (disconnected media: a warning)
//  5. target-datastore        DatastoreNotWritableOnHost: the destination mounts every
//     datastore the files move to
//  6. network                 CannotAccessNetwork: the destination has each connected
//     adapter's network (same port group name; disconnected adapter: a warning)
//  7. cpu                     CpuIncompatible: a powered-on or suspended VM's CPU
//     baseline fits the destination's CPU (vendor, then features; KB 1003718)

// move is one planned migration as the rules see it.
type move struct {
	vm       *vmFacts
	src, dst *hostFacts
	busy     *types.ManagedObjectReference // the VM's running relocation task

	// Where files go: datastore name per disk key and for the configuration; a file
	// whose entry is "" stays where it is.
	configTarget string
	diskTargets  map[int32]string
	targets      map[string]types.ManagedObjectReference // target datastores named in the spec

	// The network each adapter uses after the move (deviceChange applied).
	nics []nicFacts
}

func (m *move) hostChanges() bool { return m.src.ref != m.dst.ref }

// hot tells whether the migration is a vMotion of a running VM.
func (m *move) hot() bool { return m.vm.power == types.VirtualMachinePowerStatePoweredOn }

// storageChanges tells whether any file changes datastore.
func (m *move) storageChanges() bool {
	if m.configTarget != "" && m.configTarget != m.vm.configDatastore() {
		return true
	}
	for _, d := range m.vm.disks {
		if t := m.diskTargets[d.key]; t != "" && len(d.chain) > 0 && t != dsName(d.chain[0]) {
			return true
		}
	}
	return false
}

// diskTarget returns the datastore a disk ends on (its own when it does not move).
func (m *move) diskTarget(d diskFacts) string {
	if t := m.diskTargets[d.key]; t != "" {
		return t
	}
	if len(d.chain) > 0 {
		return dsName(d.chain[0])
	}
	return ""
}

// check returns every finding of every rule, in the order above.
func (c *Catalog) check(m *move) []*finding {
	var found []*finding
	for _, rule := range []func(*move) []*finding{
		ruleRelocationInProgress, ruleHostStates, ruleVMotionInterfaces, ruleFilesReachable,
		ruleTargetDatastores, ruleNetworks, c.ruleCPUCompatible,
	} {
		found = append(found, rule(m)...)
	}
	return found
}

// firstError returns the task error: the first finding that is not a warning.
func firstError(found []*finding) *finding {
	for _, f := range found {
		if !f.warning {
			return f
		}
	}
	return nil
}

func ruleRelocationInProgress(m *move) []*finding {
	if m.busy != nil {
		return []*finding{taskInProgress(*m.busy, m.vm.name)}
	}
	return nil
}

func ruleHostStates(m *move) []*finding {
	var found []*finding
	if m.src.connection != types.HostSystemConnectionStateConnected {
		found = append(found, hostNotConnected(m.src, "sourceTests"))
	}
	if !m.hostChanges() {
		return found
	}
	if m.dst.connection != types.HostSystemConnectionStateConnected {
		found = append(found, hostNotConnected(m.dst, "hostTests"))
	} else if m.dst.maintenance || m.dst.entering {
		found = append(found, hostInMaintenance(m.dst))
	}
	return found
}

func ruleVMotionInterfaces(m *move) []*finding {
	if !m.hostChanges() || !m.hot() {
		return nil // Storage vMotion and cold migrations do not use the vMotion network
	}
	var found []*finding
	for _, h := range []*hostFacts{m.src, m.dst} {
		if len(h.vmotion) == 0 {
			found = append(found, vmotionNotConfigured(m.src, m.dst, h))
		}
	}
	return found
}

func ruleFilesReachable(m *move) []*finding {
	if !m.hostChanges() {
		return nil // the files stay visible to the host that runs the VM
	}
	var found []*finding
	reachable := func(file string) bool {
		_, ok := m.dst.datastores[dsName(file)]
		return ok
	}
	if m.configTarget == "" && !reachable(m.vm.files.VmPathName) {
		found = append(found, cannotAccessConfig(m.vm.vmxPath()))
	}
	for _, d := range m.vm.disks {
		if m.diskTargets[d.key] != "" || len(d.chain) == 0 {
			continue
		}
		for _, file := range d.chain {
			if !reachable(file) {
				found = append(found, cannotAccessDisk(d.label, d.chain[0]))
				break
			}
		}
	}
	for _, media := range m.vm.media {
		if !reachable(media.file) {
			found = append(found, cannotAccessDevice(m.src, m.dst, media.label, media.file, media.connected))
		}
	}
	return found
}

func ruleTargetDatastores(m *move) []*finding {
	names := make([]string, 0, len(m.targets))
	for name := range m.targets {
		names = append(names, name)
	}
	sort.Strings(names)
	var found []*finding
	for _, name := range names {
		if _, ok := m.dst.datastores[name]; !ok {
			found = append(found, datastoreNotWritable(m.targets[name], name, m.dst))
		}
	}
	return found
}

func ruleNetworks(m *move) []*finding {
	if !m.hostChanges() {
		return nil
	}
	var found []*finding
	for _, n := range m.nics {
		if n.network == "" && n.ref == nil {
			continue // opaque or unknown backing: not checked
		}
		if n.ref != nil && m.dst.netRefs[*n.ref] {
			continue
		}
		if _, ok := m.dst.networks[n.network]; ok && (n.ref == nil || n.ref.Type == "Network") {
			continue // a standard port group of the same name is the same network
		}
		found = append(found, cannotAccessNetwork(n.label, n.network, n.ref, n.connected))
	}
	return found
}

func (c *Catalog) ruleCPUCompatible(m *move) []*finding {
	if !m.hostChanges() || m.vm.power == types.VirtualMachinePowerStatePoweredOff || m.vm.baseline == "" {
		return nil // a powered-off VM takes its new host's CPU features at power-on
	}
	level, register, hostBits, vmBits, bad := c.incompatibility(m.dst.maxEVC, m.dst.vendor, m.vm.baseline)
	if !bad {
		return nil
	}
	return []*finding{cpuIncompatible(m.src, m.dst, level, register, hostBits, vmBits)}
}
