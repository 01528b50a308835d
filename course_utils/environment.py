"""What this machine is: versions, processors, Colab or local. Used by notebook 00 and setup.

Example:
    >>> summary()["TensorFlow"]
    '2.21.0'
"""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata


def in_colab() -> bool:
    """True inside Google Colab.

    Example:
        >>> in_colab()
        False
    """
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def devices() -> dict[str, list[str]]:
    """Processors TensorFlow sees.

    Example:
        >>> devices()
        {'CPU': ['/physical_device:CPU:0'], 'GPU': []}
    """
    import tensorflow as tf

    return {kind: [d.name for d in tf.config.list_physical_devices(kind)] for kind in ("CPU", "GPU")}


def summary() -> dict[str, str]:
    """The facts a student or instructor needs first when something does not run.

    Example:
        >>> summary()["GPU"]
        'none (everything here runs on a CPU)'
    """
    import keras
    import tensorflow as tf

    found = devices()
    return {
        "Python": platform.python_version(),
        "TensorFlow": tf.__version__,
        "Keras": keras.__version__,
        "NumPy": _version("numpy"),
        "scikit-learn": _version("scikit-learn"),
        "matplotlib": _version("matplotlib"),
        "ipywidgets": _version("ipywidgets"),
        "CPU cores": str(os.cpu_count()),
        "GPU": ", ".join(found["GPU"]) or "none (everything here runs on a CPU)",
        "running in": "Google Colab" if in_colab() else f"a local Python ({platform.system()})",
    }
