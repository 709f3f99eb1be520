package extension

import (
	"context"
	"strings"
	"testing"

	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/vim25/mo"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/types"
)

// evcManager returns the cluster's EVC manager through cluster.EvcManager().
func (l *lab) evcManager() *evcClient {
	res, err := methods.EvcManager(l.ctx, l.c, &types.EvcManager{This: l.cluster().Reference()})
	l.must(err)
	return &evcClient{l: l, ref: *res.Returnval}
}

type evcClient struct {
	l   *lab
	ref types.ManagedObjectReference
}

func (e *evcClient) task(ref types.ManagedObjectReference) *object.Task {
	return object.NewTask(e.l.c, ref)
}

// ConfigureEvcMode_Task starts ConfigureEvcMode_Task.
func (e *evcClient) ConfigureEvcMode_Task(ctx context.Context, mode string) (*object.Task, error) {
	res, err := methods.ConfigureEvcMode_Task(ctx, e.l.c, &types.ConfigureEvcMode_Task{This: e.ref, EvcModeKey: mode})
	if err != nil {
		return nil, err
	}
	return e.task(res.Returnval), nil
}

// configureEVC sets the cluster's EVC mode (it must be accepted).
func (l *lab) configureEVC(mode string) {
	l.t.Helper()
	l.waitTask(l.evcManager().ConfigureEvcMode_Task(l.ctx, mode))
}

// mustFault runs a task-starting call that must fail with the named fault.
func (l *lab) mustFault(start func(context.Context, string) (*object.Task, error), arg, fault string) *types.LocalizedMethodFault {
	l.t.Helper()
	f := l.taskFault(start(l.ctx, arg))
	if f == nil || faultName(f.Fault) != fault {
		l.t.Fatalf("got %v, want %s", f, fault)
	}
	return f
}

// state reads the EVC manager's evcState.
func (e *evcClient) state() types.ClusterEVCManagerEVCState {
	var m mo.ClusterEVCManager
	e.l.must(property.DefaultCollector(e.l.c).RetrieveOne(e.l.ctx, e.ref, []string{"evcState"}, &m))
	return m.EvcState
}

func (e *evcClient) check(mode string) []types.ClusterEVCManagerCheckResult {
	res, err := methods.CheckConfigureEvcMode_Task(e.l.ctx, e.l.c, &types.CheckConfigureEvcMode_Task{This: e.ref, EvcModeKey: mode})
	e.l.must(err)
	info := e.l.waitTask(e.task(res.Returnval), nil)
	return info.Result.(types.ArrayOfClusterEVCManagerCheckResult).ClusterEVCManagerCheckResult
}

func (e *evcClient) disable() {
	res, err := methods.DisableEvcMode_Task(e.l.ctx, e.l.c, &types.DisableEvcMode_Task{This: e.ref})
	e.l.must(err)
	e.l.waitTask(e.task(res.Returnval), nil)
}

func (l *lab) clusterEVC() string {
	var c mo.ClusterComputeResource
	l.must(l.cluster().Properties(l.ctx, l.cluster().Reference(), []string{"summary"}, &c))
	return c.Summary.(*types.ClusterComputeResourceSummary).CurrentEVCModeKey
}

func (l *lab) baseline(vm string) string {
	return l.vmMO(vm, "runtime.minRequiredEVCModeKey").Runtime.MinRequiredEVCModeKey
}

func TestEVCStateAndCatalog(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		e := l.evcManager()
		if again := l.evcManager(); again.ref != e.ref {
			t.Errorf("EvcManager() changed: %v then %v", e.ref, again.ref)
		}
		st := e.state()
		if st.CurrentEVCModeKey != "" || len(st.SupportedEVCMode) != len(DefaultCatalog().Keys("")) {
			t.Errorf("evcState: current %q, %d modes", st.CurrentEVCModeKey, len(st.SupportedEVCMode))
		}
		var si mo.ServiceInstance
		l.must(property.DefaultCollector(l.c).RetrieveOne(l.ctx, types.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}, []string{"capability"}, &si))
		if len(si.Capability.SupportedEVCMode) != len(st.SupportedEVCMode) {
			t.Errorf("si.capability.supportedEVCMode has %d modes", len(si.Capability.SupportedEVCMode))
		}
		for _, h := range []struct{ name, max string }{{"ESXi_1", "intel-icelake"}, {"ESXi_2", "intel-cascadelake"}} {
			if got := l.hostMO(h.name, "summary.maxEVCModeKey").Summary.MaxEVCModeKey; got != h.max {
				t.Errorf("%s maxEVCModeKey %q", h.name, got)
			}
		}
	})
}

func TestConfigureEvcModeRefusals(t *testing.T) {
	rows := []struct {
		name, mode, fault, message string
		setup                      func(l *lab)
		check                      func(l *lab, f types.BaseMethodFault)
	}{
		{name: "unknown mode", mode: "intel-nonsense", fault: "InvalidArgument", message: "A specified parameter was not correct: evcModeKey"},
		{name: "wrong vendor", mode: "amd-zen", fault: "EVCModeIllegalByVendor", message: "it is for amd CPUs and the cluster's hosts have intel CPUs",
			check: func(l *lab, f types.BaseMethodFault) {
				if e := f.(*types.EVCModeIllegalByVendor); e.ClusterCPUVendor != "intel" || e.ModeCPUVendor != "amd" {
					l.t.Errorf("fields %+v", e)
				}
			}},
		{name: "above a host's CPU", mode: "intel-icelake", fault: "EVCModeUnsupportedByHosts", message: "ESXi_2 supports up to intel-cascadelake",
			check: func(l *lab, f types.BaseMethodFault) {
				if e := f.(*types.EVCModeUnsupportedByHosts); e.EvcMode != "intel-icelake" || len(e.HostName) != 1 || e.HostName[0] != "ESXi_2" || e.Host[0] != l.host("ESXi_2").Reference() {
					l.t.Errorf("fields %+v", e)
				}
			}},
		{name: "powered-on VMs above the mode", mode: "intel-cascadelake", fault: "ActiveVMsBlockingEVC", message: "vm-shared (intel-icelake)",
			check: func(l *lab, f types.BaseMethodFault) {
				if e := f.(*types.ActiveVMsBlockingEVC); e.EvcMode != "intel-cascadelake" || len(e.HostName) != 1 || e.HostName[0] != "ESXi_1" {
					l.t.Errorf("fields %+v", e)
				}
			}},
		{name: "suspended VMs block too", mode: "intel-cascadelake", fault: "ActiveVMsBlockingEVC",
			setup: func(l *lab) { l.powerOff("vm-local"); l.waitTask(l.vm("vm-shared").Suspend(l.ctx)) }},
		{name: "disconnected host", mode: "intel-cascadelake", fault: "DisconnectedHostsBlockingEVC", message: "disconnected hosts (ESXi_2)",
			setup: func(l *lab) { l.waitTask(l.host("ESXi_2").Disconnect(l.ctx)) }},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			runLab(t, labOptions{}, func(l *lab) {
				if row.setup != nil {
					row.setup(l)
				}
				f := l.mustFault(l.evcManager().ConfigureEvcMode_Task, row.mode, row.fault)
				if !strings.Contains(f.LocalizedMessage, row.message) {
					t.Errorf("message %q, want %q", f.LocalizedMessage, row.message)
				}
				if row.check != nil {
					row.check(l, f.Fault)
				}
				if got := l.clusterEVC(); got != "" {
					t.Errorf("a refusal set EVC to %q", got)
				}
			})
		})
	}
}

func TestCheckConfigureEvcModeListsEveryRefusal(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		results := l.evcManager().check("amd-zen")
		var got []string
		for _, r := range results {
			got = append(got, faultName(r.Error.Fault))
			if r.EvcModeKey != "amd-zen" || r.Error.LocalizedMessage == "" {
				t.Errorf("result %+v", r)
			}
		}
		if strings.Join(got, ",") != "EVCModeIllegalByVendor,ActiveVMsBlockingEVC" {
			t.Errorf("check(amd-zen) = %v", got)
		}
		if results := l.evcManager().check("intel-broadwell"); len(results) != 1 || faultName(results[0].Error.Fault) != "ActiveVMsBlockingEVC" {
			t.Errorf("check(intel-broadwell) with VMs at icelake: %v, want the active VMs", results)
		}
		l.powerOff("vm-shared")
		l.powerOff("vm-local")
		if results := l.evcManager().check("intel-broadwell"); len(results) != 0 {
			t.Errorf("check(intel-broadwell) with VMs off: %v", results)
		}
	})
}

func TestEVCModeAppliesAtPowerOn(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		l.powerOff("vm-shared")
		l.powerOff("vm-local")
		if b := l.baseline("vm-shared"); b != "" {
			t.Errorf("powered-off VM keeps baseline %q", b)
		}
		l.configureEVC("intel-broadwell")
		if got := l.clusterEVC(); got != "intel-broadwell" {
			t.Errorf("cluster summary.currentEVCModeKey %q", got)
		}
		for _, h := range []string{"ESXi_1", "ESXi_2"} {
			if got := l.hostMO(h, "summary.currentEVCModeKey").Summary.CurrentEVCModeKey; got != "intel-broadwell" {
				t.Errorf("%s currentEVCModeKey %q", h, got)
			}
		}
		if st := l.evcManager().state(); st.CurrentEVCModeKey != "intel-broadwell" || len(st.FeatureCapability) == 0 || len(st.GuaranteedCPUFeatures) == 0 {
			t.Errorf("evcState %q, %d capabilities", st.CurrentEVCModeKey, len(st.FeatureCapability))
		}
		l.powerOn("vm-shared")
		if b := l.baseline("vm-shared"); b != "intel-broadwell" {
			t.Errorf("baseline %q, want the cluster's mode", b)
		}
		// Raising the mode while a VM runs is allowed; the VM keeps its baseline.
		l.configureEVC("intel-cascadelake")
		if b := l.baseline("vm-shared"); b != "intel-broadwell" {
			t.Errorf("baseline after raising: %q", b)
		}
		// Suspend/resume and reset keep it; only a power cycle takes the new mode.
		l.waitTask(l.vm("vm-shared").Suspend(l.ctx))
		l.powerOn("vm-shared")
		l.waitTask(l.vm("vm-shared").Reset(l.ctx))
		if b := l.baseline("vm-shared"); b != "intel-broadwell" {
			t.Errorf("baseline after suspend/resume and reset: %q", b)
		}
		l.powerOff("vm-shared")
		l.powerOn("vm-shared")
		if b := l.baseline("vm-shared"); b != "intel-cascadelake" {
			t.Errorf("baseline after a power cycle: %q", b)
		}
		// Lowering below a running VM's baseline is refused.
		l.mustFault(l.evcManager().ConfigureEvcMode_Task, "intel-broadwell", "ActiveVMsBlockingEVC")
		l.evcManager().disable()
		if got := l.clusterEVC(); got != "" {
			t.Errorf("after disable: %q", got)
		}
		if got := l.hostMO("ESXi_2", "summary.currentEVCModeKey").Summary.CurrentEVCModeKey; got != "" {
			t.Errorf("host after disable: %q", got)
		}
		if b := l.baseline("vm-shared"); b != "intel-cascadelake" {
			t.Errorf("disabling EVC changed a running VM's baseline: %q", b)
		}
		l.powerOff("vm-shared")
		l.powerOn("vm-shared")
		if b := l.baseline("vm-shared"); b != "intel-icelake" {
			t.Errorf("baseline outside EVC: %q, want the host's best mode", b)
		}
	})
}

func TestAddHostToAnEVCCluster(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		l.configureEVC("intel-cascadelake")
		// A host the profile does not name has vcsim's template CPU (intel-sandybridge).
		f := l.taskFault(l.cluster().AddHost(l.ctx, types.HostConnectSpec{HostName: "ESXi_3", Force: true}, true, nil, nil))
		if f == nil || faultName(f.Fault) != "EVCAdmissionFailedCPUModelForMode" {
			t.Fatalf("AddHost(ESXi_3) = %v", f)
		}
		l.evcManager().disable()
		l.configureEVC("intel-sandybridge")
		l.waitTask(l.cluster().AddHost(l.ctx, types.HostConnectSpec{HostName: "ESXi_3", Force: true}, true, nil, nil))
		if got := l.hostMO("ESXi_3", "summary.currentEVCModeKey").Summary.CurrentEVCModeKey; got != "intel-sandybridge" {
			t.Errorf("ESXi_3 currentEVCModeKey %q", got)
		}
	})
}

func TestEVCTasksAreNamedAsVCenterNamesThem(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		task, err := l.evcManager().ConfigureEvcMode_Task(l.ctx, "intel-merom")
		l.must(err)
		info := l.waitTask(task, nil)
		if info.Name != "ConfigureEvcMode_Task" || info.DescriptionId != "cluster.EVCManager.configureEvc" || info.EntityName != "Cluster" || *info.Entity != l.cluster().Reference() {
			t.Errorf("task %s %s %s %v", info.Name, info.DescriptionId, info.EntityName, info.Entity)
		}
	})
}
