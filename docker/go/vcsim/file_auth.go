package main

import (
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// fileAuth requires a logged-in session, or the login itself, on vcsim's file endpoints.
//
// Upstream serves them to anyone who can reach the port, so on a shared machine any local
// user could read and PUT files in another user's simulated datastores. A request passes
// with the vmware_soap_session cookie of a live session (what govc and pyVmomi send), HTTP
// basic auth with a user and password vcsim's Login accepts, for /guestFile the session key
// vcsim itself puts in the transfer URL's token parameter, or from vcsim itself (a content
// library pull from its own /folder URL; own_connection_linux.go). Anything else: 401.
type fileAuth struct {
	service *simulator.Service
	client  atomic.Pointer[vim25.Client] // in-process client asking vcsim about sessions
}

// require wraps next so that only authenticated requests reach it.
func (a *fileAuth) require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.allowed(r) {
			w.Header().Set("WWW-Authenticate", `Basic realm="vcsim"`)
			http.Error(w, "A vCenter session or the simulator's login is required.",
				http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// allowed tells whether r carries a login vcsim accepts or the key of a live session.
func (a *fileAuth) allowed(r *http.Request) bool {
	if user, pass, ok := r.BasicAuth(); ok && a.validLogin(user, pass) {
		return true
	}
	if c, err := r.Cookie(soap.SessionCookieName); err == nil && a.activeSession(r, c.Value) {
		return true
	}
	if strings.HasPrefix(r.URL.Path, guestPrefix) {
		if token := r.URL.Query().Get("token"); token != "" && a.activeSession(r, token) {
			return true
		}
	}
	return ownConnection(r)
}

// validLogin applies vcsim's own Login rule: the -username/-password pair when given,
// else any non-empty user and password.
func (a *fileAuth) validLogin(user, pass string) bool {
	login := &types.Login{UserName: user, Password: pass}
	return a.service.Context.Map.SessionManager().Authenticate(*a.service.Listen, login)
}
