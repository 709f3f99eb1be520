"""PrecopyExplorer: sliders over the pre-copy model, for lab 01.

Each change recomputes the run with the plain lablib.precopy.simulate() and redraws
lablib.plots.precopy.plot_summary() into one Output. The explorer is returned, not
displayed: make it the last expression of a cell.
"""

from __future__ import annotations

import base64
import io
import traceback

import ipywidgets as widgets
from matplotlib.figure import Figure

from lablib.plots.precopy import plot_summary
from lablib.precopy import ModelInputError, PrecopyResult, check_lang, simulate
from lablib.text import Text, number, render

from ._display import widget_bundle

SDPS_KAPPA = 0.8          # illustrative κ: VMware publishes none (docs/precopy-model.md §3)
DOWNTIME_TARGET_S = 0.5   # switchover when dirty memory ≤ B × 0.5 s, a model parameter (§3)
MAX_DATA_FACTOR = None    # vMotion publishes no data cap (Xen's 3× would hide what SDPS does);
                          # simulate()'s 30-round limit stays as the safety net
LINK_SPEEDS_GBPS = (1, 10, 25, 40, 100)
MTUS = (1500, 9000)

LABELS = {
    "memory_gib": Text("VM memory (GiB)", "mémoire de la VM (Gio)"),
    "dirty_pages_per_s": Text("dirty rate (4 KiB pages/s)", "pages salies (pages de 4 Kio/s)"),
    "wws_percent": Text("writable working set (% of memory)",
                        "ensemble de travail en écriture (% de la mémoire)"),
    "link_gbps": Text("link speed (Gb/s)", "vitesse du lien (Gbit/s)"),
    "mtu": Text("MTU (bytes)", "MTU (octets)"),
    "vmknics": Text("vMotion vmknics", "vmknics vMotion"),
    "sdps": Text("SDPS throttle (κ = {kappa})", "ralentissement SDPS (κ = {kappa})",
                 kappa=number(SDPS_KAPPA)),
}


class PrecopyExplorer:
    """Sliders over the pre-copy model; the figure redraws on each change."""

    def __init__(self, *, lang: str | None = None, memory_gib: float = 4.0,
                 dirty_pages_per_s: int = 100_000, wws_percent: int = 100, link_gbps: int = 10,
                 mtu: int = 1500, vmknics: int = 1, sdps: bool = False):
        """Build the controls and draw the first figure.

        Args:
            lang: "en" or "fr" to force a language for labels, titles and the text
                summary (the notebook's language by default).
            memory_gib, dirty_pages_per_s, wws_percent, link_gbps, mtu, vmknics, sdps:
                the controls' starting values.
        """
        self.lang = check_lang(lang)

        def label(key: str) -> str:
            return render(LABELS[key], self.lang)

        # Wide enough for the longest label, in French too: no label is cut.
        common = {"style": {"description_width": "27em"},
                  "layout": widgets.Layout(width="52em")}
        slider = {"continuous_update": False, **common}
        self.controls = {
            "memory_gib": widgets.FloatSlider(value=memory_gib, min=0.5, max=64, step=0.5,
                                              description=label("memory_gib"), **slider),
            "dirty_pages_per_s": widgets.IntSlider(
                value=dirty_pages_per_s, min=0, max=1_000_000, step=10_000,
                description=label("dirty_pages_per_s"), **slider),
            "wws_percent": widgets.IntSlider(value=wws_percent, min=1, max=100,
                                             description=label("wws_percent"), **slider),
            "link_gbps": widgets.SelectionSlider(options=LINK_SPEEDS_GBPS, value=link_gbps,
                                                 description=label("link_gbps"), **slider),
            "mtu": widgets.Dropdown(options=MTUS, value=mtu, description=label("mtu"), **common),
            "vmknics": widgets.IntSlider(value=vmknics, min=1, max=4,
                                         description=label("vmknics"), **slider),
            "sdps": widgets.Checkbox(value=sdps, description=label("sdps"), indent=False),
        }
        self.output = widgets.Output()
        self.result: PrecopyResult | None = None
        self.figure: Figure | None = None
        self.error: str | None = None
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._box = widgets.VBox([*self.controls.values(), self.output])
        self.update()

    @property
    def widget(self) -> widgets.VBox:
        """The box holding the controls and the output."""
        return self._box

    def _repr_mimebundle_(self, **kwargs):
        text = self.result.summary(self.lang) if self.result is not None else self.error or ""
        return widget_bundle(self._box, text, **kwargs)

    def params(self) -> dict[str, object]:
        """Return the simulate() arguments the controls describe."""
        value = {name: control.value for name, control in self.controls.items()}
        return {
            "memory_gib": value["memory_gib"],
            "dirty_pages_per_s": value["dirty_pages_per_s"],
            "wws_gib": value["memory_gib"] * value["wws_percent"] / 100,
            "link_gbps": value["link_gbps"],
            "mtu": value["mtu"],
            "vmknics": value["vmknics"],
            "sdps_kappa": SDPS_KAPPA if value["sdps"] else None,
            "downtime_target_s": DOWNTIME_TARGET_S,
            "max_data_factor": MAX_DATA_FACTOR,
        }

    def update(self) -> None:
        """Recompute the model and redraw; an error is written to the output, never raised."""
        try:
            result = simulate(**self.params())
            figure = plot_summary(result, lang=self.lang)
            png = _png_base64(figure)
        except ModelInputError as exc:
            self._show_error(str(exc))
            return
        except Exception:   # a widget callback's error must reach the notebook, not vanish
            self._show_error(traceback.format_exc())
            return
        self.result, self.figure, self.error = result, figure, None
        # One assignment replaces the old figure: what clear_output(wait=True) + display()
        # do inside a kernel, without flicker, but also without a kernel (tests) or thread.
        self.output.outputs = ({
            "output_type": "display_data",
            "data": {"image/png": png, "text/plain": result.summary(self.lang)},
            "metadata": {},
        },)

    def _on_change(self, change: dict) -> None:
        self.update()

    def _show_error(self, message: str) -> None:
        self.error = message
        self.output.outputs = ({"output_type": "stream", "name": "stderr", "text": message},)


def _png_base64(figure: Figure) -> str:
    """Render a figure as base64 PNG, the form notebook outputs store."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
