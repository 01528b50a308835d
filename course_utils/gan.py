"""Adversarial training plumbing: the loop that runs a GAN's training step and takes snapshots.

The lesson (the two phases of a training step, the losses) is written in notebooks 06 and 07;
this module only runs such a step many times, records the numbers it returns and keeps
snapshots of the models along the way, so that a figure can show training as it went.

Example:
    >>> log = train_adversarial(train_step, lambda rng: ring.sample(256, rng), steps=2000,
    ...                         snapshot=lambda: {"fake": generator(fixed_z).numpy()})
    >>> log["d_loss"].shape, log["fake"].shape, log["snapshot_step"]
    ((2000,), (6, 500, 2), array([   0,  400,  800, 1200, 1600, 2000]))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np


def snapshot_steps(steps: int, n_snapshots: int) -> np.ndarray:
    """The steps after which :func:`train_adversarial` takes its snapshots: evenly spaced from 0
    (before training) to ``steps`` (the end).

    Example:
        >>> snapshot_steps(1000, 5)
        array([   0,  250,  500,  750, 1000])
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if isinstance(n_snapshots, bool) or not isinstance(n_snapshots, (int, np.integer)) or n_snapshots < 2:
        raise ValueError(f"n_snapshots must be an integer of at least 2 (the start and the end), got {n_snapshots!r}")
    return np.unique(np.linspace(0, steps, n_snapshots).round().astype(int))


def train_adversarial(
    train_step: Callable[[np.ndarray], Mapping[str, object]],
    sample_real: Callable[[np.random.Generator], np.ndarray],
    *,
    steps: int,
    snapshot: Callable[[], Mapping[str, np.ndarray]] | None = None,
    n_snapshots: int = 6,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Call ``train_step(real_batch)`` ``steps`` times and return what it reported, plus snapshots.

    Args:
        train_step: one training step on a batch of real samples; it returns a mapping of names to
            scalars (losses, a distance estimate), logged at every step.
        sample_real: draws a batch of real samples from the NumPy generator it is given.
        steps: how many times to call ``train_step``.
        snapshot: returns a mapping of names to arrays (generated samples, a decision surface...);
            called before training and at :func:`snapshot_steps` ``(steps, n_snapshots)``.
        n_snapshots: how many snapshots, the first before training and the last at the end.
        seed: seeds the generator handed to ``sample_real``.

    Returns a dict of arrays: one entry per name ``train_step`` reports (shape ``(steps,)``), one per
    name ``snapshot`` returns (stacked, one row per snapshot), and ``snapshot_step``. Ready to be
    returned by a training function given to :func:`~course_utils.training.train_or_load`.

    Example:
        >>> log = train_adversarial(train_step, lambda rng: ring.sample(256, rng), steps=2000)
        >>> log["d_loss"][-100:].mean()
    """
    if not callable(train_step) or not callable(sample_real) or (snapshot is not None and not callable(snapshot)):
        raise TypeError("train_step, sample_real and snapshot must be functions")
    at = snapshot_steps(steps, n_snapshots)
    rng = np.random.default_rng(seed)
    reported: dict[str, list[float]] = {}
    snapshots: dict[str, list[np.ndarray]] = {}

    def take_snapshot() -> None:
        for name, value in (snapshot() if snapshot is not None else {}).items():
            snapshots.setdefault(name, []).append(np.asarray(value))

    take_snapshot()
    for step in range(1, steps + 1):
        numbers = train_step(sample_real(rng))
        if not isinstance(numbers, Mapping):
            raise TypeError(f"train_step must return a mapping of names to numbers, got {type(numbers).__name__}")
        for name, value in numbers.items():
            reported.setdefault(name, []).append(float(value))
        if step in at:
            take_snapshot()
    log = {name: np.asarray(values) for name, values in reported.items()}
    log |= {name: np.stack(values) for name, values in snapshots.items()}
    log["snapshot_step"] = at
    return log
