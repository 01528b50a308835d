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
# # 01 · Autoencoders
#
# An autoencoder is a network trained to give back its own input. That sounds useless until you
# squeeze the signal through a narrow middle layer: to rebuild a 784-pixel image from 20 numbers,
# the network has to discover what the images have in common. Those 20 numbers, the *code*, are a
# representation learned without a single label. In this notebook you build a dense autoencoder
# for Fashion-MNIST, train it twice (once with a hand-written training loop, once with `fit`),
# watch it learn, and measure how the size of the code limits what it can rebuild.
#
# **Learning goals**
# - Name the encoder, the decoder, the code and the reconstruction objective, in words and in a formula.
# - Train an autoencoder with an explicit `GradientTape` loop and with `fit`, and see they are the same thing.
# - Judge a reconstruction error against a baseline, and measure how it falls as the code grows.
# - Read the learned codes of the 8-3-8 toy problem.
# - Explain why an *overcomplete* autoencoder can get a low error without learning anything useful.

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
from functools import partial

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import layers
from scipy.spatial.distance import pdist

# %% [markdown]
# ## Load the images
#
# Fashion-MNIST holds 70,000 grey-scale pictures of clothes, 28×28 pixels, in 10 classes. We scale
# the pixels to $[0, 1]$. In fast mode (tests) we keep a small subset; in full mode, everything.
# Offline with nothing cached, the loader says so and uses real handwritten digits instead.

# %%
N_TRAIN, N_TEST = cu.budget(fast=3000, full=60000), cu.budget(fast=1000, full=10000)
data = cu.load_fashion_mnist(n_train=N_TRAIN, n_test=N_TEST)
x_train, x_test = data.x_train, data.x_test
cu.show_images(x_test[:10], labels=[data.class_names[y] for y in data.y_test[:10]]);

# %% [markdown]
# ## Encoder, decoder and the objective
#
# An autoencoder is two functions trained together:
#
# - the **encoder** $f_\phi$ maps an image $x \in \mathbb{R}^{784}$ to a code $z = f_\phi(x) \in \mathbb{R}^{k}$;
# - the **decoder** $g_\theta$ maps the code back to a reconstruction $\hat{x} = g_\theta(z)$.
#
# Training minimises the reconstruction error, here the mean squared error per pixel over the
# $N$ training images:
#
# $$\mathcal{L}(\phi, \theta) = \frac{1}{784\,N}\sum_{i=1}^{N} \big\lVert x_i - g_\theta(f_\phi(x_i)) \big\rVert^2 .$$
#
# No labels appear anywhere: the image is its own target. When $k < 784$ the autoencoder is
# **undercomplete**, and the only way to make $\mathcal{L}$ small is to keep in $z$ what matters
# most about the images.

# %% [markdown]
# ## Build the encoder and the decoder
#
# Our encoder goes 784 → 256 → 128 → 20 and the decoder mirrors it, 20 → 128 → 256 → 784. The
# decoder's last layer uses a sigmoid so every output pixel lies in $[0, 1]$, like the inputs.

# %%
def build_autoencoder(code_size=20):
    encoder = keras.Sequential([
        keras.Input((28, 28)),
        layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dense(128, activation="relu"),
        layers.Dense(code_size),
    ], name="encoder")
    decoder = keras.Sequential([
        keras.Input((code_size,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(256, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
        layers.Reshape((28, 28)),
    ], name="decoder")
    return keras.Sequential([encoder, decoder], name=f"autoencoder_{code_size}")


# %%
cu.seed_everything()
build_autoencoder().summary()

# %% [markdown]
# ## Train it with an explicit loop
#
# Training is a loop over mini-batches: run the batch through the autoencoder, measure the loss,
# ask `GradientTape` for the gradient of the loss with respect to every weight, and let the
# optimiser take a step. Writing it out once shows there is no magic in `fit`.
#
# The budgets come from the mode: small in fast mode, the real thing in full mode.

# %%
EPOCHS = cu.budget(fast=8, full=10)
BATCH_SIZE = cu.budget(fast=128, full=256)
LEARNING_RATE = 3e-3
EARLY_STEPS = 10  # we also keep the reconstructions after the very first 10 steps
watched = x_test[:10]  # ten test images whose reconstructions we keep as training goes


# %% [markdown]
# First, one training step. The decorator `@tf.function` asks TensorFlow to trace the Python
# function once into a graph of tensor operations and to run that graph on every later call: the
# same computation, without Python's overhead at each of the thousands of steps.

# %%
def make_train_step(model, optimizer):
    @tf.function
    def train_step(images):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(images - model(images, training=True)))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss

    return train_step


# %% [markdown]
# Then the loop: one pass over the shuffled batches per epoch, keeping the mean loss and the
# reconstructions of the watched images after each epoch (and once after the first few steps).
# `cu.progress_loop` runs over the epochs like `range` does, and shows one line that updates in
# place: the epoch reached, the latest loss, the time so far and the time left. Every training
# cell of the course shows its progress this way, so a slow cell is never a silent one.

# %%
def train_with_tape(model):
    train_step = make_train_step(model, keras.optimizers.Adam(LEARNING_RATE))
    batches = tf.data.Dataset.from_tensor_slices(x_train).shuffle(len(x_train)).batch(BATCH_SIZE)
    log = {"loss": [], "snapshots": []}
    epochs = cu.progress_loop(range(1, EPOCHS + 1), unit="epoch")
    for epoch in epochs:
        losses = []
        for images in batches:
            losses.append(train_step(images))
            if epoch == 1 and len(losses) == EARLY_STEPS:
                log["early"] = model(watched, training=False).numpy()
        log["loss"].append(np.mean(losses))
        log["snapshots"].append(model(watched, training=False).numpy())
        epochs.show(loss=log["loss"][-1])
    return log


# %% [markdown]
# `cu.train_or_load` runs the training once and caches the result under a key made of the name,
# the configuration and the architecture; run the cell again (or come back tomorrow) and the
# trained model loads in a second.

# %%
config = {"epochs": EPOCHS, "batch_size": BATCH_SIZE, "lr": LEARNING_RATE,
          "data": data.source, "n_train": len(x_train)}
tape_run = cu.train_or_load("dense-ae-tape", build_autoencoder, train_with_tape, config)
cu.plot_curves({"loss": tape_run.log["loss"]}, ylabel="MSE per pixel", title="GradientTape loop");

# %% [markdown]
# ## Watch it learn
#
# Here are the ten watched test images (top row) and their reconstructions after the first 10
# steps, then at later epochs. The first reconstructions are blurry and look alike: the network
# learns what the images have in common before it learns what tells them apart. Later epochs add
# the details that make each reconstruction its own.

# %%
shown_epochs = sorted({e for e in (1, (EPOCHS + 1) // 2, EPOCHS) if e <= EPOCHS})
rows = {f"after {EARLY_STEPS} steps": tape_run.log["early"]}
rows.update({f"after epoch {e}": tape_run.log["snapshots"][e - 1] for e in shown_epochs})
cu.show_reconstructions(watched, rows);

# %% [markdown]
# "Look alike" can be measured: the mean squared difference between two different images,
# averaged over all pairs of the ten. An autoencoder that gave everyone the same average image
# would score 0; one that kept every difference would score as much as the originals.

# %%
def spread(images):
    """Mean squared difference per pixel between two different images of the batch, over all pairs."""
    flat = images.reshape(len(images), -1)
    return float(pdist(flat, "sqeuclidean").mean() / flat.shape[1])


early_kept = spread(tape_run.log["early"]) / spread(watched)
last_kept = spread(tape_run.log["snapshots"][-1]) / spread(watched)
print(f"share of the originals' spread kept: after {EARLY_STEPS} steps {early_kept:.2f}, "
      f"after epoch {EPOCHS} {last_kept:.2f}")

# %%
# Check: early on the reconstructions look alike (they keep less than half of the originals'
# differences); by the last epoch they have grown apart (they keep more than half).
cu.check_below(early_kept, 0.5, f"the share of the originals' spread kept after {EARLY_STEPS} steps",
               hint="The first reconstructions should be close to one blurry average image.")
cu.check_above(last_kept, 0.5, f"the share of the originals' spread kept after epoch {EPOCHS}",
               hint="The trained reconstructions should differ from each other: train for more epochs.")

# %% [markdown]
# ## Train the same model with `fit`
#
# Keras's `fit` runs the same loop for us: we only name the optimiser and the loss. The live plot
# redraws the curves after every epoch (handy on a projector); the validation curve is the error
# on test images the model never trains on.

# %%
def train_with_fit(model, images=x_train, epochs=EPOCHS, live=True):
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse")
    if live:  # the curves, redrawn after every epoch
        progress = cu.LivePlot(["loss", "val_loss"], ylabel="MSE per pixel", title="Training with fit")
    else:  # one progress line
        progress = cu.ProgressCallback()
    history = model.fit(images, images, epochs=epochs, batch_size=BATCH_SIZE,
                        validation_data=(x_test, x_test), callbacks=[progress], verbose=0)
    return history.history


# %%
fit_run = cu.train_or_load("dense-ae", build_autoencoder, train_with_fit, config)
autoencoder = fit_run.model
if fit_run.from_cache:  # no live plot when it loads: draw the curves its training recorded
    cu.plot_curves(fit_run.log, ylabel="MSE per pixel", title="Training with fit");

# %% [markdown]
# ## Measure against a baseline
#
# How good is the error of the model we just trained? We measure it on the test images as the
# objective above defines it, the mean squared error per pixel, for the $N$ test images $x_i$ and
# their reconstructions $\hat{x}_i$:
#
# $$\text{error} = \frac{1}{784\,N}\sum_{i=1}^{N} \big\lVert x_i - \hat{x}_i \big\rVert^2 .$$
#
# `cu.reconstruction_error(model, images)` computes exactly this (it runs the model with
# `training=False`, a thousand images at a time), so every later notebook measures its
# autoencoders with the same function.
#
# A number means little on its own, so we compare it with the laziest possible "autoencoder": one
# that ignores its input and always outputs the mean training image. Any code worth having must
# beat that by a wide margin: at least halve its error.

# %%
baseline_error = float(np.mean((x_test - x_train.mean(axis=0)) ** 2))
errors = {"mean image (baseline)": baseline_error,
          "GradientTape loop": cu.reconstruction_error(tape_run.model, x_test),
          "fit": cu.reconstruction_error(autoencoder, x_test)}
for name, error in errors.items():
    print(f"{name:>22}: test MSE per pixel {error:.4f}")

# %%
# Check: both autoencoders reconstruct the test images far better than the mean image does
# (a wide margin: less than half its error).
for name in ("GradientTape loop", "fit"):
    cu.check_below(errors[name] / baseline_error, 0.5, f"the {name} autoencoder's error relative to the baseline",
                   hint="Its error should be under half the baseline's: train for more epochs.")

# %% [markdown]
# The two training styles give nearly the same error: they run the same algorithm, only the
# shuffling and bookkeeping differ. From here on we use `fit`.

# %%
# Check: the loop and fit end up within 10% of each other ("nearly the same").
cu.check_between(errors["GradientTape loop"] / errors["fit"], 0.9, 1.1,
                 "the GradientTape loop's test error relative to fit's",
                 hint="Both should train the same architecture with the same optimiser and budget.")

# %% [markdown]
# ## Trade code size for error
#
# The code is the bottleneck: the fewer numbers it holds, the less of each image survives. We
# train the same architecture with codes of 2 and 5 numbers, with the same budget, and measure
# each one's test error beside that of the 20-number model we just trained.
#
# `cu.train_or_load` calls `build()` and `train(model)` with nothing else, so we fill in the
# other arguments beforehand with `functools.partial`: `partial(build_autoencoder, 5)` is a new
# function that calls `build_autoencoder(5)`, and `partial(train_with_fit, live=False)` one that
# trains without the live plot.

# %%
size_errors = {}
for size in (2, 5):
    build, train = partial(build_autoencoder, size), partial(train_with_fit, live=False)
    size_errors[size] = cu.reconstruction_error(cu.train_or_load("dense-ae", build, train, config).model, x_test)
size_errors[20] = errors["fit"]  # the 20-number model trained above
CODE_SIZES = list(size_errors)

# %%
# extra code: draws the error against the code size
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(CODE_SIZES, list(size_errors.values()), marker="o", label="autoencoder")
ax.axhline(baseline_error, color="grey", linestyle="--", label="mean image (baseline)")
ax.set(xscale="log", xticks=CODE_SIZES, xticklabels=CODE_SIZES, xlabel="code size k",
       ylabel="test MSE per pixel", title="A bigger code keeps more of the image")
ax.minorticks_off()
ax.legend();

# %%
# Check: the error falls as the code grows, and even two numbers beat the mean image.
cu.check_decreasing(list(size_errors.values()), "the test error for codes of 2, 5 and 20 numbers",
                    hint="Each larger code should rebuild the images better; if not, train longer.")
cu.check_below(size_errors[2], baseline_error, "the 2-number code's test error (vs the mean image's)",
               hint="Even a 2-number code should beat the mean image: train longer.")

# %% [markdown]
# Two numbers per image already beat the baseline: the network can place each item on a 2-D map
# and still rebuild its rough shape. Each extra dimension buys detail, with diminishing returns:
# the 3 numbers added from 2 to 5 save more error than the 15 added from 5 to 20 all together,
# so per added number the first step saves more than five times as much as the second.

# %%
saved = {"2 -> 5": size_errors[2] - size_errors[5], "5 -> 20": size_errors[5] - size_errors[20]}
for step, added in zip(saved, (3, 15)):
    print(f"{step:>7}: error saved {saved[step]:.4f} in all, {saved[step] / added:.5f} per added number")

# %%
# Check: diminishing returns. At a ratio of 1 the 15 numbers of the second step would save as
# much as the 3 of the first, i.e. a fifth as much per number; above it, each number saves less.
cu.check_above(saved["2 -> 5"] / saved["5 -> 20"], 1.0,
               "the error saved by going from 2 to 5 numbers relative to that saved from 5 to 20",
               hint="The first few numbers of a code should matter most: check the three models' errors.")

# %% [markdown]
# ## Learn codes for eight one-hot patterns
#
# The classic toy from the early days of neural networks: eight input patterns, each with a single
# 1 among eight positions, squeezed through **three** hidden units. Three units of on/off could
# write the eight patterns as the binary numbers 000 to 111: will the network find such a code?
# The decoder ends in a softmax, so we can read its output as "which of the eight patterns is this?".

# %%
patterns = cu.one_hot_patterns(8)
TOY_EPOCHS = cu.budget(fast=20, full=40)


def build_toy(hidden_units=3):
    encoder = keras.Sequential([keras.Input((8,)), layers.Dense(hidden_units, activation="sigmoid")],
                               name="encoder")
    decoder = keras.Sequential([keras.Input((hidden_units,)), layers.Dense(8, activation="softmax")],
                               name="decoder")
    return keras.Sequential([encoder, decoder], name=f"toy_8_{hidden_units}_8")


def train_toy(toy, epochs=TOY_EPOCHS):
    repeated = np.tile(patterns, (128, 1))  # 1,024 rows: many small steps per epoch
    toy.compile(optimizer=keras.optimizers.Adam(0.05), loss="categorical_crossentropy")
    return toy.fit(repeated, repeated, epochs=epochs, batch_size=64, verbose=0,
                   callbacks=[cu.ProgressCallback()]).history


# %%
toy = cu.train_or_load("toy-8-3-8", build_toy, train_toy, {"epochs": TOY_EPOCHS}).model
toy_encoder = toy.get_layer("encoder")
codes = toy_encoder(patterns).numpy()

# %%
print("pattern   hidden code (3 units)   rounded")
for i, code in enumerate(codes):
    shown = np.array2string(code, precision=2, floatmode="fixed")
    print(f"   {i}      {shown}       {np.round(code).astype(int)}")

# %%
# extra code: draws the eight codes as a heat map
fig, ax = plt.subplots(figsize=(4, 5))
ax.imshow(codes, cmap="viridis", vmin=0, vmax=1)
ax.set(xticks=range(3), xticklabels=["h1", "h2", "h3"], yticks=range(8), ylabel="input pattern",
       title="Learned 3-unit codes")
ax.grid(False)
for (row, col), value in np.ndenumerate(codes):
    ax.text(col, row, f"{value:.2f}", ha="center", va="center",
            color="white" if value < 0.5 else "black")

# %%
near_corner = float(np.mean(np.minimum(codes, 1 - codes) < 0.1))
rounded = {tuple(code) for code in np.round(codes).astype(int)}
cu.report("distinct codes after rounding each unit to 0 or 1", len(rounded))
cu.check_above(near_corner, 0.5, "the share of unit values within 0.1 of 0 or 1",
               hint="Most units should saturate: train the toy for more epochs.")

# %% [markdown]
# Most units end up near 0 or 1, so the codes sit near corners of the unit cube: a learned
# binary-like code. Nobody told the network to count in binary; three units and the pressure to
# tell the patterns apart were enough. Often one unit settles halfway for a pattern or two, so
# rounding gives seven distinct corners rather than eight: it still works, because the decoder
# only needs the eight codes to be far enough apart, not to be exact corners.

# %%
# Check: every pattern comes back (argmax), and the eight codes are well separated.
decoded = toy(patterns).numpy().argmax(axis=1)
cu.check_equal(int((decoded == np.arange(8)).sum()), 8, "the number of patterns reconstructed",
               hint="Train the toy for more epochs.")
cu.check_above(pdist(codes).min(), 0.25, "the smallest distance between two codes",
               hint="Two patterns share nearly the same code: train longer or change the seed.")

# %% [markdown]
# ## Undercomplete vs overcomplete
#
# What if the code is *wider* than the input? Nothing then forces the network to choose what to
# keep. A linear encoder and decoder with $W_{\text{dec}}W_{\text{enc}} = I$ rebuild every input
# perfectly, with zero error, and have learned nothing about clothes (or digits): the
# **identity** is a solution. A nonlinear network can drift toward copying in the same way.
#
# Let us test it. We train two single-layer autoencoders on **five of the ten classes** only: an
# undercomplete one (784 → 32 → 784) and an overcomplete one (784 → 1000 → 784). Then we ask each
# to rebuild test images of the five classes it saw and of the five it never saw.

# %%
def build_single_layer(code_size):
    return keras.Sequential([
        keras.Input((28, 28)), layers.Flatten(),
        layers.Dense(code_size, activation="relu"),
        layers.Dense(784, activation="sigmoid"), layers.Reshape((28, 28)),
    ], name=f"single_layer_{code_size}")


seen_train = x_train[data.y_train < 5]
seen_test, unseen_test = x_test[data.y_test < 5], x_test[data.y_test >= 5]
HALF_EPOCHS = cu.budget(fast=8, full=10)

# %%
train_on_seen = partial(train_with_fit, images=seen_train, epochs=HALF_EPOCHS, live=False)
half_config = {**config, "epochs": HALF_EPOCHS, "classes": "0-4"}
half_models = {size: cu.train_or_load(f"single-layer-{size}", partial(build_single_layer, size),
                                      train_on_seen, half_config).model
               for size in (32, 1000)}

# %%
half_errors = {size: {"seen": cu.reconstruction_error(model, seen_test),
                      "unseen": cu.reconstruction_error(model, unseen_test)}
               for size, model in half_models.items()}
for size, error in half_errors.items():
    print(f"code {size:>4}: seen classes {error['seen']:.4f}, unseen classes {error['unseen']:.4f}")

# %%
rows = {f"code {size}": model(unseen_test[:10], training=False).numpy() for size, model in half_models.items()}
cu.show_reconstructions(unseen_test, rows, title="Classes neither model was trained on");

# %% [markdown]
# The undercomplete model squeezes every image toward the kind of items it knows, so images of
# unknown classes come back distorted. On Fashion-MNIST the five unseen classes (sandals, shirts,
# sneakers, bags and ankle boots) are mostly shapes it never met, and their error is several
# times (three times or more) that of the classes it saw (on the digits fallback the gap is
# smaller: unseen digits reuse the strokes of the seen ones). The overcomplete one rebuilds the
# unknown classes far better, at a fraction of the undercomplete model's error on the same images
# (under two thirds of it; about a third after full training): with more units than pixels it has
# room to pass through much of whatever it is given, clothes it never saw included. So a low
# reconstruction error alone does not prove that a code captured the structure of the training
# images; it may just mean the network copies well. That is why autoencoders need a bottleneck, or
# another constraint (noise, sparsity...) that notebook 04 adds.

# %%
# Check: the undercomplete model rebuilds unseen classes far worse than the classes it saw
# ("several times" on Fashion-MNIST: at least three times the error; on the digits, at least 10% more) ...
least = 3.0 if data.source == "fashion-mnist" else 1.1
cu.check_above(half_errors[32]["unseen"] / half_errors[32]["seen"], least,
               f"the undercomplete model's error ratio, unseen to seen classes ({data.source})",
               hint="The 32-number code should fit the classes it saw far better than those it never saw.")
# ... while the overcomplete model rebuilds those unseen classes far better than it does
# ("a fraction": under two thirds of its error on the same images).
cu.check_below(half_errors[1000]["unseen"] / half_errors[32]["unseen"], 2 / 3,
               "the overcomplete model's error on unseen classes relative to the undercomplete model's",
               hint="The 1000-unit code should pass through much of any image; train it for more epochs.")

# %% [markdown]
# ## Summary
#
# - An autoencoder is an encoder $f$ and a decoder $g$ trained so that $g(f(x)) \approx x$; the
#   code $z = f(x)$ is a representation learned without labels.
# - A `GradientTape` loop and `fit` train it the same way; `fit` is the same loop, written for you.
# - Reconstruction errors (the mean squared error per pixel, `cu.reconstruction_error` from now on)
#   need a baseline: our 20-number code beats the mean image by a wide margin, and the error falls
#   as the code grows, with diminishing returns.
# - Three sigmoid units learn a binary-like code for eight one-hot patterns.
# - An overcomplete autoencoder can approach the identity: a low error is then no sign of a useful
#   code. Bottlenecks and regularisers keep the code honest.
#
# Next, notebook 02 shows what a *linear* autoencoder learns: exactly the subspace found by PCA.

# %% [markdown]
# ## Exercises
#
# Each exercise has its own answer cell: replace its `...` with your code (or your words), then run
# the check cell after it. A check says "✔" when your answer passes it, and gives a hint, never the
# answer, when it does not. Some checks look only at the form of an answer; the grader's tests look
# further.
#
# **1. Cross-entropy instead of MSE.** Pixels lie in $[0, 1]$, so each one can be read as the
# probability of "ink". Train `build_autoencoder(20)` with `loss="binary_crossentropy"` (same
# budget, name `"dense-ae-bce"`), keep what `cu.train_or_load` returns in `bce_run`, store its test
# **MSE** in `bce_error`, and compare it with the MSE-trained model's (`errors["fit"]`).

# %% [raw]
# # BEGIN QUESTION
# name: q1_cross_entropy
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
def train_with_cross_entropy(model):
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="binary_crossentropy")
    return model.fit(x_train, x_train, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0,
                     callbacks=[cu.ProgressCallback()]).history


bce_run = cu.train_or_load("dense-ae-bce", build_autoencoder, train_with_cross_entropy, config)
bce_error = cu.reconstruction_error(bce_run.model, x_test)
print(f"test MSE: trained with MSE {errors['fit']:.4f}, trained with cross-entropy {bce_error:.4f}")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_bce_error_is_the_test_mse(cu, bce_run, bce_error, x_test):
    measured = cu.reconstruction_error(bce_run.model, x_test)
    cu.check_between(bce_error, 0.999 * measured, 1.001 * measured, "bce_error, measured again")


test_bce_error_is_the_test_mse(cu, bce_run, bce_error, x_test)

# %%
# HIDDEN
def test_the_model_was_trained_with_cross_entropy(cu, bce_run):
    # a binary cross-entropy on these images ends near 0.3 nats per pixel; an MSE near 0.02
    cu.check_above(float(bce_run.log["loss"][-1]), 0.1, "the last training loss of bce_run (a cross-entropy)")


test_the_model_was_trained_with_cross_entropy(cu, bce_run)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: bce_error is the test MSE of the model in bce_run.
cu.check_between(bce_error, 0.999 * cu.reconstruction_error(bce_run.model, x_test),
                 1.001 * cu.reconstruction_error(bce_run.model, x_test), "bce_error, measured again",
                 hint="Measure the reconstruction error of bce_run.model on the test images, as for the other models.");

# %% [markdown]
# *Is one loss clearly better? Why might that be, for these images?*

# %% [raw]
# # BEGIN QUESTION
# name: q1_which_loss
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* No: measured in MSE, the cross-entropy model lands within about 10% of the MSE-trained one (often
# a little worse, since it was not trained for that measure). Both losses are minimised by the same
# reconstruction, the true pixel value, so with the same model and budget they lead to similar
# results; cross-entropy weighs errors on near-black and near-white pixels more and gives larger
# gradients there, which changes how fast each part is learnt more than where training ends.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **2. Eight patterns through two units.** Rebuild the toy with a hidden layer of **2** sigmoid
# units (call the trained model `toy_2`). Can two units still tell eight patterns apart? Plot the
# eight codes as points in the plane. (Hint: the units are not on/off switches; the decoder's
# softmax can carve the plane.)

# %% [raw]
# # BEGIN QUESTION
# name: q2_two_units
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
TWO_UNIT_EPOCHS = cu.budget(fast=40, full=80)
toy_2 = cu.train_or_load("toy-8-2-8", partial(build_toy, 2), partial(train_toy, epochs=TWO_UNIT_EPOCHS),
                         {"epochs": TWO_UNIT_EPOCHS}).model
codes_2 = toy_2.get_layer("encoder")(patterns).numpy()
plt.scatter(*codes_2.T, s=80)
for i, (u, v) in enumerate(codes_2):
    plt.annotate(str(i), (u, v), textcoords="offset points", xytext=(6, 6))
plt.gca().set(xlabel="unit 1", ylabel="unit 2", title="Eight codes in two units");
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_toy_2_has_two_units(cu, toy_2):
    cu.check_equal(toy_2.get_layer("encoder").output.shape[-1], 2, "the number of hidden units of toy_2")


test_toy_2_has_two_units(cu, toy_2)

# %%
# HIDDEN
def test_two_units_tell_the_patterns_apart(cu, np, toy_2, patterns):
    recovered_2 = int((toy_2(patterns).numpy().argmax(axis=1) == np.arange(8)).sum())
    cu.check_above(recovered_2, 6, "the number of patterns two units reconstruct")


test_two_units_tell_the_patterns_apart(cu, np, toy_2, patterns)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: toy_2 has two hidden units (how many patterns they bring back is yours to find out).
cu.check_equal(toy_2.get_layer("encoder").output.shape[-1], 2, "the number of hidden units of toy_2",
               hint="build_toy takes the number of hidden units.");

# %% [markdown]
# **3. Think.** The 1000-number model rebuilt the classes it never saw far better than the
# 32-number model did. Give two reasons why you would still rather use the 20-number code of the
# first model, for example to find similar items or to feed a classifier.

# %% [raw]
# # BEGIN QUESTION
# name: q3_why_a_small_code
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* (1) A 1000-number code is larger than the 784-pixel image: it need not compress anything, so it
# can copy the pixels almost unchanged (close to the identity), and distances between codes are then
# as poor at telling similar *items* apart as distances between pixels; the 20-number bottleneck is
# forced to keep what varies most across the data (shape, class). (2) Small codes are cheap and
# robust downstream: a classifier on 20 features needs fewer labelled examples and overfits less,
# nearest-neighbour search is faster and distances are less hit by the curse of dimensionality,
# and the code can be plotted or inspected.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
