"""Lab 01, what vMotion is and what moves: the resources, and the pre-copy model."""

from __future__ import annotations

from ..precopy import PrecopyResult, simulate
from ..text import number
from .checks import key_set, number_answer
from .core import DONE, Exercise, T, register, wrong

#: The words a student may use for the course's four resources (EN and FR).
RESOURCES = {
    "cpu": "cpu", "processor": "cpu", "processeur": "cpu",
    "memory": "memory", "ram": "memory", "mémoire": "memory", "memoire": "memory",
    "network": "network", "réseau": "network", "reseau": "network",
    "storage": "storage", "stockage": "storage", "disk": "storage", "disque": "storage",
}

#: The VM of exercises 01.2 and 01.3: 4 GiB on 10 GbE, MTU 1500, one vMotion vmknic.
#: The other settings are PrecopyExplorer's, so the explorer and the check agree.
MODEL_VM = {"memory_gib": 4.0, "link_gbps": 10, "mtu": 1500, "vmknics": 1}


def model_run(dirty_pages_per_s: float, sdps: bool = False) -> PrecopyResult:
    """Run the pre-copy model for the exercises' VM, as PrecopyExplorer would."""
    from ..widgets.precopy import DOWNTIME_TARGET_S, MAX_DATA_FACTOR, SDPS_KAPPA

    return simulate(**MODEL_VM, dirty_pages_per_s=dirty_pages_per_s,
                    downtime_target_s=DOWNTIME_TARGET_S, max_data_factor=MAX_DATA_FACTOR,
                    sdps_kappa=SDPS_KAPPA if sdps else None)


def _what_moves(ctx):
    moved = key_set(ctx, RESOURCES)
    vm = ctx.vm("vm")
    if "storage" in moved:
        wrong(T("Storage does not move in a compute-only migration: {vm}'s files stay on "
                "{datastores}, which both hosts mount.",
                "Le stockage ne bouge pas quand seule la ressource de calcul change : les "
                "fichiers de {vm} restent sur {datastores}, que les deux hôtes montent."),
              datastores=", ".join(vm.datastores))
    for key, message in (
        ("memory", T("Memory moves too: its pages are copied to the destination host "
                     "while the VM runs.",
                     "La mémoire bouge aussi : ses pages sont copiées vers l'hôte de "
                     "destination pendant que la VM tourne.")),
        ("cpu", T("The CPU moves too: after the switchover the VM's vCPUs run on the "
                  "destination host.",
                  "Le CPU bouge aussi : après la bascule, les vCPU de la VM tournent sur "
                  "l'hôte de destination.")),
        ("network", T("The network moves too: the VM's connection follows it to the "
                      "destination host's port group.",
                      "Le réseau bouge aussi : la connexion de la VM la suit vers le "
                      "groupe de ports de l'hôte de destination.")),
    ):
        if key not in moved:
            wrong(message)
    return DONE


def _no_convergence(ctx):
    rate = number_answer(ctx)
    run = model_run(rate)
    if run.converged:
        wrong(T("At {rate} pages/s the model still converges (λ = {lam}, switchover "
                "{down} s). Pre-copy stops converging as λ = d/B nears 1: try a higher "
                "rate.",
                "À {rate} pages/s le modèle converge encore (λ = {lam}, bascule "
                "{down} s). La pré-copie cesse de converger quand λ = d/B approche 1 : "
                "essayez un débit plus élevé."),
              rate=int(rate), lam=number(run.lam, 2), down=number(run.downtime_s, 2))
    return DONE


def _sdps(ctx):
    run = ctx.answer
    if run is None:
        from .core import not_done

        not_done()
    if not isinstance(run, PrecopyResult):
        wrong(T("Store the result of model_run(...) (a PrecopyResult) in throttled.",
                "Mettez le résultat de model_run(...) (un PrecopyResult) dans throttled."))
    if run.params.sdps_kappa is None:
        wrong(T("This run has no SDPS throttle: call model_run(rate, sdps=True).",
                "Ce calcul n'a pas le ralentissement SDPS : appelez "
                "model_run(rate, sdps=True)."))
    if model_run(run.params.dirty_pages_per_s).converged:
        wrong(T("At {rate} pages/s pre-copy converges even without SDPS: use the rate "
                "of exercise 01.2.",
                "À {rate} pages/s la pré-copie converge même sans SDPS : reprenez le débit "
                "de l'exercice 01.2."), rate=int(run.params.dirty_pages_per_s))
    if not run.converged:
        wrong(T("This run does not converge: compute it with model_run(rate, sdps=True).",
                "Ce calcul ne converge pas : faites-le avec model_run(rate, sdps=True)."))
    return DONE


register(
    Exercise(
        "01.1",
        title=T("Say what moves in a compute-only vMotion",
                "Dire ce qui bouge quand seule la ressource de calcul change"),
        done=T("Right: CPU, memory and network move to the destination host; the files "
               "stay on the shared datastore.",
               "Exact : CPU, mémoire et réseau passent sur l'hôte de destination ; les "
               "fichiers restent sur la banque de données partagée."),
        todo=T("put the resources that move in the set moved",
               "mettez les ressources qui bougent dans l'ensemble moved"),
        hints=(T("Re-read the course's four resources: which one stays where it is when "
                 "only the host changes?",
                 "Relisez les quatre ressources du cours : laquelle reste en place quand "
                 "seul l'hôte change ?"),
               T("lab.placement(lab.roles.vm) shows the datastores: are they mounted on "
                 "both hosts (lab.status())?",
                 "lab.placement(lab.roles.vm) montre les banques de données : sont-elles "
                 "montées sur les deux hôtes (lab.status()) ?")),
        evaluate=_what_moves, answer=True),
    Exercise(
        "01.2",
        title=T("Find a dirty rate at which pre-copy does not converge",
                "Trouver un débit de pages salies qui empêche la pré-copie de converger"),
        done=T("Right: at that rate the guest dirties memory about as fast as vMotion "
               "sends it, so pre-copy cannot converge on its own.",
               "Exact : à ce débit l'invité salit la mémoire presque aussi vite que vMotion "
               "l'envoie, la pré-copie ne peut pas converger seule."),
        todo=T("store a dirty rate (pages/s) in rate",
               "mettez un débit de pages salies (pages/s) dans rate"),
        hints=(T("Pre-copy converges when each round is shorter than the one before: "
                 "λ = d/B < 1.",
                 "La pré-copie converge quand chaque tour est plus court que le précédent : "
                 "λ = d/B < 1."),
               T("B is about 1.18 GB/s on 10 GbE; one page is 4 KiB: model_run(rate) shows "
                 "λ for a rate.",
                 "B vaut environ 1,18 Go/s en 10 GbE ; une page fait 4 Kio : model_run(rate) "
                 "donne λ pour un débit.")),
        evaluate=_no_convergence, answer=True),
    Exercise(
        "01.3",
        title=T("Make pre-copy converge with SDPS",
                "Faire converger la pré-copie avec SDPS"),
        done=T("Right: SDPS slows the guest's vCPUs down until pre-copy converges, so the "
               "switchover is short again.",
               "Exact : SDPS ralentit les vCPU de l'invité jusqu'à ce que la pré-copie "
               "converge : la bascule redevient courte."),
        todo=T("store model_run(rate, sdps=True) in throttled",
               "mettez model_run(rate, sdps=True) dans throttled"),
        hints=(T("Use the same rate as in 01.2, with the throttle on.",
                 "Reprenez le débit de 01.2, avec le ralentissement activé."),
               T("model_run(rate, sdps=True) runs the model with SDPS (κ = 0.8).",
                 "model_run(rate, sdps=True) lance le modèle avec SDPS (κ = 0,8).")),
        evaluate=_sdps, answer=True),
)
