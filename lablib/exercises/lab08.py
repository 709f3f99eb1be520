"""Lab 08, the course's use cases: maintenance of a host without impacting users,
rebalancing the cluster, and what DRS automates. Checks read the hosts' maintenance
mode, where the VMs run and whether they are powered on, and the cluster's DRS setting."""

from __future__ import annotations

from .checks import events_of, key_set
from .core import DONE, NOT_DONE, Exercise, T, register, wrong

#: DRS automation levels (vim.cluster.DrsConfigInfo.DrsBehavior), in both languages.
LEVELS = {
    "manual": "manual", "manuel": "manual",
    "partiallyautomated": "partiallyAutomated", "partially automated": "partiallyAutomated",
    "partiellement automatisé": "partiallyAutomated",
    "partiellement automatise": "partiallyAutomated",
    "fullyautomated": "fullyAutomated", "fully automated": "fullyAutomated",
    "entièrement automatisé": "fullyAutomated", "entierement automatise": "fullyAutomated",
}


def _lab_vms(ctx):
    return [ctx.vm("vm"), ctx.vm("local_vm")]


def _maintenance(ctx):
    source = ctx.host("source_host")
    off = [vm.name for vm in _lab_vms(ctx) if vm.power_state != "poweredOn"]
    if off:
        wrong(T("Powered off: {vms}. Their users lost them. Power them on; a VM on local "
                "storage needs its files on a shared datastore first, so vMotion can move "
                "it.",
                "Éteinte(s) : {vms}. Leurs utilisateurs n'y ont plus accès. Rallumez ; une "
                "VM sur un stockage local a d'abord besoin de ses fichiers sur une banque "
                "de données partagée, pour que vMotion la déplace."), vms=", ".join(off))
    if not source.in_maintenance:
        return NOT_DONE
    return DONE


def _rebalanced(ctx):
    source, dest = ctx.host("source_host"), ctx.host("destination_host")
    if source.in_maintenance or dest.in_maintenance:
        return NOT_DONE
    hosts = {vm.host for vm in _lab_vms(ctx) if vm.power_state == "poweredOn"}
    if source.name not in hosts:
        wrong(T("Every running VM is on {host}: the cluster is not balanced yet. Ask for "
                "the recommendations and apply them.",
                "Toutes les VM allumées sont sur {host} : le cluster n'est pas encore "
                "équilibré. Demandez les recommandations et appliquez-les."),
              host=", ".join(sorted(hosts)) or "-")
    # Balanced after the maintenance: a VM came back to the source host by vMotion.
    back = [e for role in ("vm", "local_vm") for e in events_of(ctx, role)
            if e.destination_host == source.name and e.source_host != source.name]
    if dest.name in hosts and back:
        return DONE
    return NOT_DONE


def _drs_level(ctx):
    if isinstance(ctx.answer, str):
        ctx.answer = {ctx.answer}
    level = key_set(ctx, LEVELS)
    current = ctx.cluster().drs_behavior or "-"
    if level == {"fullyAutomated"}:
        return DONE
    if "manual" in level:
        wrong(T("With manual, DRS only recommends; you apply, as in 08.2 (your cluster is "
                "set to {current}).",
                "En manuel, DRS ne fait que recommander ; c'est vous qui appliquez, comme "
                "en 08.2 (votre cluster est réglé sur {current})."), current=current)
    wrong(T("Partially automated places VMs at power-on, but only recommends migrations.",
            "Partiellement automatisé place les VM à la mise sous tension, mais ne fait "
            "que recommander les migrations."))


register(
    Exercise(
        "08.1",
        title=T("Put {source_host} into maintenance mode without stopping a VM",
                "Mettre {source_host} en mode maintenance sans arrêter de VM"),
        done=T("{source_host} is in maintenance mode and every VM still runs.",
               "{source_host} est en mode maintenance et toutes les VM tournent encore."),
        todo=T("empty {source_host} with vMotion and put it into maintenance mode",
               "videz {source_host} avec vMotion et mettez-le en mode maintenance"),
        hints=(T("Read the report: which VM blocks, and why? Lab 06 fixed the same problem.",
                 "Lisez le rapport : quelle VM bloque, et pourquoi ? Le lab 06 a réglé le "
                 "même problème."),
               T("lab.migrate(lab.roles.local_vm, datastore=lab.roles.shared_datastore), "
                 "then lab.enter_maintenance(lab.roles.source_host).",
                 "lab.migrate(lab.roles.local_vm, datastore=lab.roles.shared_datastore), "
                 "puis lab.enter_maintenance(lab.roles.source_host).")),
        evaluate=_maintenance),
    Exercise(
        "08.2",
        title=T("Bring {source_host} back and rebalance the cluster",
                "Remettre {source_host} en service et rééquilibrer le cluster"),
        done=T("Both hosts run VMs again: the cluster is balanced.",
               "Les deux hôtes font de nouveau tourner des VM : le cluster est équilibré."),
        todo=T("take {source_host} out of maintenance mode and rebalance",
               "sortez {source_host} du mode maintenance et rééquilibrez"),
        hints=(T("After maintenance the host is empty: DRS recommends moving VMs back.",
                 "Après la maintenance, l'hôte est vide : DRS recommande d'y ramener des "
                 "VM."),
               T("lab.exit_maintenance(lab.roles.source_host), then "
                 "lab.rebalance(apply=True).",
                 "lab.exit_maintenance(lab.roles.source_host), puis "
                 "lab.rebalance(apply=True).")),
        evaluate=_rebalanced),
    Exercise(
        "08.3",
        title=T("Name the DRS level that migrates VMs by itself",
                "Nommer le niveau DRS qui migre les VM tout seul"),
        done=T("Right: fully automated DRS applies its own recommendations, as in "
               "maintenance mode.",
               "Exact : DRS entièrement automatisé applique lui-même ses recommandations, "
               "comme en mode maintenance."),
        todo=T("store the automation level in drs_level",
               "mettez le niveau d'automatisation dans drs_level"),
        hints=(T("Three levels: manual, partially automated, fully automated.",
                 "Trois niveaux : manuel, partiellement automatisé, entièrement "
                 "automatisé."),
               T("The API names them in vim.cluster.DrsConfigInfo.DrsBehavior: manual, "
                 "partiallyAutomated, fullyAutomated.",
                 "L'API les nomme dans vim.cluster.DrsConfigInfo.DrsBehavior : manual, "
                 "partiallyAutomated, fullyAutomated.")),
        evaluate=_drs_level, answer=True),
)
