"""Point the README's Colab badges and the notebooks' setup cells at the repository in pyproject.toml.

The hosting path is written once, as ``Repository`` under ``[project.urls]``. Run this after
changing it (in a fork, for instance), from the repository's root:

    python tools/sync_links.py

It rewrites the links in README.md and in each notebook and its py:percent twin, in place.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GITHUB = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$")
COLAB_LINK = re.compile(r"https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/main/")
INSTALL_LINK = re.compile(r"git\+https://github\.com/[\w.-]+/[\w.-]+")


def repository_slug() -> str:
    """The ``owner/name`` of the repository named in pyproject.toml."""
    url = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    match = GITHUB.match(url)
    if not match:
        raise ValueError(f"[project.urls] Repository must be https://github.com/OWNER/NAME, got {url!r}")
    return match.group(1)


def colab_prefix(slug: str) -> str:
    return f"https://colab.research.google.com/github/{slug}/blob/main/"


def install_target(slug: str) -> str:
    return f"git+https://github.com/{slug}"


def main() -> int:
    slug = repository_slug()
    changed = []
    for path in [ROOT / "README.md", *sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.*"))]:
        if path.suffix not in (".md", ".py", ".ipynb"):
            continue
        text = path.read_text(encoding="utf-8")
        new = COLAB_LINK.sub(colab_prefix(slug), text)
        new = INSTALL_LINK.sub(install_target(slug), new)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path.relative_to(ROOT))
    print(f"Repository: {slug}. Updated: {', '.join(map(str, changed)) or 'nothing (already in sync)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
