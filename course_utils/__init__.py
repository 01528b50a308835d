"""course_utils: the plumbing of the Deep Representations course.

The lessons live in the notebooks; this package holds what is not the lesson: modes and seeding
(:mod:`~course_utils.config`), data (:mod:`~course_utils.data`), figures
(:mod:`~course_utils.plots`), words and vocabularies (:mod:`~course_utils.text`), dates to translate
(:mod:`~course_utils.dates`), word vectors' plumbing (:mod:`~course_utils.embeddings`), controls
(:mod:`~course_utils.widgets`), train-or-load caching
(:mod:`~course_utils.training`), check cells (:mod:`~course_utils.checks`), the machine report
(:mod:`~course_utils.environment`), the decoders of sequence models (samplers, greedy, beam search:
:mod:`~course_utils.decoding`), the encoder-decoder of the dates
(:mod:`~course_utils.seq2seq`), figures of the sequence half (:mod:`~course_utils.seqplots`), progress
bars of long work (:mod:`~course_utils.progress`),
measures written once (:mod:`~course_utils.measures`), the judge
of generated images (:mod:`~course_utils.judge`) and the adversarial training loop
(:mod:`~course_utils.gan`).

Example:
    >>> import course_utils as cu
    >>> cu.setup()
    >>> data = cu.load_fashion_mnist(n_train=cu.budget(fast=2000, full=60000))
"""

from course_utils import (
    checks,
    config,
    data,
    dates,
    decoding,
    embeddings,
    environment,
    gan,
    judge,
    measures,
    plots,
    progress,
    seq2seq,
    seqplots,
    text,
    training,
    widgets,
)  # fmt: skip
from course_utils.checks import (
    CheckFailed,
    check_above,
    check_answer,
    check_below,
    check_between,
    check_decreasing,
    check_equal,
    fingerprint,
    report,
)
from course_utils.config import budget, cache_dir, data_dir, is_fast, mode, seed_everything
from course_utils.data import (
    GaussianRing,
    ImageData,
    RingScore,
    cloud_near_plane,
    load_fashion_mnist,
    load_shakespeare,
    one_hot_patterns,
)
from course_utils.dates import (
    FORMAT_NAMES,
    DatePair,
    date_pairs,
    date_vocabularies,
    decode_texts,
    encode_texts,
    split_pairs,
    write_date,
)
from course_utils.judge import Judge, load_judge
from course_utils.measures import moving_average, reconstruction_error, squared_error
from course_utils.plots import (
    LivePlot,
    draw_diagram,
    plot_curves,
    plot_next_token,
    plot_ring,
    scatter_with_thumbnails,
    show_image_rows,
    show_images,
    show_reconstructions,
    square_grid,
    use_presentation_style,
)
from course_utils.progress import ProgressCallback, progress_loop
from course_utils.text import Vocabulary, words
from course_utils.training import Trained, cached, train_or_load

__version__ = "0.1.0"

__all__ = [
    "budget", "cache_dir", "cached", "check_above", "check_answer", "check_below", "check_between", "check_decreasing",
    "check_equal", "CheckFailed", "checks", "cloud_near_plane", "config", "data", "data_dir", "date_pairs",
    "date_vocabularies", "DatePair", "dates", "decode_texts", "decoding", "draw_diagram", "embeddings",
    "encode_texts", "environment", "fingerprint", "FORMAT_NAMES", "gan",
    "GaussianRing", "ImageData", "is_fast", "judge", "Judge", "LivePlot", "load_fashion_mnist",
    "load_judge", "load_shakespeare", "measures", "mode", "moving_average", "one_hot_patterns", "plot_curves",
    "plot_next_token", "plot_ring",
    "plots", "progress", "progress_loop", "ProgressCallback", "reconstruction_error", "report", "RingScore",
    "scatter_with_thumbnails", "seed_everything", "seq2seq", "seqplots", "setup",
    "show_image_rows", "show_images", "show_reconstructions", "split_pairs", "square_grid", "squared_error", "text",
    "train_or_load",
    "Trained", "training", "use_presentation_style", "Vocabulary", "widgets", "words",
    "write_date",
]  # fmt: skip


def setup(seed: int | None = None) -> None:
    """Start a notebook: presentation-sized figures, every generator seeded, one line of facts.

    Example:
        >>> setup()  # prints one line (wrapped here)
        course_utils 0.1.0 | mode: full (set COURSE_MODE=fast for a quick run) | TensorFlow 2.21.0,
        Keras 3.15.1 on CPU | Colab: no
    """
    import keras
    import tensorflow as tf

    use_presentation_style()
    seed = seed_everything(seed)
    processor = "GPU" if tf.config.list_physical_devices("GPU") else "CPU"
    hint = " (set COURSE_MODE=fast for a quick run)" if mode() == "full" else " (small budgets, for tests)"
    if seed != config.DEFAULT_SEED:
        hint += f" | seed {seed}"
    print(
        f"course_utils {__version__} | mode: {mode()}{hint} | TensorFlow {tf.__version__}, "
        f"Keras {keras.__version__} on {processor} | Colab: {'yes' if environment.in_colab() else 'no'}"
    )
