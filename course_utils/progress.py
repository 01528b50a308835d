"""Progress of long work: one line that updates in place, so a slow cell is never a silent one.

Two ways in, for the two kinds of training in the course: :class:`ProgressCallback` for Keras's
``fit`` and :func:`progress_loop` for a loop written by hand (GAN steps, epochs of a ``GradientTape``
loop). Both show what is training, the step or epoch reached out of how many, the latest loss,
the time elapsed and the time left. The bar is tqdm's: a widget in JupyterLab and Colab, a line of
text elsewhere. Set the variable ``COURSE_PROGRESS=off`` to hide every bar (the tests do: nothing a
check measures depends on them). Inside :func:`~course_utils.training.train_or_load`, a bar left
unnamed takes the name of the model being trained; a model loaded from the cache shows none.

Example:
    >>> model.fit(x, x, epochs=10, verbose=0, callbacks=[ProgressCallback("dense autoencoder")])
    dense autoencoder, epoch 4/10:  35%|███▌      | 329/940 [00:03<00:05, loss=0.0211]
    >>> for step in (bar := progress_loop(2000, "ring GAN")):
    ...     numbers = train_step(batch)
    ...     bar.show(d_loss=numbers["d_loss"])
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import keras
from tqdm.auto import tqdm

PROGRESS_VARIABLE = "COURSE_PROGRESS"
_training: list[str] = []  # the names of the models being trained now (train_or_load pushes them)


@contextmanager
def training(name: str) -> Iterator[None]:
    """While this block runs, unnamed progress bars show ``name`` (train_or_load uses it).

    Example:
        >>> with training("dense-ae"):
        ...     model.fit(x, x, epochs=5, verbose=0, callbacks=[ProgressCallback()])
    """
    _training.append(_what(name))
    try:
        yield
    finally:
        _training.pop()


def _name_or_current(what: str | None) -> str:
    return _what(what) if what is not None else (_training[-1] if _training else "training")


def enabled() -> bool:
    """Whether progress bars are shown: yes unless ``COURSE_PROGRESS`` is ``off`` (or 0, no, false).

    Example:
        >>> os.environ["COURSE_PROGRESS"] = "off"; enabled()
        False
    """
    return os.environ.get(PROGRESS_VARIABLE, "").strip().lower() not in ("off", "0", "no", "false")


def _what(what: Any) -> str:
    if not isinstance(what, str) or not what.strip():
        raise TypeError(f"what must be a non-empty string naming what is training, got {what!r}")
    return what.strip()


def _numbers(values: Mapping[str, Any]) -> dict[str, str]:
    """Numbers shown short (4 significant digits); anything else by its text."""
    shown = {}
    for name, value in values.items():
        try:
            shown[name] = f"{float(value):.4g}"
        except (TypeError, ValueError):
            shown[name] = str(value)
    return shown


class Progress:
    """A progress line over a loop: iterate over it, and call :meth:`show` with the latest numbers.

    Made by :func:`progress_loop`. It closes itself when the loop ends (or breaks: use it in a ``with``
    block, or call :meth:`close`).

    Example:
        >>> bar = progress_loop(range(5), "toy")
        >>> for i in bar:
        ...     bar.show(loss=1 / (i + 1))
        >>> bar.count
        5
    """

    def __init__(self, iterable: Iterable[Any], total: int | None, what: str, unit: str) -> None:
        self._iterable = iterable
        self.count = 0
        self._bar = tqdm(total=total, desc=what, unit=unit, disable=not enabled(), dynamic_ncols=True)

    def __iter__(self) -> Iterator[Any]:
        try:
            for item in self._iterable:
                yield item
                self.count += 1
                self._bar.update(1)
        finally:
            self.close()

    def show(self, **numbers: Any) -> None:
        """Show the latest numbers (a loss, a distance...) at the end of the line.

        Example:
            >>> bar.show(d_loss=1.38, g_loss=0.71)
        """
        self._bar.set_postfix(_numbers(numbers), refresh=False)

    def close(self) -> None:
        """End the line (done by itself when the loop finishes).

        Example:
            >>> bar.close()
        """
        self._bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress_loop(steps: int | Iterable[Any], what: str | None = None, *, unit: str = "step") -> Progress:
    """A progress line over ``range(steps)``, or over any iterable (a list of sizes, epochs...).

    Args:
        steps: how many steps (the loop runs over ``range(steps)``), or an iterable to run over;
            its length, when it has one, gives the time left.
        what: what is training, shown at the start of the line (default: the name of the model
            :func:`~course_utils.training.train_or_load` is training).
        unit: what one step is called ("step", "epoch", "model"...).

    Example:
        >>> bar = progress_loop(2000, "ring GAN")
        >>> for step in bar:
        ...     numbers = train_step(sample())
        ...     bar.show(d_loss=numbers["d_loss"])
    """
    what = _name_or_current(what)
    if isinstance(steps, bool):
        raise TypeError("steps must be a number of steps or an iterable, got a bool")
    if isinstance(steps, int):
        if steps < 0:
            raise ValueError(f"steps must be 0 or more, got {steps}")
        return Progress(range(steps), steps, what, unit)
    if not isinstance(steps, Iterable):
        raise TypeError(f"steps must be a number of steps or an iterable, got {type(steps).__name__}")
    total = len(steps) if hasattr(steps, "__len__") else None
    return Progress(steps, total, what, unit)


class ProgressCallback(keras.callbacks.Callback):
    """A Keras callback for ``fit``: one line with the epoch, the batches done out of all, the loss,
    the time elapsed and the time left. Pass ``verbose=0`` to ``fit`` so Keras prints nothing else.
    Without ``what``, the line is named after the model train_or_load is training.

    Example:
        >>> model.fit(x, x, epochs=10, verbose=0, callbacks=[ProgressCallback("dense autoencoder")])
    """

    def __init__(self, what: str | None = None) -> None:
        super().__init__()
        self.what = None if what is None else _what(what)
        self._bar: Any = None
        self.epochs = 0
        self.batches_done = 0

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        self.epochs = int(self.params.get("epochs") or 0)
        steps = self.params.get("steps")
        total = self.epochs * int(steps) if steps else None
        self.batches_done = 0
        self.what = _name_or_current(self.what)
        self._bar = tqdm(total=total, desc=self.what, unit="batch", disable=not enabled(), dynamic_ncols=True)

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        self._bar.set_description(f"{self.what}, epoch {epoch + 1}/{self.epochs}", refresh=False)

    def on_train_batch_end(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        self.batches_done += 1
        self._bar.update(1)
        if logs and "loss" in logs:
            self._bar.set_postfix(_numbers({"loss": logs["loss"]}), refresh=False)

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        shown = {k: v for k, v in (logs or {}).items() if k == "loss" or k.startswith("val_")}
        if shown:
            self._bar.set_postfix(_numbers(shown), refresh=False)

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        if self._bar is not None:
            self._bar.close()
