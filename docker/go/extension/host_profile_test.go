package extension

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmware/govmomi/simulator/esx"
	"github.com/vmware/govmomi/vim25/types"
)

func typesConnect(name string) types.HostConnectSpec {
	return types.HostConnectSpec{HostName: name, Force: true}
}

func writeProfile(t *testing.T, body string) string {
	p := filepath.Join(t.TempDir(), "profile.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadProfileChecksEveryField(t *testing.T) {
	if _, err := LoadProfile(courseProfile); err != nil {
		t.Fatalf("the course profile: %v", err)
	}
	for _, row := range []struct{ body, want string }{
		{`{"hosts": {"h": {"managementIp": "nope"}}}`, "not an IP address"},
		{`{"hosts": {"h": {"cpuVendor": "via"}}}`, "cpuVendor"},
		{`{"hosts": {"h": {"maxEvcMode": "intel-future"}}}`, "not an EVC mode"},
		{`{"hosts": {"h": {"cpuVendor": "amd", "maxEvcMode": "intel-skylake"}}}`, "is an intel mode"},
		{`{"hosts": {"h": {"cpuModle": "x"}}}`, "unknown field"},
		{`{"hosts": {}, "default": {"maxEvcMode": "amd-nope"}}`, "default"},
		{`not json`, "invalid character"},
	} {
		_, err := LoadProfile(writeProfile(t, row.body))
		if err == nil || !strings.Contains(err.Error(), row.want) {
			t.Errorf("%s: %v, want %q", row.body, err, row.want)
		}
	}
}

func TestProfileFor(t *testing.T) {
	p, err := LoadProfile(writeProfile(t, `{"hosts": {"a": {"cpuVendor": "amd"}}, "default": {"maxEvcMode": "intel-haswell"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if h := p.For("a"); h.MaxEVCMode != "amd-zen" || h.CPUVendor != "amd" {
		t.Errorf("For(a) = %+v", h)
	}
	if h := p.For("other"); h.MaxEVCMode != "intel-haswell" || h.CPUVendor != "intel" {
		t.Errorf("For(other) = %+v", h)
	}
	if h := (&Profile{}).For("x"); h.MaxEVCMode != DefaultMaxEVCMode || h.CPUVendor != "intel" {
		t.Errorf("no profile: %+v", h)
	}
}

func TestProfileWritesTheHostsRealProperties(t *testing.T) {
	templateModel := esx.HostSystem.Summary.Hardware.CpuModel
	templateVendor := esx.HostHardwareInfo.CpuPkg[0].Description
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		for _, row := range []struct{ host, ip, model, max string }{
			{"ESXi_1", "192.168.1.170", "Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz", "intel-icelake"},
			{"ESXi_2", "192.168.1.172", "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", "intel-cascadelake"},
		} {
			h := l.hostMO(row.host, "config.network.vnic", "hardware", "summary", "config.featureCapability")
			if ip := h.Config.Network.Vnic[0].Spec.Ip.IpAddress; ip != row.ip {
				t.Errorf("%s vmk0 %s", row.host, ip)
			}
			if h.Summary.Hardware.CpuModel != row.model || h.Hardware.CpuPkg[0].Description != row.model || h.Hardware.CpuPkg[0].Vendor != "intel" {
				t.Errorf("%s CPU %q / %q", row.host, h.Summary.Hardware.CpuModel, h.Hardware.CpuPkg[0].Description)
			}
			if h.Summary.MaxEVCModeKey != row.max || len(h.Config.FeatureCapability) == 0 || len(h.Hardware.CpuFeature) == 0 {
				t.Errorf("%s max EVC %q, %d capabilities", row.host, h.Summary.MaxEVCModeKey, len(h.Config.FeatureCapability))
			}
			if !strings.Contains(h.Summary.Hardware.Vendor, "VMware") {
				t.Errorf("%s system vendor %q", row.host, h.Summary.Hardware.Vendor)
			}
		}
		if h := l.hostMO("ESXi_2", "hardware.cpuInfo", "summary.hardware"); h.Hardware.CpuInfo.Hz != 2100000000 || h.Summary.Hardware.CpuMhz != 2100 {
			t.Errorf("ESXi_2 %d Hz, %d MHz", h.Hardware.CpuInfo.Hz, h.Summary.Hardware.CpuMhz)
		}
		// vcsim's templates are untouched: hosts got their own copies.
		if esx.HostSystem.Summary.Hardware.CpuModel != templateModel || esx.HostHardwareInfo.CpuPkg[0].Description != templateVendor {
			t.Error("the profile changed vcsim's shared host template")
		}
	})
}

func TestHostsOutsideTheProfileKeepTheTemplateCPU(t *testing.T) {
	runLab(t, labOptions{noVMs: true}, func(l *lab) {
		l.waitTask(l.cluster().AddHost(l.ctx, typesConnect("ESXi_3"), true, nil, nil))
		h := l.hostMO("ESXi_3", "summary", "config.network.vnic")
		if h.Summary.MaxEVCModeKey != DefaultMaxEVCMode || h.Summary.Hardware.CpuModel != esx.HostSystem.Summary.Hardware.CpuModel {
			t.Errorf("ESXi_3: %q %q", h.Summary.MaxEVCModeKey, h.Summary.Hardware.CpuModel)
		}
	})
}

func TestDefaultProfileCanStartWithVMotionOn(t *testing.T) {
	p := writeProfile(t, `{"hosts": {}, "default": {"vmotionVnics": ["vmk0"]}}`)
	runLab(t, labOptions{Options: Options{ProfilePath: p}, noVMs: true}, func(l *lab) {
		for _, h := range []string{"ESXi_1", "ESXi_2"} {
			if !l.hostMO(h, "summary.config.vmotionEnabled").Summary.Config.VmotionEnabled {
				t.Errorf("%s: vMotion off", h)
			}
		}
	})
}
