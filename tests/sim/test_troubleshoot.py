"""Lab 09 on the simulator: every scenario breaks, refuses, fixes and judges as described.

For each scenario (seed n draws the n-th): after prepare the migration is refused with
the scenario's fault by lablib, govc and raw pyVmomi alike, and the refusal changes
nothing; 09.1 takes the faults; the right fix and a live migration make 09.2 say ✔;
each listed wrong fix moves the VM and gets its own "migrated, but ..." message; a reset
restores the initial lab. Then: stacked scenarios, a restarted kernel, the hints, the
instructor's govc steps, the record the classroom reads, and prepare on a vCenter.
"""

import json
import os
import subprocess
import warnings

import pytest
from pyVmomi import vim

import lablib
from lablib import MigrationRefused, TaskFailed, govc
from lablib.exercises import DONE, NOT_DONE, WRONG, check, expected_line, prepare
from lablib.tasks import wait
from lablib.troubleshoot import SCENARIOS, actions, choices, record
from lablib.troubleshoot.instructor import step_lines
from lablib.troubleshoot.judge import values_of
from lablib.troubleshoot.state import capture

VM, DST = "vm-shared", "ESXi_2"


@pytest.fixture(scope="module")
def live(sim_state):
    """One connection for the module, and the initial lab's state to compare resets with."""
    lab = lablib.connect(reset=True)
    lab.initial = capture(lab)
    yield lab
    lab.close()


pytestmark = pytest.mark.usefixtures("english_checks")


def run_steps(lab, steps):
    values = values_of(lab)
    for step in steps:
        actions.run(lab, step.action, step.resolved(values))


def refusals(lab):
    """Return the fault type names lablib, govc and raw pyVmomi get for the ticket's move."""
    with pytest.raises(MigrationRefused) as refused:
        lab.migrate(VM, host=DST)
    by_govc = govc.run(f"govc vm.migrate -host {DST} {VM}", lab.sim_state)
    assert not by_govc.ok and refused.value.fault.msg in by_govc.stderr, by_govc.stderr
    spec = vim.vm.RelocateSpec(host=lab.host(DST), pool=lab.cluster().resourcePool)
    with pytest.raises(TaskFailed) as raw:
        wait(lab.conn, lab.vm(VM).RelocateVM_Task(spec=spec))
    return {type(refused.value.fault).__name__.split(".")[-1],
            type(raw.value.fault).__name__.split(".")[-1]}


@pytest.mark.parametrize("n, scenario", list(enumerate(SCENARIOS, start=1)),
                         ids=[s.id for s in SCENARIOS])
def test_each_scenario_breaks_refuses_fixes_and_judges(live, n, scenario):
    lab = live
    ticket = prepare(lab, "09", seed=n)
    assert ticket.ticket.draw.ids == (scenario.id,)
    assert "cannot be moved to ESXi_2" in str(ticket) and scenario.id not in str(ticket)
    before = capture(lab)
    assert refusals(lab) == {scenario.faults[0]}
    assert capture(lab) == before  # refused: nothing moved
    found = {f.fault_type for f in lab.precheck(VM, host=DST).failures}
    assert found == set(scenario.faults)
    assert check("09.2").status == NOT_DONE
    assert check("09.1", found).status == DONE
    assert check("09.1", {"MigrationRefused"}).status == WRONG

    run_steps(lab, scenario.fix)
    result = lab.migrate(VM, host=DST)
    assert result.after.host == DST and result.after.power_state == "poweredOn"
    assert repr(check("09.2")) == expected_line("09.2", DONE, "en")

    for fix in scenario.wrong:
        prepare(lab, "09", seed=n)
        run_steps(lab, fix.steps)
        assert lab.placement(VM).host == DST, fix.id  # the wrong fix "works"...
        judged = check("09.2")
        assert judged.status == WRONG, (fix.id, repr(judged))   # ...and is judged
        wanted = fix.message.fill(**values_of(lab)).render("en")
        assert f"migrated, but {wanted}" in judged.text, (fix.id, judged.text)

    lab.reset()
    assert capture(lab) == lab.initial


def test_powering_off_where_no_fix_needs_it_is_judged(live):
    lab = live
    prepare(lab, "09", seed=7)  # destination-maintenance
    run_steps(lab, SCENARIOS[6].fix)
    lab.power_off(VM)
    lab.migrate(VM, host=DST)
    lab.power_on(VM)
    assert "you powered vm-shared off" in check("09.2").text


def test_an_unneeded_storage_vmotion_and_outside_changes_are_judged(live):
    lab = live
    prepare(lab, "09", seed=1)  # vmotion-destination
    lab.enable_vmotion(DST)
    lab.migrate(VM, host=DST, datastore="ESXi_2-local")
    lab.migrate(VM, datastore="SharedDS")
    assert "you moved vm-shared's files too (Storage vMotion)" in check("09.2").text
    prepare(lab, "09", seed=1)
    lab.enable_vmotion(DST)
    lab.disable_vmotion("ESXi_1")
    lab.power_off("vm-local")
    lab.power_on("vm-local")
    lab.enable_vmotion("ESXi_1")
    lab.migrate(VM, host=DST)
    assert "you also powered off vm-local" in check("09.2").text
    prepare(lab, "09", seed=1)
    lab.enable_vmotion(DST)
    actions.add_port_group(lab, "ESXi_1", "Backup")
    lab.migrate(VM, host=DST)
    assert "outside the ticket: ESXi_1's networks" in check("09.2").text


# Stacked pairs that, together, hold every scenario.
PAIRS = [("vmotion-source", "evc-disabled"), ("local-files", "destination-disconnected"),
         ("local-disk", "network-destination"), ("cdrom-iso", "destination-maintenance"),
         ("vmotion-destination", "destination-disconnected")]


@pytest.mark.parametrize("pair", PAIRS, ids="+".join)
def test_two_stacked_causes(live, pair):
    lab = live
    ordered = next(c for c in choices(SCENARIOS, 2) if {s.id for s in c} == set(pair))
    seed = choices(SCENARIOS, 2).index(ordered) + 1
    prepare(lab, "09", seed=seed, level=2)
    found = {f.fault_type for f in lab.precheck(VM, host=DST).failures}
    first = {ordered[0].faults[0]}
    assert "for 2 reasons and your answer names 1" in check("09.1", first).text
    assert check("09.1", found).status == DONE
    for scenario in reversed(ordered):  # the last broken, the first fixed
        run_steps(lab, scenario.fix)
    lab.migrate(VM, host=DST)
    assert check("09.2").status == DONE


def test_the_hints_follow_the_students_own_lab(live):
    lab = live
    prepare(lab, "09", seed=9)  # evc-disabled
    lab.power_off(VM)
    lab.migrate(VM, host=DST)
    lab.power_on(VM)
    hints = [check("09.2").hint for _ in range(3)]
    assert "CPUs of different generations" in hints[0]
    assert "lab.evc_modes()" in hints[1]
    assert "configure EVC at intel-cascadelake" in hints[2]
    assert "labs/en/solutions/09_troubleshoot.ipynb" in hints[2]


def test_a_restarted_kernel_finds_the_lab_again(live):
    lab = live
    prepare(lab, "09", seed=6)  # network-destination
    record._kept.clear()                                  # the kernel restarted
    assert check("09.2").status == NOT_DONE
    assert record.current(lab).before is not None         # from the state folder
    record._kept.clear()
    (lab.config.state_dir / record.FILE).unlink()         # and the file is gone too
    again = record.current(lab)
    assert again.scenarios == ["network-destination"] and again.before is None
    run_steps(lab, SCENARIOS[5].fix)
    lab.migrate(VM, host=DST)
    assert check("09.2").status == DONE                   # judged from the seed
    lab.reset()
    assert check("09.2").status == "error"                # no ticket on a reset lab
    assert "run prepare(lab, \"09\") first" in check("09.2").text


def test_the_record_the_instructor_collects(live):
    lab = live
    prepare(lab, "09", seed="carol")
    kept = json.loads((lab.config.state_dir / record.FILE).read_text())
    assert kept["seed"] == "carol" and kept["ticket"].startswith("09-")
    check("09.1", {"Nothing"})
    check("09.1", {"Nothing"})
    kept = json.loads((lab.config.state_dir / record.FILE).read_text())
    assert kept["results"]["09.1"] == {"status": "wrong", "hints": 2}
    prepare(lab, "09", seed="carol")  # the same ticket again: the hints add up
    check("09.1", {"Nothing"})
    kept = json.loads((lab.config.state_dir / record.FILE).read_text())
    assert kept["results"]["09.1"]["hints"] == 3


def run_shell(lab, lines):
    """Run an instructor's govc lines in bash against the simulator; return bash's result."""
    env = {**os.environ, **govc.govc_environment(lab.sim_state, lab.roles.datacenter),
           "PATH": f"{govc.govc_path().parent}:{os.environ['PATH']}"}
    return subprocess.run(["bash", "-euo", "pipefail", "-c", "\n".join(lines)], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.id != "evc-disabled"],
                         ids=lambda s: s.id)
def test_the_instructors_govc_steps_break_and_fix_the_lab(live, scenario):
    lab = live
    prepare(lab, "05")
    values = values_of(lab)
    shell = [line.split("$ ", 1)[1] for step in scenario.breaks
             for line in step_lines(step, values) if "$ " in line]
    done = run_shell(lab, shell)
    assert done.returncode == 0, done.stderr
    found = {f.fault_type for f in lab.precheck(VM, host=DST).failures}
    assert found == set(scenario.faults), shell
    shell = [line.split("$ ", 1)[1] for step in scenario.fix
             for line in step_lines(step, values) if "$ " in line]
    done = run_shell(lab, shell)
    assert done.returncode == 0, done.stderr
    assert lab.precheck(VM, host=DST).ok, shell


def test_prepare_on_a_vcenter_breaks_nothing_and_keeps_the_draw(live, tmp_path, monkeypatch):
    from lablib.config import LabConfig, Scope, SimConfig, VCenterConfig
    from lablib.connection import InsecureTLSWarning, Target
    from lablib.lab import Lab
    from lablib.session import Session

    lab = live
    prepare(lab, "05")
    target = Target.from_url(lab.sim_state.url)
    monkeypatch.setenv("LAB_PASSWORD", target.password)
    config = LabConfig(backend="vcenter", vcenter=VCenterConfig(
        host="127.0.0.1", port=target.port, user="lab", verify_tls=False),
        scope=Scope(cluster="Cluster"), sim=SimConfig(state_dir=str(tmp_path)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureTLSWarning)  # tests/sim/test_guard.py
        vcenter = Lab(Session(config))
    try:
        before = capture(vcenter)
        shown = prepare(vcenter, "09", seed=4)
        assert capture(vcenter) == before
        assert "your instructor broke your lab for ticket 09-" in str(shown)
        assert (tmp_path / record.FILE).is_file()
        run_steps(vcenter, SCENARIOS[3].breaks)     # the instructor, by hand
        assert check("09.2", lab=vcenter).status == NOT_DONE
        run_steps(vcenter, SCENARIOS[3].fix)
        vcenter.migrate(VM, host=DST)
        assert check("09.2", lab=vcenter).status == DONE
    finally:
        vcenter.close()


#: For each scenario, a govc command of the notebook's investigation and what it shows.
EVIDENCE = {
    "vmotion-destination": ("govc host.vnic.info -host ESXi_2", "vmotion", False),
    "vmotion-source": ("govc host.vnic.info -host ESXi_1", "vmotion", False),
    "local-files": ("govc vm.info -r vm-shared", "ESXi_1-local", True),
    "local-disk": ("govc device.info -vm vm-shared",
                   "[ESXi_1-local] vm-shared/vm-shared_scratch.vmdk", True),
    "cdrom-iso": ("govc device.info -vm vm-shared", "ISO [ESXi_1-local] iso/app-update.iso",
                  True),
    "network-destination": ("govc host.portgroup.info -host ESXi_2", "VM Network", False),
    "destination-maintenance": ("govc host.info -host ESXi_2", "Maintenance Mode", True),
    "destination-disconnected": ("govc host.info -host ESXi_2", "disconnected", True),
    "evc-disabled": ("govc object.collect -s vm/vm-shared runtime.minRequiredEVCModeKey",
                     "intel-icelake", True),
}


@pytest.mark.parametrize("n, scenario", list(enumerate(SCENARIOS, start=1)),
                         ids=[s.id for s in SCENARIOS])
def test_the_notebooks_govc_commands_show_each_cause(live, n, scenario):
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "labs" / "src" /
              "09_troubleshoot.py").read_text(encoding="utf-8")
    command, shown, present = EVIDENCE[scenario.id]
    assert f"# {command}\n" in source  # a command the notebook shows
    lab = live
    prepare(lab, "05")
    before = govc.run(command, lab.sim_state)
    prepare(lab, "09", seed=n)
    after = govc.run(command, lab.sim_state)
    assert before.ok and after.ok, after.stderr
    assert (shown in after.stdout) == present and (shown in before.stdout) != present
