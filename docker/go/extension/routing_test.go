package extension

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/types"
)

// Every routed method has a Go method on its proxy, named as vcsim's dispatcher looks
// it up (Foo_Task -> FooTask); a route without one would answer MethodNotFound.
func TestEveryRouteHasAProxyMethod(t *testing.T) {
	proxies := map[string]any{
		"VirtualMachine": &vmProxy{}, "HostSystem": &hostProxy{}, "ClusterComputeResource": &clusterProxy{},
		"HostVirtualNicManager": &vnicProxy{}, "VirtualMachineProvisioningChecker": &checkerProxy{}, "Folder": &folderProxy{},
		"HostNetworkSystem": &netProxy{}, "Datacenter": &datacenterProxy{},
	}
	for kind, names := range routes {
		p, ok := proxies[kind]
		if !ok {
			t.Errorf("no proxy for %s", kind)
			continue
		}
		for name := range names {
			goName := strings.TrimSuffix(name, "_Task")
			if goName != name {
				goName += "Task"
			}
			if !reflect.ValueOf(p).MethodByName(goName).IsValid() {
				t.Errorf("%s.%s: the proxy has no %s", kind, name, goName)
			}
		}
	}
}

func TestRoutingLeavesOtherCallsAlone(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		// Not routed: answered by vcsim as before.
		if _, err := l.vm("vm-shared").Device(l.ctx); err != nil {
			t.Error(err)
		}
		// Routed, on an object that does not exist: vcsim's ManagedObjectNotFound.
		_, err := methods.RelocateVM_Task(l.ctx, l.c, &types.RelocateVM_Task{This: types.ManagedObjectReference{Type: "VirtualMachine", Value: "vm-999"}})
		if _, ok := soapFault(err).(*types.ManagedObjectNotFound); !ok {
			t.Errorf("relocate of an unknown VM: %v", err)
		}
	})
}
