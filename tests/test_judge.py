import keras
import numpy as np
import pytest

from course_utils import judge as judge_module
from course_utils.judge import Judge


class Fixed(keras.Model):
    """Answers the same class probabilities for every image."""

    def __init__(self, rows):
        super().__init__()
        self.rows = np.asarray(rows, dtype="float32")

    def call(self, images, training=False):
        return self.rows[: len(images)]


def make(rows):
    return Judge(Fixed(rows), 0.9, tuple(f"c{i}" for i in range(3)), "test")


def test_recognisable_share_and_classes():
    rows = [[0.95, 0.03, 0.02], [0.05, 0.91, 0.04], [0.5, 0.3, 0.2], [0.97, 0.02, 0.01]]
    judge = make(rows)
    images = np.zeros((4, 28, 28))
    assert judge.recognisable_share(images) == 0.75
    np.testing.assert_allclose(judge.class_shares(images), [0.5, 0.25, 0])
    assert judge.classes_present(images) == 2
    assert judge.classes_present(images, min_share=0.3) == 1
    assert judge.recognisable_share(images, threshold=0.96) == 0.25
    assert judge.probabilities(np.zeros((4, 28, 28, 1))).shape == (4, 3)  # a generator's channel axis is fine


def test_bad_images_and_arguments_are_refused():
    judge = make([[1.0, 0, 0]])
    with pytest.raises(ValueError, match=r"\(images \+ 1\) / 2"):
        judge.recognisable_share(-np.ones((1, 28, 28)))
    with pytest.raises(ValueError, match="shape"):
        judge.recognisable_share(np.zeros((1, 32, 32)))
    with pytest.raises(ValueError, match="threshold"):
        judge.recognisable_share(np.zeros((1, 28, 28)), threshold=1.5)
    with pytest.raises(ValueError, match="min_share"):
        judge.classes_present(np.zeros((1, 28, 28)), min_share=0)
    with pytest.raises(ValueError, match="epochs"):
        judge_module.load_judge(epochs=0)


def test_build_judge_outputs_probabilities():
    model = judge_module.build_judge()
    out = np.asarray(model(np.zeros((2, 28, 28), dtype="float32")))
    assert out.shape == (2, 10)
    np.testing.assert_allclose(out.sum(axis=1), 1, rtol=1e-5)


def test_plot_class_shares_draws_one_bar_group_per_set():
    rows = [[0.95, 0.03, 0.02], [0.05, 0.91, 0.04]]
    judge = make(rows)
    fig = judge.plot_class_shares({"a": np.zeros((2, 28, 28)), "b": np.zeros((2, 28, 28))})
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * 3 and [t.get_text() for t in ax.get_xticklabels()] == ["c0", "c1", "c2"]
    assert [p.get_height() for p in ax.patches[:3]] == [0.5, 0.5, 0.0]
    with pytest.raises(ValueError, match="non-empty mapping"):
        judge.plot_class_shares({})
