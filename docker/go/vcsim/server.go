package main

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/simulator/esx"
)

// simulatorTag ends About.FullName (the lab extension appends its name after it) and the
// hosts' hardware vendor, as upstream: lablib tells a simulator from a real vCenter by it.
const simulatorTag = " (govmomi simulator)"

// serve builds the model, serves it, announces its URL and waits for a signal (or a key
// with -stdinexit), in upstream's order and with its output lines.
func serve(cmd *command) error {
	stopTrace, err := startTrace(cmd)
	if err != nil {
		return err
	}
	defer stopTrace()

	listen, err := listenURL(cmd)
	if err != nil {
		return err
	}
	if cmd.methodDelay != nil {
		simulator.TaskDelay.MethodDelay = cmd.methodDelay // task names share the map
	}
	if err := updateHostTemplate(listen.Host); err != nil {
		return fmt.Errorf("-l %s: %w", cmd.listen, err)
	}

	model := cmd.model
	model.ServiceContent.About.FullName += simulatorTag
	model.ServiceContent.About.OsType = runtime.GOOS + "-" + runtime.GOARCH
	esx.HostSystem.Summary.Hardware.Vendor += simulatorTag

	if cmd.loadDir == "" {
		err = model.Create()
	} else {
		err = model.Load(cmd.loadDir)
	}
	if err != nil {
		return err
	}
	defer model.Remove()

	if err := installLabExtension(model, cmd.lab); err != nil {
		return fmt.Errorf("lab extension: %w", err)
	}

	server, err := startServer(model, listen, cmd)
	if err != nil {
		return err
	}
	if cmd.tunnel >= 0 {
		server.Tunnel = cmd.tunnel
		if err := server.StartTunnel(); err != nil {
			return err
		}
	}
	if err := announce(cmd.envOut, server.URL); err != nil {
		return err
	}
	waitForExit(cmd.stdinExit)
	return nil
}

// startTrace turns on SOAP tracing for -trace and -trace-file; the returned func closes the file.
func startTrace(cmd *command) (func(), error) {
	if cmd.trace {
		simulator.Trace = true
	}
	if cmd.traceFile == "" {
		return func() {}, nil
	}
	f, err := os.Create(cmd.traceFile)
	if err != nil {
		return nil, err
	}
	simulator.TraceFile = f
	simulator.Trace = true
	return func() { _ = f.Close() }, nil
}

// listenURL returns the listen address with the required login, if any. Like upstream, a
// -username or -password that names a readable file is read from it, which keeps the
// password out of the process list.
func listenURL(cmd *command) (*url.URL, error) {
	u := &url.URL{Host: cmd.listen}
	if cmd.username == "" {
		return u, nil
	}
	user, err := session.Secret(cmd.username)
	if err != nil {
		return nil, fmt.Errorf("-username: %w", err)
	}
	pass, err := session.Secret(cmd.password)
	if err != nil {
		return nil, fmt.Errorf("-password: %w", err)
	}
	u.User = url.UserPassword(user, pass)
	return u, nil
}

// startServer starts the HTTP(S) server of a created model, with upstream's optional
// endpoints, /debug/vars, and a session or the login required on the file endpoints.
func startServer(model *simulator.Model, listen *url.URL, cmd *command) (server *simulator.Server, err error) {
	service := model.Service
	service.RegisterEndpoints = true
	service.Listen = listen
	if cmd.tls {
		service.TLS = new(tls.Config)
		if cmd.tlsCert != "" {
			cert, err := tls.LoadX509KeyPair(cmd.tlsCert, cmd.tlsKey)
			if err != nil {
				return nil, err
			}
			service.TLS.Certificates = []tls.Certificate{cert}
		}
	}

	auth := &fileAuth{service: service}
	mux := http.NewServeMux()
	if err := auth.guard(mux, model); err != nil {
		return nil, err
	}
	service.ServeMux = mux

	defer func() { // NewServer panics when it cannot listen
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot serve on %s: %v", listen.Host, r)
		}
	}()
	server = service.NewServer()
	if err := auth.connect(); err != nil {
		server.Close()
		return nil, err
	}
	return server, nil
}

// waitForExit returns on SIGINT or SIGTERM, or on a key (or end of input) with -stdinexit.
func waitForExit(stdinExit bool) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	if stdinExit {
		fmt.Println("Press any key to exit")
		go func() {
			_, _ = os.Stdin.Read(make([]byte, 1))
			sig <- syscall.SIGTERM
		}()
	}
	<-sig
}
