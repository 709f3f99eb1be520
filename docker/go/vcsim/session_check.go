package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
)

// connect makes the in-process client that asks vcsim whether a session key is live.
// Call it once the server is started (the SOAP endpoint exists from then on).
func (a *fileAuth) connect() error {
	sc := soap.NewClient(&url.URL{Scheme: "http", Host: "vcsim.in-process", Path: vim25.Path}, true)
	sc.Client.Transport = inProcess{a.service}
	sc.Client.Jar = noCookies{} // each check carries its own cookie, nothing is kept
	sc.UserAgent = "vcsim-file-auth"
	c, err := vim25.NewClient(context.Background(), sc)
	if err != nil {
		return err
	}
	a.client.Store(c)
	return nil
}

// activeSession tells whether key is the key of a live session, by reading
// SessionManager.currentSession with it as vcsim's session cookie, exactly as a client
// would (vcsim keeps its session table private). The check counts as the session's activity.
func (a *fileAuth) activeSession(r *http.Request, key string) bool {
	c := a.client.Load()
	if c == nil {
		return false // not serving yet
	}
	ctx := context.WithValue(r.Context(), callerKey{}, caller{key, r.RemoteAddr, r.UserAgent()})
	s, err := session.NewManager(c).UserSession(ctx)
	return err == nil && s != nil
}

type callerKey struct{}

// caller is what the session check borrows from the file request it is made for.
type caller struct{ cookie, remoteAddr, userAgent string }

// inProcess serves the check's SOAP request with vcsim's SOAP handler, without a socket,
// as if the file request's client had sent it.
type inProcess struct{ service *simulator.Service }

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	if c, ok := req.Context().Value(callerKey{}).(caller); ok {
		req.AddCookie(&http.Cookie{Name: soap.SessionCookieName, Value: c.cookie})
		req.RemoteAddr = c.remoteAddr // vcsim records the session's last client address
		req.Header.Set("User-Agent", c.userAgent)
	}
	w := httptest.NewRecorder()
	t.service.ServeSDK(w, req)
	return w.Result(), nil
}

// noCookies is a cookie jar that keeps nothing.
type noCookies struct{}

func (noCookies) SetCookies(*url.URL, []*http.Cookie) {}
func (noCookies) Cookies(*url.URL) []*http.Cookie     { return nil }
