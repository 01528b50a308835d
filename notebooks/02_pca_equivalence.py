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
# # 02 · The PCA equivalence
#
# Take the autoencoder of notebook 01, remove every nonlinearity and every bias, and train it on
# centred data with the mean squared error. What does it learn? Exactly what principal component
# analysis (PCA) finds: the subspace spanned by the top-$k$ principal components. Not the
# components themselves, though: any basis of that subspace is just as good. In this notebook you
# see the claim on a 3-D point cloud, then measure it on images (errors, and the angles between
# the two subspaces), find out why a few of those angles stay large, and watch a nonlinear
# autoencoder beat PCA at the same code size.
#
# **Learning goals**
# - State why a linear autoencoder trained with MSE reaches PCA's error, with the one formula behind it.
# - Explain why it learns PCA's *subspace* but not PCA's *axes*.
# - Measure the agreement: the ratio of reconstruction errors and the principal angles between subspaces.
# - Relate the large angles to nearly equal eigenvalues.
# - Show that a nonlinear autoencoder beats PCA at the same code size.

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
from keras import layers
from scipy.linalg import subspace_angles
from sklearn.decomposition import PCA

# %% [markdown]
# ## The claim in one formula
#
# Centre the data (subtract the mean image) and stack the $N$ examples as the rows of $X$. A linear
# encoder maps $x \in \mathbb{R}^n$ to the code $z = W_e x \in \mathbb{R}^k$ and a linear decoder
# maps it back, $\hat{x} = W_d z$. The whole autoencoder is one matrix, $M = W_d W_e$, whose rank
# is at most $k$. Training minimises
#
# $$\mathcal{L} = \frac{1}{Nn}\,\big\lVert X - X M^\top \big\rVert_F^2 .$$
#
# The Eckart–Young theorem says which rank-$k$ matrix makes this smallest: the orthogonal
# projection onto the top-$k$ eigenvectors of the covariance matrix, that is, onto PCA's top-$k$
# subspace. Its error is the variance PCA leaves out, $\frac{1}{n}\sum_{i>k}\lambda_i$. So a linear
# autoencoder trained to its minimum has PCA's error, and its decoder's $k$ columns span PCA's
# subspace.
#
# But $M$ does not pin down $W_e$ and $W_d$: for any invertible $k \times k$ matrix $A$, the pair
# $(A W_e,\; W_d A^{-1})$ gives the same $M$ and the same loss. The code can be PCA's coordinates
# rotated, stretched, sheared or mirrored. The autoencoder learns the **subspace**, not the **axes**.

# %% [markdown]
# ## Project a 3-D cloud to 2-D
#
# First a case we can see whole: 500 points in 3-D lying close to a tilted plane. PCA and a linear
# 3 → 2 → 3 autoencoder each map them to two numbers.

# %%
cloud = cu.cloud_near_plane(500)  # already centred
pca_2 = PCA(2).fit(cloud)
pca_codes = pca_2.transform(cloud)


def build_linear(n_inputs, code_size):
    return keras.Sequential([
        keras.Input((n_inputs,)),
        layers.Dense(code_size, use_bias=False, name="encoder"),
        layers.Dense(n_inputs, use_bias=False, name="decoder"),
    ], name=f"linear_{n_inputs}_{code_size}")


# %%
CLOUD_EPOCHS = cu.budget(fast=20, full=20)


def train_on_cloud(model):
    steps = CLOUD_EPOCHS * len(cloud) // 10
    model.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(0.02, steps)), loss="mse")
    return model.fit(cloud, cloud, epochs=CLOUD_EPOCHS, batch_size=10, verbose=0,
                     callbacks=[cu.ProgressCallback()]).history


cloud_ae = cu.train_or_load("linear-cloud", partial(build_linear, 3, 2), train_on_cloud, {"epochs": CLOUD_EPOCHS})
ae_codes = cloud_ae.model.get_layer("encoder")(cloud).numpy()

# %%
# extra code: the cloud in 3-D, then its two 2-D maps, coloured by PCA's first coordinate
fig = plt.figure(figsize=(10, 3.6))
ax = fig.add_subplot(1, 3, 1, projection="3d")
ax.scatter(*cloud.T, c=pca_codes[:, 0], cmap="viridis", s=6)
ax.set_title("the 3-D cloud")
for i, (codes, title) in enumerate([(pca_codes, "PCA codes"), (ae_codes, "linear autoencoder codes")], start=2):
    ax = fig.add_subplot(1, 3, i)
    ax.scatter(*codes.T, c=pca_codes[:, 0], cmap="viridis", s=6)
    ax.set(title=title, xlabel="code 1", ylabel="code 2", aspect="equal")
fig.tight_layout()

# %% [markdown]
# The colours follow the same order in both maps, but the autoencoder's map is PCA's map turned,
# stretched and possibly flipped. If that is all there is, one 2 × 2 matrix $A$ should carry PCA's
# codes onto the autoencoder's, and the plane spanned by the decoder should be PCA's plane.

# %%
A, *_ = np.linalg.lstsq(pca_codes, ae_codes, rcond=None)
explained = 1 - np.sum((pca_codes @ A - ae_codes) ** 2) / np.sum((ae_codes - ae_codes.mean(0)) ** 2)
plane_angles = np.degrees(subspace_angles(cloud_ae.model.get_layer("decoder").kernel.numpy().T, pca_2.components_.T))
print("A =", np.array2string(A, precision=2))
print(f"share of the autoencoder's codes explained by A: {explained:.5f}; angles between the planes: "
      f"{np.round(plane_angles, 2)} degrees")

# %%
# Check: the autoencoder's codes are a linear image of PCA's, and both planes coincide.
cu.check_above(explained, 0.99, "the share of the autoencoder's 2-D codes explained by a linear map of PCA's",
               hint="Train the linear autoencoder for more epochs.")
cu.check_below(plane_angles.max(), 2.0, "the largest angle between the two planes (degrees)",
               hint="Train the linear autoencoder for more epochs.")

# %% [markdown]
# ## Load and centre the images
#
# Now the real thing: images flattened to $n = 784$ pixels, centred with the mean training image.

# %%
N_TRAIN, N_TEST = cu.budget(fast=3000, full=60000), cu.budget(fast=1000, full=10000)
data = cu.load_fashion_mnist(n_train=N_TRAIN, n_test=N_TEST)
x_train, x_test = data.x_train.reshape(-1, 784), data.x_test.reshape(-1, 784)
mean_image = x_train.mean(axis=0)
train_centred, test_centred = x_train - mean_image, x_test - mean_image

# %% [markdown]
# ## Fit PCA
#
# We keep the top 60 components and their eigenvalues $\lambda_i$ (the variance along each). PCA
# with $k$ components reconstructs an image by projecting it on the first $k$. Errors are the mean
# squared error per pixel of notebook 01: `cu.squared_error` between two arrays of images, and
# `cu.reconstruction_error` for a model.

# %%
pca = PCA(60).fit(train_centred)
eigenvalues = pca.explained_variance_


def pca_error(k, images=test_centred):
    components = pca.components_[:k]
    reconstructions = images @ components.T @ components
    return cu.squared_error(reconstructions, images)


print({k: round(pca_error(k), 4) for k in (1, 10, 30, 60)})

# %% [markdown]
# ## Train linear autoencoders
#
# The same `build_linear` as for the cloud, now 784 → $k$ → 784, for $k = 10$ and $k = 30$. A
# learning rate that decays to zero (cosine decay) lets Adam settle into the minimum. Fast mode
# trains on 3,000 images, so it takes smaller batches to give the optimiser enough steps.

# %%
K_VALUES = [10, 30]
LINEAR_EPOCHS = cu.budget(fast=40, full=40)
BATCH_SIZE = cu.budget(fast=32, full=128)
config = {"epochs": LINEAR_EPOCHS, "batch_size": BATCH_SIZE, "lr": 5e-3, "data": data.source, "n": len(x_train)}


def train_linear(model):
    steps = LINEAR_EPOCHS * int(np.ceil(len(train_centred) / BATCH_SIZE))
    model.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(5e-3, steps)), loss="mse")
    return model.fit(train_centred, train_centred, epochs=LINEAR_EPOCHS, batch_size=BATCH_SIZE, verbose=0,
                     callbacks=[cu.ProgressCallback()]).history


# %%
linear = {k: cu.train_or_load(f"linear-{k}", partial(build_linear, 784, k), train_linear, config).model
          for k in K_VALUES}

# %% [markdown]
# ## Compare the reconstruction errors

# %%
ratios = {}
for k, model in linear.items():
    ae_error = cu.reconstruction_error(model, test_centred)
    ratios[k] = ae_error / pca_error(k)
    print(f"k = {k}: PCA {pca_error(k):.5f}, linear autoencoder {ae_error:.5f}, ratio {ratios[k]:.4f}")

# %%
# Check: the linear autoencoder's test error is within 5% of PCA's ("within a few percent").
for k, ratio in ratios.items():
    cu.check_between(ratio, 0.95, 1.05, f"the linear autoencoder's error relative to PCA's at k = {k}",
                     hint="Train longer, or let the learning rate decay to zero.")

# %% [markdown]
# ## Measure the angles between the subspaces
#
# Equal errors suggest equal subspaces; principal angles measure it. For two $k$-dimensional
# subspaces there are $k$ angles: the first is the smallest angle between any two vectors, one from
# each subspace; the next is the smallest among directions orthogonal to those, and so on. All zero
# means the same subspace. `scipy.linalg.subspace_angles` computes them; we compare the decoder's
# columns with PCA's top-$k$ components.

# %%
angles = {k: np.sort(np.degrees(subspace_angles(model.get_layer("decoder").kernel.numpy().T,
                                                pca.components_[:k].T)))
          for k, model in linear.items()}
for k in K_VALUES:
    print(f"k = {k}: median angle {np.median(angles[k]):.2f}°, largest {angles[k].max():.2f}°")

# %%
# extra code: the principal angles of each k, smallest first, on a log scale
fig, ax = plt.subplots(figsize=(7, 4))
for k in K_VALUES:
    ax.plot(np.arange(1, k + 1), angles[k], marker="o", label=f"k = {k}")
ax.set(yscale="log", xlabel="principal angle (sorted)", ylabel="degrees",
       title="Decoder subspace vs PCA subspace")
ax.legend();

# %% [markdown]
# Most angles are a fraction of a degree. At $k = 10$ even the largest is: the two subspaces
# coincide. At $k = 30$ the last one or two can be larger, and with the small budget of fast mode,
# at some seeds, one comes close to 90°: a whole direction of PCA's subspace is missed. The mean
# error barely notices (compare the ratios above). Is the autoencoder failing there? The next
# section looks at which directions are missed.

# %%
# Check: most angles are under a degree (the median), and at k = 10 every one is: a direction
# missed entirely would show as an angle near 90 degrees. The largest angle at k = 30 is not
# bounded here: the next section shows which directions may be missed, and checks the others.
for k in K_VALUES:
    cu.check_below(np.median(angles[k]), 1.0, f"the median principal angle at k = {k} (degrees)",
                   hint="Train the linear autoencoder longer, or let the learning rate decay to zero.")
cu.check_below(angles[10].max(), 1.0, "the largest principal angle at k = 10 (degrees)",
               hint="Every one of the top 10 directions should be found: train the linear autoencoder longer.")
cu.report("the largest principal angle at k = 30 (degrees)", angles[30].max())

# %% [markdown]
# ## See where the large angles come from
#
# For each of PCA's top-$k$ axes $v_i$ we measure its angle to the decoder's subspace, and set it
# against how far its eigenvalue stands above the first one left out, the relative gap
# $g_i = (\lambda_i - \lambda_{k+1})/\lambda_i$.

# %%
def angles_to_subspace(model, k):
    basis, _ = np.linalg.qr(model.get_layer("decoder").kernel.numpy().T)  # orthonormal basis, 784 x k
    cosines = np.linalg.norm(basis.T @ pca.components_[:k].T, axis=0)
    return np.degrees(np.arccos(np.clip(cosines, 0, 1)))


axis_angles = {k: angles_to_subspace(model, k) for k, model in linear.items()}
gaps = {k: (eigenvalues[:k] - eigenvalues[k]) / eigenvalues[:k] for k in K_VALUES}

# %%
# extra code: angle of each principal axis to the learned subspace against its eigenvalue gap
fig, ax = plt.subplots(figsize=(7, 4))
for k in K_VALUES:
    ax.scatter(gaps[k], axis_angles[k], s=40, label=f"k = {k}")
ax.set(xscale="log", xlabel="relative eigenvalue gap to the first excluded axis",
       ylabel="angle to the learned subspace (°)", title="Missed directions have nearly equal eigenvalues")
ax.legend();

# %% [markdown]
# The large angles belong to the last axes kept, whose eigenvalue is barely above the first one
# left out. Swapping such an axis for its neighbour changes the error by only
# $(\lambda_k - \lambda_{k+1})/n$: the loss is almost flat along that swap, so gradient descent
# gets almost no push, and with finite data PCA's own $k$-th axis is just as uncertain. Every axis
# with a clear gap (its eigenvalue at least 20% above the first one left out) is learned to within
# a few degrees. The angles do not say the equivalence fails; they say the top-$k$ subspace is
# only well defined where the eigenvalues separate.

# %%
# Check: every principal axis whose eigenvalue is 20% above the first excluded one is learned to
# within a few degrees (3): a missed axis would be near 90 degrees.
for k in K_VALUES:
    separated = axis_angles[k][gaps[k] > 0.2]
    cu.check_below(separated.max(), 3.0, f"the largest angle of a well-separated axis at k = {k} (degrees)",
                   hint="Axes with a clear eigenvalue gap should be found: train longer.")

# %% [markdown]
# ## The code is not PCA's axes
#
# PCA's components are orthonormal and ordered by variance. The decoder's columns span the same
# subspace but owe nothing to either property. Here are the first five of each, as images (red
# positive, blue negative).

# %%
# extra code: draws signed 28x28 images in a row, with a symmetric colour scale
def show_signed(rows):
    fig, axes = plt.subplots(len(rows), 5, figsize=(8, 1.7 * len(rows)), squeeze=False)
    for r, (name, images) in enumerate(rows.items()):
        for c, ax in enumerate(axes[r]):
            limit = np.abs(images[c]).max()
            ax.imshow(images[c].reshape(28, 28), cmap="RdBu_r", vmin=-limit, vmax=limit)
            ax.set(xticks=[], yticks=[])
            ax.spines[:].set_visible(False)
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center")
    fig.tight_layout()


decoder_columns = linear[10].get_layer("decoder").kernel.numpy()  # k x 784: one row per code unit
show_signed({"PCA axes": pca.components_[:5], "decoder columns": decoder_columns[:5]})

# %% [markdown]
# The decoder's columns are mixtures of PCA's axes and are not orthogonal to each other. Two
# numbers say so: the share of a column's squared length that lies along its closest PCA axis (1
# if the column were that axis), averaged over the columns, and the largest $|\cos|$ between two
# columns (0 for PCA's orthonormal axes).

# %%
unit = decoder_columns / np.linalg.norm(decoder_columns, axis=1, keepdims=True)
on_closest_axis = float(np.mean(np.max((unit @ pca.components_[:10].T) ** 2, axis=1)))
overlap = float(np.abs(unit @ unit.T - np.eye(10)).max())
print(f"share on the closest PCA axis: {on_closest_axis:.2f}; largest |cosine| between two columns: {overlap:.2f}")

# %%
# Check: the columns are mixtures (on average under 80% of a column lies along one PCA axis) and
# are not orthogonal (some pair more than 6 degrees away from a right angle: |cosine| above 0.1).
cu.check_below(on_closest_axis, 0.8, "the mean share of a decoder column along its closest PCA axis",
               hint="The decoder should be a free mixture of PCA's axes: start it from a random initialisation.")
cu.check_above(overlap, 0.1, "the largest |cosine| between two decoder columns",
               hint="The decoder should be a free mixture of PCA's axes: start it from a random initialisation.")

# %% [markdown]
# That is the freedom of the matrix $A$ in the formula: any basis of the subspace gives the same
# reconstructions.

# %% [markdown]
# ## A nonlinear autoencoder beats PCA
#
# PCA is the best *linear* map to $k$ numbers and back. A nonlinear encoder and decoder can bend
# the subspace into a curved surface that hugs the data. We train one hidden layer of 256 ReLU
# units on each side, with codes of 5 and 10 numbers, on the raw pixels (a bias can learn the
# mean), and compare the errors with PCA's over all $k$.

# %%
def build_nonlinear(code_size):
    return keras.Sequential([
        keras.Input((784,)),
        layers.Dense(256, activation="relu"),
        layers.Dense(code_size),
        layers.Dense(256, activation="relu"),
        layers.Dense(784, activation="sigmoid"),
    ], name=f"nonlinear_{code_size}")


NONLINEAR_EPOCHS = cu.budget(fast=8, full=10)


def train_nonlinear(model):
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    return model.fit(x_train, x_train, epochs=NONLINEAR_EPOCHS, batch_size=BATCH_SIZE, verbose=0,
                     callbacks=[cu.ProgressCallback()]).history


# %%
nonlinear_config = {**config, "epochs": NONLINEAR_EPOCHS, "lr": 3e-3}
nonlinear_errors = {}
for k in (5, 10):
    model = cu.train_or_load("nonlinear", partial(build_nonlinear, k), train_nonlinear, nonlinear_config).model
    nonlinear_errors[k] = cu.reconstruction_error(model, x_test)

# %%
# extra code: PCA's error for every k, with the autoencoders' errors on top
fig, ax = plt.subplots(figsize=(7, 4))
ks = np.arange(1, 61)
ax.plot(ks, [pca_error(k) for k in ks], label="PCA")
ax.plot(K_VALUES, [ratios[k] * pca_error(k) for k in K_VALUES], "s", markersize=9, label="linear autoencoder")
ax.plot(list(nonlinear_errors), list(nonlinear_errors.values()), "o-", label="nonlinear autoencoder")
ax.set(xlabel="code size k", ylabel="test MSE per pixel", title="Same code size, lower error")
ax.legend();

# %%
# Check: at each code size tried, the nonlinear autoencoder's error is clearly below PCA's (by 10% or more).
for k, error in nonlinear_errors.items():
    cu.check_below(error / pca_error(k), 0.9, f"the nonlinear autoencoder's error relative to PCA's at k = {k}",
                   hint="Train the nonlinear autoencoder for more epochs.")

# %% [markdown]
# The linear autoencoder sits on PCA's curve, as the formula promised. The nonlinear one lies below
# it: with the same number of code values it keeps more of each image. (A nonlinear network pays
# for its freedom in training time: with a code of only 2 numbers it needs more epochs than our
# quick budget to pull ahead of PCA; exercise 3 asks why the formula does not bind it.)

# %% [markdown]
# ## Summary
#
# - A linear autoencoder is one matrix $M = W_d W_e$ of rank at most $k$; with MSE on centred
#   data, its best value is PCA's projection onto the top-$k$ subspace (Eckart–Young).
# - Measured: its test error matches PCA's within a few percent, and most principal angles between
#   the two subspaces are a fraction of a degree.
# - The few large angles belong to axes whose eigenvalues are nearly equal to the first one left
#   out, where the subspace itself is barely defined; every axis with a clear gap is found.
# - The autoencoder learns the subspace, not the axes: its code is PCA's up to an invertible
#   matrix.
# - A nonlinear autoencoder beats PCA at the same code size.

# %% [markdown]
# ## Exercises
#
# Each exercise has its own answer cell: replace its `...` with your code (or your words), then run
# the check cell after it. A check says "✔" when your answer passes it, and gives a hint, never the
# answer, when it does not. Some checks look only at the form of an answer; the grader's tests look
# further.
#
# **1. Biases instead of centring.** Build a linear autoencoder 784 → 10 → 784 *with* biases, train
# it on the raw pixels `x_train` (not centred) with the same budget, call it `biased` and store its
# test error in `biased_error`.

# %% [raw]
# # BEGIN QUESTION
# name: q1_biases
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
def build_linear_with_bias(code_size):
    return keras.Sequential([keras.Input((784,)), layers.Dense(code_size), layers.Dense(784)])


def train_linear_raw(model):
    steps = LINEAR_EPOCHS * int(np.ceil(len(x_train) / BATCH_SIZE))
    model.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(5e-3, steps)), loss="mse")
    return model.fit(x_train, x_train, epochs=LINEAR_EPOCHS, batch_size=BATCH_SIZE, verbose=0,
                     callbacks=[cu.ProgressCallback()]).history


biased = cu.train_or_load("linear-bias-10", partial(build_linear_with_bias, 10), train_linear_raw, config).model
biased_error = cu.reconstruction_error(biased, x_test)
print(f"with biases on raw pixels: {biased_error:.5f}; PCA at k = 10: {pca_error(10):.5f}")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_biased_is_linear_784_10_784(cu, biased, biased_error, x_test):
    cu.check_equal([w.shape for w in biased.get_weights()], [(784, 10), (10,), (10, 784), (784,)],
                   "the shapes of biased's weights")
    measured = cu.reconstruction_error(biased, x_test)
    cu.check_between(biased_error, 0.999 * measured, 1.001 * measured, "biased_error, measured again")


test_biased_is_linear_784_10_784(cu, biased, biased_error, x_test)

# %%
# HIDDEN
def test_biases_match_pca(cu, biased_error, pca_error):
    cu.check_between(biased_error / pca_error(10), 0.95, 1.05,
                     "the biased linear autoencoder's error relative to PCA's")


test_biases_match_pca(cu, biased_error, pca_error)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: biased is a 784 -> 10 -> 784 model with a weight matrix and a bias in each layer, and
# biased_error is its test error.
cu.check_equal([w.shape for w in biased.get_weights()], [(784, 10), (10,), (10, 784), (784,)],
               "the shapes of biased's weights", hint="Two Dense layers, 10 then 784 units, biases kept.")
cu.check_between(biased_error, 0.999 * cu.reconstruction_error(biased, x_test),
                 1.001 * cu.reconstruction_error(biased, x_test), "biased_error, measured again",
                 hint="Measure the test reconstruction error of biased, as for the other models.");

# %% [markdown]
# *Does it still match PCA's error at $k = 10$? What did the biases learn?*

# %% [raw]
# # BEGIN QUESTION
# name: q1_what_biases_learn
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* Yes, within a few percent. The centring that PCA needs is done by the biases: the decoder's bias
# learns (close to) the mean image, and the encoder's bias absorbs the mean's projection, so the
# weights only have to model the deviations from the mean, exactly PCA's problem. A linear model
# with biases is an affine map, and the best affine rank-10 reconstruction is PCA on centred data
# plus the mean.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **2. PCA by hand.** PCA's axes are the right singular vectors of the centred data matrix. Compute
# them with `np.linalg.svd(train_centred, full_matrices=False)`, keep the first 10 in a 784 × 10
# array `svd_axes`, and measure the principal angles to `pca.components_[:10]`.

# %% [raw]
# # BEGIN QUESTION
# name: q2_pca_by_hand
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
_, _, vt = np.linalg.svd(train_centred, full_matrices=False)
svd_axes = vt[:10].T
print("angles (degrees):", np.round(np.degrees(subspace_angles(svd_axes, pca.components_[:10].T)), 4))
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_svd_axes_span_pcas_subspace(cu, np, svd_axes, pca, subspace_angles):
    cu.check_equal(np.shape(svd_axes), (784, 10), "the shape of svd_axes")
    cu.check_below(np.degrees(subspace_angles(svd_axes, pca.components_[:10].T)).max(), 0.01,
                   "the largest angle between the SVD's and PCA's top-10 subspaces (degrees)")


test_svd_axes_span_pcas_subspace(cu, np, svd_axes, pca, subspace_angles)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: your axes span PCA's subspace exactly (up to rounding).
cu.check_equal(np.shape(svd_axes), (784, 10), "the shape of svd_axes",
               hint="The SVD returns the axes as rows; the exercise asks for them as columns.")
cu.check_below(np.degrees(subspace_angles(svd_axes, pca.components_[:10].T)).max(), 0.01,
               "the largest angle between the SVD's and PCA's top-10 subspaces (degrees)",
               hint="Which of the SVD's three outputs holds directions in pixel space, and which come first?");

# %% [markdown]
# **3. Think.** Notebook 01's 20-number autoencoder had hidden layers with ReLU. Where in this
# notebook's formula does the argument break for it, and why can it then beat PCA?

# %% [raw]
# # BEGIN QUESTION
# name: q3_where_the_argument_breaks
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* The argument wrote the reconstruction as $\hat{x} = W_d W_e x$: a product of matrices of rank at
# most $k$, so the best it can do is project onto a $k$-dimensional *linear* subspace, which PCA
# finds. With ReLU hidden layers the encoder and decoder are nonlinear functions, so the
# reconstruction is no longer a linear map of rank $k$: the set of possible reconstructions is a
# curved $k$-dimensional surface (a manifold), which can follow the data more closely than any flat
# subspace. That is why, at the same code size, it can reach a lower error than PCA.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
