package main

import (
	"github.com/vmware/govmomi/simulator"

	"vmotionlab/tools/extension"
)

// installLabExtension adds the kit's vCenter behaviour to a created or loaded model, before
// its server starts. It is the one call site of the extension: nothing is installed when
// -lab-extension=false (stock vcsim) or on an ESX model (-esx), whose API has no vCenter rules.
func installLabExtension(model *simulator.Model, options labOptions) error {
	if !options.Enabled || model.ServiceContent.About.ApiType != "VirtualCenter" {
		return nil
	}
	return extension.Install(model, extension.Options{ProfilePath: options.ProfilePath, VMotionTime: options.VMotionTime})
}
