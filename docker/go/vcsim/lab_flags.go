package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"
)

// Environment variables that give the kit flags their defaults. The govc test suite starts
// vcsim itself, so VCSIM_LAB_EXTENSION=false is how it runs stock behaviour.
const (
	envLabExtension = "VCSIM_LAB_EXTENSION"
	envHostProfile  = "VCSIM_HOST_PROFILE"
)

// labOptions are the kit's own flags: its vCenter extension and what it is given.
type labOptions struct {
	Enabled     bool          // -lab-extension
	ProfilePath string        // -host-profile: the hosts' JSON profile; "" = none
	VMotionTime time.Duration // -vmotion-time: a running VM's relocation takes this long; 0 = at once
}

// addLabFlags defines the kit flags on fs, with defaults from the environment.
func addLabFlags(fs *flag.FlagSet, lab *labOptions, getenv func(string) string) error {
	enabled := true
	if v := getenv(envLabExtension); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%s=%q: want true or false", envLabExtension, v)
		}
		enabled = b
	}
	fs.BoolVar(&lab.Enabled, "lab-extension", enabled,
		"Serve the lab kit's vCenter behaviour (vMotion, EVC, migration rules); false = stock vcsim. Default from $"+envLabExtension)
	fs.StringVar(&lab.ProfilePath, "host-profile", getenv(envHostProfile),
		"Path to the hosts' JSON profile (lab extension). Default from $"+envHostProfile)
	fs.Func("vmotion-time",
		"Demo mode: how long the relocation of a running VM takes, a Go `duration` such as 3s or 1500ms (lab extension; 0 or unset: at once)",
		func(s string) error {
			d, err := time.ParseDuration(s)
			if err != nil {
				return err
			}
			if d < 0 {
				return fmt.Errorf("%s is negative", s)
			}
			lab.VMotionTime = d
			return nil
		})
	return nil
}
