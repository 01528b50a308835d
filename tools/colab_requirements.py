"""Refresh requirements-colab.txt from Google Colab's published package list.

Colab publishes the packages of its runtime in https://github.com/googlecolab/backend-info
(pip-freeze.txt). This sets the version of every package pinned in requirements-colab.txt to the
one in that list, keeps the comments and the packages marked "not in Colab", and prints what
changed and what Colab no longer ships. Update the commit and date in the file's header by hand,
then run .ci/colab_stack.

Usage:
    python tools/colab_requirements.py https://raw.githubusercontent.com/googlecolab/backend-info/main/pip-freeze.txt
    python tools/colab_requirements.py path/to/pip-freeze.txt
"""

from __future__ import annotations

import argparse
import re
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)==(?P<version>[^\s#]+)(?P<rest>.*)$")


def key(name: str) -> str:
    """A package name as pip compares them: case and runs of '-', '_', '.' do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def colab_versions(freeze: str) -> dict[str, str]:
    """Package -> version from a `pip freeze` listing (lines such as `name @ git+...` are skipped)."""
    return {key(m["name"]): m["version"] for line in freeze.splitlines() if (m := PIN.match(line.strip()))}


def refresh(requirements: str, colab: dict[str, str]) -> tuple[str, list[str]]:
    """The requirements with Colab's versions, and a line for each change or missing package."""
    lines, notes = [], []
    for line in requirements.splitlines():
        match = PIN.match(line)
        if match and "not in Colab" not in match["rest"]:
            name, version = match["name"], match["version"]
            new = colab.get(key(name))
            if new is None:
                notes.append(f"{name}: no longer in Colab's list (kept at {version}; remove it if nothing needs it)")
            elif new != version:
                notes.append(f"{name}: {version} -> {new}")
                line = f"{name}=={new}{match['rest']}"
        lines.append(line)
    return "\n".join(lines) + "\n", notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("freeze", help="path or URL of Colab's pip-freeze.txt")
    parser.add_argument("--file", type=Path, default=ROOT / "requirements-colab.txt")
    args = parser.parse_args()
    if re.match(r"https?://", args.freeze):
        with urllib.request.urlopen(args.freeze, timeout=60) as response:
            freeze = response.read().decode()
    else:
        freeze = Path(args.freeze).read_text()
    text, notes = refresh(args.file.read_text(), colab_versions(freeze))
    args.file.write_text(text)
    print("\n".join(notes) or "requirements-colab.txt already has Colab's versions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
