import random
from pathlib import Path

import keras
import numpy as np
import pytest

from course_utils import config


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for variable in ("COURSE_MODE", "COURSE_CACHE_DIR", "COURSE_DATA_DIR"):
        monkeypatch.delenv(variable, raising=False)


def test_mode_defaults_to_full():
    assert config.mode() == "full"


def test_mode_empty_means_full(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "  ")
    assert config.mode() == "full"


@pytest.mark.parametrize("raw, expected", [("fast", "fast"), ("full", "full"), (" FAST ", "fast"), ("Full\n", "full")])
def test_mode_reads_variable_tolerantly(monkeypatch, raw, expected):
    monkeypatch.setenv("COURSE_MODE", raw)
    assert config.mode() == expected


def test_mode_rejects_unknown_value(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "quick")
    with pytest.raises(ValueError, match="COURSE_MODE") as info:
        config.mode()
    assert "quick" in str(info.value)


def test_is_fast(monkeypatch):
    assert config.is_fast() is False
    monkeypatch.setenv("COURSE_MODE", "fast")
    assert config.is_fast() is True


def test_budget_full_by_default():
    assert config.budget(fast=2, full=30) == 30


def test_budget_fast_mode(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "fast")
    assert config.budget(fast=2, full=30) == 2
    assert config.budget(fast=0.5, full=0.5) == 0.5


@pytest.mark.parametrize("bad", [True, "2", None, [2]])
@pytest.mark.parametrize("argument", ["fast", "full"])
def test_budget_rejects_non_numbers(argument, bad):
    values = {"fast": 1, "full": 10, argument: bad}
    with pytest.raises(TypeError, match=rf"budget\({argument}="):
        config.budget(**values)


@pytest.mark.parametrize("argument", ["fast", "full"])
def test_budget_rejects_negative(argument):
    values = {"fast": 0, "full": 10, argument: -1}
    with pytest.raises(ValueError, match=rf"budget\({argument}=.*negative"):
        config.budget(**values)


def test_budget_rejects_fast_above_full():
    with pytest.raises(ValueError, match=r"fast=50, full=10.*fast budget"):
        config.budget(fast=50, full=10)


def _draws():
    return random.random(), np.random.rand(3), np.asarray(keras.random.normal((3,)))


def test_seed_everything_repeats_draws():
    assert config.seed_everything(7) == 7
    first = _draws()
    config.seed_everything(7)
    second = _draws()
    assert first[0] == second[0]
    np.testing.assert_array_equal(first[1], second[1])
    np.testing.assert_array_equal(first[2], second[2])


def test_seed_everything_other_seed_other_draws():
    config.seed_everything(1)
    first = _draws()
    config.seed_everything(2)
    second = _draws()
    assert first[0] != second[0]
    assert not np.array_equal(first[1], second[1])
    assert not np.array_equal(first[2], second[2])


def test_seed_everything_repeats_keras_initial_weights():
    def build():
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])

    config.seed_everything(3)
    first = build().get_weights()[0]
    config.seed_everything(3)
    np.testing.assert_array_equal(first, build().get_weights()[0])


def test_seed_everything_default_seed(monkeypatch):
    monkeypatch.delenv("COURSE_SEED", raising=False)
    assert config.seed_everything() == config.DEFAULT_SEED


def test_course_seed_variable_sets_the_default_seed(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "7")
    assert config.default_seed() == 7
    assert config.seed_everything() == 7


def test_bad_course_seed_variable_names_it(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "seven")
    with pytest.raises(ValueError, match="COURSE_SEED"):
        config.default_seed()


@pytest.mark.parametrize("bad", [-1, True, 1.0, "1"])
def test_seed_everything_rejects_bad_seed(bad):
    with pytest.raises(ValueError, match="seed"):
        config.seed_everything(bad)


def test_cache_dir_honours_variable(monkeypatch, tmp_path):
    target = tmp_path / "cache"
    monkeypatch.setenv("COURSE_CACHE_DIR", str(target))
    assert config.cache_dir() == target.resolve()
    assert target.is_dir()


def test_cache_dir_default_under_home(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config.cache_dir() == tmp_path / ".cache" / "course_utils"


def test_data_dir_honours_variable(monkeypatch, tmp_path):
    target = tmp_path / "data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(target))
    assert config.data_dir() == target.resolve()
    assert target.is_dir()


def test_relative_data_dir_resolves_against_cwd(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COURSE_DATA_DIR", "some/data")
    path = config.data_dir()
    assert path.is_absolute()
    assert path == (tmp_path / "some" / "data").resolve()
    assert path.is_dir()


def test_default_data_dir_is_under_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path))
    assert config.data_dir() == config.cache_dir() / "data"
    assert Path(config.data_dir()).is_relative_to(tmp_path.resolve())


def test_seed_everything_accepts_numpy_integer():
    assert config.seed_everything(np.int64(7)) == 7
