package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

const notes = "a student's notes"

// fileServer is a simulator with a login, a session and one file on LocalDS_0.
type fileServer struct {
	*vcsim
	client *govmomi.Client
	base   string // http://host:port
	file   string // the file's /folder URL
}

func newFileServer(t *testing.T) *fileServer {
	t.Helper()
	s := startVcsim(t, "-tls=false", "-username", "student", "-password", "s3cret",
		"-cluster", "1", "-host", "1", "-standalone-host", "0", "-vm", "1")
	c := s.login(t)
	ds, err := find.NewFinder(c.Client).DefaultDatastore(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	// As govc datastore.upload does it: the client's session cookie goes with the PUT.
	if err := ds.Upload(ctx(t), strings.NewReader(notes), "notes.txt", &soap.DefaultUpload); err != nil {
		t.Fatalf("upload with the session: %v", err)
	}
	base := "http://" + s.url.Host
	return &fileServer{s, c, base, base + "/folder/notes.txt?dsName=LocalDS_0"}
}

// sessionKey returns the client's vmware_soap_session cookie value.
func sessionKey(t *testing.T, c *govmomi.Client) string {
	t.Helper()
	for _, cookie := range c.Client.Client.Jar.Cookies(c.URL()) {
		if cookie.Name == soap.SessionCookieName {
			return cookie.Value
		}
	}
	t.Fatal("the client has no session cookie")
	return ""
}

type credentials func(*http.Request)

func noCredentials(*http.Request) {}

func cookie(key string) credentials {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: soap.SessionCookieName, Value: key}) }
}

func basic(user, pass string) credentials {
	return func(r *http.Request) { r.SetBasicAuth(user, pass) }
}

func request(t *testing.T, method, target string, body string, auth credentials) (int, string) {
	t.Helper()
	r, err := http.NewRequestWithContext(ctx(t), method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	auth(r)
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data)
}

func TestDatastoreFilesNeedASessionOrTheLogin(t *testing.T) {
	s := newFileServer(t)
	key := sessionKey(t, s.client)
	listing := s.base + "/folder/?dsName=LocalDS_0"

	for _, c := range []struct {
		name   string
		method string
		target string
		auth   credentials
		want   int
	}{
		{"read, no credentials", "GET", s.file, noCredentials, 401},
		{"list, no credentials", "GET", listing, noCredentials, 401},
		{"head, no credentials", "HEAD", s.file, noCredentials, 401},
		{"write, no credentials", "PUT", s.file, noCredentials, 401},
		{"create, no credentials", "POST", s.base + "/folder/new.txt?dsName=LocalDS_0", noCredentials, 401},
		{"odd method, no credentials", "PROPFIND", s.file, noCredentials, 401},
		{"read, unknown session", "GET", s.file, cookie("0f5c8f0e-0000-4000-8000-000000000000"), 401},
		{"read, wrong password", "GET", s.file, basic("student", "guess"), 401},
		{"read, another user", "GET", s.file, basic("other", "s3cret"), 401},
		{"read, session", "GET", s.file, cookie(key), 200},
		{"list, session", "GET", listing, cookie(key), 200},
		{"read, login", "GET", s.file, basic("student", "s3cret"), 200},
	} {
		code, body := request(t, c.method, c.target, "overwritten", c.auth)
		if code != c.want {
			t.Errorf("%s: %d, want %d", c.name, code, c.want)
		}
		if code == 401 && strings.Contains(body, notes) {
			t.Errorf("%s: refused but served the file", c.name)
		}
	}
	if _, body := request(t, "GET", s.file, "", cookie(key)); body != notes {
		t.Errorf("the file changed: %q", body)
	}
	if code, _ := request(t, "GET", s.base+"/folder/new.txt?dsName=LocalDS_0", "", cookie(key)); code != 404 {
		t.Errorf("a refused POST created a file (%d)", code)
	}

	// A session that logged out is no credential any more.
	if err := s.client.Logout(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if code, _ := request(t, "GET", s.file, "", cookie(key)); code != 401 {
		t.Errorf("read with a logged-out session: %d", code)
	}
}

// Raw request lines that Go's client would clean up: odd paths and methods must meet the
// same guard, never vcsim's own handler.
func TestOddRequestsMeetTheGuard(t *testing.T) {
	s := newFileServer(t)
	for _, line := range []string{
		"GET /folder/notes.txt?dsName=LocalDS_0",
		"GET /folder//notes.txt?dsName=LocalDS_0",
		"GET /folder/./notes.txt?dsName=LocalDS_0",
		"GET /folder/x/../notes.txt?dsName=LocalDS_0",
		"GET /folder/%6Eotes.txt?dsName=LocalDS_0",
		"CONNECT /folder/notes.txt?dsName=LocalDS_0",
		"CONNECT /folder//notes.txt?dsName=LocalDS_0",
		"FOO /folder/notes.txt?dsName=LocalDS_0",
		"GET /folder?dsName=LocalDS_0",
		"GET /guestFile/tmp/x?id=1",
		"PUT /nfc/lease/disk-0.vmdk",
	} {
		status, body := rawRequest(t, s.url.Host, line)
		if strings.Contains(body, notes) || strings.HasPrefix(status, "HTTP/1.1 200") {
			t.Errorf("%s: %s", line, status)
		}
	}
}

func rawRequest(t *testing.T, host, line string) (string, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", host, wait)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(wait))
	if _, err := io.WriteString(conn, line+" HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	status, _ := r.ReadString('\n')
	rest, _ := io.ReadAll(r)
	return strings.TrimSpace(status), string(rest)
}

func TestGuestFileTransfersTakeTheSessionToken(t *testing.T) {
	s := newFileServer(t)
	key := sessionKey(t, s.client)
	guest := s.base + "/guestFile/tmp/x?id=no-such-container&token="
	if code, _ := request(t, "GET", guest+url.QueryEscape(key), "", noCredentials); code == 401 {
		t.Error("a live session's token was refused")
	}
	if code, _ := request(t, "GET", guest+"bogus", "", noCredentials); code != 401 {
		t.Errorf("a bogus token: %d", code)
	}
	if code, _ := request(t, "GET", s.base+"/guestFile/tmp/x?id=1", "", noCredentials); code != 401 {
		t.Errorf("no token: %d", code)
	}
}

// govc import.* uploads disks to NFC lease URLs with its session cookie.
func TestNFCUploadsNeedTheSession(t *testing.T) {
	s := newFileServer(t)
	c := s.client.Client
	finder := find.NewFinder(c)
	pool, err := finder.DefaultResourcePool(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := finder.DefaultDatastore(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	var devices object.VirtualDeviceList
	scsi, _ := devices.CreateSCSIController("pvscsi")
	devices = append(devices, scsi)
	disk := devices.CreateDisk(scsi.(types.BaseVirtualController), ds.Reference(), "")
	disk.CapacityInKB = 1024
	spec := &types.VirtualMachineImportSpec{ConfigSpec: types.VirtualMachineConfigSpec{
		Name:  "imported",
		Files: &types.VirtualMachineFileInfo{VmPathName: "[LocalDS_0]"},
	}}
	spec.ConfigSpec.DeviceChange, _ = append(devices, disk).ConfigSpec(types.VirtualDeviceConfigSpecOperationAdd)
	for _, change := range spec.ConfigSpec.DeviceChange {
		if change.GetVirtualDeviceConfigSpec().Device == disk {
			change.GetVirtualDeviceConfigSpec().FileOperation = types.VirtualDeviceConfigSpecFileOperationCreate
		}
	}

	lease, err := pool.ImportVApp(ctx(t), spec, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	info, err := lease.Wait(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Items) == 0 {
		t.Fatal("the lease has no device URL")
	}
	item := info.Items[0]

	raw := *item.URL
	if code, _ := request(t, "PUT", raw.String(), "not a disk", noCredentials); code != 401 {
		t.Errorf("PUT to the lease without a session: %d", code)
	}
	// What nfc.Lease.Upload does, without its progress reader (racy in govmomi v0.56.0).
	err = c.Client.Upload(ctx(t), strings.NewReader("disk bytes"), item.URL, &soap.Upload{
		Method: "PUT", ContentLength: int64(len("disk bytes"))})
	if err != nil {
		t.Errorf("upload with the session: %v", err)
	}
	if err := lease.Complete(ctx(t)); err != nil {
		t.Error(err)
	}
}

// If Go's ServeMux routed by its pre-1.22 rules, the guard's patterns would not win over
// vcsim's own: vcsim refuses to start rather than serve the files to anyone.
func TestRefusesToStartWhenTheGuardCannotWin(t *testing.T) {
	cmd := vcsimCommand(t, ctx(t), "-l", "127.0.0.1:0", "-E", os.DevNull)
	cmd.Env = append(cmd.Env, "GODEBUG=httpmuxgo121=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "httpmuxgo121") {
		t.Errorf("started anyway (%v): %s", err, out)
	}
}

// Another user of the machine (issue: a shared class server) meets the guard too.
func TestAnotherUserCannotReadTheFiles(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("running a client as another uid needs root")
	}
	s := newFileServer(t)
	exe := copyForEveryone(t)
	cmd := exec.CommandContext(ctx(t), exe)
	cmd.Env = append(os.Environ(), asFetcher+"="+s.file)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("client as uid 65534: %v", err)
	}
	if !strings.HasPrefix(string(out), "401 ") || strings.Contains(string(out), notes) {
		t.Errorf("uid 65534 got %q", out)
	}
}

// copyForEveryone copies this test binary where any user may run it.
func copyForEveryone(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "vcsim-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	self, _ := os.Executable()
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "client")
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return exe
}
