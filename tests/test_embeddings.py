import gzip

import numpy as np
import pytest

from course_utils import embeddings
from course_utils.text import Vocabulary

QUESTIONS = """: family
boy girl brother sister
King Queen Man Woman
boy girl son daughter
: gram8-plural
cat cats dog dogs
"""
WORDSIM = (
    "# Word 1\tWord 2\tHuman (mean)\ntiger\tcat\t7.35\ntiger\ttiger\t10.00\nking\tqueen\t8.58\nking\tcabbage\t0.23\n"
)


@pytest.fixture
def vocab():
    return Vocabulary.from_tokens("boy girl brother sister king queen man woman cat cats dog dogs tiger".split())


def test_analogy_questions_keep_those_whose_words_are_all_known(tmp_path, vocab):
    path = tmp_path / "questions.txt"
    path.write_text(QUESTIONS)
    questions = embeddings.analogy_questions(vocab, path)
    assert questions.total == 4 and len(questions) == 3
    assert questions.sections == ("family", "family", "gram8-plural")
    assert vocab.decode(questions.ids[1]) == ["king", "queen", "man", "woman"]  # lower-cased


def test_analogy_questions_reject_a_malformed_file(tmp_path, vocab):
    path = tmp_path / "bad.txt"
    path.write_text(": family\nboy girl brother\n")
    with pytest.raises(ValueError, match="line 2"):
        embeddings.analogy_questions(vocab, path)


def test_similarity_pairs_skip_unknown_words_and_identical_pairs(tmp_path, vocab):
    path = tmp_path / "wordsim.tsv"
    path.write_text(WORDSIM)
    pairs = embeddings.similarity_pairs(vocab, path)
    assert pairs.total == 4 and len(pairs) == 2  # not tiger-tiger, not king-cabbage
    assert [vocab.decode(ids) for ids in pairs.ids] == [["tiger", "cat"], ["king", "queen"]]
    assert pairs.scores.tolist() == [7.35, 8.58]


def test_the_test_sets_gensim_ships_are_found(vocab):
    pytest.importorskip("gensim")
    questions = embeddings.analogy_questions(vocab)
    assert questions.total == 19544 and len(questions) > 0
    assert embeddings.similarity_pairs(vocab).total == 353


def test_vectors_round_trip_through_a_text_file(tmp_path):
    words = ["to", "be", "o'er"]
    vectors = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)
    path = embeddings.write_vectors(tmp_path / "v.txt", words, vectors)
    read_words, read_vectors = embeddings.read_vectors(path)
    assert read_words == words and read_vectors.dtype == np.float32
    np.testing.assert_allclose(read_vectors, vectors, rtol=1e-5)
    assert embeddings.read_vectors(path, limit=2)[1].shape == (2, 4)


def test_word2vec_header_and_gzip_are_read(tmp_path):
    path = tmp_path / "v.gz"
    with gzip.open(path, "wt") as file:
        file.write("2 3\nthe 0.1 0.2 0.3\nof -1 0 1\n")
    words, vectors = embeddings.read_vectors(path)
    assert words == ["the", "of"] and vectors.shape == (2, 3)


@pytest.mark.parametrize("content", ["the 0.1 0.2\nof 0.3\n", "the x y\n", "the\n", ""])
def test_read_vectors_rejects_malformed_files(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_text(content)
    with pytest.raises(ValueError):
        embeddings.read_vectors(path)


def test_read_vectors_says_when_the_file_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError):
        embeddings.read_vectors(tmp_path / "missing.txt")


def test_write_vectors_rejects_bad_shapes_and_words(tmp_path):
    with pytest.raises(ValueError, match="shape"):
        embeddings.write_vectors(tmp_path / "v.txt", ["a", "b"], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="spaces"):
        embeddings.write_vectors(tmp_path / "v.txt", ["a b"], np.zeros((1, 2)))


def test_glove_path_finds_a_file_in_the_data_folder_and_is_none_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GENSIM_DATA_DIR", str(tmp_path / "gensim-data"))
    assert embeddings.glove_path(download=False) is None
    (tmp_path / "glove.6B.50d.txt").write_text("the 0.1 0.2\n")
    assert embeddings.glove_path(download=False) == tmp_path / "glove.6B.50d.txt"


def test_glove_path_finds_gensims_download_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    cached = tmp_path / "gensim-data" / embeddings.GLOVE_NAME / f"{embeddings.GLOVE_NAME}.gz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"")
    monkeypatch.setenv("GENSIM_DATA_DIR", str(tmp_path / "gensim-data"))
    assert embeddings.glove_path(download=False) == cached


def test_projector_files_hold_one_row_per_word(tmp_path):
    vectors = np.arange(6, dtype=np.float32).reshape(3, 2)
    vectors_file, metadata_file = embeddings.export_projector(tmp_path / "out", ["a", "b", "c"], vectors)
    assert vectors_file.read_text().splitlines() == ["0\t1", "2\t3", "4\t5"]
    assert metadata_file.read_text().splitlines() == ["a", "b", "c"]
    with pytest.raises(ValueError):
        embeddings.export_projector(tmp_path, ["a"], vectors)
