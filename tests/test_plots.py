import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_utils import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _images(n, shape=(28, 28)):
    return np.random.default_rng(0).random((n, *shape), dtype=np.float32)


def _shown(ax):
    return bool(ax.images)


@pytest.mark.parametrize("shape", [(28, 28), (28, 28, 1), (784,)])
def test_show_images_accepts_shapes(shape):
    fig = plots.show_images(_images(6, shape))
    assert isinstance(fig, Figure)
    assert sum(_shown(ax) for ax in fig.axes) == 6
    assert fig.axes[0].images[0].get_array().shape == (28, 28)


@pytest.mark.parametrize("shape", [(6, 28, 28, 3), (6, 100), (28, 28), (6,), (2, 6, 28, 28)])
def test_show_images_rejects_bad_shapes(shape):
    with pytest.raises(ValueError, match="images must have shape"):
        plots.show_images(np.zeros(shape))


def test_show_images_grid_size():
    fig = plots.show_images(_images(12), ncols=5)
    assert len(fig.axes) == 15
    assert sum(_shown(ax) for ax in fig.axes) == 12


def test_show_images_few_images_one_row():
    fig = plots.show_images(_images(3))
    assert len(fig.axes) == 3


def test_show_images_labels_and_title():
    fig = plots.show_images(_images(3), labels=["a", "b", "c"], title="Training images")
    assert [ax.get_title() for ax in fig.axes] == ["a", "b", "c"]
    assert fig.get_suptitle() == "Training images"


def test_show_images_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="3 labels for 4 images"):
        plots.show_images(_images(4), labels=["a", "b", "c"])


def test_show_images_rejects_bad_ncols():
    with pytest.raises(ValueError, match="ncols"):
        plots.show_images(_images(4), ncols=0)


def test_show_images_accepts_array_labels():
    fig = plots.show_images(_images(3), labels=np.array([7, 2, 1]))
    assert [ax.get_title() for ax in fig.axes] == ["7", "2", "1"]


def test_show_images_rejects_empty():
    with pytest.raises(ValueError):
        plots.show_images(np.zeros((0, 28, 28)))


def _row_labels(fig, ncols):
    return [ax.get_ylabel() for ax in fig.axes[::ncols]]


def test_show_reconstructions_with_array():
    fig = plots.show_reconstructions(_images(12), _images(12).reshape(12, 784), n=5)
    assert len(fig.axes) == 2 * 5
    assert _row_labels(fig, 5) == ["original", "reconstruction"]


def test_show_reconstructions_with_dict():
    rows = {"after epoch 1": _images(8), "after epoch 10": _images(8, (28, 28, 1))}
    fig = plots.show_reconstructions(_images(8), rows, n=4, title="Reconstructions")
    assert len(fig.axes) == (1 + len(rows)) * 4
    assert _row_labels(fig, 4) == ["original", "after epoch 1", "after epoch 10"]
    assert fig.get_suptitle() == "Reconstructions"


def test_show_reconstructions_columns_limited_by_shortest():
    fig = plots.show_reconstructions(_images(10), {"a": _images(3)})
    assert len(fig.axes) == 2 * 3


def test_show_reconstructions_rejects_bad_row():
    with pytest.raises(ValueError, match=r"rows\['bad'\]"):
        plots.show_reconstructions(_images(4), {"bad": np.zeros((4, 10))})


def test_show_image_rows_names_rows_and_columns():
    fig = plots.show_image_rows({"latent": _images(5), "pixels": _images(5, (784,))},
                                column_labels=["0", "0.25", "0.5", "0.75", "1"], title="Interpolation")
    assert len(fig.axes) == 2 * 5
    assert _row_labels(fig, 5) == ["latent", "pixels"]
    assert [ax.get_title() for ax in fig.axes[:5]] == ["0", "0.25", "0.5", "0.75", "1"]


@pytest.mark.parametrize(
    ("rows", "labels", "message"),
    [
        ({}, None, "non-empty mapping"),
        ({"a": _images(3), "b": _images(4)}, None, "same, non-zero number"),
        ({"a": _images(3)}, ["x", "y"], "one entry per column"),
        ({"a": np.zeros((3, 10))}, None, r"rows\['a'\]"),
    ],
)
def test_show_image_rows_rejects_bad_input(rows, labels, message):
    with pytest.raises(ValueError, match=message):
        plots.show_image_rows(rows, column_labels=labels)


def test_plot_curves_keras_history():
    history = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.6, 0.4]}
    fig = plots.plot_curves(history, ylabel="MSE", title="Training")
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == ["training loss", "validation loss"]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [1.1, 0.6, 0.4])
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("epoch", "MSE", "Training")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training loss", "validation loss"]


def test_plot_curves_x_and_logy():
    fig = plots.plot_curves({"error": [0.5, 0.1]}, x=[2, 8], xlabel="code size", logy=True)
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [2, 8])
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "code size"


def test_plot_curves_into_existing_axes():
    fig, (left, right) = plt.subplots(1, 2)
    assert plots.plot_curves({"loss": [1, 2]}, ax=right) is fig
    assert len(right.lines) == 1 and not left.lines


def test_plot_curves_rejects_empty():
    with pytest.raises(ValueError, match="empty"):
        plots.plot_curves({})


def test_plot_curves_rejects_mismatched_x():
    with pytest.raises(ValueError, match="'loss' has 3 values but x has 2"):
        plots.plot_curves({"loss": [1, 2, 3]}, x=[1, 2])


def test_live_plot_add_accumulates():
    live = plots.LivePlot(["loss", "val_loss"])
    live.add(loss=1.0, val_loss=2.0)
    live.add(loss=0.5, val_loss=np.float32(1.5))
    assert live.history == {"loss": [1.0, 0.5], "val_loss": [2.0, 1.5]}
    ax = live._figure.axes[0]
    assert [line.get_label() for line in ax.lines] == ["training loss", "validation loss"]


def test_live_plot_ignores_unknown_names():
    live = plots.LivePlot(["loss"])
    live.add(loss=1.0, accuracy=0.3)
    live.add(accuracy=0.4)
    assert live.history == {"loss": [1.0]}


def test_live_plot_missing_metric_not_drawn():
    live = plots.LivePlot(["loss", "val_loss"])
    live.add(loss=1.0)
    assert [line.get_label() for line in live._figure.axes[0].lines] == ["training loss"]


@pytest.mark.parametrize("metrics", ["loss", [], ()])
def test_live_plot_rejects_bad_metrics(metrics):
    with pytest.raises(ValueError, match="metrics"):
        plots.LivePlot(metrics)


def test_live_plot_as_keras_callback():
    rng = np.random.default_rng(0)
    x, y = rng.random((32, 4), dtype=np.float32), rng.random((32, 1), dtype=np.float32)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    live = plots.LivePlot(["loss", "val_loss"], ylabel="MSE")
    history = model.fit(x, y, epochs=2, validation_split=0.25, verbose=0, callbacks=[live])
    assert live.history["loss"] == pytest.approx(history.history["loss"])
    assert live.history["val_loss"] == pytest.approx(history.history["val_loss"])
    assert len(live.history["loss"]) == 2


def test_use_presentation_style():
    with plt.rc_context():
        plots.use_presentation_style()
        assert plt.rcParams["font.size"] == plots.PRESENTATION_STYLE["font.size"]


def test_curve_labels_read_as_words():
    assert plots.curve_label("loss") == "training loss"
    assert plots.curve_label("val_loss") == "validation loss"
    assert plots.curve_label("val_kl") == "validation kl"
    assert plots.curve_label("reconstruction") == "reconstruction"


def test_scatter_with_thumbnails_draws_dots_legend_and_images():
    rng = np.random.default_rng(0)
    points, labels = rng.normal(size=(50, 2)), np.arange(50) % 3
    fig = plots.scatter_with_thumbnails(points, labels, ["a", "b", "c"], _images(50), n_thumbnails=5)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]
    assert 1 <= sum(type(a).__name__ == "AnnotationBbox" for a in ax.artists) <= 5


def test_scatter_with_thumbnails_checks_shapes():
    with pytest.raises(ValueError, match="points"):
        plots.scatter_with_thumbnails(np.zeros((4, 3)), np.zeros(4), ["a"])
    with pytest.raises(ValueError, match="labels"):
        plots.scatter_with_thumbnails(np.zeros((4, 2)), np.zeros(3), ["a"])
    with pytest.raises(ValueError, match="images"):
        plots.scatter_with_thumbnails(np.zeros((4, 2)), np.zeros(4), ["a"], _images(3))


def test_square_grid_covers_the_square_row_by_row():
    grid = plots.square_grid(3.0, 4)
    assert grid.shape == (16, 2) and grid.dtype == np.float32
    assert grid.min() == -3.0 and grid.max() == 3.0
    np.testing.assert_array_equal(grid[:4, 1], -3.0)  # the first row is the bottom one
    with pytest.raises(ValueError):
        plots.square_grid(0.0, 4)


def test_plot_ring_draws_points_and_surface():
    real, fake = np.zeros((50, 2)), np.ones((30, 2))
    surface = np.linspace(0, 1, 36).reshape(6, 6)
    fig = plots.plot_ring(real, fake, surface=surface, surface_range=(0, 1), title="step 10")
    ax = fig.axes[0]
    assert ax.get_title() == "step 10" and len(ax.collections) == 2 and len(ax.images) == 1
    assert ax.images[0].get_clim() == (0, 1) and len(fig.axes) == 2  # the colour bar
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs", [{"real": np.zeros((5, 3))}, {"fake": np.zeros(4)}, {"surface": np.zeros((3, 4))}]
)
def test_plot_ring_rejects_bad_shapes(kwargs):
    arguments = {"real": np.zeros((5, 2))} | kwargs
    with pytest.raises(ValueError):
        plots.plot_ring(**arguments)


def test_plot_next_token_sorts_and_greys_dropped_tokens():
    probs = np.array([0.1, 0.6, 0.3])
    fig = plots.plot_next_token(probs, ["a", " ", "\n"], kept=np.array([False, True, True]), title="top-2")
    ax = fig.axes[0]
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == pytest.approx([0.6, 0.3, 0.1])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["␣", "⏎", "a"]
    assert ax.patches[2].get_facecolor() != ax.patches[0].get_facecolor()
    plt.close(fig)
    with pytest.raises(ValueError):
        plots.plot_next_token(probs, ["a", "b"])


def _diagram_texts(fig):
    return [t.get_text() for t in fig.axes[0].texts if t.get_text()]  # arrows are annotations without text


def test_draw_diagram_draws_boxes_arrows_and_labels():
    boxes = {"z": (0, 0, "noise z", "data"), "G": (2.5, 0), "loss": (5, 0, "GAN loss", "loss")}
    fig = plots.draw_diagram(boxes, [("z", "G"), ("G", "loss", "G(z)", "loss")], title="a GAN")
    ax = fig.axes[0]
    assert isinstance(fig, Figure) and ax.get_title() == "a GAN"
    assert set(_diagram_texts(fig)) == {"noise z", "G", "GAN loss", "G(z)"}  # a box without a label shows its name
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == 2 and arrows[1].arrow_patch.get_linestyle() == "--"  # a loss arrow is dashed
    fig.canvas.draw()  # arrows are placed at draw time: this must not raise


def test_draw_diagram_bends_arrows_that_go_both_ways():
    fig = plots.draw_diagram({"X": (0, 0), "Y": (4, 0)}, [("X", "Y", "G"), ("Y", "X", "F")])
    labels = {t.get_text(): t.get_position() for t in fig.axes[0].texts if t.get_text() in ("G", "F")}
    assert labels["G"][1] < 0 < labels["F"][1]  # drawn apart, below and above the line between the boxes


def test_draw_diagram_into_existing_axes():
    fig, (left, right) = plt.subplots(1, 2)
    assert plots.draw_diagram({"a": (0, 0), "b": (2, 1)}, [("a", "b")], ax=right) is fig
    assert len(right.texts) == 3 and not left.texts  # two boxes and an arrow


@pytest.mark.parametrize(
    ("boxes", "arrows", "message"),
    [
        ({}, [], "non-empty mapping"),
        ({"a": (0,)}, [], "box 'a' must be a tuple"),
        ({"a": (0, "up")}, [], "finite numbers"),
        ({"a": (0, 0, "A", "cloud")}, [], "kind must be one of"),
        ({"a": (0, 0)}, [("a", "b")], "unknown box 'b'"),
        ({"a": (0, 0)}, [("a", "a")], "joins a box to itself"),
        ({"a": (0, 0), "b": (1, 0)}, ["ab"], "each arrow must be a tuple"),
        ({"a": (0, 0), "b": (1, 0)}, [("a", "b", "", "wavy")], "kind must be one of"),
    ],
)
def test_draw_diagram_rejects_bad_input(boxes, arrows, message):
    with pytest.raises(ValueError, match=message):
        plots.draw_diagram(boxes, arrows)
