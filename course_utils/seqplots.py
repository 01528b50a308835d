"""Figures of the sequence half: the beam-search tree, and attention maps (one sequence against another).

Taught in notebook 10, where beam search is written out; the tree is drawn from the ``trace``
that :func:`course_utils.decoding.beam_search` records (the best ``2 * width`` candidates of every
step, the first ``width`` kept). Every function returns the matplotlib ``Figure``.
Taught in notebook 11: :func:`plot_attention`, one output sequence against the sequence it
attends to, on a fixed 0-1 colour scale so maps can be compared (notebook 12 draws a grid of them).

Example:
    >>> beams = cu.decoding.beam_search(step, state, width=3, start_id=1, end_id=2, max_length=11)
    >>> fig = plot_beam_tree(beams, 0, target_vocab.tokens, end_id=2, pad_id=0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

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
) -> Figure:
    """An attention map: one row per output token, one column per input token, weight as colour (0-1).

    ``weights`` is ``(len(outputs), n)`` with ``n >= len(inputs)``: columns past the inputs
    (padding) are cut off, as are rows past the outputs. Tokens label both axes (a space as "␣",
    ``<end>`` as "■"). Give ``ax`` to draw into a grid of maps; the scale is always 0 to 1, so
    maps side by side compare. A figure made here has fixed margins (no layout pass), so it can
    be saved without a tight bounding box, fast enough to redraw as a student types.

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
    ax.set_xticks(range(len(inputs)), [token_label(t) for t in inputs], family="monospace", fontsize=9)
    ax.set_yticks(range(len(outputs)), [token_label(t) for t in outputs], family="monospace", fontsize=9)
    ax.tick_params(length=0)
    ax.grid(False)
    ax.set_xlabel("attends to (input)")
    ax.set_ylabel("writes (output)")
    if title:
        ax.set_title(title, fontsize=11)
    if colorbar:
        fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02, label="weight")
    return fig
