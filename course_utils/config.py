"""Modes, training budgets, seeding and the course's folders.

One switch, the environment variable ``COURSE_MODE``, chooses how much every notebook trains:

* ``full`` (the default): the budgets that give the quality the lessons promise;
* ``fast``: seconds per model on small subsets, for tests and CI.

Example:
    >>> import course_utils as cu
    >>> epochs = cu.budget(fast=2, full=30)   # 2 when COURSE_MODE=fast, else 30
    >>> cu.seed_everything(42)
    42
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import TypeVar

import numpy as np

MODE_VARIABLE = "COURSE_MODE"
CACHE_VARIABLE = "COURSE_CACHE_DIR"
DATA_VARIABLE = "COURSE_DATA_DIR"
SEED_VARIABLE = "COURSE_SEED"
MODES = ("fast", "full")
DEFAULT_MODE = "full"
DEFAULT_SEED = 42

T = TypeVar("T")


def mode() -> str:
    """Return the current mode, ``"fast"`` or ``"full"``, read from ``COURSE_MODE``.

    The variable is read on every call, so a notebook picks up a change after a kernel restart
    and tests can switch it. An unset or empty variable means ``"full"``.

    Example:
        >>> os.environ["COURSE_MODE"] = "fast"; mode()
        'fast'
    """
    value = os.environ.get(MODE_VARIABLE, "").strip().lower() or DEFAULT_MODE
    if value not in MODES:
        raise ValueError(
            f"{MODE_VARIABLE} must be 'fast' or 'full', got {value!r}. "
            f"Unset it for the full course, or set {MODE_VARIABLE}=fast for a quick run."
        )
    return value


def is_fast() -> bool:
    """True when ``COURSE_MODE=fast``.

    Example:
        >>> is_fast()
        False
    """
    return mode() == "fast"


def budget(*, fast: T, full: T) -> T:
    """Pick the fast or the full value of a training budget (epochs, samples, steps...).

    Both values are written side by side where they are used, so a reader sees what each mode
    does. Numeric budgets must not be larger in fast mode than in full mode.

    Example:
        >>> n_epochs = budget(fast=2, full=30)
    """
    for name, value in (("fast", fast), ("full", full)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"budget({name}=...) must be a number, got {type(value).__name__}")
        if value < 0:
            raise ValueError(f"budget({name}=...) must not be negative, got {value}")
    if fast > full:  # type: ignore[operator]
        raise ValueError(f"budget(fast={fast}, full={full}): the fast budget must not exceed the full one")
    return fast if is_fast() else full


def default_seed() -> int:
    """The seed used when none is given: ``COURSE_SEED`` if set, else 42.

    Maintainers set ``COURSE_SEED`` to check that a notebook's claims hold for other seeds
    (``python tools/benchmark.py --seed 7``); students never need it.

    Example:
        >>> default_seed()
        42
    """
    raw = os.environ.get(SEED_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_SEED
    if not raw.isdigit():
        raise ValueError(f"{SEED_VARIABLE} must be a non-negative integer, got {raw!r}")
    return int(raw)


def seed_everything(seed: int | None = None) -> int:
    """Seed Python's ``random``, NumPy and TensorFlow/Keras with one call; return the seed.

    Call it at the top of every cell that builds, trains or samples, so the cell gives the same
    result when it is run again on its own. Without an argument it uses :func:`default_seed`.

    Example:
        >>> seed_everything(0)
        0
    """
    if seed is None:
        seed = default_seed()
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    import keras  # imported here so that course_utils.config alone stays light

    keras.utils.set_random_seed(seed)
    return seed


def _from_environment(variable: str) -> Path | None:
    raw = os.environ.get(variable, "").strip()
    return Path(raw).expanduser().resolve() if raw else None


def _created(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Folder for trained models and converted data: ``COURSE_CACHE_DIR`` or ``~/.cache/course_utils``.

    Created when first asked for.

    Example:
        >>> cache_dir()
        PosixPath('/home/student/.cache/course_utils')
    """
    return _created(_from_environment(CACHE_VARIABLE) or Path.home() / ".cache" / "course_utils")


def data_dir() -> Path:
    """Folder searched first for data files, and where downloads go: ``COURSE_DATA_DIR``.

    Defaults to ``<cache_dir>/data``. A relative ``COURSE_DATA_DIR`` is taken from the current
    working directory. Created when first asked for.

    Example:
        >>> data_dir()
        PosixPath('/home/student/.cache/course_utils/data')
    """
    return _created(_from_environment(DATA_VARIABLE) or cache_dir() / "data")
