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
