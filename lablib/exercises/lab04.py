"""Lab 04, EVC: why the migration to the older host fails, the right EVC mode, and the
power cycle that makes a VM take it. Checks read the cluster's EVC mode and the CPU
baseline each VM was powered on with."""

from __future__ import annotations

from .checks import fault_answer
from .core import DONE, NOT_DONE, Exercise, T, register, wrong

#: The faults vCenter raises when a VM's CPU features are missing on the destination
#: (docs/vsphere-facts.md §2; which of them a given pair raises is UNCONFIRMED there).
CPU_FAULTS = ("CpuIncompatible", "CpuIncompatible1ECX", "CpuIncompatible81EDX",
              "FeatureRequirementsNotMet")


def _why(ctx):
    fault_answer(ctx, "vm", "cpu", CPU_FAULTS)
    return DONE


def _mode(ctx):
    modes = ctx.lab.evc_modes()
    if not modes.current:
        return NOT_DONE
    if modes.current != modes.best:
        wrong(T("EVC is {mode}: migrations work, but the VMs lose CPU features both hosts "
                "have. Choose the most featureful mode every host supports.",
                "EVC est en {mode} : les migrations fonctionnent, mais les VM perdent des "
                "fonctions CPU que les deux hôtes ont. Choisissez le mode le plus riche "
                "que tous les hôtes acceptent."), mode=modes.current)
    return DONE


def _power_cycle(ctx):
    mode = ctx.lab.evc_mode()
    vm = ctx.vm("vm")
    if not mode or vm.power_state != "poweredOn":
        return NOT_DONE
    baseline = ctx.lab.cpu_baseline(ctx.roles.vm)
    if baseline != mode:
        wrong(T("{vm} still runs with the CPU features of {baseline}, not the cluster's "
                "{mode}: a VM takes the EVC mode when it is powered on.",
                "{vm} tourne encore avec les fonctions CPU {baseline}, pas avec le mode "
                "{mode} du cluster : une VM prend le mode EVC à sa mise sous tension."),
              baseline=baseline or "?", mode=mode)
    return DONE


register(
    Exercise(
        "04.1",
        title=T("Name the fault that refuses {vm}'s migration to {destination_host}",
                "Nommer le fault qui refuse la migration de {vm} vers {destination_host}"),
        done=T("Right: the destination's CPU lacks features the VM runs with.",
               "Exact : le CPU de destination n'a pas toutes les fonctions avec lesquelles "
               "la VM tourne."),
        todo=T("store the fault's type name in cpu_fault",
               "mettez le nom du type du fault dans cpu_fault"),
        hints=(T("The cell above caught the error as refusal: look at refusal.fault.",
                 "La cellule ci-dessus a capturé l'erreur dans refusal : regardez "
                 "refusal.fault."),
               T("type(refusal.fault).__name__ gives the name, e.g. "
                 "'vim.fault.VMotionNotConfigured'.",
                 "type(refusal.fault).__name__ donne le nom, par exemple "
                 "'vim.fault.VMotionNotConfigured'.")),
        evaluate=_why, answer=True),
    Exercise(
        "04.2",
        title=T("Configure EVC on {cluster} at the right mode",
                "Configurer EVC sur {cluster} au bon mode"),
        done=T("EVC is on, at the most featureful mode every host of {cluster} supports.",
               "EVC est activé, au mode le plus riche que tous les hôtes de {cluster} "
               "acceptent."),
        todo=T("power off the VMs that block EVC, configure it at the right mode",
               "éteignez les VM qui bloquent EVC, configurez-le au bon mode"),
        hints=(T("In the table of lab.evc_modes(), find the newest mode both hosts "
                 "support.",
                 "Dans le tableau de lab.evc_modes(), cherchez le mode le plus récent que "
                 "les deux hôtes acceptent."),
               T("lab.power_off(vm) for each running VM, then lab.configure_evc(mode); "
                 "lab.evc_modes().best names the mode.",
                 "lab.power_off(vm) pour chaque VM allumée, puis lab.configure_evc(mode) ; "
                 "lab.evc_modes().best donne le mode.")),
        evaluate=_mode),
    Exercise(
        "04.3",
        title=T("Power {vm} on with the EVC mode", "Rallumer {vm} avec le mode EVC"),
        done=T("{vm} runs with the cluster's EVC mode: it can move to either host.",
               "{vm} tourne avec le mode EVC du cluster : elle peut aller sur l'un ou "
               "l'autre hôte."),
        todo=T("power {vm} on (after EVC is set)",
               "rallumez {vm} (une fois EVC réglé)"),
        hints=(T("The course: the VMs must be rebooted to apply EVC. A guest reboot is not "
                 "enough: a full power off, then on.",
                 "Le cours : « Reboot nécessaire des VM pour appliquer l'EVC ». Un "
                 "redémarrage de l'invité ne suffit pas : il faut éteindre puis rallumer."),
               T("lab.power_off(lab.roles.vm) if it runs, then lab.power_on(lab.roles.vm); "
                 "lab.cpu_baseline(lab.roles.vm) shows the result.",
                 "lab.power_off(lab.roles.vm) si elle tourne, puis "
                 "lab.power_on(lab.roles.vm) ; lab.cpu_baseline(lab.roles.vm) montre le "
                 "résultat.")),
        evaluate=_power_cycle),
)
