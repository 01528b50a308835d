"""Check cells: assert what the prose just claimed, with a message a student understands.

Each check prints the measured figure when it passes and raises :class:`CheckFailed` (an
``AssertionError``) with what was expected, what was measured and what to try when it fails.
When the variable ``COURSE_METRICS_FILE`` names a file, every check that passes and every
:func:`report` also appends its figure there as a JSON line: this is how the benchmark collects
each notebook's figures (a failing check stops the notebook, and its message says what it measured).

Example:
    >>> check_below(0.012, 0.05, "the test reconstruction error", hint="train longer")
    ✔ the test reconstruction error = 0.012 (below 0.05)
    0.012
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

METRICS_VARIABLE = "COURSE_METRICS_FILE"


class CheckFailed(AssertionError):
    """A check cell found that a claim of the notebook does not hold for this run."""


def _number(value: Any, argument: str) -> float:
    if isinstance(value, (bool, str, bytes)):
        raise TypeError(f"{argument} must be a number, got {type(value).__name__}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{argument} must be a number, got {type(value).__name__}") from None


def _name(what: Any) -> str:
    if not isinstance(what, str) or not what.strip():
        raise TypeError("what must be a non-empty string that names the measured quantity")
    return what.strip()


def _plain(value: Any) -> Any:
    """NumPy scalars as Python ones, so they print as 3, not np.int64(3)."""
    return value.item() if hasattr(value, "item") and getattr(value, "ndim", None) == 0 else value


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _record(what: str, value: Any, bound: str) -> None:
    path = os.environ.get(METRICS_VARIABLE, "").strip()
    if not path:
        return
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    entry = {"what": what, "value": value, "bound": bound}
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


def _finish(what: str, value: float, ok: bool, bound: str, expected: str, hint: str) -> float:
    if not ok:
        message = f"Check failed: expected {what} {expected}, got {_fmt(value)}."
        raise CheckFailed(f"{message} {hint}".strip())
    _record(what, value, bound)
    print(f"✔ {what} = {_fmt(value)} ({bound})")
    return value


def check_below(value: float, limit: float, what: str, *, hint: str = "") -> float:
    """Pass when ``value < limit``; return the value.

    Example:
        >>> check_below(0.02, 0.05, "the error")
        ✔ the error = 0.02 (below 0.05)
        0.02
    """
    what, v, lim = _name(what), _number(value, "value"), _number(limit, "limit")
    return _finish(what, v, v < lim, f"below {_fmt(lim)}", f"to be below {_fmt(lim)}", hint)


def check_above(value: float, limit: float, what: str, *, hint: str = "") -> float:
    """Pass when ``value > limit``; return the value.

    Example:
        >>> check_above(0.9, 0.8, "the accuracy")
        ✔ the accuracy = 0.9 (above 0.8)
        0.9
    """
    what, v, lim = _name(what), _number(value, "value"), _number(limit, "limit")
    return _finish(what, v, v > lim, f"above {_fmt(lim)}", f"to be above {_fmt(lim)}", hint)


def check_between(value: float, low: float, high: float, what: str, *, hint: str = "") -> float:
    """Pass when ``low <= value <= high``; return the value.

    Example:
        >>> check_between(1.02, 0.95, 1.05, "the MSE ratio")
        ✔ the MSE ratio = 1.02 (between 0.95 and 1.05)
        1.02
    """
    what, v = _name(what), _number(value, "value")
    lo, hi = _number(low, "low"), _number(high, "high")
    if lo > hi:
        raise ValueError(f"low must not exceed high, got low={lo}, high={hi}")
    bound = f"between {_fmt(lo)} and {_fmt(hi)}"
    return _finish(what, v, lo <= v <= hi, bound, f"to be {bound}", hint)


def check_equal(value: Any, expected: Any, what: str, *, hint: str = "") -> Any:
    """Pass when ``value == expected`` (counts, labels, shapes); return the value.

    Example:
        >>> check_equal(8, 8, "the number of distinct codes")
        ✔ the number of distinct codes = 8 (expected 8)
        8
    """
    what = _name(what)
    value, expected = _plain(value), _plain(expected)
    if not bool(value == expected):
        raise CheckFailed(f"Check failed: expected {what} to be {expected!r}, got {value!r}. {hint}".strip())
    _record(what, value if isinstance(value, (bool, int, float, str)) else repr(value), f"expected {expected!r}")
    print(f"✔ {what} = {value!r} (expected {expected!r})")
    return value


def check_decreasing(values: Sequence[float], what: str, *, hint: str = "") -> list[float]:
    """Pass when every value is strictly below the one before it; return the values.

    Example:
        >>> check_decreasing([0.05, 0.03, 0.02], "the error as the code grows")
        ✔ the error as the code grows = [0.05, 0.03, 0.02] (each below the one before)
        [0.05, 0.03, 0.02]
    """
    what = _name(what)
    if isinstance(values, np.ndarray) and values.ndim == 1:
        values = values.tolist()
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or len(values) < 2:
        raise TypeError("values must be a sequence (or 1-D array) of at least two numbers")
    numbers = [_number(v, "values[...]") for v in values]
    shown = "[" + ", ".join(_fmt(v) for v in numbers) + "]"
    if not all(b < a for a, b in zip(numbers, numbers[1:])):
        raise CheckFailed(f"Check failed: expected {what} to fall at every step, got {shown}. {hint}".strip())
    for i, v in enumerate(numbers):
        _record(f"{what} [{i}]", v, "each below the one before")
    print(f"✔ {what} = {shown} (each below the one before)")
    return numbers


def _canonical(value: Any, digits: int | None) -> Any:
    """A JSON-able form of an answer: numpy values as Python ones, tuples as lists, floats rounded."""
    value = _plain(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_canonical(v, digits) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v, digits) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if digits is not None:
            number = round(number, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
        return int(number) if number.is_integer() else number
    raise TypeError(f"an answer must be numbers, strings, booleans or lists of them, got {type(value).__name__}")


def fingerprint(value: Any, digits: int | None = None) -> str:
    """A short fingerprint of an answer, so a check can recognise it without showing it.

    Numbers are compared as numbers (``2.5``, ``np.float64(2.5)`` and ``2.50`` are one answer; an
    integral float is the integer), after rounding to ``digits`` decimals when given.

    Example:
        >>> fingerprint(["a", "b"]) == fingerprint(("a", "b"))
        True
        >>> fingerprint(2.5001, digits=2) == fingerprint(2.5)
        True
    """
    text = json.dumps(_canonical(value, digits), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_answer(value: Any, expected_fingerprint: str, what: str, *, digits: int | None = None,
                 hint: str = "") -> Any:
    """Pass when ``value`` is the answer whose :func:`fingerprint` is given; never show that answer.

    An exercise's check cell uses it where the expected value itself would give the answer away:
    a wrong answer gets ``hint`` (a nudge, not the solution); an answer not written yet (``...``
    or ``None``) is told so.

    Example:
        >>> check_answer(2.5, fingerprint(2.5), "W(p, q)")
        ✔ W(p, q): right
        2.5
    """
    what = _name(what)
    if value is Ellipsis or value is None:
        raise CheckFailed(f"Not answered yet: {what} is still {value!r}. Write your answer in the cell above.")
    try:
        ok = fingerprint(value, digits) == expected_fingerprint
    except TypeError:
        ok = False
    if not ok:
        raise CheckFailed(f"Not yet: {what} is not the expected answer. {hint}".strip())
    print(f"✔ {what}: right")
    return value


def report(what: str, value: float, unit: str = "") -> float:
    """Print a measured figure that is not a check (a time, a count) and record it for the benchmark.

    Example:
        >>> report("training time", 12.345, "s")
        • training time = 12.35 s
        12.345
    """
    what, v = _name(what), _number(value, "value")
    _record(what + (f" ({unit})" if unit else ""), v, "reported")
    print(f"• {what} = {_fmt(v)}{(' ' + unit) if unit else ''}")
    return v
