"""Put a figure or an HTML fragment into an Output by assigning its outputs.

One assignment replaces what the Output showed: what `clear_output(wait=True)` and
`display()` do inside a kernel, without flicker (teaching-anchors.md C4 [ipyw-out]),
and it also works without a kernel (tests, plain Python) and from any thread.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from .precopy import _png_base64


def show(output, data: dict[str, str]) -> None:
    """Replace what `output` shows with one display_data of `data` (mime type -> value)."""
    output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)


def show_figure(output, figure: Figure, text: str) -> None:
    """Show `figure` as a PNG in `output`; `text` is what a frontend without images shows."""
    show(output, {"image/png": _png_base64(figure), "text/plain": text})
