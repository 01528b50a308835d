# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 11 · Attention: letting the decoder look back at the source
#
# Notebook 10's translator squeezed the whole source into one vector, the encoder's final state,
# and the decoder had only that to go on. **Attention** keeps every encoder state and lets the
# decoder choose, at each output step, which source characters to read. We measure what the
# single vector costs, add attention to the same translator (Bahdanau's additive score, then
# Luong's dot product), draw what it looks at, and then *measure* whether it looks at the right
# place. The second half takes attention apart: the scaled dot-product form that transformers use,
# several heads at once (checked against Keras's own layer), and the masks that hide padding and
# the future.
#
# **Learning goals**
# - Explain the bottleneck of a single thought vector, and see it in numbers.
# - Write an attention step: scores, a softmax over source positions, a context vector.
# - Add additive and dot-product attention to an encoder-decoder, and read attention maps.
# - Measure alignment against where each field really is, rather than trusting the pictures.
# - Write scaled dot-product and multi-head attention from scratch, and say why we divide by
#   $\sqrt{d}$.
# - Build padding and causal masks, and check what they guarantee.

# %%
# Setup: import the course's helper package; in Colab, install it first.
try:
    import course_utils as cu
except ModuleNotFoundError:
    import subprocess
    import sys

    COURSE_PACKAGE = "git+https://github.com/deep-representations/course"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", COURSE_PACKAGE], check=True)
    import course_utils as cu

cu.setup()

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers

# %% [markdown]
# ## The task and the data, from notebook 10
#
# The same task: a date written by people ("the twenty-second of April, 2019", "22.4.2019") to
# its ISO form ("2019-04-22"). `course_utils` keeps notebook 10's pieces: the date writer, the
# splits that share no source, the vocabularies and the encoder. Each pair also knows **where
# each field lies** in its source; we will need that to check attention.

# %%
SEED = cu.config.default_seed()
source_vocab, target_vocab = cu.date_vocabularies()
START_ID, END_ID = target_vocab.index("<start>"), target_vocab.index("<end>")
TARGET_LENGTH = 11  # "YYYY-MM-DD" and <end>


def make_data(n_pairs):
    """Train, validation and test pairs, and their encoded arrays (sources, previous, targets)."""
    return cu.dates.translation_data(n_pairs, seed=SEED, source_length=40)


pair = cu.write_date("2019-04-22", "ordinal_words")
print(pair.source, "->", pair.target)
for field, (start, end) in pair.source_spans.items():
    print(f"  {field:6} is source characters {start:2}-{end - 1:2}: {pair.source[start:end]!r}")

# %% [markdown]
# ## The bottleneck, measured
#
# We train notebook 10's translator (`cu.seq2seq.build_translator`, a 128-unit GRU encoder whose
# final state $c$ is all the decoder gets) on a small budget: 6,400 training pairs, 4 epochs.
# The comparison later in this notebook gives the attention model exactly the same budget, in
# both modes.
#
# If $c$ is a bottleneck, which source characters should suffer? The encoder reads left to
# right; what it read *last* is fresh in $c$, what it read early must survive every step after
# it. So we score each field (year, month, day) of each test date on its own, and sort the fields
# by **how many source characters come after them**: 0 for the year of "22 April 2019", 11 for
# its day.

# %%
COMPARE_PAIRS, COMPARE_EPOCHS = 8_000, 4  # the comparison's budget: the same in both modes
LEARNING_RATE, BATCH = 1e-2, 64
(small_train, _, small_test), (small_train_arrays, small_val_arrays, small_test_arrays) = make_data(COMPARE_PAIRS)


def trainer(train_arrays, val_arrays, epochs):
    """A training function for cu.train_or_load: Adam at 1e-2 held, then cut x0.3 in each of the last 2 epochs."""

    def train(model):
        model.compile(keras.optimizers.Adam(LEARNING_RATE, clipnorm=1.0),
                      keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        schedule = keras.callbacks.LearningRateScheduler(
            lambda epoch, rate: LEARNING_RATE * 0.3 ** max(0, epoch - (epochs - 3)))
        history = model.fit(cu.seq2seq.length_batches(*train_arrays, batch=BATCH, seed=SEED), epochs=epochs,
                            validation_data=(list(val_arrays[:2]), val_arrays[2]), verbose=0,
                            callbacks=[cu.ProgressCallback(), schedule])
        return history.history

    return train


def translate(halves, sources):
    """Greedy translations (strings) of encoded sources, through a model's compiled start and step."""
    start, step = halves
    ids, _ = cu.decoding.greedy_decode(step, start(sources), start_id=START_ID, end_id=END_ID,
                                       max_length=TARGET_LENGTH)
    return cu.decode_texts(ids, target_vocab)


compare_config = {"pairs": COMPARE_PAIRS, "epochs": COMPARE_EPOCHS, "batch": BATCH, "lr": LEARNING_RATE}
plain_run = cu.train_or_load(
    "dates-no-attention", lambda: cu.seq2seq.build_translator(len(source_vocab), len(target_vocab)),
    trainer(small_train_arrays, small_val_arrays, COMPARE_EPOCHS), compare_config)
plain_out = translate(cu.seq2seq.translator_halves(plain_run.model), small_test_arrays[0])
plain_exact = np.mean([o == p.target for o, p in zip(plain_out, small_test)])
cu.report("exact match without attention, small budget", plain_exact);

# %%
DISTANCES = [(0, 0, "0 (at the end)"), (1, 5, "1-5"), (6, 11, "6-11"), (12, 99, "12 or more")]


def field_accuracy_by_distance(outputs, pairs):
    """Share of fields (year, month, day) written right, by how many source characters follow the field."""
    rows = [(len(p.source) - p.source_spans[field][1], out[a:b] == p.target[a:b])
            for out, p in zip(outputs, pairs) for field, (a, b) in cu.dates.TARGET_SPANS.items()]  # fmt: skip
    after, right = np.array(rows).T
    return {label: float(right[(after >= low) & (after <= high)].mean()) for low, high, label in DISTANCES}


plain_by_distance = field_accuracy_by_distance(plain_out, small_test)
plt.figure(figsize=(6, 3.2))
plt.bar(list(plain_by_distance), list(plain_by_distance.values()), color="#7f7f7f")
plt.ylim(0, 1.05)
plt.xlabel("source characters after the field")
plt.ylabel("fields written right")
plt.title("without attention: what the encoder read early is lost most")
plt.show()

# %%
# Check: without attention, fields read long before the end of the source are written right less often.
near, far = plain_by_distance["0 (at the end)"], plain_by_distance["12 or more"]
cu.check_above(near - far, 0.15, "fields right at the end of the source minus those 12+ characters before it",
               hint="The single thought vector should favour what the encoder read last.");

# %% [markdown]
# A field at the very end of the source is right most of the time; one that ends twelve or more
# characters before the end (the day of "Sunday 22 September 2019" or "the twenty-first of March,
# 2019") much
# less often. Given more time this model learns them all (notebook 10: every test date in full
# mode): dates are short and a date is a few bits, so 128 numbers are room enough. What the
# single vector costs on this task is the **path**: a field read early must be carried through
# every later step of the encoder, and the gradient that teaches it must travel back the same
# way. On long sentences the vector also runs out of room: Bahdanau et al. (2015) show a plain
# encoder-decoder's translation quality falling steadily with sentence length.

# %% [markdown]
# ## Attention: a weighted look at every source position
#
# Keep *all* the encoder states $h_1 \dots h_n$, one per source character. At output step $t$
# the decoder, in state $s_t$, gives every source position a **score** $e_{tj}$; a softmax turns
# the scores into **weights** that are positive and sum to one; the **context vector** is the
# weighted average of the encoder states:
#
# $$\alpha_{tj} = \frac{\exp(e_{tj})}{\sum_{k=1}^{n} \exp(e_{tk})}, \qquad
# \text{context}_t = \sum_{j=1}^{n} \alpha_{tj}\, h_j .$$
#
# The decoder then predicts from $s_t$ *and* the context: $p(y_t \mid \dots) =
# \mathrm{softmax}\big(W_o \tanh(W_c [s_t; \text{context}_t])\big)$. Two ways to score:
#
# - **Additive** (Bahdanau et al., 2015): a one-hidden-layer network,
#   $e_{tj} = v^\top \tanh(W_1 s_t + W_2 h_j)$.
# - **Dot product** (Luong et al., 2015, "general"): $e_{tj} = (W s_t)^\top h_j$, one matrix
#   product for all positions at once.
#
# Padding is not a position: its weight must be zero, so its score is set to $-\infty$ before the
# softmax. Here is one step written out in NumPy, for a source of four characters and one of them
# padding:

# %%
rng = np.random.default_rng(0)
d = 3
h = rng.normal(size=(4, d))  # encoder states h_1..h_4
s = rng.normal(size=d)  # the decoder's state s_t
W1, W2, v = rng.normal(size=(d, d)), rng.normal(size=(d, d)), rng.normal(size=d)
real = np.array([True, True, True, False])  # the last position is padding


def softmax(x, axis=-1):
    x = x - x.max(axis=axis, keepdims=True)
    return np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True)


scores = np.tanh(s @ W1 + h @ W2) @ v  # e_tj for j = 1..4
scores = np.where(real, scores, -np.inf)  # padding: weight exp(-inf) = 0
weights = softmax(scores)
context = weights @ h
print("scores ", np.round(scores, 3))
print("weights", np.round(weights, 3), "sum", weights.sum())
print("context", np.round(context, 3))

# %% [markdown]
# Keras has both scores as layers: `AdditiveAttention` (it adds query and key and applies
# $v^\top\tanh$; the projections $W_1$, $W_2$ are ours, as `Dense` layers) and `Attention` (the
# dot product). Given the same numbers, the layer gives the same weights:

# %%
layer = layers.AdditiveAttention()
inputs = [(s @ W1)[None, None], h[None], (h @ W2)[None]]  # query, values, keys (with batch and query axes)
layer(inputs, mask=[None, real[None]])  # the first call builds the layer
layer.set_weights([v])  # Keras calls v its "scale"
keras_context, keras_weights = layer(inputs, mask=[None, real[None]], return_attention_scores=True)

# %%
# Check: our step and Keras's AdditiveAttention give the same weights and context; padding gets weight 0.
cu.check_below(float(np.abs(np.asarray(keras_weights)[0, 0] - weights).max()), 1e-6,
               "the largest difference between our weights and Keras's")
cu.check_below(float(np.abs(np.asarray(keras_context)[0, 0] - context).max()), 1e-6,
               "the largest difference between our context vector and Keras's")
cu.check_equal(float(weights[~real].max()), 0.0, "the weight of the padded position");

# %% [markdown]
# ## The translator with attention
#
# The encoder is now **bidirectional** (64 units each way): every $h_j$ then describes character
# $j$ with what comes before *and* after it, which is what a decoder looking at position $j$
# wants. The two directions' final states still start the decoder. We put attention *after* the
# decoder GRU, as Luong et al. do: the GRU's outputs over all steps are the queries, and training
# handles every step in one call, as in notebook 10. (Bahdanau et al. feed the context into the
# GRU's next step instead; that needs a step-by-step loop in training too.) Everything else is
# notebook 10's. The layers that decoding needs get names.

# %%
EMBED, UNITS = 32, 128


def build_attention_translator(score="additive", units=UNITS):
    source = keras.Input((None,), dtype="int32", name="source")
    previous = keras.Input((None,), dtype="int32", name="previous")  # the target shifted right
    x = layers.Embedding(len(source_vocab), EMBED, mask_zero=True)(source)
    states, forward, backward = layers.Bidirectional(  # h_1..h_n, and the final states
        layers.GRU(units // 2, return_sequences=True, return_state=True), name="encoder")(x)
    thought = layers.Concatenate(name="thought")([forward, backward])
    real = keras.ops.not_equal(source, 0)  # True at the real source characters, False at padding
    y = layers.Embedding(len(target_vocab), EMBED, name="target_embedding")(previous)
    s = layers.GRU(units, return_sequences=True, name="decoder_gru")(y, initial_state=thought)  # s_1..s_m
    query = layers.Dense(units, use_bias=False, name="query")(s)  # W1 s_t, or W s_t
    if score == "additive":  # v . tanh(W1 s_t + W2 h_j)
        keys = layers.Dense(units, use_bias=False, name="key")(states)  # W2 h_j
        context, _ = layers.AdditiveAttention(name="attention")([query, states, keys], mask=[None, real],
                                                                return_attention_scores=True)
    else:  # (W s_t) . h_j
        context, _ = layers.Attention(name="attention")([query, states], mask=[None, real],
                                                        return_attention_scores=True)
    combined = layers.Dense(units, activation="tanh", name="combine")(layers.Concatenate()([s, context]))
    logits = layers.Dense(len(target_vocab), name="next_char")(combined)
    return keras.Model([source, previous], logits)


build_attention_translator().summary(line_length=100)

# %% [markdown]
# For decoding, the model splits in two as in notebook 10: `start` runs the encoder once and
# keeps its states; `step` runs one decoder step, attention included. `course_utils` keeps this
# model and its halves (`cu.seq2seq.build_attention_translator`, `attention_halves`), and a model
# that returns the weights (`attention_weights`), for notebook 12; the check at the end of this
# notebook makes sure the copy is the same network.
#
# ## The same budget, with attention

# %%
additive_small = cu.train_or_load("dates-additive", build_attention_translator,
                                  trainer(small_train_arrays, small_val_arrays, COMPARE_EPOCHS), compare_config)
additive_small_out = translate(cu.seq2seq.attention_halves(additive_small.model), small_test_arrays[0])
additive_by_distance = field_accuracy_by_distance(additive_small_out, small_test)


def exact_by_length(outputs, pairs, edges=(8, 15, 20, 25, 30, 38)):
    """Exact match per band of source length: {band label: (share right, count)}."""
    lengths = np.array([len(p.source) for p in pairs])
    right = np.array([o == p.target for o, p in zip(outputs, pairs)])
    bands = {}
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (lengths >= low) & (lengths < high)
        bands[f"{low}-{high - 1}"] = (float(right[inside].mean()), int(inside.sum()))
    return bands


plain_by_length = exact_by_length(plain_out, small_test)
additive_by_length = exact_by_length(additive_small_out, small_test)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.6))
offsets = np.arange(len(DISTANCES))
ax1.bar(offsets - 0.2, list(plain_by_distance.values()), 0.4, label="no attention", color="#7f7f7f")
ax1.bar(offsets + 0.2, list(additive_by_distance.values()), 0.4, label="attention", color="#1f77b4")
ax1.set(xticks=offsets, xticklabels=[label for _, _, label in DISTANCES], ylim=(0, 1.05),
        xlabel="source characters after the field", ylabel="fields written right")
ax1.legend(loc="lower left")
bands = list(plain_by_length)
ax2.plot(bands, [plain_by_length[b][0] for b in bands], "o-", color="#7f7f7f", label="no attention")
ax2.plot(bands, [additive_by_length[b][0] for b in bands], "o-", color="#1f77b4", label="attention")
ax2.set(ylim=(0, 1.05), xlabel="source length (characters)", ylabel="dates exactly right")
ax2.legend(loc="lower left")
fig.suptitle(f"the same budget: {COMPARE_EPOCHS} epochs on {len(small_train):,} pairs")
plt.show()
print("test dates per length band:", {b: n for b, (_, n) in plain_by_length.items()})

# %%
# Check: at the same budget, attention writes far fields and the longest inputs right far more often.
longest = bands[-1]
cu.check_above(additive_by_distance["12 or more"] - plain_by_distance["12 or more"], 0.15,
               "fields 12+ characters before the end: attention's share right minus the plain model's")
cu.check_above(additive_by_length[longest][0] - plain_by_length[longest][0], 0.10,
               f"exact match on the longest sources ({longest} characters), attention minus no attention")
cu.check_above(min(additive_by_length[b][0] - plain_by_length[b][0] for b in bands), 0.0,
               "the smallest lead of attention over no attention, across the length bands");

# %% [markdown]
# With attention, where a field sits hardly matters: the decoder reads it where it is. The
# plain model is behind at every length. (Length is not all that makes a source hard: the longest
# ones, 30 characters and more, are all written in words, "the twenty-seventh of September,
# 2019".) The attention model has slightly fewer parameters; its epochs take longer, since every
# output step scores every source position:

# %%
additive_small_exact = np.mean([o == p.target for o, p in zip(additive_small_out, small_test)])
for name, run, exact in (("no attention", plain_run, plain_exact), ("attention", additive_small, additive_small_exact)):
    print(f"{name:13} {run.model.count_params():,} parameters, trained in {run.train_seconds:.0f} s, "
          f"exact match {exact:.1%}")

# %%
# Check: the attention model has fewer parameters, and its training took longer.
cu.check_below(additive_small.model.count_params() / plain_run.model.count_params(), 1.0,
               "the attention model's parameters relative to the plain model's")
cu.check_above(additive_small.train_seconds / plain_run.train_seconds, 1.0,
               "the attention model's training time relative to the plain model's (same budget)");

# %% [markdown]
# ## Training the attention translator
#
# Now the model this notebook studies, on the full data of this mode. (In fast mode this is the
# same budget as the comparison, so the model above is loaded from the cache.)

# %%
N_PAIRS, EPOCHS = cu.budget(fast=COMPARE_PAIRS, full=24_000), cu.budget(fast=COMPARE_EPOCHS, full=6)
(train_pairs, val_pairs, test_pairs), (train_arrays, val_arrays, test_arrays) = make_data(N_PAIRS)
x_test, prev_test, y_test = test_arrays
config = {"pairs": N_PAIRS, "epochs": EPOCHS, "batch": BATCH, "lr": LEARNING_RATE}
additive_run = cu.train_or_load("dates-additive", build_attention_translator,
                                trainer(train_arrays, val_arrays, EPOCHS), config)
additive = additive_run.model
additive_halves = cu.seq2seq.attention_halves(additive)
additive_out = translate(additive_halves, x_test)
additive_exact = cu.report("exact match with additive attention, test set",
                           np.mean([o == p.target for o, p in zip(additive_out, test_pairs)]))

# %%
# Check: the attention translator gets nearly every test date exactly right.
cu.check_above(additive_exact, cu.budget(fast=0.95, full=0.99), "exact match with additive attention (greedy)");

# %% [markdown]
# ## Attention maps
#
# A model that returns the weights instead of the logits (same layers, same weights) gives, for
# each output character, a distribution over the source characters: one row of an **attention
# map**. We feed it `<start>` and the model's own translation, so row $t$ is the step that wrote
# character $t$. One date per format:

# %%
weights_of = cu.seq2seq.attention_weights(additive)  # (sources, previous) -> (batch, output, source)


def attention_map(model_weights, halves, text, ax=None, title=None):
    """Translate one date and draw its attention map; returns the translation and the figure."""
    source = cu.encode_texts([text], source_vocab, length=40)  # fixed shapes: compiled once, never retraced
    output = translate(halves, source)[0]
    previous = cu.encode_texts([output], target_vocab, start=True, length=TARGET_LENGTH)
    weights = np.asarray(model_weights([source, previous]))[0]
    fig = cu.seqplots.plot_attention(weights, list(text), list(output) + ["<end>"], ax=ax,
                                     title=f"{title or repr(text)} -> {output}", colorbar=ax is None)
    return output, fig


examples = [cu.write_date("2019-04-22", name).source for name in cu.FORMAT_NAMES]
fig, axes = plt.subplots(3, 3, figsize=(15, 11))
for text, ax in zip(examples, axes.flat):
    attention_map(weights_of, additive_halves, text, ax=ax)
fig.tight_layout()
plt.show()

# %% [markdown]
# Read a map row by row: to write the month "04", the model looks at "April" (or "Apr", or "04");
# to write the "1" and "9" of the year, at "19". The order of the fields in the source does not matter: the bright
# cells jump to wherever the field is. "Apr 22 19" does not write the century at all: the model
# must infer it from the two digits it has (50-99 means 19.., 00-49 means 20..).
#
# Type a date in any of the formats (or your own variation) and see the translation and its map at
# once:

# %%
def respond(text):
    text = text.strip()
    if not text or len(text) > 40:
        raise ValueError("type a date of at most 40 characters, for example: Mon, 3 May 2021")
    output, fig = attention_map(weights_of, additive_halves, text)
    return f"{text.strip()!r} -> {output}", fig


cu.widgets.TextBox(respond, value="the third of May, 2021", description="date")

# %%
# Check: the box answers at once (timed on a second, undisplayed box, as if five dates were typed).
twin = cu.widgets.TextBox(respond, value="3 may 2021")
answer_seconds = []
for typed in ("Mon, 03 May 2021", "2021 May 3", "03/05/2021", "May 3rd, 2021", "the third of May, 2021"):
    started = time.perf_counter()
    twin.box.value = typed
    answer_seconds.append(time.perf_counter() - started)
    cu.check_equal(twin.text.startswith(f"{typed!r} -> "), True, f"the box answers {typed!r} with a translation")
cu.check_below(float(np.median(answer_seconds)), 0.5, "median seconds to translate, draw and show a typed date");

# %% [markdown]
# ## Alignment, measured
#
# Pictures persuade, and they can mislead: a few bright rows say nothing about the other
# thousand dates. Since every pair records where its fields are, we can **measure** alignment:
# for every output character that belongs to a field (the four year digits, the two of the month,
# the two of the day), does the source position with the largest weight fall inside that field's
# span in the source? We feed the true previous characters (teacher forcing), so output position
# $t$ is always the $t$-th character of the ISO date.

# %%
FIELD_POSITIONS = {t: field for field, (a, b) in cu.dates.TARGET_SPANS.items() for t in range(a, b)}  # 0-3, 5-6, 8-9


def aligned(weights, pairs):
    """(dates, 8) booleans: for each field character of "YYYY-MM-DD", is its strongest weight inside its field?"""
    hits = np.zeros((len(pairs), len(FIELD_POSITIONS)), dtype=bool)
    for i, (w, pair) in enumerate(zip(weights, pairs)):
        for k, (t, field) in enumerate(FIELD_POSITIONS.items()):
            low, high = pair.source_spans[field]
            hits[i, k] = low <= np.argmax(w[t]) < high
    return hits


def alignment(hits):
    """Alignment accuracy per field and overall."""
    fields = np.array(list(FIELD_POSITIONS.values()))
    shares = {field: float(hits[:, fields == field].mean()) for field in cu.dates.TARGET_SPANS}
    return {**shares, "overall": float(hits.mean())}


test_weights = np.asarray(weights_of([x_test, prev_test]))  # (dates, 11 output steps, 40 source positions)
additive_hits = aligned(test_weights, test_pairs)
additive_alignment = alignment(additive_hits)
print("additive attention, share of field characters aligned:",
      {field: f"{share:.1%}" for field, share in additive_alignment.items()})

# %%
# Check: the weights are a distribution over the real source characters, and they point at the right field.
padded = np.broadcast_to(x_test[:, None, :] == 0, test_weights.shape)
cu.check_equal(bool((test_weights >= 0).all()), True, "every attention weight is non-negative")
cu.check_below(float(np.abs(test_weights.sum(axis=-1) - 1).max()), 1e-5, "the largest |row sum - 1| of the weights")
cu.check_equal(float(test_weights[padded].max()), 0.0, "the largest weight on a padded position")
cu.check_above(additive_alignment["overall"], cu.budget(fast=0.85, full=0.90),
               "alignment accuracy: field characters whose strongest weight is inside the field");

# %% [markdown]
# Which output characters miss? Count the misses per character of the ISO date:

# %%
LAST_DIGITS = [2, 3, 6, 9]  # the year's last two digits, the month's and the day's last digit
misses = (~additive_hits).sum(axis=0)
labels = [f"{'YYYY-MM-DD'[t]}{t}" for t in FIELD_POSITIONS]
colours = ["#1f77b4" if t in LAST_DIGITS else "#d62728" for t in FIELD_POSITIONS]
plt.figure(figsize=(7, 3))
plt.bar(labels, misses, color=colours)
plt.xlabel("character of the ISO date (Y0 = first digit of the year; blue: last digits)")
plt.ylabel(f"misses (of {len(test_pairs):,} dates)")
plt.title(f"additive attention: {misses.sum():,} field characters attended outside their field")
plt.show()
is_last = np.isin(list(FIELD_POSITIONS), LAST_DIGITS)
last_digits = additive_hits[:, is_last].mean()
print(f"alignment on the last digits (blue): {last_digits:.1%}; on the others (red): "
      f"{additive_hits[:, ~is_last].mean():.1%}")

# %%
# Check: the characters that carry the date (the last digits) are read from their field; the misses are the others.
cu.check_above(last_digits, 0.97, "alignment on the year's last two digits and the month's and day's last digit")
cu.check_above(misses[~is_last].sum() / max(1, misses.sum()), 0.8,
               "the share of the misses that are century or tens digits (red)");

# %% [markdown]
# The misses are the characters that need nothing read: the **century** (Y0, Y1; "Apr 22 19" does
# not write it, and once the decoder has written "1" the "9" follows from its own state) and the
# **tens digits** of month and day (M5, D8; "3 May" has no "0" to look at). For those the weights
# wander. The characters that carry the date, the last digits, are read from their field almost
# every time. So a bright cell means "this is where the model looked", not "this is what the
# character depends on"; to know what it depends on, change the source and watch the output
# (exercise 5).

# %% [markdown]
# ## Dot-product (Luong) attention
#
# The same translator with the dot-product score $e_{tj} = (W s_t)^\top h_j$: no hidden layer and
# no $\tanh$, one matrix product for all source positions. Same data, same budget:

# %%
dot_run = cu.train_or_load("dates-dot", lambda: build_attention_translator("dot"),
                           trainer(train_arrays, val_arrays, EPOCHS), config)
dot_halves = cu.seq2seq.attention_halves(dot_run.model)
dot_weights_of = cu.seq2seq.attention_weights(dot_run.model)
dot_out = translate(dot_halves, x_test)
dot_exact = np.mean([o == p.target for o, p in zip(dot_out, test_pairs)])
dot_test_weights = np.asarray(dot_weights_of([x_test, prev_test]))
dot_alignment = alignment(aligned(dot_test_weights, test_pairs))
top = {name: float(w.max(axis=-1)[:, :10].mean()) for name, w in (("additive", test_weights),
                                                                   ("dot", dot_test_weights))}  # fmt: skip
print(f"{'score':9} {'params':>8} {'train s':>8} {'exact':>7} {'top weight':>11}   alignment: "
      + ", ".join(additive_alignment))
for name, run, exact, shares in (("additive", additive_run, additive_exact, additive_alignment),
                                 ("dot", dot_run, dot_exact, dot_alignment)):
    print(f"{name:9} {run.model.count_params():8,} {run.train_seconds:8.0f} {exact:7.1%} {top[name]:11.2f}   "
          + ", ".join(f"{share:.1%}" for share in shares.values()))

fig, axes = plt.subplots(1, 2, figsize=(13, 3.8))
for (name, weights, halves), ax in zip((("additive", weights_of, additive_halves),
                                        ("dot product", dot_weights_of, dot_halves)), axes):
    attention_map(weights, halves, "the twenty-second of April, 2019", ax=ax, title=name)
fig.tight_layout()
plt.show()

# %%
# Check: the dot-product model translates well too, and its weights are also distributions over the source.
cu.check_above(dot_exact, cu.budget(fast=0.90, full=0.99), "exact match with dot-product attention (greedy)")
cu.check_above(top["dot"] - top["additive"], 0.1, "the mean largest weight, dot product minus additive")
cu.check_below(float(np.abs(dot_test_weights.sum(axis=-1) - 1).max()), 1e-5, "the largest |row sum - 1|, dot product")
cu.check_equal(float(dot_test_weights[padded].max()), 0.0, "the largest weight on padding, dot product");

# %% [markdown]
# Both scores translate. The dot product's weights are much **sharper** ("top weight": the mean
# of each output character's largest weight): nearly all on one source character, where the
# additive score spreads them. An additive score is bounded ($|v^\top \tanh(\cdot)| \le
# \sum_i |v_i|$); a dot product grows with the length of its vectors, and a softmax of large
# scores is nearly one-hot. The next section measures that effect and its cure.
#
# Sharpness and alignment are different things. Which score aligns better changed from seed to
# seed in our runs, and field by field: the two models can read the same character from different
# places. A bidirectional state next to a field (at the separator before a month, say) has read
# the field too, so it is nearly as good a place to look, and a strict measure counts it a miss.
# Exercise 1 measures alignment with one character of slack.
#
# The dot product is also cheaper (no hidden layer over every query-key pair), and it is the form
# transformers use, scaled. That is next.

# %% [markdown]
# ## Scaled dot-product attention
#
# Transformers write attention with three matrices: **queries** $Q$ (one row per position that
# asks), **keys** $K$ and **values** $V$ (one row per position asked), all of width $d$:
#
# $$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d}}\right) V .$$
#
# Row $t$ of $QK^\top$ holds query $t$'s scores against every key; the softmax runs along each
# row; a mask sets forbidden scores to $-\infty$. Our translator's dot-product attention is this
# with $Q = S W^\top$ and $K = V = H$. In a few lines of NumPy:

# %%
def scaled_dot_product_attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d)) v over the last two axes; mask (True = may attend) broadcasts to the scores."""
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    return weights @ v, weights


q, k, v = rng.normal(size=(2, 5, 8)), rng.normal(size=(2, 7, 8)), rng.normal(size=(2, 7, 8))
out, w = scaled_dot_product_attention(q, k, v)
print("outputs", out.shape, "weights", w.shape, "rows sum to", np.unique(np.round(w.sum(-1), 6)))

# %% [markdown]
# **Why divide by $\sqrt{d}$?** If the entries of a query and a key are independent with mean 0
# and variance 1, their dot product $q^\top k = \sum_{i=1}^{d} q_i k_i$ is a sum of $d$ terms of
# variance 1: its variance is $d$. At $d = 512$ the scores spread over tens of units, and a
# softmax of such numbers puts almost all its weight on one key. Its gradient then shrinks: the
# Jacobian of $p = \mathrm{softmax}(e)$ is $\partial p_i / \partial e_j = p_i(\delta_{ij} - p_j)$,
# zero when $p$ is one-hot, so the scores learn slowly. Dividing by $\sqrt{d}$ brings the
# variance back to 1 whatever $d$ is. Measured (the printed "size" is the Jacobian's norm, the
# scale of the gradient that reaches the scores):

# %%
def jacobian_size(p):
    """Mean Frobenius norm of the softmax's Jacobian diag(p) - p p^T, over rows of probabilities p."""
    jacobians = np.einsum("ni,ij->nij", p, np.eye(p.shape[1])) - np.einsum("ni,nj->nij", p, p)
    return float(np.sqrt((jacobians**2).sum(axis=(1, 2))).mean())


DIMS = [4, 16, 64, 256, 1024]
variance, top_weight, gradient = {}, {}, {}
for dim in DIMS:
    qs, ks = rng.normal(size=(2000, dim)), rng.normal(size=(2000, 10, dim))
    dots = np.einsum("nd,nkd->nk", qs, ks)  # each query against 10 keys
    variance[dim] = (float(dots.var()), float((dots / np.sqrt(dim)).var()))
    top_weight[dim] = (float(softmax(dots).max(-1).mean()), float(softmax(dots / np.sqrt(dim)).max(-1).mean()))
    gradient[dim] = (jacobian_size(softmax(dots)), jacobian_size(softmax(dots / np.sqrt(dim))))
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.4))
ax1.loglog(DIMS, [variance[dim][0] for dim in DIMS], "o-", label=r"$q^\top k$")
ax1.loglog(DIMS, [variance[dim][1] for dim in DIMS], "o-", label=r"$q^\top k/\sqrt{d}$")
ax1.set(xlabel="d", ylabel="variance of the score", title="scores spread as d grows")
ax2.semilogx(DIMS, [top_weight[dim][0] for dim in DIMS], "o-", label="unscaled")
ax2.semilogx(DIMS, [top_weight[dim][1] for dim in DIMS], "o-", label=r"divided by $\sqrt{d}$")
ax2.axhline(0.1, color="grey", ls=":", label="uniform over 10 keys")
ax2.set(xlabel="d", ylabel="largest softmax weight (mean)", ylim=(0, 1.05), title="the softmax saturates")
for ax in (ax1, ax2):
    ax.legend()
plt.show()
print("size of the softmax's Jacobian, unscaled vs scaled:",
      {dim: f"{unscaled:.3f} vs {scaled:.3f}" for dim, (unscaled, scaled) in gradient.items()})

# %%
# Check: the variance of q.k is d, the scaled one is 1, and without the scale the softmax is nearly one-hot.
cu.check_between(variance[256][0] / 256, 0.9, 1.1, "variance of q.k divided by d, at d = 256")
cu.check_between(variance[256][1], 0.9, 1.1, "variance of q.k / sqrt(d), at d = 256")
cu.check_above(top_weight[256][0], 0.8, "mean largest weight of an unscaled softmax over 10 keys, d = 256")
cu.check_below(top_weight[256][1], 0.5, "mean largest weight with the scale, d = 256")
cu.check_below(gradient[256][0] / gradient[256][1], 0.33,
               "the size of the softmax's Jacobian at d = 256, unscaled relative to scaled");

# %% [markdown]
# ## Multi-head attention
#
# One attention step mixes the values with one set of weights: a position can look at one kind
# of thing at a time. **Multi-head attention** runs $h$ attentions side by side, each on its own
# learned projections of width $d_k$ (often $d_{\text{model}}/h$), and projects their
# concatenated outputs back:
#
# $$\mathrm{head}_i = \mathrm{Attention}(X W_i^Q, Y W_i^K, Y W_i^V), \qquad
# \mathrm{MHA}(X, Y) = [\mathrm{head}_1; \dots; \mathrm{head}_h]\, W^O .$$
#
# $X$ holds the positions that ask, $Y$ those asked ($X = Y$ for **self-attention**). All heads
# are computed at once by keeping a heads axis in the arrays:

# %%
def multi_head_attention(x, y, params, mask=None):
    """Multi-head attention of x (batch, T, d_model) over y (batch, S, d_model); returns outputs and weights."""
    wq, bq, wk, bk, wv, bv, wo, bo = params  # wq: (d_model, heads, d_k), bq: (heads, d_k), wo: (heads, d_k, d_model)
    q = np.einsum("btd,dhk->bhtk", x, wq) + bq[:, None, :]  # (batch, heads, T, d_k)
    k = np.einsum("bsd,dhk->bhsk", y, wk) + bk[:, None, :]
    v = np.einsum("bsd,dhk->bhsk", y, wv) + bv[:, None, :]
    heads, weights = scaled_dot_product_attention(q, k, v, None if mask is None else mask[:, None])
    return np.einsum("bhtk,hkd->btd", heads, wo) + bo, weights  # weights: (batch, heads, T, S)


D_MODEL, HEADS, D_K = 16, 4, 4
shapes = [(D_MODEL, HEADS, D_K), (HEADS, D_K)] * 3 + [(HEADS, D_K, D_MODEL), (D_MODEL,)]
params = [rng.normal(scale=0.4, size=shape) for shape in shapes]
x, y = rng.normal(size=(2, 5, D_MODEL)), rng.normal(size=(2, 7, D_MODEL))
ours, ours_weights = multi_head_attention(x, y, params)
print("outputs", ours.shape, "weights", ours_weights.shape)

# %% [markdown]
# Keras's `MultiHeadAttention` holds the same eight arrays, in this order and these shapes. We copy
# ours in and compare:

# %%
mha = layers.MultiHeadAttention(num_heads=HEADS, key_dim=D_K)
mha(x, y)  # builds the layer
print([tuple(w.shape) for w in mha.get_weights()])
mha.set_weights(params)
theirs, theirs_weights = mha(x, y, return_attention_scores=True)

# %%
# Check: our multi-head attention equals Keras's, outputs and attention scores.
cu.check_below(float(np.abs(np.asarray(theirs) - ours).max()), 1e-5, "the largest output difference, ours vs Keras")
cu.check_below(float(np.abs(np.asarray(theirs_weights) - ours_weights).max()), 1e-5,
               "the largest attention-weight difference, ours vs Keras");

# %% [markdown]
# ## Masks
#
# A mask says which keys each query may see: `True` where it may. Two kinds matter.
#
# - A **padding mask** hides the padding of short rows in a batch: every query of a row may see
#   that row's real keys only. (Our translator's `mask=[None, real]` is this.)
# - A **causal mask** hides the future: position $t$ may see positions $1 \dots t$ only, so a
#   model that predicts the next token cannot read it. It is lower-triangular.
#
# Self-attention over a batch of two rows of six tokens, the second row with two tokens of padding:

# %%
ids = np.array([[5, 9, 2, 7, 3, 8], [4, 6, 1, 2, 0, 0]])  # 0 = padding
embedding = rng.normal(size=(10, D_MODEL))
tokens = embedding[ids]
padding_mask = np.broadcast_to((ids != 0)[:, None, :], (2, 6, 6))  # (batch, queries, keys)
causal_mask = np.tril(np.ones((6, 6), dtype=bool))[None]  # (1, queries, keys)
_, padded_weights = multi_head_attention(tokens, tokens, params, mask=padding_mask)
_, causal_weights = multi_head_attention(tokens, tokens, params, mask=causal_mask)

fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
positions = [str(i) for i in range(6)]
cu.seqplots.plot_attention(padded_weights[1, 0], ["a", "b", "c", "d", "<pad>", "<pad>"], positions, ax=axes[0],
                           title="padding mask (row 2, head 1)", colorbar=False)
cu.seqplots.plot_attention(causal_weights[0, 0], positions, positions, ax=axes[1],
                           title="causal mask (row 1, head 1)", colorbar=False)
for ax in axes:
    ax.set(xlabel="key position", ylabel="query position")
fig.tight_layout()
plt.show()

# %%
# Check: masked keys get weight 0, and with a causal mask an output does not change when later tokens change.
cu.check_equal(float(padded_weights[1][..., 4:].max()), 0.0, "the largest weight on the padded keys")
cu.check_equal(float(causal_weights[np.broadcast_to(~causal_mask[:, None], causal_weights.shape)].max()), 0.0,
               "the largest weight above the diagonal with a causal mask")
T = 3  # change every token after position 3
changed = tokens.copy()
changed[:, T + 1 :] = rng.normal(size=changed[:, T + 1 :].shape)
before, _ = multi_head_attention(tokens, tokens, params, mask=causal_mask)
after, _ = multi_head_attention(changed, changed, params, mask=causal_mask)
cu.check_below(float(np.abs(after[:, : T + 1] - before[:, : T + 1]).max()), 1e-12,
               f"the largest change of the outputs at positions 0-{T} when the tokens after {T} change")
cu.check_above(float(np.abs(after[:, T + 1 :] - before[:, T + 1 :]).max()), 0.01,
               f"the largest change of the outputs after position {T} (they may see the change)")
keras_before = np.asarray(mha(tokens, tokens, use_causal_mask=True))
keras_after = np.asarray(mha(changed, changed, use_causal_mask=True))
cu.check_below(float(np.abs(keras_before - before).max()), 1e-5, "Keras's use_causal_mask=True against our mask")
cu.check_below(float(np.abs(keras_after[:, : T + 1] - keras_before[:, : T + 1]).max()), 1e-5,
               f"the change of Keras's causal outputs at positions 0-{T}");

# %% [markdown]
# The last check is the one that matters for a language model: what it says at position $t$
# cannot depend on what comes after, so training it to predict token $t+1$ from position $t$ is
# honest. Notebook 12 builds its decoder on exactly this.

# %% [markdown]
# ## Kept for the next notebook
#
# Notebook 12 compares a transformer with this attention translator, so `course_utils` keeps it:
# `cu.seq2seq.build_attention_translator`, `attention_halves` and `attention_weights`, and the map
# as `cu.seqplots.plot_attention`. The check makes sure the kept model is the same network.

# %%
# Check: course_utils' copy has the same weights in the same shapes, and translates the same way.
kept = cu.seq2seq.build_attention_translator(len(source_vocab), len(target_vocab), units=UNITS, embed=EMBED)
kept.set_weights(additive.get_weights())  # fails unless every weight has the same shape, in the same order
kept_out = translate(cu.seq2seq.attention_halves(kept), x_test)
cu.check_equal(sum(a != b for a, b in zip(kept_out, additive_out)), 0,
               "test dates the kept copy translates differently");

# %% [markdown]
# ## This run in numbers

# %%
print(f"mode {cu.mode()}: comparison at {COMPARE_EPOCHS} epochs on {len(small_train):,} pairs; "
      f"attention models at {EPOCHS} epochs on {len(train_pairs):,} pairs")
print("fields right by characters after them, no attention:",
      {k: f"{v:.1%}" for k, v in plain_by_distance.items()})
print("                                      with attention:",
      {k: f"{v:.1%}" for k, v in additive_by_distance.items()})
print("exact match by source length, no attention:", {k: f"{v[0]:.1%}" for k, v in plain_by_length.items()})
print("                             with attention:", {k: f"{v[0]:.1%}" for k, v in additive_by_length.items()})
print(f"additive: exact {additive_exact:.2%}, alignment", {k: f"{v:.1%}" for k, v in additive_alignment.items()})
print(f"dot:      exact {dot_exact:.2%}, alignment", {k: f"{v:.1%}" for k, v in dot_alignment.items()})

# %% [markdown]
# ## Summary
#
# - A plain encoder-decoder passes the whole source through one vector. At a small budget the
#   fields it read long before the end of the source are the ones it gets wrong: the
#   **bottleneck**, measured.
# - **Attention** keeps every encoder state. At each output step it scores every source position,
#   turns the scores into weights with a softmax (padding masked to weight 0) and reads the
#   weighted average, the **context vector**. **Additive** scores use a small network
#   $v^\top\tanh(W_1 s + W_2 h)$; **dot-product** scores use $(Ws)^\top h$.
# - At the same budget, attention writes the far fields and the longest dates right far more
#   often; trained on this mode's data, it translates nearly every test date.
# - **Attention maps** show where the model looked to write each character. **Alignment accuracy**
#   measures it against where each field really is: the digits that carry the date are read from
#   their field; where nothing needs reading (the century, a tens digit "3 May" does not write),
#   the weights wander. A map shows where the model looked, not what it needed.
# - **Scaled dot-product attention** is $\mathrm{softmax}(QK^\top/\sqrt d)V$: without the
#   $\sqrt d$ the scores' variance grows with $d$ and the softmax saturates.
# - **Multi-head attention** runs several attentions on their own projections and mixes them;
#   ours matches `keras.layers.MultiHeadAttention` to $10^{-5}$.
# - **Padding masks** hide padded keys; **causal masks** hide the future, so an output at $t$
#   never depends on tokens after $t$.

# %% [markdown]
# ## Exercises
#
# Each exercise has its own answer cell: replace its `...` with your code (or your words), then run
# the check cell after it. A check says "✔" when your answer passes it, and gives a hint, never the
# answer, when it does not. Some checks look only at the form of an answer; the grader's tests look
# further.
#
# **1. A tolerant alignment.** Write `alignment_within(weights, pairs, slack)`: the share of field
# characters whose strongest weight lies inside the field *or at most `slack` characters from
# it* (weights as `test_weights`: dates x 11 output steps x source positions). With `slack=0` it
# must give `additive_alignment["overall"]`. Then store the dot-product model's alignment with one
# character of slack in `dot_within_one`.

# %% [raw]
# # BEGIN QUESTION
# name: q1_alignment_within
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
def alignment_within(weights, pairs, slack):
    hits = []
    for w, pair in zip(weights, pairs):
        for field, (a, b) in cu.dates.TARGET_SPANS.items():
            low, high = pair.source_spans[field]
            hits += [low - slack <= int(np.argmax(w[t])) < high + slack for t in range(a, b)]
    return float(np.mean(hits))


dot_within_one = alignment_within(dot_test_weights, test_pairs, 1)
print({slack: f"{alignment_within(test_weights, test_pairs, slack):.1%}" for slack in (0, 1, 2)},
      f"dot product, slack 1: {dot_within_one:.1%}")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_alignment_within_without_slack(cu, alignment_within, test_weights, test_pairs, additive_alignment):
    cu.check_below(abs(alignment_within(test_weights, test_pairs, 0) - additive_alignment["overall"]), 1e-9,
                   "alignment_within(test_weights, test_pairs, 0) against the alignment measured above")


test_alignment_within_without_slack(cu, alignment_within, test_weights, test_pairs, additive_alignment)

# %%
# HIDDEN
def test_alignment_within_with_slack(cu, np, alignment_within, dot_within_one, dot_test_weights, test_weights,
                                     test_pairs):
    def reference(weights, slack):
        hits = [pair.source_spans[field][0] - slack <= np.argmax(w[t]) < pair.source_spans[field][1] + slack
                for w, pair in zip(weights, test_pairs)
                for field, (a, b) in cu.dates.TARGET_SPANS.items() for t in range(a, b)]
        return float(np.mean(hits))

    for slack in (1, 2):
        cu.check_below(abs(alignment_within(test_weights, test_pairs, slack) - reference(test_weights, slack)), 1e-9,
                       f"alignment_within with slack {slack}")
    cu.check_below(abs(dot_within_one - reference(dot_test_weights, 1)), 1e-9, "dot_within_one")


test_alignment_within_with_slack(cu, np, alignment_within, dot_within_one, dot_test_weights, test_weights,
                                 test_pairs)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: slack 0 is the alignment measured above, and slack never lowers it.
cu.check_below(abs(alignment_within(test_weights, test_pairs, 0) - additive_alignment["overall"]), 1e-9,
               "alignment_within(test_weights, test_pairs, 0) against the alignment measured above",
               hint="With slack 0, count a character when its argmax lies in [start, end) of its field's source span.")
cu.check_equal(alignment_within(test_weights, test_pairs, 1) >= alignment_within(test_weights, test_pairs, 0), True,
               "alignment with slack 1 is at least alignment with slack 0",
               hint="Slack widens each field's span by that many characters, on both sides.")
cu.check_between(dot_within_one, 0, 1, "dot_within_one (a share)",
                 hint="It is a share of field characters, so it lies between 0 and 1.");

# %% [markdown]
# **2. Think.** In the padding-mask picture, the weights of each query over the four real keys
# still sum to 1. What would go wrong if we set the padded *weights* to zero after the softmax
# instead of setting their *scores* to $-\infty$ before it?

# %% [raw]
# # BEGIN QUESTION
# name: q2_mask_before_the_softmax
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* The softmax would have shared its total of 1 with the padded keys, so after
# zeroing them the real keys' weights would sum to less than 1, by an amount that depends on how
# much padding the row has and on the (meaningless) scores of the padding. The same sentence would
# then get a different context vector in a batch with longer rows than in a batch of its own. A
# score of $-\infty$ gives $e^{-\infty} = 0$ inside the softmax, so the padded keys take no share
# and the real keys' weights still sum to 1, whatever the padding.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **3. Try.** Build the attention translator with a one-directional GRU encoder (128 units, no
# `Bidirectional`), train it with the same budget and measure its alignment. Where does its
# attention peak within a field, and why?

# %%
# Try it here (your code is not graded: write what you find in the answer cell below).

# %% [raw]
# # BEGIN QUESTION
# name: q3_one_directional_encoder
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* A forward GRU's state at position $j$ has read the source up to $j$ only, so the
# state that has seen a whole field is the one at its last character, or just after it. Expect the
# peaks at the ends of fields (the "l" of "April", the second digit of "22") or on the character
# after a field, and a lower alignment than the bidirectional encoder's, whose state at each
# position has read both sides. The translations can still be good: the model looks where the
# information has been gathered, not where a person would point.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **4. Parameters per head.** Build two `MultiHeadAttention` layers for $d_{\text{model}} = 16$:
# one with 4 heads of `key_dim=4`, one with a single head of `key_dim=16`; call each once on
# `tokens` (to build it) and store their parameter counts in `params_four_heads` and
# `params_one_head`.

# %% [raw]
# # BEGIN QUESTION
# name: q4_parameters_per_head
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
four_heads, one_head = layers.MultiHeadAttention(num_heads=4, key_dim=4), layers.MultiHeadAttention(1, key_dim=16)
four_heads(tokens, tokens), one_head(tokens, tokens)
params_four_heads, params_one_head = four_heads.count_params(), one_head.count_params()
print(params_four_heads, params_one_head)
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_parameter_counts_are_counts(cu, params_four_heads, params_one_head):
    cu.check_equal(all(isinstance(n, int) and n > 0 for n in (params_four_heads, params_one_head)), True,
                   "params_four_heads and params_one_head are positive whole numbers")


test_parameter_counts_are_counts(cu, params_four_heads, params_one_head)

# %%
# HIDDEN
def test_parameter_counts(cu, params_four_heads, params_one_head):
    d_model = 16
    expected = 3 * (d_model * 16 + 16) + (16 * d_model + d_model)  # Q, K, V (heads x key_dim = 16) and the output
    cu.check_equal((params_four_heads, params_one_head), (expected, expected), "the two parameter counts")


test_parameter_counts(cu, params_four_heads, params_one_head)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: the two parameter counts (recognised without being shown).
cu.check_answer((params_four_heads, params_one_head), "0c467ec74d77d2ca", "(params_four_heads, params_one_head)",
                hint="A layer has weights only once it has been called on an input; Keras layers count their own.");

# %% [markdown]
# *What do more heads buy, if not parameters?*

# %% [raw]
# # BEGIN QUESTION
# name: q4_what_heads_buy
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* The counts are equal (1,088 each): four heads of width 4 project to the same
# 16 numbers as one head of width 16, and the output projection is the same size. What changes is
# the number of weightings: four heads compute four separate softmaxes, so one position can attend
# to several places at once, for different purposes (one head to the previous token, another to
# a matching field), where a single head must mix everything it reads with one set of weights. The
# price is that each head's scores use only 4 dimensions.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **5. Try.** Type a date with a wrong weekday ("Friday 22 April 2019") into the box. Does any
# output character attend to the weekday? What does that say about what the model uses?

# %%
# Try it here (your code is not graded: write what you find in the answer cell below).

# %% [raw]
# # BEGIN QUESTION
# name: q5_wrong_weekday
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* Expect the translation 2019-04-22 and, in the map, little or no weight on
# "Friday" in the rows of the day, month and year: the model reads the fields that state the date
# and ignores the weekday, which the training data never contradicted and which is harder to use.
# A weight on the weekday would not prove it is used either; changing the weekday and seeing the
# output stay the same is what shows it is not.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
