"""Figures of the sequence half (course_utils.seqplots): the beam-search tree, attention maps one or many at a time."""

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


def _heads(panels=4, rows=6, cols=9, seed=0):
    return np.random.default_rng(seed).dirichlet(np.ones(cols), size=(panels, rows))


@pytest.mark.parametrize(("panels", "columns", "grid"), [(1, None, (1, 1)), (4, None, (1, 4)), (6, None, (2, 4)),
                                                         (6, 3, (2, 3)), (4, 2, (2, 2))])  # fmt: skip
def test_attention_heads_lay_out_one_panel_each_and_one_colour_bar(panels, columns, grid):
    fig = seqplots.plot_attention_heads(_heads(panels), "22.4.2019", list("2019") + ["<end>"], title="layer 1",
                                        columns=columns)  # fmt: skip
    maps = [ax for ax in fig.axes if ax.images]
    assert len(maps) == panels and len(fig.axes) == panels + 1  # the last axes: the one colour bar
    assert [ax.get_title() for ax in maps] == [f"head {i + 1}" for i in range(panels)]
    assert all(ax.images[0].get_array().shape == (5, 9) and ax.images[0].get_clim() == (0.0, 1.0) for ax in maps)
    lefts = sorted({round(ax.get_position().x0, 3) for ax in maps})
    bottoms = sorted({round(ax.get_position().y0, 3) for ax in maps})
    assert (len(bottoms), len(lefts)) == grid
    assert fig.get_suptitle() == "layer 1"
    assert [t.get_text() for t in maps[0].get_yticklabels()] == ["2", "0", "1", "9", "■"]
    if grid[1] > 1:
        assert not maps[1].get_yticklabels()  # the first panel of the row labels the rows
    for ax in maps:  # every panel inside the figure: saved untrimmed, nothing is cut off
        box = ax.get_position()
        assert 0 < box.x0 < box.x1 < 1 and 0 < box.y0 < box.y1 < 1
    plt.close(fig)


def test_attention_heads_take_titles_and_fit_a_width():
    fig = seqplots.plot_attention_heads(_heads(4, 5, 40), "x" * 40, "y" * 5, titles=list("abcd"), max_width=10)
    maps = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in maps] == list("abcd")
    assert fig.get_figwidth() <= 10 and len({round(ax.get_position().x0, 3) for ax in maps}) == 2  # 2 x 2
    assert not maps[0].get_xticklabels() and len(maps[2].get_xticklabels()) == 40  # the lower panel labels them
    plt.close(fig)


def test_long_sequences_label_every_kth_token():
    fig = seqplots.plot_attention_heads(_heads(2, 64, 64), "a" * 64, "b" * 64)
    ax = fig.axes[0]
    assert ax.images[0].get_array().shape == (64, 64)
    assert 8 <= len(ax.get_xticks()) < 64 and 8 <= len(ax.get_yticks()) < 64
    plt.close(fig)


@pytest.mark.parametrize(
    ("weights", "kwargs", "message"),
    [
        (np.ones((3, 3)), {}, "3-D"),
        (np.ones((0, 3, 3)), {}, "at least one panel"),
        (np.ones((2, 3, 2)), {}, "smaller"),
        (np.ones((2, 3, 3)), {"titles": ["one"]}, "one entry per panel"),
        (np.ones((2, 3, 3)), {"columns": 0}, "columns"),
    ],
)
def test_attention_heads_reject_bad_input(weights, kwargs, message):
    with pytest.raises(ValueError, match=message):
        seqplots.plot_attention_heads(weights, "abc", "xyz", **kwargs)


def test_attention_map_can_label_every_kth_token():
    fig = seqplots.plot_attention(np.eye(6), "abcdef", "uvwxyz", label_every=(2, 0))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "c", "e"] and not ax.get_yticklabels()
    plt.close(fig)
    with pytest.raises(ValueError, match="label_every"):
        seqplots.plot_attention(np.eye(3), "abc", "xyz", label_every=(1,))
