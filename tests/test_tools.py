"""The maintainers' tools: homework (what tools/homework.py hands to otter), the benchmark, Colab's pins."""

import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import homework  # noqa: E402
import yaml  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_otter_master_adds_the_assignment_config_and_question_defaults():
    """Without otter installed: what tools/homework.py hands to otter assign (tests/test_homework.py
    runs otter itself on every notebook)."""
    for path in NOTEBOOKS:
        original = nbformat.read(path, as_version=4)
        before = nbformat.writes(original)
        master = homework.otter_master(original, path.stem)
        assert nbformat.writes(original) == before, "the course notebook must be left alone"
        first = master.cells[0]
        assert first.cell_type == "raw" and first.source.startswith("# ASSIGNMENT CONFIG\n")
        config = yaml.safe_load(first.source.split("\n", 1)[1])
        assert config["init_cell"] is config["check_all_cell"] is config["export_cell"] is False
        assert config["tests"] == {"files": True, "ok_format": False} and config["name"] == path.stem
        questions = homework.questions(master)
        assert questions and len(questions) == len(homework.questions(original))
        for question in questions:
            assert question["config"]["check_cell"] is False and question["config"]["all_or_nothing"] is True
        assert "jupytext" not in master.metadata


def test_questions_reads_blocks_and_hidden_tests():
    def raw(text):
        return nbformat.v4.new_raw_cell(text)

    cells = [raw("# BEGIN QUESTION\nname: q1_x\npoints: 3"), raw("# BEGIN SOLUTION"),
             nbformat.v4.new_code_cell("x = 1  # SOLUTION"), raw("# END SOLUTION"), raw("# BEGIN TESTS"),
             nbformat.v4.new_code_cell("def test_a(x):\n    assert x\n\n\ntest_a(x)"),
             nbformat.v4.new_code_cell("# HIDDEN\ndef test_b(x):\n    assert x == 1\n\n\ntest_b(x)"),
             raw("# END TESTS"), raw("# END QUESTION"), nbformat.v4.new_code_cell("cu.check_equal(x, 1, 'x')")]
    [question] = homework.questions(nbformat.v4.new_notebook(cells=cells))
    assert question["config"] == {"name": "q1_x", "points": 3}
    assert len(question["solution"]) == 1 and len(question["tests"]) == 2 and question["hidden"] == 1


def test_command_prints_the_exercise_table():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "homework.py"), "table", "00"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.startswith("notebook: 00_start_here | questions: ")
    assert "hidden tests: " in result.stdout


def test_grading_goes_on_past_a_submission_otter_cannot_grade(tmp_path, monkeypatch):
    import csv
    import subprocess

    def fake_otter_run(submission, autograder, env, log):
        if submission.stem == "broken":
            raise subprocess.CalledProcessError(1, ["otter", "run"])
        return {"q1_a": (2.0, 2.0), "q2_b": (0.0, 1.0)}

    monkeypatch.setattr(homework, "otter_run", fake_otter_run)
    submissions = [tmp_path / name for name in ("good.ipynb", "broken.ipynb", "other.ipynb")]
    rows = homework.grade(tmp_path / "autograder.zip", submissions, tmp_path / "scores" / "nb.csv")
    assert [row["total"] for row in rows] == [2.0, 0, 2.0]
    with open(tmp_path / "scores" / "nb.csv", newline="", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert [row["submission"] for row in table] == ["good.ipynb", "broken.ipynb", "other.ipynb"]
    assert table[1]["error"].startswith("otter run failed") and table[1]["q1_a"] == ""
    assert table[0]["q1_a"] == "2.0" and table[0]["possible"] == "3.0" and table[0]["error"] == ""


def test_prepare_class_counts_trained_and_loaded_models():
    import prepare_class

    def cell(*texts):
        code = nbformat.v4.new_code_cell("x")
        code.outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in texts]
        return code

    notebook = nbformat.v4.new_notebook(cells=[
        cell("Trained 'dense-ae' in 41.2 s; cached for the next run.\n"),
        cell("Computing 'tsne-codings' (once; later runs load it)...\n", "Loaded 'vae-8' from the cache (its training "
             "took 3.0 s).\n"),
        cell("Loaded 'tsne-codings' from the cache.\n"), nbformat.v4.new_markdown_cell("Trained 'not a model'"),
    ])  # fmt: skip
    text = prepare_class.outputs_text(notebook)
    assert [a or b for a, b in prepare_class.TRAINED.findall(text)] == ["dense-ae", "tsne-codings"]
    assert prepare_class.LOADED.findall(text) == ["vae-8", "tsne-codings"]
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "prepare_class.py"), "99"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "No notebook numbered ['99']" in result.stderr


def test_benchmark_sees_progress_bars_and_live_figures():
    from benchmark import progress_status

    bar_text = {"output_type": "stream", "name": "stderr", "text": "ring GAN:  40%|████      | 800/2000 [00:03<00:05]"}
    bar_widget = {"output_type": "display_data", "metadata": {},
                  "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                           "text/plain": "dense autoencoder, epoch 2/5:  40%|####      | 2/5"}}  # fmt: skip
    live = {"output_type": "display_data", "data": {"image/png": ""}, "metadata": {"course_utils": {"live": True}}}
    printed = {"output_type": "stream", "name": "stdout", "text": "Trained 'dense-ae' in 41.2 s"}
    figure = {"output_type": "display_data", "data": {"image/png": ""}, "metadata": {}}
    announced = {"output_type": "stream", "name": "stdout", "text": "Computing 'tsne-codings' (once; later...)"}
    for outputs in ([bar_text], [printed, bar_widget], [live], [announced, bar_text]):
        assert progress_status({"outputs": outputs}) == "progress shown"
    assert progress_status({"outputs": [announced, figure]}) == "announced"
    for outputs in ([], [printed, figure]):
        assert progress_status({"outputs": outputs}) == "SILENT"


def test_colab_requirements_take_colab_versions_and_keep_the_rest():
    from colab_requirements import colab_versions, refresh

    colab = colab_versions("Keras==3.14.0\nnumpy==2.1.3\njupyter_kernel_gateway @ git+https://example\n")
    requirements = "# header\nkeras==3.13.2\nNumPy==2.1.3  # why\nnbval==0.11.0  # not in Colab: tests\nold==1.0\n"
    text, notes = refresh(requirements, colab)
    assert text == "# header\nkeras==3.14.0\nNumPy==2.1.3  # why\nnbval==0.11.0  # not in Colab: tests\nold==1.0\n"
    assert notes == [
        "keras: 3.13.2 -> 3.14.0",
        "old: no longer in Colab's list (kept at 1.0; remove it if nothing needs it)",
    ]
