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
# # 10 · Translating dates: an encoder-decoder, teacher forcing and beam search
#
# Notebook 09's model continued one text. A **translator** reads one sequence and writes
# another, of a different length, in a different alphabet. The task here is small enough to
# train on a laptop in a minute and hard enough to need a real model: read a date written the way
# people write it ("the twenty-second of April, 2019", "Mon, 22 Apr 2019", "Apr 22 19") and write
# it the ISO way, "2019-04-22". An **encoder** GRU reads the source into one vector; a **decoder**
# GRU writes the target from it, one character at a time. We train the decoder with **teacher
# forcing**, decode with the **greedy** choice, then write **beam search** ourselves, draw its
# search tree and measure what its width buys.
#
# **Learning goals**
# - Build an encoder-decoder from two GRUs, with the encoder's final state as the decoder's start.
# - Train it with teacher forcing (targets shifted right), and see why decoding without the teacher
#   differs (exposure bias).
# - Write beam search: summed log-probabilities, expansion, pruning, end of sequence, length
#   normalisation, every live hypothesis through the model in one call per step.
# - Measure accuracy per beam width, and know why exact match, not per-character accuracy, is the
#   honest measure.
# - Compare a bidirectional encoder with a one-directional one at the same budget.

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
import calendar
import collections
import datetime
import functools
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import layers

# %% [markdown]
# ## The task: a date in words, its ISO form
#
# `course_utils` writes dates in nine formats, drawn at random from 1950 to 2049. Here is one date
# in all of them:

# %%
APRIL_22 = datetime.date(2019, 4, 22)
for name in cu.FORMAT_NAMES:
    print(f"{name:27} {cu.write_date(APRIL_22, name).source!r:38} -> {APRIL_22.isoformat()}")

# %% [markdown]
# To get them right the model must learn month names (full, abbreviated, lower case) and their
# numbers, ordinal words ("twenty-second" is 22), that "19" in "Apr 22 19" means 2019 but "87"
# means 1987, and that the day comes first in "22/04/2019". No format writes the month first in
# digits, so every source means exactly one date. The weekday, when written, is a redundant cue.
#
# We draw the pairs and split them three ways. A date written the same way twice is the same
# source string; `split_pairs` keeps each distinct source in one split, so the test set holds no
# input seen in training.

# %%
SEED = cu.config.default_seed()
N_PAIRS = cu.budget(fast=12_000, full=30_000)  # 80 % of them for training
pairs = cu.date_pairs(N_PAIRS, seed=SEED)
train_pairs, val_pairs, test_pairs = cu.split_pairs(pairs, (0.8, 0.1, 0.1), seed=SEED)
print(f"{len(train_pairs):,} training, {len(val_pairs):,} validation and {len(test_pairs):,} test pairs")
for pair in test_pairs[:4]:
    print(f"  {pair.source!r:38} -> {pair.target}")

# %%
# Check: no test or validation source appears in training, and every format is in the test set.
train_sources = {pair.source for pair in train_pairs}
cu.check_equal(sum(pair.source in train_sources for pair in val_pairs + test_pairs), 0,
               "held-out pairs whose source is also a training source")
cu.check_equal(len({pair.format for pair in test_pairs}), len(cu.FORMAT_NAMES), "formats present in the test set");

# %% [markdown]
# ## Characters to numbers
#
# Both sides are read character by character. The source alphabet has 48 characters, the target
# alphabet 11 (digits and "-"), and both vocabularies start with three special tokens: `<pad>`
# (id 0, fills short rows so a batch is a rectangle), `<start>` (1) and `<end>` (2). The decoder
# needs the last two: it must be told to begin, and it must say when it is done.

# %%
source_vocab, target_vocab = cu.date_vocabularies()
PAD_ID, START_ID, END_ID = (target_vocab.index(token) for token in ("<pad>", "<start>", "<end>"))
TARGET_LENGTH = 11  # "YYYY-MM-DD" and <end>
print(f"source vocabulary: {len(source_vocab)} tokens; target vocabulary: {len(target_vocab)}: {target_vocab.tokens}")


def encode(pairs):
    """Sources (padded ids), decoder inputs (<start> + target) and decoder targets (target + <end>)."""
    sources = cu.encode_texts([p.source for p in pairs], source_vocab, length=40)
    previous = cu.encode_texts([p.target for p in pairs], target_vocab, start=True)
    targets = cu.encode_texts([p.target for p in pairs], target_vocab, end=True)
    return sources, previous, targets


x_train, prev_train, y_train = encode(train_pairs)
x_val, prev_val, y_val = encode(val_pairs)
x_test, prev_test, y_test = encode(test_pairs)
print("source ", x_test[0][:24], "...")
print("previous", prev_test[0])
print("target  ", y_test[0])

# %% [markdown]
# ## The encoder-decoder
#
# The **encoder** reads the source characters $x_1 \dots x_n$ (as learned vectors, notebook 08's
# `Embedding`) with a GRU and keeps only its final state,
#
# $$c = h_n, \qquad h_t = \mathrm{GRU}_{\text{enc}}\big(h_{t-1}, e(x_t)\big).$$
#
# This one vector $c$ is everything the decoder will know about the source: the "thought vector".
# The **decoder** is a second GRU that starts from $c$ and reads, at each step, the previous
# target character *and* $c$ again (as in Cho et al., 2014: the decoder need not carry the
# whole date in its own state for eleven steps); a dense layer turns each of its states into
# scores over the 14 target tokens:
#
# $$s_0 = c, \qquad s_t = \mathrm{GRU}_{\text{dec}}\big(s_{t-1}, [e(y_{t-1}), c]\big), \qquad
# p(y_t \mid y_{<t}, x) = \mathrm{softmax}(W s_t + b).$$
#
# (Sutskever et al., 2014, gave $c$ only as $s_0$; exercise 3 asks what repeating it buys.) The
# padding of the source is masked (`mask_zero=True`), so the encoder's final state is the one
# after the last real character, whatever the row's length. The layers that decoding will need
# again get names.

# %%
EMBED, UNITS = 32, 128


class EveryStep(layers.Layer):
    """The thought vector, repeated once per step of a sequence: (batch, units) -> (batch, steps, units)."""

    def call(self, thought, sequence):
        return keras.ops.repeat(keras.ops.expand_dims(thought, 1), keras.ops.shape(sequence)[1], axis=1)


def build_translator(units=UNITS, bidirectional=False):
    source = keras.Input((None,), dtype="int32", name="source")
    previous = keras.Input((None,), dtype="int32", name="previous")  # the target shifted right
    x = layers.Embedding(len(source_vocab), EMBED, mask_zero=True)(source)
    if bidirectional:  # half the units each way, concatenated: the same thought-vector size
        _, forward, backward = layers.Bidirectional(layers.GRU(units // 2, return_state=True))(x)
        thought = layers.Concatenate(name="thought")([forward, backward])
    else:
        _, final_state = layers.GRU(units, return_state=True)(x)
        thought = layers.Identity(name="thought")(final_state)
    y = layers.Embedding(len(target_vocab), EMBED, name="target_embedding")(previous)
    y = layers.Concatenate()([y, EveryStep()(thought, y)])  # [e(y_{t-1}), c] at every step
    y = layers.GRU(units, return_sequences=True, name="decoder_gru")(y, initial_state=thought)
    logits = layers.Dense(len(target_vocab), name="next_char")(y)
    return keras.Model([source, previous], logits)


build_translator().summary(line_length=100)


# %%
# extra code: the translator unrolled on a short source
def draw_translator(source="22.4.2019", target="2019-04-22"):
    fig, ax = plt.subplots(figsize=(10, 3.4))
    box = {"boxstyle": "round,pad=0.3", "facecolor": "#d9e8f5", "edgecolor": "#1f77b4"}
    n, gap, dx = len(source), 1.8, 0.85
    for i, char in enumerate(source):  # the encoder: one GRU step per source character
        ax.text(i * dx, 0, char, ha="center", family="monospace", fontsize=12)
        ax.annotate("", (i * dx, 0.75), (i * dx, 0.25), arrowprops={"arrowstyle": "->", "color": "grey"})
        ax.text(i * dx, 1, "GRU", ha="center", va="center", fontsize=8, bbox=box)
    c_x = (n - 1) * dx + gap / 2
    ax.text(c_x, 1, "c", ha="center", va="center", fontsize=14, weight="bold")
    ax.annotate("", (c_x - 0.2, 1), ((n - 1) * dx + 0.3, 1), arrowprops={"arrowstyle": "->"})
    ax.annotate("", (c_x + gap / 2 - 0.3, 1), (c_x + 0.2, 1), arrowprops={"arrowstyle": "->"})
    inputs, outputs = "▶" + target, target + "■"
    for t, (seen, said) in enumerate(zip(inputs, outputs)):  # the decoder: reads y_{t-1} and c, says y_t
        x = c_x + gap / 2 + t * dx
        ax.text(x, 0, seen, ha="center", family="monospace", fontsize=12)
        ax.annotate("", (x, 0.75), (x, 0.25), arrowprops={"arrowstyle": "->", "color": "grey"})
        ax.text(x, 1, "GRU", ha="center", va="center", fontsize=8, bbox={**box, "facecolor": "#fde2c8",
                                                                         "edgecolor": "#ff7f0e"})
        ax.annotate("", (x, 1.25), (c_x, 1.3), arrowprops={"arrowstyle": "->", "color": "#1f77b4", "alpha": 0.35,
                                                            "connectionstyle": "arc3,rad=-0.25"})
        ax.text(x, 2.05, said, ha="center", family="monospace", fontsize=12)
        ax.annotate("", (x, 1.95), (x, 1.3), arrowprops={"arrowstyle": "->", "color": "grey"})
    ax.text(-0.9, 1, "encoder", ha="right", va="center", color="#1f77b4")
    ax.text(-0.9, 2.05, "says", ha="right")
    ax.text(c_x + gap / 2, 2.6, "decoder", color="#ff7f0e")
    ax.text(-0.9, 0, "reads", ha="right")
    ax.set(xlim=(-3, c_x + gap / 2 + len(inputs) * dx), ylim=(-0.4, 2.9))
    ax.axis("off")
    ax.set_title("the encoder's final state c starts the decoder and is read again at every step", fontsize=12)
    plt.show()


draw_translator()

# %% [markdown]
# ## Teacher forcing
#
# In training, the decoder does not read its own guesses: at step $t$ it reads the *true*
# previous character $y_{t-1}$ (the target shifted right by one, behind `<start>`) and is asked
# for $y_t$. All eleven steps are then one call of the GRU on a known sequence, as in notebook 09,
# and one cross-entropy over all positions. The picture shows one training example.

# %%
# extra code: one example as the decoder sees it in training
def draw_teacher_forcing(source, previous, target):
    fig, ax = plt.subplots(figsize=(10, 2.6))
    for t, (p, y) in enumerate(zip(previous, target)):
        for row, token, colour in ((1, p, "#d9e8f5"), (0, y, "#fde2c8")):
            ax.add_patch(plt.Rectangle((t + 0.05, row + 0.1), 0.9, 0.8, color=colour))
            ax.text(t + 0.5, row + 0.5, cu.seqplots.token_label(target_vocab.tokens[token]), ha="center", va="center",
                    family="monospace", fontsize=13)
        if t + 1 < len(target):
            ax.annotate("", (t + 1.5, 1.12), (t + 0.5, 0.88), arrowprops={"arrowstyle": "->", "color": "grey"})
    ax.text(-0.2, 1.5, "decoder reads", ha="right", va="center")
    ax.text(-0.2, 0.5, "must predict", ha="right", va="center")
    ax.set(xlim=(-3, len(target)), ylim=(-0.1, 2.1), title=f"source: {source!r}")
    ax.axis("off")
    plt.show()


draw_teacher_forcing(test_pairs[0].source, prev_test[0], y_test[0])

# %% [markdown]
# Each target character is the next step's input (grey arrows): that is what "shifted right"
# means.
#
# ## Batches of similar length
#
# A GRU takes one step per column of its batch, padding included. Sources run from 8 to 37
# characters, so in a random batch most rows are mostly padding: the longest row sets the width.
# Sorting the training set by source length, cutting it into batches and padding each batch only
# to its own longest row removes most of that waste. The batches are then shuffled, and rows of
# the same length are drawn in a fresh random order every epoch.

# %%
BATCH = 64


def length_batches(sources, previous, targets, batch=BATCH, seed=SEED):
    """A tf.data pipeline of training batches whose sources have similar lengths, each padded to its own longest."""
    lengths = np.count_nonzero(sources, axis=1)
    rng = np.random.default_rng(seed)

    def one_epoch():
        order = np.lexsort((rng.random(len(lengths)), lengths))  # by length, equal lengths in random order
        groups = [order[i : i + batch] for i in range(0, len(order), batch)]
        for g in rng.permutation(len(groups)):
            rows = groups[g]
            yield (sources[rows, : lengths[rows].max()], previous[rows]), targets[rows]

    spec = tf.TensorSpec((None, None), tf.int32)
    dataset = tf.data.Dataset.from_generator(one_epoch, output_signature=((spec, spec), spec))
    return dataset.apply(tf.data.experimental.assert_cardinality(-(-len(lengths) // batch)))


# %%
# Check: bucketing keeps every training pair exactly once per epoch, and cuts the encoder's steps.
rows_seen = [(tuple(x[x > 0]), tuple(y)) for (xb, _), yb in length_batches(x_train, prev_train, y_train)
             for x, y in zip(xb.numpy(), yb.numpy())]
cu.check_equal(sorted(rows_seen) == sorted((tuple(x[x > 0]), tuple(y)) for x, y in zip(x_train, y_train)), True,
               "every training pair in one epoch of length batches, exactly once")
lengths = np.count_nonzero(x_train, axis=1)
random_steps = sum(lengths[rows].max() for rows in np.array_split(np.random.default_rng(0).permutation(len(lengths)),
                                                                   len(lengths) // BATCH))
bucket_steps = sum(int(xb.shape[1]) for (xb, _), _ in length_batches(x_train, prev_train, y_train))
cu.check_below(bucket_steps / random_steps, 0.5, "the encoder's steps per epoch, length batches against random ones");

# %% [markdown]
# ## Train it
#
# We train with Adam at a learning rate large for a GRU, $10^{-2}$ (gradients clipped), which this
# small model tolerates, and cut it by about three in each of the last two epochs so the weights
# settle. After every epoch a callback keeps a snapshot of the weights
# (`cu.training.flat_weights`), so that we can look back at the model half-trained.

# %%
EPOCHS, LEARNING_RATE = cu.budget(fast=4, full=10), 1e-2


def learning_rate(epoch, current_rate, epochs=EPOCHS):  # what Keras's LearningRateScheduler calls
    return LEARNING_RATE * 0.3 ** max(0, epoch - (epochs - 3))  # held, then x0.3 in each of the last 2 epochs


def train_translator(model, epochs=EPOCHS):
    model.compile(keras.optimizers.Adam(LEARNING_RATE, clipnorm=1.0),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    snapshots = []
    keep = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(
        cu.training.flat_weights(model)))
    schedule = keras.callbacks.LearningRateScheduler(functools.partial(learning_rate, epochs=epochs))
    history = model.fit(length_batches(x_train, prev_train, y_train), epochs=epochs, verbose=0,
                        validation_data=([x_val, prev_val], y_val),
                        callbacks=[cu.ProgressCallback(), schedule, keep])
    return {**history.history, "snapshots": np.stack(snapshots)}


config = {"pairs": N_PAIRS, "epochs": EPOCHS, "batch": BATCH, "units": UNITS, "embed": EMBED, "lr": LEARNING_RATE,
          "batches": "by length"}
run = cu.train_or_load("dates-gru", build_translator, train_translator, config)
model = run.model
cu.report("training time", run.train_seconds, "s")
print("teacher-forced validation accuracy per epoch:", np.round(run.log["val_accuracy"], 4))

# %% [markdown]
# The accuracy Keras reports is per character, and teacher-forced: each character is predicted
# from the *true* characters before it. That is not what a user gets. To translate a new date
# there is no true target to read: the decoder must read its own output.

# %% [markdown]
# ## Decoding without the teacher
#
# For decoding we split the trained model in two. **`start`** runs the encoder and returns the
# decoder's starting state: the pair $(s_0, c) = (c, c)$, since each step needs $c$ too.
# **`step`** is one decoder step: the previous token and the state in, the next token's
# log-probabilities and the new state out. It calls the decoder's own layers (its GRU through
# its *cell*, the one-step function the GRU layer loops over), compiled with `tf.function`; it is
# never `model.predict`, which costs tens of milliseconds of overhead per call (measured at the end).

# %%
@functools.cache  # one encoder and one compiled step per model
def halves(model):
    encoder = keras.Model(model.inputs[0], model.get_layer("thought").output)
    encoder = tf.function(encoder, reduce_retracing=True)  # compiled too: run eagerly, a GRU is slow
    embed, gru, dense = (model.get_layer(name) for name in ("target_embedding", "decoder_gru", "next_char"))

    def start(sources):
        thought = encoder(tf.convert_to_tensor(sources, tf.int32))
        return thought, thought  # (s_0, c)

    @tf.function(reduce_retracing=True)
    def step(tokens, state):
        s, thought = state
        output, s = gru.cell(tf.concat([embed(tokens), thought], axis=-1), s)
        return tf.nn.log_softmax(dense(output)), (s, thought)

    return start, step


# %%
# Check: step by step, fed the true previous characters, the halves give the whole model's output.
start, step = halves(model)
whole = tf.nn.log_softmax(model([x_test[:64], prev_test[:64]])).numpy()
state, stepped = start(x_test[:64]), []
for t in range(TARGET_LENGTH):
    log_probs, state = step(prev_test[:64, t], state)
    stepped.append(log_probs.numpy())
cu.check_below(float(np.abs(np.stack(stepped, axis=1) - whole).max()), 1e-4,
               "the largest difference between the stepped decoder and the whole model (log-probabilities)");

# %% [markdown]
# **Greedy decoding** takes the most likely token at each step and feeds it back, for every
# input of a batch at once:

# %%
def greedy_translate(model, sources, max_length=TARGET_LENGTH):
    start, step = halves(model)
    state = start(sources)
    tokens, output = np.full(len(sources), START_ID, dtype=np.int32), []
    for _ in range(max_length):
        log_probs, state = step(tokens, state)
        tokens = np.argmax(log_probs, axis=-1).astype(np.int32)
        output.append(tokens)
    return np.stack(output, axis=1)


def exact_and_per_char(predicted, pairs):
    """Exact-match accuracy (the whole date right) and per-character accuracy."""
    truth = [p.target for p in pairs]
    exact = np.mean([p == t for p, t in zip(predicted, truth)])
    per_char = np.mean([np.mean([a == b for a, b in zip(p.ljust(10), t)]) for p, t in zip(predicted, truth)])
    return float(exact), float(per_char)


greedy_test = cu.decode_texts(greedy_translate(model, x_test), target_vocab)
final_exact, final_char = exact_and_per_char(greedy_test, test_pairs)
cu.report("exact match, greedy, test set", final_exact)
cu.report("per-character accuracy, greedy, test set", final_char)

# %% [markdown]
# The same loop, with the scores and the end-of-sequence bookkeeping added, is kept as
# `cu.decoding.greedy_decode(step, state, ...)` for notebooks 11 and 12: any model that has a
# step function can use it. The two agree:

# %%
greedy_ids, greedy_scores = cu.decoding.greedy_decode(step, start(x_test), start_id=START_ID, end_id=END_ID,
                                                      max_length=TARGET_LENGTH)
package_greedy = cu.decode_texts(greedy_ids, target_vocab)
cu.check_equal(sum(a != b for a, b in zip(package_greedy, greedy_test)), 0,
               "test dates where cu.decoding.greedy_decode and greedy_translate differ");

# %% [markdown]
# ## Looking back: the half-trained model, and exposure bias
#
# The snapshots let us decode with the model as it was after each epoch. Beside the
# teacher-forced accuracy Keras reported, we measure what decoding alone achieves: per character,
# and whole dates right.

# %%
snapshot_model = build_translator()


def at_epoch(epoch):
    """The translator as it was after `epoch` epochs (1 = after the first)."""
    cu.training.set_flat_weights(snapshot_model, run.log["snapshots"][epoch - 1])
    return snapshot_model


epoch_scores = [exact_and_per_char(cu.decode_texts(greedy_translate(at_epoch(e), x_val), target_vocab), val_pairs)
                for e in range(1, EPOCHS + 1)]  # fmt: skip
free_exact, free_char = np.array(epoch_scores).T

# %%
# extra code: teacher-forced and free-running accuracy per epoch
fig, ax = plt.subplots(figsize=(8, 4))
epochs = np.arange(1, EPOCHS + 1)
ax.plot(epochs, run.log["val_accuracy"], "o-", label="per character, teacher-forced (Keras)")
ax.plot(epochs, free_char, "s-", label="per character, decoding alone (greedy)")
ax.plot(epochs, free_exact, "^-", label="whole date right, decoding alone (greedy)")
ax.set(xlabel="epoch", ylabel="validation accuracy", ylim=(0, 1.02), xticks=epochs)
ax.legend(fontsize=10)
plt.show()

# %% [markdown]
# Teacher forcing always looks better. In training the decoder never sees a wrong prefix; decoding
# alone, one wrong character becomes the input of the next step, a situation it was never trained
# on. That mismatch is called **exposure bias**. We look at it in a half-trained model: the first
# epoch's snapshot whose greedy exact match reaches 20 % (it still gets many dates wrong, so
# there is something to see), and find, after each first mistake, how the next characters fare
# decoded alone and teacher-forced.

# %%
EARLY = next((e for e in range(1, EPOCHS + 1) if free_exact[e - 1] >= 0.2), EPOCHS)  # an undertrained checkpoint
print(f"the half-trained model: after epoch {EARLY} of {EPOCHS} (greedy exact match {free_exact[EARLY - 1]:.1%})")
cu.check_below(EARLY, EPOCHS, "the half-trained checkpoint's epoch (it must come before the last)",
               hint="No earlier snapshot reached 20 % exact match: did training run its full budget?")
early_model = build_translator()
cu.training.set_flat_weights(early_model, run.log["snapshots"][EARLY - 1])
early_greedy = cu.decode_texts(greedy_translate(early_model, x_test), target_vocab)
forced_ids = np.argmax(early_model([x_test, prev_test]), axis=-1)
early_forced = cu.decode_texts(forced_ids, target_vocab)


def first_error(text, truth):
    return next((i for i, (a, b) in enumerate(zip(text.ljust(10), truth)) if a != b), None)


after_error = {"alone": [], "forced": []}  # accuracy of the characters after the first mistake
for alone, forced, pair in zip(early_greedy, early_forced, test_pairs):
    k = first_error(alone, pair.target)
    if k is not None and k < 9:
        after_error["alone"] += [a == b for a, b in zip(alone.ljust(10)[k + 1 :], pair.target[k + 1 :])]
        after_error["forced"] += [a == b for a, b in zip(forced.ljust(10)[k + 1 :], pair.target[k + 1 :])]
alone_after, forced_after = np.mean(after_error["alone"]), np.mean(after_error["forced"])
print(f"after the first mistake: {alone_after:.1%} of characters right decoding alone, "
      f"{forced_after:.1%} teacher-forced (same positions, same model)")


def right(text, truth):
    return sum(a == b for a, b in zip(text.ljust(10), truth))


# the example: of the dates decoding alone gets wrong, the one that teacher forcing helps most
wrong_alone = [i for i, pair in enumerate(test_pairs) if early_greedy[i] != pair.target]
helped = {i: right(early_forced[i], test_pairs[i].target) - right(early_greedy[i], test_pairs[i].target)
          for i in wrong_alone}  # fmt: skip
example = max(helped, key=helped.get)
print(f"\n{test_pairs[example].source!r}\n  truth          {test_pairs[example].target}\n"
      f"  decoding alone {early_greedy[example]}\n  teacher-forced {early_forced[example]}")

# %%
# Check: decoding alone is worse than teacher-forced, most of all after a first mistake.
early_alone_char = exact_and_per_char(early_greedy, test_pairs)[1]
early_forced_char = exact_and_per_char(early_forced, test_pairs)[1]
cu.check_below(early_alone_char, early_forced_char, "per-character accuracy decoding alone (early model)",
               hint="Teacher-forced predictions read the true prefix; decoding alone reads its own.")
cu.check_below(alone_after, forced_after - 0.05, "accuracy after the first mistake, decoding alone");

# %% [markdown]
# ## Beam search, written out
#
# Greedy commits to the best *character* at every step; what we want is the best *date*, the
# output with the highest probability as a whole,
#
# $$\log p(y \mid x) = \sum_{t} \log p(y_t \mid y_{<t}, x).$$
#
# Trying every output is out of reach ($11^{10}$ of them). **Beam search** keeps the `width` best
# prefixes (hypotheses), each with its summed log-probability, and at every step:
#
# 1. **expands**: every hypothesis times every next token, its score plus that token's log-probability;
# 2. **prunes**: keeps only the `width` best of all these extensions;
# 3. **ends**: a hypothesis that has produced `<end>` is finished; it keeps its score and its
#    place, extended only by padding at no cost, until every hypothesis is finished.
#
# All live hypotheses go through the decoder step **in one call**, as a batch of `width` rows.
# Finally the hypotheses are ranked by their score divided by $\text{length}^\alpha$ (**length
# normalisation**): summed log-probabilities only fall as an output grows, which favours short
# outputs; $\alpha = 0$ ranks by the sum, $\alpha = 1$ by the mean per token. Every date has ten
# characters and nearly every hypothesis here ends right after them (checked below), so $\alpha$
# changes almost nothing in this task; it matters in translation, where outputs of different
# lengths compete.

# %%
AFTER_END = np.where(np.arange(len(target_vocab)) == PAD_ID, 0.0, -np.inf)  # a finished hypothesis: padding


def beam_search(model, source, width, max_length=TARGET_LENGTH, alpha=0.0):
    if width < 1:
        raise ValueError(f"the beam width must be at least 1 (1 is greedy decoding), got {width}")
    start, step = halves(model)
    state = [tf.repeat(part, width, axis=0) for part in start(source[None])]   # one row per hypothesis
    scores = np.array([0.0] + [-np.inf] * (width - 1))         # start: one live hypothesis
    hypotheses, finished = [[] for _ in range(width)], np.zeros(width, bool)
    tokens = np.full(width, START_ID, dtype=np.int32)
    for _ in range(max_length):
        log_probs, state = step(tokens, state)                 # every hypothesis in one call
        log_probs = np.array(log_probs, np.float64)
        log_probs[:, [PAD_ID, START_ID]] = -np.inf             # never generated
        log_probs = np.where(finished[:, None], AFTER_END, log_probs)
        candidates = scores[:, None] + log_probs               # (width, vocabulary): every extension
        best = np.argsort(-candidates, axis=None, kind="stable")[:width]   # prune to the width
        parents, tokens = np.unravel_index(best, candidates.shape)
        scores, tokens = candidates[parents, tokens], tokens.astype(np.int32)
        hypotheses = [hypotheses[p] + [t] for p, t in zip(parents, tokens)]
        finished = finished[parents] | (tokens == END_ID)
        state = [tf.gather(part, parents) for part in state]   # each kept hypothesis takes its parent's state
        if finished.all():
            break
    lengths = np.array([h.index(END_ID) + 1 if END_ID in h else len(h) for h in hypotheses])
    normalised = scores / lengths**alpha
    order = np.argsort(-normalised, kind="stable")
    return [(cu.decode_texts([hypotheses[i]], target_vocab)[0], scores[i], normalised[i]) for i in order]


n_best = beam_search(early_model, x_test[example], width=3)
for rank, (text, score, _) in enumerate(n_best, 1):
    print(f"{rank}. {text}  log p = {score:.3f}  (p = {np.exp(score):.3f})")

# %% [markdown]
# `cu.decoding.beam_search(step, state, width=...)` is the same algorithm for a whole batch of
# inputs at once (one more axis: `width` rows per input, all in one call per step). It is what
# the rest of the notebook uses, and what notebooks 11 and 12 reuse. We check that it agrees with
# the version above, and the promises of beam search:

# %%
def beams_of(model, sources, width, alpha=0.0):
    start, step = halves(model)
    return cu.decoding.beam_search(step, start(sources), width=width, start_id=START_ID, end_id=END_ID,
                                   max_length=TARGET_LENGTH, length_penalty=alpha)


def texts(beams, rank=0):
    return cu.decode_texts(beams.ids[:, rank], target_vocab)


few = np.arange(20)
ours = [beam_search(early_model, x_test[i], width=3) for i in few]
package = beams_of(early_model, x_test[few], width=3)
early_greedy_ids, early_greedy_scores = cu.decoding.greedy_decode(
    halves(early_model)[1], halves(early_model)[0](x_test), start_id=START_ID, end_id=END_ID, max_length=TARGET_LENGTH)
width_one = beams_of(early_model, x_test, width=1)
width_five = beams_of(early_model, x_test, width=5)

# %%
# Check: the notebook's beam search and cu.decoding's agree; width 1 is greedy; beam's best score
# is at least greedy's on (nearly) every input; the n-best lists hold distinct hypotheses, best
# first; width 0 is refused.
package_lists = [list(n_best) for n_best in zip(*(texts(package, rank) for rank in range(3)))]
ours_lists = [[text for text, _, _ in n_best] for n_best in ours]
cu.check_equal(sum(a != b for a, b in zip(ours_lists, package_lists)), 0,
               "inputs (of 20) where the notebook's and the package's 3-best lists differ")
cu.check_below(float(np.abs(np.array([[s for _, s, _ in n] for n in ours]) - package.scores).max()), 1e-5,
               "the largest difference between the two versions' scores (float32 rounding of batches of other sizes)")
cu.check_equal(bool(np.array_equal(width_one.best, early_greedy_ids)), True, "beam search of width 1 = greedy")
beam_at_least = np.mean(width_five.scores[:, 0] >= early_greedy_scores - 1e-4)  # float32 rounding
cu.check_above(beam_at_least, 0.99, "the share of inputs where width 5's best score is at least greedy's")
distinct = np.mean([len(set(map(tuple, hypotheses))) == 5 for hypotheses in width_five.ids])
cu.check_equal(float(distinct), 1.0, "the share of 5-best lists whose five hypotheses are distinct")
cu.check_above(np.mean(width_five.lengths == TARGET_LENGTH), 0.99,
               "the share of 5-best hypotheses that end right after ten characters")
cu.check_equal(bool(np.all(np.diff(width_five.normalised, axis=1) <= 1e-12)), True, "every 5-best list sorted")
try:
    beam_search(early_model, x_test[0], width=0)
    refused = False
except ValueError:
    refused = True
cu.check_equal(refused, True, "width 0 refused with a ValueError");

# %% [markdown]
# Beam search at width 1 *is* greedy decoding: with one slot, pruning keeps the single best
# extension. Width 5 finds an output at least as likely as greedy's on nearly every input, but
# not on all by construction: pruning can drop the prefix greedy would have followed.

# %% [markdown]
# ## The beam tree
#
# Here is the search drawn for one input, at the half-trained checkpoint: at each step (column)
# the kept hypotheses in blue, the best of the pruned in grey, each with its character and summed
# log-probability, and the winner's path in red. The buttons change the width; every tree was
# drawn beforehand, so a click only swaps pictures.

# %%
beam5 = texts(width_five)  # the half-trained model's answers at width 5
fixed = [i for i, (g, b, p) in enumerate(zip(early_greedy, beam5, test_pairs)) if g != p.target and b == p.target]
shown = fixed[0] if fixed else example
print(f"input {shown}: {test_pairs[shown].source!r} -> {test_pairs[shown].target}")
trees = {}
for width in (1, 2, 3, 5):
    beams = beams_of(early_model, x_test[shown : shown + 1], width)
    trees[f"width {width}"] = cu.seqplots.plot_beam_tree(beams, 0, target_vocab.tokens, end_id=END_ID, pad_id=PAD_ID,
                                                         title=f"{test_pairs[shown].source!r}, beam width {width}")
cu.widgets.switcher(trees, description="beam")

# %%
# extra code: width 5 as a static figure (what a page without a live kernel shows)
cu.seqplots.plot_beam_tree(beams_of(early_model, x_test[shown : shown + 1], 5), 0, target_vocab.tokens,
                           end_id=END_ID, pad_id=PAD_ID, title=f"{test_pairs[shown].source!r}, beam width 5")
plt.show()

# %% [markdown]
# ## Accuracy per width
#
# Does a wider beam translate better? We decode the whole test set at widths 1, 2, 3, 5 and 10,
# with the half-trained model and with the final one.

# %%
WIDTHS = (1, 2, 3, 5, 10)
table, answers = {}, {}
for label, m in (("half-trained", early_model), ("final", model)):
    for width in WIDTHS:
        answers[label, width] = texts(beams_of(m, x_test, width))
        table[label, width] = exact_and_per_char(answers[label, width], test_pairs)
print(f"{'':14}" + "".join(f"{'width ' + str(w):>15}" for w in WIDTHS))
for label in ("half-trained", "final"):
    print(f"{label + ' exact':17}" + "".join(f"{table[label, w][0]:>15.2%}" for w in WIDTHS))
    print(f"{label + ' per char':17}" + "".join(f"{table[label, w][1]:>15.2%}" for w in WIDTHS))
for label in ("half-trained", "final"):
    for width in (1, 5):
        cu.report(f"exact match, {label}, width {width}", table[label, width][0])

# %%
# extra code: the table as a picture
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharex=True)
for ax, label in zip(axes, ("half-trained", "final")):
    ax.plot(WIDTHS, [table[label, w][0] for w in WIDTHS], "o-", label="exact match")
    ax.plot(WIDTHS, [table[label, w][1] for w in WIDTHS], "s-", label="per character")
    ax.set(title=f"{label} model", xlabel="beam width", xticks=WIDTHS, ylabel="test accuracy")
axes[0].legend(fontsize=10)
plt.show()

# %% [markdown]
# The cases the beam changes, at the half-trained checkpoint (width 5 against greedy):

# %%
changed = [i for i in range(len(test_pairs)) if beam5[i] != early_greedy[i]]
fixes = [i for i in changed if beam5[i] == test_pairs[i].target]
breaks = [i for i in changed if early_greedy[i] == test_pairs[i].target]
still_wrong = [i for i in range(len(test_pairs)) if beam5[i] != test_pairs[i].target]
print(f"width 5 changes {len(changed)} of {len(test_pairs)} answers: fixes {len(fixes)}, breaks {len(breaks)}; "
      f"{len(still_wrong)} stay wrong")
for title, cases in (("fixed by the beam", fixes), ("broken by the beam", breaks), ("wrong either way", still_wrong)):
    print(f"\n{title}:")
    for i in cases[:3]:
        print(f"  {test_pairs[i].source!r:38} truth {test_pairs[i].target}  greedy {early_greedy[i]:10}  "
              f"beam {beam5[i]}")

# %% [markdown]
# When beam search returns a wrong date, whose fault is it? If the model gives the true date a
# higher probability than the wrong answer, the search missed it: a **search error**, which a
# wider beam could fix. If the model prefers the wrong answer, it is a **model error**, and no
# search can fix it. Teacher forcing gives the probability of the true date in one call.

# %%
true_log_probs = tf.nn.log_softmax(early_model([x_test, prev_test])).numpy()
truth_score = np.take_along_axis(true_log_probs, y_test[..., None], axis=-1)[..., 0].sum(axis=1)
model_errors = np.mean([truth_score[i] < width_five.scores[i, 0] for i in still_wrong])
print(f"of the {len(still_wrong)} dates width 5 gets wrong, {model_errors:.1%} are model errors "
      f"(the model prefers the wrong answer to the truth), {1 - model_errors:.1%} search errors")

# %% [markdown]
# Beam search finds outputs the *model* finds more likely, and that is all it promises. For the
# half-trained model this helps a little: it fixes more answers than it breaks, and the exact
# match gains a point or two. It also breaks some: a more likely date under a model that is
# often wrong is not always the right one. Nearly all remaining errors are model errors: the
# model's most likely date is itself wrong, and no width can fix that. Once the model is
# trained, greedy and beam agree on nearly every input. On this task the width buys little; it matters more when
# early choices are short-sighted, as in translation between languages, where beams of 4 to 10
# are the rule.

# %%
# Check: the final exact match is above the mode's floor (fast mode: 90 %; full mode: 99 %).
# At the half-trained checkpoint width 5 fixes more answers than it breaks, gains less than 3.5
# points of exact match, and over 90 % of its remaining errors are model errors; the final
# model's greedy and width-5 answers differ on under 3 % of the inputs, fewer than the
# half-trained model's. In full mode, training takes under 3 minutes.
final_floor = cu.budget(fast=0.90, full=0.99)
cu.check_above(table["final", 1][0], final_floor, "the final model's exact match on the test set (greedy)",
               hint="Train for the mode's full budget; check the decoder reads the target shifted right.")
if not cu.is_fast():
    cu.check_below(run.train_seconds, 180, "the full-mode training time (s), under the summary's 3 minutes")
cu.check_above(len(fixes), len(breaks), "answers width 5 fixes (half-trained), against those it breaks")
cu.check_above(model_errors, 0.9, "the share of width 5's wrong answers that are model errors (half-trained)")
cu.check_below(table["half-trained", 5][0] - table["half-trained", 1][0], 0.035,
               "the gain in exact match from width 1 to width 5 (half-trained)")
final_changed = np.mean([a != b for a, b in zip(answers["final", 1], answers["final", 5])])
cu.check_below(final_changed, min(0.03, len(changed) / len(test_pairs)),
               "the share of answers width 5 changes (final model)");

# %% [markdown]
# ## Why per-character accuracy flatters
#
# A date with one wrong digit is a wrong date, yet it scores 90 % per character. Among the
# half-trained model's wrong answers:

# %%
wrong = [i for i in range(len(test_pairs)) if early_greedy[i] != test_pairs[i].target]
wrong_char = exact_and_per_char([early_greedy[i] for i in wrong], [test_pairs[i] for i in wrong])[1]
one_off = next((i for i in wrong if len(early_greedy[i]) == 10
                and sum(a != b for a, b in zip(early_greedy[i], test_pairs[i].target)) == 1), wrong[0])  # fmt: skip
print(f"{len(wrong)} wrong dates, yet {wrong_char:.0%} of their characters are right")
print(f"e.g. {test_pairs[one_off].source!r}: {early_greedy[one_off]} for {test_pairs[one_off].target}: "
      "90 % per character, a different day")

# %%
# Check: wrong dates still have most of their characters right (over 75 %), so per-character
# accuracy sits at least 10 points above exact match for the half-trained model.
cu.check_above(wrong_char, 0.75, "the per-character accuracy of the wrong dates")
cu.check_above(table["half-trained", 1][1] - table["half-trained", 1][0], 0.1,
               "per-character minus exact-match accuracy (half-trained, greedy)");

# %% [markdown]
# ## A bidirectional encoder
#
# The one-directional encoder reads the source left to right: the first characters it reads must
# survive the most GRU steps in its state. A **bidirectional** encoder runs a second GRU right to
# left and concatenates both final states, so each end of the source is read last by one of
# them. For the same budget we give each direction half the units (the thought vector keeps its
# size, the model has fewer weights) and the same data, epochs and learning rate.

# %%
bi_config = {**config, "bidirectional": True}
bi_run = cu.train_or_load("dates-bigru", functools.partial(build_translator, bidirectional=True), train_translator,
                          bi_config)  # fmt: skip
bi_model = bi_run.model
bi_test = texts(beams_of(bi_model, x_test, 1))  # greedy
bi_exact, bi_char = exact_and_per_char(bi_test, test_pairs)
print(f"{'encoder':18}{'weights':>10}{'training (s)':>14}{'exact match':>13}{'per char':>10}")
for name, r, e, c in (("one-directional", run, final_exact, final_char), ("bidirectional", bi_run, bi_exact, bi_char)):
    print(f"{name:18}{r.model.count_params():>10,}{r.train_seconds:>14.1f}{e:>13.2%}{c:>10.2%}")

# %%
# extra code: exact match per format, for both encoders
print(f"{'format':27}{'one-directional':>17}{'bidirectional':>15}")
for name in cu.FORMAT_NAMES:
    rows = [i for i, p in enumerate(test_pairs) if p.format == name]
    uni_ok = np.mean([greedy_test[i] == test_pairs[i].target for i in rows])
    bi_ok = np.mean([bi_test[i] == test_pairs[i].target for i in rows])
    print(f"{name:27}{uni_ok:>17.1%}{bi_ok:>15.1%}")

# %%
# extra code: the two encoders' teacher-forced validation accuracy per epoch
fig, ax = plt.subplots(figsize=(7, 3.6))
for name, r in (("one-directional", run), ("bidirectional", bi_run)):
    ax.plot(np.arange(1, EPOCHS + 1), r.log["val_accuracy"], "o-", label=name)
ax.set(xlabel="epoch", ylabel="validation accuracy\n(per character, teacher-forced)", xticks=np.arange(1, EPOCHS + 1))
ax.legend()
plt.show()

# %% [markdown]
# On this task the bidirectional encoder buys nothing: at the same number of epochs it ends level
# with the one-directional one or a little below. A likely reason: dates are short (at most 37
# characters), a GRU of 128 units remembers all of one, and the decoder reads $c$ at every step,
# so no end of the source is lost, while each direction has only half the units (exercise 5
# tries 128 each way). Bidirectional encoders earn their place when the decoder can look at *every*
# position of the source, not just the final state: each position then knows its left and its
# right context. That is attention, notebook 11.

# %%
# Check: the bidirectional encoder is not better: its exact match is at most 1 point above the
# one-directional one's, and at most 5 points below.
cu.check_between(bi_exact - final_exact, -0.05, 0.01,
                 "the bidirectional minus the one-directional encoder's exact match (greedy)");

# %% [markdown]
# ## Speed: one batched call per step, against the textbook loop
#
# A common way to write beam search calls `model.predict` on the whole model for each hypothesis
# at each step, re-reading the prefix every time. We time it against our search on the same
# inputs (the batched search given just those inputs), then the batched search and greedy
# decoding over the whole test set at once, where batching pays most.

# %%
def textbook_beam_search(model, source, width, max_length=TARGET_LENGTH):
    beams = [([START_ID], 0.0)]
    for _ in range(max_length):
        candidates = []
        for prefix, score in beams:
            if prefix[-1] == END_ID:
                candidates.append((prefix, score))
                continue
            logits = model.predict([source[None], np.array([prefix])], verbose=0)[0, -1]
            log_probs = logits - np.log(np.sum(np.exp(logits - logits.max()))) - logits.max()
            candidates += [(prefix + [int(t)], score + float(log_probs[t])) for t in np.argsort(-log_probs)[:width]]
        beams = sorted(candidates, key=lambda c: -c[1])[:width]
        if all(prefix[-1] == END_ID for prefix, _ in beams):
            break
    return cu.decode_texts([beams[0][0][1:]], target_vocab)[0]


def seconds(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


N_SLOW = cu.budget(fast=1, full=5)  # several seconds per input
model.predict([x_test[:1], prev_test[:1, :1]], verbose=0)  # warm up both: a first call compiles
beams_of(model, x_test[:N_SLOW], 5)
slow, slow_seconds = seconds(lambda: [textbook_beam_search(model, x_test[i], 5) for i in range(N_SLOW)])
same, same_seconds = seconds(lambda: texts(beams_of(model, x_test[:N_SLOW], 5)))
whole, whole_seconds = seconds(lambda: texts(beams_of(model, x_test, 5)))
_, greedy_seconds = seconds(lambda: greedy_translate(model, x_test))
speedup = slow_seconds / same_seconds
speedup_whole = (slow_seconds / N_SLOW) / (whole_seconds / len(x_test))
cu.report("textbook beam search, width 5, per input", 1000 * slow_seconds / N_SLOW, "ms")
cu.report("batched beam search on the same inputs, per input", 1000 * same_seconds / N_SLOW, "ms")
cu.report("batched beam search on the whole test set, per input", 1000 * whole_seconds / len(x_test), "ms")
cu.report("greedy decoding on the whole test set, per input", 1000 * greedy_seconds / len(x_test), "ms")
cu.report("speed-up of the batched beam on the same inputs", speedup, "times")
cu.report("speed-up per input, whole test set at once", speedup_whole, "times")

# %%
# Check: the two searches give the same answers. On the same inputs, one compiled call per step
# is over 30 times faster than model.predict per hypothesis and step; with the whole test set in
# one batch, over 1,000 times faster per input.
cu.check_equal(slow, same, "the textbook loop's translations of the same inputs")
cu.check_above(speedup, 30, "the batched beam search's speed-up over the textbook loop, same inputs")
cu.check_above(speedup_whole, 1000, "the speed-up per input with the whole test set in one batch");

# %% [markdown]
# On one input the difference is the call: eleven compiled steps for all five hypotheses, against
# about fifty `model.predict` calls, each re-running the whole model on its prefix with tens of
# milliseconds of overhead. Over the whole test set the batch also shares each call between a
# thousand inputs: about half a millisecond per date.

# %% [markdown]
# ## Kept for the next notebooks
#
# Notebook 11 adds attention to this translator and compares it with the one built here;
# notebook 12 builds a transformer for the same task. So the pieces written in this notebook are
# kept in `course_utils`: the dates and vocabularies in `cu.dates`, the decoders in
# `cu.decoding`, `build_translator`, `halves` (as `translator_halves`) and `length_batches` in
# `cu.seq2seq`, and `exact_and_per_char` in `cu.measures`. The check makes sure the copies are the
# same as the originals above.

# %%
# Check: course_utils' copies build the same network, decode the same way and batch the same way.
kept = cu.seq2seq.build_translator(len(source_vocab), len(target_vocab), units=UNITS, embed=EMBED)
kept.set_weights(model.get_weights())  # fails unless every weight has the same shape, in the same order
kept_start, kept_step = cu.seq2seq.translator_halves(kept)
kept_ids, _ = cu.decoding.greedy_decode(kept_step, kept_start(x_test), start_id=START_ID, end_id=END_ID,
                                        max_length=TARGET_LENGTH)
cu.check_equal(sum(a != b for a, b in zip(cu.decode_texts(kept_ids, target_vocab), greedy_test)), 0,
               "test dates where the kept translator's greedy output differs")
ours_first = [yb.numpy()[0].tolist() for _, yb in length_batches(x_train, prev_train, y_train)]
kept_first = [yb.numpy()[0].tolist() for _, yb in cu.seq2seq.length_batches(x_train, prev_train, y_train, seed=SEED)]
cu.check_equal(ours_first == kept_first, True, "the kept length_batches gives the same batches, same seed")
cu.check_equal(cu.measures.exact_and_per_char(greedy_test, [p.target for p in test_pairs]),
               exact_and_per_char(greedy_test, test_pairs), "the kept exact_and_per_char's scores");

# %% [markdown]
# ## This run in numbers

# %%
print(f"mode {cu.mode()}: {len(train_pairs):,} training pairs, GRU of {UNITS} units, {EPOCHS} epochs")
print(f"final model: exact match {final_exact:.2%}, per character {final_char:.2%} (greedy, "
      f"{len(test_pairs):,} test dates); trained in {run.train_seconds:.0f} s")
print(f"bidirectional: exact match {bi_exact:.2%}, trained in {bi_run.train_seconds:.0f} s")
for label in ("half-trained", "final"):
    print(f"exact match of the {label} model per width: "
          + ", ".join(f"{w}: {table[label, w][0]:.2%}" for w in WIDTHS))
print(f"beam width 5 vs greedy at epoch {EARLY}: {len(fixes)} fixed, {len(breaks)} broken; "
      f"batched beam {speedup:,.0f} x faster than the textbook loop on the same inputs, "
      f"{speedup_whole:,.0f} x per input over the whole test set")

# %% [markdown]
# ## Summary
#
# - A **translator** reads one sequence and writes another. The **encoder** GRU reads the source
#   into its final state $c$, the **thought vector**; the **decoder** GRU starts from $c$, reads it
#   again at every step beside the previous character, and scores the next one. In fast mode
#   (4 epochs on 9,600 pairs, about 25 s of training here) it translates about 95 % of the test
#   dates exactly; in full mode (10 epochs on 24,000 pairs, 2 to 3 minutes here) at least 99 %
#   (all 3,000 in our run).
# - **Teacher forcing** trains the decoder on the true previous characters (the target shifted
#   right behind `<start>`), all steps in one call. Decoding alone, the model reads its own
#   output instead: after a first mistake it gets far fewer characters right than when it is
#   fed the truth (**exposure bias**, measured on the half-trained model).
# - **Batches of similar length** pad each batch only to its own longest source: the encoder
#   takes less than half the steps of random batches.
# - **Greedy decoding** takes the most likely token at each step; **beam search** keeps the
#   `width` most likely prefixes by summed log-probability, expands them, prunes, lets finished
#   ones wait, and ranks by a length-normalised score; width 1 is greedy. Every live hypothesis
#   goes through the model in one call per step.
# - Beam search finds outputs the model finds more likely; on this task it adds a point or two
#   of exact match to a half-trained model and almost nothing to a trained one: most errors are
#   the model's, not the search's.
# - **Exact match** is the honest measure: wrong dates still have most of their characters right,
#   so per-character accuracy flatters a weak model.
# - A **bidirectional** encoder, at the same budget, is no better on dates: short inputs, read
#   whole by one GRU. It pays when every source position is read, with attention.
# - Decoding is a loop of compiled steps over a batch, never `model.predict` per hypothesis and
#   step: on the same input the batched beam is about a hundred times faster than that textbook
#   loop, and over the whole test set at once it takes about half a millisecond per date.
#
# The dates (`cu.dates`), the decoders (`cu.decoding`) and the translator (`cu.seq2seq`) are kept
# for notebook 11, which adds attention, and notebook 12, which replaces the GRUs by a transformer.

# %% [markdown]
# ## Exercises
#
# Each exercise has its own answer cell: replace its `...` with your code (or your words), then run
# the check cell after it. A check says "✔" when your answer passes it, and gives a hint, never the
# answer, when it does not. Some checks look only at the form of an answer; the grader's tests look
# further.
#
# **1. Is it a date?** The model's second and third guesses are not always real dates. Write
# `is_real_date(text)` (True for an ISO date that exists, such as "2019-04-22", False for
# "2019-02-30" or "2019-4-22"), and measure in `real_share` which share of the half-trained
# model's 5-best hypotheses (`width_five`, all ranks) are real dates.

# %% [raw]
# # BEGIN QUESTION
# name: q1_is_it_a_date
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
def is_real_date(text):
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


real_share = float(np.mean([is_real_date(t) for rank in range(5) for t in texts(width_five, rank)]))
print(f"{real_share:.1%} of the 5-best hypotheses are real dates")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_is_real_date_on_six_strings(cu, is_real_date, real_share):
    cu.check_equal([is_real_date(t) for t in ("2019-04-22", "2020-02-29", "2019-02-29", "2019-4-22", "2019-13-01", "")],
                   [True, True, False, False, False, False], "is_real_date on six test strings")
    cu.check_between(real_share, 0, 1, "real_share (a share)")


test_is_real_date_on_six_strings(cu, is_real_date, real_share)

# %%
# HIDDEN
def test_real_share_against_the_calendar(cu, calendar, np, real_share, texts, width_five):
    calendar_ok = [len(t) == 10 and t[4] == t[7] == "-" and (t[:4] + t[5:7] + t[8:]).isdigit()
                   and 1 <= int(t[5:7]) <= 12 and 1 <= int(t[8:]) <= calendar.monthrange(int(t[:4]), int(t[5:7]))[1]
                   for rank in range(5) for t in texts(width_five, rank)]
    cu.check_equal(round(real_share, 6), round(float(np.mean(calendar_ok)), 6),
                   "real_share, against a count made with the calendar module")


test_real_share_against_the_calendar(cu, calendar, np, real_share, texts, width_five)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: is_real_date on six strings (the exercise's rule: a real day, written the ISO way), and
# real_share is a share.
cu.check_equal([is_real_date(t) for t in ("2019-04-22", "2020-02-29", "2019-02-29", "2019-4-22", "2019-13-01", "")],
               [True, True, False, False, False, False], "is_real_date on six test strings",
               hint="Which dates exist is a question for the calendar; let Python's standard library answer it.")
cu.check_between(real_share, 0, 1, "real_share (a share)",
                 hint="Average over every hypothesis of width_five: all five ranks, every test source.");

# %% [markdown]
# **2. Think.** Every output here has eleven tokens, so length normalisation cannot change the
# ranking. Construct a two-step example (two hypotheses, their per-token probabilities) where
# $\alpha = 0$ and $\alpha = 1$ pick different winners.

# %% [raw]
# # BEGIN QUESTION
# name: q2_length_normalisation
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* The hypotheses must have different lengths. Let A end after one token with probability 0.4
# (log-probability −0.92), and B take two tokens with probabilities 0.6 and 0.6 (total −1.02).
# With $\alpha = 0$ (the plain sum) A wins, −0.92 > −1.02; with $\alpha = 1$ (the sum divided by
# the length) B wins, −0.51 > −0.92. Without normalisation beam search prefers short outputs, since
# every extra token can only lower the sum.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **3. Try.** Build the translator without `EveryStep` (the decoder reads only $e(y_{t-1})$, and
# gets $c$ only as its starting state $s_0$), train it with `train_translator` and compare its
# validation accuracy per epoch with the model above. Why does carrying $c$ for eleven steps in
# its own state make the decoder's job harder? (Adapt `halves` too: the state is then $s$ alone.)

# %%
# Try it here (your code is not graded: write what you find in the answer cell below).

# %% [raw]
# # BEGIN QUESTION
# name: q3_without_every_step
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* Without `EveryStep` the model learns more slowly and reaches a lower validation accuracy in the
# same epochs, most visibly on the last fields (the day). The decoder's state must then do two jobs
# at once: remember what the source said (the whole date, from $s_0$ only) and track where it is in
# the output; each step overwrites part of the state, so the source information fades over eleven
# steps and must be protected by the gates, which takes training to learn. Reading $c$ at every step
# gives the decoder the source directly, so its state only has to track the output.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **4. The hardest format.** Which format does the half-trained model get wrong most often? Guess
# first, then count the wrong answers of its greedy translations (`width_one`) per `pair.format`
# of `test_pairs`, in a dict (or `collections.Counter`) called `wrong_per_format`.

# %% [raw]
# # BEGIN QUESTION
# name: q4_wrong_per_format
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
wrong_per_format = collections.Counter(pair.format for pair, text in zip(test_pairs, texts(width_one))
                                       if text != pair.target)
print(wrong_per_format.most_common())
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_wrong_per_format_counts_formats(cu, wrong_per_format):
    cu.check_equal(set(wrong_per_format) <= set(cu.FORMAT_NAMES), True, "every key of wrong_per_format is a format")
    cu.check_equal(all(isinstance(n, int) and n > 0 for n in wrong_per_format.values()), True,
                   "every count of wrong_per_format is a positive whole number")


test_wrong_per_format_counts_formats(cu, wrong_per_format)

# %%
# HIDDEN
def test_wrong_per_format_against_the_test_set(cu, wrong_per_format, test_pairs, texts, width_one):
    expected = {}
    for pair, text in zip(test_pairs, texts(width_one)):
        if text != pair.target:
            expected[pair.format] = expected.get(pair.format, 0) + 1
    cu.check_equal(dict(wrong_per_format), expected, "wrong_per_format")


test_wrong_per_format_against_the_test_set(cu, wrong_per_format, test_pairs, texts, width_one)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: wrong_per_format counts, for formats of the course's dates, how many answers were wrong.
cu.check_equal(set(wrong_per_format) <= set(cu.FORMAT_NAMES), True, "every key of wrong_per_format is a format",
               hint="Key the counts by pair.format, for the test pairs whose translation differs from pair.target.")
cu.check_equal(all(isinstance(n, int) and n > 0 for n in wrong_per_format.values()), True,
               "every count of wrong_per_format is a positive whole number",
               hint="Count only the formats that were got wrong at least once.");

# %% [markdown]
# *Was your guess right? Why would that format be the hardest?*

# %% [raw]
# # BEGIN QUESTION
# name: q4_hardest_format
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* Expect the formats with the longest, least regular sources to be wrong most
# often: dates written fully in words (the day and the year spelled out), since the model must
# compose each number from several words, while numeric formats that copy digits are learnt
# first. Compare with your guess: the counts, not the guess, are the answer, and they change with
# the run.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **5. Try.** Give each direction of the bidirectional encoder the full 128 units (the decoder
# then has 256), train it for the same epochs, and compare exact match, weights and training time
# with the two encoders above. Is it a fair comparison any more?

# %%
# Try it here (your code is not graded: write what you find in the answer cell below).

# %% [raw]
# # BEGIN QUESTION
# name: q5_bigger_bidirectional
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* With 128 units per direction the encoder has about twice the weights of the 64 + 64 version (and
# the decoder, with 256 units, roughly four times), and each epoch takes clearly longer; its exact
# match is usually as good or a little better. It is no longer a fair comparison of *architectures*:
# any gain mixes bidirectionality with capacity. A fair comparison holds the number of weights (or
# the compute) fixed, which is what the 64 + 64 split did.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **6. Think, then try.** The weekday is redundant: "Monday 22 April 2019" means the same date
# without it. Translate the source with a *wrong* weekday, "Friday 22 April 2019", with the final
# model (`model`, greedy) and store the translation in `weekday_translation`.

# %% [raw]
# # BEGIN QUESTION
# name: q6_weekday_translation
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
weekday_translation = texts(beams_of(model, cu.encode_texts(["Friday 22 April 2019"], source_vocab, length=40), 1))[0]
print(weekday_translation)
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_weekday_translation_is_a_text(cu, weekday_translation):
    cu.check_equal(isinstance(weekday_translation, str) and len(weekday_translation) > 0, True,
                   "weekday_translation is a text")


test_weekday_translation_is_a_text(cu, weekday_translation)

# %%
# HIDDEN
def test_weekday_translation_is_the_models(cu, weekday_translation, texts, beams_of, model, source_vocab):
    sources = cu.encode_texts(["Friday 22 April 2019"], source_vocab, length=40)
    cu.check_equal(weekday_translation, texts(beams_of(model, sources, 1))[0], "weekday_translation")


test_weekday_translation_is_the_models(cu, weekday_translation, texts, beams_of, model, source_vocab)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: weekday_translation is a text (what it says about the model is yours to read).
cu.check_equal(isinstance(weekday_translation, str) and len(weekday_translation) > 0, True,
               "weekday_translation is a text",
               hint="Translate it the way the test dates were translated, greedily.");

# %% [markdown]
# *Does the model read the weekday at all? What would you expect if it had learned to use it?*

# %% [raw]
# # BEGIN QUESTION
# name: q6_wrong_weekday
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* Typically the translation is still 2019-04-22: the day, month and year fields determine the
# output, and the training data never disagreed with them, so the model had no reason to use the
# weekday (it is redundant, and harder to use than the digits or words that state the date). If it
# had learned to use it, a contradiction would change the output, e.g. move the day to the nearest
# Friday (2019-04-19 or 2019-04-26), or make the model less confident; the attention maps of notebook
# 11 show where it looks.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
