"""`python -m lablib check NOTEBOOK`: nbval runs the notebook and the exercises are listed."""

from pathlib import Path

import nbformat

from lablib import selfcheck
from lablib.exercises import expected_line

LABS = Path(__file__).resolve().parents[2] / "labs"


def test_a_solution_notebook_passes(capsys):
    assert selfcheck.main([str(LABS / "en" / "solutions" / "00_setup.ipynb")]) == 0
    out = capsys.readouterr().out
    assert expected_line("00.1", "done", "en") in out
    assert "3 of 3 exercises pass." in out


def test_a_student_notebook_reports_wrong_answers_and_crashes(tmp_path):
    nb = nbformat.read(LABS / "fr" / "00_setup.ipynb", as_version=4)
    exercise = next(c for c in nb.cells if "host_of_vm = None" in c.source)
    exercise.source = 'host_of_vm = "ESXi_2"'
    nb.cells.insert(3, nbformat.v4.new_code_cell("1 / 0"))
    path = tmp_path / "00_setup.ipynb"
    nbformat.write(nb, path)

    result = selfcheck.run(path)
    assert not result.ok and result.lang == "fr" and result.lab == "00"
    assert [(v.exercise, v.status) for v in result.verdicts] == [("00.1", "wrong"),
                                                                ("00.2", "not done"),
                                                                ("00.3", "not done")]
    assert result.verdicts[0].line == "✘ 00.1 vm-shared ne tourne pas sur ESXi_2."
    assert len(result.crashed) == 1 and "ZeroDivisionError" in result.crashed[0]
    text = str(result)
    assert "erreur inattendue dans Cell 1" in text
    assert "0 exercice(s) réussi(s) sur 3." in text


def test_missing_or_foreign_notebooks_are_refused(tmp_path, capsys):
    assert selfcheck.main([str(tmp_path / "nope.ipynb")]) == 2
    other = tmp_path / "notes.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), other)
    assert selfcheck.main([str(other)]) == 2
    assert "is not a lab notebook" in capsys.readouterr().err
