"""The benchmark script still runs: its functions on tiny inventories (structure, not speed).

`python -m tools.bench` (make bench) measures the real sizes; no test asserts a time.
"""

from tools import bench

DURATIONS = """
============================= slowest durations ==============================
2.22s call     labs/en/05_migrate.ipynb::Cell 0
1.07s setup    labs/en/05_migrate.ipynb::Cell 0
0.99s call     labs/en/05_migrate.ipynb::Cell 2
0.11s teardown labs/en/05_migrate.ipynb::Cell 10
0.08s call     labs/fr/00_setup.ipynb::Cell 1
"""


def test_inventory_listings_agree_and_are_counted():
    (result,) = bench.bench_inventory(bench.TINY, runs=1, naive_runs=1, log=lambda _: None)
    assert (result.vms, result.hosts) == (3, 2)
    assert set(result.timings) == {"lablib", "naive pyVmomi", "govc"}
    for timing in result.timings.values():
        assert len(timing.seconds) == 1 and timing.round_trips > 0
    assert result.timings["lablib"].round_trips <= 4  # one listing, whatever the VMs
    assert 0 < result.parse_share < 1


def test_lifecycle_and_evacuation_report_what_they_did():
    lifecycle = bench.bench_lifecycle(runs=1, log=lambda _: None)
    assert [len(t.seconds) for t in lifecycle.values()] == [1, 1]
    evacuation = bench.bench_evacuation(vms=3, delay_ms=100, runs=2, log=lambda _: None)
    assert evacuation["vms"] == 3 and len(evacuation["parallel"]) == 2
    assert all(run["moved"] == 3 and run["entered"] for run in evacuation["parallel"])
    assert [run["host"] for run in evacuation["parallel"]] == ["ESXi_1", "ESXi_2"]
    assert evacuation["loop"]["moved"] == 3
    results = bench.Results(bench.machine(), lifecycle=lifecycle, evacuation=evacuation,
                            labs={"notebooks": bench.parse_durations(DURATIONS),
                                  "seconds": 4.5, "summary": "2 passed"})
    section = bench.markdown(results)
    for heading in ("## Machine", "## Lab start and reset", "## Labs under nbval",
                    "## Evacuating a host of 3 running VMs"):
        assert heading in section


def test_the_section_is_replaced_and_the_rest_of_the_file_kept(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    bench.write_section(path, f"{bench.BEGIN}\nfirst\n{bench.END}\n")
    with path.open("a") as out:
        out.write("\n## Analysis (by hand)\n\n## Classroom\n<!-- classroom:begin -->\nx\n")
    bench.write_section(path, f"{bench.BEGIN}\nsecond\n{bench.END}\n")
    text = path.read_text()
    assert text.startswith("# Benchmarks\n\n<!-- bench:begin -->\nsecond\n")
    assert "first" not in text and text.endswith("<!-- classroom:begin -->\nx\n")
    assert "## Analysis (by hand)" in text


def test_nbval_durations_are_split_per_notebook():
    found = bench.parse_durations(DURATIONS)
    lab = found["labs/en/05_migrate.ipynb"]
    assert (lab["kernel"], lab["first"], lab["cells"]) == (1.07, 2.22, 3)
    assert round(lab["rest"], 2) == 1.10 and lab["slowest"] == ("Cell 2", 0.99)
    assert found["labs/fr/00_setup.ipynb"]["rest"] == 0.08
