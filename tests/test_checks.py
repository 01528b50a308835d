import json
import math

import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import CheckFailed


@pytest.fixture(autouse=True)
def no_metrics_file(monkeypatch):
    monkeypatch.delenv("COURSE_METRICS_FILE", raising=False)


@pytest.fixture
def metrics(monkeypatch, tmp_path):
    path = tmp_path / "metrics.jsonl"
    monkeypatch.setenv("COURSE_METRICS_FILE", str(path))

    def read():
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    return read


def test_check_failed_is_an_assertion_error():
    assert issubclass(CheckFailed, AssertionError)


@pytest.mark.parametrize(
    "call, value, bound",
    [
        (lambda: checks.check_below(0.012, 0.05, "the error"), 0.012, "below 0.05"),
        (lambda: checks.check_above(0.91, 0.8, "the error"), 0.91, "above 0.8"),
        (lambda: checks.check_between(1.02, 0.95, 1.05, "the error"), 1.02, "between 0.95 and 1.05"),
    ],
)
def test_numeric_check_passes_and_prints(capsys, call, value, bound):
    assert call() == value
    assert f"✔ the error = {value} ({bound})" in capsys.readouterr().out


def test_check_between_includes_bounds():
    assert checks.check_between(0.95, 0.95, 1.05, "x") == 0.95
    assert checks.check_between(1.05, 0.95, 1.05, "x") == 1.05


def test_checks_accept_numpy_scalars():
    assert checks.check_below(np.float32(0.5), np.int64(1), "x") == 0.5


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda: checks.check_below(0.2, 0.05, "the error", hint="train longer"), "below 0.05"),
        (lambda: checks.check_above(0.5, 0.8, "the error", hint="train longer"), "above 0.8"),
        (lambda: checks.check_between(2.0, 0.95, 1.05, "the error", hint="train longer"), "between 0.95 and 1.05"),
    ],
)
def test_numeric_check_failure_message(call, expected):
    with pytest.raises(CheckFailed) as info:
        call()
    message = str(info.value)
    assert "the error" in message
    assert expected in message
    assert "got " in message
    assert message.endswith("train longer")


def test_failure_message_shows_measured_value():
    with pytest.raises(CheckFailed, match=r"got 0\.2\b"):
        checks.check_below(0.2, 0.05, "the error")


def test_failure_is_catchable_as_assertion_error():
    with pytest.raises(AssertionError):
        checks.check_above(0.1, 0.8, "accuracy")


def test_failure_prints_nothing(capsys):
    with pytest.raises(CheckFailed):
        checks.check_below(1.0, 0.5, "x")
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "call",
    [
        lambda: checks.check_below(math.nan, 1.0, "x"),
        lambda: checks.check_above(math.nan, 1.0, "x"),
        lambda: checks.check_between(np.nan, 0.0, 1.0, "x"),
    ],
)
def test_nan_fails(call):
    with pytest.raises(CheckFailed, match="nan"):
        call()


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: checks.check_below("abc", 1.0, "x"), "value"),
        (lambda: checks.check_below(None, 1.0, "x"), "value"),
        (lambda: checks.check_below(True, 1.0, "x"), "value"),
        (lambda: checks.check_above(0.5, [1.0], "x"), "limit"),
        (lambda: checks.check_between(0.5, "low", 1.0, "x"), "low"),
        (lambda: checks.check_between(0.5, 0.0, None, "x"), "high"),
        (lambda: checks.report("time", "fast"), "value"),
    ],
)
def test_bad_number_raises_type_error(call, argument):
    with pytest.raises(TypeError, match=argument):
        call()


@pytest.mark.parametrize("what", ["", "   ", None, 3])
def test_bad_what_raises_type_error(what):
    with pytest.raises(TypeError, match="what"):
        checks.check_below(0.1, 1.0, what)


def test_check_between_low_above_high():
    with pytest.raises(ValueError, match="low"):
        checks.check_between(0.5, 1.0, 0.0, "x")


def test_check_equal_passes_and_prints(capsys):
    assert checks.check_equal(8, 8, "the number of codes") == 8
    assert "the number of codes = 8 (expected 8)" in capsys.readouterr().out


def test_check_equal_on_shapes():
    assert checks.check_equal((2, 3), (2, 3), "the shape") == (2, 3)


def test_check_equal_failure_message():
    with pytest.raises(CheckFailed) as info:
        checks.check_equal(7, 8, "the number of codes", hint="use a wider code")
    message = str(info.value)
    assert "the number of codes" in message
    assert "8" in message and "got 7" in message
    assert message.endswith("use a wider code")


def test_check_equal_on_bools():
    assert checks.check_equal(True, True, "all codes distinct") is True


def test_check_equal_shows_numpy_scalars_plainly(capsys):
    assert checks.check_equal(np.int64(8), 8, "the number of codes") == 8
    assert "the number of codes = 8 (expected 8)" in capsys.readouterr().out


def test_check_decreasing_passes_and_prints(capsys):
    assert checks.check_decreasing([0.05, 0.03, 0.02], "the error") == [0.05, 0.03, 0.02]
    assert "the error = [0.05, 0.03, 0.02] (each below the one before)" in capsys.readouterr().out


def test_check_decreasing_equal_neighbours_fail():
    with pytest.raises(CheckFailed, match=r"\[0\.05, 0\.03, 0\.03\].*try more units"):
        checks.check_decreasing([0.05, 0.03, 0.03], "the error", hint="try more units")


def test_check_decreasing_increase_fails():
    with pytest.raises(CheckFailed):
        checks.check_decreasing((3, 1, 2), "x")


@pytest.mark.parametrize("values", [[1.0], [], "321", 5, [3.0, "a"], [3.0, None]])
def test_check_decreasing_bad_values(values):
    with pytest.raises(TypeError):
        checks.check_decreasing(values, "x")


def test_report_prints_and_returns(capsys):
    assert checks.report("training time", 12.345, "s") == 12.345
    assert "training time = 12.35 s" in capsys.readouterr().out


def test_no_metrics_file_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    checks.check_below(0.1, 1.0, "x")
    assert list(tmp_path.iterdir()) == []


def test_metrics_one_line_per_check(metrics):
    checks.check_below(0.1, 1.0, "error")
    checks.check_above(0.9, 0.5, "accuracy")
    checks.check_between(1.0, 0.5, 1.5, "ratio")
    assert metrics() == [
        {"what": "error", "value": 0.1, "bound": "below 1"},
        {"what": "accuracy", "value": 0.9, "bound": "above 0.5"},
        {"what": "ratio", "value": 1.0, "bound": "between 0.5 and 1.5"},
    ]


def test_metrics_appends(metrics):
    checks.check_below(0.1, 1.0, "error")
    checks.check_below(0.2, 1.0, "error")
    assert [entry["value"] for entry in metrics()] == [0.1, 0.2]


def test_metrics_skip_failed_checks(metrics, tmp_path):
    with pytest.raises(CheckFailed):
        checks.check_below(2.0, 1.0, "error")
    with pytest.raises(CheckFailed):
        checks.check_decreasing([1, 2], "error")
    assert not (tmp_path / "metrics.jsonl").exists()


def test_metrics_one_line_per_decreasing_element(metrics):
    checks.check_decreasing([3, 2, 1], "error")
    assert metrics() == [
        {"what": f"error [{i}]", "value": v, "bound": "each below the one before"}
        for i, v in enumerate([3.0, 2.0, 1.0])
    ]


def test_metrics_report(metrics):
    checks.report("training time", 12.5, "s")
    checks.report("parameters", 1000)
    checks.report("loss", math.nan)
    assert metrics() == [
        {"what": "training time (s)", "value": 12.5, "bound": "reported"},
        {"what": "parameters", "value": 1000.0, "bound": "reported"},
        {"what": "loss", "value": "nan", "bound": "reported"},
    ]


@pytest.mark.parametrize(
    "value, expected, recorded",
    [
        (8, 8, 8),
        (np.int64(8), 8, 8),
        (True, True, True),
        ("a", "a", "a"),
        ((2, 3), (2, 3), "(2, 3)"),
    ],
)
def test_metrics_check_equal(metrics, value, expected, recorded):
    checks.check_equal(value, expected, "x")
    assert metrics() == [{"what": "x", "value": recorded, "bound": f"expected {expected!r}"}]


def test_numeric_string_is_not_a_number():
    with pytest.raises(TypeError, match="value"):
        checks.check_below("0.1", 1.0, "x")


def test_check_decreasing_accepts_a_numpy_array():
    assert checks.check_decreasing(np.array([0.3, 0.2, 0.1]), "x") == pytest.approx([0.3, 0.2, 0.1])


def test_fingerprint_compares_answers_as_values():
    assert checks.fingerprint([1, 2.0, "a"]) == checks.fingerprint((np.int64(1), np.float32(2.0), "a"))
    assert checks.fingerprint(np.array([[0.5, 0.25]])) == checks.fingerprint([[0.5, 0.25]])
    assert checks.fingerprint(2.50001, digits=3) == checks.fingerprint(2.5)
    assert checks.fingerprint(2.51, digits=3) != checks.fingerprint(2.5)
    assert checks.fingerprint(-0.0001, digits=2) == checks.fingerprint(0)
    assert checks.fingerprint(["b", "a"]) != checks.fingerprint(["a", "b"])
    assert checks.fingerprint(True) != checks.fingerprint(1)


def test_check_answer_passes_without_showing_the_answer(capsys):
    assert checks.check_answer(["x", "y"], checks.fingerprint(["x", "y"]), "the names") == ["x", "y"]
    assert capsys.readouterr().out == "✔ the names: right\n"


def test_check_answer_fails_with_the_hint_and_never_the_answer():
    secret = ["log.npz", "meta.json"]
    with pytest.raises(CheckFailed) as failure:
        checks.check_answer(["model.keras"], checks.fingerprint(secret), "cached_files", hint="Look inside tiny.path.")
    message = str(failure.value)
    assert "Look inside tiny.path." in message and "cached_files" in message
    assert "log.npz" not in message and checks.fingerprint(secret) not in message


@pytest.mark.parametrize("unanswered", [Ellipsis, None])
def test_check_answer_says_an_answer_is_missing(unanswered):
    with pytest.raises(CheckFailed, match="Not answered yet"):
        checks.check_answer(unanswered, checks.fingerprint(1), "w_by_hand")


def test_check_answer_fails_on_a_value_it_cannot_read():
    with pytest.raises(CheckFailed, match="not the expected answer"):
        checks.check_answer(object(), checks.fingerprint(1), "w")
