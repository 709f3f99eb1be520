"""Wait for vSphere tasks through the PropertyCollector, with progress and a timeout.

No sleep loop: a private PropertyCollector watches the tasks and `WaitForUpdatesEx`
returns as soon as one changes (docs/style.md §3 and §5, docs/vsphere-facts.md §5). The
progress callback also gets a heartbeat about once a second, so a progress bar moves
even on a server that reports no progress. A session that expires while it waits is
logged in again, and the collector, which belonged to the old session, is made again.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pyVmomi import vim, vmodl

from .errors import TaskFailed, TaskTimeout, fault_text
from .inventory import MOID
from .text import Text

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

    task: Any = field(repr=False)
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
MAX_STEP = 10  # seconds a WaitForUpdatesEx may block: well below a request's timeout

#: What the vSphere Client calls the tasks the labs run, by descriptionId.
TASK_LABELS = {
    "VirtualMachine.relocate": Text("Relocate virtual machine", "Migrer la machine virtuelle"),
    "VirtualMachine.relocateVm": Text("Relocate virtual machine",
                                      "Migrer la machine virtuelle"),
    "VirtualMachine.powerOn": Text("Power On virtual machine", "Mettre la VM sous tension"),
    "VirtualMachine.powerOff": Text("Power Off virtual machine", "Mettre la VM hors tension"),
    "VirtualMachine.suspend": Text("Suspend virtual machine", "Suspendre la VM"),
    "VirtualMachine.reconfigure": Text("Reconfigure virtual machine", "Reconfigurer la VM"),
    "VirtualMachine.reconfigVm": Text("Reconfigure virtual machine", "Reconfigurer la VM"),
    "Folder.createVm": Text("Create virtual machine", "Créer une machine virtuelle"),
    "HostSystem.enterMaintenanceMode": Text("Enter maintenance mode",
                                            "Entrer en mode maintenance"),
    "HostSystem.exitMaintenanceMode": Text("Exit maintenance mode",
                                           "Quitter le mode maintenance"),
    "ClusterComputeResource.addHost": Text("Add host", "Ajouter un hôte"),
    "VirtualMachineProvisioningChecker.checkRelocate": Text(
        "Check migration compatibility", "Vérifier la compatibilité de migration"),
    "ClusterEVCManager.configureEvcMode": Text("Configure EVC", "Configurer EVC"),
    "ClusterEVCManager.disableEvcMode": Text("Disable EVC", "Désactiver EVC"),
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
    spec = _PC.FilterSpec(
        objectSet=[_PC.ObjectSpec(obj=task) for task in tasks],
        propSet=[_PC.PropertySpec(type=vim.Task, pathSet=_FIELDS)])
    infos = {task._moId: TaskState(task) for task in tasks}
    collector = _collector(conn, spec)
    version = ""
    try:
        while True:
            elapsed = time.monotonic() - start
            if timeout is not None and elapsed >= timeout:
                raise TaskTimeout(_timeout_message(infos, timeout))
            step = 1 if on_progress or timeout is not None else MAX_STEP
            if timeout is not None:
                step = max(1, min(step, int(timeout - elapsed + 0.999)))
            try:
                update = collector.WaitForUpdatesEx(version,
                                                    _PC.WaitOptions(maxWaitSeconds=step))
            except vmodl.fault.ManagedObjectNotFound:
                # The session expired and was logged in again: its collector is gone.
                collector, version = _collector(conn, spec), ""
                continue
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
        with contextlib.suppress(vmodl.MethodFault):  # already gone with its session
            collector.DestroyPropertyCollector()
    ordered = [infos[task._moId] for task in tasks]
    if raise_on_error:
        for info in ordered:
            if info.state == "error":
                raise failure(info)
    return ordered


def _collector(conn: Any, spec: Any) -> Any:
    """Return a private PropertyCollector that watches `spec`."""
    collector = conn.content.propertyCollector.CreatePropertyCollector()
    collector.CreateFilter(spec, partialUpdates=False)
    return collector


def failure(info: Any) -> TaskFailed:
    """Return the TaskFailed error for a TaskInfo in state "error"."""
    fault = info.error
    return TaskFailed(Text("Task {task} failed: {fault}", "La tâche {task} a échoué : {fault}",
                           task=describe(info), fault=fault_text(fault)), fault)


def task_label(info: Any) -> Text:
    """Return the vSphere Client's name of a task ("Relocate virtual machine")."""
    label = TASK_LABELS.get(info.descriptionId or "")
    if label is not None:
        return label
    method = info.name  # a pyVmomi ManagedMethod (its WSDL name in .info.name), or a string
    name = getattr(getattr(method, "info", None), "name", None) or \
        (method if isinstance(method, str) else None) or info.descriptionId or "task"
    return Text(str(name).split(".")[-1])


def describe(info: Any) -> Text:
    """Return "Relocate virtual machine on 'vm-shared'" for a TaskState or TaskInfo."""
    name = task_label(info)
    if not info.entityName:
        return name
    return Text("{name} on '{target}'", "{name} ({target})", name=name,
                target=info.entityName)


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


def _timeout_message(infos: dict, timeout: float) -> Text:
    running = [describe(i) for i in infos.values() if i.state not in _DONE]
    what = Text.join(", ", running) if running else Text("the task", "la tâche")
    return Text("{what} did not finish within {timeout} s; it may still be running on the "
                "server. Look at lab.tasks() and wait, or raise the timeout.",
                "{what} ne s'est pas terminée en {timeout} s ; elle tourne peut-être encore "
                "sur le serveur. Regardez lab.tasks() et patientez, ou augmentez le délai.",
                what=what, timeout=f"{timeout:g}")
