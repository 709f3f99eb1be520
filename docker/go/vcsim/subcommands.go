package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/google/uuid"
)

// Set with -ldflags "-X main.buildVersion=..." like upstream's release builds; when unset,
// the version is the govmomi module this binary was built from.
var (
	buildVersion string
	buildCommit  string
	buildDate    string
)

// printUUID answers `vcsim uuidgen` (the govc test suite names its objects with it).
func printUUID(w io.Writer) {
	fmt.Fprintln(w, uuid.New().String())
}

// printVersion answers `vcsim version` with upstream's three lines.
func printVersion(w io.Writer) {
	version := buildVersion
	if version == "" {
		version = govmomiVersion()
	}
	fmt.Fprintf(w, "Build Version: %s\n", version)
	fmt.Fprintf(w, "Build Commit: %s\n", buildCommit)
	fmt.Fprintf(w, "Build Date: %s\n", buildDate)
}

// govmomiVersion returns the version of the govmomi module linked in, e.g. "v0.56.0".
func govmomiVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, dep := range info.Deps {
		if dep.Path == "github.com/vmware/govmomi" {
			return dep.Version
		}
	}
	return ""
}
