"""Figures for the course: image grids, originals vs reconstructions, training curves, block diagrams.

Sizes and fonts are chosen to read on a projector (:func:`use_presentation_style`). Every
function returns the matplotlib ``Figure`` so a notebook can save or tweak it.

Example:
    >>> fig = show_images(data.x_test[:10], labels=[data.class_names[y] for y in data.y_test[:10]])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import keras
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure
from matplotlib.offsetbox import AnnotationBbox, OffsetImage
from matplotlib.ticker import MaxNLocator

MAX_FIGURE_WIDTH = 10.0  # inches: wider figures are shrunk to the notebook's column, fonts with them

PRESENTATION_STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.labelsize": 14,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "lines.linewidth": 2.2,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def use_presentation_style() -> None:
    """Large fonts and thick lines, legible from the back of a lecture room.

    Example:
        >>> use_presentation_style()   # cu.setup() calls it for you
    """
    plt.rcParams.update(PRESENTATION_STYLE)


def _as_images(images: np.ndarray, argument: str = "images") -> np.ndarray:
    array = np.asarray(images, dtype=np.float32)
    if array.ndim == 2 and array.shape[1] == 784:
        array = array.reshape(-1, 28, 28)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3:
        raise ValueError(
            f"{argument} must have shape (n, height, width), (n, height, width, 1) or (n, 784), "
            f"got {array.shape}"
        )
    return array


def show_images(
    images: np.ndarray,
    labels: Sequence[str] | None = None,
    *,
    ncols: int = 10,
    title: str | None = None,
    size: float = 1.4,
) -> Figure:
    """Draw images in a grid, with an optional label under each.

    Example:
        >>> show_images(data.x_train[:20], ncols=10, title="Training images")
    """
    images = _as_images(images)
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"labels must have one entry per image: {len(labels)} labels for {len(images)} images")
    if len(images) == 0:
        raise ValueError("images is empty: pass at least one image")
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    ncols = min(ncols, len(images))
    nrows = -(-len(images) // ncols)
    size = min(size, MAX_FIGURE_WIDTH / ncols)
    height = (size + (0.4 if labels is not None else 0)) * nrows
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, height), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for i, (ax, image) in enumerate(zip(axes.flat, images)):
        ax.imshow(image, cmap="binary", vmin=0, vmax=1)
        if labels is not None:
            ax.set_title(str(labels[i]), fontsize=12)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_image_rows(
    rows: Mapping[str, np.ndarray],
    *,
    column_labels: Sequence[str] | None = None,
    title: str | None = None,
    size: float = 1.3,
) -> Figure:
    """Rows of images, each row named on the left, optionally each column named on top.

    For figures read along rows: an interpolation, a walk along one latent dimension per row,
    the same images through several models. Every row must hold the same number of images.

    Example:
        >>> show_image_rows({"latent": decoded, "pixels": blended}, column_labels=["0", "0.5", "1"])
    """
    if not isinstance(rows, Mapping) or not rows:
        raise ValueError("rows must be a non-empty mapping from row names to arrays of images")
    named = {str(name): _as_images(r, f"rows[{name!r}]") for name, r in rows.items()}
    counts = {len(r) for r in named.values()}
    if len(counts) != 1 or 0 in counts:
        raise ValueError(f"every row must hold the same, non-zero number of images; got {sorted(counts)}")
    n = counts.pop()
    if column_labels is not None and len(column_labels) != n:
        raise ValueError(f"column_labels must have one entry per column: {len(column_labels)} labels for {n} columns")
    size = min(size, (MAX_FIGURE_WIDTH - 1.6) / n)
    fig, axes = plt.subplots(len(named), n, figsize=(size * n + 1.6, size * len(named)), squeeze=False)
    for r, (name, images) in enumerate(named.items()):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(images[c], cmap="binary", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            for spine in ax.spines.values():
                spine.set_visible(False)
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=12)
    for c, label in enumerate(column_labels or []):
        axes[0, c].set_title(str(label), fontsize=11)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_reconstructions(
    originals: np.ndarray,
    rows: Mapping[str, np.ndarray] | np.ndarray,
    *,
    n: int = 10,
    title: str | None = None,
    size: float = 1.3,
) -> Figure:
    """Originals on the top row, one row per reconstruction below, each row named on the left.

    ``rows`` is one array of reconstructions, or a mapping from a row name (``"after epoch 1"``)
    to an array.

    Example:
        >>> show_reconstructions(x_test, {"after epoch 1": early, "after epoch 10": late})
    """
    originals = _as_images(originals, "originals")
    named = {"reconstruction": rows} if not isinstance(rows, Mapping) else dict(rows)
    named = {name: _as_images(r, f"rows[{name!r}]") for name, r in named.items()}
    n = min(n, len(originals), *(len(r) for r in named.values()))
    return show_image_rows({"original": originals[:n], **{name: r[:n] for name, r in named.items()}},
                           title=title, size=size)


def scatter_with_thumbnails(
    points: np.ndarray,
    labels: np.ndarray,
    class_names: Sequence[str],
    images: np.ndarray | None = None,
    *,
    n_thumbnails: int = 40,
    title: str | None = None,
    ax: plt.Axes | None = None,
    seed: int = 0,
) -> Figure:
    """A 2-D map: one dot per point coloured by class, with small images drawn at a few of them.

    Thumbnails go at ``n_thumbnails`` points chosen at random (fixed ``seed``) among those not too
    close to one already drawn, so they do not pile up.

    Example:
        >>> scatter_with_thumbnails(embedding, data.y_test[:1000], data.class_names, data.x_test[:1000])
    """
    points = np.asarray(points, dtype=float)
    labels = np.asarray(labels)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {points.shape}")
    if len(labels) != len(points):
        raise ValueError(f"labels must have one entry per point: {len(labels)} labels for {len(points)} points")
    if images is not None and len(images) != len(points):
        raise ValueError(f"images must have one entry per point: {len(images)} images for {len(points)} points")
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 7.5))
    else:
        fig = ax.figure
    scatter = ax.scatter(points[:, 0], points[:, 1], c=labels, cmap="tab10", s=8, vmin=-0.5, vmax=9.5)
    colour = [scatter.cmap(scatter.norm(c)) for c in range(len(class_names))]
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=colour[c]) for c in range(len(class_names))]
    ax.legend(handles, class_names, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=11, frameon=False)
    if images is not None and n_thumbnails > 0:
        shown = _as_images(images)
        span = points.max(axis=0) - points.min(axis=0)
        drawn: list[np.ndarray] = []
        for i in np.random.default_rng(seed).permutation(len(points)):
            if len(drawn) >= n_thumbnails:
                break
            if all(np.linalg.norm((points[i] - p) / span) > 0.06 for p in drawn):
                box = OffsetImage(shown[i], cmap="binary", zoom=0.9)
                frame = {"edgecolor": colour[int(labels[i])]}
                ax.add_artist(AnnotationBbox(box, points[i], frameon=True, pad=0.1, bboxprops=frame))
                drawn.append(points[i])
    ax.set(xticks=[], yticks=[])
    ax.grid(False)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def curve_label(name: str) -> str:
    """A Keras history key as a legend label: ``"val_loss"`` -> ``"validation loss"``.

    Example:
        >>> curve_label("loss"), curve_label("val_loss"), curve_label("kl")
        ('training loss', 'validation loss', 'kl')
    """
    if name == "loss":
        return "training loss"
    if name.startswith("val_"):
        return "validation " + name[4:]
    return name


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    *,
    xlabel: str = "epoch",
    ylabel: str = "loss",
    title: str | None = None,
    logy: bool = False,
    x: Sequence[float] | None = None,
    ax: plt.Axes | None = None,
) -> Figure:
    """Plot named curves (a Keras ``history.history`` works as it is) against epochs or ``x``.

    Epochs are counted from 1; Keras names are shown as words (``val_loss`` as "validation
    loss"). Pass ``ax`` to draw into an existing panel.

    Example:
        >>> plot_curves(history.history, ylabel="MSE per pixel")
    """
    if not curves:
        raise ValueError("curves is empty: pass a mapping from names to sequences of values")
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4))
    else:
        fig = ax.figure
    for name, values in curves.items():
        values = np.asarray(values, dtype=float)
        xs = np.arange(1, len(values) + 1) if x is None else np.asarray(x)
        if len(xs) != len(values):
            raise ValueError(f"curve {name!r} has {len(values)} values but x has {len(xs)}")
        ax.plot(xs, values, marker="o" if len(values) <= 30 else None, label=curve_label(name))
    if x is None:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig


def square_grid(extent: float = 3.0, n: int = 60) -> np.ndarray:
    """The ``n * n`` points of a square grid over ``[-extent, extent]^2``, shape ``(n * n, 2)``, float32,
    row by row from the bottom: evaluate a model on them and reshape to ``(n, n)`` for :func:`plot_ring`.

    Example:
        >>> square_grid(3.0, 4).shape
        (16, 2)
    """
    if not extent > 0 or isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"need extent > 0 and an integer n >= 2, got extent={extent!r}, n={n!r}")
    ticks = np.linspace(-extent, extent, n, dtype=np.float32)
    xs, ys = np.meshgrid(ticks, ticks)
    return np.stack([xs.ravel(), ys.ravel()], axis=1)


def plot_ring(
    real: np.ndarray,
    fake: np.ndarray | None = None,
    *,
    surface: np.ndarray | None = None,
    surface_label: str = "D(x)",
    surface_range: tuple[float, float] | None = None,
    extent: float = 3.0,
    title: str | None = None,
    ax: plt.Axes | None = None,
) -> Figure:
    """Real 2-D points (small, dark) and generated ones (orange) over a model's surface.

    ``surface`` is an ``(n, n)`` array of a model's outputs on :func:`square_grid` ``(extent, n)``
    (a discriminator's probability, a critic's score), drawn in colour with ``surface_range`` as
    its colour limits (default: the surface's own range).

    Example:
        >>> grid = square_grid(3.0, 60)
        >>> plot_ring(real, fake, surface=discriminator(grid).numpy().reshape(60, 60), surface_range=(0, 1))
    """
    real = np.asarray(real)
    if real.ndim != 2 or real.shape[1] != 2:
        raise ValueError(f"real must be 2-D points, shape (n, 2), got shape {real.shape}")
    if fake is not None and (np.ndim(fake) != 2 or np.shape(fake)[1] != 2):
        raise ValueError(f"fake must be 2-D points, shape (n, 2), got shape {np.shape(fake)}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.5, 4.5))
    else:
        fig = ax.figure
    if surface is not None:
        surface = np.asarray(surface)
        if surface.ndim != 2 or surface.shape[0] != surface.shape[1]:
            raise ValueError(f"surface must be a square (n, n) array from square_grid, got shape {surface.shape}")
        low, high = surface_range if surface_range is not None else (float(surface.min()), float(surface.max()))
        image = ax.imshow(surface, origin="lower", extent=(-extent, extent, -extent, extent), cmap="coolwarm",
                          vmin=low, vmax=high, alpha=0.75)  # fmt: skip
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03, label=surface_label)
    ax.scatter(real[:, 0], real[:, 1], s=4, c="0.15", alpha=0.5, label="real")
    if fake is not None:
        ax.scatter(fake[:, 0], fake[:, 1], s=4, c="tab:orange", alpha=0.6, label="generated")
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return fig


DIAGRAM_BOXES = {"network": ("#cfe2f3", "#1f4e79"), "data": ("white", "0.35"), "loss": ("#fde5cc", "#b45f06")}
DIAGRAM_ARROWS = {"flow": ("0.2", "-"), "loss": ("#b45f06", "--")}  # colour, line style


def _diagram_part(spec: Sequence, sizes: tuple[int, int], what: str) -> tuple:
    if isinstance(spec, str) or not isinstance(spec, Sequence) or not sizes[0] <= len(spec) <= sizes[1]:
        raise ValueError(f"{what} must be a tuple of {sizes[0]} to {sizes[1]} items, got {spec!r}")
    return tuple(spec)


def draw_diagram(
    boxes: Mapping[str, Sequence],
    arrows: Sequence[Sequence[str]] = (),
    *,
    title: str | None = None,
    ax: plt.Axes | None = None,
) -> Figure:
    """A block diagram: named boxes at ``(x, y)`` joined by labelled arrows (a model's parts and losses).

    ``boxes`` maps a name to ``(x, y)``, ``(x, y, label)`` or ``(x, y, label, kind)``: the label
    (default: the name; ``"\\n"`` breaks a line) is written in a box centred at ``(x, y)``,
    coloured by its kind: ``"network"`` (blue, the default), ``"data"`` (white) or ``"loss"``
    (orange). ``arrows`` holds ``(start, end)``, ``(start, end, label)`` or
    ``(start, end, label, kind)`` with box names; kind ``"flow"`` (solid, the default) or
    ``"loss"`` (dashed, orange: what feeds a loss). Two arrows joining the same boxes in opposite
    directions are bent apart. Coordinates are in inches (the figure shrinks to fit the page's
    width): leave about 2.5 between the centres of neighbouring boxes.

    Example:
        >>> boxes = {"z": (0, 0, "noise z", "data"), "G": (2.5, 0, "generator"), "D": (5, 0, "discriminator")}
        >>> draw_diagram(boxes, [("z", "G"), ("G", "D", "G(z)")], title="a GAN")
    """
    if not isinstance(boxes, Mapping) or not boxes:
        raise ValueError("boxes must be a non-empty mapping from names to (x, y[, label[, kind]])")
    placed = {}
    for name, spec in boxes.items():
        x, y, *rest = _diagram_part(spec, (2, 4), f"box {name!r}")
        label, kind = rest[0] if rest else name, rest[1] if len(rest) == 2 else "network"
        if not all(isinstance(v, (int, float, np.integer, np.floating)) and np.isfinite(v) for v in (x, y)):
            raise ValueError(f"box {name!r}: x and y must be finite numbers, got {x!r}, {y!r}")
        if kind not in DIAGRAM_BOXES:
            raise ValueError(f"box {name!r}: kind must be one of {sorted(DIAGRAM_BOXES)}, got {kind!r}")
        placed[name] = (float(x), float(y), str(label), kind)
    drawn = []
    for spec in arrows:
        start, end, *rest = _diagram_part(spec, (2, 4), "each arrow")
        label, kind = rest[0] if rest else "", rest[1] if len(rest) == 2 else "flow"
        for end_name in (start, end):
            if end_name not in placed:
                raise ValueError(f"arrow {tuple(spec)!r}: unknown box {end_name!r}; the boxes are {list(placed)}")
        if start == end:
            raise ValueError(f"arrow {tuple(spec)!r} joins a box to itself")
        if kind not in DIAGRAM_ARROWS:
            raise ValueError(f"arrow {tuple(spec)!r}: kind must be one of {sorted(DIAGRAM_ARROWS)}, got {kind!r}")
        drawn.append((start, end, str(label), kind))
    pairs = {(start, end) for start, end, _, _ in drawn}
    centres = np.array([(x, y) for x, y, _, _ in placed.values()])
    bends, label_at = [], []
    for start, end, _, _ in drawn:
        bend = 0.35 if (end, start) in pairs else 0.0
        (x0, y0), (x1, y1) = placed[start][:2], placed[end][:2]
        label_at.append(((x0 + x1) / 2 + bend / 2 * (y1 - y0), (y0 + y1) / 2 - bend / 2 * (x1 - x0)))
        bends.append(bend)
    extent = np.vstack([centres, *label_at]) if label_at else centres
    (left, bottom), (right, top) = extent.min(axis=0) - (1.3, 0.6), extent.max(axis=0) + (1.3, 0.6)
    if ax is None:
        inches = min(1.0, MAX_FIGURE_WIDTH / (right - left))
        fig, ax = plt.subplots(figsize=((right - left) * inches, (top - bottom) * inches))
    else:
        fig = ax.figure
    texts = {}
    for name, (x, y, label, kind) in placed.items():
        face, edge = DIAGRAM_BOXES[kind]
        texts[name] = ax.text(x, y, label, ha="center", va="center", fontsize=13, zorder=3,
                              bbox={"boxstyle": "round,pad=0.45", "facecolor": face, "edgecolor": edge, "lw": 1.8})
    for (start, end, label, kind), bend, (lx, ly) in zip(drawn, bends, label_at):
        colour, style = DIAGRAM_ARROWS[kind]  # arrows are drawn after the boxes they are clipped to (zorder)
        ax.annotate("", xy=(0.5, 0.5), xycoords=texts[end], xytext=(0.5, 0.5), textcoords=texts[start], zorder=3.5,
                    arrowprops={"arrowstyle": "-|>", "color": colour, "linestyle": style, "lw": 1.8,
                                "mutation_scale": 18, "shrinkA": 3, "shrinkB": 3,
                                "patchA": texts[start].get_bbox_patch(), "patchB": texts[end].get_bbox_patch(),
                                "connectionstyle": f"arc3,rad={bend}"})  # fmt: skip
        if label:
            ax.text(lx, ly, label, ha="center", va="center", fontsize=12, color=colour, zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return fig


LIVE_METADATA = {"course_utils": {"live": True}}  # marks a live figure's output (the benchmark looks for it)


class LivePlot(keras.callbacks.Callback):
    """Training curves redrawn in place while a model trains (for the projector).

    Use it as a Keras callback in ``fit``, or call :meth:`add` once per epoch from a custom
    training loop. The figure is updated in the same output area, not stacked.

    Example:
        >>> live = LivePlot(["loss", "val_loss"], ylabel="MSE")
        >>> model.fit(x, x, epochs=10, callbacks=[live])
    """

    def __init__(
        self, metrics: Sequence[str] = ("loss", "val_loss"), *, ylabel: str = "loss", title: str | None = None
    ):
        super().__init__()
        if isinstance(metrics, str) or not metrics:
            raise ValueError("metrics must be a non-empty sequence of metric names, e.g. ['loss', 'val_loss']")
        self.metrics = list(metrics)
        self.ylabel = ylabel
        self.title = title
        self.history: dict[str, list[float]] = {m: [] for m in self.metrics}
        self._figure: Figure | None = None
        self._handle = None

    def add(self, **values: float) -> None:
        """Append one value per metric (unknown names are ignored) and redraw."""
        for name in self.metrics:
            if name in values:
                self.history[name].append(float(values[name]))
        self._redraw()

    def on_epoch_end(self, epoch: int, logs: Mapping[str, float] | None = None) -> None:
        self.add(**(logs or {}))

    def _redraw(self) -> None:
        if self._figure is None:
            self._figure, _ = plt.subplots(figsize=(7, 4))
            plt.close(self._figure)  # shown through the display handle only, never twice
        ax = self._figure.axes[0]
        ax.clear()
        drawn = {m: v for m, v in self.history.items() if v}
        if drawn:
            plot_curves(drawn, ylabel=self.ylabel, title=self.title, ax=ax)
        if self._handle is None:
            self._handle = display(self._figure, display_id=True, metadata=LIVE_METADATA)
        else:
            self._handle.update(self._figure, metadata=LIVE_METADATA)


def plot_next_token(
    probs: np.ndarray,
    tokens: Sequence[str],
    *,
    kept: np.ndarray | None = None,
    n_bars: int = 30,
    title: str | None = None,
    ax: plt.Axes | None = None,
) -> Figure:
    """Bar chart of a next-token distribution: the ``n_bars`` most probable tokens, most probable
    first, labelled below (a space as "␣", a line break as "⏎"). With ``kept`` (a boolean mask over
    all tokens, e.g. what top-k or nucleus sampling keeps), the dropped tokens' bars are grey.

    Example:
        >>> plot_next_token(probs, vocab.tokens, kept=probs >= np.sort(probs)[-5], title="top-5")
    """
    from course_utils.widgets import shown_token

    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 1 or len(probs) != len(tokens):
        raise ValueError(f"probs must be one distribution, one value per token: {probs.shape}, {len(tokens)} tokens")
    if kept is not None and np.shape(kept) != probs.shape:
        raise ValueError(f"kept must be a mask of shape {probs.shape}, got {np.shape(kept)}")
    order = np.argsort(-probs, kind="stable")[:n_bars]
    if ax is None:
        fig, ax = plt.subplots(figsize=(min(MAX_FIGURE_WIDTH, 2 + 0.28 * len(order)), 3.2))
    else:
        fig = ax.figure
    colours = ["#1f77b4" if kept is None or kept[i] else "#bbbbbb" for i in order]
    ax.bar(np.arange(len(order)), probs[order], color=colours)
    ax.set_xticks(np.arange(len(order)), [shown_token(tokens[i]) for i in order], family="monospace")
    ax.set_xlim(-0.6, len(order) - 0.4)
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    ax.grid(axis="x", visible=False)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
