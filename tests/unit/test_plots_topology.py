"""The topology figure, drawn from hand-built snapshots: checked through its artists."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from lab_snapshots import course
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from lablib.errors import InputError
from lablib.plots.topology import GREY_FACE, greyed_objects, plot_topology


def _ax(fig):
    [ax] = fig.axes
    return ax


def _gids(fig, prefix=""):
    return sorted(a.get_gid() for a in _ax(fig).get_children()
                  if a.get_gid() and a.get_gid().startswith(prefix))


def _texts(fig):
    return [t.get_text() for t in _ax(fig).texts]


def _artist(fig, gid):
    [artist] = [a for a in _ax(fig).get_children() if a.get_gid() == gid]
    return artist


def test_returns_a_figure_pyplot_does_not_hold():
    fig = plot_topology(course())
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == []


def test_every_host_vm_and_datastore_is_named():
    fig = plot_topology(course())
    texts = _texts(fig)
    for name in ("Cluster", "ESXi_1", "ESXi_2", "vm-shared", "vm-local", "SharedDS",
                 "ESXi_1-local", "ESXi_2-local"):
        assert name in texts
    assert _gids(fig, "host:") == ["host:ESXi_1", "host:ESXi_2"]
    assert _gids(fig, "vm:") == ["vm:vm-local", "vm:vm-shared"]
    assert _gids(fig, "cluster:") == ["cluster:Cluster"]


def test_one_mount_line_per_host_and_datastore():
    fig = plot_topology(course())
    assert _gids(fig, "mount:") == [
        "mount:ESXi_1:ESXi_1-local", "mount:ESXi_1:SharedDS",
        "mount:ESXi_2:ESXi_2-local", "mount:ESXi_2:SharedDS"]


def test_the_local_datastore_of_vm_local_reaches_esxi_1_only():
    fig = plot_topology(course())
    to_local = [g for g in _gids(fig, "mount:") if g.endswith(":ESXi_1-local")]
    assert to_local == ["mount:ESXi_1:ESXi_1-local"]
    assert "local to ESXi_1 · 1000 GB free" in _texts(fig)
    assert "shared · 1000 GB free" in _texts(fig)


def test_layout_is_deterministic():
    first, second = plot_topology(course()), plot_topology(course())
    where = lambda fig: [(t.get_text(), t.get_position()) for t in _ax(fig).texts]  # noqa
    assert where(first) == where(second)


def test_the_vmotion_network_connects_only_hosts_with_vmotion():
    fig = plot_topology(course(vmotion=["ESXi_1"]))
    assert "vmotion-network" in _gids(fig)
    assert _gids(fig, "vmotion:") == ["vmotion:ESXi_1"]
    texts = _texts(fig)
    assert "vMotion: vmk0*" in texts and "no vMotion vmknic" in texts
    fig = plot_topology(course())
    assert _gids(fig, "vmotion:") == []


def test_emulated_values_are_marked_and_explained():
    texts = _texts(plot_topology(course(vmotion=["ESXi_1"])))
    assert "EVC: off*" in texts and "vmk0 192.168.1.170*" in texts
    assert any(t.startswith("* simulated by lablib") for t in texts)
    real = _texts(plot_topology(course(vmotion=["ESXi_1"], evc="intel-cascadelake",
                                       simulated=False)))
    assert "EVC: intel-cascadelake" in real and "vMotion: vmk0" in real
    assert not any(t.startswith("* simulated") for t in real)


def test_powered_off_vms_are_drawn_dashed():
    fig = plot_topology(course(vms={"vm-shared": ("ESXi_1", "SharedDS", "poweredOff")}))
    assert _artist(fig, "vm:vm-shared").get_linestyle() == "--"
    fig = plot_topology(course())
    assert _artist(fig, "vm:vm-shared").get_linestyle() == "-"


def test_a_compute_migration_has_an_arrow_to_the_destination_host():
    fig = plot_topology(course(), moving="vm-shared", destination="ESXi_2")
    arrow = _artist(fig, "move:host")
    assert isinstance(arrow, FancyArrowPatch)
    assert "ghost:vm-shared" in _gids(fig)
    assert "vm-shared (destination)" in _texts(fig)
    assert _artist(fig, "vm:vm-shared").get_linewidth() > 2   # highlighted
    assert "move:datastore" not in _gids(fig)
    assert fig.axes[0].get_title(loc="left") == "Lab topology — moving vm-shared"


def test_a_storage_migration_has_an_arrow_between_datastores():
    fig = plot_topology(course(), moving="vm-shared", destination="ESXi_1-local")
    assert "move:datastore" in _gids(fig)
    assert "move:host" not in _gids(fig)


def test_after_a_migration_the_arrow_comes_from_where_the_vm_was():
    after = course(vms={"vm-shared": ("ESXi_2", "ESXi_2-local", "poweredOn"),
                        "vm-local": ("ESXi_1", "ESXi_1-local", "poweredOn")})
    fig = plot_topology(after, moving="vm-shared",
                        source={"host": "ESXi_1", "datastore": ["SharedDS"]},
                        destination={"datastore": ["ESXi_2-local"]})
    assert {"move:host", "move:datastore", "ghost:vm-shared"} <= set(_gids(fig))
    assert "vm-shared (before)" in _texts(fig)


def test_failures_grey_the_objects_they_name_with_the_reason():
    class Finding:
        def __init__(self, ok, message):
            self.ok, self.message = ok, message

    findings = [Finding(True, "ESXi_1 and ESXi_2 are connected."),
                Finding(False, "vm-local's files are on ESXi_1-local, which ESXi_2 does "
                               "not mount.")]
    fig = plot_topology(course(), moving="vm-local", destination="ESXi_2", findings=findings)
    assert _gids(fig, "greyed:") == ["greyed:ESXi_1-local", "greyed:ESXi_2"]
    assert _artist(fig, "host:ESXi_2").get_facecolor() == \
        matplotlib.colors.to_rgba(GREY_FACE)
    assert _artist(fig, "host:ESXi_1").get_facecolor() != \
        matplotlib.colors.to_rgba(GREY_FACE)
    reason = _artist(fig, "reason:ESXi_2").get_text().replace("\n", " ")
    assert reason == "× vm-local's files are on ESXi_1-local, which ESXi_2 does not mount."


def test_names_match_whole_words_only():
    class Finding:
        ok, message = False, "ESXi_1-local is not mounted on the destination."

    assert greyed_objects(course(), [Finding()]) == {
        "ESXi_1-local": "ESXi_1-local is not mounted on the destination."}


def test_a_failure_naming_nothing_greys_the_destination():
    class Finding:
        ok, message = False, "The CPU of the destination lacks features the VM uses."

    fig = plot_topology(course(), moving="vm-shared", destination="ESXi_2",
                        findings=[Finding()])
    assert _gids(fig, "greyed:") == ["greyed:ESXi_2"]


def test_a_mapping_of_reasons_is_used_as_given():
    fig = plot_topology(course(), findings={"SharedDS": "full"})
    assert _gids(fig, "greyed:") == ["greyed:SharedDS"]
    assert _artist(fig, "reason:SharedDS").get_text() == "× full"


def test_a_host_in_maintenance_says_so():
    texts = _texts(plot_topology(course(maintenance=["ESXi_2"])))
    assert "ESXi_2 — maintenance mode" in texts


def test_french_labels():
    fig = plot_topology(course(vmotion=["ESXi_1"]), moving="vm-shared",
                        destination="ESXi_2", lang="fr")
    texts = _texts(fig)
    assert "réseau vMotion" in texts and "pas de vmknic vMotion" in texts
    assert "EVC : désactivé*" in texts
    assert fig.axes[0].get_title(loc="left") == "Topologie du lab — migration de vm-shared"


@pytest.mark.parametrize("kwargs, match", [
    ({"moving": "vm-nope"}, "No VM 'vm-nope'"),
    ({"moving": "vm-shared", "destination": "ESXi_9"}, "neither a host nor a datastore"),
    ({"lang": "de"}, "Unknown language"),
])
def test_bad_arguments_are_input_errors(kwargs, match):
    with pytest.raises(InputError, match=match):
        plot_topology(course(), **kwargs)


def test_anything_else_than_a_lab_or_snapshot_is_refused():
    with pytest.raises(InputError, match="Expected a Lab or a Facts snapshot"):
        plot_topology("ESXi_1")


def test_each_failure_is_one_reason_named_by_its_rule_and_objects():
    class Finding:
        def __init__(self, rule, objects, message):
            self.rule, self.ok, self.objects, self.message = rule, False, objects, message

    findings = [Finding("shared-storage", ("ESXi_1-local", "ESXi_2"), "Cannot access file."),
                Finding("cpu", ("ESXi_2",), "The CPU of the host is incompatible.")]
    assert greyed_objects(course(), findings) == {
        "ESXi_1-local": "shared storage: Cannot access file.",
        "ESXi_2": "shared storage: Cannot access file.\nCPU compatibility: The CPU of the host is "
                  "incompatible."}
    fig = plot_topology(course(), moving="vm-local", destination="ESXi_2", findings=findings)
    lines = _artist(fig, "reason:ESXi_2").get_text().split("\n")
    assert lines[0] == "× shared storage: Cannot access file."
    assert " ".join(lines[1:]) == "× CPU compatibility: The CPU of the host is incompatible."
    french = plot_topology(course(), moving="vm-local", destination="ESXi_2",
                           findings=findings, lang="fr")
    assert _artist(french, "reason:ESXi_2").get_text().startswith("× stockage partagé : ")
