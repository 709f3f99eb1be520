"""Teaching a class: each student's labs, their self-check results, their footprint.

    python -m lablib.classroom init-home                 # copy the labs into ~/labs (no overwrite)
    python -m lablib.classroom report ~/labs/en/05_*.ipynb        # one student's results (JSON)
    python -m lablib.classroom collect /home/*/labs --csv class.csv   # the whole class

Every student has their own simulator (lablib.sim: one per state directory, on a port the
kernel picks, with a per-run password), so a class needs no shared service: this module
only helps the instructor around it. `init-home` runs when a student's server starts
(docker/Dockerfile's entrypoint, the JupyterHub postStart hook, TLJH's /etc/skel): it
copies the labs the student does not have yet and never overwrites a file, so their work
survives restarts and image updates bring new labs. `report` and `collect` read the
verdict lines (✔ done, ✘ wrong, ○ not done yet) that `check()` cells left in the saved
notebooks; they execute nothing, so an instructor can run them over every home safely.
`report --run` re-runs the notebook in a fresh kernel (lablib.selfcheck): run it as the
student, in their own server, never as the instructor over students' code. For lab 09
they add which broken lab each student drew, whether they fixed it and how many hints
they saw, from the record the lab keeps in the student's state folder (read as data).

The footprint helpers read /proc (Linux): peak resident memory (VmHWM) and CPU time of
a process, which `python -m tools.classroom_bench` uses to size the class servers.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import pwd
import re
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from .table import Table

if TYPE_CHECKING:
    from .config import Roles
    from .lab import Lab
    from .vmotion.relocation import MigrationResult

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
#: Where the single-user image keeps the pristine labs (docker/Dockerfile).
IMAGE_LABS = Path("/opt/vmotion-lab/labs")
LABS_SOURCE_ENV = "LAB_LABS_SOURCE"
_VERDICT = re.compile(r"^([✔✘○]) (\d\d\.\d+) ")
_STATUS = {"✔": "done", "✘": "wrong", "○": "not done"}
_SKIP = {".ipynb_checkpoints", "__pycache__"}
_NOT_FOR_STUDENTS = {"src", "conftest.py"}  # the notebooks' sources and nbval's set-up


# --- the labs in each student's home ------------------------------------------------------

def labs_source() -> Path:
    """Return the folder the labs are copied from: $LAB_LABS_SOURCE, the image's, the kit's."""
    if os.environ.get(LABS_SOURCE_ENV):
        return Path(os.environ[LABS_SOURCE_ENV]).expanduser()
    return IMAGE_LABS if IMAGE_LABS.is_dir() else PACKAGE_ROOT / "labs"


def install_labs(source: Path, destination: Path) -> list[Path]:
    """Copy the lab files missing from `destination`; never overwrite an existing file.

    A student's edited notebook stays as it is; a notebook they deleted (to start it
    over) or one a newer image adds is copied. Returns the files copied.
    """
    copied = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if not path.is_file() or (_SKIP | _NOT_FOR_STUDENTS) & set(relative.parts):
            continue
        target = destination / relative
        if target.exists() or target.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "rb") as src, open(target, "xb") as out:  # "x": never clobber
                shutil.copyfileobj(src, out)
        except FileExistsError:  # another start hook copied it meanwhile
            continue
        copied.append(target)
    return copied


# --- the lab 05 steps, scripted (isolation tests and the benchmark's cross-check) ---------

@dataclass(frozen=True)
class LabState:
    """What the course's labs change: vMotion per host, the EVC mode, where the VMs run."""

    vmotion: dict[str, list[str]]
    evc_mode: str
    placement: dict[str, str]  # VM -> host

    @classmethod
    def read(cls, lab: Lab) -> LabState:
        """Read the state of `lab` (four short calls)."""
        roles = lab.roles
        hosts = (roles.source_host, roles.destination_host)
        return cls({h: sorted(lab.vmotion_vmks(h)) for h in hosts}, lab.evc_mode(),
                   {vm: lab.placement(vm).host for vm in (roles.vm, roles.local_vm)})

    @classmethod
    def initial(cls, roles: Roles) -> LabState:
        """Return the course's initial state (vMotion nowhere, EVC off, VMs on the source)."""
        return cls({roles.source_host: [], roles.destination_host: []}, "",
                   {roles.vm: roles.source_host, roles.local_vm: roles.source_host})

    @classmethod
    def after_lab05(cls, roles: Roles, evc_mode: str = "intel-cascadelake") -> LabState:
        """Return the state lab 05 ends in: the shared VM runs on the destination host."""
        return cls({roles.source_host: ["vmk0"], roles.destination_host: ["vmk0"]}, evc_mode,
                   {roles.vm: roles.destination_host, roles.local_vm: roles.source_host})


def run_lab05(lab: Lab, evc_mode: str = "intel-cascadelake") -> MigrationResult:
    """Do what lab 05 does, through the public Lab API; return the MigrationResult.

    vMotion on vmk0 of both hosts (lab 03), EVC at the older host's generation with the
    VMs power-cycled so they take the baseline (lab 04), then the running VM migrated to
    the destination host, "Change compute resource only" (lab 05).
    """
    roles = lab.roles
    for host in (roles.source_host, roles.destination_host):
        lab.enable_vmotion(host)
    for vm in (roles.vm, roles.local_vm):
        lab.power_off(vm)
    lab.configure_evc(evc_mode)
    for vm in (roles.vm, roles.local_vm):
        lab.power_on(vm)
    return lab.migrate(roles.vm, host=roles.destination_host)


# --- self-check results across students ---------------------------------------------------

@dataclass
class Results:
    """One student's verdicts in one lab notebook."""

    student: str
    notebook: str
    lab: str
    lang: str
    verdicts: dict[str, str] = field(default_factory=dict)  # "05.1" -> done / wrong / ...
    source: str = "saved outputs"
    problem: str = ""
    details: dict = field(default_factory=dict)  # lab 09: ticket, scenarios, solved, hints

    @property
    def passed(self) -> int:
        """Return how many exercises are done."""
        return sum(status == "done" for status in self.verdicts.values())


def student_of(path: Path) -> str:
    """Return the student a notebook belongs to: the folder holding their `labs`, or its owner.

    TLJH's home folders are /home/jupyter-<user> and Z2JH's volumes claim-<user>: the
    prefix is dropped, so the name is the JupyterHub user name.
    """
    for folder in path.resolve().parents:
        if folder.name == "labs" and folder.parent.name:
            return re.sub(r"^(jupyter-|claim-)", "", folder.parent.name)
    try:
        return pwd.getpwuid(path.stat().st_uid).pw_name
    except KeyError:
        return str(path.stat().st_uid)


def saved_results(path: Path, student: str | None = None) -> Results:
    """Read the verdict lines the notebook's check cells printed when last run and saved.

    Nothing is executed. A notebook never run shows its exercises "not done" (the lab
    ships with the not-done lines as outputs).
    """
    from .exercises import exercises
    from .selfcheck import lab_of

    nb = nbformat.read(path, as_version=4)
    lab, lang = lab_of(nb, path)
    results = Results(student or student_of(path), str(path), lab, lang)
    for ex in exercises(lab):
        results.verdicts[ex.id] = "not reached"
    if lab == "09":
        results.details = lab09_details(lab09_record_path(path))
    for cell in nb.cells:
        if cell.cell_type != "code" or "check(" not in cell.source:
            continue
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            for line in (text if isinstance(text, str) else "".join(text)).splitlines():
                found = _VERDICT.match(line.strip())
                if found and found.group(2) in results.verdicts:
                    results.verdicts[found.group(2)] = _STATUS[found.group(1)]
    return results


def run_results(path: Path, student: str | None = None) -> Results:
    """Re-run the notebook in a fresh kernel (lablib.selfcheck) and return its verdicts."""
    from . import selfcheck

    checked = selfcheck.run(path)
    results = Results(student or current_student(), str(path), checked.lab, checked.lang,
                      {v.exercise: v.status for v in checked.verdicts}, "fresh run",
                      checked.problem or "; ".join(checked.crashed))
    return results


# --- lab 09: which broken lab each student drew, solved or not, how many hints -----------

LAB09_RECORD = "lab09.json"  # lablib.troubleshoot.record.FILE, in the lab's state folder
_RECORD_LIMIT = 1 << 20


def lab09_record_path(notebook: Path) -> Path:
    """Return where the student's lab 09 record is: their lab state folder.

    For a notebook in someone's ~/labs, their default state folder
    (~/.local/state/vmotion-lab); for this user's own notebooks, the configured one.
    """
    for folder in notebook.resolve().parents:
        if folder.name == "labs" and folder.parent.name:
            home = folder.parent
            if home == Path.home():
                break
            return home / ".local" / "state" / "vmotion-lab" / LAB09_RECORD
    from .config import load
    return load().state_dir / LAB09_RECORD


def lab09_details(path: Path) -> dict:
    """Return a student's lab 09 record as the instructor's table shows it ({} if none).

    Read as data only (another user's file, opened without following links, size bounded):
    the ticket, the seed and level, the scenarios drawn, whether 09.2 passed, the hints.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as source:
            data = json.loads(source.read(_RECORD_LIMIT))
        results = data.get("results", {})
        return {"ticket": str(data["ticket"]), "seed": str(data["seed"]),
                "level": int(data["level"]),
                "scenarios": [str(s) for s in data["scenarios"]],
                "solved": results.get("09.2", {}).get("status") == "done",
                "hints": sum(int(r.get("hints", 0)) for r in results.values())}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return {"problem": f"{type(exc).__name__} reading {path.name}"}


def details_text(details: dict) -> str:
    """Return a lab 09 record in one line: "09-4F2A cdrom-iso: solved, 2 hints"."""
    if not details:
        return ""
    if "problem" in details:
        return details["problem"]
    state = "solved" if details["solved"] else "not solved"
    return (f"{details['ticket']} {' + '.join(details['scenarios'])} (seed "
            f"{details['seed']}, level {details['level']}): {state}, {details['hints']} hint(s)")


def current_student() -> str:
    """Return the JupyterHub user name of this server, else the login name."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


def lab_notebooks(paths: list[Path]) -> list[Path]:
    """Expand folders into the lab notebooks they hold (students' copies, not solutions)."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("[0-9][0-9]_*.ipynb")
                            if not _SKIP & set(p.parts) and "solutions" not in p.parts)
        else:
            found.append(path)
    return found


def collect(paths: list[Path]) -> list[Results]:
    """Gather results from notebooks, folders of notebooks and `report` JSON-lines files."""
    gathered = []
    for path in lab_notebooks(paths):
        if path.suffix in (".jsonl", ".json"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    gathered.append(Results(**json.loads(line)))
            continue
        try:
            gathered.append(saved_results(path))
        except Exception as exc:  # one unreadable notebook must not hide the class
            gathered.append(Results(student_of(path), str(path), "?", "?",
                                    problem=f"{type(exc).__name__}: {exc}"[:300]))
    return gathered


def class_table(results: list[Results]) -> Table:
    """Return one row per student and lab: how many exercises pass, and which do not."""
    rows = []
    for r in sorted(results, key=lambda r: (r.lab, r.student, r.lang)):
        missing = [f"{ex} {status}" for ex, status in r.verdicts.items() if status != "done"]
        rows.append([r.student, r.lab, r.lang, f"{r.passed}/{len(r.verdicts)}",
                     r.problem or ", ".join(missing) or "all done", r.source,
                     details_text(r.details)])
    return Table("Self-check results", ["student", "lab", "lang", "done", "to do", "from",
                                        "lab 09 ticket"],
                 rows, ["Saved outputs show what each student last ran and saved; "
                        "`report --run` re-runs a notebook for a verified result. Lab 09's "
                        "ticket, scenarios, result and hints come from the student's "
                        "~/.local/state/vmotion-lab/lab09.json."])


def write_csv(results: list[Results], path: Path) -> None:
    """Write one row per student, lab and exercise."""
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["student", "lab", "lang", "exercise", "status", "notebook", "from",
                         "lab 09 ticket"])
        for r in results:
            for exercise, status in (r.verdicts or {"": r.problem}).items():
                writer.writerow([r.student, r.lab, r.lang, exercise, status, r.notebook,
                                 r.source, details_text(r.details)])


# --- footprint (Linux /proc) --------------------------------------------------------------

@dataclass(frozen=True)
class ProcessUsage:
    """Peak and current resident memory (KiB) and CPU seconds of one process."""

    pid: int
    name: str
    peak_kib: int
    rss_kib: int
    cpu_s: float


def process_usage(pid: int) -> ProcessUsage | None:
    """Read VmHWM, VmRSS and user+system CPU (its own and its reaped children's)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    # Fields after the command name (which may hold spaces) — proc(5): utime is field 14.
    fields = stat.rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return ProcessUsage(pid, values.get("Name", "?").strip(),
                        int(values.get("VmHWM", "0 kB").split()[0]),
                        int(values.get("VmRSS", "0 kB").split()[0]),
                        ticks / os.sysconf("SC_CLK_TCK"))


def descendants(pid: int) -> list[int]:
    """Return the pids of every live descendant of `pid` (children first)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss_mib(pids) -> float:
    """Return the resident memory of these processes now, in MiB."""
    usages = [process_usage(pid) for pid in pids]
    return sum(u.rss_kib for u in usages if u) / 1024


# --- command line -------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """Run `python -m lablib.classroom`; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tools.classroom",
                                     description="Help an instructor run the labs for a class.")
    actions = parser.add_subparsers(dest="action", required=True)
    init = actions.add_parser("init-home", help="copy the labs into ~/labs (never overwrites)")
    init.add_argument("--source", type=Path, help="the pristine labs (default: the image's)")
    init.add_argument("--to", type=Path, default=Path.home() / "labs", help="default ~/labs")
    report = actions.add_parser("report", help="one student's results, as JSON lines")
    report.add_argument("notebooks", nargs="+", type=Path,
                        help="lab notebooks, or folders of them (e.g. ~/labs)")
    report.add_argument("--run", action="store_true",
                        help="re-run each notebook in a fresh kernel (as the student only)")
    gather = actions.add_parser("collect", help="the whole class's results, as a table")
    gather.add_argument("paths", nargs="+", type=Path,
                        help="homes, lab folders, notebooks, or files written by `report`")
    gather.add_argument("--lab", help="only this lab, e.g. 05")
    gather.add_argument("--csv", type=Path, help="also write one row per exercise here")
    args = parser.parse_args(argv)

    if args.action == "init-home":
        source = args.source or labs_source()
        if not source.is_dir():
            print(f"error: no labs in {source}; set {LABS_SOURCE_ENV}.", file=sys.stderr)
            return 2
        copied = install_labs(source, args.to)
        print(f"{len(copied)} lab file(s) copied into {args.to}; existing files kept.")
        return 0
    if args.action == "report":
        for notebook in lab_notebooks(args.notebooks):
            results = run_results(notebook) if args.run \
                else saved_results(notebook, current_student())
            print(json.dumps(asdict(results), ensure_ascii=False))
        return 0
    gathered = [r for r in collect(args.paths) if not args.lab or r.lab == args.lab]
    print(class_table(gathered))
    if args.csv:
        write_csv(gathered, args.csv)
        print(f"Wrote {args.csv}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
