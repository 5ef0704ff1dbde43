"""Garbage-collector tuning for a long-running Streamlit server: keep the collection after every run cheap.

Importing this module freezes what exists (Streamlit, pandas and Plotly's classes); ``keep_long_lived_frozen``
keeps that up at the start of every run. See ``bench/`` for what it saves.
"""

from __future__ import annotations

import gc
import time

import plotly.graph_objects as go

# How often objects frozen by ``keep_long_lived_frozen`` are thawed, so that the next full collection reclaims
# those that have died since (an evicted cached figure, a closed session, another run's leftovers).
THAW_EVERY_S = 10.0
_last_thaw = 0.0
_collected_since_thaw = True


def _freeze_long_lived_objects() -> None:
    """Make Streamlit's full garbage collection after every script run (``runner.postScriptGC``) cheap.

    With Streamlit, pandas and Plotly loaded, that collection walks some 150,000 long-lived objects
    (modules, classes, validators) and cost 40-70 ms per rerun on the benchmark machine, more than most
    pages' own work. ``gc.freeze()`` moves the objects that exist now into a permanent generation the
    collector skips; everything made later (frames, figures, sessions) is collected as before (and
    objects without reference cycles are freed by reference counting in any case).
    Runs when the first page imports this module; ``keep_long_lived_frozen`` keeps it up. See ``bench/``.
    """
    global _last_thaw
    go.Figure(go.Scatter(x=[0], y=[0]), layout={"title": {"text": ""}})  # load Plotly's lazily imported classes
    gc.collect()
    gc.freeze()
    _last_thaw = time.monotonic()
    gc.callbacks.append(_note_full_collection)


def _note_full_collection(phase: str, info: dict) -> None:
    global _collected_since_thaw
    if phase == "stop" and info.get("generation") == 2:
        _collected_since_thaw = True


def keep_long_lived_frozen() -> None:
    """Freeze again at the start of every script run (``ui.language_selector``, which dashboard.py runs first).

    What exists when a run starts has outlived a run: pages' imports, the shared caches (``app.runtime.cache``:
    figures, frames), sessions and their widgets. Left in the collector's oldest generation, each of them
    would be walked by the full collection after every run of every session: with a class of thirty on
    Explore that grew to 80,000 objects and 30 ms of CPU per run, a third of the server's time. Frozen,
    the collection after a run walks what that run made (freezing itself is cheap: it moves a list).

    Objects that die while frozen (an evicted cache entry, part of a run still going in another session)
    are freed by reference counting as usual; those in reference cycles wait for the next thaw: every
    ``THAW_EVERY_S`` everything is unfrozen until one full collection (the one after some run) has walked
    it all and freed them, then runs freeze again.
    """
    global _last_thaw, _collected_since_thaw
    if not _collected_since_thaw:
        return  # thawed, and no full collection since
    now = time.monotonic()
    if now - _last_thaw >= THAW_EVERY_S:
        gc.unfreeze()
        _last_thaw = now
        _collected_since_thaw = False
    else:
        gc.freeze()


_freeze_long_lived_objects()
