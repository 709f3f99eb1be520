package main

import (
	"strings"
	"testing"

	"github.com/vmware/govmomi/simulator"

	"vmotionlab/tools/extension"
)

func createdModel(t *testing.T, model *simulator.Model) *simulator.Model {
	t.Helper()
	if err := model.Create(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(model.Remove)
	return model
}

// -lab-extension installs the kit's extension on a vCenter model, and nothing otherwise.
func TestInstallLabExtension(t *testing.T) {
	on := createdModel(t, simulator.VPX())
	if err := installLabExtension(on, labOptions{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if on.Map().Handler == nil || !strings.HasSuffix(on.ServiceContent.About.FullName, extension.FullNameSuffix) {
		t.Error("-lab-extension=true: the extension is not installed")
	}
	off := createdModel(t, simulator.VPX())
	if err := installLabExtension(off, labOptions{Enabled: false, ProfilePath: "missing.json"}); err != nil || off.Map().Handler != nil {
		t.Errorf("-lab-extension=false installed something (%v)", err)
	}
	esx := createdModel(t, simulator.ESX())
	if err := installLabExtension(esx, labOptions{Enabled: true}); err != nil || esx.Map().Handler != nil {
		t.Errorf("-esx: %v", err)
	}
	bad := createdModel(t, simulator.VPX())
	if err := installLabExtension(bad, labOptions{Enabled: true, ProfilePath: "missing.json"}); err == nil {
		t.Error("a missing host profile was accepted")
	}
}
