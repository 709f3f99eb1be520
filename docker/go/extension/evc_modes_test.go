package extension

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestContainsAgreesWithTheFeatureSets(t *testing.T) {
	c := DefaultCatalog()
	for _, a := range c.Keys("") {
		for _, b := range c.Keys("") {
			subset := len(c.missing(a, b)) == 0 && c.byKey[a].Vendor == c.byKey[b].Vendor
			if c.Contains(a, b) != subset {
				t.Errorf("Contains(%s, %s) = %v, features say %v", a, b, c.Contains(a, b), subset)
			}
		}
	}
}

func TestEveryGenerationAddsFeatures(t *testing.T) {
	c := DefaultCatalog()
	for _, vendor := range []string{"intel", "amd"} {
		keys := c.Keys(vendor)
		for i := 1; i < len(keys); i++ {
			if len(c.features(keys[i])) == 0 || (c.Contains(keys[i], keys[i-1]) && len(c.features(keys[i])) <= len(c.features(keys[i-1]))) {
				t.Errorf("%s adds nothing to %s", keys[i], keys[i-1])
			}
		}
	}
}

// The catalog is lablib's table (lablib/fallback/evc_table.py STATIC_EVC_MODES).
func TestCatalogMatchesLablib(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "lablib", "fallback", "evc_table.py"))
	if err != nil {
		t.Skip("lablib not next to docker/go:", err)
	}
	row := regexp.MustCompile(`\("([a-z0-9-]+)", ['"](.*?)['"], "([a-z]+)", (\d+), \(([^)]*)\),\s*(True|False)\)`)
	rows := row.FindAllStringSubmatch(string(src), -1)
	c := DefaultCatalog()
	if len(rows) != len(c.modes) {
		t.Fatalf("lablib lists %d modes, the catalog %d", len(rows), len(c.modes))
	}
	for _, r := range rows {
		m, ok := c.Mode(r[1])
		tier, _ := strconv.Atoi(r[4])
		track := strings.Trim(strings.ReplaceAll(r[5], `"`, ""), ", ")
		if !ok || m.Label != r[2] || m.Vendor != r[3] || int(m.Tier) != tier || strings.Join(m.Track, ",") != track || m.Confirmed != (r[6] == "True") {
			t.Errorf("%s: catalog %+v, lablib %v", r[1], m, r[1:])
		}
	}
}

func TestIncompatibility(t *testing.T) {
	c := DefaultCatalog()
	if _, _, _, _, bad := c.incompatibility("intel-icelake", "intel", "intel-cascadelake"); bad {
		t.Error("a Cascade Lake VM does not fit an Ice Lake host")
	}
	level, reg, host, vm, bad := c.incompatibility("intel-cascadelake", "intel", "intel-icelake")
	if !bad || level != 7 || reg != "ebx" || host == vm || len(host) != 39 || strings.Count(host, ":") != 7 {
		t.Errorf("icelake VM on cascadelake: %d %s %s %s", level, reg, host, vm)
	}
	if level, reg, host, _, bad := c.incompatibility("amd-zen", "amd", "intel-merom"); !bad || level != 0 || reg != "ebx" || host != vendorBits("amd") {
		t.Errorf("intel VM on amd: %d %s %s", level, reg, host)
	}
	if got := vendorBits("intel"); got != "0111:0101:0110:1110:0110:0101:0100:0111" {
		t.Errorf("vendorBits(intel) = %s", got)
	}
}

func TestEVCModeValues(t *testing.T) {
	c := DefaultCatalog()
	m := c.EVCMode("intel-cascadelake")
	if m.Key != "intel-cascadelake" || m.Vendor != "intel" || m.VendorTier != 9 || len(m.FeatureCapability) == 0 || len(m.FeatureMask) == 0 ||
		len(m.GuaranteedCPUFeatures) == 0 || m.FeatureRequirement[0].Key != "cpuid.Intel" {
		t.Errorf("EVCMode %+v", m)
	}
	for _, f := range m.FeatureMask {
		if f.Key == "cpuid.AVX512VNNI" {
			t.Error("cascadelake masks its own AVX512VNNI")
		}
	}
	if len(c.EVCModes()) != len(c.Keys("")) {
		t.Error("EVCModes() misses modes")
	}
}
