package main

import (
	"fmt"
	"strconv"
	"strings"
)

// parseMethodDelay reads -method-delay, "name:ms,name:ms", into a map (nil when empty).
//
// The names are SOAP method names or vcsim task names: vcsim looks both up in the same
// map. Like upstream, each item needs exactly one colon and a whole number.
func parseMethodDelay(spec string) (map[string]int, error) {
	if spec == "" {
		return nil, nil
	}
	delays := make(map[string]int)
	for item := range strings.SplitSeq(spec, ",") {
		item = strings.TrimSpace(item)
		parts := strings.Split(item, ":")
		if len(parts) != 2 {
			return nil, fmt.Errorf("%q is not of the form method:milliseconds", item)
		}
		ms, err := strconv.Atoi(parts[1])
		if err != nil {
			return nil, fmt.Errorf("%q: the delay is not a whole number of milliseconds", item)
		}
		delays[parts[0]] = ms
	}
	return delays, nil
}
