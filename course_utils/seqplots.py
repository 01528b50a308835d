"""Figures of the sequence half: the beam-search tree, and attention maps (one sequence against another).

Taught in notebook 10, where beam search is written out; the tree is drawn from the ``trace``
that :func:`course_utils.decoding.beam_search` records (the best ``2 * width`` candidates of every
step, the first ``width`` kept). Every function returns the matplotlib ``Figure``.
Taught in notebook 11: :func:`plot_attention`, one output sequence against the sequence it
attends to, on a fixed 0-1 colour scale so maps can be compared; notebook 12 draws every head of
a layer side by side with :func:`plot_attention_heads` (one shared colour bar).

Example:
    >>> beams = cu.decoding.beam_search(step, state, width=3, start_id=1, end_id=2, max_length=11)
    >>> fig = plot_beam_tree(beams, 0, target_vocab.tokens, end_id=2, pad_id=0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

KEPT, PRUNED, WINNER = "#1f77b4", "#b0b0b0", "#d62728"


def token_label(token: str) -> str:
    """A token as a figure shows it: ``<end>`` as "■", ``<start>`` as "▶", ``<pad>`` as "·", a space as "␣".

    Example:
        >>> [token_label(t) for t in ("<start>", "7", "<end>")]
        ['▶', '7', '■']
    """
    from course_utils.widgets import shown_token  # a space as "␣", a line break as "⏎"

    return {"<end>": "■", "<start>": "▶", "<pad>": "·"}.get(token) or shown_token(token)


def plot_beam_tree(
    beams: Any,
    index: int,
    tokens: Sequence[str],
    *,
    end_id: int,
    pad_id: int = 0,
    title: str | None = None,
    n_best: int | None = None,
) -> Figure:
    """The beam-search tree of one input: every kept and the best pruned hypotheses with their scores.

    Column t holds the candidates of step t (the ``2 * width`` best extensions): kept ones in blue,
    pruned ones in grey, each labelled with its token and summed log-probability; an edge joins each
    to the hypothesis it extends. The best hypothesis's path is drawn in red. A hypothesis that has
    ended (■) is carried on unchanged and not drawn again. Beside the tree, the n-best list.

    Args:
        beams: a :class:`~course_utils.decoding.Beams` result (it holds the trace).
        index: which input of the batch to draw.
        tokens: the target vocabulary's tokens (id -> text).
        end_id, pad_id: the END and padding ids.
        title: a title for the figure.
        n_best: how many hypotheses to list (default: the width).

    Example:
        >>> fig = plot_beam_tree(beams, 7, target_vocab.tokens, end_id=2, title="width 3")
    """
    trace = beams.trace
    if not trace:
        raise ValueError("beams has no trace: give the result of course_utils.decoding.beam_search")
    if not 0 <= index < beams.ids.shape[0]:
        raise ValueError(f"index must be one of the {beams.ids.shape[0]} inputs, got {index}")
    width, candidates = beams.ids.shape[1], trace[0].tokens.shape[1]
    winner = [int(t) for t in beams.ids[index, 0]]
    height = max(3.0, 0.42 * candidates + 1.2)
    fig, (ax, text_ax) = plt.subplots(1, 2, figsize=(10, height), gridspec_kw={"width_ratios": [4.2, 1.4]})
    ax.plot([0], [0], "o", color=WINNER, markersize=9)
    ax.annotate(token_label("<start>"), (0, 0), xytext=(0, 9), textcoords="offset points", ha="center", fontsize=10)
    # the prefix, row and state of each of the `width` slots after the previous step (all the root at first)
    prefixes: list[tuple[int, ...]] = [()] * width
    positions = [0.0] * width
    finished = [False] * width
    for t, record in enumerate(trace):
        parents, ids, scores = record.parents[index], record.tokens[index], record.scores[index]
        new_prefixes, new_positions, new_finished = [], [], []
        for j, (parent, token, score) in enumerate(zip(parents.tolist(), ids.tolist(), scores.tolist())):
            kept = j < width
            carried = finished[parent]  # an ended hypothesis extended with padding: not a new node
            prefix = prefixes[parent] if carried else prefixes[parent] + (token,)
            if kept:
                new_prefixes.append(prefix)
                new_finished.append(carried or token == end_id)
                new_positions.append(positions[parent] if carried else -j)
            if carried or not np.isfinite(score) or token == pad_id:
                continue
            on_path = kept and list(prefix) == winner[: len(prefix)]
            colour = WINNER if on_path else KEPT if kept else PRUNED
            ax.plot([t, t + 1], [positions[parent], -j], "-", color=colour, lw=2.2 if on_path else 1,
                    alpha=1 if kept else 0.6, zorder=3 if on_path else 2)  # fmt: skip
            ax.plot([t + 1], [-j], "o", color=colour, markersize=8 if kept else 5, zorder=4)
            label = f"{token_label(tokens[token])}\n{score:.2f}"
            ax.annotate(label, (t + 1, -j), xytext=(0, 7), textcoords="offset points", ha="center",
                        fontsize=9 if kept else 7.5, color="black" if kept else "#777777", zorder=5)  # fmt: skip
        prefixes, positions, finished = new_prefixes, new_positions, new_finished
    ax.set_xlim(-0.5, len(trace) + 0.5)
    ax.set_ylim(-candidates + 0.3, 0.9)
    ax.set_xticks(range(len(trace) + 1))
    ax.set_yticks([])
    ax.set_xlabel("step (characters generated)")
    ax.grid(False)
    legend = "kept (blue), best pruned (grey), winner (red)"
    ax.set_title(f"{title}\n{legend}" if title else f"beam width {width}: {legend}", fontsize=12)
    lines = []
    for rank in range(min(n_best or width, width)):
        ids = [int(i) for i in beams.ids[index, rank]]
        ids = ids[: ids.index(end_id)] if end_id in ids else ids
        text = "".join(tokens[i] for i in ids if i != pad_id)
        lines.append(f"{rank + 1}. {text}\n   {beams.scores[index, rank]:.3f}")
    text_ax.text(0, 1, "n-best (summed log-prob)\n\n" + "\n".join(lines), va="top", family="monospace", fontsize=10)
    text_ax.axis("off")
    fig.tight_layout()
    return fig


def plot_attention(
    weights: Any,
    inputs: Sequence[str],
    outputs: Sequence[str],
    *,
    ax: Axes | None = None,
    title: str = "",
    colorbar: bool = True,
    label_every: tuple[int, int] = (1, 1),
) -> Figure:
    """An attention map: one row per output token, one column per input token, weight as colour (0-1).

    ``weights`` is ``(len(outputs), n)`` with ``n >= len(inputs)``: columns past the inputs
    (padding) are cut off, as are rows past the outputs. Tokens label both axes (a space as "␣",
    ``<end>`` as "■"). Give ``ax`` to draw into a grid of maps; the scale is always 0 to 1, so
    maps side by side compare. A figure made here has fixed margins (no layout pass), so it can
    be saved without a tight bounding box, fast enough to redraw as a student types.
    ``label_every=(k, m)`` labels only every k-th input and every m-th output token (0: none),
    for maps too small to label them all (:func:`plot_attention_heads` uses it).

    Example:
        >>> fig = plot_attention(weights[0], "22.4.2019", list("2019-04-22") + ["<end>"])
    """
    array = np.asarray(weights, dtype=float)
    if array.ndim != 2:
        raise ValueError(f"weights must be 2-D (outputs x inputs), got shape {array.shape}")
    if not inputs or not outputs:
        raise ValueError("inputs and outputs must each hold at least one token")
    if array.shape[0] < len(outputs) or array.shape[1] < len(inputs):
        raise ValueError(f"weights {array.shape} are smaller than outputs x inputs ({len(outputs)} x {len(inputs)})")
    steps = tuple(label_every) if isinstance(label_every, (tuple, list)) else ()
    if len(steps) != 2 or not all(isinstance(k, (int, np.integer)) and not isinstance(k, bool) and k >= 0
                                  for k in steps):
        raise ValueError(f"label_every must be two whole numbers >= 0 (inputs, outputs), got {label_every!r}")
    array = array[: len(outputs), : len(inputs)]
    if ax is None:
        width, height = max(3.5, 0.2 * len(inputs) + 2.2), max(2.4, 0.22 * len(outputs) + 1.4)
        fig, ax = plt.subplots(figsize=(width, height))
        margins = {"left": 0.75, "right": 0.9 if colorbar else 0.2, "bottom": 0.75, "top": 0.45 if title else 0.15}
        fig.subplots_adjust(left=margins["left"] / width, right=1 - margins["right"] / width,
                            bottom=margins["bottom"] / height, top=1 - margins["top"] / height)  # inches to fractions
    else:
        fig = ax.figure
    image = ax.imshow(array, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
    for axis, tokens, step in ((ax.xaxis, inputs, steps[0]), (ax.yaxis, outputs, steps[1])):
        shown = range(0, len(tokens), step) if step else []  # ticks are most of what a redraw costs
        axis.set_ticks(shown, [token_label(tokens[i]) for i in shown], family="monospace", fontsize=9)
    ax.tick_params(length=0)
    ax.grid(False)
    ax.set_xlabel("attends to (input)")
    ax.set_ylabel("writes (output)")
    if title:
        ax.set_title(title, fontsize=11)
    if colorbar:
        fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02, label="weight")
    return fig


X_PITCH, Y_PITCH = 0.1, 0.14  # inches per input column / output row that fit plot_attention's 9-point tick labels
PANEL_MAX = 4.0  # inches: a longer sequence is squeezed into this, its tick labels thinned out
HEADS_PER_ROW = 4


def _points(size: Any) -> float:
    """A font size (points, or a name such as "large") in points."""
    return FontProperties(size=size).get_size_in_points()


def _thinned(n_tokens: int, inches: float, need: float) -> int:
    """Label every k-th token, k the smallest step that leaves ``need`` inches for each label."""
    return max(1, math.ceil(need / (inches / n_tokens) - 1e-9))


def plot_attention_heads(
    weights: Any,
    inputs: Sequence[str],
    outputs: Sequence[str],
    *,
    titles: Sequence[str] | None = None,
    title: str = "",
    columns: int | None = None,
    max_width: float | None = None,
) -> Figure:
    """Several attention maps of the same sequences side by side (every head of one layer), one shared 0-1 colour bar.

    ``weights`` is ``(panels, n_rows, n_cols)``, e.g. one layer's weights ``(heads, outputs, inputs)``;
    each panel is drawn by :func:`plot_attention`, so rows past the outputs and columns past the
    inputs (padding) are cut off the same way. Panels are laid out ``columns`` to a row (default:
    all in one row up to 4, then rows of 4; or, given ``max_width`` in inches, as many as fit in
    it). Panels share the labels of the first in their row (outputs) and of the last in their
    column (inputs) rather than repeat them, and one colour bar: the scale is 0-1 for all. Margins are
    fixed in inches (no layout pass), so the figure redraws fast and saves without cropping
    (``figure_png(fig, tight=False)``); a sequence longer than about 40 tokens is squeezed and
    only every k-th token labelled.

    Args:
        weights: the maps, shape ``(panels, n_rows, n_cols)``, values in [0, 1].
        inputs, outputs: the tokens the columns and the rows stand for.
        titles: one title per panel (default "head 1", "head 2", ...).
        title: a title over the whole figure.
        columns: panels per row.
        max_width: without ``columns``, the widest the figure may be (inches): fewer panels a row.

    Example:
        >>> layer_weights = np.asarray(weights_of([source, previous]))[0, 0]   # (heads, outputs, inputs)
        >>> fig = plot_attention_heads(layer_weights, list("22.4.2019"), list("2019-04-22") + ["<end>"],
        ...                            title="cross-attention, layer 1")
    """
    array = np.asarray(weights, dtype=float)
    if array.ndim != 3:
        raise ValueError(f"weights must be 3-D (panels x outputs x inputs), e.g. one layer's heads; got {array.shape}")
    n_panels = array.shape[0]
    if n_panels < 1:
        raise ValueError("weights must hold at least one panel (its first axis is empty)")
    if not inputs or not outputs:
        raise ValueError("inputs and outputs must each hold at least one token")
    if array.shape[1] < len(outputs) or array.shape[2] < len(inputs):
        raise ValueError(f"weights {tuple(array.shape[1:])} are smaller than outputs x inputs "
                         f"({len(outputs)} x {len(inputs)})")
    titles = [f"head {i + 1}" for i in range(n_panels)] if titles is None else [str(t) for t in titles]
    if len(titles) != n_panels:
        raise ValueError(f"titles must have one entry per panel: {len(titles)} titles for {n_panels} panels")
    if columns is not None and (not isinstance(columns, (int, np.integer)) or isinstance(columns, bool) or columns < 1):
        raise ValueError(f"columns must be a positive whole number, got {columns!r}")
    if max_width is not None and not max_width > 0:
        raise ValueError(f"max_width must be a positive number of inches, got {max_width!r}")
    x_labels, y_labels = [token_label(t) for t in inputs], [token_label(t) for t in outputs]
    n_in, n_out = len(inputs), len(outputs)

    # Every size in inches. Tick labels are plot_attention's 9-point monospace; axis labels follow rcParams.
    char, line = 0.6 * 9 / 72, 0.13  # a character's width, a label's height
    label = 1.25 * _points(plt.rcParams["axes.labelsize"]) / 72 + 0.06
    cbar_ticks = 0.6 * 3 * _points(plt.rcParams["ytick.labelsize"]) / 72  # "0.5"
    rotate = max(map(len, x_labels)) > 1  # words: x labels upright, so they do not run into each other
    panel_w = min(max(X_PITCH * n_in, 1.4), PANEL_MAX)
    panel_h = min(max(Y_PITCH * n_out, 0.9), PANEL_MAX)
    left = 0.08 + label + char * max(map(len, y_labels)) + 0.1  # one axis label for the grid, then tick labels
    gap = 0.22  # between panels of a row: they share the row labels of the first
    right = 0.18 + 0.14 + 0.1 + cbar_ticks + label  # colour bar: pad, bar, its ticks and label
    heading = 1.3 * 11 / 72 + 0.12  # each panel's title (11 points in plot_attention)
    between = 0.14  # between rows: they share the column labels of the last
    below = 0.1 + (char * max(map(len, x_labels)) if rotate else line) + 0.06  # x tick labels, then a gap
    top = 1.3 * 13 / 72 + 0.15 if title else 0.05
    bottom = label + 0.04  # one axis label for the grid
    if columns is None and max_width is not None:  # as many as fit, rows filled evenly: 4 panels as 2 x 2, not 3 + 1
        fit = max(1, min(int((max_width - left - right + gap) // (panel_w + gap)), HEADS_PER_ROW))
        columns = math.ceil(n_panels / math.ceil(n_panels / fit))
    columns = min(columns or HEADS_PER_ROW, n_panels)
    rows = math.ceil(n_panels / columns)
    grid_w = columns * panel_w + (columns - 1) * gap
    grid_h = rows * (heading + panel_h) + (rows - 1) * between  # top of the first titles to the last panels' bottom
    width, height = left + grid_w + right, top + grid_h + below + bottom
    x_step = _thinned(n_in, panel_w, line if rotate else char + 0.02)
    y_step = _thinned(n_out, panel_h, line)

    fig = plt.figure(figsize=(width, height))
    image = None
    for index, (panel, panel_title) in enumerate(zip(array, titles)):
        row, column = divmod(index, columns)
        x0 = left + column * (panel_w + gap)
        y0 = height - top - row * (heading + panel_h + between) - heading - panel_h
        ax = fig.add_axes((x0 / width, y0 / height, panel_w / width, panel_h / height))
        # Only the first panel of a row labels the rows, only the last panel of a column the columns.
        plot_attention(panel, inputs, outputs, ax=ax, title=panel_title, colorbar=False,
                       label_every=(x_step if index + columns >= n_panels else 0, 0 if column else y_step))  # fmt: skip
        ax.set_xlabel("")  # one label for the grid
        ax.set_ylabel("")
        if rotate:
            for text in ax.get_xticklabels():
                text.set_rotation(90)
        image = ax.images[0]
    grid_bottom = below + bottom
    cax = fig.add_axes(((left + grid_w + 0.18) / width, grid_bottom / height, 0.14 / width,
                        (grid_h - heading) / height))  # fmt: skip
    fig.colorbar(image, cax=cax, label="weight")
    fig.text((left + grid_w / 2) / width, 0.04 / height, "attends to (input)", ha="center", va="bottom",
             fontsize=plt.rcParams["axes.labelsize"])  # fmt: skip
    fig.text(0.08 / width, (grid_bottom + (grid_h - heading) / 2) / height, "writes (output)", rotation=90,
             ha="left", va="center", fontsize=plt.rcParams["axes.labelsize"])  # fmt: skip
    if title:
        fig.suptitle(title, fontsize=13, y=1 - 0.08 / height, va="top")
    return fig
