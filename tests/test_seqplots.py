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


def test_attention_map_is_cut_to_the_tokens_on_a_fixed_scale():
    weights = np.random.default_rng(0).dirichlet(np.ones(12), size=5)
    fig = seqplots.plot_attention(weights, "22.4.2019", list("2019") + ["<end>"], title="t")
    ax = fig.axes[0]
    assert ax.images[0].get_array().shape == (5, 9)
    assert ax.images[0].get_clim() == (0.0, 1.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2", "0", "1", "9", "■"]
    plt.close(fig)


def test_attention_maps_draw_into_given_axes():
    fig, axes = plt.subplots(1, 2)
    for ax in axes:
        assert seqplots.plot_attention(np.eye(3), "abc", "xyz", ax=ax, colorbar=False) is fig
    plt.close(fig)


def test_attention_map_rejects_bad_shapes():
    with pytest.raises(ValueError, match="2-D"):
        seqplots.plot_attention(np.ones(3), "abc", "x")
    with pytest.raises(ValueError, match="smaller"):
        seqplots.plot_attention(np.ones((2, 2)), "abc", "x")
