"""Make student versions of the notebooks: solutions removed, checks kept.

Every code cell tagged ``solution`` is replaced by an empty exercise cell; the check cell after it
stays, so students run it to see whether their answer holds. Outputs are cleared.

Usage (from the repository's root):
    python tools/make_student_version.py --out student            # every notebook
    python tools/make_student_version.py --out student 01 02      # some of them
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = "# Exercise: write your solution here, then run the check cell below.\n"


def student_version(notebook: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int]:
    """Return a copy of ``notebook`` with its solution cells emptied, and how many there were."""
    copy = nbformat.from_dict(notebook)
    removed = 0
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if "solution" in cell.metadata.get("tags", []):
                cell.source = PLACEHOLDER
                cell.metadata["tags"] = [t for t in cell.metadata["tags"] if t != "solution"] + ["exercise"]
                removed += 1
    copy.metadata.pop("jupytext", None)  # the student copy has no py:percent twin
    return copy, removed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="notebook numbers (e.g. 01 02); default: all")
    parser.add_argument("--out", type=Path, required=True, help="folder for the student notebooks")
    args = parser.parse_args()
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        paths = [p for p in paths if p.name[:2] in args.notebooks]
    if not paths:
        print("No notebooks matched.", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        notebook, removed = student_version(nbformat.read(path, as_version=4))
        nbformat.write(notebook, args.out / path.name)
        print(f"{path.name}: {removed} solution(s) removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
