"""Homework with otter-grader (tools/homework.py): no leaked answers, generation on every notebook,
and one notebook graded the whole way (blank 0, solutions full marks, one wrong answer loses
exactly that question's points).

Otter is an instructor's tool (requirements-instructor.txt): without it these tests skip, except
in CI, where .ci/run installs it and they must run.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import homework  # noqa: E402

NOTEBOOKS = homework.notebook_paths([])
WHOLE_WAY = "00"  # the cheapest notebook goes the whole way: about 20 s a grading

if os.environ.get("CI"):
    import otter  # noqa: F401  (in CI a missing otter fails, it does not skip)
else:
    pytest.importorskip("otter", reason="otter-grader is not installed: pip install -r requirements-instructor.txt")


def solution_lines(cell: nbformat.NotebookNode) -> list[str]:
    """The lines of a solution code cell that otter removes: inside BEGIN/END SOLUTION or ending in # SOLUTION."""
    found, inside = [], False
    for line in cell.source.splitlines():
        stripped = line.strip()
        if stripped == "# BEGIN SOLUTION":
            inside = True
        elif stripped == "# END SOLUTION":
            inside = False
        elif inside:
            found.append(stripped)
        elif stripped.endswith("# SOLUTION"):
            found.append(stripped[: -len("# SOLUTION")].strip())
    return found


def secrets(master: nbformat.NotebookNode) -> dict[str, list[str]]:
    """What a student version must not contain: solution code, model answers, hidden tests."""
    found: dict[str, list[str]] = {"solution code": [], "model answer": [], "hidden test": []}
    for question in homework.questions(master):
        for cell in question["solution"]:
            if cell.cell_type == "code":
                found["solution code"] += [line for line in solution_lines(cell) if len(line) >= 10]
            else:  # a model answer: every sentence of it
                text = " ".join(cell.source.split())
                found["model answer"] += [s.strip() for s in re.split(r"(?<=[.:;?!])\s", text) if len(s.strip()) >= 20]
        for cell in question["tests"]:
            if homework.is_hidden_test(cell):
                found["hidden test"] += [line.strip() for line in cell.source.splitlines()
                                         if len(line.strip()) >= 10 and not line.strip().startswith(("def ", "test_"))]
    return found


def shown_anyway(master: nbformat.NotebookNode) -> str:
    """What the student sees whatever the exercises hide: the lesson before ``## Exercises`` and
    the exercises' statements (markdown outside solutions). A solution line found there (a layer
    taught in the lesson, ``code_size = 8`` in a statement) is not a leak; anywhere else it is."""
    hidden_ids = {id(cell) for q in homework.questions(master) for cell in q["solution"] + q["tests"]}
    shown, in_exercises = [], False
    for cell in master.cells:
        if cell.cell_type == "markdown" and re.search(r"^## Exercises", cell.source, re.M):
            in_exercises = True
        if id(cell) in hidden_ids or cell.cell_type == "raw":
            continue
        if not in_exercises or cell.cell_type == "markdown":
            shown.append(" ".join(cell.source.split()) if cell.cell_type == "markdown" else cell.source)
    return "\n".join(shown)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("homework")
    return {path.name: homework.generate(path, out) for path in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_version_gives_nothing_away(generated, path):
    master = nbformat.read(path, as_version=4)
    student = nbformat.read(generated[path.name]["student"], as_version=4)
    text = "\n".join(" ".join(cell.source.split()) if cell.cell_type == "markdown" else cell.source
                     for cell in student.cells)
    lesson = shown_anyway(master)
    for kind, lines in secrets(master).items():
        leaked = [line for line in lines if line in text and line not in lesson]
        assert not leaked, f"{path.name}: the student version contains {kind}: {leaked}"
    assert homework.questions(master), f"{path.name} has no otter questions"
    code = [cell.source for cell in student.cells if cell.cell_type == "code"]
    otter_code = [c for c in code if re.search(r"\botter\b|grader\.", c)]
    assert not otter_code, f"{path.name}: otter code in the student version: {otter_code}"
    assert not [c for c in student.cells if c.cell_type == "raw"], f"{path.name}: otter's boundary cells left in"
    assert not re.search(r"#\s*(BEGIN|END) (SOLUTION|TESTS|QUESTION)|# SOLUTION\b|# HIDDEN", "\n".join(code))
    assert "tests" not in student.metadata.get("otter", {}), "tests stored in the student notebook's metadata"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_version_keeps_every_check_cell(generated, path):
    master = nbformat.read(path, as_version=4)
    student = nbformat.read(generated[path.name]["student"], as_version=4)
    in_question, checks = False, []
    for cell in master.cells:
        if homework.is_boundary(cell, "QUESTION"):
            in_question = True
        elif homework.is_boundary(cell, "QUESTION", end=True):
            in_question = False
        elif not in_question and cell.cell_type == "code" and "cu.check_" in cell.source:
            checks.append(cell.source)
    assert checks == [c.source for c in student.cells if c.cell_type == "code" and "cu.check_" in c.source]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_autograder_holds_every_test(generated, path):
    import zipfile

    master = nbformat.read(path, as_version=4)
    with zipfile.ZipFile(generated[path.name]["autograder"]) as z:
        files = {name: z.read(name).decode() for name in z.namelist() if name.startswith("tests/")}
    for question in homework.questions(master):
        if question["config"].get("manual"):
            continue
        source = files[f"tests/{question['config']['name']}.py"]
        assert source.count("hidden=True") == question["hidden"]
        assert source.count("@test_case(") == len(question["tests"])


def test_the_exercise_table_counts_questions_and_tests():
    rows = homework.exercise_table(NOTEBOOKS)
    assert [row["notebook"] for row in rows] == [p.stem for p in NOTEBOOKS]
    assert all(row["questions"] == row["autograded"] + row["manual"] for row in rows)
    assert all(row["autograded"] >= 1 and row["public tests"] >= row["autograded"] for row in rows)


def with_wrong_answer(solutions: Path, target: Path, variable: str, wrong: str) -> None:
    """A copy of the solution notebook where one answer variable is set to a wrong value."""
    notebook = nbformat.read(solutions, as_version=4)
    cells = [c for c in notebook.cells if c.cell_type == "code" and re.search(rf"^{variable} = ", c.source, re.M)]
    assert cells, f"no cell assigns {variable}"
    cells[-1].source += f"\n{variable} = {wrong}\n"
    nbformat.write(notebook, target)


def test_one_notebook_graded_the_whole_way(generated, tmp_path):
    [path] = homework.notebook_paths([WHOLE_WAY])
    written = generated[path.name]
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    shutil.copy(written["student"], submissions / "a_blank.ipynb")
    shutil.copy(written["solutions"], submissions / "b_correct.ipynb")
    with_wrong_answer(written["solutions"], submissions / "c_one_wrong.ipynb", "cached_files", '["model.keras"]')
    csv_path = tmp_path / "scores.csv"
    rows = homework.grade(written["autograder"], sorted(submissions.glob("*.ipynb")), csv_path,
                          cache=tmp_path / "cache")
    import csv

    with open(csv_path, encoding="utf-8") as f:
        read = list(csv.DictReader(f))
    assert [r["submission"] for r in read] == ["a_blank.ipynb", "b_correct.ipynb", "c_one_wrong.ipynb"]
    blank, correct, one_wrong = rows
    points = {q["config"]["name"]: q["config"]["points"] for q in homework.questions(nbformat.read(path, as_version=4))
              if not q["config"].get("manual")}
    assert correct["possible"] == sum(points.values()) > 0
    assert blank["total"] == 0
    assert correct["total"] == correct["possible"]
    assert one_wrong["total"] == correct["total"] - points["q2_cached_files"]
    assert one_wrong["q2_cached_files"] == 0
    assert float(read[2]["q2_cached_files"]) == 0 and float(read[1]["total"]) == correct["possible"]
