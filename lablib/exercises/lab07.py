"""Lab 07, the three migration types: compute only, storage only, compute + storage.

Checks read the VMs' migration events (lab.events), so a later migration does not undo
an earlier exercise: each event says what moved, host and datastore, before and after.
"""

from __future__ import annotations

from ..text import Text
from .checks import events_of
from .core import DONE, NOT_DONE, Exercise, T, register, wrong


def _host_moved(event) -> bool:
    return event.source_host != event.destination_host


def _storage_moved(event) -> bool:
    return event.source_datastore != event.destination_datastore


def _describe(event) -> dict:
    return {"source": f"{event.source_host}, {event.source_datastore}",
            "destination": f"{event.destination_host}, {event.destination_datastore}"}


def _only(role: str, moved, also, message: Text):
    """Return a check: an event of `role`'s VM where `moved` changed and `also` did not."""
    def evaluate(ctx):
        moves = [e for e in events_of(ctx, role) if moved(e)]
        if not moves:
            return NOT_DONE
        if any(not also(e) for e in moves):
            return DONE
        wrong(message, **_describe(moves[0]))

    return evaluate


_compute_only = _only("vm", _host_moved, _storage_moved, T(
    "{vm} went from {source} to {destination}: its files moved too. 07.1 asks for compute "
    "only.",
    "{vm} est passée de {source} à {destination} : ses fichiers ont bougé aussi. 07.1 "
    "demande la ressource de calcul uniquement."))
_storage_only = _only("vm", _storage_moved, _host_moved, T(
    "{vm} went from {source} to {destination}: its host changed too. 07.2 asks for storage "
    "only.",
    "{vm} est passée de {source} à {destination} : son hôte a changé aussi. 07.2 demande "
    "le stockage uniquement."))


def _both(ctx):
    moves = events_of(ctx, "local_vm")
    if not moves:
        return NOT_DONE
    if any(_host_moved(e) and _storage_moved(e) for e in moves):
        return DONE
    what = (T("only its storage", "seulement son stockage") if _storage_moved(moves[0])
            else T("only its host", "seulement son hôte"))
    wrong(T("{local_vm} went from {source} to {destination}: {what} changed. 07.3 asks "
            "for both in one migration.",
            "{local_vm} est passée de {source} à {destination} : {what} a changé. 07.3 "
            "demande les deux en une seule migration."), what=what, **_describe(moves[0]))


register(
    Exercise(
        "07.1",
        title=T("Compute only: move {vm} to {destination_host}",
                "Ressource de calcul uniquement : déplacer {vm} vers {destination_host}"),
        done=T("{vm} changed host and kept its datastore: a compute-only migration "
               "(vMotion).",
               "{vm} a changé d'hôte et gardé sa banque de données : une migration de la "
               "ressource de calcul uniquement (vMotion)."),
        todo=T("migrate {vm} to {destination_host}, compute only",
               "migrez {vm} vers {destination_host}, ressource de calcul uniquement"),
        hints=(T("Give a host and no datastore.",
                 "Donnez un hôte et aucune banque de données."),
               T("lab.migrate(lab.roles.vm, host=lab.roles.destination_host).",
                 "lab.migrate(lab.roles.vm, host=lab.roles.destination_host).")),
        evaluate=_compute_only),
    Exercise(
        "07.2",
        title=T("Storage only: move {vm}'s files to {destination_local_datastore}",
                "Stockage uniquement : déplacer les fichiers de {vm} vers "
                "{destination_local_datastore}"),
        done=T("{vm} kept its host and changed datastore: a storage-only migration "
               "(Storage vMotion).",
               "{vm} a gardé son hôte et changé de banque de données : une migration du "
               "stockage uniquement (Storage vMotion)."),
        todo=T("move {vm}'s files to {destination_local_datastore} without changing its "
               "host",
               "déplacez les fichiers de {vm} vers {destination_local_datastore} sans "
               "changer d'hôte"),
        hints=(T("Give a datastore and no host; the host must mount that datastore.",
                 "Donnez une banque de données et aucun hôte ; l'hôte doit la monter."),
               T("lab.migrate(lab.roles.vm, "
                 "datastore=lab.roles.destination_local_datastore).",
                 "lab.migrate(lab.roles.vm, "
                 "datastore=lab.roles.destination_local_datastore).")),
        evaluate=_storage_only),
    Exercise(
        "07.3",
        title=T("Compute + storage: move {local_vm} to {destination_host} and "
                "{destination_local_datastore}",
                "Calcul + stockage : déplacer {local_vm} vers {destination_host} et "
                "{destination_local_datastore}"),
        done=T("{local_vm} changed host and datastore in one migration, without shared "
               "storage.",
               "{local_vm} a changé d'hôte et de banque de données en une seule migration, "
               "sans stockage partagé."),
        todo=T("migrate {local_vm} to {destination_host} and {destination_local_datastore} "
               "at once",
               "migrez {local_vm} vers {destination_host} et {destination_local_datastore} "
               "en une fois"),
        hints=(T("Give both a host and a datastore that host mounts.",
                 "Donnez à la fois un hôte et une banque de données que cet hôte monte."),
               T("lab.migrate(lab.roles.local_vm, host=lab.roles.destination_host, "
                 "datastore=lab.roles.destination_local_datastore).",
                 "lab.migrate(lab.roles.local_vm, host=lab.roles.destination_host, "
                 "datastore=lab.roles.destination_local_datastore).")),
        evaluate=_both),
)
