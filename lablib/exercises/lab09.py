"""Lab 09, troubleshoot a broken vMotion: name the faults the server answers (09.1), then
fix the cause as an administrator would and migrate the VM while it runs (09.2).

Each student's lab is drawn from a seed (lablib.troubleshoot); prepare(lab, "09") breaks
it and keeps what the checks need. 09.2 judges the fix on the live lab, not only the
result (lablib.troubleshoot.judge); its hints follow the student's own broken lab.
"""

from __future__ import annotations

import contextlib
from typing import Any

from ..errors import LabError
from ..troubleshoot import judge, record
from .checks import _LABLIB_ERRORS
from .core import (
    DONE,
    NOT_DONE,
    WRONG,
    CheckResult,
    Exercise,
    T,
    current_lab,
    not_done,
    register,
    wrong,
)

#: What the last check read: the values and evidence the hints are written from.
_last: dict[str, Any] = {}


def _record(ctx) -> record.Record:
    found = record.current(ctx.lab)
    if found is None:
        raise LabError(T("this lab has no lab 09 ticket (the simulator was reset, or prepare "
                         "was not run): run prepare(lab, \"09\") first.",
                         "ce lab n'a pas de ticket du lab 09 (le simulateur a été remis à "
                         "zéro, ou prepare n'a pas été lancé) : lancez d'abord "
                         "prepare(lab, \"09\")."))
    return found


def _names(answer: Any) -> set[str]:
    """Return the fault type names of an answer: one name, or a set or list of names."""
    items = [answer] if isinstance(answer, str) else answer
    try:
        names = {str(item).strip().rsplit(".", 1)[-1] for item in items}
    except TypeError:
        wrong(T("Give the fault types' names as text, in a set: {{\"VMotionNotConfigured\"}}.",
                "Donnez les noms des types de fault sous forme de texte, dans un ensemble : "
                "{{\"VMotionNotConfigured\"}}."))
    if not names or "" in names:
        wrong(T("Give at least one fault type's name.", "Donnez au moins un nom de type de "
                "fault."))
    return names


def _diagnosis(ctx):
    kept = _record(ctx)
    _last.update(values=judge.values_of(ctx.lab), record=kept, evidence=None)
    if ctx.answer is None:
        not_done()
    names = _names(ctx.answer)
    lablib_errors = sorted(names & _LABLIB_ERRORS)
    if lablib_errors:
        wrong(T("{answer} is lablib's exception. Its .fault is the pyVmomi fault vCenter "
                "raises: give type(error.fault).__name__, or a finding's .fault_type.",
                "{answer} est l'exception de lablib. Son .fault est le fault pyVmomi que "
                "vCenter lève : donnez type(error.fault).__name__, ou le .fault_type d'un "
                "constat."), answer=lablib_errors[0])
    scenarios = kept.draw().scenarios
    known = {fault for s in scenarios for fault in s.faults}
    unknown = sorted(names - known)
    if unknown:
        wrong(T("{unknown} is not a fault this migration gets: read the server's verdict "
                "again.", "{unknown} n'est pas un fault de cette migration : relisez le "
                "verdict du serveur."), unknown=", ".join(unknown))
    named = sum(bool(names & set(s.faults)) for s in scenarios)
    if named < len(scenarios):
        wrong(T("vCenter refuses this migration for {n} reasons and your answer names {k}: "
                "the task's error shows only the first one, CheckRelocate_Task "
                "(lab.precheck) lists them all.",
                "vCenter refuse cette migration pour {n} raisons et votre réponse en nomme "
                "{k} : l'erreur de la tâche ne montre que la première, CheckRelocate_Task "
                "(lab.precheck) les liste toutes."), n=len(scenarios), k=named)
    return DONE


def _repaired(ctx):
    kept = _record(ctx)
    verdict, evidence = judge.evaluate(ctx.lab, kept)
    _last.update(values=evidence.values, record=kept, evidence=evidence)
    if verdict.status == NOT_DONE:
        return NOT_DONE
    if verdict.status == WRONG and verdict.reason is not None:
        wrong(verdict.reason)
    return DONE


def _tiers():
    """Return the hints for the student's own broken lab (None before any check)."""
    kept = _last.get("record")
    if kept is None:
        return None
    return judge.hint_tiers(kept.draw(), _last.get("evidence"), _last["values"])


def _keep(result: CheckResult) -> None:
    """Keep the verdict, and one more hint after a wrong answer, for the instructor."""
    kept = _last.get("record")
    if kept is None or result.status not in (DONE, NOT_DONE, WRONG):
        return
    earlier = kept.results.get(result.exercise.id, {}).get("hints", 0)
    kept.note(result.exercise.id, result.status, earlier + (result.status == WRONG))
    with contextlib.suppress(OSError):  # a read-only state directory: the kernel keeps it
        record.save(current_lab(), kept)


register(
    Exercise(
        "09.1",
        title=T("Name the faults that refuse the ticket's migration",
                "Nommer les faults qui refusent la migration du ticket"),
        done=T("Right: that is what the server answers for {vm} to {destination_host}.",
               "Exact : c'est ce que répond le serveur pour {vm} vers {destination_host}."),
        todo=T("store the fault types the server answers in diagnosis",
               "mettez les types de fault que répond le serveur dans diagnosis"),
        hints=(T("The task's error shows the first refusal only; the server's compatibility "
                 "check lists every one.",
                 "L'erreur de la tâche ne montre que le premier refus ; la vérification de "
                 "compatibilité du serveur les liste tous."),
               T("each finding of lab.precheck('{vm}', host='{destination_host}').failures "
                 "has a .fault_type.",
                 "chaque constat de lab.precheck('{vm}', host='{destination_host}').failures "
                 "a un .fault_type.")),
        evaluate=_diagnosis, answer=True, after=_keep),
    Exercise(
        "09.2",
        title=T("Fix the cause, then migrate {vm} to {destination_host} while it runs",
                "Corriger la cause, puis migrer {vm} vers {destination_host} pendant qu'elle "
                "tourne"),
        done=T("{vm} runs on {destination_host}, moved live, the cause fixed and nothing "
               "else changed.",
               "{vm} tourne sur {destination_host}, déplacée à chaud, la cause corrigée et "
               "rien d'autre changé."),
        todo=T("fix the ticket's cause, then migrate {vm} to {destination_host}",
               "corrigez la cause du ticket, puis migrez {vm} vers {destination_host}"),
        hints=(T("Fix what the server names, not around it: the VM should keep running.",
                 "Corrigez ce que nomme le serveur, sans le contourner : la VM doit continuer "
                 "de tourner."),
               T("lab.precheck('{vm}', host='{destination_host}') says what still refuses it.",
                 "lab.precheck('{vm}', host='{destination_host}') dit ce qui refuse encore.")),
        evaluate=_repaired, tiers=_tiers, after=_keep),
)
