package main

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/cli"
	_ "github.com/vmware/govmomi/cli/object" // govc object.save, run in process
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
)

// -load serves an inventory that govc object.save wrote, as upstream does (the govc test
// suite's "vcsim model load" and the lab inventory recipes rely on it).
func TestLoadServesWhatObjectSaveWrote(t *testing.T) {
	s := startVcsim(t, "-dc", "2", "-cluster", "1", "-host", "2", "-standalone-host", "1",
		"-vm", "1", "-pool", "1", "-folder", "1")
	saved := inventory(t, s.login(t))

	dir := filepath.Join(t.TempDir(), "saved")
	if code := cli.Run([]string{"object.save", "-u", s.url.String(), "-k", "-d", dir}); code != 0 {
		t.Fatalf("govc object.save exited %d", code)
	}
	if files, _ := os.ReadDir(dir); len(files) == 0 {
		t.Fatal("object.save wrote nothing")
	}

	loaded := inventory(t, startVcsim(t, "-load", dir).login(t))
	if !reflect.DeepEqual(loaded, saved) {
		t.Errorf("loaded inventory differs:\n%v\nsaved:\n%v", loaded, saved)
	}
	if len(saved) < 20 {
		t.Errorf("the saved inventory is too small to tell: %v", saved)
	}
}

// inventory returns every managed entity as "Type name", sorted.
func inventory(t *testing.T, c *govmomi.Client) []string {
	t.Helper()
	m := view.NewManager(c.Client)
	v, err := m.CreateContainerView(ctx(t), c.ServiceContent.RootFolder, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = v.Destroy(ctx(t)) }()
	var entities []mo.ManagedEntity
	if err := v.Retrieve(ctx(t), []string{"ManagedEntity"}, []string{"name"}, &entities); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entities {
		names = append(names, e.Self.Type+" "+e.Name)
	}
	sort.Strings(names)
	return names
}
