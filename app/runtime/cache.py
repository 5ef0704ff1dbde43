"""Build a page's figures and tables once per input and share them between sessions and reruns.

A page's figure costs tens of milliseconds to build and is the same for every reader who asks for the
same thing, while one rerun of a page (a widget change, a language switch, a class of thirty on one
small server) should cost a few. So the pages keep what they build in ``st.cache_resource`` caches keyed
on everything the result depends on:

- the snapshots' sha256 (``snapshot_key``), so a refresh that changes the data rebuilds the figure;
- the content of frames that do not come from a snapshot, such as the events (``frame_key``);
- the reader's language and choices (the page's state).

The cached objects are shared: show them, never modify them (``st.plotly_chart`` only reads a figure;
frames come back as shallow copies, which pandas' copy-on-write keeps from changing the cached one).

>>> @shared(max_entries=4)
... def _square(n: int) -> int:
...     return n * n
>>> _square(3)
9
"""

from __future__ import annotations

import hashlib
import pickle
import weakref
from collections.abc import Callable, Iterable
from typing import TypeVar

import pandas as pd
import streamlit as st

from app.runtime import data

T = TypeVar("T")


def shared(max_entries: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """``st.cache_resource`` for a builder whose result every session may show but none may modify.

    Arguments whose name starts with ``_`` are not hashed: pass the inputs they stand for in the other
    arguments (a frame's ``snapshot_key`` or ``frame_key``).
    """
    return st.cache_resource(show_spinner=False, max_entries=max_entries)


def shared_result(name: str, key: tuple, build: Callable[[], T]) -> T:
    """``build()``, made once per ``name`` and ``key`` and shared by every session: show it, do not modify it.

    ``key`` must hold everything ``build`` reads that can differ between calls: the language, the reader's
    choices, the ``snapshot_key`` of the series it draws and the ``frame_key`` of other frames (events).
    """
    return _shared_result(name, data.data_version(), key, build)


@shared(max_entries=128)
def _shared_result(name: str, data_version: str, key: tuple, _build: Callable[[], T]) -> T:
    return _build()


def build_shared(build: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``build(*args, **kwargs)``, made once per builder and inputs and shared by every session: show it, do not
    modify it.

    The key is derived from the inputs themselves, so no input can be forgotten: a ``data.SeriesData`` by its
    id, sha256 and data version; a frame by its content (``frame_key``); a dataclass, dict, list or tuple by
    each of its values; and the data version of the run. ``build`` must be a module-level function (it is
    named in the key by its module and name).

    >>> build_shared(divmod, 7, 2)
    (3, 1)
    """
    name = f"{build.__module__}.{build.__qualname__}"
    return _build_shared(name, data.data_version(), args, kwargs, build)


@st.cache_resource(
    show_spinner=False,
    max_entries=256,
    hash_funcs={data.SeriesData: lambda s: (s.id, s.sha256, s.version), pd.DataFrame: lambda f: frame_key(f)},
)
def _build_shared(name: str, data_version: str, args: tuple, kwargs: dict, _build: Callable[..., T]) -> T:
    return _remember_frames(_build(*args, **kwargs))


# A shared result is never modified (see the module's docstring), so the content key of a frame in it can be
# kept with it: a page that passes that frame on to another shared builder in every run then pays a dict
# look-up instead of pickling it (about 0.5 ms a frame). Entries leave with their frame.
_kept_keys: dict[int, tuple[weakref.ref, str]] = {}


def _remember_frames(result: T) -> T:
    frames = result.values() if isinstance(result, dict) else [result]
    for frame in frames:
        if isinstance(frame, pd.DataFrame):
            key = _content_key(frame)
            ident = id(frame)
            _kept_keys[ident] = (weakref.ref(frame, lambda _, ident=ident: _kept_keys.pop(ident, None)), key)
    return result


def snapshot_key(series_ids: Iterable[str]) -> tuple[str, ...]:
    """The sha256 of each series' snapshot (empty for an unknown id), so a cached result follows a refresh."""
    shas = data.snapshot_sha256s()
    return tuple(shas.get(sid, "") for sid in series_ids)


def frame_key(frame: pd.DataFrame | None) -> str:
    """A fingerprint of a frame's content (the events, a filtered list of them), from its pickle.

    Frames that differ in any cell get different keys; the same frame read again (``data.events()`` in every
    run) gets the same key. (An equal frame built differently, e.g. a deep copy, may get another key: a
    result is then built again, never a wrong one shown.) About 0.2 ms for the 28 events; use
    ``snapshot_key`` for series read from snapshots.
    """
    if frame is None:
        return ""
    kept = _kept_keys.get(id(frame))
    if kept is not None and kept[0]() is frame:
        return kept[1]
    return _content_key(frame)


def _content_key(frame: pd.DataFrame) -> str:
    return hashlib.blake2b(pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).hexdigest()
