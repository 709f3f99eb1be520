# Lab 07 source: the only file to edit. Build the notebooks with
# `python -m tools.labsource` (labs/README.md explains the format).

# %% [markdown]
# [en]
# # Lab 07 — The three migration types
#
# **Estimated time: 30 minutes**
#
# ## Overview
#
# The course's "good to know" table:
#
# | Migration type | Description |
# |---|---|
# | **Compute only** | Migrates the **CPU, RAM and network** resources without moving the storage |
# | **Storage only (Storage vMotion)** | Moves the **storage** only; the VM stays on the same host |
# | **Compute + Storage** | **Full** migration (resources + VM files) to another host and storage |
#
# In this lab you will do all three, read which one `lab.precheck` recognises,
# see the API behind each, and read them back in the migration events.
# [fr]
# # Lab 07 — Les trois types de migration
#
# **Durée estimée : 30 minutes**
#
# ## Vue d'ensemble
#
# Le tableau « Bon à savoir » du cours :
#
# | Type de migration | Description |
# |---|---|
# | **Compute only** | Migration des **ressources CPU, RAM et réseau** sans déplacer le stockage |
# | **Storage only (Storage vMotion)** | Déplacement du **stockage** uniquement, la VM reste sur le même hôte |
# | **Compute + Storage** | Migration **complète** (ressources + fichiers VM) vers un autre hôte et stockage |
#
# Dans ce lab, vous allez faire les trois, lire lequel `lab.precheck` reconnaît,
# voir l'API derrière chacun, et les relire dans les événements de migration.

# %% [markdown]
# [en]
# ## Setup
#
# On the simulator the setup cell resets the lab, enables vMotion on both hosts
# and sets EVC (labs 03 and 04). Both VMs run on ESXi_1: `vm-shared` on the
# shared datastore, `vm-local` on ESXi_1's local datastore.
# [fr]
# ## Mise en place
#
# Sur le simulateur, la cellule de mise en place remet le lab à zéro, active
# vMotion sur les deux hôtes et règle EVC (labs 03 et 04). Les deux VM tournent
# sur ESXi_1 : `vm-shared` sur la banque de données partagée, `vm-local` sur la
# banque de données locale d'ESXi_1.

# %%
import lablib
from lablib.exercises import check, prepare, your_turn
from lablib.widgets import MigrationWizard

lablib.set_language("{{lang}}")
lab = lablib.connect()
prepare(lab, "07")

# %% [markdown]
# [en]
# `lab.migrate(vm, host=None, datastore=None)` derives the type from what you
# give: a host only is **compute**, a datastore only is **storage**, both is
# **compute+storage**. `lab.precheck(...)` with the same arguments says which
# type it is (`.kind`) and whether it is allowed (`.ok`), without migrating.
# [fr]
# `lab.migrate(vm, host=None, datastore=None)` déduit le type de ce que vous
# donnez : un hôte seul, c'est **compute** ; une banque de données seule,
# **storage** ; les deux, **compute+storage**. `lab.precheck(...)` avec les mêmes
# arguments dit de quel type il s'agit (`.kind`) et s'il est autorisé (`.ok`),
# sans migrer.

# %%
for vm, host, datastore in [
        (lab.roles.vm, lab.roles.destination_host, None),
        (lab.roles.vm, None, lab.roles.shared_datastore),
        (lab.roles.local_vm, lab.roles.destination_host,
         lab.roles.destination_local_datastore)]:
    p = lab.precheck(vm, host=host, datastore=datastore)
    print(f"{p.kind:16} ok={p.ok!s:5}", p.route(), "—", p.verdict())

# %% [markdown]
# [en]
# (The second line is "storage" but has nothing to do: `vm-shared` is already
# on `SharedDS`.)
#
# ## Step 1 — Compute only
#
# ### Exercise 07.1
#
# Move `lab.roles.vm` to `lab.roles.destination_host`, compute resource only.
# [fr]
# (La deuxième ligne est « storage » mais n'a rien à faire : `vm-shared` est déjà
# sur `SharedDS`.)
#
# ## Étape 1 — Ressource de calcul uniquement
#
# ### Exercice 07.1
#
# Déplacez `lab.roles.vm` vers `lab.roles.destination_host`, ressource de calcul
# uniquement.

# %%
### BEGIN SOLUTION
lab.migrate(lab.roles.vm, host=lab.roles.destination_host)
### END SOLUTION

# %%
check("07.1")

# %% [markdown]
# [en]
# ## Step 2 — Storage only
#
# Now move `vm-shared`'s files from `SharedDS` to `ESXi_2-local`, the local
# datastore of the host it runs on. A Storage vMotion needs no shared storage
# and no vMotion network: the host that runs the VM copies the files itself, so
# it must mount both datastores.
#
# ### Exercise 07.2
#
# Move `lab.roles.vm`'s files to `lab.roles.destination_local_datastore`,
# without changing its host.
# [fr]
# ## Étape 2 — Stockage uniquement
#
# Déplacez maintenant les fichiers de `vm-shared` de `SharedDS` vers
# `ESXi_2-local`, la banque de données locale de l'hôte où elle tourne. Un
# Storage vMotion n'a besoin ni de stockage partagé ni de réseau vMotion : l'hôte
# qui fait tourner la VM copie lui-même les fichiers, il doit donc monter les deux
# banques de données.
#
# ### Exercice 07.2
#
# Déplacez les fichiers de `lab.roles.vm` vers
# `lab.roles.destination_local_datastore`, sans changer d'hôte.

# %%
### BEGIN SOLUTION
lab.migrate(lab.roles.vm, datastore=lab.roles.destination_local_datastore)
### END SOLUTION

# %%
check("07.2")

# %% [markdown]
# [en]
# ## Step 3 — Compute and storage together
#
# `vm-local` is on ESXi_1's local datastore: a compute-only migration fails (lab
# 06). Changing host **and** datastore in one migration works without any
# shared storage: the VM's files and memory both travel over the network to
# ESXi_2 and its local datastore. In the Migrate dialog:
# [fr]
# ## Étape 3 — Calcul et stockage ensemble
#
# `vm-local` est sur la banque de données locale d'ESXi_1 : une migration de la
# ressource de calcul seule échoue (lab 06). Changer d'hôte **et** de banque de
# données en une seule migration fonctionne sans aucun stockage partagé : les
# fichiers et la mémoire de la VM passent tous deux par le réseau vers ESXi_2 et
# sa banque de données locale. Dans la boîte Migrer :

# %%
wizard = MigrationWizard(lab, vm=lab.roles.local_vm)
wizard.select(kind="compute+storage")
wizard.next()
wizard.select(host=lab.roles.destination_host)
wizard.next()
wizard.select(datastore=lab.roles.destination_local_datastore)
wizard

# %% [markdown]
# [en]
# ### Exercise 07.3
#
# Move `lab.roles.local_vm` to `lab.roles.destination_host` and
# `lab.roles.destination_local_datastore` in one migration (in code, or with the
# dialog: **Next** to its last page, then **Finish**).
# [fr]
# ### Exercice 07.3
#
# Déplacez `lab.roles.local_vm` vers `lab.roles.destination_host` et
# `lab.roles.destination_local_datastore` en une seule migration (en code, ou
# avec la boîte : **Suivant** jusqu'à sa dernière page, puis **Terminer**).

# %%
### BEGIN SOLUTION
lab.migrate(lab.roles.local_vm, host=lab.roles.destination_host,
            datastore=lab.roles.destination_local_datastore)
### END SOLUTION

# %%
check("07.3")

# %% [markdown]
# [en]
# ## Step 4 — The three types in the events
#
# Each migration left an event with where the VM was and where it went (the
# checks above read these events, so a later migration does not undo an earlier
# exercise):
# [fr]
# ## Étape 4 — Les trois types dans les événements
#
# Chaque migration a laissé un événement avec l'endroit d'où la VM part et celui
# où elle arrive (les vérifications ci-dessus lisent ces événements : une
# migration ultérieure ne défait pas un exercice précédent) :

# %%
lab.events()

# %% [markdown]
# [en]
# ### Under the hood
#
# One method, `RelocateVM_Task`, for all three; only the
# `VirtualMachineRelocateSpec` changes:
#
# | type | RelocateSpec | govc | PowerCLI | vSphere Client |
# |---|---|---|---|---|
# | compute only | `host`, `pool` | `govc vm.migrate -host ESXi_2 vm-shared` | `Move-VM -VM vm-shared -Destination (Get-VMHost ESXi_2)` | *Change compute resource only* |
# | storage only | `datastore` (or `disk=[DiskLocator(...)]`) | `govc vm.migrate -ds ESXi_2-local vm-shared` | `Move-VM -VM vm-shared -Datastore ESXi_2-local` | *Change storage only* |
# | compute + storage | `host`, `pool`, `datastore` | `govc vm.migrate -host ESXi_2 -ds ESXi_2-local vm-local` | `Move-VM -VM vm-local -Destination (Get-VMHost ESXi_2) -Datastore ESXi_2-local` | *Change both compute resource and storage* |
#
# The older `MigrateVM_Task` moves compute only; VMware deprecated it in vSphere
# 6.5 in favour of `RelocateVM_Task`; the lab simulator serves both, with the
# same rules (`docker/go/README.md`, section 3 of the extension).
#
# **On the lab simulator** every type really moves what it names: the host, the
# files in the simulated datastores, or both (section 4 there). Its disks hold
# no data, so each move ends at once. On a real vCenter a compute + storage
# migration copies the disks too, so it takes much longer than a compute-only
# one.
# [fr]
# ### Sous le capot
#
# Une seule méthode, `RelocateVM_Task`, pour les trois ; seul le
# `VirtualMachineRelocateSpec` change :
#
# | type | RelocateSpec | govc | PowerCLI | vSphere Client |
# |---|---|---|---|---|
# | calcul uniquement | `host`, `pool` | `govc vm.migrate -host ESXi_2 vm-shared` | `Move-VM -VM vm-shared -Destination (Get-VMHost ESXi_2)` | *Changer uniquement la ressource de calcul* |
# | stockage uniquement | `datastore` (ou `disk=[DiskLocator(...)]`) | `govc vm.migrate -ds ESXi_2-local vm-shared` | `Move-VM -VM vm-shared -Datastore ESXi_2-local` | *Changer uniquement le stockage* |
# | calcul + stockage | `host`, `pool`, `datastore` | `govc vm.migrate -host ESXi_2 -ds ESXi_2-local vm-local` | `Move-VM -VM vm-local -Destination (Get-VMHost ESXi_2) -Datastore ESXi_2-local` | *Changer à la fois la ressource de calcul et le stockage* |
#
# L'ancien `MigrateVM_Task` ne déplace que le calcul ; VMware l'a déprécié dans
# vSphere 6.5 au profit de `RelocateVM_Task` ; le simulateur du lab sert les
# deux, avec les mêmes règles (`docker/go/README.md`, section 3 de
# l'extension).
#
# **Sur le simulateur du lab**, chaque type déplace vraiment ce qu'il désigne :
# l'hôte, les fichiers dans les banques de données simulées, ou les deux
# (section 4 du même document). Ses disques ne contiennent aucune donnée : chaque
# déplacement se termine aussitôt. Sur un vrai vCenter, une migration calcul +
# stockage copie aussi les disques : elle dure bien plus longtemps qu'une
# migration de la ressource de calcul seule.

# %% [markdown]
# [en]
# ## Summary
#
# - **Compute only** (vMotion): new host, same datastore; needs shared storage
#   and the vMotion network.
# - **Storage only** (Storage vMotion): same host, new datastore; the host must
#   mount both datastores.
# - **Compute + storage**: new host and datastore in one migration; works
#   without shared storage.
# - All three are `RelocateVM_Task`; the spec's `host` and `datastore` decide
#   which.
#
# ## Exercises
#
# 1. Which of the three types use the vMotion network? Check with
#    `lab.precheck(...)`: read the `vmotion-network` row of each.
# 2. Power `vm-shared` off and move it to ESXi_1: what does the `power-state`
#    row call this migration?
# 3. Why does the course's error (lab 06) not happen with compute + storage?
# [fr]
# ## Résumé
#
# - **Calcul uniquement** (vMotion) : nouvel hôte, même banque de données ;
#   demande un stockage partagé et le réseau vMotion.
# - **Stockage uniquement** (Storage vMotion) : même hôte, nouvelle banque de
#   données ; l'hôte doit monter les deux banques de données.
# - **Calcul + stockage** : nouvel hôte et nouvelle banque de données en une seule
#   migration ; fonctionne sans stockage partagé.
# - Les trois sont un `RelocateVM_Task` ; les champs `host` et `datastore` de la
#   spécification décident lequel.
#
# ## Exercices
#
# 1. Lesquels des trois types utilisent le réseau vMotion ? Vérifiez avec
#    `lab.precheck(...)` : lisez la ligne `vmotion-network` de chacun.
# 2. Éteignez `vm-shared` et déplacez-la vers ESXi_1 : comment la ligne
#    `power-state` appelle-t-elle cette migration ?
# 3. Pourquoi l'erreur du cours (lab 06) n'arrive-t-elle pas avec calcul +
#    stockage ?
