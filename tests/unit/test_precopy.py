"""Behaviour of the pre-copy model against docs/precopy-model.md §5 and §7."""

import dataclasses
import itertools
import math

import pytest

from lablib import precopy
from lablib.errors import InputError
from lablib.precopy import (
    GIB,
    PAGE_SIZE,
    ModelInputError,
    RateLimit,
    StopReason,
    effective_bandwidth,
    mtu_efficiency,
    reference_case,
    simulate,
)

GUARD_RAILS = {StopReason.ROUND_LIMIT, StopReason.DATA_CAP, StopReason.MAX_RATE}


# §7 reference cases. The expected figures are written out here, not read from the presets,
# so that editing a preset's tolerance cannot make its test pass.

def test_case1_clark_web_server():
    result = reference_case(1).simulate()
    assert result.first_round_s == pytest.approx(62, rel=0.05)
    assert result.total_time_s == pytest.approx(72, rel=0.10)
    assert result.data_ratio == pytest.approx(1.2, abs=0.1)
    assert 0.150 <= result.downtime_s <= 0.300


def test_case1_rate_starts_at_100_and_climbs_by_50_mbits_to_500():
    rates = [r.rate_bytes_per_s * 8 / 1e6 for r in reference_case(1).simulate().rounds]
    assert rates[0] == pytest.approx(100)
    assert rates[1:] == pytest.approx([100, 150, 200, 250, 300, 350, 400, 450, 500, 500])


def test_case2_clark_diabolical_ends_by_a_guard_rail_with_a_long_downtime():
    result = reference_case(2).simulate()
    assert result.stop_reason in GUARD_RAILS
    assert 2.5 <= result.downtime_s <= 5.0
    assert 1.1 <= result.data_ratio <= 3.0


@pytest.mark.parametrize(("key", "copy_s"), [("3a", 3.65), ("3b", 3.47)])
def test_case3_idle_vm_on_10gbe(key, copy_s):
    result = reference_case(key).simulate()
    assert result.first_round_s == pytest.approx(copy_s, abs=0.01)
    assert 3.5 <= result.total_time_s <= 5.0
    assert result.downtime_s < 1.0
    assert result.converged


def test_untouched_pages_are_not_sent():
    # KVM cross-check (§6-7): 8 GiB idle in 2.27 s; sending every page would take ~7.3 s.
    every_page = simulate(memory_gib=8)
    assert every_page.first_round_s == pytest.approx(7.3, abs=0.05)
    touched = simulate(memory_gib=8, touched_fraction=2.271 / every_page.first_round_s)
    assert touched.first_round_s == pytest.approx(2.271, rel=1e-6)
    assert touched.data_sent_bytes == pytest.approx(every_page.data_sent_bytes * 2.271 / 7.3,
                                                    rel=0.01)


@pytest.mark.parametrize(("key", "gbps", "seconds"),
                         [("4a", 18, 30.5), ("4b", 28, 19.6), ("4c", 36, 15.3)])
def test_case4_vmknic_scaling_with_kb323379_throughputs(key, gbps, seconds):
    result = reference_case(key).simulate()
    assert result.bandwidth_bytes_per_s == pytest.approx(gbps * 1e9 / 8)
    assert result.total_time_s == pytest.approx(seconds, rel=0.15)


def test_case4_naive_line_rate_misses_one_vmknic():
    naive = simulate(memory_gib=64, link_gbps=40, mtu=9000, stream_cap_gbps=None)
    assert naive.total_time_s == pytest.approx(13.9, abs=0.2)
    assert naive.total_time_s < 30.5 * 0.85


def test_case5_without_throttle_never_converges():
    result = reference_case("5a").simulate()
    assert result.lam == pytest.approx(1.12, abs=0.01)
    assert result.stop_reason in GUARD_RAILS
    floor = result.bandwidth_bytes_per_s * 0.3
    assert all(r.dirty_after_bytes > floor for r in result.rounds[:-1])


def test_case5_sdps_throttle_converges_under_300_ms():
    result = reference_case("5b").simulate()
    assert result.converged
    assert result.downtime_s <= 0.3
    # §5: n = ceil(ln(B·T_target / M) / ln λ') with λ' = κ = 0.8.
    ratio = result.bandwidth_bytes_per_s * 0.3 / (8 * GIB)
    assert result.precopy_rounds == math.ceil(math.log(ratio) / math.log(0.8)) == 24


@pytest.mark.parametrize("key", list(precopy.REFERENCE_CASES))
def test_every_reference_case_meets_its_own_expected_figures(key):
    case = reference_case(key)
    assert case.expected and all(e.tag in ("[V]", "[R]", "[D]") for e in case.expected)
    failures = [(e.metric, value, e.low, e.high) for e, value, ok in case.check() if not ok]
    assert not failures


# §5 worked example and formulas.

@pytest.mark.parametrize("row", precopy.WORKED_EXAMPLE, ids=lambda row: str(row.dirty_pages_per_s))
def test_worked_example_rows(row):
    result = simulate(**precopy.WORKED_EXAMPLE_PARAMS, dirty_pages_per_s=row.dirty_pages_per_s)
    assert result.lam == pytest.approx(row.lam, abs=0.01)
    assert result.total_time_s == pytest.approx(row.total_s, rel=0.03)
    assert result.downtime_s == pytest.approx(row.downtime_s, rel=0.03, abs=0.005)
    assert result.data_ratio == pytest.approx(row.data_ratio, rel=0.03)
    # The table lists 0 rounds for λ = 0; the formula's limit λ → 0+ (and the model) is 1.
    assert result.precopy_rounds == max(row.rounds, 1)


def test_worked_example_guard_rail_rows_stop_by_the_3x_rule():
    for pages in (280_000, 300_000):
        result = simulate(**precopy.WORKED_EXAMPLE_PARAMS, dirty_pages_per_s=pages)
        assert result.stop_reason is StopReason.DATA_CAP
        sent_before_switchover = result.data_sent_bytes - result.switchover.bytes_sent
        assert sent_before_switchover > 3 * 4 * GIB


@pytest.mark.parametrize("lam", [0.2, 0.5, 0.9])
def test_rounds_follow_the_closed_form(lam):
    bandwidth = effective_bandwidth()
    pages = lam * bandwidth / PAGE_SIZE
    result = simulate(dirty_pages_per_s=pages, max_rounds=1000, max_data_factor=None)
    memory = 4 * GIB
    n = math.ceil(math.log(bandwidth * 0.5 / memory) / math.log(lam))
    assert result.precopy_rounds == n
    assert [r.bytes_sent for r in result.rounds] == pytest.approx(
        [memory * lam**i for i in range(n + 1)])
    assert result.data_sent_bytes == pytest.approx(memory * (1 - lam ** (n + 1)) / (1 - lam))
    assert result.downtime_s == pytest.approx(memory / bandwidth * lam**n)


def test_mtu_efficiency_and_derived_bandwidth():
    assert mtu_efficiency(1500) == pytest.approx(0.941, abs=0.001)
    assert mtu_efficiency(9000) == pytest.approx(0.990, abs=0.001)
    eta = mtu_efficiency(1500)
    assert effective_bandwidth(10) == pytest.approx(10e9 / 8 * eta)
    assert effective_bandwidth(10, vmknics=2) == effective_bandwidth(10)   # 10 GbE saturated
    assert effective_bandwidth(40) == pytest.approx(15e9 / 8 * eta)        # one stream's CPU
    assert effective_bandwidth(40, vmknics=3) == pytest.approx(40e9 / 8 * eta)
    assert effective_bandwidth(10, nics=2, vmknics=2) == pytest.approx(20e9 / 8 * eta)


def test_measured_throughput_replaces_the_derivation():
    result = simulate(throughput_gbps=18, link_gbps=40, mtu=9000)
    assert result.bandwidth_bytes_per_s == pytest.approx(18e9 / 8)


# Monotonicity, over a grid of parameters with the default (continuous) data cap.

def _grid(**axes):
    names = list(axes)
    for values in itertools.product(*axes.values()):
        yield dict(zip(names, values))


@pytest.mark.parametrize("rails", [{}, {"max_data_factor": 1.5}, {"max_data_factor": None},
                                   {"max_rounds": 5}, {"downtime_target_s": 0.03}])
def test_more_dirtying_never_shortens_and_more_bandwidth_never_lengthens(rails):
    dirty_rates = range(0, 600_001, 25_000)
    links = (1, 10, 25, 40, 100)
    for params in _grid(memory_gib=(1, 16), wws_fraction=(None, 0.25), sdps_kappa=(None, 0.8),
                          touched_fraction=(1.0, 0.5), mtu=(1500, 9000)):
        fraction = params.pop("wws_fraction")
        params["wws_gib"] = fraction and fraction * params["memory_gib"]
        params.update(rails)
        times = {(d, link): simulate(dirty_pages_per_s=d, link_gbps=link, **params).total_time_s
                 for d in dirty_rates for link in links}
        for link in links:
            by_dirt = [times[d, link] for d in dirty_rates]
            rising = all(a <= b * (1 + 1e-12) for a, b in itertools.pairwise(by_dirt))
            assert rising, (params, link)
        for d in dirty_rates:
            by_link = [times[d, link] for link in links]
            assert all(a >= b * (1 - 1e-12) for a, b in itertools.pairwise(by_link)), (params, d)


def test_xen_between_round_cap_is_not_monotone_so_it_is_not_the_default():
    # The §5 table itself: 280 000 pages/s takes 17.3 s, 300 000 pages/s only 15.6 s,
    # because the 3× rule fires one round earlier. The default cap stops pre-copy the moment
    # the cap is reached, which keeps total time monotone.
    xen = dict(precopy.WORKED_EXAMPLE_PARAMS)
    slower, faster = (simulate(**xen, dirty_pages_per_s=d) for d in (280_000, 300_000))
    assert faster.total_time_s < slower.total_time_s
    xen["data_cap_check"] = "continuous"
    slower, faster = (simulate(**xen, dirty_pages_per_s=d) for d in (280_000, 300_000))
    assert faster.total_time_s >= slower.total_time_s


def test_sdps_leaves_slow_dirtiers_alone():
    slow = {"dirty_pages_per_s": 100_000}   # λ = 0.35 < κ
    assert simulate(**slow, sdps_kappa=0.8).rounds == simulate(**slow).rounds
    fast = simulate(dirty_pages_per_s=400_000, sdps_kappa=0.8)
    assert fast.rounds[1].bytes_sent == pytest.approx(0.8 * fast.rounds[0].bytes_sent)


# Termination and stop conditions.

@pytest.mark.parametrize("lam", [1.0, 1.5, 5.0, 100.0])
def test_non_convergence_ends_by_the_round_limit(lam):
    pages = lam * effective_bandwidth() / PAGE_SIZE
    result = simulate(dirty_pages_per_s=pages, max_data_factor=None, max_rounds=200,
                      wws_gib=4)
    assert result.stop_reason is StopReason.ROUND_LIMIT
    assert len(result.rounds) == 200


@pytest.mark.parametrize("lam", [1.0, 1.5, 100.0])
def test_non_convergence_ends_at_the_data_cap(lam):
    pages = lam * effective_bandwidth() / PAGE_SIZE
    result = simulate(dirty_pages_per_s=pages)
    assert result.stop_reason is StopReason.DATA_CAP
    assert result.data_sent_bytes - result.switchover.bytes_sent == pytest.approx(3 * 4 * GIB)


def test_rate_limited_run_stops_when_dirtying_outpaces_the_max_rate():
    result = simulate(memory_gib=1, dirty_pages_per_s=50_000, wws_gib=0.1, link_gbps=1,
                      rate_limit=RateLimit())
    assert result.stop_reason is StopReason.MAX_RATE
    assert result.switchover.rate_bytes_per_s == pytest.approx(500e6 / 8)


def test_round_bookkeeping_is_consistent():
    result = simulate(dirty_pages_per_s=200_000, setup_s=1.0, resume_s=0.05)
    rounds = result.rounds
    assert [r.index for r in rounds] == list(range(len(rounds)))
    assert rounds[0].start_s == 1.0
    assert all(a.end_s == pytest.approx(b.start_s) for a, b in itertools.pairwise(rounds))
    assert all(a.dirty_after_bytes == b.bytes_sent for a, b in itertools.pairwise(rounds))
    assert [r.switchover for r in rounds] == [False] * (len(rounds) - 1) + [True]
    assert result.total_time_s == pytest.approx(rounds[-1].end_s + 0.05)
    assert result.downtime_s == pytest.approx(rounds[-1].bytes_sent
                                              / rounds[-1].rate_bytes_per_s + 0.05)
    assert result.data_sent_bytes == pytest.approx(sum(r.bytes_sent for r in rounds))


def test_same_inputs_give_the_same_result():
    assert simulate(dirty_pages_per_s=123_456) == simulate(dirty_pages_per_s=123_456)


# Invalid inputs.

@pytest.mark.parametrize(("params", "name"), [
    ({"memory_gib": -1}, "memory_gib"),
    ({"memory_gib": float("nan")}, "memory_gib"),
    ({"touched_fraction": 0}, "touched_fraction"),
    ({"dirty_pages_per_s": -5}, "dirty_pages_per_s"),
    ({"wws_gib": 8}, "wws_gib"),
    ({"mtu": 575}, "mtu"),
    ({"mtu": 9001}, "mtu"),
    ({"link_gbps": 0}, "link_gbps"),
    ({"throughput_gbps": 0}, "throughput_gbps"),
    ({"vmknics": 0}, "vmknics"),
    ({"sdps_kappa": 0}, "sdps_kappa"),
    ({"sdps_kappa": 1}, "sdps_kappa"),
    ({"sdps_kappa": 1.5}, "sdps_kappa"),
    ({"max_rounds": 1}, "max_rounds"),
    ({"max_data_factor": 0.5}, "max_data_factor"),
    ({"data_cap_check": "sometimes"}, "data_cap_check"),
    ({"downtime_target_s": 0}, "downtime_target_s"),
    ({"memroy_gib": 4}, "parameter name"),
])
def test_invalid_inputs_raise_a_value_error_naming_the_parameter(params, name):
    with pytest.raises(ModelInputError, match=name) as caught:
        simulate(**params)
    assert isinstance(caught.value, ValueError)
    assert "must be" in str(caught.value)


def test_invalid_rate_limit_and_case_key():
    with pytest.raises(ModelInputError, match="max_mbps"):
        RateLimit(start_mbps=600, max_mbps=500)
    with pytest.raises(ModelInputError, match="1, 2, 3a"):
        reference_case(3)


# Result object.

def test_summary_says_it_is_a_model_in_english_and_french():
    result = simulate(dirty_pages_per_s=100_000)
    english = str(result)
    assert english == result.summary("en")
    assert english.startswith("MODEL")
    assert "converged" in english and "switchover" in english and "Clark" in english
    french = result.summary(lang="fr")
    assert french.startswith("MODÈLE")
    for word in ("tour de pré-copie", "bascule (switchover)", "débit", "mémoire sale", "5,36"):
        assert word in french
    with pytest.raises(InputError, match="language"):
        result.summary("de")


def test_result_is_frozen_and_cites_its_sources():
    result = simulate()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.stop_reason = StopReason.DATA_CAP
    for source in ("Clark", "Nelson", "KB 323379", "Liu", "§5"):
        assert source in result.source
    assert result.caveat.startswith("MODEL")
    assert result.stop_reason == "converged"


def test_wws_caps_each_round():
    result = simulate(dirty_pages_per_s=250_000, wws_gib=0.25)
    assert all(r.bytes_sent <= 0.25 * GIB for r in result.rounds[1:])
    assert result.converged    # a hot set under B × 0.5 s switches over at once
    assert result.switchover.bytes_sent == pytest.approx(0.25 * GIB)
    assert result.switchover.bytes_sent < result.threshold_bytes


def test_threshold_in_bytes_overrides_the_downtime_target():
    result = simulate(dirty_pages_per_s=100_000, threshold_bytes=50 * PAGE_SIZE,
                      max_data_factor=None)
    assert result.threshold_bytes == 50 * PAGE_SIZE
    assert result.switchover.bytes_sent <= 50 * PAGE_SIZE
    assert result.data_ratio == pytest.approx(1 / (1 - result.lam), rel=0.01)   # V_mig limit
