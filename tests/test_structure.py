"""The course's contract (../shared/COURSE_DESIGN.md), checked on every notebook and project file.

Numbered notebook names, py:percent twins in sync, no stored outputs, a title with learning goals
before any code, the shared setup cell, a summary and exercises, budgets instead of hard-coded
epochs; the README's badges and test command; requirements.txt and environment.yml in step.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
NAME = re.compile(r"^(\d\d)_[a-z0-9]+(?:_[a-z0-9]+)*\.ipynb$")
# The design's table (../shared/COURSE_DESIGN.md): number -> file name.
DESIGNED = {
    "00": "00_start_here.ipynb",
    "01": "01_autoencoders.ipynb",
    "02": "02_pca_equivalence.ipynb",
    "03": "03_tsne_visualisation.ipynb",
    "04": "04_autoencoder_family.ipynb",
    "05": "05_vae_latent_sliders.ipynb",
    "06": "06_gan_training.ipynb",
    "07": "07_wgan.ipynb",
    "08": "08_embeddings.ipynb",
    "09": "09_char_rnn_temperature.ipynb",
    "10": "10_beam_search.ipynb",
    "11": "11_attention.ipynb",
    "12": "12_transformers.ipynb",
}

sys.path.insert(0, str(ROOT / "tools"))
from sync_links import colab_prefix, install_target, repository_slug  # noqa: E402

SLUG = repository_slug()


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def headings(notebook: nbformat.NotebookNode, level: int) -> list[str]:
    prefix = "#" * level + " "
    return [
        line[len(prefix):].strip()
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith(prefix)
    ]


def code_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


OTTER_BOUNDARY = re.compile(r"^#\s+(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS|PROMPT)\s*$", re.I)
QUESTION_NAME = re.compile(r"^q\d+[a-z]?(_[a-z0-9]+)*$")


def otter_questions(notebook: nbformat.NotebookNode) -> list[dict]:
    """Each question block: its config, solution and test cells, and the first code cell after it."""
    found, current, block = [], None, None
    for cell in notebook.cells:
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        match = OTTER_BOUNDARY.match(first) if cell.cell_type == "raw" else None
        if match:
            begin, word = match.group(1).upper() == "BEGIN", match.group(2).lower()
            if word == "question" and begin:
                config = yaml.safe_load("\n".join(cell.source.strip().splitlines()[1:])) or {}
                current = {"config": config, "solution": [], "tests": [], "prompt": [], "next_code": None}
                found.append(current)
            elif word == "question":
                block = "after"
            else:
                block = word if begin else None
        elif current is not None and block == "after":
            if cell.cell_type == "code":
                current["next_code"], current, block = cell, None, None
        elif current is not None and block in ("solution", "tests", "prompt"):
            current[block].append(cell)
    return found


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


def test_notebooks_are_numbered_in_order_from_00():
    numbers = []
    for path in NOTEBOOKS:
        match = NAME.match(path.name)
        assert match, f"{path.name}: notebook names must look like NN_topic.ipynb (lower case, underscores)"
        numbers.append(int(match.group(1)))
    assert numbers == list(range(len(numbers))), f"notebook numbers must run 00, 01, ... without gaps: {numbers}"


def test_notebooks_have_the_names_of_the_design():
    for path in NOTEBOOKS:
        expected = DESIGNED.get(path.name[:2])
        assert path.name == expected, f"{path.name}: notebook {path.name[:2]} of the design is {expected}"


def test_setup_cells_are_identical():
    setups = {path.name: code_cells(read(path))[0].source.strip() for path in NOTEBOOKS}
    reference = setups[NOTEBOOKS[0].name]
    different = [name for name, setup in setups.items() if setup != reference]
    assert not different, f"the setup cell of {different} differs from {NOTEBOOKS[0].name}'s: copy it word for word"


def test_notebooks_folder_holds_only_notebooks_and_twins():
    allowed = {p.name for p in NOTEBOOKS} | {p.with_suffix(".py").name for p in NOTEBOOKS}
    stray = [p.name for p in NOTEBOOK_DIR.iterdir() if p.is_file() and p.name not in allowed]
    assert not stray, f"unexpected files in notebooks/ (a twin without its notebook?): {stray}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
class TestNotebook:
    def test_has_py_percent_twin_in_sync(self, path):
        twin = path.with_suffix(".py")
        assert twin.is_file(), f"{path.name} has no py:percent twin: run `jupytext --sync {path}`"
        assert "format_name: percent" in twin.read_text(), f"{twin.name} must be in py:percent format"
        notebook_cells = [(c.cell_type, c.source.strip()) for c in jupytext.read(path).cells]
        twin_cells = [(c.cell_type, c.source.strip()) for c in jupytext.read(twin).cells]
        assert notebook_cells == twin_cells, (
            f"{path.name} and {twin.name} differ: run `jupytext --sync notebooks/{twin.name}`"
        )

    def test_has_no_stored_outputs(self, path):
        stored = [i for i, c in enumerate(code_cells(read(path))) if c.outputs or c.execution_count is not None]
        assert not stored, f"{path.name}: code cells {stored} hold outputs; commit notebooks cleared"

    def test_uses_the_python3_kernel(self, path):
        assert read(path).metadata.get("kernelspec", {}).get("name") == "python3"

    def test_opens_with_one_title_and_learning_goals_before_any_code(self, path):
        notebook = read(path)
        first = notebook.cells[0]
        assert first.cell_type == "markdown" and first.source.startswith("# "), "the first cell must be the H1 title"
        assert len(headings(notebook, 1)) == 1, "a notebook has exactly one H1 title"
        before_code = []
        for cell in notebook.cells:
            if cell.cell_type == "code":
                break
            before_code.append(cell.source.lower())
        assert "learning goals" in "\n".join(before_code), "state the learning goals before the first code cell"

    def test_first_code_cell_is_the_setup_cell(self, path):
        setup = code_cells(read(path))[0].source
        assert "import course_utils as cu" in setup
        assert "cu.setup()" in setup
        assert f'"{install_target(SLUG)}"' in setup, (
            f"the setup cell must install from {install_target(SLUG)} (see pyproject.toml): "
            "run `python tools/sync_links.py`"
        )

    def test_ends_with_summary_then_exercises(self, path):
        sections = headings(read(path), 2)
        assert "Summary" in sections and "Exercises" in sections, "every notebook has ## Summary and ## Exercises"
        assert sections[-2:] == ["Summary", "Exercises"], f"Summary and Exercises must be the last sections: {sections}"

    def test_has_check_cells(self, path):
        checks = [c for c in code_cells(read(path)) if re.search(r"\bcu\.check_\w+\(", c.source)]
        assert checks, f"{path.name} asserts none of its claims: add check cells (cu.check_below, ...)"

    def test_exercises_are_otter_questions(self, path):
        """The homework format (README, "Exercises as otter questions"): each exercise is a question
        block of raw cells inside ## Exercises, with a unique name and positive points; blocks are
        closed and not nested; no raw cell is anything but a block boundary."""
        notebook = read(path)
        starts = [i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown" and "## Exercises" in c.source]
        assert starts, f"{path.name} has no ## Exercises cell"
        open_blocks: list[str] = []
        names = []
        for i, cell in enumerate(notebook.cells):
            if cell.cell_type != "raw":
                continue
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            match = OTTER_BOUNDARY.match(first)
            assert match, f"{path.name}: raw cell {i} is not an otter boundary (# BEGIN/END QUESTION ...): {first!r}"
            assert i > starts[0], f"{path.name}: otter cell {i} before ## Exercises"
            begin, word = match.group(1).upper() == "BEGIN", match.group(2).upper()
            if begin:
                expected_depth = 0 if word == "QUESTION" else 1
                assert len(open_blocks) == expected_depth, f"{path.name}: # BEGIN {word} (cell {i}) misplaced"
                open_blocks.append(word)
                if word == "QUESTION":
                    config = yaml.safe_load("\n".join(cell.source.strip().splitlines()[1:])) or {}
                    assert QUESTION_NAME.match(str(config.get("name", ""))), (
                        f"{path.name}: question name {config.get('name')!r} must look like q1_short_name"
                    )
                    points = config.get("points")
                    assert isinstance(points, (int, float)) and points > 0, f"{path.name}: {config} needs points"
                    names.append(config["name"])
            else:
                assert open_blocks and open_blocks[-1] == word, f"{path.name}: # END {word} (cell {i}) closes nothing"
                open_blocks.pop()
        assert not open_blocks, f"{path.name}: unclosed otter blocks {open_blocks}"
        assert names, f"{path.name}: its exercises are not otter questions"
        assert len(set(names)) == len(names), f"{path.name}: question names repeat: {names}"

    def test_every_question_has_a_solution_tests_and_a_check(self, path):
        """An autograded question: solution code with its answer lines marked, at least one test, each
        test a def test_...() and its call (so nbval runs it on the solution), and a visible check cell
        right after the question. A manual (think) question: a model answer in its solution block."""
        for question in otter_questions(read(path)):
            name = question["config"]["name"]
            if question["config"].get("manual"):
                answers = [c for c in question["solution"] if c.cell_type == "markdown"]
                assert answers and all(c.source.startswith("*Model answer.*") for c in answers), (
                    f"{path.name}, {name}: a manual question's solution is a markdown cell starting *Model answer.*"
                )
                continue
            code = [c for c in question["solution"] if c.cell_type == "code"]
            assert code, f"{path.name}, {name}: no solution code"
            for cell in code:
                marked = re.search(r"^\s*# BEGIN SOLUTION$", cell.source, re.M) or re.search(
                    r"# SOLUTION$", cell.source, re.M)
                assert marked, f"{path.name}, {name}: mark the solution lines (# BEGIN/END SOLUTION or ... # SOLUTION)"
            assert question["tests"], f"{path.name}, {name}: no tests"
            public = [c for c in question["tests"] if not re.match(r"\s*#.*hidden", c.source, re.I)]
            assert public, f"{path.name}, {name}: one test at least must be public (the visible check's, graded)"
            for cell in question["tests"]:
                tree = ast.parse(cell.source)
                assert len(tree.body) == 2 and isinstance(tree.body[0], ast.FunctionDef), (
                    f"{path.name}, {name}: a test cell is one def test_...() and its call:\n{cell.source}"
                )
                function, call = tree.body[0], tree.body[1]
                params = [a.arg for a in function.args.args]
                assert function.name.startswith("test_") and isinstance(call, ast.Expr), cell.source
                assert ast.unparse(call.value) == f"{function.name}({', '.join(params)})", (
                    f"{path.name}, {name}: call the test with its own parameters: {function.name}({', '.join(params)})"
                )
                assert "check_" in cell.source or "assert" in cell.source, f"{path.name}, {name}: a test must check"
            check = question["next_code"]
            assert check is not None and re.search(r"\bcu\.check_\w+\(", check.source), (
                f"{path.name}, {name}: the question needs a visible check cell (cu.check_...) right after it"
            )

    def test_takes_epochs_from_a_budget(self, path):
        for cell in code_cells(read(path)):
            assert not re.search(r"\bepochs\s*=\s*\d", cell.source), (
                f"{path.name}: hard-coded epochs in\n{cell.source}\nuse cu.budget(fast=..., full=...)"
            )

    def test_has_no_todo_left(self, path):
        assert "TODO" not in path.read_text(), f"{path.name} still says TODO"


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_has_a_badge_row_for_every_notebook():
    rows = [line for line in readme().splitlines() if line.startswith("|")]
    for path in NOTEBOOKS:
        local = f"(notebooks/{path.name})"
        badge = f"({colab_prefix(SLUG)}notebooks/{path.name})"
        assert any(local in row and badge in row for row in rows), (
            f"README: no table row links {path.name} with its Open-in-Colab badge {badge}"
        )


def test_every_badge_points_at_its_own_notebook():
    links = re.findall(r"https://colab\.research\.google\.com/github/([^)\s]+)", readme())
    assert links, "README has no Open-in-Colab badges"
    for line in readme().splitlines():
        for target in re.findall(r"https://colab\.research\.google\.com/github/([^)\s]+)", line):
            assert target.startswith(f"{SLUG}/blob/main/notebooks/"), f"badge for another repository: {target}"
            name = target.rsplit("/", 1)[-1]
            assert (NOTEBOOK_DIR / name).is_file(), f"badge points at a missing notebook: {target}"
            assert f"(notebooks/{name})" in line, f"badge {name} sits in another notebook's row: {line}"


def readme_code_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)\n```", readme(), flags=re.S)


def test_readme_has_exactly_two_commands():
    blocks = readme_code_blocks()
    assert len(blocks) == 2, f"README must show two commands (set up and open; run the tests), found {len(blocks)}"
    assert all(len(b.strip().splitlines()) == 1 for b in blocks), "each README command is one line"


def test_ci_runs_the_readme_test_command():
    test_command = readme_code_blocks()[1].strip()
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci_lines, f".ci/run must run the README's test command: {test_command}"


def pins(lines: list[str]) -> set[str]:
    found = set()
    for line in lines:
        line = line.split("#", 1)[0].strip().lstrip("- ").strip()
        if re.match(r"^[A-Za-z0-9_.-]+==[\w.]+$", line):
            found.add(line.lower())
    return found


def test_requirements_pin_every_package():
    lines = [line.split("#", 1)[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    unpinned = [line for line in lines if line and "==" not in line]
    assert not unpinned, f"requirements.txt must pin every package with ==: {unpinned}"


def test_environment_yml_installs_the_same_set_as_requirements():
    required = pins((ROOT / "requirements.txt").read_text().splitlines())
    conda = pins((ROOT / "environment.yml").read_text().splitlines())
    assert required == conda, (
        f"only in requirements.txt: {required - conda}; only in environment.yml: {conda - required}"
    )


# Colab's stack (requirements-colab.txt, run by .ci/colab_stack): the versions the course promises to
# work with, and bounds that let the notebooks' setup cell install course_utils there without
# upgrading anything Colab ships.
COLAB = {"tensorflow": "2.20.0", "keras": "3.13.2", "numpy": "2.1.3", "matplotlib": "3.10.0",
         "scikit-learn": "1.6.1", "ipywidgets": "7.7.1", "ipython": "7.34.0", "ipykernel": "6.17.1"}  # fmt: skip


def colab_pins() -> dict[str, str]:
    return dict(pin.split("==") for pin in pins((ROOT / "requirements-colab.txt").read_text().splitlines()))


def test_requirements_colab_pins_every_package_and_colabs_stack():
    lines = [line.split("#", 1)[0].strip() for line in (ROOT / "requirements-colab.txt").read_text().splitlines()]
    unpinned = [line for line in lines if line and "==" not in line]
    assert not unpinned, f"requirements-colab.txt must pin every package with ==: {unpinned}"
    pinned = colab_pins()
    assert {name: pinned.get(name) for name in COLAB} == COLAB


def test_pyproject_admits_colabs_versions_and_python():
    import tomllib

    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert SpecifierSet(project["requires-python"]).contains("3.13"), "pyproject.toml must admit Python 3.13"
    pinned = colab_pins()
    for line in project["dependencies"]:
        requirement = Requirement(line)
        version = pinned.get(requirement.name.lower())
        if version is not None:
            assert requirement.specifier.contains(version), (
                f"pyproject.toml's {line!r} excludes Colab's {requirement.name} {version}: installing course_utils "
                "in Colab would replace it mid-session"
            )


def _guarded_colab_imports_missing(tree) -> list[int]:
    """Line numbers of imports of google.colab that are not inside a try that catches ImportError."""
    import ast

    guarded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try):
            caught = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            if caught & {"ImportError", "ModuleNotFoundError", "(ImportError, ModuleNotFoundError)"}:
                guarded |= {n.lineno for stmt in node.body for n in ast.walk(stmt) if hasattr(n, "lineno")}
    missing = []
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        if any(name == "google.colab" or name.startswith("google.colab.") for name in names):
            if node.lineno not in guarded:
                missing.append(node.lineno)
    return missing


def test_google_colab_is_only_imported_inside_try_except_importerror():
    import ast

    for path in sorted([*ROOT.glob("course_utils/*.py"), *NOTEBOOK_DIR.glob("*.py"), *ROOT.glob("tools/*.py")]):
        missing = _guarded_colab_imports_missing(ast.parse(path.read_text(encoding="utf-8")))
        assert not missing, f"{path.name}, lines {missing}: import google.colab only inside try/except ImportError"
    bare = ast.parse("from google.colab import output\ntry:\n    import google.colab\nexcept ImportError:\n    pass\n")
    assert _guarded_colab_imports_missing(bare) == [1]  # the check itself tells the two apart


def _exercise_notebook(tmp_path: Path, question: str, solution: str, test: str, check: str | None) -> Path:
    raw = nbformat.v4.new_raw_cell
    cells = [nbformat.v4.new_markdown_cell("## Exercises"), raw(question), raw("# BEGIN SOLUTION"),
             nbformat.v4.new_code_cell(solution), raw("# END SOLUTION"), raw("# BEGIN TESTS"),
             nbformat.v4.new_code_cell(test), raw("# END TESTS"), raw("# END QUESTION")]
    if check is not None:
        cells.append(nbformat.v4.new_code_cell(check))
    path = tmp_path / "99_example.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


GOOD = ("# BEGIN QUESTION\nname: q1_x\npoints: 2", "x = 1  # SOLUTION",
        "def test_x(cu, x):\n    cu.check_equal(x, 1, 'x')\n\n\ntest_x(cu, x)", "cu.check_equal(x, 1, 'x')")


@pytest.mark.parametrize("broken, message", [
    ({}, None),
    ({0: "# BEGIN QUESTION\nname: q1_x"}, "needs points"),
    ({0: "# BEGIN QUESTION\nname: first one\npoints: 1"}, "must look like q1_short_name"),
    ({1: "x = 1"}, "mark the solution lines"),
    ({2: "def test_x(cu, x):\n    cu.check_equal(x, 1, 'x')"}, "one def test_"),
    ({2: "def test_x(cu, x):\n    cu.check_equal(x, 1, 'x')\n\n\ntest_x(cu)"}, "call the test with its own parameters"),
    ({3: None}, "visible check cell"),
    ({3: "print(x)"}, "visible check cell"),
    ({2: "# HIDDEN\ndef test_x(cu, x):\n    cu.check_equal(x, 1, 'x')\n\n\ntest_x(cu, x)"}, "must be public"),
])  # fmt: skip
def test_the_question_rules_have_teeth(tmp_path, broken, message):
    parts = list(GOOD)
    for index, value in broken.items():
        parts[index] = value
    path = _exercise_notebook(tmp_path, *parts)
    checks = TestNotebook()
    if message is None:
        checks.test_exercises_are_otter_questions(path)
        checks.test_every_question_has_a_solution_tests_and_a_check(path)
        return
    with pytest.raises(AssertionError, match=message):
        checks.test_exercises_are_otter_questions(path)
        checks.test_every_question_has_a_solution_tests_and_a_check(path)
