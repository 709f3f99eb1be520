"""Every govc command a lab shows runs with the pinned govc against the lab simulator,
at the point of the lab where the text shows it.

The test plays a lab's solution notebook cell by cell in this process, as a student who
runs it from the top: code cells run (a cell tagged raises-exception must raise a
LabError), and the govc commands of each text cell run, in order, in the state the lab
has reached there, so each command is checked where the lab shows it. A command the lab
shows on purpose to be refused ends with a `# refused` comment (`# refusé` in French):
the server must refuse it with a fault, as vCenter would. Nothing the labs show is
"vCenter only" any more; a command marked so must fail on the simulator
(docs/design.md §7). Both languages show the same commands with the same marks.
"""

import re
import shlex
from pathlib import Path

import matplotlib
import pytest

from lablib import LabError, govc
from tools.labsource import render

matplotlib.use("Agg")

SOURCES = sorted((Path(__file__).resolve().parents[2] / "labs" / "src").glob("[0-9][0-9]_*.py"))
REFUSED = re.compile(r"#\s*(refused|refusé)\b")
VCENTER_ONLY = ("vCenter only", "vCenter uniquement")
#: What govc prints when the call never reached a rule: a missing API or a wrong command.
NOT_A_REFUSAL = ("does not implement", "MethodNotFound", "Usage:", "not found", "flag provided")


def commands(markdown: str) -> list[tuple[str, str]]:
    """Return (command, mark) for each govc command of a text cell, in order.

    The mark is "refused", "vcenter only" or "".
    """
    found = []
    for match in re.finditer(r"```sh\n(.*?)```|`(govc [^`]+)`", markdown, re.S):
        lines = match[1].splitlines() if match[1] is not None else [match[2]]
        for line in (line.strip() for line in lines):
            if not line.startswith("govc "):
                continue
            mark = "refused" if REFUSED.search(line) else \
                "vcenter only" if any(m in line for m in VCENTER_ONLY) else ""
            command = shlex.join(shlex.split(line.replace("\\|", "|"), comments=True))
            found.append((command, mark))
    return found


def lab_cells(path: Path) -> list[tuple[str, str, list[str], list[tuple[str, str]]]]:
    """Return (kind, English code, tags, govc commands) per cell of the solution notebook.

    Raises AssertionError when a text cell shows other commands in French than in English.
    """
    english, french = (render(path, lang, "solution").cells for lang in ("en", "fr"))
    cells = []
    for en, fr in zip(english, french, strict=True):
        shown = []
        if en.cell_type == "markdown":
            shown = commands(en.source)
            assert commands(fr.source) == shown, f"{path.name} {en.id}: en and fr differ"
        cells.append((en.cell_type, en.source, en.metadata.get("tags", []), shown))
    return cells


def run_command(command: str, mark: str, sim_state, where: str) -> None:
    result = govc.run(command, sim_state)
    if mark == "refused":
        assert not result.ok, f"{where}: `{command}` is marked refused but the server accepts it"
        assert not any(text in result.stderr for text in NOT_A_REFUSAL), \
            f"{where}: `{command}` failed without a server refusal: {result.stderr}"
    elif mark == "vcenter only":
        assert not result.ok, f"{where}: `{command}` works on the lab simulator: drop its " \
                              "'vCenter only' mark"
    else:
        assert result.ok, f"{where}: `{command}`: {result.stderr}"


def test_the_labs_show_govc_commands():
    shown = [c for path in SOURCES for *_, cmds in lab_cells(path) for c in cmds]
    assert len(shown) >= 30
    assert any(mark == "refused" for _, mark in shown)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_govc_commands_of_a_lab_run_where_the_lab_shows_them(sim_state, path):
    import matplotlib.pyplot as plt

    namespace: dict = {"__name__": f"lab{path.stem[:2]}"}
    try:
        for number, (kind, source, tags, shown) in enumerate(lab_cells(path)):
            where = f"{path.stem} cell {number}"
            if kind == "code" and "raises-exception" in tags:
                with pytest.raises(LabError):
                    exec(compile(source, where, "exec"), namespace)
            elif kind == "code":
                exec(compile(source, where, "exec"), namespace)
            for command, mark in shown:
                run_command(command, mark, namespace["lab"].sim_state, where)
    finally:
        plt.close("all")
        if "lab" in namespace:
            namespace["lab"].reset()   # the next tests expect the course's initial state
            namespace["lab"].close()
