"""Interactive pieces that respond at once: figures rendered ahead, swapped by a control.

Example:
    >>> cu.widgets.switcher({"perplexity 5": fig_5, "perplexity 30": fig_30}, description="perplexity")
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes (then closed, so the notebook does not also show it).

    Example:
        >>> png = figure_png(cu.plot_curves({"loss": [3, 2, 1]}))
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def switcher(figures: Mapping[str, Figure], *, description: str = "") -> widgets.VBox:
    """Buttons that switch between figures drawn in advance: nothing is recomputed on a click.

    Each figure is rendered to an image once; a click only swaps the image shown, so the
    response is instant in JupyterLab and Colab alike. Display the returned widget (make it the
    last expression of a cell). Without a live kernel (a static page) the first figure shows.

    Example:
        >>> cu.widgets.switcher({"perplexity 5": fig_5, "perplexity 30": fig_30}, description="perplexity")
    """
    if not isinstance(figures, Mapping) or not figures:
        raise ValueError("figures must be a non-empty mapping from button labels to matplotlib figures")
    for label, fig in figures.items():
        if not isinstance(fig, Figure):
            raise TypeError(f"figures[{label!r}] must be a matplotlib Figure, got {type(fig).__name__}")
    images = {str(label): figure_png(fig) for label, fig in figures.items()}
    labels = list(images)
    buttons = widgets.ToggleButtons(options=labels, value=labels[0], description=description)
    picture = widgets.Image(value=images[labels[0]], format="png")
    buttons.observe(lambda change: setattr(picture, "value", images[change["new"]]), names="value")
    return widgets.VBox([buttons, picture])
