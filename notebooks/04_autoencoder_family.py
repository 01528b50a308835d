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
# # 04 · The autoencoder family
#
# A plain autoencoder learns to copy its input through a bottleneck. Change one thing and you get
# a new member of the family: corrupt the input and it learns to **denoise**; penalise busy codes
# and it learns **sparse** codes; penalise an encoder that reacts to every small change and it
# becomes **contractive**; swap dense layers for **convolutions**, or read the image row by row
# with a **recurrent** encoder and decoder; let the decoder reuse the encoder's weights (**tied
# weights**); train it **one layer at a time**. Then two uses:
# an encoder trained on unlabelled images feeds a classifier that has **few labels** (and we
# measure whether that helps), and the reconstruction error flags images of a kind the
# autoencoder never saw (**anomaly detection**).
# Every claim comes with a number measured on the test images.
#
# **Learning goals**
# - Train a denoising autoencoder with Gaussian and with dropout noise, and measure the cleaning
#   in decibels of PSNR.
# - Make codes sparse with an L1 penalty or a KL-divergence penalty toward a target activation.
# - Penalise the encoder's Jacobian in a custom training step (a contractive autoencoder) and
#   measure what it buys (codes that move less under noise, also relative to their spread) and
#   what it costs.
# - Build convolutional and recurrent autoencoders and a dense one with tied weights; compare their
#   parameter counts and errors with the plain one.
# - Train a stacked autoencoder greedily, one layer pair at a time.
# - Reuse an encoder for classification with few labels, and detect anomalies by reconstruction
#   error, measured with ROC AUC.

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
from keras import layers, ops
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

# %% [markdown]
# ## Load the images
#
# This notebook trains a dozen models, so in full mode it uses half of the 60,000 training images:
# plenty for every comparison below, and the whole notebook stays within minutes on a CPU.

# %%
N_TRAIN, N_TEST = cu.budget(fast=3000, full=30000), cu.budget(fast=1000, full=10000)
data = cu.load_fashion_mnist(n_train=N_TRAIN, n_test=N_TEST)
x_train, x_test = data.x_train, data.x_test
shown = x_test[:8]  # eight test images that every figure below uses

# %% [markdown]
# ## Build one plain autoencoder to vary
#
# Every member of the family is a change to one plain autoencoder, 784 → 256 → 64 → 256 → 784
# (notebook 01's without its 128-unit layer, and with a 64-number code). `build_dense` can change
# the code layer's size and activation, and add a penalty on the code (the `AddPenalty` layer of
# the sparse section below).

# %%
def build_dense(code_size=64, code_activation=None, code_penalty=None):
    penalty = [AddPenalty(code_penalty)] if code_penalty is not None else []
    return keras.Sequential([
        keras.Input((28, 28)),
        layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dense(code_size, activation=code_activation, name="code"),
        *penalty,
        layers.Dense(256, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
        layers.Reshape((28, 28)),
    ])


# %% [markdown]
# `train` feeds mini-batches of (input, target) pairs; the input may be a corrupted copy of the
# target, made afresh in every epoch. Keras compiles the training step with XLA when it can; two
# models below run faster without it on a CPU, so `train` can turn it off (`jit_compile=False`).

# %%
EPOCHS = cu.budget(fast=6, full=6)
BATCH_SIZE = 64
LEARNING_RATE = 3e-3


def batches(images, corrupt=None):
    """Shuffled mini-batches of (input, clean target) pairs; fresh noise in every epoch."""
    clean = tf.data.Dataset.from_tensor_slices(images).shuffle(len(images)).batch(BATCH_SIZE)
    return clean.map(lambda target: (target if corrupt is None else corrupt(target), target))


def train(model, images=x_train, corrupt=None, jit_compile="auto"):
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="mse", jit_compile=jit_compile)
    return model.fit(batches(images, corrupt), epochs=EPOCHS, shuffle=False, verbose=0,  # batches() shuffles
                     callbacks=[cu.ProgressCallback()]).history


# %%
config = {"epochs": EPOCHS, "batch_size": BATCH_SIZE, "lr": LEARNING_RATE, "data": data.source, "n": len(x_train)}
plain = cu.train_or_load("plain-64", build_dense, train, config).model


# %% [markdown]
# Models are compared by notebook 01's measure, the mean squared error per pixel between the test
# images and their reconstructions, `cu.reconstruction_error(model, images)` (with
# `per_image=True`, one number per image); `cu.squared_error(a, b)` is the same measure between
# any two arrays of images. The reference is a model that always answers the mean training image.

# %%
baseline = cu.squared_error(x_test, np.broadcast_to(x_train.mean(axis=0), x_test.shape))
plain_error = cu.reconstruction_error(plain, x_test)
print(f"plain autoencoder: test MSE {plain_error:.4f} (mean image: {baseline:.4f}); "
      f"{plain.count_params():,} parameters")

# %%
# Check: the plain autoencoder is a fair reference (far better than the mean image).
cu.check_below(plain_error / baseline, 0.5, "the plain autoencoder's error relative to the mean image's",
               hint="Train it for more epochs.")

# %% [markdown]
# ## Corrupt the inputs
#
# A **denoising autoencoder** gets a corrupted image as input and the clean image as target.
# Copying is no longer enough: it must learn what images look like to undo the damage. Two kinds of
# noise, each with a level:
#
# - **Gaussian**: add $\epsilon \sim \mathcal{N}(0, \sigma^2)$ to every pixel ($\sigma$ = level),
#   then clip to $[0, 1]$;
# - **dropout**: set a random share of the pixels (the level) to 0, which is *no ink*: white in
#   the pictures, a gap in the garment.

# %%
def gaussian_noise(images, level):
    return tf.clip_by_value(images + level * tf.random.normal(tf.shape(images)), 0.0, 1.0)


def dropout_noise(images, level):
    keep = tf.random.uniform(tf.shape(images)) >= level
    return images * tf.cast(keep, images.dtype)


# %%
cu.seed_everything()
cu.show_reconstructions(shown, {"Gaussian, 0.3": gaussian_noise(shown, 0.3), "dropout, 0.5": dropout_noise(shown, 0.5)},
                        title="Two kinds of noise");

# %% [markdown]
# Keras offers similar corruptions as layers, `layers.GaussianNoise` and `layers.Dropout` (which
# also scales up the pixels it keeps), active only during training. Writing the noise as
# functions lets us corrupt test images in exactly the same way, and look at them.

# %% [markdown]
# ## Train two denoisers
#
# Same architecture and budget as the plain autoencoder; only the inputs change.

# %%
TRAINING_NOISE = {"Gaussian": partial(gaussian_noise, level=0.3), "dropout": partial(dropout_noise, level=0.5)}
denoisers = {name: cu.train_or_load(f"denoise-{name}", build_dense, partial(train, corrupt=noise), config).model
             for name, noise in TRAINING_NOISE.items()}

# %% [markdown]
# ## Measure the cleaning in decibels
#
# The **peak signal-to-noise ratio** compares an image $\hat{x}$ with the clean one $x$ (pixels in
# $[0, 1]$, so the peak is 1):
#
# $$\mathrm{PSNR} = 10 \log_{10} \frac{1}{\mathrm{MSE}(\hat{x}, x)} \ \text{dB}.$$
#
# Higher is closer; +3 dB halves the error, +10 dB divides it by ten. Below, the MSE is taken over
# all test images at once.

# %%
def psnr(images, clean):
    return 10 * np.log10(1 / cu.squared_error(images, clean))


# %%
cu.seed_everything()
noisy_test = {name: noise(x_test).numpy() for name, noise in TRAINING_NOISE.items()}
gains = {}
for name, noisy in noisy_test.items():
    before, after = psnr(noisy, x_test), psnr(denoisers[name](noisy), x_test)
    gains[name] = after - before
    print(f"{name:>8} noise: noisy {before:.1f} dB -> denoised {after:.1f} dB ({gains[name]:+.1f} dB); "
          f"plain autoencoder on the noisy images: {psnr(plain(noisy), x_test):.1f} dB")

# %% [markdown]
# At its training level each denoiser more than halves the error of the noisy images: a gain of
# more than 3 dB.

# %%
# Check: each denoiser more than halves the noisy images' error. The bound is 10 log10(2) = 3.01 dB,
# where "halves" stops being true.
for name in TRAINING_NOISE:
    cu.check_above(gains[name], 10 * np.log10(2), f"the PSNR gain of the {name} denoiser at its training level (dB)",
                   hint="Train the denoiser with the noise level you test it with, for more epochs.")

# %% [markdown]
# ## Vary the noise level
#
# Each denoiser was trained at one level. Below, the same test images at other levels: pick a
# level to see noisy inputs, the denoisers' outputs and the clean images (the figures are drawn
# in advance, so switching is instant). The curves measure it: PSNR of the noisy input, of the
# plain autoencoder's output and of the denoiser's output, against the level.

# %%
LEVELS = [0.1, 0.2, 0.3, 0.5, 0.7]
NOISES = {"Gaussian": gaussian_noise, "dropout": dropout_noise}
cu.seed_everything()
sweep = {name: {level: noise(x_test, level).numpy() for level in LEVELS} for name, noise in NOISES.items()}
curves = {name: {"noisy input": [psnr(sweep[name][lv], x_test) for lv in LEVELS],
                 "plain autoencoder": [psnr(plain(sweep[name][lv]), x_test) for lv in LEVELS],
                 "denoiser": [psnr(denoisers[name](sweep[name][lv]), x_test) for lv in LEVELS]}
          for name in NOISES}

# %%
# extra code: the PSNR curves, one panel per kind of noise
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
for ax, (name, lines) in zip(axes, curves.items()):
    for label, values in lines.items():
        ax.plot(LEVELS, values, "o-", label=label)
    ax.axvline(TRAINING_NOISE[name].keywords["level"], color="grey", ls=":", label="training level")
    ax.set(title=f"{name} noise", xlabel="noise level", ylabel="PSNR against the clean images (dB)")
axes[0].legend();


# %%
# extra code: one figure per level (noisy and denoised rows for both noises), switched by buttons
def denoising_figure(level):
    rows = {}
    for name in NOISES:
        noisy = sweep[name][level][:8]
        rows |= {f"{name}, noisy": noisy, f"{name}, denoised": denoisers[name](noisy).numpy()}
    fig = cu.show_reconstructions(shown, rows, title=f"Noise level {level}")
    plt.close(fig)
    return fig


cu.widgets.switcher({f"level {level}": denoising_figure(level) for level in LEVELS}, description="noise")

# %% [markdown]
# Three things to read off the curves. At the training levels the plain autoencoder already
# removes part of the noise: whatever it gets, its output looks like an image, and that is closer
# to the clean image than the noisy input was. At its training level the denoiser does better
# still.

# %%
# Check: at the training level the plain autoencoder's output is closer to the clean images than
# the noisy input, and the denoiser's closer still. Both bounds are 0 dB, where "closer" stops being true.
for name, noise in TRAINING_NOISE.items():
    at = LEVELS.index(noise.keywords["level"])
    cu.check_above(curves[name]["plain autoencoder"][at] - curves[name]["noisy input"][at], 0.0,
                   f"the plain autoencoder's PSNR minus the noisy input's, {name} noise at the training level (dB)",
                   hint="Feed the noisy images to the plain autoencoder trained on clean ones.")
    cu.check_above(curves[name]["denoiser"][at] - curves[name]["plain autoencoder"][at], 0.0,
                   f"the {name} denoiser's PSNR minus the plain autoencoder's at the training level (dB)",
                   hint="Train the denoiser on corrupted inputs with clean targets.")

# %% [markdown]
# Third, on a nearly clean input (level 0.1) both denoisers do *worse* than the plain autoencoder:
# each learned to undo noise of one strength, and it still removes that much, erasing detail
# (compare levels 0.1 and 0.3 above). With Gaussian noise at that level even the plain
# autoencoder loses to its input: its own reconstruction error is larger than the noise.

# %%
# Check: at level 0.1 each denoiser's PSNR is below the plain autoencoder's, and with Gaussian noise
# the plain autoencoder's is below the noisy input's. Bounds of 0 dB: where "worse" stops being true.
low = LEVELS.index(0.1)
for name in NOISES:
    cu.check_below(curves[name]["denoiser"][low] - curves[name]["plain autoencoder"][low], 0.0,
                   f"the {name} denoiser's PSNR minus the plain autoencoder's at level 0.1 (dB)",
                   hint="Train each denoiser at a single level (0.3 or 0.5), not at a range of levels.")
cu.check_below(curves["Gaussian"]["plain autoencoder"][low] - curves["Gaussian"]["noisy input"][low], 0.0,
               "the plain autoencoder's PSNR minus the noisy input's, Gaussian noise at level 0.1 (dB)",
               hint="Measure both against the clean test images.")

# %% [markdown]
# ## Penalise busy codes
#
# A **sparse** autoencoder has a wide code (here 256 numbers, with a sigmoid so each is in
# $[0, 1]$) but pays for every unit that is active, so each image is described by a few units.
# Two penalties on a batch of codes $z$ (one row per image), added to the loss:
#
# - **L1**: $\lambda$ times the mean over the batch of $\sum_j |z_j|$, which pushes each
#   activation toward 0;
# - **KL divergence to a target**: choose a target mean activation $p$ (say 0.1). Over a batch,
#   unit $j$'s mean activation is $\hat{q}_j$; the penalty
#
# $$\beta \sum_j \mathrm{KL}(p \,\Vert\, \hat{q}_j) = \beta \sum_j \Big[p \log\frac{p}{\hat{q}_j} +
# (1-p)\log\frac{1-p}{1-\hat{q}_j}\Big]$$
#
# is 0 when $\hat{q}_j = p$ and grows without bound as $\hat{q}_j$ nears 0 or 1. Unlike L1, it sets
# each unit's *average* activity: a unit that was only ever fully on or off would be on for one
# image in ten.

# %%
def l1_penalty(codes, weight=1e-4):
    return weight * ops.mean(ops.sum(ops.abs(codes), axis=1))


def kl_penalty(codes, beta=0.002, target=0.1):
    p, q = target, ops.clip(ops.mean(codes, axis=0), 1e-7, 1 - 1e-7)  # q: each unit's mean over the batch
    return beta * ops.sum(p * ops.log(p / q) + (1 - p) * ops.log((1 - p) / (1 - q)))


# %% [markdown]
# A layer placed after the code adds the penalty to the model's loss with `add_loss` and passes
# the codes on unchanged. (Keras layers also take an `activity_regularizer`; recent Keras versions
# divide its value by the batch size, so the layer keeps the formula exactly as written above.)

# %%
class AddPenalty(layers.Layer):
    """Passes its input through unchanged; adds penalty(input) to the model's loss."""

    def __init__(self, penalty, **kwargs):
        super().__init__(**kwargs)
        self.penalty = penalty

    def call(self, codes):
        self.add_loss(self.penalty(codes))
        return codes


# %%
SPARSE_TARGET = 0.1
PENALTIES = {"no penalty": None, "L1": l1_penalty, "KL to 0.1": partial(kl_penalty, target=SPARSE_TARGET)}
sparse_models = {name: cu.train_or_load(f"sparse-{name}", partial(build_dense, 256, "sigmoid", penalty),
                                        train, config).model
                 for name, penalty in PENALTIES.items()}

# %%
def code_activations(model, images):
    return keras.Model(model.inputs[0], model.get_layer("code").output)(images).numpy()


# %%
sparse_codes = {name: code_activations(model, x_test) for name, model in sparse_models.items()}
sparse_errors = {name: cu.reconstruction_error(model, x_test) for name, model in sparse_models.items()}
NEAR_ZERO, STRONGLY_ON = 0.05, 0.5
for name, codes in sparse_codes.items():
    print(f"{name:>10}: mean activation {codes.mean():.3f}, share below {NEAR_ZERO}: {np.mean(codes < NEAR_ZERO):.3f}, "
          f"above {STRONGLY_ON}: {np.mean(codes > STRONGLY_ON):.3f}; test MSE {sparse_errors[name]:.4f}")

# %%
# extra code: histograms of the code activations, and one image's code as a strip
fig, axes = plt.subplots(2, 3, figsize=(10, 5), gridspec_kw={"height_ratios": [3, 1]}, sharey="row")
for column, (name, codes) in enumerate(sparse_codes.items()):
    axes[0, column].hist(codes.ravel(), bins=20, range=(0, 1), weights=np.full(codes.size, 1 / codes.size))
    axes[0, column].set(title=f"{name}\nmean {codes.mean():.2f}", xlabel="activation", yscale="log")
    axes[1, column].imshow(codes[:1], aspect="auto", cmap="magma", vmin=0, vmax=1)
    axes[1, column].set(yticks=[], xlabel="code unit (one test image)")
axes[0, 0].set_ylabel("share of activations")
fig.tight_layout();

# %% [markdown]
# Without a penalty, the activations spread over the whole range and more than a fifth of them
# are above 0.5: every image turns on more than fifty of the 256 units. With L1, most activations
# sit at 0 (below 0.05) and a few units light up: the strip for one image is mostly dark.

# %%
# Check: without a penalty, more than a fifth of the activations are above 0.5 (bound 0.2: fifty
# units of 256); with L1, more than half are below 0.05 (bound 0.5, where "most" stops being true).
plain_codes, kl_codes = sparse_codes["no penalty"], sparse_codes["KL to 0.1"]
cu.check_above(np.mean(plain_codes > STRONGLY_ON), 0.2, "the share of activations above 0.5 without a penalty",
               hint="Build the unpenalised model with code_penalty=None.")
cu.check_above(np.mean(sparse_codes["L1"] < NEAR_ZERO), 0.5, "the share of L1-penalised activations below 0.05",
               hint="Build the model with code_penalty=l1_penalty.")

# %% [markdown]
# With the KL penalty, the mean lands near the target, and not by switching units fully on for one
# image in ten: the histogram falls off steeply, and fewer than one activation in ten is above
# 0.5 (a code of only fully-on and fully-off units with a mean of 0.1 would have exactly one in ten).

# %%
# Check: the KL-penalised code's mean activation is within 0.03 of its target, and its share above
# 0.5 is below 0.1, the share of an on-off code with the same mean (where "falls off steeply" stops).
cu.check_between(kl_codes.mean(), SPARSE_TARGET - 0.03, SPARSE_TARGET + 0.03,
                 "the KL-penalised code's mean activation (target 0.1)",
                 hint="Check the KL formula: mean over the batch (axis 0), sum over the units.")
cu.check_below(np.mean(kl_codes > STRONGLY_ON), SPARSE_TARGET, "the share of KL-penalised activations above 0.5",
               hint="Build the model with code_penalty=partial(kl_penalty, target=0.1).")

# %% [markdown]
# What does sparsity cost? Less than one might expect, at these penalty weights: both penalised
# models reconstruct within a fifth of the unpenalised 256-unit model's error (printed above),
# sometimes above it and sometimes below, depending on the seed and the training budget. A likely
# reason: 256 units leave room to spare, so the penalties change how an image is spread over the
# units more than how much of it is kept. All three trail the 64-number plain autoencoder at this
# budget: a sigmoid code learns more slowly than the linear one, so compare them with each other.

# %%
# Check: each penalised model's error is within a fifth of the unpenalised one's (bounds 0.8 and 1.2,
# where "within a fifth" stops being true), and the best of the three is above the plain autoencoder's
# (bound 1, where "trail" stops being true).
for name in ["L1", "KL to 0.1"]:
    cu.check_between(sparse_errors[name] / sparse_errors["no penalty"], 0.8, 1.2,
                     f"the {name}-penalised model's error relative to the unpenalised one's",
                     hint="Use the penalty weights above (1e-4 for L1, beta = 0.002 for KL): larger ones cost more.")
cu.check_above(min(sparse_errors.values()) / plain_error, 1.0,
               "the lowest error of the three 256-unit sigmoid codes relative to the plain autoencoder's",
               hint="Train all of them with the same budget.")

# %% [markdown]
# ## Penalise a sensitive encoder
#
# A **contractive** autoencoder asks for a code that barely moves when the image moves a little:
# a speck of noise should not change how an image is described. The penalty is the size of the
# encoder's **Jacobian** $J = \partial h / \partial x$, the matrix of how fast each code number
# $h_j$ changes with each pixel $x_i$. Its squared Frobenius norm, averaged over the batch and
# weighted by $\lambda$, is added to the reconstruction error:
#
# $$\lambda \, \lVert J(x) \rVert_F^2 = \lambda \sum_j \sum_i \Big(\frac{\partial h_j}{\partial x_i}\Big)^2.$$
#
# The two terms pull against each other: reconstruction needs codes that tell images apart, the
# penalty wants codes that ignore every change. What should survive is sensitivity along the
# changes that real images make, where reconstruction pays for it.

# %% [markdown]
# `tf.GradientTape` records a computation to differentiate it; `batch_jacobian` gives, for each
# image of a batch, the whole matrix: the gradient of every code number with respect to every pixel.

# %%
def jacobian_norms(encoder, images):
    """The squared Frobenius norm of d code / d image, one number per image of the batch."""
    images = tf.convert_to_tensor(images)
    with tf.GradientTape() as tape:
        tape.watch(images)  # a tape follows weights by itself; the images must be named
        codes = encoder(images)
    jacobians = tape.batch_jacobian(codes, images)  # (images, code numbers, 28, 28)
    return ops.sum(ops.square(jacobians), axis=(1, 2, 3))


# %% [markdown]
# For a one-layer encoder $h = \sigma(Wx + b)$ the Jacobian has a closed form,
# $\partial h_j / \partial x_i = h_j(1 - h_j) W_{ji}$, so
#
# $$\lVert J \rVert_F^2 = \sum_j \big(h_j(1-h_j)\big)^2 \sum_i W_{ji}^2.$$
#
# A one-layer sigmoid encoder with random weights checks `jacobian_norms` against it.

# %%
cu.seed_everything()
one_layer = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(64, activation="sigmoid")])
h, kernel = one_layer(shown).numpy(), one_layer.layers[-1].kernel.numpy()  # Keras's kernel is W transposed
closed_form = np.sum((h * (1 - h)) ** 2 * np.sum(kernel**2, axis=0), axis=1)
relative_gap = np.max(np.abs(jacobian_norms(one_layer, shown).numpy() / closed_form - 1))
print(f"||J||² of {len(shown)} images, tape vs closed form: largest relative difference {relative_gap:.1e}")

# %%
# Check: the tape's norms equal the closed form to 1e-4 relative: rounding in float32 is about 1e-7,
# while a slip in either formula (a missing square, a missing h(1-h)) is off by far more.
cu.check_below(relative_gap, 1e-4, "the largest relative difference between the tape's ||J||² and the closed form",
               hint="Watch the images on the tape and square every entry of the batch Jacobian before summing.")

# %% [markdown]
# The model is the plain autoencoder with a sigmoid code, `build_dense(64, "sigmoid")`, cut at the
# code into an encoder and a decoder. `fit` calls a model's `train_step` on every batch; a
# subclassed `keras.Model` can override it with a step like notebook 01's `GradientTape` loop, and
# add a term that needs the model's insides (notebook 05's VAE does the same). Here the step adds
# the penalty to the compiled loss; the outer tape also records how the Jacobian was computed, so
# its gradient reaches the weights. The Jacobian is 64 gradients per image, the costly part: it is
# computed on the first 8 images of each batch of 64, an unbiased estimate of the batch's mean at
# an eighth of the cost, and skipped when $\lambda = 0$.

# %%
JACOBIAN_IMAGES = 8  # of each batch of 64


class Contractive(keras.Model):
    """build_dense(64, "sigmoid") trained with penalty_weight * ||J||_F^2 added to its loss."""

    def __init__(self, penalty_weight, **kwargs):
        super().__init__(**kwargs)
        self.penalty_weight = penalty_weight
        dense = build_dense(64, code_activation="sigmoid")
        split = dense.layers.index(dense.get_layer("code")) + 1
        self.encoder = keras.Sequential([keras.Input((28, 28)), *dense.layers[:split]])
        self.decoder = keras.Sequential([keras.Input((64,)), *dense.layers[split:]])
        self.tracked = [keras.metrics.Mean(name=name) for name in ("loss", "reconstruction", "penalty")]

    @property
    def metrics(self):
        return self.tracked

    def call(self, images, training=False):
        return self.decoder(self.encoder(images, training=training), training=training)

    def train_step(self, batch):
        images, targets = batch
        with tf.GradientTape() as tape:
            reconstruction = self.compute_loss(y=targets, y_pred=self(images, training=True))  # the MSE
            penalty = 0.0
            if self.penalty_weight:
                penalty = self.penalty_weight * ops.mean(jacobian_norms(self.encoder, images[:JACOBIAN_IMAGES]))
            loss = reconstruction + penalty
        self.optimizer.apply(tape.gradient(loss, self.trainable_weights), self.trainable_weights)
        for metric, value in zip(self.tracked, (loss, reconstruction, penalty)):
            metric.update_state(value)
        return {metric.name: metric.result() for metric in self.tracked}


# %% [markdown]
# Two models, the same in all but $\lambda$: the penalised one and the same architecture trained
# with $\lambda = 0$. The weight $\lambda = 0.01$ is large enough for both the gain and the cost
# below to stand out at both budgets; in our trial runs at 0.003, the extra error in fast mode was
# no larger than the differences between seeds. XLA handles the batched Jacobian badly (many times
# slower), so `train` runs without it.

# %%
def build_contractive(penalty_weight):
    model = Contractive(penalty_weight)
    model(x_test[:1])  # a subclassed model counts as built after a first call
    return model


CONTRACTION = 0.01  # lambda
contractive_models = {name: cu.train_or_load(f"contractive-{weight}", partial(build_contractive, weight),
                                             partial(train, jit_compile=False), config).model
                      for name, weight in {"λ = 0": 0.0, f"λ = {CONTRACTION}": CONTRACTION}.items()}

# %% [markdown]
# What it buys: add small Gaussian noise (standard deviation 0.1, not clipped: we probe the
# encoder, not make images) to each test image and measure how far its code moves, per unit of
# noise, $\lVert h(x+\epsilon) - h(x) \rVert / \lVert \epsilon \rVert$. That raw figure can be
# met cheaply, though: an encoder that shrinks every code moves less under noise, and tells
# images apart less too. So the move is also measured against the codes' **spread**, the mean
# distance between the codes of two different test images (each with the next one).

# %%
def code_sensitivity(encoder, noise):
    """Per test image: the code's move per unit of noise, and the move relative to the codes' spread."""
    codes, noisy_codes = encoder(x_test).numpy(), encoder(x_test + noise).numpy()
    moved = np.linalg.norm(noisy_codes - codes, axis=1)
    spread = np.linalg.norm(codes - np.roll(codes, 1, axis=0), axis=1).mean()
    return {"raw": moved / np.linalg.norm(noise.reshape(len(noise), -1), axis=1), "relative": moved / spread,
            "spread": spread}


# %%
cu.seed_everything()
probe_noise = 0.1 * np.random.standard_normal(x_test.shape).astype("float32")
sensitivity = {name: code_sensitivity(model.encoder, probe_noise) for name, model in contractive_models.items()}
contractive_errors = {name: cu.reconstruction_error(model, x_test) for name, model in contractive_models.items()}
for name, measured in sensitivity.items():
    print(f"{name:>10}: code move per unit of noise {measured['raw'].mean():.4f}, relative to the spread "
          f"{measured['relative'].mean():.4f} (spread {measured['spread']:.2f}); "
          f"test MSE {contractive_errors[name]:.4f}")

# %%
# extra code: histograms of the per-image sensitivity, raw and relative to the codes' spread
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
for ax, kind, label in zip(axes, ["raw", "relative"], ["code move / noise size", "code move / spread of codes"]):
    values = np.concatenate([measured[kind] for measured in sensitivity.values()])
    bins = np.geomspace(values.min(), values.max(), 50)  # the two models differ by a factor: a log scale
    for name, measured in sensitivity.items():
        ax.hist(measured[kind], bins=bins, alpha=0.6, label=name)
    ax.set(xscale="log", xlabel=label, title=f"Sensitivity to noise, {kind}")
axes[0].set_ylabel("test images")
axes[0].legend();

# %% [markdown]
# The raw figure drops more than threefold. Part of that is the scale: the contractive codes sit
# much closer together (less than two thirds of the plain spread). Measured against the spread,
# the gain is smaller but real: noise moves a contractive code by less than 0.6 of what it moves a
# plain one, relative to how far apart different images' codes are.

# %%
# Check: the raw sensitivity drops more than threefold (bound 1/3), the spread shrinks below two
# thirds (bound 2/3), and relative to the spread the sensitivity is below 0.6 of the plain one's
# (bound 0.6): each bound is where the sentence above stops being true.
plain_s, contractive_s = sensitivity["λ = 0"], sensitivity[f"λ = {CONTRACTION}"]
cu.check_below(contractive_s["raw"].mean() / plain_s["raw"].mean(), 1 / 3,
               "the contractive code's move per unit of noise relative to the plain code's",
               hint="Add the Jacobian penalty with lambda = 0.01; the plain model has lambda = 0.")
cu.check_below(contractive_s["spread"] / plain_s["spread"], 2 / 3,
               "the spread of the contractive codes relative to the plain codes' spread",
               hint="Measure the spread as the mean distance between the codes of two different test images.")
cu.check_below(contractive_s["relative"].mean() / plain_s["relative"].mean(), 0.6,
               "the contractive code's move relative to its spread, against the plain code's",
               hint="Divide each model's code move by its own codes' spread.")

# %% [markdown]
# What it costs: the codes keep less detail, so the reconstruction error rises, by more than a
# fifth here (errors printed above). That is the trade $\lambda$ sets.

# %%
# Check: the contractive model's error is more than a fifth above the plain one's (bound 1.2).
cu.check_above(contractive_errors[f"λ = {CONTRACTION}"] / contractive_errors["λ = 0"], 1.2,
               "the contractive model's test error relative to the same model trained with lambda = 0",
               hint="Train both with the same budget; only lambda differs.")

# %% [markdown]
# ## Use convolutions
#
# A dense layer gives every pixel its own weight to every unit; a **convolutional** layer slides a
# small filter (here 3 × 3) over the image, so the same few weights look for the same pattern
# everywhere. The encoder shrinks the image with convolutions of stride 2 (28 × 28 → 14 × 14 →
# 7 × 7, with more channels each time; pooling layers are the other common way), then a dense
# layer makes the same 64-number code as before. The decoder mirrors it: each `UpSampling2D`
# doubles the height and width, and a convolution after it fills in the detail. (`Conv2DTranspose`
# with stride 2 does both in one layer; exercise 2 compares it.)

# %%
def build_conv(code_size=64):
    return keras.Sequential([
        keras.Input((28, 28)),
        layers.Reshape((28, 28, 1)),  # one channel: grey levels
        layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),  # 14 x 14 x 16
        layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),  # 7 x 7 x 32
        layers.Flatten(), layers.Dense(code_size, name="code"),
        layers.Dense(7 * 7 * 32, activation="relu"), layers.Reshape((7, 7, 32)),
        layers.UpSampling2D(2), layers.Conv2D(16, 3, padding="same", activation="relu"),  # 14 x 14 x 16
        layers.UpSampling2D(2), layers.Conv2D(1, 3, padding="same", activation="sigmoid"),  # 28 x 28 x 1
        layers.Reshape((28, 28)),
    ])


conv = cu.train_or_load("conv-64", build_conv, train, config).model

# %%
def parameter_counts(model):
    """Parameters in convolutional layers and in the others."""
    convolutional = [layer for layer in model.layers if isinstance(layer, layers.Conv2D | layers.Conv2DTranspose)]
    in_conv = sum(layer.count_params() for layer in convolutional)
    return {"convolutional": in_conv, "other": model.count_params() - in_conv, "total": model.count_params()}


# %%
conv_error = cu.reconstruction_error(conv, x_test)
for name, model, error in [("dense", plain, plain_error), ("convolutional", conv, conv_error)]:
    print(f"{name:>13}: test MSE {error:.4f}; parameters {parameter_counts(model)}")
cu.show_reconstructions(shown, {"dense": plain(shown), "convolutional": conv(shown)},
                        title="The same 64-number code, two architectures");

# %% [markdown]
# The convolutional autoencoder has about half the parameters and a lower error, and its four
# convolutional layers hold only about 10,000 of its weights: most sit in the two dense layers
# around the code. Filters shared across positions suit images, where the same edge or stroke can
# appear anywhere; they are also what lets convolutions scale to large images, where dense layers
# would need millions of weights.

# %%
# The parameter counts are fixed by the architecture, so they are reported, not checked.
cu.report("the convolutional autoencoder's parameter count relative to the dense one's",
          conv.count_params() / plain.count_params())
cu.report("the parameters in the convolutional autoencoder's four convolutional layers",
          parameter_counts(conv)["convolutional"])
# Check: a lower error than the dense autoencoder's (bound 1, where "lower" stops being true).
cu.check_below(conv_error / plain_error, 1.0, "the convolutional autoencoder's error relative to the dense one's",
               hint="Train it with the same budget as the dense autoencoder.")

# %% [markdown]
# ## Read the image row by row
#
# A **recurrent** layer reads a sequence one step at a time and carries a state from each step to
# the next. An image can be read that way: 28 rows, top to bottom, each a vector of 28 grey levels.
# The encoder is a **GRU** (a gated recurrent unit, opened up in notebook 09); its state after the
# last row, through a dense layer, becomes the same 64-number code as before. The decoder gets the
# code at every step (`RepeatVector(28)` repeats it), a second GRU returns its state at every step
# (`return_sequences=True`), and a dense layer turns each state into a row of 28 pixels (on a
# sequence, `Dense` acts on every step with the same weights).
#
# This prepares the sequence half of the course (notebooks 08-12): read a sequence into a vector,
# write a sequence from it. Notebook 10's date translator is built the same way: an encoder GRU
# reads a date written in words into one vector, a decoder GRU writes the ISO date from it.

# %%
def build_recurrent(code_size=64, units=64):
    return keras.Sequential([
        keras.Input((28, 28)),  # 28 steps (the rows) of 28 numbers (the pixels)
        layers.GRU(units),  # its state after the last row
        layers.Dense(code_size, name="code"),
        layers.RepeatVector(28),  # the code once per row to write: 28 x 64
        layers.GRU(units, return_sequences=True),  # one state per row: 28 x units
        layers.Dense(28, activation="sigmoid"),  # each state becomes a row: 28 x 28, the image
    ])


# %% [markdown]
# The budget is the others' (six epochs; 3,000 images in fast mode, 30,000 in full mode). A GRU
# must step through the rows one after the other, so even with 64 units it trains several times
# slower than the dense autoencoder: about ten seconds in fast mode and a minute in full mode on a
# CPU. XLA makes it slower still here, so `train` runs without it.

# %%
recurrent = cu.train_or_load("recurrent-64", build_recurrent, partial(train, jit_compile=False), config).model
recurrent_error = cu.reconstruction_error(recurrent, x_test)

# %%
print(f"{'architecture':>13} | {'parameters':>10} | test MSE")
for name, model, error in [("dense", plain, plain_error), ("convolutional", conv, conv_error),
                           ("recurrent", recurrent, recurrent_error)]:
    print(f"{name:>13} | {model.count_params():>10,} | {error:.4f}")
cu.show_reconstructions(shown, {"dense": plain(shown), "convolutional": conv(shown), "recurrent": recurrent(shown)},
                        title="The same 64-number code, three architectures");

# %% [markdown]
# The recurrent autoencoder has by far the fewest parameters, a ninth of the dense one's: its GRUs
# use the same weights at every row, as a convolution uses the same filter at every position. It
# keeps the rough shape of each garment (its error is far below the mean image's) but loses the
# detail, and its error is the highest of the three, in fast and in full mode. A likely reason:
# rows are not the natural order of an image. What the decoder needs about the top of the garment
# must survive 28 steps of the encoder's state, while a convolution sees neighbours above and
# beside at once. Order is the structure of text, which is where the sequence half of the course
# takes recurrent layers.

# %%
# The parameter count is fixed by the architecture, so it is reported, not checked.
cu.report("the recurrent autoencoder's parameter count relative to the dense one's",
          recurrent.count_params() / plain.count_params())
# Check: far better than the mean image (bound 0.5, as for the plain autoencoder), and a higher error
# than both the dense and the convolutional one (bound 1 on its ratio to the worse of the two).
cu.check_below(recurrent_error / baseline, 0.5, "the recurrent autoencoder's error relative to the mean image's",
               hint="Feed the rows as the steps: input shape (28, 28), and train with the same budget.")
cu.check_above(recurrent_error / max(plain_error, conv_error), 1.0,
               "the recurrent autoencoder's error relative to the higher of the dense and convolutional errors",
               hint="Train all three with the same budget.")

# %% [markdown]
# ## Tie the decoder's weights to the encoder's
#
# In a symmetric autoencoder the decoder can reuse the encoder's weight matrices, transposed: if
# an encoder layer computes $h = \mathrm{relu}(W x + b)$ with $W$ of shape 256 × 784 (Keras
# stores its transpose, the *kernel*), the matching decoder layer computes
# $\hat{x} = \sigma(W^\top h + b')$ with its own bias $b'$ only. A small custom layer does it: it
# keeps a reference to its dense twin and multiplies by the twin's kernel, transposed.

# %%
class DenseTranspose(layers.Layer):
    """A dense layer whose weights are its twin's kernel, transposed; only the bias is its own."""

    def __init__(self, twin, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.twin, self.activation = twin, keras.activations.get(activation)

    def build(self, input_shape):
        self.bias = self.add_weight(shape=(self.twin.kernel.shape[0],), initializer="zeros", name="bias")

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, ops.transpose(self.twin.kernel)) + self.bias)


# %%
def build_tied(code_size=64):
    hidden, code = layers.Dense(256, activation="relu"), layers.Dense(code_size, name="code")
    return keras.Sequential([
        keras.Input((28, 28)), layers.Flatten(), hidden, code,
        DenseTranspose(code, activation="relu"), DenseTranspose(hidden, activation="sigmoid"),
        layers.Reshape((28, 28)),
    ])


# %%
tied = cu.train_or_load("tied-64", build_tied, train, config).model  # (summary() lists the twins' weights twice)
tied_error = cu.reconstruction_error(tied, x_test)
print(f"tied: {tied.count_params():,} parameters, test MSE {tied_error:.4f}; "
      f"untied: {plain.count_params():,} parameters, test MSE {plain_error:.4f}")

# %% [markdown]
# Half the weights, and the error does not suffer: here it is even a little lower. A likely
# reason: the tie restrains the model (the decoder cannot drift away from the encoder), and each
# shared weight learns from both of its uses.

# %%
# Tying halves the parameters: fixed by the architecture, so reported, not checked.
cu.report("the tied autoencoder's parameter count relative to the plain one's",
          tied.count_params() / plain.count_params())
# Check: the tied autoencoder's error is below the plain one's (bound 1, where "lower" stops being true).
cu.check_below(tied_error / plain_error, 1.0, "the tied autoencoder's error relative to the plain one's",
               hint="The decoder layers must multiply by their twin's kernel, transposed.")

# %% [markdown]
# ## Train a stack one layer pair at a time
#
# Before good initialisations and optimisers, deep autoencoders were trained **greedily**: first a
# shallow autoencoder 784 → 256 → 784 on the images; then a second one, 256 → 64 → 256, on the
# first one's hidden codes; finally the encoders are stacked, then the decoders in reverse order.
# No step ever trains more than one hidden layer. (Historically the stack was then fine-tuned end
# to end.)

# %%
def build_shallow(inputs, units, hidden_activation, output_activation):
    return keras.Sequential([keras.Input((inputs,)), layers.Dense(units, activation=hidden_activation),
                             layers.Dense(inputs, activation=output_activation)])


flat_train, flat_test = x_train.reshape(-1, 784), x_test.reshape(-1, 784)
first = cu.train_or_load("greedy-1", partial(build_shallow, 784, 256, "relu", "sigmoid"),
                         partial(train, images=flat_train), config)
hidden_codes = first.model.layers[0](flat_train).numpy()  # what the first encoder makes of the images
second = cu.train_or_load("greedy-2", partial(build_shallow, 256, 64, None, "relu"),
                          partial(train, images=hidden_codes), config | {"first": first.path.name}).model

# %%
stack = keras.Sequential([keras.Input((28, 28)), layers.Flatten(),
                          first.model.layers[0], second.layers[0],    # the two encoders
                          second.layers[1], first.model.layers[1],    # the two decoders, reversed
                          layers.Reshape((28, 28))], name="greedy_stack")
stack_error = cu.reconstruction_error(stack, x_test)
print(f"greedy stack: test MSE {stack_error:.4f}; the same architecture trained end to end: {plain_error:.4f}")
cu.show_reconstructions(shown, {"greedy stack": stack(shown), "end to end": plain(shown)},
                        title="784 → 256 → 64 → 256 → 784, trained two ways");

# %% [markdown]
# The stack reconstructs recognisably although no step ever saw the whole network; end-to-end
# training of the same architecture still does better (errors printed above). Today one trains
# end to end, but the idea behind greedy training lives on in the next section: learn from
# unlabelled data first, then use what was learned.

# %%
# Check: the assembled stack reconstructs far better than the mean image though it was never
# trained as a whole, and worse than end-to-end training (bound 1, where "does better" stops).
cu.check_below(stack_error / baseline, 0.5, "the greedy stack's error relative to the mean image's",
               hint="Train the second autoencoder on the first one's hidden codes, then stack in mirror order.")
cu.check_above(stack_error / plain_error, 1.0, "the greedy stack's error relative to end-to-end training",
               hint="Compare with the plain autoencoder, the same architecture trained end to end.")

# %% [markdown]
# ## Pretrain an encoder for a classifier with few labels
#
# Labels are expensive; images are cheap. Suppose only a handful of training images per class
# carry a label. A classifier trained on those alone sees very few examples. The convolutional
# encoder above was trained on *all* the training images without their labels: does its code
# describe the images in a way that makes the classes easier to tell apart?
#
# The test: the same classifier, trained on the same labelled images, once on the raw pixels and
# once on the pretrained encoder's 64-number codes. The classifier is **logistic regression**, a
# linear classifier (one dense layer with a softmax), fitted by scikit-learn to convergence. The
# pixels are already on a common scale, $[0, 1]$; the codes' scale is arbitrary, so they are
# standardised (zero mean, unit variance, measured on the unlabelled training images). Which
# images get labels is random, so each budget is averaged over several draws.

# %%
conv_encoder = keras.Model(conv.inputs[0], conv.get_layer("code").output)
train_codes, test_codes = (conv_encoder.predict(x, batch_size=1000, verbose=0) for x in (x_train, x_test))
scaler = StandardScaler().fit(train_codes)
FEATURES = {"pixels": (x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)),
            "pretrained codes": (scaler.transform(train_codes), scaler.transform(test_codes))}
N_CLASSES = len(data.class_names)


# %%
def labelled_accuracy(features, per_class, draw):
    """Train logistic regression on `per_class` labelled images of each class; return test accuracy."""
    train_features, test_features = FEATURES[features]
    rng = np.random.default_rng(draw)
    chosen = np.concatenate([rng.choice(np.flatnonzero(data.y_train == c), per_class, replace=False)
                             for c in range(N_CLASSES)])
    classifier = LogisticRegression(max_iter=2000).fit(train_features[chosen], data.y_train[chosen])
    return classifier.score(test_features, data.y_test)


# %%
LABELS_PER_CLASS, DRAWS = [2, 5, 10, 20], 10
with threadpool_limits(limits=1):  # extra code: such small fits run fastest on one core
    accuracy = {features: np.array([[labelled_accuracy(features, n, draw) for draw in range(DRAWS)]
                                    for n in LABELS_PER_CLASS]) for features in FEATURES}
gain = dict(zip(LABELS_PER_CLASS, (accuracy["pretrained codes"] - accuracy["pixels"]).mean(axis=1)))
for i, n in enumerate(LABELS_PER_CLASS):
    print(f"{n:>2} labels per class: " + ", ".join(f"{f} {a[i].mean():.3f}" for f, a in accuracy.items())
          + f"; codes minus pixels {gain[n]:+.3f}")

# %%
# extra code: accuracy against the number of labels, mean and spread over the draws
fig, ax = plt.subplots(figsize=(7, 4))
for features, values in accuracy.items():
    ax.errorbar(LABELS_PER_CLASS, values.mean(axis=1), yerr=values.std(axis=1), marker="o", capsize=4,
                label=f"logistic regression on {features}")
ax.set(xscale="log", xticks=LABELS_PER_CLASS, xticklabels=LABELS_PER_CLASS, xlabel="labelled images per class",
       ylabel="test accuracy", title=f"Few labels: mean ± spread over {DRAWS} draws")
ax.minorticks_off()
ax.legend();

# %% [markdown]
# The two curves nearly coincide: at every budget the 64 numbers of the code classify within
# three points of the 784 pixels, and averaged over the four budgets they do no better. The code
# is twelve times smaller and lost little that a linear classifier needs; but pretraining did not
# make the classes any easier to separate either.
#
# That is worth remembering, because the opposite is often said. A reconstruction objective asks
# the code to keep whatever is needed to *redraw* the image: thickness, shading, the exact
# outline. Nothing in it asks the code to put a shirt and a coat far apart. Pretraining pays when
# the unsupervised objective rewards what the labels care about; that is what later objectives
# were built for (masked prediction, which notebook 12 meets through BERT), and what fine-tuning
# the encoder with the few labels tries to add.

# %%
# Check: at every budget the codes' accuracy is within 3 points of the pixels' (bounds -0.03 and
# +0.03, where "within three points" stops being true), and averaged over the budgets the codes
# gain nothing (bound 0, where "no better" stops being true).
for n, value in gain.items():
    cu.check_between(value, -0.03, 0.03, f"the accuracy of pretrained codes minus pixels, {n} labels per class",
                     hint="Use the encoder of the convolutional autoencoder trained above, frozen, and "
                          "average each budget over the same draws for both kinds of features.")
cu.check_below(np.mean(list(gain.values())), 0.0, "the accuracy of pretrained codes minus pixels, mean of the budgets",
               hint="Standardise the codes with statistics of the unlabelled training images.")

# %% [markdown]
# ## Flag what the autoencoder never saw
#
# An autoencoder reconstructs well what looks like its training images. Train it on every class
# but one; images of the held-out class should then come back worse, so the reconstruction error
# becomes an **anomaly score**. The ROC curve shows, for every threshold on the score, the share
# of held-out images flagged (true positives) against the share of normal images flagged (false
# positives); the area under it (**ROC AUC**) is the chance that a random held-out image scores
# higher than a random normal one: 0.5 is guessing, 1 is perfect.

# %%
HELD_OUT = 8  # class 8: 'Bag' in Fashion-MNIST, '8' in the digits fallback
normal = data.y_train != HELD_OUT
detector = cu.train_or_load(f"anomaly-without-{HELD_OUT}", build_dense, partial(train, images=x_train[normal]),
                            config).model
anomaly_score = cu.reconstruction_error(detector, x_test, per_image=True)
is_new = data.y_test == HELD_OUT
auc = roc_auc_score(is_new, anomaly_score)
print(f"held-out class {data.class_names[HELD_OUT]!r}: ROC AUC {auc:.3f} "
      f"({is_new.sum()} held-out and {(~is_new).sum()} normal test images)")

# %%
# extra code: the two score distributions and the ROC curve
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
bins = np.linspace(0, np.quantile(anomaly_score, 0.995), 40)
left.hist(anomaly_score[~is_new], bins=bins, density=True, alpha=0.6, label="classes seen in training")
left.hist(anomaly_score[is_new], bins=bins, density=True, alpha=0.6, label=f"held out: {data.class_names[HELD_OUT]}")
left.set(xlabel="reconstruction error (MSE per pixel)", ylabel="density", title="Anomaly scores")
left.legend()
false_positive, true_positive, _ = roc_curve(is_new, anomaly_score)
right.plot(false_positive, true_positive, label=f"autoencoder (AUC {auc:.2f})")
right.plot([0, 1], [0, 1], "k:", label="guessing (AUC 0.5)")
right.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC curve")
right.legend()
fig.tight_layout();

# %% [markdown]
# The score separates the held-out class well: the ROC AUC is above 0.8, so a random held-out
# image outscores a random normal one more than four times in five.

# %%
# Check: ROC AUC above 0.8, where "four times in five" stops being true.
cu.check_above(auc, 0.8, f"the ROC AUC of reconstruction error for the held-out class {data.class_names[HELD_OUT]!r}",
               hint="Train the detector without the held-out class, and score each test image by its own error.")

# %%
ranked = np.argsort(anomaly_score)[::-1]  # test images from the highest score down
top_share = is_new[ranked[:len(ranked) // 20]].mean()
worst = ranked[:10]
print(f"held-out images: {top_share:.0%} of the highest 5% of scores, {is_new[worst].mean():.0%} of the ten "
      f"highest, {is_new.mean():.0%} of all test images")
cu.show_images(x_test[worst], [data.class_names[c] for c in data.y_test[worst]],
               title="The ten test images with the highest reconstruction error");

# %% [markdown]
# Held-out images are far more common among the highest scores than among all test images: more
# than three times as common among the highest 5%. Yet odd-looking normal images reach the very
# top too (the ten above): an anomaly detector of this kind flags "unlike the training images",
# not "from another class". Exercise 3 asks where that breaks down.

# %%
# Check: held-out images are more than three times as common among the highest 5% of scores as among
# all test images (bound 3, where "more than three times" stops being true), and the ten highest
# scores include normal images (a share of held-out images below 1).
cu.check_above(top_share / is_new.mean(), 3.0,
               "the share of held-out images among the highest 5% of scores relative to their share of all",
               hint="Score each test image by its own reconstruction error (per_image=True).")
cu.check_below(is_new[worst].mean(), 1.0, "the share of held-out images among the ten highest scores",
               hint="Score each test image by its own reconstruction error (per_image=True).")

# %% [markdown]
# ## Summary
#
# - A **denoising** autoencoder is trained on corrupted inputs with clean targets; at its training
#   noise level it more than halves the error of the noisy input (over 3 dB of PSNR) and beats a
#   plain autoencoder on the same noisy input, but on nearly clean inputs it does worse.
# - **Sparse** codes come from a penalty on the code: L1 pushes activations to 0; a KL penalty sets
#   each unit's mean activation to a target. At small weights, with a wide code, they cost little
#   reconstruction.
# - A **contractive** penalty, $\lambda \lVert \partial h / \partial x \rVert_F^2$ computed with
#   `batch_jacobian` in a custom `train_step`, makes codes move far less under small noise; part of
#   that is the codes shrinking, so measure it against their spread too: still less than 0.6 of the
#   plain sensitivity, for more than a fifth more reconstruction error.
# - **Convolutional** layers share their filters across positions: here half the parameters and a
#   lower error than dense layers. **Tied weights** halve a symmetric autoencoder's parameters,
#   and here its error is even a little lower.
# - A **recurrent** autoencoder reads the image as a sequence of rows with a GRU and writes it back
#   row by row: a ninth of the dense parameters, but the highest error of the three architectures.
#   Sequences where order is the structure, text above all, are the second half of the course
#   (notebooks 08-12).
# - A stack trained **greedily**, one layer pair at a time, reconstructs recognisably; end-to-end
#   training still does better.
# - An encoder **pretrained** on unlabelled images by reconstruction gives a code twelve times
#   smaller than the image that classifies within three points of the pixels with few labels, and
#   no better: reconstruction keeps what redraws an image, not what separates its classes.
# - **Reconstruction error** flags images unlike the training set: an anomaly score, judged by
#   ROC AUC.

# %% [markdown]
# ## Exercises
#
# Each exercise has its own answer cell: replace its `...` with your code (or your words), then run
# the check cell after it. A check says "✔" when your answer passes it, and gives a hint, never the
# answer, when it does not. Some checks look only at the form of an answer; the grader's tests look
# further.
#
# **1. Train for stronger noise.** Train a Gaussian denoiser at level 0.5 (same `build_dense`,
# `train` and `config`, name `"denoise-Gaussian-0.5"`), call it `strong_denoiser`, store its PSNR on
# `sweep["Gaussian"][0.5]` (against `x_test`) in `strong_psnr`, and compare it with the 0.3-trained
# denoiser's.

# %% [raw]
# # BEGIN QUESTION
# name: q1_stronger_noise
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
strong_denoiser = cu.train_or_load("denoise-Gaussian-0.5", build_dense,
                                   partial(train, corrupt=partial(gaussian_noise, level=0.5)), config).model
strong_psnr = psnr(strong_denoiser(sweep["Gaussian"][0.5]), x_test)
print(f"at level 0.5: trained at 0.5 {strong_psnr:.1f} dB; "
      f"trained at 0.3 {curves['Gaussian']['denoiser'][LEVELS.index(0.5)]:.1f} dB")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_strong_psnr_is_measured(cu, psnr, strong_denoiser, strong_psnr, sweep, x_test):
    measured = psnr(strong_denoiser(sweep["Gaussian"][0.5]), x_test)
    cu.check_between(strong_psnr, measured - 1e-3, measured + 1e-3, "strong_psnr, measured again")


test_strong_psnr_is_measured(cu, psnr, strong_denoiser, strong_psnr, sweep, x_test)

# %%
# HIDDEN
def test_training_at_the_level_helps(cu, psnr, strong_psnr, denoisers, sweep, x_test):
    cu.check_above(strong_psnr - psnr(denoisers["Gaussian"](sweep["Gaussian"][0.5]), x_test), 0.0,
                   "the PSNR at level 0.5 of the denoiser trained at 0.5 minus the one trained at 0.3 (dB)")


test_training_at_the_level_helps(cu, psnr, strong_psnr, denoisers, sweep, x_test)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: strong_psnr is strong_denoiser's PSNR on the level-0.5 test images.
cu.check_between(strong_psnr, psnr(strong_denoiser(sweep["Gaussian"][0.5]), x_test) - 1e-3,
                 psnr(strong_denoiser(sweep["Gaussian"][0.5]), x_test) + 1e-3, "strong_psnr, measured again",
                 hint="Denoise the level-0.5 images with the new model and compare with the clean x_test.");

# %% [markdown]
# *Which denoiser does better at level 0.5, and what does that say about choosing the training
# noise?*

# %% [raw]
# # BEGIN QUESTION
# name: q1_which_denoiser
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* The denoiser trained at 0.5 does better at level 0.5 (a higher PSNR), usually at the price of a
# slightly lower PSNR on weak noise, where it smooths too much. A denoiser learns to undo the noise
# it saw: choose the training noise like the noise you expect, or train on a range of levels if you
# do not know it.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **2. Transposed convolutions.** Write `build_conv_transpose`, the convolutional autoencoder with
# its decoder's `UpSampling2D` + `Conv2D` pairs replaced by `Conv2DTranspose(filters, 3, strides=2,
# padding="same")` layers (3x3 kernels as in `conv`; 16 filters, then 1 with a sigmoid). Train it like `conv` (name
# `"conv-transpose-64"`), call it `transposed` and store its test error in `transpose_error`.

# %% [raw]
# # BEGIN QUESTION
# name: q2_transposed_convolutions
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
def build_conv_transpose(code_size=64):
    return keras.Sequential([
        keras.Input((28, 28)), layers.Reshape((28, 28, 1)),
        layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
        layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
        layers.Flatten(), layers.Dense(code_size, name="code"),
        layers.Dense(7 * 7 * 32, activation="relu"), layers.Reshape((7, 7, 32)),
        layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu"),
        layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"),
        layers.Reshape((28, 28)),
    ])


transposed = cu.train_or_load("conv-transpose-64", build_conv_transpose, train, config).model
transpose_error = cu.reconstruction_error(transposed, x_test)
print(f"decoder with Conv2DTranspose: test MSE {transpose_error:.4f}; with UpSampling2D + Conv2D: {conv_error:.4f}")
print(parameter_counts(transposed))
cu.show_reconstructions(shown, {"upsampling": conv(shown), "transposed": transposed(shown)});
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_transposed_model(cu, transposed, conv, transpose_error, x_test):
    cu.check_equal(sum(type(layer).__name__ == "Conv2DTranspose" for layer in transposed.layers), 2,
                   "the Conv2DTranspose layers of transposed")
    measured = cu.reconstruction_error(transposed, x_test)
    cu.check_between(transpose_error, 0.999 * measured, 1.001 * measured, "transpose_error, measured again")


test_transposed_model(cu, transposed, conv, transpose_error, x_test)

# %%
# HIDDEN
def test_same_parameters_as_the_upsampling_model(cu, transposed, conv):
    cu.check_equal(transposed.count_params(), conv.count_params(), "the transposed-convolution model's parameter count")


test_same_parameters_as_the_upsampling_model(cu, transposed, conv)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: transposed's decoder upsamples with two Conv2DTranspose layers, and transpose_error is its
# test error.
cu.check_equal(sum(type(layer).__name__ == "Conv2DTranspose" for layer in transposed.layers), 2,
               "the Conv2DTranspose layers of transposed",
               hint="Each UpSampling2D + Conv2D pair of conv's decoder becomes one layer that upsamples and convolves.")
cu.check_between(transpose_error, 0.999 * cu.reconstruction_error(transposed, x_test),
                 1.001 * cu.reconstruction_error(transposed, x_test), "transpose_error, measured again",
                 hint="Measure the test reconstruction error of transposed, as for conv.");

# %% [markdown]
# *How do the two decoders compare in parameters and in error?*

# %% [raw]
# # BEGIN QUESTION
# name: q2_which_decoder
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* They have exactly the same number of parameters: a 3×3 `Conv2DTranspose` has as many weights as
# the 3×3 `Conv2D` it replaces. Here the upsampling decoder reaches the lower error (the transposed
# one's is roughly 5-20% higher depending on the budget), and its reconstructions show fewer
# checkerboard artefacts: with stride 2, a 3×3 transposed kernel overlaps unevenly, so some output
# pixels get more contributions than their neighbours.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **3. Another class held out.** Before you run it, predict: can an autoencoder reconstruct a class
# it never saw *better* than the classes it trained on? Then hold out class 1 instead ('Trouser', or
# the digit '1'): train the same detector without it (name `"anomaly-without-1"`), call it
# `detector_1`, and store the ROC AUC of its reconstruction error for class 1 in `auc_1`.

# %% [raw]
# # BEGIN QUESTION
# name: q3_held_out_class_1
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
detector_1 = cu.train_or_load("anomaly-without-1", build_dense, partial(train, images=x_train[data.y_train != 1]),
                              config).model
auc_1 = roc_auc_score(data.y_test == 1, cu.reconstruction_error(detector_1, x_test, per_image=True))
print(f"ROC AUC with class {data.class_names[1]!r} held out: {auc_1:.3f}; "
      f"with {data.class_names[HELD_OUT]!r} held out: {auc:.3f}")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_auc_1_is_an_auc(cu, auc_1):
    cu.check_between(auc_1, 0, 1, "auc_1 (an area under a ROC curve)")


test_auc_1_is_an_auc(cu, auc_1)

# %%
# HIDDEN
def test_auc_1_is_detector_1s(cu, auc_1, detector_1, data, x_test, roc_auc_score):
    expected = roc_auc_score(data.y_test == 1, cu.reconstruction_error(detector_1, x_test, per_image=True))
    cu.check_between(auc_1, expected - 1e-6, expected + 1e-6, "auc_1, measured again from detector_1")


test_auc_1_is_detector_1s(cu, auc_1, detector_1, data, x_test, roc_auc_score)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: auc_1 is an area under a ROC curve (how it compares with class 8's is yours to read).
cu.check_between(auc_1, 0, 1, "auc_1 (an area under a ROC curve)",
                 hint="Score each test image by detector_1's reconstruction error; class 1's images are positive.");

# %% [markdown]
# *How does it compare with class 8's, and what does that say about reconstruction error as an
# anomaly score?*

# %% [raw]
# # BEGIN QUESTION
# name: q3_held_out_trousers
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* It can: trousers (and the digit 1) are simple, mostly vertical shapes with
# little ink, which an autoencoder trained on other classes may rebuild well, better than harder
# classes it did train on (shirts, bags, sandals). Where it does, the AUC for class 1 falls below
# class 8's (by how much depends on the run: read yours). So reconstruction error measures how
# *easy to reconstruct* an image is, not how *unlike the training data* it is: as an anomaly score
# it misses simple anomalies, and it should be validated on the kind of anomalies one expects (or
# combined with a density in the code space).

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **4. Think.** Tied weights halved the parameters of the dense autoencoder. Could you tie the
# weights of the convolutional autoencoder too? Which layer would be the transpose of which?

# %% [raw]
# # BEGIN QUESTION
# name: q4_tied_convolutions
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* Yes. A convolution is a linear map, and its transpose is a transposed convolution with the *same*
# kernel: each `Conv2D` of the encoder (with stride 2) would be tied to the `Conv2DTranspose` (stride
# 2) of the decoder at the mirrored position: the encoder's first convolution (1 → 16 channels) with
# the decoder's last layer (16 → 1), the second (16 → 32) with the decoder's first transposed
# convolution (32 → 16), and the Dense code layer with the Dense layer after it, as in the dense
# case. Biases and activations stay separate.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
