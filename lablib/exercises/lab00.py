"""Lab 00, setup and lab status: read the inventory the course's lab is made of."""

from __future__ import annotations

from .checks import text_answer
from .core import DONE, Exercise, T, register, wrong


def _host_of_vm(ctx):
    answer = text_answer(ctx, "host", "de l'hôte")
    vm = ctx.vm("vm")
    if answer == vm.host:
        return DONE
    if ctx.snapshot.host(answer) is None:
        wrong(T("There is no host named '{answer}' in the lab. Its hosts are: {hosts}.",
                "Le lab n'a pas d'hôte nommé '{answer}'. Ses hôtes sont : {hosts}."),
              answer=answer, hosts=", ".join(h.name for h in ctx.snapshot.hosts))
    wrong(T("{vm} does not run on {answer}.", "{vm} ne tourne pas sur {answer}."),
          answer=answer)


def _shared_datastore(ctx):
    answer = text_answer(ctx, "datastore", "de la banque de données")
    datastore = ctx.snapshot.datastore(answer)
    if datastore is None:
        wrong(T("There is no datastore named '{answer}'. The lab's datastores are: {names}.",
                "Aucune banque de données ne s'appelle '{answer}'. Celles du lab sont : "
                "{names}."),
              answer=answer, names=", ".join(d.name for d in ctx.snapshot.datastores))
    cluster_hosts = set(ctx.cluster().hosts)
    if not cluster_hosts <= set(datastore.hosts):
        wrong(T("{answer} is mounted on {mounted} only: it is a local datastore.",
                "{answer} n'est montée que sur {mounted} : c'est une banque de données "
                "locale."),
              answer=answer, mounted=", ".join(datastore.hosts))
    return DONE


def _older_cpu(ctx):
    answer = text_answer(ctx, "host", "de l'hôte")
    pair = {h.name: h for h in (ctx.host("source_host"), ctx.host("destination_host"))}
    if answer not in pair:
        wrong(T("Give one of the two hosts of the course: {hosts}.",
                "Donnez l'un des deux hôtes du cours : {hosts}."), hosts=", ".join(pair))
    host = pair.pop(answer)
    other = next(iter(pair.values()))
    catalog = ctx.lab.evc_modes().catalog
    if host.max_evc != other.max_evc and catalog.contains(host.max_evc, other.max_evc):
        wrong(T("{answer} supports up to {mode}, a newer EVC mode than {other}'s {other_mode}: "
                "its CPU is the newer one.",
                "{answer} accepte jusqu'à {mode}, un mode EVC plus récent que le {other_mode} "
                "de {other} : son CPU est le plus récent."),
              answer=answer, mode=host.max_evc, other=other.name, other_mode=other.max_evc)
    return DONE


register(
    Exercise(
        "00.1",
        title=T("Find the host {vm} runs on", "Trouver l'hôte sur lequel tourne {vm}"),
        done=T("Right: that is the host {vm} runs on.",
               "Exact : c'est bien l'hôte sur lequel tourne {vm}."),
        todo=T("store the name of {vm}'s host in host_of_vm",
               "mettez le nom de l'hôte de {vm} dans host_of_vm"),
        hints=(T("Look at the VMs table that lab.status() shows: the host column.",
                 "Regardez le tableau VMs affiché par lab.status() : la colonne hôte."),
               T("lab.placement(lab.roles.vm) returns a Placement; its .host is the name.",
                 "lab.placement(lab.roles.vm) renvoie un Placement ; son .host est le nom.")),
        evaluate=_host_of_vm, answer=True),
    Exercise(
        "00.2",
        title=T("Name the datastore both hosts share",
                "Nommer la banque de données partagée par les deux hôtes"),
        done=T("Right: every host of the cluster mounts that datastore.",
               "Exact : tous les hôtes du cluster montent cette banque de données."),
        todo=T("store the name of the shared datastore in shared_datastore",
               "mettez le nom de la banque de données partagée dans shared_datastore"),
        hints=(T("In the Datastores table of lab.status(), look at the 'shared' column.",
                 "Dans le tableau des banques de données de lab.status(), regardez la "
                 "colonne « partagée »."),
               T("lab.facts.snapshot().datastores lists DatastoreFacts; .shared is True "
                 "when more than one host mounts it.",
                 "lab.facts.snapshot().datastores liste des DatastoreFacts ; .shared vaut "
                 "True quand plusieurs hôtes la montent.")),
        evaluate=_shared_datastore, answer=True),
    Exercise(
        "00.3",
        title=T("Name the host with the older CPU", "Nommer l'hôte au CPU le plus ancien"),
        done=T("Right: that host's CPU is the older generation. A VM started on the other "
               "host cannot move to it without EVC (lab 04).",
               "Exact : le CPU de cet hôte est de la génération la plus ancienne. Une VM "
               "démarrée sur l'autre hôte ne peut pas y aller sans EVC (lab 04)."),
        todo=T("store the name of the host with the older CPU in older_host",
               "mettez le nom de l'hôte au CPU le plus ancien dans older_host"),
        hints=(T("In the Hosts table of lab.status(), compare the max EVC column: the "
                 "older CPU supports the older modes only.",
                 "Dans le tableau des hôtes de lab.status(), comparez la colonne "
                 "« max EVC » : le CPU le plus ancien n'accepte que les modes les plus "
                 "anciens."),
               T("lab.evc_modes().hosts gives each host's highest EVC mode "
                 "(summary.maxEVCModeKey); lab.evc_modes() lists the modes by generation.",
                 "lab.evc_modes().hosts donne le mode EVC le plus élevé de chaque hôte "
                 "(summary.maxEVCModeKey) ; lab.evc_modes() liste les modes par "
                 "génération.")),
        evaluate=_older_cpu, answer=True),
)
