"""What the pages share between sessions (app.runtime): keys that follow the data, and the garbage
collector's frozen generation, which must not keep dead objects for good."""

from __future__ import annotations

import dataclasses
import gc
import weakref

import pandas as pd
import pytest

from app.runtime import cache, data, gc_tuning
from app.transforms import change_from_year_ago
from tests.publishers import copy_data_dir


def test_an_edit_to_the_data_folder_gives_new_keys_so_the_next_run_reads_it_again(tmp_path, monkeypatch):
    """One invalidation path: the data folder's version is part of every reader's key; no cache is cleared."""
    folder = copy_data_dir(tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA", str(folder))
    cache.note_data_version()
    before, units = cache.data_version(), data.series_catalog()["unit_en"]
    catalog = folder / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("en: '% change'", "en: '% edited'", 1), "utf-8")
    assert cache.data_version() == before  # a run sees one version from its start to its end
    cache.note_data_version()  # the next run
    assert cache.data_version() != before
    assert (data.series_catalog()["unit_en"] == "% edited").sum() == (units == "% change").sum() > 0
    monkeypatch.delenv("DASHBOARD_DATA")
    cache.note_data_version()


def test_frame_key_is_the_same_for_the_events_read_again_and_changes_with_any_cell():
    events = data.events()
    edited = events.copy()
    edited.loc[3, "quote"] = edited.loc[3, "quote"] + "."
    assert cache.frame_key(events) == cache.frame_key(data.events())  # what every run of a page reads
    assert cache.frame_key(edited) != cache.frame_key(events)
    assert cache.frame_key(events.iloc[:-1]) != cache.frame_key(events)


_built: list[tuple] = []


def _counted(n: int, lang: str) -> list:
    _built.append((n, lang))
    return [n, lang]


def test_a_shared_result_is_built_once_per_key():
    _built.clear()
    first = cache.build_shared(_counted, 1, "en")
    again = cache.build_shared(_counted, 1, "en")
    other = cache.build_shared(_counted, 1, "es")
    assert first is again and other == [1, "es"] and _built == [(1, "en"), (1, "es")]


def test_a_shared_builder_must_be_a_module_level_function_and_its_inputs_keyable():
    with pytest.raises(TypeError, match="module-level builder"):
        cache.build_shared(lambda: 1)
    with pytest.raises(TypeError, match="cannot key a object"):
        cache.build_shared(_counted, object(), "en")
    assert cache.input_key(True) != cache.input_key(1) and cache.input_key((1,)) != cache.input_key([1])
    assert cache.input_key(float("nan")) == cache.input_key(float("nan"))  # found again, though NaN != NaN


def test_objects_that_die_frozen_are_freed_after_the_next_thaw(monkeypatch):
    class Node:
        pass

    node = Node()
    node.me = node  # a reference cycle: only the collector frees it
    dead = weakref.ref(node)
    # An earlier test in this process may have left a thaw waiting for its full collection: start from
    # "collected since the last thaw", as a server is between runs.
    monkeypatch.setattr(gc_tuning, "_collected_since_thaw", True)
    monkeypatch.setattr(gc_tuning, "_last_thaw", 1e18)  # no thaw due: freeze
    gc_tuning.keep_long_lived_frozen()
    assert gc.get_freeze_count() > 0
    del node
    gc.collect()
    assert dead() is not None  # frozen: the collector does not look at it
    monkeypatch.setattr(gc_tuning, "_last_thaw", 0.0)  # a thaw is due
    gc_tuning.keep_long_lived_frozen()
    gc.collect()  # Streamlit's collection after a run
    assert dead() is None
    gc_tuning.keep_long_lived_frozen()  # after a full collection, runs freeze again
    assert gc.get_freeze_count() > 0
    gc.unfreeze()  # leave the test process's collector as it was


def _change_from_year_ago_by_merge(frame: pd.DataFrame) -> pd.DataFrame:
    """The year-ago change as pandas' merge_asof finds it (how transforms did it before; the reference)."""
    if frame.empty:
        return frame
    out = []
    for _, group in frame.sort_values("date").groupby("country", sort=True):
        earlier = group[["date", "value"]].rename(columns={"value": "earlier"})
        earlier = earlier.assign(date=earlier["date"] + pd.DateOffset(years=1))
        merged = pd.merge_asof(group, earlier, on="date", direction="backward", tolerance=pd.Timedelta(days=7))
        merged = merged[merged["earlier"].notna() & (merged["earlier"] != 0)]
        merged["value"] = (merged["value"] / merged["earlier"] - 1.0) * 100.0
        out.append(merged.drop(columns="earlier"))
    return pd.concat(out, ignore_index=True)[frame.columns.tolist()] if out else frame.iloc[0:0]


@pytest.mark.parametrize("seed", range(40))
def test_change_from_year_ago_finds_what_merge_asof_finds(seed):
    """Irregular days (a year and 6, 7 or 8 days apart, 29 February), repeated dates, zeros, gaps, projections."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 80))
    offsets = rng.choice([0, 1, 6, 7, 8, 59, 365, 366, 371, 372, 373, 730], size=n) + rng.integers(0, 3, size=n) * 365
    dates = pd.Timestamp("2015-02-20") + pd.to_timedelta(offsets, unit="D")
    frame = pd.DataFrame(
        {
            "date": dates,
            "country": rng.choice(["VEN", "COL", "WLD"], size=n),
            "value": rng.choice([0.0, 1.0, -2.5, np.nan, 3.0, 100.0, 0.37], size=n),
            "status": rng.choice(["actual", "projection"], size=n),
        }
    ).sample(frac=1.0, random_state=seed)
    pd.testing.assert_frame_equal(change_from_year_ago(frame), _change_from_year_ago_by_merge(frame), check_exact=True)


def test_change_from_year_ago_of_every_snapshot_is_what_merge_asof_finds():
    for sid in data.series_catalog().index:
        frame = data.series(sid)
        pd.testing.assert_frame_equal(change_from_year_ago(frame), _change_from_year_ago_by_merge(frame))


# ---------------------------------------------------------------- shared builders: the key is every input
def _echo(*args, **kwargs):
    """A builder that returns what it was given, so a result shows which inputs it was built from."""
    return args, kwargs


def test_a_shared_builder_gives_a_different_result_when_any_one_input_differs():
    from app.charts.figures import ChartText

    frame = pd.DataFrame({"date": pd.to_datetime(["2020-01-01"]), "country": ["VEN"], "value": [1.0]})
    series = data.series_data("inflation_avg_imf_pct")
    base = dict(frame=frame, text=ChartText(title="a", source="s"), lang="en", names={"a": "A"}, series=series)
    variants = {
        "frame": frame.assign(value=2.0),
        "text": ChartText(title="a", source="t"),
        "lang": "es",
        "names": {"a": "B"},
        "series": data.series_data("inflation_eop_imf_pct"),
    }
    first = cache.build_shared(_echo, **base)
    assert cache.build_shared(_echo, **base) is first  # the same inputs: the same shared object
    for field, other in variants.items():
        changed = cache.build_shared(_echo, **(base | {field: other}))
        assert changed is not first and changed[1][field] is other, f"{field} is not part of the key"


def test_a_series_handle_is_keyed_by_its_sha256_not_by_hashing_its_frame():
    series = data.series_data("inflation_avg_imf_pct")
    assert series.sha256 == data.series_catalog().loc["inflation_avg_imf_pct", "sha256"]
    assert series.source_line("en") == data.source_line(["inflation_avg_imf_pct"], "en")
    same_id_other_sha = dataclasses.replace(series, sha256="0" * 64)
    assert cache.build_shared(_echo, same_id_other_sha) is not cache.build_shared(_echo, series)


@pytest.mark.parametrize("field", ["title", "y_title", "source", "left_out"])
def test_the_inflation_figure_follows_every_word_of_its_chart_text(field):
    from app.charts.figures import ChartText
    from app.views.inflation import inflation_figure

    frames = {"inflation_avg_imf_pct": data.series("inflation_avg_imf_pct").query("country == 'VEN'")}
    words = dict(title="T", y_title="Y", source="S", left_out="L {n} {value} {date}")
    build = lambda text: cache.build_shared(inflation_figure, frames, {"inflation_avg_imf_pct": "IMF"}, None, text)  # noqa: E731
    assert build(ChartText(**words)) is not build(ChartText(**(words | {field: words[field] + "!"})))


def test_two_sessions_asking_at_once_for_the_same_result_build_it_once():
    import threading

    _built.clear()
    start = threading.Barrier(4)

    def ask():
        start.wait()
        cache.build_shared(_slow_counted, 7, "en")

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _built == [(7, "en")]


def _slow_counted(n: int, lang: str) -> list:
    import time

    time.sleep(0.05)
    return _counted(n, lang)


def test_the_oldest_results_leave_first_when_the_store_is_full(monkeypatch):
    monkeypatch.setattr(cache, "MAX_RESULTS", 2)
    monkeypatch.setattr(cache, "_results", cache.OrderedDict())
    _built.clear()
    cache.build_shared(_counted, 1, "a")
    cache.build_shared(_counted, 2, "a")
    cache.build_shared(_counted, 1, "a")  # used again: now the newest
    cache.build_shared(_counted, 3, "a")  # the store is full: 2 leaves
    cache.build_shared(_counted, 1, "a")
    cache.build_shared(_counted, 2, "a")
    assert _built == [(1, "a"), (2, "a"), (3, "a"), (2, "a")]


def _marks(n: int) -> list[dict]:
    return [{"x": i} for i in range(n)]


def _count_marks(marks: list[dict]) -> int:
    return len(marks)


def test_a_shared_list_passed_on_is_keyed_by_how_it_was_built_and_by_its_content_once_it_has_left(monkeypatch):
    monkeypatch.setattr(cache, "MAX_RESULTS", 2)
    monkeypatch.setattr(cache, "_results", cache.OrderedDict())
    monkeypatch.setattr(cache, "_result_keys", {})
    three, four = cache.build_shared(_marks, 3), cache.build_shared(_marks, 4)
    assert cache.input_key(three) != cache.input_key(four)
    assert cache.input_key(three)[0] == "shared"
    assert cache.build_shared(_count_marks, three) == 3 and cache.build_shared(_count_marks, four) == 4
    # Both have left the store (two newer results came in): a list equal to one of them is keyed by its content.
    assert cache.input_key(three) == cache.input_key(_marks(3)) != cache.input_key(_marks(4))
    assert cache._result_keys == {id(r): k for k, r in cache._results.items() if isinstance(r, list | dict)}
