"""Wait for vSphere tasks through the PropertyCollector, with progress and a timeout.

No sleep loop: a private PropertyCollector watches the tasks and `WaitForUpdatesEx`
returns as soon as one changes (reference/style-anchors.md §3 and §5,
vsphere-facts.md §5). The progress callback also gets a heartbeat about once a second,
so a progress bar can show the elapsed time on vcsim, which never reports progress
(vcsim-gaps.md §4(i)).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from pyVmomi import vim, vmodl

from .errors import TaskFailed, TaskTimeout
from .i18n import tr
from .inventory import MOID

_PC = vmodl.query.PropertyCollector
_DONE = ("success", "error")
Progress = Callable[["TaskState", float], None]  # (task state, seconds elapsed)


@dataclass(frozen=True)
class TaskState:
    """The parts of a TaskInfo lablib reads, under TaskInfo's names.

    The fields are read one by one rather than as a whole `info`: vcsim names a
    non-entity (the FileManager, the provisioning checker) as the entity of some tasks,
    which pyVmomi cannot read as a TaskInfo. `entity` is looked up once the task ends.
    """

    task: object = field(repr=False)
    key: str = ""
    name: object = None
    descriptionId: str = ""
    entityName: str = ""
    state: str = "queued"
    progress: int | None = None
    error: object = None
    result: object = None
    queueTime: object = None
    startTime: object = None
    completeTime: object = None
    eventChainId: int | None = None
    entity: object = None


_FIELDS = [f"info.{name}" for name in TaskState.__dataclass_fields__
           if name not in ("task", "entity")]

#: What the vSphere Client calls the tasks the labs run, by descriptionId.
TASK_LABELS = {
    "VirtualMachine.relocate": ("Relocate virtual machine", "Migrer la machine virtuelle"),
    "VirtualMachine.relocateVm": ("Relocate virtual machine", "Migrer la machine virtuelle"),
    "VirtualMachine.powerOn": ("Power On virtual machine", "Mettre la VM sous tension"),
    "VirtualMachine.powerOff": ("Power Off virtual machine", "Mettre la VM hors tension"),
    "VirtualMachine.suspend": ("Suspend virtual machine", "Suspendre la VM"),
    "VirtualMachine.reconfigure": ("Reconfigure virtual machine", "Reconfigurer la VM"),
    "VirtualMachine.reconfigVm": ("Reconfigure virtual machine", "Reconfigurer la VM"),
    "Folder.createVm": ("Create virtual machine", "Créer une machine virtuelle"),
    "HostSystem.enterMaintenanceMode": ("Enter maintenance mode", "Entrer en mode maintenance"),
    "HostSystem.exitMaintenanceMode": ("Exit maintenance mode", "Quitter le mode maintenance"),
    "ClusterComputeResource.addHost": ("Add host", "Ajouter un hôte"),
}


def wait(conn, task, timeout: float | None = None,
         on_progress: Progress | None = None) -> TaskState:
    """Wait for one task and return its TaskState (TaskInfo's fields).

    Args:
        conn: the Connection the task belongs to.
        task: a vim.Task.
        timeout: seconds to wait at most (None waits as long as it takes).
        on_progress: called with (info, elapsed seconds) on every change and heartbeat.

    Raises:
        TaskFailed: the task ended in error; `.fault` is the server's fault.
        TaskTimeout: the task is still running after `timeout` seconds.
    """
    return wait_all(conn, [task], timeout, on_progress)[0]


def wait_all(conn, tasks: Sequence, timeout: float | None = None,
             on_progress: Progress | None = None, raise_on_error: bool = True) -> list:
    """Wait for several tasks at once and return their TaskStates in the same order.

    With raise_on_error=False a failed task's TaskState is returned (state "error").
    """
    if not tasks:
        return []
    start = time.monotonic()
    collector = conn.content.propertyCollector.CreatePropertyCollector()
    try:
        spec = _PC.FilterSpec(
            objectSet=[_PC.ObjectSpec(obj=task) for task in tasks],
            propSet=[_PC.PropertySpec(type=vim.Task, pathSet=_FIELDS)])
        collector.CreateFilter(spec, partialUpdates=False)
        infos = {task._moId: TaskState(task) for task in tasks}
        version = ""
        while True:
            elapsed = time.monotonic() - start
            if timeout is not None and elapsed >= timeout:
                raise TaskTimeout(_timeout_message(infos, timeout))
            step = 1 if on_progress or timeout is not None else 60
            if timeout is not None:
                step = max(1, min(step, int(timeout - elapsed + 0.999)))
            update = collector.WaitForUpdatesEx(version, _PC.WaitOptions(maxWaitSeconds=step))
            if update is not None:
                version = update.version
                for moid, changes in _changes(update):
                    infos[moid] = _named(replace(infos[moid], **changes))
            if on_progress:
                for info in infos.values():
                    on_progress(info, time.monotonic() - start)
            if all(info.state in _DONE for info in infos.values()):
                break
    finally:
        collector.DestroyPropertyCollector()
    ordered = [infos[task._moId] for task in tasks]
    if raise_on_error:
        for info in ordered:
            if info.state == "error":
                raise failure(info)
    return ordered


def failure(info) -> TaskFailed:
    """Return the TaskFailed error for a TaskInfo in state "error"."""
    fault = info.error
    return TaskFailed(f"Task {describe(info)} failed: {fault_text(fault)}", fault)


def task_label(info) -> str:
    """Return the vSphere Client's name of a task ("Relocate virtual machine")."""
    label = TASK_LABELS.get(info.descriptionId or "")
    if label:
        return tr(*label)
    name = getattr(info.name, "name", None) or info.name or info.descriptionId or "task"
    return str(name).split(".")[-1]


def describe(info) -> str:
    """Return "Relocate virtual machine on 'vm-shared'" for a TaskState or TaskInfo."""
    name = task_label(info)
    return f"{name} on '{info.entityName}'" if info.entityName else name


# What common faults mean, for servers that send only the fault's type (vcsim does).
_MEANINGS = {
    "InvalidPowerState": "the VM's power state does not allow this",
    "InvalidState": "the object's current state does not allow this",
    "InvalidArgument": "an argument of the call is not valid",
    "NotFound": "something the call names does not exist",
    "ManagedObjectNotFound": "the object no longer exists",
    "NoPermission": "the user lacks a privilege for this",
    "NotAuthenticated": "the session is not logged in",
    "MethodNotFound": "the server does not implement this method",
}


def fault_text(fault) -> str:
    """Return a readable sentence for a pyVmomi fault (vcsim often sends only a type name)."""
    if fault is None:
        return "no details from the server"
    kind = type(fault).__name__.split(".")[-1]
    msg = (getattr(fault, "msg", "") or "").strip()
    if not msg or msg == kind or msg.endswith(kind):
        return f"{_MEANINGS.get(kind, 'the server gave no explanation')} ({kind})"
    return f"{msg} ({kind})"


def _changes(update):
    """Yield (task moid, {TaskState field: new value}) for each changed task."""
    for filter_set in update.filterSet or []:
        for obj in filter_set.objectSet or []:
            yield obj.obj._moId, {change.name[len("info."):]: change.val
                                  for change in obj.changeSet or []}


def _named(info: TaskState) -> TaskState:
    """Look up the task's entity once; vcsim puts its moid where vCenter puts its name."""
    if info.entity is not None or not info.entityName:
        return info
    try:
        entity = info.task.info.entity
    except Exception:  # the vcsim tasks whose entity is no managed entity
        return info
    if entity is None or not MOID.match(info.entityName):
        return replace(info, entity=entity)
    try:
        return replace(info, entity=entity, entityName=entity.name)
    except Exception:
        return replace(info, entity=entity)


def _timeout_message(infos: dict, timeout: float) -> str:
    running = [describe(i) for i in infos.values() if i.state not in _DONE]
    what = ", ".join(running) or "the task"
    return (f"{what} did not finish within {timeout:g} s; it may still be running on the "
            "server. Look at lab.tasks() and wait, or raise the timeout.")
