"""Every public function and class of course_utils is documented with an example (notebook 00 says so)."""

import inspect

import pytest

import course_utils
from course_utils import (
    checks,
    config,
    data,
    dates,
    decoding,
    embeddings,
    environment,
    gan,
    judge,
    measures,
    plots,
    progress,
    seq2seq,
    seqplots,
    text,
    training,
    widgets,
)

MODULES = (
    checks, config, data, dates, decoding, embeddings, environment, gan, judge, measures, plots, progress, seq2seq,
    seqplots, text, training, widgets,
)  # fmt: skip
PUBLIC = [
    (module.__name__, name, obj)
    for module in MODULES
    for name, obj in vars(module).items()
    if not name.startswith("_")
    and (inspect.isfunction(obj) or inspect.isclass(obj))
    and obj.__module__ == module.__name__
    and not (inspect.isclass(obj) and issubclass(obj, Exception))
]


def test_modules_say_what_they_are_for():
    for module in (course_utils, *MODULES):
        assert module.__doc__ and module.__doc__.strip(), f"{module.__name__} has no docstring"


@pytest.mark.parametrize("module, name, obj", PUBLIC, ids=[f"{m}.{n}" for m, n, _ in PUBLIC])
def test_public_names_have_a_docstring_with_an_example(module, name, obj):
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{module}.{name} has no docstring"
    assert "Example" in doc, f"{module}.{name}'s docstring has no Example"


@pytest.mark.parametrize("module, name, obj", [p for p in PUBLIC if inspect.isfunction(p[2])], ids=lambda p: str(p))
def test_public_functions_are_typed(module, name, obj):
    signature = inspect.signature(obj)
    untyped = [p for p in signature.parameters if signature.parameters[p].annotation is inspect.Parameter.empty]
    assert not untyped, f"{module}.{name}: parameters without type hints: {untyped}"
    assert signature.return_annotation is not inspect.Signature.empty, f"{module}.{name} has no return type"
