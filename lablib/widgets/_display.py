"""Put a figure into an Output by assigning its outputs; give widgets a text fallback.

One assignment replaces what the Output showed: what `clear_output(wait=True)` and
`display()` do inside a kernel, without flicker (docs/teaching.md C4 [ipyw-out]),
and it also works without a kernel (tests, plain Python) and from any thread.
"""

from __future__ import annotations

import base64
import io

from matplotlib.figure import Figure


def show(output, data: dict[str, str]) -> None:
    """Replace what `output` shows with one display_data of `data` (mime type -> value)."""
    output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)


def show_figure(output, figure: Figure, text: str, dpi: int = 96) -> None:
    """Show `figure` as a PNG in `output`; `text` is what a frontend without images shows."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    show(output, {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
                  "text/plain": text})


def widget_bundle(box, text: str, **kwargs) -> dict:
    """Return `box`'s display bundle with `text` as its text/plain.

    A frontend without widgets (nbviewer, nbval's stored outputs, a terminal) shows the
    text instead of "VBox(children=...)".
    """
    bundle = box._repr_mimebundle_(**kwargs)
    if isinstance(bundle, tuple):
        bundle = bundle[0]
    return {**(bundle or {}), "text/plain": text}
