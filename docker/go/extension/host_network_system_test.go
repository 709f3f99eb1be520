package extension

import (
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func (l *lab) networkSystem(host string) *object.HostNetworkSystem {
	ns, err := l.host(host).ConfigManager().NetworkSystem(l.ctx)
	l.must(err)
	return ns
}

func (l *lab) portGroups(host string) []string {
	var ns mo.HostNetworkSystem
	l.must(l.networkSystem(host).Properties(l.ctx, l.networkSystem(host).Reference(), []string{"networkInfo"}, &ns))
	var names []string
	for _, pg := range ns.NetworkInfo.Portgroup {
		names = append(names, pg.Spec.Name)
	}
	return names
}

// hostNetworks returns the names of the networks the host lists.
func (l *lab) hostNetworks(host string) []string {
	h := l.hostMO(host, "network")
	var names []string
	for _, ref := range h.Network {
		var n mo.Network
		l.must(l.host(host).Properties(l.ctx, ref, []string{"name"}, &n))
		names = append(names, n.Name)
	}
	return names
}

func portGroupSpec(name string) types.HostPortGroupSpec {
	return types.HostPortGroupSpec{Name: name, VswitchName: "vSwitch0", Policy: types.HostNetworkPolicy{}}
}

func has(list []string, name string) bool {
	for _, s := range list {
		if s == name {
			return true
		}
	}
	return false
}

// N3-N6: port groups of one name on several hosts are one network; removing one host's
// port group leaves the others' (and the migration rule R14 sees it).
func TestPortGroupsOfOneNameAreOneNetwork(t *testing.T) {
	runLab(t, labOptions{vmotionOn: true}, func(l *lab) {
		l.must(l.networkSystem("ESXi_2").RemovePortGroup(l.ctx, "VM Network"))
		if has(l.portGroups("ESXi_2"), "VM Network") || has(l.hostNetworks("ESXi_2"), "VM Network") {
			t.Errorf("ESXi_2 still has VM Network: %v %v", l.portGroups("ESXi_2"), l.hostNetworks("ESXi_2"))
		}
		if !has(l.portGroups("ESXi_1"), "VM Network") {
			t.Errorf("ESXi_1 lost VM Network: %v", l.portGroups("ESXi_1"))
		}
		if _, err := l.finder.Network(l.ctx, "VM Network"); err != nil {
			t.Errorf("the network went with one host's port group: %v", err)
		}
		if f := l.relocate("vm-shared", "ESXi_2", ""); f == nil {
			t.Fatal("migration to a host without the VM's network was accepted")
		} else if _, ok := f.Fault.(*types.CannotAccessNetwork); !ok {
			t.Errorf("fault %T %q, want CannotAccessNetwork", f.Fault, f.LocalizedMessage)
		}

		l.must(l.networkSystem("ESXi_2").AddPortGroup(l.ctx, portGroupSpec("VM Network")))
		if !has(l.portGroups("ESXi_2"), "VM Network") || !has(l.hostNetworks("ESXi_2"), "VM Network") {
			t.Errorf("ESXi_2 lacks VM Network after adding it: %v %v", l.portGroups("ESXi_2"), l.hostNetworks("ESXi_2"))
		}
		nets, err := l.finder.NetworkList(l.ctx, "VM Network")
		l.must(err)
		if len(nets) != 1 {
			t.Errorf("%d networks named VM Network, want one", len(nets))
		}
		l.powerOff("vm-shared") // cold: no CPU rule in the way
		if f := l.relocate("vm-shared", "ESXi_2", ""); f != nil {
			t.Errorf("migration refused once ESXi_2 has the port group: %s", f.LocalizedMessage)
		}

		err = l.networkSystem("ESXi_2").AddPortGroup(l.ctx, portGroupSpec("VM Network"))
		if _, ok := soapFault(err).(*types.AlreadyExists); !ok {
			t.Errorf("second AddPortGroup: %v, want AlreadyExists", err)
		}
		err = l.networkSystem("ESXi_1").RemovePortGroup(l.ctx, "VM Network")
		if _, ok := soapFault(err).(*types.ResourceInUse); !ok {
			t.Errorf("removing a port group vm-local uses: %v, want ResourceInUse", err)
		}
		err = l.networkSystem("ESXi_1").AddPortGroup(l.ctx, types.HostPortGroupSpec{Name: "X", VswitchName: "vSwitch9"})
		if _, ok := soapFault(err).(*types.NotFound); !ok {
			t.Errorf("port group on an unknown switch: %v, want NotFound", err)
		}
		err = l.networkSystem("ESXi_1").RemovePortGroup(l.ctx, "Nothing")
		if _, ok := soapFault(err).(*types.NotFound); !ok {
			t.Errorf("removing an unknown port group: %v, want NotFound", err)
		}
	})
}

func TestANewPortGroupIsListedByItsHostOnly(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		l.must(l.networkSystem("ESXi_1").AddPortGroup(l.ctx, portGroupSpec("Backend")))
		if !has(l.hostNetworks("ESXi_1"), "Backend") || has(l.hostNetworks("ESXi_2"), "Backend") {
			t.Errorf("Backend listed by ESXi_1 %v, ESXi_2 %v", l.hostNetworks("ESXi_1"), l.hostNetworks("ESXi_2"))
		}
		l.must(l.networkSystem("ESXi_1").RemovePortGroup(l.ctx, "Backend"))
		if _, err := l.finder.Network(l.ctx, "Backend"); err == nil {
			t.Error("the last host's port group is gone but its network stays")
		}
		if has(l.hostNetworks("ESXi_1"), "Backend") {
			t.Errorf("ESXi_1 still lists Backend: %v", l.hostNetworks("ESXi_1"))
		}
	})
}
