"""A judge for generated images: a small classifier trained on labelled Fashion-MNIST images.
Taught in notebook 05, where it counts the VAE's recognisable samples; notebooks 06 and 07 judge
their GANs with it.

A generated image counts as **recognisable** when the judge gives one class a probability above
:data:`CONFIDENT`; the classes present are those that at least ``min_share`` of the images are
confidently assigned to. People score 83.5% on the Fashion-MNIST test set, so a judge that scores
at least 80% is about as reliable as a person.

Example:
    >>> judge = load_judge()
    Trained 'judge-cnn' in 21.3 s; cached for the next run.
    >>> judge.accuracy, judge.recognisable_share(samples), judge.classes_present(samples)
    (0.872, 0.41, 9)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers
from matplotlib.figure import Figure

from course_utils.config import budget
from course_utils.data import load_fashion_mnist
from course_utils.progress import ProgressCallback
from course_utils.training import train_or_load

CONFIDENT = 0.9  # a class probability above this counts as recognised
EPOCHS = 6
BATCH = 1000


def build_judge() -> keras.Sequential:
    """The judge's network: two small convolutional layers and a softmax over the 10 classes.

    Example:
        >>> build_judge().output_shape
        (None, 10)
    """
    return keras.Sequential([
        keras.Input((28, 28)), layers.Reshape((28, 28, 1)),
        layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dropout(0.3), layers.Dense(10, activation="softmax"),
    ], name="judge")  # fmt: skip


@dataclass
class Judge:
    """A trained judge: its network, its accuracy on held-out test images, and the data it learned.

    Example:
        >>> judge = load_judge()
        >>> judge.probabilities(x_test[:2]).shape, judge.recognisable_share(x_test)
        ((2, 10), 0.78)
    """

    model: keras.Model
    accuracy: float
    class_names: tuple[str, ...]
    source: str

    def probabilities(self, images: Any) -> np.ndarray:
        """Class probabilities, one row per image (images in [0, 1], shape (n, 28, 28) or (n, 28, 28, 1)).

        Example:
            >>> judge.probabilities(x_test[:5]).argmax(axis=1)
            array([9, 2, 1, 1, 6])
        """
        images = np.asarray(images, dtype=np.float32)
        if images.ndim == 4 and images.shape[-1] == 1:
            images = images[..., 0]
        if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) == 0:
            raise ValueError(f"images must have shape (n, 28, 28) or (n, 28, 28, 1) with n > 0, got {images.shape}")
        low, high = float(images.min()), float(images.max())
        if low < -0.01 or high > 1.01:
            raise ValueError(
                f"images must lie in [0, 1] like the training images, got values from {low:.2f} to {high:.2f}: "
                "rescale a generator's [-1, 1] output with (images + 1) / 2"
            )
        pieces = [np.asarray(self.model(images[i : i + BATCH], training=False)) for i in range(0, len(images), BATCH)]
        return np.concatenate(pieces)

    def recognisable_share(self, images: Any, threshold: float = CONFIDENT) -> float:
        """The share of images to which the judge gives one class a probability above ``threshold``.

        Example:
            >>> judge.recognisable_share(generated)
            0.41
        """
        _check_share(threshold, "threshold")
        return float(np.mean(self.probabilities(images).max(axis=1) > threshold))

    def class_shares(self, images: Any, threshold: float = CONFIDENT) -> np.ndarray:
        """For each class, the share of images the judge confidently assigns to it (they sum to
        the recognisable share).

        Example:
            >>> judge.class_shares(generated).round(2)
            array([0.05, 0.01, 0.07, 0.04, 0.06, 0.02, 0.01, 0.05, 0.06, 0.04])
        """
        _check_share(threshold, "threshold")
        probabilities = self.probabilities(images)
        confident = probabilities.max(axis=1) > threshold
        counts = np.bincount(probabilities.argmax(axis=1)[confident], minlength=probabilities.shape[1])
        return counts / len(probabilities)

    def classes_present(self, images: Any, threshold: float = CONFIDENT, min_share: float = 0.01) -> int:
        """How many classes at least ``min_share`` of the images are confidently assigned to (a
        generator that has collapsed onto a few kinds of item scores low).

        Example:
            >>> judge.classes_present(generated)
            9
        """
        _check_share(min_share, "min_share")
        return int(np.sum(self.class_shares(images, threshold) >= min_share))


    def plot_class_shares(self, named_images: Mapping[str, Any], *, title: str = "what the judge recognises",
                          min_share: float = 0.01) -> Figure:
        """A bar chart: for each set of images (real, untrained, trained...), the share the judge
        confidently assigns to each class, with the level above which a class counts as present.

        Example:
            >>> judge.plot_class_shares({"untrained generator": before, "trained generator": after})
        """
        if not isinstance(named_images, Mapping) or not named_images:
            raise ValueError("named_images must be a non-empty mapping of names to arrays of images")
        _check_share(min_share, "min_share")
        fig, ax = plt.subplots(figsize=(10, 4))
        width = 0.8 / len(named_images)
        for i, (name, images) in enumerate(named_images.items()):
            offset = (i - (len(named_images) - 1) / 2) * width
            ax.bar(np.arange(len(self.class_names)) + offset, self.class_shares(images), width=width, label=name)
        ax.axhline(min_share, ls=":", c="k", label="present above")
        ax.set_xticks(np.arange(len(self.class_names)), self.class_names, rotation=30)
        ax.set(ylabel="share of the images", title=title)
        ax.legend()
        return fig


def _check_share(value: float, argument: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not 0 < value < 1:
        raise ValueError(f"{argument} must be a number between 0 and 1, got {value!r}")


def load_judge(n_train: int | None = None, *, epochs: int = EPOCHS, verbose: bool = True) -> Judge:
    """Train the judge on labelled training images (or load it from the cache) and measure it.

    Args:
        n_train: how many training images it learns from (default: 12,000 in fast mode, 20,000 in
            full mode: a classifier needs many examples to be trusted).
        epochs: passes over those images.
        verbose: print where the judge came from and its test accuracy.

    Example:
        >>> judge = load_judge()
        >>> judge.accuracy > 0.8
        True
    """
    n_train = budget(fast=12000, full=20000) if n_train is None else n_train
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    data = load_fashion_mnist(n_train=n_train, n_test=budget(fast=2000, full=10000), verbose=False)

    def train_judge(model: keras.Model) -> dict[str, list[float]]:
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        fitted = model.fit(data.x_train, data.y_train, epochs=epochs, batch_size=64, verbose=0,
                           callbacks=[ProgressCallback()])
        return fitted.history

    config = {"data": data.source, "n": len(data.x_train), "epochs": epochs}
    model = train_or_load("judge-cnn", build_judge, train_judge, config, verbose=verbose).model
    judge = Judge(model, 0.0, data.class_names, data.source)
    judge.accuracy = float(np.mean(judge.probabilities(data.x_test).argmax(axis=1) == data.y_test))
    if verbose:
        print(f"The judge labels {judge.accuracy:.1%} of {len(data.x_test):,} test images correctly "
              f"({data.source}; people score 83.5% on Fashion-MNIST).")  # fmt: skip
    return judge
