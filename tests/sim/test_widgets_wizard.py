"""MigrationWizard on the simulator: set the controls, press the buttons, read the inventory.

Each refusal the course teaches is one test: no vMotion VMkernel adapter, the VM on a
local datastore, CPU generations without EVC, and a refusal at migrate time after a
passing check. Success is read back from the inventory with lablib, not from the widget.
"""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from lablib.errors import InputError, OperationRefused  # noqa: E402
from lablib.widgets import LabDashboard, MigrationWizard  # noqa: E402


def enable_vmotion(lab):
    for host in (lab.roles.source_host, lab.roles.destination_host):
        lab.enable_vmotion(host)


def configure_evc(lab):
    """EVC at the older host's generation; the VMs power-cycle to take the baseline."""
    roles = lab.roles
    for vm in (roles.vm, roles.local_vm):
        lab.power_off(vm)
    lab.configure_evc(lab.facts.snapshot().host(roles.destination_host).max_evc)
    for vm in (roles.vm, roles.local_vm):
        lab.power_on(vm)


@pytest.fixture
def ready(lab):
    """The lab with the course's prerequisites done: vMotion on vmk0 of both hosts, EVC."""
    enable_vmotion(lab)
    configure_evc(lab)
    return lab


def failing_rules(wizard):
    return sorted(f.rule for f in wizard.checked if not f.ok)


def greyed(wizard):
    return sorted(a.get_gid()[len("greyed:"):] for a in wizard.figure.axes[0].get_children()
                  if (a.get_gid() or "").startswith("greyed:"))


def test_compute_migration_with_the_buttons(ready):
    lab, roles = ready, ready.roles
    board = LabDashboard(lab, topology=False, lang="en")
    wizard = MigrationWizard(lab, roles.vm, dashboard=board, lang="en", progress_mode="widget")
    wizard.host.value = roles.destination_host
    wizard.check_button.click()
    assert wizard.error is None, wizard.error
    assert wizard.checked.ok and not wizard.migrate_button.disabled
    assert "Check passed" in wizard.findings.value
    assert "simulated by lablib" in wizard.findings.value      # vMotion and EVC rows
    wizard.migrate_button.click()
    assert wizard.error is None, wizard.error
    placement = lab.placement(roles.vm)
    assert (placement.host, placement.datastores) == (roles.destination_host,
                                                      (roles.shared_datastore,))
    assert wizard.result.before.host == roles.source_host
    assert wizard.progress.bar.bar_style == "success"
    assert f"{roles.vm} migrated" in wizard.summary.value
    assert "Migration of virtual machine" in wizard.summary.value   # the event line
    assert wizard.migrate_button.disabled
    assert wizard.host.options == (roles.source_host,)
    gids = {a.get_gid() for a in wizard.figure.axes[0].get_children()}
    assert {"move:host", f"ghost:{roles.vm}"} <= gids
    vms = next(t for t in board.report.tables if t.title == "VMs")
    assert [roles.destination_host] == [row[1] for row in vms.rows if row[0] == roles.vm]


def test_no_vmotion_vmknic_fails_the_check_and_lab_migrate_refuses(lab):
    roles = lab.roles
    configure_evc(lab)
    wizard = MigrationWizard(lab, roles.vm, lang="en")
    precheck = wizard.check()
    assert not precheck.ok and wizard.migrate_button.disabled
    assert failing_rules(wizard) == ["vmotion-network"] * 2      # one row per host
    assert "enable_vmotion" in wizard.findings.value
    assert set(greyed(wizard)) >= {roles.source_host, roles.destination_host}
    with pytest.raises(InputError):
        wizard.migrate()
    with pytest.raises(OperationRefused):       # the plain function refuses as well
        lab.migrate(roles.vm, host=roles.destination_host)
    assert lab.placement(roles.vm).host == roles.source_host


def test_local_storage_fails_compute_only_and_passes_with_storage(ready):
    lab, roles = ready, ready.roles
    wizard = MigrationWizard(lab, roles.local_vm, lang="en")
    assert not wizard.check().ok
    assert failing_rules(wizard) == ["shared-storage"]
    assert roles.local_datastore in greyed(wizard)
    mounts = sorted(a.get_gid() for a in wizard.figure.axes[0].get_children()
                    if (a.get_gid() or "").startswith("mount:")
                    and a.get_gid().endswith(f":{roles.local_datastore}"))
    assert mounts == [f"mount:{roles.source_host}:{roles.local_datastore}"]
    wizard.select(kind="compute+storage", datastore=roles.shared_datastore)
    assert wizard.migrate_button.disabled                    # a choice changed
    assert wizard.check().ok
    result = wizard.migrate()
    assert result.kind == "compute+storage"
    placement = lab.placement(roles.local_vm)
    assert (placement.host, placement.datastores) == (roles.destination_host,
                                                      (roles.shared_datastore,))


def test_cpu_generations_without_evc_fail_the_check(lab):
    roles = lab.roles
    enable_vmotion(lab)
    wizard = MigrationWizard(lab, roles.vm, lang="fr")
    assert not wizard.check().ok
    assert failing_rules(wizard) == ["cpu"]
    assert "Vérification échouée" in wizard.findings.value
    assert "simulé par lablib" in wizard.findings.value
    assert roles.destination_host in greyed(wizard)


def test_storage_only_migration(ready):
    lab, roles = ready, ready.roles
    wizard = MigrationWizard(lab, roles.vm, progress_mode="widget")
    wizard.select(kind="storage")
    assert wizard.datastore.value == roles.local_datastore    # one the VM's host mounts
    assert wizard.check().ok
    wizard.migrate()
    placement = lab.placement(roles.vm)
    assert (placement.host, placement.datastores) == (roles.source_host,
                                                      (roles.local_datastore,))
    gids = {a.get_gid() for a in wizard.figure.axes[0].get_children()}
    assert "move:datastore" in gids and "move:host" not in gids


def test_a_refusal_at_migrate_time_is_shown_and_changes_nothing(ready):
    lab, roles = ready, ready.roles
    wizard = MigrationWizard(lab, roles.vm, topology=False, lang="en", progress_mode="widget")
    assert wizard.check().ok
    lab.disable_vmotion(roles.destination_host)      # changed behind the wizard's back
    wizard.migrate_button.click()
    assert wizard.error.startswith("MigrationRefused: ")
    assert wizard.output.outputs[-1]["name"] == "stderr"
    assert "Traceback" not in wizard.error             # a refusal, not a traceback
    assert wizard.progress.bar.bar_style == "danger"
    assert "Migration refused" in wizard.summary.value
    assert lab.placement(roles.vm).host == roles.source_host
    assert not wizard.check_button.disabled


def test_check_reads_what_a_cell_changed_since_the_wizard_was_made(lab):
    roles = lab.roles
    wizard = MigrationWizard(lab, roles.vm, lang="en")
    assert "vmotion:" + roles.source_host not in {
        a.get_gid() for a in wizard.figure.axes[0].get_children()}
    enable_vmotion(lab)                              # in another cell, after the wizard
    configure_evc(lab)
    assert wizard.check().ok
    gids = {a.get_gid() for a in wizard.figure.axes[0].get_children()}
    assert {f"vmotion:{roles.source_host}", f"vmotion:{roles.destination_host}"} <= gids
