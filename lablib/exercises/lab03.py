"""Lab 03, enable vMotion on vmk0 of ESXi_1, then ESXi_2: checks read each host's
VMkernel adapters with the vMotion service."""

from __future__ import annotations

from .core import DONE, NOT_DONE, Exercise, T, register, wrong


def _on_source(ctx):
    source, dest = ctx.host("source_host"), ctx.host("destination_host")
    if "vmk0" in source.vmotion_vmks:
        return DONE
    if source.vmotion_vmks:
        wrong(T("vMotion is on {vmks} of {source_host}; the course enables it on vmk0.",
                "vMotion est sur {vmks} de l'hôte {source_host} ; le cours l'active sur vmk0."),
              vmks=", ".join(source.vmotion_vmks))
    if dest.vmotion_vmks:
        wrong(T("vMotion is on {destination_host}, not on {source_host}: start with "
                "{source_host}, as the course does.",
                "vMotion est activé sur {destination_host}, pas sur {source_host} : "
                "commencez par {source_host}, comme le cours."))
    return NOT_DONE


def _on_both(ctx):
    source, dest = ctx.host("source_host"), ctx.host("destination_host")
    if not dest.vmotion_vmks:
        return NOT_DONE
    if "vmk0" not in dest.vmotion_vmks:
        wrong(T("vMotion is on {vmks} of {destination_host}; the course enables it on vmk0.",
                "vMotion est sur {vmks} de l'hôte {destination_host} ; le cours l'active sur "
                "vmk0."),
              vmks=", ".join(dest.vmotion_vmks))
    if not source.vmotion_vmks:
        wrong(T("vMotion is on {destination_host} but no longer on {source_host}: a "
                "vMotion needs it on both hosts.",
                "vMotion est activé sur {destination_host} mais plus sur {source_host} : un "
                "vMotion en a besoin sur les deux hôtes."))
    return DONE


register(
    Exercise(
        "03.1",
        title=T("Enable vMotion on vmk0 of {source_host}",
                "Activer vMotion sur vmk0 de l'hôte {source_host}"),
        done=T("vMotion is enabled on vmk0 of {source_host}.",
               "vMotion est activé sur vmk0 de l'hôte {source_host}."),
        todo=T("enable vMotion on vmk0 of {source_host}",
               "activez vMotion sur vmk0 de l'hôte {source_host}"),
        hints=(T("The course: {source_host} > Network > VMkernel adapters > vmk0 > Edit > "
                 "tick vMotion. Which Lab method does that?",
                 "Le cours : {source_host} > Réseau > VMkernel adapters > vmk0 > Modifier > "
                 "cocher vMotion. Quelle méthode du Lab fait cela ?"),
               T("lab.enable_vmotion(host, device=\"vmk0\"); the host is "
                 "lab.roles.source_host.",
                 "lab.enable_vmotion(host, device=\"vmk0\") ; l'hôte est "
                 "lab.roles.source_host.")),
        evaluate=_on_source),
    Exercise(
        "03.2",
        title=T("Enable vMotion on vmk0 of {destination_host} too",
                "Activer aussi vMotion sur vmk0 de l'hôte {destination_host}"),
        done=T("vMotion is enabled on both hosts: {source_host} and {destination_host}.",
               "vMotion est activé sur les deux hôtes : {source_host} et "
               "{destination_host}."),
        todo=T("enable vMotion on vmk0 of {destination_host}",
               "activez vMotion sur vmk0 de l'hôte {destination_host}"),
        hints=(T("The course: \"Répéter sur ESXi_2\": the same step on the other host.",
                 "Le cours : « Répéter sur ESXi_2 » : la même étape sur l'autre hôte."),
               T("lab.enable_vmotion(lab.roles.destination_host, \"vmk0\").",
                 "lab.enable_vmotion(lab.roles.destination_host, \"vmk0\").")),
        evaluate=_on_both),
)
