import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from course_utils import widgets  # noqa: E402


def _figure(value):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, value])
    return fig


def test_switcher_swaps_prerendered_images():
    box = widgets.switcher({"one": _figure(1), "two": _figure(2)}, description="choice")
    buttons, picture = box.children
    assert buttons.options == ("one", "two")
    first = bytes(picture.value)
    assert first.startswith(b"\x89PNG")
    buttons.value = "two"
    assert bytes(picture.value) != first and bytes(picture.value).startswith(b"\x89PNG")
    buttons.value = "one"
    assert bytes(picture.value) == first


def test_switcher_closes_the_figures():
    fig = _figure(1)
    widgets.switcher({"one": fig})
    assert not plt.fignum_exists(fig.number)


@pytest.mark.parametrize("bad", [{}, [], {"one": "not a figure"}])
def test_switcher_rejects_bad_input(bad):
    with pytest.raises((ValueError, TypeError)):
        widgets.switcher(bad)
