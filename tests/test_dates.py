import datetime as dt
from collections import Counter

import numpy as np
import pytest

from course_utils.dates import (
    END,
    FORMAT_NAMES,
    MONTHS,
    ORDINAL_WORDS,
    PAD,
    START,
    TARGET_SPANS,
    WEEKDAYS,
    date_pairs,
    date_vocabularies,
    decode_texts,
    encode_texts,
    split_pairs,
    write_date,
)

MONTH_NUMBERS = {name: i + 1 for i, m in enumerate(MONTHS) for name in (m.lower(), m[:3].lower())}
DAY_WORDS = {word: day for day, word in enumerate(ORDINAL_WORDS) if word}
WEEKDAY_NUMBERS = {name: i for i, w in enumerate(WEEKDAYS) for name in (w.lower(), w[:3].lower())}


def parse_field(field: str, text: str) -> int:
    """Read one field's text back, independently of how the module writes it."""
    text = text.lower()
    if field == "day":
        if text in DAY_WORDS:
            return DAY_WORDS[text]
        digits = text[:-2] if text[-2:] in ("st", "nd", "rd", "th") else text
        assert digits.isdigit(), text
        return int(digits)
    if field == "month":
        return int(text) if text.isdigit() else MONTH_NUMBERS[text]
    if field == "year":
        assert text.isdigit() and len(text) in (2, 4), text
        return int(text) if len(text) == 4 else (1900 + int(text) if int(text) >= 50 else 2000 + int(text))
    assert field == "weekday"
    return WEEKDAY_NUMBERS[text]


@pytest.fixture(scope="module")
def pairs():
    return date_pairs(5000, seed=7)


def test_targets_are_iso_dates_in_range(pairs):
    for pair in pairs:
        date = dt.date.fromisoformat(pair.target)
        assert date == pair.date and pair.target == date.isoformat() and len(pair.target) == 10
        assert dt.date(1950, 1, 1) <= date <= dt.date(2049, 12, 31)


def test_source_spans_parse_back_to_the_date(pairs):
    for pair in pairs:
        spans = pair.source_spans
        assert {"day", "month", "year"} <= set(spans) <= {"day", "month", "year", "weekday"}
        assert parse_field("day", pair.source[slice(*spans["day"])]) == pair.date.day, pair
        assert parse_field("month", pair.source[slice(*spans["month"])]) == pair.date.month, pair
        assert parse_field("year", pair.source[slice(*spans["year"])]) == pair.date.year, pair
        if "weekday" in spans:
            assert parse_field("weekday", pair.source[slice(*spans["weekday"])]) == pair.date.weekday(), pair
        ordered = sorted(spans.values())
        assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:])), "spans overlap"
        assert all(0 <= s < e <= len(pair.source) for s, e in ordered)


def test_target_spans_are_fixed(pairs):
    for pair in pairs[:200]:
        assert pair.target_spans == TARGET_SPANS
        spans = pair.target_spans
        assert int(pair.target[slice(*spans["year"])]) == pair.date.year
        assert int(pair.target[slice(*spans["month"])]) == pair.date.month
        assert int(pair.target[slice(*spans["day"])]) == pair.date.day


def test_weekdays_are_true_and_some_formats_name_them(pairs):
    named = [p for p in pairs if "weekday" in p.source_spans]
    assert len(named) > 500
    monday = dt.date(2019, 4, 22)  # an anchor, independent of date.weekday() and of the locale
    for pair in named:
        word = pair.source[slice(*pair.source_spans["weekday"])]
        assert WEEKDAYS[(pair.date - monday).days % 7].startswith(word), pair


def test_each_source_means_one_date():
    meaning: dict[str, str] = {}
    for pair in date_pairs(20_000, seed=11, start="2015-01-01", end="2024-12-31"):
        assert meaning.setdefault(pair.source, pair.target) == pair.target, pair


def test_known_examples():
    day = dt.date(2019, 4, 22)  # a Monday
    written = {name: write_date(day, name).source for name in FORMAT_NAMES}
    assert written == {
        "weekday_day_month_year": "Monday 22 April 2019",
        "ordinal_words": "the twenty-second of April, 2019",
        "day_month_year_slashes": "22/04/2019",
        "month_abbr_day_short_year": "Apr 22 19",
        "month_day_ordinal": "April 22nd, 2019",
        "day_month_abbr_lower": "22 apr 2019",
        "year_month_day": "2019 April 22",
        "weekday_abbr_rfc": "Mon, 22 Apr 2019",
        "day_month_year_dots": "22.4.2019",
    }
    days = (1, 2, 3, 11, 12, 13, 21, 23)
    suffixes = [write_date(dt.date(2001, 1, d), "month_day_ordinal").source.split()[1] for d in days]
    assert suffixes == ["1st,", "2nd,", "3rd,", "11th,", "12th,", "13th,", "21st,", "23rd,"]
    assert write_date(dt.date(2001, 1, 31), "ordinal_words").source == "the thirty-first of January, 2001"
    assert write_date(dt.date(2001, 1, 20), "ordinal_words").source == "the twentieth of January, 2001"
    assert write_date(dt.date(2005, 3, 9), "month_abbr_day_short_year").source == "Mar 9 05"


def test_every_format_appears(pairs):
    counts = Counter(pair.format for pair in pairs)
    assert set(counts) == set(FORMAT_NAMES)
    assert min(counts.values()) > len(pairs) / len(FORMAT_NAMES) / 2


def test_formats_can_be_chosen():
    chosen = ["ordinal_words", "weekday_abbr_rfc"]
    assert {p.format for p in date_pairs(200, seed=0, formats=chosen)} == set(chosen)
    assert {p.format for p in date_pairs(20, seed=0, formats="year_month_day")} == {"year_month_day"}


def test_same_seed_same_pairs_different_seed_different():
    assert date_pairs(100, seed=3) == date_pairs(100, seed=3)
    assert [p.source for p in date_pairs(100, seed=3)] != [p.source for p in date_pairs(100, seed=4)]
    rng_pairs = date_pairs(50, seed=np.random.default_rng(3))
    assert rng_pairs == date_pairs(50, seed=np.random.default_rng(3))


def test_date_range_is_respected_and_covered():
    pairs = date_pairs(2000, seed=0, start="2000-02-27", end=dt.date(2000, 3, 2))
    assert {p.date for p in pairs} == {dt.date(2000, 2, 27) + dt.timedelta(days=k) for k in range(5)}
    assert len(date_pairs(3, seed=0, start="1800-01-01", end="1800-12-31", formats=["ordinal_words"])) == 3


def test_split_has_no_source_in_two_sets_and_is_deterministic():
    pairs = date_pairs(3000, seed=1, start="2000-01-01", end="2000-03-31")  # small range: many repeated sources
    assert len({p.source for p in pairs}) < len(pairs)
    train, validation, test = split_pairs(pairs, (0.7, 0.15, 0.15), seed=5)
    assert len(train) + len(validation) + len(test) == len(pairs)
    sources = [{p.source for p in part} for part in (train, validation, test)]
    assert sources[0].isdisjoint(sources[1]) and sources[0].isdisjoint(sources[2]) and sources[1].isdisjoint(sources[2])
    distinct = len(set().union(*sources))
    assert abs(len(sources[0]) - 0.7 * distinct) <= 1 and abs(len(sources[2]) - 0.15 * distinct) <= 2
    assert split_pairs(pairs, (0.7, 0.15, 0.15), seed=5) == (train, validation, test)
    assert split_pairs(pairs, (0.7, 0.15, 0.15), seed=6)[2] != test


def test_vocabularies_have_fixed_specials_and_cover_every_format():
    source_vocab, target_vocab = date_vocabularies()
    for vocab in (source_vocab, target_vocab):
        assert vocab.tokens[:3] == (PAD, START, END)
    assert set("".join(p.source for p in date_pairs(3000, seed=2))) <= set(source_vocab.tokens)
    assert len(target_vocab) == 3 + 11
    assert date_vocabularies()[0].tokens == source_vocab.tokens


def test_encode_decode_round_trip(pairs):
    source_vocab, target_vocab = date_vocabularies()
    sources = [p.source for p in pairs[:300]]
    encoded = encode_texts(sources, source_vocab)
    assert encoded.dtype == np.int32 and encoded.shape == (300, max(map(len, sources)))
    assert decode_texts(encoded, source_vocab) == sources
    targets = [p.target for p in pairs[:300]]
    decoder_in = encode_texts(targets, target_vocab, start=True)
    decoder_out = encode_texts(targets, target_vocab, end=True)
    assert decoder_in.shape == decoder_out.shape == (300, 11)
    assert (decoder_in[:, 0] == 1).all() and (decoder_out[:, -1] == 2).all()
    assert (decoder_in[:, 1:] == decoder_out[:, :-1]).all()  # teacher forcing: shifted right by one
    assert decode_texts(decoder_in, target_vocab) == decode_texts(decoder_out, target_vocab) == targets
    padded = encode_texts(["22/04/2019"], source_vocab, length=15, end=True)
    assert padded[0, 11:].tolist() == [0] * 4 and padded[0, 10] == 2
    assert decode_texts([[8, 9, 2, 10, 11]], target_vocab) == ["45"]  # reading stops at END


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n": 0}, "at least 1"),
        ({"n": -3}, "at least 1"),
        ({"n": 2.5}, "whole number"),
        ({"n": True}, "whole number"),
        ({"n": 5, "formats": []}, "at least one format"),
        ({"n": 5, "formats": ["klingon"]}, "unknown date format"),
        ({"n": 5, "start": "2020-01-01", "end": "2019-12-31"}, "must not come after"),
        ({"n": 5, "start": "1st of May"}, "ISO date"),
        ({"n": 5, "start": "1900-01-01"}, "two-digit years"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        date_pairs(**kwargs)


def test_other_errors():
    with pytest.raises(TypeError, match="seed"):
        date_pairs(3, seed="seven")
    with pytest.raises(TypeError, match="datetime.date"):
        date_pairs(3, start=2019)
    with pytest.raises(ValueError, match="unknown date format"):
        write_date(dt.date(2019, 4, 22), "iso")
    with pytest.raises(ValueError, match="cannot write 1949"):
        write_date(dt.date(1949, 4, 22), "month_abbr_day_short_year")
    with pytest.raises(ValueError, match="sum to 1"):
        split_pairs(date_pairs(10), (0.5, 0.2, 0.2))
    with pytest.raises(ValueError, match="empty"):
        split_pairs([])
    source_vocab, target_vocab = date_vocabularies()
    with pytest.raises(ValueError, match="not in the vocabulary"):
        encode_texts(["2019/04/22"], target_vocab)
    with pytest.raises(ValueError, match="too short"):
        encode_texts(["2019-04-22"], target_vocab, length=10, end=True)
    with pytest.raises(TypeError, match="not one string"):
        encode_texts("2019-04-22", target_vocab)
    with pytest.raises(ValueError, match="2-D"):
        decode_texts(np.zeros(4, dtype=int), target_vocab)


def test_translation_data_is_the_split_pairs_encoded():
    from course_utils.dates import date_pairs, date_vocabularies, decode_texts, split_pairs, translation_data

    (train, val, test), arrays = translation_data(600, seed=3, source_length=40)
    assert (train, val, test) == split_pairs(date_pairs(600, seed=3), seed=3)
    source_vocab, target_vocab = date_vocabularies()
    for part, (sources, previous, targets) in zip((train, val, test), arrays):
        assert sources.shape == (len(part), 40) and previous.shape == targets.shape == (len(part), 11)
        assert decode_texts(sources, source_vocab) == [p.source for p in part]
        assert decode_texts(targets, target_vocab) == decode_texts(previous, target_vocab) == [p.target for p in part]
        assert (previous[:, 1:] == targets[:, :-1]).all()  # the decoder's input is its target shifted right
