"""Test configuration shared by the unit tests and the notebooks run by nbval.

The test command sets its own environment, whatever the shell says: fast mode, a fresh model
cache (so every run trains for real instead of loading yesterday's models), no progress bars, and
an absolute data folder (nbval starts each notebook's kernel inside notebooks/, where a relative
path would break). The browser tests (tests/test_browser.py) run last, after nbval has run the
notebooks, so their JupyterLab loads the models just trained in the same fresh cache.
"""

import os
import tempfile
from pathlib import Path

_FRESH_CACHE = tempfile.TemporaryDirectory(prefix="course-test-cache-")


def pytest_configure(config):
    os.environ["COURSE_MODE"] = "fast"
    os.environ["COURSE_CACHE_DIR"] = _FRESH_CACHE.name
    os.environ.pop("COURSE_METRICS_FILE", None)
    os.environ.pop("COURSE_SEED", None)
    os.environ["COURSE_PROGRESS"] = "off"  # no progress bars in test logs (nothing checked depends on them)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    data = os.environ.get("COURSE_DATA_DIR", "").strip()
    if data:
        os.environ["COURSE_DATA_DIR"] = str(Path(data).expanduser().resolve())


def pytest_collection_modifyitems(config, items):
    """The browser tests last (a stable sort keeps every other test in its place)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
