"""Figures of the sequence half (course_utils.seqplots): the beam-search tree."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import decoding, seqplots  # noqa: E402

TOKENS = ("<pad>", "<start>", "<end>", "a", "b", "c")
LOG_P = np.log([[1e-9, 1e-9, 0.1, 0.5, 0.3, 0.1], [1e-9, 1e-9, 0.7, 0.1, 0.1, 0.1]])


def step(tokens, state):
    return LOG_P[np.minimum(state, 1)], state + 1


@pytest.mark.parametrize("width", [1, 2, 3, 4, 6])  # 2 * width above the 6 tokens too
def test_tree_draws_kept_and_pruned_nodes_and_lists_the_n_best(width):
    beams = decoding.beam_search(step, np.zeros(2, dtype=int), width=width, start_id=1, end_id=2, max_length=4)
    fig = seqplots.plot_beam_tree(beams, 1, TOKENS, end_id=2, pad_id=0)
    tree, listing = fig.axes
    labels = [text.get_text() for text in tree.texts]
    assert "▶" in labels and any(label.startswith("■") for label in labels)
    n_best = listing.texts[0].get_text()
    assert n_best.count("\n1. ") == 1 and f"{width}. " in n_best
    red = [line for line in tree.lines if line.get_color() == seqplots.WINNER]
    assert len(red) >= 3  # the start and the winner's path
    plt.close(fig)


def test_bad_index_and_missing_trace_are_named():
    beams = decoding.beam_search(step, np.zeros(2, dtype=int), width=2, start_id=1, end_id=2, max_length=4)
    with pytest.raises(ValueError, match="index"):
        seqplots.plot_beam_tree(beams, 5, TOKENS, end_id=2)
    empty = decoding.Beams(beams.ids, beams.scores, beams.lengths, beams.normalised, [])
    with pytest.raises(ValueError, match="no trace"):
        seqplots.plot_beam_tree(empty, 0, TOKENS, end_id=2)


def test_token_labels():
    assert [seqplots.token_label(t) for t in ("<start>", "<end>", "<pad>", " ", "7")] == ["▶", "■", "·", "␣", "7"]
