"""Adversarial training: the loop that runs a GAN's training step and takes snapshots, and the
networks and training step taught in notebook 06, kept here for notebook 07.

The lesson (the two phases of a training step, the losses) is written in notebooks 06 and 07.
:func:`train_adversarial` only runs such a step many times, records the numbers it returns and
keeps snapshots of the models along the way, so that a figure can show training as it went.
:func:`build_generator`, :func:`build_discriminator`, :func:`make_train_step` and
:func:`build_dcgan_generator` are notebook 06's definitions (a test keeps them identical to it);
:func:`ring_snapshot` is the snapshot its ring figures are drawn from.

Example:
    >>> log = train_adversarial(train_step, lambda rng: ring.sample(256, rng), steps=2000,
    ...                         snapshot=lambda: {"fake": generator(fixed_z).numpy()})
    >>> log["d_loss"].shape, log["fake"].shape, log["snapshot_step"]
    ((2000,), (6, 500, 2), array([   0,  400,  800, 1200, 1600, 2000]))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from course_utils.progress import progress_loop

LATENT_DIM = 8
IMAGE_LATENT_DIM = 64
bce = keras.losses.BinaryCrossentropy()


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
    what: str | None = None,
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
        what: names the progress line that shows the step reached, the numbers the step reports,
            the time elapsed and the time left (default: the name of the model train_or_load is
            training; see :mod:`~course_utils.progress`).

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
    bar = progress_loop(range(1, steps + 1), what, unit="step")
    for step in bar:
        numbers = train_step(sample_real(rng))
        if not isinstance(numbers, Mapping):
            raise TypeError(f"train_step must return a mapping of names to numbers, got {type(numbers).__name__}")
        for name, value in numbers.items():
            reported.setdefault(name, []).append(float(value))
        if step % 50 == 0 or step == steps:
            bar.show(**{name: values[-1] for name, values in reported.items()})
        if step in at:
            take_snapshot()
    log = {name: np.asarray(values) for name, values in reported.items()}
    log |= {name: np.stack(values) for name, values in snapshots.items()}
    log["snapshot_step"] = at
    return log


def ring_snapshot(generator: keras.Model, judge: keras.Model, fixed_z: Any, grid: Any) -> dict[str, np.ndarray]:
    """What a ring figure shows at one moment of training: the generator's points for the fixed
    noise ``fixed_z``, and the discriminator's (or critic's) output on a square ``grid`` of points
    (from :func:`~course_utils.plots.square_grid`), as a square image. Taught in notebook 06.

    Example:
        >>> snap = ring_snapshot(generator, discriminator, fixed_z, square_grid(3.0, 60))
        >>> snap["fake"].shape, snap["surface"].shape
        ((1000, 2), (60, 60))
    """
    grid = np.asarray(grid, dtype=np.float32)
    side = int(round(np.sqrt(len(grid))))
    if grid.ndim != 2 or grid.shape[1] != 2 or side * side != len(grid) or side < 2:
        raise ValueError(f"grid must be a square grid of 2-D points, shape (n * n, 2), got {grid.shape}")
    return {"fake": np.asarray(generator(fixed_z, training=False)),
            "surface": np.asarray(judge(grid, training=False)).reshape(side, side)}  # fmt: skip


def build_generator(latent_dim: int = LATENT_DIM, width: int = 128) -> keras.Sequential:
    """The ring generator: noise of ``latent_dim`` numbers to a point in the plane. Taught in notebook 06.

    Example:
        >>> build_generator()(keras.random.normal((5, 8))).shape
        TensorShape([5, 2])
    """
    return keras.Sequential([
        keras.Input((latent_dim,)),
        layers.Dense(width, activation="relu"),
        layers.Dense(width, activation="relu"),
        layers.Dense(width, activation="relu"),
        layers.Dense(2),  # a point in the plane
    ], name="generator")  # fmt: skip


def build_discriminator(width: int = 128) -> keras.Sequential:
    """The ring discriminator: a point to the probability that it is real. Taught in notebook 06.

    Example:
        >>> build_discriminator()(ring.sample(5)).shape
        TensorShape([5, 1])
    """
    return keras.Sequential([
        keras.Input((2,)),
        layers.Dense(width, activation="relu"),
        layers.Dense(width, activation="relu"),
        layers.Dense(width, activation="relu"),
        layers.Dense(1, activation="sigmoid"),  # the probability that the input is real
    ], name="discriminator")  # fmt: skip


def make_train_step(
    generator: keras.Model,
    discriminator: keras.Model,
    *,
    learning_rate: float = 1e-3,
    non_saturating: bool = True,
    seed: int = 0,
) -> Callable[[Any], dict[str, Any]]:
    """A GAN's training step in two phases (discriminator, then generator through the frozen
    discriminator), with its own Adam optimisers. Taught in notebook 06.

    Example:
        >>> train_step = make_train_step(build_generator(), build_discriminator())
        >>> train_step(ring.sample(256))["d_loss"]
    """
    d_optimizer = keras.optimizers.Adam(learning_rate, beta_1=0.5)
    g_optimizer = keras.optimizers.Adam(learning_rate, beta_1=0.5)
    noise = keras.random.SeedGenerator(seed)
    latent_dim = generator.input_shape[-1]

    @tf.function
    def train_step(real):
        batch_size = tf.shape(real)[0]
        # Phase 1: the discriminator learns to say 1 for real samples and 0 for generated ones.
        fake = generator(keras.random.normal((batch_size, latent_dim), seed=noise), training=True)
        with tf.GradientTape() as tape:
            d_real, d_fake = discriminator(real, training=True), discriminator(fake, training=True)
            d_loss = bce(tf.ones_like(d_real), d_real) + bce(tf.zeros_like(d_fake), d_fake)
        grads = tape.gradient(d_loss, discriminator.trainable_weights)
        d_optimizer.apply_gradients(zip(grads, discriminator.trainable_weights))
        # Phase 2: the generator learns to make the (frozen) discriminator say 1.
        z = keras.random.normal((batch_size, latent_dim), seed=noise)
        with tf.GradientTape() as tape:
            d_fake = discriminator(generator(z, training=True), training=True)
            if non_saturating:
                g_loss = bce(tf.ones_like(d_fake), d_fake)  # -log D(G(z)): every sample labelled real
            else:
                g_loss = -bce(tf.zeros_like(d_fake), d_fake)  # log(1 - D(G(z))), the minimax form
        grads = tape.gradient(g_loss, generator.trainable_weights)  # only the generator's weights move
        g_optimizer.apply_gradients(zip(grads, generator.trainable_weights))
        return {"d_loss": d_loss, "g_loss": g_loss, "d_real": tf.reduce_mean(d_real),
                "d_fake": tf.reduce_mean(d_fake)}  # fmt: skip

    return train_step


def build_dcgan_generator(latent_dim: int = IMAGE_LATENT_DIM, filters: int = 32) -> keras.Sequential:
    """The DCGAN generator: noise to a 28x28 image in [-1, 1]. Taught in notebook 06.

    Example:
        >>> build_dcgan_generator()(keras.random.normal((2, 64))).shape
        TensorShape([2, 28, 28, 1])
    """
    return keras.Sequential([
        keras.Input((latent_dim,)),
        layers.Dense(7 * 7 * 2 * filters, use_bias=False),
        layers.BatchNormalization(), layers.ReLU(),
        layers.Reshape((7, 7, 2 * filters)),
        layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False),  # 14 x 14
        layers.BatchNormalization(), layers.ReLU(),
        layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),  # 28 x 28
    ], name="dcgan_generator")  # fmt: skip
