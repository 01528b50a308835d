"""Prepare a class: train and cache every model of chosen notebooks ahead of time, in full mode.

Each notebook runs top to bottom in a fresh kernel (as a student's "Run all" would), so every
``cu.train_or_load`` and ``cu.cached`` call trains once and writes its result to the cache. One
line per notebook shows the cell being run; at the end, the time each notebook took and how many
models it trained and loaded. Run it a second time: every model then loads, and the notebooks
take seconds.

Usage (from the repository's root):
    python tools/prepare_class.py 05 06 07                 # full mode, the default cache folder
    COURSE_CACHE_DIR=/data/course-cache python tools/prepare_class.py 05 06 07
    python tools/prepare_class.py --mode fast 00           # a quick try

The cache is a plain folder (``COURSE_CACHE_DIR``, else ``~/.cache/course_utils``):
prepare it once where training is quick (a GPU machine, say), copy the folder to the classroom
machine, and point ``COURSE_CACHE_DIR`` at the copy there. A cached model is found again by its
configuration and the code that trained it, so copy it to a machine with the same course version.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
TRAINED = re.compile(r"^Trained '([^']+)'|^Computing '([^']+)'", re.M)
LOADED = re.compile(r"^Loaded '([^']+)' from the cache", re.M)


def outputs_text(notebook: nbformat.NotebookNode) -> str:
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                texts.append(output.get("text", ""))
    return "".join(texts)


def prepare(path: Path, mode: str, timeout: int) -> dict:
    """Run one notebook; return its time, the models it trained and loaded, and any error."""
    notebook = nbformat.read(path, as_version=4)
    code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
    done = 0

    def show(cell, **_):
        nonlocal done
        if cell.cell_type == "code":
            done += 1
            print(f"\r{path.stem}: cell {done}/{code_cells}, {time.perf_counter() - start:.0f} s", end="", flush=True)

    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}}, on_cell_executed=show)
    start, error = time.perf_counter(), None
    try:
        client.execute()
    except CellExecutionError as failure:
        error = re.sub(r"\x1b\[[0-9;]*m", "", str(failure).strip().splitlines()[-1])[:300]
    seconds = time.perf_counter() - start
    print()
    text = outputs_text(notebook)
    return {"notebook": path.stem, "seconds": seconds, "error": error,
            "trained": [a or b for a, b in TRAINED.findall(text)], "loaded": LOADED.findall(text)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", help="notebook numbers, e.g. 05 06 07")
    parser.add_argument("--mode", choices=["full", "fast"], default="full", help="COURSE_MODE (default: full)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds one cell may take")
    args = parser.parse_args(argv)
    paths = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    chosen = [p for p in paths if p.name[:2] in args.notebooks]
    unknown = set(args.notebooks) - {p.name[:2] for p in chosen}
    if unknown or not chosen:
        print(f"No notebook numbered {sorted(unknown)}.", file=sys.stderr)
        return 2
    os.environ["COURSE_MODE"] = args.mode
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.path.insert(0, str(ROOT))
    from course_utils.config import cache_dir

    print(f"Preparing {len(chosen)} notebook(s) in {args.mode} mode; cache: {cache_dir()}", flush=True)
    results = [prepare(path, args.mode, args.timeout) for path in chosen]
    print(f"\n{'notebook':<28}{'time':>9}{'trained':>9}{'loaded':>8}")
    for r in results:
        print(f"{r['notebook']:<28}{r['seconds']:>8.0f}s{len(r['trained']):>9}{len(r['loaded']):>8}"
              + (f"   STOPPED: {r['error']}" if r["error"] else ""))
    total = sum(r["seconds"] for r in results)
    trained = sum(len(r["trained"]) for r in results)
    print(f"{'all':<28}{total:>8.0f}s{trained:>9}{sum(len(r['loaded']) for r in results):>8}")
    if trained == 0 and not any(r["error"] for r in results):
        print("Everything loaded from the cache: the class is ready.")
    else:
        print(f"Cache: {cache_dir()} (copy this folder to prepare another machine, then set COURSE_CACHE_DIR there)")
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
