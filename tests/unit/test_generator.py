"""The lab notebooks are generated from labs/src, fresh, clean and well formed."""

import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from lablib.exercises import LABS, exercises, expected_line
from tools import labsource

REPO = Path(__file__).resolve().parents[2]
LABS_DIR = REPO / "labs"


def _committed() -> list[Path]:
    """Return the notebooks git tracks under labs/ (every one on disk outside a checkout)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", "labs/*.ipynb"], cwd=REPO,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return sorted(p for p in LABS_DIR.rglob("*.ipynb")
                      if ".ipynb_checkpoints" not in p.parts)
    return sorted(REPO / name for name in listed.split("\0") if name)


COMMITTED = _committed()
SOURCES = sorted((LABS_DIR / "src").glob("[0-9][0-9]_*.py"))


def test_every_source_gives_four_notebooks_and_nothing_else_is_committed():
    expected = {labsource.target(LABS_DIR, src.stem, lang, version)
                for src in SOURCES for lang in labsource.LANGS for version in labsource.VERSIONS}
    assert set(COMMITTED) == expected
    assert {src.stem for src in SOURCES} <= set(LABS.values())


def test_regenerating_into_a_temporary_folder_gives_the_same_bytes(tmp_path):
    written = labsource.write(out_dir=tmp_path)
    assert len(written) == len(COMMITTED)
    for path in written:
        committed = LABS_DIR / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), \
            f"{committed.relative_to(REPO)} is stale: run `python -m tools.labsource`"
    assert labsource.stale() == []


def test_check_mode_reports_a_stale_notebook(tmp_path, capsys):
    labsource.write(out_dir=tmp_path)
    victim = sorted(tmp_path.rglob("*.ipynb"))[0]
    victim.write_text(victim.read_text(encoding="utf-8").replace("vMotion", "vmotion"),
                      encoding="utf-8")
    assert labsource.main(["--check", "--out", str(tmp_path)]) == 1
    assert "stale:" in capsys.readouterr().out


_ABSOLUTE = re.compile(r"(?<![\w.])(/home/|/Users/|/root/|/tmp/|/work/|/var/|[A-Za-z]:\\)")
_SECRET = re.compile(r"""(://[^/\s:@'"]+:[^/\s@'"]+@|(pwd|password)\s*=\s*["'][^"']+["']|"""
                     r"""-Password\s+\S+|GOVC_PASSWORD=\S+)""", re.I)


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(LABS_DIR)))
def test_committed_notebooks_are_clean(path):
    text = path.read_text(encoding="utf-8")
    assert not _ABSOLUTE.search(text), _ABSOLUTE.search(text)
    assert not _SECRET.search(text), _SECRET.search(text)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert set(nb.metadata) == {"kernelspec", "language_info", "lablib"}
    assert nb.metadata.kernelspec.name == "python3"
    ids = [cell.id for cell in nb.cells]
    assert len(set(ids)) == len(ids)
    for cell in nb.cells:
        assert set(cell.metadata) <= {"tags"}
        if cell.cell_type != "code":
            _inline_code_on_one_line(cell.source)
            continue
        assert "NBVAL" not in cell.source   # test markers live in the cell's tags
        is_check = labsource.CHECK_TAG in cell.metadata.get("tags", [])
        assert is_check == bool(re.search(r'^check\("\d\d\.\d+"', cell.source, re.M))
        if not is_check:
            assert cell.outputs == [] and cell.execution_count is None, cell.source
            continue
        # Only check cells carry an output: the one line nbval compares.
        assert len(cell.outputs) == 1 and cell.execution_count is not None
        output = cell.outputs[0]
        assert output.output_type == "execute_result"
        assert set(output.data) == {"text/plain"}
        assert "\n" not in output.data["text/plain"]
        for line in cell.source.splitlines():
            assert len(line) <= labsource.MAX_CODE_LINE


def _inline_code_on_one_line(markdown: str) -> None:
    fenced = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            assert line.count("`") % 2 == 0, f"inline code split over two lines: {line!r}"


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(LABS_DIR)))
def test_check_outputs_come_from_the_registry(path):
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.lablib
    status = "done" if meta.version == "solution" else "not done"
    checked = []
    for cell in nb.cells:
        match = re.search(r'check\("(\d\d\.\d+)"', cell.source) if cell.cell_type == "code" \
            else None
        if match and labsource.CHECK_TAG in cell.metadata.get("tags", []):
            checked.append(match[1])
            assert cell.outputs[0].data["text/plain"] == \
                expected_line(match[1], status, meta.lang)
    assert checked == [e.id for e in exercises(meta.lab)]


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(LABS_DIR)))
def test_student_versions_hide_the_solutions(path):
    nb = nbformat.read(path, as_version=4)
    student = nb.metadata.lablib.version == "student"
    for cell in nb.cells:
        has_solution = labsource.BEGIN in cell.source
        stub = "your_turn(" in cell.source
        assert "NotImplementedError" not in cell.source
        if student:
            assert not has_solution
            if stub:   # a calm line, not an error: Run All goes on
                assert "raises-exception" not in cell.metadata.get("tags", [])
        else:
            assert not stub
            if has_solution:
                assert "raises-exception" not in cell.metadata.get("tags", [])


_SHAPE = {
    "en": ("# Lab {lab} — ", r"\*\*Estimated time: (\d+) minutes\*\*", "## Overview",
           "## Setup", "## Summary", "## Exercises"),
    "fr": ("# Lab {lab} — ", r"\*\*Durée estimée : (\d+) minutes\*\*", "## Vue d'ensemble",
           "## Mise en place", "## Résumé", "## Exercices"),
}


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(LABS_DIR)))
def test_labs_follow_the_notebook_skeleton(path):
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.lablib
    title, minutes, *headings = _SHAPE[meta.lang]
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert nb.cells[0].source.startswith(title.format(lab=meta.lab))
    found = re.search(minutes, nb.cells[0].source)
    assert found and 15 <= int(found[1]) <= 45
    positions = [text.find("\n" + h + "\n") for h in headings]
    assert -1 not in positions and positions == sorted(positions), headings
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "lablib.connect()" in first_code.source and f'prepare(lab, "{meta.lab}")' in \
        first_code.source
    assert f'set_language("{meta.lang}")' in first_code.source


# -- the source format, on small sources ---------------------------------------------------

SOURCE = '''# header comment, ignored
# %% [markdown]
# Shared title
# [en]
# English text {{lang}}
# [fr]
# Texte français
# [all]
# Both

# %%
from lablib.exercises import check, your_turn
x = 1  # kept
# [en] an English comment
# [fr] un commentaire français
print("{{lang}}")

# %% tags=["nbval-ignore-output"]
host_of_vm = None
### BEGIN SOLUTION
host_of_vm = "ESXi_1"
### END SOLUTION

# %%
check("00.1", host_of_vm)

# %%
check("00.3", "ESXi_2")

# %%
shared_datastore = None
    ### BEGIN SOLUTION
shared_datastore = "SharedDS"
    ### END SOLUTION

# %%
check("00.2", shared_datastore)
'''


def _source(tmp_path, text=SOURCE, name="00_setup.py"):
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / name).write_text(text, encoding="utf-8")
    return src / name


def test_languages_solutions_and_checks(tmp_path):
    path = _source(tmp_path)
    fr_student = labsource.render(path, "fr", "student")
    en_solution = labsource.render(path, "en", "solution")
    md, code, exercise, check = fr_student.cells[:4]
    assert md.source == "Shared title\nTexte français\nBoth"
    assert en_solution.cells[0].source == "Shared title\nEnglish text en\nBoth"
    assert code.source == ('from lablib.exercises import check, your_turn\nx = 1  # kept\n'
                           '# un commentaire français\nprint("fr")')
    assert en_solution.cells[1].source == ('from lablib.exercises import check, your_turn\n'
                                           'x = 1  # kept\n# an English comment\nprint("en")')
    assert "### BEGIN SOLUTION" not in exercise.source
    assert exercise.source == ('host_of_vm = None\n# VOTRE CODE ICI (remplacez ces deux lignes)\n'
                               'your_turn("00.1")')
    assert exercise.metadata.tags == ["nbval-ignore-output"]   # no raises-exception
    assert check.metadata.tags == ["nbval-check-output"] and "NBVAL" not in check.source
    assert en_solution.cells[2].metadata.tags == ["nbval-ignore-output"]
    assert "### BEGIN SOLUTION" in en_solution.cells[2].source
    assert check.outputs[0].data["text/plain"] == expected_line("00.1", "not done", "fr")
    assert en_solution.cells[3].outputs[0].data["text/plain"] == \
        expected_line("00.1", "done", "en")
    assert [c.id for c in fr_student.cells] == [f"lab00-{i:02d}" for i in range(7)]
    # The stub keeps the indentation of the region it replaces.
    assert '    # VOTRE CODE ICI (remplacez ces deux lignes)\n    your_turn("00.2")' in \
        fr_student.cells[5].source
    assert fr_student.metadata.lablib == {"lab": "00", "lang": "fr", "version": "student"}


@pytest.mark.parametrize("change, message", [
    (lambda s: s.replace("check(\"00.1\"", "# NBVAL_CHECK_OUTPUT\ncheck(\"00.1\""),
     "no test marker in a cell's code (# NBVAL_CHECK_OUTPUT)"),
    (lambda s: s.replace(", your_turn", ""), "import it"),
    (lambda s: s.replace("check(\"00.2\", shared_datastore)", "print(1)"),
     "has no check cell after it"),
    (lambda s: s.replace("check(\"00.2\"", "check(\"00.9\""), "No exercise '00.9'"),
    (lambda s: s.replace("check(\"00.2\"", "check(\"01.1\""), "is not of lab 00"),
    (lambda s: s.replace("x = 1", "x = '" + "y" * 80 + "'"), "longer than 80"),
    (lambda s: s.replace("    ### END SOLUTION\n", ""), "BEGIN SOLUTION but 0"),
    (lambda s: s.replace("# Shared title", "#Shared title"), "does not start with '# '"),
    (lambda s: s.replace("# %% tags=", "# %% tag="), "cannot read the cell header"),
])
def test_broken_sources_are_refused_with_a_reason(tmp_path, change, message):
    path = _source(tmp_path, change(SOURCE))
    with pytest.raises(labsource.SourceError, match=re.escape(message)):
        labsource.render(path, "en", "student")


def test_a_source_must_cover_every_exercise_of_its_lab(tmp_path):
    text = SOURCE[:SOURCE.index("# %%\nshared_datastore")]
    path = _source(tmp_path, text)
    with pytest.raises(labsource.SourceError, match=r"no check cell for exercise.*00.2"):
        labsource.render(path, "en", "solution")


def test_sources_are_named_after_the_registry(tmp_path):
    path = _source(tmp_path, name="00_intro.py")
    with pytest.raises(labsource.SourceError, match=r"00_setup.py"):
        labsource.render(path, "en", "solution")


def test_output_is_stable_json(tmp_path):
    path = _source(tmp_path)
    text = nbformat.writes(labsource.render(path, "en", "student"))
    assert json.loads(text)["nbformat"] == 4
    assert text == nbformat.writes(labsource.render(path, "en", "student"))
