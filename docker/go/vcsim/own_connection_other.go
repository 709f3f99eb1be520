//go:build !linux

package main

import "net/http"

// ownConnection cannot tell a request vcsim makes to itself outside Linux: such requests
// (a content library pull from the simulator's own /folder URL) need credentials in the URL.
func ownConnection(*http.Request) bool { return false }
