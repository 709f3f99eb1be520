"""MigrationWizard's own logic, on a stand-in Lab that follows the API contract.

The stand-in answers precheck/migrate like lablib's rules would for the course lab
(vMotion vmknic on both hosts, the destination mounts the VM's datastore), so the
dialog's behaviour is tested without a server: what is offered for each migration
type, Migrate enabled only after a passing check of the current choices, errors shown
in the Output. tests/sim/test_widgets_wizard.py runs the dialog on the simulator.
"""

import dataclasses
import datetime
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from pyVmomi import vim  # noqa: E402

from lablib.config import Roles  # noqa: E402
from lablib.errors import InputError, NotFoundError, OperationRefused  # noqa: E402
from lablib.lab import Placement  # noqa: E402
from lablib.widgets import MigrationWizard  # noqa: E402
from lablib.widgets.wizard import findings_html  # noqa: E402

from lab_snapshots import course  # noqa: E402


@dataclasses.dataclass
class Finding:
    rule: str
    ok: bool
    message: str
    fix: str = ""
    prerequisite: str = ""
    fault: object = None
    simulated: bool = False
    warning: bool = False


class Precheck(list):
    @property
    def ok(self):
        return all(f.ok for f in self)


class StandInLab:
    """What the wizard uses of a Lab: roles, facts.snapshot, vm, precheck, migrate."""

    def __init__(self, vmotion=("ESXi_1", "ESXi_2")):
        self.roles = Roles()
        self.vmotion = set(vmotion)
        self.placements = {"vm-shared": ("ESXi_1", "SharedDS", "poweredOn"),
                           "vm-local": ("ESXi_1", "ESXi_1-local", "poweredOn")}
        self.facts = SimpleNamespace(snapshot=self.snapshot)
        self.calls = []

    def snapshot(self):
        return course(vmotion=self.vmotion, vms=self.placements)

    def vm(self, name):
        if name not in self.placements:
            raise NotFoundError(f"No VM '{name}'.")
        return name

    def precheck(self, vm, host=None, datastore=None, network=None):
        self.calls.append(("precheck", vm, host, datastore, network))
        src, ds, _ = self.placements[vm]
        dst = host or src
        findings = Precheck()
        for h in sorted({src, dst}):
            findings.append(Finding("vmotion_vmk", h in self.vmotion,
                                    f"{h} has vMotion on vmk0." if h in self.vmotion else
                                    f"vMotion is not enabled on any VMkernel adapter of {h}.",
                                    fix=f"lab.enable_vmotion('{h}')", simulated=True))
        target = datastore or ds
        mounted = dst == "ESXi_2" and target in ("SharedDS", "ESXi_2-local") or \
            dst == "ESXi_1" and target in ("SharedDS", "ESXi_1-local")
        findings.append(Finding("shared_storage", mounted,
                                f"{dst} mounts {target}." if mounted else
                                f"{vm}'s files are on {target}, which {dst} does not mount.",
                                fix="Change both compute resource and storage."))
        return findings

    def migrate(self, vm, host=None, datastore=None, network=None, on_progress=None):
        self.calls.append(("migrate", vm, host, datastore, network))
        before = self.placement(vm)
        findings = self.precheck(vm, host, datastore, network)
        if not findings.ok:
            raise OperationRefused("The migration is refused.", findings=findings)
        on_progress(_info("running"), 0.5)
        src, ds, power = self.placements[vm]
        self.placements[vm] = (host or src, datastore or ds, power)
        on_progress(_info("success"), 1.0)
        return SimpleNamespace(vm=vm, kind="compute", before=before, after=self.placement(vm),
                               task="RelocateVM_Task on 'vm-shared': success",
                               seconds=1.0, event="vm-shared migrated from ESXi_1 to ESXi_2")

    def placement(self, vm):
        host, ds, power = self.placements[vm]
        return Placement(vm, host, (ds,), power)


def _info(state):
    return vim.TaskInfo(key="task-1", task=vim.Task("task-1"),
                        descriptionId="VirtualMachine.relocate", entityName="vm-shared",
                        state=state, cancelable=False, cancelled=False,
                        reason=vim.TaskReasonUser(userName="student"),
                        queueTime=datetime.datetime(2026, 1, 1), eventChainId=1)


@pytest.fixture
def lab():
    return StandInLab()


def _shown(control):
    return control.layout.display != "none"


def test_starts_with_the_lab_vm_and_a_compute_migration(lab):
    wizard = MigrationWizard(lab, lang="en", topology=False)
    assert wizard.vm.value == "vm-shared"
    assert wizard.kind.value == "compute"
    assert [label for label, _ in wizard.kind.options] == [
        "Change compute resource only", "Change storage only",
        "Change both compute resource and storage"]
    assert wizard.host.options == ("ESXi_2",)           # not the host it runs on
    assert wizard.network.value == "VM Network"
    assert wizard.choice() == {"vm": "vm-shared", "host": "ESXi_2"}
    assert wizard.migrate_button.disabled


def test_french_labels_follow_the_vsphere_client(lab):
    wizard = MigrationWizard(lab, lang="fr", topology=False)
    assert [label for label, _ in wizard.kind.options] == [
        "Changer uniquement la ressource de calcul", "Changer uniquement le stockage",
        "Changer à la fois la ressource de calcul et le stockage"]
    assert (wizard.check_button.description, wizard.migrate_button.description) == \
        ("Vérifier", "Migrer")


@pytest.mark.parametrize("kind, host, datastore, network", [
    ("compute", True, False, True),
    ("storage", False, True, False),
    ("compute+storage", True, True, True),
])
def test_only_the_destinations_the_type_needs_are_offered(lab, kind, host, datastore, network):
    wizard = MigrationWizard(lab, topology=False)
    wizard.select(kind=kind)
    assert (_shown(wizard.host), _shown(wizard.datastore), _shown(wizard.network)) == \
        (host, datastore, network)
    expected = {"vm"} | ({"host"} if host else set()) | ({"datastore"} if datastore else set())
    assert set(wizard.choice()) == expected


def test_storage_choices_leave_out_the_datastore_the_vm_is_on(lab):
    wizard = MigrationWizard(lab, topology=False)
    wizard.select(kind="storage")
    assert wizard.datastore.options == ("ESXi_1-local", "ESXi_2-local")
    wizard.select(vm="vm-local")
    assert wizard.datastore.options == ("ESXi_2-local", "SharedDS")


def test_check_then_migrate(lab):
    wizard = MigrationWizard(lab, lang="en")
    wizard.check_button.click()
    assert wizard.error is None
    assert wizard.checked.ok and not wizard.migrate_button.disabled
    assert "Check passed" in wizard.findings.value
    assert wizard.findings.value.count("class='lablib-ok'") == 3
    assert "simulated by lablib" in wizard.findings.value
    wizard.migrate_button.click()
    assert wizard.error is None, wizard.error
    assert lab.placements["vm-shared"][0] == "ESXi_2"
    assert ("migrate", "vm-shared", "ESXi_2", None, None) in lab.calls
    assert wizard.progress.bar.bar_style == "success"
    assert "vm-shared migrated (Change compute resource only)" in wizard.summary.value
    assert "ESXi_1" in wizard.summary.value and "ESXi_2" in wizard.summary.value
    assert "RelocateVM_Task" in wizard.summary.value
    assert wizard.migrate_button.disabled            # the check is for the old placement
    assert wizard.host.options == ("ESXi_1",)       # offered from the inventory read again
    gids = {a.get_gid() for a in wizard.figure.axes[0].get_children()}
    assert {"move:host", "ghost:vm-shared"} <= gids
    assert "vm-shared migrated" in wizard.output.outputs[-1]["text"]


def test_a_failed_check_keeps_migrate_disabled_and_shows_the_fix(lab):
    lab.vmotion = {"ESXi_1"}
    wizard = MigrationWizard(lab, lang="en")
    precheck = wizard.check()
    assert not precheck.ok and wizard.migrate_button.disabled
    html = wizard.findings.value
    assert "Check failed" in html and "class='lablib-fail'" in html
    assert "lab.enable_vmotion(&#x27;ESXi_2&#x27;)" in html
    gids = {a.get_gid() for a in wizard.figure.axes[0].get_children()}
    assert "greyed:ESXi_2" in gids and "greyed:ESXi_1" not in gids


def test_any_change_of_a_choice_disables_migrate_again(lab):
    wizard = MigrationWizard(lab, topology=False)
    wizard.check()
    assert not wizard.migrate_button.disabled
    wizard.select(kind="compute+storage")
    assert wizard.datastore.value == "ESXi_2-local"   # one the destination host mounts
    assert wizard.migrate_button.disabled and wizard.checked is None
    assert "click Check again" in wizard.findings.value
    wizard.check()
    assert not wizard.migrate_button.disabled
    wizard.network.options = ("VM Network", "Other")
    wizard.network.value = "Other"
    assert wizard.migrate_button.disabled


def test_migrate_without_a_passing_check_is_refused_in_the_output(lab):
    wizard = MigrationWizard(lab, topology=False)
    with pytest.raises(InputError, match="Check the current choices first"):
        wizard.migrate()
    wizard.migrate_button.disabled = False          # as if forced from the browser console
    wizard.migrate_button.click()
    assert wizard.error.startswith("InputError: Check the current choices first")
    assert all(call[0] != "migrate" for call in lab.calls)


def test_local_storage_fails_the_check(lab):
    wizard = MigrationWizard(lab, "vm-local", lang="en")
    precheck = wizard.check()
    assert not precheck.ok
    assert "vm-local&#x27;s files are on ESXi_1-local, which ESXi_2 does not mount" in \
        wizard.findings.value
    gids = {a.get_gid() for a in wizard.figure.axes[0].get_children()}
    assert {"greyed:ESXi_1-local", "greyed:ESXi_2"} <= gids
    wizard.select(kind="compute+storage", datastore="SharedDS")
    assert wizard.check().ok


def test_a_refusal_at_migrate_time_is_red_and_in_the_output(lab):
    wizard = MigrationWizard(lab, topology=False)
    wizard.check()
    lab.vmotion = {"ESXi_1"}                         # someone disabled vMotion meanwhile
    wizard.migrate_button.click()
    assert wizard.error == "OperationRefused: The migration is refused."
    assert wizard.progress.bar.bar_style == "danger"
    assert "Migration refused" in wizard.summary.value
    assert "class='lablib-fail'" in wizard.findings.value
    assert lab.placements["vm-shared"][0] == "ESXi_1"
    assert not wizard.check_button.disabled


def test_select_refuses_what_is_not_offered(lab):
    wizard = MigrationWizard(lab, topology=False)
    with pytest.raises(InputError, match="'ESXi_1' is not offered here. Offered: ESXi_2"):
        wizard.select(host="ESXi_1")


def test_an_unknown_vm_is_a_not_found_error(lab):
    with pytest.raises(NotFoundError):
        MigrationWizard(lab, "vm-nope", topology=False)


def test_the_dashboard_is_refreshed_after_a_migration(lab):
    refreshed = []
    wizard = MigrationWizard(lab, topology=False,
                             dashboard=SimpleNamespace(refresh=lambda: refreshed.append(1)))
    wizard.check()
    wizard.migrate()
    assert refreshed == [1]


def test_findings_html_marks_a_list_of_findings():
    html = findings_html([Finding("cpu", False, "CPU of ESXi_2 lacks features.", fix="EVC")],
                         lang="en")
    assert "Check failed" in html and "EVC" in html and "✘" in html


def test_plain_text_representation(lab):
    wizard = MigrationWizard(lab, topology=False, lang="en")
    assert wizard._repr_mimebundle_()["text/plain"] == \
        "Change compute resource only: vm=vm-shared, host=ESXi_2"
