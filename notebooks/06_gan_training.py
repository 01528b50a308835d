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
# # 06 · Training a GAN: a generator against a discriminator
#
# A **generative adversarial network** (GAN) learns to make new samples without ever being told
# what a good sample looks like. Two networks play a game: a **generator** turns random noise into
# samples, and a **discriminator** tries to tell those samples from real ones. Each improves by
# beating the other. This notebook writes that game out step by step, first on a 2-D toy where the
# whole state of play fits in one picture, then on images, and finally gives both networks the
# class to draw, so that we can ask for a sandal and check that we get one.
#
# **Learning goals**
# - Build a generator and a discriminator, and state the minimax game they play.
# - Write a GAN's training step in its two phases with `GradientTape`: the discriminator on real
#   and generated samples, then the generator through the frozen discriminator.
# - Watch training on a ring of 8 Gaussians: generated samples and the discriminator's decision
#   surface as training goes, and both losses.
# - Explain, with the loss and its gradient, why the generator is trained with the non-saturating
#   loss rather than the minimax one.
# - Measure mode collapse (modes covered, share of high-quality samples), and train a DCGAN on images.
# - Condition both networks on the class (a conditional GAN), and measure with a judge classifier
#   how often an image shows the class asked for.

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
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from IPython.display import display
from keras import layers

# %% [markdown]
# ## Meet the ring of Gaussians
#
# The real data of the first half is a mixture of 8 Gaussians whose centres sit evenly on a circle
# of radius 2, each with a standard deviation of 0.05. It is the classic GAN test: easy to draw,
# and a generator that only learns some of the 8 **modes** is caught at a glance.

# %%
ring = cu.GaussianRing(n_modes=8, radius=2.0, std=0.05)
real_points = ring.sample(2000, seed=0)
cu.plot_ring(real_points, title="2,000 real samples");

# %% [markdown]
# ## Build a generator and a discriminator
#
# The generator $G$ maps a noise vector $z \sim \mathcal{N}(0, I)$ (8 numbers here) to a point
# $G(z)$ in the plane. The discriminator $D$ maps a point $x$ to $D(x) \in (0, 1)$, its estimate of
# the probability that $x$ is real. Both are small dense networks.

# %%
LATENT_DIM = 8


def build_generator(latent_dim=LATENT_DIM, width=128):
    return keras.Sequential([
        keras.Input((latent_dim,)),
        layers.Dense(width, activation="relu"),
        layers.Dense(width, activation="relu"),
        layers.Dense(width, activation="relu"),
        layers.Dense(2),  # a point in the plane
    ], name="generator")


def build_discriminator(width=128):
    return keras.Sequential([
        keras.Input((2,)),
        layers.Dense(width, activation="relu"),
        layers.Dense(width, activation="relu"),
        layers.Dense(width, activation="relu"),
        layers.Dense(1, activation="sigmoid"),  # the probability that the input is real
    ], name="discriminator")


# %% [markdown]
# Before any training the generator puts all its points in a small blob near the origin, and the
# discriminator's answer is close to 0.5 everywhere.

# %%
cu.seed_everything()
generator, discriminator = build_generator(), build_discriminator()
fixed_z = keras.random.normal((1000, LATENT_DIM), seed=1)  # the same noise for every snapshot
fake_points = generator(fixed_z).numpy()
d_real, d_fake = discriminator(real_points).numpy().mean(), discriminator(fake_points).numpy().mean()
print(f"D(real) = {d_real:.3f},  D(G(z)) = {d_fake:.3f}")
cu.plot_ring(real_points, fake_points, title="untrained generator");

# %% [markdown]
# ## State the minimax game
#
# The discriminator wants $D(x)$ near 1 on real samples and near 0 on generated ones; the generator
# wants the opposite on its own samples. Both goals are one value function, which $D$ maximises and
# $G$ minimises:
#
# $$\min_G \max_D \; V(D, G) = \mathbb{E}_{x \sim p_\text{data}}\big[\log D(x)\big]
#   + \mathbb{E}_{z \sim \mathcal{N}(0, I)}\big[\log\big(1 - D(G(z))\big)\big].$$
#
# Maximising $V$ over $D$ is binary classification: the binary cross-entropy with label 1 for real
# samples and 0 for generated ones is exactly $-V$. For a fixed generator the best discriminator is
# $D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + p_G(x))$, and the game's solution is
# $p_G = p_\text{data}$, where $D^* = 1/2$ everywhere: the discriminator can no longer tell.

# %% [markdown]
# ## Write the training step in two phases
#
# Each step of training has two phases.
# 1. **Train the discriminator** on a batch of real samples (label 1) and a batch of generated ones
#    (label 0): an ordinary classification step.
# 2. **Train the generator through the frozen discriminator**: generate a batch, label every sample
#    *real*, and follow the gradient of the discriminator's loss back into the generator. Only the
#    generator's weights are updated; the discriminator is only the path the gradient takes.
#
# Labelling fakes as real in phase 2 means the generator minimises $-\log D(G(z))$, the
# **non-saturating** loss, rather than the minimax game's $\log(1 - D(G(z)))$. Both push $D(G(z))$
# up; a later section shows why the first trains and the second stalls. `make_train_step` writes
# both so you can compare.
#
# Both phases measure their loss with the binary cross-entropy, which is $-V$ for one batch:

# %%
bce = keras.losses.BinaryCrossentropy()

# %% [markdown]
# The step below builds its two optimisers and its noise source once, then returns a compiled
# function (`@tf.function`) that runs both phases on one real batch and reports the numbers to log.
# It is long because the two phases belong together: read phase 1, then phase 2.

# %%
def make_train_step(generator, discriminator, *, learning_rate=1e-3, non_saturating=True, seed=0):
    d_optimizer = keras.optimizers.Adam(learning_rate, beta_1=0.5)
    g_optimizer = keras.optimizers.Adam(learning_rate, beta_1=0.5)
    noise = keras.random.SeedGenerator(seed)
    latent_dim = generator.input_shape[-1]

    @tf.function
    def train_step(real):
        batch_size = tf.shape(real)[0]
        # Phase 1: the discriminator learns to say 1 for real samples and 0 for generated ones.
        fake = generator(keras.random.normal((batch_size, latent_dim), seed=noise), training=True)
        with tf.GradientTape() as tape:
            d_real, d_fake = discriminator(real, training=True), discriminator(fake, training=True)
            d_loss = bce(tf.ones_like(d_real), d_real) + bce(tf.zeros_like(d_fake), d_fake)
        grads = tape.gradient(d_loss, discriminator.trainable_weights)
        d_optimizer.apply_gradients(zip(grads, discriminator.trainable_weights))
        # Phase 2: the generator learns to make the (frozen) discriminator say 1.
        z = keras.random.normal((batch_size, latent_dim), seed=noise)
        with tf.GradientTape() as tape:
            d_fake = discriminator(generator(z, training=True), training=True)
            if non_saturating:
                g_loss = bce(tf.ones_like(d_fake), d_fake)  # -log D(G(z)): every sample labelled real
            else:
                g_loss = -bce(tf.zeros_like(d_fake), d_fake)  # log(1 - D(G(z))), the minimax form
        grads = tape.gradient(g_loss, generator.trainable_weights)  # only the generator's weights move
        g_optimizer.apply_gradients(zip(grads, generator.trainable_weights))
        return {"d_loss": d_loss, "g_loss": g_loss, "d_real": tf.reduce_mean(d_real),
                "d_fake": tf.reduce_mean(d_fake)}

    return train_step


# %% [markdown]
# ## Train on the ring and keep snapshots
#
# `cu.gan.train_adversarial` (plumbing from the course package) calls the training step on fresh
# real batches and records what it returns. At six evenly spaced steps it also keeps a snapshot,
# taken by `cu.gan.ring_snapshot(generator, discriminator, fixed_z, GRID)`: the generated points for
# the same `fixed_z`, and the discriminator's output on a 60 × 60 grid of points covering the
# plane (its **decision surface**). Notebook 07 draws its snapshots with the same function.
# The two networks travel together in one `keras.Sequential`, so the course cache stores both.

# %%
BATCH_SIZE = 256
RING_STEPS = cu.budget(fast=2000, full=5000)
GRID = cu.square_grid(3.0, 60)


def build_ring_gan():
    return keras.Sequential([build_generator(), build_discriminator()], name="gan")


def train_ring_gan(gan, non_saturating=True):
    generator, discriminator = gan.layers
    train_step = make_train_step(generator, discriminator, non_saturating=non_saturating)
    fixed_z = keras.random.normal((1000, LATENT_DIM), seed=1)
    return cu.gan.train_adversarial(train_step, lambda rng: ring.sample(BATCH_SIZE, rng), steps=RING_STEPS,
                                    snapshot=lambda: cu.gan.ring_snapshot(generator, discriminator, fixed_z, GRID))


# %% [markdown]
# Train the pair, or load it from the cache when this configuration has been trained before:

# %%
ring_config = {"steps": RING_STEPS, "batch": BATCH_SIZE, "ring": [8, 2.0, 0.05]}
ring_gan = cu.train_or_load("ring-gan", build_ring_gan, train_ring_gan, ring_config)
ring_log = ring_gan.log

# %% [markdown]
# Each panel below shows the real samples (dark), the generator's samples for `fixed_z` (orange)
# and the decision surface (red where $D$ says *real*, blue where it says *generated*). Watch the
# discriminator paint the places where fakes pile up blue, and the generator slide its points out
# of the blue toward the red: toward the real modes.

# %%
# extra code: one figure per snapshot, as a grid and behind buttons
def ring_figure(log, i, ax=None):
    return cu.plot_ring(real_points, log["fake"][i], surface=log["surface"][i], surface_range=(0, 1),
                        title=f"step {log['snapshot_step'][i]}", ax=ax)


fig, axes = plt.subplots(2, 3, figsize=(13, 8.5))
for i, ax in enumerate(axes.flat):
    ring_figure(ring_log, i, ax=ax)
fig.tight_layout()

# %% [markdown]
# Step through the same snapshots one at a time (a click swaps pre-drawn pictures, nothing is
# recomputed):

# %%
snapshot_figures = {f"step {step}": ring_figure(ring_log, i) for i, step in enumerate(ring_log["snapshot_step"])}
display(cu.widgets.switcher(snapshot_figures, description="snapshot"))

# %% [markdown]
# ## Read the two losses
#
# A GAN's losses do not fall to zero the way a classifier's do: each network's loss is measured
# against an opponent that keeps changing. At the game's solution $D = 1/2$ everywhere, so the
# discriminator's loss would be $2\ln 2 \approx 1.39$ and the generator's $\ln 2 \approx 0.69$
# (dotted lines). One step's loss is measured on one batch and jumps around, so the curves below
# are a **moving average**: `cu.moving_average(values, window=50)` replaces each run of 50
# consecutive values by its mean (notebook 07 smooths its curves the same way).

# %%
# extra code: losses averaged over 50 steps, with the values at the game's solution
ax = plt.subplots(figsize=(8, 4))[1]
cu.plot_curves({"discriminator loss": cu.moving_average(ring_log["d_loss"], window=50),
                "generator loss": cu.moving_average(ring_log["g_loss"], window=50)},
               x=np.arange(50, RING_STEPS + 1), xlabel="training step", ylabel="loss (nats)", ax=ax)
ax.axhline(2 * np.log(2), ls=":", c="tab:blue")
ax.axhline(np.log(2), ls=":", c="tab:orange");

# %%
final = {name: ring_log[name][-200:].mean() for name in ["d_loss", "g_loss", "d_real", "d_fake"]}
print(f"last 200 steps: discriminator loss {final['d_loss']:.2f}, generator loss {final['g_loss']:.2f}, "
      f"D(real) {final['d_real']:.2f}, D(G(z)) {final['d_fake']:.2f}")

# %%
# Check: the discriminator is not winning outright: its loss stays near the value at the solution.
cu.check_between(final["d_loss"], 0.9, 1.6, "discriminator loss over the last 200 steps (nats)",
                 hint="A loss near 0 means the discriminator wins and the generator gets no useful signal.")

# %% [markdown]
# ## Compare the minimax and non-saturating generator losses
#
# Early in training the generator is poor and the discriminator rejects its samples with
# confidence: $D(G(z)) \approx 0$. Look at each generator loss there. Writing $D = \sigma(a)$, with
# $a$ the discriminator's last pre-activation (its *logit*), the gradients with respect to $a$ are
#
# $$\frac{\partial}{\partial a} \log\big(1 - \sigma(a)\big) = -D, \qquad
#   \frac{\partial}{\partial a} \big(-\log \sigma(a)\big) = -(1 - D).$$
#
# The minimax loss is flat where $D \approx 0$: its gradient is $D$ itself and vanishes, just when the
# generator most needs to learn. The non-saturating loss has its steepest slope there.

# %%
# extra code: both losses and their gradients against D(G(z))
d = np.linspace(0.001, 0.999, 500)
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
cu.plot_curves({"minimax: log(1 - D)": np.log(1 - d), "non-saturating: -log D": -np.log(d)}, x=d,
               xlabel="D(G(z))", ylabel="generator loss", ax=left)
cu.plot_curves({"minimax": d, "non-saturating": 1 - d}, x=d, xlabel="D(G(z))",
               ylabel="|gradient| w.r.t. the logit", ax=right)
left.set_ylim(-5, 5)
fig.tight_layout()

# %% [markdown]
# The same thing measured on networks: let a discriminator train alone for 100 steps against an
# untrained generator (it quickly wins, as it does early in real training), then compute the
# gradient of each generator loss with respect to the generator's weights.

# %%
cu.seed_everything()
probe_generator, probe_discriminator = build_generator(), build_discriminator()
probe_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5)
rng = np.random.default_rng(0)
for _ in range(100):  # phase 1 only: the generator does not move
    fake = probe_generator(keras.random.normal((BATCH_SIZE, LATENT_DIM), seed=2))
    with tf.GradientTape() as tape:
        d_real, d_fake = probe_discriminator(ring.sample(BATCH_SIZE, rng)), probe_discriminator(fake)
        d_loss = bce(tf.ones_like(d_real), d_real) + bce(tf.zeros_like(d_fake), d_fake)
    grads = tape.gradient(d_loss, probe_discriminator.trainable_weights)
    probe_optimizer.apply_gradients(zip(grads, probe_discriminator.trainable_weights))

# %%
probe_z = keras.random.normal((1000, LATENT_DIM), seed=3)


def generator_gradient_norm(loss_of_d):
    with tf.GradientTape() as tape:
        loss = loss_of_d(probe_discriminator(probe_generator(probe_z)))
    grads = tape.gradient(loss, probe_generator.trainable_weights)
    return float(tf.linalg.global_norm(grads))


d_of_fakes = float(tf.reduce_mean(probe_discriminator(probe_generator(probe_z))))
minimax_norm = generator_gradient_norm(lambda d: tf.reduce_mean(tf.math.log(1 - d)))
non_saturating_norm = generator_gradient_norm(lambda d: -tf.reduce_mean(tf.math.log(d)))
print(f"D(G(z)) = {d_of_fakes:.3f}; gradient norm: minimax {minimax_norm:.2e}, "
      f"non-saturating {non_saturating_norm:.2e} ({non_saturating_norm / minimax_norm:.0f} times larger)")

# %%
# Check: against a confident discriminator the minimax loss gives the generator almost no gradient.
cu.check_below(d_of_fakes, 0.1, "D(G(z)) after the discriminator trained alone",
               hint="The discriminator should reject an untrained generator's samples with confidence.")
cu.check_above(non_saturating_norm / minimax_norm, 10, "non-saturating / minimax gradient norm",
               hint="Compare the gradients of -log D and log(1 - D) where D is near 0.")

# %% [markdown]
# ## Measure mode collapse
#
# A generator can fool the discriminator with samples from *some* of the real modes, ignoring the
# others: **mode collapse**. The discriminator then learns to reject that region, the generator
# moves to another mode, and the game can chase itself around the ring. Two numbers measure a
# generator on the ring:
# - a sample is **high quality** when it lies within 3 standard deviations (0.15) of a mode's centre,
#   and the **high-quality share** is the fraction of samples that are;
# - a mode is **covered** when at least a fifth of its fair share of samples (here 2.5 % of them)
#   are high-quality samples of that mode.
#
# `ring.score` computes both. Real samples score 8 modes and about 99 %:

# %%
print(ring.score(real_points))

# %%
scores = [ring.score(fake) for fake in ring_log["fake"]]
for step, score in zip(ring_log["snapshot_step"], scores):
    print(f"step {step:5d}: {score.modes_covered} of 8 modes covered, {score.high_quality:.0%} high quality")

# %%
# extra code: modes covered over training, and the samples per mode at the end
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
left.plot(ring_log["snapshot_step"], [s.modes_covered for s in scores], marker="o", label="modes covered (of 8)")
left.plot(ring_log["snapshot_step"], [8 * s.high_quality for s in scores], marker="s", label="8 x high-quality share")
left.set(xlabel="training step", ylim=(-0.3, 8.5))
left.legend()
right.bar(np.arange(8), scores[-1].counts / len(ring_log["fake"][-1]))
right.axhline(1 / 8, ls=":", c="k", label="fair share")
right.axhline(0.2 / 8, ls="--", c="tab:red", label="covered above")
right.set(xlabel="mode", ylabel="share of samples", title="samples per mode at the end")
right.legend()
fig.tight_layout()

# %% [markdown]
# These are the figures of one run; another seed gives others. Across three seeds tried while
# writing this notebook (fast mode), the GAN covered 7, 8 and 3 modes, with 35 % to 92 % of its
# samples of high quality: some runs settle on a few modes and stay there. Notebook 07 puts these
# numbers beside the Wasserstein GAN's on the same ring. Here they are reported, not checked:

# %%
cu.report("GAN on the ring: modes covered (of 8)", scores[-1].modes_covered)
cu.report("GAN on the ring: high-quality share", scores[-1].high_quality)
cu.report("GAN on the ring: training time", ring_gan.train_seconds, "s")

# %%
# Check: training moved the generator's samples onto the ring (the untrained one is a blob at the centre).
cu.check_above(scores[-1].high_quality, 0.2, "high-quality share after training (0 before)",
               hint="Many generated samples should lie within 3 standard deviations of some mode.")
cu.check_above(scores[-1].modes_covered, 1, "modes covered after training (0 before)",
               hint="The generator should have reached more than one mode of the ring.")

# %% [markdown]
# ## Train a DCGAN on images
#
# The same two-phase step trains an image GAN; only the networks change. The **DCGAN** guidelines
# (Radford et al., 2016) made convolutional GANs train reliably:
# - the discriminator downsamples with **strided convolutions** and the generator upsamples with
#   **transposed convolutions** (no pooling);
# - **batch normalisation** in both networks, except the generator's output and the
#   discriminator's input layer;
# - **ReLU** in the generator with **tanh** at its output (so images are scaled to $[-1, 1]$), and
#   **leaky ReLU** in the discriminator.

# %%
N_TRAIN = cu.budget(fast=3000, full=60000)
data = cu.load_fashion_mnist(n_train=N_TRAIN, n_test=1000)
x_images = data.x_train[..., None] * 2 - 1  # pixels in [-1, 1], like the generator's tanh
IMAGE_LATENT_DIM = 64


def build_dcgan_generator(latent_dim=IMAGE_LATENT_DIM, filters=32):
    return keras.Sequential([
        keras.Input((latent_dim,)),
        layers.Dense(7 * 7 * 2 * filters, use_bias=False),
        layers.BatchNormalization(), layers.ReLU(),
        layers.Reshape((7, 7, 2 * filters)),
        layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False),  # 14 x 14
        layers.BatchNormalization(), layers.ReLU(),
        layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),  # 28 x 28
    ], name="dcgan_generator")


def build_dcgan_discriminator(filters=32, channels=1):
    return keras.Sequential([
        keras.Input((28, 28, channels)),  # one channel: grey levels (the conditional GAN below adds more)
        layers.Conv2D(filters, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),  # 14 x 14
        layers.Conv2D(2 * filters, 4, strides=2, padding="same"),  # 7 x 7
        layers.BatchNormalization(), layers.LeakyReLU(0.2),
        layers.Flatten(),
        layers.Dense(1, activation="sigmoid"),
    ], name="dcgan_discriminator")


# %% [markdown]
# Training uses `make_train_step` unchanged, with the learning rate of the DCGAN paper
# (0.0002, $\beta_1 = 0.5$). Real batches of 64 images are drawn at random; the snapshots are the
# images generated for 8 fixed noise vectors.

# %%
IMAGE_STEPS = cu.budget(fast=500, full=6000)


def build_dcgan():
    return keras.Sequential([build_dcgan_generator(), build_dcgan_discriminator()], name="dcgan")


def train_dcgan(dcgan):
    generator, discriminator = dcgan.layers
    train_step = make_train_step(generator, discriminator, learning_rate=2e-4)
    fixed_z = keras.random.normal((8, IMAGE_LATENT_DIM), seed=1)
    return cu.gan.train_adversarial(
        train_step, lambda rng: x_images[rng.integers(0, len(x_images), 64)], steps=IMAGE_STEPS,
        snapshot=lambda: {"images": (generator(fixed_z, training=False).numpy()[..., 0] + 1) / 2})


image_config = {"steps": IMAGE_STEPS, "batch": 64, "data": data.source, "n_train": N_TRAIN}
dcgan = cu.train_or_load("dcgan", build_dcgan, train_dcgan, image_config)
image_log = dcgan.log

# %%
cu.show_image_rows({f"step {s}": images for s, images in zip(image_log["snapshot_step"], image_log["images"])},
                   title="the same 8 noise vectors as training goes");

# %% [markdown]
# A larger batch of samples from the trained generator, beside real images. `generate` draws `n`
# noise vectors and rescales the generator's $[-1, 1]$ output to the $[0, 1]$ of the data:

# %%
def generate(generator, n, seed):
    z = keras.random.normal((n, IMAGE_LATENT_DIM), seed=seed)
    return (generator(z, training=False).numpy()[..., 0] + 1) / 2


dcgan_generator = dcgan.model.layers[0]
samples = generate(dcgan_generator, 16, seed=4)
cu.show_image_rows({"real": data.x_train[:8], "generated": samples[:8], "generated ": samples[8:]});

# %% [markdown]
# One cheap sanity measure: the average of many generated images should look like the average
# real image (a generator that makes noise, or one stuck on a single blob, does not).

# %%
many = generate(dcgan_generator, 1000, seed=5)
mean_correlation = np.corrcoef(many.mean(axis=0).ravel(), data.x_train.mean(axis=0).ravel())[0, 1]
cu.show_image_rows({"mean image": [data.x_train.mean(axis=0), many.mean(axis=0)]},
                   column_labels=["real", "generated"]);
cu.report("DCGAN training time", dcgan.train_seconds, "s")

# %%
# Check: the generator's images are shaped like the data, on average.
cu.check_above(mean_correlation, 0.8, "correlation between the mean generated and mean real image",
               hint="A low value means the generator makes noise or a few fixed blobs: train longer.")

# %% [markdown]
# ## Ask a judge which items it recognises
#
# A mean image that looks right says little about single images. Notebook 05 trained a **judge**
# for that: a small convolutional classifier of the 10 Fashion-MNIST classes, about as accurate as
# a person; `cu.load_judge()` loads it from the course package. An image is **recognisable** when
# the judge gives one class a probability above 0.9, and a class is **present** when at least 1 %
# of the images are recognised as that class: a generator that collapsed onto a few kinds of item
# scores few classes. The judge reads pixels in $[0, 1]$, which `generate` already returns.
#
# What did training buy? The judge also sees 1,000 images of the **untrained** generator: the same
# architecture built with the same seed, that is, the very network training started from.

# %%
judge = cu.load_judge()
# Check: the judge is about as reliable as a person (people score 83.5 %).
cu.check_above(judge.accuracy, 0.8, "the judge's test accuracy", hint="The judge learned too little: see notebook 05.")

# %%
cu.seed_everything()  # the seed train_or_load built the pair with
untrained_generator = build_dcgan().layers[0]
untrained = generate(untrained_generator, 1000, seed=5)  # the same noise as `many`
# Check: the rebuilt generator is the one training started from (it draws the step-0 snapshot).
cu.check_below(np.abs(generate(untrained_generator, 8, seed=1) - image_log["images"][0]).max(), 1e-5,
               "largest pixel gap between the rebuilt generator and the step-0 snapshot",
               hint="Build the untrained pair right after cu.seed_everything(), as train_or_load does.")

# %%
judged = {"real test images": data.x_test, "untrained generator": untrained, "trained generator": many}
for name, images in judged.items():
    print(f"{name:>20}: {judge.recognisable_share(images):4.0%} recognisable, "
          f"{judge.classes_present(images)} of 10 classes present")

# %%
# extra code: the share of images the judge confidently assigns to each class
judge.plot_class_shares(judged);

# %% [markdown]
# The 16 samples from above, each with the judge's verdict (`?` where no class passes 0.9):

# %%
verdicts = [judge.class_names[p.argmax()] if p.max() > 0.9 else "?" for p in judge.probabilities(samples)]
cu.show_images(samples, verdicts, ncols=8);

# %% [markdown]
# The untrained generator's grey smudges are (almost) never recognised. Trained in full mode (6,000
# steps on all 60,000 images), the generator makes items the judge recognises in about a quarter to
# a third of its images (28 % and 34 % at two seeds tried while writing this notebook), in 7 or 8
# of the 10 classes. The judge is strict: not even all real test images pass (the figures above),
# but they pass more often, so there is room to improve. Fast mode's 500 steps on 3,000 images are
# only a start: 6 % to 12 % recognised, in 2 to 5 classes, at three seeds. The checks hold full
# mode to more than a fifth of the images recognised (below that, "about a quarter" is no longer
# true) and at least half the classes; fast mode to more than 2 % (a few percent, against none
# before training) and more than one class.

# %%
trained_share, trained_classes = judge.recognisable_share(many), judge.classes_present(many)
# Check: the untrained generator makes (almost) nothing recognisable; training makes items of several classes.
cu.check_below(judge.recognisable_share(untrained), 0.01, "share of the untrained generator's images recognised",
               hint="Random weights should make grey smudges, not clothes.")
cu.check_above(trained_share, cu.budget(fast=0.02, full=0.2), "share of the trained generator's images recognised",
               hint="Below this the generator has not learned to draw items the judge can name: train longer.")
cu.check_above(trained_classes, cu.budget(fast=1, full=4), "classes present among the trained generator's images",
               hint="Few classes mean the generator makes only a few kinds of item (mode collapse).")
cu.check_above(judge.recognisable_share(data.x_test), trained_share, "share of real test images recognised",
               hint="Real images should pass more often than the generator's (the bound is the generator's share).")

# %% [markdown]
# ## Give both networks the class
#
# The DCGAN draws whatever item its noise leads to: nobody can ask it for a sandal. A
# **conditional GAN** (Mirza and Osindero, 2014, [arXiv:1411.1784](https://arxiv.org/abs/1411.1784))
# gives the class $y$ to both players. The generator draws $G(z, y)$; the discriminator judges
# pairs, $D(x, y)$: is $x$ a real image *of class $y$*? The game becomes
#
# $$\min_G \max_D \; \mathbb{E}_{(x, y) \sim \text{data}}\big[\log D(x, y)\big]
#   + \mathbb{E}_{z,\, y}\big[\log\big(1 - D(G(z, y), y)\big)\big].$$
#
# A generator that draws a sandal when asked for a sneaker now loses: the discriminator has seen
# real sneakers paired with "sneaker", and a sandal paired with "sneaker" is a pair it never saw.
#
# The class enters as a one-hot vector of 10 numbers. The generator appends it to the noise and
# feeds the 74 numbers to the same DCGAN generator as above (`cu.gan.build_dcgan_generator`). The
# discriminator receives it as 10 extra image channels, each constant over the 28 × 28 pixels, so its
# first convolution sees the image and the request together.

# %%
N_CLASSES = 10


def build_conditional_generator(latent_dim=IMAGE_LATENT_DIM):
    z, label = keras.Input((latent_dim,)), keras.Input((N_CLASSES,))  # noise, one-hot class
    body = cu.gan.build_dcgan_generator(latent_dim + N_CLASSES)
    return keras.Model([z, label], body(layers.Concatenate()([z, label])), name="conditional_generator")


def build_conditional_discriminator():
    image, label = keras.Input((28, 28, 1)), keras.Input((N_CLASSES,))
    label_maps = layers.UpSampling2D(28)(layers.Reshape((1, 1, N_CLASSES))(label))  # 28 x 28 x 10, constant
    body = build_dcgan_discriminator(channels=1 + N_CLASSES)
    return keras.Model([image, label], body(layers.Concatenate()([image, label_maps])),
                       name="conditional_discriminator")


# %% [markdown]
# The training step is `make_train_step` with the class threaded through. Real images go to the
# discriminator with their own class; the generator is asked for classes drawn at random, and its
# images go to the discriminator with the class that was asked for.

# %%
def make_conditional_train_step(generator, discriminator, *, learning_rate=2e-4, seed=0):
    d_optimizer = keras.optimizers.Adam(learning_rate, beta_1=0.5)
    g_optimizer = keras.optimizers.Adam(learning_rate, beta_1=0.5)
    noise = keras.random.SeedGenerator(seed)

    @tf.function
    def train_step(real):
        images, labels = real  # real images and their classes (one-hot)
        batch_size = tf.shape(images)[0]
        asked = tf.one_hot(keras.random.randint((batch_size,), 0, N_CLASSES, seed=noise), N_CLASSES)
        fake = generator([keras.random.normal((batch_size, IMAGE_LATENT_DIM), seed=noise), asked], training=True)
        # Phase 1: real (image, its class) pairs -> 1, generated (image, class asked for) pairs -> 0.
        with tf.GradientTape() as tape:
            d_real = discriminator([images, labels], training=True)
            d_fake = discriminator([fake, asked], training=True)
            d_loss = bce(tf.ones_like(d_real), d_real) + bce(tf.zeros_like(d_fake), d_fake)
        grads = tape.gradient(d_loss, discriminator.trainable_weights)
        d_optimizer.apply_gradients(zip(grads, discriminator.trainable_weights))
        # Phase 2: the generator learns to make the frozen discriminator accept its pairs.
        z = keras.random.normal((batch_size, IMAGE_LATENT_DIM), seed=noise)
        with tf.GradientTape() as tape:
            d_fake = discriminator([generator([z, asked], training=True), asked], training=True)
            g_loss = bce(tf.ones_like(d_fake), d_fake)
        grads = tape.gradient(g_loss, generator.trainable_weights)
        g_optimizer.apply_gradients(zip(grads, generator.trainable_weights))
        return {"d_loss": d_loss, "g_loss": g_loss}

    return train_step


# %% [markdown]
# ## Train the conditional GAN and ask for each class
#
# The same loop trains it, with batches of 64 real images and their classes. The snapshots show one
# image of each class, all drawn from the same noise vector.

# %%
CGAN_STEPS = cu.budget(fast=500, full=3000)
labels_one_hot = np.eye(N_CLASSES, dtype="float32")[data.y_train]
every_class = np.eye(N_CLASSES, dtype="float32")  # one request of each class, in class order


def build_cgan():  # the two networks in one model (the generator's images go to the discriminator), cached together
    generator, discriminator = build_conditional_generator(), build_conditional_discriminator()
    z, label = keras.Input((IMAGE_LATENT_DIM,)), keras.Input((N_CLASSES,))
    return keras.Model([z, label], discriminator([generator([z, label]), label]), name="cgan")


def generate_classes(generator, z, classes):
    """Images in [0, 1] drawn from noise vectors `z` for the one-hot `classes`, one per row."""
    return (generator([z, classes], training=False).numpy()[..., 0] + 1) / 2


def train_cgan(cgan):
    generator, discriminator = cgan.get_layer("conditional_generator"), cgan.get_layer("conditional_discriminator")
    train_step = make_conditional_train_step(generator, discriminator)
    fixed_z = np.repeat(keras.random.normal((1, IMAGE_LATENT_DIM), seed=1).numpy(), N_CLASSES, axis=0)

    def real_batch(rng):
        picked = rng.integers(0, len(x_images), 64)
        return x_images[picked], labels_one_hot[picked]

    return cu.gan.train_adversarial(train_step, real_batch, steps=CGAN_STEPS,
                                    snapshot=lambda: {"images": generate_classes(generator, fixed_z, every_class)})


cgan = cu.train_or_load("cgan", build_cgan, train_cgan, image_config | {"steps": CGAN_STEPS})
cgan_generator = cgan.model.get_layer("conditional_generator")

# %%
cu.show_image_rows({f"step {s}": images for s, images in zip(cgan.log["snapshot_step"], cgan.log["images"])},
                   column_labels=[name.split("/")[0] for name in data.class_names],
                   title="one noise vector, each class asked for, as training goes");

# %% [markdown]
# Now one row per class. Every column uses the same noise vector in all ten rows: the class
# decides *what* is drawn, and the noise is left to decide the rest.

# %%
grid_z = np.tile(keras.random.normal((8, IMAGE_LATENT_DIM), seed=6).numpy(), (N_CLASSES, 1))  # the same 8 per row
grid = generate_classes(cgan_generator, grid_z, np.repeat(every_class, 8, axis=0)).reshape(N_CLASSES, 8, 28, 28)
cu.show_image_rows(dict(zip(data.class_names, grid)), title="one row per class asked for; one noise vector per column");

# %% [markdown]
# ## Ask the judge whether each image is what was asked for
#
# The judge can now answer a sharper question: is an image's most likely class the class the
# generator was asked for? We ask for every class 100 times, with the same 100 noise vectors for
# each class. Guessing would agree once in ten. Nor is the ceiling 100 %: on real test images the
# judge itself mistakes some classes for others (shirts, pullovers and coats look alike), so each
# class's agreement is drawn beside the judge's accuracy on real test images of that class. The
# untrained conditional generator (rebuilt with the seed training started from) is the control.

# %%
asked = np.repeat(np.arange(N_CLASSES), 100)  # 100 requests of each class
judge_z = np.tile(keras.random.normal((100, IMAGE_LATENT_DIM), seed=7).numpy(), (N_CLASSES, 1))


def agreement_per_class(images, classes):
    """For each class, the share of its images (asked for it, or labelled with it) that the judge names so."""
    verdicts = judge.probabilities(images).argmax(axis=1)
    return np.array([np.mean(verdicts[classes == c] == c) for c in range(N_CLASSES)])


cu.seed_everything()  # the seed train_or_load built the pair with
untrained_cgan = build_cgan().get_layer("conditional_generator")
cgan_images = generate_classes(cgan_generator, judge_z, every_class[asked])
agreement = {"real test images": agreement_per_class(data.x_test, data.y_test),
             "conditional GAN": agreement_per_class(cgan_images, asked),
             "untrained": agreement_per_class(generate_classes(untrained_cgan, judge_z, every_class[asked]), asked)}
for name, shares in agreement.items():
    print(f"{name:>17}: {shares.mean():4.0%} on average;", " ".join(f"{s:.2f}" for s in shares))

# %%
# extra code: the agreement per class, beside the judge's accuracy on real images and chance
fig, ax = plt.subplots(figsize=(11, 4))
for i, (name, shares) in enumerate(agreement.items()):
    ax.bar(np.arange(N_CLASSES) + (i - 1) * 0.27, shares, width=0.27, label=name)
ax.axhline(1 / N_CLASSES, color="black", linestyle="--", linewidth=1, label="chance")
ax.set_xticks(range(N_CLASSES), [name.split("/")[0] for name in data.class_names], rotation=30)
ax.set(ylabel="judge names the class asked for", ylim=(0, 1.05), title="is it the class that was asked for?")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=10);

# %% [markdown]
# Without training the request changes nothing that matters: the untrained generator's grey
# smudges all get the same verdict, whatever was asked for, so they agree exactly when that class
# was asked: once in ten. After training, the judge names the class asked for in most images, and
# for many classes about as often as it names real images of that class. The weakest class is
# always one of those the judge confuses on real images too (pullovers in our fast runs, at about a
# third; pullovers and coats, both under a half, in full mode): pullovers, coats and shirts are all
# tops with long sleeves, and drawn from the same noise they come out alike (rows 3, 5 and 7 of the grid).
# Measured while writing this notebook, the judge named the class asked for in 78 %, 76 % and 79 %
# of the images in fast mode (500 steps on 3,000 images; seeds 42, 1 and 2), and in 82 % in full
# mode (3,000 steps on all 60,000 images), against 84-86 % for real test images.

# %%
# Check: before training, agreement is chance (bound 0.2, twice chance); after, the judge names the
# class asked for in most images in fast mode (bound 0.5) and in three quarters of them in full mode.
cu.check_below(agreement["untrained"].mean(), 0.2, "the untrained generator's agreement with the class asked for",
               hint="An untrained generator cannot draw a class: rebuild it right after cu.seed_everything().")
cu.check_above(agreement["conditional GAN"].mean(), cu.budget(fast=0.5, full=0.75),
               "the conditional GAN's agreement with the class asked for (chance: 0.1)",
               hint="Pair each generated image with the class asked for, each real one with its own class.")
# Check: the weakest class is one of the three long-sleeved tops.
weakest = data.class_names[agreement["conditional GAN"].argmin()]
cu.check_equal(weakest in ("Pullover", "Coat", "Shirt"), True, f"the weakest class ({weakest}) is a long-sleeved top",
               hint="Look at the grid: which rows come out alike?")

# %% [markdown]
# What does the noise decide, now that the class is given? Looking down a column of the grid, the
# items drawn from one noise vector seem to share their weight of ink. Measured on the 1,000 judged
# images: for each pair of classes, the correlation over the 100 noise vectors between the ink
# (mean darkness) of the two classes' images, averaged over the 45 pairs.

# %%
judged_images = cgan_images.reshape(N_CLASSES, 100, 28, 28)  # the 1,000 images judged above, a row per class
ink = judged_images.mean(axis=(2, 3))  # (class, noise vector)
pair_correlations = np.corrcoef(ink)[np.triu_indices(N_CLASSES, k=1)]
shuffled = np.corrcoef(np.random.default_rng(0).permuted(ink, axis=1))[np.triu_indices(N_CLASSES, k=1)]
print(f"ink correlation between classes drawn from the same noise: {pair_correlations.mean():.2f} on average "
      f"(lowest pair {pair_correlations.min():.2f}); with the noise vectors shuffled: {shuffled.mean():.2f}")

# %% [markdown]
# The correlation is strong on average and positive for every pair of classes (0.97 on average in
# fast mode, 0.82 in full mode): a noise vector that makes a dark T-shirt makes a dark boot. The
# class sets the shape; the noise carries what is left, and the darkness of the item is a large
# part of it. Shuffling the noise vectors destroys the correlation, which shows
# it is the shared noise, not the classes, that makes it. (Only ink is measured here: other traits
# a column may share, such as width, are left to your eyes.)

# %%
# Check: images drawn from the same noise share their ink across classes (bound 0.5 on the average
# correlation, for "strong"; every pair above 0 for "every pair"), and shuffling removes it (bound 0.2).
cu.check_above(pair_correlations.mean(), 0.5, "the average ink correlation between classes drawn from the same noise",
               hint="Use the same noise vectors for every class, in the same order.")
cu.check_above(pair_correlations.min(), 0.0, "the lowest ink correlation over the pairs of classes")
cu.check_below(abs(shuffled.mean()), 0.2, "the average ink correlation with the noise vectors shuffled");


# %% [markdown]
# ## Summary
#
# - A GAN is a game: the **discriminator** classifies real against generated samples, the
#   **generator** learns to make the discriminator say *real*. At the solution the generator's
#   distribution is the data's and $D = 1/2$ everywhere.
# - A training step has **two phases**: a classification step for the discriminator on real and
#   generated batches, then a generator step through the frozen discriminator with every sample
#   labelled real.
# - The generator is trained with the **non-saturating** loss $-\log D(G(z))$: the minimax
#   $\log(1 - D(G(z)))$ has a vanishing gradient when the discriminator wins, which it does early.
# - GAN losses do not show progress the way a classifier's do; pictures and measures do. On the
#   ring, **modes covered** and the **high-quality share** make mode collapse a number.
# - The **DCGAN** guidelines carry the same step over to images.
# - A **conditional GAN** gives the class to both networks: the discriminator judges (image, class)
#   pairs, so the generator must draw the class it is asked for. The judge names the class asked
#   for in most of its images (chance: one in ten), and the noise carries what the class leaves
#   open, such as how dark the item is.
#
# Notebook 07 reuses `build_generator`, `build_discriminator`, `make_train_step` and
# `build_dcgan_generator`: the course package keeps these exact definitions as `cu.gan.…`.

# %% [markdown]
# ## Exercises
#
# Each exercise has its own answer cell: replace its `...` with your code (or your words), then run
# the check cell after it. A check says "✔" when your answer passes it, and gives a hint, never the
# answer, when it does not. Some checks look only at the form of an answer; the grader's tests look
# further.
#
# **1. Train with the minimax loss.** Train the ring GAN with `non_saturating=False` (use
# `functools.partial(train_ring_gan, non_saturating=False)` and the name `ring-gan-minimax`), keep
# what `cu.train_or_load` returns in `minimax_gan`, store the final snapshot's score in
# `minimax_score`, and compare it with the non-saturating run. On the ring it may well train: look
# at `D(G(z))` (the log's `d_fake`) early in training, where the minimax loss would stall. Store its
# lowest 50-step moving average over the first 500 steps in `lowest_d_fake`.

# %% [raw]
# # BEGIN QUESTION
# name: q1_minimax_loss
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
from functools import partial

minimax_gan = cu.train_or_load("ring-gan-minimax", build_ring_gan, partial(train_ring_gan, non_saturating=False),
                               ring_config)
minimax_score = ring.score(minimax_gan.log["fake"][-1])
lowest_d_fake = cu.moving_average(minimax_gan.log["d_fake"][:500], window=50).min()
print(f"minimax: {minimax_score.modes_covered} of 8 modes, {minimax_score.high_quality:.0%} high quality; "
      f"non-saturating: {scores[-1].modes_covered} of 8, {scores[-1].high_quality:.0%}")
print(f"lowest D(G(z)) over the first 500 steps (50-step average): {lowest_d_fake:.2f}; "
      f"in the probe: {d_of_fakes:.3f}")
ring_figure(minimax_gan.log, -1);
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_the_run_is_minimax(cu, minimax_gan, lowest_d_fake):
    cu.check_below(minimax_gan.log["g_loss"].max(), 0, "largest generator loss of the minimax run")
    cu.check_between(lowest_d_fake, 0, 1, "lowest_d_fake (an average of probabilities)")


test_the_run_is_minimax(cu, minimax_gan, lowest_d_fake)

# %%
# HIDDEN
def test_minimax_measures(cu, minimax_gan, minimax_score, lowest_d_fake, ring):
    expected = cu.moving_average(minimax_gan.log["d_fake"][:500], window=50).min()
    cu.check_between(lowest_d_fake, expected - 1e-6, expected + 1e-6, "lowest_d_fake against the log")
    again = ring.score(minimax_gan.log["fake"][-1])
    cu.check_equal((minimax_score.modes_covered, minimax_score.high_quality), (again.modes_covered, again.high_quality),
                   "minimax_score")
    cu.check_above(lowest_d_fake, 0.1, "lowest D(G(z)) over the minimax run's first 500 steps")
    cu.check_above(minimax_score.high_quality, 0.2, "high-quality share of the minimax run")


test_minimax_measures(cu, minimax_gan, minimax_score, lowest_d_fake, ring)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: this run trained its generator with the minimax loss, log(1 - D(G(z))), which is always
# negative; and lowest_d_fake is an average of the discriminator's probabilities.
cu.check_below(minimax_gan.log["g_loss"].max(), 0, "largest generator loss of the minimax run",
               hint="Which argument of train_ring_gan chooses the generator's loss?")
cu.check_between(lowest_d_fake, 0, 1, "lowest_d_fake (an average of probabilities)",
                 hint="Average the log's d_fake over a 50-step window before taking the minimum.");

# %% [markdown]
# *Does the discriminator ever win outright here (`D(G(z))` below 0.1), as it did in the probe
# above? What does that mean for the minimax loss's gradient?*

# %% [raw]
# # BEGIN QUESTION
# name: q1_why
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* No: on the ring, `D(G(z))` stays well above the probe's 0.1 (its lowest 50-step average is
# typically 0.3 or more), because both players start weak and improve together. The minimax
# generator's gradient is proportional to `D(G(z))` itself, so it never vanishes here, and the
# generator still reaches the ring. The probe showed the other case: a discriminator trained alone
# wins outright, and then the minimax loss gives the generator almost no gradient.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **2. Snapshots.** Which snapshot first shows the generator leaving the centre? Where on the
# decision surface do the orange points move next?

# %% [raw]
# # BEGIN QUESTION
# name: q2_snapshots
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* The generated points start as a small cloud at the centre. The first snapshot after step 0 already
# shows them spreading out toward the ring. They move *up the decision surface*: toward the regions
# where the discriminator says "real" (high D), i.e. toward the ring's modes, because the
# generator's gradient is the gradient of D at its samples. Where the surface is flat, they stall;
# where a mode is left unclaimed, the surface stays high there and pulls points in later.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **3. Label smoothing.** One of the classic tricks trains the discriminator with real labels of 0.9
# instead of 1. Add it to `make_train_step` and compare the modes covered. Write what you find.

# %%
# Try it here (your code is not graded: write what you find in the answer cell below).

# %% [raw]
# # BEGIN QUESTION
# name: q3_label_smoothing
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* Only the discriminator's loss on real samples changes (targets `0.9 * ones` instead of `ones`); the
# generator's loss stays the same. The discriminator can then never be fully confident on real data,
# so its output saturates less and its gradients to the generator stay informative; on the ring the
# modes covered are usually the same or slightly better than without it, and the decision surface is
# smoother. It is one-sided on purpose: smoothing the fake labels too would reward the generator for
# staying where it is.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
