package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"vmotionlab/tools/extension"
)

func TestUUIDGenAndVersion(t *testing.T) {
	code, out := runVcsim(t, "uuidgen")
	if code != 0 || !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$`).MatchString(out) {
		t.Errorf("uuidgen: %d %q", code, out)
	}
	_, again := runVcsim(t, "uuidgen")
	if again == out {
		t.Error("uuidgen printed the same UUID twice")
	}
	code, out = runVcsim(t, "version")
	lines := strings.Split(out, "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "Build Version: v0.56.0") ||
		!strings.HasPrefix(lines[1], "Build Commit:") || !strings.HasPrefix(lines[2], "Build Date:") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestExitStatus(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"-h"}, 0, "Usage of"},
		{[]string{"-no-such-flag"}, 2, "flag provided but not defined"},
		{[]string{"-vmotion-time", "3000"}, 2, "missing unit"},
		{[]string{"-method-delay", "RelocateVm=1"}, 1, "-method-delay"},
		{[]string{"-l", "127.0.0.1", "-E", "/dev/null"}, 1, "missing port"},
		{[]string{"-l", "127.0.0.1:0", "-E", filepath.Join(t.TempDir(), "missing", "env")}, 1, "no such file"},
		{[]string{"-l", "127.0.0.1:0", "-load", filepath.Join(t.TempDir(), "missing")}, 1, "no such file"},
	} {
		code, out := runVcsim(t, c.args...)
		if code != c.code || !strings.Contains(out, c.says) {
			t.Errorf("%v: exit %d, want %d with %q: %s", c.args, code, c.code, c.says, out)
		}
	}
}

func TestAnnounceToStdoutAndToAFifo(t *testing.T) {
	// stdout: the default -E.
	cmd := vcsimCommand(t, context.Background(), "-l", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line := readLine(t, stdout)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	checkAnnounce(t, line, cmd.Process.Pid)

	// A fifo, as the govc test suite reads it: opening blocks until vcsim writes.
	fifo := filepath.Join(t.TempDir(), "env")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd = vcsimCommand(t, context.Background(), "-l", "127.0.0.1:0", "-E", fifo)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	f, err := os.OpenFile(fifo, os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	checkAnnounce(t, readLine(t, f), cmd.Process.Pid)
}

func readLine(t *testing.T, r io.Reader) string {
	t.Helper()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		return line
	case <-time.After(wait):
		t.Fatalf("no line within %v", wait)
		return ""
	}
}

func checkAnnounce(t *testing.T, line string, pid int) {
	t.Helper()
	m := announceLine.FindStringSubmatch(line)
	if m == nil || m[2] != strconv.Itoa(pid) || !strings.HasPrefix(m[1], "https://user:pass@127.0.0.1:") ||
		!strings.HasSuffix(m[1], "/sdk") {
		t.Errorf("announce line %q (pid %d)", line, pid)
	}
}

func TestTheSimulatorSaysItIsOne(t *testing.T) {
	s := startVcsim(t, "-dc", "1", "-cluster", "1", "-host", "1", "-standalone-host", "0", "-vm", "0")
	c := s.login(t)
	about := c.ServiceContent.About
	// lablib looks for the tag anywhere; the lab extension names itself after it.
	if !strings.HasSuffix(about.FullName, simulatorTag+extension.FullNameSuffix) || about.ApiType != "VirtualCenter" {
		t.Errorf("About: %q (%s)", about.FullName, about.ApiType)
	}
	hosts := hostSummaries(t, c)
	if len(hosts) != 1 || !strings.HasSuffix(hosts[0].Summary.Hardware.Vendor, simulatorTag) ||
		hosts[0].Summary.ManagementServerIp != "127.0.0.1" {
		t.Errorf("hosts: %+v", hosts)
	}
	if vnic := hosts[0].Config.Network.Vnic[0]; vnic.Spec.Ip.IpAddress != "127.0.0.1" {
		t.Errorf("vmk0 address %q, want the listen address", vnic.Spec.Ip.IpAddress)
	}
	for _, vnic := range hosts[0].Config.Vmotion.NetConfig.CandidateVnic {
		if vnic.Spec.Ip.IpAddress != "127.0.0.1" {
			t.Errorf("vMotion candidate %s address %q, want the listen address", vnic.Device, vnic.Spec.Ip.IpAddress)
		}
	}

	esx := startVcsim(t, "-esx")
	if about := esx.login(t).ServiceContent.About; about.ApiType != "HostAgent" ||
		!strings.HasSuffix(about.FullName, simulatorTag) {
		t.Errorf("-esx About: %q (%s)", about.FullName, about.ApiType)
	}
}

func hostSummaries(t *testing.T, c *govmomi.Client) []mo.HostSystem {
	t.Helper()
	m, err := find.NewFinder(c.Client).HostSystemList(ctx(t), "*")
	if err != nil {
		t.Fatal(err)
	}
	var refs []types.ManagedObjectReference
	for _, h := range m {
		refs = append(refs, h.Reference())
	}
	var hosts []mo.HostSystem
	err = property.DefaultCollector(c.Client).Retrieve(ctx(t), refs, []string{"summary", "config.network", "config.vmotion"}, &hosts)
	if err != nil {
		t.Fatal(err)
	}
	return hosts
}

func TestAFixedPortIsEveryHostsPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	envFile := filepath.Join(t.TempDir(), "env")
	_ = os.WriteFile(envFile, nil, 0o600)
	cmd := vcsimCommand(t, context.Background(), "-l", "127.0.0.1:"+strconv.Itoa(port), "-E", envFile)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	deadline := time.Now().Add(wait)
	for {
		data, _ := os.ReadFile(envFile)
		if m := announceLine.FindStringSubmatch(string(data)); m != nil {
			u, _ := url.Parse(m[1])
			c := (&vcsim{url: u}).login(t)
			for _, h := range hostSummaries(t, c) {
				if h.Summary.Config.Port != int32(port) {
					t.Errorf("%s: port %d, want %d", h.Summary.Config.Name, h.Summary.Config.Port, port)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("vcsim did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestPlainHTTPAndOwnCertificate(t *testing.T) {
	s := startVcsim(t, "-tls=false")
	if s.url.Scheme != "http" {
		t.Errorf("-tls=false announced %s", s.url)
	}
	s.login(t)

	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	serial := writeCertificate(t, certFile, keyFile)
	s = startVcsim(t, "-tlscert", certFile, "-tlskey", keyFile)
	conn, err := tls.Dial("tcp", s.url.Host, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got := conn.ConnectionState().PeerCertificates[0].SerialNumber; got.Cmp(serial) != 0 {
		t.Errorf("served certificate serial %v, want ours %v", got, serial)
	}
}

// writeCertificate writes a self-signed certificate and its key, and returns its serial.
func writeCertificate(t *testing.T, certFile, keyFile string) *big.Int {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial := big.NewInt(424242)
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "vcsim test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return serial
}

func TestLoginFromFilesOrValues(t *testing.T) {
	dir := t.TempDir()
	userFile, passFile := filepath.Join(dir, "user"), filepath.Join(dir, "secret")
	_ = os.WriteFile(userFile, []byte("student\n"), 0o600)
	_ = os.WriteFile(passFile, []byte("s3cret\n"), 0o600)
	for _, args := range [][]string{{"-username", userFile, "-password", passFile},
		{"-username", "student", "-password", "s3cret"}} {
		s := startVcsim(t, args...)
		if s.url.User.String() != "student:s3cret" {
			t.Errorf("%v: announced %s", args, s.url.User)
		}
		s.login(t)
		wrong := *s.url
		wrong.User = url.UserPassword("student", "guess")
		if _, err := govmomi.NewClient(ctx(t), &wrong, true); err == nil {
			t.Errorf("%v: a wrong password logged in", args)
		}
	}
}

func TestStdinExit(t *testing.T) {
	cmd := vcsimCommand(t, context.Background(), "-l", "127.0.0.1:0", "-stdinexit")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	checkAnnounce(t, readLine(t, r), cmd.Process.Pid)
	if line := readLine(t, r); line != "Press any key to exit\n" {
		t.Errorf("second line %q", line)
	}
	_, _ = stdin.Write([]byte("\n"))
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after a key: %v", err)
		}
	case <-time.After(wait):
		_ = cmd.Process.Kill()
		t.Fatal("a key did not stop vcsim")
	}
}

func TestTraceFileAndTunnel(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "trace.log")
	s := startVcsim(t, "-trace-file", trace, "-tunnel", "0")
	port := s.url.Query().Get("GOVMOMI_TUNNEL_PROXY_PORT")
	if n, err := strconv.Atoi(port); err != nil || n == 0 {
		t.Fatalf("-tunnel 0 announced %s", s.url)
	}
	s.login(t)
	data, err := os.ReadFile(trace)
	if err != nil || !strings.Contains(string(data), "Request:") || !strings.Contains(string(data), "Login") {
		t.Errorf("trace file: %v %.200s", err, data)
	}
	// The tunnel answers CONNECT (and nothing else).
	res, err := http.Get("http://127.0.0.1:" + port + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET on the tunnel: %s", res.Status)
	}
}

func TestUpstreamsOptionalEndpointsAndDebugVars(t *testing.T) {
	s := startVcsim(t, "-dc", "2", "-cluster", "3", "-vm", "0", "-ds", "0")
	base := "https://" + s.url.Host
	client := insecureHTTP()

	res, err := client.Get(base + "/about") // open, as upstream (lablib waits on it)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, method := range []string{"CurrentTime", "CnsAttachVolume", "PbmCreate", "VslmCreateDisk_Task"} {
		if !strings.Contains(string(body), method) {
			t.Errorf("/about lists no %s", method)
		}
	}

	// vAPI (tags, content library): a REST session from the login.
	req, _ := http.NewRequest(http.MethodPost, base+"/rest/com/vmware/cis/session", nil)
	req.SetBasicAuth("user", "pass")
	if res, err := client.Do(req); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("vAPI session: %v %v", res, err)
	}

	// /debug/vars: upstream's JSON, open as upstream (the govc suite reads it so).
	res, err = client.Get(base + "/debug/vars")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var vars struct {
		Cmdline []string `json:"cmdline"`
		Vcsim   struct {
			Registry map[string]int `json:"registry"`
			Model    map[string]int `json:"model"`
		} `json:"vcsim"`
	}
	if err := json.NewDecoder(res.Body).Decode(&vars); err != nil {
		t.Fatal(err)
	}
	m := vars.Vcsim.Model
	if m["datacenter"] != 2 || m["cluster"] != 6 || m["machine"] != 0 || m["datastore"] != 0 ||
		len(vars.Cmdline) == 0 || vars.Vcsim.Registry["objects"] == 0 {
		t.Errorf("/debug/vars: %+v", vars)
	}
}

func insecureHTTP() *http.Client {
	return &http.Client{Timeout: wait, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}
