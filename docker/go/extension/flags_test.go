package extension

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/vmware/govmomi/simulator"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"0": 0, "4000": 4 * time.Second, "4s": 4 * time.Second, " 250ms ": 250 * time.Millisecond} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"-1", "-2s", "soon", ""} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) accepted", in)
		}
	}
}

func TestFlags(t *testing.T) {
	fs := flag.NewFlagSet("vcsim", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := AddFlags(fs)
	if err := fs.Parse([]string{"-vmotion-time", "3s", "-host-profile", courseProfile}); err != nil {
		t.Fatal(err)
	}
	if !f.Enabled || f.VMotionTime != 3*time.Second || f.ProfilePath != courseProfile {
		t.Errorf("flags %+v", f)
	}
	if err := fs.Parse([]string{"-vmotion-time", "later"}); err == nil {
		t.Error("-vmotion-time later accepted")
	}
}

func TestSwitchOffInstallsNothing(t *testing.T) {
	model := simulator.VPX()
	if err := model.Create(); err != nil {
		t.Fatal(err)
	}
	defer model.Remove()
	if err := (&Flags{Enabled: false, ProfilePath: "missing.json"}).Install(model); err != nil {
		t.Fatal(err)
	}
	if model.Map().Handler != nil {
		t.Error("-lab-extension=false installed the routing hook")
	}
}

func TestProfileFromTheEnvironment(t *testing.T) {
	t.Setenv(ProfileEnv, "does-not-exist.json")
	model := simulator.VPX()
	if err := model.Create(); err != nil {
		t.Fatal(err)
	}
	defer model.Remove()
	if err := (&Flags{Enabled: true}).Install(model); err == nil {
		t.Errorf("$%s was not read", ProfileEnv)
	}
}
