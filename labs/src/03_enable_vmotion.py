# Lab 03 source: the only file to edit. Build the notebooks with
# `python -m tools.labsource` (labs/README.md explains the format).

# %% [markdown]
# [en]
# # Lab 03 — Enable vMotion on the VMkernel adapters
#
# **Estimated time: 20 minutes**
#
# ## Overview
#
# The course's first configuration step: *"To enable vMotion, a **VMkernel**
# network adapter with the **vMotion** service must be configured on each ESXi
# host."* In the vSphere Client:
# `ESXi_1 > Network > VMkernel adapters > vmk0 > Edit`, tick **vMotion**, then
# repeat on `ESXi_2`. In this lab you will:
#
# - see the error vCenter gives when no VMkernel adapter carries vMotion;
# - enable vMotion on `vmk0` of ESXi_1, then of ESXi_2, and read it back;
# - see the same change as a pyVmomi call, a govc command, a PowerCLI cmdlet and
#   a vSphere Client dialog.
# [fr]
# # Lab 03 — Activer vMotion sur les adaptateurs VMkernel
#
# **Durée estimée : 20 minutes**
#
# ## Vue d'ensemble
#
# La première étape de configuration du cours : *« Pour activer **vMotion**, il
# est nécessaire de configurer un adaptateur réseau **VMkernel** avec la
# fonctionnalité **vMotion activée** sur chacun des hôtes **ESXi**. »* Dans le
# vSphere Client : `ESXi_1 > Réseau > VMkernel adapters > vmk0 > Modifier`,
# cocher **vMotion**, puis répéter sur `ESXi_2`. Dans ce lab, vous allez :
#
# - voir l'erreur de vCenter quand aucun adaptateur VMkernel ne porte vMotion ;
# - activer vMotion sur `vmk0` d'ESXi_1, puis d'ESXi_2, et le relire ;
# - voir ce même changement en appel pyVmomi, en commande govc, en cmdlet
#   PowerCLI et dans une boîte de dialogue du vSphere Client.

# %% [markdown]
# [en]
# ## Setup
#
# On the simulator the setup cell brings the lab back to the course's initial
# state: vMotion on no VMkernel adapter, EVC off.
# [fr]
# ## Mise en place
#
# Sur le simulateur, la cellule de mise en place remet le lab dans l'état
# initial du cours : vMotion sur aucun adaptateur VMkernel, EVC désactivé.

# %%
import lablib
from lablib.exercises import check, prepare, your_turn
from lablib.prerequisites import prerequisites

lablib.set_language("{{lang}}")
lab = lablib.connect()
prepare(lab, "03")

# %% [markdown]
# [en]
# ## Step 1 — Without a vMotion adapter, vCenter refuses
#
# `lab.vmotion_vmks(host)` lists the VMkernel adapters of a host that carry the
# vMotion service. Neither host has one yet:
# [fr]
# ## Étape 1 — Sans adaptateur vMotion, vCenter refuse
#
# `lab.vmotion_vmks(host)` liste les adaptateurs VMkernel d'un hôte qui portent
# le service vMotion. Aucun des deux hôtes n'en a encore :

# %%
for host in (lab.roles.source_host, lab.roles.destination_host):
    print(host, lab.vmotion_vmks(host))

# %% [markdown]
# [en]
# Try the migration anyway. The cell fails on purpose (it is tagged
# `raises-exception`): read the message. The server refuses it, the lab
# simulator as vCenter would, with the fault `VMotionNotConfigured`; lablib
# shows every rule the server's check finds broken, including the CPU one that
# lab 04 fixes, each with its fix.
#
# The server decides, whatever the client: govc meets the same refusal.
#
# ```sh
# govc vm.migrate -host ESXi_2 vm-shared   # refused
# ```
# [fr]
# Essayez quand même la migration. La cellule échoue exprès (elle porte
# l'étiquette `raises-exception`) : lisez le message. Le serveur la refuse, le
# simulateur du lab comme le ferait vCenter, avec le fault
# `VMotionNotConfigured` ; lablib montre chaque règle que la vérification du
# serveur trouve en échec, dont celle du CPU que corrige le lab 04, chacune avec
# sa correction.
#
# C'est le serveur qui décide, quel que soit le client : govc reçoit le même
# refus.
#
# ```sh
# govc vm.migrate -host ESXi_2 vm-shared   # refusé
# ```

# %% tags=["raises-exception"]
lab.migrate(lab.roles.vm, host=lab.roles.destination_host)

# %% [markdown]
# [en]
# ## Step 2 — Enable vMotion on vmk0 of ESXi_1
#
# `lab.enable_vmotion(host, device="vmk0")` turns the vMotion service on for one
# VMkernel adapter of a host, like ticking **vMotion** in the adapter's *Edit*
# dialog.
#
# ### Exercise 03.1
#
# Enable vMotion on `vmk0` of the source host, `lab.roles.source_host` (ESXi_1).
# [fr]
# ## Étape 2 — Activer vMotion sur vmk0 d'ESXi_1
#
# `lab.enable_vmotion(host, device="vmk0")` active le service vMotion sur un
# adaptateur VMkernel d'un hôte, comme cocher **vMotion** dans la fenêtre
# *Modifier* de l'adaptateur.
#
# ### Exercice 03.1
#
# Activez vMotion sur `vmk0` de l'hôte source, `lab.roles.source_host` (ESXi_1).

# %%
### BEGIN SOLUTION
lab.enable_vmotion(lab.roles.source_host, "vmk0")
### END SOLUTION

# %%
check("03.1")

# %% [markdown]
# [en]
# ### Under the hood
#
# **pyVmomi.** The service is a *nic type* of the host's `VirtualNicManager`.
# The call is synchronous (no task to wait for); `QueryNetConfig` reads it back,
# and its `selectedVnic` holds keys such as `vmotion.key-vim.host.VirtualNic-vmk0`:
# [fr]
# ### Sous le capot
#
# **pyVmomi.** Le service est un *nic type* du `VirtualNicManager` de l'hôte.
# L'appel est synchrone (pas de tâche à attendre) ; `QueryNetConfig` le relit, et
# son `selectedVnic` contient des clés comme `vmotion.key-vim.host.VirtualNic-vmk0` :
# [all]
#
# ```python
# vnm = esxi_1.configManager.virtualNicManager
# vnm.SelectVnicForNicType(nicType="vmotion", device="vmk0")   # returns None
# config = vnm.QueryNetConfig("vmotion")
# print(config.selectedVnic)
# ```
#
# **govc**
#
# ```sh
# govc host.vnic.service -host ESXi_1 -enable vmotion vmk0
# govc host.vnic.info -host ESXi_1
# ```
#
# **PowerCLI**
#
# ```powershell
# Get-VMHostNetworkAdapter -VMHost ESXi_1 -Name vmk0 |
#     Set-VMHostNetworkAdapter -VMotionEnabled $true -Confirm:$false
# ```
# [en]
#
# **vSphere Client**: select *ESXi_1* > *Configure* > *Networking* > *VMkernel
# adapters*, select *vmk0* > *Edit*; under *Port properties* > *Enabled
# services*, tick **vMotion** > *OK*.
#
# **On the lab simulator** each host's `VirtualNicManager` serves
# `SelectVnicForNicType` as ESXi does (`docker/go/README.md`, section 1 of the
# extension): after the first govc command, `govc host.vnic.info -host ESXi_1`
# lists vmk0 with *Enabled services: management, vmotion*, and lablib, govc and
# the vSphere API all read the same state. (The public vcsim image lacks this
# call: there lablib keeps the service in a custom field, and govc cannot
# change it.)
# [fr]
#
# **vSphere Client** : sélectionnez *ESXi_1* > *Configurer* > *Mise en réseau* >
# *Adaptateurs VMkernel*, sélectionnez *vmk0* > *Modifier* ; dans *Propriétés du
# port* > *Services activés*, cochez **vMotion** > *OK*. (Le cours :
# `ESXi_1 > Réseau > VMkernel adapters > vmk0 > Modifier`, cocher vMotion.)
#
# **Sur le simulateur du lab**, le `VirtualNicManager` de chaque hôte sert
# `SelectVnicForNicType` comme ESXi (`docker/go/README.md`, section 1 de
# l'extension) : après la première commande govc,
# `govc host.vnic.info -host ESXi_1` montre vmk0 avec *Enabled services:
# management, vmotion*, et lablib, govc et l'API vSphere lisent tous le même
# état. (L'image vcsim publique n'a pas cet appel : lablib y garde le service
# dans un champ personnalisé, et govc ne peut pas le changer.)

# %% [markdown]
# [en]
# ## Step 3 — Repeat on ESXi_2
#
# A vMotion uses the vMotion network at both ends: the source host sends the
# VM's memory, the destination host receives it. The course: *"Repeat the
# operation on ESXi_2"*.
#
# ### Exercise 03.2
#
# Enable vMotion on `vmk0` of the destination host, `lab.roles.destination_host`.
# [fr]
# ## Étape 3 — Répéter sur ESXi_2
#
# Un vMotion utilise le réseau vMotion aux deux bouts : l'hôte source envoie la
# mémoire de la VM, l'hôte de destination la reçoit. Le cours : *« Répéter
# l'opération sur `ESXi_2` »*.
#
# ### Exercice 03.2
#
# Activez vMotion sur `vmk0` de l'hôte de destination,
# `lab.roles.destination_host`.

# %%
### BEGIN SOLUTION
lab.enable_vmotion(lab.roles.destination_host, "vmk0")
### END SOLUTION

# %%
check("03.2")

# %% [markdown]
# [en]
# ## Step 4 — Read it back
#
# The prerequisites table of lab 02 now shows the VMkernel row met (when both
# exercises are done). The EVC row still fails: that is lab 04.
# [fr]
# ## Étape 4 — Relire
#
# Le tableau des prérequis du lab 02 montre maintenant la ligne VMkernel remplie
# (une fois les deux exercices faits). La ligne EVC échoue encore : c'est le lab
# 04.

# %%
for host in (lab.roles.source_host, lab.roles.destination_host):
    print(host, lab.vmotion_vmks(host))

# %%
prerequisites(lab)

# %% [markdown]
# [en]
# The course uses `vmk0`, the management adapter, for simplicity. In production,
# VMware recommends a network dedicated to vMotion (vSphere documentation,
# *Networking Best Practices for vSphere vMotion*): a separate VMkernel adapter
# (for example `vmk1`) on its own VLAN, because vMotion traffic is heavy: it
# carries the whole memory of every VM that moves.
#
# ## Summary
#
# - vMotion needs a VMkernel adapter with the **vMotion** service on the source
#   **and** the destination host; without it vCenter refuses with
#   `VMotionNotConfigured`.
# - `lab.enable_vmotion(host, "vmk0")` is the vSphere Client's *Edit > vMotion*
#   tick box; underneath, `VirtualNicManager.SelectVnicForNicType("vmotion", "vmk0")`.
# - The lab simulator keeps this service per host, as ESXi does: lablib, govc
#   (its `host.vnic.service` command) and pyVmomi change and read the same
#   setting.
#
# ## Exercises
#
# 1. Disable vMotion on ESXi_2 with `lab.disable_vmotion(...)`, then run
#    `lab.precheck(lab.roles.vm, host=lab.roles.destination_host)`. Which host
#    does the `vmotion-network` row name? Enable it again.
# 2. Power `vm-shared` off and run the same precheck. Why is the vMotion network
#    "not needed" for a powered-off VM?
# 3. In a terminal, run `govc host.vnic.info -host ESXi_2`: which line shows the
#    enabled services? Disable vMotion there with govc
#    (`govc host.vnic.service -host ESXi_2 -enable=false vmotion vmk0`), then run
#    `lab.vmotion_vmks(lab.roles.destination_host)`: does lablib see the change?
# [fr]
# Le cours utilise `vmk0`, l'adaptateur de gestion, par simplicité. En
# production, VMware recommande un réseau dédié à vMotion (documentation vSphere,
# *Networking Best Practices for vSphere vMotion*) : un adaptateur VMkernel à part
# (par exemple `vmk1`) sur son propre VLAN, car le trafic vMotion est lourd : il
# transporte toute la mémoire de chaque VM qui se déplace.
#
# ## Résumé
#
# - vMotion a besoin d'un adaptateur VMkernel avec le service **vMotion** sur
#   l'hôte source **et** sur l'hôte de destination ; sans lui, vCenter refuse avec
#   `VMotionNotConfigured`.
# - `lab.enable_vmotion(host, "vmk0")` est la case *Modifier > vMotion* du
#   vSphere Client ; dessous,
#   `VirtualNicManager.SelectVnicForNicType("vmotion", "vmk0")`.
# - Le simulateur du lab garde ce service hôte par hôte, comme ESXi : lablib,
#   govc (sa commande `host.vnic.service`) et pyVmomi modifient et lisent le
#   même réglage.
#
# ## Exercices
#
# 1. Désactivez vMotion sur ESXi_2 avec `lab.disable_vmotion(...)`, puis lancez
#    `lab.precheck(lab.roles.vm, host=lab.roles.destination_host)`. Quel hôte la
#    ligne `vmotion-network` cite-t-elle ? Réactivez-le ensuite.
# 2. Éteignez `vm-shared` et relancez la même vérification. Pourquoi le réseau
#    vMotion n'est-il « pas nécessaire » pour une VM éteinte ?
# 3. Dans un terminal, lancez `govc host.vnic.info -host ESXi_2` : quelle ligne
#    montre les services activés ? Désactivez-y vMotion avec govc
#    (`govc host.vnic.service -host ESXi_2 -enable=false vmotion vmk0`), puis
#    lancez `lab.vmotion_vmks(lab.roles.destination_host)` : lablib voit-il le
#    changement ?
