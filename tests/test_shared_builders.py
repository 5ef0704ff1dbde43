"""Every result shared between sessions (``cache.build_shared``) is keyed by every input it is built from.

Two checks together: each builder the code hands to ``build_shared`` is a module-level function that reads
no session, address or request (so its inputs and the data version are all it depends on), and on every
page each call's key changes when any one field of any one input changes (so no input is left out of it).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime
import importlib
import inspect
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app.runtime import cache, data

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted([*REPO.glob("app/**/*.py"), *REPO.glob("app_pages/*.py"), REPO / "dashboard.py"])
# What a builder must not read: these differ between sessions and requests but are not in its key.
HIDDEN_INPUTS = ("st.session_state", "st.query_params", "st.context", "os.environ", "current_language(")
PAGES = {
    "overview": {},
    "explore": {"series": "inflation_avg_imf_pct,gdp_wb_usd", "countries": "VEN,COL", "event": "coup_2002"},
    "inflation": {},
    "migration": {},
    "events": {},
    "claims": {},
    "sources": {},
    "presenter": {},
}


def _builders_named() -> Iterator[tuple[Path, int, ast.expr, dict[str, str]]]:
    """(file, line, the builder expression, the file's imported names) for every ``build_shared`` call."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    imported[alias.asname or alias.name] = alias.name
        # A function that passes its own argument on (explore_shared.shared_unless_uploaded) is checked at its calls.
        forwarded = {
            (inner.lineno, arg.arg)
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef)
            for inner in ast.walk(function)
            if isinstance(inner, ast.Call)
            for arg in function.args.args
        }
        for node in ast.walk(tree):
            name = getattr(node, "func", None) and getattr(node.func, "attr", getattr(node.func, "id", ""))
            if isinstance(node, ast.Call) and name in ("build_shared", "shared_unless_uploaded"):
                builder = node.args[1] if name == "shared_unless_uploaded" else node.args[0]
                if isinstance(builder, ast.Name) and (node.lineno, builder.id) in forwarded:
                    continue
                yield path, node.lineno, builder, imported


def _resolve(expr: ast.expr, imported: dict[str, str], path: Path) -> object:
    """The object a builder expression names, through the file's imports (or the module itself)."""
    dotted = ast.unparse(expr)
    head, _, rest = dotted.partition(".")
    if head in imported:
        full = imported[head] + (f".{rest}" if rest else "")
    elif path.parent.name != "app_pages" and path.name != "dashboard.py":
        full = ".".join(path.relative_to(REPO).with_suffix("").parts) + f".{dotted}"
    else:
        raise AssertionError(f"{path.name}: {dotted} is not an imported module-level function")
    parts = full.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            obj = getattr(obj, part)
        return obj
    raise AssertionError(f"{path.name}: {dotted} could not be found")


def test_every_shared_builder_is_a_module_level_function_that_reads_no_session_address_or_request():
    found = list(_builders_named())
    assert len(found) >= 25, "the pages share their figures, tables and reads through build_shared"
    for path, line, expr, imported in found:
        where = f"{path.relative_to(REPO)}:{line}"
        assert not isinstance(expr, ast.Lambda), f"{where}: a lambda's closed-over inputs would not be in the key"
        builder = _resolve(expr, imported, path)
        assert inspect.isfunction(builder) or inspect.isbuiltin(builder), f"{where}: {builder!r} is not a function"
        assert "<locals>" not in builder.__qualname__, f"{where}: {builder.__qualname__} is a closure"
        if inspect.isfunction(builder):
            source = inspect.getsource(builder)
            for hidden in HIDDEN_INPUTS:
                assert hidden not in source, f"{where}: {builder.__qualname__} reads {hidden}, which is not in its key"


# ---------------------------------------------------------------- every call on every page, one field changed
def _variants(value: object, depth: int = 0) -> Iterator[object]:
    """Copies of ``value`` that each differ from it in one field (one cell, one item, one attribute)."""
    if depth > 3:
        return
    if isinstance(value, data.SeriesData):
        yield dataclasses.replace(value, sha256=value.sha256[::-1] + "x")
        yield dataclasses.replace(value, id=value.id + "_other")
    elif hasattr(value, "cache_key"):
        return  # a handle is keyed by what its cache_key says it stands for (a series: its id and sha256)
    elif isinstance(value, pd.DataFrame):
        if not value.empty:
            yield value.iloc[:-1]
            column = value.columns[-1]
            changed = value.copy()
            changed[column] = changed[column].astype(object)
            changed.iloc[0, -1] = "changed"
            yield changed
        yield value.assign(added_column=1)
    elif isinstance(value, pd.Series):
        yield value.iloc[:-1] if len(value) else pd.concat([value, pd.Series([1])])
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            original = getattr(value, field.name)
            for other in _variants(original, depth + 1):
                copy = object.__new__(type(value))
                for f in dataclasses.fields(value):
                    object.__setattr__(copy, f.name, other if f.name == field.name else getattr(value, f.name))
                yield copy
                break
    elif isinstance(value, dict):
        if value:
            key = next(iter(value))
            for other in _variants(value[key], depth + 1):
                yield {**value, key: other}
                break
            yield {k: v for k, v in value.items() if k != key}
        yield {**value, "added_key": 1}
    elif isinstance(value, list | tuple):
        if value:
            for other in _variants(value[0], depth + 1):
                yield type(value)([other, *value[1:]])
                break
            yield type(value)(value[1:])
        yield type(value)([*value, "added"])
    elif isinstance(value, set | frozenset):
        yield type(value)({*value, "added"})
    elif isinstance(value, bool):
        yield not value
    elif isinstance(value, int | float | np.number):
        yield value + 1
    elif isinstance(value, str):
        yield value + "!"
    elif isinstance(value, bytes):
        yield value + b"!"
    elif isinstance(value, pd.Timestamp | datetime.date):
        yield value + datetime.timedelta(days=1)
    elif isinstance(value, os.PathLike):
        yield Path(value) / "other"
    elif value is None:
        yield "something"
    elif callable(value):
        yield len


@pytest.fixture(scope="module")
def calls() -> list[tuple[str, str, tuple, dict]]:
    """Every ``build_shared`` call while each page is opened: (page, builder, args, kwargs)."""
    seen: list[tuple[str, str, tuple, dict]] = []
    original = cache._build_shared
    page = ""

    def spy(name, version, key, args, kwargs, build):
        seen.append((page, name, args, kwargs))
        return original(name, version, key, args, kwargs, build)

    cache._build_shared = spy
    try:
        for page, params in PAGES.items():
            at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
            for key, value in params.items():
                at.query_params[key] = value
            at.switch_page(f"app_pages/{page}.py").run()
            assert not at.exception, (page, at.exception)
    finally:
        cache._build_shared = original
    return seen


def test_every_page_shares_its_results(calls):
    assert {page for page, *_ in calls} == set(PAGES)


def test_every_shared_call_on_every_page_is_keyed_by_every_field_of_every_input(calls):
    checked, missed = set(), []
    for page, name, args, kwargs in calls:
        if (page, name) in checked:
            continue
        checked.add((page, name))
        inputs = [(f"argument {i + 1}", value) for i, value in enumerate(args)] + list(kwargs.items())
        key = cache.input_key((args, kwargs))
        for label, value in inputs:
            for other in _variants(value):
                changed_args = tuple(other if f"argument {i + 1}" == label else a for i, a in enumerate(args))
                changed_kwargs = {k: other if k == label else v for k, v in kwargs.items()}
                if cache.input_key((changed_args, changed_kwargs)) == key:
                    missed.append(f"{page}: {name}: {label} changed to {other!r:.60} gives the same key")
    assert len({name for _, name in checked}) >= 20
    assert not missed, "\n".join(missed)
