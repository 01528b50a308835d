import keras
import numpy as np
import pytest

from course_utils import progress as progress_module
from course_utils.progress import ProgressCallback, progress_loop

# Keras' save_weights warns under NumPy 2.4; the warning is Keras', not course_utils'.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword")


@pytest.fixture(autouse=True)
def bars_on(monkeypatch):
    monkeypatch.delenv(progress_module.PROGRESS_VARIABLE, raising=False)


def test_loop_counts_steps_and_shows_numbers(capsys):
    bar = progress_loop(7, "toy loop")
    for step in bar:
        bar.show(loss=1 / (step + 1), note="x")
    assert bar.count == 7 and bar._bar.n == 7 and bar._bar.total == 7
    assert bar._bar.postfix == "loss=0.1429, note=x"
    err = capsys.readouterr().err
    assert "toy loop" in err and "7/7" in err


def test_loop_over_an_iterable_and_a_generator():
    sizes = progress_loop([2, 8, 32], "code sizes", unit="model")
    assert list(sizes) == [2, 8, 32] and sizes._bar.total == 3
    unsized = progress_loop((i for i in range(4)), "generator")
    assert list(unsized) == [0, 1, 2, 3] and unsized._bar.total is None and unsized.count == 4


def test_loop_closes_when_broken():
    bar = progress_loop(10, "broken")
    with bar:
        for step in bar:
            if step == 2:
                break
    assert bar.count == 2 and bar._bar.disable is True  # tqdm marks a closed bar disabled


def test_fit_reports_epochs_and_batches(capsys):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    callback = ProgressCallback("tiny model")
    x = np.zeros((40, 3), "float32")
    model.fit(x, x[:, :1], epochs=3, batch_size=8, verbose=0, callbacks=[callback])
    assert callback.epochs == 3 and callback.batches_done == 15 and callback._bar.total == 15
    err = capsys.readouterr().err
    assert "tiny model, epoch 3/3" in err and "15/15" in err and "loss=" in err


def test_off_hides_every_bar(monkeypatch, capsys):
    monkeypatch.setenv(progress_module.PROGRESS_VARIABLE, "off")
    assert not progress_module.enabled()
    assert list(progress_loop(3, "quiet")) == [0, 1, 2]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (2.5, TypeError), (True, TypeError)])
def test_bad_steps(bad, error):
    with pytest.raises(error, match="steps"):
        progress_loop(bad, "bad")


@pytest.mark.parametrize("what", ["", "  ", 3])
def test_what_must_name_the_work(what):
    with pytest.raises(TypeError, match="what"):
        progress_loop(3, what)
    with pytest.raises(TypeError, match="what"):
        ProgressCallback(what)


def test_unnamed_bars_take_the_name_of_the_model_being_trained(capsys, tmp_path, monkeypatch):
    from course_utils import training

    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path))
    assert list(progress_loop(2)) == [0, 1] and "training" in capsys.readouterr().err

    def build():
        return keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])

    def train(model):
        model.compile("sgd", "mse")
        x = np.zeros((16, 3), "float32")
        model.fit(x, x[:, :1], epochs=2, batch_size=8, verbose=0, callbacks=[ProgressCallback()])
        for _ in progress_loop(3, unit="epoch"):
            pass

    training.train_or_load("named-model", build, train, {"epochs": 2})
    err = capsys.readouterr().err
    assert "named-model, epoch 2/2" in err and "named-model: 100%" in err
    training.train_or_load("named-model", build, train, {"epochs": 2})  # loaded: no bar at all
    assert capsys.readouterr().err == ""
