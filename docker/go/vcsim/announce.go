package main

import (
	"fmt"
	"net/url"
	"os"
)

// announce writes "export GOVC_URL=... GOVC_SIM_PID=..." where -E says, as upstream.
//
// "-" is stdout. Anything else is opened for writing without being created or truncated,
// so it may be a fifo (the govc test suite reads one) or a file the caller made, e.g. with
// mode 0600 because the URL holds the password.
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
		_ = f.Close()
		return err
	}
	return f.Close()
}
