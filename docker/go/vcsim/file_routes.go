package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/vmware/govmomi/simulator"
)

// vcsim's HTTP endpoints that read or write files, as simulator.Service.NewServer registers
// them: the datastore browser (datastore.upload/download, import.*), guest file transfers
// (guest.upload/download) and NFC leases (import.ovf/ova, export.ovf).
const (
	folderPrefix = "/folder/"
	guestPrefix  = "/guestFile/"
	nfcPrefix    = "/nfc/"
)

// guardedPatterns returns the patterns that take every path under prefix: NewServer then
// registers prefix itself, and Go's ServeMux prefers these because each matches a strict
// subset of prefix's paths ("{$}" the prefix alone, "{seg}" one segment, possibly empty,
// "{seg}/{rest...}" deeper). Registering them before NewServer leaves no unguarded moment.
func guardedPatterns(prefix string) []string {
	return []string{prefix + "{$}", prefix + "{seg}", prefix + "{seg}/{rest...}"}
}

// guard registers the file endpoints behind auth on mux, the ServeMux NewServer will add
// its own handlers to, and /debug/vars as upstream serves it (open: object counts and the
// command line, which holds a file name rather than the password when lablib starts vcsim).
func (a *fileAuth) guard(mux *http.ServeMux, model *simulator.Model) error {
	if err := checkGuardPrecedence(); err != nil {
		return err
	}
	handlers := map[string]http.HandlerFunc{
		folderPrefix: model.Service.ServeDatastore,
		guestPrefix:  simulator.ServeGuest,
		nfcPrefix:    simulator.ServeNFC,
	}
	for prefix, handler := range handlers {
		for _, pattern := range guardedPatterns(prefix) {
			mux.Handle(pattern, a.require(handler))
		}
	}
	mux.Handle("/debug/vars", debugVars(model))
	return nil
}

// checkGuardPrecedence proves on a scratch ServeMux that the guarded patterns win over the
// prefixes NewServer registers, for odd methods and paths too. It fails when the ServeMux
// routes by Go 1.21 rules (GODEBUG=httpmuxgo121=1), which would leave the files open.
func checkGuardPrecedence() error {
	const unguarded = http.StatusTeapot
	mux := http.NewServeMux()
	for _, prefix := range []string{folderPrefix, guestPrefix, nfcPrefix} {
		for _, pattern := range guardedPatterns(prefix) {
			mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
		}
		mux.HandleFunc(prefix, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(unguarded) })
	}
	for _, method := range []string{"GET", "HEAD", "PUT", "POST", "DELETE", "CONNECT", "PROPFIND"} {
		for _, path := range []string{"", "x", "x/", "x/y/z", "/x", "//", "a//b", "%2F", "..", "./x"} {
			for _, prefix := range []string{folderPrefix, guestPrefix, nfcPrefix} {
				r := httptest.NewRequest(method, "http://vcsim"+prefix, nil)
				r.URL.Path = prefix + path // unclean on purpose
				w := httptest.NewRecorder()
				mux.ServeHTTP(w, r)
				if w.Code == unguarded {
					return fmt.Errorf("%s %s would bypass the file endpoints' authentication: "+
						"this Go ServeMux does not give precedence to more specific patterns "+
						"(is GODEBUG=httpmuxgo121=1 set?)", method, r.URL.Path)
				}
			}
		}
	}
	return nil
}
