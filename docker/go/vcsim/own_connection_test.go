package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/vapi/library"
	"github.com/vmware/govmomi/vapi/rest"
)

func TestOwnConnectionIsThisProcessOnly(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ownConnection reads /proc (Linux); elsewhere it is always false")
	}
	own := make(chan bool, 1)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		own <- ownConnection(r)
	}))
	defer server.Close()

	res, err := http.Get(server.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if !<-own {
		t.Error("a request from this process was not recognised as its own")
	}

	exe, _ := os.Executable()
	cmd := exec.CommandContext(ctx(t), exe)
	cmd.Env = append(os.Environ(), asFetcher+"="+server.URL)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fetch from another process: %v %s", err, out)
	}
	if <-own {
		t.Error("a request from another process was taken for this process's own")
	}
}

// govc library.import -pull makes vcsim's content library fetch a URL itself; a URL of the
// simulator's own /folder carries no credentials, and must still give the file (govc test
// suite, library.bats "library.import").
func TestTheSimulatorsOwnPullsAreItsOwn(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs ownConnection (Linux)")
	}
	s := newFileServer(t)
	rc := rest.NewClient(s.client.Client)
	if err := rc.Login(ctx(t), s.url.User); err != nil {
		t.Fatal(err)
	}
	m := library.NewManager(rc)
	ds, err := s.datastoreID(t)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := m.CreateLibrary(ctx(t), library.Library{Name: "course", Type: "LOCAL",
		Storage: []library.StorageBacking{{DatastoreID: ds, Type: "DATASTORE"}}})
	if err != nil {
		t.Fatal(err)
	}
	item, err := m.CreateLibraryItem(ctx(t), library.Item{Name: "notes", Type: "file", LibraryID: lib})
	if err != nil {
		t.Fatal(err)
	}
	session, err := m.CreateLibraryItemUpdateSession(ctx(t), library.Session{LibraryItemID: item})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(notes))
	_, err = m.AddLibraryItemFileFromURI(ctx(t), session, "notes.txt", s.file,
		library.Checksum{Algorithm: "SHA256", Checksum: hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(wait)
	for {
		f, err := m.GetLibraryItemUpdateSessionFile(ctx(t), session, "notes.txt")
		if err != nil {
			t.Fatal(err)
		}
		if f.Status == "READY" {
			break
		}
		if f.Status == "ERROR" || time.Now().After(deadline) {
			t.Fatalf("pull: %s %+v", f.Status, f.ErrorMessage)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := m.CompleteLibraryItemUpdateSession(ctx(t), session); err != nil {
		t.Fatal(err)
	}
	info, err := m.GetLibraryItemUpdateSession(ctx(t), session)
	if err != nil || info.State == "ERROR" {
		t.Fatalf("the pulled file failed its checksum: %+v %v", info, err)
	}
}

// datastoreID returns LocalDS_0's managed object id.
func (s *fileServer) datastoreID(t *testing.T) (string, error) {
	t.Helper()
	ds, err := find.NewFinder(s.client.Client).Datastore(ctx(t), "LocalDS_0")
	if err != nil {
		return "", err
	}
	return ds.Reference().Value, nil
}
