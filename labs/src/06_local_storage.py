# Lab 06 source: the only file to edit. Build the notebooks with
# `python -m tools.labsource` (labs/README.md explains the format).

# %% [markdown]
# [en]
# # Lab 06 — The local-storage error, and its fix
#
# **Estimated time: 30 minutes**
#
# ## Overview
#
# The course warns: *"⚠️ Shared storage between the ESXi hosts is mandatory,
# otherwise an error message appears during the migration."* The lab's second
# VM, `vm-local`, has its files on `ESXi_1-local`, a datastore only ESXi_1
# mounts. In this lab you will:
#
# - trigger the error, as the course's screenshot shows it;
# - read the fault vCenter returns, and see it on the topology picture;
# - fix it the way VMware's knowledge base says: move the files to the shared
#   datastore (Storage vMotion), then migrate.
# [fr]
# # Lab 06 — L'erreur du stockage local, et sa correction
#
# **Durée estimée : 30 minutes**
#
# ## Vue d'ensemble
#
# Le cours prévient : *« ⚠️ Il est impératif d'avoir un stockage partagé entre les
# ESXi sans quoi un message d'erreur apparaîtra lors de la migration. »* La
# seconde VM du lab, `vm-local`, a ses fichiers sur `ESXi_1-local`, une banque de
# données que seul ESXi_1 monte. Dans ce lab, vous allez :
#
# - déclencher l'erreur, telle que la montre la capture d'écran du cours ;
# - lire le fault que renvoie vCenter, et le voir sur le schéma de topologie ;
# - la corriger comme le dit la base de connaissances de VMware : déplacer les
#   fichiers vers la banque de données partagée (Storage vMotion), puis migrer.

# %% [markdown]
# [en]
# ## Setup
#
# On the simulator the setup cell resets the lab, enables vMotion on both hosts
# and sets EVC (labs 03 and 04): only the storage stands in the way.
# [fr]
# ## Mise en place
#
# Sur le simulateur, la cellule de mise en place remet le lab à zéro, active
# vMotion sur les deux hôtes et règle EVC (labs 03 et 04) : seul le stockage fait
# obstacle.

# %%
import lablib
from lablib.exercises import check, prepare, your_turn
from lablib.plots.topology import plot_topology
from lablib.widgets import MigrationWizard

lablib.set_language("{{lang}}")
lab = lablib.connect()
prepare(lab, "06")

# %% [markdown]
# [en]
# ## Step 1 — Trigger the error
#
# Migrate `vm-local` to ESXi_2, compute resource only, as Lab 05 did for
# `vm-shared`. The cell fails on purpose:
# [fr]
# ## Étape 1 — Déclencher l'erreur
#
# Migrez `vm-local` vers ESXi_2, ressource de calcul uniquement, comme le lab 05
# l'a fait pour `vm-shared`. La cellule échoue exprès :

# %% tags=["raises-exception"]
lab.migrate(lab.roles.local_vm, host=lab.roles.destination_host)

# %% [markdown]
# [en]
# The server refused it, as vCenter does, and would refuse it to any client:
#
# ```sh
# govc vm.migrate -host ESXi_2 vm-local   # refused
# ```
#
# Catch the error to read it. Its `.fault` is the fault object the server
# returns, of the type vCenter returns; `.msg` is vCenter's message:
# [fr]
# Le serveur l'a refusée, comme vCenter, et la refuserait à tout client :
#
# ```sh
# govc vm.migrate -host ESXi_2 vm-local   # refusé
# ```
#
# Capturez l'erreur pour la lire. Son `.fault` est l'objet fault que renvoie le
# serveur, du type que renvoie vCenter ; `.msg` est le message de vCenter :

# %%
try:
    lab.migrate(lab.roles.local_vm, host=lab.roles.destination_host)
except lablib.OperationRefused as error:
    refusal = error
print(refusal.fault.msg)

# %% [markdown]
# [en]
# ### Exercise 06.1 — Name the fault
#
# Store in `storage_fault` the name of the fault's type.
# [fr]
# ### Exercice 06.1 — Nommer le fault
#
# Mettez dans `storage_fault` le nom du type du fault.

# %%
storage_fault = None
### BEGIN SOLUTION
storage_fault = type(refusal.fault).__name__
### END SOLUTION

# %%
check("06.1", storage_fault)

# %% [markdown]
# [en]
# The vSphere Client shows this fault as *"Unable to access the virtual machine
# configuration: Unable to access file [ESXi_1-local] vm-local/vm-local.vmx"*.
# VMware's KB 430766 explains it: *"Standard vMotion (compute-only) requires that
# the source and destination hosts have concurrent access to the VM's files.
# Since a local datastore is only accessible to the host it is physically
# installed in, other hosts in the cluster cannot access the configuration
# files."*
#
# ## Step 2 — See it
#
# The topology picture greys out what a rule refuses: ESXi_2 cannot be the
# destination, because it does not mount `ESXi_1-local`.
# [fr]
# Le vSphere Client affiche ce fault ainsi : *« Unable to access the virtual
# machine configuration: Unable to access file [ESXi_1-local]
# vm-local/vm-local.vmx »* (impossible d'accéder à la configuration de la
# machine virtuelle). Le KB 430766 de VMware l'explique : un vMotion standard
# (ressource de calcul uniquement) exige que les hôtes source et destination
# accèdent en même temps aux fichiers de la VM ; une banque de données locale
# n'étant accessible qu'à l'hôte où elle est installée, les autres hôtes du
# cluster ne peuvent pas lire les fichiers de configuration.
#
# ## Étape 2 — Le voir
#
# Le schéma de topologie grise ce qu'une règle refuse : ESXi_2 ne peut pas être
# la destination, car il ne monte pas `ESXi_1-local`.

# %%
precheck = lab.precheck(lab.roles.local_vm, host=lab.roles.destination_host)
plot_topology(lab, moving=lab.roles.local_vm,
              destination=lab.roles.destination_host, findings=precheck)

# %% [markdown]
# [en]
# The Migrate dialog shows the same refusal on its *Select a compute resource*
# page, in red with the fix, and keeps **Next** disabled:
# [fr]
# La boîte Migrer montre le même refus sur sa page *Sélectionner une ressource de
# calcul*, en rouge avec la correction, et laisse **Suivant** désactivé :

# %%
wizard = MigrationWizard(lab, vm=lab.roles.local_vm)
wizard.select(kind="compute")
wizard.next()
wizard.select(host=lab.roles.destination_host)
wizard

# %% [markdown]
# [en]
# ## Step 3 — Fix it: Storage vMotion to the shared datastore
#
# KB 430766's fix: migrate with *Change storage only* to a shared datastore
# (or *Change both compute resource and storage*, lab 07). With a datastore and
# no host, `lab.migrate(vm, datastore=...)` is a storage-only migration: the VM
# stays on ESXi_1 and keeps running while its files move.
#
# ### Exercise 06.2
#
# Move `lab.roles.local_vm`'s files to `lab.roles.shared_datastore`.
# [fr]
# ## Étape 3 — Corriger : Storage vMotion vers la banque de données partagée
#
# La correction du KB 430766 : migrer avec *Changer uniquement le stockage* vers
# une banque de données partagée (ou *Changer à la fois la ressource de calcul et
# le stockage*, lab 07). Avec une banque de données et sans hôte,
# `lab.migrate(vm, datastore=...)` est une migration du stockage uniquement : la
# VM reste sur ESXi_1 et continue de tourner pendant que ses fichiers bougent.
#
# ### Exercice 06.2
#
# Déplacez les fichiers de `lab.roles.local_vm` vers `lab.roles.shared_datastore`.

# %%
### BEGIN SOLUTION
lab.migrate(lab.roles.local_vm, datastore=lab.roles.shared_datastore)
### END SOLUTION

# %%
check("06.2")

# %% [markdown]
# [en]
# ### Under the hood
#
# **pyVmomi.** The same `RelocateVM_Task`, with a datastore instead of a host
# (a `DiskLocator` per disk can send disks to different datastores):
# [fr]
# ### Sous le capot
#
# **pyVmomi.** Le même `RelocateVM_Task`, avec une banque de données au lieu d'un
# hôte (un `DiskLocator` par disque permet d'envoyer les disques sur des banques
# de données différentes) :
# [all]
#
# ```python
# spec = vim.vm.RelocateSpec(datastore=shared_ds)
# task = vm.RelocateVM_Task(spec=spec)
# ```
#
# ```sh
# govc vm.migrate -ds SharedDS vm-local
# ```
#
# ```powershell
# Move-VM -VM vm-local -Datastore SharedDS
# ```
# [en]
#
# **vSphere Client**: right-click *vm-local* > *Migrate...* > *Change storage
# only* > select *SharedDS* > *Finish*.
#
# **On the lab simulator** the files really move: the server moves the VM's
# folder (configuration, disk, log) from `ESXi_1-local` to `SharedDS` in its
# simulated datastores and rewrites every path that names them
# (`docker/go/README.md`, section 4 of the extension). List them:
#
# ```sh
# govc datastore.ls -ds SharedDS vm-local
# govc datastore.ls -ds ESXi_1-local
# ```
#
# The simulated disk holds no data, so the move ends at once. On a real vCenter
# the copy takes time, in proportion to the disks' size.
# [fr]
#
# **vSphere Client** : clic droit sur *vm-local* > *Migrer...* > *Changer
# uniquement le stockage* > sélectionnez *SharedDS* > *Terminer*.
#
# **Sur le simulateur du lab**, les fichiers bougent vraiment : le serveur
# déplace le dossier de la VM (configuration, disque, journal) de
# `ESXi_1-local` vers `SharedDS` dans ses banques de données simulées et réécrit
# chaque chemin qui les nomme (`docker/go/README.md`, section 4 de l'extension).
# Listez-les :
#
# ```sh
# govc datastore.ls -ds SharedDS vm-local
# govc datastore.ls -ds ESXi_1-local
# ```
#
# Le disque simulé ne contient aucune donnée : le déplacement se termine donc
# aussitôt. Sur un vrai vCenter, la copie prend du temps, en proportion de la
# taille des disques.

# %% [markdown]
# [en]
# ## Step 4 — Now migrate
#
# With its files on the shared datastore, `vm-local` meets every prerequisite.
#
# ### Exercise 06.3
#
# Migrate `lab.roles.local_vm` to `lab.roles.destination_host`, compute resource
# only.
# [fr]
# ## Étape 4 — Maintenant, migrer
#
# Avec ses fichiers sur la banque de données partagée, `vm-local` remplit tous
# les prérequis.
#
# ### Exercice 06.3
#
# Migrez `lab.roles.local_vm` vers `lab.roles.destination_host`, ressource de
# calcul uniquement.

# %%
### BEGIN SOLUTION
lab.migrate(lab.roles.local_vm, host=lab.roles.destination_host)
### END SOLUTION

# %%
check("06.3")

# %%
plot_topology(lab, moving=lab.roles.local_vm)

# %% [markdown]
# [en]
# ## Summary
#
# - A compute-only vMotion needs the VM's files on a datastore both hosts mount;
#   otherwise vCenter refuses with `CannotAccessVmConfig` ("Unable to access the
#   virtual machine configuration").
# - The fix is a **Storage vMotion** to a shared datastore
#   (`lab.migrate(vm, datastore=...)`, *Change storage only*), then the vMotion.
# - Both steps keep the VM running: users do not notice either move.
#
# ## Exercises
#
# 1. Reset the lab (`prepare(lab, "06")`) and move `vm-local` in **one**
#    migration, host and datastore together. Which datastore can you choose on
#    ESXi_2? (Lab 07 does this.)
# 2. Try `lab.migrate(lab.roles.local_vm, datastore="ESXi_2-local")` while the
#    VM runs on ESXi_1. Which rule refuses it, and which fault does it name?
# 3. Why would this VM also block maintenance mode on ESXi_1 (lab 08)?
# [fr]
# ## Résumé
#
# - Un vMotion de la ressource de calcul uniquement a besoin des fichiers de la
#   VM sur une banque de données que les deux hôtes montent ; sinon vCenter refuse
#   avec `CannotAccessVmConfig` (« Unable to access the virtual machine
#   configuration »).
# - La correction : un **Storage vMotion** vers une banque de données partagée
#   (`lab.migrate(vm, datastore=...)`, *Changer uniquement le stockage*), puis le
#   vMotion.
# - Les deux étapes laissent la VM tourner : les utilisateurs ne remarquent
#   aucun des deux déplacements.
#
# ## Exercices
#
# 1. Remettez le lab à zéro (`prepare(lab, "06")`) et déplacez `vm-local` en
#    **une seule** migration, hôte et banque de données ensemble. Quelle banque de
#    données pouvez-vous choisir sur ESXi_2 ? (Le lab 07 le fait.)
# 2. Essayez `lab.migrate(lab.roles.local_vm, datastore="ESXi_2-local")` pendant
#    que la VM tourne sur ESXi_1. Quelle règle le refuse, et quel fault cite-t-elle ?
# 3. Pourquoi cette VM bloquerait-elle aussi le mode maintenance d'ESXi_1 (lab 08) ?
