"""Dates written in words, and their ISO form: the offline translation task of the sequence half.

Taught in notebook 10 (encoder-decoder and beam search), reused in notebooks 11 (attention) and 12
(transformers), which take their data from :func:`translation_data`: each
pair is a date written in one of several human formats ("Monday 22 April 2019", "the
twenty-second of April, 2019", "Apr 22 19", ...) and its ISO form "2019-04-22". The formats make a
small model learn month names, ordinal words and the weekday cue rather than copy digits. Every pair
records the character span of each field in its source, so attention can be checked against them.
Dates come from Python's :mod:`datetime` (weekdays are true); month and number words are written
here (no locale). Two-digit years ("Apr 22 19") are read in the window 1950-2049.

Example:
    >>> import course_utils as cu
    >>> pairs = cu.date_pairs(3, seed=0)
    >>> pairs[2].source, pairs[2].target
    ('Sunday 11 February 2001', '2001-02-11')
    >>> pairs[2].source_spans["month"], pairs[2].target_spans["month"]
    ((10, 18), (5, 7))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from course_utils.text import Vocabulary

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_UNITS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
          "eighteenth", "nineteenth")  # fmt: skip
ORDINAL_WORDS = (
    ("",) + _UNITS[1:] + _TEENS + ("twentieth",) + tuple(f"twenty-{u}" for u in _UNITS[1:])
    + ("thirtieth", "thirty-first")
)  # fmt: skip
"""ORDINAL_WORDS[d] is day d in words ("twenty-second"); index 0 is unused."""

TWO_DIGIT_WINDOW = (1950, 2049)
"""A two-digit year yy is read as 19yy if yy >= 50, else 20yy: only years in this window can be written so."""

TARGET_SPANS = {"year": (0, 4), "month": (5, 7), "day": (8, 10)}
"""Where each field sits in every target "YYYY-MM-DD" ([start, end) character offsets)."""

PAD, START, END = "<pad>", "<start>", "<end>"
"""The special tokens: ids 0, 1 and 2 of both vocabularies (0 for padding, so Keras can mask it)."""

Part = tuple[str | None, str]  # (field or None for filler, text)


def _suffix(day: int) -> str:
    return "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


_FORMATS: dict[str, Callable[[dt.date], list[Part]]] = {
    "weekday_day_month_year": lambda d: [("weekday", WEEKDAYS[d.weekday()]), (None, " "), ("day", str(d.day)),
                                         (None, " "), ("month", MONTHS[d.month - 1]), (None, " "),
                                         ("year", str(d.year))],  # Monday 22 April 2019
    "ordinal_words": lambda d: [(None, "the "), ("day", ORDINAL_WORDS[d.day]), (None, " of "),
                                ("month", MONTHS[d.month - 1]), (None, ", "), ("year", str(d.year))],
    "day_month_year_slashes": lambda d: [("day", f"{d.day:02d}"), (None, "/"), ("month", f"{d.month:02d}"),
                                         (None, "/"), ("year", str(d.year))],  # 22/04/2019
    "month_abbr_day_short_year": lambda d: [("month", MONTHS[d.month - 1][:3]), (None, " "), ("day", str(d.day)),
                                            (None, " "), ("year", f"{d.year % 100:02d}")],  # Apr 22 19
    "month_day_ordinal": lambda d: [("month", MONTHS[d.month - 1]), (None, " "), ("day", f"{d.day}{_suffix(d.day)}"),
                                    (None, ", "), ("year", str(d.year))],  # April 22nd, 2019
    "day_month_abbr_lower": lambda d: [("day", str(d.day)), (None, " "), ("month", MONTHS[d.month - 1][:3].lower()),
                                       (None, " "), ("year", str(d.year))],  # 22 apr 2019
    "year_month_day": lambda d: [("year", str(d.year)), (None, " "), ("month", MONTHS[d.month - 1]), (None, " "),
                                 ("day", str(d.day))],  # 2019 April 22
    "weekday_abbr_rfc": lambda d: [("weekday", WEEKDAYS[d.weekday()][:3]), (None, ", "), ("day", f"{d.day:02d}"),
                                   (None, " "), ("month", MONTHS[d.month - 1][:3]), (None, " "),
                                   ("year", str(d.year))],  # Mon, 22 Apr 2019
    "day_month_year_dots": lambda d: [("day", str(d.day)), (None, "."), ("month", str(d.month)), (None, "."),
                                      ("year", str(d.year))],  # 22.4.2019
}  # fmt: skip
FORMAT_NAMES: tuple[str, ...] = tuple(_FORMATS)
"""The names of the formats, in a fixed order (pass some of them as ``formats=``)."""
SHORT_YEAR_FORMATS = frozenset({"month_abbr_day_short_year"})
"""The formats that write the year with two digits (see :data:`TWO_DIGIT_WINDOW`)."""


@dataclass(frozen=True)
class DatePair:
    """One translation pair: a date written in a human format, its ISO form, and where each field is.

    ``source_spans`` maps "day", "month", "year" (and "weekday" when written) to the [start, end)
    character offsets of that field in ``source``; ``target_spans`` does the same for ``target``.

    Example:
        >>> pair = write_date(dt.date(2019, 4, 22), "ordinal_words")
        >>> pair.source, pair.target
        ('the twenty-second of April, 2019', '2019-04-22')
        >>> start, end = pair.source_spans["day"]; pair.source[start:end]
        'twenty-second'
    """

    source: str
    target: str
    date: dt.date
    format: str
    source_spans: dict[str, tuple[int, int]]

    @property
    def target_spans(self) -> dict[str, tuple[int, int]]:
        """The fields' [start, end) offsets in the target: always :data:`TARGET_SPANS`.

        Example:
            >>> pair.target_spans["month"]
            (5, 7)
        """
        return dict(TARGET_SPANS)


def _check_formats(formats: Sequence[str] | None) -> tuple[str, ...]:
    if formats is None:
        return FORMAT_NAMES
    if isinstance(formats, str):
        formats = [formats]
    formats = tuple(formats)
    if not formats:
        raise ValueError(f"formats must name at least one format of {list(FORMAT_NAMES)}, got none")
    unknown = [name for name in formats if name not in _FORMATS]
    if unknown:
        raise ValueError(f"unknown date format(s) {unknown}: choose among {list(FORMAT_NAMES)}")
    return formats


def _as_date(value: dt.date | str, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{name} must be an ISO date like '1950-01-01', got {value!r}") from None
    raise TypeError(f"{name} must be a datetime.date or an ISO date string, got {type(value).__name__}")


def write_date(date: dt.date, format: str) -> DatePair:
    """Write one date in one format (see :data:`FORMAT_NAMES`), with the span of each field.

    Example:
        >>> [write_date(dt.date(2019, 4, 22), name).source for name in FORMAT_NAMES[:3]]
        ['Monday 22 April 2019', 'the twenty-second of April, 2019', '22/04/2019']
    """
    date = _as_date(date, "date")
    (name,) = _check_formats([format])
    if name in SHORT_YEAR_FORMATS and not TWO_DIGIT_WINDOW[0] <= date.year <= TWO_DIGIT_WINDOW[1]:
        raise ValueError(f"format {name!r} writes two-digit years, read in {TWO_DIGIT_WINDOW[0]}-"
                         f"{TWO_DIGIT_WINDOW[1]}: it cannot write {date.isoformat()}")  # fmt: skip
    source, spans = "", {}
    for field, text in _FORMATS[name](date):
        if field is not None:
            spans[field] = (len(source), len(source) + len(text))
        source += text
    return DatePair(source, date.isoformat(), date, name, spans)


def date_pairs(
    n: int,
    *,
    seed: int | np.random.Generator = 0,
    formats: Sequence[str] | None = None,
    start: dt.date | str = "1950-01-01",
    end: dt.date | str = "2049-12-31",
) -> list[DatePair]:
    """``n`` pairs, dates drawn uniformly between ``start`` and ``end`` (both included), formats at random.

    Args:
        n: how many pairs.
        seed: a seed or a NumPy generator: the same seed gives the same pairs.
        formats: the format names to draw from (default all of :data:`FORMAT_NAMES`), uniformly.
        start, end: the range of dates. Two-digit-year formats need it inside :data:`TWO_DIGIT_WINDOW`.

    Example:
        >>> pairs = date_pairs(1000, seed=42)
        >>> few = date_pairs(4, seed=1, formats=["ordinal_words", "weekday_abbr_rfc"])
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a whole number of at least 1, got {n!r}")
    names = _check_formats(formats)
    first, last = _as_date(start, "start"), _as_date(end, "end")
    if first > last:
        raise ValueError(f"start ({first.isoformat()}) must not come after end ({last.isoformat()})")
    short = sorted(SHORT_YEAR_FORMATS.intersection(names))
    if short and (first.year < TWO_DIGIT_WINDOW[0] or last.year > TWO_DIGIT_WINDOW[1]):
        raise ValueError(f"format(s) {short} write two-digit years, read in {TWO_DIGIT_WINDOW[0]}-"
                         f"{TWO_DIGIT_WINDOW[1]}: keep start and end in it or leave those formats out")  # fmt: skip
    if isinstance(seed, np.random.Generator):
        rng = seed
    elif isinstance(seed, int | np.integer) and not isinstance(seed, bool):
        rng = np.random.default_rng(int(seed))
    else:
        raise TypeError(f"seed must be a whole number or a numpy Generator, got {type(seed).__name__}")
    days = rng.integers(first.toordinal(), last.toordinal() + 1, size=int(n))
    chosen = rng.integers(0, len(names), size=int(n))
    return [write_date(dt.date.fromordinal(int(d)), names[int(f)]) for d, f in zip(days, chosen)]


def split_pairs(
    pairs: Sequence[DatePair], fractions: tuple[float, float, float] = (0.8, 0.1, 0.1), *, seed: int = 0
) -> tuple[list[DatePair], list[DatePair], list[DatePair]]:
    """Train, validation and test sets in which no source string occurs in more than one set.

    Distinct sources are shuffled (by ``seed``) and dealt out in the given fractions; repeated
    sources stay together, so a held-out input is never a training input. Pairs keep their order.

    Example:
        >>> train, validation, test = split_pairs(date_pairs(10_000, seed=0), seed=0)
        >>> {p.source for p in train}.isdisjoint(p.source for p in test)
        True
    """
    if len(fractions) != 3 or any(not 0 <= f <= 1 for f in fractions) or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions must be three numbers in [0, 1] that sum to 1, got {fractions!r}")
    if not pairs:
        raise ValueError("pairs is empty: nothing to split")
    sources = list(dict.fromkeys(pair.source for pair in pairs))  # distinct, in first-seen order
    order = np.random.default_rng(seed).permutation(len(sources))
    cut1 = int(round(fractions[0] * len(sources)))
    cut2 = cut1 + int(round(fractions[1] * len(sources)))
    part = {sources[i]: 0 if k < cut1 else 1 if k < cut2 else 2 for k, i in enumerate(order.tolist())}
    sets: tuple[list[DatePair], list[DatePair], list[DatePair]] = ([], [], [])
    for pair in pairs:
        sets[part[pair.source]].append(pair)
    return sets


def date_vocabularies() -> tuple[Vocabulary, Vocabulary]:
    """The character vocabularies of sources and targets, with PAD = 0, START = 1 and END = 2.

    These reuse :class:`~course_utils.text.Vocabulary` but build it in a fixed order rather than
    by frequency: the specials come first (padding must be 0 for Keras's masking), then every
    character any format can write, sorted, so the ids never depend on the pairs drawn.

    Example:
        >>> source_vocab, target_vocab = date_vocabularies()
        >>> target_vocab.tokens
        ('<pad>', '<start>', '<end>', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')
    """
    written = "".join(MONTHS + WEEKDAYS + ORDINAL_WORDS) + "".join(MONTHS).lower() + "0123456789 ,./-thndrs"
    source_chars = sorted(set(written))
    target_chars = sorted(set("0123456789-"))
    source, target = (
        Vocabulary((PAD, START, END, *chars), np.zeros(len(chars) + 3, dtype=np.int64))  # counts: not counted
        for chars in (source_chars, target_chars)
    )
    return source, target


def encode_texts(
    texts: Sequence[str], vocab: Vocabulary, *, length: int | None = None, start: bool = False, end: bool = False
) -> np.ndarray:
    """Texts as a padded int32 array (one row per text), optionally with START before and END after.

    ``length`` defaults to the longest encoded text; a text that does not fit raises an error.
    For a decoder: inputs ``encode_texts(t, v, start=True)``, targets ``encode_texts(t, v, end=True)``.

    Example:
        >>> encode_texts(["2019-04-22"], target_vocab, end=True).tolist()
        [[6, 4, 5, 13, 3, 4, 8, 3, 6, 6, 2]]
    """
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not one string: wrap it in a list")
    rows = []
    for text in texts:
        unknown = sorted(set(text) - set(vocab.tokens))
        if unknown:
            raise ValueError(f"{text!r} has characters not in the vocabulary: {unknown}")
        rows.append([vocab.index(START)] * start + vocab.encode(text).tolist() + [vocab.index(END)] * end)
    longest = max((len(row) for row in rows), default=0)
    length = longest if length is None else length
    if longest > length:
        raise ValueError(f"length {length} is too short: the longest text needs {longest} ids")
    array = np.full((len(rows), length), vocab.index(PAD), dtype=np.int32)
    for i, row in enumerate(rows):
        array[i, : len(row)] = row
    return array


def decode_texts(ids: np.ndarray | Sequence[Sequence[int]], vocab: Vocabulary) -> list[str]:
    """The texts of a 2-D array of ids: each row read up to its first END, PAD and START left out.

    Example:
        >>> decode_texts(encode_texts(["2019-04-22"], target_vocab, start=True, end=True), target_vocab)
        ['2019-04-22']
    """
    array = np.asarray(ids)
    if array.ndim != 2:
        raise ValueError(f"ids must be a 2-D array (one row per text), got shape {array.shape}")
    texts = []
    for row in array:
        tokens = vocab.decode(row)
        tokens = tokens[: tokens.index(END)] if END in tokens else tokens
        texts.append("".join(token for token in tokens if token not in (PAD, START)))
    return texts


def translation_data(
    n_pairs: int, *, seed: int, source_length: int = 40, fractions: tuple[float, float, float] = (0.8, 0.1, 0.1)
) -> tuple[tuple[list[DatePair], ...], tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]]:
    """``n_pairs`` dates split into train, validation and test (no source in two splits), and each split encoded.

    Each split's arrays are notebook 10's: the sources padded to ``source_length``, the decoder's
    inputs (``<start>`` + target) and its targets (target + ``<end>``). Taught in notebook 10
    (where the encoding is written out); notebooks 11 and 12 take their data from here.

    Example:
        >>> (train, val, test), (train_arrays, val_arrays, test_arrays) = translation_data(1000, seed=0)
        >>> [a.shape for a in test_arrays]
        [(100, 40), (100, 11), (100, 11)]
    """
    source_vocab, target_vocab = date_vocabularies()
    splits = split_pairs(date_pairs(n_pairs, seed=seed), fractions, seed=seed)
    arrays = tuple(
        (encode_texts([p.source for p in part], source_vocab, length=source_length),
         encode_texts([p.target for p in part], target_vocab, start=True),
         encode_texts([p.target for p in part], target_vocab, end=True))
        for part in splits
    )  # fmt: skip
    return tuple(splits), arrays
