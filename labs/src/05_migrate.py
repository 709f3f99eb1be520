# Lab 05 source: the only file to edit. Build the notebooks with
# `python -m tools.labsource` (labs/README.md explains the format).

# %% [markdown]
# [en]
# # Lab 05 — Migrate a running VM from ESXi_1 to ESXi_2
#
# **Estimated time: 30 minutes**
#
# ## Overview
#
# The course's migration: *"I am going to migrate a **VM** from host **ESXi_1
# (192.168.1.170)** to **ESXi_2 (192.168.1.172)**."* Right-click the VM >
# **Migrate**, choose *Change compute resource only*, select the destination
# host, choose the virtual network, and confirm; then check the VM's **Tasks**
# tab. In this lab you will:
#
# - check the migration before running it, as the Migrate dialog does;
# - migrate the running VM, compute resource only, keeping its network;
# - read the migration task (the Tasks tab) and the migration event.
# [fr]
# # Lab 05 — Migrer une VM allumée d'ESXi_1 vers ESXi_2
#
# **Durée estimée : 30 minutes**
#
# ## Vue d'ensemble
#
# La migration du cours : *« Je vais migrer une **VM** de l'hôte **ESXi_1
# (192.168.1.170)** vers **ESXi_2 (192.168.1.172)**. »* Clic droit sur la VM >
# **Migration**, choisir *Changer uniquement la ressource de calcul*, sélectionner
# l'hôte de destination, choisir le réseau virtuel, **Valider** ; puis vérifier
# l'**onglet Tâches** de la VM. Dans ce lab, vous allez :
#
# - vérifier la migration avant de la lancer, comme le fait la boîte Migrer ;
# - migrer la VM allumée, en ne changeant que la ressource de calcul, et en
#   gardant son réseau ;
# - lire la tâche de migration (l'onglet Tâches) et l'événement de migration.

# %% [markdown]
# [en]
# ## Setup
#
# On the simulator the setup cell resets the lab, enables vMotion on both hosts
# (lab 03) and sets EVC with the VMs power-cycled into it (lab 04): every
# prerequisite holds for `vm-shared`.
# [fr]
# ## Mise en place
#
# Sur le simulateur, la cellule de mise en place remet le lab à zéro, active
# vMotion sur les deux hôtes (lab 03) et règle EVC en éteignant puis rallumant
# les VM (lab 04) : tous les prérequis sont remplis pour `vm-shared`.

# %%
import lablib
from lablib.exercises import check, prepare, your_turn
from lablib.widgets import MigrationWizard

lablib.set_language("{{lang}}")
lab = lablib.connect()
prepare(lab, "05")

# %% [markdown]
# [en]
# ## Step 1 — Check before you migrate
#
# The vSphere Client's Migrate dialog checks compatibility before it lets you
# finish. `lab.precheck(vm, host=...)` asks the server the same question,
# `CheckRelocate_Task`, without migrating, and shows its answer with one row per
# rule and the course prerequisite each rule enforces.
# [fr]
# ## Étape 1 — Vérifier avant de migrer
#
# La boîte Migrer du vSphere Client vérifie la compatibilité avant de vous
# laisser terminer. `lab.precheck(vm, host=...)` pose la même question au
# serveur, `CheckRelocate_Task`, sans migrer, et montre sa réponse avec une ligne
# par règle et le prérequis du cours que chacune fait respecter.

# %%
lab.precheck(lab.roles.vm, host=lab.roles.destination_host)

# %% [markdown]
# [en]
# ## Step 2 — The Migrate dialog
#
# The widget below is the vSphere Client's *Migrate* dialog for `vm-shared`, page by
# page: *Select a migration type*, *Select a compute resource* (each host with the
# server's compatibility verdict), *Select networks*, *Select vMotion priority*,
# *Ready to complete*. **Next** stays disabled while the server refuses the choice;
# **Finish** is on the last page. In Jupyter you can click through it yourself.
# [fr]
# ## Étape 2 — La boîte Migrer
#
# Le widget ci-dessous est la boîte *Migrer* du vSphere Client pour `vm-shared`, page
# par page : *Sélectionner un type de migration*, *Sélectionner une ressource de
# calcul* (chaque hôte avec le verdict de compatibilité du serveur), *Sélectionner
# les réseaux*, *Sélectionner la priorité de vMotion*, *Prêt à terminer*. **Suivant**
# reste désactivé tant que le serveur refuse le choix ; **Terminer** est sur la
# dernière page. Dans Jupyter, vous pouvez la parcourir vous-même.

# %%
wizard = MigrationWizard(lab, lab.roles.vm)
wizard

# %% [markdown]
# [en]
# The cells below answer each page as the course does, like clicks on the
# dialog above (it follows them). Page 1: *Change compute resource only*.
# [fr]
# Les cellules ci-dessous répondent à chaque page comme le cours, comme des clics
# sur la boîte ci-dessus (elle les suit). Page 1 : *Changer uniquement la
# ressource de calcul*.

# %%
wizard.select(kind="compute")
wizard.next()

# %% [markdown]
# [en]
# Page 2: the destination host. The dialog shows the server's verdict for each
# host; ESXi_1 is where the VM runs now.
# [fr]
# Page 2 : l'hôte de destination. La boîte montre le verdict du serveur pour
# chaque hôte ; ESXi_1 est l'hôte où tourne la VM.

# %%
wizard.select(host=lab.roles.destination_host)
wizard.next()

# %% [markdown]
# [en]
# Pages 3 and 4: keep the VM's network and the recommended high priority.
# [fr]
# Pages 3 et 4 : garder le réseau de la VM et la priorité élevée recommandée.

# %%
wizard.select(network=lab.roles.vm_network)
wizard.next()
wizard.select(priority="highPriority")
wizard.next()

# %% [markdown]
# [en]
# The dialog is now on *Ready to complete*, with its summary. Click **Finish**
# to do Exercise 05.1 with the mouse, or use the code of Step 3: either way the
# dialog reads the lab again before it migrates, so it never migrates a VM that
# is already there.
# [fr]
# La boîte est maintenant sur *Prêt à terminer*, avec son récapitulatif. Cliquez
# sur **Terminer** pour faire l'exercice 05.1 à la souris, ou utilisez le code de
# l'étape 3 : dans les deux cas, la boîte relit le lab avant de migrer, elle ne
# migre donc jamais une VM qui y est déjà.

# %% [markdown]
# [en]
# ## Step 3 — Migrate
#
# `lab.migrate(vm, host=..., network=...)` migrates a VM. With a host and no
# datastore it is a compute-only migration, the course's *Change compute
# resource only*: the files stay on the shared datastore. `network` is the
# dialog's *Select networks* page. It returns the placement before and after,
# the task and the event.
#
# ### Exercise 05.1
#
# Migrate `lab.roles.vm` to `lab.roles.destination_host`, compute resource only,
# on the network `lab.roles.vm_network`. Store the result in `result`.
# [fr]
# ## Étape 3 — Migrer
#
# `lab.migrate(vm, host=..., network=...)` migre une VM. Avec un hôte et sans
# banque de données, c'est une migration de la ressource de calcul uniquement,
# le *Changer uniquement la ressource de calcul* du cours : les fichiers restent
# sur la banque de données partagée. `network` est la page *Sélectionner les
# réseaux* de la boîte. Elle renvoie l'emplacement avant et après, la tâche et
# l'événement.
#
# ### Exercice 05.1
#
# Migrez `lab.roles.vm` vers `lab.roles.destination_host`, ressource de calcul
# uniquement, sur le réseau `lab.roles.vm_network`. Mettez le résultat dans
# `result`.

# %%
### BEGIN SOLUTION
result = lab.migrate(lab.roles.vm, host=lab.roles.destination_host,
                     network=lab.roles.vm_network)
result
### END SOLUTION

# %%
check("05.1")

# %% [markdown]
# [en]
# ### Under the hood
#
# **pyVmomi.** One call, `RelocateVM_Task`, with a `VirtualMachineRelocateSpec`
# that names the destination host and the VM's own resource pool, which it keeps
# inside its cluster (and, to change networks, a `deviceChange` for each network
# adapter). On a shared vCenter, the cluster's root pool would take the VM out of
# your own pool:
# [fr]
# ### Sous le capot
#
# **pyVmomi.** Un seul appel, `RelocateVM_Task`, avec un
# `VirtualMachineRelocateSpec` qui désigne l'hôte de destination et le pool de
# ressources de la VM, qu'elle garde dans son cluster (et, pour changer de
# réseau, un `deviceChange` par carte réseau). Sur un vCenter partagé, le pool
# racine du cluster sortirait la VM de votre pool :
# [all]
#
# ```python
# spec = vim.vm.RelocateSpec(host=esxi_2, pool=vm.resourcePool)
# task = vm.RelocateVM_Task(spec=spec, priority="defaultPriority")
# WaitForTask(task)
# print(vm.runtime.host.name, [ds.name for ds in vm.datastore])
# ```
#
# **govc**
#
# ```sh
# govc vm.migrate -host ESXi_2 -net "VM Network" vm-shared
# ```
#
# [en]
# Without `-pool`, govc puts the VM in the root pool of the destination's
# cluster: on a shared vCenter, add `-pool` with your own pool.
# [fr]
# Sans `-pool`, govc place la VM dans le pool racine du cluster de destination :
# sur un vCenter partagé, ajoutez `-pool` avec votre propre pool.
# [all]
#
# **PowerCLI**
#
# ```powershell
# Move-VM -VM vm-shared -Destination (Get-VMHost ESXi_2)
# ```
# [en]
#
# **vSphere Client**: right-click *vm-shared* > *Migrate...* > *Change compute
# resource only* > select *ESXi_2* > *Select networks*: *VM Network* > *Select
# vMotion priority* > *Finish*.
#
# **On the lab simulator** `RelocateVM_Task` checks the spec with vCenter's
# rules and refuses, with vCenter's fault, what vCenter refuses, whoever calls it
# (`docker/go/README.md`, section 3 of the extension). An accepted migration
# moves the VM: its host, its resource pool and the hosts' VM lists change, and
# the events are posted (section 4). A simulated VM has no memory to copy, so the
# task ends at once, unless the instructor started the simulator in demo mode
# (`python -m lablib sim start --demo 5000`): the task then runs for 5 seconds
# with its progress rising, as on vCenter. The model of lab 01 is how this kit
# shows the memory copy.
# [fr]
#
# **vSphere Client** : clic droit sur *vm-shared* > *Migrer...* > *Changer
# uniquement la ressource de calcul* > sélectionnez *ESXi_2* > *Sélectionner les
# réseaux* : *VM Network* > *Sélectionner la priorité vMotion* > *Terminer*
# (le « Valider » du cours).
#
# **Sur le simulateur du lab**, `RelocateVM_Task` vérifie la spécification avec
# les règles de vCenter et refuse, avec le fault de vCenter, ce que vCenter
# refuse, quel que soit l'appelant (`docker/go/README.md`, section 3 de
# l'extension). Une migration acceptée déplace la VM : son hôte, son pool de
# ressources et les listes de VM des hôtes changent, et les événements sont
# publiés (section 4). Une VM simulée n'a pas de mémoire à copier : la tâche se
# termine donc aussitôt, sauf si le formateur a démarré le simulateur en mode
# démonstration (`python -m lablib sim start --demo 5000`) : la tâche dure alors
# 5 secondes et sa progression monte, comme sur vCenter. Le modèle du lab 01 est
# la façon dont ce kit montre la copie de la mémoire.

# %% [markdown]
# [en]
# ## Step 4 — The Tasks tab
#
# The course: *"In the VM's **Tasks** tab, a **success** message confirms the
# operation."* `lab.tasks(vm)` is that tab: the VM's recent tasks, newest first.
# [fr]
# ## Étape 4 — L'onglet Tâches
#
# Le cours : *« Dans l'onglet **Tâches de la VM**, un message de **succès**
# confirme l'opération. »* `lab.tasks(vm)` est cet onglet : les tâches récentes de
# la VM, les plus récentes d'abord.

# %%
tasks = lab.tasks(lab.roles.vm)
tasks

# %% [markdown]
# [en]
# The power-off and power-on tasks come from the setup cell (EVC, lab 04). The
# *CheckRelocate* tasks are the server's checks: Step 1's, and the one
# `lab.migrate` asks for first, as the Migrate dialog does.
#
# ### Exercise 05.2 — Find the migration task
#
# `tasks.items` holds the rows as `TaskSummary` objects (`.name`, `.state`,
# `.started`, `.ended`, `.result`). Store the migration task in `migration_task`.
# [fr]
# Les tâches d'extinction et d'allumage viennent de la cellule de mise en place
# (EVC, lab 04). Les tâches *CheckRelocate* sont les vérifications du serveur :
# celle de l'étape 1, et celle que `lab.migrate` demande d'abord, comme la boîte
# Migrer.
#
# ### Exercice 05.2 — Trouver la tâche de migration
#
# `tasks.items` contient les lignes sous forme d'objets `TaskSummary` (`.name`,
# `.state`, `.started`, `.ended`, `.result`). Mettez la tâche de migration dans
# `migration_task`.

# %%
migration_task = None
### BEGIN SOLUTION
migration_task = tasks.items[0]   # newest first: the migration
### END SOLUTION

# %%
check("05.2", migration_task)

# %% [markdown]
# [en]
# ## Step 5 — The migration event
#
# vCenter also records an **event** for each migration, `VmMigratedEvent`, with
# the source host and datastore. Its message reads *"Migration of virtual
# machine vm-shared from ESXi_1, SharedDS to ESXi_2, SharedDS completed"*. The
# lab simulator posts it the same way, naming the real source and destination,
# after `VmBeingHotMigratedEvent` when a running VM starts to move
# (`docker/go/README.md`, section 4 of the extension).
# [fr]
# ## Étape 5 — L'événement de migration
#
# vCenter enregistre aussi un **événement** pour chaque migration,
# `VmMigratedEvent`, avec l'hôte et la banque de données source. Son message dit
# *« Migration of virtual machine vm-shared from ESXi_1, SharedDS to ESXi_2,
# SharedDS completed »*. Le simulateur du lab le publie de la même façon, avec la
# vraie source et la vraie destination, après `VmBeingHotMigratedEvent` quand une
# VM allumée commence à partir (`docker/go/README.md`, section 4 de
# l'extension).

# %%
events = lab.events(lab.roles.vm)
events

# %% [markdown]
# [en]
# ### Exercise 05.3 — Where did the VM come from?
#
# `events.items` holds `MigrationEvent` objects (`.source_host`,
# `.destination_host`, `.message`, ...). Store in `came_from` the source host of
# the newest migration event.
# [fr]
# ### Exercice 05.3 — D'où vient la VM ?
#
# `events.items` contient des objets `MigrationEvent` (`.source_host`,
# `.destination_host`, `.message`, ...). Mettez dans `came_from` l'hôte source du
# dernier événement de migration.

# %%
came_from = None
### BEGIN SOLUTION
came_from = events.items[0].source_host
### END SOLUTION

# %%
check("05.3", came_from)

# %% [markdown]
# [en]
# ### Under the hood
#
# **pyVmomi.** Tasks come from a `TaskHistoryCollector`, events from the
# `EventManager`:
# [fr]
# ### Sous le capot
#
# **pyVmomi.** Les tâches viennent d'un `TaskHistoryCollector`, les événements de
# l'`EventManager` :
# [all]
#
# ```python
# spec = vim.TaskFilterSpec(entity=vim.TaskFilterSpec.ByEntity(
#     entity=vm, recursion="self"))
# collector = si.content.taskManager.CreateCollectorForTasks(spec)
# print([(t.descriptionId, t.state) for t in collector.latestPage])
# events = si.content.eventManager.QueryEvents(vim.event.EventFilterSpec(
#     entity=vim.event.EventFilterSpec.ByEntity(entity=vm, recursion="self"),
#     eventTypeId=["VmMigratedEvent"]))
# print([e.fullFormattedMessage for e in events])
# ```
#
# **govc**
#
# ```sh
# govc tasks -n 5 vm/vm-shared
# govc events -n 5 -type VmMigratedEvent vm/vm-shared
# ```
#
# **PowerCLI**
#
# ```powershell
# Get-Task | Where-Object { $_.Name -eq "RelocateVM_Task" }
# Get-VIEvent -Entity vm-shared | Where-Object { $_ -is [VMware.Vim.VmMigratedEvent] }
# ```
# [en]
#
# **vSphere Client**: select *vm-shared* > *Monitor* > *Tasks and Events* >
# *Tasks* (or *Events*); the *Recent Tasks* pane at the bottom shows the task
# while it runs.
# [fr]
#
# **vSphere Client** : sélectionnez *vm-shared* > *Surveiller* > *Tâches et
# événements* > *Tâches* (ou *Événements*) ; le volet *Tâches récentes* en bas
# montre la tâche pendant qu'elle tourne.

# %% [markdown]
# [en]
# ## Summary
#
# - Check first (`lab.precheck`), as the Migrate dialog does, then migrate
#   (`lab.migrate`): with a host and no datastore, the files stay on the shared
#   datastore.
# - Underneath is one call, `RelocateVM_Task` with a
#   `VirtualMachineRelocateSpec(host, pool)`; in govc,
#   `govc vm.migrate -host ESXi_2 vm-shared`; in PowerCLI, `Move-VM -Destination`.
# - The VM's Tasks tab (`lab.tasks(vm)`) shows the migration task and its
#   result; the events (`lab.events(vm)`) record where the VM came from and went.
#
# ## Exercises
#
# 1. Migrate `vm-shared` back to ESXi_1 with `priority="highPriority"`. What
#    does the Tasks tab show now?
# 2. Ask your instructor for demo mode, then migrate with the Migrate dialog:
#    watch its progress bar while the task runs.
# 3. List all the events of `vm-shared` (drop `eventTypeId` in the pyVmomi
#    example, or run `govc events -n 10 vm/vm-shared`). Which event marks the
#    start of the migration, before `VmMigratedEvent`? On a real vCenter, compare.
# [fr]
# ## Résumé
#
# - Vérifiez d'abord (`lab.precheck`), comme la boîte Migrer, puis migrez
#   (`lab.migrate`) : avec un hôte et sans banque de données, les fichiers
#   restent sur la banque de données partagée.
# - Dessous, un seul appel : `RelocateVM_Task` avec un
#   `VirtualMachineRelocateSpec(host, pool)` ; en govc,
#   `govc vm.migrate -host ESXi_2 vm-shared` ; en PowerCLI, `Move-VM -Destination`.
# - L'onglet Tâches de la VM (`lab.tasks(vm)`) montre la tâche de migration et
#   son résultat ; les événements (`lab.events(vm)`) enregistrent d'où vient la
#   VM et où elle va.
#
# ## Exercices
#
# 1. Ramenez `vm-shared` sur ESXi_1 avec `priority="highPriority"`. Que montre
#    maintenant l'onglet Tâches ?
# 2. Demandez le mode démonstration à votre formateur, puis migrez avec la boîte
#    Migrer : regardez sa barre de progression pendant la tâche.
# 3. Listez tous les événements de `vm-shared` (retirez `eventTypeId` de
#    l'exemple pyVmomi, ou lancez `govc events -n 10 vm/vm-shared`). Quel
#    événement marque le début de la migration, avant `VmMigratedEvent` ? Sur un
#    vrai vCenter, comparez.
