"""Benchmark the course: per-notebook wall time and the figures each notebook's checks measured.

Each notebook is executed top to bottom in a fresh kernel with an empty model cache ("cold"),
then a second time with the cache it left ("warm", what an instructor re-running a notebook in
class gets). Every check and ``cu.report`` call writes its figure to a metrics file, collected here.

Usage (from the repository root):
    python tools/benchmark.py                  # fast mode, every notebook
    python tools/benchmark.py --mode full 01   # full mode, notebook 01 only
    python tools/benchmark.py --cells 01       # also list the slowest cells
    python tools/benchmark.py --seed 7 01      # another seed: do the checks' margins hold?
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def run_notebook(
    path: Path, mode: str, cache: str, metrics: Path, timeout: int
) -> tuple[float, list[tuple[float, str]], str | None]:
    """Execute one notebook; return its wall time, the (seconds, first line) of each code cell, and
    the error that stopped it (None when it ran to the end)."""
    os.environ.update({"COURSE_MODE": mode, "COURSE_CACHE_DIR": cache, "COURSE_METRICS_FILE": str(metrics)})
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    notebook = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(NOTEBOOKS)}}
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", resources=resources)
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as failure:  # a failing check: report it and go on with the others
        error = re.sub(r"\x1b\[[0-9;]*m", "", str(failure).strip().splitlines()[-1])[:300]
    wall = time.perf_counter() - start
    cells = []
    for cell in notebook.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type == "code" and "shell.execute_reply" in timing:
            begin = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
            first = next((line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")), "")
            cells.append(((end - begin).total_seconds(), first[:70], progress_status(cell)))
    return wall, cells, error


def progress_status(cell: dict) -> str:
    """How a cell showed what it was doing while it ran: "progress shown" for a tqdm bar (a widget
    in a notebook, or a line of text with "%|") or a live figure of course_utils.LivePlot (marked in
    its metadata); "announced" for a computation cu.cached named before it started; else "SILENT"."""
    announced = False
    for output in cell.get("outputs", []):
        data, text = output.get("data", {}), output.get("text", "")
        if "%|" in data.get("text/plain", "") or (output.get("output_type") == "stream" and "%|" in text):
            return "progress shown"
        if output.get("metadata", {}).get("course_utils", {}).get("live"):
            return "progress shown"
        announced |= output.get("output_type") == "stream" and "Computing '" in text
    return "announced" if announced else "SILENT"


def read_metrics(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="notebook numbers (e.g. 01 02); default: all")
    parser.add_argument("--mode", choices=["fast", "full"], default="fast")
    parser.add_argument("--no-warm", action="store_true", help="skip the second (cached) run")
    parser.add_argument("--cells", action="store_true", help="list the five slowest cells of each notebook")
    parser.add_argument("--slow", type=float, metavar="SECONDS",
                        help="list every cell slower than this, and whether it showed its progress")
    parser.add_argument("--seed", type=int, help="COURSE_SEED for the notebooks (default: their own, 42)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds allowed per cell")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args()

    if args.seed is not None:
        os.environ["COURSE_SEED"] = str(args.seed)
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        paths = [p for p in paths if p.name[:2] in args.notebooks]
    if not paths:
        print("No notebooks matched.", file=sys.stderr)
        return 2
    results = []
    for path in paths:
        with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as scratch:
            metrics = Path(scratch) / "metrics.jsonl"
            cold, cells, error = run_notebook(path, args.mode, cache, metrics, args.timeout)
            figures = read_metrics(metrics)
            warm = None
            if not args.no_warm and error is None:
                warm, _, error = run_notebook(path, args.mode, cache, Path(scratch) / "warm.jsonl", args.timeout)
        results.append({"notebook": path.name, "mode": args.mode, "cold_s": cold, "warm_s": warm,
                        "figures": figures, "error": error})
        speedup = f", warm {warm:.1f} s ({cold / warm:.1f}x faster)" if warm else ""
        seed = f", seed {args.seed}" if args.seed is not None else ""
        print(f"\n## {path.name} ({args.mode} mode{seed}): cold {cold:.1f} s{speedup}", flush=True)
        if error:
            print(f"  FAILED: {error}")
        for figure in figures:
            value = figure["value"]
            shown = f"{value:.4g}" if isinstance(value, float) else str(value)
            print(f"  {figure['what']}: {shown} ({figure['bound']})")
        if args.cells:
            for seconds, first, _ in sorted(cells, reverse=True)[:5]:
                print(f"  cell {seconds:6.1f} s  {first}")
        if args.slow is not None:
            for seconds, first, progress in cells:
                if seconds > args.slow:
                    print(f"  slow cell {seconds:6.1f} s  {progress:<14}  {first}")

    print("\n| notebook | mode | cold (s) | warm (s) | speed-up | checks |\n|---|---|---|---|---|---|")
    for r in results:
        warm = f"{r['warm_s']:.1f}" if r["warm_s"] else "-"
        speedup = f"{r['cold_s'] / r['warm_s']:.1f}x" if r["warm_s"] else "-"
        status = "FAILED" if r["error"] else "passed"
        print(f"| {r['notebook']} | {r['mode']} | {r['cold_s']:.1f} | {warm} | {speedup} | {status} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 1 if any(r["error"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
