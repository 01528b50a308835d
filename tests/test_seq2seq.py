"""The encoder-decoder of notebook 10 (course_utils.seq2seq): model, decoding halves, length batches."""

import numpy as np
import pytest

import course_utils as cu
from course_utils import seq2seq

SOURCE, TARGET = cu.date_vocabularies()


@pytest.fixture(scope="module")
def data():
    pairs = cu.date_pairs(300, seed=0)
    sources = cu.encode_texts([p.source for p in pairs], SOURCE, length=40)
    previous = cu.encode_texts([p.target for p in pairs], TARGET, start=True)
    targets = cu.encode_texts([p.target for p in pairs], TARGET, end=True)
    return sources, previous, targets


def assert_stepped_is_whole(model, start, step, sources, previous):
    """Fed the true previous tokens step by step, the halves give the whole model's log-probabilities."""
    whole = np.asarray(model([sources, previous]))
    whole = whole - np.log(np.exp(whole).sum(axis=-1, keepdims=True))
    state, stepped = start(sources), []
    for t in range(previous.shape[1]):
        log_probs, state = step(previous[:, t], state)
        stepped.append(np.asarray(log_probs))
    np.testing.assert_allclose(np.stack(stepped, axis=1), whole, atol=1e-5)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_the_step_by_step_decoder_is_the_whole_model(data, bidirectional):
    sources, previous, _ = data
    model = seq2seq.build_translator(len(SOURCE), len(TARGET), units=16, embed=8, bidirectional=bidirectional)
    start, step = seq2seq.translator_halves(model)
    assert [tuple(part.shape) for part in start(sources[:5])] == [(5, 16), (5, 16)]
    assert_stepped_is_whole(model, start, step, sources[:5], previous[:5])


@pytest.mark.parametrize("bidirectional", [False, True])
def test_padding_does_not_change_the_thought_vector(data, bidirectional):
    sources, _, _ = data
    model = seq2seq.build_translator(len(SOURCE), len(TARGET), units=8, bidirectional=bidirectional)
    start, _ = seq2seq.translator_halves(model)
    short = sources[:3, :37]
    np.testing.assert_allclose(np.asarray(start(short)[0]), np.asarray(start(sources[:3])[0]), atol=1e-6)


def test_greedy_and_beam_search_run_on_the_halves(data):
    sources, _, _ = data
    start, step = seq2seq.translator_halves(seq2seq.build_translator(len(SOURCE), len(TARGET), units=8))
    ids, _ = cu.decoding.greedy_decode(step, start(sources[:6]), start_id=1, end_id=2, max_length=11)
    beams = cu.decoding.beam_search(step, start(sources[:6]), width=1, start_id=1, end_id=2, max_length=11)
    np.testing.assert_array_equal(beams.best, ids)


def test_length_batches_hold_every_pair_once_and_pad_less(data):
    sources, previous, targets = data
    batches = list(seq2seq.length_batches(sources, previous, targets, batch=32, seed=1))
    assert len(batches) == 10
    seen = sorted(tuple(row) for (_, _), y in batches for row in np.asarray(y))
    assert seen == sorted(tuple(row) for row in targets)
    lengths = np.count_nonzero(sources, axis=1)
    assert sum(int(x.shape[1]) for (x, _), _ in batches) < 0.8 * 10 * lengths.max()
    for (x, p), y in batches:
        x = np.asarray(x)
        assert x.shape[1] == np.count_nonzero(x, axis=1).max()  # padded to its own longest row only
        assert np.asarray(p).shape == np.asarray(y).shape


def test_length_batches_are_seeded_and_reshuffled_each_epoch(data):
    sources, previous, targets = data
    first = [np.asarray(y)[0].tolist() for (_, _), y in seq2seq.length_batches(sources, previous, targets, seed=3)]
    again = [np.asarray(y)[0].tolist() for (_, _), y in seq2seq.length_batches(sources, previous, targets, seed=3)]
    assert first == again
    dataset = seq2seq.length_batches(sources, previous, targets, seed=3)
    epoch_1 = [np.asarray(y)[0].tolist() for (_, _), y in dataset]
    epoch_2 = [np.asarray(y)[0].tolist() for (_, _), y in dataset]
    assert epoch_1 != epoch_2


def test_bad_arguments_are_named(data):
    sources, previous, targets = data
    with pytest.raises(ValueError, match="even number"):
        seq2seq.build_translator(51, 14, units=15, bidirectional=True)
    with pytest.raises(ValueError, match="units"):
        seq2seq.build_translator(51, 14, units=0)
    with pytest.raises(ValueError, match="one row per pair"):
        seq2seq.length_batches(sources, previous[:-1], targets)
    with pytest.raises(ValueError, match="batch"):
        seq2seq.length_batches(sources, previous, targets, batch=0)
    import keras

    with pytest.raises(ValueError, match="not a translator"):
        seq2seq.translator_halves(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]))


@pytest.mark.parametrize("score", seq2seq.SCORES)
def test_the_attention_translators_step_by_step_decoder_is_the_whole_model(data, score):
    sources, previous, _ = data
    model = seq2seq.build_attention_translator(len(SOURCE), len(TARGET), units=16, embed=8, score=score)
    start, step = seq2seq.attention_halves(model)
    assert_stepped_is_whole(model, start, step, sources[:5], previous[:5])
    beams = cu.decoding.beam_search(step, start(sources[:5]), width=2, start_id=1, end_id=2, max_length=11)
    assert beams.best.shape == (5, 11)


@pytest.mark.parametrize("score", seq2seq.SCORES)
def test_attention_weights_are_a_distribution_over_the_real_source(data, score):
    sources, previous, _ = data
    model = seq2seq.build_attention_translator(len(SOURCE), len(TARGET), units=8, score=score)
    weights = np.asarray(seq2seq.attention_weights(model)([sources[:6], previous[:6]]))
    assert weights.shape == (6, previous.shape[1], sources.shape[1])
    np.testing.assert_allclose(weights.sum(axis=-1), 1, atol=1e-5)
    padded = np.broadcast_to(sources[:6, None, :] == 0, weights.shape)
    assert weights[padded].max() == 0 and weights[~padded].min() > 0
    # and padding does not change what the model says
    short = sources[:6, : np.count_nonzero(sources[:6], axis=1).max()]
    np.testing.assert_allclose(np.asarray(model([short, previous[:6]])), np.asarray(model([sources[:6], previous[:6]])),
                               atol=1e-5)


def test_attention_translator_arguments_are_checked():
    with pytest.raises(ValueError, match="score must be one of"):
        seq2seq.build_attention_translator(51, 14, score="cosine")
    with pytest.raises(ValueError, match="even number"):
        seq2seq.build_attention_translator(51, 14, units=15)
    with pytest.raises(ValueError, match="not a translator from build_attention_translator"):
        seq2seq.attention_halves(seq2seq.build_translator(51, 14, units=8))
