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


# --- image_png and LatentSliders ---

import io  # noqa: E402

import numpy as np  # noqa: E402


def _decoder(n_dims=4):
    """A stand-in decoder: each code dimension brightens its own band of rows, so codes are told apart."""
    calls = []

    def decode(code):
        calls.append(np.array(code))
        image = np.zeros((28, 28), np.float32)
        for i, value in enumerate(code):
            image[i * 7 : (i + 1) * 7] = (value + 3) / 6
        return image[None]  # shape (1, 28, 28), as a Keras decoder called on z[None] returns: squeezed to one image

    return decode, calls


def test_image_png_enlarges_and_inverts():
    from PIL import Image

    image = np.zeros((28, 28), np.float32)
    image[0, 0] = 1.0
    png = widgets.image_png(image, scale=3)
    picture = np.array(Image.open(io.BytesIO(png)))
    assert picture.shape == (84, 84)
    assert picture[0, 0] == 0 and picture[2, 2] == 0 and picture[3, 3] == 255  # ink is dark, background white
    assert widgets.image_png(image.ravel()) == widgets.image_png(image)  # (784,) is reshaped


@pytest.mark.parametrize("bad", [np.zeros((2, 28, 28)), np.zeros(10), np.zeros((3, 4, 5))])
def test_image_png_rejects_non_images(bad):
    with pytest.raises(ValueError, match="one greyscale image"):
        widgets.image_png(bad)


def test_image_png_rejects_bad_scale():
    with pytest.raises(ValueError, match="scale"):
        widgets.image_png(np.zeros((28, 28)), scale=0)


def test_latent_sliders_start_at_the_prior_centre():
    decode, calls = _decoder()
    panel = widgets.LatentSliders(decode, 4)
    assert len(panel.sliders) == 4 and [s.description for s in panel.sliders] == ["z0", "z1", "z2", "z3"]
    assert np.array_equal(panel.codes, np.zeros(4)) and len(calls) == 1
    assert bytes(panel.picture.value).startswith(b"\x89PNG")


def test_moving_a_slider_redraws_the_same_picture_widget():
    decode, calls = _decoder()
    panel = widgets.LatentSliders(decode, 4)
    picture, before = panel.picture, bytes(panel.picture.value)
    panel.sliders[2].value = 1.5
    assert panel.picture is picture and bytes(picture.value) != before
    assert len(calls) == 2 and np.allclose(calls[-1], [0, 0, 1.5, 0])


def test_set_codes_redraws_once_and_clips_to_the_range():
    decode, calls = _decoder()
    panel = widgets.LatentSliders(decode, 4, limit=2.0)
    panel.set_codes(np.array([5.0, -5.0, 1.0, 0.5]))
    assert np.allclose(panel.codes, [2.0, -2.0, 1.0, 0.5]) and len(calls) == 2


def test_reset_and_random_buttons():
    decode, _ = _decoder()
    start = np.array([0.5, 0.0, -0.5, 1.0], np.float32)
    panel = widgets.LatentSliders(decode, 4, start=start, seed=3)
    first = bytes(panel.picture.value)
    reset, randomise = panel.children[0].children[1].children[1].children
    randomise.click()
    drawn = panel.codes
    assert not np.allclose(drawn, start) and np.all(np.abs(drawn) <= 3.0)
    assert bytes(panel.picture.value) != first
    reset.click()
    assert np.allclose(panel.codes, start) and bytes(panel.picture.value) == first


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("not callable", 4), {}, "decode must be a function"),
        ((None, 0), {}, "n_dims must be a positive"),
        ((None, 4), {"labels": ["a", "b"]}, "one entry per dimension"),
        ((None, 4), {"start": np.zeros(3)}, "start must be one code"),
        ((None, 4), {"limit": 1.0, "step": 2.0}, "0 < step < limit"),
    ],
)
def test_latent_sliders_reject_bad_input(args, kwargs, message):
    decode, _ = _decoder()
    args = tuple(decode if a is None else a for a in args)
    with pytest.raises((ValueError, TypeError), match=message):
        widgets.LatentSliders(*args, **kwargs)


def test_latent_sliders_report_a_decoder_that_returns_no_image():
    with pytest.raises(ValueError, match="one greyscale image"):
        widgets.LatentSliders(lambda code: np.zeros((2, 28, 28)), 4)


def test_set_codes_rejects_a_wrong_shape():
    decode, _ = _decoder()
    panel = widgets.LatentSliders(decode, 4)
    with pytest.raises(ValueError, match=r"codes must have shape \(4,\)"):
        panel.set_codes(np.zeros(5))


def test_text_box_answers_as_the_text_changes():
    panel = widgets.TextBox(lambda text: text.upper(), value="king", description="word")
    assert panel.text == "KING" and "KING" in panel.answer.value
    panel.box.value = "queen <b>"
    assert panel.text == "QUEEN <B>" and "QUEEN &lt;B&gt;" in panel.answer.value  # shown as text, not HTML


def test_text_box_shows_the_message_of_a_bad_question():
    def respond(word):
        if word != "king":
            raise KeyError(f"{word!r} is not in the vocabulary")
        return "queen"

    panel = widgets.TextBox(respond, value="king")
    panel.box.value = "kin"
    assert "is not in the vocabulary" in panel.text


def test_text_box_rejects_a_respond_that_is_not_a_function():
    with pytest.raises(TypeError):
        widgets.TextBox("not a function")


def test_shown_token_names_blanks():
    assert [widgets.shown_token(c) for c in "a \n"] == ["a", "␣", "⏎"]


def test_distribution_svg_draws_one_bar_per_token():
    svg = widgets.distribution_svg(np.array([0.7, 0.2, 0.1]), ["e", " ", "<"], kept=np.array([True, True, False]))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 3 and "&lt;" in svg and "#bbbbbb" in svg
    with pytest.raises(ValueError):
        widgets.distribution_svg(np.array([0.5, 0.5]), ["a"])


def _temperature_slider(**kwargs):
    logits = np.log(np.array([0.1, 0.6, 0.3]))
    return widgets.TemperatureSlider(logits, ["a", "b", "c"], lambda t: f"sample at {t}", prompt="P:", **kwargs)


def test_temperature_slider_redraws_chart_and_sample_in_place():
    panel = _temperature_slider()
    chart, text = panel.chart, panel.text
    assert panel.probs.round(3).tolist() == [0.1, 0.6, 0.3]
    assert "sample at 1.0" in text.value and "<b>P:</b>" in text.value
    before = chart.value
    panel.slider.value = 0.5
    assert panel.chart is chart and panel.text is text and chart.value != before
    assert panel.probs.argmax() == 1 and panel.probs[1] > 0.6
    assert "sample at 0.5" in text.value
    panel.slider.value = 2.0
    assert panel.probs.max() < 0.6


@pytest.mark.parametrize("kwargs", [{"value": 0.75}, {"temperatures": [0.0, 1.0]}, {"temperatures": [2.0, 1.0]}])
def test_temperature_slider_rejects_bad_settings(kwargs):
    with pytest.raises(ValueError):
        _temperature_slider(**kwargs)


def test_text_html_escapes_and_marks_the_prompt():
    assert widgets.text_html("<a>", prompt="P:\n") == (
        "<pre style='white-space: pre-wrap; margin: 0.3em 0'><b>P:\n</b>&lt;a&gt;</pre>"
    )
    assert "<b>" not in widgets.text_html("no prompt")
    with pytest.raises(TypeError):
        widgets.text_html(None)


def test_text_box_shows_a_figure_under_the_text_when_respond_gives_one():
    import matplotlib.pyplot as plt

    def respond(text):
        fig, ax = plt.subplots(figsize=(1, 1))
        ax.set_title(text)
        return text.upper(), fig

    panel = widgets.TextBox(respond, value="a")
    first = bytes(panel.picture.value)
    assert panel.text == "A" and first.startswith(b"\x89PNG") and panel.picture.layout.display is None
    panel.box.value = "a much longer title"
    assert bytes(panel.picture.value) != first


def test_text_box_hides_its_picture_for_text_answers():
    panel = widgets.TextBox(lambda text: text, value="king")
    assert panel.picture.layout.display == "none" and not bytes(panel.picture.value)
