package extension

import (
	"sort"
	"strings"

	"github.com/vmware/govmomi/vim25/types"
)

// The EVC catalog: the modes the simulator lists in si.capability.supportedEVCMode and
// the CPU features each one guarantees.
//
// Keys, labels, vendors, tiers and tracks are lablib's table (lablib/fallback/evc_table.py
// STATIC_EVC_MODES; docs/vsphere-facts.md §2: the keys after intel-skylake / amd-zen are
// UNCONFIRMED strings). Mode A contains mode B when A.track ⊇ B.track and
// A.vendorTier ≥ B.vendorTier (same vendor). The CPU features are MODELLED: each
// generation adds the instructions it introduced, placed at their real CPUID leaf,
// register and bit, so that a CpuIncompatible fault names a real location. The
// feature sets agree with the track/tier rule (evc_modes_test.go checks every pair).

// Mode is one EVC mode.
type Mode struct {
	Key       string
	Label     string
	Vendor    string // "intel" or "amd"
	Tier      int32
	Track     []string
	Confirmed bool // the key string appears in a primary source
}

// feature is one modelled CPU feature, introduced in a vendor's generation `tier`
// (on `track` only, when set).
type feature struct {
	name     string
	vendor   string
	tier     int32
	track    string
	level    int32 // CPUID leaf
	register string
	bit      uint
}

var evcModes = []Mode{
	{"intel-merom", `Intel "Merom" Generation`, "intel", 0, nil, true},
	{"intel-penryn", `Intel "Penryn" Generation`, "intel", 1, nil, true},
	{"intel-nehalem", `Intel "Nehalem" Generation`, "intel", 2, nil, true},
	{"intel-westmere", `Intel "Westmere" Generation`, "intel", 3, nil, true},
	{"intel-sandybridge", `Intel "Sandy Bridge" Generation`, "intel", 4, nil, true},
	{"intel-ivybridge", `Intel "Ivy Bridge" Generation`, "intel", 5, nil, true},
	{"intel-haswell", `Intel "Haswell" Generation`, "intel", 6, nil, true},
	{"intel-broadwell", `Intel "Broadwell" Generation`, "intel", 7, nil, true},
	{"intel-skylake", `Intel "Skylake" Generation`, "intel", 8, nil, true},
	{"intel-cascadelake", `Intel "Cascade Lake" Generation`, "intel", 9, nil, false},
	{"intel-icelake", `Intel "Ice Lake" Generation`, "intel", 10, nil, false},
	{"intel-sapphirerapids", `Intel "Sapphire Rapids" Generation`, "intel", 11, nil, false},
	{"amd-rev-e", "AMD Opteron Generation 1", "amd", 0, nil, true},
	{"amd-rev-f", "AMD Opteron Generation 2", "amd", 1, nil, true},
	{"amd-greyhound-no3dnow", "AMD Opteron Gen. 3 (no 3DNow!)", "amd", 2, nil, true},
	{"amd-greyhound", "AMD Opteron Generation 3", "amd", 3, []string{"3dnow"}, true},
	{"amd-bulldozer", `AMD Opteron "Bulldozer" Generation`, "amd", 3, []string{"bulldozer"}, true},
	{"amd-piledriver", `AMD Opteron "Piledriver" Generation`, "amd", 4, []string{"bulldozer"}, true},
	{"amd-steamroller", `AMD Opteron "Steamroller" Generation`, "amd", 5, []string{"bulldozer"}, true},
	{"amd-zen", `AMD "Zen" Generation`, "amd", 6, []string{"bulldozer"}, true},
	{"amd-zen2", `AMD "Zen 2" Generation`, "amd", 7, []string{"bulldozer"}, false},
	{"amd-zen3", `AMD "Zen 3" Generation`, "amd", 8, []string{"bulldozer"}, false},
	{"amd-zen4", `AMD "Zen 4" Generation`, "amd", 9, []string{"bulldozer"}, false},
}

// CPUID leaves used below (vim's int32 level: leaf 0x80000001 reads negative).
const (
	leafBasic    int32 = 0x1
	leafExtended int32 = 0x7
	leafAMD      int32 = -0x7fffffff // 0x80000001
)

func features(vendor string, tier int32, track string, level int32, register string, bits map[string]uint) []feature {
	var fs []feature
	for name, bit := range bits {
		fs = append(fs, feature{name, vendor, tier, track, level, register, bit})
	}
	return fs
}

var cpuFeatures = concat(
	// Intel, one generation per tier.
	features("intel", 0, "", leafBasic, "ecx", map[string]uint{"SSE3": 0, "SSSE3": 9, "CMPXCHG16B": 13}),
	features("intel", 0, "", leafAMD, "edx", map[string]uint{"NX": 20, "LM": 29}),
	features("intel", 0, "", leafAMD, "ecx", map[string]uint{"LAHF": 0}),
	features("intel", 1, "", leafBasic, "ecx", map[string]uint{"SSE41": 19}),
	features("intel", 2, "", leafBasic, "ecx", map[string]uint{"SSE42": 20, "POPCNT": 23}),
	features("intel", 2, "", leafAMD, "edx", map[string]uint{"RDTSCP": 27}),
	features("intel", 3, "", leafBasic, "ecx", map[string]uint{"PCLMULQDQ": 1, "AES": 25}),
	features("intel", 4, "", leafBasic, "ecx", map[string]uint{"XSAVE": 26, "AVX": 28}),
	features("intel", 5, "", leafBasic, "ecx", map[string]uint{"F16C": 29, "RDRAND": 30}),
	features("intel", 5, "", leafExtended, "ebx", map[string]uint{"FSGSBASE": 0, "SMEP": 7}),
	features("intel", 6, "", leafBasic, "ecx", map[string]uint{"FMA": 12, "MOVBE": 22}),
	features("intel", 6, "", leafExtended, "ebx", map[string]uint{"BMI1": 3, "AVX2": 5, "BMI2": 8, "INVPCID": 10}),
	features("intel", 6, "", leafAMD, "ecx", map[string]uint{"ABM": 5}),
	features("intel", 7, "", leafExtended, "ebx", map[string]uint{"RDSEED": 18, "ADX": 19, "SMAP": 20}),
	features("intel", 7, "", leafAMD, "ecx", map[string]uint{"PREFETCHW": 8}),
	features("intel", 8, "", leafExtended, "ebx", map[string]uint{"AVX512F": 16, "AVX512DQ": 17, "CLFLUSHOPT": 23,
		"CLWB": 24, "AVX512CD": 28, "AVX512BW": 30, "AVX512VL": 31}),
	features("intel", 9, "", leafExtended, "ecx", map[string]uint{"AVX512VNNI": 11}),
	features("intel", 10, "", leafExtended, "ebx", map[string]uint{"SHA": 29}),
	features("intel", 10, "", leafExtended, "ecx", map[string]uint{"AVX512VBMI": 1, "AVX512VBMI2": 6, "GFNI": 8, "VAES": 9,
		"VPCLMULQDQ": 10, "AVX512BITALG": 12, "AVX512VPOPCNTDQ": 14, "RDPID": 22}),
	features("intel", 11, "", leafExtended, "edx", map[string]uint{"SERIALIZE": 14, "TSXLDTRK": 16, "AMX_BF16": 22,
		"AVX512FP16": 23, "AMX_TILE": 24, "AMX_INT8": 25}),
	// AMD: Opteron generations 1-3 on every track, then the 3DNow! branch and the
	// Bulldozer line (which has no 3DNow!).
	features("amd", 0, "", leafBasic, "ecx", map[string]uint{"SSE3": 0}),
	features("amd", 0, "", leafAMD, "edx", map[string]uint{"NX": 20, "LM": 29}),
	features("amd", 1, "", leafBasic, "ecx", map[string]uint{"CMPXCHG16B": 13}),
	features("amd", 1, "", leafAMD, "edx", map[string]uint{"RDTSCP": 27}),
	features("amd", 2, "", leafBasic, "ecx", map[string]uint{"POPCNT": 23}),
	features("amd", 2, "", leafAMD, "ecx", map[string]uint{"ABM": 5, "SSE4A": 6, "MISALIGNSSE": 7, "PREFETCHW": 8}),
	features("amd", 3, "3dnow", leafAMD, "edx", map[string]uint{"3DNOWEXT": 30, "3DNOW": 31}),
	features("amd", 3, "bulldozer", leafBasic, "ecx", map[string]uint{"PCLMULQDQ": 1, "SSSE3": 9, "SSE41": 19, "SSE42": 20,
		"AES": 25, "XSAVE": 26, "AVX": 28}),
	features("amd", 3, "bulldozer", leafAMD, "ecx", map[string]uint{"XOP": 11, "FMA4": 16}),
	features("amd", 4, "bulldozer", leafBasic, "ecx", map[string]uint{"FMA": 12, "F16C": 29}),
	features("amd", 4, "bulldozer", leafExtended, "ebx", map[string]uint{"BMI1": 3}),
	features("amd", 4, "bulldozer", leafAMD, "ecx", map[string]uint{"TBM": 21}),
	features("amd", 5, "bulldozer", leafExtended, "ebx", map[string]uint{"FSGSBASE": 0}),
	features("amd", 6, "bulldozer", leafBasic, "ecx", map[string]uint{"MOVBE": 22, "RDRAND": 30}),
	features("amd", 6, "bulldozer", leafExtended, "ebx", map[string]uint{"AVX2": 5, "SMEP": 7, "BMI2": 8, "RDSEED": 18,
		"ADX": 19, "SMAP": 20, "CLFLUSHOPT": 23, "SHA": 29}),
	features("amd", 7, "bulldozer", leafExtended, "ebx", map[string]uint{"CLWB": 24}),
	features("amd", 7, "bulldozer", leafExtended, "ecx", map[string]uint{"RDPID": 22}),
	features("amd", 8, "bulldozer", leafExtended, "ebx", map[string]uint{"INVPCID": 10}),
	features("amd", 8, "bulldozer", leafExtended, "ecx", map[string]uint{"PKU": 3, "VAES": 9, "VPCLMULQDQ": 10}),
	features("amd", 9, "bulldozer", leafExtended, "ebx", map[string]uint{"AVX512F": 16, "AVX512DQ": 17, "AVX512CD": 28,
		"AVX512BW": 30, "AVX512VL": 31}),
	features("amd", 9, "bulldozer", leafExtended, "ecx", map[string]uint{"AVX512VBMI": 1, "AVX512VBMI2": 6, "GFNI": 8,
		"AVX512VNNI": 11, "AVX512BITALG": 12, "AVX512VPOPCNTDQ": 14}),
)

func concat(lists ...[]feature) []feature {
	var all []feature
	for _, l := range lists {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].less(all[j]) })
	return all
}

// less orders features by CPUID location (leaf, register, bit), then vendor.
func (f feature) less(g feature) bool {
	if f.level != g.level {
		return uint32(f.level) < uint32(g.level)
	}
	if f.register != g.register {
		return f.register < g.register
	}
	if f.bit != g.bit {
		return f.bit < g.bit
	}
	return f.vendor < g.vendor
}

// Catalog is the set of EVC modes the simulator knows.
type Catalog struct {
	modes []Mode
	byKey map[string]Mode
}

// DefaultCatalog returns the kit's catalog.
func DefaultCatalog() *Catalog {
	c := &Catalog{byKey: map[string]Mode{}}
	for _, m := range evcModes {
		c.modes = append(c.modes, m)
		c.byKey[m.Key] = m
	}
	return c
}

// Mode returns the mode named key.
func (c *Catalog) Mode(key string) (Mode, bool) {
	m, ok := c.byKey[key]
	return m, ok
}

// Keys returns the mode keys of a vendor ("" = all), oldest generation first.
func (c *Catalog) Keys(vendor string) []string {
	var keys []string
	for _, m := range c.modes {
		if vendor == "" || m.Vendor == vendor {
			keys = append(keys, m.Key)
		}
	}
	return keys
}

// Contains tells whether mode big has every CPU feature of mode small (false when
// either is unknown): docs/vsphere-facts.md §2, EVCMode.
func (c *Catalog) Contains(big, small string) bool {
	a, okA := c.byKey[big]
	b, okB := c.byKey[small]
	if !okA || !okB || a.Vendor != b.Vendor || a.Tier < b.Tier {
		return false
	}
	for _, t := range b.Track {
		if !contains(a.Track, t) {
			return false
		}
	}
	return true
}

// features returns the modelled CPU features of a mode.
func (c *Catalog) features(key string) []feature {
	m, ok := c.byKey[key]
	if !ok {
		return nil
	}
	var fs []feature
	for _, f := range cpuFeatures {
		if f.vendor == m.Vendor && f.tier <= m.Tier && (f.track == "" || contains(m.Track, f.track)) {
			fs = append(fs, f)
		}
	}
	return fs
}

// featureSet returns the names of a mode's modelled features.
func (c *Catalog) featureSet(key string) map[string]bool {
	set := map[string]bool{}
	for _, f := range c.features(key) {
		set[f.name] = true
	}
	return set
}

// missing returns the features of mode want that mode have lacks, in CPUID order.
func (c *Catalog) missing(have, want string) []feature {
	got := c.featureSet(have)
	var lack []feature
	for _, f := range c.features(want) {
		if !got[f.name] {
			lack = append(lack, f)
		}
	}
	return lack
}

// featureKeys returns the cpuid keys a mode provides: its vendor, then each feature.
func (c *Catalog) featureKeys(key string) []string {
	m, ok := c.byKey[key]
	if !ok {
		return nil
	}
	keys := []string{"cpuid." + vendorName(m.Vendor)}
	for _, f := range c.features(key) {
		keys = append(keys, "cpuid."+f.name)
	}
	return keys
}

// Requirement returns what a VM running with mode key's features requires of a host
// (VirtualMachineRuntimeInfo.featureRequirement): vendor, then each feature.
func (c *Catalog) Requirement(key string) []types.VirtualMachineFeatureRequirement {
	var req []types.VirtualMachineFeatureRequirement
	for _, k := range c.featureKeys(key) {
		req = append(req, types.VirtualMachineFeatureRequirement{Key: k, FeatureName: k, Value: "Bool:Min:1"})
	}
	return req
}

// Capability returns a host's (or mode's) feature capabilities.
func (c *Catalog) Capability(key string) []types.HostFeatureCapability {
	var caps []types.HostFeatureCapability
	for _, k := range c.featureKeys(key) {
		caps = append(caps, types.HostFeatureCapability{Key: k, FeatureName: k, Value: "1"})
	}
	return caps
}

// mask returns the masks that hide the vendor's features beyond mode key.
func (c *Catalog) mask(key string) []types.HostFeatureMask {
	m, ok := c.byKey[key]
	if !ok {
		return nil
	}
	in := c.featureSet(key)
	var masks []types.HostFeatureMask
	for _, f := range cpuFeatures {
		if f.vendor == m.Vendor && !in[f.name] {
			masks = append(masks, types.HostFeatureMask{Key: "cpuid." + f.name, FeatureName: "cpuid." + f.name, Value: "Val:0"})
		}
	}
	return masks
}

// CPUID returns the CPUID registers of mode key's features: '1' for a feature of the
// mode, '0' for the vendor's other modelled features, '-' for bits not modelled.
func (c *Catalog) CPUID(key string) []types.HostCpuIdInfo {
	m, ok := c.byKey[key]
	if !ok {
		return nil
	}
	in := c.featureSet(key)
	type slot struct {
		level int32
		reg   string
	}
	regs := map[slot][]byte{}
	for _, f := range cpuFeatures {
		if f.vendor != m.Vendor {
			continue
		}
		s := slot{f.level, f.register}
		if regs[s] == nil {
			regs[s] = []byte(strings.Repeat("-", 32))
		}
		v := byte('0')
		if in[f.name] {
			v = '1'
		}
		regs[s][31-f.bit] = v
	}
	var out []types.HostCpuIdInfo
	for _, level := range []int32{leafBasic, leafExtended, leafAMD} {
		info := types.HostCpuIdInfo{Level: level, Vendor: m.Vendor}
		any := false
		for reg, dst := range map[string]*string{"eax": &info.Eax, "ebx": &info.Ebx, "ecx": &info.Ecx, "edx": &info.Edx} {
			if bits, ok := regs[slot{level, reg}]; ok {
				*dst = cpuidBits(bits)
				any = true
			}
		}
		if any {
			out = append(out, info)
		}
	}
	return out
}

// registerBits returns one CPUID register of mode key as vCenter formats it.
func (c *Catalog) registerBits(key string, level int32, register string) string {
	for _, info := range c.CPUID(key) {
		if info.Level != level {
			continue
		}
		switch register {
		case "eax":
			return info.Eax
		case "ebx":
			return info.Ebx
		case "ecx":
			return info.Ecx
		case "edx":
			return info.Edx
		}
	}
	return cpuidBits([]byte(strings.Repeat("-", 32)))
}

// cpuidBits formats 32 bits, most significant first, in groups of 4 ("0000:...").
func cpuidBits(bits []byte) string {
	var groups []string
	for i := 0; i < 32; i += 4 {
		groups = append(groups, string(bits[i:i+4]))
	}
	return strings.Join(groups, ":")
}

// EVCModes returns the catalog as vim EVCMode values (si.capability.supportedEVCMode).
func (c *Catalog) EVCModes() []types.EVCMode {
	var out []types.EVCMode
	for _, m := range c.modes {
		out = append(out, c.EVCMode(m.Key))
	}
	return out
}

// EVCMode returns one mode as a vim EVCMode.
func (c *Catalog) EVCMode(key string) types.EVCMode {
	m := c.byKey[key]
	summary := m.Label + " (modelled by the vMotion Lab Kit simulator)"
	if !m.Confirmed {
		summary += "; key string UNCONFIRMED (docs/vsphere-facts.md §2)"
	}
	return types.EVCMode{
		ElementDescription: types.ElementDescription{
			Description: types.Description{Label: m.Label, Summary: summary},
			Key:         m.Key,
		},
		GuaranteedCPUFeatures: c.CPUID(key),
		FeatureCapability:     c.Capability(key),
		FeatureMask:           c.mask(key),
		FeatureRequirement:    c.Requirement(key),
		Vendor:                m.Vendor,
		Track:                 append([]string{}, m.Track...),
		VendorTier:            m.Tier,
	}
}

// incompatibility returns where a host whose best mode is hostMode fails a VM running
// with vmMode: the CPUID leaf and register of the first missing feature, or, for a CPU
// of the other vendor, leaf 0 register ebx (the vendor string). ok is false when the
// host runs the VM.
func (c *Catalog) incompatibility(hostMode, hostVendor, vmMode string) (level int32, register, hostBits, vmBits string, ok bool) {
	vm, known := c.byKey[vmMode]
	if !known {
		return 0, "", "", "", false
	}
	if hostVendor != "" && hostVendor != vm.Vendor {
		return 0, "ebx", vendorBits(hostVendor), vendorBits(vm.Vendor), true
	}
	if c.Contains(hostMode, vmMode) {
		return 0, "", "", "", false
	}
	lack := c.missing(hostMode, vmMode)
	if len(lack) == 0 {
		return 0, "", "", "", false
	}
	f := lack[0]
	return f.level, f.register, c.registerBits(hostMode, f.level, f.register), c.registerBits(vmMode, f.level, f.register), true
}

// vendorBits is CPUID leaf 0 ebx ("Genu" / "Auth", little-endian) as vCenter prints it.
func vendorBits(vendor string) string {
	word := map[string]uint32{"intel": 0x756e6547, "amd": 0x68747541}[vendor]
	bits := make([]byte, 32)
	for i := 0; i < 32; i++ {
		bits[31-i] = '0' + byte(word>>uint(i)&1)
	}
	return cpuidBits(bits)
}

func vendorName(vendor string) string {
	if vendor == "amd" {
		return "AMD"
	}
	return "Intel"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
