"""Text for the sequence half: words of a corpus and the vocabulary that numbers them.

Taught in notebook 08: a corpus becomes lower-cased words, a vocabulary keeps the words seen at
least ``min_count`` times, most frequent first, and turns words into integer ids and back. The
same :class:`Vocabulary` numbers characters as well as words.

Taught in notebook 09: :func:`random_windows`, the training batches of a language model (windows
of the text and the same windows shifted by one).

Example:
    >>> import course_utils as cu
    >>> tokens = cu.words("First Citizen: Before we proceed any further, hear me speak.")
    >>> tokens[:4]
    ['first', 'citizen', 'before', 'we']
    >>> vocab = cu.Vocabulary.from_tokens(tokens)
    >>> vocab.encode(["hear", "me"]).tolist()
    [5, 6]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

WORD_PATTERN = re.compile(r"[a-z]+(?:'[a-z]+)?")
"""A word: letters, with one inner apostrophe kept ("o'er", "thou'rt"); "'tis" gives "tis"."""


SPEAKER_LINE = re.compile(r"(?:^|(?<=\n\n))[^\n]{1,40}:\n")
"""A speaker's name on its own line at the start of a speech ("KING RICHARD III:"), as the
Shakespeare file writes them."""


def without_speaker_names(text: str) -> str:
    """The text without the speakers' names that open each speech ("First Citizen:", "KING RICHARD III:").

    In the Shakespeare file every speech starts, after a blank line, with a line naming who speaks.
    Those names are about 5 % of the words and say how the file is laid out, not how words are
    used: word vectors are better trained without them. Taught in notebook 08.

    Example:
        >>> without_speaker_names("First Citizen:\nBefore we proceed.\n\nAll:\nSpeak, speak.\n")
        'Before we proceed.\n\nSpeak, speak.\n'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    return SPEAKER_LINE.sub("", text)


def words(text: str) -> list[str]:
    """Split a text into lower-cased words (letters, with one inner apostrophe kept).

    Punctuation, digits and speaker names' colons are dropped; a line break is just a space.
    Taught in notebook 08.

    Example:
        >>> words("KING RICHARD III: Now is the winter of our discontent")
        ['king', 'richard', 'iii', 'now', 'is', 'the', 'winter', 'of', 'our', 'discontent']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    return WORD_PATTERN.findall(text.lower())


@dataclass(frozen=True)
class Vocabulary:
    """The tokens of a corpus, numbered by frequency (id 0 is the most frequent), with their counts.

    Make one with :meth:`from_tokens`. Taught in notebook 08.

    Example:
        >>> vocab = Vocabulary.from_tokens(["to", "be", "or", "not", "to", "be"])
        >>> vocab.tokens, vocab.counts.tolist()
        (('be', 'to', 'not', 'or'), [2, 2, 1, 1])
        >>> vocab.decode(vocab.encode(["not", "to", "be"]))
        ['not', 'to', 'be']
    """

    tokens: tuple[str, ...]
    counts: np.ndarray
    total: int = 0  # how many tokens the corpus held, kept or not (0: not known)
    _ids: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(set(self.tokens)) != len(self.tokens):
            raise ValueError("a vocabulary's tokens must be distinct")
        if len(self.counts) != len(self.tokens):
            raise ValueError(f"{len(self.tokens)} tokens but {len(self.counts)} counts")
        object.__setattr__(self, "_ids", {token: i for i, token in enumerate(self.tokens)})

    @classmethod
    def from_tokens(cls, tokens: Iterable[str], *, min_count: int = 1, max_size: int | None = None) -> Vocabulary:
        """Count the tokens; keep those seen at least ``min_count`` times, the most frequent first.

        Ties are broken alphabetically, so the same corpus always gives the same ids.

        Args:
            tokens: the corpus as tokens (words from :func:`words`, or the characters of a text).
            min_count: the fewest occurrences a token needs to be kept (rarer ones are unknown).
            max_size: keep at most this many tokens (the most frequent).

        Example:
            >>> Vocabulary.from_tokens(words(text), min_count=5)
            Vocabulary(3322 tokens, 188,963 of 203,839 occurrences covered)
        """
        if isinstance(tokens, str):
            tokens = list(tokens)  # a text: its characters
        if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
            raise ValueError(f"min_count must be a whole number of at least 1, got {min_count!r}")
        if max_size is not None and (isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1):
            raise ValueError(f"max_size must be None or a whole number of at least 1, got {max_size!r}")
        counter = Counter(tokens)
        for token in counter:
            if not isinstance(token, str):
                raise TypeError(f"tokens must be strings, got {type(token).__name__} {token!r}")
        if not counter:
            raise ValueError("no tokens to count: the corpus is empty")
        kept = sorted((item for item in counter.items() if item[1] >= min_count), key=lambda item: (-item[1], item[0]))
        if max_size is not None:
            kept = kept[:max_size]
        if not kept:
            raise ValueError(f"no token occurs {min_count} times or more: lower min_count")
        counts = np.array([count for _, count in kept], dtype=np.int64)
        return cls(tuple(token for token, _ in kept), counts, sum(counter.values()))

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: object) -> bool:
        return token in self._ids

    def __repr__(self) -> str:
        covered = f", {int(self.counts.sum()):,} of {self.total:,} occurrences covered" if self.total else ""
        return f"Vocabulary({len(self)} tokens{covered})"

    def index(self, token: str) -> int:
        """The id of one token.

        Example:
            >>> vocab.index("the")
            0
        """
        try:
            return self._ids[token]
        except KeyError:
            raise KeyError(
                f"{token!r} is not in the vocabulary ({len(self)} tokens seen at least min_count times)"
            ) from None

    def encode(self, tokens: Iterable[str], *, unknown: str = "drop") -> np.ndarray:
        """The ids of a sequence of tokens, as an int32 array.

        Args:
            tokens: words, or a text's characters (a string is read character by character).
            unknown: what to do with a token not in the vocabulary: ``"drop"`` it (the default,
                as word2vec does with rare words) or raise an ``"error"``.

        Example:
            >>> vocab.encode(["to", "be", "unheard"]).tolist()
            [1, 0]
        """
        if unknown not in ("drop", "error"):
            raise ValueError(f"unknown must be 'drop' or 'error', got {unknown!r}")
        if unknown == "error":
            return np.array([self.index(token) for token in tokens], dtype=np.int32)
        ids = self._ids
        return np.array([ids[token] for token in tokens if token in ids], dtype=np.int32)

    def decode(self, ids: Sequence[int] | np.ndarray) -> list[str]:
        """The tokens of a sequence of ids.

        Example:
            >>> vocab.decode([1, 0])
            ['to', 'be']
        """
        array = np.asarray(ids)
        if array.ndim != 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
            raise ValueError(f"ids must be a 1-D sequence of whole numbers, got shape {array.shape}, {array.dtype}")
        if array.size and (array.min() < 0 or array.max() >= len(self)):
            raise ValueError(f"ids must lie in 0..{len(self) - 1}, got {array.min()}..{array.max()}")
        return [self.tokens[i] for i in array.tolist()]


def random_windows(
    ids: np.ndarray, n_windows: int, length: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``n_windows`` windows of ``length`` ids at random places in ``ids``, and each shifted by one.

    The second array holds the targets of a language model: at every position, the id that
    follows. Taught in notebook 09 (written out there); notebook 12 trains its transformer with it.

    Example:
        >>> inputs, targets = random_windows(np.arange(100), 2, 5, np.random.default_rng(0))
        >>> inputs[0].tolist(), targets[0].tolist()
        ([79, 80, 81, 82, 83], [80, 81, 82, 83, 84])
    """
    array = np.asarray(ids)
    for name, value in (("n_windows", n_windows), ("length", length)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    if array.ndim != 1 or len(array) < length + 2:
        raise ValueError(f"ids must be 1-D and longer than length + 1 = {length + 1}, got shape {array.shape}")
    starts = rng.integers(0, len(array) - length - 1, n_windows)
    windows = array[starts[:, None] + np.arange(length + 1)]
    return windows[:, :-1], windows[:, 1:]
