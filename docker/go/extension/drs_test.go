package extension

import (
	"strings"
	"testing"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func (l *lab) recommendations() []types.ClusterRecommendation {
	var c mo.ClusterComputeResource
	l.must(l.cluster().Properties(l.ctx, l.cluster().Reference(), []string{"recommendation"}, &c))
	return c.Recommendation
}

func (l *lab) refreshRecommendation() {
	_, err := methods.RefreshRecommendation(l.ctx, l.c, &types.RefreshRecommendation{This: l.cluster().Reference()})
	l.must(err)
}

func (l *lab) applyRecommendation(key string) error {
	_, err := methods.ApplyRecommendation(l.ctx, l.c, &types.ApplyRecommendation{This: l.cluster().Reference(), Key: key})
	return err
}

// loaded puts three more shared-storage VMs on ESXi_1 and readies vMotion.
func loadedLab(drs types.DrsBehavior) labOptions {
	return labOptions{drs: drs, extraVMs: 3}
}

func TestRecommendationsBalanceTheCluster(t *testing.T) {
	runLab(t, loadedLab(types.DrsBehaviorManual), func(l *lab) {
		l.readyForVMotion()
		l.refreshRecommendation()
		recs := l.recommendations()
		if len(recs) != 2 {
			t.Fatalf("%d recommendations, want 2 (5 VMs on ESXi_1, vm-local pinned): %+v", len(recs), recs)
		}
		for _, r := range recs {
			vm, src, dst, ok := migrationOf(r)
			if !ok || src != l.host("ESXi_1").Reference() || dst != l.host("ESXi_2").Reference() || vm == l.vm("vm-local").Reference() {
				t.Errorf("recommendation %+v", r)
			}
			if !strings.HasPrefix(r.Reason, "fairness") || !strings.Contains(r.ReasonText, "Balance average") || r.Rating != 3 || r.Key == "" {
				t.Errorf("recommendation %s %q %d %q", r.Reason, r.ReasonText, r.Rating, r.Key)
			}
		}
		// Refreshing again keeps the keys.
		l.refreshRecommendation()
		if again := l.recommendations(); len(again) != 2 || again[0].Key != recs[0].Key {
			t.Errorf("keys changed: %v then %v", recs[0].Key, again)
		}
		l.must(l.applyRecommendation(recs[0].Key))
		vm, _, _, _ := migrationOf(recs[0])
		l.eventually("the recommended VM moved", func() bool {
			var v mo.VirtualMachine
			l.must(l.cluster().Properties(l.ctx, vm, []string{"runtime.host"}, &v))
			return *v.Runtime.Host == l.host("ESXi_2").Reference()
		})
		l.eventually("a DrsVmMigratedEvent", func() bool { return len(l.entityEvents(vm, "DrsVmMigratedEvent")) == 1 })
		if left := l.recommendations(); len(left) != 1 {
			t.Errorf("%d recommendations left", len(left))
		}
		_, err := methods.CancelRecommendation(l.ctx, l.c, &types.CancelRecommendation{This: l.cluster().Reference(), Key: recs[1].Key})
		l.must(err)
		if left := l.recommendations(); len(left) != 0 {
			t.Errorf("%d recommendations after cancel", len(left))
		}
		if _, ok := soapFault(l.applyRecommendation("nope")).(*types.InvalidArgument); !ok {
			t.Error("ApplyRecommendation(unknown key) did not fail with InvalidArgument")
		}
		l.assertInvariants()
	})
}

func TestNoRecommendationsWithDRSOff(t *testing.T) {
	runLab(t, loadedLab(""), func(l *lab) {
		l.readyForVMotion()
		l.refreshRecommendation()
		if recs := l.recommendations(); len(recs) != 0 {
			t.Errorf("DRS off: %d recommendations", len(recs))
		}
	})
}

func TestOnlyVMsThatCanMoveAreRecommended(t *testing.T) {
	runLab(t, loadedLab(types.DrsBehaviorPartiallyAutomated), func(l *lab) {
		l.refreshRecommendation() // no vMotion network yet: nothing can move
		if recs := l.recommendations(); len(recs) != 0 {
			t.Errorf("%d recommendations without vMotion", len(recs))
		}
	})
}

func TestFullyAutomatedDRSBalancesOnRefresh(t *testing.T) {
	runLab(t, loadedLab(types.DrsBehaviorFullyAutomated), func(l *lab) {
		l.readyForVMotion()
		l.refreshRecommendation()
		l.eventually("two VMs moved to ESXi_2", func() bool {
			return len(l.hostMO("ESXi_2", "vm").Vm) == 2
		})
		if recs := l.recommendations(); len(recs) != 0 {
			t.Errorf("fully automated left %d recommendations", len(recs))
		}
		l.assertInvariants()
	})
}

func TestRelocateToAPoolLetsDRSPickTheHost(t *testing.T) {
	runLab(t, labOptions{drs: types.DrsBehaviorManual}, func(l *lab) {
		l.readyForVMotion()
		// A pool on the VM's own cluster: it stays on its host.
		pool, err := l.cluster().ResourcePool(l.ctx)
		l.must(err)
		ref := pool.Reference()
		l.waitTask(l.vm("vm-shared").Relocate(l.ctx, types.VirtualMachineRelocateSpec{Pool: &ref}, types.VirtualMachineMovePriorityDefaultPriority))
		if h, _ := l.placement("vm-shared"); h != "ESXi_1" {
			t.Errorf("vm-shared moved to %s", h)
		}
	})
}

// A client that only reads cluster.recommendation sees DRS's current advice, as on a
// vCenter where DRS has run since the last change.
func TestRecommendationsAreCurrentWhenRead(t *testing.T) {
	runLab(t, loadedLab(types.DrsBehaviorManual), func(l *lab) {
		if recs := l.recommendations(); len(recs) != 0 {
			t.Errorf("without vMotion: %d recommendations", len(recs))
		}
		l.readyForVMotion()
		// A client that watches instead of retrieving (govc object.collect without -o).
		cluster := l.cluster().Reference()
		first, _ := l.watch(cluster, "recommendation")
		recs, _ := first["recommendation"].(types.ArrayOfClusterRecommendation)
		if len(recs.ClusterRecommendation) != 2 {
			t.Errorf("watched after enabling vMotion and EVC: %v", first)
		}
		if recs := l.recommendations(); len(recs) != 2 {
			t.Errorf("after enabling vMotion and EVC: %d recommendations", len(recs))
		}
		// Fully automated DRS acts instead of advising: the manual pass's advice goes.
		drs := types.ClusterDrsConfigInfo{DefaultVmBehavior: types.DrsBehaviorFullyAutomated}
		l.waitTask(l.cluster().Reconfigure(l.ctx, &types.ClusterConfigSpecEx{DrsConfig: &drs}, true))
		if recs := l.recommendations(); len(recs) != 0 {
			t.Errorf("fully automated still lists %d recommendations", len(recs))
		}
	})
}

// -method-delay RelocateVm:ms (lablib's demo flag for stock vcsim) delays the kit's
// relocations too.
func TestStockTaskDelayStillDelaysRelocations(t *testing.T) {
	saved := simulator.TaskDelay.MethodDelay
	simulator.TaskDelay.MethodDelay = map[string]int{"RelocateVm": 300}
	defer func() { simulator.TaskDelay.MethodDelay = saved }()
	runLab(t, labOptions{}, func(l *lab) {
		l.powerOff("vm-shared")
		task, err := l.vm("vm-shared").Relocate(l.ctx, l.spec("", "ESXi_1-local"), types.VirtualMachineMovePriorityDefaultPriority)
		l.must(err)
		if info := l.taskInfo(task); info.State != types.TaskInfoStateRunning {
			t.Errorf("state %s right after the call", info.State)
		}
		l.waitTask(task, nil)
	})
}
