"""Measure what one student costs, and N students at once, to size a class server.

    python -m tools.classroom_bench                      # 1 student, then 10 at once
    python -m tools.classroom_bench --students 10 --write BENCHMARKS.md

Each student is a process with its own HOME and LAB_STATE_DIR (so their own simulator),
the labs copied into that home as on a class server (lablib.classroom.install_labs), and
lab 05's solution notebook run from the top by nbclient in a fresh kernel. When the last
cell is done, the kernel's and the simulator's peak resident memory (VmHWM) and CPU time
are read from /proc, then the lab is checked: the shared VM must run on the destination
host. The Jupyter server a student also has (jupyterhub-singleuser in a pod) is measured
on its own: started, the JupyterLab page and the labs folder loaded, its peak read.
The figures, the sizing rules and the capacity arithmetic go into BENCHMARKS.md's
"Classroom" section (between its markers; the other sections are left as they are).
Run it on a quiet machine: the load average is recorded with the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict
from pathlib import Path
from typing import Any

from lablib.classroom import LabState, descendants, install_labs, process_usage, rss_mib

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- classroom:begin -->", "<!-- classroom:end -->"
MIB = 1024
CELL_TIMEOUT_S = 600
SAMPLE_S = 0.25
#: What a class server keeps for itself (OS, JupyterHub, its proxy, kubelet), in GiB.
RESERVED_GIB = 2
#: Servers to extrapolate to: (cores, GiB).
SERVERS = ((8, 32), (16, 64))
#: Kernels a student may keep open at once before the 30-minute kernel culling.
KERNELS_IN_LIMIT = 3
#: Headroom over the measured peaks: a browser attached to the server, several notebooks
#: and a terminal open add memory this benchmark does not drive.
HEADROOM = 1.25
#: The longest wait acceptable when a whole class runs the lab at the same second; the CPU
#: guarantee is what keeps it: CPU·s per lab / BURST_S.
BURST_S = 60


def default_notebook() -> Path | None:
    """Return lab 05's solution notebook (English), if the labs have it."""
    found = sorted((ROOT / "labs" / "en" / "solutions").glob("05_*.ipynb"))
    return found[0] if found else None


# --- one student (run in its own process) -------------------------------------------------

def student(notebook: Path, home: Path) -> dict:
    """Run `notebook` as a student whose home is `home`; return the figures (JSON-able).

    The environment (HOME, LAB_STATE_DIR, LAB_CONFIG) is set by the caller: the kernel
    inherits it, so it starts the student's own simulator.
    """
    import nbformat

    import lablib
    from lablib import sim
    from lablib.config import load

    relative = notebook.resolve().relative_to(ROOT / "labs")
    install_labs(ROOT / "labs", home / "labs")
    path = home / "labs" / relative
    nb = nbformat.read(path, as_version=4)
    started = time.monotonic()
    client, retries = _start_kernel(nb, path.parent)
    with client.setup_kernel(cwd=str(path.parent)):
        kernel_pid = client.km.provisioner.pid
        ready = time.monotonic()
        for index, cell in enumerate(client.nb.cells):
            client.execute_cell(cell, index)
        done = time.monotonic()
        kernel = process_usage(kernel_pid)
    nbformat.write(client.nb, path)

    config = load()
    state = sim.status(config).state
    simulator = process_usage(state.pid) if state is not None else None
    lab = lablib.connect(config)
    end = LabState.read(lab)
    expected = LabState.after_lab05(lab.roles, end.evc_mode)
    migrated = end.placement[lab.roles.vm] == lab.roles.destination_host and bool(end.evc_mode)
    lab.close()
    sim.stop(config)
    disk = sum(p.stat().st_size for p in home.rglob("*") if p.is_file())
    return {"kernel": asdict(kernel) if kernel else {},
            "simulator": asdict(simulator) if simulator else {}, "kernel_retries": retries,
            "kernel_start_s": round(ready - started, 2), "lab_s": round(done - ready, 2),
            "end_state": asdict(end), "expected_state": end == expected,
            "vm_migrated": migrated, "home_kib": disk // 1024}


def _start_kernel(nb, folder: Path, attempts: int = 3):
    """Start the notebook's kernel; start it again if it dies at start, as JupyterLab does.

    jupyter_client picks the kernel's TCP ports, then the kernel binds them: on a shared
    loopback another process can take one in between, and the kernel dies with "Address
    already in use". JupyterLab's restarter then starts it again on new ports; nbclient
    does not, so this does, and counts it.
    """
    from nbclient import NotebookClient

    for attempt in range(attempts):
        client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                                resources={"metadata": {"path": str(folder)}})
        try:
            client.km = client.create_kernel_manager()
            client.start_new_kernel(cwd=str(folder))
            client.start_new_kernel_client()
            return client, attempt
        except RuntimeError as error:
            if "died before replying" not in str(error) or attempt == attempts - 1:
                raise
            try:
                client._cleanup_kernel()
            except Exception:
                pass
    raise AssertionError("unreachable")


# --- the Jupyter server -------------------------------------------------------------------

def measure_server(home: Path) -> dict:
    """Start JupyterLab on `home`, load the page and the labs folder; return its usage."""
    from lablib.sim.runner import free_port

    install_labs(ROOT / "labs", home / "labs")
    port, token = free_port(), "classroom-bench"
    env = {**os.environ, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    proc = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser",
                             f"--port={port}", "--ip=127.0.0.1", f"--notebook-dir={home}",
                             f"--IdentityProvider.token={token}",
                             *(["--allow-root"] if os.geteuid() == 0 else [])],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        while True:
            try:
                _get(f"{base}/api/status?token={token}")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() - started > 120:
                    raise RuntimeError("JupyterLab did not start") from None
                time.sleep(SAMPLE_S)  # a benchmark's polling, not library code
        ready = time.monotonic() - started
        for url in ("/lab", "/api/contents/labs/en", "/api/kernelspecs",
                    "/lab/api/settings", "/api/sessions"):
            _get(f"{base}{url}?token={token}")
        usage = process_usage(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)
    return {"server": asdict(usage) if usage else {}, "server_start_s": round(ready, 2)}


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


# --- N students at once -------------------------------------------------------------------

def run_class(notebook: Path, students: int, workdir: Path, vcsim: str = "") -> dict:
    """Start `students` students at once; sample their total memory until all are done."""
    procs = []
    for n in range(students):
        home = workdir / f"student{n:02d}"
        home.mkdir(parents=True)
        (home / "lab.toml").write_text("")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("LAB_") and k != "XDG_STATE_HOME"}
        env.update(HOME=str(home), LAB_STATE_DIR=str(home / ".local/state/vmotion-lab"),
                   LAB_CONFIG=str(home / "lab.toml"), PYTHONPATH=str(ROOT),
                   JUPYTER_RUNTIME_DIR=str(home / ".local/share/jupyter/runtime"))
        if vcsim:
            env["LAB_SIM_BIN"] = vcsim
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "tools.classroom_bench", "student", "--notebook",
             str(notebook.resolve()), "--home", str(home)],
            env=env, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    started = time.monotonic()
    peak_mib, peak_available_drop = 0.0, 0.0
    available_before = _available_mib()
    while any(p.poll() is None for p in procs):
        pids = [pid for p in procs if p.poll() is None for pid in descendants(p.pid)]
        peak_mib = max(peak_mib, rss_mib(pids))
        peak_available_drop = max(peak_available_drop, available_before - _available_mib())
        time.sleep(SAMPLE_S)  # the sampling period
    wall = time.monotonic() - started
    results, failures = [], []
    for p in procs:
        out, err = p.communicate()
        try:
            results.append(json.loads(out.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            failures.append(err.strip()[-4000:])
    return {"students": students, "results": results, "failures": failures,
            "wall_s": round(wall, 1), "peak_total_mib": round(peak_mib, 1),
            "peak_available_drop_mib": round(peak_available_drop, 1)}


def every_lab(workdir: Path, vcsim: str = "") -> dict:
    """Run each lab's solution notebook once, alone; return its kernel's and simulator's peaks."""
    labs = {}
    for notebook in sorted((ROOT / "labs" / "en" / "solutions").glob("[0-9][0-9]_*.ipynb")):
        run = run_class(notebook, 1, workdir / notebook.stem, vcsim)
        if not run["results"]:
            labs[notebook.stem] = {"failed": (run["failures"] or ["?"])[0][-300:]}
            continue
        result = run["results"][0]
        labs[notebook.stem] = {"kernel_mib": round(_mib(result["kernel"]["peak_kib"]), 1),
                               "simulator_mib": round(_mib(result["simulator"]["peak_kib"]), 1),
                               "cpu_s": round(result["kernel"]["cpu_s"]
                                              + result["simulator"]["cpu_s"], 1),
                               "lab_s": result["lab_s"]}
    return labs


def _available_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- sizing and the report ----------------------------------------------------------------

def _mib(kib: float) -> float:
    return kib / MIB


def _round_up(value: float, step: int) -> int:
    return int(math.ceil(value / step) * step)


def _k8s_memory(mib: int) -> str:
    """Return a KubeSpawner/systemdspawner size ("512M", "1.5G"): M and G are 1024-based."""
    return f"{mib // 1024}G" if mib % 1024 == 0 else f"{mib}M"


def sizing(figures: dict) -> dict:
    """Derive per-student requests, limits and server capacities from the measurements."""
    alone = figures["alone"]["results"][0]
    server = _mib(figures["server"]["server"]["peak_kib"])
    kernel = _mib(alone["kernel"]["peak_kib"])
    simulator = _mib(alone["simulator"]["peak_kib"])
    kernels_at_n = [_mib(r["kernel"]["peak_kib"]) for r in figures["class"]["results"]]
    kernels_per_lab = [lab["kernel_mib"] for lab in figures.get("labs", {}).values()
                       if "kernel_mib" in lab]
    kernel_worst = max([kernel, *kernels_at_n, *kernels_per_lab])
    working_set = server + kernel_worst + simulator
    guarantee = _round_up(working_set * HEADROOM, 64)
    most = server + KERNELS_IN_LIMIT * kernel_worst + simulator
    limit = _round_up(most * HEADROOM, 256)
    # CPU time varies between runs of a shared machine (cold caches, other work): the
    # median of every run of the lab (alone, the N students, the per-lab run).
    runs = [alone, *figures["class"]["results"]]
    samples = [r["kernel"]["cpu_s"] + r["simulator"]["cpu_s"] for r in runs]
    lab = Path(figures["notebook"]).stem
    if "cpu_s" in figures.get("labs", {}).get(lab, {}):
        samples.append(figures["labs"][lab]["cpu_s"])
    cpu_s = sorted(samples)[len(samples) // 2]
    cpu_guarantee = math.ceil(cpu_s / BURST_S / 0.05) * 0.05
    group = figures["class"]
    per_core = group["students"] / os.cpu_count()
    lab_alone = alone["lab_s"]
    lab_group = max(r["lab_s"] for r in group["results"]) if group["results"] else 0.0
    capacities = []
    for cores, gib in SERVERS:
        by_memory = int((gib - RESERVED_GIB) * 1024 // guarantee)
        by_cpu_guarantee = int(cores / cpu_guarantee + 1e-9)
        burst_s = math.ceil(min(by_memory, by_cpu_guarantee) / cores * cpu_s)
        capacities.append({"cores": cores, "gib": gib, "by_memory": by_memory,
                           "by_cpu_guarantee": by_cpu_guarantee,
                           "students": min(by_memory, by_cpu_guarantee),
                           "burst_s": burst_s})
    return {"server_mib": round(server), "kernel_mib": round(kernel_worst),
            "simulator_mib": round(simulator), "working_set_mib": round(working_set),
            "most_mib": round(most), "server_cpu_s": figures["server"]["server"]["cpu_s"],
            "memory_guarantee": _k8s_memory(guarantee), "guarantee_mib": guarantee,
            "memory_limit": _k8s_memory(limit), "limit_mib": limit,
            "cpu_guarantee": round(cpu_guarantee, 2), "cpu_limit": 1.0,
            "cpu_s_per_lab": round(cpu_s, 1), "cpu_samples": len(samples),
            "cpu_alone_s": round(samples[0], 1),
            "lab_alone_s": lab_alone, "lab_group_s": lab_group,
            "students_per_core_measured": per_core, "capacities": capacities}


def markdown(figures: dict, size: dict) -> str:
    """Return the Classroom section of BENCHMARKS.md."""
    alone = figures["alone"]["results"][0]
    group = figures["class"]
    n, env = group["students"], figures["environment"]
    lab = Path(figures["notebook"]).stem
    ok = sum(r["vm_migrated"] and r["expected_state"] for r in group["results"])
    kernels = [_mib(r["kernel"]["peak_kib"]) for r in group["results"]]
    sims = [_mib(r["simulator"]["peak_kib"]) for r in group["results"]]
    server = figures["server"]
    total = size["server_mib"] + _mib(alone["kernel"]["peak_kib"]) + size["simulator_mib"]
    failed = f" ({len(group['failures'])} did not run to the end)" if group["failures"] else ""
    measured = [
        ("students started at once", n),
        ("labs that ended in the expected state (vm-shared on ESXi_2, vMotion on both "
         "hosts, EVC set)", f"**{ok} / {n}**{failed}"),
        ("peak total memory of the kernels and simulators (sampled every 0.25 s)",
         f"{group['peak_total_mib']:.0f} MiB"),
        ("with one Jupyter server per student (measured above)",
         f"{group['peak_total_mib'] + n * size['server_mib']:.0f} MiB"),
        ("drop of the machine's MemAvailable (includes the nbclient drivers)",
         f"{group['peak_available_drop_mib']:.0f} MiB"),
        ("per kernel, peak (min / max)", f"{min(kernels):.0f} / {max(kernels):.0f} MiB"),
        ("per simulator, peak (min / max)", f"{min(sims):.0f} / {max(sims):.0f} MiB"),
        ("time per lab, wall (min / median / max)",
         _spread([r["lab_s"] for r in group["results"]]) + " s"),
        ("kernel start, wall (min / median / max)",
         _spread([r["kernel_start_s"] for r in group["results"]]) + " s"),
        (f"all {n} done after (process start to last check)", f"{group['wall_s']} s"),
        ("kernels started again after dying at start (a TCP port taken meanwhile)",
         sum(r.get("kernel_retries", 0) for r in group["results"])),
    ] if group["results"] else [("students started at once", n), ("result", "none ran")]
    caps = "\n".join(
        f"| {c['cores']} cores / {c['gib']} GiB | ({c['gib']} − {RESERVED_GIB}) × 1024 MiB ÷ "
        f"{size['guarantee_mib']} MiB = {c['by_memory']} | {c['cores']} ÷ "
        f"{size['cpu_guarantee']:g} = {c['by_cpu_guarantee']} | **{c['students']}** | "
        f"{c['students']} × {size['cpu_s_per_lab']} CPU·s ÷ {c['cores']} cores ≈ "
        f"{c['burst_s']} s |" for c in size["capacities"])
    rows = "\n".join(f"| {a} | {b} |" for a, b in measured)
    labs = figures.get("labs", {})
    every = ("### Every lab, one student each\n\nThe sizing takes the largest kernel of all "
             "labs.\n\n| lab | kernel peak | simulator peak | CPU | wall |\n|---|---|---|---|---|\n"
             + "\n".join(f"| {name} | {lab['kernel_mib']:.0f} MiB | {lab['simulator_mib']:.0f} MiB"
                         f" | {lab['cpu_s']} s | {lab['lab_s']} s |" if "kernel_mib" in lab
                         else f"| {name} | did not run: {lab['failed'][:80]} | | | |"
                         for name, lab in labs.items()) + "\n\n") if labs else ""
    other = figures.get("compare", {}).get("results") or []
    compare = (f" Another vcsim build ({_shown(figures['compare']['vcsim'])}) peaked at "
               f"{_mib(other[0]['simulator']['peak_kib']):.0f} MiB in the same lab."
               if other else "")
    return f"""## Classroom

{BEGIN}
Measured by `{figures.get('command', f'python -m tools.classroom_bench --students {n}')}` on
{env['when']}: {env['cores']} cores, {env['mem_gib']} GiB, load average {env['load_before']} before
the run (the machine is shared with other work; the run's own students raised it to
{env['load_after']}). Each student
is a process with their own HOME and LAB_STATE_DIR, hence their own simulator, the labs
copied into that home; the lab is `{figures['notebook']}`, run from the top by nbclient in
a fresh kernel; the simulator is `{_shown(figures['vcsim'])}`.{compare} Memory is each
process's peak resident set (VmHWM), CPU its user + system time, both read from /proc.

### One student

| process | peak memory | CPU time |
|---|---|---|
| Jupyter server (JupyterLab; page, settings and labs folder loaded) | {size['server_mib']} MiB | {server['server']['cpu_s']:.1f} s (start) |
| kernel running {lab} | {_mib(alone['kernel']['peak_kib']):.0f} MiB | {alone['kernel']['cpu_s']:.1f} s |
| simulator (vcsim, started and seeded by the kernel) | {size['simulator_mib']} MiB | {alone['simulator']['cpu_s']:.1f} s |
| **one student** | **{total:.0f} MiB** | **{size['cpu_alone_s']} s per lab** + server start |

Server start {server['server_start_s']} s; kernel start {alone['kernel_start_s']} s; the lab from the top
{alone['lab_s']} s (wall). Home folder after the lab: {alone['home_kib'] / 1024:.1f} MiB (the labs, the
simulator's state and datastore files). Ended in the expected state:
{'yes' if alone['vm_migrated'] and alone['expected_state'] else '**no**'}.

### {n} students at once on this {env['cores']}-core machine

| | |
|---|---|
{rows}

Alone the lab takes {size['lab_alone_s']} s; with {n} students on {env['cores']} cores
({size['students_per_core_measured']:g} per core) the slowest took {size['lab_group_s']} s. Everyone pressing
"Run all" at the same second is the worst case for a class. A kernel that dies at start
because another process took one of its TCP ports (jupyter_client picks the ports, then
the kernel binds them) is started again, as JupyterLab's restarter does: on one shared
server (TLJH) a student sees "kernel restarting" once; on Kubernetes every pod has its
own loopback, so students cannot collide.

{every}### Sizing (docker/jupyterhub/values.yaml and docker/tljh/ use these figures)

| setting | value | rule |
|---|---|---|
| memory guarantee | {size['memory_guarantee']} | (server {size['server_mib']} + kernel {size['kernel_mib']} + simulator {size['simulator_mib']} = {size['working_set_mib']} MiB) × {HEADROOM} headroom, rounded up to 64 MiB |
| memory limit | {size['memory_limit']} | (server + {KERNELS_IN_LIMIT} kernels + simulator = {size['most_mib']} MiB) × {HEADROOM}, rounded up to 256 MiB; idle kernels are culled after 30 min |
| cpu guarantee | {size['cpu_guarantee']:g} | {size['cpu_s_per_lab']} CPU·s per lab (median of the {size['cpu_samples']} runs of {lab}) ÷ {BURST_S} s (the longest wait when the whole class runs the lab at once), rounded up to 0.05 |
| cpu limit | {size['cpu_limit']:g} | one core for a student's bursts (kernel start, a migration) |

The kernel is the largest seen in these runs; the headroom covers what this benchmark does
not drive (a browser attached to the server, several notebooks and a terminal open).
M and G are binary units, as KubeSpawner and TLJH read them (1G = 1024 MiB).

### Capacity of a class server

Students with a running server at the same time, {RESERVED_GIB} GiB kept for the system, the
hub and its proxy (on Kubernetes: the node's allocatable memory instead). The burst is
the worst case: every student runs the whole lab in the same second.

| server | by memory guarantee | by CPU guarantee | students | worst burst |
|---|---|---|---|---|
{caps}

Starting every server at once costs {size['server_cpu_s']:.1f} CPU·s each (the hub starts them as
students log in, so this spreads over the first minutes). Check of the burst arithmetic
on this machine: {n} × {size['cpu_s_per_lab']} CPU·s ÷ {env['cores']} cores ≈ {math.ceil(n * size['cpu_s_per_lab'] / env['cores'])} s predicted, slowest lab
{size['lab_group_s']} s measured.
{END}
"""


def _shown(path: str) -> str:
    """Return a binary's path relative to the kit when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return path


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{ordered[0]} / {ordered[len(ordered) // 2]} / {ordered[-1]}" if ordered else "-"


def write_section(path: Path, section: str) -> None:
    """Replace (or add) the Classroom section of BENCHMARKS.md; keep everything else."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        head = head.rstrip()
        if head.endswith("## Classroom"):
            head = head[: -len("## Classroom")].rstrip()
        text = f"{head}\n\n{section.rstrip()}{tail}"
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


# --- command line -------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status (1 if a lab did not end as expected)."""
    parser = argparse.ArgumentParser(prog="python -m tools.classroom_bench",
                                     description=__doc__.split("\n\n")[0])
    actions = parser.add_subparsers(dest="action")
    one = actions.add_parser("student", help="(internal) run one student")
    one.add_argument("--notebook", type=Path, required=True)
    one.add_argument("--home", type=Path, required=True)
    parser.add_argument("--notebook", type=Path, default=None)
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--write", type=Path, help="update this BENCHMARKS.md's section")
    parser.add_argument("--json", type=Path, help="also save the raw figures here")
    parser.add_argument("--vcsim", default="", help="the vcsim binary (default: lablib's)")
    parser.add_argument("--all-labs", action="store_true",
                        help="also run every lab's solution once (one student) for its kernel")
    parser.add_argument("--compare-vcsim", default="",
                        help="also run one student with this other vcsim build")
    parser.add_argument("--compare-label", default="",
                        help="how the report names that build (default: its path)")
    args = parser.parse_args(argv)
    if args.action == "student":
        print(json.dumps(student(args.notebook, args.home)))
        return 0

    notebook = args.notebook or default_notebook()
    if notebook is None:
        print("error: no labs/en/solutions/05_*.ipynb yet; give --notebook.", file=sys.stderr)
        return 2
    load_before = os.getloadavg()[0]
    if load_before > 1.5:
        print(f"warning: load average {load_before:.2f}: the figures will be pessimistic.",
              file=sys.stderr)
    workdir = Path(tempfile.mkdtemp(prefix="vmotion-lab-classroom-"))
    try:
        figures: dict[str, Any] = {"notebook": str(notebook.resolve().relative_to(ROOT)),
                   "server": measure_server(workdir / "server")}
        figures["alone"] = run_class(notebook, 1, workdir / "alone", args.vcsim)
        figures["class"] = run_class(notebook, args.students, workdir / "class", args.vcsim)
        if args.all_labs:
            figures["labs"] = every_lab(workdir / "labs", args.vcsim)
        if args.compare_vcsim:
            figures["compare"] = run_class(notebook, 1, workdir / "compare",
                                           args.compare_vcsim)
            figures["compare"]["vcsim"] = args.compare_label or args.compare_vcsim
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    from lablib.sim.locate import find_tool

    figures["vcsim"] = args.vcsim or str(find_tool("vcsim"))
    figures["command"] = " ".join(
        ["python -m tools.classroom_bench", f"--students {args.students}"]
        + (["--all-labs"] if args.all_labs else [])
        + (["--compare-vcsim <another vcsim>"] if args.compare_vcsim else [])
        + ([f"--write {args.write.name}"] if args.write else []))
    figures["environment"] = {
        "when": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(),
        "mem_gib": round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30),
        "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2)}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    if figures["alone"]["failures"] or not figures["alone"]["results"]:
        print("error: the single student's lab failed:\n" + "\n".join(
            figures["alone"]["failures"]), file=sys.stderr)
        return 1
    size = sizing(figures)
    section = markdown(figures, size)
    print(section)
    if args.write:
        write_section(args.write, section)
    group = figures["class"]
    good = sum(r["vm_migrated"] and r["expected_state"] for r in group["results"])
    return 0 if good == group["students"] else 1


if __name__ == "__main__":
    sys.exit(main())
