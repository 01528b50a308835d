"""The maintainers' tools: student versions of the notebooks."""

import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from make_student_version import PLACEHOLDER, student_version  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_student_version_removes_solutions_and_keeps_checks():
    for path in NOTEBOOKS:
        original = nbformat.read(path, as_version=4)
        student, removed = student_version(original)
        solutions = [c for c in original.cells if "solution" in c.metadata.get("tags", [])]
        assert removed == len(solutions)
        assert not [c for c in student.cells if "solution" in c.metadata.get("tags", [])]
        assert sum(c.source == PLACEHOLDER for c in student.cells) == removed
        assert [c.source for c in student.cells if "cu.check_" in c.source] == [
            c.source for c in original.cells if "cu.check_" in c.source and c not in solutions
        ]
        for solution in solutions:
            assert solution.source not in [c.source for c in student.cells]


def test_student_version_leaves_the_original_alone():
    original = nbformat.read(NOTEBOOKS[1], as_version=4)
    before = nbformat.writes(original)
    student_version(original)
    assert nbformat.writes(original) == before


def test_command_writes_student_notebooks(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_student_version.py"), "--out", str(tmp_path), "01"],
        capture_output=True, text=True, check=True,
    )
    assert "01_autoencoders.ipynb" in result.stdout
    written = nbformat.read(tmp_path / "01_autoencoders.ipynb", as_version=4)
    nbformat.validate(written)
    assert any("exercise" in c.metadata.get("tags", []) for c in written.cells)


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
