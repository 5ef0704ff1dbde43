"""Build what pages read and show once per input, and share it between sessions and reruns.

A page's figure costs tens of milliseconds to build and is the same for every reader who asks for the
same thing, while one rerun of a page (a widget change, a language switch, a class of thirty on one
small server) should cost a few. So everything a page reads or builds that another session could ask for
too goes through ``build_shared(builder, *inputs)``: one process-wide store of results whose key is

- the builder (its module and name),
- the data folder's version (``data_version``), the one invalidation path: a ``python -m loaders refresh``
  or ``add``, or an edit to the catalog, events, claims or stories, gives new keys, so the next page load
  reads and builds afresh without a restart; nothing is ever cleared,
- and the inputs themselves (``input_key``), so no input can be left out of it.

The shared objects are shown, never modified (``st.plotly_chart`` only reads a figure; frames come back as
shallow copies, which pandas' copy-on-write keeps from changing the shared one).

>>> build_shared(divmod, 7, 2)
(3, 1)
>>> input_key({"lang": "es", "years": (1990, 2025)}) == input_key({"lang": "es", "years": (1990, 2025)})
True
>>> input_key(1) == input_key(True)
False
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import math
import os
import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

import numpy as np
import pandas as pd

from loaders import settings

T = TypeVar("T")

_version: str | None = None


def _data_stamp() -> tuple:
    """When the hand-written metadata and the snapshots last changed (a handful of stat calls, ~50 µs)."""
    root, stories = settings.data_dir(), settings.stories_dir()
    # The store and `loaders add` replace files by renaming, which changes their folder's mtime too.
    paths = [root / "catalog.yaml", root / "events.yaml", root / "claims.yaml", root / "snapshots", stories]
    if stories.is_dir():
        paths += sorted(stories.iterdir())
    stamp: list[object] = [str(root), str(stories)]
    for path in paths:
        try:
            info = path.stat()
            stamp.append((path.name, info.st_mtime_ns, info.st_size))
        except OSError:
            stamp.append((path.name, None, None))
    return tuple(stamp)


def note_data_version() -> None:
    """Look at the data folder once at the start of a run (dashboard.py): see ``data_version``."""
    global _version
    _version = hashlib.blake2b(repr(_data_stamp()).encode(), digest_size=8).hexdigest()


def data_version() -> str:
    """A short fingerprint of the data folder as the current run found it, part of every key of ``build_shared``.
    A run sees one version from its start to its end; what was built for an older one is never asked for again
    and leaves as the cache fills up."""
    if _version is None:
        note_data_version()
    return _version  # type: ignore[return-value]


def build_shared(build: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``build(*args, **kwargs)``, made once per builder, data version and inputs and shared by every session:
    show it, do not modify it. ``build`` must be a module-level function (it is named in the key by its module
    and name); its inputs are keyed by ``input_key``."""
    name = f"{build.__module__}.{build.__qualname__}"
    if "<locals>" in name or "<lambda>" in name:
        raise TypeError(f"build_shared needs a module-level builder, not {name}: a closure's inputs are not its key")
    key = (input_key(args), input_key(kwargs))
    return _build_shared(name, data_version(), key, args, kwargs, build)


# 1024 results: every page's figures and tables in both languages, Explore's frames for a class's choices, and
# the readers' frames (each series once). Entries leave least recently used first. A dict, not st.cache_resource:
# a hit is a dictionary look-up (about 2 µs) where Streamlit's cache hashes every argument again (0.2 to 1 ms),
# and a page asks for dozens of shared results on every rerun.
MAX_RESULTS = 1024
_results: OrderedDict[tuple, object] = OrderedDict()
# The key of each shared list or dict while it is in the store (which keeps it alive, so its id is its own): a page
# that passes one on to another shared builder (Explore's ~100 event marks, every rerun) is keyed by a look-up
# instead of by walking it (3 ms).
_result_keys: dict[int, tuple] = {}
_results_lock = threading.Lock()
_building: dict[tuple, threading.Lock] = {}


def _build_shared(name: str, version: str, key: tuple, args: tuple, kwargs: dict, build: Callable[..., T]) -> T:
    """The shared result for ``(name, version, key)``, built by ``build(*args, **kwargs)`` the first time; two
    sessions asking at once for the same result build it once (the second waits for the first)."""
    full_key = (name, version, key)
    with _results_lock:
        if full_key in _results:
            _results.move_to_end(full_key)
            return _results[full_key]  # type: ignore[return-value]
        building = _building.setdefault(full_key, threading.Lock())
    try:
        with building:
            with _results_lock:
                if full_key in _results:
                    return _results[full_key]  # type: ignore[return-value]
            result = _remember_frames(build(*args, **kwargs), full_key)
            with _results_lock:
                _results[full_key] = result
                if isinstance(result, list | dict):
                    _result_keys[id(result)] = full_key
                while len(_results) > MAX_RESULTS:
                    old_key, old = _results.popitem(last=False)
                    if _result_keys.get(id(old)) == old_key:
                        del _result_keys[id(old)]
            return result
    finally:
        with _results_lock:
            _building.pop(full_key, None)


def input_key(value: object) -> Hashable:
    """What one input of a shared builder puts in its key: a list or dict that is itself a shared result by the
    key it was built with; a value with a ``cache_key()`` method (a series handle: its id and sha256) by that; a
    frame by its content (``frame_key``); a dataclass, mapping, list, tuple or set by each of its values, in order;
    a path by itself; a function by its module and name; a plain value by its type and itself. Anything else is
    refused, so nothing is keyed by chance (give it a ``cache_key()``).
    """
    if isinstance(value, list | dict) and (built := _result_keys.get(id(value))) is not None:
        return ("shared", built)
    if isinstance(value, pd.DataFrame):
        return ("frame", frame_key(value))
    if isinstance(value, pd.Series):
        return ("column", _content_key(value))
    if hasattr(value, "cache_key") and not isinstance(value, type):
        return (type(value).__qualname__, value.cache_key())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple(input_key(getattr(value, field.name)) for field in dataclasses.fields(value))
        return (type(value).__qualname__, fields)
    if isinstance(value, Mapping):
        return ("mapping", tuple((input_key(k), input_key(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(input_key(item) for item in value))
    if isinstance(value, set | frozenset):
        return ("set", frozenset(input_key(item) for item in value))
    if isinstance(value, os.PathLike):
        return ("path", os.fspath(value))
    if isinstance(value, pd.Timestamp | datetime.date):
        return (type(value).__name__, value.isoformat())
    if isinstance(value, np.generic):
        return (type(value).__name__, input_key(value.item()))
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")  # NaN is not equal to itself: as a key it would never be found again
    if value is None or isinstance(value, str | int | float | bytes):
        return (type(value).__name__, value)
    if callable(value) and hasattr(value, "__qualname__"):
        name = f"{value.__module__}.{value.__qualname__}"
        if "<locals>" not in name and "<lambda>" not in name:
            return ("function", name)
    raise TypeError(f"build_shared cannot key a {type(value).__name__}: give it a cache_key() method")


# A shared result is never modified (see the module's docstring), so a frame in it can be keyed by the key it was
# built with, kept with it: a page that passes that frame on to another shared builder in every run then pays a
# dict look-up, and a new result is not pickled to find its content key (about 0.5 ms a frame). Entries leave
# with their frame.
_kept_keys: dict[int, tuple[weakref.ref, str]] = {}


def _remember_frames(result: T, built_as: tuple) -> T:
    frames = result.values() if isinstance(result, dict) else result if isinstance(result, tuple) else [result]
    new = [(place, f) for place, f in enumerate(frames) if isinstance(f, pd.DataFrame) and id(f) not in _kept_keys]
    if new:  # most results (figures, texts) hold no frame: their key is not hashed for nothing
        built = hashlib.blake2b(repr(built_as).encode(), digest_size=16).hexdigest()
        for place, frame in new:
            remember_key(frame, f"built:{built}:{place}")
    return result


def remember_key(frame: pd.DataFrame, key: str) -> None:
    """Note that ``frame`` has the content key ``key`` (a shared frame's shallow copy has its frame's key)."""
    ident = id(frame)
    _kept_keys[ident] = (weakref.ref(frame, lambda _, ident=ident: _kept_keys.pop(ident, None)), key)


def shallow_copy(frame: pd.DataFrame) -> pd.DataFrame:
    """A shallow copy of a shared frame for a page to hold (copy-on-write keeps the shared one intact), that
    keeps its content key, so passing it on to another shared builder costs no pickling."""
    copy = frame.copy(deep=False)
    kept = _kept_keys.get(id(frame))
    if kept is not None and kept[0]() is frame:
        remember_key(copy, kept[1])
    return copy


def frame_key(frame: pd.DataFrame | None) -> str:
    """A fingerprint of a frame: a shared result's (or its ``shallow_copy``'s) is the key it was built with, any
    other frame's its content, from its pickle.

    Frames that differ in any cell get different keys; a shared frame passed again gets the same key without
    pickling. (An equal frame built differently, e.g. a deep copy, may get another key: a
    result is then built again, never a wrong one shown.) About 0.2 ms for the 28 events.
    """
    if frame is None:
        return ""
    kept = _kept_keys.get(id(frame))
    if kept is not None and kept[0]() is frame:
        return kept[1]
    return _content_key(frame)


def _content_key(frame: pd.DataFrame | pd.Series) -> str:
    return hashlib.blake2b(pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).hexdigest()
