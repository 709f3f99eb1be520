"""The exercise registry and check(): messages, hints and verdicts, without a server."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from lablib import set_language
from lablib.config import Roles
from lablib.errors import ConnectError
from lablib.exercises import LABS, check, exercises, expected_line, model_run
from lablib.exercises.core import Exercise, T, role_values

REPO = Path(__file__).resolve().parents[2]
ALL = exercises()


pytestmark = pytest.mark.usefixtures("english_checks")


class FakeLab:
    """Enough of a Lab for checks that only read the answer."""

    roles = Roles()

    @property
    def facts(self):
        raise ConnectError("The simulator stopped answering.")


def test_every_lab_has_exercises_and_ids_are_ordered():
    assert {e.lab for e in ALL} <= set(LABS)
    for exercise in ALL:
        lab, number = exercise.id.split(".")
        assert lab in LABS and number.isdigit()


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.id)
def test_every_message_exists_in_both_languages_and_formats(exercise):
    values = role_values(Roles())
    texts = [exercise.title, exercise.done, exercise.todo, *exercise.hints]
    for text in texts:
        en, fr = (text.fill(**values).render(lang) for lang in ("en", "fr"))  # all {fields}
        assert en.strip() and fr.strip()
        assert en != fr or en.startswith("lab.")  # a hint may be code only
    for lang in ("en", "fr"):
        done = expected_line(exercise.id, "done", lang)
        todo = expected_line(exercise.id, "not done", lang)
        assert done.startswith(f"✔ {exercise.id} ") and "\n" not in done
        assert todo.startswith(f"○ {exercise.id} ") and "\n" not in todo
        assert ("pas encore fait" if lang == "fr" else "not done yet") in todo
        hints = [exercise.hint(n, lang, Roles()) for n in (1, 2, 3, 7)]
        assert len(set(hints[:3])) == 3 and hints[3] == hints[2]
        path = exercise.solution_path(lang)
        assert path in hints[2] and (REPO / "labs" / "src" / f"{LABS[exercise.lab]}.py").is_file()


def test_wrong_answers_give_more_precise_hints_each_time():
    first, second, third = (check("01.2", 50_000, lab=FakeLab()) for _ in range(3))
    assert not first and first.status == "wrong"
    assert "still converges" in first.text
    assert repr(first).splitlines()[1].startswith("  Hint 1/3: Pre-copy converges")
    assert "Hint 2/3: B is about 1.18 GB/s" in repr(second)
    assert "Hint 3/3: the solution is in labs/en/solutions/01_what_moves.ipynb" in repr(third)


def test_french_lines_and_hints():
    set_language("fr")
    result = check("01.2", 50_000, lab=FakeLab())
    assert result.text.startswith("✘ 01.2 À 50000 pages/s le modèle converge encore")
    assert "Indice 1/3 : La pré-copie converge" in repr(result)


def test_unfilled_answer_is_not_done_and_not_an_attempt():
    for value in (None, ...):
        result = check("01.2", value, lab=FakeLab())
        assert result.status == "not done" and repr(result) == \
            expected_line("01.2", "not done", "en")
    assert check("01.2", 50_000, lab=FakeLab()).hint.startswith("  Hint 1/3")


@pytest.mark.parametrize("answer, message", [
    ("fast", "Give a number of at least 0"),
    (True, "Give a number of at least 0"),
    (-5, "Give a number of at least 0"),
    (100_000, "At 100000 pages/s the model still converges"),
])
def test_model_exercise_rejects_wrong_rates(answer, message):
    result = check("01.2", answer, lab=FakeLab())
    assert result.status == "wrong" and message in result.text


def test_model_exercises_accept_the_solution():
    assert check("01.2", 400_000, lab=FakeLab())
    assert check("01.3", model_run(400_000, sdps=True), lab=FakeLab())


@pytest.mark.parametrize("answer, message", [
    ("a run", "Store the result of model_run(...)"),
    (model_run(400_000), "This run has no SDPS throttle"),
    (model_run(100_000, sdps=True), "converges even without SDPS"),
])
def test_sdps_exercise_rejects_wrong_runs(answer, message):
    result = check("01.3", answer, lab=FakeLab())
    assert result.status == "wrong" and message in result.text


def test_a_lab_error_becomes_one_line():
    result = check("00.1", "ESXi_1", lab=FakeLab())
    assert result.status == "error" and not result
    assert repr(result) == "✘ 00.1 could not check: The simulator stopped answering."


def test_unknown_exercise_lists_the_lab_exercises():
    from lablib.errors import InputError

    with pytest.raises(InputError, match=r"No exercise '00.7'. Known: 00.1, 00.2"):
        check("00.7", lab=FakeLab())


def test_register_refuses_duplicates_and_unknown_labs():
    from lablib.exercises.core import register

    text = T("a", "b")
    with pytest.raises(ValueError, match="registered twice"):
        register(Exercise("00.1", text, text, text, (text, text), lambda ctx: None))
    with pytest.raises(ValueError, match="no lab 42"):
        register(Exercise("42.1", text, text, text, (text, text), lambda ctx: None))


def test_report_file_gets_one_json_line_per_check(tmp_path, monkeypatch):
    import json

    report = tmp_path / "report.jsonl"
    monkeypatch.setenv("LAB_SELFCHECK_REPORT", str(report))
    check("01.2", None, lab=FakeLab())
    check("01.2", 400_000, lab=FakeLab())
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [(e["exercise"], e["status"]) for e in lines] == [("01.2", "not done"),
                                                            ("01.2", "done")]


def test_result_is_usable_as_a_bool_and_prints_its_line():
    result = check("01.2", 400_000, lab=FakeLab())
    assert result and str(result) == repr(result) == expected_line("01.2", "done", "en")
    printed = SimpleNamespace(text="")
    result._repr_pretty_(SimpleNamespace(text=lambda t: setattr(printed, "text", t)), False)
    assert printed.text == repr(result)
