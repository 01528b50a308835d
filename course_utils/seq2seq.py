"""The encoder-decoders of notebooks 10 and 11, kept for later notebooks: models, decoding halves, batches.

Taught in notebook 10, where each piece is written out: :func:`build_translator` (two GRUs; the
encoder's final state, the "thought vector", is the decoder's initial state and is read again at
every decoder step), :func:`translator_halves` (``start``: sources to the decoder's starting state,
and one compiled decoder ``step``, for :func:`course_utils.decoding.greedy_decode` and
:func:`~course_utils.decoding.beam_search`) and :func:`length_batches` (training batches of
sources of similar length, each padded only to its own longest row).

Taught in notebook 11: :func:`build_attention_translator` (a bidirectional GRU encoder whose every
state the decoder can look at, through additive or dot-product attention),
:func:`attention_halves` (its ``start`` and compiled ``step``) and :func:`attention_weights`
(the weights of every output position over the source, teacher-forced).

Example:
    >>> source_vocab, target_vocab = cu.date_vocabularies()
    >>> model = build_translator(len(source_vocab), len(target_vocab), units=128)
    >>> start, step = translator_halves(model)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from keras import layers


class EveryStep(layers.Layer):
    """The thought vector repeated once per step of a sequence: ``(batch, units) -> (batch, steps, units)``.

    Example:
        >>> EveryStep()(np.ones((2, 3)), np.zeros((2, 5, 8))).shape
        TensorShape([2, 5, 3])
    """

    def call(self, thought: Any, sequence: Any) -> Any:
        return keras.ops.repeat(keras.ops.expand_dims(thought, 1), keras.ops.shape(sequence)[1], axis=1)


def _check_sizes(**sizes: Any) -> None:
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")


def build_translator(
    source_size: int, target_size: int, *, units: int = 128, embed: int = 32, bidirectional: bool = False
) -> keras.Model:
    """An encoder-decoder of two GRUs: inputs (source ids, previous target ids), output next-token logits.

    The source's padding (id 0) is masked. The encoder's final state (a layer named "thought";
    with ``bidirectional=True``, the two directions' final states of ``units // 2`` each,
    concatenated) is the decoder GRU's initial state, and is concatenated to the decoder's input
    at every step (the previous token's embedding). The decoder's layers are named
    "target_embedding", "decoder_gru" and "next_char" so :func:`translator_halves` can find them.

    Example:
        >>> model = build_translator(51, 14, units=128, bidirectional=True)
        >>> model.count_params()
        152878
    """
    _check_sizes(source_size=source_size, target_size=target_size, units=units, embed=embed)
    if bidirectional and units % 2:
        raise ValueError(f"a bidirectional encoder splits units in two: give an even number, got {units}")
    source = keras.Input((None,), dtype="int32", name="source")
    previous = keras.Input((None,), dtype="int32", name="previous")
    x = layers.Embedding(source_size, embed, mask_zero=True)(source)
    if bidirectional:
        _, forward, backward = layers.Bidirectional(layers.GRU(units // 2, return_state=True))(x)
        thought = layers.Concatenate(name="thought")([forward, backward])
    else:
        _, final_state = layers.GRU(units, return_state=True)(x)
        thought = layers.Identity(name="thought")(final_state)
    y = layers.Embedding(target_size, embed, name="target_embedding")(previous)
    y = layers.Concatenate()([y, EveryStep()(thought, y)])
    y = layers.GRU(units, return_sequences=True, name="decoder_gru")(y, initial_state=thought)
    logits = layers.Dense(target_size, name="next_char")(y)
    return keras.Model([source, previous], logits)


def translator_halves(model: keras.Model) -> tuple[Callable[[Any], Any], Callable[[Any, Any], tuple[Any, Any]]]:
    """``start`` (source ids -> the decoder's starting state) and one compiled decoder ``step``.

    The state is the pair ``(s, c)``: the decoder GRU's state and the thought vector, which every
    step reads; ``start`` returns ``(c, c)``. ``step(tokens, state) -> (log_probs, state)`` calls
    the decoder's own layers (its GRU through the cell the layer loops over), compiled with
    ``tf.function``: the step function that :mod:`course_utils.decoding` drives. The encoder is
    compiled too (run eagerly, a GRU costs about 0.1 s per call). The weights are shared with ``model``.

    Example:
        >>> start, step = translator_halves(model)
        >>> log_probs, state = step(np.full(4, 1), start(sources[:4]))   # 4 inputs, first step
    """
    try:
        thought = model.get_layer("thought").output
        embed, gru, dense = (model.get_layer(name) for name in ("target_embedding", "decoder_gru", "next_char"))
    except ValueError as err:
        raise ValueError(f"not a translator from build_translator (its named layers are missing): {err}") from None
    encoder = tf.function(keras.Model(model.inputs[0], thought), reduce_retracing=True)  # eager GRUs are slow

    def start(sources: Any) -> tuple[Any, Any]:
        c = encoder(tf.convert_to_tensor(sources, tf.int32))
        return c, c

    @tf.function(reduce_retracing=True)
    def step(tokens: Any, state: Any) -> tuple[Any, Any]:
        s, c = state
        output, s = gru.cell(tf.concat([embed(tokens), c], axis=-1), s)
        return tf.nn.log_softmax(dense(output)), (s, c)

    return start, step


SCORES = ("additive", "dot")
"""The attention scores :func:`build_attention_translator` knows: Bahdanau's additive, Luong's dot product."""


def build_attention_translator(
    source_size: int, target_size: int, *, units: int = 128, embed: int = 32, score: str = "additive"
) -> keras.Model:
    """An encoder-decoder with attention: inputs (source ids, previous target ids), output next-token logits.

    The encoder is a bidirectional GRU (``units // 2`` each way) that keeps all its states ``h_j``;
    their final states, concatenated (layer "thought"), start the decoder GRU. At each step the
    decoder's state ``s_t`` scores every source position (padding masked), the softmax of the
    scores weighs the ``h_j`` into a context vector, and ``tanh(W [s_t, context])`` gives the logits.
    ``score="additive"`` is ``v . tanh(W1 s + W2 h)`` (Bahdanau et al., 2015; layers "query",
    "key" and ``keras.layers.AdditiveAttention``); ``"dot"`` is ``(W s) . h`` (Luong et al.,
    2015, "general"; layer "query" and ``keras.layers.Attention``). Luong's placement is used for
    both: attention after the decoder GRU, so training runs over all steps at once.

    Example:
        >>> model = build_attention_translator(51, 14, units=128, score="additive")
        >>> model.count_params()
        169518
    """
    _check_sizes(source_size=source_size, target_size=target_size, units=units, embed=embed)
    if units % 2:
        raise ValueError(f"the bidirectional encoder splits units in two: give an even number, got {units}")
    if score not in SCORES:
        raise ValueError(f"score must be one of {SCORES}, got {score!r}")
    source = keras.Input((None,), dtype="int32", name="source")
    previous = keras.Input((None,), dtype="int32", name="previous")
    x = layers.Embedding(source_size, embed, mask_zero=True)(source)
    states, forward, backward = layers.Bidirectional(
        layers.GRU(units // 2, return_sequences=True, return_state=True), name="encoder")(x)  # fmt: skip
    thought = layers.Concatenate(name="thought")([forward, backward])
    real = keras.ops.not_equal(source, 0)  # True at the real source characters, False at padding
    y = layers.Embedding(target_size, embed, name="target_embedding")(previous)
    s = layers.GRU(units, return_sequences=True, name="decoder_gru")(y, initial_state=thought)
    query = layers.Dense(units, use_bias=False, name="query")(s)
    if score == "additive":
        keys = layers.Dense(units, use_bias=False, name="key")(states)
        context, _ = layers.AdditiveAttention(name="attention")([query, states, keys], mask=[None, real],
                                                                return_attention_scores=True)  # fmt: skip
    else:
        context, _ = layers.Attention(name="attention")([query, states], mask=[None, real],
                                                        return_attention_scores=True)  # fmt: skip
    combined = layers.Dense(units, activation="tanh", name="combine")(layers.Concatenate()([s, context]))
    logits = layers.Dense(target_size, name="next_char")(combined)
    return keras.Model([source, previous], logits)


def _attention_layers(model: keras.Model) -> dict[str, Any]:
    names = ("encoder", "thought", "target_embedding", "decoder_gru", "query", "attention", "combine", "next_char")
    try:
        found = {name: model.get_layer(name) for name in names}
    except ValueError as err:
        raise ValueError(f"not a translator from build_attention_translator (a layer is missing): {err}") from None
    found["key"] = next((layer for layer in model.layers if layer.name == "key"), None)
    return found


def attention_weights(model: keras.Model) -> Callable[[Any], Any]:
    """The attention weights of an attention translator, ``(batch, target steps, source steps)``, compiled.

    The returned function takes the model's inputs, ``[sources, previous]`` (the teacher-forced
    targets, or ``<start>`` and a decoded output), and shares its weights. Each row sums to 1 over
    the source; padded source positions get 0. It is a ``tf.function``: run eagerly, the encoder's
    GRU would cost about 0.1 s per call, too slow for a map redrawn as a student types.

    Example:
        >>> weights = attention_weights(model)([sources[:4], previous[:4]])   # (4, 11, source length)
    """
    _attention_layers(model)
    return tf.function(keras.Model(model.inputs, model.get_layer("attention").output[1]), reduce_retracing=True)


def attention_halves(model: keras.Model) -> tuple[Callable[[Any], Any], Callable[[Any, Any], tuple[Any, Any]]]:
    """``start`` (source ids -> the decoder's starting state) and one compiled decoder ``step``, with attention.

    The state is ``(s, states, keys, real)``: the decoder GRU's state, the encoder's states, the
    keys they are scored by (the states themselves for "dot") and the mask of real source
    positions; only ``s`` changes from step to step. The step function that
    :mod:`course_utils.decoding` drives; the weights are shared with ``model``.

    Example:
        >>> start, step = attention_halves(model)
        >>> ids, scores = cu.decoding.greedy_decode(step, start(sources), start_id=1, end_id=2, max_length=11)
    """
    parts = _attention_layers(model)
    encoder = tf.function(keras.Model(model.inputs[0], [model.get_layer("encoder").output[0],
                                                         parts["thought"].output]), reduce_retracing=True)  # fmt: skip
    key = parts["key"]

    def start(sources: Any) -> tuple[Any, Any, Any, Any]:
        sources = tf.convert_to_tensor(sources, tf.int32)
        states, thought = encoder(sources)
        return thought, states, states if key is None else key(states), tf.not_equal(sources, 0)

    @tf.function(reduce_retracing=True)
    def step(tokens: Any, state: Any) -> tuple[Any, Any]:
        s, states, keys, real = state
        output, s = parts["decoder_gru"].cell(parts["target_embedding"](tokens), s)
        query = parts["query"](output)[:, None, :]
        inputs = [query, states, keys] if key is not None else [query, states]
        context = parts["attention"](inputs, mask=[None, real])[:, 0, :]
        logits = parts["next_char"](parts["combine"](tf.concat([output, context], axis=-1)))
        return tf.nn.log_softmax(logits), (s, states, keys, real)

    return start, step


def length_batches(
    sources: np.ndarray, previous: np.ndarray, targets: np.ndarray, *, batch: int = 64, seed: int = 0
) -> tf.data.Dataset:
    """Training batches whose sources have similar lengths, each padded only to its own longest row.

    The rows are sorted by source length (equal lengths in a fresh random order every epoch), cut
    into batches, and the batches shuffled; a GRU then takes far fewer steps over padding.
    ``sources`` are right-padded with 0. Yields ``((sources, previous), targets)`` for ``fit``.

    Example:
        >>> model.fit(length_batches(x_train, prev_train, y_train, seed=42), epochs=6)
    """
    sources, previous, targets = (np.asarray(a, dtype=np.int32) for a in (sources, previous, targets))
    if sources.ndim != 2 or not len(sources) == len(previous) == len(targets):
        raise ValueError(f"sources, previous and targets must be 2-D with one row per pair: {sources.shape}, "
                         f"{previous.shape}, {targets.shape}")  # fmt: skip
    if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 1:
        raise ValueError(f"batch must be a whole number of at least 1, got {batch!r}")
    lengths = np.count_nonzero(sources, axis=1)
    rng = np.random.default_rng(seed)

    def one_epoch() -> Any:
        order = np.lexsort((rng.random(len(lengths)), lengths))
        groups = [order[i : i + batch] for i in range(0, len(order), batch)]
        for g in rng.permutation(len(groups)):
            rows = groups[g]
            yield (sources[rows, : max(1, lengths[rows].max())], previous[rows]), targets[rows]

    spec = tf.TensorSpec((None, None), tf.int32)
    dataset = tf.data.Dataset.from_generator(one_epoch, output_signature=((spec, spec), spec))
    return dataset.apply(tf.data.experimental.assert_cardinality(-(-len(lengths) // batch)))
