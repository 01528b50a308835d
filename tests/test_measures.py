import keras
import numpy as np
import pytest

from course_utils import measures


def test_squared_error_whole_and_per_image():
    a, b = np.zeros((3, 4, 4)), np.ones((3, 4, 4))
    b[1] = 3
    assert measures.squared_error(a, b) == pytest.approx((1 + 9 + 1) / 3)
    np.testing.assert_allclose(measures.squared_error(a, b, per_image=True), [1, 9, 1])


def test_squared_error_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        measures.squared_error(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="non-empty"):
        measures.squared_error(np.zeros(0), np.zeros(0))
    with pytest.raises(ValueError, match="at least 2 axes"):
        measures.squared_error(np.zeros(3), np.ones(3), per_image=True)


def test_reconstruction_error_matches_the_formula_in_pieces():
    images = np.random.default_rng(0).random((2500, 6, 6)).astype("float32")  # three calls of 1,000
    model = keras.Sequential([keras.Input((6, 6)), keras.layers.Flatten(), keras.layers.Dense(36),
                              keras.layers.Reshape((6, 6))])  # fmt: skip
    expected = np.mean((np.asarray(model(images)) - images) ** 2, axis=(1, 2))
    np.testing.assert_allclose(measures.reconstruction_error(model, images, per_image=True), expected, rtol=1e-5)
    assert measures.reconstruction_error(model, images) == pytest.approx(expected.mean(), rel=1e-5)
    identity = keras.Sequential([keras.Input((6, 6)), keras.layers.Identity()])
    assert measures.reconstruction_error(identity, images) == 0.0


def test_reconstruction_error_bad_input():
    with pytest.raises(TypeError, match="callable"):
        measures.reconstruction_error("model", np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match="non-empty batch"):
        measures.reconstruction_error(lambda x, training: x, np.zeros((0, 3, 3)))


def test_moving_average():
    np.testing.assert_allclose(measures.moving_average([1, 2, 3, 4], window=2), [1.5, 2.5, 3.5])
    assert len(measures.moving_average(np.arange(100.0))) == 51
    for bad in [0, 5, 2.5, True]:
        with pytest.raises(ValueError, match="window"):
            measures.moving_average([1, 2, 3, 4], window=bad)
    with pytest.raises(ValueError, match="one-dimensional"):
        measures.moving_average(np.zeros((3, 3)), window=2)


def test_exact_and_per_char():
    from course_utils.measures import exact_and_per_char

    assert exact_and_per_char(["2019-04-22", "2019-04-23"], ["2019-04-22", "2019-04-22"]) == (0.5, 0.95)
    exact, per_char = exact_and_per_char(["2019-04", "20190-04-22"], ["2019-04-22", "2019-04-22"])
    assert exact == 0 and per_char == pytest.approx((0.7 + 0.5) / 2)  # an extra character shifts the rest
    with pytest.raises(ValueError, match="equally long"):
        exact_and_per_char(["a"], ["a", "b"])
