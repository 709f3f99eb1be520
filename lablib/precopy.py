"""Pre-copy live migration, as a small deterministic model.

vMotion moves a running VM's memory in rounds. Round 0 copies every touched page while the VM
runs; each later round re-sends the pages the guest dirtied during the round before. With a
dirty rate d and a bandwidth B the rounds shrink by λ = d / B, so pre-copy converges only when
λ < 1. Once the dirty memory left is small enough, the VM is paused for the switchover: the
last pages go over, then the VM resumes on the destination. When λ ≥ 1, guard rails end the
run (a round limit, a cap on the data sent, a maximum rate) or a throttle such as vMotion's
SDPS slows the guest down until pre-copy converges.

Everything here is a MODEL, not a measurement: the formulas are those of the lab kit's
reference notes (docs/precopy-model.md §5), after Clark et al. (NSDI 2005), Nelson et al.
(USENIX ATC 2005), VMware's vSphere documentation and KB 323379, and Liu et al. (HPDC 2011).
The reference cases of §7 and the worked example of §5 are at the end of this module, with
their tolerances and evidence tags: [V] verified, [R] attributed but unverified, [D] derived.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from .errors import InputError
from .language import check_language
from .text import Text, number, render

PAGE_SIZE = 4096          # bytes per page (4 KiB)
GIB = 2**30               # bytes per GiB
MB = 10**6                # bytes per MB (the reference notes write MB for 10^6 B)
DATA_CAP_CHECKS = ("continuous", "before-round")

SOURCES = (
    "Clark et al., NSDI 2005; Nelson et al., USENIX ATC 2005; VMware vSphere docs and "
    "KB 323379; Liu et al., HPDC 2011; docs/precopy-model.md §5"
)
CAVEAT = Text("MODEL, not a measurement: pre-copy live migration computed from formulas.",
              "MODÈLE, pas une mesure : migration à chaud par pré-copie, calculée par formules.")


class ModelInputError(InputError, ValueError):
    """A model parameter is outside the range the model accepts."""

    def __init__(self, parameter: str, accepted: str, value: object):
        super().__init__(f"{parameter} must be {accepted} (got {value!r}).")
        self.parameter = parameter


class StopReason(StrEnum):
    """Why pre-copy stopped and the switchover began."""

    CONVERGED = "converged"
    ROUND_LIMIT = "round-limit"
    DATA_CAP = "data-cap"
    MAX_RATE = "not-converging-at-max-rate"


def _require(ok: bool, parameter: str, accepted: str, value: object) -> None:
    """Raise ModelInputError unless ok."""
    if not ok:
        raise ModelInputError(parameter, accepted, value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


def _non_negative(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value >= 0


def check_lang(lang: str | None) -> str | None:
    """Return `lang` if the kit speaks it (None: the notebook's language, when shown)."""
    return None if lang is None else check_language(lang)


def mtu_efficiency(mtu: int) -> float:
    """Return the TCP/IPv4-over-Ethernet payload share of the wire, (MTU − 52) / (MTU + 38).

    Args:
        mtu: IP MTU in bytes, 576 to 9000.

    Returns:
        η: 0.941 at MTU 1500 and 0.990 at 9000 (docs/precopy-model.md §5, [D]).
    """
    _require(_is_int(mtu) and 576 <= mtu <= 9000, "mtu", "an integer from 576 to 9000 bytes", mtu)
    # 52 B of TCP/IP headers (with timestamps) inside the MTU; 38 B of Ethernet framing
    # (header, FCS, preamble, inter-frame gap) outside it.
    return (mtu - 52) / (mtu + 38)


def effective_bandwidth(link_gbps: float = 10.0, mtu: int = 1500, vmknics: int = 1,
                        nics: int = 1, stream_cap_gbps: float | None = 15.0) -> float:
    """Compute the vMotion bandwidth B = min(link × NICs, vmknics × stream cap) × η.

    Args:
        link_gbps: speed of one physical NIC, in Gb/s (10^9 bit/s).
        mtu: IP MTU of the vMotion network, 576 to 9000 bytes.
        vmknics: vMotion vmknics, one stream helper each.
        nics: physical uplinks the vmknics share.
        stream_cap_gbps: what one stream helper (one CPU core) can push, ~15 Gb/s [V, Hagoort
            2021]; None for no cap (vSphere ≥ 7.0 U2 auto-tunes streams).

    Returns:
        B in bytes per second (docs/precopy-model.md §5, [D]).
    """
    _require(_positive(link_gbps), "link_gbps", "a number > 0 (Gb/s)", link_gbps)
    _require(_is_int(vmknics) and vmknics >= 1, "vmknics", "an integer >= 1", vmknics)
    _require(_is_int(nics) and nics >= 1, "nics", "an integer >= 1", nics)
    _require(stream_cap_gbps is None or _positive(stream_cap_gbps), "stream_cap_gbps",
             "None or a number > 0 (Gb/s)", stream_cap_gbps)
    gbps = link_gbps * nics
    if stream_cap_gbps is not None:
        gbps = min(gbps, vmknics * stream_cap_gbps)
    return gbps * 1e9 / 8 * mtu_efficiency(mtu)


@dataclass(frozen=True)
class RateLimit:
    """Xen-style dynamic rate limit (docs/precopy-model.md §1).

    Round 0 runs at start_mbps; each later round at the dirty rate observed in the round
    before plus step_mbps, never under start_mbps nor over max_mbps. Pre-copy stops when the
    rate the next round would need exceeds max_mbps, and the switchover then runs at max_mbps.
    Defaults are Xen's ADAPTIVE_SAVE constants [V] (Mbit/s = 10^6 bit/s of payload).
    """

    start_mbps: float = 100.0
    step_mbps: float = 50.0
    max_mbps: float = 500.0

    def __post_init__(self) -> None:
        _require(_positive(self.start_mbps), "start_mbps", "a number > 0 (Mbit/s)",
                 self.start_mbps)
        _require(_non_negative(self.step_mbps), "step_mbps", "a number >= 0 (Mbit/s)",
                 self.step_mbps)
        _require(_positive(self.max_mbps) and self.max_mbps >= self.start_mbps, "max_mbps",
                 f"a number >= start_mbps ({self.start_mbps})", self.max_mbps)


def _mbps(value: float) -> float:
    """Convert Mbit/s to bytes/s."""
    return value * 1e6 / 8


@dataclass(frozen=True)
class PrecopyParams:
    """Inputs of one model run; see simulate() for what each one means."""

    memory_gib: float = 4.0
    touched_fraction: float = 1.0
    dirty_pages_per_s: float = 0.0
    wws_gib: float | None = None
    link_gbps: float = 10.0
    mtu: int = 1500
    vmknics: int = 1
    nics: int = 1
    stream_cap_gbps: float | None = 15.0
    throughput_gbps: float | None = None
    downtime_target_s: float = 0.5
    threshold_bytes: float | None = None
    max_rounds: int = 30
    max_data_factor: float | None = 3.0
    data_cap_check: str = "continuous"
    sdps_kappa: float | None = None
    rate_limit: RateLimit | None = None
    setup_s: float = 0.0
    resume_s: float = 0.0

    def __post_init__(self) -> None:
        _require(_positive(self.memory_gib), "memory_gib", "a number > 0 (GiB)", self.memory_gib)
        _require(_positive(self.touched_fraction) and self.touched_fraction <= 1,
                 "touched_fraction", "a number in (0, 1]", self.touched_fraction)
        _require(_non_negative(self.dirty_pages_per_s), "dirty_pages_per_s",
                 "a number >= 0 (4 KiB pages per second)", self.dirty_pages_per_s)
        _require(self.wws_gib is None or (_positive(self.wws_gib)
                                           and self.wws_gib <= self.memory_gib),
                 "wws_gib", f"None or a number in (0, memory_gib = {self.memory_gib}]",
                 self.wws_gib)
        _require(self.throughput_gbps is None or _positive(self.throughput_gbps),
                 "throughput_gbps", "None or a number > 0 (Gb/s)", self.throughput_gbps)
        _ = self.bandwidth_bytes_per_s  # validates link_gbps, mtu, vmknics, nics, stream_cap_gbps
        _require(_positive(self.downtime_target_s), "downtime_target_s", "a number > 0 (s)",
                 self.downtime_target_s)
        _require(self.threshold_bytes is None or _non_negative(self.threshold_bytes),
                 "threshold_bytes", "None or a number >= 0", self.threshold_bytes)
        _require(_is_int(self.max_rounds) and self.max_rounds >= 2, "max_rounds",
                 "an integer >= 2 (round 0 and the switchover)", self.max_rounds)
        _require(self.max_data_factor is None or (_positive(self.max_data_factor)
                                                  and self.max_data_factor >= 1),
                 "max_data_factor", "None or a number >= 1", self.max_data_factor)
        _require(self.data_cap_check in DATA_CAP_CHECKS, "data_cap_check",
                 "'continuous' or 'before-round'", self.data_cap_check)
        _require(self.sdps_kappa is None or (_positive(self.sdps_kappa) and self.sdps_kappa < 1),
                 "sdps_kappa", "None (throttle off) or a number in (0, 1)", self.sdps_kappa)
        _require(self.rate_limit is None or isinstance(self.rate_limit, RateLimit),
                 "rate_limit", "None or a RateLimit", self.rate_limit)
        _require(_non_negative(self.setup_s), "setup_s", "a number >= 0 (s)", self.setup_s)
        _require(_non_negative(self.resume_s), "resume_s", "a number >= 0 (s)", self.resume_s)

    @property
    def memory_bytes(self) -> float:
        """VM memory M in bytes."""
        return self.memory_gib * GIB

    @property
    def dirty_bytes_per_s(self) -> float:
        """Dirty rate d = D × 4 KiB, in bytes per second."""
        return self.dirty_pages_per_s * PAGE_SIZE

    @property
    def bandwidth_bytes_per_s(self) -> float:
        """B: the measured throughput if given (no η: it is already goodput), else derived."""
        derived = effective_bandwidth(self.link_gbps, self.mtu, self.vmknics, self.nics,
                                      self.stream_cap_gbps)
        return derived if self.throughput_gbps is None else self.throughput_gbps * 1e9 / 8


@dataclass(frozen=True)
class PrecopyRound:
    """One round: a pre-copy round while the VM runs, or the final switchover."""

    index: int
    bytes_sent: float
    duration_s: float
    dirty_after_bytes: float
    rate_bytes_per_s: float
    start_s: float
    switchover: bool = False

    @property
    def end_s(self) -> float:
        """Time the round ends, from the start of the migration."""
        return self.start_s + self.duration_s


@dataclass(frozen=True)
class PrecopyResult:
    """Outcome of one model run: the rounds, the switchover and why pre-copy stopped."""

    params: PrecopyParams
    rounds: tuple[PrecopyRound, ...]
    stop_reason: StopReason
    bandwidth_bytes_per_s: float
    threshold_bytes: float
    caveat: str = CAVEAT.render("en")
    source: str = SOURCES

    @property
    def switchover(self) -> PrecopyRound:
        """The final stop-and-copy round (the VM is paused)."""
        return self.rounds[-1]

    @property
    def precopy_rounds(self) -> int:
        """Rounds run while the VM was running; n in the §5 formulas."""
        return len(self.rounds) - 1

    @property
    def converged(self) -> bool:
        """True if the dirty memory fell under the threshold before a guard rail fired."""
        return self.stop_reason is StopReason.CONVERGED

    @property
    def first_round_s(self) -> float:
        """Duration of round 0, the full copy."""
        return self.rounds[0].duration_s

    @property
    def total_time_s(self) -> float:
        """Setup + every round + resume."""
        return self.params.setup_s + sum(r.duration_s for r in self.rounds) + self.params.resume_s

    @property
    def downtime_s(self) -> float:
        """Switchover (stun) time: last round / rate + resume cost."""
        return self.switchover.duration_s + self.params.resume_s

    @property
    def data_sent_bytes(self) -> float:
        """Bytes sent over all rounds."""
        return sum(r.bytes_sent for r in self.rounds)

    @property
    def data_ratio(self) -> float:
        """Data sent divided by the VM's memory."""
        return self.data_sent_bytes / self.params.memory_bytes

    @property
    def lam(self) -> float:
        """λ = d / B, with the switchover rate as B (before any SDPS throttle)."""
        return self.params.dirty_bytes_per_s / self.switchover.rate_bytes_per_s

    def summary(self, lang: str | None = None) -> str:
        """Return a short plain-text table of the run, in English or French.

        Args:
            lang: "en" or "fr" (the notebook's language by default).

        Returns:
            Text that starts by saying it is a model and ends with its sources.
        """
        lang = check_lang(lang)

        def num(value: float, digits: int) -> str:
            return render(number(value, digits), lang)

        rows = [(str(r.index), render(_SWITCHOVER if r.switchover else _PRECOPY, lang),
                 num(r.bytes_sent / MB, 1), num(r.duration_s, 3),
                 num(r.rate_bytes_per_s * 8 / 1e9, 2), num(r.dirty_after_bytes / MB, 1))
                for r in self.rounds]
        values = {
            "left": num(self.switchover.bytes_sent / MB, 1),
            "threshold": num(self.threshold_bytes / MB,
                             1 if self.threshold_bytes > 10 * MB else 3),
            "rounds": len(self.rounds), "factor": num(self.params.max_data_factor or 0, 1),
            "rate": num(self.switchover.rate_bytes_per_s * 8 / 1e9, 2),
            "n": self.precopy_rounds, "lam": num(self.lam, 2),
            "total": num(self.total_time_s, 2), "data": num(self.data_sent_bytes / MB, 1),
            "ratio": num(self.data_ratio, 2), "down": num(self.downtime_s, 3),
        }
        return "\n".join([
            render(CAVEAT, lang),
            render(_STOPS[self.stop_reason].fill(**values), lang),
            render(_ROUNDS_LINE.fill(**values), lang),
            _table(tuple(render(c, lang) for c in _COLUMNS), rows),
            render(_TOTALS.fill(**values), lang),
            render(Text("Sources: {s}", "Sources : {s}", s=SOURCES), lang),
        ])

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(self.summary())


def format_number(value: float, digits: int, lang: str | None = None) -> str:
    """Format a number with a decimal point (en) or a decimal comma (fr)."""
    return render(number(value, digits), lang)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Lay out rows under headers: first two columns left-aligned, numbers right-aligned."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows)]
    lines = []
    for cells in (headers, *rows):
        lines.append("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(cells, widths))).rstrip())
    return "\n".join(lines)


_STOPS = {
    StopReason.CONVERGED: Text(
        "Stop: converged, dirty memory left ({left} MB) is under the stop threshold "
        "({threshold} MB).", "Arrêt : convergé, la mémoire sale restante ({left} Mo) est sous "
        "le seuil d'arrêt ({threshold} Mo)."),
    StopReason.ROUND_LIMIT: Text(
        "Stop: round limit, {rounds} rounds in all, without converging.",
        "Arrêt : limite de tours, {rounds} tours au total, sans converger."),
    StopReason.DATA_CAP: Text(
        "Stop: data cap, {factor} × memory sent, without converging.",
        "Arrêt : plafond de données, {factor} × la mémoire envoyée, sans converger."),
    StopReason.MAX_RATE: Text(
        "Stop: memory is dirtied faster than the maximum rate ({rate} Gbit/s), so pre-copy "
        "cannot converge.", "Arrêt : la mémoire se salit plus vite que le débit maximal "
        "({rate} Gbit/s), la pré-copie ne peut pas converger."),
}
_ROUNDS_LINE = Text("Pre-copy rounds: {n}, then the switchover (λ = d/B = {lam}).",
                    "Tours de pré-copie : {n}, puis la bascule (switchover) (λ = d/B = {lam}).")
_COLUMNS = (Text("round", "tour"), Text("kind", "type"), Text("sent (MB)", "envoyé (Mo)"),
            Text("time (s)", "durée (s)"), Text("rate (Gbit/s)", "débit (Gbit/s)"),
            Text("dirty memory after (MB)", "mémoire sale après (Mo)"))
_PRECOPY = Text("pre-copy", "tour de pré-copie")
_SWITCHOVER = Text("switchover", "bascule (switchover)")
_TOTALS = Text("Total time {total} s | data sent {data} MB ({ratio} × memory) | switchover "
               "(VM paused) {down} s", "Durée totale {total} s | données envoyées {data} Mo "
               "({ratio} × la mémoire) | bascule (VM en pause) {down} s")


def simulate(**params: object) -> PrecopyResult:
    """Run the pre-copy model (docs/precopy-model.md §5) and return every round.

    Args:
        memory_gib: VM memory M, in GiB. Default 4.
        touched_fraction: share of memory ever touched; zero pages are not sent. Default 1.
        dirty_pages_per_s: page-dirtying rate D, in 4 KiB pages per second. Default 0.
        wws_gib: writable working set W: a round carries at most W of dirty data. None (the
            default) applies no cap, as the §5 formulas do.
        link_gbps, mtu, vmknics, nics, stream_cap_gbps: derive B with effective_bandwidth().
            Defaults: 10 GbE, MTU 1500, one vmknic on one NIC, 15 Gb/s per stream.
        throughput_gbps: a measured vMotion throughput (e.g. KB 323379's 18/28/36 Gb/s);
            when given it is B, and the link/MTU/vmknic derivation is not used.
        downtime_target_s: stop when dirty memory left ≤ B × this. Default 0.5 s.
        threshold_bytes: stop when dirty memory left ≤ this many bytes (Xen: 50 pages);
            overrides downtime_target_s.
        max_rounds: guard rail: most rounds in all, switchover included. Default 30 (Xen).
        max_data_factor: guard rail: most data sent, as a multiple of memory. Default 3 (Xen);
            None for no cap.
        data_cap_check: "continuous" (default) stops pre-copy the moment the cap is reached;
            "before-round" checks it between rounds, as Xen does (the §5 footnote).
        sdps_kappa: SDPS-like throttle κ in (0, 1): the dirty rate becomes min(d, κB).
            None (default) for no throttle.
        rate_limit: a RateLimit for Xen-style dynamic rate limiting; None (default) sends
            every round at B.
        setup_s: time before round 0 (shadow VM, page tracing). Default 0.
        resume_s: fixed cost to resume the VM on the destination. Default 0.

    Returns:
        A PrecopyResult; str() of it is a short table that says it is a model.

    Raises:
        ModelInputError: a parameter is unknown or out of range.
    """
    names = PrecopyParams.__dataclass_fields__
    unknown = sorted(set(params) - set(names))
    _require(not unknown, "each parameter name", "one of " + ", ".join(names), unknown)
    return _run(PrecopyParams(**params))  # type: ignore[arg-type]  # checked in __post_init__


def _run(p: PrecopyParams) -> PrecopyResult:
    """Iterate the rounds until a stop condition holds, then add the switchover."""
    link = p.bandwidth_bytes_per_s
    limit = p.rate_limit
    top = link if limit is None else min(_mbps(limit.max_mbps), link)
    rate = link if limit is None else min(_mbps(limit.start_mbps), link)
    threshold = p.threshold_bytes if p.threshold_bytes is not None else top * p.downtime_target_s
    cap = math.inf if p.max_data_factor is None else p.max_data_factor * p.memory_bytes
    wws = math.inf if p.wws_gib is None else p.wws_gib * GIB
    continuous = p.data_cap_check == "continuous"
    to_send = p.memory_bytes * p.touched_fraction          # V_0: only touched pages
    rounds: list[PrecopyRound] = []
    sent, clock, reason = 0.0, p.setup_s, None
    while reason is None:
        dirty_rate = p.dirty_bytes_per_s
        if p.sdps_kappa is not None:                       # §3: d' = min(d, κB)
            dirty_rate = min(dirty_rate, p.sdps_kappa * rate)
        chunk = to_send
        if continuous and sent + to_send > cap:
            # Cut the round where the cap is reached. Xen's between-round check lets a VM that
            # dirties faster trip the cap a round earlier and finish sooner (§5 table: 17.3 s
            # at 280 000 pages/s, 15.6 s at 300 000); cutting keeps total time monotone.
            chunk, reason = cap - sent, StopReason.DATA_CAP
        duration = chunk / rate
        dirtied = min(dirty_rate * duration, wws)          # §5: V_{i+1} = min(d·T_i, W)
        to_send = to_send - chunk + dirtied
        rounds.append(PrecopyRound(len(rounds), chunk, duration, to_send, rate, clock))
        sent, clock = sent + chunk, clock + duration
        observed = dirtied / duration if duration else 0.0
        if reason is None:
            reason = _stop_reason(p, len(rounds), to_send, threshold, sent, cap, observed, top)
        if reason is None and limit is not None:           # §1: dirty rate + 50 Mbit/s
            rate = min(max(observed + _mbps(limit.step_mbps), _mbps(limit.start_mbps)), top)
    rounds.append(PrecopyRound(len(rounds), to_send, to_send / top, 0.0, top, clock,
                               switchover=True))
    return PrecopyResult(p, tuple(rounds), reason, link, threshold)


def _stop_reason(p: PrecopyParams, done: int, left: float, threshold: float, sent: float,
                 cap: float, observed: float, top: float) -> StopReason | None:
    """Check the stop conditions before round `done` (Xen checks them between rounds)."""
    if left <= threshold:
        return StopReason.CONVERGED
    if done >= p.max_rounds - 1:                           # Xen: DEF_MAX_ITERS 29 → 30 rounds
        return StopReason.ROUND_LIMIT
    if sent > cap or (p.data_cap_check == "continuous" and sent >= cap):
        return StopReason.DATA_CAP
    # Clark §1: stop when the rate the next round needs exceeds the maximum (the relative
    # slack keeps a round that exactly matches the maximum from stopping on rounding noise).
    if p.rate_limit is not None and observed + _mbps(p.rate_limit.step_mbps) > top * (1 + 1e-9):
        return StopReason.MAX_RATE
    return None


# Reference cases (docs/precopy-model.md §7) and worked example (§5). ------------------

@dataclass(frozen=True)
class Expected:
    """A figure a reference case must reproduce: an accepted range and its evidence tag."""

    metric: str
    low: float
    high: float
    tag: str
    note: str = ""

    def value(self, result: PrecopyResult) -> float:
        """Read the metric from a result (booleans count as 0 or 1)."""
        return float(getattr(result, self.metric))

    def holds(self, result: PrecopyResult) -> bool:
        """Return True if the result's metric lies in [low, high]."""
        return self.low <= self.value(result) <= self.high


def _around(metric: str, value: float, tolerance: float, tag: str, note: str = "") -> Expected:
    """Expect value ± tolerance (a fraction of value)."""
    return Expected(metric, value * (1 - tolerance), value * (1 + tolerance), tag, note)


@dataclass(frozen=True)
class ReferenceCase:
    """One reference case of §7: the model parameters and the figures it must reproduce."""

    key: str
    title: str
    params: Mapping[str, object]
    expected: tuple[Expected, ...]
    source: str

    def simulate(self, **overrides: object) -> PrecopyResult:
        """Run the model with this case's parameters, optionally changed."""
        return simulate(**{**self.params, **overrides})

    def check(self, result: PrecopyResult | None = None) -> list[tuple[Expected, float, bool]]:
        """Compare a run with every expected figure; runs the case if no result is given."""
        result = result or self.simulate()
        return [(e, e.value(result), e.holds(result)) for e in self.expected]


_XEN_RAILS = {"threshold_bytes": 50 * PAGE_SIZE, "max_rounds": 30, "max_data_factor": 3.0,
              "data_cap_check": "before-round"}   # xc_domain_save.c [V]


def _case(key: str, title: str, source: str, expected: tuple[Expected, ...],
          **params: object) -> ReferenceCase:
    return ReferenceCase(key, title, MappingProxyType(params), expected, source)


def _idle_case(key: str, mtu: int, copy_s: float) -> ReferenceCase:
    """Case 3: the copy is M/B [D]; setup and resume are illustrative (VMware gives none)."""
    return _case(
        key, f"Idle 4 GiB VM, 10 GbE, one vmknic, MTU {mtu}",
        "one vmknic saturates 10 GbE; switchover goal < 1 s (VMware docs) [V]",
        (_around("first_round_s", copy_s, 0.01, "[D]", f"4 GiB / B at MTU {mtu}"),
         Expected("total_time_s", 3.5, 5.0, "[D]", "copy + setup"),
         Expected("downtime_s", 0.0, 1.0, "[V]", "vMotion goal < 1 s")),
        memory_gib=4, mtu=mtu, setup_s=0.5,
        resume_s=0.03)   # order of the 26 ms idle-KVM downtime (OPNFV) [V]


def _vmknic_case(key: str, vmknics: int, gbps: float, seconds: float) -> ReferenceCase:
    """Case 4: KB 323379's measured throughput is B; the times are M/B [D]."""
    return _case(
        key, f"64 GiB low-dirty VM, 40 GbE, {vmknics} vmknic(s) at {gbps:g} Gb/s measured",
        "Broadcom KB 323379 throughputs [V]; times [D]",
        (_around("total_time_s", seconds, 0.15, "[D]", f"64 GiB at {gbps:g} Gb/s"),),
        memory_gib=64, throughput_gbps=gbps, link_gbps=40,
        dirty_pages_per_s=1000)   # illustrative low dirty rate (4 MB/s), not from the KB


def _qemu_case(key: str, label: str, sdps_kappa: float | None,
               expected: tuple[Expected, ...]) -> ReferenceCase:
    """Case 5: QEMU field data, λ ≈ 1.12; a round cannot carry more than the 8 GiB of memory.

    QEMU stops on its 300 ms downtime estimate only and has no data cap, so none here. With
    κ = 0.8 the §5 formulas need n = ceil(ln(B·0.3 s / M) / ln 0.8) = 24 rounds and send
    ≈ 5 × M: "a few rounds" in the notes is optimistic, and a 3× cap would stop the run.
    """
    return _case(
        key, f"8 GiB VM dirtying 39 044 pages/s at 1.14 Gb/s, {label}",
        "balamuruhans.github.io 2019 (QEMU, POWER8) [V]; model [D]", expected,
        memory_gib=8, dirty_pages_per_s=39_044, throughput_gbps=1.14, wws_gib=8,
        downtime_target_s=0.3, max_data_factor=None, sdps_kappa=sdps_kappa)


_CASES = (
    # 1. Clark web server: 776 of 800 MB go in round 0 (touched_fraction 0.97), at 100 Mbit/s.
    # The hot set is re-dirtied faster than Xen may send (any d above 500 Mbit/s behaves the
    # same), so each round carries W and the rate climbs by 50 Mbit/s until it would pass the
    # maximum. W = 12.5 MB is derived from SPECweb's 201 ms last copy at 500 Mbit/s [D].
    _case("1", "Clark web server, 800 MB, GbE, Xen dynamic rate limiting",
          "Clark et al., NSDI 2005, Figs. 8-9; xc_domain_save.c",
          (_around("first_round_s", 62.0, 0.05, "[R]", "776 MB at 100 Mbit/s"),
           _around("total_time_s", 72.0, 0.10, "[R]", "62 s + 9.8 s"),
           Expected("data_ratio", 1.1, 1.3, "[R]", "960 MB / 800 MB (SPECweb)"),
           Expected("downtime_s", 0.150, 0.300, "[V]", "165 ms Apache [R], 210 ms SPECweb [V]")),
          memory_gib=800 * MB / GIB, touched_fraction=0.97, dirty_pages_per_s=20_000,
          wws_gib=12.5 * MB / GIB, link_gbps=1, rate_limit=RateLimit(), resume_s=0.009,
          **_XEN_RAILS),
    # 2. Clark "diabolical" MMuncher. The model starts at the 500 Mbit/s cap: it has no Xen
    # page skipping, which let the real run reach the cap after one round; from 100 Mbit/s
    # the model would climb for 8 rounds and trip the 3× rule at 3.6 × M instead.
    _case("2", "Clark diabolical MMuncher, 512 MB, writes faster than a 500 Mbit/s cap",
          "Clark et al., NSDI 2005, Fig. 12",
          (Expected("converged", 0, 0, "[R]", "must end through a guard rail"),
           Expected("downtime_s", 2.5, 5.0, "[R]", "≈ 3.5 s, 222.5 MB at 500 Mbit/s"),
           Expected("data_ratio", 1.1, 3.0, "[R]", "638 MB / 512 MB ≈ 1.25")),
          memory_gib=512 * MB / GIB, dirty_pages_per_s=40_000, wws_gib=222.5 * MB / GIB,
          link_gbps=1, rate_limit=RateLimit(start_mbps=500), resume_s=0.009, **_XEN_RAILS),
    # 3. Idle 4 GiB VM on 10 GbE.
    _idle_case("3a", 1500, 3.65),
    _idle_case("3b", 9000, 3.47),
    # 4. Multi-vmknic scaling on 40 GbE.
    _vmknic_case("4a", 1, 18, 30.5),
    _vmknic_case("4b", 2, 28, 19.6),
    _vmknic_case("4c", 3, 36, 15.3),
    # 5. Non-convergence, then SDPS-like throttling.
    _qemu_case("5a", "no throttle", None,
               (Expected("converged", 0, 0, "[D]", "remaining never below B × 300 ms"),)),
    _qemu_case("5b", "SDPS-like throttle κ = 0.8", 0.8,
               (Expected("converged", 1, 1, "[D]", "λ' = 0.8"),
                Expected("downtime_s", 0.0, 0.3, "[D]", "QEMU target 300 ms [V]"))),
)
REFERENCE_CASES: Mapping[str, ReferenceCase] = MappingProxyType({c.key: c for c in _CASES})


def reference_case(key: str | int) -> ReferenceCase:
    """Return a reference case of §7 by key: 1, 2, 3a, 3b, 4a, 4b, 4c, 5a or 5b.

    Args:
        key: the case key; 1 and 2 may be given as integers.

    Returns:
        The ReferenceCase; call .simulate() to run it and .check() to compare.
    """
    _require(str(key) in REFERENCE_CASES, "key", "one of " + ", ".join(REFERENCE_CASES), key)
    return REFERENCE_CASES[str(key)]


class WorkedExampleRow(NamedTuple):
    """One row of the §5 worked example table [D]."""

    dirty_pages_per_s: int
    lam: float
    rounds: int
    total_s: float
    downtime_s: float
    data_ratio: float


# §5 worked example: 4 GiB, 10 GbE, MTU 1500, T_target 0.5 s, Xen guard rails checked before
# each round. The model follows the formulas; they agree with every row except that for
# λ = 0 the table lists 0 rounds where the model counts round 0 (n = 1, limit λ → 0+).
WORKED_EXAMPLE_PARAMS: Mapping[str, object] = MappingProxyType({
    "memory_gib": 4, "link_gbps": 10, "mtu": 1500, "downtime_target_s": 0.5,
    "max_rounds": 30, "max_data_factor": 3.0, "data_cap_check": "before-round"})
WORKED_EXAMPLE = (
    WorkedExampleRow(0, 0.0, 0, 3.65, 0.0, 1.00),
    WorkedExampleRow(100_000, 0.35, 2, 5.36, 0.44, 1.47),
    WorkedExampleRow(200_000, 0.70, 6, 11.1, 0.42, 3.03),
    WorkedExampleRow(280_000, 0.97, 4, 17.3, 3.29, 4.75),
    WorkedExampleRow(300_000, 1.04, 3, 15.6, 4.15, 4.27),
)

__all__ = [
    "CAVEAT", "GIB", "MB", "PAGE_SIZE", "REFERENCE_CASES", "SOURCES", "WORKED_EXAMPLE",
    "WORKED_EXAMPLE_PARAMS", "Expected", "ModelInputError", "PrecopyParams", "PrecopyResult",
    "PrecopyRound", "RateLimit", "ReferenceCase", "StopReason", "WorkedExampleRow",
    "check_lang", "effective_bandwidth", "format_number", "mtu_efficiency", "reference_case",
    "simulate",
]
