"""Lab 09 without a server: the draw, the scenario descriptions, the instructor's side."""

import json
import os
import subprocess
import sys
from string import Formatter

import nbformat
import pytest
from pyVmomi import vim

from lablib import classroom
from lablib.config import load
from lablib.errors import ConfigError, InputError
from lablib.troubleshoot import BY_ID, SCENARIOS, choices, draw, pool
from lablib.troubleshoot.actions import ACTIONS, govc_lines
from lablib.troubleshoot.instructor import instructions, main, plan, values_offline
from lablib.troubleshoot.judge import SIGNS
from lablib.troubleshoot.state import changes
from lablib.vmotion.rules import BY_ID as RULES
from lablib.vmotion.rules import rule_of

VALUES = values_offline(load(None, env={"LAB_CONFIG": os.devnull}))


def test_the_same_seed_always_gives_the_same_lab():
    assert draw("alice") == draw("alice") == draw(" alice ")
    assert draw("alice").ids == ("destination-disconnected",)   # pinned: a stable hash
    assert draw("alice").ticket == "09-D643"
    assert draw("alice", 2).ids == ("evc-disabled", "destination-maintenance")
    script = "from lablib.troubleshoot import draw; print(draw('alice', 2).ticket)"
    tickets = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
               for seed in ("0", "1", "12345")}
    assert tickets == {draw("alice", 2).ticket}


def test_numbers_go_round_every_scenario_and_names_cover_them():
    assert [draw(n).ids[0] for n in range(1, 10)] == [s.id for s in SCENARIOS]
    assert draw(10).ids == draw(1).ids and draw("7").ids == draw(7).ids
    pairs = choices(SCENARIOS, 2)
    assert {draw(n, 2).ids for n in range(1, len(pairs) + 1)} == {
        tuple(s.id for s in pair) for pair in pairs}
    for level in (1, 2):
        seen = {i for n in range(300) for i in draw(f"student-{n}", level).ids}
        assert seen == set(BY_ID), level


def test_stacked_scenarios_break_different_things_in_order():
    for pair in choices(SCENARIOS, 2):
        assert not pair[0].areas & pair[1].areas
        assert pair[0].order <= pair[1].order
    assert len(choices(SCENARIOS, 2)) == 34


@pytest.mark.parametrize("args, message", [
    ({"seed": "", "level": 1}, "seed must be a name or a number"),
    ({"seed": "x", "level": 3}, "level must be 1"),
    ({"seed": "x", "level": True}, "level must be 1"),
    ({"seed": "x", "scenarios": "vmotion-dest"}, "Unknown scenario(s) 'vmotion-dest'"),
    ({"seed": "x", "level": 2, "scenarios": "local-files, local-disk"}, "No two"),
])
def test_bad_draws_are_refused_with_a_reason(args, message):
    with pytest.raises(InputError) as error:
        draw(**args)
    assert message in str(error.value)


def test_a_pool_restricts_the_draw():
    assert {draw(n, 1, "cdrom-iso,local-disk").ids[0] for n in range(5)} == {
        "cdrom-iso", "local-disk"}
    assert [s.id for s in pool(["local-files"])] == ["local-files"]


def test_the_class_settings_come_from_lab_toml_or_the_environment(tmp_path):
    toml = tmp_path / "lab.toml"
    toml.write_text('[troubleshoot]\nscenarios = "cdrom-iso, local-disk"\nlevel = 2\n')
    config = load(toml, env={})
    assert (config.troubleshoot.scenarios, config.troubleshoot.level) == (
        "cdrom-iso, local-disk", 2)
    assert load(toml, env={"LAB_TROUBLESHOOT_LEVEL": "1"}).troubleshoot.level == 1
    with pytest.raises(ConfigError, match="LAB_TROUBLESHOOT_LEVEL = 3 is not valid"):
        load(toml, env={"LAB_TROUBLESHOOT_LEVEL": "3"})


def _fields(text):
    return {name for _, name, _, _ in Formatter().parse(text) if name}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_each_description_is_complete_and_names_what_exists(scenario):
    assert scenario.rule in RULES and scenario.scope in ("vm", "host", "cluster")
    for fault in scenario.faults:
        assert rule_of(getattr(vim.fault, fault)()).id == scenario.rule, fault
    for step in scenario.breaks + scenario.fix + tuple(s for w in scenario.wrong
                                                       for s in w.steps):
        assert step.action in ACTIONS, step
        step.resolved(VALUES)
    for sign in (scenario.fixed, *(w.sign for w in scenario.wrong)):
        assert sign.name in SIGNS, sign
    assert scenario.breaks and scenario.fix and scenario.owns and scenario.areas
    texts = [scenario.title, scenario.context, scenario.unsolved, *scenario.hints,
             *(t for w in scenario.wrong for t in (w.what, w.message))]
    for text in texts:
        en, fr = (text.fill(**VALUES).render(lang) for lang in ("en", "fr"))
        assert en.strip() and fr.strip() and en != fr
        assert "{" not in en.replace("{{", "") and "{" not in fr.replace("{{", "")
    assert scenario.source.startswith("docs/vsphere-facts.md §")


def test_at_least_eight_real_causes():
    assert len(SCENARIOS) >= 8
    assert {s.rule for s in SCENARIOS} == {"vmotion-network", "shared-storage", "devices",
                                           "network", "host-state", "cpu"}


def test_govc_lines_leave_out_options_without_a_value_and_quote_names():
    assert govc_lines("migrate", {"vm": "vm-shared", "host": "ESXi_2", "datastore": None,
                                  "network": "VM Network"}) == [
        "govc vm.migrate -host ESXi_2 -net 'VM Network' vm-shared"]
    assert govc_lines("add_cdrom", {"vm": "vm-shared", "datastore": "ESXi_1-local"})[1] == \
        "DEVICE=$(govc device.cdrom.add -vm vm-shared)"


def test_the_instructors_steps_for_a_student():
    text = instructions(draw("alice", 2), VALUES)
    assert text.startswith(f"Ticket {draw('alice', 2).ticket} (seed 'alice', level 2)")
    assert "evc-disabled:" in text and "destination-maintenance:" in text
    assert "$ govc host.maintenance.enter ESXi_2" in text and "Wrong fix" in text
    folder = instructions(draw(1), VALUES, scope="folder")
    assert "Cannot be broken by hand in this scope" in folder
    assert "local-files, local-disk, cdrom-iso" in folder
    assert "Break it" in instructions(draw(3), VALUES, scope="folder")


def test_a_class_plan(capsys):
    table = str(plan(["alice", 1, 2], 1))
    assert "vmotion-destination" in table and "9 different labs" in table
    assert main(["plan", "bob", "--level", "2"]) == 0
    assert main(["steps", "--seed", "3"]) == 0 and "local-files" in capsys.readouterr().out
    assert main(["steps", "--seed", "x", "--scenarios", "nope"]) == 1
    assert main(["list"]) == 0 and "evc-disabled" in capsys.readouterr().out


def test_changes_leave_out_what_the_fix_owns():
    before = {"host:ESXi_2:vmotion": [], "vm:vm-shared:disk:203": {"backing": "[A] x"}}
    after = {"host:ESXi_2:vmotion": ["vmk0"], "vm:vm-shared:disk:203": {"backing": "[B] x"}}
    assert changes(before, after, ["host:ESXi_2:vmotion"]) == [
        ("vm:vm-shared:disk:203", {"backing": "[A] x"}, {"backing": "[B] x"})]
    assert changes(before, after, ["host:*", "vm:vm-shared:disk:*"]) == []


def test_the_classroom_reads_each_students_lab09_record(tmp_path):
    home = tmp_path / "home" / "jupyter-dana"
    notebook = home / "labs" / "en" / "09_troubleshoot.ipynb"
    notebook.parent.mkdir(parents=True)
    cell = nbformat.v4.new_code_cell('check("09.2")')
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "✔ 09.2 done"},
                                           execution_count=1)]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell], metadata={
        "lablib": {"lab": "09", "lang": "en"}}), notebook)
    state = home / ".local" / "state" / "vmotion-lab"
    state.mkdir(parents=True)
    (state / "lab09.json").write_text(json.dumps({
        "seed": "dana", "level": 1, "scenarios": ["cdrom-iso"], "ticket": "09-AB12",
        "results": {"09.1": {"status": "done", "hints": 1},
                    "09.2": {"status": "done", "hints": 2}}}))
    [results] = classroom.collect([tmp_path / "home"])
    assert results.student == "dana" and results.verdicts["09.2"] == "done"
    assert results.details == {"ticket": "09-AB12", "seed": "dana", "level": 1,
                               "scenarios": ["cdrom-iso"], "solved": True, "hints": 3}
    assert "09-AB12 cdrom-iso (seed dana, level 1): solved, 3 hint(s)" in str(
        classroom.class_table([results]))
    (state / "lab09.json").write_text("{broken")
    [results] = classroom.collect([tmp_path / "home"])
    assert results.details == {"problem": "JSONDecodeError reading lab09.json"}
