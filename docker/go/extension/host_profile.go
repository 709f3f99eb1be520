package extension

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// Host profiles: the hardware facts of the course's hosts (vmk0 address, CPU vendor,
// model and EVC generation), applied to a host's real properties when a host of that
// name is added (or found at Install). vcsim builds every host from one template and
// shares parts of it between hosts (docs/simulator-extension.md §4), so each host first gets
// its own copies.
//
//	{"hosts": {"ESXi_1": {"managementIp": "192.168.1.170", "cpuVendor": "intel",
//	   "cpuModel": "Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz", "maxEvcMode": "intel-icelake"}},
//	 "default": {...}}
//
// Optional per host: "vmotionVnics": ["vmk0"] (vMotion enabled at start; default none).
// "default" applies to hosts the profile does not name; without it they keep vcsim's
// template CPU, whose best EVC mode is DefaultMaxEVCMode.

// DefaultMaxEVCMode is the best EVC mode of vcsim's template CPU: its model strings
// name an Ivy Bridge (summary) and a Sandy Bridge-EP (cpuPkg) part; the older wins.
const DefaultMaxEVCMode = "intel-sandybridge"

// HostProfile is the hardware of one host.
type HostProfile struct {
	ManagementIP string   `json:"managementIp,omitempty"`
	CPUVendor    string   `json:"cpuVendor,omitempty"`
	CPUModel     string   `json:"cpuModel,omitempty"`
	MaxEVCMode   string   `json:"maxEvcMode,omitempty"`
	VMotionVnics []string `json:"vmotionVnics,omitempty"`
}

// Profile is the host profile file.
type Profile struct {
	Hosts   map[string]HostProfile `json:"hosts"`
	Default *HostProfile           `json:"default,omitempty"`
}

// LoadProfile reads and checks a JSON host profile (unknown keys are errors).
func LoadProfile(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("host profile: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	p := &Profile{}
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("host profile %s: %w", path, err)
	}
	if err := p.check(DefaultCatalog()); err != nil {
		return nil, fmt.Errorf("host profile %s: %w", path, err)
	}
	return p, nil
}

// check validates every entry against the EVC catalog.
func (p *Profile) check(c *Catalog) error {
	names := make([]string, 0, len(p.Hosts))
	for name := range p.Hosts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := p.Hosts[name].check(c); err != nil {
			return fmt.Errorf("host %q: %w", name, err)
		}
	}
	if p.Default != nil {
		if err := p.Default.check(c); err != nil {
			return fmt.Errorf("default: %w", err)
		}
	}
	return nil
}

func (h HostProfile) check(c *Catalog) error {
	if h.ManagementIP != "" && net.ParseIP(h.ManagementIP) == nil {
		return fmt.Errorf("managementIp %q is not an IP address", h.ManagementIP)
	}
	if h.CPUVendor != "" && h.CPUVendor != "intel" && h.CPUVendor != "amd" {
		return fmt.Errorf("cpuVendor %q: expected \"intel\" or \"amd\"", h.CPUVendor)
	}
	if h.MaxEVCMode != "" {
		m, ok := c.Mode(h.MaxEVCMode)
		if !ok {
			return fmt.Errorf("maxEvcMode %q is not an EVC mode (%s)", h.MaxEVCMode, strings.Join(c.Keys(""), ", "))
		}
		if h.CPUVendor != "" && m.Vendor != h.CPUVendor {
			return fmt.Errorf("maxEvcMode %q is an %s mode but cpuVendor is %q", h.MaxEVCMode, m.Vendor, h.CPUVendor)
		}
	}
	return nil
}

// For returns the profile of the host named name, completed with the defaults.
func (p *Profile) For(name string) HostProfile {
	h, named := p.Hosts[name]
	if !named && p.Default != nil {
		h = *p.Default
	}
	if h.MaxEVCMode == "" {
		if h.CPUVendor == "amd" {
			h.MaxEVCMode = "amd-zen"
		} else {
			h.MaxEVCMode = DefaultMaxEVCMode
		}
	}
	if h.CPUVendor == "" {
		h.CPUVendor = DefaultCatalog().byKey[h.MaxEVCMode].Vendor
	}
	return h
}

// hostCPU is what the extension keeps of a host's CPU for the registry hooks, which
// must not lock the host.
type hostCPU struct {
	name   string
	vendor string
	maxEVC string
}

var ghz = regexp.MustCompile(`@\s*([0-9]+(?:\.[0-9]+)?)\s*GHz`)

// initHost gives a host its own copies of vcsim's shared template parts, its profile,
// its EVC state and its VMkernel NIC services. The host must not be locked by ctx's
// caller in a way that conflicts: it is locked here.
func (x *Extension) initHost(ctx *simulator.Context, host *simulator.HostSystem) {
	var name string
	var parent *types.ManagedObjectReference
	ctx.WithLock(host, func() {
		name = host.Name
		parent = host.Parent
	})
	hp := x.profile.For(name)
	clusterMode := ""
	if parent != nil {
		clusterMode = x.clusterMode(*parent)
	}
	ctx.WithLock(host, func() {
		own := simulator.Checkpoint(host).(*mo.HostSystem) // deep copies
		host.Hardware = own.Hardware
		host.Capability = own.Capability
		host.Summary.Hardware = own.Summary.Hardware
		x.applyCPU(host, hp)
		host.Summary.MaxEVCModeKey = hp.MaxEVCMode
		host.Summary.CurrentEVCModeKey = clusterMode
		if hp.ManagementIP != "" {
			setVnicIP(host, "vmk0", hp.ManagementIP)
		}
		rebuildNetConfig(host, hp.VMotionVnics)
	})
	x.mu.Lock()
	x.hosts[host.Self] = hostCPU{name: name, vendor: hp.CPUVendor, maxEVC: hp.MaxEVCMode}
	x.mu.Unlock()
	x.syncNicViews(ctx, host)
}

// applyCPU writes the profile's CPU into the host's hardware properties.
func (x *Extension) applyCPU(host *simulator.HostSystem, hp HostProfile) {
	hw := host.Hardware
	if hw == nil {
		return
	}
	for i := range hw.CpuPkg {
		hw.CpuPkg[i].Vendor = hp.CPUVendor
		if hp.CPUModel != "" {
			hw.CpuPkg[i].Description = hp.CPUModel
		}
	}
	if hp.CPUModel != "" && host.Summary.Hardware != nil {
		host.Summary.Hardware.CpuModel = hp.CPUModel
		if m := ghz.FindStringSubmatch(hp.CPUModel); m != nil {
			if f, err := strconv.ParseFloat(m[1], 64); err == nil && f > 0 {
				hz := int64(f * 1e9)
				hw.CpuInfo.Hz = hz
				for i := range hw.CpuPkg {
					hw.CpuPkg[i].Hz = hz
				}
				host.Summary.Hardware.CpuMhz = int32(f * 1000)
			}
		}
	}
	hw.CpuFeature = x.catalog.CPUID(hp.MaxEVCMode)
	if host.Config != nil {
		host.Config.FeatureCapability = x.catalog.Capability(hp.MaxEVCMode)
	}
}

// hostCPUOf returns the CPU facts the extension keeps for a host.
func (x *Extension) hostCPUOf(ref types.ManagedObjectReference) (hostCPU, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	h, ok := x.hosts[ref]
	return h, ok
}
