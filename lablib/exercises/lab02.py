"""Lab 02, the prerequisites table checked live: which prerequisites the lab misses."""

from __future__ import annotations

from ..prerequisites import KEYS, prerequisites
from .checks import key_set
from .core import DONE, Exercise, T, register, wrong

_KEYS = {key: key for key in KEYS}


def _failing(vm_role: str):
    def evaluate(ctx):
        answer = key_set(ctx, _KEYS)
        vm = getattr(ctx.roles, vm_role)
        failing = set(prerequisites(ctx.lab, vm=vm).failing)
        missed = [k for k in KEYS if k in failing - answer]
        extra = [k for k in KEYS if k in answer - failing]
        if missed:
            wrong(T("'{key}' is not met either for {name}: look at its status column.",
                    "'{key}' n'est pas rempli non plus pour {name} : regardez sa colonne "
                    "état."), key=missed[0], name=vm)
        if extra:
            wrong(T("'{key}' is met for {name}: its status is ✔.",
                    "'{key}' est rempli pour {name} : son état est ✔."), key=extra[0], name=vm)
        return DONE

    return evaluate


register(
    Exercise(
        "02.1",
        title=T("List the prerequisites the lab does not meet yet",
                "Lister les prérequis que le lab ne remplit pas encore"),
        done=T("Right: those are the prerequisites that still block a vMotion of {vm}.",
               "Exact : ce sont les prérequis qui bloquent encore un vMotion de {vm}."),
        todo=T("put the keys of the failing prerequisites in the set not_met",
               "mettez les clés des prérequis non remplis dans l'ensemble not_met"),
        hints=(T("Read the status column of the table: ✘ marks what is not met.",
                 "Lisez la colonne état du tableau : ✘ marque ce qui n'est pas rempli."),
               T("prerequisites(lab).failing lists the keys, but try to read them yourself "
                 "first.", "prerequisites(lab).failing liste les clés, mais essayez d'abord "
                 "de les lire vous-même.")),
        evaluate=_failing("vm"), answer=True),
    Exercise(
        "02.2",
        title=T("List what blocks a vMotion of {local_vm}",
                "Lister ce qui bloque un vMotion de {local_vm}"),
        done=T("Right: {local_vm} also needs its files on a shared datastore.",
               "Exact : {local_vm} a aussi besoin de ses fichiers sur une banque de données "
               "partagée."),
        todo=T("put the keys that fail for {local_vm} in the set local_not_met",
               "mettez les clés non remplies pour {local_vm} dans l'ensemble "
               "local_not_met"),
        hints=(T("Build the table for {local_vm}: the datastore row changes.",
                 "Construisez le tableau pour {local_vm} : la ligne datastore change."),
               T("prerequisites(lab, vm=lab.roles.local_vm) builds it.",
                 "prerequisites(lab, vm=lab.roles.local_vm) le construit.")),
        evaluate=_failing("local_vm"), answer=True),
)
