"""One way to speak two languages, and every widget and plot speaking the student's.

- No module outside lablib/text.py (and lablib/language.py, which checks the choice) has
  a translation mechanism of its own: no `_TEXT` tables, no per-language dicts, no
  `lang == "fr"` branches, no `tr()` helper.
- The text of every figure and widget, drawn in French, holds no English word a student
  would meet (names of API objects and vCenter's own messages aside), and follows
  `lablib.set_language` when no `lang=` forces it.
- An unfilled exercise shows one calm "Your turn" line.
"""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest
from lab_snapshots import course

import lablib
from lablib.text import render

PACKAGE = Path(lablib.__file__).resolve().parent
MECHANISMS = re.compile(r"""\b_TEXT\b|\blang\s*[!=]=\s*["'](en|fr)["']|\btr\(|"""
                        r"""^\s*["'](en|fr)["']\s*:""", re.M)
#: English words a French student must not meet (object names and code aside).
ENGLISH = re.compile(r"\b(the|of|and|is|are|refused|Fix|migrated|running|success|"
                     r"poweredOn|poweredOff|connected|manual|compute|storage|host|before|"
                     r"after|runs on|none|yes|no|free|shared|round|time|data|memory|"
                     r"dirty|setup|threshold|model|modelled|Sources|load|powered|hatched|"
                     r"network|moving|Lab topology|waiting|queued|completed|task)\b")
SOURCES_LINE = re.compile(r"Sources : .*")   # bibliographic references stay as published
NAMES = re.compile(r"\w+(?:-\w+)+")            # vm-shared, ESXi_1-local, intel-icelake


def test_no_module_has_its_own_translation_mechanism():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("text.py", "language.py"):
            continue
        for match in MECHANISMS.finditer(path.read_text(encoding="utf-8")):
            line = path.read_text(encoding="utf-8")[:match.start()].count("\n") + 1
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {match[0].strip()}")
    assert offenders == []


def figure_texts(fig):
    texts = []
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_visible() and text.get_text():
            texts.append(text.get_text())
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    return texts


def english_in(texts):
    found = []
    for text in texts:
        text = NAMES.sub("", SOURCES_LINE.sub("", text))
        found += ENGLISH.findall(text)
    return found


@pytest.fixture
def french():
    lablib.set_language("fr")
    yield
    lablib.set_language("en")


def test_the_topology_in_french(french):
    from lablib.plots.topology import plot_topology
    from lablib.vmotion.findings import Finding

    finding = Finding("shared-storage", False, lablib.Text("x", "Les fichiers sont locaux."),
                      objects=("ESXi_2",))
    fig = plot_topology(course(vmotion=("ESXi_1",), maintenance=("ESXi_2",)),
                        moving="vm-local", destination="ESXi_2", findings=[finding])
    texts = figure_texts(fig)
    assert "Topologie du lab — migration de vm-local" in texts
    assert any(t.startswith("× stockage partagé : ") for t in texts)
    assert english_in(texts) == []


def test_the_load_plot_in_french(french):
    from lablib.plots.load import plot_load

    fig = plot_load(course(), course(maintenance=("ESXi_1",),
                                     vms={"vm-shared": ("ESXi_2", "SharedDS", "poweredOn"),
                                          "vm-local": ("ESXi_2", "SharedDS", "poweredOff")}),
                    sizes={"vm-shared": (2, 4096), "vm-local": (1, 2048)})
    texts = figure_texts(fig)
    assert "Charge du cluster par hôte" in texts and "ESXi_1\n(maintenance)" in texts
    assert english_in(texts) == []


@pytest.mark.parametrize("rate", [100_000, 400_000])   # converges; does not converge
def test_the_precopy_figures_in_french(french, rate):
    from lablib.plots.precopy import plot_summary
    from lablib.precopy import simulate

    fig = plot_summary(simulate(dirty_pages_per_s=rate))
    texts = figure_texts(fig)
    assert any(t.startswith("Migration par pré-copie modélisée") for t in texts)
    assert english_in(texts) == []
    assert not any(re.fullmatch(r"\$?\\mathdefault\{.*\}\$?", t) for t in texts), texts


def test_the_progress_bar_in_french(french):
    from lablib.widgets.progress import TaskProgress

    bar = TaskProgress(mode="widget")
    assert bar.status() == "tâche : en attente"
    bar.fail(lablib.InputError(lablib.Text("x", "Hôte inconnu.")))
    assert bar.status() == "tâche : refusée : Hôte inconnu."


def test_the_precopy_explorer_in_french(french):
    from lablib.widgets import PrecopyExplorer

    explorer = PrecopyExplorer()
    labels = [c.description for c in explorer.controls.values()]
    assert "ralentissement SDPS (κ = 0,8)" in labels
    assert english_in(labels) == []
    text = explorer._repr_mimebundle_()["text/plain"]
    assert text.startswith("MODÈLE, pas une mesure") and english_in([text]) == []


def test_the_dashboard_tables_in_french(french):
    from lablib.widgets import dashboard_report

    report = dashboard_report(course(vmotion=("ESXi_1",)))
    text = str(report)
    for word in ("Hôtes", "connecté", "sous tension", "non", "aucun", "(local)"):
        assert word in text, word
    assert english_in([re.sub(r"simulé par lablib : .*", "", text)]) == []
    assert "connected" in report.tables[0].render("en")   # the same tables, in English


@pytest.mark.parametrize("lang, line", [
    ("en", "✎ 05.1 Your turn: migrate vm-shared to ESXi_2 (compute only, network VM Network), "
           "then run the check cell below."),
    ("fr", "✎ 05.1 À vous : migrez vm-shared vers ESXi_2 (ressource de calcul uniquement, "
           "réseau VM Network), puis lancez la cellule de vérification ci-dessous."),
])
def test_an_unfilled_exercise_shows_one_calm_line(lang, line):
    from lablib.exercises import your_turn

    lablib.set_language(lang)
    try:
        shown = your_turn("05.1")
        assert repr(shown) == line
        html = shown._repr_html_()
        assert "lablib-your-turn" in html and "#b00020" not in html   # calm, not an error
    finally:
        lablib.set_language("en")
    with pytest.raises(lablib.InputError, match="No exercise"):
        your_turn("05.9")


def test_hints_and_verdicts_in_french():
    from lablib.config import Roles
    from lablib.exercises import exercise

    ex = exercise("03.1")
    assert ex.line("not done", "fr", Roles()) == (
        "○ 03.1 pas encore fait : activez vMotion sur vmk0 de l'hôte ESXi_1, puis relancez "
        "cette cellule.")
    assert ex.hint(3, "fr", Roles()).startswith(
        "  Indice 3/3 : la solution est dans labs/fr/solutions/03_enable_vmotion.ipynb")
    assert render(ex.todo.fill(source_host="ESXi_1"), "fr") == \
        "activez vMotion sur vmk0 de l'hôte ESXi_1"
