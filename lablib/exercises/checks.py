"""Small building blocks the labs' checks share: reading an answer the student gives.

Each helper returns the value, or ends the evaluation with `not_done()` / `wrong(...)`.
"""

from __future__ import annotations

from .core import T, not_done, wrong


def text_answer(ctx, kind_en: str, kind_fr: str) -> str:
    """Return the answer as a stripped str; not done when missing; wrong when not text."""
    if ctx.answer is None:
        not_done()
    if not isinstance(ctx.answer, str) or not ctx.answer.strip():
        wrong(T(f"Give the {kind_en}'s name as text, in quotes: \"...\".",
                f"Donnez le nom {kind_fr} sous forme de texte, entre guillemets : \"...\"."))
    return ctx.answer.strip()


def number_answer(ctx, low: float = 0) -> float:
    """Return the answer as a number >= `low`; not done when missing; wrong otherwise."""
    if ctx.answer is None:
        not_done()
    value = ctx.answer
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low:
        wrong(T("Give a number of at least {low}, without quotes (for example 300_000).",
                "Donnez un nombre d'au moins {low}, sans guillemets (par exemple 300_000)."),
              low=low)
    return value


def key_set(ctx, accepted: dict[str, str]) -> set[str]:
    """Return the answer as a set of canonical keys; not done when missing; wrong otherwise.

    Args:
        ctx: the check's context.
        accepted: every word a student may write (lower case) -> its canonical key.
    """
    if ctx.answer is None:
        not_done()
    answer = ctx.answer
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        wrong(T("Give a set of words in braces, for example {{\"a\", \"b\"}}.",
                "Donnez un ensemble de mots entre accolades, par exemple {{\"a\", \"b\"}}."))
    keys, unknown = set(), []
    for word in answer:
        key = accepted.get(str(word).strip().lower())
        if key is None:
            unknown.append(repr(word))
        else:
            keys.add(key)
    if unknown:
        wrong(T("Unknown word(s) {unknown}. Use: {words}.",
                "Mot(s) inconnu(s) {unknown}. Utilisez : {words}."),
              unknown=", ".join(unknown), words=", ".join(sorted(set(accepted.values()))))
    return keys


#: lablib's exception classes, which students may give instead of the fault they carry.
_LABLIB_ERRORS = {"MigrationRefused", "OperationRefused", "EvcRefused", "LabError",
                  "TaskFailed"}


def fault_answer(ctx, vm_role: str, rule: str, family: tuple[str, ...]) -> None:
    """Check that the answer names the fault a compute-only migration of the VM gets.

    The expected fault is read from the live precheck of that migration (the failure of
    `rule`); when that rule holds by now (the student already fixed it), any fault of
    `family` is accepted. Ends the evaluation with not_done() or wrong(); returns when right.
    """
    answer = text_answer(ctx, "fault type", "du type de fault").rsplit(".", 1)[-1]
    vm = getattr(ctx.roles, vm_role)
    precheck = ctx.lab.precheck(vm, host=ctx.roles.destination_host)
    live = {type(f.fault).__name__.rsplit(".", 1)[-1] for f in precheck.failures
            if f.rule == rule and f.fault is not None}
    if answer in (live or set(family)):
        return
    if answer in _LABLIB_ERRORS:
        wrong(T("{answer} is lablib's exception. Its .fault is the pyVmomi fault vCenter "
                "raises: give type(error.fault).__name__.",
                "{answer} est l'exception de lablib. Son .fault est le fault pyVmomi que "
                "vCenter lève : donnez type(error.fault).__name__."), answer=answer)
    wrong(T("{answer} is not the fault this migration of {name} gets: read the error's "
            ".fault again.", "{answer} n'est pas le fault de cette migration de {name} : "
            "relisez le .fault de l'erreur."), answer=answer, name=vm)


def events_of(ctx, vm_role: str) -> list:
    """Return the VM's migration events (lab.events), newest first."""
    return list(ctx.lab.events(getattr(ctx.roles, vm_role), limit=100).items)
