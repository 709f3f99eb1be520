"""Build the lab notebooks from their one source each: labs/src/NN_topic.py.

    python -m tools.labsource            # (re)write labs/{en,fr}/[solutions/]NN_topic.ipynb
    python -m tools.labsource --check    # exit 1 and name the stale notebooks

A source is a py-percent file (`# %%` starts a code cell, `# %% [markdown]` a text cell,
`# %% tags=["raises-exception"]` adds cell tags), the only file authors edit
(docs/teaching.md C1). From it come four notebooks: English and French,
student and solution versions.

- Text cells hold both languages: lines after `[en]` or `[fr]` belong to one language,
  lines after `[all]` (and before any marker) to both.
- Code is shared. A comment line `# [fr] ...` or `# [en] ...` stays in one language only;
  `{{lang}}` becomes "en" or "fr" everywhere.
- A solution region, `### BEGIN SOLUTION` ... `### END SOLUTION` (nbgrader's markers),
  stays in the solution version. The student version replaces it with
  `your_turn("NN.k")`, which shows one calm line ("✎ NN.k Your turn: ...", from the
  exercise's `todo` text) and raises nothing, so Run All goes on and the check that
  follows says "not done yet".
- A check cell, calling `check("NN.k"...)`, gets the cell tag `nbval-check-output` (the
  student never sees a test marker) and the output nbval compares: the exercise's success
  line (solution version) or its "not done yet" line (student version), both taken from
  the exercise registry, so the expected text has one source and regenerating needs no
  kernel.

The notebooks are deterministic: cell ids derive from the lab and the cell's position, the
metadata is fixed, and only check cells carry outputs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from lablib.errors import LabError
from lablib.exercises import DONE, LABS, NOT_DONE, exercise, exercises, expected_line

REPO = Path(__file__).resolve().parents[1]
LANGS = ("en", "fr")
VERSIONS = ("student", "solution")
MAX_CODE_LINE = 80

_HEADER = re.compile(r"^# %%(?P<md> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")
_LANG_LINE = re.compile(r"^(?P<indent>\s*)# \[(?P<lang>en|fr)\] ?(?P<text>.*)$")
_BLOCK = re.compile(r"^\[(en|fr|all)\]$")
_CHECK = re.compile(r"""^\s*check\(["'](?P<id>\d\d\.\d+)["']""", re.M)
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CHECK_TAG = "nbval-check-output"
_MARKER = re.compile(r"^\s*#\s*(NBVAL_|PYTEST_VALIDATE_)\w*", re.M)

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

_STUB = {
    "en": ("# YOUR CODE HERE (replace these two lines)", 'your_turn("{id}")'),
    "fr": ("# VOTRE CODE ICI (remplacez ces deux lignes)", 'your_turn("{id}")'),
}
_IMPORTS_YOUR_TURN = re.compile(r"^from lablib\.exercises import .*\byour_turn\b", re.M)


class SourceError(ValueError):
    """A lab source breaks one of the rules above; the message names the file and cell."""


@dataclass
class Cell:
    """One cell of a source: its kind, tags and raw lines."""

    kind: str  # "markdown" or "code"
    tags: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    line_no: int = 0

    @property
    def source(self) -> str:
        return "\n".join(self.lines)


def parse(text: str, name: str = "<source>") -> list[Cell]:
    """Split a py-percent source into cells; text before the first `# %%` is ignored."""
    cells: list[Cell] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("# %%"):
            match = _HEADER.match(line)
            if not match:
                raise SourceError(f"{name}:{number}: cannot read the cell header {line!r}")
            tags = json.loads(match["tags"]) if match["tags"] else []
            cells.append(Cell("markdown" if match["md"] else "code", tags, [], number))
        elif cells:
            cells[-1].lines.append(line)
    for cell in cells:
        while cell.lines and not cell.lines[-1].strip():
            cell.lines.pop()
        while cell.lines and not cell.lines[0].strip():
            cell.lines.pop(0)
        if cell.kind == "markdown":
            cell.lines = [_uncomment(line, name, cell.line_no) for line in cell.lines]
    return cells


def _uncomment(line: str, name: str, number: int) -> str:
    if line == "#":
        return ""
    if not line.startswith("# "):
        raise SourceError(f"{name}: the text cell at line {number} has a line that does not "
                          f"start with '# ': {line!r}")
    return line[2:]


def _markdown(lines: list[str], lang: str) -> str:
    keep, out = True, []
    for line in lines:
        block = _BLOCK.match(line.strip())
        if block:
            keep = block[1] in ("all", lang)
            continue
        if keep:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    return "\n".join(out)


def _code(lines: list[str], lang: str) -> list[str]:
    out = []
    for line in lines:
        match = _LANG_LINE.match(line)
        if match is None:
            out.append(line)
        elif match["lang"] == lang:
            out.append(f"{match['indent']}# {match['text']}".rstrip())
    return out


def _student(lines: list[str], exercise_id: str, lang: str) -> list[str]:
    out: list[str] = []
    inside = False
    for line in lines:
        if line.strip() == BEGIN:
            inside = True
            indent = line[:len(line) - len(line.lstrip())]
            out.extend(indent + stub.format(id=exercise_id) for stub in _STUB[lang])
        elif line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    return out


def _has_solution(cell: Cell) -> bool:
    return cell.kind == "code" and any(line.strip() == BEGIN for line in cell.lines)


def _check_id(cell: Cell) -> str | None:
    if cell.kind != "code":
        return None
    match = _CHECK.search(cell.source)
    return match["id"] if match else None


def validate(cells: list[Cell], lab: str, name: str) -> dict[int, str]:
    """Check a source's exercises against the registry; return {exercise cell: id}.

    Raises:
        SourceError: a solution region has no check after it, a cell carries a test
            marker, an exercise is checked twice or never, the stubs' your_turn is not
            imported, or a code line is too long.
    """
    solutions: dict[int, str] = {}
    pending: int | None = None
    checked: list[str] = []
    for index, cell in enumerate(cells):
        where = f"{name}: cell at line {cell.line_no}"
        if cell.kind == "code":
            for line in _code(cell.lines, "en") + _code(cell.lines, "fr"):
                if len(line) > MAX_CODE_LINE:
                    raise SourceError(f"{where}: code line longer than {MAX_CODE_LINE} "
                                      f"characters: {line!r}")
        begins = sum(line.strip() == BEGIN for line in cell.lines)
        ends = sum(line.strip() == END for line in cell.lines)
        if begins != ends:
            raise SourceError(f"{where}: {begins} {BEGIN} but {ends} {END}")
        marker = _MARKER.search(cell.source) if cell.kind == "code" else None
        if marker:
            raise SourceError(f"{where}: no test marker in a cell's code ({marker[0].strip()}): "
                              "students would see it; the generator tags check cells")
        exercise_id = _check_id(cell)
        if exercise_id:
            if exercise_id.split(".")[0] != lab:
                raise SourceError(f"{where}: exercise {exercise_id} is not of lab {lab}")
            try:
                exercise(exercise_id)
            except LabError as error:
                raise SourceError(f"{where}: {error}") from None
            if exercise_id in checked:
                raise SourceError(f"{where}: exercise {exercise_id} is checked twice")
            checked.append(exercise_id)
            if pending is not None:
                solutions[pending] = exercise_id
                pending = None
        if _has_solution(cell):
            if exercise_id:
                raise SourceError(f"{where}: keep the solution and the check in two cells")
            if pending is not None:
                raise SourceError(f"{where}: the solution cell before it has no check cell")
            pending = index
    if pending is not None:
        raise SourceError(f"{name}: the last solution cell has no check cell after it")
    if solutions and not any(_IMPORTS_YOUR_TURN.search(c.source) for c in cells
                             if c.kind == "code"):
        raise SourceError(f"{name}: the student stubs call your_turn(): import it "
                          "(from lablib.exercises import check, prepare, your_turn)")
    missing = [e.id for e in exercises(lab) if e.id not in checked]
    if missing:
        raise SourceError(f"{name}: no check cell for exercise(s) {', '.join(missing)}")
    return solutions


def render(path: Path, lang: str, version: str) -> nbformat.NotebookNode:
    """Return the notebook of one source in `lang` ("en", "fr"), `version` student/solution."""
    name = path.stem
    lab = name[:2]
    if LABS.get(lab) != name:
        raise SourceError(f"{path.name}: lab sources are named after "
                          f"lablib.exercises.LABS ({LABS.get(lab, 'NN_topic')}.py)")
    cells = parse(path.read_text(encoding="utf-8"), path.name)
    solutions = validate(cells, lab, path.name)
    status = DONE if version == "solution" else NOT_DONE
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"},
                   "lablib": {"lab": lab, "lang": lang, "version": version}}
    count = 0
    for index, cell in enumerate(cells):
        cell_id = f"lab{lab}-{index:02d}"
        tags = list(cell.tags)
        if cell.kind == "markdown":
            text = _markdown(cell.lines, lang).replace("{{lang}}", lang)
            out = nbformat.v4.new_markdown_cell(text, id=cell_id)
        else:
            lines = _code(cell.lines, lang)
            if index in solutions and version == "student":
                lines = _student(lines, solutions[index], lang)
            out = nbformat.v4.new_code_cell("\n".join(lines).replace("{{lang}}", lang),
                                            id=cell_id)
            exercise_id = _check_id(cell)
            if exercise_id:
                tags.append(CHECK_TAG)
                count += 1
                out.execution_count = count
                out.outputs = [nbformat.v4.new_output(
                    "execute_result", {"text/plain": expected_line(exercise_id, status, lang)},
                    execution_count=count)]
        if tags:
            out.metadata["tags"] = sorted(set(tags))
        nb.cells.append(out)
    nbformat.validate(nb)
    return nb


def target(out_dir: Path, name: str, lang: str, version: str) -> Path:
    """Return where a generated notebook goes: <out>/<lang>/[solutions/]<name>.ipynb."""
    folder = out_dir / lang / ("solutions" if version == "solution" else "")
    return folder / f"{name}.ipynb"


def build(src_dir: Path | None = None, out_dir: Path | None = None) -> dict[Path, str]:
    """Return {path: notebook text} for every source, language and version."""
    src_dir = src_dir or REPO / "labs" / "src"
    out_dir = out_dir or REPO / "labs"
    sources = sorted(src_dir.glob("[0-9][0-9]_*.py"))
    if not sources:
        raise SourceError(f"no lab sources (NN_topic.py) in {src_dir}")
    files = {}
    for path in sources:
        for lang in LANGS:
            for version in VERSIONS:
                nb = render(path, lang, version)
                files[target(out_dir, path.stem, lang, version)] = nbformat.writes(nb) + "\n"
    return files


def stale(src_dir: Path | None = None, out_dir: Path | None = None) -> list[Path]:
    """Return the generated notebooks that differ from what their sources give."""
    found = []
    for path, text in build(src_dir, out_dir).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            found.append(path)
    return found


def write(src_dir: Path | None = None, out_dir: Path | None = None) -> list[Path]:
    """Write every generated notebook that changed; return the paths written."""
    written = []
    for path, text in build(src_dir, out_dir).items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Run the generator from the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tools.labsource",
                                     description="Build the lab notebooks from labs/src.")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a generated notebook is stale")
    parser.add_argument("--src", type=Path, help="source folder (default labs/src)")
    parser.add_argument("--out", type=Path, help="output folder (default labs)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            old = stale(args.src, args.out)
            for path in old:
                print(f"stale: {_shown(path)}")
            if old:
                print("Run `python -m tools.labsource` and commit the notebooks.")
            return 1 if old else 0
        for path in write(args.src, args.out):
            print(f"wrote {_shown(path)}")
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
