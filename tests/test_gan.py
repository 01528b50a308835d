import numpy as np
import pytest

from course_utils import gan


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
