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
# # 09 · A char-RNN on Shakespeare, and what temperature does to its samples
#
# A language model reads a text one symbol at a time and, at every position, gives a probability
# to each symbol that could come next. Trained on Shakespeare, character by character, a small
# recurrent network learns spelling, the shape of a verse line and the layout of a play. Then
# it can *write*: pick a next character from its distribution, feed it back, repeat. How you pick
# matters as much as the model: always the most likely character gives loops, picking from a
# flattened distribution gives gibberish. In this notebook you measure what a model must beat,
# train a GRU language model, write the samplers (greedy, temperature, top-k, nucleus) yourself,
# and measure what each does to the text.
#
# **Learning goals**
# - Read a loss in nats per character, and place it against counted baselines (uniform, unigram, bigram).
# - Train a character-level GRU on windows of text with their shifted targets.
# - Write greedy decoding and sampling with a temperature, top-k and nucleus (top-p) filters, and
#   see on a live bar chart what temperature does to the next-character distribution.
# - Measure what decoding does to generated text: repetition, and how likely the model finds it.
# - Carry a recurrent state across consecutive windows, and check it changes nothing but the bookkeeping.

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
from functools import partial

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from IPython.display import HTML, display
from keras import layers

# %% [markdown]
# ## Load the text and number its characters
#
# The tiny-Shakespeare file holds about 1.1 million characters of plays. We keep the case and the
# punctuation: 65 distinct symbols, each numbered by a vocabulary (the one from notebook 08, which
# numbers characters as well as words, the most frequent first). The last 10 % of the text is
# held out for validation: the model never trains on it.

# %%
text = cu.load_shakespeare()
vocab = cu.Vocabulary.from_tokens(text)
VOCAB = len(vocab)
ids = vocab.encode(text)
split = int(0.9 * len(ids))
train_ids, val_ids = ids[:split], ids[split:]
print(f"{len(text):,} characters, {VOCAB} symbols; {len(train_ids):,} to train on, {len(val_ids):,} held out")
print(text[:250])

# %% [markdown]
# ## What a loss in nats per character means
#
# A model $q$ that gives the next character $x_t$ a probability $q(x_t \mid x_{<t})$ is scored by
# its average surprise on held-out text, the cross-entropy
#
# $$\mathcal{L} = -\frac{1}{N}\sum_{t=1}^{N} \ln q(x_t \mid x_{<t}) \quad \text{nats per character.}$$
#
# A model that spreads its bets evenly over 65 symbols scores $\ln 65 \approx 4.17$; each nat
# less means the model gives the true next character, on average (geometrically), $e \approx 2.7$
# times more probability. Three counted
# models set the bar before any network: **uniform**, **unigram** (each character's frequency in
# the training text, ignoring context) and **bigram** (the frequency of each character after the
# one before it). We add one to every count, so that a pair never seen in training still gets a
# small probability.

# %%
def counted_loss(context_ids, target_ids, counts):
    """Cross-entropy of targets under probabilities counted (plus one) in the training text."""
    probs = (counts + 1) / (counts + 1).sum(axis=-1, keepdims=True)
    return float(-np.mean(np.log(probs[context_ids, target_ids])))


unigram_counts = np.bincount(train_ids, minlength=VOCAB)[None]            # one row: no context
bigram_counts = np.zeros((VOCAB, VOCAB))
np.add.at(bigram_counts, (train_ids[:-1], train_ids[1:]), 1)              # row: the previous character
baselines = {
    "uniform": float(np.log(VOCAB)),
    "unigram": counted_loss(np.zeros(len(val_ids), int), val_ids, unigram_counts),
    "bigram": counted_loss(val_ids[:-1], val_ids[1:], bigram_counts),
}
print({name: round(loss, 3) for name, loss in baselines.items()})

# %%
# extra code: the baselines as bars
fig, ax = plt.subplots(figsize=(6, 3))
ax.barh(list(baselines)[::-1], list(baselines.values())[::-1], color="grey")
ax.set_xlabel("validation loss (nats per character)")
for i, loss in enumerate(list(baselines.values())[::-1]):
    ax.text(loss + 0.05, i, f"{loss:.2f}", va="center")
plt.show()

# %% [markdown]
# Context pays: knowing just the previous character saves more than a nat and a half over the
# uniform guess. Counting longer contexts helps further, up to a point: with Kneser-Ney smoothing,
# a counted 5-gram model reaches about 1.56 nats per character on this split and a 7-gram about
# 1.52 (measured separately; not recomputed here). A network has to beat those with a context it
# learns to summarise rather than look up.

# %%
# Check: each baseline uses more context than the one before and loses less.
cu.check_decreasing(list(baselines.values()), "the uniform, unigram and bigram losses (nats per character)")

# %% [markdown]
# ## Windows of text and their shifted targets
#
# A recurrent network trains on windows of the text. For a window $x_1 \dots x_n$ the targets
# are the same characters shifted by one, $x_2 \dots x_{n+1}$: at every position the network
# predicts the character that follows, so one window gives $n$ training examples. We draw the
# windows at random positions in the training text.

# %%
def random_windows(ids, n_windows, length, rng):
    """n_windows random windows of the text and, for each, the same window shifted by one."""
    starts = rng.integers(0, len(ids) - length - 1, n_windows)
    windows = ids[starts[:, None] + np.arange(length + 1)]
    return windows[:, :-1], windows[:, 1:]


x, y = random_windows(train_ids, 1, 40, np.random.default_rng(0))
print("input: ", repr("".join(vocab.decode(x[0]))))
print("target:", repr("".join(vocab.decode(y[0]))))

# %% [markdown]
# ## Build the GRU language model
#
# Three layers: an **embedding** turns each character's id into a vector, a **GRU** reads the
# window left to right and keeps a state $h_t$ that summarises everything it has read, and a
# dense layer turns each state into 65 scores, the *logits* $z_t$. The softmax of the logits is
# the next-character distribution, $q(\cdot \mid x_{\le t}) = \operatorname{softmax}(z_t)$. The GRU
# updates its state with two gates computed from the input and the old state, in Keras's form:
#
# $$u_t = \sigma(W_u x_t + U_u h_{t-1} + b_u), \qquad r_t = \sigma(W_r x_t + U_r h_{t-1} + b_r),$$
# $$\tilde h_t = \tanh\big(W x_t + r_t \odot (U h_{t-1}) + b\big),$$
# $$h_t = u_t \odot h_{t-1} + (1 - u_t) \odot \tilde h_t .$$
#
# The update gate $u_t$ decides, per unit, how much of the old state to keep; the reset gate $r_t$
# how much of it the candidate $\tilde h_t$ may use. The input shape `(None,)` lets the same model
# read a window of any length.

# %%
EMBED, HIDDEN = 64, cu.budget(fast=128, full=320)


def build_char_rnn(hidden=HIDDEN):
    return keras.Sequential([
        keras.Input((None,), dtype="int32"),
        layers.Embedding(VOCAB, EMBED, name="embed"),
        layers.GRU(hidden, return_sequences=True, name="gru"),
        layers.Dense(VOCAB, name="logits"),
    ], name="char_rnn")


cu.seed_everything()
build_char_rnn().summary()

# %% [markdown]
# ## The forward pass, with the state made visible
#
# Calling the model runs each GRU from a zero state. We will also want to *continue* from a state:
# to generate one character at a time, and later to read a long text window by window. So we
# write the forward pass ourselves, with the state going in and out. A GRU's output at the last
# position *is* its state, which makes the bookkeeping short.

# %%
def forward(model, ids, state, training=False):
    """The logits for every position of ids, starting the GRU from state; and the state at the end."""
    x = model.get_layer("gru")(model.get_layer("embed")(ids), initial_state=state, training=training)
    return model.get_layer("logits")(x), x[:, -1]


def zero_state(model, batch_size):
    return tf.zeros((batch_size, model.get_layer("gru").units))


compiled_forward = tf.function(forward, reduce_retracing=True)  # traced into a graph a few times, then reused


# %% [markdown]
# The validation loss reads the whole held-out text as 32 long streams, carrying the state from the
# first character of each stream to its last: each prediction sees the text before it in its
# stream (up to about 3,500 characters), where a training window starts from a zero state every
# 48 or 100 characters.

# %%
xent = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def validation_loss(model, ids=val_ids, n_streams=32):
    streams = ids[: len(ids) // n_streams * n_streams].reshape(n_streams, -1)
    logits, _ = compiled_forward(model, streams[:, :-1], zero_state(model, n_streams))
    return float(xent(streams[:, 1:], logits))


# %% [markdown]
# ## Train it
#
# Each step draws a batch of random windows, computes the cross-entropy of the logits against the
# shifted targets, and takes an Adam step (the `GradientTape` loop of notebook 01). The learning
# rate follows a cosine from its start value down to almost zero: large steps early, fine ones at
# the end. Every `EVAL_EVERY` steps we measure the validation loss.

# %%
STEPS = cu.budget(fast=400, full=2000)
BATCH, WINDOW = cu.budget(fast=64, full=64), cu.budget(fast=48, full=100)
LEARNING_RATE, EVAL_EVERY = 3e-3, cu.budget(fast=100, full=200)


def make_train_step(model, optimizer):
    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = xent(y, model(x, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    return train_step


# %%
def train_char_rnn(model, steps=STEPS, batch=BATCH, window=WINDOW):
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, steps, alpha=0.02)
    train_step = make_train_step(model, keras.optimizers.Adam(schedule, clipnorm=1.0))
    rng, log = np.random.default_rng(cu.config.default_seed()), {"loss": [], "val_step": [], "val_loss": []}
    for step in (bar := cu.progress_loop(steps)):
        log["loss"].append(float(train_step(*random_windows(train_ids, batch, window, rng))))
        if (step + 1) % EVAL_EVERY == 0 or step + 1 == steps:
            log["val_step"].append(step + 1)
            log["val_loss"].append(validation_loss(model))
        bar.show(loss=np.mean(log["loss"][-50:]))
    return log


# %%
budget = {"steps": STEPS, "batch": BATCH, "window": WINDOW}
config = {**budget, "hidden": HIDDEN, "lr": LEARNING_RATE, "eval_every": EVAL_EVERY, "text": "last 10% held out"}
run = cu.train_or_load("char-gru", partial(build_char_rnn, hidden=HIDDEN), partial(train_char_rnn, **budget), config)
model, log = run.model, run.log
val_loss = float(log["val_loss"][-1])
cu.report("validation loss", val_loss, "nats per character")
cu.report("training time", run.train_seconds, "s")

# %%
# extra code: the training curve against the counted baselines (a moving average of 25 steps)
fig, ax = plt.subplots(figsize=(8, 4.5))
ax.plot(np.arange(25, len(log["loss"]) + 1), cu.moving_average(log["loss"], 25), label="training loss (random windows)")
ax.plot(log["val_step"], log["val_loss"], "o-", label="validation loss")
for (name, loss), style in zip(baselines.items(), [":", "-.", "--"]):
    ax.axhline(loss, color="grey", linestyle=style, label=f"{name} baseline ({loss:.2f})")
ax.set(xlabel="training step", ylabel="loss (nats per character)", ylim=(1, 4.4))
ax.legend(fontsize=10)
plt.show()

# %% [markdown]
# Within a few hundred steps the network passes the bigram count, which sees one character of
# context; what it reads beyond that is learned. In full mode (a GRU of 320 units, 2,000 steps of
# 64 windows of 100 characters, about 6 minutes on a 2-core CPU) it ends near 1.50 nats per
# character, about level with the counted Kneser-Ney 7-gram (1.52, not recomputed here).

# %%
# Check: the network beats the bigram count clearly in fast mode, and in full mode it reaches
# 1.55 nats per character or better (below Kneser-Ney 5-grams).
if cu.is_fast():
    cu.check_below(val_loss, baselines["bigram"] - 0.2, "the GRU's validation loss (fast mode, nats per character)",
                   hint="Train for more steps, or check that the targets are the inputs shifted by one.")
else:
    cu.check_below(val_loss, 1.55, "the GRU's validation loss (full mode, nats per character)",
                   hint="Train for the full budget: COURSE_MODE unset or full.")
    cu.check_below(run.train_seconds, 600, "the training time in full mode (s), within the 10 minutes promised")

# %% [markdown]
# ## Generate text, one character at a time
#
# To write, the model reads a prompt, then repeats: turn the logits at the last position into a
# choice of next character, feed that character back in with the state, get new logits. We compile
# the step with `tf.function` (`compiled_forward` above) and call it directly on a batch of streams:
# never `model.predict` in a loop, which costs tens of milliseconds per call.
#
# The simplest choice is **greedy**: always the most likely character, $\arg\max_c\, z_{t,c}$.

# %%
def generate(prompts, n_chars, choose):
    """Continue each prompt (all of one length) by n_chars; choose(logits, rng) gives the next ids."""
    rng = np.random.default_rng(cu.seed_everything())
    prompt_ids = np.stack([vocab.encode(p) for p in prompts])
    logits, state = compiled_forward(model, prompt_ids, zero_state(model, len(prompts)))
    chosen = []
    for _ in range(n_chars):
        chosen.append(choose(logits[:, -1].numpy(), rng).astype(np.int32))
        logits, state = compiled_forward(model, chosen[-1][:, None], state)
    return ["".join(vocab.decode(row)) for row in np.stack(chosen, axis=1)]


def greedy(logits, rng):
    return logits.argmax(axis=-1)


# %%
def show_text(prompt, continuation):
    """extra code: a prompt (bold) and its continuation as wrapped monospace text."""
    display(HTML(cu.widgets.text_html(continuation, prompt=prompt)))


PROMPT = "ROMEO:\nWhat shall I s"
show_text(PROMPT, generate([PROMPT], 300, greedy)[0])

# %% [markdown]
# Greedy text looks plausible for a line or two, then falls into a loop: the most likely
# continuation of a phrase leads back to the same phrase, and nothing ever breaks the cycle.
# Real text is not a string of most-likely choices.

# %% [markdown]
# ## Sample with a temperature
#
# Instead of the most likely character, **draw** one from the distribution. A *temperature* $T$
# reshapes the distribution before the draw:
#
# $$q_T(c) = \frac{e^{z_c / T}}{\sum_{c'} e^{z_{c'}/T}}.$$
#
# $T = 1$ is the model's own distribution. $T < 1$ sharpens it (as $T \to 0$ all the mass goes to
# the largest logit: greedy), $T > 1$ flattens it towards uniform. Here are the sampler and its
# two filters, written out. **Top-k** keeps only the $k$ most likely characters; **nucleus**
# (top-$p$) keeps the smallest set of most likely characters whose total probability reaches $p$,
# so it keeps few when the model is sure and many when it is not. Both renormalise what they keep.

# %%
def softmax_with_temperature(logits, temperature=1.0):
    if not temperature > 0:
        raise ValueError(f"temperature must be a positive number, got {temperature!r}")
    scaled = logits / temperature
    weights = np.exp(scaled - scaled.max(axis=-1, keepdims=True))  # minus the max: no overflow
    return weights / weights.sum(axis=-1, keepdims=True)


# %%
def top_k_filter(probs, k):
    if k < 1:
        raise ValueError(f"k must be at least 1 (keep at least one token), got {k}")
    ranked = np.argsort(-probs, axis=-1, kind="stable")
    kept = np.zeros(probs.shape, bool)
    np.put_along_axis(kept, ranked[..., :k], True, axis=-1)
    filtered = np.where(kept, probs, 0.0)
    return filtered / filtered.sum(axis=-1, keepdims=True)


# %%
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError(f"p must lie in (0, 1], got {p!r}")
    ranked = np.argsort(-probs, axis=-1, kind="stable")
    sorted_probs = np.take_along_axis(probs, ranked, axis=-1)
    mass_before = np.cumsum(sorted_probs, axis=-1) - sorted_probs   # mass of the characters ranked above
    kept = np.zeros(probs.shape, bool)
    np.put_along_axis(kept, ranked, mass_before < p - 1e-12, axis=-1)  # keep while p is not yet reached
    filtered = np.where(kept, probs, 0.0)
    return filtered / filtered.sum(axis=-1, keepdims=True)


# %%
def sample_next(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    probs = softmax_with_temperature(np.atleast_2d(logits).astype(np.float64), temperature)
    if top_k is not None:
        probs = top_k_filter(probs, top_k)
    if top_p is not None:
        probs = top_p_filter(probs, top_p)
    rng = np.random.default_rng() if rng is None else rng
    cumulative = np.cumsum(probs, axis=-1)                      # draw u ~ U(0, 1): the first c with
    draws = rng.random((len(probs), 1)) * cumulative[:, -1:]    # cumulative probability above u
    return np.minimum((cumulative <= draws).sum(axis=-1), probs.shape[-1] - 1)


# %% [markdown]
# The same four functions are kept in `course_utils.decoding` for notebook 12, which samples from a
# transformer with them. The check below makes sure the two copies agree on the model's own
# distributions; from here on the notebook uses the package's (`cu.decoding`), so that each
# thing has one definition in use.

# %%
val_logits = compiled_forward(model, val_ids[None, :2000], zero_state(model, 1))[0][0].numpy().astype(np.float64)
val_probs = softmax_with_temperature(val_logits)   # 2,000 real next-character distributions
differences = [
    np.abs(softmax_with_temperature(val_logits, 0.7) - cu.decoding.softmax_with_temperature(val_logits, 0.7)).max(),
    np.abs(top_k_filter(val_probs, 5) - cu.decoding.top_k_filter(val_probs, 5)).max(),
    np.abs(top_p_filter(val_probs, 0.9) - cu.decoding.top_p_filter(val_probs, 0.9)).max(),
]
ours = sample_next(val_logits, 0.8, top_k=20, rng=np.random.default_rng(0))
theirs = cu.decoding.sample_next(val_logits, temperature=0.8, top_k=20, rng=np.random.default_rng(0))

# %%
# Check: the notebook's samplers and course_utils.decoding's give the same probabilities and draws.
cu.check_below(max(differences), 1e-9, "the largest difference between the notebook's and the package's filters",
               hint="The notebook's version and cu.decoding's must compute the same thing.")
cu.check_equal(int(np.sum(ours != theirs)), 0, "the draws (of 2,000) where the two samplers differ, same seed")

# %% [markdown]
# ## Check the sampler
#
# A sampler is easy to get subtly wrong (an off-by-one in the cumulative sum shifts every draw by a
# character), so we test the claims made above on the model's distribution after the prompt:
#
# - as $T \to 0$ sampling returns the greedy choice: tested at $T = 10^{-4}$ on 2,000 real contexts,
#   those where the favourite's logit leads the runner-up's by more than $20T$ (then it gets all
#   but $64e^{-20} < 10^{-6}$ of the probability; an exact tie stays a coin toss at any temperature);
# - at $T = 1$ the frequencies $f$ of $N = 100{,}000$ draws match the softmax $q$. We measure the
#   total variation distance $D = \frac12\sum_c |f_c - q_c|$. For a correct sampler its mean is at
#   most $\frac12\sum_c \sqrt{q_c(1-q_c)/N}$ (each $f_c$ has that standard deviation), and one
#   draw moves $D$ by at most $1/N$, so by McDiarmid's inequality $D$ exceeds that mean by more
#   than $\sqrt{\ln(10^4)/(2N)}$ with probability below $10^{-4}$. A sampler off by one symbol, or
#   at the wrong temperature, lands above (checked too: draws at $T = 1.3$ against $q$);
# - top-$k$ keeps exactly $k$ symbols, nucleus the smallest set whose mass reaches $p$;
# - a temperature $\le 0$, $k < 1$ or $p$ outside $(0, 1]$ is refused with a clear error.

# %%
prompt_logits = compiled_forward(model, vocab.encode(PROMPT)[None], zero_state(model, 1))[0][0, -1].numpy()
prompt_logits = prompt_logits.astype(np.float64)
prompt_probs = cu.decoding.softmax_with_temperature(prompt_logits, 1.0)
rng = np.random.default_rng(cu.seed_everything())
COLD = 1e-4
cold = cu.decoding.sample_next(val_logits, temperature=COLD, rng=rng)
top_two = np.sort(val_logits, axis=-1)[:, -2:]
clear_lead = top_two[:, 1] - top_two[:, 0] > 20 * COLD
N = 100_000
draws = cu.decoding.sample_next(np.tile(prompt_logits, (N, 1)), temperature=1.0, rng=rng)
frequencies = np.bincount(draws, minlength=VOCAB) / N
distance = 0.5 * np.abs(frequencies - prompt_probs).sum()
bound = 0.5 * np.sum(np.sqrt(prompt_probs * (1 - prompt_probs) / N)) + np.sqrt(np.log(1e4) / (2 * N))
hot_draws = cu.decoding.sample_next(np.tile(prompt_logits, (N, 1)), temperature=1.3, rng=rng)
hot_distance = 0.5 * np.abs(np.bincount(hot_draws, minlength=VOCAB) / N - prompt_probs).sum()

# %%
# Check: T -> 0 is greedy, and T = 1 draws match the softmax (total variation within the bound above).
print(f"{clear_lead.sum()} of {len(clear_lead)} contexts have a favourite leading by more than 20 T")
cu.check_above(clear_lead.mean(), 0.95, "the share of contexts with a clear favourite")
cu.check_equal(int(np.sum((cold != val_logits.argmax(axis=-1)) & clear_lead)), 0,
               "the contexts with a clear favourite where sampling at T = 1e-4 differs from the greedy choice")
cu.check_below(distance, bound, "the total variation distance between the draws' frequencies and the softmax",
               hint="Draw u uniformly and take the first symbol whose cumulative probability exceeds u.")
cu.check_above(hot_distance, bound, "the same distance for draws at T = 1.3 (a sampler at the wrong temperature)")
shifted_distance = 0.5 * np.abs(np.bincount((draws + 1) % VOCAB, minlength=VOCAB) / N - prompt_probs).sum()
cu.check_above(shifted_distance, bound, "the same distance for draws shifted by one symbol (an off-by-one sampler)")

# %%
K, P = 5, 0.9
kept_k = cu.decoding.top_k_filter(prompt_probs, K) > 0
kept_p = cu.decoding.top_p_filter(prompt_probs, P) > 0
kept_mass, least_kept = prompt_probs[kept_p].sum(), prompt_probs[kept_p].min()
print(f"top-{K} keeps {kept_k.sum()} symbols; nucleus p = {P} keeps {kept_p.sum()}, "
      f"holding {kept_mass:.3f} of the probability")

# %%
# Check: top-k keeps exactly k symbols; the nucleus reaches p, and would not without its least likely member.
cu.check_equal(int(kept_k.sum()), K, "the symbols top-k keeps")
cu.check_equal(bool(prompt_probs[kept_k].min() >= prompt_probs[~kept_k].max()), True,
               "every symbol top-k keeps is at least as likely as every symbol it drops")
cu.check_equal(bool(prompt_probs[kept_p].min() >= prompt_probs[~kept_p].max()), True,
               "every symbol the nucleus keeps is at least as likely as every symbol it drops")
cu.check_between(kept_mass, P, 1.0, "the probability mass the nucleus keeps")
cu.check_below(kept_mass - least_kept, P, "the nucleus's mass without its least likely symbol")
refused = 0
for bad in [dict(temperature=0), dict(temperature=-1.0), dict(top_k=0), dict(top_p=0), dict(top_p=1.5)]:
    try:
        cu.decoding.sample_next(prompt_logits, **bad)
    except ValueError as error:
        refused += 1
        print(f"{bad}: {error}")
cu.check_equal(refused, 5, "the bad settings refused with a ValueError")

# %%
# extra code: what the two filters keep, on the distribution after the prompt
fig, axes = plt.subplots(1, 2, figsize=(12, 3.4))
cu.plot_next_token(prompt_probs, vocab.tokens, kept=kept_k, ax=axes[0], title=f"top-k, k = {K}")
cu.plot_next_token(prompt_probs, vocab.tokens, kept=kept_p, ax=axes[1], title=f"nucleus, p = {P}")
fig.suptitle(f"after {PROMPT!r}: kept (blue) and dropped (grey)")
plt.show()

# %% [markdown]
# ## Temperature as a slider
#
# Move the slider: the bars are the next-character distribution after the prompt at that
# temperature, most likely first, and below them is a text sampled at that temperature. The
# samples were generated beforehand, one per slider position in one batched run, so a move only
# recomputes a softmax and redraws (the panel is `cu.widgets.TemperatureSlider`). Run the notebook
# with a live kernel: on a static page the slider does not respond, and the figure further down
# shows three positions.

# %%
TEMPERATURES = np.round(np.arange(0.1, 2.01, 0.1), 2)


def sample_each_row(temperatures):
    """A chooser that samples row i of the logits at temperatures[i]."""
    def choose(logits, rng):
        return np.array([cu.decoding.sample_next(row, temperature=t, rng=rng) for row, t in zip(logits, temperatures)])
    return choose


texts = generate([PROMPT] * len(TEMPERATURES), 240, sample_each_row(TEMPERATURES))
samples = dict(zip(TEMPERATURES.tolist(), texts))
slider = cu.widgets.TemperatureSlider(prompt_logits, vocab.tokens, samples.__getitem__, prompt=PROMPT,
                                      temperatures=TEMPERATURES, n_bars=40)
display(slider)

# %% [markdown]
# "Redraws in place" is a measurement: the time in the kernel from a slider move to the new chart
# and sample, over every position of the slider, there and back (the browser then paints an SVG of
# 40 bars, a part not measured here).

# %%
durations = []
for temperature in [*TEMPERATURES, *TEMPERATURES[::-1]]:
    started = time.perf_counter()
    slider.slider.value = float(temperature)
    durations.append(time.perf_counter() - started)
slider.slider.value = 1.0
latency = 1000 * np.median(durations)

# %%
# Check: the slider responds at once (100 ms is where a response stops feeling instant).
cu.check_below(latency, 100, "the median slider redraw time (ms)",
               hint="Generate the samples beforehand; a move should only recompute a softmax and redraw.")

# %%
# extra code: the static version of the slider, three temperatures
fig, axes = plt.subplots(1, 3, figsize=(14, 3.4), sharey=True)
for ax, temperature in zip(axes, [0.5, 1.0, 1.5]):
    cu.plot_next_token(cu.decoding.softmax_with_temperature(prompt_logits, temperature), vocab.tokens,
                       n_bars=20, ax=ax, title=f"T = {temperature}")
fig.suptitle(f"the next character after {PROMPT!r}")
plt.show()
for temperature in [0.5, 1.0, 1.5]:
    print(f"T = {temperature}:")
    show_text(PROMPT, samples[temperature])

# %% [markdown]
# At $T = 0.5$ the text is cautious and repetitive, at $T = 1$ it has Shakespeare's look with
# invented words, at $T = 1.5$ the rare characters get their chance and spelling falls apart.
#
# ## Entropy against temperature
#
# One number says how spread out a distribution is: its entropy,
# $H(q_T) = -\sum_c q_T(c) \ln q_T(c)$, from 0 nats (one sure character) to $\ln 65$ (uniform).
# Averaged over 2,000 real contexts from the held-out text, it rises steadily with the temperature.

# %%
grid = np.geomspace(0.1, 10, 25)


def mean_entropy(logits, temperature):
    probs = cu.decoding.softmax_with_temperature(logits, temperature)
    return float(np.mean(-np.sum(probs * np.log(probs + 1e-30), axis=-1)))


entropies = [mean_entropy(val_logits, t) for t in grid]

# %%
# extra code: entropy against temperature, with the uniform ceiling and the model's validation loss
fig, ax = plt.subplots(figsize=(7, 4))
ax.semilogx(grid, entropies, "o-", label="mean entropy of the next-character distribution")
ax.axhline(baselines["uniform"], color="grey", linestyle=":", label=f"uniform, ln {VOCAB}")
ax.axhline(val_loss, color="C1", linestyle="--", label="the model's validation loss")
ax.axvline(1, color="black", linewidth=0.8)
ax.set(xlabel="temperature T", ylabel="nats per character")
ax.legend(fontsize=10)
plt.show()

# %% [markdown]
# At $T = 1$ the model's entropy sits near its validation loss (within 20 %, checked below): it is
# about as uncertain as it is wrong. Near, not equal: in fast mode the small model is a little
# less sure than it should be (entropy about 2 % above the loss), in full mode the big one is
# about 11 % too sure of itself (0.885 of the loss at seed 42). Cross-entropy training pulls
# the two together, but does not make them equal.

# %%
# Check: entropy rises with temperature at every step of the grid, and at T = 1 it is within 20 % of
# the validation loss.
cu.check_above(min(np.diff(entropies)), 0, "the smallest rise in mean entropy between neighbouring temperatures")
cu.check_between(mean_entropy(val_logits, 1.0) / val_loss, 0.8, 1.2,
                 "the mean entropy at T = 1 over the validation loss")

# %% [markdown]
# ## What decoding does to text, measured
#
# Six ways to choose, each writing 2,000 characters (4 continuations of 500 characters, after
# 4 prompts from the held-out text), all 24 continuations written at once, as one batch. Two
# measures for each:
#
# - **repetition**: the share of the text's 10-character strings that repeat one met earlier in
#   the same continuation (real Shakespeare repeats some: names, "my lord");
# - **the model's own loss on the text**: how surprised the model is, at $T = 1$, by what it
#   wrote. Beside it, the held-out loss: how surprised it is by real text.

# %%
def repeated_share(text, n=10):
    grams = [text[i:i + n] for i in range(len(text) - n + 1)]
    return 1 - len(set(grams)) / len(grams)


def own_loss(prompts, continuations):
    """The model's loss (at T = 1) on the continuations, each read after its prompt."""
    full = np.stack([vocab.encode(p + c) for p, c in zip(prompts, continuations)])
    logits, _ = compiled_forward(model, full[:, :-1], zero_state(model, len(full)))
    start = len(prompts[0]) - 1
    return float(xent(full[:, start + 1:], logits[:, start:]))


# %%
N_CHARS, PROMPT_LENGTH = 500, 40
starts = [0, 25000, 50000, 75000]
prompts = ["".join(vocab.decode(val_ids[s:s + PROMPT_LENGTH])) for s in starts]
real = ["".join(vocab.decode(val_ids[s + PROMPT_LENGTH:s + PROMPT_LENGTH + N_CHARS])) for s in starts]
decoders = {
    "greedy": greedy,
    "T = 0.5": lambda z, rng: cu.decoding.sample_next(z, temperature=0.5, rng=rng),
    "T = 1": lambda z, rng: cu.decoding.sample_next(z, temperature=1.0, rng=rng),
    "T = 1.5": lambda z, rng: cu.decoding.sample_next(z, temperature=1.5, rng=rng),
    "top-k, k = 10": lambda z, rng: cu.decoding.sample_next(z, top_k=10, rng=rng),
    "nucleus, p = 0.9": lambda z, rng: cu.decoding.sample_next(z, top_p=0.9, rng=rng),
}

# %%
def each_decoder(logits, rng):
    """Rows 0-3 chosen by the first decoder, rows 4-7 by the second, and so on."""
    blocks = np.split(logits, len(decoders))
    return np.concatenate([choose(block, rng) for choose, block in zip(decoders.values(), blocks)])


started = time.perf_counter()
texts = generate(prompts * len(decoders), N_CHARS, each_decoder)
chars_per_second = len(texts) * N_CHARS / (time.perf_counter() - started)
written = {name: texts[i * len(prompts):(i + 1) * len(prompts)] for i, name in enumerate(decoders)}
written["real text"] = real
table = {name: (np.mean([repeated_share(t) for t in written[name]]), own_loss(prompts, written[name]))
         for name in written}

# %%
print(f"{'decoding':<18}{'repeated 10-grams':>18}{'model loss (nats/char)':>24}")
for name, (repetition, loss) in table.items():
    print(f"{name:<18}{repetition:>17.1%}{loss:>24.2f}")
print(f"{'(held-out loss)':<18}{'':>18}{val_loss:>24.2f}")

# %%
# extra code: the table as two bar charts
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), sharey=True)
names = list(table)
axes[0].barh(names, [100 * table[n][0] for n in names], color=["C0"] * (len(names) - 1) + ["grey"])
axes[0].set(xlabel="repeated 10-character strings (%)")
axes[1].barh(names, [table[n][1] for n in names], color=["C0"] * (len(names) - 1) + ["grey"])
axes[1].axvline(val_loss, color="C1", linestyle="--", label="held-out loss")
axes[1].set(xlabel="the model's loss on the text (nats per character)")
axes[1].legend(fontsize=10)
axes[0].invert_yaxis()
plt.show()

# %% [markdown]
# Greedy text repeats itself far more than real text (most of its 10-character strings come
# back), and the model finds it far *too* likely: at least a quarter less surprising than real
# text. The model's loss on its $T = 1$ samples is close to its loss on real text (within 20 %;
# about 4 % above in fast mode, 11 % below in full mode, where the model is too sure of itself).
# Low temperatures, top-k and nucleus trade some of that variety for safety by shrinking or
# cutting the unlikely tail; $T = 1.5$ adds surprise the model never saw in real text.

# %%
# Check: greedy repeats itself (most strings come back: 10 x real text's share, more than T = 1's)
# and is "too likely"; the model's loss on its T = 1
# text is within 20 % of its held-out loss; hotter sampling gives text the model finds less likely.
# ("Too likely": the model's loss on greedy text is at most 3/4 of its loss on real text.)
cu.check_above(table["greedy"][0] - table["T = 1"][0], 0.1, "greedy's repeated share minus T = 1's",
               hint="Greedy should fall into loops.")
cu.check_above(table["greedy"][0], 0.5, "the share of greedy text's 10-character strings that come back")
cu.check_above(table["greedy"][0] - 10 * table["real text"][0], 0, "greedy's repeated share minus 10 x real text's")
cu.check_below(table["greedy"][1] / val_loss, 0.75, "the model's loss on its greedy text over its held-out loss")
cu.check_between(table["T = 1"][1] / val_loss, 0.8, 1.2, "the model's loss on its T = 1 text over its held-out loss")
cu.check_decreasing([table[n][1] for n in ["T = 1.5", "T = 1", "T = 0.5", "greedy"]],
                    "the model's loss on its text from T = 1.5 down to greedy")

# %% [markdown]
# ## Generation cost
#
# Generating is sequential: each character needs the one before. What we control is the cost of
# one step. The table above was written at the speed below, by the compiled step called directly;
# next to it, the time of one step through `model.predict`, which builds a dataset and a
# prediction loop on every call.

# %%
one_char, no_state = np.array([[vocab.index("a")]]), zero_state(model, 1)
timings = {}
for name, call in [("compiled step", lambda: compiled_forward(model, one_char, no_state)),
                   ("model.predict", lambda: model.predict(one_char, verbose=0))]:
    call()  # the first call traces or builds: not timed
    started = time.perf_counter()
    for _ in range(20):
        call()
    timings[name] = (time.perf_counter() - started) / 20 * 1000
print({name: f"{ms:.1f} ms per call" for name, ms in timings.items()})
cu.report("generation speed (24 streams at once)", chars_per_second, "characters per second")

# %%
# Check: a direct compiled step is at least 5 times faster than model.predict.
cu.check_above(timings["model.predict"] / timings["compiled step"], 5,
               "the time of model.predict over the compiled step's")

# %% [markdown]
# ## A stateful RNN: the state carried across windows
#
# Training on random windows, the GRU starts every window from a zero state, so it can never learn
# to use more than `WINDOW` characters of context. A **stateful** RNN instead reads the text in
# consecutive windows and starts each from the state where the previous one ended. Nothing about
# the weights changes, only the bookkeeping: reading a text in consecutive windows with the state
# carried over must give exactly the probabilities of one run over the whole text. We check that
# on 1,000 characters read in 10 windows of 100. (Keras can keep the state for you, with
# `layers.GRU(..., stateful=True)` and a fixed batch size; here we carry it by hand, which shows
# what it does.)

# %%
text_ids = val_ids[None, :1000]
whole, _ = compiled_forward(model, text_ids, zero_state(model, 1))
state, pieces = zero_state(model, 1), []
for start in range(0, 1000, 100):
    logits, state = compiled_forward(model, text_ids[:, start:start + 100], state)
    pieces.append(logits)
windowed = tf.concat(pieces, axis=1)
gap = float(tf.reduce_max(tf.abs(tf.nn.softmax(whole) - tf.nn.softmax(windowed))))
fresh = tf.concat([compiled_forward(model, text_ids[:, start:start + 100], zero_state(model, 1))[0]
                   for start in range(0, 1000, 100)], axis=1)   # each window from a zero state
fresh_gap = float(tf.reduce_max(tf.abs(tf.nn.softmax(whole) - tf.nn.softmax(fresh))))

# %%
# Check: the same next-character probabilities, windowed with the state carried or in one run; while
# restarting each window from a zero state changes some probability by more than 0.1.
cu.check_below(gap, 1e-5, "the largest difference in probability, windows with carried state vs one run")
cu.check_above(fresh_gap, 0.1, "the largest difference in probability, windows from a zero state vs one run")

# %% [markdown]
# To *train* statefully, cut the training text into `batch` long streams, one per row of the batch,
# and walk through them window by window: each step's windows continue the previous step's, and
# the state flows from one step to the next. The gradient stops at the window's edge (truncated
# backpropagation through time), so each step costs what a stateless one does.

# %%
def train_stateful(model, steps=STEPS, batch=BATCH, window=WINDOW):
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, steps, alpha=0.02)
    optimizer, params = keras.optimizers.Adam(schedule, clipnorm=1.0), model.trainable_variables
    streams = train_ids[: len(train_ids) // batch * batch].reshape(batch, -1)

    @tf.function
    def train_step(x, y, state):
        with tf.GradientTape() as tape:
            logits, state = forward(model, x, state, training=True)
            loss = xent(y, logits)
        optimizer.apply_gradients(zip(tape.gradient(loss, params), params))
        return loss, state

    state, log = zero_state(model, batch), {"loss": []}
    for i in (bar := cu.progress_loop(steps)):
        start = i * window % (streams.shape[1] - window - 1)
        if start < window:                              # back at the start of the streams: a fresh state
            state = zero_state(model, batch)
        loss, state = train_step(streams[:, start:start + window], streams[:, start + 1:start + window + 1], state)
        log["loss"].append(float(loss))
        bar.show(loss=np.mean(log["loss"][-50:]))
    return log


# %% [markdown]
# A fair comparison trains two models the same way but for the state: the same small GRU (128
# units), steps, batch, window and learning-rate schedule, one on random windows, the other
# statefully on consecutive ones, both scored on the held-out text the same way. Small, so that it
# costs seconds in either mode (in fast mode the stateless one is the model above, loaded from the
# cache).

# %%
SMALL = {"steps": cu.budget(fast=400, full=400), "batch": cu.budget(fast=64, full=64),
         "window": cu.budget(fast=48, full=48)}
small_build, small_config = partial(build_char_rnn, hidden=128), {**config, **SMALL, "hidden": 128}
stateless_run = cu.train_or_load("char-gru", small_build, partial(train_char_rnn, **SMALL), small_config)
stateful_run = cu.train_or_load("char-gru-stateful", small_build, partial(train_stateful, **SMALL), small_config)
stateless_loss, stateful_loss = validation_loss(stateless_run.model), validation_loss(stateful_run.model)
print(f"validation loss: stateless {stateless_loss:.3f}, stateful {stateful_loss:.3f} nats per character")

# %%
# extra code: both training curves
fig, ax = plt.subplots(figsize=(8, 4))
for run_, name, loss in [(stateless_run, "stateless, random windows", stateless_loss),
                         (stateful_run, "stateful, consecutive windows", stateful_loss)]:
    ax.plot(np.arange(25, len(run_.log["loss"]) + 1), cu.moving_average(run_.log["loss"], 25),
            label=f"{name} (validation {loss:.2f})")
ax.axhline(baselines["bigram"], color="grey", linestyle="--", label="bigram baseline")
ax.set(xlabel="training step", ylabel="training loss (nats per character)", ylim=(1, 4.4))
ax.legend(fontsize=10)
plt.show()

# %% [markdown]
# On this budget the two end close together on the held-out text, scored the same way (long
# streams, state carried). Their training curves measure different things: the stateful model's
# loss is taken with its state carried in, the stateless one's from a zero state at every window,
# so the curves' gap is not a gap in quality. The stateful model can learn from context longer than
# a window; random windows give more varied batches (consecutive ones are the same streams, a
# window further on). Which wins depends on the budget and the data, and we have not measured
# why; on a small budget random windows are the simple choice, which is why the main model used
# them.

# %%
# Check: stateful training reaches the stateless model's loss within 0.15 nats per character.
cu.check_below(abs(stateful_loss - stateless_loss), 0.15,
               "the gap between the stateful and the stateless model's validation loss (nats per character)")

# %% [markdown]
# ## This run in numbers
#
# The figures a report on this notebook needs, gathered from the cells above (the decoding table
# and the samples at three temperatures are printed where they were made).

# %%
print(f"mode {cu.mode()}; baselines: " + ", ".join(f"{n} {loss:.3f}" for n, loss in baselines.items()))
print(f"GRU of {HIDDEN} units, {STEPS} steps of {BATCH} windows of {WINDOW}: validation loss {val_loss:.3f} "
      f"nats per character after {run.train_seconds:.0f} s of training")
print(f"slider redraw {latency:.1f} ms (median); generation {chars_per_second:,.0f} characters per second")

# %% [markdown]
# ## Summary
#
# - Losses are read in **nats per character** against counted baselines: uniform
#   $\ln 65 = 4.17$, unigram 3.35, bigram 2.48 on this split;
#   Kneser-Ney 5- and 7-grams reach about 1.56 and 1.52.
# - A **char-level GRU** trains on random windows with their targets shifted by one. In fast mode
#   (128 units, 400 steps of 64 windows of 48 characters, 15-20 s of training here) it reaches
#   about 2.01, well below the bigram count; in full mode (320 units, 2,000 steps of 64 windows of
#   100, about 6 minutes of training on a shared 2-core CPU) it reaches about 1.50, below the
#   counted 7-gram.
# - **Greedy** decoding loops; **sampling** at a **temperature** $T$ draws from
#   $\operatorname{softmax}(z/T)$: sharper below 1, flatter above, greedy as $T \to 0$. The
#   entropy of the distribution rises with $T$. **Top-k** and **nucleus** sampling cut the
#   unlikely tail, by count or by mass.
# - Measured on 2,000 generated characters: greedy text repeats itself (most of its 10-character
#   strings, against about 1 % in real text) and the model finds it far more likely than real text;
#   $T = 1$ text is about as likely as real text; $T = 1.5$ much less.
# - The temperature slider redraws in about a millisecond because its samples were generated
#   beforehand.
# - Generate with a compiled step called directly (under a millisecond a step, about 14,000
#   characters per second for 24 streams at once here), never `model.predict` per character
#   (about 50 ms a call).
# - A **stateful** RNN carries its state across consecutive windows: the same probabilities as
#   one run over the whole text, and a way to train on context longer than a window.
#
# The samplers are kept in `course_utils.decoding` (taught here) for notebook 12.

# %% [markdown]
# ## Exercises
#
# Each exercise has its own answer cell: replace its `...` with your code (or your words), then run
# the check cell after it. A check says "✔" when your answer passes it, and gives a hint, never the
# answer, when it does not. Some checks look only at the form of an answer; the grader's tests look
# further.
#
# **1. A trigram baseline.** Count trigrams (the next character after the two before it) in the
# training text, add one to every count as for the bigram, and store the validation loss in
# `trigram_loss`.

# %% [raw]
# # BEGIN QUESTION
# name: q1_trigram
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
trigram_counts = np.zeros((VOCAB * VOCAB, VOCAB))
np.add.at(trigram_counts, (train_ids[:-2] * VOCAB + train_ids[1:-1], train_ids[2:]), 1)
trigram_loss = counted_loss(val_ids[:-2] * VOCAB + val_ids[1:-1], val_ids[2:], trigram_counts)
print(f"trigram: {trigram_loss:.3f} nats per character")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_trigram_loss_is_a_loss(cu, np, trigram_loss, VOCAB):
    cu.check_between(trigram_loss, 0, np.log(VOCAB), "trigram_loss (nats per character, at most a uniform guess's)")


test_trigram_loss_is_a_loss(cu, np, trigram_loss, VOCAB)

# %%
# HIDDEN
def test_two_characters_beat_one(cu, trigram_loss, baselines):
    cu.check_below(trigram_loss, baselines["bigram"] - 0.1, "the trigram's validation loss (nats per character)")


test_two_characters_beat_one(cu, trigram_loss, baselines)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: trigram_loss is a loss in nats per character, no worse than guessing uniformly (where it
# falls against the bigram and the network is yours to find out).
cu.check_between(trigram_loss, 0, np.log(VOCAB), "trigram_loss (nats per character, at most a uniform guess's)",
                 hint="counted_loss takes context ids: a pair of previous characters needs one id of its own.");

# %% [markdown]
# *Where does it fall between the bigram and the network, and why?*

# %% [raw]
# # BEGIN QUESTION
# name: q1_where_the_trigram_falls
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* Between them: two characters of context beat one (the trigram's loss is clearly below the
# bigram's), but it stays well above the GRU's. Counts cannot generalise: most pairs of characters
# are seen rarely, so their counts are noisy (add-one smoothing spreads mass over unseen
# continuations), and a longer context would need exponentially more counts. The network shares what
# it learns across contexts and reads a much longer history in its state.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **2. Min-p sampling.** Another filter keeps every character whose probability is at least a
# fraction `ratio` of the most likely one's. Write `min_p_filter(probs, ratio)` (rows of
# probabilities in, renormalised rows out; refuse a ratio outside (0, 1] with a `ValueError`) and
# count what it keeps after the prompt at `ratio = 0.1` in `kept_min_p`.

# %% [raw]
# # BEGIN QUESTION
# name: q2_min_p
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
def min_p_filter(probs, ratio):
    if not 0 < ratio <= 1:
        raise ValueError(f"ratio must lie in (0, 1], got {ratio!r}")
    kept = probs >= ratio * probs.max(axis=-1, keepdims=True)
    filtered = np.where(kept, probs, 0.0)
    return filtered / filtered.sum(axis=-1, keepdims=True)


kept_min_p = int(np.count_nonzero(min_p_filter(prompt_probs, 0.1)))
print(f"min-p 0.1 keeps {kept_min_p} characters")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_min_p_on_two_rows(cu, np, min_p_filter):
    toy = np.array([[0.5, 0.3, 0.04, 0.16], [0.25, 0.25, 0.25, 0.25]])
    cu.check_answer(min_p_filter(toy, 0.1), "216549cfcbded337", "min_p_filter(toy, 0.1)", digits=6)
    cu.check_answer(min_p_filter(toy, 0.5), "488ac8addbd5f755", "min_p_filter(toy, 0.5)", digits=6)
    try:
        min_p_filter(toy, 1.5)
        refused_ratio = False
    except ValueError:
        refused_ratio = True
    cu.check_equal(refused_ratio, True, "a ratio of 1.5 refused with a ValueError")


test_min_p_on_two_rows(cu, np, min_p_filter)

# %%
# HIDDEN
def test_min_p_on_the_model(cu, np, min_p_filter, kept_min_p, prompt_probs, val_probs):
    cu.check_equal(kept_min_p, int(np.sum(prompt_probs >= 0.1 * prompt_probs.max())), "the characters min-p keeps")
    rows = min_p_filter(val_probs[:50], 0.2)
    cu.check_below(float(np.abs(rows.sum(axis=-1) - 1).max()), 1e-9, "how far a filtered row's sum is from 1")
    kept = val_probs[:50] >= 0.2 * val_probs[:50].max(-1, keepdims=True)
    cu.check_equal(bool(np.all((rows > 0) == kept)), True, "min-p's rows on 50 contexts")


test_min_p_on_the_model(cu, np, min_p_filter, kept_min_p, prompt_probs, val_probs)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: min_p_filter on two made-up rows of probabilities, at two ratios, and its refusal of a
# ratio outside (0, 1].
toy = np.array([[0.5, 0.3, 0.04, 0.16], [0.25, 0.25, 0.25, 0.25]])
cu.check_answer(min_p_filter(toy, 0.1), "216549cfcbded337", "min_p_filter(toy, 0.1)", digits=6,
                hint="Each row's threshold is ratio times that row's largest probability; renormalise what is kept.")
cu.check_answer(min_p_filter(toy, 0.5), "488ac8addbd5f755", "min_p_filter(toy, 0.5)", digits=6,
                hint="Work row by row (keepdims=True keeps the shapes compatible); ties at the threshold are kept.")
try:
    min_p_filter(toy, 1.5)
    refused_ratio = False
except ValueError:
    refused_ratio = True
cu.check_equal(refused_ratio, True, "a ratio of 1.5 refused with a ValueError");

# %% [markdown]
# **3. Inside a word and after a space.** The nucleus keeps few characters in the middle of a word
# and many after a space. Count what the nucleus (`cu.decoding.top_p_filter` at `P`) keeps after the
# prompts `"ROMEO:\nWhat shall I s"` and `"ROMEO:\nWhat shall I "`, in `kept_mid_word` and
# `kept_after_space`.

# %% [raw]
# # BEGIN QUESTION
# name: q3_nucleus_counts
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
def nucleus_size(prompt):
    logits = compiled_forward(model, vocab.encode(prompt)[None], zero_state(model, 1))[0][0, -1].numpy()
    probs = cu.decoding.softmax_with_temperature(logits.astype(np.float64), 1.0)
    return int(np.count_nonzero(cu.decoding.top_p_filter(probs, P)))


kept_mid_word = nucleus_size("ROMEO:\nWhat shall I s")
kept_after_space = nucleus_size("ROMEO:\nWhat shall I ")
print(f"the nucleus keeps {kept_mid_word} characters inside the word, {kept_after_space} after the space")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_two_counts(cu, kept_mid_word, kept_after_space, VOCAB):
    cu.check_between(kept_mid_word, 1, VOCAB, "kept_mid_word (a number of characters)")
    cu.check_between(kept_after_space, 1, VOCAB, "kept_after_space (a number of characters)")


test_two_counts(cu, kept_mid_word, kept_after_space, VOCAB)

# %%
# HIDDEN
def test_nucleus_counts(cu, np, kept_mid_word, kept_after_space, kept_p, compiled_forward, model, vocab,
                        zero_state, P):
    cu.check_equal(kept_mid_word, int(kept_p.sum()), "kept_mid_word, against the lesson's nucleus")
    logits = compiled_forward(model, vocab.encode("ROMEO:\nWhat shall I ")[None], zero_state(model, 1))[0][0, -1]
    probs = cu.decoding.softmax_with_temperature(logits.numpy().astype(np.float64), 1.0)
    cu.check_equal(kept_after_space, int(np.count_nonzero(cu.decoding.top_p_filter(probs, P))), "kept_after_space")
    cu.check_above(kept_after_space, kept_mid_word, "the nucleus after a space, against inside the word")


test_nucleus_counts(cu, np, kept_mid_word, kept_after_space, kept_p, compiled_forward, model, vocab, zero_state, P)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: two numbers of characters (which is larger is yours to see, and to explain below).
cu.check_between(kept_mid_word, 1, VOCAB, "kept_mid_word (a number of characters)",
                 hint="Run the model on each prompt as the lesson did for PROMPT, then filter its last distribution.")
cu.check_between(kept_after_space, 1, VOCAB, "kept_after_space (a number of characters)",
                 hint="Count the non-zero entries of the filtered distribution.");

# %% [markdown]
# *Why does the nucleus keep few characters in the middle of a word and many after a space?*

# %% [raw]
# # BEGIN QUESTION
# name: q3_nucleus_width
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* In the middle of a word the next character is nearly determined by the letters so far ("s" after
# "shall I " is most likely followed by "a", "p", "e", "h", "t", "w"): a few characters hold 90% of
# the mass, so the nucleus is small. After a space a new word starts, and many first letters are
# plausible, so the distribution is flat and the nucleus needs many characters to reach p. This is
# nucleus sampling's point: a fixed top-k would be too wide inside words and too narrow between them.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **4. Think.** At $T = 1$ the model's loss on its own samples is close to its validation loss. Would
# that still hold for a model that had memorised its training text? What would the two numbers be?

# %% [raw]
# # BEGIN QUESTION
# name: q4_memorised_model
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* No. A model that memorised its training text would be almost certain of every next character
# while it reproduces that text, so its loss on its own samples (which are copies of the training
# text) would be close to 0 nats per character, while its validation loss, on text it has not seen,
# would be high (above even the count baselines, since a memorising model is confidently wrong).
# The match at $T = 1$ only says the model samples from its own distribution; the gap between the two
# numbers is the sign of memorisation.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
