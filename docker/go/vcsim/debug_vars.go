package main

import (
	"encoding/json"
	"expvar"
	"net/http"

	"github.com/vmware/govmomi/simulator"
)

// debugVars serves /debug/vars as upstream vcsim does (expvar's cmdline and memstats, plus
// "vcsim": the registry and the model's object counts), from this server's own model
// rather than through http.DefaultServeMux and a process-wide expvar.
func debugVars(model *simulator.Model) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		vars := make(map[string]any)
		expvar.Do(func(kv expvar.KeyValue) {
			vars[kv.Key] = json.RawMessage(kv.Value.String())
		})
		count := model.Count()
		vars["vcsim"] = struct {
			Registry *simulator.Registry `json:"registry"`
			Model    *simulator.Model    `json:"model"`
		}{model.Map(), &count}

		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(vars); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}
}
