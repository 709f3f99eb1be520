"""Lab 09's broken labs, as data: the real causes of a refused vMotion, one per scenario.

Every scenario starts from the state lab 05 starts from (vMotion on vmk0 of both hosts,
EVC at the hosts' common mode, both VMs running on the source host) and breaks it through
the vSphere API, so govc, pyVmomi and lablib all meet the same refusal. The causes are
those of docs/vsphere-facts.md: §1 the vMotion VMkernel adapter, §2 EVC and CPU
baselines, §4 files, devices and networks the destination cannot reach, §6 and §3 the
destination's state. Two scenarios stack (level 2) when their `areas` differ.

A VM "still running with its old CPU baseline after EVC was set" cannot block a migration
in this lab: vCenter refuses an EVC mode below the features running VMs use
(ActiveVMsBlockingEVC, docs/vsphere-facts.md §2). The CPU scenario is the other form:
EVC turned off, and the VM restarted since with all of its host's newer features.
"""

from __future__ import annotations

from ..text import Text
from .model import Scenario, Sign, Step, WrongFix

S = Step.of
VM, SRC, DST = "{vm}", "{source_host}", "{destination_host}"

#: Wrong fix shared by the scenarios whose cause a cold migration goes around.
_COLD = (S("power_off", vm=VM), S("migrate", vm=VM, host=DST), S("power_on", vm=VM))


def _cold(message: Text, sign: str = "power_cycled") -> WrongFix:
    return WrongFix(
        "cold-migration", Text("powered the VM off, migrated it cold, powered it on",
                               "a éteint la VM, l'a migrée à froid, puis rallumée"),
        _COLD, Sign.of(sign), message)


def _vmotion(side: str, host: str, context: Text, order: int) -> Scenario:
    other = "source" if side == "destination" else "destination"
    return Scenario(
        id=f"vmotion-{side}",
        title=Text(f"vMotion disabled on vmk0 of the {side} host",
                   "vMotion désactivé sur vmk0 de l'hôte "
                   + ("de destination" if side == "destination" else "source")),
        context=context,
        source="docs/vsphere-facts.md §1",
        breaks=(S("disable_vmotion", host=host),),
        faults=("VMotionNotConfigured",),
        rule="vmotion-network",
        fix=(S("enable_vmotion", host=host),),
        fixed=Sign.of("vmotion_on", host=host),
        unsolved=Text(f"vMotion is still off on every VMkernel adapter of {host}: the next "
                      "running VM will be refused the same way.",
                      f"vMotion est toujours désactivé sur les adaptateurs VMkernel de {host} : "
                      "la prochaine VM en marche sera refusée de la même façon."),
        owns=(f"host:{host}:vmotion",),
        wrong=(_cold(Text(
            "you powered {vm} off and moved it cold: its users lost it, and vMotion is still "
            f"off on {host}. Enabling vMotion on vmk0 of {host} fixes it with the VM running.",
            "vous avez éteint {vm} et l'avez migrée à froid : ses utilisateurs l'ont perdue, "
            f"et vMotion est toujours désactivé sur {host}. Activer vMotion sur vmk0 de {host} "
            "corrige la cause, VM allumée.")),),
        hints=(Text("The server's message names a host and a side (source or destination): "
                    "compare what that host's VMkernel adapters offer with the other host's.",
                    "Le message du serveur nomme un hôte et un côté (source ou destination) : "
                    "comparez ce qu'offrent les adaptateurs VMkernel de cet hôte avec ceux de "
                    "l'autre hôte."),
               Text(f"lab.vmotion_vmks('{host}') and lab.vmotion_vmks('{{{other}_host}}'), or "
                    f"govc host.vnic.info -host {host}: the services enabled on each vmk.",
                    f"lab.vmotion_vmks('{host}') et lab.vmotion_vmks('{{{other}_host}}'), ou "
                    f"govc host.vnic.info -host {host} : les services activés sur chaque vmk."),
               Text(f"enable vMotion on vmk0 of {host} (lab.enable_vmotion('{host}')), then "
                    "migrate {vm} while it runs.",
                    f"activez vMotion sur vmk0 de {host} (lab.enable_vmotion('{host}')), puis "
                    "migrez {vm} pendant qu'elle tourne.")),
        areas=frozenset({f"vmotion-{side}"}),
        scope="host",
        order=order,
    )


_LOCAL_AGAIN = WrongFix(
    "local-again", Text("moved the VM and its files to the destination's local datastore",
                        "a déplacé la VM et ses fichiers sur la banque locale de la destination"),
    (S("migrate", vm=VM, host=DST, datastore="{destination_local_datastore}"),),
    Sign.of("files_local"),
    Text("its files are now on {destination_local_datastore}, a datastore only "
         "{destination_host} mounts: it cannot move back to {source_host} after the "
         "maintenance, and no other host can restart it. Put them on {shared_datastore}.",
         "ses fichiers sont maintenant sur {destination_local_datastore}, une banque de "
         "données que seul {destination_host} monte : elle ne pourra pas revenir sur "
         "{source_host} après la maintenance, et aucun autre hôte ne pourra la redémarrer. "
         "Mettez-les sur {shared_datastore}."))

_STORAGE_HINT = Text("lab.placement('{vm}') and lab.facts.snapshot().datastore(name).hosts, or "
                     "govc vm.info -r {vm} (Storage) and govc datastore.info -H with both "
                     "hosts' paths (the datastores they share).",
                     "lab.placement('{vm}') et lab.facts.snapshot().datastore(nom).hosts, ou "
                     "govc vm.info -r {vm} (Storage) et govc datastore.info -H avec les "
                     "chemins des deux hôtes (les banques qu'ils partagent).")

SCENARIOS: tuple[Scenario, ...] = (
    _vmotion("destination", DST, Text(
        "A network change was made on {destination_host} last week.",
        "Une modification réseau a été faite sur {destination_host} la semaine dernière."), 1),
    _vmotion("source", SRC, Text(
        "A network change was made on {source_host} yesterday.",
        "Une modification réseau a été faite sur {source_host} hier."), 1),
    Scenario(
        id="local-files",
        title=Text("the VM's files on the source host's local datastore",
                   "les fichiers de la VM sur la banque locale de l'hôte source"),
        context=Text("The storage team moved some VMs last week to free space on "
                     "{shared_datastore}.",
                     "L'équipe stockage a déplacé des VM la semaine dernière pour libérer de "
                     "la place sur {shared_datastore}."),
        source="docs/vsphere-facts.md §4",
        breaks=(S("migrate", vm=VM, datastore="{local_datastore}"),),
        faults=("CannotAccessVmConfig", "CannotAccessVmDisk"),
        rule="shared-storage",
        fix=(S("migrate", vm=VM, datastore="{shared_datastore}"),),
        fixed=Sign.of("files_shared"),
        unsolved=Text("its files are still on a datastore only one host mounts.",
                      "ses fichiers sont toujours sur une banque qu'un seul hôte monte."),
        owns=("vm:{vm}:files", "vm:{vm}:disk:*"),
        wrong=(_LOCAL_AGAIN,),
        hints=(Text("A compute-only vMotion needs the destination to reach every file of the "
                    "VM: where are they now?",
                    "Un vMotion de la ressource de calcul seule exige que la destination "
                    "atteigne tous les fichiers de la VM : où sont-ils maintenant ?"),
               _STORAGE_HINT,
               Text("move the VM's files to {shared_datastore} with a Storage vMotion "
                    "(lab.migrate('{vm}', datastore='{shared_datastore}')), then migrate it to "
                    "{destination_host}.",
                    "déplacez les fichiers de la VM vers {shared_datastore} par un Storage "
                    "vMotion (lab.migrate('{vm}', datastore='{shared_datastore}')), puis "
                    "migrez-la vers {destination_host}.")),
        areas=frozenset({"vm-files"}),
        files_move=True,
    ),
    Scenario(
        id="local-disk",
        title=Text("a second disk of the VM on the source host's local datastore",
                   "un second disque de la VM sur la banque locale de l'hôte source"),
        context=Text("The application team asked for extra scratch space on {vm} yesterday.",
                     "L'équipe applicative a demandé hier de l'espace de travail en plus sur "
                     "{vm}."),
        source="docs/vsphere-facts.md §4",
        breaks=(S("add_disk", vm=VM, datastore="{local_datastore}"),),
        faults=("CannotAccessVmDisk",),
        rule="shared-storage",
        fix=(S("migrate", vm=VM, datastore="{shared_datastore}"),),
        fixed=Sign.of("files_shared"),
        unsolved=Text("a disk of {vm} is still on a datastore only one host mounts.",
                      "un disque de {vm} est toujours sur une banque qu'un seul hôte monte."),
        owns=("vm:{vm}:files", "vm:{vm}:disk:*"),
        wrong=(WrongFix(
            "disk-removed", Text("removed the second disk", "a supprimé le second disque"),
            (S("remove_disk", vm=VM, datastore="{local_datastore}"),
             S("migrate", vm=VM, host=DST)),
            Sign.of("disk_removed"),
            Text("you removed a disk of {vm}, and its data with it: the application team "
                 "asked for that space. A Storage vMotion of the disk to {shared_datastore} "
                 "keeps it.",
                 "vous avez supprimé un disque de {vm}, et ses données avec : l'équipe "
                 "applicative avait demandé cet espace. Un Storage vMotion du disque vers "
                 "{shared_datastore} le garde.")),
            _LOCAL_AGAIN),
        hints=(Text("The VM's configuration is where it always was; look at each of its disks.",
                    "La configuration de la VM est là où elle a toujours été ; regardez chacun "
                    "de ses disques."),
               Text("govc device.info -vm {vm} (each disk's file), or lab.placement('{vm}'): "
                    "which datastores hold its files, and which hosts mount them.",
                    "govc device.info -vm {vm} (le fichier de chaque disque), ou "
                    "lab.placement('{vm}') : quelles banques tiennent ses fichiers, et quels "
                    "hôtes les montent."),
               Text("move the disk to {shared_datastore} with a Storage vMotion "
                    "(lab.migrate('{vm}', datastore='{shared_datastore}')), then migrate the "
                    "VM to {destination_host}.",
                    "déplacez le disque vers {shared_datastore} par un Storage vMotion "
                    "(lab.migrate('{vm}', datastore='{shared_datastore}')), puis migrez la VM "
                    "vers {destination_host}.")),
        areas=frozenset({"vm-files"}),
        files_move=True,
    ),
    Scenario(
        id="cdrom-iso",
        title=Text("a connected CD-ROM with an ISO image on the source host's local datastore",
                   "un lecteur CD connecté à une image ISO sur la banque locale de l'hôte "
                   "source"),
        context=Text("The application team installed an update in {vm} yesterday.",
                     "L'équipe applicative a installé une mise à jour dans {vm} hier."),
        source="docs/vsphere-facts.md §4",
        breaks=(S("add_cdrom", vm=VM, datastore="{local_datastore}"),),
        faults=("CannotAccessVmDevice",),
        rule="devices",
        fix=(S("disconnect_cdrom", vm=VM),),
        fixed=Sign.of("media_reachable"),
        unsolved=Text("a connected CD/DVD drive of {vm} still uses an image the destination "
                      "cannot reach.",
                      "un lecteur CD/DVD connecté de {vm} utilise toujours une image que la "
                      "destination ne peut pas atteindre."),
        owns=("vm:{vm}:cdrom:*",),
        wrong=(WrongFix(
            "powered-off", Text("powered the VM off to disconnect the CD-ROM",
                                "a éteint la VM pour déconnecter le lecteur CD"),
            (S("power_off", vm=VM), S("disconnect_cdrom", vm=VM),
             S("migrate", vm=VM, host=DST), S("power_on", vm=VM)),
            Sign.of("power_cycled"),
            Text("you powered {vm} off, and its users lost it: a CD/DVD drive can be "
                 "disconnected while the VM runs (Edit Settings > uncheck Connected).",
                 "vous avez éteint {vm}, et ses utilisateurs l'ont perdue : un lecteur CD/DVD "
                 "se déconnecte VM allumée (Modifier les paramètres > décocher Connecté).")),
            WrongFix(
            "cdrom-removed", Text("removed the CD-ROM drive", "a supprimé le lecteur CD"),
            (S("remove_cdrom", vm=VM), S("migrate", vm=VM, host=DST)),
            Sign.of("cdrom_removed"),
            Text("you removed the CD/DVD drive from {vm}'s hardware: disconnecting it was "
                 "enough, and the next update will need it again.",
                 "vous avez retiré le lecteur CD/DVD du matériel de {vm} : le déconnecter "
                 "suffisait, et la prochaine mise à jour en aura de nouveau besoin."))),
        hints=(Text("Disks are not the only files a VM uses.",
                    "Les disques ne sont pas les seuls fichiers qu'utilise une VM."),
               Text("govc device.info -vm {vm}: each device, its backing file and whether it "
                    "is connected.",
                    "govc device.info -vm {vm} : chaque périphérique, son fichier et s'il est "
                    "connecté."),
               Text("disconnect the CD/DVD drive while the VM runs (govc device.disconnect "
                    "-vm {vm} <cdrom-N>, or pyVmomi ReconfigVM_Task with "
                    "connectable.connected=False), then migrate.",
                    "déconnectez le lecteur CD/DVD VM allumée (govc device.disconnect -vm {vm} "
                    "<cdrom-N>, ou ReconfigVM_Task de pyVmomi avec "
                    "connectable.connected=False), puis migrez.")),
        areas=frozenset({"vm-devices"}),
    ),
    Scenario(
        id="network-destination",
        title=Text("the VM's port group missing on the destination host",
                   "le groupe de ports de la VM absent de l'hôte de destination"),
        context=Text("The virtual switches of {destination_host} were tidied up last week.",
                     "Les commutateurs virtuels de {destination_host} ont été rangés la "
                     "semaine dernière."),
        source="docs/vsphere-facts.md §4",
        breaks=(S("remove_port_group", host=DST, network="{vm_network}"),),
        faults=("CannotAccessNetwork",),
        rule="network",
        fix=(S("add_port_group", host=DST, network="{vm_network}"),),
        fixed=Sign.of("networks_present", host=DST),
        unsolved=Text("{destination_host} still has no port group '{vm_network}'.",
                      "{destination_host} n'a toujours pas de groupe de ports '{vm_network}'."),
        owns=("host:{destination_host}:networks",),
        wrong=(WrongFix(
            "nic-disconnected", Text("disconnected the VM's network adapter",
                                     "a déconnecté l'adaptateur réseau de la VM"),
            (S("disconnect_nic", vm=VM), S("migrate", vm=VM, host=DST)),
            Sign.of("nic_disconnected"),
            Text("{vm}'s network adapter is disconnected: nobody can reach it. Create the port "
                 "group '{vm_network}' on {destination_host} instead.",
                 "l'adaptateur réseau de {vm} est déconnecté : personne ne peut l'atteindre. "
                 "Créez plutôt le groupe de ports '{vm_network}' sur {destination_host}.")),
            WrongFix(
            "network-renamed", Text("put the VM on another network on the destination",
                                    "a mis la VM sur un autre réseau de la destination"),
            (S("add_port_group", host=DST, network="{vm_network} 2"),
             S("migrate", vm=VM, host=DST, network="{vm_network} 2")),
            Sign.of("network_changed"),
            Text("{vm} is now on another network than '{vm_network}': its clients and "
                 "firewall rules expect '{vm_network}'. Networks must have the same name on "
                 "every host.",
                 "{vm} est maintenant sur un autre réseau que '{vm_network}' : ses clients et "
                 "les règles de pare-feu attendent '{vm_network}'. Les réseaux doivent porter "
                 "le même nom sur tous les hôtes."))),
        hints=(Text("The VM's adapter is connected to a network by name: does every host have "
                    "a network of that name?",
                    "L'adaptateur de la VM est connecté à un réseau par son nom : chaque hôte "
                    "a-t-il un réseau de ce nom ?"),
               Text("govc host.portgroup.info -host {destination_host} and -host "
                    "{source_host}, or lab.facts.snapshot().host(name).networks.",
                    "govc host.portgroup.info -host {destination_host} et -host {source_host}, "
                    "ou lab.facts.snapshot().host(nom).networks."),
               Text("create the port group '{vm_network}' on vSwitch0 of {destination_host} "
                    "(govc host.portgroup.add -host {destination_host} -vswitch vSwitch0 "
                    "'{vm_network}', or pyVmomi HostNetworkSystem.AddPortGroup), then migrate.",
                    "créez le groupe de ports '{vm_network}' sur vSwitch0 de "
                    "{destination_host} (govc host.portgroup.add -host {destination_host} "
                    "-vswitch vSwitch0 '{vm_network}', ou AddPortGroup de HostNetworkSystem "
                    "en pyVmomi), puis migrez.")),
        areas=frozenset({"destination-networks"}),
        scope="host",
    ),
    Scenario(
        id="destination-maintenance",
        title=Text("the destination host left in maintenance mode",
                   "l'hôte de destination resté en mode maintenance"),
        context=Text("{destination_host} was patched last night.",
                     "{destination_host} a été mis à jour cette nuit."),
        source="docs/vsphere-facts.md §6",
        breaks=(S("enter_maintenance", host=DST),),
        faults=("InvalidHostState",),
        rule="host-state",
        fix=(S("exit_maintenance", host=DST),),
        fixed=Sign.of("out_of_maintenance", host=DST),
        unsolved=Text("{destination_host} is still in maintenance mode.",
                      "{destination_host} est toujours en mode maintenance."),
        owns=("host:{destination_host}:maintenance",),
        wrong=(),
        hints=(Text("The refusal is about the destination host itself, not about the VM.",
                    "Le refus porte sur l'hôte de destination lui-même, pas sur la VM."),
               Text("govc host.info {destination_host} (State), or "
                    "lab.facts.snapshot().host('{destination_host}').in_maintenance.",
                    "govc host.info {destination_host} (State), ou "
                    "lab.facts.snapshot().host('{destination_host}').in_maintenance."),
               Text("take {destination_host} out of maintenance mode "
                    "(lab.exit_maintenance('{destination_host}')), then migrate.",
                    "sortez {destination_host} du mode maintenance "
                    "(lab.exit_maintenance('{destination_host}')), puis migrez.")),
        areas=frozenset({"destination-state"}),
        scope="host",
        order=3,
    ),
    Scenario(
        id="destination-disconnected",
        title=Text("the destination host disconnected from vCenter",
                   "l'hôte de destination déconnecté de vCenter"),
        context=Text("{destination_host} was rebooted for a firmware update this morning.",
                     "{destination_host} a redémarré ce matin pour une mise à jour de "
                     "firmware."),
        source="docs/vsphere-facts.md §3",
        breaks=(S("disconnect_host", host=DST),),
        faults=("InvalidHostConnectionState",),
        rule="host-state",
        fix=(S("reconnect_host", host=DST),),
        fixed=Sign.of("connected", host=DST),
        unsolved=Text("{destination_host} is still disconnected.",
                      "{destination_host} est toujours déconnecté."),
        owns=("host:{destination_host}:connection",),
        wrong=(),
        hints=(Text("The refusal is about a host's state in vCenter, not about the VM.",
                    "Le refus porte sur l'état d'un hôte dans vCenter, pas sur la VM."),
               Text("govc host.info {destination_host} (State), or "
                    "lab.facts.snapshot().host('{destination_host}').connection_state.",
                    "govc host.info {destination_host} (State), ou "
                    "lab.facts.snapshot().host('{destination_host}').connection_state."),
               Text("reconnect {destination_host} (govc host.reconnect {destination_host}, "
                    "or pyVmomi ReconnectHost_Task), then migrate.",
                    "reconnectez {destination_host} (govc host.reconnect {destination_host}, "
                    "ou ReconnectHost_Task de pyVmomi), puis migrez.")),
        areas=frozenset({"destination-state"}),
        scope="host",
        order=4,
    ),
    Scenario(
        id="evc-disabled",
        title=Text("EVC turned off on the cluster, the VM restarted since",
                   "EVC désactivé sur le cluster, la VM redémarrée depuis"),
        context=Text("The cluster's settings were changed for a test last week, and {vm} was "
                     "restarted since.",
                     "Les réglages du cluster ont été changés pour un test la semaine "
                     "dernière, et {vm} a redémarré depuis."),
        source="docs/vsphere-facts.md §2",
        breaks=(S("disable_evc"), S("power_off", vm=VM), S("power_on", vm=VM)),
        faults=("CpuIncompatible",),
        rule="cpu",
        fix=(S("power_off", vm=VM), S("configure_evc", mode="{mode}"), S("power_on", vm=VM)),
        fixed=Sign.of("evc_covers"),
        unsolved=Text("EVC is still off on {cluster}: every VM started on {source_host} "
                      "gets features {destination_host} lacks, and will be refused the same "
                      "way. Configure EVC at {mode}.",
                      "EVC est toujours désactivé sur {cluster} : chaque VM démarrée sur "
                      "{source_host} reçoit des fonctions qu'{destination_host} n'a pas, et "
                      "sera refusée de la même façon. Configurez EVC en mode {mode}."),
        owns=("cluster:{cluster}:evc", "vm:{vm}:baseline"),
        wrong=(_cold(Text(
            "EVC is still off on {cluster}: {vm} moved only because it was powered off, and "
            "every VM started on {source_host} will be refused the same way. Configure EVC at "
            "{mode}.",
            "EVC est toujours désactivé sur {cluster} : {vm} n'est passée que parce qu'elle "
            "était éteinte, et chaque VM démarrée sur {source_host} sera refusée de la même "
            "façon. Configurez EVC en mode {mode}."), "evc_off"),
            WrongFix(
            "evc-too-low", Text("configured EVC below the hosts' common mode",
                                "a configuré EVC sous le mode commun des hôtes"),
            (S("power_off", vm=VM), S("power_off", vm="{local_vm}"),
             S("configure_evc", mode="{lower_mode}"), S("power_on", vm=VM),
             S("power_on", vm="{local_vm}"), S("migrate", vm=VM, host=DST)),
            Sign.of("evc_below"),
            Text("EVC is below {mode}, the newest mode both hosts support: the VMs lost CPU "
                 "features for nothing.",
                 "EVC est en dessous de {mode}, le mode le plus récent que les deux hôtes "
                 "acceptent : les VM ont perdu des fonctions CPU pour rien."))),
        hints=(Text("The two hosts have CPUs of different generations; what does the VM run "
                    "with, and what does the cluster guarantee?",
                    "Les deux hôtes ont des CPU de générations différentes ; avec quoi la VM "
                    "tourne-t-elle, et que garantit le cluster ?"),
               Text("lab.evc_modes() (the cluster's mode, each host's best) and "
                    "lab.cpu_baseline('{vm}'), or govc object.collect -s "
                    "{cluster_path} summary.currentEVCModeKey.",
                    "lab.evc_modes() (le mode du cluster, le meilleur de chaque hôte) et "
                    "lab.cpu_baseline('{vm}'), ou govc object.collect -s "
                    "{cluster_path} summary.currentEVCModeKey."),
               Text("power {vm} off, configure EVC at {mode} (lab.configure_evc('{mode}')), "
                    "power it on, then migrate.",
                    "éteignez {vm}, configurez EVC en mode {mode} "
                    "(lab.configure_evc('{mode}')), rallumez-la, puis migrez.")),
        areas=frozenset({"cpu"}),
        scope="cluster",
        power_cycle=True,
        order=2,
    ),
)

BY_ID = {scenario.id: scenario for scenario in SCENARIOS}


def scenario(scenario_id: str) -> Scenario:
    """Return the scenario `scenario_id` (KeyError when unknown)."""
    return BY_ID[scenario_id]
