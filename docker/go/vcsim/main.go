// Command vcsim serves govmomi v0.56.0's vCenter simulator for machines without Docker.
//
// The upstream vcsim main lives in a nested module that the Go module proxy does not
// serve (see README.md here), so this small main drives the same simulator package from the
// root module. It accepts the subset of the upstream flags that the lab kit uses, with
// the same names and defaults, so lablib starts this binary and the vmware/vcsim:v0.56.0
// image the same way. Like upstream it appends " (govmomi simulator)" to About.FullName,
// which is how lablib tells a simulator from a real vCenter.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/simulator/esx"
)

const simulatorTag = " (govmomi simulator)"

func main() {
	model := simulator.VPX()

	flag.IntVar(&model.Datacenter, "dc", model.Datacenter, "Number of datacenters")
	flag.IntVar(&model.Cluster, "cluster", model.Cluster, "Number of clusters")
	flag.IntVar(&model.ClusterHost, "host", model.ClusterHost, "Number of hosts per cluster")
	flag.IntVar(&model.Host, "standalone-host", model.Host, "Number of standalone hosts")
	flag.IntVar(&model.Datastore, "ds", model.Datastore, "Number of local datastores")
	flag.IntVar(&model.Machine, "vm", model.Machine, "Number of virtual machines per resource pool")
	flag.IntVar(&model.Pool, "pool", model.Pool, "Number of resource pools per compute resource")
	flag.IntVar(&model.Portgroup, "pg", model.Portgroup, "Number of port groups")
	flag.IntVar(&model.Folder, "folder", model.Folder, "Number of folders")
	flag.BoolVar(&model.Autostart, "autostart", model.Autostart, "Power on model-created VMs")
	flag.StringVar(&model.ServiceContent.About.ApiVersion, "api-version", model.ServiceContent.About.ApiVersion, "API version")
	flag.IntVar(&model.DelayConfig.Delay, "delay", 0, "Delay in ms before serving every SOAP call")
	flag.Float64Var(&model.DelayConfig.DelayJitter, "delay-jitter", 0, "Delay jitter (coefficient of variation)")
	methodDelay := flag.String("method-delay", "", "Delays in ms per method or task name: 'name:ms,name:ms'")
	listen := flag.String("l", "127.0.0.1:8989", "Listen address (port 0 picks a free port)")
	envOut := flag.String("E", "-", "Write the 'export GOVC_URL=... GOVC_SIM_PID=...' line to this existing file, or stdout")
	useTLS := flag.Bool("tls", true, "Serve https with a self-signed certificate")
	user := flag.String("username", "", "Required login user, or a file holding it (any user logs in when empty)")
	pass := flag.String("password", "", "Required login password, or a file holding it")
	flag.BoolVar(&simulator.Trace, "trace", false, "Trace SOAP calls to stderr")
	flag.Parse()

	if flag.Arg(0) == "version" {
		fmt.Println("govmomi v0.56.0 simulator (lab kit build)")
		return
	}

	delays, err := parseDelays(*methodDelay)
	if err != nil {
		log.Fatalf("-method-delay: %v", err)
	}
	// One map serves both SOAP method names and task names (docs/vcsim-gaps.md §4(i)).
	model.DelayConfig.MethodDelay = delays
	simulator.TaskDelay.MethodDelay = delays

	addr := &url.URL{Host: *listen}
	if *user != "" {
		// Like upstream, a value that names a readable file is read from it, which keeps
		// the password out of the process list.
		u, err := session.Secret(*user)
		if err != nil {
			log.Fatalf("-username: %v", err)
		}
		p, err := session.Secret(*pass)
		if err != nil {
			log.Fatalf("-password: %v", err)
		}
		addr.User = url.UserPassword(u, p)
	}
	if err := useListenAddressForHosts(*listen); err != nil {
		log.Fatalf("-l: %v", err)
	}

	model.ServiceContent.About.FullName += simulatorTag
	model.ServiceContent.About.OsType = runtime.GOOS + "-" + runtime.GOARCH
	esx.HostSystem.Summary.Hardware.Vendor += simulatorTag

	if err := model.Create(); err != nil {
		log.Fatal(err)
	}
	model.Service.Listen = addr
	if *useTLS {
		model.Service.TLS = new(tls.Config)
	}
	server := model.Service.NewServer()

	if err := announce(*envOut, server.URL); err != nil {
		log.Fatal(err)
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	server.Close()
	model.Remove()
}

// parseDelays reads "name:ms,name:ms" into a map.
func parseDelays(spec string) (map[string]int, error) {
	delays := map[string]int{}
	if spec == "" {
		return delays, nil
	}
	for _, item := range strings.Split(spec, ",") {
		name, ms, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok || name == "" {
			return nil, fmt.Errorf("%q is not of the form name:ms", item)
		}
		n, err := strconv.Atoi(ms)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q: the delay must be a whole number of milliseconds", item)
		}
		delays[name] = n
	}
	return delays, nil
}

// useListenAddressForHosts gives every simulated host's management address the listen
// address, as upstream vcsim does (docs/vcsim-gaps.md §2).
func useListenAddressForHosts(listen string) error {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return err
	}
	esx.HostSystem.Summary.ManagementServerIp = host
	if n, err := strconv.Atoi(port); err == nil && n != 0 {
		esx.HostSystem.Summary.Config.Port = int32(n)
	}
	for i := range esx.HostConfigInfo.Network.Vnic {
		esx.HostConfigInfo.Network.Vnic[i].Spec.Ip.IpAddress = host
	}
	return nil
}

// announce writes where the simulator listens, in the format upstream vcsim uses.
func announce(path string, u *url.URL) error {
	line := fmt.Sprintf("export GOVC_URL=%s GOVC_SIM_PID=%d\n", u, os.Getpid())
	if path == "-" {
		_, err := os.Stdout.WriteString(line)
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
