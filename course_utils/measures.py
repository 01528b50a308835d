"""Measures the notebooks compare models by, written once.

:func:`squared_error` and :func:`reconstruction_error` are taught in notebook 01 (the mean squared
error per pixel), :func:`moving_average` in notebook 06 (loss curves averaged over a window),
:func:`exact_and_per_char` in notebook 10 (translations scored whole and character by character).

Example:
    >>> reconstruction_error(autoencoder, x_test)
    0.0123
"""

from __future__ import annotations

from typing import Any

import numpy as np

BATCH = 1000  # images per call: a large test set goes through the model in pieces


def _array(values: Any, argument: str) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0 or array.size == 0:
        raise ValueError(f"{argument} must be a non-empty array, got shape {array.shape}")
    return array


def squared_error(a: Any, b: Any, per_image: bool = False) -> float | np.ndarray:
    """The mean squared difference per pixel between two arrays of images: one number, or one per
    image (averaged over every axis but the first) with ``per_image=True``. Taught in notebook 01.

    Example:
        >>> squared_error(np.zeros((2, 28, 28)), np.ones((2, 28, 28)))
        1.0
        >>> squared_error(x_test[:3], x_test[3:6], per_image=True).shape
        (3,)
    """
    a, b = _array(a, "a"), _array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"the two arrays must have the same shape, got {a.shape} and {b.shape}")
    if per_image:
        if a.ndim < 2:
            raise ValueError(f"per_image needs an array of images (at least 2 axes), got shape {a.shape}")
        return np.mean((a - b) ** 2, axis=tuple(range(1, a.ndim)))
    return float(np.mean((a - b) ** 2))


def reconstruction_error(model: Any, images: Any, per_image: bool = False) -> float | np.ndarray:
    """The mean squared error per pixel between images and the model's reconstructions of them
    (the model called with ``training=False``, a thousand images at a time). Taught in notebook 01.

    Example:
        >>> reconstruction_error(autoencoder, x_test)
        0.0123
        >>> reconstruction_error(autoencoder, x_test, per_image=True).shape  # an anomaly score
        (10000,)
    """
    if not callable(model):
        raise TypeError(f"model must be a Keras model (callable), got {type(model).__name__}")
    images = np.asarray(images, dtype=np.float32)
    if images.ndim < 2 or len(images) == 0:
        raise ValueError(f"images must be a non-empty batch of images, got shape {images.shape}")
    pieces = [np.asarray(model(images[i : i + BATCH], training=False)) for i in range(0, len(images), BATCH)]
    return squared_error(np.concatenate(pieces).reshape(images.shape), images, per_image=per_image)


def moving_average(values: Any, window: int = 50) -> np.ndarray:
    """The average of each run of ``window`` consecutive values (``len(values) - window + 1`` of
    them): a noisy per-step loss made readable. Taught in notebook 06.

    Example:
        >>> moving_average([1, 2, 3, 4], window=2)
        array([1.5, 2.5, 3.5])
    """
    values = _array(values, "values")
    if values.ndim != 1:
        raise ValueError(f"values must be one-dimensional, got shape {values.shape}")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or not 1 <= window <= len(values):
        raise ValueError(f"window must be an integer from 1 to len(values) = {len(values)}, got {window!r}")
    return np.convolve(values, np.ones(window) / window, mode="valid")


def exact_and_per_char(predicted: Any, truth: Any) -> tuple[float, float]:
    """Exact-match accuracy (the whole string right) and per-character accuracy, over pairs of strings.

    Per character, position i of a prediction is compared with position i of the truth; a
    prediction that is too short is padded with spaces, one too long is cut to the truth's length.

    Example:
        >>> exact_and_per_char(["2019-04-22", "2019-04-23"], ["2019-04-22", "2019-04-22"])
        (0.5, 0.95)
    """
    predicted, truth = list(predicted), list(truth)
    if isinstance(predicted, str) or len(predicted) != len(truth) or not truth:
        raise ValueError(f"give two equally long, non-empty lists of strings: {len(predicted)} and {len(truth)}")
    exact = np.mean([p == t for p, t in zip(predicted, truth)])
    per_char = np.mean([np.mean([a == b for a, b in zip(p.ljust(len(t)), t)]) for p, t in zip(predicted, truth)])
    return float(exact), float(per_char)
