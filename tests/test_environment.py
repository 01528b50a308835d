import platform

import tensorflow as tf

from course_utils import environment

EXPECTED_KEYS = {
    "Python", "TensorFlow", "Keras", "NumPy", "scikit-learn", "matplotlib", "ipywidgets",
    "CPU cores", "GPU", "running in",
}  # fmt: skip


def test_report_keys(monkeypatch):
    monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    facts = environment.summary()
    assert set(facts) == EXPECTED_KEYS
    assert all(isinstance(v, str) and v for v in facts.values())
    assert facts["TensorFlow"] == tf.__version__
    assert facts["TensorFlow"].split(".")[0].isdigit()
    assert facts["Python"] == platform.python_version()
    assert facts["running in"].startswith("a local Python")


def test_report_in_colab(monkeypatch):
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab_20250101")
    assert environment.summary()["running in"] == "Google Colab"


def test_devices_lists_cpu():
    found = environment.devices()
    assert set(found) == {"CPU", "GPU"}
    assert found["CPU"]


def test_not_in_colab(monkeypatch):
    monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    assert environment.in_colab() is False


def test_in_colab_with_release_tag(monkeypatch):
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab_20250101")
    assert environment.in_colab() is True
