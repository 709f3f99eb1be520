package main

import (
	"errors"
	"flag"
	"io"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vmware/govmomi/simulator"
)

func noEnv(string) string { return "" }

func parse(t *testing.T, args ...string) *command {
	t.Helper()
	cmd, err := parseCommandLine("vcsim", args, io.Discard, noEnv)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return cmd
}

// upstreamFlags is every flag of upstream vcsim v0.56.0 (vcsim/main.go at the tag).
var upstreamFlags = []string{
	"E", "api-version", "app", "autostart", "cluster", "dc", "delay", "delay-jitter", "ds",
	"esx", "folder", "host", "l", "load", "method-delay", "nsx", "password", "pg", "pg-nsx",
	"pod", "pool", "standalone-host", "stdinexit", "tls", "tlscert", "tlskey", "trace",
	"trace-file", "tunnel", "username", "vm",
}

var kitFlags = []string{"host-profile", "lab-extension", "vmotion-time"}

func TestEveryUpstreamFlagAndTheKitFlagsAreDefined(t *testing.T) {
	var usage strings.Builder
	_, err := parseCommandLine("vcsim", []string{"-h"}, &usage, noEnv)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	var defined []string
	for _, line := range strings.Split(usage.String(), "\n") {
		if strings.HasPrefix(line, "  -") {
			defined = append(defined, strings.Fields(line)[0][1:])
		}
	}
	want := append(append([]string{}, upstreamFlags...), kitFlags...)
	sort.Strings(want)
	if !reflect.DeepEqual(defined, want) {
		t.Errorf("flags defined:\n%v\nwant:\n%v", defined, want)
	}
}

func TestDefaultsAreUpstreams(t *testing.T) {
	cmd := parse(t)
	want := simulator.VPX()
	got := cmd.model
	if got.Datacenter != want.Datacenter || got.Cluster != want.Cluster ||
		got.ClusterHost != want.ClusterHost || got.Host != want.Host ||
		got.Datastore != want.Datastore || got.Machine != want.Machine ||
		got.Portgroup != want.Portgroup || got.Autostart != want.Autostart ||
		got.ServiceContent.About.ApiVersion != want.ServiceContent.About.ApiVersion {
		t.Errorf("model defaults differ from simulator.VPX(): %+v", got)
	}
	if cmd.listen != "127.0.0.1:8989" || cmd.envOut != "-" || !cmd.tls || cmd.tunnel != -1 ||
		cmd.esx || cmd.subcommand != "" || cmd.methodDelay != nil {
		t.Errorf("server defaults differ from upstream's: %+v", cmd)
	}
	if !cmd.lab.Enabled || cmd.lab.ProfilePath != "" || cmd.lab.VMotionTime != 0 {
		t.Errorf("kit defaults: %+v", cmd.lab)
	}
}

func TestEveryFlagLandsWhereUpstreamPutsIt(t *testing.T) {
	cmd := parse(t, "-dc", "2", "-cluster", "3", "-host", "4", "-standalone-host", "5",
		"-ds", "6", "-vm", "7", "-pool", "8", "-app", "9", "-pod", "10", "-pg", "11",
		"-pg-nsx", "12", "-nsx", "13", "-folder", "14", "-autostart=false",
		"-api-version", "7.0", "-tls=false", "-tlscert", "c.pem", "-tlskey", "k.pem",
		"-E", "env", "-l", "0.0.0.0:0", "-username", "u", "-password", "secret", "-tunnel", "0",
		"-trace", "-trace-file", "t.log", "-stdinexit", "-load", "dir", "-delay", "15",
		"-method-delay", "RelocateVm:16, PowerOnVM_Task:17", "-delay-jitter", "0.5")
	m := cmd.model
	got := []int{m.Datacenter, m.Cluster, m.ClusterHost, m.Host, m.Datastore, m.Machine,
		m.Pool, m.App, m.Pod, m.Portgroup, m.PortgroupNSX, m.OpaqueNetwork, m.Folder,
		m.DelayConfig.Delay}
	if !reflect.DeepEqual(got, []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}) {
		t.Errorf("model counts: %v", got)
	}
	if m.Autostart || m.ServiceContent.About.ApiVersion != "7.0" || m.DelayConfig.DelayJitter != 0.5 {
		t.Errorf("model: autostart %v, api %q, jitter %v", m.Autostart,
			m.ServiceContent.About.ApiVersion, m.DelayConfig.DelayJitter)
	}
	delays := map[string]int{"RelocateVm": 16, "PowerOnVM_Task": 17}
	if !reflect.DeepEqual(m.DelayConfig.MethodDelay, delays) || !reflect.DeepEqual(cmd.methodDelay, delays) {
		t.Errorf("method delays: %v", m.DelayConfig.MethodDelay)
	}
	want := command{model: m, tls: false, tlsCert: "c.pem", tlsKey: "k.pem", envOut: "env",
		listen: "0.0.0.0:0", username: "u", password: "secret", tunnel: 0, trace: true,
		traceFile: "t.log", stdinExit: true, loadDir: "dir", methodDelay: delays,
		lab: labOptions{Enabled: true}}
	if !reflect.DeepEqual(*cmd, want) {
		t.Errorf("got  %+v\nwant %+v", *cmd, want)
	}
}

func TestESXKeepsTheFlagsThatApplyToESX(t *testing.T) {
	cmd := parse(t, "-esx", "-dc", "3", "-ds", "4", "-vm", "5", "-autostart=false",
		"-delay", "6", "-method-delay", "PowerOnVM_Task:7", "-delay-jitter", "0.25")
	m := cmd.model
	if m.ServiceContent.About.ApiType != "HostAgent" {
		t.Fatalf("-esx model is %q", m.ServiceContent.About.ApiType)
	}
	if m.Datacenter != 0 || m.Datastore != 4 || m.Machine != 5 || m.Autostart ||
		m.DelayConfig.Delay != 6 || m.DelayConfig.MethodDelay["PowerOnVM_Task"] != 7 ||
		m.DelayConfig.DelayJitter != 0.25 {
		t.Errorf("-esx model: %+v", m)
	}
}

func TestSubcommandIsTheFirstArgumentLeft(t *testing.T) {
	for args, want := range map[string]string{
		"uuidgen":          "uuidgen",
		"version":          "version",
		"-dc 0 uuidgen":    "uuidgen",
		"-dc 0 something":  "",
		"-l :0 version -x": "version",
	} {
		if got := parse(t, strings.Fields(args)...).subcommand; got != want {
			t.Errorf("%q: subcommand %q, want %q", args, got, want)
		}
	}
}

func TestMethodDelay(t *testing.T) {
	for spec, want := range map[string]map[string]int{
		"":                           nil,
		"RelocateVm:2000":            {"RelocateVm": 2000},
		"a:1, b:2 ,c:-3":             {"a": 1, "b": 2, "c": -3},
		"RelocateVm:0,LockHandoff:0": {"RelocateVm": 0, "LockHandoff": 0},
	} {
		got, err := parseMethodDelay(spec)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %v, %v; want %v", spec, got, err, want)
		}
	}
	for _, spec := range []string{"a", "a:1,", "a:b", "a:1:2", ":", "a:1.5"} {
		if _, err := parseMethodDelay(spec); err == nil {
			t.Errorf("%q accepted", spec)
		}
	}
}

func TestKitFlagsTakeTheirDefaultsFromTheEnvironment(t *testing.T) {
	env := map[string]string{envLabExtension: "false", envHostProfile: "/profiles/course.json"}
	cmd, err := parseCommandLine("vcsim", nil, io.Discard, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cmd.lab.Enabled || cmd.lab.ProfilePath != "/profiles/course.json" {
		t.Errorf("from the environment: %+v", cmd.lab)
	}
	// A flag wins over the environment.
	cmd, err = parseCommandLine("vcsim", []string{"-lab-extension", "-host-profile", "p.json"},
		io.Discard, func(k string) string { return env[k] })
	if err != nil || !cmd.lab.Enabled || cmd.lab.ProfilePath != "p.json" {
		t.Errorf("flags over the environment: %+v, %v", cmd, err)
	}
	env[envLabExtension] = "perhaps"
	if _, err := parseCommandLine("vcsim", nil, io.Discard, func(k string) string { return env[k] }); err == nil ||
		!strings.Contains(err.Error(), envLabExtension) {
		t.Errorf("%s=perhaps: %v", envLabExtension, err)
	}
}

func TestVMotionTimeIsAGoDuration(t *testing.T) {
	for value, want := range map[string]time.Duration{"3s": 3 * time.Second, "1500ms": 1500 * time.Millisecond, "0": 0} {
		if got := parse(t, "-vmotion-time", value).lab.VMotionTime; got != want {
			t.Errorf("-vmotion-time %s: %v", value, got)
		}
	}
	for _, value := range []string{"3000", "-1s", "soon"} {
		_, err := parseCommandLine("vcsim", []string{"-vmotion-time", value}, io.Discard, noEnv)
		if !errors.As(err, new(usageError)) {
			t.Errorf("-vmotion-time %s: %v", value, err)
		}
	}
}

func TestFlagErrorsAreUsageErrors(t *testing.T) {
	var usage strings.Builder
	_, err := parseCommandLine("vcsim", []string{"-no-such-flag"}, &usage, noEnv)
	if !errors.As(err, new(usageError)) || !strings.Contains(usage.String(), "Usage of vcsim") {
		t.Errorf("%v\n%s", err, usage.String())
	}
	if _, err := parseCommandLine("vcsim", []string{"-method-delay", "x"}, io.Discard, noEnv); err == nil ||
		errors.As(err, new(usageError)) {
		t.Errorf("-method-delay x: %v", err)
	}
}
