// Command vcsim serves govmomi v0.56.0's vCenter simulator with the lab kit's additions.
//
// The upstream vcsim main lives in a nested module that the Go module proxy does not serve
// (see ../README.md), so this main drives the same simulator package from the root module.
// It accepts upstream vcsim v0.56.0's whole command line (same flags, defaults, subcommands
// and output lines), registers the same optional endpoints, and adds:
//   - the kit's flags (-lab-extension, -host-profile, -vmotion-time; lab_flags.go) and the
//     call site of the kit's vCenter extension (lab_extension.go);
//   - a session or the login required on the HTTP file endpoints (file_auth.go).
//
// One file per job; ../README.md lists them.
package main

import (
	"errors"
	"flag"
	"log"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes one vcsim command line and returns the process exit status.
func run(args []string) int {
	cmd, err := parseCommandLine(os.Args[0], args, os.Stderr, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if errors.As(err, new(usageError)) {
		return 2 // reported with the usage, as flag.ExitOnError would
	}
	if err != nil {
		log.Print(err)
		return 1
	}
	switch cmd.subcommand {
	case "uuidgen":
		printUUID(os.Stdout)
		return 0
	case "version":
		printVersion(os.Stdout)
		return 0
	}
	if err := serve(cmd); err != nil {
		log.Print(err)
		return 1
	}
	return 0
}
