"""PrecopyExplorer, driven without a browser: set controls, read .result and the Output."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets
import pytest

from lablib import precopy
from lablib.errors import InputError
from lablib.widgets import precopy as explorer_module
from lablib.widgets.precopy import PrecopyExplorer


def _shown(explorer):
    """Return the one output the explorer shows."""
    [output] = explorer.output.outputs
    return output


def test_starts_with_a_result_and_a_figure():
    explorer = PrecopyExplorer()
    assert explorer.result.params.memory_gib == 4
    assert explorer.result.converged
    output = _shown(explorer)
    assert output["output_type"] == "display_data"
    assert output["data"]["image/png"]
    assert output["data"]["text/plain"].startswith("MODEL")
    assert explorer.figure.get_suptitle().startswith("Modelled")


def test_moving_a_slider_recomputes_and_redraws():
    explorer = PrecopyExplorer()
    before, figure = explorer.result, explorer.figure
    png = _shown(explorer)["data"]["image/png"]
    explorer.controls["dirty_pages_per_s"].value = 250_000
    assert explorer.result is not before
    assert explorer.result.params.dirty_pages_per_s == 250_000
    assert explorer.result.total_time_s > before.total_time_s
    assert explorer.figure is not figure
    assert _shown(explorer)["data"]["image/png"] != png
    assert explorer.error is None


def test_every_control_reaches_the_model():
    explorer = PrecopyExplorer()
    controls = explorer.controls
    controls["memory_gib"].value = 8
    controls["wws_percent"].value = 25
    assert explorer.result.params.wws_gib == pytest.approx(2)
    bandwidth = explorer.result.bandwidth_bytes_per_s
    controls["mtu"].value = 9000
    assert explorer.result.bandwidth_bytes_per_s > bandwidth
    controls["link_gbps"].value = 40
    controls["vmknics"].value = 2
    assert explorer.result.params.vmknics == 2
    assert explorer.result.bandwidth_bytes_per_s == pytest.approx(
        precopy.effective_bandwidth(40, mtu=9000, vmknics=2))
    controls["sdps"].value = True
    assert explorer.result.params.sdps_kappa == explorer_module.SDPS_KAPPA


def test_sdps_makes_a_hot_vm_converge():
    explorer = PrecopyExplorer(dirty_pages_per_s=300_000)
    assert not explorer.result.converged
    explorer.controls["sdps"].value = True
    assert explorer.result.converged


def test_errors_go_to_the_output_and_are_not_raised(monkeypatch):
    explorer = PrecopyExplorer()
    last_good = explorer.result

    def broken(**params):
        raise RuntimeError("boom in the model")

    monkeypatch.setattr(explorer_module, "simulate", broken)
    explorer.controls["vmknics"].value = 3
    output = _shown(explorer)
    assert output["output_type"] == "stream" and output["name"] == "stderr"
    assert "RuntimeError: boom in the model" in output["text"]
    assert explorer.result is last_good


def test_input_errors_show_their_message_without_a_traceback(monkeypatch):
    explorer = PrecopyExplorer()
    monkeypatch.setitem(explorer_module.__dict__, "DOWNTIME_TARGET_S", -1)
    explorer.controls["vmknics"].value = 2
    text = _shown(explorer)["text"]
    assert text.startswith("downtime_target_s must be") and "Traceback" not in text
    assert explorer.error == text


def test_displays_as_its_box():
    explorer = PrecopyExplorer()
    assert isinstance(explorer.widget, ipywidgets.VBox)
    assert explorer.output in explorer.widget.children
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == explorer.widget.model_id


def test_french_labels_and_figure():
    explorer = PrecopyExplorer(lang="fr")
    assert explorer.controls["memory_gib"].description == "mémoire de la VM (Gio)"
    assert explorer.figure.get_suptitle().startswith("Migration par pré-copie modélisée")
    assert _shown(explorer)["data"]["text/plain"].startswith("MODÈLE")
    with pytest.raises(InputError, match="language"):
        PrecopyExplorer(lang="es")
