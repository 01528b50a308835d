"""Word vectors' plumbing: the reference test sets, vector files, pretrained GloVe, projector export.

Notebook 08 teaches word vectors and how to score them; this module only fetches what they are
scored on and moves vectors in and out of files:

* :func:`analogy_questions` and :func:`similarity_pairs` read the Google analogy questions and
  WordSim-353, the two test sets gensim ships, restricted to a vocabulary;
* :func:`write_vectors` and :func:`read_vectors` write and read the plain-text format of GloVe
  (one line per word: the word, then its numbers) and word2vec's (the same, after a header line);
* :func:`glove_path` finds pretrained GloVe vectors (a local file, gensim's download cache, or a
  download when online) or says they are out of reach;
* :func:`export_projector` writes the two TSV files the Embedding Projector
  (https://projector.tensorflow.org) loads.

Example:
    >>> questions = analogy_questions(vocab)
    >>> questions.ids.shape, questions.sections[0]
    ((656, 4), 'capital-common-countries')
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from course_utils.config import data_dir
from course_utils.text import Vocabulary

GLOVE_NAME = "glove-wiki-gigaword-50"
"""GloVe trained on 6 billion tokens of Wikipedia and Gigaword, 400,000 words, 50 numbers each
(Pennington, Socher and Manning, 2014), as gensim's downloader serves it (66 MB)."""
GLOVE_FILES = ("glove.6B.50d.txt", f"{GLOVE_NAME}.gz")


def _gensim_test_file(name: str) -> Path:
    try:
        from gensim.test.utils import datapath
    except ImportError as err:
        raise ImportError(
            "the word-vector test sets ship with gensim: pip install gensim (requirements.txt pins it)"
        ) from err
    return Path(datapath(name))


def _vocabulary(vocab: Vocabulary) -> Vocabulary:
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be a course_utils Vocabulary, got {type(vocab).__name__}")
    return vocab


@dataclass(frozen=True)
class AnalogyQuestions:
    """Analogy questions "a is to b as c is to d", as vocabulary ids, with their sections.

    Attributes:
        ids: ``(n, 4)`` ids of a, b, c and the expected answer d.
        sections: the section of each question ("family", "gram8-plural", ...).
        total: how many questions the whole file holds (most use words the vocabulary lacks).

    Example:
        >>> questions = analogy_questions(vocab)
        >>> len(questions), questions.total
        (656, 19544)
    """

    ids: np.ndarray
    sections: tuple[str, ...]
    total: int

    def __len__(self) -> int:
        return len(self.ids)


def analogy_questions(vocab: Vocabulary, path: str | Path | None = None) -> AnalogyQuestions:
    """The questions of Mikolov et al.'s analogy test whose four words are all in ``vocab``.

    The file (``questions-words.txt``, 19,544 questions in 14 sections) ships with gensim; words
    are lower-cased to match :func:`~course_utils.text.words`.

    Example:
        >>> q = analogy_questions(vocab)
        >>> vocab.decode(q.ids[0])
        ['london', 'england', 'paris', 'france']
    """
    vocab = _vocabulary(vocab)
    path = Path(path) if path is not None else _gensim_test_file("questions-words.txt")
    ids, sections, total, section = [], [], 0, None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(":"):
            section = line[1:].strip()
            continue
        fields = line.lower().split()
        if not fields:
            continue
        if len(fields) != 4 or section is None:
            raise ValueError(f"{path}, line {number}: expected a ': section' line, then lines of four words")
        total += 1
        if all(word in vocab for word in fields):
            ids.append([vocab.index(word) for word in fields])
            sections.append(section)
    return AnalogyQuestions(np.array(ids, dtype=np.int32).reshape(-1, 4), tuple(sections), total)


@dataclass(frozen=True)
class SimilarityPairs:
    """Word pairs with the similarity people gave them (0-10), as vocabulary ids.

    Attributes:
        ids: ``(n, 2)`` ids of the two words.
        scores: the people's mean score for each pair.
        total: how many pairs the whole file holds.

    Example:
        >>> pairs = similarity_pairs(vocab)
        >>> vocab.decode(pairs.ids[0]), pairs.scores[0]
        (['book', 'paper'], 7.46)
    """

    ids: np.ndarray
    scores: np.ndarray
    total: int

    def __len__(self) -> int:
        return len(self.ids)


def similarity_pairs(vocab: Vocabulary, path: str | Path | None = None) -> SimilarityPairs:
    """The pairs of WordSim-353 (Finkelstein et al., 2002) whose two words are both in ``vocab``.

    The file (``wordsim353.tsv``: word, word, mean human score; lines starting with # are
    comments) ships with gensim. Pairs of a word with itself are left out.

    Example:
        >>> pairs = similarity_pairs(vocab)
        >>> len(pairs), pairs.total
        (46, 353)
    """
    vocab = _vocabulary(vocab)
    path = Path(path) if path is not None else _gensim_test_file("wordsim353.tsv")
    ids, scores, total = [], [], 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise ValueError(f"{path}, line {number}: expected word<TAB>word<TAB>score, got {line!r}")
        total += 1
        first, second, score = fields[0].lower(), fields[1].lower(), float(fields[2])
        if first != second and first in vocab and second in vocab:
            ids.append([vocab.index(first), vocab.index(second)])
            scores.append(score)
    return SimilarityPairs(np.array(ids, dtype=np.int32).reshape(-1, 2), np.array(scores), total)


def write_vectors(path: str | Path, words: list[str] | tuple[str, ...], vectors: np.ndarray) -> Path:
    """Write word vectors in GloVe's text format: one line per word, the word then its numbers.

    Example:
        >>> write_vectors("my_vectors.txt", vocab.tokens, embedding_matrix)
        PosixPath('my_vectors.txt')
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) != len(words):
        raise ValueError(f"vectors must be an array of shape ({len(words)}, dim), got {vectors.shape}")
    for word in words:
        if not word or any(space in word for space in " \t\n"):
            raise ValueError(f"a word in a vector file cannot be empty or hold spaces, got {word!r}")
    path = Path(path)
    with path.open("w", encoding="utf-8") as file:
        for word, vector in zip(words, vectors):
            file.write(word + " " + " ".join(f"{x:.6g}" for x in vector) + "\n")
    return path


def read_vectors(path: str | Path, *, limit: int | None = None) -> tuple[list[str], np.ndarray]:
    """Read word vectors from a text file in GloVe's or word2vec's format (optionally gzipped).

    Args:
        path: the file; a first line of two numbers (word2vec's header) is skipped.
        limit: read only the first ``limit`` words (files list the most frequent first).

    Returns:
        The words and a float32 array with one row per word.

    Example:
        >>> words, vectors = read_vectors("glove.6B.50d.txt", limit=50_000)
        >>> vectors.shape
        (50000, 50)
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no vector file at {path}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit must be None or a whole number of at least 1, got {limit!r}")
    opener = gzip.open if path.suffix == ".gz" else open
    words: list[str] = []
    rows: list[np.ndarray] = []
    with opener(path, "rt", encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            fields = line.rstrip().split(" ")
            if number == 1 and len(fields) == 2 and all(f.isdigit() for f in fields):
                continue  # word2vec's header: how many words, how many numbers each
            if limit is not None and len(words) >= limit:
                break
            try:
                row = np.array(fields[1:], dtype=np.float32)
            except ValueError as err:
                raise ValueError(f"{path}, line {number}: expected a word then numbers") from err
            if rows and len(row) != len(rows[0]):
                raise ValueError(f"{path}, line {number}: {len(row)} numbers where earlier lines had {len(rows[0])}")
            if not len(row):
                raise ValueError(f"{path}, line {number}: a word without numbers")
            words.append(fields[0])
            rows.append(row)
    if not words:
        raise ValueError(f"{path} holds no vectors")
    return words, np.stack(rows)


def glove_path(*, download: bool = True) -> Path | None:
    """Where pretrained GloVe 50-d vectors are on this machine, or None when they are out of reach.

    Looks for ``glove.6B.50d.txt`` (from the original zip) or ``glove-wiki-gigaword-50.gz`` in the
    data folder (``COURSE_DATA_DIR``), then in gensim's download cache (``~/gensim-data``); then,
    when ``download`` is true and the internet is reachable, downloads the 66 MB file through
    gensim's downloader.

    Example:
        >>> path = glove_path()
        >>> path.name if path else "offline"
        'glove-wiki-gigaword-50.gz'
    """
    for name in GLOVE_FILES:
        if (data_dir() / name).is_file():
            return data_dir() / name
    gensim_cache = Path(os.environ.get("GENSIM_DATA_DIR", Path.home() / "gensim-data"))
    cached = gensim_cache / GLOVE_NAME / f"{GLOVE_NAME}.gz"
    if cached.is_file():
        return cached
    from course_utils.data import internet_reachable

    if not download or not internet_reachable("github.com"):
        return None
    import gensim.downloader

    try:
        return Path(gensim.downloader.load(GLOVE_NAME, return_path=True))
    except Exception as err:  # a network that lets some hosts through but not others, a full disk...
        print(f"GloVe could not be downloaded ({type(err).__name__}: {err}).")
        return None


def export_projector(folder: str | Path, words: list[str] | tuple[str, ...], vectors: np.ndarray) -> tuple[Path, Path]:
    """Write ``vectors.tsv`` (one row of numbers per word) and ``metadata.tsv`` (the words).

    Load both at https://projector.tensorflow.org ("Load", then the two files) to explore the
    vectors in 3-D with PCA, t-SNE or UMAP.

    Example:
        >>> export_projector("projector", vocab.tokens, embedding_matrix)
        (PosixPath('projector/vectors.tsv'), PosixPath('projector/metadata.tsv'))
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) != len(words):
        raise ValueError(f"vectors must be an array of shape ({len(words)}, dim), got {vectors.shape}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vectors_file, metadata_file = folder / "vectors.tsv", folder / "metadata.tsv"
    vectors_file.write_text("".join("\t".join(f"{x:.5g}" for x in row) + "\n" for row in vectors), encoding="utf-8")
    metadata_file.write_text("".join(str(word) + "\n" for word in words), encoding="utf-8")
    return vectors_file, metadata_file
