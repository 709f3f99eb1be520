package extension

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// A finding is one verdict of a rule: the vim fault vCenter raises, vCenter's English
// message (never a Go type name), the rule it comes from, the CheckRelocate test type
// it belongs to, and whether it is only a warning. Messages follow
// docs/vsphere-facts.md; the README marks the wordings that are modelled.
type finding struct {
	rule    string
	test    string // sourceTests, hostTests, datastoreTests, networkTests, resourcePoolTests
	warning bool
	fault   types.BaseMethodFault
	msg     string
}

// Rule ids, in the order RelocateVM_Task reports the first failing one (README).
const (
	ruleSpec       = "spec"
	ruleBusy       = "relocation-in-progress"
	rulePowerState = "power-state"
	ruleHostState  = "host-state"
	ruleVMotionNIC = "vmotion-network"
	ruleFiles      = "vm-files"
	ruleTargetDS   = "target-datastore"
	ruleNetwork    = "network"
	ruleCPU        = "cpu"
)

// MessageKeyPrefix prefixes the key of the LocalizableMessage every fault of the kit
// carries (faultMessage[0].key = prefix + rule, no text), so clients can tell the rule.
const MessageKeyPrefix = "com.vmotionlab."

// localized returns the fault as a task error or CheckResult entry.
func (f *finding) localized() *types.LocalizedMethodFault {
	base := f.fault.GetMethodFault()
	if len(base.FaultMessage) == 0 {
		// The key only: govc prints each faultMessage's text next to the fault's message.
		base.FaultMessage = []types.LocalizableMessage{{Key: MessageKeyPrefix + f.rule}}
	}
	return &types.LocalizedMethodFault{Fault: f.fault, LocalizedMessage: f.msg}
}

// soapFault returns the finding as the SOAP fault of a synchronous call.
func (f *finding) soapFault() *soap.Fault {
	f.localized()
	return simulator.Fault(f.msg, f.fault)
}

// vCenter's messages for the generic faults.
const (
	msgInvalidState          = "The operation is not allowed in the current state."
	msgInvalidHostState      = "The operation is not allowed in the current state of the host."
	msgInvalidHostConnection = "The operation is not allowed in the current connection state of the host."
	msgTaskInProgress        = "Another task is already in progress."
	msgTimedout              = "Operation timed out."
	msgKBCpu                 = "The CPU of the host is incompatible with the CPU feature requirements of the virtual machine; problem detected at CPUID level 0x%x register '%s'."
)

func invalidArgument(property, detail string) *finding {
	msg := "A specified parameter was not correct: " + property
	if detail != "" {
		msg += " (" + detail + ")"
	}
	return &finding{rule: ruleSpec, test: "sourceTests", fault: &types.InvalidArgument{InvalidProperty: property}, msg: msg}
}

func notFound(property string, ref types.ManagedObjectReference) *finding {
	return &finding{rule: ruleSpec, test: "sourceTests", fault: &types.ManagedObjectNotFound{Obj: ref},
		msg: fmt.Sprintf("The object '%s' has already been deleted or has not been completely created (%s).", ref.Value, property)}
}

func internalError(detail string) *finding {
	return &finding{rule: "internal", fault: &types.SystemError{Reason: detail},
		msg: "A general system error occurred: " + detail}
}

func taskInProgress(task types.ManagedObjectReference, vm string) *finding {
	return &finding{rule: ruleBusy, test: "sourceTests", fault: &types.TaskInProgress{Task: task},
		msg: msgTaskInProgress + " (" + vm + " is being migrated by " + task.Value + ")"}
}

func invalidPowerState(requested, existing types.VirtualMachinePowerState) *finding {
	return &finding{rule: rulePowerState, test: "sourceTests",
		fault: &types.InvalidPowerState{RequestedState: requested, ExistingState: existing},
		msg:   fmt.Sprintf("The attempted operation cannot be performed in the current state (%s).", powerStateLabel(existing))}
}

func powerStateLabel(s types.VirtualMachinePowerState) string {
	switch s {
	case types.VirtualMachinePowerStatePoweredOn:
		return "Powered on"
	case types.VirtualMachinePowerStatePoweredOff:
		return "Powered off"
	case types.VirtualMachinePowerStateSuspended:
		return "Suspended"
	}
	return string(s)
}

// hostNotConnected: the host is disconnected or not responding.
func hostNotConnected(h *hostFacts, test string) *finding {
	return &finding{rule: ruleHostState, test: test,
		fault: &types.InvalidHostConnectionState{InvalidHostState: types.InvalidHostState{Host: &h.ref}},
		msg:   msgInvalidHostConnection}
}

// hostInMaintenance: the destination is in (or entering) maintenance mode.
func hostInMaintenance(h *hostFacts) *finding {
	return &finding{rule: ruleHostState, test: "hostTests",
		fault: &types.InvalidHostState{Host: &h.ref},
		msg:   msgInvalidHostState}
}

func vmotionNotConfigured(src, dst, failed *hostFacts) *finding {
	side := "destination"
	if failed == src {
		side = "source"
	}
	test := "hostTests"
	if failed == src {
		test = "sourceTests"
	}
	ref := failed.ref
	return &finding{rule: ruleVMotionNIC, test: test,
		fault: &types.VMotionNotConfigured{VMotionInterfaceIssue: types.VMotionInterfaceIssue{
			AtSourceHost: failed == src, FailedHost: failed.name, FailedHostEntity: &ref}},
		msg: fmt.Sprintf("Unable to migrate from %s to %s: The vMotion interface is not configured (or is misconfigured) on the %s host '%s'.",
			src.name, dst.name, side, failed.name)}
}

func cannotAccessConfig(vmx string) *finding {
	reason := types.LocalizedMethodFault{
		Fault:            &types.CannotAccessFile{FileFault: types.FileFault{File: vmx}},
		LocalizedMessage: "Unable to access file " + vmx,
	}
	return &finding{rule: ruleFiles, test: "datastoreTests",
		fault: &types.CannotAccessVmConfig{Reason: reason},
		msg:   "Unable to access the virtual machine configuration: Unable to access file " + vmx}
}

func cannotAccessDisk(label, file string) *finding {
	cause := types.LocalizedMethodFault{
		Fault:            &types.CannotAccessFile{FileFault: types.FileFault{File: file}},
		LocalizedMessage: "Unable to access file " + file,
	}
	return &finding{rule: ruleFiles, test: "datastoreTests",
		fault: &types.CannotAccessVmDisk{CannotAccessVmDevice: types.CannotAccessVmDevice{Device: label, Backing: file, Connected: true}, Fault: cause},
		msg:   fmt.Sprintf("Virtual disk '%s' is not accessible on the destination host: Unable to access file %s", label, file)}
}

// cannotAccessDevice: a CD-ROM or floppy image on a datastore the destination does not
// mount (KB 1003794): an error when connected, a warning when not.
func cannotAccessDevice(src, dst *hostFacts, label, backing string, connected bool) *finding {
	return &finding{rule: ruleFiles, test: "datastoreTests", warning: !connected,
		fault: &types.CannotAccessVmDevice{Device: label, Backing: backing, Connected: connected},
		msg: fmt.Sprintf("Unable to migrate from %s to %s: Device '%s' uses backing '%s', which is not accessible.",
			src.name, dst.name, label, backing)}
}

func datastoreNotWritable(ds types.ManagedObjectReference, dsName string, h *hostFacts) *finding {
	return &finding{rule: ruleTargetDS, test: "datastoreTests",
		fault: &types.DatastoreNotWritableOnHost{InvalidDatastore: types.InvalidDatastore{Datastore: &ds, Name: dsName}, Host: h.ref},
		msg:   fmt.Sprintf("The datastore '%s' is not writable on the host '%s'.", dsName, h.name)}
}

// cannotAccessNetwork: an error for a connected adapter, a warning otherwise.
func cannotAccessNetwork(label, network string, ref *types.ManagedObjectReference, connected bool) *finding {
	msg := fmt.Sprintf("Currently connected network interface '%s' uses network '%s', which is not accessible.", label, network)
	if !connected {
		msg = fmt.Sprintf("Network interface '%s' uses network '%s', which is not accessible.", label, network)
	}
	return &finding{rule: ruleNetwork, test: "networkTests", warning: !connected,
		fault: &types.CannotAccessNetwork{CannotAccessVmDevice: types.CannotAccessVmDevice{Device: label, Backing: network, Connected: connected}, Network: ref},
		msg:   msg}
}

func cpuIncompatible(src, dst *hostFacts, level int32, register, hostBits, vmBits string) *finding {
	ref := dst.ref
	return &finding{rule: ruleCPU, test: "hostTests",
		fault: &types.CpuIncompatible{Level: level, RegisterName: register, RegisterBits: hostBits, DesiredBits: vmBits, Host: &ref},
		msg:   fmt.Sprintf("Unable to migrate from %s to %s: "+msgKBCpu, src.name, dst.name, uint32(level), register)}
}

// EVC faults (ConfigureEvcMode_Task, CheckConfigureEvcMode_Task, AddHost_Task).

func evcDisconnectedHosts(names []string) *finding {
	return &finding{rule: "evc-disconnected", fault: &types.DisconnectedHostsBlockingEVC{},
		msg: "Cannot configure EVC: the cluster has disconnected hosts (" + strings.Join(names, ", ") + ")."}
}

func evcIllegalByVendor(mode, modeVendor, clusterVendor string) *finding {
	return &finding{rule: "evc-vendor", fault: &types.EVCModeIllegalByVendor{ClusterCPUVendor: clusterVendor, ModeCPUVendor: modeVendor},
		msg: fmt.Sprintf("Cannot configure EVC mode '%s': it is for %s CPUs and the cluster's hosts have %s CPUs.", mode, modeVendor, clusterVendor)}
}

func evcUnsupportedByHosts(mode string, hosts []*hostFacts) *finding {
	refs, names, tops := hostLists(hosts, func(h *hostFacts) string { return h.name + " supports up to " + orNone(h.maxEVC) })
	return &finding{rule: "evc-unsupported", fault: &types.EVCModeUnsupportedByHosts{EvcMode: mode, Host: refs, HostName: names},
		msg: fmt.Sprintf("Cannot configure EVC mode '%s': the CPU of host %s does not support it (%s).", mode, strings.Join(names, ", "), tops)}
}

func evcActiveVMs(mode string, hosts []*hostFacts, detail string) *finding {
	refs, names, _ := hostLists(hosts, nil)
	return &finding{rule: "evc-active-vms", fault: &types.ActiveVMsBlockingEVC{EvcMode: mode, Host: refs, HostName: names},
		msg: fmt.Sprintf("Cannot configure EVC mode '%s': host %s has powered-on or suspended virtual machines using CPU features beyond this mode (%s). Power them off, or choose a mode that contains their features.",
			mode, strings.Join(names, ", "), detail)}
}

func evcAdmissionCPUModel(mode string) *finding {
	return &finding{rule: "evc-admission", fault: &types.EVCAdmissionFailedCPUModelForMode{CurrentEVCModeKey: mode},
		msg: "The host's CPU hardware does not support the cluster's current Enhanced vMotion Compatibility mode (" + mode + ")."}
}

func evcAdmissionCPUVendor(clusterVendor, hostVendor string) *finding {
	return &finding{rule: "evc-admission", fault: &types.EVCAdmissionFailedCPUVendor{ClusterCPUVendor: clusterVendor, HostCPUVendor: hostVendor},
		msg: "The host's CPU vendor does not match the required CPU vendor for the Enhanced vMotion Compatibility mode of the cluster."}
}

func hostLists(hosts []*hostFacts, detail func(*hostFacts) string) ([]types.ManagedObjectReference, []string, string) {
	sorted := append([]*hostFacts(nil), hosts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	var refs []types.ManagedObjectReference
	var names, details []string
	for _, h := range sorted {
		refs = append(refs, h.ref)
		names = append(names, h.name)
		if detail != nil {
			details = append(details, detail(h))
		}
	}
	return refs, names, strings.Join(details, "; ")
}

func orNone(mode string) string {
	if mode == "" {
		return "no EVC mode"
	}
	return mode
}

// Maintenance mode faults.

func alreadyInMaintenance(h *hostFacts) *finding {
	return &finding{rule: "maintenance", fault: &types.InvalidState{}, msg: msgInvalidState + " (" + h.name + " is already in maintenance mode)"}
}

func notInMaintenance(h *hostFacts) *finding {
	return &finding{rule: "maintenance", fault: &types.InvalidState{}, msg: msgInvalidState + " (" + h.name + " is not in maintenance mode)"}
}

func enteringMaintenance(h *hostFacts, task types.ManagedObjectReference) *finding {
	return &finding{rule: "maintenance", fault: &types.TaskInProgress{Task: task},
		msg: msgTaskInProgress + " (" + h.name + " is entering maintenance mode)"}
}

func timedout() *finding {
	return &finding{rule: "maintenance", fault: &types.Timedout{}, msg: msgTimedout}
}
