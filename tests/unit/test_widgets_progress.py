"""TaskProgress fed by TaskInfo objects, as lablib.tasks.wait feeds it (no server)."""

import datetime
import io

import pytest
from pyVmomi import vim

from lablib.errors import OperationRefused, TaskFailed
from lablib.widgets.progress import TaskProgress


def info(state, progress=None, error=None):
    return vim.TaskInfo(key="task-7", task=vim.Task("task-7"),
                        descriptionId="VirtualMachine.relocate", entityName="vm-shared",
                        state=state, progress=progress, error=error, cancelable=False,
                        cancelled=False, reason=vim.TaskReasonUser(userName="student"),
                        queueTime=datetime.datetime(2026, 1, 1), eventChainId=1)


def test_starts_empty():
    bar = TaskProgress("migration", mode="widget")
    assert bar.bar.value == 0 and bar.bar.bar_style == ""
    assert bar.status() == "migration: waiting"


def test_vcsim_gives_no_progress_so_the_bar_shows_time_and_state():
    bar = TaskProgress(mode="widget")
    bar(info("running"), 3.24)
    assert bar.indeterminate
    assert bar.bar.value == bar.bar.max and bar.bar.bar_style == "info"
    assert "lablib-indeterminate" in bar.bar._dom_classes
    assert bar.status() == "Relocate virtual machine on 'vm-shared': running… 3.2 s"
    # The label's clock counts on in the browser from 3.24 s (a CSS animation started
    # at the elapsed time the kernel reported), with the notebook's decimal separator.
    assert "running… <span class='lablib-clock' data-sep='.' " \
        "style='animation-delay:-3.24s,-3.24s'></span>" in bar.label.value
    assert "@keyframes lablib-slide" in bar.label.value and "@property --lablib-s" in \
        bar.label.value
    assert "lablib-running" in bar.bar._dom_classes


def test_vcenter_progress_fills_the_bar():
    bar = TaskProgress(mode="widget")
    bar(info("running", progress=40), 2.0)
    assert not bar.indeterminate and bar.bar.value == 40
    assert bar.status().endswith("40 % · 2.0 s")
    assert "lablib-indeterminate" not in bar.bar._dom_classes
    assert "lablib-running" in bar.bar._dom_classes   # striped and moving, at 40 %
    assert "40 % · <span class='lablib-clock'" in bar.label.value


def test_a_task_at_0_percent_never_shows_an_empty_still_bar():
    bar = TaskProgress(mode="widget")
    bar(info("running", progress=0), 0.4)
    assert bar.indeterminate and bar.bar.value == 100
    assert {"lablib-running", "lablib-indeterminate"} <= set(bar.bar._dom_classes)
    bar(info("running", progress=10), 1.4)
    assert not bar.indeterminate and bar.bar.value == 10


def test_success_is_green():
    bar = TaskProgress(mode="widget")
    bar(info("running"), 1.0)
    bar(info("success"), 4.0)
    assert bar.bar.bar_style == "success" and bar.bar.value == 100
    assert bar.status().endswith("completed in 4.0 s")
    assert "lablib-indeterminate" not in bar.bar._dom_classes
    assert "lablib-running" not in bar.bar._dom_classes and "lablib-clock" not in \
        bar.label.value


def test_failure_is_red_with_the_fault():
    bar = TaskProgress(mode="widget")
    fault = vim.fault.VMotionNotConfigured(msg="vMotion is not configured on ESXi_2")
    bar(info("error", error=fault), 1.5)
    assert bar.bar.bar_style == "danger"
    assert bar.status().endswith("failed after 1.5 s: vMotion is not configured on ESXi_2 "
                                 "(VMotionNotConfigured)")
    assert "#b00020" in bar.label.value


def test_track_follows_an_operation_and_shows_how_it_ends():
    bar = TaskProgress(mode="widget")

    def operation(vm, host=None, on_progress=None):
        on_progress(info("running"), 0.5)
        return f"{vm} on {host}"

    assert bar.track(operation, "vm-shared", host="ESXi_2") == "vm-shared on ESXi_2"
    assert bar.state == "success" and bar.bar.bar_style == "success"


def test_track_shows_a_refusal_before_any_task_in_red_and_raises_it():
    bar = TaskProgress(mode="widget")

    def refused(on_progress=None):
        raise OperationRefused("ESXi_2 has no vMotion vmknic.")

    with pytest.raises(OperationRefused):
        bar.track(refused)
    assert bar.state == "refused" and bar.bar.bar_style == "danger"
    assert bar.status() == "task: refused: ESXi_2 has no vMotion vmknic."


def test_track_keeps_the_task_fault_when_the_task_failed():
    bar = TaskProgress(mode="widget")
    fault = vim.fault.InvalidPowerState()

    def failing(on_progress=None):
        on_progress(info("error", error=fault), 0.2)
        raise TaskFailed("Task failed: InvalidPowerState", fault)

    with pytest.raises(TaskFailed):
        bar.track(failing)
    assert bar.state == "error"
    assert "the VM's power state does not allow this (InvalidPowerState)" in bar.status()


def test_text_mode_prints_a_few_lines_not_a_flood():
    out = io.StringIO()
    bar = TaskProgress(mode="text", stream=out)
    bar(info("queued"), 0.0)
    for tick in range(30):           # heartbeats every second on vcsim
        bar(info("running"), tick * 1.0)
    bar(info("success"), 30.5)
    lines = out.getvalue().splitlines()
    assert lines == ["Relocate virtual machine on 'vm-shared': queued",
                     "Relocate virtual machine on 'vm-shared': running… 0.0 s",
                     "Relocate virtual machine on 'vm-shared': completed in 30.5 s"]
    assert bar.lines == lines


def test_text_mode_prints_each_quarter_of_real_progress():
    out = io.StringIO()
    bar = TaskProgress(mode="text", stream=out)
    for percent in range(0, 100, 5):
        bar(info("running", progress=percent), percent / 10)
    assert len(out.getvalue().splitlines()) == 4   # 0-24, 25-49, 50-74, 75-99


def test_auto_mode_is_text_outside_a_kernel_and_under_lab_execution_ci(monkeypatch):
    assert TaskProgress().mode == "text"
    monkeypatch.setenv("LAB_EXECUTION", "ci")
    assert TaskProgress().mode == "text"


def test_plain_text_representation_is_the_status():
    bar = TaskProgress("migration", mode="widget")
    bundle = bar._repr_mimebundle_()
    assert bundle["text/plain"] == "migration: waiting"
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_french():
    bar = TaskProgress(mode="widget", lang="fr")
    bar(info("running"), 3.25)
    assert bar.status() == "Migrer la machine virtuelle (vm-shared) : en cours… 3,2 s"
    assert "data-sep=','" in bar.label.value
    bar(info("success"), 4.0)
    assert bar.status() == "Migrer la machine virtuelle (vm-shared) : terminée en 4,0 s"


def test_the_notebook_language_is_read_when_shown():
    from lablib import set_language

    bar = TaskProgress(mode="widget")
    bar(info("running", progress=50), 2.0)
    set_language("fr")
    try:
        assert bar.status() == "Migrer la machine virtuelle (vm-shared) : 50 % · 2,0 s"
    finally:
        set_language("en")


def test_unknown_mode_is_refused():
    with pytest.raises(Exception, match="Unknown progress mode"):
        TaskProgress(mode="bar")
