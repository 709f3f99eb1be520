"""Lab 06, the local-storage error: read the fault, move the VM's files to the shared
datastore (Storage vMotion), then migrate it. Checks read the local VM's placement."""

from __future__ import annotations

from .checks import fault_answer
from .core import DONE, NOT_DONE, Exercise, T, register, wrong

#: The faults vCenter raises when the destination cannot reach the VM's files
#: (docs/vsphere-facts.md §4; whether the disk fault comes with the config one is UNCONFIRMED).
FILE_FAULTS = ("CannotAccessVmConfig", "CannotAccessVmDisk")


def _why(ctx):
    fault_answer(ctx, "local_vm", "shared-storage", FILE_FAULTS)
    return DONE


def _local_again(ctx, vm):
    local = [d for d in vm.datastores if not ctx.snapshot.datastore(d).shared]
    if local:
        wrong(T("{local_vm}'s files are on {datastores}, a local datastore again: only one "
                "host sees it. Move them to {shared_datastore}.",
                "Les fichiers de {local_vm} sont sur {datastores}, encore une banque de "
                "données locale : un seul hôte la voit. Déplacez-les vers "
                "{shared_datastore}."), datastores=", ".join(local))


def _on_shared(ctx):
    vm = ctx.vm("local_vm")
    if vm.datastores == (ctx.roles.local_datastore,):
        return NOT_DONE
    _local_again(ctx, vm)
    return DONE


def _migrated(ctx):
    vm = ctx.vm("local_vm")
    if vm.host != ctx.roles.destination_host:
        return NOT_DONE
    _local_again(ctx, vm)
    if vm.power_state != "poweredOn":
        wrong(T("{local_vm} is on {destination_host} but powered off: migrate it while it "
                "runs, so its users keep working.",
                "{local_vm} est sur {destination_host} mais éteinte : migrez-la pendant "
                "qu'elle tourne, pour que ses utilisateurs continuent à travailler."))
    return DONE


register(
    Exercise(
        "06.1",
        title=T("Name the fault that refuses {local_vm}'s migration",
                "Nommer le fault qui refuse la migration de {local_vm}"),
        done=T("Right: {destination_host} cannot reach the VM's files on a datastore it "
               "does not mount.",
               "Exact : {destination_host} ne peut pas atteindre les fichiers de la VM sur "
               "une banque de données qu'il ne monte pas."),
        todo=T("store the fault's type name in storage_fault",
               "mettez le nom du type du fault dans storage_fault"),
        hints=(T("The cell above caught the error as refusal: look at refusal.fault.",
                 "La cellule ci-dessus a capturé l'erreur dans refusal : regardez "
                 "refusal.fault."),
               T("type(refusal.fault).__name__ gives the name.",
                 "type(refusal.fault).__name__ donne le nom.")),
        evaluate=_why, answer=True),
    Exercise(
        "06.2",
        title=T("Move {local_vm}'s files to {shared_datastore} (Storage vMotion)",
                "Déplacer les fichiers de {local_vm} vers {shared_datastore} "
                "(Storage vMotion)"),
        done=T("{local_vm}'s files are on a datastore both hosts mount.",
               "Les fichiers de {local_vm} sont sur une banque de données que les deux "
               "hôtes montent."),
        todo=T("move {local_vm}'s files to {shared_datastore}",
               "déplacez les fichiers de {local_vm} vers {shared_datastore}"),
        hints=(T("Storage only: the VM stays on its host, only the datastore changes.",
                 "Stockage uniquement : la VM reste sur son hôte, seule la banque de "
                 "données change."),
               T("lab.migrate(lab.roles.local_vm, datastore=lab.roles.shared_datastore): "
                 "RelocateVM_Task with a VirtualMachineRelocateSpec(datastore).",
                 "lab.migrate(lab.roles.local_vm, datastore=lab.roles.shared_datastore) : "
                 "RelocateVM_Task avec un VirtualMachineRelocateSpec(datastore).")),
        evaluate=_on_shared),
    Exercise(
        "06.3",
        title=T("Migrate {local_vm} to {destination_host}",
                "Migrer {local_vm} vers {destination_host}"),
        done=T("{local_vm} runs on {destination_host}, its files on shared storage.",
               "{local_vm} tourne sur {destination_host}, ses fichiers sur un stockage "
               "partagé."),
        todo=T("migrate {local_vm} to {destination_host}",
               "migrez {local_vm} vers {destination_host}"),
        hints=(T("Now that its files are shared, the compute-only migration of step 1 "
                 "works.",
                 "Maintenant que ses fichiers sont partagés, la migration de l'étape 1 "
                 "(ressource de calcul uniquement) fonctionne."),
               T("lab.migrate(lab.roles.local_vm, host=lab.roles.destination_host).",
                 "lab.migrate(lab.roles.local_vm, host=lab.roles.destination_host).")),
        evaluate=_migrated),
)
