# Lab 00 source: the only file to edit. Build the notebooks with
# `python -m tools.labsource` (labs/README.md explains the format).

# %% [markdown]
# [en]
# # Lab 00 — Setup and lab status
#
# **Estimated time: 15 minutes**
#
# ## Overview
#
# Before any vMotion, you check that your lab is ready, exactly as a VMware
# Hands-on Lab shows its "Lab Status" before you start. In this lab you will:
#
# - connect to the lab: the embedded simulator, or a real vCenter if your
#   instructor configured one;
# - read which backend you are using and what it can and cannot do;
# - read the lab's inventory as a table: the two ESXi hosts of the course, their
#   datastores and the two VMs;
# - know what to do when something is missing;
# - learn how to check your own work (self-study) and how instructors reset the lab.
#
# The lab is the one of the course: **ESXi_1** (192.168.1.170) and **ESXi_2**
# (192.168.1.172) in one cluster, a datastore both hosts share, one local
# datastore per host, and two running VMs on ESXi_1.
# [fr]
# # Lab 00 — Installation et état du lab
#
# **Durée estimée : 15 minutes**
#
# ## Vue d'ensemble
#
# Avant tout vMotion, nous vérifions que votre lab est prêt, comme un Hands-on Lab
# VMware affiche son « Lab Status » avant de commencer. Dans ce lab, vous allez :
#
# - vous connecter au lab : le simulateur intégré, ou un vrai vCenter si votre
#   formateur en a configuré un ;
# - lire quelle cible (backend) vous utilisez, et ce qu'elle sait faire ou non ;
# - lire l'inventaire du lab sous forme de tableau : les deux hôtes ESXi du cours,
#   leurs banques de données (datastores) et les deux VM ;
# - savoir quoi faire quand il manque quelque chose ;
# - apprendre à vérifier votre travail seul (auto-évaluation) et comment le
#   formateur remet le lab à zéro.
#
# Le lab est celui du cours : **ESXi_1** (192.168.1.170) et **ESXi_2**
# (192.168.1.172) dans un cluster, une banque de données partagée par les deux
# hôtes, une banque de données locale par hôte, et deux VM allumées sur ESXi_1.

# %% [markdown]
# [en]
# ## Setup
#
# Run the cell below (Shift+Enter). It connects to the lab and makes `check()`
# available. With nothing configured, lablib starts the simulator by itself (a
# few seconds the first time). This lab only looks at the lab: it changes nothing.
# [fr]
# ## Mise en place
#
# Exécutez la cellule ci-dessous (Maj+Entrée). Elle se connecte au lab et rend
# `check()` disponible. Sans configuration, lablib démarre le simulateur tout seul
# (quelques secondes la première fois). Ce lab ne fait que regarder : il ne
# change rien.

# %%
import lablib
from lablib.exercises import check, prepare, your_turn

lablib.set_language("{{lang}}")
lab = lablib.connect()
prepare(lab, "00")

# %% [markdown]
# [en]
# ## Step 1 — Which lab am I connected to?
#
# The first table of `lab.status()`, the target, says what answers your calls:
#
# - the **server**: the simulator (govmomi's vCenter simulator, pinned to
#   v0.56.0) or a real vCenter Server, named in `lab.toml` or in `LAB_*`
#   environment variables by your instructor. Both speak the same vSphere API,
#   so every call you make here is the call you would make on a real vCenter;
# - the **vMotion rules**: who decides whether a migration is allowed. The lab
#   simulator, like vCenter, applies vCenter's rules itself, whatever the client
#   (lablib, govc, pyVmomi): the column says "vSphere API".
# [fr]
# ## Étape 1 — À quel lab suis-je connecté ?
#
# Le premier tableau de `lab.status()`, la cible, indique qui répond à vos appels :
#
# - le **serveur** : le simulateur (le simulateur de vCenter de govmomi, version
#   figée v0.56.0) ou un vrai vCenter Server, désigné dans `lab.toml` ou dans des
#   variables d'environnement `LAB_*` par votre formateur. Les deux parlent la même
#   API vSphere : chaque appel que vous faites ici est celui que vous feriez sur un
#   vrai vCenter ;
# - les **règles vMotion** : qui décide si une migration est permise. Le
#   simulateur du lab, comme vCenter, applique lui-même les règles de vCenter,
#   quel que soit le client (lablib, govc, pyVmomi) : la colonne dit « API
#   vSphere ».

# %%
lab.status().tables[0]

# %% [markdown]
# [en]
# The **lab simulator** is govmomi's vcsim started from the kit's own program,
# with the kit's extension (`docker/go/README.md`, section *The vMotion Lab Kit
# extension*). It serves the vSphere APIs the course uses (the vMotion service
# of a VMkernel adapter, EVC, the compatibility check, maintenance mode and DRS)
# and refuses what vCenter refuses, with vCenter's faults and messages, whoever
# calls it: lablib, govc or your own pyVmomi code. What a simulator cannot know,
# it **models**: the hosts' hardware (CPU model, highest EVC mode, vmk0
# address) comes from the course's host profile, `lablib/sim/course_hosts.json`,
# and the note under the Hosts table says so.
#
# The public vcsim image (`vmware/vcsim`) has none of these APIs
# (`docs/vcsim-gaps.md` lists its gaps). If your instructor points the labs at
# it, lablib applies vCenter's rules itself and keeps the missing state in
# custom fields: the target then says "simulated by lablib", tables mark those
# values with `*`, and other clients such as govc go around the rules.
# [fr]
# Le **simulateur du lab** est le vcsim de govmomi, lancé par le programme du
# kit, avec l'extension du kit (`docker/go/README.md`, section *The vMotion Lab
# Kit extension*). Il sert les API vSphere qu'utilise le cours (le service
# vMotion d'un adaptateur VMkernel, EVC, la vérification de compatibilité, le
# mode maintenance et DRS) et refuse ce que vCenter refuse, avec les faults et
# les messages de vCenter, quel que soit l'appelant : lablib, govc ou votre
# propre code pyVmomi. Ce qu'un simulateur ne peut pas savoir, il le
# **modélise** : le matériel des hôtes (modèle de CPU, mode EVC le plus élevé,
# adresse de vmk0) vient du profil d'hôtes du cours,
# `lablib/sim/course_hosts.json`, et la note sous le tableau des hôtes le dit.
#
# L'image vcsim publique (`vmware/vcsim`) n'a aucune de ces API
# (`docs/vcsim-gaps.md` liste ses manques). Si votre formateur y dirige les
# labs, lablib applique lui-même les règles de vCenter et garde l'état manquant
# dans des champs personnalisés : la cible dit alors « simulé par lablib », les
# tableaux marquent ces valeurs d'un `*`, et les autres clients comme govc
# contournent les règles.

# %% [markdown]
# [en]
# ## Step 2 — The lab status
#
# `lab.status()` reads the whole inventory in a few requests and shows it as
# tables: the target, the cluster (EVC, DRS), the hosts (vmk0 address, CPU,
# highest EVC mode, VMkernel adapters with vMotion), the datastores (which hosts
# mount them) and the VMs (host, datastore, power state). Its last line says
# whether the lab is ready.
# [fr]
# ## Étape 2 — L'état du lab
#
# `lab.status()` lit tout l'inventaire en quelques requêtes et l'affiche en
# tableaux : la cible, le cluster (EVC, DRS), les hôtes (adresse de vmk0, CPU,
# mode EVC le plus élevé, adaptateurs VMkernel avec vMotion), les banques de
# données (quels hôtes les montent) et les VM (hôte, banque de données, état
# d'alimentation). Sa dernière ligne dit si le lab est prêt.

# %%
lab.status()

# %% [markdown]
# [en]
# Read the tables with the course in mind:
#
# - the two hosts have **different CPU generations** (Ice Lake and Cascade Lake):
#   this is why EVC will matter (lab 04);
# - the **vMotion** column is empty: no VMkernel adapter carries vMotion yet
#   (lab 03 enables it);
# - `vm-shared` has its files on the datastore both hosts mount; `vm-local` has
#   them on a datastore only ESXi_1 sees (lab 06 shows what that breaks);
# - the CPU, max EVC and vmk0 IP values are **modelled** by the lab simulator
#   (the note under the table), yet they are the hosts' real properties
#   (`summary.hardware.cpuModel`, `summary.maxEVCModeKey`, vmk0's IP address):
#   govc reads the same values below.
#
# ### Under the hood
#
# **pyVmomi.** `lablib.connect()` logs in with `SmartConnect`, reads
# `content.about` (which server answers) and, once,
# `si.capability.supportedEVCMode`: a server that lists EVC modes serves the
# vMotion APIs (vCenter, the lab simulator); the public vcsim image lists none
# and gets lablib's fallback (`lab.backend`). `lab.status()` reads each kind of
# object with one `ContainerView` and one `RetrievePropertiesEx` call (the
# PropertyCollector), never one request per property:
# [fr]
# Lisez ces tableaux avec le cours en tête :
#
# - les deux hôtes ont des **générations de CPU différentes** (Ice Lake et
#   Cascade Lake) : c'est pourquoi EVC comptera (lab 04) ;
# - la colonne **vMotion** est vide : aucun adaptateur VMkernel ne porte encore
#   vMotion (le lab 03 l'active) ;
# - `vm-shared` a ses fichiers sur la banque de données que les deux hôtes
#   montent ; `vm-local` les a sur une banque de données que seul ESXi_1 voit (le
#   lab 06 montre ce que cela empêche) ;
# - les valeurs CPU, EVC max et IP de vmk0 sont **modélisées** par le simulateur
#   du lab (la note sous le tableau), mais ce sont bien les propriétés réelles
#   des hôtes (`summary.hardware.cpuModel`, `summary.maxEVCModeKey`, l'adresse IP
#   de vmk0) : govc lit les mêmes valeurs ci-dessous.
#
# ### Sous le capot
#
# **pyVmomi.** `lablib.connect()` se connecte avec `SmartConnect`, lit
# `content.about` (quel serveur répond) puis, une fois,
# `si.capability.supportedEVCMode` : un serveur qui liste des modes EVC sert les
# API de vMotion (vCenter, le simulateur du lab) ; l'image vcsim publique n'en
# liste aucun et reçoit l'émulation de lablib (`lab.backend`). `lab.status()` lit
# chaque type d'objet avec une `ContainerView` et un seul appel
# `RetrievePropertiesEx` (le PropertyCollector), jamais une requête par
# propriété :
# [all]
#
# ```python
# from pyVim.connect import SmartConnect
# from pyVmomi import vim
# si = SmartConnect(host="vcenter.lab.local", user="administrator@vsphere.local",
#                   pwd=os.environ["LAB_PASSWORD"])
# print(si.content.about.fullName, si.content.about.apiType)
# view = si.content.viewManager.CreateContainerView(
#     si.content.rootFolder, [vim.VirtualMachine], True)
# # then one RetrievePropertiesEx: name, runtime.host, datastore of every VM
# ```
# [en]
#
# **govc** (in a terminal; `eval "$(python -m lablib sim env)"` points govc at
# the simulator):
# [fr]
#
# **govc** (dans un terminal ; `eval "$(python -m lablib sim env)"` dirige govc
# vers le simulateur) :
# [all]
#
# ```sh
# govc about
# govc ls /Datacenter/host/Cluster
# govc find / -type m
# govc vm.info vm-shared
# govc host.vnic.info -host ESXi_2
# govc object.collect -s /Datacenter/host/Cluster/ESXi_2 summary.maxEVCModeKey
# ```
#
# **PowerCLI**
#
# ```powershell
# Connect-VIServer -Server vcenter.lab.local
# Get-VMHost | Select-Object Name, ConnectionState
# Get-VM | Select-Object Name, VMHost, PowerState
# Get-Datastore | Select-Object Name, FreeSpaceGB
# ```
# [en]
#
# **vSphere Client**: *Menu > Inventory > Hosts and Clusters*, then select
# `Cluster`: the *Hosts* and *VMs* tabs show the same lists.
# [fr]
#
# **vSphere Client** : *Menu > Inventaire > Hôtes et clusters*, puis sélectionnez
# `Cluster` : les onglets *Hôtes* et *VM* montrent les mêmes listes.

# %% [markdown]
# [en]
# ### Exercise 00.1 — Where does the VM run?
#
# Store in `host_of_vm` the name of the host `vm-shared` runs on, as text.
# You can read it in the VMs table above, or ask lablib:
# `lab.placement(lab.roles.vm)` returns where a VM is (`.host`, `.datastores`,
# `.power_state`). `lab.roles.vm` is the name of "the VM to migrate" in your lab:
# the labs never hard-code names, so they also work on a vCenter whose objects
# are named differently.
# [fr]
# ### Exercice 00.1 — Où tourne la VM ?
#
# Mettez dans `host_of_vm` le nom de l'hôte sur lequel tourne `vm-shared`, sous
# forme de texte. Vous pouvez le lire dans le tableau des VM ci-dessus, ou le
# demander à lablib : `lab.placement(lab.roles.vm)` renvoie l'emplacement d'une VM
# (`.host`, `.datastores`, `.power_state`). `lab.roles.vm` est le nom de « la VM à
# migrer » dans votre lab : les labs n'écrivent jamais les noms en dur, ils
# fonctionnent donc aussi sur un vCenter dont les objets portent d'autres noms.

# %%
host_of_vm = None
### BEGIN SOLUTION
host_of_vm = lab.placement(lab.roles.vm).host
### END SOLUTION

# %% [markdown]
# [en]
# Run the check. It reads the lab itself, not what you printed: it answers ✔ when
# you are right, ✘ with a hint when you are not (a more precise hint at each
# attempt), and "not done yet" while `host_of_vm` is empty.
# [fr]
# Lancez la vérification. Elle lit le lab lui-même, pas ce que vous avez affiché :
# elle répond ✔ si c'est juste, ✘ avec un indice sinon (plus précis à chaque
# essai), et « pas encore fait » tant que `host_of_vm` est vide.

# %%
check("00.1", host_of_vm)

# %% [markdown]
# [en]
# ### Exercise 00.2 — Which datastore is shared?
#
# vMotion needs the VM's files on a datastore that **both** hosts see (the
# course: "Datastore partagé visible par tous les ESXi"). Store in
# `shared_datastore` the name of the datastore every host of the cluster mounts.
# [fr]
# ### Exercice 00.2 — Quelle banque de données est partagée ?
#
# vMotion a besoin des fichiers de la VM sur une banque de données que **les deux**
# hôtes voient (le cours : « Datastore partagé visible par tous les ESXi »). Mettez
# dans `shared_datastore` le nom de la banque de données que tous les hôtes du
# cluster montent.

# %%
shared_datastore = None
### BEGIN SOLUTION
snapshot = lab.facts.snapshot()
shared_datastore = next(d.name for d in snapshot.datastores if d.shared)
### END SOLUTION

# %%
check("00.2", shared_datastore)

# %% [markdown]
# [en]
# ### Exercise 00.3 — Which host has the older CPU?
#
# The course's two hosts are both Intel, of two generations. Store in
# `older_host` the name of the host whose CPU is the older one. The Hosts table
# tells you (its max EVC column), and so does the server, to any client:
# `lab.evc_modes().hosts` maps each host to its highest EVC mode, and in a
# terminal govc reads the same property:
#
# ```sh
# govc object.collect -s /Datacenter/host/Cluster/ESXi_1 summary.maxEVCModeKey
# ```
#
# On the lab simulator these CPUs are modelled from the course's host profile,
# and you read them exactly as on a vCenter.
# [fr]
# ### Exercice 00.3 — Quel hôte a le CPU le plus ancien ?
#
# Les deux hôtes du cours sont des Intel, de deux générations. Mettez dans
# `older_host` le nom de l'hôte dont le CPU est le plus ancien. Le tableau des
# hôtes vous le dit (sa colonne « max EVC »), et le serveur aussi, à tout client :
# `lab.evc_modes().hosts` associe chaque hôte à son mode EVC le plus élevé, et
# dans un terminal govc lit la même propriété :
#
# ```sh
# govc object.collect -s /Datacenter/host/Cluster/ESXi_1 summary.maxEVCModeKey
# ```
#
# Sur le simulateur du lab, ces CPU sont modélisés d'après le profil d'hôtes du
# cours, et vous les lisez exactement comme sur un vCenter.

# %%
older_host = None
### BEGIN SOLUTION
modes = lab.evc_modes()
print(modes.hosts)   # each host's highest EVC mode
generation = {h: modes.catalog.get(m).tier for h, m in modes.hosts.items()}
older_host = min(generation, key=generation.get)
### END SOLUTION

# %%
check("00.3", older_host)

# %% [markdown]
# [en]
# ## Step 3 — When something is missing
#
# | What you see | What to do |
# |---|---|
# | `SimulatorError: No vCenter simulator found` | Build the simulator with `make sim-tools` (Go ≥ 1.25), or start Docker; then run the setup cell again. |
# | `Lab status: NOT ready. Missing host 'ESXi_2'` | On the simulator, run `lab.reset()` (below). On a vCenter, map the lab's roles to your names in the `[roles]` section of `lab.toml`. |
# | `ConnectError: The simulator stopped answering` | Run the setup cell again: it starts a fresh, seeded simulator. |
# | `ConnectError: No password for ...` | Your instructor sets `LAB_PASSWORD` in Jupyter's environment. Never write a password in a notebook. |
# | `OutOfScope` on a vCenter | lablib only changes objects inside the `[scope]` of `lab.toml`: ask your instructor. |
#
# On the simulator, `lab.reset()` rebuilds the whole lab in its initial state in
# a few seconds. Every lab's setup cell already brings the lab to the state that
# lab starts from, so you rarely need it.
# [fr]
# ## Étape 3 — Quand il manque quelque chose
#
# | Ce que vous voyez | Ce qu'il faut faire |
# |---|---|
# | `SimulatorError: No vCenter simulator found` | Construisez le simulateur avec `make sim-tools` (Go ≥ 1.25), ou démarrez Docker ; puis relancez la cellule de mise en place. |
# | `Lab status: NOT ready. Missing host 'ESXi_2'` | Sur le simulateur, lancez `lab.reset()` (ci-dessous). Sur un vCenter, associez les rôles du lab à vos noms dans la section `[roles]` de `lab.toml`. |
# | `ConnectError: The simulator stopped answering` | Relancez la cellule de mise en place : elle démarre un simulateur neuf, déjà peuplé. |
# | `ConnectError: No password for ...` | Votre formateur définit `LAB_PASSWORD` dans l'environnement de Jupyter. N'écrivez jamais de mot de passe dans un notebook. |
# | `OutOfScope` sur un vCenter | lablib ne modifie que les objets du `[scope]` de `lab.toml` : voyez votre formateur. |
#
# Sur le simulateur, `lab.reset()` reconstruit tout le lab dans son état initial
# en quelques secondes. La cellule de mise en place de chaque lab amène déjà le
# lab dans l'état d'où ce lab part : vous en aurez rarement besoin.

# %%
if lab.sim_state is not None:   # a simulator lablib runs
    lab.reset()
lab.status()

# %% [markdown]
# [en]
# ## Step 4 — Check your work on your own
#
# Each lab ends its steps with checks. To check a whole notebook at once, save it
# and run, in a terminal (in JupyterLab: *File > New > Terminal*):
#
# ```sh
# python -m lablib check labs/en/05_migrate.ipynb
# ```
#
# It runs your notebook from the top in a fresh kernel, on a private simulator
# (your own lab is left as it is), and lists each exercise: ✔ passed, ✘ wrong,
# or not done yet, plus any cell that failed unexpectedly.
#
# ### For instructors
#
# - `python -m lablib sim reset` brings the whole lab back to its initial state
#   (a cell can do the same: `lab.reset()`).
# - `python -m lablib sim start --demo 5000` starts the simulator in **demo
#   mode**: each migration of a running VM then takes 5 seconds, its progress
#   rising, so a class sees the task run. `python -m lablib sim reset` keeps
#   the mode; `python -m lablib sim stop` stops it.
# - `eval "$(python -m lablib sim env)"` lets you run the labs' govc commands
#   in a terminal.
# [fr]
# ## Étape 4 — Vérifier son travail seul
#
# Chaque lab termine ses étapes par des vérifications. Pour vérifier tout un
# notebook d'un coup, enregistrez-le puis lancez, dans un terminal (dans
# JupyterLab : *File > New > Terminal*) :
#
# ```sh
# python -m lablib check labs/fr/05_migrate.ipynb
# ```
#
# La commande exécute votre notebook depuis le début dans un noyau neuf, sur un
# simulateur privé (votre lab reste tel quel), et liste chaque exercice : ✔ réussi,
# ✘ faux, ou pas encore fait, ainsi que toute cellule en erreur inattendue.
#
# ### Pour les formateurs
#
# - `python -m lablib sim reset` remet tout le lab dans son état initial (une
#   cellule fait de même : `lab.reset()`).
# - `python -m lablib sim start --demo 5000` démarre le simulateur en **mode
#   démonstration** : chaque migration d'une VM allumée dure alors 5 secondes,
#   sa progression montant, et la classe voit la tâche se dérouler.
#   `python -m lablib sim reset` garde ce mode ; `python -m lablib sim stop`
#   l'arrête.
# - `eval "$(python -m lablib sim env)"` permet de lancer les commandes govc des
#   labs dans un terminal.

# %% [markdown]
# [en]
# ## Summary
#
# - `lab = lablib.connect()` gives you the lab: the simulator by default, or the
#   configured vCenter. The first table of `lab.status()` says which.
# - `lab.status()` is your "is my lab ready?" check: hosts, datastores, VMs, and
#   what is missing. The hosts' CPUs, EVC modes and addresses are modelled by
#   the lab simulator from the course's host profile.
# - `lab.placement(vm)` says where a VM runs and where its files are.
# - `check("NN.k", ...)` checks an exercise against the live lab;
#   `python -m lablib check <notebook>` checks a whole notebook.
#
# ## Exercises
#
# 1. In a terminal, run `eval "$(python -m lablib sim env)"` then
#    `govc vm.info vm-local`. Which datastore path does govc show for the VM's
#    files? Compare it with the VMs table.
# 2. Which columns of the Hosts table does the lab simulator model, and from
#    which file (see Step 1)? Read ESXi_2's vmk0 with
#    `govc host.vnic.info -host ESXi_2`: does govc see the address the table
#    shows?
# 3. Your instructor gives you a vCenter whose hosts are called `esx-a` and
#    `esx-b`. Which section of `lab.toml` do you change so the labs still work?
# [fr]
# ## Résumé
#
# - `lab = lablib.connect()` vous donne le lab : le simulateur par défaut, ou le
#   vCenter configuré. Le premier tableau de `lab.status()` dit lequel.
# - `lab.status()` est votre vérification « mon lab est-il prêt ? » : hôtes,
#   banques de données, VM, et ce qui manque. Les CPU, modes EVC et adresses des
#   hôtes sont modélisés par le simulateur du lab à partir du profil d'hôtes du
#   cours.
# - `lab.placement(vm)` dit où tourne une VM et où sont ses fichiers.
# - `check("NN.k", ...)` vérifie un exercice sur le lab réel ;
#   `python -m lablib check <notebook>` vérifie tout un notebook.
#
# ## Exercices
#
# 1. Dans un terminal, lancez `eval "$(python -m lablib sim env)"` puis
#    `govc vm.info vm-local`. Quel chemin de banque de données govc affiche-t-il
#    pour les fichiers de la VM ? Comparez avec le tableau des VM.
# 2. Quelles colonnes du tableau des hôtes le simulateur du lab modélise-t-il, et
#    à partir de quel fichier (voir l'étape 1) ? Lisez le vmk0 d'ESXi_2 avec
#    `govc host.vnic.info -host ESXi_2` : govc voit-il l'adresse qu'affiche le
#    tableau ?
# 3. Votre formateur vous donne un vCenter dont les hôtes s'appellent `esx-a` et
#    `esx-b`. Quelle section de `lab.toml` modifiez-vous pour que les labs
#    fonctionnent toujours ?
