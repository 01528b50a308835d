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


# --- AttentionExplorer ---


def _attention_respond(calls):
    """A stand-in model: self-attention (2 layers, 3 heads) and cross-attention (3 layers, 2 heads), padded by 2."""

    def respond(text):
        calls.append(text)
        if not text:
            raise ValueError("type a date, for example 3 May 2021")
        rng = np.random.default_rng(len(text))
        tokens_in, tokens_out = list(text), list(text.upper()) + ["<end>"]
        return text.upper(), {
            "encoder self-attention": (rng.dirichlet(np.ones(len(text) + 2), size=(2, 3, len(text) + 2)),
                                       tokens_in, tokens_in),
            "cross-attention": (rng.dirichlet(np.ones(len(text) + 2), size=(3, 2, len(tokens_out) + 2)),
                                tokens_in, tokens_out),
        }  # fmt: skip

    return respond


def test_attention_explorer_draws_all_heads_of_the_first_layer_at_first():
    calls = []
    panel = widgets.AttentionExplorer(_attention_respond(calls), value="3 May", description="date")
    assert calls == ["3 May"] and panel.calls == 1
    assert panel.text == "3 MAY" and "3 MAY" in panel.caption.value
    assert panel.kind.options == ("encoder self-attention", "cross-attention")
    assert panel.layer.options == ("layer 1", "layer 2") and panel.layer.value == "layer 1"
    assert panel.head.options == ("all heads", "head 1", "head 2", "head 3") and panel.head.value == "all heads"
    assert bytes(panel.picture.value).startswith(b"\x89PNG") and panel.picture.layout.display is None
    weights, inputs, outputs = panel.maps["cross-attention"]
    assert weights.shape == (3, 2, 8, 7) and inputs == list("3 May") and outputs[-1] == "<end>"


def test_typing_calls_respond_once_and_redraws():
    calls = []
    panel = widgets.AttentionExplorer(_attention_respond(calls), value="3 May")
    picture, before = panel.picture, bytes(panel.picture.value)
    panel.box.value = "3 May 2021"
    assert calls == ["3 May", "3 May 2021"] and panel.calls == 2
    assert panel.text == "3 MAY 2021" and panel.picture is picture and bytes(picture.value) != before


def test_choosing_kind_layer_and_head_redraws_without_calling_respond():
    calls = []
    panel = widgets.AttentionExplorer(_attention_respond(calls), value="3 May")
    seen = {bytes(panel.picture.value)}
    for selector, value in [(panel.head, "head 2"), (panel.layer, "layer 2"), (panel.kind, "cross-attention"),
                            (panel.head, "all heads")]:  # fmt: skip
        selector.value = value
        assert bytes(panel.picture.value) not in seen, f"{value} drew the same picture"
        seen.add(bytes(panel.picture.value))
    assert panel.calls == 1 and calls == ["3 May"]


def test_changing_the_kind_updates_the_layers_and_keeps_the_choice_where_it_exists():
    panel = widgets.AttentionExplorer(_attention_respond([]), value="3 May")
    panel.layer.value, panel.head.value = "layer 2", "head 3"
    panel.kind.value = "cross-attention"
    assert panel.layer.options == ("layer 1", "layer 2", "layer 3") and panel.layer.value == "layer 2"
    assert panel.head.options == ("all heads", "head 1", "head 2") and panel.head.value == "all heads"  # no head 3
    panel.layer.value = "layer 3"
    panel.kind.value = "encoder self-attention"
    assert panel.layer.value == "layer 1" and panel.calls == 1  # no layer 3 there


def test_one_head_and_all_heads_are_different_figures():
    panel = widgets.AttentionExplorer(_attention_respond([]), value="3 May")
    panel.kind.value = "cross-attention"
    everything = panel.figure()
    assert len([ax for ax in everything.axes if ax.images]) == 2
    assert "cross-attention, layer 1" in everything.get_suptitle()
    all_heads = bytes(panel.picture.value)
    panel.head.value = "head 2"
    one = panel.figure()
    assert len(one.axes) == 2  # the map and its colour bar
    assert one.axes[0].get_title() == "cross-attention, layer 1, head 2"
    assert one.axes[0].images[0].get_array().shape == (6, 5)  # padding cut off
    assert bytes(panel.picture.value) != all_heads
    plt.close(everything)
    plt.close(one)


def test_attention_explorer_shows_the_message_of_a_bad_text_and_keeps_the_picture():
    panel = widgets.AttentionExplorer(_attention_respond([]), value="3 May")
    picture, maps = bytes(panel.picture.value), panel.maps
    panel.box.value = ""
    assert panel.text == "type a date, for example 3 May 2021" and "for example" in panel.caption.value
    assert bytes(panel.picture.value) == picture and panel.maps is maps and panel.calls == 2
    panel.head.value = "head 1"  # the kept maps can still be explored
    assert bytes(panel.picture.value) != picture and panel.calls == 2


def test_attention_explorer_starts_empty_when_the_first_text_is_refused():
    panel = widgets.AttentionExplorer(_attention_respond([]))
    assert "for example" in panel.text and panel.picture.layout.display == "none" and not panel.maps
    with pytest.raises(ValueError, match="no maps"):
        panel.figure()
    panel.box.value = "3 May"
    assert panel.kind.value == "encoder self-attention" and bytes(panel.picture.value).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("maps", "message"),
    [
        ({}, "non-empty mapping"),
        ([np.ones((1, 1, 2, 2))], "non-empty mapping"),
        ({"self": np.ones((1, 1, 2, 2))}, "tuple"),
        ({"self": (np.ones((1, 2, 2)), "ab", "ab")}, "4-D"),
        ({"self": (np.ones((1, 0, 2, 2)), "ab", "ab")}, "4-D"),
        ({"self": (np.ones((1, 1, 2, 2)), "abc", "ab")}, "fewer rows x cols"),
        ({"self": (np.ones((1, 1, 2, 2)), "", "ab")}, "at least one token"),
    ],
)
def test_attention_explorer_rejects_bad_maps(maps, message):
    with pytest.raises(ValueError, match=message):
        widgets.AttentionExplorer(lambda text: ("caption", maps), value="ab")


def test_attention_explorer_rejects_a_bad_respond():
    with pytest.raises(TypeError, match="respond must be a function"):
        widgets.AttentionExplorer("not a function")
    with pytest.raises(TypeError, match="caption, maps"):
        widgets.AttentionExplorer(lambda text: "only a caption", value="ab")


def test_one_head_of_a_long_sequence_is_drawn_small():
    weights = np.full((1, 2, 60, 60), 1 / 60)
    panel = widgets.AttentionExplorer(lambda text: ("60", {"causal self-attention": (weights, "a" * 60, "b" * 60)}))
    panel.head.value = "head 2"
    fig = panel.figure()
    assert fig.get_figwidth() <= 10 and fig.axes[0].get_title() == "causal self-attention, layer 1, head 2"
    assert fig.axes[0].images[0].get_array().shape == (60, 60) and len(fig.axes[0].get_xticks()) < 60
    plt.close(fig)
