"""EVC modes: the list the server knows, their order, and which hosts support each.

An EVC mode is a CPU feature baseline of one vendor. Mode A contains mode B when they
have the same vendor, A's track contains B's track and A's vendorTier is at least B's
(docs/vsphere-facts.md §2, EVCMode). A host supports every mode its most featureful mode
(`summary.maxEVCModeKey`) contains. The server lists its modes in
`si.capability.supportedEVCMode` (lablib.backend); on the public vcsim image, which lists
none, lablib.fallback gives its own table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..errors import InputError, closest, quoted
from ..table import Table
from ..text import Text
from .display import SIMULATED, ShownAsTable, simulated_note


@dataclass(frozen=True)
class EvcMode:
    """One EVC mode: its key, label, vendor and place in the vendor's generations."""

    key: str
    label: str
    vendor: str
    tier: int
    track: tuple[str, ...] = ()
    confirmed: bool = True

    def contains(self, other: EvcMode) -> bool:
        """Tell whether this mode has every CPU feature of `other` (docs/vsphere-facts.md §2)."""
        return (self.vendor == other.vendor and set(self.track) >= set(other.track)
                and self.tier >= other.tier)


class EvcCatalog:
    """The EVC modes a server knows, by vendor then generation."""

    def __init__(self, modes: Iterable[EvcMode], simulated: bool, modelled: bool = False):
        self.modes = sorted(modes, key=lambda m: (m.vendor, m.tier, m.key))
        self.simulated = simulated  # lablib's table (public vcsim image), not the server's
        self.modelled = modelled    # the lab simulator's: its CPU feature sets are modelled
        self._by_key = {m.key: m for m in self.modes}

    def get(self, key: str) -> EvcMode | None:
        """Return the mode named `key`, or None."""
        return self._by_key.get(key)

    def keys(self, vendor: str | None = None) -> list[str]:
        """Return the mode keys (of one vendor), oldest generation first."""
        return [m.key for m in self.modes if vendor in (None, m.vendor)]

    def contains(self, big: str, small: str) -> bool:
        """Tell whether mode `big` contains mode `small` (False when either is unknown)."""
        a, b = self.get(big), self.get(small)
        return a is not None and b is not None and a.contains(b)

    def supported_by(self, max_evc: str) -> list[str]:
        """Return the modes a host whose most featureful mode is `max_evc` supports."""
        top = self.get(max_evc)
        return [m.key for m in self.modes if top is not None and top.contains(m)]

    def common(self, max_evcs) -> str:
        """Return the most featureful mode every host (given by max EVC) supports, or ""."""
        shared = None
        for max_evc in max_evcs:
            keys = set(self.supported_by(max_evc))
            shared = keys if shared is None else shared & keys
        best = [m for m in self.modes if m.key in (shared or ())]
        return max(best, key=lambda m: m.tier).key if best else ""

    def require(self, mode: object) -> str:
        """Return `mode` if it is a known key, else raise InputError listing the modes."""
        listed = quoted(self.keys(), limit=30)
        if not isinstance(mode, str) or not mode.strip():
            raise InputError(Text(
                "Expected an EVC mode key such as 'intel-cascadelake', got {got}. Modes: "
                "{modes}.", "Attendu : une clé de mode EVC comme 'intel-cascadelake', reçu "
                "{got}. Modes : {modes}.", got=repr(mode)[:60], modes=listed))
        key = mode.strip()
        if key not in self._by_key:
            hint = closest(key, self.keys())
            maybe = Text(" Did you mean '{hint}'?", " Vouliez-vous dire '{hint}' ?",
                         hint=hint[0]) if hint else ""
            raise InputError(Text("Unknown EVC mode '{key}'.{maybe} Modes: {modes}.",
                                  "Mode EVC inconnu : '{key}'.{maybe} Modes : {modes}.",
                                  key=key[:60], maybe=maybe, modes=listed))
        return key


@dataclass(repr=False)
class EvcModes(ShownAsTable):
    """The EVC modes per vendor, which hosts support each, and the cluster's mode."""

    cluster: str
    current: str
    catalog: EvcCatalog
    hosts: dict[str, str] = field(default_factory=dict)  # host name -> max EVC mode
    simulated: bool = False

    def __iter__(self) -> Iterator[EvcMode]:
        return iter(self.catalog.modes)

    def __len__(self) -> int:
        return len(self.catalog.modes)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.catalog.get(key) is not None

    def keys(self, vendor: str | None = None) -> list[str]:
        """Return the mode keys (of one vendor), oldest generation first."""
        return self.catalog.keys(vendor)

    def hosts_supporting(self, key: str) -> list[str]:
        """Return the hosts whose CPU supports mode `key`."""
        return [h for h, top in sorted(self.hosts.items())
                if key in self.catalog.supported_by(top)]

    @property
    def for_cluster(self) -> list[str]:
        """Return the modes every host of the cluster supports, oldest first."""
        return [m.key for m in self.catalog.modes
                if len(self.hosts_supporting(m.key)) == len(self.hosts) and self.hosts]

    @property
    def best(self) -> str:
        """Return the most featureful mode every host supports ("" if none)."""
        return self.catalog.common(self.hosts.values())

    def table(self) -> Table:
        """Return the modes as a table."""
        mark = SIMULATED if self.simulated else ""
        current = self.current or Text("off", "désactivé")
        table = Table(
            Text("EVC modes (cluster {cluster}: EVC {current}{mark})",
                 "Modes EVC (cluster {cluster} : EVC {current}{mark})", cluster=self.cluster,
                 current=current, mark=mark),
            [Text("vendor", "fabricant"), "mode", Text("generation", "génération"),
             Text("label", "libellé"), Text("hosts that support it", "hôtes compatibles"), ""],
            [[m.vendor, m.key, str(m.tier), m.label + ("" if m.confirmed else " (?)"),
              ", ".join(self.hosts_supporting(m.key)) or "—",
              Text("◀ cluster mode", "◀ mode du cluster") if m.key == self.current else ""]
             for m in self.catalog.modes])
        if any(not m.confirmed for m in self.catalog.modes):
            table.notes.append(Text(
                "(?) key string not confirmed by a primary source (docs/vsphere-facts.md §2); "
                "a real vCenter lists its own modes.",
                "(?) clé non confirmée par une source primaire (docs/vsphere-facts.md §2) ; un "
                "vrai vCenter donne sa propre liste."))
        if self.simulated:
            table.notes.append(simulated_note())
        if self.catalog.modelled:
            table.notes.append(Text(
                "The lab simulator models these modes and their CPU features "
                "(docker/go/README.md, 'EVC'); a real vCenter lists its own.",
                "Le simulateur du lab modélise ces modes et leurs fonctions CPU "
                "(docker/go/README.md, 'EVC') ; un vrai vCenter donne sa propre liste."))
        return table
