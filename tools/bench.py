"""Benchmarks of the kit: `python -m tools.bench` prints them and writes BENCHMARKS.md.

Four measurements, each side by side in one run on this machine, on private simulators
(own state directories, stopped at the end):

1. inventory: every VM with its host, datastores and power state, on large vcsim models
   (16 hosts; 100 and 1,000 VMs): lablib's listing (one PropertyCollector call), naive
   pyVmomi attribute access (one round trip per property per object) and govc
   (`govc object.collect`, a process per command, session kept between commands).
   Round trips: lablib and naive from Connection.round_trips; govc from its own `-debug`
   log (one request file per SOAP call), in one more run of the same commands.
2. lifecycle: from nothing (a fresh state directory) to a connected, seeded lab, and a
   reset of it.
3. labs: the lab notebooks under nbval (`pytest labs --nbval-lax --durations=0`), time
   per notebook and the slowest cells.
4. evacuation: a host of 32 running VMs into maintenance mode, with vcsim's relocation
   task delay at 2 s (docs/vcsim-gaps.md §4(i)): lablib's parallel evacuation against a
   one-by-one migrate() loop.

Times are medians of several runs (wall clock); the machine is shared, so the file says
what else ran (load average). No test asserts a time: tests/sim/test_bench.py runs these
functions on tiny inventories to keep the script working.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from pyVmomi import SoapAdapter, vim

from lablib.config import LabConfig, SimConfig
from lablib.connection import Connection, Target
from lablib.errors import LabError
from lablib.govc import govc_environment
from lablib.inventory import Inventory
from lablib.sim import locate, runner
from lablib.sim import state as sim_state
from lablib.table import Table

ROOT = Path(__file__).resolve().parents[1]
VM_PROPS = ["name", "runtime.host", "datastore", "runtime.powerState"]


@dataclass(frozen=True)
class Size:
    """A vcsim model: its label and the model flags that build it."""

    label: str
    flags: tuple[str, ...]


#: 4 clusters x 4 hosts (16 hosts), 25 or 250 VMs per cluster, no standalone host.
SIZES = (Size("16 hosts, 100 VMs", ("-cluster", "4", "-host", "4", "-vm", "25",
                                    "-standalone-host", "0")),
         Size("16 hosts, 1,000 VMs", ("-cluster", "4", "-host", "4", "-vm", "250",
                                      "-standalone-host", "0")))
TINY = (Size("2 hosts, 3 VMs", ("-cluster", "1", "-host", "2", "-vm", "3",
                                "-standalone-host", "0")),)


@dataclass
class Timing:
    """Wall times of one method in seconds, and its SOAP round trips per run."""

    method: str
    seconds: list[float] = field(default_factory=list)
    round_trips: int | None = None
    note: str = ""

    @property
    def median(self) -> float:
        """Return the median time (nan without a run)."""
        return statistics.median(self.seconds) if self.seconds else float("nan")


@dataclass
class InventoryResult:
    """The listing methods measured on one model."""

    size: Size
    vms: int
    hosts: int
    timings: dict[str, Timing]
    parse_share: float = 0.0  # of one lablib listing: pyVmomi turning the XML into objects


@dataclass
class Results:
    """Everything one benchmark run measured."""

    machine: dict[str, str]
    inventory: list[InventoryResult] = field(default_factory=list)
    lifecycle: dict[str, Timing] = field(default_factory=dict)
    labs: dict | None = None
    evacuation: dict | None = None
    skipped: dict[str, str] = field(default_factory=dict)


# --- the machine ---------------------------------------------------------------------

def machine() -> dict[str, str]:
    """Return what the figures depend on: CPUs, memory, versions, date and load."""
    cpu = _first_match(Path("/proc/cpuinfo"), r"model name\s*:\s*(.+)") or platform.processor()
    mem_kb = _first_match(Path("/proc/meminfo"), r"MemTotal:\s*(\d+)")
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                     else os.cpu_count()),
        "cpu": cpu or "unknown",
        "ram": f"{int(mem_kb) / 1024 ** 2:.1f} GiB" if mem_kb else "unknown",
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "pyvmomi": _version("pyvmomi"),
        "vcsim": _tool_version("vcsim", "version"),
        "govc": _tool_version("govc", "version"),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _first_match(path: Path, pattern: str) -> str:
    try:
        found = re.search(pattern, path.read_text(errors="replace"))
    except OSError:
        return ""
    return found.group(1).strip() if found else ""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _tool_version(name: str, *args: str) -> str:
    binary = locate.find_tool(name)
    if binary is None:
        return "not found"
    done = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=30)
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 \
        else "unknown"


# --- 1. inventory listings -----------------------------------------------------------

Row = tuple[str, str, tuple[str, ...], str]  # VM, host, datastores, power state


def lablib_listing(conn) -> list[Row]:
    """List every VM with host, datastores and power state the lablib way: one listing."""
    rows = Inventory(conn).retrieve_many({"vm": VM_PROPS, "host": ["name"],
                                          "datastore": ["name"]})
    names = {r["obj"]._moId: r["name"] for kind in ("host", "datastore") for r in rows[kind]}
    return sorted((r["name"], names[r["runtime.host"]._moId],
                   tuple(sorted(names[d._moId] for d in r.get("datastore", []))),
                   r["runtime.powerState"]) for r in rows["vm"])


def naive_listing(conn) -> list[Row]:
    """List the same by attribute access, one round trip per property per object."""
    content = conn.content
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine],
                                                   True)
    try:
        return sorted((vm.name, vm.runtime.host.name,
                       tuple(sorted(ds.name for ds in vm.datastore)), vm.runtime.powerState)
                      for vm in view.view)
    finally:
        view.DestroyView()


GOVC_COMMANDS = (("object.collect", "-json", "-type", "m", "/", *VM_PROPS),
                 ("object.collect", "-json", "-type", "h", "-type", "s", "/", "name"))


def govc_listing(env: dict[str, str], debug: bool = False) -> list[str]:
    """Run the govc commands that give the same listing; return their JSON outputs."""
    govc = locate.find_tool("govc")
    if govc is None:
        raise RuntimeError("govc not found: run `make sim-tools` (builds it into .build/bin)")
    outputs = []
    for command in GOVC_COMMANDS:
        args = [str(govc), command[0], *(["-debug"] if debug else []), *command[1:]]
        done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"govc {command[0]} failed: {done.stderr.strip()[-300:]}")
        outputs.append(done.stdout)
    return outputs


def govc_rows(outputs: list[str]) -> list[Row]:
    """Turn govc's JSON outputs into the same rows as the other listings."""
    vms, names = [], {}
    for output in outputs:
        for item in _json_stream(output):
            props = {c["name"]: c.get("val") for c in item.get("changeSet") or []}
            if item["obj"]["type"] == "VirtualMachine":
                vms.append(props)
            else:
                names[item["obj"]["value"]] = props["name"]
    return sorted((p["name"], names[p["runtime.host"]["value"]],
                   tuple(sorted(names[d["value"]] for d in
                                (p.get("datastore") or {}).get("_value", []))),
                   p["runtime.powerState"]) for p in vms)


def _json_stream(text: str):
    decoder, at = json.JSONDecoder(), 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return
        item, at = decoder.raw_decode(text, at)
        yield item


def govc_round_trips(env: dict[str, str]) -> int:
    """Count govc's SOAP requests: its -debug log holds one request file per call."""
    before = set((Path(env["GOVMOMI_HOME"]) / "debug").glob("*"))
    govc_listing(env, debug=True)
    runs = set((Path(env["GOVMOMI_HOME"]) / "debug").glob("*")) - before
    return sum(len(list(run.glob("*.req.xml"))) for run in runs)


@contextlib.contextmanager
def parse_timer():
    """Add up the time pyVmomi spends deserializing SOAP responses inside the block."""
    spent = [0.0]
    original = SoapAdapter.SoapResponseDeserializer.Deserialize

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    SoapAdapter.SoapResponseDeserializer.Deserialize = timed  # type: ignore[method-assign]
    try:
        yield spent
    finally:
        SoapAdapter.SoapResponseDeserializer.Deserialize = original  # type: ignore[method-assign]


@contextlib.contextmanager
def model_simulator(size: Size, workdir: Path):
    """Run vcsim with a model's flags in `workdir`; yield its SimState."""
    binary = locate.find_tool("vcsim")
    if binary is None:
        raise RuntimeError(locate.NO_SIMULATOR)
    directory = sim_state.ensure_dir(workdir)
    # vcsim builds a 1,000-VM model in ~40 s
    started = runner.launch_binary(binary, directory, model=size.flags, timeout=600)
    try:
        yield started
    finally:
        runner.stop(started, directory)


def bench_inventory(sizes=SIZES, runs: int = 7, naive_runs: int = 3,
                    log: Callable[[str], None] = print) -> list[InventoryResult]:
    """Measure the three listings on each model size, interleaved run by run."""
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="lab-bench-") as tmp, \
                model_simulator(size, Path(tmp) / "sim") as started:
            log(f"inventory: {size.label}: simulator up, measuring")
            conn = Connection(Target.from_url(started.url))
            env = {**os.environ, **govc_environment(started),
                   "GOVMOMI_HOME": str(Path(tmp) / "govmomi")}
            results.append(_measure_listings(size, conn, env, runs, naive_runs))
            conn.close()
    return results


def _measure_listings(size, conn, env, runs, naive_runs) -> InventoryResult:
    reference = lablib_listing(conn)
    hosts = len(Inventory(conn).retrieve("host", ["name"]))
    if govc_rows(govc_listing(env)) != reference:  # also logs govc in once
        raise RuntimeError("govc's listing differs from lablib's")
    methods = {"lablib": lambda: lablib_listing(conn),
               "naive pyVmomi": lambda: naive_listing(conn),
               "govc": lambda: govc_listing(env)}
    timings = {name: Timing(name) for name in methods}
    for run in range(max(runs, naive_runs)):
        for name, call in methods.items():
            if name == "naive pyVmomi" and run >= naive_runs:
                continue
            before = conn.round_trips
            start = time.perf_counter()
            out = call()
            timings[name].seconds.append(time.perf_counter() - start)
            if name != "govc":
                timings[name].round_trips = conn.round_trips - before
                if out != reference:
                    raise RuntimeError(f"{name}'s listing differs from lablib's")
    timings["govc"].round_trips = govc_round_trips(env)
    timings["govc"].note = "2 commands (VMs; host and datastore names), a process each"
    with parse_timer() as spent:
        start = time.perf_counter()
        lablib_listing(conn)
        total = time.perf_counter() - start
    return InventoryResult(size, len(reference), hosts, timings, spent[0] / total)


# --- 2. start and reset --------------------------------------------------------------

def bench_lifecycle(runs: int = 5, log: Callable[[str], None] = print) -> dict[str, Timing]:
    """Time a start from nothing (fresh state directory) to a seeded, connected lab,
    and a reset of it."""
    from lablib import connect, sim

    timings = {"start": Timing("start: nothing to a seeded lab (lablib.connect())"),
               "reset": Timing("reset: back to the initial lab (lab.reset())")}
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="lab-bench-") as tmp:
            config = _private_config(Path(tmp))
            start = time.perf_counter()
            lab = connect(config)
            timings["start"].seconds.append(time.perf_counter() - start)
            start = time.perf_counter()
            lab.reset()
            timings["reset"].seconds.append(time.perf_counter() - start)
            lab.close()
            sim.stop(config)
        log(f"lifecycle: run {run + 1}/{runs}")
    return timings


def _private_config(directory: Path, delay_ms: int = 0) -> LabConfig:
    """Return the simulator configuration of a private state directory."""
    return LabConfig(sim=SimConfig(state_dir=str(directory / "state"),
                                   relocate_delay_ms=delay_ms))


# --- 3. the labs under nbval ---------------------------------------------------------

_DURATION = re.compile(r"^\s*([\d.]+)s\s+(setup|call|teardown)\s+(\S+?\.ipynb)::(.+?)\s*$")


def parse_durations(text: str) -> dict[str, dict]:
    """Return per notebook the times of pytest's `--durations=0` report, split in three.

    `kernel`: the setup of its first cell (nbval starts the notebook's kernel there);
    `first`: its first cell (imports, lablib.connect(), the lab's preparation);
    `rest`: every other cell; `slowest`: the slowest of those, (cell, seconds).
    """
    notebooks: dict[str, dict] = {}
    for line in text.splitlines():
        found = _DURATION.match(line)
        if not found:
            continue
        seconds, phase, path, cell = float(found[1]), found[2], found[3], found[4]
        entry = notebooks.setdefault(path, {"seconds": 0.0, "kernel": 0.0, "first": 0.0,
                                            "rest": 0.0, "cells": set(),
                                            "slowest": ("", 0.0)})
        entry["seconds"] += seconds
        entry["cells"].add(cell)
        if cell == "Cell 0":
            entry["kernel" if phase == "setup" else "first"] += seconds
        else:
            entry["rest"] += seconds
            if phase == "call" and seconds > entry["slowest"][1]:
                entry["slowest"] = (cell, seconds)
    return {path: {**entry, "cells": len(entry["cells"])} for path, entry in notebooks.items()}


def bench_labs(paths=("labs",), log: Callable[[str], None] = print) -> dict:
    """Run the lab notebooks under nbval; return the time per notebook and the outcome."""
    notebooks = [p for path in paths for p in sorted((ROOT / path).rglob("*.ipynb"))
                 if ".ipynb_checkpoints" not in p.parts]
    if not notebooks:
        return {"notebooks": {}, "seconds": 0.0, "summary": "no notebook found"}
    log(f"labs: running {len(notebooks)} notebooks under nbval")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", *paths, "--nbval-lax",
                           "--nbval-current-env", "--durations=0", "-q", "-p",
                           "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True,
                          timeout=3600)
    seconds = time.perf_counter() - start
    summary = next((line.strip("= ") for line in reversed(done.stdout.splitlines())
                    if re.search(r"\d+ (passed|failed|error)", line)), "no summary")
    failed = [line.split()[1] for line in done.stdout.splitlines()
              if line.startswith(("FAILED ", "ERROR "))]
    return {"notebooks": parse_durations(done.stdout), "seconds": seconds,
            "summary": summary, "failed": failed, "returncode": done.returncode}


# --- 4. evacuation -------------------------------------------------------------------

def bench_evacuation(vms: int = 32, delay_ms: int = 2000, runs: int = 3,
                     log: Callable[[str], None] = print) -> dict:
    """Evacuate a host of `vms` running VMs with lablib `runs` times, then move them back
    one by one with migrate()."""
    from lablib import connect, sim

    with tempfile.TemporaryDirectory(prefix="lab-bench-") as tmp:
        config = _private_config(Path(tmp), delay_ms)
        lab = connect(config)
        try:
            hosts = [lab.roles.source_host, lab.roles.destination_host]
            names = _fill_host(lab, vms)
            log(f"evacuation: {len(names)} running VMs on {hosts[0]}, {delay_ms} ms each")
            parallel = []
            for run in range(runs):  # ESXi_1 to ESXi_2, back, and so on: all at once
                parallel.append(_evacuate(lab, hosts[run % 2]))
                log(f"evacuation: lablib moved {parallel[-1]['moved']} VMs in "
                    f"{parallel[-1]['seconds']:.1f} s")
                if parallel[-1]["moved"] != len(names):
                    return {"vms": len(names), "delay_ms": delay_ms, "parallel": parallel,
                            "loop": None}
            back = hosts[(runs - 1) % 2]  # the host evacuated last, out of maintenance again
            before, start = lab.round_trips, time.perf_counter()
            for name in names:  # one migrate() at a time
                lab.migrate(name, host=back)
            loop = {"seconds": time.perf_counter() - start,
                    "round_trips": lab.round_trips - before, "moved": len(names)}
            return {"vms": len(names), "delay_ms": delay_ms, "parallel": parallel,
                    "loop": loop}
        finally:
            lab.close()
            sim.stop(config)


def _evacuate(lab, host: str) -> dict:
    """Time lab.enter_maintenance(host), then take the host out of maintenance again."""
    before, start = lab.round_trips, time.perf_counter()
    report = lab.enter_maintenance(host)
    seconds = time.perf_counter() - start
    lab.exit_maintenance(host)
    return {"host": host, "seconds": seconds, "round_trips": lab.round_trips - before,
            "moved": len(report.moved), "blocked": len(report.blocked),
            "entered": report.entered}


def _fill_host(lab, count: int) -> list[str]:
    """Put `count` running VMs that pass every migration rule on the source host."""
    from lablib.tasks import wait_all

    roles = lab.roles
    for host in (roles.source_host, roles.destination_host):
        lab.enable_vmotion(host, "vmk0")
    lab.power_off(roles.local_vm)  # on local storage: it would block; powered off it stays
    lab.power_off(roles.vm)
    modes = [m for m in (lab.facts.snapshot().host(roles.destination_host).max_evc,) if m]
    if modes:
        lab.configure_evc(modes[0])  # the older CPU generation: every VM may go both ways
    dc = lab.find("datacenter", roles.datacenter)
    pool, host = lab.cluster().resourcePool, lab.host(roles.source_host)
    names = [f"evac-{n:02d}" for n in range(1, count)]
    wait_all(lab.conn, [dc.vmFolder.CreateVM_Task(config=vim.vm.ConfigSpec(
        name=name, numCPUs=1, memoryMB=1024, guestId="otherGuest64",
        files=vim.vm.FileInfo(vmPathName=f"[{roles.shared_datastore}]")), pool=pool,
        host=host) for name in names])
    names = [roles.vm, *names]
    for name in names:
        lab.power_on(name)  # lablib records the EVC baseline each VM boots with
    return names


# --- the report ----------------------------------------------------------------------

TARGETS = {"govc": 1.5, "naive": 20.0, "start": 3.0, "reset": 3.0}


def tables(results: Results) -> list[Table]:
    """Return the results as tables (text and markdown share them)."""
    out = []
    for item in results.inventory:
        govc, naive = item.timings["govc"].median, item.timings["naive pyVmomi"].median
        rows = []
        for timing in item.timings.values():
            rows.append([timing.method, f"{timing.median:.3f}",
                         f"{min(timing.seconds):.3f}" if timing.seconds else "-",
                         str(len(timing.seconds)), str(timing.round_trips),
                         f"{timing.median / govc:.2f}x", f"{naive / timing.median:.1f}x",
                         timing.note])
        lab_time = item.timings["lablib"].median
        out.append(Table(f"Inventory listing: {item.size.label} ({item.vms} VMs, {item.hosts} "
                         f"hosts; vcsim {' '.join(item.size.flags)})",
                         ["method", "median s", "min s", "runs", "round trips",
                          "time / govc", "naive / time", "note"], rows,
                         [f"lablib: {item.parse_share:.0%} of a listing is pyVmomi "
                          "deserializing the XML answer (one more run, timed inside).",
                          _verdict("lablib within 1.5x of govc", lab_time / govc <= 1.5,
                                   f"{lab_time / govc:.2f}x"),
                          _verdict("lablib at least 20x faster than naive",
                                   naive / lab_time >= 20, f"{naive / lab_time:.1f}x")]))
    if len(results.inventory) > 1:
        trips = [(i.vms, i.timings["lablib"].round_trips) for i in results.inventory]
        govc_trips = [(i.vms, i.timings["govc"].round_trips) for i in results.inventory]
        out.append(Table("Round trips against the number of VMs", ["VMs", "lablib", "govc",
                                                                    "naive"],
                         [[str(v), str(t), str(g), str(i.timings["naive pyVmomi"].round_trips)]
                          for (v, t), (_, g), i in zip(trips, govc_trips, results.inventory)],
                         [_verdict("lablib's round trips do not grow with the VMs",
                                   len({t for _, t in trips}) == 1,
                                   ", ".join(str(t) for _, t in trips))]))
    if results.lifecycle:
        rows = [[t.method, f"{t.median:.2f}", f"{min(t.seconds):.2f}",
                 f"{max(t.seconds):.2f}", str(len(t.seconds))]
                for t in results.lifecycle.values()]
        out.append(Table("Lab start and reset", ["step", "median s", "min s", "max s", "runs"],
                         rows, [_verdict(f"{key} under 3 s", t.median < TARGETS[key],
                                         f"{t.median:.2f} s")
                                for key, t in results.lifecycle.items()]))
    if results.labs is not None:
        labs = results.labs
        rows = [[path, f"{e['seconds']:.1f}", f"{e['kernel']:.1f}", f"{e['first']:.1f}",
                 f"{e['rest']:.1f}", str(e["cells"]),
                 f"{e['slowest'][0]} ({e['slowest'][1]:.1f} s)" if e["slowest"][0] else "-"]
                for path, e in sorted(labs["notebooks"].items())]
        found = labs["notebooks"].values()
        total = sum(e["seconds"] for e in found) or 1.0
        shares = {part: sum(e[part] for e in found) / total for part in ("kernel", "first",
                                                                          "rest")}
        out.append(Table(f"Labs under nbval: {labs['seconds']:.0f} s in all ({labs['summary']})",
                         ["notebook", "total s", "kernel start s", "first cell s",
                          "other cells s", "cells", "slowest other cell"], rows,
                         [f"Of the time in notebooks: kernel start {shares['kernel']:.0%}, first "
                          f"cell (imports, connect, the lab's preparation) {shares['first']:.0%}, "
                          f"every other cell {shares['rest']:.0%}."]
                         + [f"Failed: {name}" for name in labs.get("failed", [])]))
    if results.evacuation is not None:
        ev = results.evacuation
        rows = [[f"lablib enter_maintenance (run {n}: {run['host']})", f"{run['seconds']:.1f}",
                 str(run["round_trips"]), f"{run['moved']} moved, {run['blocked']} blocked, "
                 f"entered={run['entered']}"] for n, run in enumerate(ev["parallel"], 1)]
        if ev["loop"]:
            rows.append(["one-by-one migrate() loop", f"{ev['loop']['seconds']:.1f}",
                         str(ev["loop"]["round_trips"]), f"{ev['loop']['moved']} moved"])
        typical = statistics.median(run["seconds"] for run in ev["parallel"])
        out.append(Table(f"Evacuating a host of {ev['vms']} running VMs, "
                         f"{ev['delay_ms'] / 1000:g} s per relocation",
                         ["method", "seconds", "round trips", "outcome"], rows,
                         [_verdict("close to one relocation, not one per VM",
                                   typical < 3 * ev["delay_ms"] / 1000,
                                   f"median {typical:.1f} s for {ev['vms']} relocations of "
                                   f"{ev['delay_ms'] / 1000:g} s")]))
    return out


def _verdict(target: str, met: bool, value: str) -> str:
    return f"{'MET' if met else 'MISSED'}: {target} ({value})"


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def markdown(results: Results) -> str:
    """Return this script's section of BENCHMARKS.md: the machine and the tables."""
    lines = [BEGIN, "Written by `python -m tools.bench` (`make bench`); every figure in this "
             "section comes from one run, side by side, on this machine. Times are "
             "wall-clock medians.", "", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in results.machine.items()]
    for table in tables(results):
        lines += ["", f"## {table.title}", "", "| " + " | ".join(table.columns) + " |",
                  "|" + "---|" * len(table.columns)]
        lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |"
                  for row in table.rows]
        if table.notes:
            lines += [""] + [f"- {note}" for note in table.notes]
    if results.skipped:
        lines += ["", "## Not measured in this run", ""]
        lines += [f"- {name}: {why}" for name, why in results.skipped.items()]
    return "\n".join([*lines, END]) + "\n"


def write_section(path: Path, section: str) -> None:
    """Put `section` in BENCHMARKS.md between its markers; keep every other part as it is.

    The file is shared: the hand-written analysis and other benchmarks' sections (the
    classroom footprint of tools.classroom_bench) live outside these markers.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section.rstrip("\n") + rest.split(END, 1)[1]
    else:  # first run: right under the title, before everything else
        title, _, rest = text.partition("\n")
        text = f"{title}\n\n{section}\n{rest.lstrip()}"
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; print the tables and write BENCHMARKS.md."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__
                                     .split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=("inventory", "lifecycle", "labs",
                                                       "evacuation"),
                        help="run only these measurements")
    parser.add_argument("--quick", action="store_true",
                        help="tiny inventories and one run each (checks the script works)")
    parser.add_argument("--runs", type=int, default=7, help="runs per fast measurement")
    parser.add_argument("--output", help="where to write the results (- for nowhere); a "
                        "full run writes BENCHMARKS.md, --only and --quick write nowhere")
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = "-" if args.only or args.quick else str(ROOT / "BENCHMARKS.md")
    wanted = set(args.only or ("inventory", "lifecycle", "labs", "evacuation"))
    runs = 1 if args.quick else max(1, args.runs)
    results = Results(machine())
    log = lambda text: print(f"[bench] {text}", file=sys.stderr, flush=True)  # noqa: E731
    quick = args.quick
    sections = {  # each fills the Results field of the same name
        "inventory": lambda: bench_inventory(TINY if quick else SIZES, runs,
                                             1 if quick else 3, log),
        "lifecycle": lambda: bench_lifecycle(1 if quick else 5, log),
        "labs": lambda: bench_labs(log=log),
        "evacuation": lambda: bench_evacuation(4 if quick else 32, 200 if quick else 2000,
                                               2 if quick else 3, log),
    }
    for name, run in sections.items():
        if name not in wanted:
            continue
        if name == "labs" and quick:
            results.skipped[name] = "not run with --quick"
            continue
        try:
            setattr(results, name, run())
        except (LabError, RuntimeError, OSError, subprocess.SubprocessError) as error:
            results.skipped[name] = f"{type(error).__name__}: {error}"
            log(f"{name}: not measured: {error}")
    for table in tables(results):
        print(table, end="\n\n")
    if args.output != "-":
        write_section(Path(args.output), markdown(results))
        print(f"Written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
