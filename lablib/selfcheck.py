"""Self-study: run a student's lab notebook under nbval and say which exercises pass.

    python -m lablib check labs/en/05_migrate.ipynb      (python -m lablib.selfcheck ...)

The notebook is copied to a temporary folder without its outputs and run from the top
in a fresh kernel by nbval (`--nbval-lax --nbval-current-env`), so what is checked is
the notebook as saved, not the state of an open kernel. Each `check()` appends its
verdict to a report file (lablib.exercises.core.REPORT_ENV); the report lists every
exercise of the lab (✔ passed, ✘ wrong, ○ not done yet, ? not reached) and every cell
that failed unexpectedly. On the simulator the run uses a private simulator, stopped
at the end, so the student's own lab is left as it is; when the student's lab is a
simulator lablib did not start (LAB_SIM_URL, Docker Compose), the private one is started
from a vcsim binary or Docker, and without either the check is refused (the notebook's
first cell would reset the student's lab).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import sim
from .config import LabConfig, load
from .errors import InputError, LabError, SimulatorError
from .exercises import DONE, LABS, exercises
from .exercises.core import REPORT_ENV, role_values
from .sim.locate import find_simulator
from .text import Text, render

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
CELL_TIMEOUT_S = 300
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Verdict:
    """One exercise of the notebook: its id, status and the line its check printed."""

    exercise: str
    title: str
    status: str  # DONE, WRONG, NOT_DONE, "error" or "not reached"
    line: str = ""


@dataclass
class SelfCheck:
    """The result of checking one notebook."""

    notebook: Path
    lab: str
    lang: str
    verdicts: list[Verdict] = field(default_factory=list)
    crashed: list[str] = field(default_factory=list)  # "Cell 7: NameError: ..."
    problem: str = ""  # nbval could not run at all

    @property
    def passed(self) -> int:
        """Return how many exercises pass."""
        return sum(v.status == DONE for v in self.verdicts)

    @property
    def ok(self) -> bool:
        """Tell whether every exercise passes and no cell failed."""
        return not self.problem and not self.crashed and \
            self.passed == len(self.verdicts)

    def __str__(self) -> str:
        lines: list[Text | str] = [Text("Self-check of {nb} (lab {lab}):",
                                        "Auto-évaluation de {nb} (lab {lab}) :",
                                        nb=self.notebook, lab=self.lab)]
        if self.problem:
            lines.append(self.problem)
        for v in self.verdicts:
            lines.append(Text("  {line}", line=v.line) if v.line else Text(
                "  ? {id} not checked: its check cell did not run ({title}).",
                "  ? {id} non vérifié : sa cellule de vérification n'a pas tourné ({title}).",
                id=v.exercise, title=v.title))
        lines += [Text("  ✘ unexpected error in {cell}", "  ✘ erreur inattendue dans {cell}",
                       cell=cell) for cell in self.crashed]
        lines.append(Text("{n} of {total} exercises pass.",
                          "{n} exercice(s) réussi(s) sur {total}.", n=self.passed,
                          total=len(self.verdicts)))
        return "\n".join(render(line, self.lang) for line in lines)


def lab_of(nb, path: Path) -> tuple[str, str]:
    """Return (lab number, language) of a lab notebook, from its metadata or its path."""
    meta = nb.metadata.get("lablib", {})
    lab = meta.get("lab") or path.name[:2]
    lang = meta.get("lang") or ("fr" if "fr" in path.parts else "en")
    if lab not in LABS:
        raise InputError(f"{path} is not a lab notebook (expected a name like "
                         f"05_migrate.ipynb from labs/en or labs/fr).")
    return lab, lang if lang in ("en", "fr") else "en"


def find_notebook(path: Path) -> Path | None:
    """Return `path`, or for a relative one the same path under a parent of the folder.

    Lab 00 says `python -m lablib check labs/en/05_migrate.ipynb`; a JupyterLab terminal
    opens in labs/ or labs/en (or ~/labs in the class image), where that path is found
    from a parent folder.
    """
    if path.is_file():
        return path
    if path.is_absolute():
        return None
    return next((folder / path for folder in Path.cwd().parents
                 if (folder / path).is_file()), None)


def run(notebook: str | Path, timeout: float = CELL_TIMEOUT_S) -> SelfCheck:
    """Run `notebook` under nbval in a fresh kernel and return the exercises' verdicts.

    Raises:
        InputError: the file is missing or is not a lab notebook.
    """
    path = find_notebook(Path(notebook))
    if path is None:
        raise InputError(f"No notebook {notebook}. Give the path of a lab notebook, for "
                         "example labs/en/05_migrate.ipynb.")
    nb = nbformat.read(path, as_version=4)
    lab, lang = lab_of(nb, path)
    config = load()
    result = SelfCheck(path, lab, lang)
    with tempfile.TemporaryDirectory(prefix="vmotion-lab-check-") as tmp:
        folder = Path(tmp)
        copy = folder / path.name
        for cell in nb.cells:
            if cell.cell_type == "code":  # nothing to compare: the checks report instead
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, copy)
        (folder / "pytest.ini").write_text("[pytest]\naddopts =\n", encoding="utf-8")
        report, junit = folder / "report.jsonl", folder / "junit.xml"
        env = _environment(config, folder, report)
        private = config.uses_simulator
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pytest", str(copy), "--nbval-lax",
                 "--nbval-current-env", f"--nbval-cell-timeout={int(timeout)}",
                 "-p", "no:cacheprovider", "-c", str(folder / "pytest.ini"),
                 "--rootdir", str(folder), "-q", f"--junitxml={junit}"],
                cwd=folder, env=env, capture_output=True, text=True)
        finally:
            if private:
                sim.stop(load(env.get("LAB_CONFIG"), env=env))
        if not junit.is_file():
            result.problem = (done.stdout + done.stderr).strip()[-2000:]
        else:
            result.crashed = _crashed(junit)
        result.verdicts = _verdicts(lab, lang, config, report)
    return result


def _environment(config, folder: Path, report: Path) -> dict[str, str]:
    env = dict(os.environ)
    env[REPORT_ENV] = str(report)
    paths = [str(PACKAGE_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    if config.path:  # the kernel runs in the temporary folder: name the configuration
        env["LAB_CONFIG"] = str(Path(config.path).resolve())
    if config.uses_simulator:
        env["LAB_STATE_DIR"] = str(folder / "state")  # a private simulator
        env["LAB_SIM_DELAY_MS"] = "0"
        if config.sim.url:  # the student's lab is a simulator lablib did not start
            env.pop("LAB_SIM_URL", None)
            env["LAB_CONFIG"] = str(_without_sim_url(config, folder / "lab.toml"))
            _refuse_without_private_simulator(load(env["LAB_CONFIG"], env=env), config)
    return env


def _without_sim_url(config: LabConfig, path: Path) -> Path:
    """Write the configuration, all but [sim] url, to `path` (TOML); return the path."""
    lines = ["[target]", f"backend = {json.dumps(config.backend)}"]
    for section in ("vcenter", "scope", "sim", "roles"):
        lines.append(f"[{section}]")
        values = getattr(config, section)
        for item in dataclasses.fields(values):
            if (section, item.name) != ("sim", "url"):
                value = json.dumps(getattr(values, item.name), ensure_ascii=False)
                lines.append(f"{item.name} = {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _refuse_without_private_simulator(private: LabConfig, config: LabConfig) -> None:
    try:
        find_simulator(private)
    except SimulatorError:
        where = config.sim.url.partition("://")[2].rpartition("@")[2]
        raise SimulatorError(
            "lablib check runs the notebook from the top, and its first cell would reset "
            f"your lab: the simulator at LAB_SIM_URL ({where}), which the check must not "
            "touch. It needs a private simulator and found no way to start one here (no "
            "vcsim binary, no Docker). Build one with `make sim-tools` (or set LAB_SIM_BIN "
            "to a vcsim binary), or run the notebook yourself in JupyterLab (Run All) and "
            "read its check cells.") from None


def _crashed(junit: Path) -> list[str]:
    found = []
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        for failure in list(case.findall("failure")) + list(case.findall("error")):
            text = _ANSI.sub("", (failure.get("message") or "") + "\n" + (failure.text or ""))
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            errors = [line for line in lines if re.match(r"^\w+(Error|Exception|Failed)\b", line)]
            found.append(f"{case.get('name')}: {(errors or lines or ['?'])[-1][:300]}")
    return found


def _verdicts(lab: str, lang: str, config, report: Path) -> list[Verdict]:
    seen = {}
    if report.is_file():
        for line in report.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            seen[entry["exercise"]] = entry
    names = role_values(config.roles)
    verdicts = []
    for ex in exercises(lab):
        entry = seen.get(ex.id)
        title = ex.title.fill(**names).render(lang)
        if entry is None:
            verdicts.append(Verdict(ex.id, title, "not reached"))
        else:
            verdicts.append(Verdict(ex.id, title, entry["status"], entry["line"]))
    return verdicts


def main(argv: list[str] | None = None) -> int:
    """Check each notebook given on the command line; exit 0 when all pass."""
    parser = argparse.ArgumentParser(
        prog="python -m lablib check",
        description="Run your lab notebook from the top and say which exercises pass.")
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK",
                        help="a lab notebook, e.g. labs/en/05_migrate.ipynb")
    parser.add_argument("--timeout", type=float, default=CELL_TIMEOUT_S,
                        help=f"seconds allowed per cell (default {CELL_TIMEOUT_S})")
    args = parser.parse_args(argv)
    status = 0
    for notebook in args.notebooks:
        try:
            result = run(notebook, args.timeout)
        except LabError as error:
            print(f"error: {error}", file=sys.stderr)
            status = 2
            continue
        print(result)
        status = max(status, 0 if result.ok else 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
