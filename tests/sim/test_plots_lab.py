"""The topology and load figures of the seeded lab, read from the simulator."""

import matplotlib

matplotlib.use("Agg")

from pyVmomi import vim  # noqa: E402

from lablib.plots import plot_load, plot_topology, vm_sizes  # noqa: E402
from lablib.tasks import wait  # noqa: E402
from vmotion_setup import prepare  # noqa: E402


def _gids(fig, prefix):
    return sorted(a.get_gid() for a in fig.axes[0].get_children()
                  if a.get_gid() and a.get_gid().startswith(prefix))


def test_the_seeded_lab_has_its_hosts_vms_datastores_and_mount_lines(any_lab):
    lab = any_lab
    fig = plot_topology(lab)
    texts = [t.get_text() for t in fig.axes[0].texts]
    evc = "EVC: off*" if lab.backend.simulated else "EVC: off"  # simulated by lablib
    for name in ("ESXi_1", "ESXi_2", "vm-shared", "vm-local", "SharedDS", "ESXi_1-local",
                 "ESXi_2-local", "Cluster", evc):
        assert name in texts
    assert _gids(fig, "mount:") == [
        "mount:ESXi_1:ESXi_1-local", "mount:ESXi_1:SharedDS",
        "mount:ESXi_2:ESXi_2-local", "mount:ESXi_2:SharedDS"]
    assert _gids(fig, "vmotion:") == []          # the course starts with vMotion nowhere
    assert _gids(fig, "greyed:") == []


def test_a_vmotion_vmknic_connects_the_host(lab):
    lab.enable_vmotion("ESXi_2")
    assert _gids(plot_topology(lab.facts.snapshot()), "vmotion:") == ["vmotion:ESXi_2"]


def test_load_before_and_after_a_relocation(lab):
    sizes = vm_sizes(lab)
    assert sizes == {"vm-shared": (2, 4096), "vm-local": (2, 4096)}
    prepare(lab)
    before = lab.facts.snapshot()
    wait(lab.conn, lab.vm("vm-shared").RelocateVM_Task(
        vim.vm.RelocateSpec(host=lab.host("ESXi_2"))))
    fig = plot_load(before, lab)                 # a Lab is read now, sizes included
    vms = next(ax for ax in fig.axes if ax.get_label() == "vms")
    heights = {c.get_label(): [b.get_height() for b in c] for c in vms.containers
               if not c.get_label().startswith("_")}
    assert heights == {"before": [2, 0], "after": [1, 1]}
    assert [ax.get_label() for ax in fig.axes] == ["vms", "cpus", "memory"]


def test_load_before_and_after_an_evacuation(lab):
    roles = lab.roles
    for host in (roles.source_host, roles.destination_host):
        lab.enable_vmotion(host)
    for vm in (roles.vm, roles.local_vm):          # EVC at the older generation
        lab.power_off(vm)
    lab.configure_evc(lab.facts.snapshot().host(roles.destination_host).max_evc)
    lab.power_on(roles.vm)                         # vm-local stays off: it can stay behind
    before = lab.facts.snapshot()
    lab.enter_maintenance(roles.source_host, evacuate=True)
    fig = plot_load(before, lab.facts.snapshot(), sizes=vm_sizes(lab),
                    labels=("before", "in maintenance"))
    axes = {ax.get_label(): ax for ax in fig.axes}
    cpus = {c.get_label(): [b.get_height() for b in c] for c in axes["cpus"].containers
            if not c.get_label().startswith("_")}
    assert cpus == {"before": [2, 0], "in maintenance": [0, 2]}
    ticks = [t.get_text() for t in axes["vms"].get_xticklabels()]
    assert ticks == [f"{roles.source_host}\n(maintenance)", roles.destination_host]
