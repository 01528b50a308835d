"""Samplers for language models: temperature, top-k and nucleus (top-p) sampling.

Taught in notebook 09, where each is written out and explained; kept here for notebook 12, which
samples from its transformer with them. Every function works on the scores (logits) or
probabilities of the next token, one row per sequence: shape ``(vocabulary,)`` or
``(batch, vocabulary)``.

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

import numpy as np


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
