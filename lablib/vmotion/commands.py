"""The govc and PowerCLI equivalents of each lablib operation, for the labs to show.

`GOVC_COMMANDS[operation]` is (command template, vcsim_supported): whether the lab
simulator (the kit's vcsim with its extension, docker/go/README.md) serves the command
as vCenter does. It serves every template here: govc meets the same state and the same
refusals as lablib. Nothing is vCenter-only by nature; what govc lacks is a command
(template None: no EVC command, no CheckRelocate command), and `VCSIM_NOTES` says so,
with what the lab simulator models and where govc differs from lablib. On the public
vmware/vcsim image, lablib's fallback keeps the vMotion state in custom fields that
govc does not read, and govc goes around its rules. The tests run every template
against the lab simulator.
Templates use the lab's names: {vm}, {host}, {datastore}, {network}, {device},
{cluster}, {mode}, {limit}; {vm_path} and {cluster_path} are inventory paths.
Sources: docs/vsphere-facts.md §1-§6 (PowerCLI names marked UNCONFIRMED there are kept).
"""

from __future__ import annotations

from typing import NamedTuple

from ..errors import InputError, Unsupported


class GovcCommand(NamedTuple):
    """A govc command template and whether the lab simulator serves it."""

    template: str | None
    vcsim_supported: bool


GOVC_COMMANDS: dict[str, GovcCommand] = {
    "placement": GovcCommand("govc vm.info {vm}", True),
    "vmotion_vmks": GovcCommand("govc host.vnic.info -host {host}", True),
    "enable_vmotion": GovcCommand("govc host.vnic.service -host {host} -enable vmotion {device}",
                                  True),
    "disable_vmotion": GovcCommand(
        "govc host.vnic.service -host {host} -enable=false vmotion {device}", True),
    "evc_mode": GovcCommand("govc object.collect -s {cluster_path} summary.currentEVCModeKey",
                            True),
    "configure_evc": GovcCommand(None, False),
    "disable_evc": GovcCommand(None, False),
    "cpu_baseline": GovcCommand(
        "govc object.collect -s {vm_path} runtime.minRequiredEVCModeKey", True),
    "power_on": GovcCommand("govc vm.power -on {vm}", True),
    "power_off": GovcCommand("govc vm.power -off {vm}", True),
    "precheck": GovcCommand(None, False),
    "migrate_compute": GovcCommand("govc vm.migrate -host {host} {vm}", True),
    "migrate_storage": GovcCommand("govc vm.migrate -ds {datastore} {vm}", True),
    "migrate_both": GovcCommand("govc vm.migrate -host {host} -ds {datastore} {vm}", True),
    "migrate_network": GovcCommand("govc vm.migrate -host {host} -net {network} {vm}", True),
    "enter_maintenance": GovcCommand("govc host.maintenance.enter {host}", True),
    "exit_maintenance": GovcCommand("govc host.maintenance.exit {host}", True),
    "rebalance": GovcCommand("govc object.collect -o -json {cluster_path} recommendation",
                             True),
    "tasks": GovcCommand("govc tasks -n {limit}", True),
    "events": GovcCommand("govc events -n {limit} -type VmMigratedEvent {vm_path}", True),
}

VCSIM_NOTES = {
    "vmotion_vmks": "Lists each VMkernel adapter with its IP (modelled from the course's "
                    "host profile) and its enabled services.",
    "evc_mode": "An empty line when EVC is off.",
    "configure_evc": "govc has no EVC command: use pyVmomi, PowerCLI or the vSphere Client.",
    "disable_evc": "govc has no EVC command: use pyVmomi, PowerCLI or the vSphere Client.",
    "cpu_baseline": "Set at power-on, kept until power-off; the lab simulator also sets it "
                    "outside EVC, to the host's best mode (modelled).",
    "precheck": "govc has no command for CheckRelocate_Task; a refused govc vm.migrate "
                "prints the server's first error.",
    "enter_maintenance": "Waits while powered-on VMs remain on the host (DRS manual): move "
                         "them first, or add -timeout. lablib evacuates them first.",
    "rebalance": "Reads the server's DRS recommendations (load modelled); govc has no "
                 "command to apply one (ApplyRecommendation).",
}

POWERCLI: dict[str, str | None] = {
    "placement": "Get-VM {vm} | Select-Object Name, VMHost, PowerState",
    "vmotion_vmks": "Get-VMHostNetworkAdapter -VMHost {host} -VMKernel | "
                    "Select-Object Name, VMotionEnabled",
    "enable_vmotion": "Get-VMHostNetworkAdapter -VMHost {host} -Name {device} | "
                      "Set-VMHostNetworkAdapter -VMotionEnabled $true -Confirm:$false",
    "disable_vmotion": "Get-VMHostNetworkAdapter -VMHost {host} -Name {device} | "
                       "Set-VMHostNetworkAdapter -VMotionEnabled $false -Confirm:$false",
    "evc_mode": "(Get-Cluster {cluster}).EVCMode",
    "configure_evc": "Set-Cluster -Cluster {cluster} -EVCMode {mode} -Confirm:$false",
    "disable_evc": "Set-Cluster -Cluster {cluster} -EVCMode $null -Confirm:$false",
    "cpu_baseline": "(Get-VM {vm}).ExtensionData.Runtime.MinRequiredEVCModeKey",
    "power_on": "Start-VM -VM {vm}",
    "power_off": "Stop-VM -VM {vm} -Confirm:$false",
    "precheck": None,
    "migrate_compute": "Move-VM -VM {vm} -Destination (Get-VMHost {host})",
    "migrate_storage": "Move-VM -VM {vm} -Datastore {datastore}",
    "migrate_both": "Move-VM -VM {vm} -Destination (Get-VMHost {host}) -Datastore {datastore}",
    "migrate_network": "Move-VM -VM {vm} -Destination (Get-VMHost {host}) -NetworkAdapter "
                       "(Get-NetworkAdapter -VM {vm}) -PortGroup (Get-VirtualPortGroup "
                       "-Name '{network}')",
    "enter_maintenance": "Set-VMHost -VMHost {host} -State Maintenance",
    "exit_maintenance": "Set-VMHost -VMHost {host} -State Connected",
    "rebalance": "Get-DrsRecommendation -Cluster {cluster} -Refresh",
    "tasks": "Get-Task",
    "events": "Get-VIEvent -Entity {vm} -MaxSamples {limit}",
}


def govc_command(operation: str, **names) -> str:
    """Return the govc command of `operation` with the lab's names filled in.

    Raises:
        InputError: unknown operation or a missing name.
        Unsupported: govc has no command for it.
    """
    if operation not in GOVC_COMMANDS:
        raise InputError(f"No operation '{operation}'. Operations: "
                         f"{', '.join(GOVC_COMMANDS)}.")
    template = GOVC_COMMANDS[operation].template
    if template is None:
        raise Unsupported(f"govc has no command for {operation}: "
                          f"{VCSIM_NOTES.get(operation, '')}".rstrip(": "))
    try:
        return template.format(**{k: _quoted(v) for k, v in names.items()})
    except KeyError as missing:
        raise InputError(f"The govc command for {operation} needs {missing}.") from None


def _quoted(value) -> str:
    text = str(value)
    return f"'{text}'" if " " in text else text
