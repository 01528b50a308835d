"""Homework from the notebooks, with otter-grader: student versions, autograders, grading.

Each exercise of a notebook is an otter-grader question written in the notebook itself (raw
boundary cells ``# BEGIN QUESTION`` with its ``name`` and ``points``, ``# BEGIN SOLUTION``,
``# BEGIN TESTS``; see the README's maintainer section). This tool adds the assignment's settings
(no otter cells in the student notebook, tests as files, no PDFs) and runs ``otter assign``; it
then grades submissions with ``otter run``. Otter is an instructor's tool: install it with
``pip install -r requirements-instructor.txt``; students never need it.

Usage (from the repository's root):
    python tools/homework.py generate --out homework 05 06      # student notebooks + autograder zips
    python tools/homework.py grade --out homework 05 submissions/   # scores.csv, one column a question
    python tools/homework.py roundtrip --out /tmp/rt              # every notebook: blank 0, solutions full

``generate`` writes, for each chosen notebook:
    homework/student/NN_topic.ipynb             to publish (no solution, no test, no otter code)
    homework/autograder/NN_topic-autograder.zip  to keep (solutions and every test, hidden ones too)
    homework/solutions/NN_topic.ipynb            to keep (the instructor version, model answers included)
``grade`` runs every ``*.ipynb`` in a folder through ``otter run`` (in fast mode unless ``--mode full``)
and writes ``homework/scores/NN_topic.csv``: one row per submission, one column per question.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"

# The assignment's settings, the same for every notebook: the student notebook carries no otter
# cell (otter needs ipywidgets 8, Colab has 7), the tests go to files (never into the student
# notebook's metadata), the zip holds everything otter run needs.
ASSIGNMENT_CONFIG = {
    "init_cell": False,
    "check_all_cell": False,
    "export_cell": False,
    "run_tests": False,
    "solutions_pdf": False,
    "template_pdf": False,
    "tests": {"files": True, "ok_format": False},
    "generate": {"pdf": False, "show_stdout": False, "show_hidden": False},
}
# Every question: no otter check cell (the notebook's own check cell follows it), and all or
# nothing (a question's points are won by passing all of its tests, public and hidden).
QUESTION_DEFAULTS = {"check_cell": False, "all_or_nothing": True}


def notebook_paths(numbers: list[str]) -> list[Path]:
    """The course notebooks with these numbers (all of them for an empty list)."""
    paths = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if numbers:
        unknown = set(numbers) - {p.name[:2] for p in paths}
        if unknown:
            raise SystemExit(f"no notebook numbered {sorted(unknown)} in {NOTEBOOK_DIR}")
        paths = [p for p in paths if p.name[:2] in numbers]
    return paths


def is_boundary(cell: nbformat.NotebookNode, word: str, end: bool = False) -> bool:
    """Whether ``cell`` is the raw cell ``# BEGIN <word>`` (or ``# END <word>``)."""
    first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    return cell.cell_type == "raw" and first.upper().split() == ["#", "END" if end else "BEGIN", word.upper()]


def question_config(cell: nbformat.NotebookNode) -> dict:
    """The YAML of a ``# BEGIN QUESTION`` cell."""
    return yaml.safe_load("\n".join(cell.source.strip().splitlines()[1:])) or {}


def questions(notebook: nbformat.NotebookNode) -> list[dict]:
    """Each question of a master notebook: its config, solution cells, test cells and visible check.

    Returns one dict per question: ``config`` (name, points, manual, ...), ``solution`` and
    ``tests`` (lists of cells) and ``hidden`` (how many of the tests are hidden).
    """
    found, current, block = [], None, None
    for cell in notebook.cells:
        if is_boundary(cell, "QUESTION"):
            current = {"config": question_config(cell), "solution": [], "tests": [], "prompt": []}
            found.append(current)
        elif is_boundary(cell, "QUESTION", end=True):
            current = None
        elif current is not None and cell.cell_type == "raw":
            for word in ("SOLUTION", "TESTS", "PROMPT"):
                if is_boundary(cell, word):
                    block = word.lower()
                elif is_boundary(cell, word, end=True):
                    block = None
        elif current is not None and block is not None:
            current[block].append(cell)
    for question in found:
        question["hidden"] = sum(is_hidden_test(cell) for cell in question["tests"])
    return found


def is_hidden_test(cell: nbformat.NotebookNode) -> bool:
    """Whether a test cell is hidden: its first line is a comment saying HIDDEN (otter's rule)."""
    first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
    return first.startswith("#") and "hidden" in first.lower()


def exercise_table(paths: list[Path]) -> list[dict]:
    """Per notebook: questions (auto-graded and manual), points, public and hidden tests."""
    rows = []
    for path in paths:
        qs = questions(nbformat.read(path, as_version=4))
        auto = [q for q in qs if not q["config"].get("manual")]
        rows.append({
            "notebook": path.stem,
            "questions": len(qs),
            "autograded": len(auto),
            "manual": len(qs) - len(auto),
            "points": sum(q["config"].get("points", 1) for q in qs),
            "autograded points": sum(q["config"].get("points", 1) for q in auto),
            "public tests": sum(len(q["tests"]) - q["hidden"] for q in qs),
            "hidden tests": sum(q["hidden"] for q in qs),
        })
    return rows


def otter_master(notebook: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """A copy of a course notebook ready for ``otter assign``: the assignment config cell first,
    each question's config completed with :data:`QUESTION_DEFAULTS`, jupytext's metadata dropped."""
    master = copy.deepcopy(notebook)
    master.metadata.pop("jupytext", None)
    for cell in master.cells:
        if is_boundary(cell, "QUESTION"):
            config = {**QUESTION_DEFAULTS, **question_config(cell)}
            cell.source = "# BEGIN QUESTION\n" + yaml.safe_dump(config, sort_keys=False).strip()
    config = {"name": name, **ASSIGNMENT_CONFIG, "requirements": "requirements.txt"}
    master.cells.insert(0, nbformat.v4.new_raw_cell("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False)))
    return master


def generate(path: Path, out: Path) -> dict[str, Path]:
    """Run ``otter assign`` on one notebook; copy what to publish and what to keep into ``out``."""
    import otter.assign

    with tempfile.TemporaryDirectory(prefix="homework-") as tmp:
        work = Path(tmp)
        master_path = work / path.name
        nbformat.write(otter_master(nbformat.read(path, as_version=4), path.stem), master_path)
        shutil.copy(ROOT / "requirements.txt", work / "requirements.txt")
        otter.assign.main(str(master_path), str(work / "dist"), no_pdfs=True, no_run_tests=True)
        written = {
            "student": out / "student" / path.name,
            "autograder": out / "autograder" / f"{path.stem}-autograder.zip",
            "solutions": out / "solutions" / path.name,
        }
        for target in written.values():
            target.parent.mkdir(parents=True, exist_ok=True)
        zips = sorted((work / "dist" / "autograder").glob("*.zip"))
        if len(zips) != 1:
            raise RuntimeError(f"otter assign wrote {len(zips)} autograder zips for {path.name}")
        shutil.copy(zips[0], written["autograder"])
        student = nbformat.read(work / "dist" / "student" / path.name, as_version=4)
        nbformat.write(clean_student(student), written["student"])
        shutil.copy(work / "dist" / "autograder" / path.name, written["solutions"])
    return written


OTTER_MARKER = re.compile(r"^<!-- (BEGIN|END) QUESTION -->\s*$\n?", re.M)


def clean_student(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student notebook as published: otter's bookkeeping in the cells' metadata and its
    question markers in markdown removed (the notebook keeps the assignment's name, which otter run
    checks a submission against)."""
    name = notebook.metadata.get("otter", {}).get("assignment_name")
    notebook.metadata.pop("otter", None)
    if name:
        notebook.metadata["otter"] = {"assignment_name": name}
    for cell in notebook.cells:
        cell.metadata.pop("otter", None)
        if cell.cell_type == "markdown":  # otter's markers for a PDF export we do not use
            cell.source = OTTER_MARKER.sub("", cell.source).strip("\n")
        tags = [t for t in cell.metadata.get("tags", []) if not t.startswith("otter_")]
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    return notebook


def grading_environment(mode: str, cache: Path | None) -> dict[str, str]:
    env = dict(os.environ, COURSE_MODE=mode, COURSE_PROGRESS="off")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if cache is not None:
        env["COURSE_CACHE_DIR"] = str(cache)
    return env


def otter_run(submission: Path, autograder: Path, env: dict[str, str], log: Path) -> dict[str, tuple[float, float]]:
    """Grade one submission with ``otter run``; return {question: (score, possible)}."""
    with tempfile.TemporaryDirectory(prefix="otter-run-") as tmp:
        command = [sys.executable, "-m", "otter", "run", "--no-logo", "-a", str(autograder.resolve()), "-o", tmp,
                   str(submission.resolve())]
        with open(log, "w", encoding="utf-8") as f:
            subprocess.run(command, stdout=f, stderr=subprocess.STDOUT, env=env, check=True, cwd=tmp)
        results = json.loads((Path(tmp) / "results.json").read_text(encoding="utf-8"))
    scores = {t["name"]: (float(t["score"]), float(t["max_score"])) for t in results["tests"] if "max_score" in t}
    if not scores:
        raise RuntimeError(f"otter run returned no question scores for {submission.name}; see {log}")
    return scores


def _write_scores(csv_path: Path, rows: list[dict], columns: list[str]) -> None:
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["submission", *columns, "total", "possible", "error"], restval="")
        writer.writeheader()
        writer.writerows(rows)


def grade(autograder: Path, submissions: list[Path], csv_path: Path, mode: str = "fast",
          cache: Path | None = None) -> list[dict]:
    """Grade submissions; write a CSV (one row a submission, one column a question); return the rows.

    A submission otter cannot grade (not the published notebook, a broken file) gets a row with no
    scores and the reason in the "error" column, and the others are still graded. The CSV is
    rewritten after every submission, so an interrupted run keeps what it graded.
    """
    env = grading_environment(mode, cache)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    rows, columns = [], []
    for submission in submissions:
        started = time.perf_counter()
        log = csv_path.with_name(f"{csv_path.stem}-{submission.stem}.log")
        try:
            scores = otter_run(submission, autograder, env, log)
        except (subprocess.CalledProcessError, RuntimeError, OSError, ValueError) as err:
            failed = isinstance(err, subprocess.CalledProcessError)
            reason = f"otter run failed (see {log.name})" if failed else str(err)
            rows.append({"submission": submission.name, "total": 0, "error": reason})
            print(f"  {submission.name}: not graded: {reason}", flush=True)
            _write_scores(csv_path, rows, columns)
            continue
        for name in scores:
            if name not in columns:
                columns.append(name)
        row = {"submission": submission.name, **{name: score for name, (score, _) in scores.items()}}
        row["total"] = sum(score for score, _ in scores.values())
        row["possible"] = sum(possible for _, possible in scores.values())
        rows.append(row)
        print(f"  {submission.name}: {row['total']:g} of {row['possible']:g} points "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
        _write_scores(csv_path, rows, columns)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="student notebooks and autograder zips")
    gen.add_argument("notebooks", nargs="*", help="notebook numbers (e.g. 05 06); default: all")
    gen.add_argument("--out", type=Path, required=True, help="folder for student/, autograder/, solutions/")
    gra = commands.add_parser("grade", help="grade a folder of submissions with otter run")
    gra.add_argument("notebook", help="the notebook's number, e.g. 05")
    gra.add_argument("submissions", type=Path, help="folder of submitted .ipynb files")
    gra.add_argument("--out", type=Path, required=True, help="the folder generate wrote (autograder/ in it)")
    gra.add_argument("--mode", choices=["fast", "full"], default="fast", help="COURSE_MODE to grade in")
    rt = commands.add_parser("roundtrip", help="generate, then grade the blank and the solution versions")
    rt.add_argument("notebooks", nargs="*", help="notebook numbers; default: all")
    rt.add_argument("--out", type=Path, required=True)
    table = commands.add_parser("table", help="the exercise table: questions, points, public and hidden tests")
    table.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)

    if args.command == "table":
        for row in exercise_table(notebook_paths(args.notebooks)):
            print(" | ".join(f"{k}: {v}" for k, v in row.items()))
        return 0
    if args.command == "generate":
        for path in notebook_paths(args.notebooks):
            started = time.perf_counter()
            written = generate(path, args.out)
            print(f"{path.name}: {written['student']} (publish), {written['autograder']} (keep) "
                  f"in {time.perf_counter() - started:.0f} s", flush=True)
        return 0
    if args.command == "grade":
        [path] = notebook_paths([args.notebook])
        autograder = args.out / "autograder" / f"{path.stem}-autograder.zip"
        if not autograder.is_file():
            raise SystemExit(f"no {autograder}: first run `python tools/homework.py generate --out {args.out} NN`")
        submissions = sorted(args.submissions.glob("*.ipynb"))
        if not submissions:
            raise SystemExit(f"no .ipynb submissions in {args.submissions}")
        csv_path = args.out / "scores" / f"{path.stem}.csv"
        grade(autograder, submissions, csv_path, mode=args.mode, cache=args.out / "grading-cache")
        print(f"scores: {csv_path}")
        return 0
    # roundtrip
    failures = []
    for path in notebook_paths(args.notebooks):
        started = time.perf_counter()
        written = generate(path, args.out)
        submissions = args.out / "roundtrip" / path.stem
        submissions.mkdir(parents=True, exist_ok=True)
        shutil.copy(written["student"], submissions / "blank.ipynb")
        shutil.copy(written["solutions"], submissions / "solutions.ipynb")
        rows = grade(written["autograder"], [submissions / "blank.ipynb", submissions / "solutions.ipynb"],
                     args.out / "scores" / f"{path.stem}.csv", cache=args.out / "grading-cache")
        blank, solved = rows
        ok = blank["total"] == 0 and solved["total"] == solved["possible"] > 0
        print(f"{path.name}: blank {blank['total']:g}, solutions {solved['total']:g} of {solved['possible']:g} "
              f"-> {'ok' if ok else 'FAILED'} ({time.perf_counter() - started:.0f} s)", flush=True)
        if not ok:
            failures.append(path.name)
    print("round trip:", "every notebook ok" if not failures else f"FAILED for {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
