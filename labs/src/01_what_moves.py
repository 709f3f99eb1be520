# Lab 01 source: the only file to edit. Build the notebooks with
# `python -m tools.labsource` (labs/README.md explains the format).

# %% [markdown]
# [en]
# # Lab 01 — What vMotion is, and what moves
#
# **Estimated time: 30 minutes**
#
# ## Overview
#
# The course defines vMotion in one sentence and lists four resources involved.
# In this lab you will:
#
# - name what moves and what stays when a VM changes host (CPU, memory,
#   network, storage), on the lab's own VM;
# - see how a running VM's memory really crosses the network: iterative
#   **pre-copy** rounds, then a short **switchover**;
# - use a model of pre-copy to see when the switchover is "almost instant" and
#   when it is not;
# - know what happens to the CPU and the network at the switchover.
#
# Nothing is migrated in this lab: lab 05 does the migration itself.
# [fr]
# # Lab 01 — Ce qu'est vMotion, et ce qui bouge
#
# **Durée estimée : 30 minutes**
#
# ## Vue d'ensemble
#
# Le cours définit vMotion en une phrase et liste quatre ressources impliquées.
# Dans ce lab, vous allez :
#
# - dire ce qui bouge et ce qui reste quand une VM change d'hôte (CPU, mémoire,
#   réseau, stockage), sur la VM du lab ;
# - voir comment la mémoire d'une VM allumée traverse vraiment le réseau : des
#   tours de **pré-copie** successifs, puis une courte **bascule** (switchover) ;
# - utiliser un modèle de la pré-copie pour voir quand la bascule est « quasi
#   instantanée », et quand elle ne l'est pas ;
# - savoir ce que deviennent le CPU et le réseau au moment de la bascule.
#
# Ce lab ne migre rien : c'est le lab 05 qui fait la migration.

# %% [markdown]
# [en]
# ## Setup
#
# The setup cell connects and, on the simulator, brings the lab back to the
# course's initial state (both VMs running on ESXi_1).
# [fr]
# ## Mise en place
#
# La cellule de mise en place se connecte et, sur le simulateur, remet le lab
# dans l'état initial du cours (les deux VM allumées sur ESXi_1).

# %%
import lablib
from lablib.exercises import check, model_run, prepare, your_turn
from lablib.plots.precopy import plot_summary
from lablib.widgets.precopy import PrecopyExplorer

lablib.set_language("{{lang}}")
lab = lablib.connect()
prepare(lab, "01")

# %% [markdown]
# [en]
# ## Step 1 — The four resources, on the lab's VM
#
# The course: *"vMotion is an advanced vCenter feature that migrates a virtual
# machine **hot**, that is **without service interruption**, from one ESXi
# hypervisor to another."* It names four resources involved: **CPU** (the
# instructions being computed), **memory** (what is running), **network** (the
# connection and its packets) and **storage**, which "stays unchanged if not
# specified, and must be **shared** between the ESXi hosts".
#
# Look at where the lab's VM is: its host gives it CPU and memory, its datastore
# holds its files.
# [fr]
# ## Étape 1 — Les quatre ressources, sur la VM du lab
#
# Le cours : *« **vMotion** est une fonctionnalité avancée de **vCenter**
# permettant de **migrer une machine virtuelle à chaud**, c'est-à-dire **sans
# interruption de service**, d'un hyperviseur **ESXi** à un autre. »* Il cite
# quatre ressources impliquées : le **CPU** (les instructions de calcul), la
# **mémoire vive** (le contenu en cours d'exécution), le **réseau** (la connexion
# et les paquets) et le **stockage**, qui « reste inchangé si non spécifié, il
# doit être **partagé** entre les ESXi ».
#
# Regardez où se trouve la VM du lab : son hôte lui fournit CPU et mémoire, sa
# banque de données contient ses fichiers.

# %%
where = lab.placement(lab.roles.vm)
print(where)                     # in words
where.host, where.datastores     # the fields your code reads

# %%
vm = lab.facts.snapshot().vm(lab.roles.vm)
print(vm.files)      # the .vmx file; the .vmdk disks and .vswp sit next to it
print(vm.networks)   # the port group its network adapter is connected to

# %% [markdown]
# [en]
# With **Change compute resource only** (lab 05), the VM leaves ESXi_1 for
# ESXi_2:
#
# - its **vCPUs** are scheduled by ESXi_2 after the switchover;
# - its **memory** is copied to ESXi_2 while it runs (Step 2);
# - its **network** adapter is connected to the port group of the same name on
#   ESXi_2 (`VM Network` exists on both hosts), and keeps its MAC and IP;
# - its **files** stay where they are: both hosts mount that datastore, so
#   ESXi_2 simply opens the same `.vmx` and `.vmdk`.
#
# ### Exercise 01.1 — What moves?
#
# Put in the set `moved` the resources that move to the destination host in a
# compute-only vMotion of `vm-shared`. Use the words `"cpu"`, `"memory"`,
# `"network"`, `"storage"`.
# [fr]
# Avec **Changer uniquement la ressource de calcul** (lab 05), la VM quitte
# ESXi_1 pour ESXi_2 :
#
# - ses **vCPU** sont ordonnancés par ESXi_2 après la bascule ;
# - sa **mémoire** est copiée vers ESXi_2 pendant qu'elle tourne (étape 2) ;
# - sa carte **réseau** est reliée au groupe de ports de même nom sur ESXi_2
#   (`VM Network` existe sur les deux hôtes), et garde son adresse MAC et son IP ;
# - ses **fichiers** restent en place : les deux hôtes montent cette banque de
#   données, ESXi_2 ouvre donc simplement les mêmes `.vmx` et `.vmdk`.
#
# ### Exercice 01.1 — Qu'est-ce qui bouge ?
#
# Mettez dans l'ensemble `moved` les ressources qui passent sur l'hôte de
# destination lors d'un vMotion de `vm-shared` qui ne change que la ressource de
# calcul. Utilisez les mots `"cpu"`, `"memory"`, `"network"`, `"storage"`.

# %%
moved = None
### BEGIN SOLUTION
moved = {"cpu", "memory", "network"}
### END SOLUTION

# %%
check("01.1", moved)

# %% [markdown]
# [en]
# ## Step 2 — How the memory really moves
#
# The course says: *"the VM uses a swap file (`.vswp`) on the shared datastore;
# the destination hypervisor copies this swap file into its own memory."* This
# is a useful picture, but it is a simplification. The `.vswp` file is where
# ESXi pages the VM's memory out when the host runs short of RAM; it stays on
# the datastore, and vMotion does not rebuild memory from it. vMotion copies the
# **memory pages themselves**, over the vMotion network, while the VM keeps
# running (Nelson, Lim and Hutchins, *Fast Transparent Migration for Virtual
# Machines*, USENIX ATC 2005; VMware, *vMotion Architecture, Performance and
# Best Practices in vSphere 5*, 2011):
#
# 1. **Trace.** ESXi starts tracking writes to the VM's memory: each written
#    page is marked in a memory bitmap.
# 2. **Pre-copy.** The first round sends every page to ESXi_2 while the VM runs
#    on ESXi_1. Each next round sends only the pages the guest wrote during the
#    round before. If the guest writes slower than the network sends, each round
#    is shorter than the last.
# 3. **Switchover.** When what is left can be sent very quickly, ESXi pauses
#    (stuns) the VM, sends the last pages and the CPU and device state, and the
#    VM resumes on ESXi_2. VMware's goal for this pause is **under one second**.
#
# So the course's "quasi instant" switchover is true **when the guest writes
# memory slower than the network sends it**. The model below shows why. Its
# numbers are computed, not measured (the formulas of Clark et al., NSDI 2005;
# see the project's `docs/precopy-model.md`).
#
# `model_run(rate)` runs the model for the VM of the lab (4 GiB of memory, a
# 10 GbE vMotion network, MTU 1500) whose guest dirties `rate` pages of 4 KiB per
# second.
# [fr]
# ## Étape 2 — Comment la mémoire bouge vraiment
#
# Le cours dit : *« la VM utilise un fichier swap (`.vswp`) présent sur le
# datastore partagé ; l'hyperviseur de destination copie ce fichier swap dans sa
# propre mémoire vive. »* C'est une image utile, mais simplifiée. Le fichier
# `.vswp` est l'endroit où ESXi déplace la mémoire de la VM quand l'hôte manque
# de RAM ; il reste sur la banque de données, et vMotion ne reconstruit pas la
# mémoire à partir de lui. vMotion copie **les pages de mémoire elles-mêmes**, par
# le réseau vMotion, pendant que la VM continue de tourner (Nelson, Lim et
# Hutchins, *Fast Transparent Migration for Virtual Machines*, USENIX ATC 2005 ;
# VMware, *vMotion Architecture, Performance and Best Practices in vSphere 5*,
# 2011) :
#
# 1. **Traçage.** ESXi commence à suivre les écritures dans la mémoire de la VM :
#    chaque page écrite est marquée dans une table (bitmap) de la mémoire.
# 2. **Pré-copie.** Le premier tour envoie toutes les pages à ESXi_2 pendant que
#    la VM tourne sur ESXi_1. Chaque tour suivant n'envoie que les pages écrites
#    par l'invité pendant le tour précédent. Si l'invité écrit moins vite que le
#    réseau n'envoie, chaque tour est plus court que le précédent.
# 3. **Bascule (switchover).** Quand le reste peut partir très vite, ESXi met la
#    VM en pause, envoie les dernières pages et l'état du CPU et des
#    périphériques, et la VM reprend sur ESXi_2. L'objectif de VMware pour cette
#    pause : **moins d'une seconde**.
#
# La bascule « quasi instantanée » du cours est donc vraie **quand l'invité écrit
# en mémoire moins vite que le réseau n'envoie**. Le modèle ci-dessous montre
# pourquoi. Ses chiffres sont calculés, pas mesurés (les formules de Clark et
# al., NSDI 2005 ; voir `docs/precopy-model.md` dans le projet).
#
# `model_run(rate)` lance le modèle pour la VM du lab (4 Gio de mémoire, un
# réseau vMotion en 10 GbE, MTU 1500) dont l'invité salit `rate` pages de 4 Kio
# par seconde.

# %%
run = model_run(100_000)
run

# %%
plot_summary(run, lang="{{lang}}")

# %% [markdown]
# [en]
# Read the table: round 0 copies the whole memory, the next rounds are much
# shorter, and the switchover (the VM paused) stays under a second. λ = d/B
# is the guest's write rate d divided by the bandwidth B: each round is λ times
# the one before.
#
# ### Exercise 01.2 — When pre-copy cannot converge
#
# Find a dirty rate, in pages per second, at which pre-copy of this VM **does
# not converge**, and store it in `rate`. Try `model_run(...)` with a few values
# first.
# [fr]
# Lisez le tableau : le tour 0 copie toute la mémoire, les tours suivants sont
# bien plus courts, et la bascule (VM en pause) reste sous la seconde.
# λ = d/B est le débit d'écriture d de l'invité divisé par la bande passante B :
# chaque tour vaut λ fois le précédent.
#
# ### Exercice 01.2 — Quand la pré-copie ne converge pas
#
# Trouvez un débit de pages salies, en pages par seconde, pour lequel la
# pré-copie de cette VM **ne converge pas**, et mettez-le dans `rate`. Essayez
# d'abord `model_run(...)` avec quelques valeurs.

# %%
rate = None
### BEGIN SOLUTION
rate = 400_000
### END SOLUTION

# %%
check("01.2", rate)

# %% [markdown]
# [en]
# A real vMotion does not give up there. Since vSphere 5, **SDPS** (Stun During
# Page Send) compares the guest's dirty rate with the rate vMotion sends; only
# when the guest is faster does it put the VM's vCPUs to sleep "for a few
# milliseconds at a time at most", so pre-copy converges (Duncan Epping, *Clearing
# up a misunderstanding around CPU throttling with vMotion*, 2012). The model
# writes it as a dirty rate capped at κ·B; VMware publishes no κ, so κ = 0.8 is
# an illustration.
#
# ### Exercise 01.3 — Converge with SDPS
#
# Run the model again at your rate with SDPS on, `model_run(rate, sdps=True)`,
# and store the run in `throttled`.
# [fr]
# Un vrai vMotion n'abandonne pas là. Depuis vSphere 5, **SDPS** (Stun During
# Page Send) compare le débit d'écriture de l'invité à celui de l'envoi ; c'est
# seulement quand l'invité va plus vite qu'il endort les vCPU de la VM « quelques
# millisecondes au plus à la fois », pour que la pré-copie converge (Duncan
# Epping, *Clearing up a misunderstanding around CPU throttling with vMotion*,
# 2012). Le modèle l'écrit comme un débit de pages salies plafonné à κ·B ; VMware
# ne publie pas de κ : κ = 0,8 est une illustration.
#
# ### Exercice 01.3 — Converger avec SDPS
#
# Relancez le modèle à votre débit avec SDPS activé, `model_run(rate, sdps=True)`,
# et mettez le résultat dans `throttled`.

# %%
throttled = None
### BEGIN SOLUTION
throttled = model_run(rate, sdps=True)
print(throttled.summary("{{lang}}"))
### END SOLUTION

# %%
check("01.3", throttled)

# %% [markdown]
# [en]
# ## Step 3 — Explore the model
#
# Move the sliders: memory size, dirty rate, link speed, MTU, number of vMotion
# VMkernel adapters, SDPS. Every figure is labelled *Modelled*.
# [fr]
# ## Étape 3 — Explorer le modèle
#
# Déplacez les curseurs : taille mémoire, pages salies, vitesse du lien, MTU,
# nombre d'adaptateurs VMkernel vMotion, SDPS. Chaque figure porte la mention
# *Modélisé*.

# %%
PrecopyExplorer(lang="{{lang}}")

# %% [markdown]
# [en]
# ## Step 4 — The CPU and the network at the switchover
#
# **CPU.** The course: *"the new CPU instructions are sent to the new host; the
# remaining instructions finish on the source host before the switchover."* More
# precisely, at the switchover the vCPUs are paused and their state (registers,
# the instruction they were at) is sent with the last memory pages; ESXi_2
# resumes them exactly there. The guest keeps using the CPU features it found
# when it was powered on, so the destination's CPU must offer them: that is
# what **EVC** guarantees (lab 04).
#
# **Network.** The VM keeps its MAC and IP addresses. Right after the VM resumes,
# ESXi_2 sends a RARP frame on the VM's behalf so the physical switches learn the
# VM's new port; open connections continue (VMware's training material on
# vMotion, restating Nelson et al.).
#
# **Finalisation.** ESXi_2 now runs the VM entirely (execution, disk access,
# memory, network), and ESXi_1 frees the VM's memory.
#
# ### Under the hood
#
# All of this is started by **one** API call, lab 05's subject:
# [fr]
# ## Étape 4 — Le CPU et le réseau au moment de la bascule
#
# **CPU.** Le cours : *« les nouvelles instructions CPU sont envoyées vers le
# nouvel hôte ; les instructions restantes sont terminées sur l'hôte source avant
# la bascule. »* Plus précisément, à la bascule les vCPU sont mis en pause et leur
# état (registres, instruction en cours) part avec les dernières pages de
# mémoire ; ESXi_2 les reprend exactement là. L'invité continue d'utiliser les
# fonctions CPU qu'il a trouvées à son démarrage : le CPU de destination doit
# donc les offrir. C'est ce que garantit **EVC** (lab 04).
#
# **Réseau.** La VM garde ses adresses MAC et IP. Dès que la VM reprend, ESXi_2
# envoie une trame RARP en son nom pour que les commutateurs physiques apprennent
# son nouveau port ; les connexions ouvertes continuent (supports de formation
# VMware sur vMotion, reprenant Nelson et al.).
#
# **Finalisation.** ESXi_2 exécute désormais entièrement la VM (exécution, accès
# disque, mémoire, réseau), et ESXi_1 libère la mémoire de la VM.
#
# ### Sous le capot
#
# Tout cela est déclenché par **un seul** appel d'API, le sujet du lab 05 :
# [all]
#
# ```python
# spec = vim.vm.RelocateSpec(host=esxi_2, pool=esxi_2.parent.resourcePool)
# task = vm.RelocateVM_Task(spec=spec, priority="defaultPriority")
# ```
# [en]
#
# ```sh
# govc vm.migrate -host ESXi_2 vm-shared   # refused
# ```
# [fr]
#
# ```sh
# govc vm.migrate -host ESXi_2 vm-shared   # refusé
# ```
# [all]
#
# ```powershell
# Move-VM -VM vm-shared -Destination (Get-VMHost ESXi_2)
# ```
# [en]
#
# **vSphere Client**: right-click the VM > *Migrate...* > *Change compute
# resource only*; the *Recent Tasks* pane shows *Relocate virtual machine* with
# its progress.
#
# Run that govc command now and the lab simulator refuses it, as vCenter
# would: no VMkernel adapter carries vMotion yet (lab 03), and the hosts' CPUs
# differ (lab 04). The commands marked `# refused` in these labs are shown for
# their refusal.
#
# **On the lab simulator** a migration goes through vCenter's checks, its task
# and its events, and the VM really changes host; but a simulated VM has no
# memory to copy, so no pre-copy runs (`docker/go/README.md`, section 4 of the
# extension). The pre-copy model above is how this kit shows you the copy.
# [fr]
#
# **vSphere Client** : clic droit sur la VM > *Migrer...* > *Changer uniquement
# la ressource de calcul* ; le volet *Tâches récentes* montre *Migrer la
# machine virtuelle* avec sa progression.
#
# Lancez cette commande govc maintenant : le simulateur du lab la refuse, comme
# vCenter le ferait, car aucun adaptateur VMkernel ne porte encore vMotion (lab
# 03) et les CPU des hôtes diffèrent (lab 04). Les commandes marquées
# `# refusé` dans ces labs sont montrées pour leur refus.
#
# **Sur le simulateur du lab**, une migration passe par les vérifications de
# vCenter, sa tâche et ses événements, et la VM change vraiment d'hôte ; mais une
# VM simulée n'a pas de mémoire à copier, aucune pré-copie n'a donc lieu
# (`docker/go/README.md`, section 4 de l'extension). Le modèle de pré-copie
# ci-dessus est la façon dont ce kit vous montre la copie.

# %% [markdown]
# [en]
# ## Summary
#
# - A compute-only vMotion moves the VM's **CPU, memory and network** to another
#   host; its **files stay** on the shared datastore.
# - Memory moves by **iterative pre-copy** while the VM runs, then a short
#   **switchover** (VMware's goal: under one second). The course's `.vswp` copy
#   is a simplification.
# - The switchover is short only when the guest dirties memory slower than the
#   vMotion network sends it (λ = d/B < 1); otherwise SDPS slows the guest down.
# - At the switchover the vCPU state moves with the last pages (hence EVC, lab
#   04), and a RARP tells the switches where the VM now is.
#
# ## Exercises
#
# 1. With the explorer, keep 10 GbE and no dirtying: how does the total time
#    change when memory goes from 4 to 16 GiB? (Dargie found migration time grows
#    linearly with memory.)
# 2. Switch the MTU from 1500 to 9000. How much faster is round 0? The model's
#    wire efficiency goes from 0.941 to 0.990.
# 3. On 40 GbE, compare one and two vMotion VMkernel adapters for a 16 GiB VM.
#    Why does one adapter not reach 40 Gb/s (see KB 323379 in
#    `docs/precopy-model.md`)?
# [fr]
# ## Résumé
#
# - Un vMotion qui ne change que la ressource de calcul déplace le **CPU, la
#   mémoire et le réseau** de la VM vers un autre hôte ; ses **fichiers restent**
#   sur la banque de données partagée.
# - La mémoire passe par **pré-copie itérative** pendant que la VM tourne, puis
#   une courte **bascule** (objectif de VMware : moins d'une seconde). La copie du
#   `.vswp` du cours est une simplification.
# - La bascule n'est courte que si l'invité salit la mémoire moins vite que le
#   réseau vMotion ne l'envoie (λ = d/B < 1) ; sinon SDPS ralentit l'invité.
# - À la bascule, l'état des vCPU part avec les dernières pages (d'où EVC, lab
#   04), et un RARP indique aux commutateurs où se trouve désormais la VM.
#
# ## Exercices
#
# 1. Avec l'explorateur, gardez 10 GbE et aucune page salie : comment la durée
#    totale évolue-t-elle quand la mémoire passe de 4 à 16 Gio ? (Dargie a montré
#    que la durée de migration croît linéairement avec la mémoire.)
# 2. Passez la MTU de 1500 à 9000. De combien le tour 0 est-il plus rapide ?
#    L'efficacité sur le fil du modèle passe de 0,941 à 0,990.
# 3. En 40 GbE, comparez un et deux adaptateurs VMkernel vMotion pour une VM de
#    16 Gio. Pourquoi un seul adaptateur n'atteint-il pas 40 Gb/s (voir le KB
#    323379 dans `docs/precopy-model.md`) ?
