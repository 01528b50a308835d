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
# # 05 · The variational autoencoder, with live latent sliders
#
# A plain autoencoder puts each image at one point of its code space, wherever training happens
# to leave it. Decode a point picked at random and you usually get a smudge: nobody said which
# points are meaningful. A **variational autoencoder** (VAE) fixes that. Its encoder outputs a
# small *distribution* for each image, and its loss pulls these distributions toward one known
# distribution, the standard normal $\mathcal{N}(0, I)$. Then any code drawn from
# $\mathcal{N}(0, I)$ decodes to something that looks like an item, and nearby codes decode to
# similar items. This notebook builds one, measures both parts of its loss, generates new images,
# lets you steer the decoder with one slider per latent dimension, and does arithmetic with codes.
#
# **Learning goals**
# - Build an encoder that outputs a mean and a log-variance per latent dimension, and sample codes
#   with the reparameterisation trick so that gradients reach the encoder.
# - Write the VAE loss (reconstruction plus the KL divergence to $\mathcal{N}(0, I)$) in a Keras
#   model's `train_step`, track both terms, and report the ELBO on test images.
# - Generate images from random codes, interpolate between two images in latent space, and explore
#   the code space with sliders, a traversal grid and a 2-D latent plane.
# - Measure how a VAE's codes differ from a plain autoencoder's, and why that makes it a generator.
# - Edit images by adding class and attribute directions to their codes, and measure with a judge
#   how often an edit works, against random steps of the same length.

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
from IPython.display import display
from keras import layers, ops
from sklearn.neighbors import KNeighborsClassifier

# %% [markdown]
# ## Load the images
#
# A third of Fashion-MNIST's training images in full mode (enough for every figure here, and the
# notebook's five models train within minutes on a CPU); a few thousand in fast mode.

# %%
N_TRAIN, N_TEST = cu.budget(fast=3000, full=20000), cu.budget(fast=1000, full=10000)
data = cu.load_fashion_mnist(n_train=N_TRAIN, n_test=N_TEST)
x_train, x_test, y_test = data.x_train, data.x_test, data.y_test

# %% [markdown]
# ## Make the encoder output a distribution
#
# For each image $x$ the encoder outputs two vectors of the latent size: a mean $\mu(x)$ and a
# log-variance $\log \sigma^2(x)$. Together they describe a Gaussian $q(z \mid x) =
# \mathcal{N}(\mu, \mathrm{diag}(\sigma^2))$: the region of code space where this image's code
# lives. Predicting $\log \sigma^2$ rather than $\sigma$ lets the layer output any real number
# while $\sigma = e^{\frac{1}{2}\log\sigma^2}$ stays positive.
#
# Eight latent dimensions: few enough for eight sliders, enough for recognisable items.

# %%
LATENT = 8


def build_encoder(latent_dim=LATENT):
    images = keras.Input((28, 28))
    hidden = layers.Flatten()(images)
    hidden = layers.Dense(256, activation="relu")(hidden)
    hidden = layers.Dense(128, activation="relu")(hidden)
    mean = layers.Dense(latent_dim, name="mean")(hidden)
    log_var = layers.Dense(latent_dim, name="log_var")(hidden)
    return keras.Model(images, [mean, log_var], name="encoder")


def build_decoder(latent_dim=LATENT):
    return keras.Sequential([
        keras.Input((latent_dim,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(256, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
        layers.Reshape((28, 28)),
    ], name="decoder")


# %% [markdown]
# ## Sample codes with the reparameterisation trick
#
# Training needs a code to decode, drawn from $q(z \mid x)$. Drawing it directly is a dead end for
# backpropagation: "a random number from this distribution" has no derivative with respect to the
# distribution's parameters. The trick is to move the randomness out of the way: draw
# $\varepsilon \sim \mathcal{N}(0, I)$, which depends on nothing, and compute
#
# $$z = \mu + \sigma \odot \varepsilon .$$
#
# $z$ has exactly the distribution we wanted, and it is now a plain function of $\mu$ and
# $\sigma$: $\partial z / \partial \mu = 1$ and $\partial z / \partial \log\sigma^2 =
# \frac{1}{2}\sigma\varepsilon$. A small custom layer does it; its `SeedGenerator` is its own
# seeded source of $\varepsilon$.

# %%
class Sampling(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.noise = keras.random.SeedGenerator()

    def call(self, inputs):
        mean, log_var = inputs
        epsilon = keras.random.normal(ops.shape(mean), seed=self.noise)
        return mean + ops.exp(0.5 * log_var) * epsilon


# %% [markdown]
# Watch the gradients. Through the layer, they are exactly the two formulas above; through a
# sample drawn with NumPy, the tape loses track and there is no gradient at all.

# %%
cu.seed_everything()
mean, log_var = tf.Variable([0.5, -1.0]), tf.Variable([0.2, -0.6])
with tf.GradientTape(persistent=True) as tape:
    z = Sampling()([mean, log_var])
    z_numpy = tf.constant(np.random.normal(mean.numpy(), np.exp(log_var.numpy() / 2)))
sigma = tf.exp(log_var / 2)
epsilon = (z - mean) / sigma
print("dz/dmean      :", tape.gradient(z, mean).numpy(), " (formula: 1)")
print("dz/dlog_var   :", tape.gradient(z, log_var).numpy(), " (formula:", (0.5 * sigma * epsilon).numpy(), ")")
print("through NumPy :", tape.gradient(z_numpy, mean))

# %%
# Check: gradients flow through the sampling layer, and match the formulas.
cu.check_below(float(tf.reduce_max(tf.abs(tape.gradient(z, log_var) - 0.5 * sigma * epsilon))), 1e-6,
               "the largest gap between dz/dlog_var and sigma * epsilon / 2",
               hint="Sampling must return mean + exp(log_var / 2) * epsilon.")
cu.check_equal(tape.gradient(z_numpy, mean) is None, True, "a NumPy sample has no gradient",
               hint="Sampling outside TensorFlow cuts the computation graph.")

# %% [markdown]
# ## Write the loss: reconstruction plus KL divergence
#
# The VAE maximises the **evidence lower bound** (ELBO) on $\log p(x)$; in practice we minimise
# its negative, a sum of two terms:
#
# $$\mathcal{L}(x) = \underbrace{\mathbb{E}_{z \sim q(z \mid x)}\left[-\log p(x \mid z)\right]}
# _{\text{reconstruction}} + \underbrace{D_{\mathrm{KL}}\left(q(z \mid x) \,\|\, \mathcal{N}(0, I)
# \right)}_{\text{KL}} .$$
#
# - **Reconstruction**: treating each pixel as the probability of ink, $-\log p(x \mid z)$ is the
#   binary cross-entropy between the image and its decoding, summed over the 784 pixels, estimated
#   with the one sampled $z$.
# - **KL**: how far the encoder's Gaussian is from the standard normal. For Gaussians it has a
#   closed form, summed over the latent dimensions $j$:
#   $D_{\mathrm{KL}} = -\frac{1}{2}\sum_j \left(1 + \log\sigma_j^2 - \mu_j^2 - \sigma_j^2\right)$.
#
# The first term wants codes that tell images apart; the second wants every image's code to look
# like a draw from $\mathcal{N}(0, I)$. Both are measured in nats per image. Each latent
# dimension's share of the KL, the term inside the sum, is written once (`kl_per_dimension`): the
# loss sums it, and a bar chart further down shows it dimension by dimension. (Fashion-MNIST's pixels
# are grey levels, not coin flips, so the cross-entropy is a stand-in for a true log-likelihood:
# compare ELBOs between models on the same data, not with other datasets.)

# %%
def reconstruction_loss(images, decoded, eps=1e-7):
    decoded = ops.clip(decoded, eps, 1 - eps)
    per_pixel = -(images * ops.log(decoded) + (1 - images) * ops.log(1 - decoded))
    return ops.sum(per_pixel, axis=(1, 2))  # one value per image, in nats


def kl_per_dimension(mean, log_var):
    return -0.5 * (1 + log_var - ops.square(mean) - ops.exp(log_var))  # one column per latent dimension


def kl_divergence(mean, log_var):
    return ops.sum(kl_per_dimension(mean, log_var), axis=1)  # one value per image, in nats


# %% [markdown]
# The closed form is easy to get wrong by a sign or a factor. Compare it with the definition,
# $D_{\mathrm{KL}} = \mathbb{E}_{z \sim q}[\log q(z) - \log p(z)]$, estimated from samples.

# %%
def log_normal(z, mean, std):
    return -0.5 * ((z - mean) / std) ** 2 - np.log(std * np.sqrt(2 * np.pi))


cu.seed_everything()
q_mean, q_log_var = np.array([[1.0, -0.5]]), np.array([[np.log(0.25), 0.8]])
q_std = np.exp(q_log_var / 2)
z_samples = q_mean + q_std * np.random.standard_normal((200_000, 2))
kl_sampled = np.mean(np.sum(log_normal(z_samples, q_mean, q_std) - log_normal(z_samples, 0, 1), axis=1))
kl_formula = float(kl_divergence(q_mean, q_log_var)[0])
print(f"KL by the formula: {kl_formula:.4f} nats; estimated from 200,000 samples: {kl_sampled:.4f} nats")

# %%
# Check: the closed-form KL agrees with its definition.
cu.check_below(abs(kl_sampled / kl_formula - 1), 0.02, "the relative gap between the sampled and closed-form KL",
               hint="kl_divergence should be -0.5 * sum(1 + log_var - mean**2 - exp(log_var)).")

# %% [markdown]
# ## Put it in a model's training step
#
# One pass of a batch through the VAE gives both terms: encode, sample a code, decode, then
# average each term over the batch. The function takes its `sampling` layer as an argument, so
# that the test figures below can draw their noise from a freshly seeded one.

# %%
def loss_terms(model, images, sampling, training=False):
    mean, log_var = model.encoder(images, training=training)
    decoded = model.decoder(sampling([mean, log_var]), training=training)
    return ops.mean(reconstruction_loss(images, decoded)), ops.mean(kl_divergence(mean, log_var))


# %% [markdown]
# Keras's `fit` calls `train_step` on every batch. Overriding it is the Keras 3 way to train with a
# loss that needs the model's insides (here $\mu$ and $\log\sigma^2$), not just predictions and
# targets. Three `Mean` metrics track the loss and its two terms; Keras resets them each epoch, so
# the history holds per-epoch averages. `beta` weighs the KL term: 1 for the VAE (see the β-VAE
# section at the end).

# %%
class VAE(keras.Model):
    def __init__(self, encoder, decoder, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder, self.beta = encoder, decoder, beta
        self.sampling = Sampling()
        self.tracked = [keras.metrics.Mean(name=name) for name in ("loss", "reconstruction", "kl")]

    @property
    def metrics(self):
        return self.tracked

    def call(self, images, training=False):
        mean, log_var = self.encoder(images, training=training)
        return self.decoder(self.sampling([mean, log_var]), training=training)

    def train_step(self, images):
        with tf.GradientTape() as tape:
            reconstruction, kl = loss_terms(self, images, self.sampling, training=True)
            loss = reconstruction + self.beta * kl
        self.optimizer.apply(tape.gradient(loss, self.trainable_weights), self.trainable_weights)
        for metric, value in zip(self.tracked, (loss, reconstruction, kl)):
            metric.update_state(value)
        return {metric.name: metric.result() for metric in self.tracked}


# %% [markdown]
# ## Train the VAE and watch both terms
#
# `build_vae` calls the new model once on an image: Keras counts a subclassed model as built
# (ready to save its weights) only after a first call. `train_vae` feeds shuffled batches of images
# to `fit`, with no targets: the images are their own. The trained model is cached, so a second run
# of the notebook loads it.

# %%
EPOCHS = cu.budget(fast=20, full=20)
BATCH_SIZE = cu.budget(fast=64, full=128)  # smaller batches in fast mode: more steps from fewer images
LEARNING_RATE = 3e-3
config = {"epochs": EPOCHS, "batch_size": BATCH_SIZE, "lr": LEARNING_RATE, "data": data.source, "n": len(x_train)}


def build_vae(latent_dim=LATENT, beta=1.0):
    model = VAE(build_encoder(latent_dim), build_decoder(latent_dim), beta=beta)
    model(x_train[:1])
    return model


def train_vae(model):
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE))
    images = tf.data.Dataset.from_tensor_slices(x_train).shuffle(len(x_train)).batch(BATCH_SIZE)
    return model.fit(images, epochs=EPOCHS, shuffle=False, verbose=0,  # the dataset shuffles
                     callbacks=[cu.ProgressCallback()]).history


# %%
run = cu.train_or_load("vae-8", build_vae, train_vae, config)
vae, history = run.model, run.log

# %%
# extra code: the two terms of the loss, per epoch, on their own scales
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
cu.plot_curves({"reconstruction": history["reconstruction"]}, ylabel="nats per image", ax=left,
               title="Reconstruction term")
cu.plot_curves({"KL": history["kl"]}, ylabel="nats per image", ax=right, title="KL term")
fig.tight_layout();

# %% [markdown]
# The reconstruction term falls steadily. The KL term does something more interesting: it
# **rises**, as the encoder learns to put information about each image into its code. A code that
# says nothing about its image costs 0 nats of KL; every nat the code carries is paid for in KL, and
# repaid many times over in reconstruction, so the total keeps falling.

# %%
# Check: the loss and its reconstruction term keep falling (each quarter of training is lower on
# average than the quarter before).
last = {k: float(v[-1]) for k, v in history.items()}
for term, name in [("loss", "the loss"), ("reconstruction", "the reconstruction term")]:
    quarters = [float(np.mean(part)) for part in np.array_split(history[term], 4)]
    cu.check_decreasing(quarters, f"{name}, averaged over each quarter of training",
                        hint="Train for more epochs, or check the learning rate.")

# %% [markdown]
# Count the trade in nats, from the epoch where the KL term was lowest to the last: how much the
# KL rose, and how much the reconstruction term fell over the same epochs.

# %%
low = int(np.argmin(history["kl"]))
kl_rise = last["kl"] - float(history["kl"][low])
reconstruction_fall = float(history["reconstruction"][low]) - last["reconstruction"]
print(f"from epoch {low + 1} to the last: KL +{kl_rise:.1f} nats, reconstruction -{reconstruction_fall:.1f} nats")

# %%
# Check: the KL term rises by at least 1 nat (less, and the code learned next to nothing; a rise
# of whole nats also keeps the ratio below from dividing by a number near 0), and each nat of KL
# buys at least 5 nats of reconstruction (below 5, "many times over" would overstate it; at 1 the
# total loss would stop falling).
cu.check_above(kl_rise, 1.0, "the KL term's rise from its lowest epoch (nats)",
               hint="A KL stuck at its low means the codes carry nothing: check the reparameterisation.")
cu.check_above(reconstruction_fall / kl_rise, 5, "nats of reconstruction gained per nat of KL, over the same epochs",
               hint="The reconstruction term should fall much more than the KL term rises.")

# %% [markdown]
# ## Report the ELBO on test images
#
# The same two terms on the test images, with no weight updates; the ELBO is minus their sum.
# Close to the training figure means the VAE did not just memorise its training images. A freshly
# seeded `Sampling` layer draws the noise, so every run reports the same estimate.

# %%
def test_terms(model):
    cu.seed_everything()
    reconstruction, kl = loss_terms(model, x_test, Sampling())
    return {"reconstruction": float(reconstruction), "kl": float(kl), "loss": float(reconstruction + kl)}


test = test_terms(vae)
cu.report("test ELBO", -test["loss"], "nats per image")
print(f"  = -(reconstruction {test['reconstruction']:.1f} + KL {test['kl']:.1f}); "
      f"training (last epoch): {-last['loss']:.1f}")

# %%
# Check: the test loss is within 10% of the training loss.
cu.check_below(test["loss"] / last["loss"], 1.1, "the test loss relative to the last training epoch's",
               hint="A much larger test loss means overfitting: fewer epochs or more training images.")

# %% [markdown]
# ## Generate new images from random codes
#
# Here is the payoff. Draw codes from $\mathcal{N}(0, I)$, decode them: images no one drew.

# %%
cu.seed_everything()
random_codes = np.random.standard_normal((1000, LATENT)).astype("float32")
generated = vae.decoder(random_codes, training=False).numpy()
cu.show_images(generated[:30], ncols=10, title="Decoded from codes drawn from N(0, I)");

# %% [markdown]
# They are blurrier than real images: the decoder hedges between the images a code could have come
# from, and the cross-entropy rewards a grey guess over a confident wrong one. How recognisable they
# are is measured below, against a plain autoencoder.

# %% [markdown]
# ## Interpolate in latent space, not in pixel space
#
# Take two test images, encode both (the means $\mu$ are their codes), and decode points along the
# straight line between the codes. Beside them, the same blend done on the pixels.

# %%
def interpolate(a, b, steps=9):
    return np.stack([(1 - t) * a + t * b for t in np.linspace(0, 1, steps, dtype="float32")])


start, end = x_test[y_test == 1][0], x_test[y_test == 3][0]  # a 'Trouser' and a 'Dress' (digits: 1 and 3)
codes, _ = vae.encoder(np.stack([start, end]), training=False)
latent_path = vae.decoder(interpolate(codes[0].numpy(), codes[1].numpy()), training=False).numpy()
pixel_path = interpolate(start, end)

# %%
steps = [f"{t:.2f}" for t in np.linspace(0, 1, 9)]
cu.show_image_rows({"latent": latent_path, "pixels": pixel_path}, column_labels=steps,
                   title=f"From '{data.class_names[1]}' to '{data.class_names[3]}'");

# %% [markdown]
# In pixel space the midpoint is a double exposure: two faint items on top of each other. In
# latent space every step is drawn by the decoder, so each is one (blurry) item, one shape
# morphing into the other.
#
# The path's two ends are the decoder's reconstructions of the two images. They should be close to
# the originals: closer, at least, than the two originals are to each other. Measured on 200
# random test pairs, with the mean squared error per pixel of notebook 01 (`cu.squared_error`):

# %%
cu.seed_everything()
pairs = np.random.permutation(len(x_test))[:400].reshape(2, 200)
ends = vae.decoder(vae.encoder(x_test[pairs[0]], training=False)[0], training=False).numpy()
endpoint_ratio = cu.squared_error(ends, x_test[pairs[0]]) / cu.squared_error(x_test[pairs[0]], x_test[pairs[1]])
print(f"endpoint error / distance between the pair's originals: {endpoint_ratio:.3f}")

# %%
# Check: an interpolation's endpoint decodes close to its original image.
cu.check_below(endpoint_ratio, 0.4, "the endpoints' error relative to the distance between the two originals",
               hint="Encode with the mean (the first output of the encoder), then decode.")

# %% [markdown]
# Is the latent midpoint really one item, and the pixel blend two? A double exposure is an image
# nobody drew: it lies far from every real image. So measure, for the pairs of different classes
# among those 200, how far each midpoint is from the nearest training image (mean squared error
# per pixel, the smallest over all of `x_train`).

# %%
def distance_to_nearest(images, reference):
    a, b = images.reshape(len(images), -1), reference.reshape(len(reference), -1)
    squared = (a**2).sum(axis=1)[:, None] - 2 * a @ b.T + (b**2).sum(axis=1)[None]  # |a - b|^2, all pairs
    return squared.min(axis=1) / a.shape[1]


mixed = pairs[:, y_test[pairs[0]] != y_test[pairs[1]]]
codes_a, codes_b = (vae.encoder(x_test[side], training=False)[0] for side in mixed)
latent_mid = vae.decoder((codes_a + codes_b) / 2, training=False).numpy()
pixel_mid = (x_test[mixed[0]] + x_test[mixed[1]]) / 2
near_latent, near_pixel = distance_to_nearest(latent_mid, x_train), distance_to_nearest(pixel_mid, x_train)
print(f"{mixed.shape[1]} pairs; distance to the nearest training image: latent midpoint {near_latent.mean():.4f}, "
      f"pixel midpoint {near_pixel.mean():.4f}")

# %%
# Check: in nearly every pair (at least 90%), the latent midpoint lies nearer to a real image than
# the pixel blend does.
cu.check_above(float(np.mean(near_latent < near_pixel)), 0.9,
               "the share of pairs whose latent midpoint is nearer to a training image than their pixel blend",
               hint="Decode the average of the two codes (the encoder's means).")

# %% [markdown]
# ## See which dimensions the VAE uses
#
# The KL term, split by dimension and averaged over test images, says how many nats each latent
# dimension carries. A dimension whose KL is near 0 is switched off: its $\mu$ is 0 and its
# $\sigma$ is 1 for every image, so its value says nothing about the image and the decoder learns
# to ignore it. Even with only eight dimensions this VAE switches some off (the bar chart shows
# which): it keeps a dimension only where the nats it costs in KL buy more in reconstruction.
# Raise the KL's weight (exercise 1) and more switch off.

# %%
def test_kl_per_dimension(model):
    """Each latent dimension's KL, averaged over the test images (nats per image)."""
    mean, log_var = model.encoder(x_test, training=False)
    return np.mean(kl_per_dimension(mean, log_var), axis=0)


kl_per_dim = test_kl_per_dimension(vae)
by_use = np.argsort(-kl_per_dim)
print("KL per dimension (nats):", np.round(kl_per_dim, 2), f"| in use (KL > 0.1): {np.sum(kl_per_dim > 0.1)}")

# %%
# Check: some dimensions are switched off (KL below 0.1 nats), and some are in use.
cu.check_between(int(np.sum(kl_per_dim < 0.1)), 1, LATENT - 1, "the number of switched-off dimensions (KL < 0.1 nats)",
                 hint="None off: train longer; all off: the decoder ignores its code (posterior collapse).")

# %%
# extra code: one bar per latent dimension
fig, ax = plt.subplots(figsize=(7, 3))
ax.bar([f"z{j}" for j in range(LATENT)], kl_per_dim)
ax.set(ylabel="KL (nats per image)", title="Information carried by each latent dimension");

# %% [markdown]
# ## Steer the decoder with sliders
#
# One slider per latent dimension, labelled with its KL. Move one and the decoder redraws the
# image at once; **Random code** draws a fresh code from $\mathcal{N}(0, I)$ and **Reset** returns
# to the origin, the most typical code. The panel is plumbing from course_utils
# (`cu.widgets.LatentSliders`): sliders, two buttons, and one image widget whose picture is
# replaced on every move. All it needs from us is a function from one code to one image. (Run the
# notebook with a live kernel: in a static page the sliders do not respond.)

# %%
def decode_one(code):
    return vae.decoder(code[None], training=False)[0]


labels = [f"z{j} ({kl:.1f})" for j, kl in enumerate(kl_per_dim)]
sliders = cu.widgets.LatentSliders(decode_one, LATENT, labels=labels)
display(sliders)

# %% [markdown]
# Things to try: move the dimension with the largest KL, then the smallest; draw a random code and
# change one slider at a time. Does any single slider control one property (width, sleeve
# length, heel) on its own?
#
# "At once" is a measurement. Here is the time from a slider move to a new picture in the kernel
# (decode, then encode the PNG), over 50 moves, made on a second panel that is not displayed so
# that the one above stays where you left it:

# %%
# (Moving the displayed panel 50 times from the kernel, then back to the start, left it in
# JupyterLab at the last value moved to, on screen and in the kernel alike.)
timed = cu.widgets.LatentSliders(decode_one, LATENT, labels=labels)
durations = []
for value in np.linspace(-2, 2, 50):
    started = time.perf_counter()
    timed.sliders[int(by_use[0])].value = float(value)
    durations.append(time.perf_counter() - started)
latency = 1000 * np.median(durations)
print(f"median time from a slider move to a new picture: {latency:.1f} ms")

# %% [markdown]
# Milliseconds: calling the decoder directly on one code, rather than through `predict`, and
# drawing a small PNG instead of a matplotlib figure keep it far below the 100 ms at which a
# response stops feeling instant.

# %%
# Check: the panel responds at once (100 ms is where a response stops feeling instant).
cu.check_below(latency, 100, "the median slider update time (ms)",
               hint="Call the decoder directly, vae.decoder(code[None], training=False), not through predict.")

# %% [markdown]
# ## Walk along one dimension at a time
#
# A traversal grid is the sliders frozen into a figure: each row starts at the origin and moves
# one dimension from −3 to 3, the others held at 0. Rows are sorted by KL, most used first.

# %%
values = np.linspace(-3, 3, 9, dtype="float32")
rows = {}
for j in by_use:
    walk = np.zeros((len(values), LATENT), "float32")
    walk[:, j] = values
    rows[f"z{j}"] = vae.decoder(walk, training=False).numpy()
cu.show_image_rows(rows, column_labels=[f"{v:+.1f}" for v in values], title="One latent dimension per row");

# %% [markdown]
# ## Map a 2-D latent plane
#
# With only two latent dimensions the whole code space fits on a page. Train a second VAE, the
# same in every way but `LATENT = 2`; plot where the test images' codes land, and beside it decode
# a grid of codes covering the same square.

# %%
vae_2d = cu.train_or_load("vae-2", partial(build_vae, latent_dim=2), train_vae, config).model
codes_2d = vae_2d.encoder(x_test, training=False)[0].numpy()

# %%
# extra code: test codes coloured by class (left), the decoder's view of the same square (right)
span, n_grid = 3.0, 15
grid = np.linspace(-span, span, n_grid, dtype="float32")
plane = np.array([[x, y] for y in grid[::-1] for x in grid], dtype="float32")  # top row: largest y
tiles = vae_2d.decoder(plane, training=False).numpy().reshape(n_grid, n_grid, 28, 28)
canvas = tiles.transpose(0, 2, 1, 3).reshape(n_grid * 28, n_grid * 28)
fig, (left, right) = plt.subplots(1, 2, figsize=(14, 6.5))
cu.scatter_with_thumbnails(codes_2d, y_test, data.class_names, ax=left, title="Test codes by class")
left.set(xlim=(-span, span), ylim=(-span, span), xticks=range(-3, 4), yticks=range(-3, 4),
         xlabel="$z_0$", ylabel="$z_1$")
left.add_patch(plt.Circle((0, 0), 2, fill=False, linestyle="--", color="grey"))
half = span + span / (n_grid - 1)
right.imshow(canvas, cmap="binary", extent=(-half, half, -half, half))
right.set(title="Decoded grid of codes", xlabel="$z_0$", ylabel="$z_1$")
right.grid(False)
fig.tight_layout();

# %% [markdown]
# The codes fill a roughly round region around the origin, most of them inside the dashed circle
# (radius 2, two standard deviations, where $\mathcal{N}(0, I)$ puts 86% of its draws). Classes
# form neighbouring regions, and the decoded grid changes gradually: no holes, no sudden jumps.
# How well do classes separate with just two numbers per image? A 5-nearest-neighbour classifier
# on the codes says:

# %%
train_codes_2d = vae_2d.encoder(x_train, training=False)[0].numpy()
knn = KNeighborsClassifier(n_neighbors=5).fit(train_codes_2d, data.y_train)
knn_accuracy = knn.score(codes_2d, y_test)
inside = float(np.mean(np.linalg.norm(codes_2d, axis=1) < 2))
print(f"5-nearest-neighbour accuracy on the 2-D codes: {knn_accuracy:.3f} (chance: 0.1)")
print(f"test codes inside the dashed circle: {inside:.0%} (N(0, I): 86%)")

# %%
# Check: most test codes lie inside the circle of radius 2 (at least half: "most" stops there),
# and two latent dimensions keep most of the class structure (5-NN accuracy above 0.5, five times
# chance).
cu.check_above(inside, 0.5, "the share of the 2-D VAE's test codes within radius 2 of the origin",
               hint="The KL term pulls the codes toward N(0, I): is beta = 1?")
cu.check_above(knn_accuracy, 0.5, "the 5-NN test accuracy on the 2-D VAE's codes",
               hint="Train the 2-D VAE with the same settings as the 8-D one.")

# %% [markdown]
# ## Compare with a plain autoencoder
#
# Now the control experiment: the same encoder layers, but a single code vector instead of a mean
# and a variance, no sampling and no KL term, trained with the same reconstruction loss, epochs,
# batches and learning rate.

# %%
def build_autoencoder():
    encoder = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(256, activation="relu"),
                                layers.Dense(128, activation="relu"), layers.Dense(LATENT)], name="encoder")
    return keras.Sequential([encoder, build_decoder()])


def train_autoencoder(model):
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="binary_crossentropy")
    pairs = tf.data.Dataset.from_tensor_slices((x_train, x_train)).shuffle(len(x_train)).batch(BATCH_SIZE)
    return model.fit(pairs, epochs=EPOCHS, shuffle=False, verbose=0, callbacks=[cu.ProgressCallback()]).history


autoencoder = cu.train_or_load("ae-8", build_autoencoder, train_autoencoder, config).model
ae_encoder, ae_decoder = autoencoder.layers

# %% [markdown]
# Compare the codes each decoder sees for the test images: the autoencoder's encoder output, and
# the VAE's sampled $z = \mu + \sigma\varepsilon$. If the VAE's loss did its job, its codes look
# like draws from $\mathcal{N}(0, I)$: each dimension with mean about 0 and spread about 1.

# %%
cu.seed_everything()
test_mean, test_log_var = vae.encoder(x_test, training=False)
vae_codes = Sampling()([test_mean, test_log_var]).numpy()
ae_codes = ae_encoder(x_test, training=False).numpy()
for name, codes in [("VAE", vae_codes), ("autoencoder", ae_codes)]:
    print(f"{name:>11} codes: means {np.round(codes.mean(axis=0), 2)}\n{'':>18}stds  {np.round(codes.std(axis=0), 2)}")

# %%
# extra code: two dimensions of each model's test codes, on the same axes, with N(0, I)'s 2-sigma circle
limit = np.abs(ae_codes[:, :2]).max() * 1.05
fig, axes = plt.subplots(1, 2, figsize=(12, 5.5), sharex=True, sharey=True)
for ax, (name, codes) in zip(axes, [("VAE", vae_codes), ("plain autoencoder", ae_codes)]):
    ax.scatter(codes[:, 0], codes[:, 1], c=y_test, cmap="tab10", s=6, vmin=-0.5, vmax=9.5)
    ax.add_patch(plt.Circle((0, 0), 2, fill=False, linestyle="--", color="black"))
    ax.set(title=f"{name}: test codes", xlabel="$z_0$", ylabel="$z_1$", xlim=(-limit, limit), ylim=(-limit, limit))
fig.tight_layout();

# %% [markdown]
# On the same axes the difference is plain. The VAE's codes sit inside the dashed circle, where
# $\mathcal{N}(0, I)$ puts 86% of its draws (in two dimensions). The autoencoder's codes spread
# over a much larger area, off-centre, with whatever scale training happened to give them:
# nothing in its loss asked for anything else.

# %%
# Check: the VAE's codes match the prior within +/-0.5 in mean and spread; the autoencoder's do not.
def worst_gap(codes):
    """The largest distance of any dimension's mean from 0, or of its standard deviation from 1."""
    return float(max(np.abs(codes.mean(axis=0)).max(), np.abs(codes.std(axis=0) - 1).max()))


cu.check_below(worst_gap(vae_codes), 0.5, "the VAE codes' largest gap from N(0, 1) in mean or spread",
               hint="The KL term pulls each image's Gaussian toward N(0, 1): is beta = 1?")
cu.check_above(worst_gap(ae_codes), 1.0, "the plain autoencoder codes' largest gap from N(0, 1)",
               hint="The autoencoder has no KL term, so nothing sets its codes' scale.")

# %% [markdown]
# ## Decode random codes with each
#
# So decode the same 1,000 random codes from $\mathcal{N}(0, I)$ with both decoders. To count
# recognisable items without looking at 2,000 pictures, ask a judge: a classifier trained on
# labelled training images. A decoded image counts as **recognisable** when the judge gives one
# class a probability above 0.9.
#
# The judge is a small convolutional network: two convolutional layers (16 and 32 filters of 3×3,
# each followed by a 2×2 max-pooling that halves the image), then dropout and a softmax over the 10
# classes. It learns from more labelled images than the VAE saw (12,000 in fast mode, 20,000 in
# full mode): a classifier needs many examples to be trusted.

# %%
cu.judge.build_judge().summary()

# %% [markdown]
# How good must a judge be? Fashion-MNIST is hard for people too: in the test its authors ran,
# people who were not fashion experts labelled 83.5% of the test images correctly, because
# T-shirts, shirts, pullovers and coats look alike at 28×28. A judge that scores at least 80% is
# about as reliable as a person; that is the bar it must pass.
#
# Notebooks 06 and 07 judge their GANs with the same judge, so it lives in course_utils:
# `cu.load_judge()` trains it (or loads it from the cache) and measures its accuracy on held-out
# test images. `judge.recognisable_share(images)` is the share of images it finds recognisable.

# %%
judge = cu.load_judge()

# %%
# Check: the judge labels test images about as well as a person (people score 0.835; below 0.8 it
# is a worse labeller than a person, and its verdicts on generated images would say little).
cu.check_above(judge.accuracy, 0.8, "the judge's test accuracy (people score 0.835)",
               hint="Train the judge for more epochs: cu.load_judge(epochs=...).")

# %%
ae_generated = ae_decoder(random_codes, training=False).numpy()
shares = {"test images": judge.recognisable_share(x_test), "VAE, N(0, I) codes": judge.recognisable_share(generated),
          "autoencoder, N(0, I) codes": judge.recognisable_share(ae_generated)}
for name, share in shares.items():
    print(f"recognisable ({name}): {share:.1%}")

# %%
cu.show_image_rows({"VAE": generated[:10], "autoencoder": ae_generated[:10]},
                   title="The same ten random codes, two decoders");

# %% [markdown]
# Real test images pass the judge only about 60% of the time: a probability above 0.9 is a strict
# bar, and the judge hesitates between the look-alike tops. The VAE's samples pass much less often
# (they are blurry), yet far more often than the autoencoder's random decodes, which pass rarely:
# $\mathcal{N}(0, I)$ covers a small patch in the middle of the autoencoder's code cloud, a region
# its decoder was hardly trained on.

# %%
# Check: real images pass about 60% of the time (between 50% and 70%); the VAE's samples pass far
# more often than the autoencoder's (a lead of at least 10 points, where the noise on a share of
# 1,000 codes is about 1 point), yet much less often than real images (below half their share, so
# most VAE samples count as unrecognisable); the autoencoder's rarely (fewer than one in twenty).
vae_share, ae_share = shares["VAE, N(0, I) codes"], shares["autoencoder, N(0, I) codes"]
cu.check_between(shares["test images"], 0.5, 0.7, "the recognisable share of real test images",
                 hint="Is the judge's accuracy above 0.8?")
cu.check_above(vae_share - ae_share, 0.1, "the recognisable share, VAE minus plain autoencoder",
               hint="Decode the same random codes with vae.decoder and ae_decoder.")
cu.check_below(vae_share / shares["test images"], 0.5, "the VAE samples' recognisable share relative to real images'",
               hint="Decode codes drawn from N(0, I) with vae.decoder.")
cu.check_below(ae_share, 0.05, "the recognisable share of the autoencoder's decodes of N(0, I) codes",
               hint="Decode the same random codes with ae_decoder.")

# %% [markdown]
# Is the VAE then the only way to sample? Not quite. Fit a Gaussian to the autoencoder's codes
# *after* training (each dimension's mean and spread) and sample from that instead:

# %%
fitted_codes = random_codes * ae_codes.std(axis=0) + ae_codes.mean(axis=0)
shares["autoencoder, fitted Gaussian"] = judge.recognisable_share(ae_decoder(fitted_codes, training=False))
print(f"recognisable (autoencoder, fitted Gaussian): {shares['autoencoder, fitted Gaussian']:.1%}")

# %%
# Check: sampling where the autoencoder's codes actually are closes most of the gap to the VAE (at
# least half of it: "most" stops there; the gap itself was checked above to be 10 points or more).
gap_closed = (shares["autoencoder, fitted Gaussian"] - ae_share) / (vae_share - ae_share)
cu.check_above(gap_closed, 0.5, "the share of the VAE's lead closed by a Gaussian fitted to the autoencoder's codes",
               hint="Scale the random codes by the codes' standard deviations and shift them by their means.")

# %% [markdown]
# On small images with eight latent dimensions, the patch closes most or all of the gap: the
# codes of a well-trained autoencoder are not far from a Gaussian cloud, once you know where it
# is. What the VAE adds is that you never need to look: the prior it samples from is fixed in
# advance, its code space has no holes (codes between training codes decode sensibly, as the 2-D
# plane showed), and its loss is a bound on the data's likelihood that you can compare across
# models.

# %% [markdown]
# ## Do arithmetic with codes
#
# If codes are organised by class, the step from one class's codes to another's should carry an
# item across. Take each class's centre in code space, the mean code $\bar\mu$ of its training
# images (each image's code is the encoder's mean $\mu(x)$), and the step between two centres,
#
# $$d_{A \to B} = \bar\mu_B - \bar\mu_A .$$
#
# Add it to the code of a *test* image of class A (test images took no part in finding $d$) and
# decode $z + d$. Does a T-shirt grow sleeves and become a pullover, a sneaker grow a shaft and
# become an ankle boot, a pair of trousers close into a dress? (Notebook 08 does the same
# arithmetic with word vectors.)

# %%
names = data.class_names
train_mu = vae.encoder(x_train, training=False)[0].numpy()  # each image's code: the encoder's mean
test_mu = test_mean.numpy()
centres = np.stack([train_mu[data.y_train == c].mean(axis=0) for c in range(10)])  # one row per class
PAIRS = [(0, 2), (7, 9), (1, 3)]  # T-shirt/top -> Pullover, Sneaker -> Ankle boot, Trouser -> Dress


# %%
def decode(codes):
    return vae.decoder(codes, training=False).numpy()


for a, b in PAIRS:
    first, d = test_mu[y_test == a][:8], centres[b] - centres[a]
    cu.show_image_rows({"original": x_test[y_test == a][:8], "decoded": decode(first), "+ d / 2": decode(first + d / 2),
                        "+ d": decode(first + d)}, title=f"'{names[a]}' codes plus d, the step to '{names[b]}'")

# %% [markdown]
# Read each figure down its columns. The edit starts from the decoded row, not from the photo:
# prints and logos are gone before any arithmetic, since eight numbers do not hold them. Then half
# a step and a whole step move each item toward the other class.
#
# Looking is not measuring. Ask the judge for its **verdict** (its most probable class) on every
# test image of class A: before the edit, after half and after the whole step, and, as a control,
# after a step of the same length in a *random* direction (20 random directions, averaged). If
# codes were not organised by class, any step of that length would do as well as $d$.

# %%
def verdicts(codes):
    """The judge's verdict (its most probable class) on each code's decoded image."""
    return judge.probabilities(decode(codes)).argmax(axis=1)


cu.seed_everything()
random_directions = np.random.standard_normal((20, LATENT)).astype("float32")
random_directions /= np.linalg.norm(random_directions, axis=1, keepdims=True)  # each of length 1

# %%
called_b, called_a, edited_verdicts = {}, {}, {}
print("share of class A's test images that the judge calls B, and (right) still calls A:")
for a, b in PAIRS:
    codes_a, d = test_mu[y_test == a], centres[b] - centres[a]
    plain, edited_verdicts[a, b] = verdicts(codes_a), verdicts(codes_a + d)
    randomly = verdicts(np.concatenate([codes_a + np.linalg.norm(d) * r for r in random_directions]))
    called_b[a, b] = {"decoded": np.mean(plain == b), "+ d / 2": np.mean(verdicts(codes_a + d / 2) == b),
                      "+ d": np.mean(edited_verdicts[a, b] == b), "+ random step": np.mean(randomly == b)}
    called_a[a, b] = {"decoded": np.mean(plain == a), "+ random step": np.mean(randomly == a)}
    print(f"{names[a]:>11} -> {names[b]:<10}", " | ".join(f"{k} {v:4.0%}" for k, v in called_b[a, b].items()),
          " || A:", " | ".join(f"{k} {v:4.0%}" for k, v in called_a[a, b].items()))

# %% [markdown]
# For every pair the whole step moves the verdict to B, far more often than for the decoded
# originals and far more often than a random step of the same length does (by 40 to 83 points in our
# runs: fast mode with seeds 42, 1 and 2, and full mode); half a step lands in between. The random
# step is no empty move (after it the judge calls fewer of the items A), but it seldom lands on B.

# %%
# Check: for every pair the class direction makes the judge say B far more often than the decoded
# originals and than a random step of the same length ("far more" taken as at least 25 points
# more; our runs measured 44 to 84 and 40 to 83), and half the step lands in between.
for (a, b), shares in called_b.items():
    for control in ["decoded", "+ random step"]:
        cu.check_above(shares["+ d"] - shares[control], 0.25, f"'{names[a]}' + d: the share judged '{names[b]}', "
                       f"minus that of '{control}'", hint="d is the mean code of class B's training images minus A's.")
    cu.check_between(shares["+ d / 2"], shares["decoded"], shares["+ d"],
                     f"'{names[a]}' + d / 2: the share judged '{names[b]}'", hint="Add half of d to the codes.")

# %%
# Check: the random steps are a real control: averaged over the pairs, they take at least 10
# points off the share the judge still calls A (our runs: 21 to 24), yet they land on B for under
# 30% of the items in every pair (our runs: at most 20%).
random_moved = np.mean([s["decoded"] - s["+ random step"] for s in called_a.values()])
cu.check_above(random_moved, 0.1, "the drop in the share still judged A after a random step, averaged over the pairs",
               hint="Scale each unit random direction to the length of d.")
cu.check_below(max(s["+ random step"] for s in called_b.values()), 0.3,
               "the largest share judged B after a random step", hint="Draw the directions at random, not from d.")

# %% [markdown]
# Some pairs work much better than others. Sneaker to ankle boot works almost every time (95% to
# 99% of edits in our runs); T-shirt to pullover far less often, about half the time (45% to 68%).
# The step does add sleeves, but the judge calls many of those edits coats, the pullover's
# long-sleeved neighbour.

# %%
tshirt_edits = edited_verdicts[0, 2]
print(f"T-shirt/top + d, judged: Pullover {np.mean(tshirt_edits == 2):.0%}, Coat {np.mean(tshirt_edits == 4):.0%}")

# %%
# Check: sneaker to ankle boot nearly always works (above 90%); T-shirt to pullover works for
# between 30% and 80% (one edit in five or more fails), and nearly all its edits get long sleeves:
# the judge calls at least 75% of them pullovers or coats (our runs: 81% to 98%), and over 20%
# coats (our runs: 30% to 45%).
cu.check_above(called_b[7, 9]["+ d"], 0.9, "'Sneaker' + d: the share judged 'Ankle boot'",
               hint="Is d the step from the sneakers' centre to the ankle boots'?")
cu.check_between(called_b[0, 2]["+ d"], 0.3, 0.8, "'T-shirt/top' + d: the share judged 'Pullover'",
                 hint="Is d the step from the T-shirts' centre to the pullovers'?")
cu.check_above(np.mean(np.isin(tshirt_edits, [2, 4])), 0.75, "'T-shirt/top' + d: the share judged 'Pullover' or 'Coat'",
               hint="Is d the step from the T-shirts' centre to the pullovers'?")
cu.check_above(np.mean(tshirt_edits == 4), 0.2, "'T-shirt/top' + d: the share judged 'Coat'",
               hint="Is d the step from the T-shirts' centre to the pullovers'?")

# %% [markdown]
# What survives the edit? The same $d$ is added to every code, so whatever sets one T-shirt apart
# from another in its code is still there after the step. One such property is the item's **ink**,
# its mean pixel value (the figures draw high values dark): does a dark T-shirt become a dark
# pullover? Correlate the originals' ink with their edits' ink, pair by pair.

# %%
def ink(images):
    return images.mean(axis=(1, 2))  # how much of the square the item covers, and how darkly


kept_ink = {}
for a, b in PAIRS:
    edited = decode(test_mu[y_test == a] + centres[b] - centres[a])
    kept_ink[a, b] = float(np.corrcoef(ink(x_test[y_test == a]), ink(edited))[0, 1])
    print(f"{names[a]:>11} -> {names[b]:<10} correlation of ink, original vs edited: {kept_ink[a, b]:.2f}")

# %%
# Check: each item keeps its own amount of ink through the edit (a correlation above 0.5 for every
# pair: most of the spread between items survives; our runs measured 0.70 to 0.98).
cu.check_above(min(kept_ink.values()), 0.5, "the lowest correlation between originals' and edits' ink",
               hint="Edit the codes of the same images whose ink you measure, in the same order.")

# %% [markdown]
# ## Add an attribute instead of a class
#
# A direction need not lead from one class to another. Sort training images by an attribute, here
# their ink, and take the step from the mean code of the quarter with least ink to that of the
# quarter with most:
#
# $$d_{\text{ink}} = \bar\mu_{\text{most ink}} - \bar\mu_{\text{least ink}} .$$
#
# Find it twice: among the T-shirts only, and among all training images. The second mixes class
# into the attribute, since across classes ink goes with class: the quarter with most ink holds
# almost no shoes, the quarter with least is mostly shoes.

# %%
def ink_direction(chosen):
    """The mean code of the chosen training images with most ink (top quarter) minus those with least."""
    amount, codes = ink(x_train[chosen]), train_mu[chosen]
    low, high = np.quantile(amount, [0.25, 0.75])
    return codes[amount >= high].mean(axis=0) - codes[amount <= low].mean(axis=0)


ink_steps = {"T-shirts": ink_direction(data.y_train == 0), "all classes": ink_direction(data.y_train >= 0)}

# %%
amount, shoes = ink(x_train), np.isin(data.y_train, [5, 7, 9])  # Sandal, Sneaker, Ankle boot
most, least = amount >= np.quantile(amount, 0.75), amount <= np.quantile(amount, 0.25)
print(f"shoes among the training images with most ink: {shoes[most].mean():.0%}; with least: {shoes[least].mean():.0%}")

# %%
# Check: across all classes, ink goes with class: few shoes among the quarter with most ink (below
# 10%, where all images hold about 30%), and more than half of the quarter with least ink is shoes.
cu.check_below(shoes[most].mean(), 0.1, "the share of shoes among the quarter with most ink",
               hint="Rank the training images by their mean pixel value.")
cu.check_above(shoes[least].mean(), 0.5, "the share of shoes among the quarter with least ink",
               hint="Rank the training images by their mean pixel value.")

# %%
tshirts = test_mu[y_test == 0]
cu.show_image_rows({"original": x_test[y_test == 0][:8], "decoded": decode(tshirts[:8]),
                    "− d (T-shirts)": decode(tshirts[:8] - ink_steps["T-shirts"]),
                    "+ d (T-shirts)": decode(tshirts[:8] + ink_steps["T-shirts"]),
                    "+ d (all classes)": decode(tshirts[:8] + ink_steps["all classes"])},
                   title="Test T-shirts with an ink direction added or taken away");

# %% [markdown]
# Measure it on all test T-shirts: the ink each step adds to their decodes, and the share the
# judge still calls a T-shirt, each against a random step of the same length (the same 20 random
# directions).

# %%
plain_ink, minus_d = ink(decode(tshirts)).mean(), tshirts - ink_steps["T-shirts"]
print(f"decoded T-shirts: ink {plain_ink:.2f}, judged T-shirt {np.mean(verdicts(tshirts) == 0):.0%}")
ink_edits = {"− d (T-shirts)": {"ink added": ink(decode(minus_d)).mean() - plain_ink,
                                "T-shirt": np.mean(verdicts(minus_d) == 0)}}
for name, d in ink_steps.items():
    randomly = np.concatenate([tshirts + np.linalg.norm(d) * r for r in random_directions])
    ink_edits[f"+ d ({name})"] = {"ink added": ink(decode(tshirts + d)).mean() - plain_ink,
                                  "T-shirt": np.mean(verdicts(tshirts + d) == 0),
                                  "ink added, random": ink(decode(randomly)).mean() - plain_ink,
                                  "T-shirt, random": np.mean(verdicts(randomly) == 0)}
for name, result in ink_edits.items():
    print(f"{name:>17}:", " | ".join(f"{k} {v:+.2f}" if "ink" in k else f"{k} {v:.0%}" for k, v in result.items()))

# %%
# Check: each ink direction adds far more ink than a random step of its length (at least 0.1 more,
# a third of the decoded T-shirts' ink; our runs: 0.13 to 0.26 more), and taking the T-shirt
# direction away removes ink (at least 0.1).
for name in ["+ d (T-shirts)", "+ d (all classes)"]:
    cu.check_above(ink_edits[name]["ink added"] - ink_edits[name]["ink added, random"], 0.1,
                   f"{name}: ink added, minus that added by a random step", hint="Top quarter minus bottom quarter.")
cu.check_below(ink_edits["− d (T-shirts)"]["ink added"], -0.1, "− d (T-shirts): ink added",
               hint="Subtract the same direction that you add.")

# %%
# Check: the T-shirt direction keeps T-shirts T-shirts (above 80%, and at least 20 points more than
# a random step; our runs: 86% to 96%, 32 to 42 points), the all-class direction keeps fewer (at
# least 10 points fewer; our runs: 21 to 67).
tshirt_step, all_step = ink_edits["+ d (T-shirts)"], ink_edits["+ d (all classes)"]
cu.check_above(tshirt_step["T-shirt"], 0.8, "+ d (T-shirts): the share judged T-shirt", hint="Use the T-shirts' codes.")
cu.check_above(tshirt_step["T-shirt"] - tshirt_step["T-shirt, random"], 0.2,
               "+ d (T-shirts): the share judged T-shirt, minus that after a random step",
               hint="Find d among the T-shirts.")
cu.check_above(tshirt_step["T-shirt"] - all_step["T-shirt"], 0.1, "the share judged T-shirt, T-shirt direction "
               "minus all-class direction", hint="Find one direction among T-shirts, the other among all images.")

# %% [markdown]
# Taken away rather than added, the T-shirt direction does not give light T-shirts: most of them
# fade into faint shapes the judge calls something else. Minus $d$ leads from an average T-shirt
# to one lighter than most the VAE learnt from, where it saw few T-shirts.

# %%
lightest_quarter = np.quantile(ink(x_train[data.y_train == 0]), 0.25)
past_lightest = np.mean(ink(decode(minus_d)) < lightest_quarter)
print(f"T-shirts minus d with less ink than three training T-shirts in four: {past_lightest:.0%}")

# %%
# Check: taking the T-shirt direction away loses most T-shirts (the judge calls fewer than half of
# them T-shirts; our runs: 15% to 38%), and nearly all of them (above 90%; our runs: 98% to 100%)
# end lighter than three training T-shirts in four.
cu.check_below(ink_edits["− d (T-shirts)"]["T-shirt"], 0.5, "− d (T-shirts): the share judged T-shirt",
               hint="Subtract the T-shirt direction from the T-shirts' codes.")
cu.check_above(past_lightest, 0.9, "− d (T-shirts): the share lighter than three training T-shirts in four",
               hint="Subtract the T-shirt direction from the T-shirts' codes.")

# %% [markdown]
# ## Say what works and what does not
#
# - **Works**: a class direction carries items to the other class far more often than a random
#   step of the same length, and each item keeps its own amount of ink on the way. An ink direction
#   found among T-shirts adds ink and keeps T-shirts T-shirts (86% to 96% in our runs, against
#   about half after a random step).
# - **Partly**: how well depends on the pair. Sneakers become ankle boots almost always; T-shirts
#   become pullovers only about half the time, and coats much of the rest.
# - **Does not**: the ink direction found among *all* images drags class along with ink: the judge
#   calls fewer of the edited T-shirts T-shirts (27% to 75% in our runs). Taken away, the T-shirt
#   direction fades most T-shirts out of their class. And an edit changes only what the eight
#   numbers hold: the prints and logos lost in decoding (see the figures) stay lost.

# %% [markdown]
# ## A word on β-VAE
#
# Weigh the KL term by a factor $\beta$:
# $\mathcal{L}_\beta = \text{reconstruction} + \beta \, D_{\mathrm{KL}}$. With $\beta > 1$ each
# nat in the code is more expensive, so the VAE keeps fewer of them: reconstructions get blurrier,
# more dimensions switch off, and the ones that stay tend to capture separate factors of variation
# (one controls width, another brightness...). Higgins et al. (2017) called such codes
# *disentangled*. With $\beta < 1$ the codes carry more detail and match the prior less well, so
# random samples get worse. Our `VAE` class already takes `beta`: exercise 1 measures the trade.

# %% [markdown]
# ## Summary
#
# - A VAE's encoder outputs a **mean and a log-variance** per latent dimension; the
#   **reparameterisation trick** $z = \mu + \sigma\varepsilon$ samples a code while keeping the
#   path from the loss to the encoder differentiable.
# - The loss is **reconstruction + KL to $\mathcal{N}(0, I)$**, minus the ELBO. The KL term rises
#   as the code learns to carry information; the reconstruction term falls by much more.
# - Codes drawn from $\mathcal{N}(0, I)$ decode to new items; the line between two images' codes
#   decodes to a morph, where pixel blending gives a double exposure.
# - The latent sliders and the traversal grid show what each dimension does; the KL per dimension
#   says which ones the decoder uses at all.
# - A plain autoencoder's codes have no fixed place or scale, so random codes decode to smudges;
#   a VAE's codes match the prior it samples from.
# - A judge (a small CNN about as accurate as a person) counts the recognisable samples without
#   anyone looking at them; notebooks 06 and 07 judge their GANs with it (`cu.load_judge()`).
# - **Arithmetic with codes**: adding the step between two class centres, $\bar\mu_B - \bar\mu_A$,
#   carries items to class B far more often than a random step of the same length (sneakers to
#   ankle boots almost always, T-shirts to pullovers about half the time). An ink
#   direction found within one class adds ink and keeps the class; found across all classes, it
#   drags class along. An edit changes only what the eight numbers hold.

# %% [markdown]
# ## Exercises
#
# Each exercise has its own answer cell: replace its `...` with your code (or your words), then run
# the check cell after it. A check says "✔" when your answer passes it, and gives a hint, never the
# answer, when it does not. Some checks look only at the form of an answer; the grader's tests look
# further.
#
# **1. β-VAE.** Train a VAE with `beta=4` (`build_vae`, `train_vae` and `config`), name it
# `beta_vae`, and store its test terms (`test_terms`) in `beta_test`. Compare its reconstruction
# and KL terms with the VAE's (`test`), and count the dimensions with a KL above 0.1 nats in each.

# %% [raw]
# # BEGIN QUESTION
# name: q1_beta_vae
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
beta_vae = cu.train_or_load("vae-8-beta-4", partial(build_vae, beta=4.0), train_vae, config).model
beta_test = test_terms(beta_vae)
for name, model, result in [("beta = 1", vae, test), ("beta = 4", beta_vae, beta_test)]:
    used = np.sum(test_kl_per_dimension(model) > 0.1)
    print(f"{name}: reconstruction {result['reconstruction']:.1f}, KL {result['kl']:.1f} nats; "
          f"{used} of {LATENT} dimensions in use")
cu.show_reconstructions(x_test[:10], {"beta = 1": vae.decoder(test_mean[:10]),
                                      "beta = 4": beta_vae.decoder(beta_vae.encoder(x_test[:10])[0])});
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_beta_vae_is_a_beta_4_vae(cu, beta_vae, beta_test, test):
    cu.check_equal(float(beta_vae.beta), 4.0, "beta_vae's beta")
    cu.check_equal(sorted(beta_test), sorted(test), "the terms in beta_test")


test_beta_vae_is_a_beta_4_vae(cu, beta_vae, beta_test, test)

# %%
# HIDDEN
def test_beta_trades_reconstruction_for_kl(cu, np, beta_vae, beta_test, vae, test, test_kl_per_dimension):
    kl_saved = test["kl"] - beta_test["kl"]
    reconstruction_lost = beta_test["reconstruction"] - test["reconstruction"]
    cu.check_below(beta_test["kl"] / test["kl"], 0.8, "the beta = 4 VAE's test KL relative to the VAE's")
    cu.check_above(reconstruction_lost / kl_saved, 1.0, "nats of reconstruction lost per nat of KL saved")
    cu.check_above(int(np.sum(test_kl_per_dimension(beta_vae) < 0.1)),
                   int(np.sum(test_kl_per_dimension(vae) < 0.1)), "the beta = 4 VAE's switched-off dimensions")


test_beta_trades_reconstruction_for_kl(cu, np, beta_vae, beta_test, vae, test, test_kl_per_dimension)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: beta_vae weighs its KL term by 4, and beta_test holds the same terms as the VAE's test.
cu.check_equal(float(beta_vae.beta), 4.0, "beta_vae's beta",
               hint="cu.train_or_load calls build() with no arguments: how can it build a VAE with beta = 4?")
cu.check_equal(sorted(beta_test), sorted(test), "the terms in beta_test",
               hint="Measure the new model with the same function that measured the VAE's test terms.");

# %% [markdown]
# *What did β = 4 buy and what did it cost, in nats? How many dimensions does each model use?*

# %% [raw]
# # BEGIN QUESTION
# name: q1_what_beta_buys
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* β = 4 buys a smaller KL term (the codes stay closer to the prior) and pays with a worse
# reconstruction: more nats of reconstruction are lost than nats of KL saved, so the ELBO (the
# bound on the likelihood) is worse. More of its dimensions switch off (KL below 0.1 nats): a
# dimension costs four times as much, so the model keeps only the ones that pay for themselves. In
# exchange, the dimensions it keeps tend to be more disentangled, which is what β-VAEs are used for.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **2. Start the sliders from an image.** Make a `LatentSliders` panel, `image_sliders`, whose
# `start` is the code (the mean) of one test image, so that Reset returns to it, and show it.

# %% [raw]
# # BEGIN QUESTION
# name: q2_image_sliders
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
image_sliders = cu.widgets.LatentSliders(decode_one, LATENT, labels=labels, start=test_mean[0].numpy())
display(image_sliders)
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_image_sliders_start_from_a_test_image(cu, np, image_sliders, test_mean, LATENT):
    cu.check_equal(len(image_sliders.sliders), LATENT, "the sliders of image_sliders")
    means = np.clip(np.asarray(test_mean), -3, 3)
    nearest = float(np.abs(means - image_sliders.codes).max(axis=1).min())
    cu.check_below(nearest, 0.01, "the distance from image_sliders' code to the nearest test image's mean")


test_image_sliders_start_from_a_test_image(cu, np, image_sliders, test_mean, LATENT)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: one slider per latent dimension, starting at the mean code of a test image.
cu.check_equal(len(image_sliders.sliders), LATENT, "the sliders of image_sliders",
               hint="One slider per latent dimension, as for the panel above.")
cu.check_below(float(np.abs(np.clip(np.asarray(test_mean), -3, 3) - image_sliders.codes).max(axis=1).min()), 0.01,
               "the distance from image_sliders' code to the nearest test image's mean",
               hint="The encoder returns a mean and a log-variance per image: start from one image's mean.");

# %% [markdown]
# *Which sliders change the item's class, and which only its style?*

# %% [raw]
# # BEGIN QUESTION
# name: q2_sliders_from_an_image
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* Moving it, typically one or two sliders with a large KL
# change the item's class (a shirt turns into a bag or a shoe), while others only change its style:
# thickness, brightness, width, sleeve length. Sliders whose dimension switched off change nothing.
# Which is which differs from run to run: the VAE's axes are not ordered or named.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **3. Think.** In exercise 1, some of the β-VAE's dimensions switched off (KL near 0). Their
# sampled codes still pass the "close to $\mathcal{N}(0, 1)$" test perfectly. Why? (Hint: what are
# $\mu$ and $\sigma$ for such a dimension, whatever the image?) What does that say about using that
# test alone to judge a VAE?

# %% [raw]
# # BEGIN QUESTION
# name: q3_switched_off_dimensions
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* A switched-off dimension has $\mu \approx 0$ and $\sigma \approx 1$ for every image, so its
# sampled code is exactly a draw from $\mathcal{N}(0, 1)$, which is why it passes the test
# perfectly, while carrying no information about the image. Matching the prior is therefore
# necessary but says nothing about whether the code is *used*: a VAE that ignored every input
# (posterior collapse) would pass the test best of all. The test must be read together with the
# reconstruction term or the KL per dimension.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **4. Think.** The judge called most VAE samples unrecognisable, yet they look like items to a
# person. What does a 0.9 confidence threshold measure, and how would you check that the judge
# is not just penalising blur?

# %% [raw]
# # BEGIN QUESTION
# name: q4_judge_and_blur
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* The threshold measures whether a classifier trained on sharp real images is *confident* about a
# sample, not whether a person would recognise it: VAE samples are blurry, and blur alone lowers a
# classifier's confidence. To check, blur real test images as much as the samples (e.g. a Gaussian
# filter, or pass them through the VAE: reconstructions) and judge those: if real but blurred images
# also fall below 0.9, the judge penalises blur. Comparing at a lower threshold, or training the
# judge with blurred images too, separates the two effects.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
