# Lab 02 source: the only file to edit. Build the notebooks with
# `python -m tools.labsource` (labs/README.md explains the format).

# %% [markdown]
# [en]
# # Lab 02 — The vMotion prerequisites, checked live
#
# **Estimated time: 25 minutes**
#
# ## Overview
#
# The course lists what a vMotion needs: two hosts, compatible CPUs, a vCenter,
# static IP addresses, identical networks, a VMkernel port with vMotion, a
# shared datastore and EVC. In this lab you will:
#
# - check each prerequisite on the live lab, one row per prerequisite;
# - find which ones the course's initial lab does not meet yet, and why;
# - see that one prerequisite depends on the VM: its files must be on shared
#   storage;
# - know the fix of each row, and which lab applies it.
# [fr]
# # Lab 02 — Les prérequis de vMotion, vérifiés en direct
#
# **Durée estimée : 25 minutes**
#
# ## Vue d'ensemble
#
# Le cours liste ce dont un vMotion a besoin : deux hôtes, des CPU compatibles,
# un vCenter, des adresses IP statiques, des réseaux identiques, un port VMkernel
# avec vMotion, un datastore partagé et EVC. Dans ce lab, vous allez :
#
# - vérifier chaque prérequis sur le lab réel, une ligne par prérequis ;
# - trouver ceux que le lab initial du cours ne remplit pas encore, et pourquoi ;
# - voir qu'un prérequis dépend de la VM : ses fichiers doivent être sur un
#   stockage partagé ;
# - connaître la correction de chaque ligne, et le lab qui l'applique.

# %% [markdown]
# [en]
# ## Setup
#
# On the simulator the setup cell brings the lab back to the course's initial
# state: vMotion enabled on no VMkernel adapter, EVC off.
# [fr]
# ## Mise en place
#
# Sur le simulateur, la cellule de mise en place remet le lab dans l'état
# initial du cours : vMotion activé sur aucun adaptateur VMkernel, EVC désactivé.

# %%
import lablib
from lablib.exercises import check, prepare, your_turn
from lablib.prerequisites import prerequisites

lablib.set_language("{{lang}}")
lab = lablib.connect()
prepare(lab, "02")

# %% [markdown]
# [en]
# ## Step 1 — The course's table
#
# | Item | Detail |
# |---|---|
# | Number of hosts | At least **2 ESXi hosts** |
# | CPU | Hardware compatibility (same **vendor**, ideally same generation) |
# | vCenter | 1 vCenter instance with the right licence |
# | Network | **Static** IP address on every ESXi; identical networks (same VLAN, MTU, etc.); a **VMkernel port** configured for vMotion |
# | Storage | A **shared datastore** visible from every ESXi |
# | Compatibility | **EVC** (Enhanced vMotion Compatibility) enabled on the cluster |
# [fr]
# ## Étape 1 — Le tableau du cours
#
# | Élément | Détail |
# |---|---|
# | Nombre d'hôtes | Minimum **2 hôtes ESXi** |
# | CPU | Compatibilité matérielle (même **fabricant**, idéalement même génération) |
# | vCenter | 1 instance vCenter avec licence adéquate |
# | Réseau | Adresse IP **statique** sur tous les ESXi ; réseaux identiques (mêmes VLAN, MTU, etc.) ; **VMkernel port** configuré pour vMotion |
# | Stockage | **Datastore partagé** visible par tous les ESXi |
# | Compatibilité | Activation de l'option **EVC** (Enhanced vMotion Compatibility) dans le Cluster |

# %% [markdown]
# [en]
# ## Step 2 — The same table, checked live
#
# `prerequisites(lab)` reads the lab and checks each row for the VM to migrate
# (`vm-shared`), from its host to the destination host. Each row gives the
# **key** the exercises use, the course's wording, the status (✔ met, ✘ not
# met), what the lab found, and the fix when the row is not met.
# [fr]
# ## Étape 2 — Le même tableau, vérifié en direct
#
# `prerequisites(lab)` lit le lab et vérifie chaque ligne pour la VM à migrer
# (`vm-shared`), de son hôte vers l'hôte de destination. Chaque ligne donne la
# **clé** qu'utilisent les exercices, la formulation du cours, l'état (✔ rempli,
# ✘ non rempli), ce que le lab a constaté, et la correction quand la ligne n'est
# pas remplie.

# %%
prerequisites(lab)

# %% [markdown]
# [en]
# Every row reads the server's real properties, on the lab simulator as on a
# vCenter. The rows that are migration rules (networks, VMkernel port, shared
# datastore, CPU and EVC) also ask the server itself whether the migration of
# `vm-shared` would pass (`CheckRelocate_Task`, the check behind the vSphere
# Client's *Compatibility* panel). The CPU models and EVC modes of the hosts are
# modelled by the lab simulator (lab 00).
#
# ### Exercise 02.1 — What is missing?
#
# Read the table and put in the set `not_met` the keys of the prerequisites the
# lab does **not** meet yet (for example `{"hosts", "cpu"}`, if those failed).
# [fr]
# Chaque ligne lit les vraies propriétés du serveur, sur le simulateur du lab
# comme sur un vCenter. Les lignes qui sont des règles de migration (réseaux,
# port VMkernel, banque de données partagée, CPU et EVC) demandent aussi au
# serveur lui-même si la migration de `vm-shared` passerait (`CheckRelocate_Task`,
# la vérification derrière le panneau *Compatibilité* du vSphere Client). Les
# modèles de CPU et les modes EVC des hôtes sont modélisés par le simulateur du
# lab (lab 00).
#
# ### Exercice 02.1 — Qu'est-ce qui manque ?
#
# Lisez le tableau et mettez dans l'ensemble `not_met` les clés des prérequis que
# le lab ne remplit **pas** encore (par exemple `{"hosts", "cpu"}`, si ceux-là
# étaient en échec).

# %%
not_met = None
### BEGIN SOLUTION
not_met = {"vmotion_vmk", "evc"}
### END SOLUTION

# %%
check("02.1", not_met)

# %% [markdown]
# [en]
# Both failures are the course's configuration steps: lab 03 enables vMotion on
# `vmk0` of each host, lab 04 configures EVC. The CPU row is met (one vendor,
# Intel), but it notes that the generations differ: this is exactly why the EVC
# row matters here.
#
# ### Under the hood
#
# Where each row comes from, on a vCenter and on the lab simulator alike:
#
# | key | pyVmomi property or call | govc | PowerCLI | vSphere Client |
# |---|---|---|---|---|
# | `hosts` | `cluster.host`, `host.runtime.connectionState`, `.inMaintenanceMode` | `govc ls /Datacenter/host/Cluster` | `Get-Cluster Cluster \| Get-VMHost` | Cluster > *Hosts* |
# | `cpu` | `host.hardware.cpuPkg[].vendor`, `host.summary.maxEVCModeKey` | `govc host.info -host ESXi_1` | `Get-VMHost \| Select Name, ProcessorType, MaxEVCMode` | Host > *Summary* > Hardware |
# | `vcenter` | `content.about.apiType == "VirtualCenter"` | `govc about` | `$global:DefaultVIServer` | *Help > About* |
# | `static_ip` | `host.config.network.vnic[].spec.ip` (`ipAddress`, `dhcp`) | `govc host.vnic.info -host ESXi_1` | `Get-VMHostNetworkAdapter -VMKernel \| Select VMHost, Name, IP, DhcpEnabled` | Host > *Configure > Networking > VMkernel adapters* |
# | `networks` | `host.network`, `vm.network` | `govc ls /Datacenter/network` | `Get-VirtualPortGroup \| Select Name, VLanId` | Host > *Configure > Networking > Virtual switches* |
# | `vmotion_vmk` | `host.configManager.virtualNicManager.QueryNetConfig("vmotion")` | `govc host.vnic.info -host ESXi_1` | `Get-VMHostNetworkAdapter -VMKernel \| Select VMHost, Name, VMotionEnabled` | *VMkernel adapters* > vmk0 > *Enabled services* |
# | `shared_datastore` | `datastore.host` (the hosts that mount it), `vm.datastore` | `govc datastore.info SharedDS` | `Get-Datastore SharedDS \| Get-VMHost` | Datastore > *Hosts* |
# | `evc` | `cluster.summary.currentEVCModeKey`, `cluster.EvcManager().evcState` | `govc object.collect -s /Datacenter/host/Cluster summary.currentEVCModeKey` | `(Get-Cluster Cluster).EVCMode` | Cluster > *Configure > VMware EVC* |
#
# Try two of them in a terminal: `govc host.vnic.info -host ESXi_1` shows vmk0
# with "Enabled services: management" only (the `vmotion_vmk` row's ✘), and the
# EVC key prints an empty line: EVC is off (the `evc` row's ✘).
# [fr]
# Ces deux échecs sont les étapes de configuration du cours : le lab 03 active
# vMotion sur `vmk0` de chaque hôte, le lab 04 configure EVC. La ligne CPU est
# remplie (un seul fabricant, Intel), mais elle note que les générations
# diffèrent : c'est précisément pourquoi la ligne EVC compte ici.
#
# ### Sous le capot
#
# D'où vient chaque ligne, sur un vCenter comme sur le simulateur du lab :
#
# | clé | propriété ou appel pyVmomi | govc | PowerCLI | vSphere Client |
# |---|---|---|---|---|
# | `hosts` | `cluster.host`, `host.runtime.connectionState`, `.inMaintenanceMode` | `govc ls /Datacenter/host/Cluster` | `Get-Cluster Cluster \| Get-VMHost` | Cluster > *Hôtes* |
# | `cpu` | `host.hardware.cpuPkg[].vendor`, `host.summary.maxEVCModeKey` | `govc host.info -host ESXi_1` | `Get-VMHost \| Select Name, ProcessorType, MaxEVCMode` | Hôte > *Récapitulatif* > Matériel |
# | `vcenter` | `content.about.apiType == "VirtualCenter"` | `govc about` | `$global:DefaultVIServer` | *Aide > À propos* |
# | `static_ip` | `host.config.network.vnic[].spec.ip` (`ipAddress`, `dhcp`) | `govc host.vnic.info -host ESXi_1` | `Get-VMHostNetworkAdapter -VMKernel \| Select VMHost, Name, IP, DhcpEnabled` | Hôte > *Configurer > Mise en réseau > Adaptateurs VMkernel* |
# | `networks` | `host.network`, `vm.network` | `govc ls /Datacenter/network` | `Get-VirtualPortGroup \| Select Name, VLanId` | Hôte > *Configurer > Mise en réseau > Commutateurs virtuels* |
# | `vmotion_vmk` | `host.configManager.virtualNicManager.QueryNetConfig("vmotion")` | `govc host.vnic.info -host ESXi_1` | `Get-VMHostNetworkAdapter -VMKernel \| Select VMHost, Name, VMotionEnabled` | *Adaptateurs VMkernel* > vmk0 > *Services activés* |
# | `shared_datastore` | `datastore.host` (les hôtes qui la montent), `vm.datastore` | `govc datastore.info SharedDS` | `Get-Datastore SharedDS \| Get-VMHost` | Banque de données > *Hôtes* |
# | `evc` | `cluster.summary.currentEVCModeKey`, `cluster.EvcManager().evcState` | `govc object.collect -s /Datacenter/host/Cluster summary.currentEVCModeKey` | `(Get-Cluster Cluster).EVCMode` | Cluster > *Configurer > VMware EVC* |
#
# Essayez-en deux dans un terminal : `govc host.vnic.info -host ESXi_1` montre
# vmk0 avec seulement « Enabled services: management » (le ✘ de la ligne
# `vmotion_vmk`), et la clé EVC s'affiche comme une ligne vide : EVC est
# désactivé (le ✘ de la ligne `evc`).

# %% [markdown]
# [en]
# ## Step 3 — One prerequisite depends on the VM
#
# The course warns: *"shared storage is mandatory for a live migration; without
# it an error appears when you migrate."* The storage row checks that the VM's
# own files are on a datastore both hosts mount. Build the table for the lab's
# other VM, `vm-local`:
# [fr]
# ## Étape 3 — Un prérequis dépend de la VM
#
# Le cours prévient : *« Il est impératif d'avoir un stockage partagé entre les
# ESXi sans quoi un message d'erreur apparaîtra lors de la migration. »* La ligne
# stockage vérifie que les fichiers de la VM elle-même sont sur une banque de
# données que les deux hôtes montent. Construisez le tableau pour l'autre VM du
# lab, `vm-local` :

# %%
prerequisites(lab, vm=lab.roles.local_vm)

# %% [markdown]
# [en]
# ### Exercise 02.2 — What blocks `vm-local`?
#
# Put in the set `local_not_met` the keys that are not met for `vm-local`.
# [fr]
# ### Exercice 02.2 — Qu'est-ce qui bloque `vm-local` ?
#
# Mettez dans l'ensemble `local_not_met` les clés non remplies pour `vm-local`.

# %%
local_not_met = None
### BEGIN SOLUTION
local_not_met = {"vmotion_vmk", "shared_datastore", "evc"}
### END SOLUTION

# %%
check("02.2", local_not_met)

# %% [markdown]
# [en]
# Its fix is a **Storage vMotion** to the shared datastore first (lab 06), or a
# migration that changes both host and datastore (lab 07).
#
# The *Migrate* wizard runs the same server check (`CheckRelocate_Task`) and
# shows its errors in its *Compatibility* panel. The lab simulator answers it as
# vCenter does, with one error per broken rule (`docker/go/README.md`, section 5
# of the extension): lab 05's `lab.precheck(...)` shows that answer, rule by
# rule, in the course's words.
# [fr]
# Sa correction : un **Storage vMotion** vers la banque de données partagée
# d'abord (lab 06), ou une migration qui change à la fois l'hôte et la banque de
# données (lab 07).
#
# L'assistant *Migrer* lance la même vérification du serveur
# (`CheckRelocate_Task`) et affiche ses erreurs dans son panneau *Compatibilité*.
# Le simulateur du lab y répond comme vCenter, avec une erreur par règle non
# respectée (`docker/go/README.md`, section 5 de l'extension) : `lab.precheck(...)`
# du lab 05 montre cette réponse, règle par règle, dans les mots du cours.

# %% [markdown]
# [en]
# ## Summary
#
# - The course's prerequisites are facts you can read: hosts, CPU vendor and
#   generation, vCenter, vmk0's address, port groups, the vMotion service of a
#   VMkernel adapter, which hosts mount a datastore, the cluster's EVC mode.
# - The initial lab misses two: **vMotion on a VMkernel adapter** (lab 03) and
#   **EVC** (lab 04), because its two Intel hosts are of different generations.
# - The storage prerequisite is per VM: `vm-local`'s files are on a datastore
#   only ESXi_1 sees (lab 06).
#
# ## Exercises
#
# 1. After lab 03, build the table again: which row turns ✔?
# 2. Why would EVC not help a cluster made of an Intel host and an AMD host?
#    Which row says so?
# 3. If ESXi_2 entered maintenance mode, which row would fail, and why?
# [fr]
# ## Résumé
#
# - Les prérequis du cours sont des faits lisibles : hôtes, fabricant et
#   génération du CPU, vCenter, adresse de vmk0, groupes de ports, service vMotion
#   d'un adaptateur VMkernel, hôtes qui montent une banque de données, mode EVC
#   du cluster.
# - Le lab initial en manque deux : **vMotion sur un adaptateur VMkernel** (lab
#   03) et **EVC** (lab 04), car ses deux hôtes Intel sont de générations
#   différentes.
# - Le prérequis de stockage dépend de la VM : les fichiers de `vm-local` sont sur
#   une banque de données que seul ESXi_1 voit (lab 06).
#
# ## Exercices
#
# 1. Après le lab 03, reconstruisez le tableau : quelle ligne passe à ✔ ?
# 2. Pourquoi EVC n'aiderait-il pas un cluster formé d'un hôte Intel et d'un hôte
#    AMD ? Quelle ligne le dit ?
# 3. Si ESXi_2 passait en mode maintenance, quelle ligne échouerait, et pourquoi ?
