"""The vSphere API actions lab 09's steps name: break, fix, or fix the wrong way.

Each action runs through the vSphere API, with the Lab's verbs where lablib has one and
pyVmomi where it has none (devices, port groups, host connection), so every client sees
the result. Each also says how an instructor does it by hand on a real vCenter: the
vSphere Client's path and the govc commands (a `NAME=$(govc ...)` line keeps a command's
output for the next ones, as a shell does).
"""

from __future__ import annotations

import contextlib
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from ..tasks import wait
from ..text import Text

if TYPE_CHECKING:
    from ..lab import Lab

ISO = "iso/app-update.iso"
DISK_GB = 1


@dataclass(frozen=True)
class Action:
    """One named action: how lablib runs it, how an instructor does it by hand."""

    run: Callable[..., Any]
    client: Text
    govc: tuple[str, ...] = ()


def _devices(lab: Lab, vm: str) -> list[Any]:
    return list(lab.vm(vm).config.hardware.device)


def _reconfigure(lab: Lab, vm: str, *changes: Any) -> None:
    wait(lab.conn, lab.vm(vm).ReconfigVM_Task(vim.vm.ConfigSpec(deviceChange=list(changes))))


def _edit(device: Any) -> Any:
    return vim.vm.device.VirtualDeviceSpec(operation="edit", device=device)


def _make_folder(lab: Lab, datastore: str, folder: str) -> None:
    dc = lab.find("datacenter", lab.roles.datacenter)
    with contextlib.suppress(vim.fault.FileAlreadyExists):
        lab.conn.content.fileManager.MakeDirectory(f"[{datastore}] {folder}", datacenter=dc,
                                                   createParentDirectories=True)


def add_disk(lab: Lab, vm: str, datastore: str) -> None:
    """Add a 1 GB thin disk on `datastore`, in the VM's folder there."""
    devices = _devices(lab, vm)
    controller = next(d for d in devices if isinstance(d, vim.vm.device.VirtualSCSIController))
    used = {d.unitNumber for d in devices if getattr(d, "controllerKey", None) == controller.key}
    unit = next(n for n in range(16) if n not in used and n != 7)
    _make_folder(lab, datastore, vm)
    disk = vim.vm.device.VirtualDisk(
        key=-1, controllerKey=controller.key, unitNumber=unit, capacityInKB=DISK_GB * 1024 ** 2,
        backing=vim.vm.device.VirtualDisk.FlatVer2BackingInfo(
            fileName=f"[{datastore}] {vm}/{vm}_scratch.vmdk", diskMode="persistent",
            thinProvisioned=True))
    _reconfigure(lab, vm, vim.vm.device.VirtualDeviceSpec(
        operation="add", fileOperation="create", device=disk))


def remove_disk(lab: Lab, vm: str, datastore: str) -> None:
    """Remove the VM's disks on `datastore`, deleting their files."""
    gone = [vim.vm.device.VirtualDeviceSpec(operation="remove", fileOperation="destroy",
                                            device=d) for d in _devices(lab, vm)
            if isinstance(d, vim.vm.device.VirtualDisk)
            and getattr(d.backing, "fileName", "").startswith(f"[{datastore}]")]
    _reconfigure(lab, vm, *gone)


def add_cdrom(lab: Lab, vm: str, datastore: str) -> None:
    """Add a CD/DVD drive, connected, with an ISO image on `datastore`."""
    devices = _devices(lab, vm)
    ide = next(d for d in devices if isinstance(d, vim.vm.device.VirtualIDEController)
               and len(d.device or []) < 2)
    _make_folder(lab, datastore, ISO.split("/")[0])
    cdrom = vim.vm.device.VirtualCdrom(
        key=-1, controllerKey=ide.key,
        backing=vim.vm.device.VirtualCdrom.IsoBackingInfo(fileName=f"[{datastore}] {ISO}"),
        connectable=vim.vm.device.VirtualDevice.ConnectInfo(
            connected=True, startConnected=True, allowGuestControl=True))
    _reconfigure(lab, vm, vim.vm.device.VirtualDeviceSpec(operation="add", device=cdrom))


def _disconnect(lab: Lab, vm: str, kind: Any) -> None:
    edits = []
    for device in _devices(lab, vm):
        if isinstance(device, kind) and device.connectable is not None:
            device.connectable.connected = False
            device.connectable.startConnected = False
            edits.append(_edit(device))
    _reconfigure(lab, vm, *edits)


def disconnect_cdrom(lab: Lab, vm: str) -> None:
    """Disconnect every CD/DVD drive of the VM (now and at power-on)."""
    _disconnect(lab, vm, vim.vm.device.VirtualCdrom)


def remove_cdrom(lab: Lab, vm: str) -> None:
    """Remove every CD/DVD drive from the VM's hardware."""
    _reconfigure(lab, vm, *(vim.vm.device.VirtualDeviceSpec(operation="remove", device=d)
                            for d in _devices(lab, vm)
                            if isinstance(d, vim.vm.device.VirtualCdrom)))


def disconnect_nic(lab: Lab, vm: str) -> None:
    """Disconnect every network adapter of the VM."""
    _disconnect(lab, vm, vim.vm.device.VirtualEthernetCard)


def _network_system(lab: Lab, host: str) -> Any:
    return lab.host(host).configManager.networkSystem


def remove_port_group(lab: Lab, host: str, network: str) -> None:
    """Remove the standard port group `network` from the host."""
    _network_system(lab, host).RemovePortGroup(network)


def add_port_group(lab: Lab, host: str, network: str) -> None:
    """Add the standard port group `network` to vSwitch0 of the host (VLAN 0, as the lab's)."""
    _network_system(lab, host).AddPortGroup(vim.host.PortGroup.Specification(
        name=network, vlanId=0, vswitchName="vSwitch0", policy=vim.host.NetworkPolicy()))


def disconnect_host(lab: Lab, host: str) -> None:
    """Disconnect the host from vCenter."""
    wait(lab.conn, lab.host(host).DisconnectHost_Task())


def reconnect_host(lab: Lab, host: str) -> None:
    """Reconnect the host to vCenter."""
    wait(lab.conn, lab.host(host).ReconnectHost_Task())


def configure_evc(lab: Lab, mode: str) -> None:
    """Configure EVC on the lab's cluster at `mode`."""
    lab.configure_evc(mode)


def migrate(lab: Lab, vm: str, host: str | None = None, datastore: str | None = None,
            network: str | None = None) -> None:
    """Migrate the VM (compute, storage or both), as lab.migrate does."""
    lab.migrate(vm, host=host, datastore=datastore, network=network)


_CONFIGURE = Text("{host} > Configure > Networking > VMkernel adapters > vmk0 > Edit",
                  "{host} > Configurer > Réseau > Adaptateurs VMkernel > vmk0 > Modifier")

ACTIONS: dict[str, Action] = {
    "disable_vmotion": Action(
        lambda lab, host: lab.disable_vmotion(host, "vmk0"),
        Text("{path} > uncheck vMotion", "{path} > décocher vMotion", path=_CONFIGURE),
        ("govc host.vnic.service -host {host} -enable=false vmotion vmk0",)),
    "enable_vmotion": Action(
        lambda lab, host: lab.enable_vmotion(host, "vmk0"),
        Text("{path} > check vMotion", "{path} > cocher vMotion", path=_CONFIGURE),
        ("govc host.vnic.service -host {host} -enable vmotion vmk0",)),
    "migrate": Action(
        migrate,
        Text("right-click {vm} > Migrate... > {kind}: {where}",
             "clic droit sur {vm} > Migrer... > {kind} : {where}"),
        ("govc vm.migrate -host {host} -ds {datastore} -net {network} {vm}",)),
    "add_disk": Action(
        add_disk,
        Text("right-click {vm} > Edit Settings > Add New Device > Hard Disk, 1 GB, location "
             "{datastore}",
             "clic droit sur {vm} > Modifier les paramètres > Ajouter un périphérique > "
             "Disque dur, 1 Go, emplacement {datastore}"),
        ("govc datastore.mkdir -p -ds {datastore} {vm}",
         "govc vm.disk.create -vm {vm} -ds {datastore} -name {vm}/{vm}_scratch -size 1G")),
    "remove_disk": Action(
        remove_disk,
        Text("right-click {vm} > Edit Settings > the disk on {datastore} > remove, delete "
             "files from datastore",
             "clic droit sur {vm} > Modifier les paramètres > le disque sur {datastore} > "
             "supprimer, avec ses fichiers")),
    "add_cdrom": Action(
        add_cdrom,
        Text("right-click {vm} > Edit Settings > Add New Device > CD/DVD Drive > Datastore ISO "
             "File [{datastore}] " + ISO + " > check Connected",
             "clic droit sur {vm} > Modifier les paramètres > Ajouter un périphérique > "
             "Lecteur CD/DVD > Fichier ISO de banque de données [{datastore}] " + ISO
             + " > cocher Connecté"),
        ("govc datastore.mkdir -p -ds {datastore} iso",
         "DEVICE=$(govc device.cdrom.add -vm {vm})",
         "govc device.cdrom.insert -vm {vm} -device $DEVICE -ds {datastore} " + ISO,
         "govc device.connect -vm {vm} $DEVICE")),
    "disconnect_cdrom": Action(
        disconnect_cdrom,
        Text("right-click {vm} > Edit Settings > CD/DVD drive > uncheck Connected and "
             "Connect At Power On",
             "clic droit sur {vm} > Modifier les paramètres > Lecteur CD/DVD > décocher "
             "Connecté et Connecter lors de la mise sous tension"),
        ("DEVICE=$(govc device.ls -vm {vm} | grep -o '^cdrom-[0-9]*')",
         "govc device.disconnect -vm {vm} $DEVICE")),
    "remove_cdrom": Action(
        remove_cdrom,
        Text("right-click {vm} > Edit Settings > CD/DVD drive > remove",
             "clic droit sur {vm} > Modifier les paramètres > Lecteur CD/DVD > supprimer")),
    "disconnect_nic": Action(
        disconnect_nic,
        Text("right-click {vm} > Edit Settings > Network adapter 1 > uncheck Connected",
             "clic droit sur {vm} > Modifier les paramètres > Adaptateur réseau 1 > décocher "
             "Connecté")),
    "remove_port_group": Action(
        remove_port_group,
        Text("{host} > Configure > Networking > Virtual switches > vSwitch0 > port group "
             "'{network}' > Remove",
             "{host} > Configurer > Réseau > Commutateurs virtuels > vSwitch0 > groupe de "
             "ports '{network}' > Supprimer"),
        ("govc host.portgroup.remove -host {host} {network}",)),
    "add_port_group": Action(
        add_port_group,
        Text("{host} > Configure > Networking > Virtual switches > vSwitch0 > Add Networking > "
             "Virtual Machine Port Group, name '{network}', VLAN 0",
             "{host} > Configurer > Réseau > Commutateurs virtuels > vSwitch0 > Ajouter une "
             "mise en réseau > Groupe de ports de machine virtuelle, nom '{network}', VLAN 0"),
        ("govc host.portgroup.add -host {host} -vswitch vSwitch0 {network}",)),
    "enter_maintenance": Action(
        lambda lab, host: lab.enter_maintenance(host),
        Text("right-click {host} > Maintenance Mode > Enter Maintenance Mode",
             "clic droit sur {host} > Mode maintenance > Entrer en mode maintenance"),
        ("govc host.maintenance.enter {host}",)),
    "exit_maintenance": Action(
        lambda lab, host: lab.exit_maintenance(host),
        Text("right-click {host} > Maintenance Mode > Exit Maintenance Mode",
             "clic droit sur {host} > Mode maintenance > Quitter le mode maintenance"),
        ("govc host.maintenance.exit {host}",)),
    "disconnect_host": Action(
        disconnect_host,
        Text("right-click {host} > Connection > Disconnect",
             "clic droit sur {host} > Connexion > Déconnecter"),
        ("govc host.disconnect {host}",)),
    "reconnect_host": Action(
        reconnect_host,
        Text("right-click {host} > Connection > Connect",
             "clic droit sur {host} > Connexion > Connecter"),
        ("govc host.reconnect {host}",)),
    "disable_evc": Action(
        lambda lab: lab.disable_evc(),
        Text("{cluster} > Configure > VMware EVC > Edit > Disable EVC (vCenter only: no govc "
             "command; PowerCLI Set-Cluster -EVCMode $null)",
             "{cluster} > Configurer > VMware EVC > Modifier > Désactiver EVC (vCenter "
             "uniquement : pas de commande govc ; PowerCLI Set-Cluster -EVCMode $null)")),
    "configure_evc": Action(
        configure_evc,
        Text("{cluster} > Configure > VMware EVC > Edit > Enable EVC for Intel hosts, mode "
             "{mode} (PowerCLI Set-Cluster -EVCMode {mode})",
             "{cluster} > Configurer > VMware EVC > Modifier > Activer EVC pour les hôtes "
             "Intel, mode {mode} (PowerCLI Set-Cluster -EVCMode {mode})")),
    "power_off": Action(
        lambda lab, vm: lab.power_off(vm),
        Text("right-click {vm} > Power > Power Off", "clic droit sur {vm} > Alimentation > "
             "Mettre hors tension"),
        ("govc vm.power -off {vm}",)),
    "power_on": Action(
        lambda lab, vm: lab.power_on(vm),
        Text("right-click {vm} > Power > Power On", "clic droit sur {vm} > Alimentation > "
             "Mettre sous tension"),
        ("govc vm.power -on {vm}",)),
}


def run(lab: Lab, action: str, args: dict[str, Any]) -> None:
    """Run the action `action` on the lab with resolved arguments."""
    ACTIONS[action].run(lab, **args)


def govc_lines(action: str, args: dict[str, Any]) -> list[str]:
    """Return the govc commands of an action for a shell; options without a value are left out.

    A whole-word value is quoted for the shell ('VM Network'); `$DEVICE` and `$(...)` stay
    as written.
    """
    lines = []
    for template in ACTIONS[action].govc:
        words, kept = template.split(" "), []
        for n, word in enumerate(words):
            whole = re.fullmatch(r"\{(\w+)\}", word)
            value_next = n + 1 < len(words) and re.fullmatch(r"\{(\w+)\}", words[n + 1])
            if word.startswith("-") and value_next and not args.get(value_next[1]):
                continue
            if whole:
                if args.get(whole[1]):
                    kept.append(shlex.quote(str(args[whole[1]])))
            else:
                kept.append(word.format(**args) if "{" in word else word)
        lines.append(" ".join(kept))
    return lines
