"""No sequence of calls, valid or not, from any client, may crash the lab simulator.

Bounded random sequences (fixed seeds) of migrations (compute, storage, both, to hosts and
datastores that may refuse them), power operations, EVC and maintenance calls, sent by
govc and raw pyVmomi, two clients at once. Afterwards the simulator answers and the
inventory is consistent: every VM's host mounts every datastore holding its files, and
every host's VM list matches the VMs' hosts. Stock vcsim fails this (it accepts any
relocation and then crashes on the next one), so it runs on the lab simulator only.
"""

import random
import threading

import pytest
from pyVmomi import vim, vmodl

from lablib import LabError, govc
from lablib.connection import Connection, Target
from lablib.tasks import wait

SEEDS = range(6)
STEPS = 30
HOSTS = ("ESXi_1", "ESXi_2")
DATASTORES = ("SharedDS", "ESXi_1-local", "ESXi_2-local")
VMS = ("vm-shared", "vm-local")
EVC = ("", "intel-cascadelake", "intel-icelake", "amd-zen")


@pytest.fixture
def lab_sim(lab):
    if lab.backend.simulated:
        pytest.skip("stock vcsim applies no rule and crashes on such sequences: the lab "
                    "simulator's extension is off")
    return lab


def _govc_step(rng: random.Random, sim_state) -> str:
    vm, host, ds = rng.choice(VMS), rng.choice(HOSTS), rng.choice(DATASTORES)
    command = rng.choice([
        f"govc vm.migrate -host {host} {vm}",
        f"govc vm.migrate -ds {ds} {vm}",
        f"govc vm.migrate -host {host} -ds {ds} {vm}",
        f"govc vm.power -on {vm}",
        f"govc vm.power -off -force {vm}",
        f"govc host.vnic.service -host {host} -enable={rng.choice(['true', 'false'])} "
        "vmotion vmk0",
        f"govc host.maintenance.enter -timeout 1 {host}",
        f"govc host.maintenance.exit {host}",
    ])
    govc.run(command, sim_state, timeout=60)  # refused or not: the server decides
    return command


def _pyvmomi_step(rng: random.Random, conn: Connection, found) -> str:
    vm, host = found(rng.choice(VMS)), found(rng.choice(HOSTS))
    ds = found(rng.choice(DATASTORES))
    kind = rng.choice(["relocate", "check", "evc", "power", "vnic"])
    try:
        if kind == "relocate":
            spec = vim.vm.RelocateSpec(host=rng.choice([host, None]),
                                       datastore=rng.choice([ds, None]))
            wait(conn, vm.RelocateVM_Task(spec=spec), timeout=60)
        elif kind == "check":
            wait(conn, conn.content.vmProvisioningChecker.CheckRelocate_Task(
                vm=vm, spec=vim.vm.RelocateSpec(host=host)), timeout=60)
        elif kind == "evc":
            manager = found("Cluster").EvcManager()
            mode = rng.choice(EVC)
            task = manager.ConfigureEvcMode_Task(mode) if mode else manager.DisableEvcMode_Task()
            wait(conn, task, timeout=60)
        elif kind == "power":
            wait(conn, rng.choice([vm.PowerOnVM_Task, vm.PowerOffVM_Task,
                                   vm.SuspendVM_Task])(), timeout=60)
        else:
            manager = host.configManager.virtualNicManager
            rng.choice([manager.SelectVnicForNicType, manager.DeselectVnicForNicType])(
                "vmotion", rng.choice(["vmk0", "vmk9"]))
    except (vmodl.MethodFault, LabError):  # a refusal is an answer, not a crash
        pass
    return kind


def _objects(conn: Connection):
    view = conn.content.viewManager.CreateContainerView(
        conn.content.rootFolder, [vim.VirtualMachine, vim.HostSystem, vim.Datastore,
                                  vim.ClusterComputeResource], True)
    objects = {obj.name: obj for obj in view.view}
    view.DestroyView()
    return objects.__getitem__


def _consistent(conn: Connection) -> None:
    found = _objects(conn)
    for name in VMS:
        vm = found(name)
        host = vm.runtime.host
        mounted = {ds.name for ds in host.datastore}
        files = {p[1:].split("]")[0] for p in [vm.config.files.vmPathName] + [
            d.backing.fileName for d in vm.config.hardware.device
            if isinstance(d, vim.vm.device.VirtualDisk)]}
        assert files <= mounted, f"{name} on {host.name} has files on {files - mounted}"
        assert {ds.name for ds in vm.datastore} == files
    for name in HOSTS:
        host = found(name)
        listed = {vm.name for vm in host.vm}
        running_here = {n for n in VMS if found(n).runtime.host == host}
        assert listed == running_here, f"{name} lists {listed}, runs {running_here}"


@pytest.mark.parametrize("seed", SEEDS)
def test_random_sequences_from_two_clients_never_crash_the_simulator(lab_sim, seed):
    sim_state = lab_sim.sim_state
    conn = Connection(Target.from_url(sim_state.url))
    found = _objects(conn)
    errors: list[BaseException] = []

    def client(name, step) -> None:
        rng = random.Random(f"{seed}-{name}")
        try:
            for _ in range(STEPS):
                step(rng)
        except BaseException as exc:  # reported after both clients end
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(
                   "govc", lambda rng: _govc_step(rng, sim_state))),
               threading.Thread(target=client, args=(
                   "pyvmomi", lambda rng: _pyvmomi_step(rng, conn, found)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    assert not errors, errors
    for name in HOSTS:  # let pending maintenance tasks end before reading the state
        host = found(name)
        if host.runtime.inMaintenanceMode:
            wait(conn, host.ExitMaintenanceMode_Task(timeout=0), timeout=60)
    assert lab_sim.status().ready  # it still answers, with the whole lab
    _consistent(conn)
    conn.close()
