package extension

import (
	"reflect"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// Property updates that wake every waiter. vcsim's ctx.AutoUpdate reports a change by its
// top-level property ("runtime"), and its PropertyFilter matches a change to a filter's
// path only when the change's name starts with that path: a client waiting on
// "runtime.host" (govc object.collect, pyVmomi's WaitForUpdatesEx) never wakes. update
// reports each changed value at its deepest property path instead ("runtime.host",
// "summary.runtime.host"), which wakes waiters on the leaf and, by that prefix rule, on
// every parent ("runtime", "summary").

var morType = reflect.TypeOf(types.ManagedObjectReference{})

// update runs change on obj under its lock and reports what changed, leaf by leaf.
func update(ctx *simulator.Context, obj mo.Reference, change func()) {
	ctx.WithLock(obj, func() {
		before := simulator.Checkpoint(obj)
		change()
		after := simulator.Checkpoint(obj)
		var changes []types.PropertyChange
		leafChanges("", reflect.ValueOf(before).Elem(), reflect.ValueOf(after).Elem(), &changes)
		if len(changes) > 0 {
			ctx.Update(obj, changes)
		}
	})
}

// leafChanges appends a change for every differing field of two values of one struct
// type, descending into nested structs (as vcsim's property paths do: not into slices,
// interfaces or managed object references).
func leafChanges(prefix string, old, new reflect.Value, changes *[]types.PropertyChange) {
	t := old.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		o, n := old.Field(i), new.Field(i)
		if f.Anonymous {
			leafChanges(prefix, o, n, changes)
			continue
		}
		name := propertyName(f)
		if name == "" || f.Name == "Self" || reflect.DeepEqual(o.Interface(), n.Interface()) {
			continue
		}
		if prefix != "" {
			name = prefix + "." + name
		}
		if nested(f.Type) && (f.Type.Kind() == reflect.Struct || !o.IsNil() && !n.IsNil()) {
			leafChanges(name, reflect.Indirect(o), reflect.Indirect(n), changes)
			continue
		}
		var val any
		if n.Kind() != reflect.Pointer || !n.IsNil() {
			val = reflect.Indirect(n).Interface()
		}
		*changes = append(*changes, types.PropertyChange{Name: name, Op: types.PropertyChangeOpAssign, Val: val})
	}
}

// propertyName is a field's name in property paths: its json tag (mo's types have only
// that one), else its xml tag, as vim25/mo's type information reads them.
func propertyName(f reflect.StructField) string {
	for _, key := range []string{"json", "xml"} {
		if name := strings.Split(f.Tag.Get(key), ",")[0]; name != "" {
			return name
		}
	}
	return ""
}

// nested says whether a field's type has property paths below it.
func nested(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && t != morType
}
