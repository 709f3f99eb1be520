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
#   (lablib, govc, pyVmomi).
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
#   quel que soit le client (lablib, govc, pyVmomi).

# %%
lab.status().tables[0]

# %% [markdown]
# [en]
# The public vcsim image (`vmware/vcsim`) lacks the vMotion APIs: it cannot
# enable vMotion on a VMkernel adapter, has no EVC, and accepts every migration
# (the project's `docs/vcsim-gaps.md` lists its gaps). On that image lablib
# applies vCenter's rules itself and keeps what vcsim cannot hold (the vMotion
# service, EVC) as custom fields; then the target says "simulated by lablib",
# and tables mark such values with `*`. Other clients (govc, raw pyVmomi) then
# bypass those rules.
# [fr]
# L'image vcsim publique (`vmware/vcsim`) n'a pas les API de vMotion : elle ne
# sait pas activer vMotion sur un adaptateur VMkernel, n'a pas d'EVC, et accepte
# toute migration (le fichier `docs/vcsim-gaps.md` du projet liste ses manques).
# Sur cette image, lablib applique lui-même les règles de vCenter et garde ce que
# vcsim ne sait pas représenter (service vMotion, EVC) sous forme de champs
# personnalisés ; la cible dit alors « simulé par lablib », et les tableaux
# marquent ces valeurs d'un `*`. Les autres clients (govc, pyVmomi brut)
# contournent alors ces règles.

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
#   them on a datastore only ESXi_1 sees (lab 06 shows what that breaks).
#
# ### Under the hood
#
# **pyVmomi.** `lablib.connect()` logs in with `SmartConnect`, then reads
# `content.about` to tell vcsim from vCenter. `lab.status()` reads each kind of
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
#   lab 06 montre ce que cela empêche).
#
# ### Sous le capot
#
# **pyVmomi.** `lablib.connect()` se connecte avec `SmartConnect`, puis lit
# `content.about` pour distinguer vcsim de vCenter. `lab.status()` lit chaque type
# d'objet avec une `ContainerView` et un seul appel `RetrievePropertiesEx` (le
# PropertyCollector), jamais une requête par propriété :
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
#   mode**: each migration then takes 5 seconds, so a class sees the task run.
#   `python -m lablib sim reset` keeps the mode; `python -m lablib sim stop`
#   stops it.
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
#   démonstration** : chaque migration dure alors 5 secondes, la classe voit la
#   tâche se dérouler. `python -m lablib sim reset` garde ce mode ;
#   `python -m lablib sim stop` l'arrête.
# - `eval "$(python -m lablib sim env)"` permet de lancer les commandes govc des
#   labs dans un terminal.

# %% [markdown]
# [en]
# ## Summary
#
# - `lab = lablib.connect()` gives you the lab: the simulator by default, or the
#   configured vCenter. The first table of `lab.status()` says which.
# - `lab.status()` is your "is my lab ready?" check: hosts, datastores, VMs, and
#   what is missing. Values marked `*` are simulated by lablib.
# - `lab.placement(vm)` says where a VM runs and where its files are.
# - `check("NN.k", ...)` checks an exercise against the live lab;
#   `python -m lablib check <notebook>` checks a whole notebook.
#
# ## Exercises
#
# 1. In a terminal, run `eval "$(python -m lablib sim env)"` then
#    `govc vm.info vm-local`. Which datastore path does govc show for the VM's
#    files? Compare it with the VMs table.
# 2. Which values of the Hosts table carry a `*`? Why can the simulator not give
#    them (see Step 1)?
# 3. Your instructor gives you a vCenter whose hosts are called `esx-a` and
#    `esx-b`. Which section of `lab.toml` do you change so the labs still work?
# [fr]
# ## Résumé
#
# - `lab = lablib.connect()` vous donne le lab : le simulateur par défaut, ou le
#   vCenter configuré. Le premier tableau de `lab.status()` dit lequel.
# - `lab.status()` est votre vérification « mon lab est-il prêt ? » : hôtes,
#   banques de données, VM, et ce qui manque. Les valeurs marquées `*` sont
#   simulées par lablib.
# - `lab.placement(vm)` dit où tourne une VM et où sont ses fichiers.
# - `check("NN.k", ...)` vérifie un exercice sur le lab réel ;
#   `python -m lablib check <notebook>` vérifie tout un notebook.
#
# ## Exercices
#
# 1. Dans un terminal, lancez `eval "$(python -m lablib sim env)"` puis
#    `govc vm.info vm-local`. Quel chemin de banque de données govc affiche-t-il
#    pour les fichiers de la VM ? Comparez avec le tableau des VM.
# 2. Quelles valeurs du tableau des hôtes portent un `*` ? Pourquoi le simulateur
#    ne peut-il pas les fournir (voir l'étape 1) ?
# 3. Votre formateur vous donne un vCenter dont les hôtes s'appellent `esx-a` et
#    `esx-b`. Quelle section de `lab.toml` modifiez-vous pour que les labs
#    fonctionnent toujours ?
