"""Waiting for tasks: success, failure with the server's fault, timeout, progress."""

import pytest
from pyVmomi import vim

from lablib.errors import TaskFailed, TaskTimeout
from lablib.inventory import Inventory
from lablib.tasks import wait, wait_all


@pytest.fixture(scope="module")
def slow_sim(model_simulator):
    """vcsim where every relocation task runs for 3 s (docs/vcsim-gaps.md §4(i))."""
    return model_simulator("-cluster", "1", "-host", "2", "-vm", "2", delay_ms=3000)


def relocate_task(conn, vm_index=0):
    inventory = Inventory(conn)
    vm = sorted(inventory.retrieve("vm", ["name"]), key=lambda r: r["name"])[vm_index]["obj"]
    here = vm.runtime.host
    there = next(h for h in here.parent.host if h != here)
    return vm, there, vm.RelocateVM_Task(vim.vm.RelocateSpec(host=there))


def test_success_returns_the_task_info_and_reports_progress(slow_sim):
    vm, there, task = relocate_task(slow_sim)
    seen = []
    info = wait(slow_sim, task, on_progress=lambda i, elapsed: seen.append((i.state, elapsed)))
    assert info.state == "success" and vm.runtime.host == there
    assert len(seen) >= 2 and seen[-1][0] == "success"
    assert seen[0][1] <= seen[-1][1]  # elapsed time grows: a bar can show it on vcsim


def test_timeout_says_the_task_may_still_run(slow_sim):
    _vm, _there, task = relocate_task(slow_sim, 1)
    with pytest.raises(TaskTimeout, match=r"did not finish within 1 s.*lab.tasks"):
        wait(slow_sim, task, timeout=1)
    assert wait(slow_sim, task).state == "success"  # it finished later on the server


def test_failure_carries_the_server_fault(lab):
    vm = lab.vm("vm-shared")
    with pytest.raises(TaskFailed) as failed:
        wait(lab.conn, vm.PowerOnVM_Task())  # already powered on
    assert isinstance(failed.value.fault, vim.fault.InvalidPowerState)
    assert "vm-shared" in str(failed.value) and "InvalidPowerState" in str(failed.value)


def test_wait_all_returns_failures_when_asked(lab):
    tasks = [lab.vm("vm-shared").PowerOnVM_Task(), lab.vm("vm-local").PowerOffVM_Task()]
    infos = wait_all(lab.conn, tasks, raise_on_error=False)
    assert [i.state for i in infos] == ["error", "success"]
