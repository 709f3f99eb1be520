package extension

import (
	"context"
	"fmt"
	"math/rand"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/types"
)

// Random sequences of valid and invalid calls from two clients at once: migrations
// (compute, storage, both, with bad specs), power operations, EVC, vMotion NICs,
// maintenance mode, checks and DRS. The simulator runs in the test process, so any
// panic fails the test; afterwards the inventory must be consistent.

const (
	sequenceSeeds   = 8  // sequences
	sequenceSteps   = 40 // steps per client and sequence
	sequenceClients = 2
)

// client is one session's view of the lab.
type client struct {
	l      *lab
	c      *vim25.Client
	finder *find.Finder
	rnd    *rand.Rand
	tasks  []*object.Task
	log    []string
	stats  map[string]int // task outcomes by task name
}

func TestRandomSequences(t *testing.T) {
	behaviours := []types.DrsBehavior{"", types.DrsBehaviorManual, types.DrsBehaviorFullyAutomated, types.DrsBehaviorPartiallyAutomated}
	for seed := int64(1); seed <= sequenceSeeds; seed++ {
		seed := seed
		t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) {
			opts := labOptions{drs: behaviours[seed%4], extraVMs: 1}
			if seed%3 == 0 {
				opts.VMotionTime = 150 * time.Millisecond
			}
			runLab(t, opts, func(l *lab) {
				var clients []*client
				for i := 0; i < sequenceClients; i++ {
					clients = append(clients, l.newClient(rand.New(rand.NewSource(seed*100+int64(i)))))
				}
				var wg sync.WaitGroup
				for _, c := range clients {
					wg.Add(1)
					go func(c *client) {
						defer wg.Done()
						for step := 0; step < sequenceSteps; step++ {
							c.step()
						}
					}(c)
				}
				wg.Wait()
				for _, c := range clients {
					c.settle()
				}
				l.quiesce()
				l.assertInvariants()
				total := map[string]int{}
				for _, c := range clients {
					for k, n := range c.stats {
						total[k] += n
					}
				}
				t.Logf("task outcomes: %v", total)
				if t.Failed() {
					for i, c := range clients {
						t.Logf("client %d: %v", i, c.log)
					}
				}
			})
		})
	}
}

// quiesce waits (bounded) until no relocation or maintenance run of the extension
// is left (DRS may have started some) and no decision is being applied.
func (l *lab) quiesce() {
	l.eventually("the extension idle", func() bool {
		l.x.decide.Lock()
		defer l.x.decide.Unlock()
		l.x.mu.Lock()
		defer l.x.mu.Unlock()
		return len(l.x.moving) == 0 && len(l.x.entering) == 0
	})
}

// newClient logs a second session in to the lab's simulator.
func (l *lab) newClient(rnd *rand.Rand) *client {
	u := *l.c.URL()
	u.User = url.UserPassword("user", "pass")
	gc, err := govmomi.NewClient(l.ctx, &u, true)
	l.must(err)
	f := find.NewFinder(gc.Client)
	f.SetDatacenter(object.NewDatacenter(gc.Client, l.dc.Reference()))
	return &client{l: l, c: gc.Client, finder: f, rnd: rnd, stats: map[string]int{}}
}

func (c *client) pick(names ...string) string { return names[c.rnd.Intn(len(names))] }

func (c *client) vm() *object.VirtualMachine {
	vm, err := c.finder.VirtualMachine(c.l.ctx, c.pick("vm-shared", "vm-local", "vm-extra-a"))
	if err != nil {
		return nil
	}
	return vm
}

func (c *client) host() *object.HostSystem {
	h, err := c.finder.HostSystem(c.l.ctx, c.pick("ESXi_1", "ESXi_2"))
	if err != nil {
		return nil
	}
	return h
}

func (c *client) ref(kind string) *types.ManagedObjectReference {
	ctx := c.l.ctx
	switch kind {
	case "host":
		if h := c.host(); h != nil {
			r := h.Reference()
			return &r
		}
	case "ds":
		if ds, err := c.finder.Datastore(ctx, c.pick("SharedDS", "ESXi_1-local", "ESXi_2-local")); err == nil {
			r := ds.Reference()
			return &r
		}
	case "pool":
		if h := c.host(); h != nil {
			if p, err := h.ResourcePool(ctx); err == nil {
				r := p.Reference()
				return &r
			}
		}
	case "bad":
		return &[]types.ManagedObjectReference{
			{Type: "HostSystem", Value: "host-4242"}, {Type: "Datastore", Value: "datastore-4242"},
			{Type: "VirtualMachine", Value: "vm-4242"}, c.l.c.ServiceContent.RootFolder,
		}[c.rnd.Intn(4)]
	}
	return nil
}

// step runs one random call; errors are expected, crashes and inconsistencies are not.
func (c *client) step() {
	ctx := c.l.ctx
	op := c.rnd.Intn(14)
	c.log = append(c.log, fmt.Sprint(op))
	vm := c.vm()
	if vm == nil {
		return
	}
	switch op {
	case 0, 1, 2: // relocation: compute, storage, both, sometimes with a bad reference
		var spec types.VirtualMachineRelocateSpec
		switch c.rnd.Intn(4) {
		case 0:
			spec.Host, spec.Pool = c.ref("host"), c.ref("pool")
		case 1:
			spec.Datastore = c.ref("ds")
		case 2:
			spec.Host, spec.Datastore = c.ref("host"), c.ref("ds")
		case 3:
			spec.Host, spec.Datastore, spec.Pool = c.ref(c.pick("bad", "host")), c.ref(c.pick("bad", "ds")), c.ref(c.pick("bad", "pool"))
		}
		c.start(vm.Relocate(ctx, spec, types.VirtualMachineMovePriorityDefaultPriority))
	case 3:
		c.start(vm.PowerOn(ctx))
	case 4:
		c.start(vm.PowerOff(ctx))
	case 5:
		c.start(c.pick2(vm.Suspend, vm.Reset)(ctx))
	case 6: // EVC
		res, err := methods.EvcManager(ctx, c.c, &types.EvcManager{This: c.l.cluster().Reference()})
		if err != nil {
			return
		}
		if c.rnd.Intn(3) == 0 {
			if r, err := methods.DisableEvcMode_Task(ctx, c.c, &types.DisableEvcMode_Task{This: *res.Returnval}); err == nil {
				c.tasks = append(c.tasks, object.NewTask(c.c, r.Returnval))
			}
			return
		}
		mode := c.pick("intel-merom", "intel-broadwell", "intel-cascadelake", "intel-icelake", "amd-zen", "bogus")
		if r, err := methods.ConfigureEvcMode_Task(ctx, c.c, &types.ConfigureEvcMode_Task{This: *res.Returnval, EvcModeKey: mode}); err == nil {
			c.tasks = append(c.tasks, object.NewTask(c.c, r.Returnval))
		}
	case 7: // vMotion NICs
		h := c.host()
		if m, err := h.ConfigManager().VirtualNicManager(ctx); err == nil {
			nicType, device := c.pick("vmotion", "vmotion", "management", "nope"), c.pick("vmk0", "vmk0", "vmk9")
			if c.rnd.Intn(3) == 0 {
				_ = m.DeselectVnic(ctx, nicType, device)
			} else {
				_ = m.SelectVnic(ctx, nicType, device)
			}
		}
	case 8:
		c.start(c.host().EnterMaintenanceMode(ctx, int32(1+c.rnd.Intn(2)), c.rnd.Intn(2) == 0, nil))
	case 9:
		c.start(c.host().ExitMaintenanceMode(ctx, 0))
	case 10:
		spec := types.VirtualMachineRelocateSpec{Host: c.ref("host"), Datastore: c.ref(c.pick("ds", "bad"))}
		if r, err := methods.CheckRelocate_Task(ctx, c.c, &types.CheckRelocate_Task{This: *c.c.ServiceContent.VmProvisioningChecker, Vm: vm.Reference(), Spec: spec}); err == nil {
			c.tasks = append(c.tasks, object.NewTask(c.c, r.Returnval))
		}
	case 11: // DRS
		cluster := c.l.cluster().Reference()
		_, _ = methods.RefreshRecommendation(ctx, c.c, &types.RefreshRecommendation{This: cluster})
		_, _ = methods.ApplyRecommendation(ctx, c.c, &types.ApplyRecommendation{This: cluster, Key: fmt.Sprint(c.rnd.Intn(5))})
	case 12: // cancel a task of ours
		if len(c.tasks) > 0 {
			_ = c.tasks[c.rnd.Intn(len(c.tasks))].Cancel(ctx)
		}
	case 13: // wait for our tasks now and then, so states build on each other
		c.settle()
	}
}

func (c *client) pick2(a, b func(context.Context) (*object.Task, error)) func(context.Context) (*object.Task, error) {
	if c.rnd.Intn(2) == 0 {
		return a
	}
	return b
}

func (c *client) start(t *object.Task, err error) {
	if err == nil && t != nil {
		c.tasks = append(c.tasks, object.NewTask(c.c, t.Reference()))
	}
}

// settle waits (bounded) for every task this client started.
func (c *client) settle() {
	for _, t := range c.tasks {
		ctx, cancel := context.WithTimeout(c.l.ctx, wait)
		info, err := t.WaitForResult(ctx)
		timedOut := ctx.Err() != nil
		cancel()
		if timedOut {
			c.l.t.Errorf("task %s still running after %s (%v)", t.Reference().Value, wait, err)
			continue
		}
		outcome := "ok"
		if err != nil {
			outcome = "refused"
		}
		if info != nil {
			c.stats[info.Name+" "+outcome]++
		}
	}
	c.tasks = nil
}
