# Lab 09 source: the only file to edit. Build the notebooks with
# `python -m tools.labsource` (labs/README.md explains the format).

# %% [markdown]
# [en]
# # Lab 09 — Troubleshoot a broken vMotion
#
# **Estimated time: 45 minutes**
#
# ## Overview
#
# Labs 03 to 08 met each prerequisite of the course once, in order, with the
# answer next to it. An administrator meets them differently: a migration fails
# and nobody says why. In this lab the kit breaks **your** lab, a different way
# for each student, and gives you only the ticket. You will:
#
# - reproduce the refusal and read what the server answers;
# - investigate with the tools of the earlier labs: the server's compatibility
#   check, the topology picture, tasks and events, govc;
# - name the faults (exercise 09.1), then fix the cause as an administrator
#   would and migrate the VM while it runs (exercise 09.2).
#
# The check of 09.2 reads the live lab and judges the fix, not only the result:
# a fix that gets the VM moved the wrong way gets a "migrated, but ..." answer.
# [fr]
# # Lab 09 — Dépanner un vMotion cassé
#
# **Durée estimée : 45 minutes**
#
# ## Vue d'ensemble
#
# Les labs 03 à 08 ont rencontré chaque prérequis du cours une fois, dans
# l'ordre, avec la réponse à côté. Un administrateur les rencontre autrement :
# une migration échoue et personne ne dit pourquoi. Dans ce lab, le kit casse
# **votre** lab, d'une façon différente pour chaque étudiant, et ne vous donne
# que le ticket. Vous allez :
#
# - reproduire le refus et lire ce que répond le serveur ;
# - enquêter avec les outils des labs précédents : la vérification de
#   compatibilité du serveur, le schéma de topologie, les tâches et les
#   événements, govc ;
# - nommer les faults (exercice 09.1), puis corriger la cause comme le ferait
#   un administrateur et migrer la VM pendant qu'elle tourne (exercice 09.2).
#
# La vérification de 09.2 lit le lab en direct et juge la correction, pas
# seulement le résultat : une correction qui déplace la VM de la mauvaise façon
# reçoit une réponse « migrée, mais ... ».

# %% [markdown]
# [en]
# ## Setup
#
# The setup cell brings the lab to the state lab 05 starts from (vMotion on
# both hosts, EVC set), then breaks it for your **seed**: by default your user
# name, so each student gets their own lab and the same seed always gives the
# same lab. If your instructor gave you a number, use it:
# `prepare(lab, "09", seed=7)`. Running it again gives you the same broken lab,
# to start over. It shows your ticket.
# [fr]
# ## Mise en place
#
# La cellule de mise en place amène le lab dans l'état où commence le lab 05
# (vMotion sur les deux hôtes, EVC réglé), puis le casse selon votre **graine**
# : par défaut votre nom d'utilisateur, si bien que chaque étudiant a son propre
# lab et qu'une même graine donne toujours le même lab. Si votre formateur vous
# a donné un numéro, utilisez-le : `prepare(lab, "09", seed=7)`. La relancer
# redonne le même lab cassé, pour recommencer. Elle affiche votre ticket.

# %%
import lablib
from lablib.exercises import check, prepare, your_turn
from lablib.plots.topology import plot_topology
from lablib.tasks import wait
from pyVmomi import vim

lablib.set_language("{{lang}}")
lab = lablib.connect()
prepare(lab, "09")

# %% [markdown]
# [en]
# ## Step 1 — Reproduce the ticket
#
# Try the migration the ticket asks for, compute resource only, and read what
# the server answers: the fault's type and vCenter's own message.
# [fr]
# ## Étape 1 — Reproduire le ticket
#
# Tentez la migration que demande le ticket, ressource de calcul uniquement, et
# lisez ce que répond le serveur : le type du fault et le message de vCenter.

# %%
vm, destination = lab.roles.vm, lab.roles.destination_host
try:
    lab.migrate(vm, host=destination)
except lablib.OperationRefused as error:
    print(type(error.fault).__name__, "—", error.fault.msg)

# %% [markdown]
# [en]
# A task fails with **one** fault: the first rule that refuses it. There may be
# more than one cause.
#
# ## Step 2 — Ask the server everything
#
# The Migrate dialog runs the server's compatibility check before it lets you
# finish: `CheckRelocate_Task` of the `VirtualMachineProvisioningChecker`. It
# lists every error and warning at once. Here it is in raw pyVmomi:
# [fr]
# Une tâche échoue avec **un seul** fault : la première règle qui la refuse. Il
# peut y avoir plus d'une cause.
#
# ## Étape 2 — Demander tout au serveur
#
# La boîte Migrer lance la vérification de compatibilité du serveur avant de
# vous laisser terminer : `CheckRelocate_Task` du
# `VirtualMachineProvisioningChecker`. Elle liste d'un coup chaque erreur et
# chaque avertissement. La voici en pyVmomi brut :

# %%
spec = vim.vm.RelocateSpec(host=lab.host(destination),
                           pool=lab.cluster().resourcePool)
checker = lab.conn.content.vmProvisioningChecker
task = checker.CheckRelocate_Task(vm=lab.vm(vm), spec=spec)
for result in wait(lab.conn, task).result:
    for fault in result.error or []:
        print("error  ", type(fault).__name__, "—", fault.msg)
    for fault in result.warning or []:
        print("warning", type(fault).__name__, "—", fault.msg)

# %% [markdown]
# [en]
# `lab.precheck` asks the same question and sorts the answer by the course's
# prerequisites. Print only the rules that refuse and the faults behind them
# (its table also proposes fixes: try to find the cause yourself first):
# [fr]
# `lab.precheck` pose la même question et range la réponse selon les prérequis
# du cours. N'affichez que les règles qui refusent et les faults derrière elles
# (son tableau propose aussi des corrections : essayez d'abord de trouver la
# cause vous-même) :

# %%
precheck = lab.precheck(vm, host=destination)
for finding in precheck.failures:
    print(finding.rule, "—", finding.fault_type)

# %% [markdown]
# [en]
# The topology picture greys out what a rule refuses:
# [fr]
# Le schéma de topologie grise ce qu'une règle refuse :

# %%
plot_topology(lab, moving=vm, destination=destination, findings=precheck)

# %% [markdown]
# [en]
# ### Exercise 09.1 — Name the faults
#
# Store in `diagnosis` the set of fault types that refuse the ticket's
# migration, for example `{"VMotionNotConfigured"}`.
# [fr]
# ### Exercice 09.1 — Nommer les faults
#
# Mettez dans `diagnosis` l'ensemble des types de fault qui refusent la
# migration du ticket, par exemple `{"VMotionNotConfigured"}`.

# %%
diagnosis = None
### BEGIN SOLUTION
diagnosis = {finding.fault_type for finding in precheck.failures}
### END SOLUTION

# %%
check("09.1", diagnosis)

# %% [markdown]
# [en]
# ## Step 3 — Investigate: what changed, and where?
#
# A fault names a rule, not always the object at fault. Look at the objects it
# involves, and at what happened to them recently. The Tasks tab and the
# events, as in lab 05:
# [fr]
# ## Étape 3 — Enquêter : qu'est-ce qui a changé, et où ?
#
# Un fault nomme une règle, pas toujours l'objet en cause. Regardez les objets
# qu'il met en jeu, et ce qui leur est arrivé récemment. L'onglet Tâches et les
# événements, comme au lab 05 :

# %%
lab.tasks(limit=12)

# %%
query = vim.event.EventFilterSpec(maxCount=15)
for event in lab.conn.content.eventManager.QueryEvents(query):
    text = event.fullFormattedMessage or getattr(event, "message", "")
    print(event.createdTime.strftime("%H:%M:%S"), type(event).__name__, text)

# %% [markdown]
# [en]
# The facts lablib reads, host by host and VM by VM (labs 00 and 02):
# [fr]
# Les faits que lit lablib, hôte par hôte et VM par VM (labs 00 et 02) :

# %%
facts = lab.facts.snapshot()
for host in facts.hosts:
    print(host.name, host.connection_state, "maintenance:", host.in_maintenance,
          "vMotion:", host.vmotion_vmks, "networks:", host.networks,
          "datastores:", host.datastores)
print(lab.placement(vm), "— CPU baseline:", lab.cpu_baseline(vm))
print("EVC:", lab.evc_mode() or "off")

# %% [markdown]
# [en]
# **govc** (in a terminal, after `eval "$(python -m lablib sim env)"`), the
# same facts as an administrator's shell shows them:
# [fr]
# **govc** (dans un terminal, après `eval "$(python -m lablib sim env)"`), les
# mêmes faits tels que les montre le shell d'un administrateur :
# [all]
#
# ```sh
# govc vm.info -r vm-shared
# govc device.info -vm vm-shared
# govc host.info -host ESXi_2
# govc host.vnic.info -host ESXi_1
# govc host.vnic.info -host ESXi_2
# govc host.portgroup.info -host ESXi_2
# govc datastore.info -H /Datacenter/host/Cluster/ESXi_1 /Datacenter/host/Cluster/ESXi_2
# govc object.collect -s /Datacenter/host/Cluster summary.currentEVCModeKey
# govc object.collect -s vm/vm-shared runtime.minRequiredEVCModeKey
# govc tasks -n 10
# govc events -n 10 /Datacenter/host/Cluster
# ```

# %% [markdown]
# [en]
# ## Step 4 — Fix it as an administrator would
#
# Fix the cause, then migrate the VM, compute resource only. The check of 09.2
# wants what an administrator would do on a production VM:
#
# - the VM keeps running: power it off only if the fix itself needs it;
# - its files move (Storage vMotion) only if they must;
# - the cause is gone, not worked around: the next VM must move too;
# - nothing outside the ticket changes.
#
# Where each kind of setting is changed:
#
# | to change | lablib | pyVmomi | govc |
# |---|---|---|---|
# | vMotion on a VMkernel adapter | `lab.enable_vmotion(host)` | `SelectVnicForNicType` | `host.vnic.service` |
# | a host's maintenance mode | `lab.exit_maintenance(host)` | `ExitMaintenanceMode_Task` | `host.maintenance.exit` |
# | a host's connection | — | `host.ReconnectHost_Task()` | `host.reconnect` |
# | port groups of a host | — | `networkSystem.AddPortGroup(spec)` | `host.portgroup.add` |
# | a VM's devices | — | `vm.ReconfigVM_Task(spec)` | `device.disconnect` |
# | where a VM's files are | `lab.migrate(vm, datastore=...)` | `RelocateVM_Task` | `vm.migrate -ds` |
# | EVC, power | `lab.configure_evc(mode)`, `lab.power_off(vm)` | `ConfigureEvcMode_Task` | `vm.power` |
#
# ### Exercise 09.2
#
# Fix your ticket's cause, then migrate `lab.roles.vm` to
# `lab.roles.destination_host` while it runs. Prepare again
# (`prepare(lab, "09")`) to start over.
# [fr]
# ## Étape 4 — Corriger comme un administrateur
#
# Corrigez la cause, puis migrez la VM, ressource de calcul uniquement. La
# vérification de 09.2 attend ce que ferait un administrateur sur une VM de
# production :
#
# - la VM continue de tourner : ne l'éteignez que si la correction elle-même
#   l'exige ;
# - ses fichiers ne bougent (Storage vMotion) que s'ils le doivent ;
# - la cause a disparu, elle n'est pas contournée : la VM suivante doit pouvoir
#   migrer elle aussi ;
# - rien ne change en dehors du ticket.
#
# Où se règle chaque chose :
#
# | à changer | lablib | pyVmomi | govc |
# |---|---|---|---|
# | vMotion sur un adaptateur VMkernel | `lab.enable_vmotion(host)` | `SelectVnicForNicType` | `host.vnic.service` |
# | le mode maintenance d'un hôte | `lab.exit_maintenance(host)` | `ExitMaintenanceMode_Task` | `host.maintenance.exit` |
# | la connexion d'un hôte | — | `host.ReconnectHost_Task()` | `host.reconnect` |
# | les groupes de ports d'un hôte | — | `networkSystem.AddPortGroup(spec)` | `host.portgroup.add` |
# | les périphériques d'une VM | — | `vm.ReconfigVM_Task(spec)` | `device.disconnect` |
# | l'emplacement des fichiers d'une VM | `lab.migrate(vm, datastore=...)` | `RelocateVM_Task` | `vm.migrate -ds` |
# | EVC, alimentation | `lab.configure_evc(mode)`, `lab.power_off(vm)` | `ConfigureEvcMode_Task` | `vm.power` |
#
# ### Exercice 09.2
#
# Corrigez la cause de votre ticket, puis migrez `lab.roles.vm` vers
# `lab.roles.destination_host` pendant qu'elle tourne. Préparez de nouveau
# (`prepare(lab, "09")`) pour recommencer.

# %%
### BEGIN SOLUTION
# [en] The solution solves every scenario: one seed each, then your own ticket.
# [en] Each pass fixes the first refusal the server names, as an administrator
# [en] would, until the migration is allowed.
# [fr] La solution résout chaque scénario : une graine chacun, puis votre
# [fr] propre ticket. Chaque passe corrige le premier refus que nomme le
# [fr] serveur, comme un administrateur, jusqu'à ce que la migration passe.
from lablib.troubleshoot import pool


def disconnect_media(lab, vm):
    """Disconnect the VM's CD/DVD drives while it runs (ReconfigVM_Task)."""
    changes = []
    for device in lab.vm(vm).config.hardware.device:
        if isinstance(device, vim.vm.device.VirtualCdrom):
            device.connectable.connected = False
            device.connectable.startConnected = False
            changes.append(vim.vm.device.VirtualDeviceSpec(
                operation="edit", device=device))
    spec = vim.vm.ConfigSpec(deviceChange=changes)
    wait(lab.conn, lab.vm(vm).ReconfigVM_Task(spec))


def add_missing_port_groups(lab, vm, host):
    """Create on `host` the port groups the VM uses and the host lacks."""
    facts = lab.facts.snapshot()
    missing = set(facts.vm(vm).networks) - set(facts.host(host).networks)
    system = lab.host(host).configManager.networkSystem
    for name in sorted(missing):
        system.AddPortGroup(vim.host.PortGroup.Specification(
            name=name, vlanId=0, vswitchName="vSwitch0",
            policy=vim.host.NetworkPolicy()))


def repair(lab, finding):
    """Fix the cause of one refusal the server names."""
    vm, host = lab.roles.vm, lab.roles.destination_host
    kind = finding.fault_type
    if kind == "InvalidHostConnectionState":
        wait(lab.conn, lab.host(host).ReconnectHost_Task())
    elif kind == "InvalidHostState":
        lab.exit_maintenance(host)
    elif kind == "VMotionNotConfigured":
        lab.enable_vmotion(finding.fault.failedHost)
    elif kind in ("CannotAccessVmConfig", "CannotAccessVmDisk"):
        lab.migrate(vm, datastore=lab.roles.shared_datastore)
    elif kind == "CannotAccessVmDevice":
        disconnect_media(lab, vm)
    elif kind == "CannotAccessNetwork":
        add_missing_port_groups(lab, vm, host)
    elif kind == "CpuIncompatible":
        lab.power_off(vm)
        lab.configure_evc(lab.evc_modes().best)
        lab.power_on(vm)


def solve(lab):
    """Fix every cause, then migrate the running VM."""
    vm, host = lab.roles.vm, lab.roles.destination_host
    for _ in range(5):
        precheck = lab.precheck(vm, host=host)
        if precheck.ok:
            break
        repair(lab, precheck.failures[0])
    lab.migrate(vm, host=host)


for seed in range(1, len(pool()) + 1):
    prepare(lab, "09", seed=seed)
    solve(lab)
    assert check("09.2"), check("09.2")
prepare(lab, "09")
solve(lab)
### END SOLUTION

# %%
check("09.2")

# %% [markdown]
# [en]
# ### What the check reads
#
# `check("09.2")` compares the live lab with what `prepare` saw (kept in the
# kernel, in the lab's state folder, and findable from an event on the live lab
# if the kernel restarts): the VM's host and power state, its files, devices and
# networks, the hosts' vMotion adapters, port groups, maintenance mode and
# connection, the cluster's EVC mode; and, since `prepare`, the power-off and
# migration events. A VM powered off and moved cold, files moved for nothing, a
# device removed, a network adapter disconnected, a cause worked around: each
# gets its own "migrated, but ..." reason. Its hints follow your own ticket: a
# nudge, then the tool to use, then the fix.
# [fr]
# ### Ce que lit la vérification
#
# `check("09.2")` compare le lab en direct avec ce qu'a vu `prepare` (gardé dans
# le noyau, dans le dossier d'état du lab, et retrouvable par un événement du lab
# en direct si le noyau redémarre) : l'hôte et l'état d'alimentation de la VM,
# ses fichiers, périphériques et réseaux, les adaptateurs vMotion des hôtes,
# leurs groupes de ports, mode maintenance et connexion, le mode EVC du
# cluster ; et, depuis `prepare`, les événements d'arrêt et de migration. Une VM
# éteinte et déplacée à froid, des fichiers déplacés pour rien, un périphérique
# supprimé, un adaptateur réseau déconnecté, une cause contournée : chacun a sa
# propre raison « migrée, mais ... ». Ses indices suivent votre propre ticket :
# une piste, puis l'outil à utiliser, puis la correction.

# %% [markdown]
# [en]
# ## Summary
#
# - A refused vMotion has a cause the server names: the task's error gives the
#   first one, `CheckRelocate_Task` (`lab.precheck`) all of them.
# - The fault names a rule; the tasks, events and facts show which object
#   changed and how.
# - An administrator fixes the cause with the VM running, moves files only when
#   they must move, and changes nothing else: a workaround leaves the next
#   migration broken.
#
# ## Exercises
#
# 1. Prepare the lab with other seeds (`prepare(lab, "09", seed=n)`, `n` from 1
#    to 9) until you have met every cause. Which ones could a cold migration go
#    around, and why is that still not a fix?
# 2. Ask for a harder lab, two causes stacked: `prepare(lab, "09", level=2)`.
#    In which order must the causes be fixed, and why?
# 3. Try one wrong fix on purpose (for example power the VM off before you
#    migrate it) and read the check's answer.
# [fr]
# ## Résumé
#
# - Un vMotion refusé a une cause que le serveur nomme : l'erreur de la tâche
#   donne la première, `CheckRelocate_Task` (`lab.precheck`) toutes.
# - Le fault nomme une règle ; les tâches, les événements et les faits montrent
#   quel objet a changé, et comment.
# - Un administrateur corrige la cause VM allumée, ne déplace les fichiers que
#   s'ils doivent bouger, et ne change rien d'autre : un contournement laisse la
#   migration suivante cassée.
#
# ## Exercices
#
# 1. Préparez le lab avec d'autres graines (`prepare(lab, "09", seed=n)`, `n`
#    de 1 à 9) jusqu'à avoir rencontré chaque cause. Lesquelles une migration à
#    froid pourrait-elle contourner, et pourquoi n'est-ce toujours pas une
#    correction ?
# 2. Demandez un lab plus difficile, deux causes empilées :
#    `prepare(lab, "09", level=2)`. Dans quel ordre faut-il corriger les causes,
#    et pourquoi ?
# 3. Essayez exprès une mauvaise correction (par exemple éteindre la VM avant de
#    la migrer) et lisez la réponse de la vérification.
