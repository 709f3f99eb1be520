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
# vCenter the task completes once no powered-on VM is left on the host; with
# DRS, vCenter moves them with vMotion; without DRS, you move them yourself
# (vSphere API reference, `EnterMaintenanceMode_Task`).
# `lab.enter_maintenance(host)` evacuates the host's running VMs with vMotion,
# then enters maintenance mode, and reports what moved and what blocks. Try it:
# [fr]
# ## Étape 1 — Une maintenance sans impacter les utilisateurs
#
# Avant de mettre à jour ou de réparer un hôte, on le passe en **mode
# maintenance**. Sur vCenter, la tâche se termine quand il ne reste plus aucune
# VM allumée sur l'hôte ; avec DRS, vCenter les déplace par vMotion ; sans DRS,
# c'est à vous de les déplacer (référence de l'API vSphere,
# `EnterMaintenanceMode_Task`). `lab.enter_maintenance(host)` évacue les VM
# allumées de l'hôte par vMotion, puis entre en mode maintenance, et indique ce
# qui a bougé et ce qui bloque. Essayez :

# %%
lab.enter_maintenance(lab.roles.source_host)

# %% [markdown]
# [en]
# `vm-shared` moved to ESXi_2, but `vm-local` blocks: its files are on a
# datastore ESXi_2 does not mount, so no vMotion can move it (lab 06). vCenter
# records this as `NoMaintenanceModeDrsRecommendationForVM`. Powering it off
# would let the host enter maintenance mode, but its users would lose it.
#
# ### Exercise 08.1
#
# Put `lab.roles.source_host` into maintenance mode **with every VM still
# running**: first move `vm-local`'s files to the shared datastore (lab 06), then
# enter maintenance mode again.
# [fr]
# `vm-shared` est partie sur ESXi_2, mais `vm-local` bloque : ses fichiers sont
# sur une banque de données qu'ESXi_2 ne monte pas, aucun vMotion ne peut donc la
# déplacer (lab 06). vCenter l'enregistre comme
# `NoMaintenanceModeDrsRecommendationForVM`. L'éteindre permettrait à l'hôte
# d'entrer en maintenance, mais ses utilisateurs la perdraient.
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
# govc host.maintenance.enter ESXi_1
# govc host.maintenance.exit ESXi_1
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
# **On the simulator** vcsim's maintenance mode only sets the flag: it moves no
# VM and refuses nothing (so `govc host.maintenance.enter ESXi_1` "succeeds"
# with VMs still running). lablib plays DRS's part: it moves each running VM
# that passes vCenter's migration rules to the least loaded compatible host, and
# enters maintenance mode only when the host is empty.
# [fr]
#
# **vSphere Client** : clic droit sur *ESXi_1* > *Mode maintenance* > *Entrer en
# mode maintenance*.
#
# **Sur le simulateur**, le mode maintenance de vcsim ne fait que poser
# l'indicateur : il ne déplace aucune VM et ne refuse rien
# (`govc host.maintenance.enter ESXi_1` « réussit » donc avec des VM encore
# allumées). lablib
# joue le rôle de DRS : il déplace chaque VM allumée qui respecte les règles de
# migration de vCenter vers l'hôte compatible le moins chargé, et n'entre en
# maintenance que quand l'hôte est vide.

# %% [markdown]
# [en]
# ## Step 2 — Rebalance the cluster
#
# Maintenance is over: ESXi_1 comes back empty (after Exercise 08.1) while
# ESXi_2 carries all the load. DRS compares the hosts' load and **recommends** migrations that even it
# out. `lab.rebalance()` computes such recommendations (VM, from, to, reason);
# `lab.rebalance(apply=True)` applies them with vMotion.
#
# ### Exercise 08.2
#
# Take `lab.roles.source_host` out of maintenance mode
# (`lab.exit_maintenance(host)`), look at the recommendations, then apply them.
# [fr]
# ## Étape 2 — Rééquilibrer le cluster
#
# La maintenance est finie : ESXi_1 revient vide (après l'exercice 08.1) pendant
# qu'ESXi_2 porte toute la charge. DRS compare la charge des hôtes et **recommande** des migrations qui
# l'équilibrent. `lab.rebalance()` calcule de telles recommandations (VM, depuis,
# vers, raison) ; `lab.rebalance(apply=True)` les applique par vMotion.
#
# ### Exercice 08.2
#
# Sortez `lab.roles.source_host` du mode maintenance
# (`lab.exit_maintenance(host)`), regardez les recommandations, puis appliquez-les.

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
# govc has no command for DRS recommendations. **vSphere Client**: select
# *Cluster* > *Monitor* > *vSphere DRS* > *Recommendations* > *Apply
# Recommendations*.
#
# **On the simulator** vcsim computes no recommendation (`RefreshRecommendation`
# does not exist there): lablib computes them from the VMs' configured vCPUs and
# memory, a simple model of DRS, marked `*`. On a real vCenter with DRS enabled,
# `lab.rebalance()` returns vCenter's own recommendations.
# [fr]
#
# govc n'a pas de commande pour les recommandations DRS. **vSphere Client** :
# sélectionnez *Cluster* > *Surveiller* > *vSphere DRS* > *Recommandations* >
# *Appliquer les recommandations*.
#
# **Sur le simulateur**, vcsim ne calcule aucune recommandation
# (`RefreshRecommendation` n'y existe pas) : lablib les calcule à partir des vCPU
# et de la mémoire configurés des VM, un modèle simple de DRS, marqué `*`. Sur un
# vrai vCenter avec DRS activé, `lab.rebalance()` renvoie les recommandations de
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
# *Edit* > *Automation Level*. On the simulator the setting is stored, but vcsim
# runs no DRS: nothing would move by itself.
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
# *Modifier* > *Niveau d'automatisation*. Sur le simulateur, le réglage est
# enregistré, mais vcsim ne fait tourner aucun DRS : rien ne bougerait tout seul.

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
# 2. Put ESXi_2 into maintenance mode at the end of this lab. Where do the VMs
#    go? Then rebalance again.
# 3. On a real vCenter, set DRS to `fullyAutomated` and enter maintenance mode
#    from the vSphere Client: which tasks appear in *Recent Tasks*?
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
# 2. Mettez ESXi_2 en mode maintenance à la fin de ce lab. Où vont les VM ?
#    Rééquilibrez ensuite.
# 3. Sur un vrai vCenter, réglez DRS en `fullyAutomated` et entrez en mode
#    maintenance depuis le vSphere Client : quelles tâches apparaissent dans
#    *Tâches récentes* ?
