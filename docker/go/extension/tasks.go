package extension

import (
	"fmt"
	"log"
	"runtime/debug"
	"strings"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// Tasks as vCenter shows them: named by their WSDL method (pyVim's WaitForTask looks
// the name up), vCenter's descriptionId, the entity's name, progress, vCenter's message
// in the error. vcsim's Task.Run holds the entity's lock while a task runs and puts
// the fault's Go type in the message (docs/simulator-extension.md §4), so the kit's tasks run
// on their own runner (labTask) and vcsim's own tasks are renamed when registered.

// labTask is a task of the kit's, running until finish or fail.
type labTask struct {
	ctx *simulator.Context // detached: the task's own lock ownership
	t   *simulator.Task
}

// refAllocator borrows the registry's reference counter for a new task ("task-N").
type refAllocator struct{ mo.ManagedEntity }

func (r *refAllocator) Entity() *mo.ManagedEntity { return &r.ManagedEntity }

// startTask registers a running task named `name` (WSDL method) on `entity` (nil:
// none). The caller must not hold locks other than the entity's.
func startTask(ctx *simulator.Context, entity *types.ManagedObjectReference, entityName, name, descriptionID string, cancelable bool) *labTask {
	bg := detach(ctx)
	alloc := &refAllocator{}
	alloc.Self.Type = "Task"
	bg.Map.NewEntity(alloc)
	now := time.Now()
	user := "vcsim"
	if ctx.Session != nil && ctx.Session.UserName != "" {
		user = ctx.Session.UserName
	}
	t := &simulator.Task{}
	t.Self = alloc.Self
	t.Info = types.TaskInfo{
		Key:           t.Self.Value,
		Task:          t.Self,
		Name:          name,
		DescriptionId: descriptionID,
		Entity:        entity,
		EntityName:    entityName,
		State:         types.TaskInfoStateRunning,
		Cancelable:    cancelable,
		Reason:        &types.TaskReasonUser{UserName: user},
		QueueTime:     now,
		StartTime:     &now,
		EventChainId:  0,
	}
	if entity != nil {
		// vcsim's TaskManager appends the task to the entity's recentTask without
		// locking it: its callers hold the entity's lock, so does this one.
		ctx.WithLock(*entity, func() { bg.Map.Put(t) })
	} else {
		bg.Map.Put(t)
	}
	return &labTask{ctx: bg, t: t}
}

// ref returns the task's reference.
func (lt *labTask) ref() types.ManagedObjectReference { return lt.t.Self }

// progress sets info.progress (0-100) while the task runs.
func (lt *labTask) progress(percent int32) {
	lt.ctx.WithLock(lt.t, func() {
		if lt.t.Info.State == types.TaskInfoStateRunning {
			lt.ctx.Update(lt.t, []types.PropertyChange{{Name: "info.progress", Val: percent}})
		}
	})
}

// cancelled tells whether a client cancelled the task (CancelTask ended it).
func (lt *labTask) cancelled() bool {
	done := false
	lt.ctx.WithLock(lt.t, func() { done = lt.t.Info.Cancelled || lt.isDone() })
	return done
}

func (lt *labTask) isDone() bool {
	s := lt.t.Info.State
	return s == types.TaskInfoStateSuccess || s == types.TaskInfoStateError
}

// errNotYet, returned by a complete callback, leaves the task running.
var errNotYet = &finding{rule: "not-yet"}

// complete runs apply, then ends the task with its outcome, unless the task was
// cancelled first: then apply does not run and complete returns false. The task's
// lock is held throughout, so a CancelTask either comes first or finds the task done.
// Lock order: a task's lock, then decide, then object locks.
func (lt *labTask) complete(apply func() (types.AnyType, *finding)) bool {
	ran := false
	lt.ctx.WithLock(lt.t, func() {
		if lt.t.Info.Cancelled || lt.isDone() {
			return
		}
		ran = true
		result, failure := apply()
		if failure != errNotYet {
			lt.end(result, failure)
		}
	})
	return ran
}

// succeed ends the task with a result.
func (lt *labTask) succeed(result types.AnyType) bool {
	return lt.complete(func() (types.AnyType, *finding) { return result, nil })
}

// fail ends the task with the finding's fault and message.
func (lt *labTask) fail(f *finding) bool {
	return lt.complete(func() (types.AnyType, *finding) { return nil, f })
}

// end writes the final state; the task's lock is held.
func (lt *labTask) end(result types.AnyType, failure *finding) {
	state := types.TaskInfoStateSuccess
	var fault any
	changes := []types.PropertyChange{{Name: "info.completeTime", Val: time.Now()}}
	if failure != nil {
		state = types.TaskInfoStateError
		fault = failure.localized()
	} else {
		changes = append(changes, types.PropertyChange{Name: "info.progress", Val: int32(100)})
	}
	changes = append(changes,
		types.PropertyChange{Name: "info.state", Val: state},
		types.PropertyChange{Name: "info.result", Val: result},
		types.PropertyChange{Name: "info.error", Val: fault})
	lt.ctx.Update(lt.t, changes)
}

// recoverInto, deferred by the code that decides a task on the request's goroutine,
// turns a panic into the task's error (a task left running would hang its waiters).
func (lt *labTask) recoverInto() {
	if r := recover(); r != nil {
		log.Printf("vmotionlab: task %s (%s) failed: %v\n%s", lt.t.Self.Value, lt.t.Info.Name, r, debug.Stack())
		lt.fail(internalError(fmt.Sprint(r)))
	}
}

// safely runs f in a goroutine; a panic becomes the task's error instead of ending
// the simulator ("no sequence of calls may crash it").
func (lt *labTask) safely(f func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("vmotionlab: task %s (%s) failed: %v\n%s", lt.t.Self.Value, lt.t.Info.Name, r, debug.Stack())
				lt.fail(internalError(fmt.Sprint(r)))
			}
		}()
		f()
	}()
}

// taskNames maps vcsim's task descriptionIds to the WSDL method and vCenter's
// descriptionId where the rule "ucFirst(id) + _Task" gets them wrong.
var taskNames = map[string][2]string{
	"VirtualMachine.powerOn":                    {"PowerOnVM_Task", "VirtualMachine.powerOn"},
	"VirtualMachine.powerOff":                   {"PowerOffVM_Task", "VirtualMachine.powerOff"},
	"VirtualMachine.suspend":                    {"SuspendVM_Task", "VirtualMachine.suspend"},
	"VirtualMachine.reset":                      {"ResetVM_Task", "VirtualMachine.reset"},
	"VirtualMachine.reconfigVm":                 {"ReconfigVM_Task", "VirtualMachine.reconfigure"},
	"VirtualMachine.upgradeVm":                  {"UpgradeVM_Task", "VirtualMachine.upgradeVirtualHardware"},
	"VirtualMachine.cloneVm":                    {"CloneVM_Task", "VirtualMachine.clone"},
	"VirtualMachine.relocateVm":                 {"RelocateVM_Task", "VirtualMachine.relocate"},
	"VirtualMachine.customizeVm":                {"CustomizeVM_Task", "VirtualMachine.customize"},
	"VirtualMachine.revertSnapshot":             {"RevertToCurrentSnapshot_Task", "VirtualMachine.revertToCurrentSnapshot"},
	"VirtualMachine.RemoveAllSnapshots":         {"RemoveAllSnapshots_Task", "VirtualMachine.removeAllSnapshots"},
	"VirtualMachine.removeSnapshot":             {"RemoveSnapshot_Task", "vm.Snapshot.remove"},
	"VirtualMachine.revertToSnapshot":           {"RevertToSnapshot_Task", "vm.Snapshot.revert"},
	"HostSystem.disconnectHost":                 {"DisconnectHost_Task", "HostSystem.disconnect"},
	"HostSystem.reconnectHost":                  {"ReconnectHost_Task", "HostSystem.reconnect"},
	"ClusterComputeResource.reconfigureCluster": {"ReconfigureComputeResource_Task", "ClusterComputeResource.reconfigureEx"},
	"Folder.createVm":                           {"CreateVM_Task", "Folder.createVm"},
	"Folder.registerVm":                         {"RegisterVM_Task", "Folder.registerVm"},
	"Folder.moveIntoFolder":                     {"MoveIntoFolder_Task", "Folder.moveInto"},
	"Folder.createDVS":                          {"CreateDVS_Task", "Folder.createDistributedVirtualSwitch"},
	"Datacenter.powerOnMultiVM":                 {"PowerOnMultiVM_Task", "Datacenter.powerOnVm"},
}

// wsdlTaskName returns the WSDL method and descriptionId for a vcsim task, ok=false
// when it cannot tell (the task keeps vcsim's name).
func wsdlTaskName(info *types.TaskInfo) (name, descriptionID string, ok bool) {
	if strings.HasSuffix(info.Name, "_Task") {
		return "", "", false // already a WSDL name (the kit's own tasks)
	}
	if n, found := taskNames[info.DescriptionId]; found {
		return n[0], n[1], true
	}
	_, id, found := strings.Cut(info.DescriptionId, ".")
	if !found || id == "" {
		return "", "", false
	}
	name = strings.ToUpper(id[:1]) + id[1:] + "_Task"
	if _, known := types.TypeFunc()(name); !known {
		return "", "", false
	}
	return name, info.DescriptionId, true
}

// renameTask gives a task vcsim just registered its WSDL name and its entity's name.
// Called from the registry hook: the entity may be locked by the caller, so its name
// is read without its lock (names only change by Rename_Task).
func renameTask(ctx *simulator.Context, t *simulator.Task) {
	ctx.WithLock(t, func() {
		if name, id, ok := wsdlTaskName(&t.Info); ok {
			t.Info.Name = name
			t.Info.DescriptionId = id
		}
		if t.Info.Entity != nil && t.Info.EntityName == t.Info.Entity.Value {
			if e, ok := ctx.Map.Get(*t.Info.Entity).(mo.Entity); ok && e.Entity().Name != "" {
				t.Info.EntityName = e.Entity().Name
			}
		}
	})
}
