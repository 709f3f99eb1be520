package extension

import (
	"strings"
	"testing"

	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func TestVMotionStartsOffOnEveryHost(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		for _, name := range []string{"ESXi_1", "ESXi_2"} {
			nc, err := l.vnicManager(name).Info(l.ctx)
			l.must(err)
			for _, c := range nc.NetConfig {
				if c.NicType == "vmotion" && len(c.SelectedVnic) != 0 {
					t.Errorf("%s: vmotion selected %v", name, c.SelectedVnic)
				}
				for _, v := range c.CandidateVnic {
					if v.Device != "vmk0" {
						t.Errorf("%s: %s candidate %s (vcsim's phantom vmk1?)", name, c.NicType, v.Device)
					}
				}
			}
			h := l.hostMO(name, "summary.config.vmotionEnabled")
			if h.Summary.Config.VmotionEnabled {
				t.Errorf("%s: vmotionEnabled", name)
			}
		}
	})
}

func TestSelectVnicForNicType(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		l.enableVMotion("ESXi_1")
		res, err := methods.QueryNetConfig(l.ctx, l.c, &types.QueryNetConfig{This: l.vnicManager("ESXi_1").Reference(), NicType: "vmotion"})
		l.must(err)
		if got := res.Returnval.SelectedVnic; len(got) != 1 || got[0] != "vmotion.key-vim.host.VirtualNic-vmk0" {
			t.Errorf("QueryNetConfig(vmotion).selectedVnic = %v", got)
		}
		h := l.hostMO("ESXi_1", "summary.config.vmotionEnabled", "config.vmotion", "config.virtualNicManagerInfo", "configManager.networkSystem")
		if !h.Summary.Config.VmotionEnabled || h.Config.Vmotion.NetConfig.SelectedVnic != "VMotionConfig.vmotion.key-vim.host.VirtualNic-vmk0" {
			t.Errorf("host: enabled=%v config.vmotion=%+v", h.Summary.Config.VmotionEnabled, h.Config.Vmotion.NetConfig)
		}
		if h.Config.Vmotion.IpConfig == nil || h.Config.Vmotion.IpConfig.IpAddress != "192.168.1.170" {
			t.Errorf("config.vmotion.ipConfig = %+v", h.Config.Vmotion.IpConfig)
		}
		// The other host keeps its own state (vcsim shares one template).
		if h2 := l.hostMO("ESXi_2", "summary.config.vmotionEnabled"); h2.Summary.Config.VmotionEnabled {
			t.Error("enabling vMotion on ESXi_1 enabled it on ESXi_2")
		}
		// The network system lists vmk0 with its IP (govc host.vnic.info).
		var ns mo.HostNetworkSystem
		l.must(l.host("ESXi_1").Properties(l.ctx, *h.ConfigManager.NetworkSystem, []string{"networkInfo"}, &ns))
		if len(ns.NetworkInfo.Vnic) != 1 || ns.NetworkInfo.Vnic[0].Device != "vmk0" || ns.NetworkInfo.Vnic[0].Spec.Ip.IpAddress != "192.168.1.170" {
			t.Errorf("networkInfo.vnic = %+v", ns.NetworkInfo.Vnic)
		}
		// Idempotent, then deselect.
		l.enableVMotion("ESXi_1")
		l.must(l.vnicManager("ESXi_1").DeselectVnic(l.ctx, "vmotion", "vmk0"))
		if h := l.hostMO("ESXi_1", "summary.config.vmotionEnabled"); h.Summary.Config.VmotionEnabled {
			t.Error("still enabled after DeselectVnicForNicType")
		}
		l.must(l.vnicManager("ESXi_1").DeselectVnic(l.ctx, "vmotion", "vmk0"))
	})
}

func TestSelectVnicRefusesUnknownNames(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		m := l.vnicManager("ESXi_1")
		for _, row := range []struct{ nicType, device, property, named string }{
			{"vmotionx", "vmk0", "nicType", "vmotionx"},
			{"vmotion", "vmk7", "device", "vmk7"},
		} {
			err := m.SelectVnic(l.ctx, row.nicType, row.device)
			f, ok := soapFault(err).(*types.InvalidArgument)
			if !ok || f.InvalidProperty != row.property || !strings.Contains(err.Error(), row.named) {
				t.Errorf("SelectVnic(%s, %s) = %v", row.nicType, row.device, err)
			}
		}
		_, err := methods.QueryNetConfig(l.ctx, l.c, &types.QueryNetConfig{This: m.Reference(), NicType: "nope"})
		if _, ok := soapFault(err).(*types.InvalidArgument); !ok {
			t.Errorf("QueryNetConfig(nope) = %v", err)
		}
	})
}

func TestOtherNicTypesAreServed(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		m := l.vnicManager("ESXi_2")
		for _, nicType := range []string{"faultToleranceLogging", "vSphereProvisioning", "vSphereReplication", "vSphereReplicationNFC", "vsanWitness", "management"} {
			if _, err := methods.QueryNetConfig(l.ctx, l.c, &types.QueryNetConfig{This: m.Reference(), NicType: nicType}); err != nil {
				t.Errorf("QueryNetConfig(%s): %v", nicType, err)
			}
		}
		l.must(m.SelectVnic(l.ctx, "faultToleranceLogging", "vmk0"))
		info, err := m.Info(l.ctx)
		l.must(err)
		for _, nc := range info.NetConfig {
			if nc.NicType == "faultToleranceLogging" && (len(nc.SelectedVnic) != 1 || nc.SelectedVnic[0] != "faultToleranceLogging.key-vim.host.VirtualNic-vmk0") {
				t.Errorf("faultToleranceLogging selected %v", nc.SelectedVnic)
			}
		}
	})
}

func TestStockVcsimLacksTheVnicService(t *testing.T) {
	runLab(t, labOptions{noVMs: true, noInstall: true}, func(l *lab) {
		err := l.vnicManager("ESXi_1").SelectVnic(l.ctx, "vmotion", "vmk0")
		if _, ok := soapFault(err).(*types.MethodNotFound); !ok {
			t.Errorf("stock vcsim SelectVnic = %v, want MethodNotFound", err)
		}
	})
}
