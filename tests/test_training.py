import json
import linecache
import os
import shutil
import subprocess
import sys

import keras
import numpy as np
import pytest

from course_utils import training

X = np.random.default_rng(0).random((32, 4), dtype=np.float32)
Y = np.random.default_rng(1).random((32, 3), dtype=np.float32)
CONFIG = {"epochs": 2, "data": "random"}

# Keras' save_weights warns under NumPy 2.4; the warning is Keras', not course_utils'.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword")


@pytest.fixture(autouse=True)
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path))
    return tmp_path


def build(units=2, activation=None):
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, activation=activation)])


def predict(model):
    return keras.ops.convert_to_numpy(model(X))


class Trainer:
    def __init__(self, log=True):
        self.calls = 0
        self.log = log

    def __call__(self, model):
        self.calls += 1
        model.compile("sgd", "mse")
        y = Y[:, : model.output_shape[-1]]
        losses = [float(model.train_on_batch(X, y)) for _ in range(2)]
        return {"loss": losses} if self.log else None


def test_first_call_trains(capsys):
    train = Trainer()
    result = training.train_or_load("tiny", build, train, CONFIG)
    assert train.calls == 1
    assert result.from_cache is False
    assert isinstance(result.model, keras.Model)
    assert set(result.log) == {"loss"}
    assert isinstance(result.log["loss"], np.ndarray) and result.log["loss"].shape == (2,)
    assert result.train_seconds > 0
    assert (result.path / training.META_FILE).is_file()
    assert "Trained 'tiny'" in capsys.readouterr().out


def test_second_call_loads(capsys):
    train = Trainer()
    first = training.train_or_load("tiny", build, train, CONFIG)
    second = training.train_or_load("tiny", build, train, CONFIG)
    assert train.calls == 1
    assert second.from_cache is True
    assert second.path == first.path
    assert second.train_seconds == pytest.approx(first.train_seconds)
    np.testing.assert_array_equal(second.log["loss"], first.log["loss"])
    np.testing.assert_array_equal(predict(second.model), predict(first.model))
    assert "Loaded 'tiny' from the cache" in capsys.readouterr().out


def test_cache_key_ignores_keras_auto_names():
    first, second = build(), build()
    assert first.name != second.name
    assert training.cache_key("tiny", CONFIG, first) == training.cache_key("tiny", CONFIG, second)


def test_cache_key_ignores_the_auto_names_of_recorded_operations():
    def masked():  # the Embedding's mask is a not_equal operation node, numbered per session
        ids = keras.Input((None,), dtype="int32")
        return keras.Model(ids, keras.layers.GRU(3)(keras.layers.Embedding(5, 2, mask_zero=True)(ids)))

    assert training.cache_key("tiny", CONFIG, masked()) == training.cache_key("tiny", CONFIG, masked())


def test_cache_key_of_a_lambda_layer_ignores_the_file_it_was_compiled_in():
    source = (
        "def build():\n"
        "    ids = keras.Input((None,), dtype='int32')\n"
        "    return keras.Model(ids, keras.layers.Lambda(lambda x: keras.ops.not_equal(x, 0))(ids))\n"
    )
    keys = []
    for filename in ("/tmp/ipykernel_1/a.py", "/tmp/ipykernel_2/b.py"):  # Jupyter's per-kernel file names
        namespace = {"keras": keras}
        exec(compile(source, filename, "exec"), namespace)
        keys.append(training.cache_key("tiny", CONFIG, namespace["build"]()))
    assert keys[0] == keys[1]
    other = source.replace("not_equal(x, 0)", "not_equal(x, 1)")
    namespace = {"keras": keras}
    exec(compile(other, "/tmp/ipykernel_1/a.py", "exec"), namespace)
    assert training.cache_key("tiny", CONFIG, namespace["build"]()) != keys[0]  # what the lambda does still counts


@pytest.mark.parametrize(
    "other",
    [
        lambda: build(units=3),
        lambda: build(activation="relu"),
        lambda: keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)]),
    ],
    ids=["units", "activation", "input"],
)
def test_cache_key_follows_architecture(other):
    assert training.cache_key("tiny", CONFIG, build()) != training.cache_key("tiny", CONFIG, other())


def test_cache_key_follows_name_and_config():
    model = build()
    key = training.cache_key("tiny", CONFIG, model)
    assert training.cache_key("other", CONFIG, model) != key
    assert training.cache_key("tiny", {**CONFIG, "epochs": 3}, model) != key


def _chain():
    x = keras.Input((4,))
    h = keras.layers.Dense(4)(x)
    return keras.Model(x, keras.layers.Add()([h, keras.layers.Dense(4)(h)]))


def _parallel():
    x = keras.Input((4,))
    return keras.Model(x, keras.layers.Add()([keras.layers.Dense(4)(x), keras.layers.Dense(4)(x)]))


def test_cache_key_follows_functional_wiring():
    assert training.cache_key("net", CONFIG, _chain()) != training.cache_key("net", CONFIG, _parallel())


def test_cache_key_follows_dtype():
    doubles = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, dtype="float64")])
    assert training.cache_key("tiny", CONFIG, build()) != training.cache_key("tiny", CONFIG, doubles)


def test_other_config_trains_again():
    train = Trainer()
    first = training.train_or_load("tiny", build, train, CONFIG)
    second = training.train_or_load("tiny", build, train, {**CONFIG, "epochs": 3})
    assert train.calls == 2
    assert second.from_cache is False
    assert second.path != first.path


def test_other_architecture_trains_again():
    train = Trainer()
    first = training.train_or_load("tiny", build, train, CONFIG)
    second = training.train_or_load("tiny", lambda: build(units=3), train, CONFIG)
    assert train.calls == 2
    assert second.from_cache is False
    assert second.path != first.path
    assert second.model.output_shape == (None, 3)


def test_config_key_order_does_not_matter():
    train = Trainer()
    training.train_or_load("tiny", build, train, {"a": 1, "b": 2})
    assert training.train_or_load("tiny", build, train, {"b": 2, "a": 1}).from_cache is True
    assert train.calls == 1


def test_retrain_trains_again():
    train = Trainer()
    first = training.train_or_load("tiny", build, train, CONFIG)
    second = training.train_or_load("tiny", build, train, CONFIG, retrain=True)
    assert train.calls == 2
    assert second.from_cache is False
    assert second.path == first.path
    assert training.train_or_load("tiny", build, train, CONFIG).from_cache is True


def test_other_seed_trains_again(monkeypatch):
    train = Trainer()
    first = training.train_or_load("tiny", build, train, CONFIG)
    monkeypatch.setenv("COURSE_SEED", "7")
    second = training.train_or_load("tiny", build, train, CONFIG)
    assert train.calls == 2
    assert second.path != first.path


def test_same_seed_gives_same_training():
    first = training.train_or_load("tiny", build, Trainer(), CONFIG)
    second = training.train_or_load("tiny", build, Trainer(), CONFIG, retrain=True)
    np.testing.assert_allclose(predict(second.model), predict(first.model), rtol=1e-6)


def test_corrupted_weights_retrained(capsys):
    train = Trainer()
    first = training.train_or_load("tiny", build, train, CONFIG)
    (first.path / training.WEIGHTS_FILE).write_bytes(b"not an HDF5 file")
    capsys.readouterr()
    second = training.train_or_load("tiny", build, train, CONFIG)
    assert train.calls == 2
    assert second.from_cache is False
    assert "could not be read" in capsys.readouterr().out
    assert training.train_or_load("tiny", build, train, CONFIG).from_cache is True


def test_corrupted_meta_retrained(capsys):
    train = Trainer()
    first = training.train_or_load("tiny", build, train, CONFIG)
    (first.path / training.META_FILE).write_text("{")
    assert training.train_or_load("tiny", build, train, CONFIG).from_cache is False
    assert train.calls == 2
    assert "could not be read" in capsys.readouterr().out


def test_leftover_partial_folder_ignored():
    train = Trainer()
    folder = training.models_dir() / f"tiny-{training.cache_key('tiny', CONFIG, build(), train=train)}"
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir()
    (partial / training.WEIGHTS_FILE).write_bytes(b"half written")
    result = training.train_or_load("tiny", build, train, CONFIG)
    assert train.calls == 1
    assert result.from_cache is False
    assert result.path == folder
    assert not partial.exists()
    assert json.loads((folder / training.META_FILE).read_text())["config"] == CONFIG


def test_folder_without_meta_ignored():
    folder = training.models_dir() / f"tiny-{training.cache_key('tiny', CONFIG, build())}"
    folder.mkdir()
    (folder / training.WEIGHTS_FILE).write_bytes(b"half written")
    train = Trainer()
    assert training.train_or_load("tiny", build, train, CONFIG).from_cache is False
    assert train.calls == 1


def test_models_live_in_cache_dir(cache):
    result = training.train_or_load("tiny", build, Trainer(), CONFIG, verbose=False)
    assert result.path.parent == cache.resolve() / "models"
    assert result.path.name.startswith("tiny-")


def test_quiet_when_not_verbose(capsys):
    training.train_or_load("tiny", build, Trainer(), CONFIG, verbose=False)
    training.train_or_load("tiny", build, Trainer(), CONFIG, verbose=False)
    assert capsys.readouterr().out == ""


def test_train_returning_none_gives_empty_log():
    result = training.train_or_load("tiny", build, Trainer(log=False), CONFIG)
    assert result.log == {}
    assert training.train_or_load("tiny", build, Trainer(), CONFIG).log == {}


def test_log_arrays_kept():
    def train(model):
        return {"curve": [3, 2, 1], "snapshot": np.ones((2, 4), dtype=np.float32)}

    first = training.train_or_load("tiny", build, train, CONFIG)
    second = training.train_or_load("tiny", build, train, CONFIG)
    assert second.from_cache is True
    for log in (first.log, second.log):
        np.testing.assert_array_equal(log["curve"], [3, 2, 1])
        assert log["snapshot"].shape == (2, 4) and log["snapshot"].dtype == np.float32


def test_train_returning_history_object_rejected():
    def train(model):
        model.compile("sgd", "mse")
        return model.fit(X, Y[:, :2], epochs=1, verbose=0)

    with pytest.raises(TypeError, match="mapping"):
        training.train_or_load("tiny", build, train, CONFIG)


@pytest.mark.parametrize("name", ["", "  ", "a/b", None, 3])
def test_bad_name(name):
    with pytest.raises(ValueError, match="name"):
        training.train_or_load(name, build, Trainer(), CONFIG)


@pytest.mark.parametrize("which", ["build", "train"])
def test_non_callable(which):
    arguments = {"build": build, "train": Trainer(), which: "not a function"}
    with pytest.raises(TypeError, match="must be functions"):
        training.train_or_load("tiny", config=CONFIG, **arguments)


@pytest.mark.parametrize("config", [None, [("epochs", 2)], "epochs=2"])
def test_config_not_a_mapping(config):
    with pytest.raises(TypeError, match="config must be a mapping"):
        training.train_or_load("tiny", build, Trainer(), config)


@pytest.mark.parametrize("value", [object(), np.int64(2), {1, 2}])
def test_config_not_json(value):
    train = Trainer()
    with pytest.raises(TypeError, match="JSON"):
        training.train_or_load("tiny", build, train, {"epochs": value})
    assert train.calls == 0


def test_build_returning_non_model():
    with pytest.raises(TypeError, match="build\\(\\) must return a keras.Model, got list"):
        training.train_or_load("tiny", lambda: [keras.layers.Dense(2)], Trainer(), CONFIG)


def test_clear_cache_counts_deletions():
    training.train_or_load("tiny", build, Trainer(log=False), CONFIG, verbose=False)
    training.train_or_load("tiny", build, Trainer(log=False), {"epochs": 3}, verbose=False)
    training.train_or_load("tiny-ae", build, Trainer(log=False), CONFIG, verbose=False)
    assert training.clear_cache("tiny") == 2
    assert training.clear_cache("tiny") == 0
    assert training.clear_cache() == 1
    assert list(training.models_dir().iterdir()) == []


def test_clear_cache_then_trains_again():
    train = Trainer(log=False)
    training.train_or_load("tiny", build, train, CONFIG, verbose=False)
    training.clear_cache()
    assert training.train_or_load("tiny", build, train, CONFIG, verbose=False).from_cache is False
    assert train.calls == 2


def _fit_once(model):
    model.compile("sgd", "mse")
    model.train_on_batch(X, Y[:, : model.output_shape[-1]])


def _fit_twice(model):
    model.compile("sgd", "mse")
    for _ in range(2):
        model.train_on_batch(X, Y[:, : model.output_shape[-1]])


def _fit_with(model, steps=1):
    model.compile("sgd", "mse")
    for _ in range(steps):
        model.train_on_batch(X, Y[:, : model.output_shape[-1]])


def test_other_training_code_trains_again():
    first = training.train_or_load("tiny", build, _fit_once, CONFIG)
    second = training.train_or_load("tiny", build, _fit_twice, CONFIG)
    assert second.from_cache is False
    assert second.path != first.path
    assert training.train_or_load("tiny", build, _fit_once, CONFIG).from_cache is True


def test_training_code_follows_partial_arguments_and_defaults():
    from functools import partial

    key = training.cache_key("tiny", CONFIG, build(), train=_fit_with)
    assert key == training.cache_key("tiny", CONFIG, build(), train=_fit_with)
    partial_key = training.cache_key("tiny", CONFIG, build(), train=partial(_fit_with, steps=3))
    assert partial_key != key
    assert partial_key != training.cache_key("tiny", CONFIG, build(), train=partial(_fit_with, steps=4))


def test_training_code_describes_arrays_by_content():
    from functools import partial

    with_ones = training.training_code(partial(_fit_with, steps=np.ones((100, 4))))
    with_zeros = training.training_code(partial(_fit_with, steps=np.zeros((100, 4))))
    assert with_ones != with_zeros


def _noise(images, level=0.1):
    return images + level


def _other_noise(images, level=0.1):
    return images - level


def test_training_code_follows_functions_and_partials_passed_in():
    from functools import partial

    def code(corrupt):
        return training.training_code(partial(_fit_with, steps=corrupt))

    assert code(partial(_noise, level=0.3)) == code(partial(_noise, level=0.3))
    assert code(partial(_noise, level=0.3)) != code(partial(_noise, level=0.5))
    assert code(_noise) != code(_other_noise)
    assert code(partial(_noise, level=0.3)) != code(partial(_other_noise, level=0.3))


def test_ragged_log_is_refused_with_its_name():
    def ragged(model):
        return {"snapshots": [[1.0, 2.0], [3.0]]}

    with pytest.raises(TypeError, match="snapshots"):
        training.train_or_load("tiny", build, ragged, CONFIG)


def test_unbuilt_model_is_refused():
    def unbuilt():
        return keras.Sequential([keras.layers.Dense(2)])

    with pytest.raises(ValueError, match="built"):
        training.train_or_load("tiny", unbuilt, Trainer(), CONFIG)


class _Wrapper(keras.Model):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)


def _wrapped():
    return _Wrapper(keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]))


def test_subclassed_model_must_be_called_before_it_is_returned():
    # its part has weights, but Keras refuses to save the weights of a model never called
    with pytest.raises(ValueError, match="call it once on a batch"):
        training.train_or_load("wrapped", _wrapped, lambda model: None, CONFIG)

    def called():
        model = _wrapped()
        model(np.zeros((1, 3), "float32"))
        return model

    assert training.train_or_load("wrapped", called, lambda model: None, CONFIG).model.built


def test_training_code_ignores_memory_addresses():
    from functools import partial

    class Callback:
        pass

    first = training.training_code(partial(_fit_with, steps=[Callback()]))
    assert first == training.training_code(partial(_fit_with, steps=[Callback()]))
    assert "0x" not in first


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self, array, scale=1.0):
        self.calls += 1
        return np.asarray(array) * scale


def _double(array):
    return np.asarray(array) * 2


def _triple(array):
    return np.asarray(array) * 3


def test_cached_computes_once_then_loads(capsys):
    count = Counter()
    first = training.cached("double", count, X, scale=2.0)
    second = training.cached("double", count, X, scale=2.0)
    assert count.calls == 1
    np.testing.assert_array_equal(first, second)
    assert "Loaded 'double' from the cache" in capsys.readouterr().out


def test_cached_announces_a_computation_before_it_starts(capsys):
    seen = {}

    def slow(x):
        seen["printed before"] = capsys.readouterr().out
        return x

    training.cached("slow", slow, X)
    assert "Computing 'slow'" in seen["printed before"]
    assert "Computed 'slow'" in capsys.readouterr().out
    training.cached("slow", slow, X)
    assert "Computing" not in capsys.readouterr().out  # loaded: nothing to announce


def test_cached_follows_inputs_code_and_seed(monkeypatch):
    count = Counter()
    training.cached("f", count, X)
    training.cached("f", count, X + 1e-6)  # any change in an array's content counts
    training.cached("f", count, X, scale=3.0)
    monkeypatch.setenv("COURSE_SEED", "7")
    training.cached("f", count, X)
    assert count.calls == 4
    np.testing.assert_array_equal(training.cached("g", _double, X), X * 2)
    np.testing.assert_array_equal(training.cached("g", _triple, X), X * 3)


def test_cached_recomputes_a_corrupt_file(capsys):
    count = Counter()
    training.cached("f", count, X)
    next(training.results_dir().glob("f-*.npy")).write_bytes(b"garbage")
    training.cached("f", count, X)
    assert count.calls == 2
    assert "could not be read" in capsys.readouterr().out


def test_cached_rejects_bad_input():
    with pytest.raises(ValueError, match="name"):
        training.cached("a/b", _double, X)
    with pytest.raises(TypeError, match="callable"):
        training.cached("f", 3, X)
    with pytest.raises(TypeError, match="numeric array"):
        training.cached("f", lambda: [object()])


class _Scale(keras.layers.Layer):
    """A custom layer without get_config (so the model does not serialise to JSON)."""

    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor


class _Apply(keras.layers.Layer):
    """A custom layer that holds a function (a penalty, a noise...) and applies it."""

    def __init__(self, function, **kwargs):
        super().__init__(**kwargs)
        self.function = function

    def call(self, inputs):
        return self.function(inputs)


class _Shift(keras.layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs + self.factor


def _with_custom(layer_class=_Scale, factor=2.0):
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), layer_class(factor)])


def test_cache_key_follows_custom_layer_code_and_settings():
    key = training.cache_key("custom", CONFIG, _with_custom())
    assert key == training.cache_key("custom", CONFIG, _with_custom())  # fresh layer names, same key
    assert key != training.cache_key("custom", CONFIG, _with_custom(factor=3.0))
    assert key != training.cache_key("custom", CONFIG, _with_custom(layer_class=_Shift))


def test_cache_key_follows_functions_held_by_custom_layers():
    from functools import partial

    def key(function):
        return training.cache_key("custom", CONFIG, _with_custom(_Apply, function))

    assert key(partial(_noise, level=0.1)) == key(partial(_noise, level=0.1))
    assert key(partial(_noise, level=0.1)) != key(partial(_noise, level=0.2))
    assert key(_noise) != key(_other_noise)


def _notebook(source: str) -> dict:
    """Run ``source`` as a notebook would (module ``__main__``) and return its globals."""
    filename = f"<notebook cell {hash(source)}>"  # IPython keeps cell sources in linecache too
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"__name__": "__main__"}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - test code written here
    return namespace


NOTEBOOK = """
import numpy as np
RATE = {rate}
def inner(x):
    return x * {factor}
def helper(x):
    return inner(x) + np.sum(x) + helper.__name__.count("h")
def train(model):
    return {{"value": [helper(RATE)]}}
"""


def test_training_code_follows_helpers_called_by_name():
    def code(rate=0.1, factor=2):
        return training.training_code(_notebook(NOTEBOOK.format(rate=rate, factor=factor))["train"])

    assert code() == code()
    assert code(factor=3) != code(), "a helper's helper was edited: the training code must change"
    assert code(rate=0.2) != code(), "a number the training code reads changed"
    helpers = training.helper_code(_notebook(NOTEBOOK.format(rate=0.1, factor=2))["train"])
    assert sorted(helpers) == ["RATE", "helper", "inner"]  # numpy (a module) is left out


def test_helper_code_ignores_attributes_named_like_globals():
    namespace = _notebook("beta = 1.0\ndef loss(model):\n    return model.beta * 2\n")
    assert training.helper_code(namespace["loss"]) == {}  # model.beta is not the global beta


CUSTOM_LAYER = """
import keras
def shift(x):
    return x + {shift}
class Shifted(keras.layers.Layer):
    def call(self, inputs):
        return shift(inputs)
"""


def test_cache_key_follows_helpers_of_custom_layers():
    def key(shift):
        layer_class = _notebook(CUSTOM_LAYER.format(shift=shift))["Shifted"]
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), layer_class()])
        return training.cache_key("custom", CONFIG, model)

    assert key(1.0) == key(1.0)
    assert key(1.0) != key(2.0)


def test_package_fingerprint_follows_every_module(tmp_path):
    copy = tmp_path / "course_utils"
    shutil.copytree(training.PACKAGE_FOLDER, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = training.package_fingerprint(copy)
    assert before == training.package_fingerprint(copy) == training.PACKAGE_CODE
    for module in ["gan.py", "plots.py"]:
        path = copy / module
        original = path.read_text()
        path.write_text(original + "\n# an edit\n")
        assert training.package_fingerprint(copy) != before, f"an edit to {module} must change the key"
        path.write_text(original)
    assert training.package_fingerprint(copy) == before
    with pytest.raises(FileNotFoundError, match="no Python files"):
        training.package_fingerprint(tmp_path / "empty")


def test_cache_key_follows_package_code(monkeypatch):
    model = build()
    key = training.cache_key("tiny", CONFIG, model)
    monkeypatch.setattr(training, "PACKAGE_CODE", "0" * 16)
    assert training.cache_key("tiny", CONFIG, model) != key


TRAIN_SCRIPT = """
import keras, numpy as np
import course_utils as cu
def build():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
def train(model):
    model.compile("sgd", "mse")
    model.train_on_batch(np.ones((8, 4)), np.ones((8, 2)))
cu.train_or_load("tiny", build, train, {"epochs": 1})
"""
CHECK_COPY = """
import os
assert cu.__file__.startswith(os.environ["PYTHONPATH"]), f"imported {cu.__file__}, not the copy"
"""


def test_an_edit_to_the_package_retrains(tmp_path):
    """End to end, in fresh processes: the same notebook code loads its model, until a module of
    the package it was trained with (here the GAN loop) is edited."""
    source = tmp_path / "src"
    shutil.copytree(training.PACKAGE_FOLDER, source / "course_utils", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PYTHONPATH": str(source), "COURSE_CACHE_DIR": str(tmp_path / "cache")}

    def run() -> str:
        done = subprocess.run([sys.executable, "-c", TRAIN_SCRIPT + CHECK_COPY], env=env, cwd=tmp_path,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    assert "Trained 'tiny'" in run()
    assert "Loaded 'tiny'" in run()
    with open(source / "course_utils" / "gan.py", "a") as f:
        f.write("\nLATENT_DIM = LATENT_DIM  # an edit that changes nothing, still a new key\n")
    assert "Trained 'tiny'" in run()


def test_flat_weights_round_trip_and_refuse_another_architecture():
    from course_utils.training import flat_weights, set_flat_weights

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
    snapshot = flat_weights(model)
    assert snapshot.shape == (3 * 4 + 4 + 4 * 2 + 2,) and snapshot.dtype == np.float32
    before = [w.copy() for w in model.get_weights()]
    set_flat_weights(model, np.zeros_like(snapshot))
    assert all(not w.any() for w in model.get_weights())
    set_flat_weights(model, snapshot)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="another architecture"):
        set_flat_weights(model, snapshot[:-1])
