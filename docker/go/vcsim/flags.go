package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/vmware/govmomi/simulator"
)

// command is one parsed vcsim command line.
type command struct {
	model      *simulator.Model // VPX, or ESX with -esx
	subcommand string           // "uuidgen", "version" or "" (serve)

	esx         bool
	tls         bool
	tlsCert     string
	tlsKey      string
	envOut      string // -E: "-" (stdout), a file or a fifo
	listen      string
	username    string // a value, or a file holding it
	password    string // a value, or a file holding it
	tunnel      int    // < 0: no tunnel
	trace       bool
	traceFile   string
	stdinExit   bool
	loadDir     string
	methodDelay map[string]int
	lab         labOptions
}

// parseCommandLine reads upstream vcsim v0.56.0's command line plus the kit's flags. name
// is the program's name for the usage text, which goes to usage with any flag error;
// getenv supplies the kit flags' defaults.
func parseCommandLine(name string, args []string, usage io.Writer, getenv func(string) string) (*command, error) {
	model := simulator.VPX()
	cmd := &command{model: model}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(usage)

	// The model, as upstream binds it: to the VPX model's own fields.
	fs.IntVar(&model.Datacenter, "dc", model.Datacenter, "Number of datacenters")
	fs.IntVar(&model.Cluster, "cluster", model.Cluster, "Number of clusters")
	fs.IntVar(&model.ClusterHost, "host", model.ClusterHost, "Number of hosts per cluster")
	fs.IntVar(&model.Host, "standalone-host", model.Host, "Number of standalone hosts")
	fs.IntVar(&model.Datastore, "ds", model.Datastore, "Number of local datastores")
	fs.IntVar(&model.Machine, "vm", model.Machine, "Number of virtual machines per resource pool")
	fs.IntVar(&model.Pool, "pool", model.Pool, "Number of resource pools per compute resource")
	fs.IntVar(&model.App, "app", model.App, "Number of virtual apps per compute resource")
	fs.IntVar(&model.Pod, "pod", model.Pod, "Number of storage pods per datacenter")
	fs.IntVar(&model.Portgroup, "pg", model.Portgroup, "Number of port groups")
	fs.IntVar(&model.PortgroupNSX, "pg-nsx", model.PortgroupNSX, "Number of NSX backed port groups")
	fs.IntVar(&model.OpaqueNetwork, "nsx", model.OpaqueNetwork, "Number of NSX backed opaque networks")
	fs.IntVar(&model.Folder, "folder", model.Folder, "Number of folders")
	fs.BoolVar(&model.Autostart, "autostart", model.Autostart, "Autostart model created VMs")
	about := &model.ServiceContent.About
	fs.StringVar(&about.ApiVersion, "api-version", about.ApiVersion, "API version")

	// The server.
	fs.BoolVar(&cmd.esx, "esx", false, "Simulate standalone ESX")
	fs.BoolVar(&cmd.tls, "tls", true, "Enable TLS")
	fs.StringVar(&cmd.tlsCert, "tlscert", "", "Path to TLS certificate file")
	fs.StringVar(&cmd.tlsKey, "tlskey", "", "Path to TLS key file")
	fs.StringVar(&cmd.envOut, "E", "-", "Output vcsim variables to the given fifo or stdout")
	fs.StringVar(&cmd.listen, "l", "127.0.0.1:8989", "Listen address for vcsim")
	fs.StringVar(&cmd.username, "username", "", "Login username for vcsim (any username allowed by default)")
	fs.StringVar(&cmd.password, "password", "", "Login password for vcsim (any password allowed by default)")
	fs.IntVar(&cmd.tunnel, "tunnel", -1, "SDK tunnel port")
	fs.BoolVar(&cmd.trace, "trace", false, "Trace SOAP to -trace-file")
	fs.StringVar(&cmd.traceFile, "trace-file", "", "Trace output file (defaults to stderr)")
	fs.BoolVar(&cmd.stdinExit, "stdinexit", false, "Press any key to exit")
	fs.StringVar(&cmd.loadDir, "load", "", "Load model from directory")

	delay := &model.DelayConfig
	fs.IntVar(&delay.Delay, "delay", delay.Delay, "Method response delay across all methods")
	methodDelay := fs.String("method-delay", "", "Delay per method on the form 'method1:delay1,method2:delay2...'")
	fs.Float64Var(&delay.DelayJitter, "delay-jitter", delay.DelayJitter, "Delay jitter coefficient of variation (tip: 0.5 is a good starting value)")

	if err := addLabFlags(fs, &cmd.lab, getenv); err != nil {
		return nil, err
	}
	if err := fs.Parse(args); err != nil {
		return nil, usageError{err}
	}

	// Like upstream, the first argument left names a subcommand; anything else is ignored.
	switch fs.Arg(0) {
	case "uuidgen", "version":
		cmd.subcommand = fs.Arg(0)
	}

	delays, err := parseMethodDelay(*methodDelay)
	if err != nil {
		return nil, fmt.Errorf("-method-delay: %w", err)
	}
	if delays != nil {
		model.DelayConfig.MethodDelay = delays
	}
	cmd.methodDelay = delays

	if cmd.esx {
		cmd.model = esxModel(model)
	}
	return cmd, nil
}

// esxModel returns an ESX model keeping the VPX flags that also apply to ESX, as upstream.
func esxModel(vpx *simulator.Model) *simulator.Model {
	model := simulator.ESX()
	model.Datastore = vpx.Datastore
	model.Machine = vpx.Machine
	model.Autostart = vpx.Autostart
	model.DelayConfig = vpx.DelayConfig
	return model
}

// usageError is a flag error the flag set has already reported, with the usage text.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }
