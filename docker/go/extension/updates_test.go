package extension

import (
	"strings"
	"testing"

	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/types"
)

// watch starts a property filter on ref's paths and returns the values it reports first
// and a function that waits (at most 10 s) for the next update, both by name.
func (l *lab) watch(ref types.ManagedObjectReference, paths ...string) (map[string]any, func() map[string]any) {
	pc, err := property.DefaultCollector(l.c).Create(l.ctx)
	l.must(err)
	_, err = pc.CreateFilter(l.ctx, types.CreateFilter{Spec: types.PropertyFilterSpec{
		ObjectSet: []types.ObjectSpec{{Obj: ref}},
		PropSet:   []types.PropertySpec{{Type: ref.Type, PathSet: paths}},
	}})
	l.must(err)
	version := ""
	next := func() map[string]any {
		seconds := int32(10)
		res, err := methods.WaitForUpdatesEx(l.ctx, l.c, &types.WaitForUpdatesEx{This: pc.Reference(), Version: version,
			Options: &types.WaitOptions{MaxWaitSeconds: &seconds}})
		l.must(err)
		changes := map[string]any{}
		if res.Returnval == nil {
			return changes
		}
		version = res.Returnval.Version
		for _, f := range res.Returnval.FilterSet {
			for _, o := range f.ObjectSet {
				for _, c := range o.ChangeSet {
					changes[c.Name] = c.Val
				}
			}
		}
		return changes
	}
	return next(), next
}

// A client waiting on a nested property (govc object.collect, pyVmomi's WaitForUpdatesEx)
// wakes when a relocation or a vMotion NIC change moves it, as on vCenter; so does a
// client waiting on its parent property.
func TestWaitersOnNestedPropertiesWake(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		_, vmotion := l.watch(l.host("ESXi_1").Reference(), "summary.config.vmotionEnabled")
		l.enableVMotion("ESXi_1", "ESXi_2")
		if got := vmotion(); got["summary.config.vmotionEnabled"] != true {
			t.Errorf("vmotionEnabled update: %v", got)
		}

		l.powerOff("vm-local")
		ref := l.vm("vm-local").Reference()
		_, host := l.watch(ref, "runtime.host")
		_, files := l.watch(ref, "config.files.vmPathName")
		_, runtime := l.watch(ref, "runtime")
		if f := l.relocate("vm-local", "ESXi_2", "SharedDS"); f != nil {
			t.Fatalf("relocate: %v", f)
		}
		dst := l.host("ESXi_2").Reference()
		if got := host(); got["runtime.host"] != dst {
			t.Errorf("runtime.host update: %v", got)
		}
		if got, _ := files()["config.files.vmPathName"].(string); !strings.HasPrefix(got, "[SharedDS] ") {
			t.Errorf("config.files.vmPathName update: %q", got)
		}
		if got, ok := runtime()["runtime"].(types.VirtualMachineRuntimeInfo); !ok || *got.Host != dst {
			t.Errorf("runtime update: %v", got)
		}
	})
}
