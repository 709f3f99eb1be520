package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vmware/govmomi"
)

// The test binary doubles as vcsim: run with asVcsim set, it is this main, so the tests
// below start real vcsim processes (race detector included) without a separate build.
// With asFetcher set to a URL, it GETs the URL, prints the status and body, and exits: a
// client in another process.
const (
	asVcsim   = "VCSIM_TEST_RUN_MAIN"
	asFetcher = "VCSIM_TEST_FETCH"
)

func TestMain(m *testing.M) {
	if os.Getenv(asVcsim) == "1" {
		os.Exit(run(os.Args[1:]))
	}
	if target := os.Getenv(asFetcher); target != "" {
		res, err := http.Get(target)
		if err != nil {
			os.Exit(1)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Printf("%d %s", res.StatusCode, body)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// wait bounds every wait on a vcsim process in these tests.
const wait = 60 * time.Second

// vcsimCommand returns an unstarted vcsim process with these arguments, killed if ctx ends.
func vcsimCommand(t *testing.T, ctx context.Context, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), asVcsim+"=1", "TMPDIR="+t.TempDir())
	return cmd
}

// vcsim is a running simulator process and the URL it announced.
type vcsim struct {
	cmd    *exec.Cmd
	url    *url.URL
	output *strings.Builder // stdout and stderr
}

var announceLine = regexp.MustCompile(`^export GOVC_URL=(\S+) GOVC_SIM_PID=(\d+)\n$`)

// startVcsim starts vcsim on a free loopback port with -E pointing at a file, waits for
// the announce line and stops the process when the test ends.
func startVcsim(t *testing.T, args ...string) *vcsim {
	t.Helper()
	envFile := filepath.Join(t.TempDir(), "vcsim.env")
	if err := os.WriteFile(envFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append([]string{"-l", "127.0.0.1:0", "-E", envFile}, args...)
	cmd := vcsimCommand(t, context.Background(), args...)
	out := new(strings.Builder)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { stopVcsim(t, cmd, exited) })

	deadline := time.Now().Add(wait)
	for {
		data, _ := os.ReadFile(envFile)
		if m := announceLine.FindStringSubmatch(string(data)); m != nil {
			u, err := url.Parse(m[1])
			if err != nil {
				t.Fatal(err)
			}
			return &vcsim{cmd: cmd, url: u, output: out}
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("vcsim %v exited (%v) before announcing itself: %s", args, err, out)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("vcsim %v did not announce itself within %v: %s", args, wait, out)
		}
	}
}

// stopVcsim sends SIGTERM and waits (bounded) for the process to exit.
func stopVcsim(t *testing.T, cmd *exec.Cmd, exited chan error) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(wait):
		_ = cmd.Process.Kill()
		t.Errorf("vcsim did not stop within %v of SIGTERM", wait)
	}
}

// runVcsim runs a vcsim command line that exits by itself and returns its exit status
// and output.
func runVcsim(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	out, err := vcsimCommand(t, ctx, args...).CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("vcsim %v did not exit within %v", args, wait)
	}
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

// login returns a govmomi client logged in to the simulator.
func (s *vcsim) login(t *testing.T) *govmomi.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	c, err := govmomi.NewClient(ctx, s.url, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Logout(context.Background()) })
	return c
}

// ctx returns a context bounded by wait for one test step.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return c
}
