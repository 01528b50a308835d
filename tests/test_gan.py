import ast
import inspect
from pathlib import Path

import numpy as np
import pytest

from course_utils import gan, progress

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def test_snapshot_steps_run_from_start_to_end():
    np.testing.assert_array_equal(gan.snapshot_steps(1000, 5), [0, 250, 500, 750, 1000])
    np.testing.assert_array_equal(gan.snapshot_steps(3, 6), [0, 1, 2, 3])  # never a step twice
    for bad in [(0, 5), (10, 1), (2.5, 3)]:
        with pytest.raises(ValueError):
            gan.snapshot_steps(*bad)


def test_train_adversarial_logs_every_step_and_snapshots():
    seen = []

    def train_step(real):
        seen.append(real)
        return {"d_loss": real.mean(), "g_loss": len(seen)}

    state = {"calls": 0}

    def snapshot():
        state["calls"] += 1
        return {"fake": np.full((4, 2), len(seen))}

    log = gan.train_adversarial(train_step, lambda rng: rng.normal(size=(8, 2)), steps=10, snapshot=snapshot,
                                n_snapshots=3, seed=1)  # fmt: skip
    assert log["d_loss"].shape == (10,) and list(log["g_loss"]) == list(range(1, 11))
    np.testing.assert_array_equal(log["snapshot_step"], [0, 5, 10])
    assert log["fake"].shape == (3, 4, 2) and list(log["fake"][:, 0, 0]) == [0, 5, 10]
    again = gan.train_adversarial(train_step, lambda rng: rng.normal(size=(8, 2)), steps=10, seed=1)
    np.testing.assert_array_equal(again["d_loss"], log["d_loss"])  # the same seed draws the same batches
    assert "fake" not in again


def test_train_adversarial_rejects_bad_input():
    with pytest.raises(TypeError, match="mapping"):
        gan.train_adversarial(lambda real: 1.0, lambda rng: np.zeros((2, 2)), steps=2)
    with pytest.raises(TypeError, match="functions"):
        gan.train_adversarial(None, lambda rng: np.zeros((2, 2)), steps=2)


def _definitions(source: str) -> dict[str, str]:
    """Top-level functions of a source text, without docstrings, type hints or comments, as AST dumps."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            if ast.get_docstring(node) is not None:
                node.body = node.body[1:]
            node.returns = None
            for argument in node.args.args + node.args.kwonlyargs:
                argument.annotation = None
            found[node.name] = ast.dump(node)
    return found


def test_pieces_kept_for_notebook_07_are_notebook_06s():
    notebook = _definitions((NOTEBOOKS / "06_gan_training.py").read_text())
    package = _definitions(inspect.getsource(gan))
    for name in ["build_generator", "build_discriminator", "make_train_step", "build_dcgan_generator"]:
        assert package[name] == notebook[name], f"course_utils.gan.{name} differs from notebook 06's: make them one"


def test_kept_pieces_build_and_train():
    generator, discriminator = gan.build_generator(), gan.build_discriminator()
    train_step = gan.make_train_step(generator, discriminator)
    numbers = train_step(np.zeros((16, 2), dtype="float32"))
    assert set(numbers) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert gan.build_dcgan_generator().output_shape == (None, 28, 28, 1)


def test_ring_snapshot_shapes_and_bad_grid():
    generator, discriminator = gan.build_generator(), gan.build_discriminator()
    z = np.zeros((7, gan.LATENT_DIM), dtype="float32")
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5)), axis=-1).reshape(-1, 2)
    snap = gan.ring_snapshot(generator, discriminator, z, grid)
    assert snap["fake"].shape == (7, 2) and snap["surface"].shape == (5, 5)
    assert np.all((snap["surface"] >= 0) & (snap["surface"] <= 1))
    with pytest.raises(ValueError, match="square grid"):
        gan.ring_snapshot(generator, discriminator, z, grid[:-1])


def test_train_adversarial_shows_progress(monkeypatch, capsys):
    monkeypatch.delenv("COURSE_PROGRESS", raising=False)
    log = gan.train_adversarial(lambda real: {"d_loss": 1.0}, lambda rng: np.zeros((2, 2)), steps=60, what="toy GAN")
    assert log["d_loss"].shape == (60,)
    err = capsys.readouterr().err
    assert "toy GAN" in err and "60/60" in err and "d_loss=1" in err
    with progress.training("ring-gan"):  # what train_or_load does around training
        gan.train_adversarial(lambda real: {"d_loss": 1.0}, lambda rng: np.zeros((2, 2)), steps=5)
    assert "ring-gan" in capsys.readouterr().err
