"""The EVC modes lablib knows, for the public vcsim image, which lists none.

A real vCenter, and the lab simulator, list their modes in `si.capability.supportedEVCMode`
(docs/vsphere-facts.md §2). A test checks that this table and the lab simulator's agree.
"""

from __future__ import annotations

from ..vmotion.evc_modes import EvcCatalog, EvcMode

#: EVC modes by vendor, oldest first: (key, label, vendor, vendorTier, track, confirmed).
#: The keys are those of docs/vsphere-facts.md §2; the later ones are UNCONFIRMED strings there
#: (confirmed=False). The tiers and tracks are lablib's: they follow the doc's rule
#: "A is a superset of B iff A.track ⊇ B.track and A.vendorTier ≥ B.vendorTier"; AMD's
#: Opteron Gen. 3 with 3DNow! is a branch the Bulldozer line does not contain.
STATIC_EVC_MODES = (
    ("intel-merom", 'Intel "Merom" Generation', "intel", 0, (), True),
    ("intel-penryn", 'Intel "Penryn" Generation', "intel", 1, (), True),
    ("intel-nehalem", 'Intel "Nehalem" Generation', "intel", 2, (), True),
    ("intel-westmere", 'Intel "Westmere" Generation', "intel", 3, (), True),
    ("intel-sandybridge", 'Intel "Sandy Bridge" Generation', "intel", 4, (), True),
    ("intel-ivybridge", 'Intel "Ivy Bridge" Generation', "intel", 5, (), True),
    ("intel-haswell", 'Intel "Haswell" Generation', "intel", 6, (), True),
    ("intel-broadwell", 'Intel "Broadwell" Generation', "intel", 7, (), True),
    ("intel-skylake", 'Intel "Skylake" Generation', "intel", 8, (), True),
    ("intel-cascadelake", 'Intel "Cascade Lake" Generation', "intel", 9, (), False),
    ("intel-icelake", 'Intel "Ice Lake" Generation', "intel", 10, (), False),
    ("intel-sapphirerapids", 'Intel "Sapphire Rapids" Generation', "intel", 11, (), False),
    ("amd-rev-e", "AMD Opteron Generation 1", "amd", 0, (), True),
    ("amd-rev-f", "AMD Opteron Generation 2", "amd", 1, (), True),
    ("amd-greyhound-no3dnow", "AMD Opteron Gen. 3 (no 3DNow!)", "amd", 2, (), True),
    ("amd-greyhound", "AMD Opteron Generation 3", "amd", 3, ("3dnow",), True),
    ("amd-bulldozer", 'AMD Opteron "Bulldozer" Generation', "amd", 3, ("bulldozer",), True),
    ("amd-piledriver", 'AMD Opteron "Piledriver" Generation', "amd", 4, ("bulldozer",), True),
    ("amd-steamroller", 'AMD Opteron "Steamroller" Generation', "amd", 5, ("bulldozer",),
     True),
    ("amd-zen", 'AMD "Zen" Generation', "amd", 6, ("bulldozer",), True),
    ("amd-zen2", 'AMD "Zen 2" Generation', "amd", 7, ("bulldozer",), False),
    ("amd-zen3", 'AMD "Zen 3" Generation', "amd", 8, ("bulldozer",), False),
    ("amd-zen4", 'AMD "Zen 4" Generation', "amd", 9, ("bulldozer",), False),
)


def catalog() -> EvcCatalog:
    """Return lablib's EVC modes, marked as simulated."""
    return EvcCatalog([EvcMode(*row) for row in STATIC_EVC_MODES], simulated=True)
