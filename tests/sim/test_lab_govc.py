"""Every govc command a lab shows runs with the pinned govc against the lab simulator.

Commands vcsim cannot serve are marked "vCenter only" (or "vCenter uniquement") in the
lab, and are only checked to fail (docs/design.md §7).
"""

import re
import shlex
from pathlib import Path

import pytest

from lablib import govc
from lablib.exercises import prepare

SOURCES = sorted((Path(__file__).resolve().parents[2] / "labs" / "src").glob("[0-9][0-9]_*.py"))
VCENTER_ONLY = ("vCenter only", "vCenter uniquement")


def commands(path: Path) -> list[tuple[str, bool]]:
    """Return (command, vCenter only) for each govc command the source shows, in order."""
    text = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                     for line in path.read_text(encoding="utf-8").splitlines())
    found = []
    for match in re.finditer(r"```sh\n(.*?)```|`(govc [^`]+)`", text, re.S):
        lines = match[1].splitlines() if match[1] is not None else [match[2]]
        for line in lines:
            line = line.strip()
            if line.startswith("govc "):
                only = any(mark in line for mark in VCENTER_ONLY)
                command = shlex.join(shlex.split(line.replace("\\|", "|"), comments=True))
                found.append((command, only))
    return list(dict.fromkeys(found))


def test_the_labs_show_govc_commands():
    assert sum(len(commands(path)) for path in SOURCES) >= 10


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_govc_commands_of_a_lab_run_on_the_simulator(lab, path):
    prepare(lab, path.stem[:2])  # the state the lab starts from
    for command, vcenter_only in commands(path):
        result = govc.run(command, lab.sim_state)
        if vcenter_only:
            assert not result.ok, f"{command} works on vcsim: drop its 'vCenter only' mark"
        else:
            assert result.ok, f"{command}: {result.stderr}"
