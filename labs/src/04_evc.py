# Lab 04 source: the only file to edit. Build the notebooks with
# `python -m tools.labsource` (labs/README.md explains the format).

# %% [markdown]
# [en]
# # Lab 04 — EVC: one CPU baseline for the whole cluster
#
# **Estimated time: 35 minutes**
#
# ## Overview
#
# The lab's two hosts are both Intel, but of different generations: ESXi_1 is an
# Ice Lake, ESXi_2 an older Cascade Lake. The course: *"EVC lets vMotion
# **standardise the CPU instructions** on one generation, even if the ESXi hosts
# have different processors; it is enabled at the **vCenter cluster** level;
# ⚠️ the VMs must be **rebooted** to apply EVC."* In this lab you will:
#
# - see why the migration to the older host fails, and read the fault;
# - find the right EVC mode for the cluster, and why vCenter refuses it while
#   VMs use newer CPU features;
# - configure EVC, and power-cycle the VM so it takes the mode;
# - check that the migration is now allowed.
# [fr]
# # Lab 04 — EVC : une même base CPU pour tout le cluster
#
# **Durée estimée : 35 minutes**
#
# ## Vue d'ensemble
#
# Les deux hôtes du lab sont Intel, mais de générations différentes : ESXi_1 est
# un Ice Lake, ESXi_2 un Cascade Lake plus ancien. Le cours : *« EVC permet à
# vMotion de **standardiser les instructions CPU** sur une même génération, même
# si les hôtes ESXi ont des processeurs différents ; s'active au niveau du
# **Cluster vCenter** ; ⚠️ **reboot nécessaire** des VM pour appliquer l'EVC. »*
# Dans ce lab, vous allez :
#
# - voir pourquoi la migration vers l'hôte plus ancien échoue, et lire le fault ;
# - trouver le bon mode EVC pour le cluster, et pourquoi vCenter le refuse tant
#   que des VM utilisent des fonctions CPU plus récentes ;
# - configurer EVC, puis éteindre et rallumer la VM pour qu'elle prenne le mode ;
# - vérifier que la migration est désormais autorisée.

# %% [markdown]
# [en]
# ## Setup
#
# On the simulator the setup cell resets the lab and enables vMotion on `vmk0`
# of both hosts (lab 03): only the CPU stands in the way now.
# [fr]
# ## Mise en place
#
# Sur le simulateur, la cellule de mise en place remet le lab à zéro et active
# vMotion sur `vmk0` des deux hôtes (lab 03) : seul le CPU fait encore obstacle.

# %%
import lablib
from lablib.exercises import check, prepare, your_turn

lablib.set_language("{{lang}}")
lab = lablib.connect()
prepare(lab, "04")

# %% [markdown]
# [en]
# ## Step 1 — Why the migration to the older host fails
#
# A guest discovers the CPU's features (instruction set extensions) when it
# boots, and keeps using them. `vm-shared` was powered on on ESXi_1, so it runs
# with every feature of an Ice Lake CPU. `lab.cpu_baseline(vm)` names that set
# of features as an EVC mode:
# [fr]
# ## Étape 1 — Pourquoi la migration vers l'hôte plus ancien échoue
#
# Un système invité découvre les fonctions du CPU (extensions du jeu
# d'instructions) à son démarrage, et continue de les utiliser. `vm-shared` a été
# allumée sur ESXi_1 : elle tourne avec toutes les fonctions d'un CPU Ice Lake.
# `lab.cpu_baseline(vm)` nomme cet ensemble de fonctions sous forme de mode EVC :

# %%
lab.cpu_baseline(lab.roles.vm)

# %% [markdown]
# [en]
# The server holds this baseline in the VM's `runtime.minRequiredEVCModeKey`,
# set at power-on; govc reads it too (see below). vCenter fills it only in a
# cluster with EVC; the lab simulator also fills it without EVC, with the best
# mode of the VM's host, so that you can see the baseline: a **modelled** value
# (`docker/go/README.md`, section 2 of the extension).
#
# ESXi_2's CPU, older, lacks some of these features. After a switchover the
# guest would run an instruction ESXi_2 cannot execute, so vCenter refuses the
# vMotion, and so does the lab simulator, whatever the client:
#
# ```sh
# govc object.collect -s vm/vm-shared runtime.minRequiredEVCModeKey
# govc vm.migrate -host ESXi_2 vm-shared   # refused
# ```
#
# Try it with lablib; the cell fails on purpose:
# [fr]
# Le serveur garde cette base dans `runtime.minRequiredEVCModeKey` de la VM,
# renseigné à la mise sous tension ; govc le lit aussi (voir ci-dessous).
# vCenter ne le renseigne que dans un cluster avec EVC ; le simulateur du lab le
# renseigne aussi sans EVC, avec le meilleur mode de l'hôte de la VM, pour que
# vous voyiez la base : une valeur **modélisée** (`docker/go/README.md`,
# section 2 de l'extension).
#
# Le CPU d'ESXi_2, plus ancien, n'a pas certaines de ces fonctions. Après la
# bascule, l'invité exécuterait une instruction qu'ESXi_2 ne sait pas exécuter :
# vCenter refuse donc le vMotion, et le simulateur du lab aussi, quel que soit le
# client :
#
# ```sh
# govc object.collect -s vm/vm-shared runtime.minRequiredEVCModeKey
# govc vm.migrate -host ESXi_2 vm-shared   # refusé
# ```
#
# Essayez avec lablib ; la cellule échoue exprès :

# %% tags=["raises-exception"]
lab.migrate(lab.roles.vm, host=lab.roles.destination_host)

# %% [markdown]
# [en]
# A refused migration raises `lablib.OperationRefused` (here its subclass
# `MigrationRefused`). Its `.fault` is the pyVmomi fault object of the type
# vCenter raises, with vCenter's message in `.msg`. Catch it to read it:
# [fr]
# Une migration refusée lève `lablib.OperationRefused` (ici sa sous-classe
# `MigrationRefused`). Son `.fault` est l'objet fault pyVmomi du type que lève
# vCenter, avec le message de vCenter dans `.msg`. Capturez-la pour la lire :

# %%
try:
    lab.migrate(lab.roles.vm, host=lab.roles.destination_host)
except lablib.OperationRefused as error:
    refusal = error
print(refusal.fault.msg)

# %% [markdown]
# [en]
# ### Exercise 04.1 — Name the fault
#
# Store in `cpu_fault` the name of the fault's type (`type(...).__name__`).
# [fr]
# ### Exercice 04.1 — Nommer le fault
#
# Mettez dans `cpu_fault` le nom du type du fault (`type(...).__name__`).

# %%
cpu_fault = None
### BEGIN SOLUTION
cpu_fault = type(refusal.fault).__name__
### END SOLUTION

# %%
check("04.1", cpu_fault)

# %% [markdown]
# [en]
# vCenter's wording for this fault (VMware KB 1003718): *"Unable to migrate from
# &lt;source&gt; to &lt;destination&gt;: The CPU of the host is incompatible with the CPU
# feature requirements of the virtual machine; problem detected at CPUID level
# 0x1 register 'ecx'."* The level and register name where the first missing
# feature sits; the lab simulator's CPU features per EVC mode are modelled, so
# its message names the register of the first feature ESXi_2's modelled CPU
# lacks.
#
# ## Step 2 — The right EVC mode
#
# An EVC mode is a CPU feature baseline: with EVC on, every host of the cluster
# offers the VMs exactly the features of that mode, hiding the newer ones. The
# modes of one vendor are ordered by generation; a host supports every mode up
# to its own generation. `lab.evc_modes()` lists them with the hosts that
# support each:
# [fr]
# La formulation de vCenter pour ce fault (VMware KB 1003718) : *« Unable to
# migrate from &lt;source&gt; to &lt;destination&gt;: The CPU of the host is incompatible
# with the CPU feature requirements of the virtual machine; problem detected at
# CPUID level 0x1 register 'ecx'. »* Le niveau et le registre indiquent où se
# trouve la première fonction manquante ; les fonctions CPU de chaque mode EVC
# sont modélisées par le simulateur du lab : son message nomme donc le registre
# de la première fonction qui manque au CPU modélisé d'ESXi_2.
#
# ## Étape 2 — Le bon mode EVC
#
# Un mode EVC est une base de fonctions CPU : avec EVC, chaque hôte du cluster
# offre aux VM exactement les fonctions de ce mode, en masquant les plus
# récentes. Les modes d'un fabricant sont rangés par génération ; un hôte accepte
# tous les modes jusqu'à sa propre génération. `lab.evc_modes()` les liste avec
# les hôtes qui acceptent chacun :

# %%
modes = lab.evc_modes()
modes

# %% [markdown]
# [en]
# The right mode is the **newest one every host supports**: it hides as few
# features as possible. Here that is `intel-cascadelake` (`modes.best`). An
# older mode would work too, but would take more features away from the VMs.
#
# vCenter refuses to configure it while VMs **run** with features the mode
# hides: a running guest cannot lose CPU features under its feet. Try it; the
# cell fails on purpose with the fault `ActiveVMsBlockingEVC`:
# [fr]
# Le bon mode est **le plus récent que tous les hôtes acceptent** : il masque le
# moins de fonctions possible. Ici c'est `intel-cascadelake` (`modes.best`). Un
# mode plus ancien marcherait aussi, mais retirerait plus de fonctions aux VM.
#
# vCenter refuse de le configurer tant que des VM **tournent** avec des fonctions
# que ce mode masque : un invité en marche ne peut pas perdre des fonctions CPU
# en cours de route. Essayez ; la cellule échoue exprès avec le fault
# `ActiveVMsBlockingEVC` :

# %% tags=["raises-exception"]
lab.configure_evc(modes.best)

# %% [markdown]
# [en]
# This is why the course says the VMs must be rebooted. VMware's documentation
# is precise: *"A full power cycling is required. Rebooting the guest operating
# system or suspending and resuming the virtual machine is not sufficient."*
#
# ### Exercise 04.2 — Configure EVC
#
# Power off the VMs that run on ESXi_1 (`lab.roles.vm` and `lab.roles.local_vm`)
# with `lab.power_off(vm)`, then configure EVC at the right mode with
# `lab.configure_evc(mode)`.
# [fr]
# Voilà pourquoi le cours dit qu'il faut redémarrer les VM. La documentation de
# VMware est précise : *« A full power cycling is required. Rebooting the guest
# operating system or suspending and resuming the virtual machine is not
# sufficient. »* (il faut un vrai cycle extinction/allumage).
#
# ### Exercice 04.2 — Configurer EVC
#
# Éteignez les VM qui tournent sur ESXi_1 (`lab.roles.vm` et `lab.roles.local_vm`)
# avec `lab.power_off(vm)`, puis configurez EVC au bon mode avec
# `lab.configure_evc(mode)`.

# %%
### BEGIN SOLUTION
for vm in (lab.roles.vm, lab.roles.local_vm):
    lab.power_off(vm)
lab.configure_evc(modes.best)   # intel-cascadelake here
### END SOLUTION

# %%
check("04.2")

# %% [markdown]
# [en]
# ### Under the hood
#
# **pyVmomi.** EVC is managed by the cluster's EVC manager; configuring returns a
# task. The supported modes come from `si.capability.supportedEVCMode`:
# [fr]
# ### Sous le capot
#
# **pyVmomi.** EVC est géré par le gestionnaire EVC du cluster ; la configuration
# renvoie une tâche. Les modes connus viennent de
# `si.capability.supportedEVCMode` :
# [all]
#
# ```python
# evcm = cluster.EvcManager()
# task = evcm.ConfigureEvcMode_Task(evcModeKey="intel-cascadelake")
# print(cluster.summary.currentEVCModeKey)
# vm.PowerOffVM_Task(), vm.PowerOnVM_Task()
# print(vm.runtime.minRequiredEVCModeKey)     # the VM's baseline
# ```
# [en]
#
# **govc** has no EVC command (it cannot configure EVC: use pyVmomi, PowerCLI or
# the vSphere Client); it reads the properties. The cluster's mode, then the
# baseline of the powered-off `vm-shared`: an empty line, since a VM has none
# until it is powered on (Step 3):
# [fr]
#
# **govc** n'a pas de commande EVC (il ne sait pas configurer EVC : utilisez
# pyVmomi, PowerCLI ou le vSphere Client) ; il lit les propriétés. Le mode du
# cluster, puis la base de `vm-shared` éteinte : une ligne vide, car une VM n'en a
# pas avant sa mise sous tension (étape 3) :
# [all]
#
# ```sh
# govc object.collect -s /Datacenter/host/Cluster summary.currentEVCModeKey
# govc object.collect -s vm/vm-shared runtime.minRequiredEVCModeKey
# ```
#
# **PowerCLI**
#
# ```powershell
# Stop-VM -VM vm-shared, vm-local -Confirm:$false
# Set-Cluster -Cluster Cluster -EVCMode intel-cascadelake -Confirm:$false
# Start-VM -VM vm-shared, vm-local
# (Get-Cluster Cluster).EVCMode
# ```
# [en]
#
# **vSphere Client**: select *Cluster* > *Configure* > *Configuration* >
# *VMware EVC* > *Edit*, choose *Enable EVC for Intel Hosts*, then the mode
# *Intel "Cascade Lake" Generation*; the *Compatibility* pane says which hosts or
# VMs block it.
#
# **On the lab simulator** the cluster has an EVC manager, as on vCenter:
# `ConfigureEvcMode_Task`, `CheckConfigureEvcMode_Task` and
# `DisableEvcMode_Task`, with vCenter's refusals (the `ActiveVMsBlockingEVC`
# above), and the VMs take the mode at power-on (`docker/go/README.md`, section
# 2 of the extension). It models what it cannot know: each host's CPU (from the
# course's host profile) and the CPU features of each mode. (On the public vcsim
# image, lablib emulates EVC with custom fields.)
# [fr]
#
# **vSphere Client** : sélectionnez *Cluster* > *Configurer* > *Configuration* >
# *VMware EVC* > *Modifier*, choisissez *Activer EVC pour les hôtes Intel*, puis
# le mode *Intel "Cascade Lake" Generation* ; le volet *Compatibilité* indique
# les hôtes ou les VM qui bloquent.
#
# **Sur le simulateur du lab**, le cluster a un gestionnaire EVC, comme sur
# vCenter : `ConfigureEvcMode_Task`, `CheckConfigureEvcMode_Task` et
# `DisableEvcMode_Task`, avec les refus de vCenter (le `ActiveVMsBlockingEVC`
# ci-dessus), et les VM prennent le mode à leur mise sous tension
# (`docker/go/README.md`, section 2 de l'extension). Il modélise ce qu'il ne
# peut pas savoir : le CPU de chaque hôte (d'après le profil d'hôtes du cours) et
# les fonctions CPU de chaque mode. (Sur l'image vcsim publique, lablib émule
# EVC avec des champs personnalisés.)

# %% [markdown]
# [en]
# ## Step 3 — The power cycle
#
# A VM takes the cluster's EVC mode **when it is powered on**, and keeps it
# until it is powered off. The VMs are off now: power them on.
#
# ### Exercise 04.3 — Power the VMs on with the EVC mode
#
# Power on `lab.roles.vm` and `lab.roles.local_vm` with `lab.power_on(vm)`.
# [fr]
# ## Étape 3 — Éteindre puis rallumer
#
# Une VM prend le mode EVC du cluster **à sa mise sous tension**, et le garde
# jusqu'à son extinction. Les VM sont éteintes : rallumez-les.
#
# ### Exercice 04.3 — Rallumer les VM avec le mode EVC
#
# Rallumez `lab.roles.vm` et `lab.roles.local_vm` avec `lab.power_on(vm)`.

# %%
### BEGIN SOLUTION
for vm in (lab.roles.vm, lab.roles.local_vm):
    lab.power_on(vm)
### END SOLUTION

# %%
check("04.3")

# %% [markdown]
# [en]
# The same power cycle in govc, then the baseline the server gave the VM
# (`intel-cascadelake`): it keeps it until its next power-off. A reset, or a
# suspend and resume, keeps it too; only a power-off clears it.
# [fr]
# Le même cycle extinction/allumage avec govc, puis la base que le serveur a
# donnée à la VM (`intel-cascadelake`) : elle la garde jusqu'à sa prochaine
# extinction. Une réinitialisation, ou une suspension puis reprise, la garde
# aussi ; seule une extinction l'efface.
# [all]
#
# ```sh
# govc vm.power -off vm-local
# govc vm.power -on vm-local
# govc object.collect -s vm/vm-local runtime.minRequiredEVCModeKey
# ```

# %% [markdown]
# [en]
# ## Step 4 — The migration is allowed now
#
# The precheck asks the server whether the migration would pass
# (`CheckRelocate_Task`), without migrating: every row is ✔ once the exercises
# are done. Lab 05 does the migration.
# [fr]
# ## Étape 4 — La migration est maintenant autorisée
#
# La vérification demande au serveur si la migration passerait
# (`CheckRelocate_Task`), sans migrer : chaque ligne est ✔ une fois les
# exercices faits. Le lab 05 fait la migration.

# %%
print(lab.cpu_baseline(lab.roles.vm))
lab.precheck(lab.roles.vm, host=lab.roles.destination_host)

# %% [markdown]
# [en]
# ## Summary
#
# - A running VM keeps the CPU features it found at power-on; vMotion to a host
#   that lacks some of them is refused (`CpuIncompatible`).
# - EVC gives every host of the cluster the same CPU baseline. Choose the newest
#   mode every host supports (`lab.evc_modes().best`).
# - vCenter refuses a mode below what running VMs use (`ActiveVMsBlockingEVC`):
#   power them off, configure EVC, power them on. A guest reboot is not enough.
# - EVC never bridges vendors: Intel and AMD hosts cannot vMotion to each other.
#
# ## Exercises
#
# 1. With the VMs off, configure EVC at `intel-skylake`, power `vm-shared` on,
#    then raise EVC to `intel-cascadelake` while it runs. What does
#    `lab.cpu_baseline(lab.roles.vm)` say, and what does check 04.3 answer?
# 2. Try `lab.configure_evc("intel-icelake")`. Which host blocks it, and why?
# 3. Try `lab.configure_evc("amd-zen")`. Which fault does the server raise?
# [fr]
# ## Résumé
#
# - Une VM allumée garde les fonctions CPU trouvées au démarrage ; un vMotion
#   vers un hôte qui n'en a pas certaines est refusé (`CpuIncompatible`).
# - EVC donne à tous les hôtes du cluster la même base CPU. Choisissez le mode le
#   plus récent que tous les hôtes acceptent (`lab.evc_modes().best`).
# - vCenter refuse un mode inférieur à ce qu'utilisent les VM allumées
#   (`ActiveVMsBlockingEVC`) : éteignez-les, configurez EVC, rallumez-les. Un
#   redémarrage de l'invité ne suffit pas.
# - EVC ne fait jamais le pont entre fabricants : des hôtes Intel et AMD ne
#   peuvent pas faire de vMotion entre eux.
#
# ## Exercices
#
# 1. VM éteintes, configurez EVC en `intel-skylake`, rallumez `vm-shared`, puis
#    montez EVC à `intel-cascadelake` pendant qu'elle tourne. Que dit
#    `lab.cpu_baseline(lab.roles.vm)`, et que répond la vérification 04.3 ?
# 2. Essayez `lab.configure_evc("intel-icelake")`. Quel hôte bloque, et pourquoi ?
# 3. Essayez `lab.configure_evc("amd-zen")`. Quel fault le serveur lève-t-il ?
