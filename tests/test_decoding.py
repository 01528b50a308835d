"""The samplers of course_utils.decoding (taught in notebook 09): temperature, top-k, nucleus."""

import numpy as np
import pytest

from course_utils import decoding

LOGITS = np.log(np.array([0.05, 0.5, 0.2, 0.15, 0.1]))


def test_temperature_one_gives_the_softmax():
    np.testing.assert_allclose(decoding.softmax_with_temperature(LOGITS, 1.0), np.exp(LOGITS), atol=1e-12)


def test_low_temperature_tends_to_the_argmax_and_high_to_uniform():
    cold = decoding.softmax_with_temperature(LOGITS, 1e-3)
    hot = decoding.softmax_with_temperature(LOGITS, 1e3)
    assert cold.argmax() == 1 and cold[1] > 1 - 1e-9
    np.testing.assert_allclose(hot, 0.2, atol=1e-3)


def test_rows_are_independent():
    rows = np.stack([LOGITS, LOGITS[::-1]])
    probs = decoding.softmax_with_temperature(rows, 0.7)
    np.testing.assert_allclose(probs[1], decoding.softmax_with_temperature(LOGITS[::-1], 0.7))
    np.testing.assert_allclose(probs.sum(axis=1), 1)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf")])
def test_bad_temperature_raises(bad):
    with pytest.raises(ValueError, match="temperature"):
        decoding.softmax_with_temperature(LOGITS, bad)


def test_top_k_keeps_exactly_k():
    probs = np.exp(LOGITS)
    for k in range(1, 6):
        filtered = decoding.top_k_filter(probs, k)
        assert np.count_nonzero(filtered) == k
        assert set(np.flatnonzero(filtered)) == set(np.argsort(-probs)[:k])
        assert filtered.sum() == pytest.approx(1)
    assert np.count_nonzero(decoding.top_k_filter(probs, 99)) == 5
    assert np.count_nonzero(decoding.top_k_filter(np.full(4, 0.25), 2)) == 2  # ties: still exactly k


@pytest.mark.parametrize("bad", [0, -3])
def test_bad_k_raises(bad):
    with pytest.raises(ValueError, match="k must be at least 1"):
        decoding.top_k_filter(np.exp(LOGITS), bad)


def test_top_k_needs_a_whole_number():
    with pytest.raises(TypeError):
        decoding.top_k_filter(np.exp(LOGITS), 2.5)


NUCLEI = [(0.5, {1}), (0.51, {1, 2}), (0.7, {1, 2}), (0.85, {1, 2, 3}), (1.0, {0, 1, 2, 3, 4})]


@pytest.mark.parametrize("p, kept", NUCLEI)
def test_nucleus_keeps_the_smallest_set_reaching_p(p, kept):
    filtered = decoding.top_p_filter(np.exp(LOGITS), p)
    assert set(np.flatnonzero(filtered)) == kept
    assert filtered.sum() == pytest.approx(1)


@pytest.mark.parametrize("bad", [0, -0.1, 1.01, 2])
def test_bad_p_raises(bad):
    with pytest.raises(ValueError, match=r"p must lie in \(0, 1\]"):
        decoding.top_p_filter(np.exp(LOGITS), bad)


def test_bad_shapes_raise():
    with pytest.raises(ValueError):
        decoding.softmax_with_temperature(np.zeros((2, 3, 4)), 1.0)


def test_sample_next_matches_the_distribution():
    rng = np.random.default_rng(0)
    draws = decoding.sample_next(np.tile(LOGITS, (40000, 1)), rng=rng)
    frequencies = np.bincount(draws, minlength=5) / len(draws)
    np.testing.assert_allclose(frequencies, np.exp(LOGITS), atol=0.01)


def test_sample_next_never_draws_a_filtered_token():
    rng = np.random.default_rng(1)
    draws = decoding.sample_next(np.tile(LOGITS, (2000, 1)), top_k=2, rng=rng)
    assert set(np.unique(draws)) == {1, 2}
    draws = decoding.sample_next(np.tile(LOGITS, (2000, 1)), top_p=0.5, rng=rng)
    assert set(np.unique(draws)) == {1}


def test_sample_next_returns_an_int_for_one_row():
    assert isinstance(decoding.sample_next(LOGITS, temperature=1e-3), int)
    assert decoding.sample_next(LOGITS, temperature=1e-3) == 1


# Greedy decoding and beam search (taught in notebook 10) on a toy model: a fixed random table of
# next-token log-probabilities indexed by (input, position, previous token). Token 0 is PAD, 1 START, 2 END.
VOCAB, LENGTH, END = 6, 5, 2


def toy_model(n_inputs, seed=0):
    logits = np.random.default_rng(seed).normal(0, 2, size=(n_inputs, LENGTH, VOCAB, VOCAB))
    logits[..., 0] = -np.inf  # never PAD
    logits[..., 1] = -np.inf  # never START
    table = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))

    def step(tokens, state):
        inputs, position = state["input"], state["position"]
        return table[inputs, np.minimum(position, LENGTH - 1), tokens], {"input": inputs, "position": position + 1}

    def state():
        return {"input": np.arange(n_inputs), "position": np.zeros(n_inputs, dtype=int)}

    return step, state, table


def exhaustive_best(table, i):
    """The most likely output of input i (ended by END, or cut at LENGTH tokens), trying every sequence."""
    best = (-np.inf, None)
    frontier = [((), 1, 0.0)]
    for t in range(LENGTH):
        grown = []
        for prefix, last, score in frontier:
            for token in range(VOCAB):
                new = score + table[i, t, last, token]
                if token == END:
                    best = max(best, (new, prefix + (token,)))
                elif np.isfinite(new):
                    grown.append((prefix + (token,), token, new))
        frontier = grown
    return max([best] + [(score, prefix) for prefix, _, score in frontier])


def test_beam_of_width_one_is_greedy():
    step, state, _ = toy_model(50)
    ids, scores = decoding.greedy_decode(step, state(), start_id=1, end_id=END, max_length=LENGTH)
    beams = decoding.beam_search(step, state(), width=1, start_id=1, end_id=END, max_length=LENGTH)
    np.testing.assert_array_equal(beams.best, ids)
    np.testing.assert_allclose(beams.scores[:, 0], scores)


def test_a_wide_beam_finds_the_most_likely_output():
    step, state, table = toy_model(8)
    beams = decoding.beam_search(step, state(), width=VOCAB**LENGTH, start_id=1, end_id=END, max_length=LENGTH)
    for i in range(8):
        score, tokens = exhaustive_best(table, i)
        assert beams.scores[i, 0] == pytest.approx(score)
        assert tuple(beams.best[i, : len(tokens)]) == tokens


def test_beam_scores_at_least_greedy_and_n_best_sorted():
    step, state, _ = toy_model(200, seed=1)
    _, greedy_scores = decoding.greedy_decode(step, state(), start_id=1, end_id=END, max_length=LENGTH)
    beams = decoding.beam_search(step, state(), width=4, start_id=1, end_id=END, max_length=LENGTH)
    assert np.mean(beams.scores[:, 0] >= greedy_scores - 1e-9) >= 0.95
    assert np.all(np.diff(beams.normalised, axis=1) <= 1e-12)
    assert np.all(beams.lengths >= 1) and np.all(beams.lengths <= LENGTH)


def test_a_batch_gives_what_each_input_gives_alone():
    step, state, _ = toy_model(6, seed=2)
    together = decoding.beam_search(step, state(), width=3, start_id=1, end_id=END, max_length=LENGTH)
    for i in range(6):
        alone_state = {"input": np.array([i]), "position": np.zeros(1, dtype=int)}
        alone = decoding.beam_search(step, alone_state, width=3, start_id=1, end_id=END, max_length=LENGTH)
        np.testing.assert_array_equal(alone.ids[0], together.ids[i])
        np.testing.assert_allclose(alone.scores[0], together.scores[i])


def test_after_end_only_padding_and_the_trace_keeps_the_width_first():
    step, state, _ = toy_model(20, seed=3)
    beams = decoding.beam_search(step, state(), width=3, start_id=1, end_id=END, max_length=LENGTH)
    for row, length in zip(beams.ids.reshape(-1, LENGTH), beams.lengths.ravel()):
        if END in row:
            assert length == list(row).index(END) + 1 and not row[length:].any()
    for record in beams.trace:
        assert record.parents.shape == record.tokens.shape == record.scores.shape == (20, 6)
        assert np.all(record.scores[:, :-1] >= record.scores[:, 1:])  # best first (-inf last)


def test_length_penalty_can_change_the_winner():
    # from START: END at once (p = 0.4), or token 3 (p = 0.6) then END (p = 0.6), total 0.36.
    # Summed log-probabilities prefer the short output; per token (alpha = 1), the long one.
    table = np.log([[1e-12, 1e-12, 0.4, 0.6], [1e-12, 1e-12, 0.6, 0.4]])

    def step(tokens, state):
        return table[np.minimum(state, 1)], state + 1

    arguments = {"width": 2, "start_id": 1, "end_id": 2, "max_length": 3}
    plain = decoding.beam_search(step, np.zeros(1, dtype=int), **arguments)
    normal = decoding.beam_search(step, np.zeros(1, dtype=int), length_penalty=1.0, **arguments)
    assert plain.best[0].tolist() == [2, 0, 0] and normal.best[0].tolist() == [3, 2, 0]
    np.testing.assert_allclose(normal.normalised[0], normal.scores[0] / normal.lengths[0])
    np.testing.assert_allclose(np.exp(normal.normalised[0]), [0.6, 0.4])


def test_padding_and_start_are_never_generated():
    # a model that would rather emit PAD (0) or START (1): neither may appear before END
    table = np.log([[0.5, 0.3, 0.05, 0.15]])

    def step(tokens, state):
        return np.repeat(table, len(tokens), axis=0), state

    ids, _ = decoding.greedy_decode(step, np.zeros(1), start_id=1, end_id=2, max_length=3)
    assert ids[0].tolist() == [3, 3, 3]
    beams = decoding.beam_search(step, np.zeros(1), width=3, start_id=1, end_id=2, max_length=3)
    for row, length in zip(beams.ids[0], beams.lengths[0]):
        assert not np.isin(row[:length], [0, 1]).any()
    assert sorted(map(tuple, beams.ids[0].tolist())) == [(2, 0, 0), (3, 2, 0), (3, 3, 3)]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"width": 0}, ValueError), ({"width": 2.5}, TypeError), ({"width": 2, "length_penalty": -1}, ValueError),
     ({"width": 2, "max_length": 0}, ValueError)],
)  # fmt: skip
def test_bad_beam_arguments_raise(kwargs, error):
    step, state, _ = toy_model(2)
    arguments = {"start_id": 1, "end_id": END, "max_length": LENGTH, **kwargs}
    with pytest.raises(error):
        decoding.beam_search(step, state(), **arguments)


def test_a_step_of_the_wrong_shape_is_named():
    def step(tokens, state):
        return np.zeros((len(tokens) + 1, VOCAB)), state

    with pytest.raises(ValueError, match="log-probabilities of shape"):
        decoding.greedy_decode(step, np.zeros((3, 2)), start_id=1, end_id=END, max_length=4)
    with pytest.raises(ValueError, match="no array"):
        decoding.greedy_decode(step, (), start_id=1, end_id=END, max_length=4)


def test_tensor_states_are_reordered_too():
    tf = pytest.importorskip("tensorflow")
    step, _, _ = toy_model(3, seed=5)

    def tensor_step(tokens, state):
        log_probs, new = step(tokens, {"input": state[0].numpy(), "position": state[1].numpy()})
        return log_probs, (tf.constant(new["input"]), tf.constant(new["position"]))

    tensors = (tf.range(3), tf.zeros(3, dtype=tf.int64))
    arrays = {"input": np.arange(3), "position": np.zeros(3, dtype=int)}
    a = decoding.beam_search(tensor_step, tensors, width=2, start_id=1, end_id=END, max_length=LENGTH)
    b = decoding.beam_search(step, arrays, width=2, start_id=1, end_id=END, max_length=LENGTH)
    np.testing.assert_array_equal(a.ids, b.ids)
