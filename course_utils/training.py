"""Train once, load ever after: models cached by their configuration.

:func:`train_or_load` builds a model, and then either loads its weights from the cache folder or
trains it and saves it there. The cache key covers the name, the configuration you pass, the
model's architecture, the code it was trained with (the training function and the notebook helpers
it calls, and the source of the whole ``course_utils`` package), the seed and the Keras version, so
changing any of them trains afresh. A file left
half-written by an interrupted run, or one that cannot be read, is retrained, never fatal.

Example:
    >>> def build():
    ...     return keras.Sequential([keras.Input((784,)), keras.layers.Dense(20), keras.layers.Dense(784)])
    >>> def train(model):
    ...     model.compile("adam", "mse")
    ...     return model.fit(x, x, epochs=5, verbose=0).history
    >>> result = train_or_load("dense-ae", build, train, config={"epochs": 5, "data": data.source})
    >>> result.model, result.log["loss"], result.from_cache
"""

from __future__ import annotations

import base64
import dis
import functools
import hashlib
import inspect
import json
import marshal
import shutil
import time
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np

from course_utils import progress
from course_utils.config import cache_dir, default_seed, seed_everything

CACHE_FORMAT = 1
PACKAGE_FOLDER = Path(__file__).resolve().parent
WEIGHTS_FILE = "model.weights.h5"
LOG_FILE = "log.npz"
META_FILE = "meta.json"  # written last: its presence marks a complete entry


@dataclass
class Trained:
    """A model from :func:`train_or_load`, what its training returned, and where it came from.

    Example:
        >>> run = train_or_load("dense-ae", build_autoencoder, train_with_fit, config)
        >>> run.from_cache, f"{run.train_seconds:.0f} s", run.log["loss"][-1]
        (True, '41 s', 0.0123)
    """

    model: keras.Model
    log: dict[str, np.ndarray]
    from_cache: bool
    train_seconds: float
    path: Path


def models_dir() -> Path:
    """The folder that holds cached models (``<cache_dir>/models``).

    Example:
        >>> sorted(p.name for p in models_dir().iterdir())
        ['dense-ae-3f2a9c0d5e1b7a64', 'toy-8-3-8-0b1c2d3e4f5a6b7c']
    """
    folder = cache_dir() / "models"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def package_fingerprint(folder: Path = PACKAGE_FOLDER) -> str:
    """A hash of the source of every module in a package folder (by default ``course_utils``).

    Part of every cache key, so that an edit anywhere in the package (a training loop in
    ``gan.py``, a loss, a data loader) trains afresh. Hashing the whole package is coarser than
    following which functions a model used, but simple and never stale: a model cached before an
    edit to the package is never loaded after it.

    Example:
        >>> package_fingerprint()
        '9c41e0a2b7d35f18'
    """
    folder = Path(folder)
    files = sorted(folder.rglob("*.py"))
    if not files:
        raise FileNotFoundError(f"no Python files under {folder}")
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


PACKAGE_CODE = package_fingerprint()  # the package's code as imported: what this session trains with


def _collect_layer_names(value: Any, found: dict[str, str]) -> None:
    """Map each layer's, operation's and model's name, in order of appearance, to a placeholder.

    Operations count too: Keras 3 records an op applied to a symbolic tensor (the ``not_equal``
    of an ``Embedding(mask_zero=True)``'s mask) as a node named ``not_equal_1`` and so on."""
    if isinstance(value, dict):
        config = value.get("config")
        is_layer = isinstance(config, dict) and ("trainable" in config or "batch_shape" in config
                                                 or "inbound_nodes" in value)  # fmt: skip
        if "class_name" in value and is_layer and isinstance(config.get("name"), str):
            found.setdefault(config["name"], f"<layer {len(found)}>")
        for item in value.values():
            _collect_layer_names(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect_layer_names(item, found)


def _code_digest(code: types.CodeType) -> list[Any]:
    """What a function's code does, without where it was compiled (file name, line numbers)."""
    consts = [_code_digest(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts]
    return [code.co_code.hex(), list(code.co_names), list(code.co_varnames), consts]


def _stable_lambdas(value: Any) -> Any:
    """A Lambda layer's function, as Keras serialises it (marshalled code, base64), with the file it was
    compiled in left out: in Jupyter that file is a temporary name that changes with every kernel."""
    if isinstance(value, dict):
        config = value.get("config")
        if value.get("class_name") == "__lambda__" and isinstance(config, dict) and isinstance(config.get("code"), str):
            try:
                code = marshal.loads(base64.b64decode(config["code"]))
                value = {**value, "config": {**config, "code": _code_digest(code)}}
            except Exception:  # another Python's bytecode: keep the text as it is
                pass
        return {k: _stable_lambdas(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stable_lambdas(v) for v in value]
    return value


def _renamed(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {k: _renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    return value


def _describe_value(value: Any) -> str:
    """A short, stable description of a value bound to the training function (arrays by a sample)."""
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        array = np.asarray(value)
        sample = np.ascontiguousarray(array.ravel()[:: max(1, array.size // 4096)])
        return f"array{array.shape}:{array.dtype}:{hashlib.sha256(sample.tobytes()).hexdigest()[:16]}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_describe_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_describe_value(v)}" for k, v in sorted(value.items(), key=str)) + "}"
    if isinstance(value, functools.partial):  # e.g. partial(gaussian_noise, level=0.3): the level counts too
        arguments = [_describe_value(a) for a in value.args]
        arguments += [f"{k}={_describe_value(v)}" for k, v in sorted(value.keywords.items())]
        return f"partial({_describe_value(value.func)}, {', '.join(arguments)})"
    if inspect.isfunction(value):  # a helper passed in (a noise function...): its code decides the result
        return _source(value)
    if callable(value):
        return getattr(value, "__qualname__", type(value).__name__)
    text = repr(value)
    if " at 0x" in text:  # an object shown by its memory address, new in every session: name its class
        return type(value).__qualname__
    return text[:200]


def _source(obj: Any) -> str:
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return getattr(obj, "__qualname__", type(obj).__name__)


def _names_used(code: types.CodeType) -> set[str]:
    """The global names a code object and the functions nested in it read (not attribute names:
    ``self.beta`` does not make a global ``beta`` part of the key)."""
    names = {op.argval for op in dis.get_instructions(code) if op.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _names_used(constant)
    return names


def _functions_of(obj: Any) -> list[types.FunctionType]:
    """A function itself, or the functions a class defines (methods, static and class methods, properties)."""
    if inspect.isfunction(obj):
        return [obj]
    found = []
    for value in vars(obj).values():
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if isinstance(value, property):
            found += [f for f in (value.fget, value.fset) if inspect.isfunction(f)]
        elif inspect.isfunction(value):
            found.append(value)
    return found


def helper_code(obj: Any) -> dict[str, str]:
    """The helpers ``obj`` uses by name, found recursively: functions and classes defined beside it
    (in the same notebook or module) by their source, and plain values (numbers, strings) by ``repr``.

    Editing a helper that a training function or a custom layer calls changes what it trains, so
    the cache key covers these too. Modules, imported functions and other objects are left out.

    Example:
        >>> def kl(mu): return -0.5 * mu**2
        >>> def loss(mu): return kl(mu) + 1
        >>> list(helper_code(loss))
        ['kl']
    """
    found: dict[str, str] = {}
    pending = [obj]
    while pending:
        for function in _functions_of(pending.pop()):
            for name in sorted(_names_used(function.__code__)):
                if name in found or name.startswith("__") or name not in function.__globals__:
                    continue
                value = function.__globals__[name]
                if isinstance(value, (bool, int, float, str)):
                    found[name] = repr(value)
                elif (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == function.__module__:
                    found[name] = _source(value)
                    pending.append(value)
    return dict(sorted(found.items()))


def training_code(train: Callable[..., Any]) -> str:
    """What decides how ``train`` trains: its source, its defaults, the arguments bound by ``partial``
    and the helpers it calls by name (see :func:`helper_code`).

    Arrays and models it reads from the notebook's globals are not seen here: put what decides them
    (a data source, a size) in ``config``.

    Example:
        >>> training_code(partial(train_with_fit, epochs=5)) != training_code(train_with_fit)
        True
    """
    bound = []
    while isinstance(train, functools.partial):
        bound.append([_describe_value(a) for a in train.args])
        bound.append({k: _describe_value(v) for k, v in sorted(train.keywords.items())})
        train = train.func
    function = train if inspect.isfunction(train) or inspect.ismethod(train) else type(train)
    defaults = [_describe_value(d) for d in (getattr(train, "__defaults__", None) or ())]
    keyword_defaults = getattr(train, "__kwdefaults__", None) or {}
    keyword_defaults = {k: _describe_value(v) for k, v in sorted(keyword_defaults.items())}
    target = function.__func__ if inspect.ismethod(function) else function
    helpers = helper_code(target) if inspect.isfunction(target) or inspect.isclass(target) else {}
    return json.dumps([_source(function), defaults, keyword_defaults, bound, helpers], default=str)


def _config_without_name(layer: keras.layers.Layer) -> dict[str, Any] | None:
    try:
        return {key: value for key, value in layer.get_config().items() if key != "name"}
    except Exception:
        return None


def _custom_layers(model: keras.Model) -> list[dict[str, Any]]:
    """The code and settings of the model's own layer classes (those not from Keras): a custom
    layer's ``call`` or a penalty function it holds decides the result as much as the wiring does."""
    found = []
    for layer in model._flatten_layers(include_self=True, recursive=True):
        cls = type(layer)
        if cls.__module__.split(".")[0] == "keras":
            continue
        arguments = inspect.signature(cls.__init__).parameters  # the settings it was made with
        settings = {
            key: _describe_value(value)
            for key, value in sorted(vars(layer).items())
            if key in arguments and key != "name" and not isinstance(value, (keras.layers.Layer, keras.Variable))
        }  # a layer's name is numbered per session (shifted, shifted_1...): it never decides the result
        helpers = helper_code(cls)
        found.append({"class": cls.__qualname__, "code": _source(cls), "settings": settings, "helpers": helpers})
    return found


def _architecture(model: keras.Model) -> str:
    """The model's layers, wiring and weight shapes, with the names Keras numbers per session
    (``dense_7``...) replaced by their order, so that rebuilding the same model gives the same key;
    plus the code and settings of custom layers."""
    shapes = [tuple(w.shape) for w in model.weights]
    try:
        layout = _stable_lambdas(json.loads(model.to_json()))
    except Exception:  # custom layers without get_config do not serialise: list the layers instead
        layout = [[type(layer).__qualname__, _config_without_name(layer)] for layer in model._flatten_layers()]
    names: dict[str, str] = {}
    _collect_layer_names(layout, names)
    described = {"layout": layout, "shapes": shapes, "custom": _custom_layers(model)}
    return json.dumps(_renamed(described, names), sort_keys=True, default=str)


def cache_key(
    name: str,
    config: Mapping[str, Any],
    model: keras.Model,
    seed: int | None = None,
    train: Callable[..., Any] | None = None,
) -> str:
    """A short hash of everything that decides the trained weights (seed: default_seed() if None):
    the name, the config, the architecture, the training code (see :func:`training_code`), the
    seed, the Keras version and the package's code (see :func:`package_fingerprint`).

    Example:
        >>> cache_key("dense-ae", {"epochs": 10}, build_autoencoder(), train=train_with_fit)
        '3f2a9c0d5e1b7a64'
    """
    try:
        config_text = json.dumps(dict(config), sort_keys=True)
    except TypeError as err:
        raise TypeError(f"config must hold only JSON values (numbers, strings, lists, dicts): {err}") from None
    text = json.dumps(
        {"name": name, "config": config_text, "architecture": _architecture(model),
         "training": None if train is None else training_code(train),
         "seed": default_seed() if seed is None else seed, "keras": keras.__version__, "package": PACKAGE_CODE,
         "format": CACHE_FORMAT},
        sort_keys=True,
    )  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _as_arrays(log: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The training log as plain numeric arrays, or a clear error naming the entry that is not."""
    arrays = {}
    for key, value in log.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"the keys of train(model)'s result must be non-empty strings, got {key!r}")
        try:
            array = np.asarray(value)
        except ValueError:
            array = np.asarray(None)
        if array.dtype == object:
            raise TypeError(
                f"train(model) returned {key!r} as {type(value).__name__} that is not a number or an array of "
                "one shape (ragged lists or other objects cannot be cached): return a list of numbers or "
                "equally shaped arrays"
            )
        arrays[key] = array
    return arrays


def _save(
    folder: Path, model: keras.Model, log: dict[str, np.ndarray], seconds: float, config: Mapping[str, Any]
) -> None:
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    model.save_weights(partial / WEIGHTS_FILE)
    np.savez(partial / LOG_FILE, **log)
    meta = {"train_seconds": seconds, "config": dict(config), "keras": keras.__version__}
    (partial / META_FILE).write_text(json.dumps(meta, indent=1))
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)


def _load(folder: Path, model: keras.Model) -> tuple[dict[str, np.ndarray], float]:
    meta = json.loads((folder / META_FILE).read_text())
    model.load_weights(folder / WEIGHTS_FILE)
    with np.load(folder / LOG_FILE) as f:
        log = {k: f[k] for k in f.files}
    return log, float(meta["train_seconds"])


def train_or_load(
    name: str,
    build: Callable[[], keras.Model],
    train: Callable[[keras.Model], Mapping[str, Any] | None],
    config: Mapping[str, Any],
    *,
    seed: int | None = None,
    retrain: bool = False,
    verbose: bool = True,
) -> Trained:
    """Build a model, then load its trained weights from the cache or train and cache it.

    Args:
        name: a short name for the model, used in the cache folder's name.
        build: makes the model, already built (give it a ``keras.Input``, or call it once on a
            batch inside ``build``).
        train: trains the model in place and returns what to keep beside it: a mapping of names
            to arrays or lists (loss curves, snapshots of reconstructions...), or None.
        config: everything else that decides the result and that the code of ``train`` does not
            show (epochs, batch size, learning rate, data source...), as JSON values. Put the
            budgets here so that fast and full mode are cached apart.
        seed: seeds Python, NumPy and TensorFlow before building, so a retrain is reproducible
            (default: :func:`~course_utils.config.default_seed`). Part of the cache key.
        retrain: ignore the cache and train again (for a live demonstration).
        verbose: print where the model came from and how long its training took.

    A model loaded from the cache has its weights but is not compiled: call ``compile`` before
    ``fit`` or ``evaluate`` on it.

    Example:
        >>> run = train_or_load("dense-ae", build_autoencoder, train_with_fit, {"epochs": 10})
        Trained 'dense-ae' in 41.2 s; cached for the next run.
        >>> run.model, run.log["loss"], run.from_cache
    """
    if not isinstance(name, str) or not name.strip() or "/" in name:
        raise ValueError(f"name must be a non-empty string without '/', got {name!r}")
    if not callable(build) or not callable(train):
        raise TypeError("build and train must be functions: build() -> model, train(model) -> log")
    if not isinstance(config, Mapping):
        raise TypeError(f"config must be a mapping (a dict), got {type(config).__name__}")
    seed = seed_everything(seed)
    model = build()
    if not isinstance(model, keras.Model):
        raise TypeError(f"build() must return a keras.Model, got {type(model).__name__}")
    if not model.weights or not model.built:  # a subclassed model holding built parts is not built itself
        raise ValueError(
            "build() must return a built model that has its weights: start it with keras.Input(...), "
            "or call it once on a batch before returning it"
        )
    folder = models_dir() / f"{name}-{cache_key(name, config, model, seed, train)}"
    if (folder / META_FILE).is_file() and not retrain:
        try:
            log, seconds = _load(folder, model)
            if verbose:
                print(f"Loaded '{name}' from the cache (its training took {seconds:.1f} s).")
            return Trained(model, log, True, seconds, folder)
        except Exception as err:
            print(f"The cached '{name}' could not be read ({type(err).__name__}: {err}); training it again.")
            shutil.rmtree(folder, ignore_errors=True)
            seed_everything(seed)
            model = build()
    seed_everything(seed)
    start = time.perf_counter()
    with progress.training(name):  # progress bars inside train() are named after the model
        log = train(model)
    seconds = time.perf_counter() - start
    if log is None:
        log = {}
    if not isinstance(log, Mapping):
        raise TypeError(f"train(model) must return a mapping of names to arrays, or None; got {type(log).__name__}")
    arrays = _as_arrays(log)
    _save(folder, model, arrays, seconds, config)
    if verbose:
        print(f"Trained '{name}' in {seconds:.1f} s; cached for the next run.")
    return Trained(model, arrays, False, seconds, folder)


def clear_cache(name: str | None = None) -> int:
    """Delete cached models (all of them, or those called ``name``); return how many were deleted.

    Example:
        >>> clear_cache("dense-ae")
        3
    """
    count = 0
    for folder in models_dir().iterdir():
        if folder.is_dir() and (name is None or folder.name.rsplit("-", 1)[0] == name):
            shutil.rmtree(folder)
            count += 1
    return count


def results_dir() -> Path:
    """The folder that holds cached results of :func:`cached` (``<cache_dir>/results``).

    Example:
        >>> results_dir().name
        'results'
    """
    folder = cache_dir() / "results"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _fingerprint(value: Any) -> str:
    """Exact for arrays (their whole content is hashed), else as in the training code's key."""
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        array = np.ascontiguousarray(np.asarray(value))
        return f"array{array.shape}:{array.dtype}:{hashlib.sha256(array.tobytes()).hexdigest()}"
    return _describe_value(value)


def cached(name: str, function: Callable[..., Any], *args: Any, verbose: bool = True, **kwargs: Any) -> np.ndarray:
    """Compute ``function(*args, **kwargs)`` once, then load its array result from the cache.

    For slow results that are not models, such as a t-SNE map. The key covers the name, the
    function's code, the full content of array arguments, the other arguments, the seed and the
    package's code.

    Example:
        >>> coding_map = cached("tsne-codings", tsne, codings, perplexity=30)
        Computing 'tsne-codings' (once; later runs load it)...
        Computed 'tsne-codings' in 9.8 s; cached for the next run.
    """
    if not isinstance(name, str) or not name.strip() or "/" in name:
        raise ValueError(f"name must be a non-empty string without '/', got {name!r}")
    if not callable(function):
        raise TypeError(f"function must be callable, got {type(function).__name__}")
    text = json.dumps(
        {"name": name, "code": training_code(function), "args": [_fingerprint(a) for a in args],
         "kwargs": {k: _fingerprint(v) for k, v in sorted(kwargs.items())}, "seed": default_seed(),
         "package": PACKAGE_CODE, "format": CACHE_FORMAT},
        sort_keys=True,
    )  # fmt: skip
    path = results_dir() / f"{name}-{hashlib.sha256(text.encode()).hexdigest()[:16]}.npy"
    if path.is_file():
        try:
            result = np.load(path, allow_pickle=False)
            if verbose:
                print(f"Loaded '{name}' from the cache.")
            return result
        except Exception as err:
            print(f"The cached '{name}' could not be read ({type(err).__name__}: {err}); computing it again.")
    if verbose:  # a slow computation announces itself before it starts: the cell is busy, not stuck
        print(f"Computing '{name}' (once; later runs load it)...", flush=True)
    start = time.perf_counter()
    result = np.asarray(function(*args, **kwargs))
    if result.dtype == object:
        raise TypeError(f"{name}: function must return a numeric array, got {type(result).__name__} of objects")
    partial = path.with_name(path.stem + ".partial.npy")
    np.save(partial, result, allow_pickle=False)
    partial.replace(path)
    if verbose:
        print(f"Computed '{name}' in {time.perf_counter() - start:.1f} s; cached for the next run.")
    return result


def flat_weights(model: keras.Model) -> np.ndarray:
    """All of a model's weights as one flat float32 array: a snapshot that fits in a training log.

    Example:
        >>> snapshots.append(flat_weights(model))   # e.g. at the end of every epoch
    """
    return np.concatenate([np.ravel(w) for w in model.get_weights()]).astype(np.float32)


def set_flat_weights(model: keras.Model, flat: np.ndarray) -> None:
    """Load a snapshot made by :func:`flat_weights` back into the same model (in place).

    Example:
        >>> set_flat_weights(model, run.log["snapshots"][1])   # the model as it was after epoch 2
    """
    shapes = [w.shape for w in model.get_weights()]
    sizes = [int(np.prod(shape)) for shape in shapes]
    flat = np.asarray(flat)
    if flat.ndim != 1 or flat.size != sum(sizes):
        raise ValueError(f"the snapshot has {flat.size} numbers (shape {flat.shape}); this model has {sum(sizes)}: "
                         "was it made from another architecture?")  # fmt: skip
    parts = np.split(flat, np.cumsum(sizes)[:-1])
    model.set_weights([part.reshape(shape) for part, shape in zip(parts, shapes)])
