package extension

import (
	"context"
	"strings"
	"testing"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
)

func TestInstallNamesTheServer(t *testing.T) {
	model := simulator.VPX()
	model.ServiceContent.About.FullName += " (govmomi simulator)"
	if err := model.Create(); err != nil {
		t.Fatal(err)
	}
	if err := Install(model, Options{}); err != nil {
		t.Fatal(err)
	}
	err := model.Run(func(ctx context.Context, c *vim25.Client) error {
		about := c.ServiceContent.About
		if !strings.Contains(about.FullName, " (govmomi simulator)") || !strings.HasSuffix(about.FullName, FullNameSuffix) {
			t.Errorf("About.FullName = %q", about.FullName)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestInstallRefusesBadInput(t *testing.T) {
	if err := Install(nil, Options{}); err == nil {
		t.Error("Install(nil) succeeded")
	}
	esx := simulator.ESX()
	if err := esx.Create(); err != nil {
		t.Fatal(err)
	}
	defer esx.Remove()
	if err := Install(esx, Options{}); err == nil || !strings.Contains(err.Error(), "VPX") {
		t.Errorf("Install(ESX model) = %v, want a VPX error", err)
	}
	vpx := simulator.VPX()
	if err := vpx.Create(); err != nil {
		t.Fatal(err)
	}
	defer vpx.Remove()
	if err := Install(vpx, Options{ProfilePath: "does-not-exist.json"}); err == nil {
		t.Error("Install with a missing profile succeeded")
	}
}

func TestCourseLabSeeds(t *testing.T) {
	runLab(t, labOptions{}, func(l *lab) {
		host, stores := l.placement("vm-local")
		if host != "ESXi_1" || len(stores) != 1 || stores[0] != "ESXi_1-local" {
			t.Errorf("vm-local on %s %v", host, stores)
		}
		v := l.vmMO("vm-shared", "runtime.minRequiredEVCModeKey", "runtime.featureRequirement")
		if v.Runtime.MinRequiredEVCModeKey != "intel-icelake" || len(v.Runtime.FeatureRequirement) == 0 {
			t.Errorf("vm-shared baseline %q (%d features)", v.Runtime.MinRequiredEVCModeKey, len(v.Runtime.FeatureRequirement))
		}
	})
}
