import numpy as np
import pytest

from course_utils.text import Vocabulary, without_speaker_names, words


def test_words_are_lower_cased_letters_with_inner_apostrophes():
    assert words("KING RICHARD III:\nNow is the winter of our discontent") == [
        "king", "richard", "iii", "now", "is", "the", "winter", "of", "our", "discontent",
    ]  # fmt: skip
    assert words("'Tis o'er, thou'rt -- 1594!") == ["tis", "o'er", "thou'rt"]


def test_words_rejects_what_is_not_text():
    with pytest.raises(TypeError, match="string"):
        words(["a", "list"])


def test_vocabulary_numbers_by_frequency_then_alphabet():
    vocab = Vocabulary.from_tokens(["to", "be", "or", "not", "to", "be"])
    assert vocab.tokens == ("be", "to", "not", "or")
    assert vocab.counts.tolist() == [2, 2, 1, 1]
    assert vocab.total == 6 and len(vocab) == 4
    assert "be" in vocab and "question" not in vocab
    assert repr(vocab) == "Vocabulary(4 tokens, 6 of 6 occurrences covered)"


def test_min_count_and_max_size_keep_the_frequent_tokens():
    tokens = ["a"] * 5 + ["b"] * 3 + ["c"] * 2 + ["d"]
    assert Vocabulary.from_tokens(tokens, min_count=2).tokens == ("a", "b", "c")
    assert Vocabulary.from_tokens(tokens, max_size=2).tokens == ("a", "b")
    kept = Vocabulary.from_tokens(tokens, min_count=3)
    assert kept.total == 11 and kept.counts.sum() == 8


def test_encode_and_decode_round_trip_and_drop_unknown_words():
    vocab = Vocabulary.from_tokens("to be or not to be".split())
    ids = vocab.encode(["not", "to", "be", "question"])
    assert ids.dtype == np.int32 and ids.tolist() == [2, 1, 0]
    assert vocab.decode(ids) == ["not", "to", "be"]
    with pytest.raises(KeyError, match="'question' is not in the vocabulary"):
        vocab.encode(["to", "question"], unknown="error")
    with pytest.raises(ValueError, match="unknown"):
        vocab.encode(["to"], unknown="skip")


def test_a_string_is_read_as_characters():
    vocab = Vocabulary.from_tokens("hello")
    assert vocab.tokens == ("l", "e", "h", "o")
    assert "".join(vocab.decode(vocab.encode("hole"))) == "hole"


@pytest.mark.parametrize("ids", [[0, 7], [-1], [[0, 1]], [0.5]])
def test_decode_rejects_ids_out_of_range_or_shape(ids):
    with pytest.raises(ValueError):
        Vocabulary.from_tokens("abc").decode(ids)


@pytest.mark.parametrize(
    "tokens, kwargs, error",
    [([], {}, ValueError), (["a"], {"min_count": 0}, ValueError), (["a"], {"min_count": 2}, ValueError),
     (["a"], {"max_size": 0}, ValueError), ([1, 2], {}, TypeError)],
)  # fmt: skip
def test_from_tokens_rejects_bad_input(tokens, kwargs, error):
    with pytest.raises(error):
        Vocabulary.from_tokens(tokens, **kwargs)


def test_tokens_must_be_distinct_and_match_their_counts():
    with pytest.raises(ValueError, match="distinct"):
        Vocabulary(("a", "a"), np.array([1, 1]))
    with pytest.raises(ValueError, match="counts"):
        Vocabulary(("a", "b"), np.array([1]))


def test_speaker_names_are_dropped_only_where_a_speech_starts():
    text = "First Citizen:\nBefore we proceed, hear me:\nspeak.\n\nKING RICHARD III:\nNow is the winter.\n"
    assert without_speaker_names(text) == "Before we proceed, hear me:\nspeak.\n\nNow is the winter.\n"
    assert words(without_speaker_names(text))[:2] == ["before", "we"]


def test_without_speaker_names_rejects_what_is_not_text():
    with pytest.raises(TypeError):
        without_speaker_names(None)


def test_random_windows_are_slices_and_their_targets_are_shifted_by_one():
    from course_utils.text import random_windows

    ids = np.arange(1000) * 3
    inputs, targets = random_windows(ids, 16, 10, np.random.default_rng(1))
    assert inputs.shape == targets.shape == (16, 10)
    assert (np.diff(inputs, axis=1) == 3).all() and (targets - inputs == 3).all()
    again, _ = random_windows(ids, 16, 10, np.random.default_rng(1))
    assert (again == inputs).all()


@pytest.mark.parametrize("args", [(np.arange(5), 1, 10), (np.arange(100), 0, 5), (np.arange(100), 2, 0),
                                  (np.ones((10, 10)), 1, 3)])
def test_random_windows_rejects_bad_input(args):
    from course_utils.text import random_windows

    with pytest.raises(ValueError):
        random_windows(*args, np.random.default_rng(0))
