"""Decoders of sequence models: samplers (temperature, top-k, nucleus), greedy decoding, beam search.

The samplers are taught in notebook 09, where each is written out and explained; kept here for
notebook 12, which samples from its transformer with them. They work on the scores (logits) or
probabilities of the next token, one row per sequence: shape ``(vocabulary,)`` or
``(batch, vocabulary)``.

Greedy decoding and beam search are taught in notebook 10 (beam search written there for one
input; here the same algorithm runs on a batch of inputs at once) and reused by notebooks 11 and
12. They drive any model through a *step* function ``step(tokens, state) -> (log_probs, state)``:
``tokens`` holds one previous token id per row, ``log_probs`` the next token's log-probabilities
(shape ``(rows, vocabulary)``), and ``state`` is whatever the model carries between steps (an
array, or a tuple, list or dict of arrays) with one row per sequence along its first axis.

Example:
    >>> import numpy as np
    >>> logits = np.log([0.5, 0.3, 0.2])
    >>> softmax_with_temperature(logits, 1.0).round(2).tolist()
    [0.5, 0.3, 0.2]
    >>> top_k_filter(softmax_with_temperature(logits, 1.0), 2).round(3).tolist()
    [0.625, 0.375, 0.0]
    >>> sample_next(logits, temperature=0.5, rng=np.random.default_rng(0))
    0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

Step = Callable[[np.ndarray, Any], tuple[Any, Any]]
"""``step(tokens, state) -> (log_probs, new_state)``: one decoding step of a model, for a batch of rows."""


def _check_temperature(temperature: float) -> float:
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.floating, np.integer)):
        raise TypeError(f"temperature must be a number, got {type(temperature).__name__}")
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(
            f"temperature must be a positive number, got {temperature!r}: for the greedy choice use a small "
            "temperature such as 1e-3, or take the argmax"
        )
    return float(temperature)


def _as_rows(values: np.ndarray, what: str) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim not in (1, 2) or array.shape[-1] < 1:
        raise ValueError(f"{what} must have shape (vocabulary,) or (batch, vocabulary), got {array.shape}")
    return array


def softmax_with_temperature(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """The next-token probabilities ``softmax(logits / temperature)`` along the last axis.

    A temperature below 1 sharpens the distribution towards the most likely token, above 1 it
    flattens it towards uniform. Taught in notebook 09.

    Example:
        >>> softmax_with_temperature(np.log([0.5, 0.3, 0.2]), 0.5).round(3).tolist()
        [0.658, 0.237, 0.105]
    """
    temperature = _check_temperature(temperature)
    scaled = _as_rows(logits, "logits") / temperature
    scaled -= scaled.max(axis=-1, keepdims=True)
    weights = np.exp(scaled)
    return weights / weights.sum(axis=-1, keepdims=True)


def top_k_filter(probs: np.ndarray, k: int) -> np.ndarray:
    """Keep the ``k`` most probable tokens of each row, renormalised; the others get probability 0.

    Ties at the k-th place are broken by position, so exactly ``k`` tokens are kept (all of them
    when ``k`` exceeds the vocabulary). Taught in notebook 09.

    Example:
        >>> top_k_filter(np.array([0.1, 0.6, 0.3]), 2).round(3).tolist()
        [0.0, 0.667, 0.333]
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"k must be a whole number, got {type(k).__name__}")
    if k < 1:
        raise ValueError(f"k must be at least 1 (keep at least one token), got {k}")
    rows = _as_rows(probs, "probs")
    order = np.argsort(-rows, axis=-1, kind="stable")
    kept = np.zeros(rows.shape, dtype=bool)
    np.put_along_axis(kept, order[..., : int(k)], True, axis=-1)
    filtered = np.where(kept, rows, 0.0)
    return filtered / filtered.sum(axis=-1, keepdims=True)


def top_p_filter(probs: np.ndarray, p: float) -> np.ndarray:
    """Nucleus filter: keep the smallest set of most probable tokens whose mass reaches ``p``.

    The tokens are taken in decreasing probability until their total is at least ``p``; those are
    kept and renormalised, the rest get probability 0. ``p = 1`` keeps every token whose
    probability is not negligible (above about 1e-12 of the total). Taught in notebook 09.

    Example:
        >>> top_p_filter(np.array([0.1, 0.6, 0.3]), 0.8).round(3).tolist()
        [0.0, 0.667, 0.333]
    """
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating, np.integer)):
        raise TypeError(f"p must be a number, got {type(p).__name__}")
    if not 0 < p <= 1:
        raise ValueError(f"p must lie in (0, 1], got {p!r}: it is the probability mass the kept tokens reach")
    rows = _as_rows(probs, "probs")
    order = np.argsort(-rows, axis=-1, kind="stable")
    sorted_probs = np.take_along_axis(rows, order, axis=-1)
    mass_before = np.cumsum(sorted_probs, axis=-1) - sorted_probs  # the mass of the tokens ranked above
    keep_sorted = mass_before < p * sorted_probs.sum(axis=-1, keepdims=True) - 1e-12
    kept = np.zeros(rows.shape, dtype=bool)
    np.put_along_axis(kept, order, keep_sorted, axis=-1)
    filtered = np.where(kept, rows, 0.0)
    return filtered / filtered.sum(axis=-1, keepdims=True)


def sample_next(
    logits: np.ndarray,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    rng: np.random.Generator | None = None,
) -> np.ndarray | int:
    """Draw the next token of each row: temperature first, then the top-k and nucleus filters.

    Returns one id for logits of shape ``(vocabulary,)``, an array of ``batch`` ids for
    ``(batch, vocabulary)``. Taught in notebook 09.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> sample_next(np.log([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]]), temperature=0.8, top_k=2, rng=rng)
        array([0, 2])
    """
    probs = softmax_with_temperature(logits, temperature)
    if top_k is not None:
        probs = top_k_filter(probs, top_k)
    if top_p is not None:
        probs = top_p_filter(probs, top_p)
    rng = np.random.default_rng() if rng is None else rng
    rows = np.atleast_2d(probs)
    cumulative = np.cumsum(rows, axis=-1)
    draws = rng.random((rows.shape[0], 1)) * cumulative[:, -1:]
    ids = np.minimum((cumulative <= draws).sum(axis=-1), rows.shape[-1] - 1)
    return int(ids[0]) if np.ndim(logits) == 1 else ids


def _map_state(function: Callable[[Any], Any], state: Any) -> Any:
    """Apply ``function`` to every array of a state (an array, or a tuple, list or dict of them)."""
    if isinstance(state, dict):
        return {key: _map_state(function, value) for key, value in state.items()}
    if isinstance(state, (list, tuple)):
        return type(state)(_map_state(function, value) for value in state)
    return function(state)


def _rows_of(state: Any) -> int:
    """The number of rows (the first axis) of a state's first array."""
    while isinstance(state, (dict, list, tuple)):
        if not state:
            raise ValueError("the state holds no array: give at least one array with one row per input")
        state = next(iter(state.values())) if isinstance(state, dict) else state[0]
    shape = getattr(state, "shape", None)
    if not shape:
        raise ValueError(f"the state must hold arrays with one row per input, got {type(state).__name__}")
    return int(shape[0])


def _take_rows(state: Any, rows: np.ndarray) -> Any:
    """The given rows of every array of a state (NumPy arrays directly, tensors through ``keras.ops.take``)."""

    def take(array: Any) -> Any:
        if isinstance(array, np.ndarray):
            return array[rows]
        import keras  # only for tensors: the samplers above do not need Keras

        return keras.ops.take(array, rows, axis=0)

    return _map_state(take, state)


def _check_decoding(start_id: int, end_id: int, max_length: int) -> None:
    for name, value in (("start_id", start_id), ("end_id", end_id), ("max_length", max_length)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be a whole number, got {value!r}")
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1 (tokens to generate), got {max_length}")


def _log_probs(values: Any, rows: int) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] != rows:
        raise ValueError(f"step must return log-probabilities of shape ({rows}, vocabulary), got {array.shape}")
    return array


def greedy_decode(
    step: Step, state: Any, *, start_id: int, end_id: int, max_length: int, pad_id: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The most likely next token at every step, for a batch of inputs: ``(ids, scores)``.

    ``ids`` has shape ``(batch, max_length)``: each row up to and including its END, then ``pad_id``.
    ``scores`` is each output's summed log-probability (up to and including END). Padding and START
    are never generated. Taught in notebook 10.

    Example:
        >>> log_p = np.log([[0.1, 0.6, 0.3], [0.1, 0.2, 0.7]])   # token 2 is END
        >>> step = lambda tokens, state: (log_p[state], state + 1)
        >>> ids, scores = greedy_decode(step, np.array([0]), start_id=0, end_id=2, max_length=4)
        >>> ids.tolist(), round(float(np.exp(scores[0])), 2)
        ([[1, 2, 0, 0]], 0.42)
    """
    _check_decoding(start_id, end_id, max_length)
    batch = _rows_of(state)
    tokens = np.full(batch, start_id, dtype=np.int32)
    ids = np.full((batch, max_length), pad_id, dtype=np.int32)
    scores, done = np.zeros(batch), np.zeros(batch, dtype=bool)
    for t in range(max_length):
        log_probs, state = step(tokens, state)
        log_probs = _log_probs(log_probs, batch)
        log_probs[:, [pad_id, start_id]] = -np.inf  # never generated
        tokens = log_probs.argmax(axis=-1).astype(np.int32)
        scores += np.where(done, 0.0, log_probs[np.arange(batch), tokens])
        ids[:, t] = np.where(done, pad_id, tokens)
        done |= tokens == end_id
        if done.all():
            break
    return ids, scores


@dataclass(frozen=True)
class BeamStep:
    """The best ``2 * width`` extensions considered at one step of beam search, best first.

    ``parents[b, j]`` is the beam slot the j-th candidate of input b extends, ``tokens[b, j]`` the
    token it adds and ``scores[b, j]`` its summed log-probability. The first ``width`` were kept;
    the others are the best of the pruned.

    Example:
        >>> first = beams.trace[0]
        >>> first.tokens[0, :3], first.scores[0, :3]   # input 0's three best first tokens
    """

    parents: np.ndarray
    tokens: np.ndarray
    scores: np.ndarray


@dataclass(frozen=True)
class Beams:
    """The result of :func:`beam_search`: every input's hypotheses, best first.

    ``ids`` has shape ``(batch, width, max_length)`` (END included, ``pad_id`` after it);
    ``scores`` the summed log-probabilities, ``lengths`` the tokens up to and including END,
    ``normalised`` the ranking score ``scores / lengths ** length_penalty`` (sorted, descending);
    ``trace`` one :class:`BeamStep` per decoding step, in the slots' order before the final sort.

    Example:
        >>> beams = beam_search(step, state, width=5, start_id=1, end_id=2, max_length=11)
        >>> beams.best.shape, beams.scores[0]   # (batch, 11); input 0's five scores, best first
    """

    ids: np.ndarray
    scores: np.ndarray
    lengths: np.ndarray
    normalised: np.ndarray
    trace: list[BeamStep]

    @property
    def best(self) -> np.ndarray:
        """The best hypothesis of each input: shape ``(batch, max_length)``."""
        return self.ids[:, 0]


def beam_search(
    step: Step,
    state: Any,
    *,
    width: int,
    start_id: int,
    end_id: int,
    max_length: int,
    pad_id: int = 0,
    length_penalty: float = 0.0,
) -> Beams:
    """Beam search for a batch of inputs, all live hypotheses through ``step`` in one call per step.

    Each input keeps ``width`` hypotheses with their summed log-probabilities. At each step every
    hypothesis is extended by every token, and the ``width`` best extensions are kept (pruning).
    Padding and START are never generated. A hypothesis that has produced END is finished: it
    extends only with ``pad_id``, at no cost, so it keeps its score and its slot. When all are
    finished (or after ``max_length`` tokens), the hypotheses are ranked by
    ``score / length ** length_penalty`` (0: no normalisation).
    With ``width=1`` this is exactly :func:`greedy_decode`. ``state`` is the model's state for one
    row per input; it is repeated for the ``width`` slots here. Taught in notebook 10.

    Example:
        >>> log_p = np.log([[0.1, 0.6, 0.3], [0.1, 0.2, 0.7]])
        >>> step = lambda tokens, state: (log_p[np.minimum(state, 1)], state + 1)
        >>> beams = beam_search(step, np.array([0]), width=2, start_id=0, end_id=2, max_length=3)
        >>> beams.ids[0].tolist(), np.exp(beams.scores[0]).round(2).tolist()
        ([[1, 2, 0], [2, 0, 0]], [0.42, 0.3])
    """
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)):
        raise TypeError(f"width must be a whole number, got {width!r}")
    if width < 1:
        raise ValueError(f"width must be at least 1 (1 is greedy decoding), got {width}")
    if not np.isfinite(length_penalty) or length_penalty < 0:
        raise ValueError(f"length_penalty must be a number >= 0 (0: no normalisation), got {length_penalty}")
    _check_decoding(start_id, end_id, max_length)
    batch = _rows_of(state)
    state = _take_rows(state, np.repeat(np.arange(batch), width))       # row b * width + slot
    scores = np.full((batch, width), -np.inf)
    scores[:, 0] = 0.0                                                  # one live hypothesis to start
    ids = np.full((batch, width, max_length), pad_id, dtype=np.int32)
    finished = np.zeros((batch, width), dtype=bool)
    tokens = np.full(batch * width, start_id, dtype=np.int32)
    trace: list[BeamStep] = []
    for t in range(max_length):
        log_probs, state = step(tokens, state)
        log_probs = _log_probs(log_probs, batch * width).reshape(batch, width, -1)
        log_probs[..., [pad_id, start_id]] = -np.inf  # never generated by a live hypothesis
        vocabulary = log_probs.shape[-1]
        after_end = np.full(vocabulary, -np.inf)
        after_end[pad_id] = 0.0
        log_probs = np.where(finished[..., None], after_end, log_probs)
        candidates = (scores[..., None] + log_probs).reshape(batch, width * vocabulary)
        order = np.argsort(-candidates, axis=1, kind="stable")[:, : 2 * width]
        parents, new_tokens = order // vocabulary, order % vocabulary
        trace.append(BeamStep(parents, new_tokens, np.take_along_axis(candidates, order, axis=1)))
        parents, new_tokens = parents[:, :width], new_tokens[:, :width]   # prune to the width
        scores = np.take_along_axis(candidates, order[:, :width], axis=1)
        ids = np.take_along_axis(ids, parents[..., None], axis=1)
        ids[:, :, t] = new_tokens
        finished = np.take_along_axis(finished, parents, axis=1) | (new_tokens == end_id)
        state = _take_rows(state, (np.arange(batch)[:, None] * width + parents).ravel())
        tokens = new_tokens.ravel().astype(np.int32)
        if finished.all():
            break
    ended = ids == end_id
    lengths = np.where(ended.any(axis=-1), ended.argmax(axis=-1) + 1, max_length)
    normalised = scores / lengths**length_penalty
    rank = np.argsort(-normalised, axis=1, kind="stable")

    def ranked(array: np.ndarray) -> np.ndarray:
        return np.take_along_axis(array, rank if array.ndim == 2 else rank[..., None], axis=1)

    return Beams(ranked(ids), ranked(scores), ranked(lengths), ranked(normalised), trace)
