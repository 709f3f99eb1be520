"""Lab 05, migrate the running VM from ESXi_1 to ESXi_2, compute resource only, then read
the task and the event (the course's "onglet Tâches"). Checks read the VM's placement,
the VM's recent tasks and its migration events."""

from __future__ import annotations

from .checks import events_of, text_answer
from .core import DONE, NOT_DONE, Exercise, T, not_done, register, wrong


def _migrated(ctx):
    vm = ctx.vm("vm")
    if vm.host != ctx.roles.destination_host:
        return NOT_DONE
    if vm.power_state != "poweredOn":
        wrong(T("{vm} is on {destination_host} but powered off: a vMotion moves it while "
                "it runs. Power it on.",
                "{vm} est sur {destination_host} mais éteinte : un vMotion la déplace "
                "pendant qu'elle tourne. Rallumez-la."))
    if vm.datastores != (ctx.roles.shared_datastore,):
        wrong(T("{vm} runs on {destination_host}, but its files moved to {datastores}: this "
                "step changes the compute resource only.",
                "{vm} tourne sur {destination_host}, mais ses fichiers sont partis sur "
                "{datastores} : cette étape ne change que la ressource de calcul."),
              datastores=", ".join(vm.datastores))
    if ctx.roles.vm_network not in vm.networks:
        wrong(T("{vm} runs on {destination_host}, but its network adapter is on "
                "{networks}: keep it on {vm_network}.",
                "{vm} tourne sur {destination_host}, mais sa carte réseau est sur "
                "{networks} : gardez-la sur {vm_network}."),
              networks=", ".join(vm.networks) or "-")
    return DONE


def _task(ctx):
    answer = ctx.answer
    if answer is None:
        not_done()
    if not hasattr(answer, "key") or not hasattr(answer, "state"):
        wrong(T("Store one task, an item of lab.tasks(...).items, not {kind}.",
                "Mettez une tâche, un élément de lab.tasks(...).items, pas {kind}."),
              kind=type(answer).__name__)
    tasks = ctx.lab.tasks(ctx.roles.vm, limit=50).items
    moves = [t for t in tasks if t.relocation]
    if not moves:
        wrong(T("{vm} has no migration task yet: migrate it first (exercise 05.1).",
                "{vm} n'a pas encore de tâche de migration : migrez-la d'abord (exercice "
                "05.1)."))
    if answer.key == moves[0].key:
        if moves[0].state != "success":
            wrong(T("That migration task ended in {state}, not success.",
                    "Cette tâche de migration s'est terminée en {state}, pas en succès."),
                  state=moves[0].state)
        return DONE
    if not getattr(answer, "relocation", False):
        wrong(T("That is a '{name}' task, not the migration.",
                "C'est une tâche « {name} », pas la migration."),
              name=getattr(answer, "name", "?"))
    wrong(T("That is an older migration task: take the newest (tasks come newest first).",
            "C'est une tâche de migration plus ancienne : prenez la plus récente (les "
            "tâches sont listées de la plus récente à la plus ancienne)."))


def _came_from(ctx):
    answer = text_answer(ctx, "host", "de l'hôte")
    events = events_of(ctx, "vm")
    if not events:
        wrong(T("{vm} has no migration event yet: migrate it first (exercise 05.1).",
                "{vm} n'a pas encore d'événement de migration : migrez-la d'abord "
                "(exercice 05.1)."))
    newest = events[0]
    if answer == newest.source_host:
        return DONE
    if answer == newest.destination_host:
        wrong(T("{answer} is where {vm} went: the event's 'from' column says where it came "
                "from.",
                "{answer} est l'hôte où {vm} est allée : la colonne « depuis » de "
                "l'événement dit d'où elle vient."), answer=answer)
    wrong(T("The newest migration event of {vm} does not name {answer}.",
            "Le dernier événement de migration de {vm} ne cite pas {answer}."),
          answer=answer)


register(
    Exercise(
        "05.1",
        title=T("Migrate {vm} to {destination_host}, compute resource only",
                "Migrer {vm} vers {destination_host}, ressource de calcul uniquement"),
        done=T("{vm} runs on {destination_host}, powered on, its files still on "
               "{shared_datastore}.",
               "{vm} tourne sur {destination_host}, allumée, ses fichiers toujours sur "
               "{shared_datastore}."),
        todo=T("migrate {vm} to {destination_host} (compute only, network {vm_network})",
               "migrez {vm} vers {destination_host} (ressource de calcul uniquement, réseau "
               "{vm_network})"),
        hints=(T("Compute only: give the destination host, and no datastore.",
                 "Ressource de calcul uniquement : donnez l'hôte de destination, et aucune "
                 "banque de données."),
               T("lab.migrate(lab.roles.vm, host=lab.roles.destination_host, "
                 "network=lab.roles.vm_network): RelocateVM_Task with a "
                 "VirtualMachineRelocateSpec(host, pool).",
                 "lab.migrate(lab.roles.vm, host=lab.roles.destination_host, "
                 "network=lab.roles.vm_network) : RelocateVM_Task avec un "
                 "VirtualMachineRelocateSpec(host, pool).")),
        evaluate=_migrated),
    Exercise(
        "05.2",
        title=T("Find the migration task of {vm}", "Trouver la tâche de migration de {vm}"),
        done=T("Right: that is the task that migrated {vm}, and it succeeded.",
               "Exact : c'est la tâche qui a migré {vm}, et elle a réussi."),
        todo=T("store the migration task in migration_task",
               "mettez la tâche de migration dans migration_task"),
        hints=(T("The course: the VM's Tasks tab shows the migration. lab.tasks(vm) is that "
                 "tab.",
                 "Le cours : l'onglet Tâches de la VM montre la migration. lab.tasks(vm) "
                 "est cet onglet."),
               T("lab.tasks(lab.roles.vm).items lists TaskSummary objects, newest first; "
                 "pick the 'Relocate virtual machine' one.",
                 "lab.tasks(lab.roles.vm).items liste des TaskSummary, les plus récentes "
                 "d'abord ; prenez « Migrer la machine virtuelle ».")),
        evaluate=_task, answer=True),
    Exercise(
        "05.3",
        title=T("Read where {vm} came from in its migration event",
                "Lire d'où vient {vm} dans son événement de migration"),
        done=T("Right: the migration event records the source host.",
               "Exact : l'événement de migration enregistre l'hôte source."),
        todo=T("store the source host of the newest migration event in came_from",
               "mettez l'hôte source du dernier événement de migration dans came_from"),
        hints=(T("lab.events(vm) lists the migration events: read the 'from' column.",
                 "lab.events(vm) liste les événements de migration : lisez la colonne "
                 "« depuis »."),
               T("lab.events(lab.roles.vm).items[0].source_host.",
                 "lab.events(lab.roles.vm).items[0].source_host.")),
        evaluate=_came_from, answer=True),
)
