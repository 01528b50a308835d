"""Interactive pieces that respond at once: pre-rendered figures to switch, live latent sliders.

A switcher swaps figures drawn ahead of time; the sliders redraw one small picture in place when
one of them moves; a text box answers what is typed in it as it is typed; an attention explorer
shows the attention maps of what is typed, by kind of attention, layer and head.

Only core ipywidgets (buttons, sliders, an image) are used, so they work in JupyterLab and in
Colab, with ipywidgets 7 or 8.

Example:
    >>> cu.widgets.switcher({"perplexity 5": fig_5, "perplexity 30": fig_30}, description="perplexity")
    >>> cu.widgets.LatentSliders(decode, n_dims=8)
    >>> cu.widgets.TextBox(lambda word: ", ".join(neighbours(word)), value="king")
    >>> cu.widgets.AttentionExplorer(lambda text: (translate(text), attention_maps(text)), value="3 May 2021")
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from PIL import Image


def figure_png(fig: Figure, *, tight: bool = True) -> bytes:
    """The figure as PNG bytes (then closed, so the notebook does not also show it).

    ``tight`` crops the image to what is drawn; it costs a second drawing of the figure, so a
    figure redrawn as a student types is better laid out once (``fig.subplots_adjust``) and saved
    with ``tight=False``.

    Example:
        >>> png = figure_png(cu.plot_curves({"loss": [3, 2, 1]}))
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight" if tight else None)
    plt.close(fig)
    return buffer.getvalue()


def switcher(figures: Mapping[str, Figure], *, description: str = "") -> widgets.VBox:
    """Buttons that switch between figures drawn in advance: nothing is recomputed on a click.

    Each figure is rendered to an image once; a click only swaps the image shown, so the
    response is instant in JupyterLab and Colab alike. Display the returned widget (make it the
    last expression of a cell). Without a live kernel (a static page) the first figure shows.

    Example:
        >>> cu.widgets.switcher({"perplexity 5": fig_5, "perplexity 30": fig_30}, description="perplexity")
    """
    if not isinstance(figures, Mapping) or not figures:
        raise ValueError("figures must be a non-empty mapping from button labels to matplotlib figures")
    for label, fig in figures.items():
        if not isinstance(fig, Figure):
            raise TypeError(f"figures[{label!r}] must be a matplotlib Figure, got {type(fig).__name__}")
    images = {str(label): figure_png(fig) for label, fig in figures.items()}
    labels = list(images)
    buttons = widgets.ToggleButtons(options=labels, value=labels[0], description=description)
    picture = widgets.Image(value=images[labels[0]], format="png")
    buttons.observe(lambda change: setattr(picture, "value", images[change["new"]]), names="value")
    return widgets.VBox([buttons, picture])


def image_png(image: np.ndarray, *, scale: int = 6) -> bytes:
    """One greyscale image with values in [0, 1] as PNG bytes: dark ink on white, as
    :func:`~course_utils.plots.show_images` draws it, each pixel enlarged to ``scale`` x ``scale``.

    About a millisecond for a 28 x 28 image, against tens of milliseconds for a matplotlib figure:
    what a picture redrawn on every slider move needs.

    Example:
        >>> png = image_png(data.x_test[0], scale=8)   # a 224 x 224 PNG
    """
    array = np.squeeze(np.asarray(image, dtype=np.float32))
    if array.ndim == 1 and round(array.size**0.5) ** 2 == array.size:
        side = round(array.size**0.5)
        array = array.reshape(side, side)
    if array.ndim != 2:
        raise ValueError(f"image must be one greyscale image, shape (height, width) or (784,); got {array.shape}")
    if not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a positive whole number, got {scale!r}")
    ink = np.round(255 * (1 - np.clip(np.nan_to_num(array), 0, 1))).astype(np.uint8)
    picture = Image.fromarray(ink).resize((array.shape[1] * scale, array.shape[0] * scale), Image.NEAREST)
    buffer = io.BytesIO()
    picture.save(buffer, format="png")
    return buffer.getvalue()


class LatentSliders(widgets.VBox):
    """One slider per latent dimension; each move decodes the code and redraws the picture in place.

    ``decode`` maps one code, an array of shape ``(n_dims,)``, to one image (shape ``(28, 28)``,
    ``(1, 28, 28)`` or ``(784,)``, values in [0, 1]). The picture is a single image widget whose
    content is replaced on each move, so nothing stacks up below the cell. "Reset" puts every
    slider back to ``start`` (the prior's centre, zeros, by default); "Random code" draws each
    value from N(0, 1), clipped to the sliders' range. Display the panel by making it the last
    expression of a cell.

    Attributes:
        sliders: the sliders, one per dimension, in order.
        picture: the image widget showing the decoded code.

    Example:
        >>> panel = LatentSliders(lambda z: decoder(z[None], training=False)[0], n_dims=8)
        >>> panel.sliders[3].value = 2.0   # what moving the fourth slider does: one decode, one redraw
        >>> panel.codes
        array([0., 0., 0., 2., 0., 0., 0., 0.], dtype=float32)
    """

    def __init__(
        self,
        decode: Callable[[np.ndarray], np.ndarray],
        n_dims: int,
        *,
        labels: Sequence[str] | None = None,
        start: np.ndarray | None = None,
        limit: float = 3.0,
        step: float = 0.05,
        scale: int = 8,
        seed: int = 0,
    ) -> None:
        if not callable(decode):
            raise TypeError("decode must be a function from one code (an array of shape (n_dims,)) to one image")
        if not isinstance(n_dims, (int, np.integer)) or isinstance(n_dims, bool) or n_dims < 1:
            raise ValueError(f"n_dims must be a positive whole number, got {n_dims!r}")
        if not limit > 0 or not 0 < step < limit:
            raise ValueError(f"need limit > 0 and 0 < step < limit; got limit={limit!r}, step={step!r}")
        labels = [f"z{i}" for i in range(n_dims)] if labels is None else [str(label) for label in labels]
        if len(labels) != n_dims:
            raise ValueError(f"labels must have one entry per dimension: {len(labels)} labels for {n_dims} dimensions")
        start = np.zeros(n_dims, np.float32) if start is None else np.asarray(start, np.float32)
        if start.shape != (n_dims,):
            raise ValueError(f"start must be one code of shape ({n_dims},), got {start.shape}")
        self._decode, self._scale, self._limit = decode, scale, float(limit)
        self._start = np.clip(start, -limit, limit)
        self._rng = np.random.default_rng(seed)
        self._holding = False
        self.sliders = [
            widgets.FloatSlider(value=float(v), min=-limit, max=limit, step=step, description=label,
                                continuous_update=True, readout_format=".2f")
            for v, label in zip(self._start, labels)
        ]  # fmt: skip
        self.picture = widgets.Image(value=self._render(), format="png")
        reset = widgets.Button(description="Reset", icon="undo", tooltip="every slider back to its start")
        randomise = widgets.Button(description="Random code", icon="random", tooltip="draw a code from N(0, I)")
        reset.on_click(lambda _: self.set_codes(self._start))
        randomise.on_click(lambda _: self.set_codes(self._rng.standard_normal(n_dims)))
        for slider in self.sliders:
            slider.observe(self._on_move, names="value")
        super().__init__([widgets.HBox([widgets.VBox(self.sliders), widgets.VBox([self.picture,
                                                                                 widgets.HBox([reset, randomise])])])])

    @property
    def codes(self) -> np.ndarray:
        """The code the sliders show now, shape ``(n_dims,)``.

        Example:
            >>> panel.codes.round(2)
            array([ 0.  , -1.25,  0.  ,  0.5 ], dtype=float32)
        """
        return np.array([slider.value for slider in self.sliders], dtype=np.float32)

    def set_codes(self, codes: np.ndarray) -> None:
        """Move every slider at once (values clipped to the range), then decode and redraw once.

        Example:
            >>> panel.set_codes(encoder_mean[0])   # start from a test image's code
        """
        codes = np.asarray(codes, dtype=np.float32)
        if codes.shape != (len(self.sliders),):
            raise ValueError(f"codes must have shape ({len(self.sliders)},), got {codes.shape}")
        self._holding = True
        try:
            for slider, value in zip(self.sliders, np.clip(codes, -self._limit, self._limit)):
                slider.value = float(value)
        finally:
            self._holding = False
        self.redraw()

    def redraw(self) -> None:
        """Decode the current code and replace the picture's content.

        Example:
            >>> panel.redraw()
        """
        self.picture.value = self._render()

    def _on_move(self, _change: object) -> None:
        if not self._holding:
            self.redraw()

    def _render(self) -> bytes:
        return image_png(self._decode(self.codes), scale=self._scale)


def text_html(text: str, *, prompt: str = "") -> str:
    """Text as HTML to show as text: monospace, wrapped, escaped, with the prompt (if any) in bold.

    Example:
        >>> text_html("a king", prompt="ROMEO:\n")
        "<pre style='white-space: pre-wrap; margin: 0.3em 0'><b>ROMEO:\n</b>a king</pre>"
    """
    if not isinstance(text, str) or not isinstance(prompt, str):
        raise TypeError("text and prompt must be strings")
    bold = f"<b>{html.escape(prompt)}</b>" if prompt else ""
    return f"<pre style='white-space: pre-wrap; margin: 0.3em 0'>{bold}{html.escape(text)}</pre>"


class TextBox(widgets.VBox):
    """A text box and its answer, redrawn in place as the student types (no button, no re-run).

    ``respond`` maps the text typed to the answer to show: plain text (shown in monospace), or a
    pair ``(text, figure)`` to show a matplotlib figure under the text (rendered once per answer
    as it is laid out, without cropping, which would draw it twice; then closed). An answer that
    raises ``ValueError`` or ``KeyError`` shows its message instead (a word not in the vocabulary,
    a half-typed question), so the box never goes silent; the last figure stays. Display the
    panel by making it the last expression of a cell.

    Attributes:
        box: the text box.
        answer: the HTML widget that shows the answer.
        picture: the image widget that shows the answer's figure (empty for text-only answers).

    Example:
        >>> panel = TextBox(lambda word: ", ".join(neighbours(word)), value="king", description="word")
        >>> panel.box.value = "queen"   # what typing does: one call to respond, one redraw
        >>> panel.text
        'prince, duke, lady, ...'
        >>> TextBox(lambda date: (translate(date), attention_map(date)), value="22.4.2019")
    """

    def __init__(
        self,
        respond: Callable[[str], str | tuple[str, Figure]],
        *,
        value: str = "",
        description: str = "",
        placeholder: str = "",
    ) -> None:
        if not callable(respond):
            raise TypeError("respond must be a function from the text typed to the answer to show (a string)")
        self._respond = respond
        self.box = widgets.Text(value=str(value), description=description, placeholder=placeholder,
                                continuous_update=True, layout=widgets.Layout(width="32em"))  # fmt: skip
        self.answer = widgets.HTML()
        self.picture = widgets.Image(format="png", layout=widgets.Layout(display="none"))  # shown with a figure
        self.text = ""
        self.box.observe(lambda change: self.redraw(), names="value")
        self.redraw()
        super().__init__([self.box, self.answer, self.picture])

    def redraw(self) -> None:
        """Answer the text in the box now and show the answer.

        Example:
            >>> panel.redraw()
        """
        try:
            answer = self._respond(self.box.value)
        except (ValueError, KeyError) as err:
            answer = str(err.args[0]) if err.args else type(err).__name__
        figure = None
        if isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[1], Figure):
            answer, figure = answer
        if not isinstance(answer, str):
            raise TypeError(f"respond must return a string or (string, matplotlib Figure), got {type(answer).__name__}")
        self.text = answer
        self.answer.value = text_html(answer)
        if figure is not None:
            self.picture.value = figure_png(figure, tight=False)
            self.picture.layout.display = None


def shown_token(token: str) -> str:
    """A token as it can be read on a bar chart's axis: a space as "␣", a line break as "⏎".

    Example:
        >>> [shown_token(c) for c in ["a", " ", "\\n"]]
        ['a', '␣', '⏎']
    """
    return {" ": "␣", "\n": "⏎", "\t": "⇥"}.get(token, token)


def distribution_svg(
    probs: np.ndarray, tokens: Sequence[str], *, kept: np.ndarray | None = None, width: int = 720, height: int = 220
) -> str:
    """A bar chart of a next-token distribution as an SVG string (a millisecond, where a matplotlib
    figure takes tens): one bar per token in the order given, its label below, the y axis 0 to 1.
    Bars outside ``kept`` (a boolean mask) are drawn grey.

    Example:
        >>> svg = distribution_svg(np.array([0.7, 0.2, 0.1]), ["e", " ", "a"])
        >>> svg.startswith("<svg")
        True
    """
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 1 or len(probs) != len(tokens):
        raise ValueError(f"probs must be one distribution, one value per token: {probs.shape}, {len(tokens)} tokens")
    kept = np.ones(len(probs), bool) if kept is None else np.asarray(kept, bool)
    left, bottom, top = 34, 22, 8
    plot_w, plot_h = width - left - 6, height - bottom - top
    slot = plot_w / len(probs)
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
             "font-family='monospace' font-size='11'>"]  # fmt: skip
    for tick in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - tick)
        parts.append(f"<line x1='{left}' x2='{width - 6}' y1='{y:.1f}' y2='{y:.1f}' stroke='#ddd'/>"
                     f"<text x='{left - 4}' y='{y + 4:.1f}' text-anchor='end'>{tick:.1f}</text>")  # fmt: skip
    for i, (p, token, keep) in enumerate(zip(probs, tokens, kept)):
        x, bar = left + i * slot, plot_h * float(np.clip(p, 0, 1))
        colour = "#1f77b4" if keep else "#bbbbbb"
        parts.append(f"<rect x='{x + 0.1 * slot:.1f}' y='{top + plot_h - bar:.1f}' width='{0.8 * slot:.1f}' "
                     f"height='{bar:.1f}' fill='{colour}'/><text x='{x + slot / 2:.1f}' y='{height - 8}' "
                     f"text-anchor='middle'>{html.escape(shown_token(token))}</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


class TemperatureSlider(widgets.VBox):
    """A temperature slider over a next-token distribution: each move redraws, in place, the bar
    chart of ``softmax(logits / T)`` and a sample generated at that temperature.

    ``logits`` are the model's scores for the token after the prompt; the bars are drawn in
    decreasing order of probability, which no temperature changes, so a bar keeps its place as
    it grows or shrinks. ``sample`` maps a temperature on the slider's grid to a text generated
    at it: generate them all beforehand (one batched run) and pass a dictionary's ``__getitem__``,
    so a move only looks one up. The chart is an SVG inside an HTML widget: core ipywidgets only
    (7 and 8), and a redraw costs about a millisecond. Display the panel as a cell's last
    expression; without a live kernel, show a static figure of a few temperatures beside it.

    Attributes:
        slider: the temperature slider.
        chart: the HTML widget holding the bar chart.
        text: the HTML widget holding the prompt and the sample.

    Example:
        >>> panel = TemperatureSlider(logits, vocab.tokens, samples.__getitem__, prompt="ROMEO:\\n")
        >>> panel.slider.value = 1.5   # what moving the slider does: one softmax, one redraw
        >>> panel.probs.max().round(2)
        0.31
    """

    def __init__(
        self,
        logits: np.ndarray,
        tokens: Sequence[str],
        sample: Callable[[float], str],
        *,
        prompt: str = "",
        temperatures: Sequence[float] = tuple(np.round(np.arange(0.1, 2.01, 0.1), 2)),
        value: float = 1.0,
        n_bars: int | None = None,
    ) -> None:
        from course_utils.decoding import softmax_with_temperature

        logits = np.asarray(logits, dtype=float)
        if logits.ndim != 1 or len(logits) != len(tokens):
            raise ValueError(f"logits must be one row of scores, one per token: {logits.shape}, {len(tokens)} tokens")
        if not callable(sample):
            raise TypeError("sample must be a function from a temperature to a generated text")
        grid = [float(t) for t in temperatures]
        if not grid or min(grid) <= 0 or grid != sorted(grid):
            raise ValueError(f"temperatures must be positive and increasing, got {temperatures!r}")
        if value not in grid:
            raise ValueError(f"value {value!r} must be one of the temperatures {grid}")
        self._softmax, self._sample, self._prompt = softmax_with_temperature, sample, prompt
        order = np.argsort(-logits, kind="stable")[: n_bars or len(logits)]
        self._logits, self._order = logits, order
        self._tokens = [tokens[i] for i in order]
        self.probs = np.zeros(len(logits))
        self.slider = widgets.SelectionSlider(options=grid, value=float(value), description="temperature",
                                              continuous_update=True, layout=widgets.Layout(width="40em"))  # fmt: skip
        self.chart, self.text = widgets.HTML(), widgets.HTML()
        self.slider.observe(lambda change: self.redraw(), names="value")
        self.redraw()
        super().__init__([self.slider, self.chart, self.text])

    def redraw(self) -> None:
        """Recompute the distribution at the slider's temperature, redraw the chart and the sample.

        Example:
            >>> panel.redraw()
        """
        temperature = float(self.slider.value)
        self.probs = self._softmax(self._logits, temperature)
        self.chart.value = distribution_svg(self.probs[self._order], self._tokens)
        generated = self._sample(temperature)
        self.text.value = text_html(generated, prompt=self._prompt)


def _checked_maps(maps: object) -> dict[str, tuple[np.ndarray, list[str], list[str]]]:
    """The maps ``respond`` returned, as arrays and token lists; or a ValueError naming what is wrong."""
    form = "a non-empty mapping from a kind of attention to (weights, inputs, outputs)"
    if not isinstance(maps, Mapping) or not maps:
        raise ValueError(f"respond must return (caption, maps) with maps {form}, got {type(maps).__name__}")
    checked = {}
    for kind, entry in maps.items():
        if not isinstance(entry, (tuple, list)) or len(entry) != 3:
            raise ValueError(f"maps[{kind!r}] must be a tuple (weights, inputs, outputs)")
        weights, inputs, outputs = np.asarray(entry[0], dtype=float), list(entry[1]), list(entry[2])
        if weights.ndim != 4 or 0 in weights.shape[:2]:
            raise ValueError(f"maps[{kind!r}]: weights must be 4-D (layers, heads, rows, cols) with at least one "
                             f"layer and one head, got shape {weights.shape}")  # fmt: skip
        if not inputs or not outputs:
            raise ValueError(f"maps[{kind!r}]: inputs and outputs must each hold at least one token")
        if weights.shape[2] < len(outputs) or weights.shape[3] < len(inputs):
            raise ValueError(f"maps[{kind!r}]: weights {weights.shape} have fewer rows x cols than outputs x inputs "
                             f"({len(outputs)} x {len(inputs)})")  # fmt: skip
        checked[str(kind)] = (weights, [str(t) for t in inputs], [str(t) for t in outputs])
    return checked


class AttentionExplorer(widgets.VBox):
    """A text box over the attention maps of what is typed: choose the kind of attention, the layer
    and one head or all of them; the picture is redrawn in place.

    ``respond`` maps the text typed to ``(caption, maps)``: the caption (e.g. the model's output)
    is shown as text; ``maps`` maps each kind of attention ("encoder self-attention",
    "cross-attention", ...; or just "causal self-attention") to ``(weights, inputs, outputs)``,
    ``weights`` of shape ``(layers, heads, rows, cols)`` and the tokens labelling the columns
    (``inputs``) and the rows (``outputs``); rows and columns past them (padding) are cut off.
    Typing calls ``respond`` once and keeps its maps; choosing a kind, layer or head only redraws
    from the kept maps. One head is drawn by :func:`~course_utils.seqplots.plot_attention` (as one
    panel of :func:`~course_utils.seqplots.plot_attention_heads` past 48 tokens), "all heads" by
    :func:`~course_utils.seqplots.plot_attention_heads` (at most 10 inches wide). A text
    for which ``respond`` raises ``ValueError`` or ``KeyError`` shows its message instead, and the
    last picture stays. Display the panel by making it the last expression of a cell; without a
    live kernel, show ``panel.figure()`` as well.

    Attributes:
        box: the text box.
        kind, layer, head: the selectors (kind of attention, "layer 1", ..., "all heads", "head 1", ...).
        caption: the HTML widget that shows the caption (or the message).
        picture: the image widget that shows the maps.
        text: the caption (or message) shown now.
        maps: the maps of the last text answered, as arrays and token lists.
        calls: how many times ``respond`` has been called.

    Example:
        >>> def respond(text):
        ...     source = cu.encode_texts([text], source_vocab, length=40)
        ...     output, weights = translate_with_weights(source)   # weights: name -> (layers, heads, rows, cols)
        ...     tokens_in, tokens_out = list(text), list(output) + ["<end>"]
        ...     return output, {"encoder self-attention": (weights["encoder"], tokens_in, tokens_in),
        ...                     "cross-attention": (weights["cross"], tokens_in, tokens_out)}
        >>> panel = AttentionExplorer(respond, value="3 May 2021", description="date")
        >>> panel.head.value = "head 2"   # what a click does: one redraw, no call to respond
        >>> panel.calls
        1
    """

    MAX_WIDTH = 10.0  # inches: the widest an "all heads" figure is made
    MAX_TOKENS = 48  # one head of longer sequences is drawn in a smaller panel, its labels thinned out

    def __init__(
        self,
        respond: Callable[[str], tuple[str, Mapping[str, tuple[Any, Sequence[str], Sequence[str]]]]],
        *,
        value: str = "",
        description: str = "text",
        placeholder: str = "",
    ) -> None:
        if not callable(respond):
            raise TypeError("respond must be a function from the text typed to (caption, maps)")
        self._respond = respond
        self._holding = False
        self.text, self.maps, self.calls = "", {}, 0
        wide = {"description_width": "initial"}
        self.box = widgets.Text(value=str(value), description=description, placeholder=placeholder,
                                continuous_update=True, layout=widgets.Layout(width="32em"))  # fmt: skip
        self.kind = widgets.Dropdown(options=[], description="attention", style=wide)
        self.layer = widgets.Dropdown(options=[], description="layer", style=wide,
                                      layout=widgets.Layout(width="10em"))  # fmt: skip
        self.head = widgets.ToggleButtons(options=["all heads"], description="head",
                                          style={**wide, "button_width": "6em"})  # fmt: skip
        self.caption = widgets.HTML()
        self.picture = widgets.Image(format="png", layout=widgets.Layout(display="none", max_width="100%"))
        self.box.observe(lambda change: self._answer(), names="value")
        self.kind.observe(lambda change: self._select(kind_changed=True), names="value")
        self.layer.observe(lambda change: self._select(), names="value")
        self.head.observe(lambda change: self._select(), names="value")
        self._answer()
        super().__init__([self.box, widgets.HBox([self.kind, self.layer]), self.head, self.caption, self.picture])

    def _answer(self) -> None:
        """Call respond on the text in the box, keep its maps, show its caption and the chosen maps."""
        self.calls += 1
        try:
            answer = self._respond(self.box.value)
        except (ValueError, KeyError) as err:
            self.text = str(err.args[0]) if err.args else type(err).__name__
            self.caption.value = text_html(self.text)
            return
        if not isinstance(answer, tuple) or len(answer) != 2 or not isinstance(answer[0], str):
            raise TypeError(f"respond must return (caption, maps) with a string caption, got {type(answer).__name__}")
        maps = _checked_maps(answer[1])
        self.text, self.maps = answer[0], maps
        self.caption.value = text_html(self.text)
        self._holding = True
        try:
            kinds = list(maps)
            if list(self.kind.options) != kinds:
                kept = self.kind.value
                self.kind.options = kinds
                self.kind.value = kept if kept in kinds else kinds[0]
            self._update_choices()
        finally:
            self._holding = False
        self.redraw()

    def _update_choices(self) -> None:
        """Layer and head options for the chosen kind, keeping the chosen layer and head where they still exist."""
        weights = self.maps[self.kind.value][0]
        for selector, options in ((self.layer, [f"layer {i + 1}" for i in range(weights.shape[0])]),
                                  (self.head, ["all heads"] + [f"head {i + 1}" for i in range(weights.shape[1])])):
            if list(selector.options) != options:
                kept = selector.value
                selector.options = options
                selector.value = kept if kept in options else options[0]

    def _select(self, *, kind_changed: bool = False) -> None:
        if self._holding or not self.maps:
            return
        if kind_changed:
            self._holding = True
            try:
                self._update_choices()
            finally:
                self._holding = False
        self.redraw()

    def figure(self) -> Figure:
        """The matplotlib figure of the chosen kind, layer and head(s), left open (to show it without a kernel).

        Example:
            >>> fig = panel.figure()   # the picture the panel shows, as a figure
        """
        if not self.maps:
            raise ValueError(f"no maps to draw yet: respond has not answered a text ({self.text!r})")
        from course_utils.seqplots import plot_attention, plot_attention_heads

        kind = self.kind.value
        weights, inputs, outputs = self.maps[kind]
        layer, head = self.layer.index, self.head.index - 1  # head -1: all heads
        if head < 0:
            return plot_attention_heads(weights[layer], inputs, outputs, title=f"{kind}, layer {layer + 1}",
                                        max_width=self.MAX_WIDTH)  # fmt: skip
        title = f"{kind}, layer {layer + 1}, head {head + 1}"
        if max(len(inputs), len(outputs)) > self.MAX_TOKENS:  # plot_attention's own figure would be too big to redraw
            return plot_attention_heads(weights[layer, head][None], inputs, outputs, titles=[title])
        return plot_attention(weights[layer, head], inputs, outputs, title=title)

    def redraw(self) -> None:
        """Draw the chosen maps again (from the kept maps: respond is not called) and show them.

        Example:
            >>> panel.redraw()
        """
        if self.maps:
            self.picture.value = figure_png(self.figure(), tight=False)
            self.picture.layout.display = None
