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
# # 03 · Seeing codings with t-SNE
#
# An autoencoder's code is a point in a space of, say, 30 dimensions: too many to look at. t-SNE
# draws such points in 2-D so that neighbours stay neighbours. In this notebook you compress the
# images to 30 numbers with a stacked autoencoder, map the codings to the plane with
# scikit-learn's t-SNE, and measure how good the map is, against t-SNE of the raw pixels and
# against PCA. Then you see what the perplexity does and which features of a t-SNE map must not
# be read at all.
#
# **Learning goals**
# - Explain what t-SNE preserves (who is whose neighbour) and how, in words and formulas.
# - Map autoencoder codings to 2-D and read the map, with image thumbnails.
# - Judge a 2-D map by measured numbers: held-out k-nearest-neighbour accuracy and trustworthiness.
# - Describe what the perplexity changes.
# - Avoid the usual misreadings: cluster sizes and distances between clusters.

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
from keras import layers
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

# %% [markdown]
# ## Load the images
#
# The autoencoder trains on the training images. The maps use a sample of test images it has
# never seen: t-SNE's cost grows quickly with the number of points, so a few thousand at most.

# %%
N_TRAIN, N_TEST = cu.budget(fast=3000, full=60000), cu.budget(fast=2000, full=10000)
data = cu.load_fashion_mnist(n_train=N_TRAIN, n_test=N_TEST)
N_MAP = cu.budget(fast=2000, full=3000)
map_images, map_labels = data.x_test[:N_MAP], data.y_test[:N_MAP]
map_pixels = map_images.reshape(len(map_images), -1)

# %% [markdown]
# ## Compress the images to 30 numbers
#
# A stacked autoencoder as in notebook 01, here 784 → 100 → 30 with a ReLU code, and its mirror.

# %%
def build_stacked(code_size=30):
    encoder = keras.Sequential([keras.Input((28, 28)), layers.Flatten(),
                                layers.Dense(100, activation="relu"),
                                layers.Dense(code_size, activation="relu")], name="encoder")
    decoder = keras.Sequential([keras.Input((code_size,)), layers.Dense(100, activation="relu"),
                                layers.Dense(784, activation="sigmoid"), layers.Reshape((28, 28))], name="decoder")
    return keras.Sequential([encoder, decoder], name="stacked_autoencoder")


EPOCHS = cu.budget(fast=10, full=10)


def train_stacked(model):
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    return model.fit(data.x_train, data.x_train, epochs=EPOCHS, batch_size=128, verbose=0,
                     callbacks=[cu.ProgressCallback()]).history


# %%
config = {"epochs": EPOCHS, "batch_size": 128, "lr": 3e-3, "data": data.source, "n": len(data.x_train)}
stacked = cu.train_or_load("stacked-30", build_stacked, train_stacked, config).model
codings = stacked.get_layer("encoder")(map_images).numpy()
error = cu.reconstruction_error(stacked, data.x_test)  # the mean squared error per pixel (notebook 01)
baseline = float(np.mean((data.x_test - data.x_train.mean(axis=0)) ** 2))
print(f"codings: {codings.shape}; test MSE {error:.4f} (mean image: {baseline:.4f})")

# %%
# Check: the codings keep most of each image (the autoencoder beats the mean image by far: less
# than half its error, as in notebook 01).
cu.check_below(error / baseline, 0.5, "the stacked autoencoder's error relative to the mean image's",
               hint="Train the autoencoder longer.")

# %% [markdown]
# ## What t-SNE does
#
# t-SNE turns distances into probabilities of being neighbours. In the original space, point $j$
# is a neighbour of point $i$ with probability
#
# $$p_{j\mid i} = \frac{\exp(-d_{ij}^2 / 2\sigma_i^2)}{\sum_{k \ne i}\exp(-d_{ik}^2 / 2\sigma_i^2)},
# \qquad d_{ij} = \lVert x_i - x_j\rVert,$$
#
# where each $\sigma_i$ is tuned so that point $i$ has about *perplexity* effective neighbours;
# symmetrised, these give $p_{ij}$. In the 2-D map, with points $y_i$, it uses a heavier-tailed
# Student-t kernel, $q_{ij} \propto (1 + \lVert y_i - y_j\rVert^2)^{-1}$, and moves the $y_i$ to
# minimise $\mathrm{KL}(P\,\Vert\,Q) = \sum_{ij} p_{ij}\log(p_{ij}/q_{ij})$. The cost is high when
# near neighbours are drawn far apart and low whatever happens to far-apart points: **t-SNE
# keeps neighbourhoods, not distances**.

# %% [markdown]
# ## Map the codings to 2-D
#
# A t-SNE run takes seconds to minutes, so `cu.cached` keeps each map: it runs `tsne` once for
# given inputs and loads the result on every later run (it works like `cu.train_or_load`). Fast
# mode stops each run after 500 iterations instead of scikit-learn's 1,000, to keep tests quick.

# %%
TSNE_ITERATIONS = cu.budget(fast=500, full=1000)


def tsne(features, perplexity=30):
    return TSNE(n_components=2, perplexity=perplexity, max_iter=TSNE_ITERATIONS, init="pca",
                random_state=cu.config.default_seed()).fit_transform(features)


coding_map = cu.cached("tsne-codings", tsne, codings, perplexity=30)
cu.scatter_with_thumbnails(coding_map, map_labels, data.class_names, map_images,
                           title="t-SNE of the 30-number codings");

# %% [markdown]
# Each class gathers in its own region, with no label given to the autoencoder or to t-SNE. The
# thumbnails show why items sit together: similar shapes, thicknesses, slants. Where two classes
# touch, look at the thumbnails on the border: they are the ambiguous items.

# %% [markdown]
# ## Compare with raw pixels and PCA
#
# Is the map good, and is it the codings or t-SNE that makes it good? Two measures, each between
# 0 and 1:
#
# - **held-out kNN accuracy**: hide the labels of half the points and predict each from its 5
#   nearest neighbours *on the map* among the other half; high when classes form clean regions;
# - **trustworthiness** (`sklearn.manifold.trustworthiness`): how few of each point's 5 nearest
#   neighbours on the map are strangers in the original pixel space; high when the map invents no
#   false neighbours.

# %%
maps = {"PCA to 2-D": PCA(2).fit_transform(map_pixels),
        "t-SNE of pixels": cu.cached("tsne-pixels", tsne, map_pixels),
        "t-SNE of codings": coding_map}


def knn_accuracy(points, labels=map_labels):
    train_points, test_points, train_labels, test_labels = train_test_split(
        points, labels, test_size=0.5, stratify=labels, random_state=0)
    return KNeighborsClassifier(5).fit(train_points, train_labels).score(test_points, test_labels)


scores = {name: (knn_accuracy(points), trustworthiness(map_pixels, points, n_neighbors=5))
          for name, points in maps.items()}
print(f"{'map':>18} | kNN accuracy | trustworthiness")
for name, (accuracy, trust) in scores.items():
    print(f"{name:>18} | {accuracy:12.3f} | {trust:15.3f}")

# %%
# extra code: the three maps side by side
fig, axes = plt.subplots(1, 3, figsize=(10, 3.6))
for ax, (name, points) in zip(axes, maps.items()):
    ax.scatter(points[:, 0], points[:, 1], c=map_labels, cmap="tab10", s=4, vmin=-0.5, vmax=9.5)
    ax.set(title=f"{name}\nkNN {scores[name][0]:.2f}", xticks=[], yticks=[])
    ax.grid(False)
fig.tight_layout()

# %% [markdown]
# PCA's two straight axes keep the broadest variation but pile the classes on top of each other.
# t-SNE keeps neighbourhoods, on the pixels as on the codings. The codings map comes within ten
# points of accuracy of the pixels map while t-SNE works from 30 numbers instead of 784: the
# autoencoder kept most of what decides who is whose neighbour (not all of it: a 30-number code
# loses detail).
#
# How far is "far better than PCA"? No map of Fashion-MNIST drawn without labels gets near 100%:
# T-shirts, pullovers, coats and shirts share one silhouette, so they mix on every map; the table
# shows that even the pixels' t-SNE map stays well short of it. From PCA's accuracy to that
# ceiling there are about 25 points, and the codings' map must win at least 15 of them. It also
# invents fewer false neighbours than PCA's: its trustworthiness is higher.

# %%
# Check: the codings' map beats PCA's by far on kNN accuracy (15 points or more), comes close to
# the pixels' map (within 10 points), and is more trustworthy than PCA's.
cu.check_above(scores["t-SNE of codings"][0] - scores["PCA to 2-D"][0], 0.15,
               "the kNN accuracy of the codings' t-SNE map minus PCA's",
               hint="A working 30-number code and t-SNE should separate classes far better than two PCA axes.")
cu.check_above(scores["t-SNE of codings"][0] - scores["t-SNE of pixels"][0], -0.1,
               "the kNN accuracy of the codings' t-SNE map minus the pixels' map",
               hint="The 30-number codings should keep most of what makes neighbours: train the autoencoder longer.")
cu.check_above(scores["t-SNE of codings"][1] - scores["PCA to 2-D"][1], 0.0,
               "the trustworthiness of the codings' t-SNE map minus PCA's",
               hint="Check that t-SNE ran on the codings of the same images.")

# %% [markdown]
# ## Change the perplexity
#
# The perplexity is roughly the number of neighbours each point pays attention to. Small values
# see only the closest few and break each class into small clumps, scattered over the map; large
# values weigh more of the data: each class holds together, and the map keeps broader
# neighbourhoods. The three maps below are computed once; the buttons only switch between them.

# %%
PERPLEXITIES = [5, 30, 100]
by_perplexity = {p: cu.cached("tsne-codings", tsne, codings, perplexity=p)
                 for p in cu.progress_loop(PERPLEXITIES, "t-SNE maps", unit="map")}

# %% [markdown]
# Three numbers say what changed. The kNN accuracy, as before. The **class spread**: the root mean
# squared distance of a class's points to their own centre, relative to that of all points to the
# map's centre, averaged over the classes (small when each class holds together in one region).
# And trustworthiness with **100** neighbours instead of 5, against the codings: how well the map
# keeps each point's broader neighbourhood.

# %%
def rms_radius(points):
    """Root mean squared distance of the points to their centre."""
    return float(np.sqrt(np.mean(np.sum((points - points.mean(axis=0)) ** 2, axis=1))))


def class_spread(points, labels=map_labels):
    """A class's radius on the map relative to the whole map's, averaged over the classes."""
    return float(np.mean([rms_radius(points[labels == c]) for c in np.unique(labels)]) / rms_radius(points))


by_p = {p: {"kNN": knn_accuracy(points), "spread": class_spread(points),
            "trust 100": trustworthiness(codings, points, n_neighbors=100)}
        for p, points in by_perplexity.items()}
print("perplexity | kNN accuracy | class spread | trustworthiness (100 neighbours)")
for p, score in by_p.items():
    print(f"{p:>10} | {score['kNN']:12.3f} | {score['spread']:12.3f} | {score['trust 100']:.3f}")

# %%
# extra code: one figure per perplexity, and buttons that switch between them
figures = {}
for p, points in by_perplexity.items():
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.scatter(points[:, 0], points[:, 1], c=map_labels, cmap="tab10", s=5, vmin=-0.5, vmax=9.5)
    ax.set(title=f"perplexity {p}: kNN {by_p[p]['kNN']:.2f}, class spread {by_p[p]['spread']:.2f}",
           xticks=[], yticks=[])
    ax.grid(False)
    figures[f"perplexity {p}"] = fig
cu.widgets.switcher(figures, description="t-SNE")

# %% [markdown]
# No single value is right: look at a few. Here all three keep the classes apart, about equally
# well by kNN accuracy. What changes is how finely each class is broken up (the class spread falls
# as the perplexity grows) and how much of each point's wider neighbourhood survives (perplexity
# 100 keeps more of the 100 nearest neighbours than perplexity 5 does).

# %%
# Check: every perplexity keeps the classes apart (its map beats PCA's kNN accuracy by 15 points,
# the bar the codings' map met above) ...
for p in PERPLEXITIES:
    cu.check_above(by_p[p]["kNN"] - scores["PCA to 2-D"][0], 0.15, f"the kNN accuracy at perplexity {p} minus PCA's",
                   hint="Each map should separate the classes: run tsne on the codings with this perplexity.")
# ... about equally well (all within 5 points of each other) ...
accuracies = [by_p[p]["kNN"] for p in PERPLEXITIES]
cu.check_below(max(accuracies) - min(accuracies), 0.05, "the range of kNN accuracies over the three perplexities",
               hint="The perplexity should change the look of the map more than how well it separates classes.")
# ... smaller perplexities scatter each class more (the spread falls at every step) ...
cu.check_decreasing([by_p[p]["spread"] for p in PERPLEXITIES], "the class spread at perplexities 5, 30 and 100",
                    hint="A larger perplexity should hold each class together.")
# ... and perplexity 100 keeps broader neighbourhoods than perplexity 5 (at 0 they would be alike).
cu.check_above(by_p[100]["trust 100"] - by_p[5]["trust 100"], 0.0,
               "the trustworthiness with 100 neighbours, perplexity 100 minus perplexity 5",
               hint="A larger perplexity should keep more of each point's wider neighbourhood.")

# %% [markdown]
# ## Do not read sizes and distances
#
# Because every point gets its own $\sigma_i$, a tight cluster and a loose one come out about the
# same size, and because far-apart points cost almost nothing, the gaps between clusters mean
# little. Three Gaussian blobs in 10-D show it: A is loose, B is ten times tighter and close to A,
# C is loose and ten times further away.

# %%
rng = np.random.default_rng(0)
centres = {"A": (0, 1.0), "B": (5, 0.1), "C": (50, 1.0)}  # position on the first axis, spread
blobs = np.vstack([rng.normal(scale=spread, size=(200, 10)) + np.eye(10)[0] * position
                   for position, spread in centres.values()])
blob_names = np.repeat(list(centres), 200)
blob_map = cu.cached("tsne-blobs", tsne, blobs)

# %%
def describe(points):
    centre = {name: points[blob_names == name].mean(axis=0) for name in centres}
    spread = {name: rms_radius(points[blob_names == name]) for name in centres}
    gap = {pair: float(np.linalg.norm(centre[pair[0]] - centre[pair[1]])) for pair in ("AB", "AC")}
    return spread["A"] / spread["B"], gap["AC"] / gap["AB"]


for name, points in (("in 10-D", blobs), ("on the t-SNE map", blob_map)):
    size_ratio, gap_ratio = describe(points)
    print(f"{name:>17}: spread A / spread B = {size_ratio:5.1f}, gap A-C / gap A-B = {gap_ratio:5.1f}")

# %%
# extra code: the blobs on the map
fig, ax = plt.subplots(figsize=(6, 4))
for name in centres:
    ax.scatter(*blob_map[blob_names == name].T, s=6, label=name)
ax.set(title="t-SNE of three blobs", xticks=[], yticks=[])
ax.legend();

# %% [markdown]
# On the map B is about as big as A (within a factor of two, where it was ten times smaller), and
# C is nowhere near ten times further away (under three times). Read a t-SNE map for **who is next
# to whom**, never for sizes or for distances between clusters.

# %%
# Check: "about as big": A and B's spreads on the map within a factor of 2 (10 in 10-D); "nowhere
# near ten times further": the A-C gap under 3 times the A-B gap (10 in 10-D).
size_ratio, gap_ratio = describe(blob_map)
cu.check_between(size_ratio, 0.5, 2.0, "the ratio of the blobs' spreads A / B on the map (10 in 10-D)",
                 hint="Run t-SNE on the blobs with the default perplexity.")
cu.check_below(gap_ratio, 3.0, "the ratio of the A-C gap to the A-B gap on the map (10 in 10-D)",
               hint="Run t-SNE on the blobs with the default perplexity.")

# %% [markdown]
# ## Summary
#
# - t-SNE matches neighbour probabilities between the original space and the plane; it keeps
#   neighbourhoods, not distances.
# - An autoencoder's 30-number codings give a t-SNE map whose classes separate nearly as well as
#   the pixels' map, and far better than PCA's two axes: measured by held-out kNN accuracy, with a
#   high trustworthiness.
# - The perplexity sets how many neighbours count: small values scatter each class in clumps, large
#   ones hold classes together and keep wider neighbourhoods; the kNN accuracy barely changes. Try
#   several values.
# - Cluster sizes and distances between clusters on a t-SNE map carry little meaning.

# %% [markdown]
# ## Exercises
#
# Each exercise has its own answer cell: replace its `...` with your code (or your words), then run
# the check cell after it. A check says "✔" when your answer passes it, and gives a hint, never the
# answer, when it does not. Some checks look only at the form of an answer; the grader's tests look
# further.
#
# **1. Do the codings need t-SNE?** Fit the same 5-nearest-neighbour classifier on the 30-number
# codings themselves (same split) and store its accuracy in `knn_codings`.

# %% [raw]
# # BEGIN QUESTION
# name: q1_knn_on_codings
# points: 2

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION
knn_codings = knn_accuracy(codings)
print(f"kNN on the 30-D codings: {knn_codings:.3f}; on their t-SNE map: {scores['t-SNE of codings'][0]:.3f}")
# END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_knn_codings_is_an_accuracy(cu, knn_codings):
    cu.check_between(knn_codings, 0, 1, "knn_codings (an accuracy)")


test_knn_codings_is_an_accuracy(cu, knn_codings)

# %%
# HIDDEN
def test_knn_on_the_codings(cu, knn_codings, knn_accuracy, codings):
    expected = knn_accuracy(codings)
    cu.check_between(knn_codings, expected - 1e-9, expected + 1e-9, "knn_codings against the notebook's measure")
    cu.check_above(knn_codings, 0.6, "the kNN accuracy on the 30-D codings")


test_knn_on_the_codings(cu, knn_codings, knn_accuracy, codings)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %%
# Check: knn_codings is an accuracy, a share between 0 and 1 (whether it is the right one, the
# grader checks).
cu.check_between(knn_codings, 0, 1, "knn_codings (an accuracy)",
                 hint="This notebook already scored each 2-D map with a 5-neighbour classifier: reuse that measure.");

# %% [markdown]
# *Compare it with the 2-D map's. Does the classifier need t-SNE?*

# %% [raw]
# # BEGIN QUESTION
# name: q1_does_knn_need_tsne
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* No: on the 30-number codings themselves the 5-neighbour classifier is about as accurate as on
# their t-SNE map, often a little more accurate, since t-SNE can only lose neighbourhood information
# when it squeezes 30 dimensions into 2. t-SNE is for *looking*: it makes the neighbourhoods that are
# already in the codings visible in a picture; it adds no information a classifier could use.

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION

# %% [markdown]
# **2. Think.** t-SNE has no `transform` method: to place new images on an existing map you must
# run it again on all points. Why? What would you use instead to embed new points with the same
# map (hint: notebook 01 and an encoder with a 2-number code)?

# %% [raw]
# # BEGIN QUESTION
# name: q2_no_transform
# manual: true
# points: 1

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# *Model answer.* t-SNE learns no function from inputs to 2-D positions: it optimises the positions of the given
# points themselves, so that their pairwise affinities match those in the original space. A new
# point has no position until the whole optimisation is rerun with it (and the old points move too).
# To embed new points with the same map, learn a parametric mapping instead: an autoencoder (or an
# encoder network) with a 2-number code, as in notebook 01, gives a function that places any new
# image (parametric t-SNE, or UMAP's `transform`, do the same).

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
