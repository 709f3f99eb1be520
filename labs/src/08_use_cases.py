# Lab 08 source: the only file to edit. Build the notebooks with
# `python -m tools.labsource` (labs/README.md explains the format).

# %% [markdown]
# [en]
# # Lab 08 — Use cases: maintenance, rebalancing, DRS
#
# **Estimated time: 35 minutes**
#
# ## Overview
#
# The course's use cases of vMotion: *"🔧 **planned maintenance** of a host
# without impacting users; 🔁 **load rebalancing** in a vSphere cluster; 🔄
# automated with **DRS** (Distributed Resource Scheduler)."* In this lab you
# will:
#
# - empty ESXi_1 with vMotion and put it into maintenance mode, with every VM
#   still running;
# - bring it back and rebalance the cluster with DRS-style recommendations;
# - see what DRS automates at each automation level.
# [fr]
# # Lab 08 — Cas d'usage : maintenance, rééquilibrage, DRS
#
# **Durée estimée : 35 minutes**
#
# ## Vue d'ensemble
#
# Les cas d'usage de vMotion selon le cours : *« 🔧 **maintenance planifiée** d'un
# hôte sans impacter les utilisateurs ; 🔁 **rééquilibrage de charge** dans un
# cluster vSphere ; 🔄 automatisé avec **DRS** (Distributed Resource
# Scheduler). »* Dans ce lab, vous allez :
#
# - vider ESXi_1 avec vMotion et le mettre en mode maintenance, toutes les VM
#   restant allumées ;
# - le remettre en service et rééquilibrer le cluster avec des recommandations
#   à la manière de DRS ;
# - voir ce que DRS automatise à chaque niveau d'automatisation.

# %% [markdown]
# [en]
# ## Setup
#
# On the simulator the setup cell resets the lab, enables vMotion on both hosts
# and sets EVC (labs 03 and 04). Both VMs run on ESXi_1; `vm-local` still has
# its files on ESXi_1's local datastore.
# [fr]
# ## Mise en place
#
# Sur le simulateur, la cellule de mise en place remet le lab à zéro, active
# vMotion sur les deux hôtes et règle EVC (labs 03 et 04). Les deux VM tournent
# sur ESXi_1 ; `vm-local` a toujours ses fichiers sur la banque de données locale
# d'ESXi_1.

# %%
import lablib
from lablib.exercises import check, prepare, your_turn
from lablib.plots.load import plot_load, vm_sizes
from lablib.widgets import LabDashboard

lablib.set_language("{{lang}}")
lab = lablib.connect()
prepare(lab, "08")
sizes = vm_sizes(lab)
start = lab.facts.snapshot()

# %% [markdown]
# [en]
# The dashboard shows the cluster: hosts, VMs and datastores, and the topology
# picture. Its **Refresh** button reads the lab again.
# [fr]
# Le tableau de bord montre le cluster : hôtes, VM et banques de données, et le
# schéma de topologie. Son bouton **Actualiser** relit le lab.

# %%
dashboard = LabDashboard(lab)
dashboard

# %% [markdown]
# [en]
# ## Step 1 — Maintenance without impacting users
#
# Before patching or repairing a host, you put it into **maintenance mode**. On
# vCenter the task completes once no powered-on VM is left on the host. With DRS
# fully automated, vCenter moves them with vMotion; otherwise DRS at most
# recommends, and you move them yourself (vSphere API reference,
# `EnterMaintenanceMode_Task`). The lab simulator does the same, and the lab's
# cluster has DRS in **manual** mode. By hand, in a terminal, that is: move each
# VM that can move, then enter maintenance mode, with a timeout:
#
# ```sh
# govc vm.migrate -host ESXi_2 vm-shared
# govc host.maintenance.enter -timeout 5 ESXi_1   # refused
# ```
#
# The second command waits while `vm-local` still runs on ESXi_1, then gives up
# after 5 seconds (*Operation timed out.*): the host stays out of maintenance
# mode. `lab.enter_maintenance(host)` takes the same steps for every running VM
# (it asks the server which hosts accept each one, moves it to the least loaded,
# then enters maintenance mode) and reports what moved and what blocks. Try it:
# [fr]
# ## Étape 1 — Une maintenance sans impacter les utilisateurs
#
# Avant de mettre à jour ou de réparer un hôte, on le passe en **mode
# maintenance**. Sur vCenter, la tâche se termine quand il ne reste plus aucune
# VM allumée sur l'hôte. Avec DRS entièrement automatisé, vCenter les déplace par
# vMotion ; sinon DRS se contente de recommander, et c'est à vous de les déplacer
# (référence de l'API vSphere, `EnterMaintenanceMode_Task`). Le simulateur du lab
# fait de même, et le cluster du lab a DRS en mode **manuel**. À la main, dans un
# terminal, cela donne : déplacer chaque VM qui peut l'être, puis entrer en mode
# maintenance, avec un délai maximal :
#
# ```sh
# govc vm.migrate -host ESXi_2 vm-shared
# govc host.maintenance.enter -timeout 5 ESXi_1   # refusé
# ```
#
# La seconde commande attend tant que `vm-local` tourne encore sur ESXi_1, puis
# abandonne au bout de 5 secondes (*Operation timed out.*) : l'hôte reste hors du
# mode maintenance. `lab.enter_maintenance(host)` fait les mêmes étapes pour
# chaque VM allumée (il demande au serveur quels hôtes acceptent chacune, la
# déplace vers le moins chargé, puis entre en mode maintenance) et indique ce qui
# a bougé et ce qui bloque. Essayez :

# %%
lab.enter_maintenance(lab.roles.source_host)

# %% [markdown]
# [en]
# `vm-shared` moved to ESXi_2, but `vm-local` blocks: its files are on a
# datastore ESXi_2 does not mount, so no vMotion can move it (lab 06). vCenter
# calls this `NoMaintenanceModeDrsRecommendationForVM`; the lab simulator
# records it as an event of ESXi_1 when a maintenance task waits for the VM.
# Powering it off would let the host enter maintenance mode, but its users would
# lose it.
#
# ### Exercise 08.1
#
# Put `lab.roles.source_host` into maintenance mode **with every VM still
# running**: first move `vm-local`'s files to the shared datastore (lab 06), then
# enter maintenance mode again.
# [fr]
# `vm-shared` est partie sur ESXi_2, mais `vm-local` bloque : ses fichiers sont
# sur une banque de données qu'ESXi_2 ne monte pas, aucun vMotion ne peut donc la
# déplacer (lab 06). vCenter appelle cela
# `NoMaintenanceModeDrsRecommendationForVM` ; le simulateur du lab l'enregistre
# comme un événement d'ESXi_1 quand une tâche de maintenance attend la VM.
# L'éteindre permettrait à l'hôte d'entrer en maintenance, mais ses utilisateurs
# la perdraient.
#
# ### Exercice 08.1
#
# Mettez `lab.roles.source_host` en mode maintenance **avec toutes les VM encore
# allumées** : déplacez d'abord les fichiers de `vm-local` vers la banque de
# données partagée (lab 06), puis entrez de nouveau en mode maintenance.

# %%
### BEGIN SOLUTION
lab.migrate(lab.roles.local_vm, datastore=lab.roles.shared_datastore)
lab.enter_maintenance(lab.roles.source_host)
### END SOLUTION

# %%
check("08.1")

# %% [markdown]
# [en]
# The load per host, before and after. Once Exercise 08.1 is done, ESXi_1 is
# empty and ESXi_2 carries both VMs. Until then you see one VM on each host: the
# first try moved `vm-shared`, and `vm-local` still blocks.
# [fr]
# La charge par hôte, avant et après. Une fois l'exercice 08.1 fait, ESXi_1 est
# vide et ESXi_2 porte les deux VM. D'ici là, vous voyez une VM sur chaque hôte :
# le premier essai a déplacé `vm-shared`, et `vm-local` bloque toujours.

# %%
plot_load(start, lab, sizes=sizes)

# %% [markdown]
# [en]
# ### Under the hood
#
# **pyVmomi.** vCenter's task waits for the host to be empty; DRS (or you)
# moves the VMs:
# [fr]
# ### Sous le capot
#
# **pyVmomi.** La tâche de vCenter attend que l'hôte soit vide ; DRS (ou vous)
# déplace les VM :
# [all]
#
# ```python
# task = esxi_1.EnterMaintenanceMode_Task(timeout=0, evacuatePoweredOffVms=False)
# print(esxi_1.runtime.inMaintenanceMode)
# task = esxi_1.ExitMaintenanceMode_Task(timeout=0)
# ```
#
# ```sh
# govc object.collect -s /Datacenter/host/Cluster/ESXi_1 runtime.inMaintenanceMode
# govc events -n 5 /Datacenter/host/Cluster/ESXi_1
# ```
#
# ```powershell
# Set-VMHost -VMHost ESXi_1 -State Maintenance
# Set-VMHost -VMHost ESXi_1 -State Connected
# ```
# [en]
#
# **vSphere Client**: right-click *ESXi_1* > *Maintenance Mode* > *Enter
# Maintenance Mode*.
#
# **On the lab simulator** maintenance mode behaves as on vCenter
# (`docker/go/README.md`, section 6 of the extension): the task runs while a
# powered-on VM is left on the host, and meanwhile no VM may power on or
# migrate there. With DRS fully automated the server moves the VMs itself; in
# manual mode it lists one recommendation per VM it could move, for you to
# apply. (On the public vcsim image, maintenance mode only sets a flag; lablib
# applies these rules itself there.)
# [fr]
#
# **vSphere Client** : clic droit sur *ESXi_1* > *Mode maintenance* > *Entrer en
# mode maintenance*.
#
# **Sur le simulateur du lab**, le mode maintenance se comporte comme sur
# vCenter (`docker/go/README.md`, section 6 de l'extension) : la tâche dure tant
# qu'une VM allumée reste sur l'hôte, et pendant ce temps aucune VM ne peut y
# être allumée ni y migrer. Avec DRS entièrement automatisé, le serveur déplace
# lui-même les VM ; en mode manuel, il liste une recommandation par VM qu'il
# pourrait déplacer, à vous de l'appliquer. (Sur l'image vcsim publique, le mode
# maintenance ne fait que poser un indicateur ; lablib y applique lui-même ces
# règles.)

# %% [markdown]
# [en]
# ## Step 2 — Rebalance the cluster
#
# Maintenance is over: ESXi_1 comes back empty (after Exercise 08.1) while
# ESXi_2 carries all the load. DRS compares the hosts' load and **recommends**
# migrations that even it out. `lab.rebalance()` reads the cluster's
# recommendations (VM, from, to, reason); `lab.rebalance(apply=True)` asks DRS
# for fresh ones and applies them with vMotion.
#
# ### Exercise 08.2
#
# Take `lab.roles.source_host` out of maintenance mode
# (`lab.exit_maintenance(host)`), look at the recommendations, then apply them.
# In a terminal, govc takes the host out and reads the recommendations (`-o`
# reads the cluster object; its `recommendation` list gives each one's
# `reasonText`, VM, source and destination), but has no command to apply one:
#
# ```sh
# govc host.maintenance.exit ESXi_1
# govc object.collect -o -json /Datacenter/host/Cluster recommendation
# ```
# [fr]
# ## Étape 2 — Rééquilibrer le cluster
#
# La maintenance est finie : ESXi_1 revient vide (après l'exercice 08.1) pendant
# qu'ESXi_2 porte toute la charge. DRS compare la charge des hôtes et
# **recommande** des migrations qui l'équilibrent. `lab.rebalance()` lit les
# recommandations du cluster (VM, depuis, vers, raison) ;
# `lab.rebalance(apply=True)` en demande de nouvelles à DRS et les applique par
# vMotion.
#
# ### Exercice 08.2
#
# Sortez `lab.roles.source_host` du mode maintenance
# (`lab.exit_maintenance(host)`), regardez les recommandations, puis appliquez-les.
# Dans un terminal, govc sort l'hôte du mode maintenance et lit les
# recommandations (`-o` lit l'objet cluster ; sa liste `recommendation` donne
# pour chacune son `reasonText`, la VM, la source et la destination), mais n'a
# pas de commande pour en appliquer une :
#
# ```sh
# govc host.maintenance.exit ESXi_1
# govc object.collect -o -json /Datacenter/host/Cluster recommendation
# ```

# %%
### BEGIN SOLUTION
lab.exit_maintenance(lab.roles.source_host)
print(lab.rebalance())
lab.rebalance(apply=True)
### END SOLUTION

# %%
check("08.2")

# %%
plot_load(start, lab, sizes=sizes)

# %% [markdown]
# [en]
# ### Under the hood
#
# **pyVmomi.** A DRS cluster lists its recommendations; applying one starts the
# migration tasks:
# [fr]
# ### Sous le capot
#
# **pyVmomi.** Un cluster DRS liste ses recommandations ; en appliquer une lance
# les tâches de migration :
# [all]
#
# ```python
# cluster.RefreshRecommendation()
# for rec in cluster.recommendation:
#     print(rec.key, rec.reasonText, [a.target.name for a in rec.action])
# cluster.ApplyRecommendation(key=rec.key)
# ```
#
# ```powershell
# Get-DrsRecommendation -Cluster Cluster -Refresh | Invoke-DrsRecommendation
# ```
# [en]
#
# **vSphere Client**: select *Cluster* > *Monitor* > *vSphere DRS* >
# *Recommendations* > *Apply Recommendations*.
#
# **On the lab simulator** the recommendations are the server's, as on vCenter:
# its DRS pass runs when a client reads `cluster.recommendation` after the
# inventory changed (vCenter's runs every few minutes), and `ApplyRecommendation`
# starts the migration. Its load figures are **modelled**: a host's load comes
# from its VMs' configured vCPUs and memory, the reason text shows them
# (`docker/go/README.md`, section 6 of the extension). On a real vCenter with
# DRS enabled, `lab.rebalance()` returns vCenter's own recommendations.
# [fr]
#
# **vSphere Client** : sélectionnez *Cluster* > *Surveiller* > *vSphere DRS* >
# *Recommandations* > *Appliquer les recommandations*.
#
# **Sur le simulateur du lab**, les recommandations sont celles du serveur,
# comme sur vCenter : son passage DRS a lieu quand un client lit
# `cluster.recommendation` après un changement de l'inventaire (celui de vCenter
# tourne toutes les quelques minutes), et `ApplyRecommendation` lance la
# migration. Ses chiffres de charge sont **modélisés** : la charge d'un hôte
# vient des vCPU et de la mémoire configurés de ses VM, et le texte de la raison
# les montre (`docker/go/README.md`, section 6 de l'extension). Sur un vrai
# vCenter avec DRS activé, `lab.rebalance()` renvoie les recommandations de
# vCenter lui-même.

# %% [markdown]
# [en]
# ## Step 3 — What DRS automates
#
# In both steps you applied the migrations yourself. DRS can do it for you; its
# **automation level** says how much (vSphere API, `DrsBehavior`):
#
# | level | initial placement (power-on) | load balancing (migrations) |
# |---|---|---|
# | `manual` | recommended | recommended |
# | `partiallyAutomated` | automatic | recommended |
# | `fullyAutomated` | automatic | automatic |
#
# With `fullyAutomated`, entering maintenance mode is enough: DRS evacuates the
# host by itself. DRS only recommends moves vMotion can do: a VM on local storage
# (like `vm-local` at the start) never gets a recommendation. The lab's cluster
# has DRS on; its level:
# [fr]
# ## Étape 3 — Ce que DRS automatise
#
# Aux deux étapes, c'est vous qui avez appliqué les migrations. DRS peut le faire
# à votre place ; son **niveau d'automatisation** dit dans quelle mesure (API
# vSphere, `DrsBehavior`) :
#
# | niveau | placement initial (mise sous tension) | équilibrage (migrations) |
# |---|---|---|
# | `manual` (manuel) | recommandé | recommandé |
# | `partiallyAutomated` (partiellement automatisé) | automatique | recommandé |
# | `fullyAutomated` (entièrement automatisé) | automatique | automatique |
#
# En `fullyAutomated`, entrer en mode maintenance suffit : DRS évacue l'hôte tout
# seul. DRS ne recommande que ce que vMotion peut faire : une VM sur un stockage
# local (comme `vm-local` au départ) n'obtient jamais de recommandation. Le
# cluster du lab a DRS activé ; son niveau :

# %%
cluster = lab.facts.snapshot().cluster(lab.roles.cluster)
cluster.drs_enabled, cluster.drs_behavior or "-"

# %% [markdown]
# [en]
# ### Exercise 08.3
#
# Store in `drs_level` the automation level at which DRS migrates VMs by itself.
# [fr]
# ### Exercice 08.3
#
# Mettez dans `drs_level` le niveau d'automatisation auquel DRS migre les VM tout
# seul.

# %%
drs_level = None
### BEGIN SOLUTION
drs_level = "fullyAutomated"
### END SOLUTION

# %%
check("08.3", drs_level)

# %% [markdown]
# [en]
# ### Under the hood
#
# ```python
# spec = vim.cluster.ConfigSpecEx(drsConfig=vim.cluster.DrsConfigInfo(
#     enabled=True, defaultVmBehavior="fullyAutomated"))
# task = cluster.ReconfigureComputeResource_Task(spec=spec, modify=True)
# ```
#
# ```sh
# govc cluster.change -drs-enabled -drs-mode fullyAutomated /Datacenter/host/Cluster
# ```
#
# ```powershell
# Set-Cluster -Cluster Cluster -DrsEnabled:$true -DrsAutomationLevel FullyAutomated
# ```
#
# **vSphere Client**: *Cluster* > *Configure* > *Services* > *vSphere DRS* >
# *Edit* > *Automation Level*. On the lab simulator the level acts as on
# vCenter for migrations: at `fullyAutomated` the server evacuates a host
# entering maintenance mode by itself, and applies its balancing moves itself
# when DRS runs (`RefreshRecommendation`), posting `DrsVmMigratedEvent`.
# Placement at power-on is not modelled.
# [fr]
# ### Sous le capot
#
# ```python
# spec = vim.cluster.ConfigSpecEx(drsConfig=vim.cluster.DrsConfigInfo(
#     enabled=True, defaultVmBehavior="fullyAutomated"))
# task = cluster.ReconfigureComputeResource_Task(spec=spec, modify=True)
# ```
#
# ```sh
# govc cluster.change -drs-enabled -drs-mode fullyAutomated /Datacenter/host/Cluster
# ```
#
# ```powershell
# Set-Cluster -Cluster Cluster -DrsEnabled:$true -DrsAutomationLevel FullyAutomated
# ```
#
# **vSphere Client** : *Cluster* > *Configurer* > *Services* > *vSphere DRS* >
# *Modifier* > *Niveau d'automatisation*. Sur le simulateur du lab, le niveau
# agit comme sur vCenter pour les migrations : en `fullyAutomated`, le serveur
# évacue tout seul un hôte qui entre en mode maintenance, et applique lui-même
# ses déplacements d'équilibrage quand DRS passe (`RefreshRecommendation`), en
# publiant `DrsVmMigratedEvent`. Le placement à la mise sous tension n'est pas
# modélisé.

# %% [markdown]
# [en]
# ## Summary
#
# - **Maintenance without impact**: vMotion empties the host while the VMs keep
#   running; a VM on local storage blocks it until its files move to shared
#   storage.
# - **Rebalancing**: DRS compares the hosts' load and recommends vMotions; you
#   (or DRS) apply them.
# - **DRS automation**: `manual` recommends everything, `partiallyAutomated`
#   places VMs at power-on, `fullyAutomated` also migrates them by itself.
# - All three rest on the same vMotion you configured and ran in labs 03 to 07.
#
# ## Exercises
#
# 1. Reset with `prepare(lab, "08")`, power `vm-local` off, then enter
#    maintenance mode. What does check 08.1 say, and why is it not "without
#    impacting users"?
# 2. With DRS at `fullyAutomated` (the govc command above), put ESXi_2 into
#    maintenance mode with govc alone: `govc host.maintenance.enter ESXi_2`.
#    Where do the VMs go, and who moved them? Read `lab.events()`.
# 3. Take ESXi_2 out of maintenance mode (`lab.exit_maintenance(...)`), then
#    run `lab.rebalance(apply=True)`. At `fullyAutomated`, who applied the move,
#    and which event type records it in `lab.events()`?
# [fr]
# ## Résumé
#
# - **Maintenance sans impact** : vMotion vide l'hôte pendant que les VM
#   continuent de tourner ; une VM sur un stockage local bloque jusqu'à ce que ses
#   fichiers passent sur un stockage partagé.
# - **Rééquilibrage** : DRS compare la charge des hôtes et recommande des
#   vMotion ; vous (ou DRS) les appliquez.
# - **Automatisation DRS** : `manual` recommande tout, `partiallyAutomated` place
#   les VM à la mise sous tension, `fullyAutomated` les migre aussi tout seul.
# - Les trois reposent sur le même vMotion que vous avez configuré et lancé dans
#   les labs 03 à 07.
#
# ## Exercices
#
# 1. Remettez à zéro avec `prepare(lab, "08")`, éteignez `vm-local`, puis entrez
#    en mode maintenance. Que dit la vérification 08.1, et pourquoi n'est-ce pas
#    « sans impacter les utilisateurs » ?
# 2. Avec DRS en `fullyAutomated` (la commande govc ci-dessus), mettez ESXi_2 en
#    mode maintenance avec govc seul : `govc host.maintenance.enter ESXi_2`. Où
#    vont les VM, et qui les a déplacées ? Lisez `lab.events()`.
# 3. Sortez ESXi_2 du mode maintenance (`lab.exit_maintenance(...)`), puis
#    lancez `lab.rebalance(apply=True)`. En `fullyAutomated`, qui a appliqué le
#    déplacement, et quel type d'événement l'enregistre dans `lab.events()` ?
