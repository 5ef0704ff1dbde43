"""A running dashboard shows refreshed data and edited events on the next page load, without a restart."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from loaders.metadata import read_catalog
from loaders.store import read_snapshot, snapshot_paths, write_snapshot
from tests.browser import browser_page, chromium_path, running_app, screenshot, wait_until_drawn
from tests.publishers import copy_data_dir

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]

PRODUCTION = "oil_production_ei_thousand_barrels_per_day"


def _add_a_year_of_production(data_dir) -> int:
    """What a refresh does when the publisher adds a year: a new snapshot and sidecar, written by the store."""
    frame = read_snapshot(data_dir, PRODUCTION)
    last = frame[frame["country"] == "VEN"].iloc[[-1]].copy()
    last["date"] = last["date"] + pd.DateOffset(years=1)
    grown = pd.concat([frame, last]).sort_values(["country", "date"], ignore_index=True)
    sidecar = json.loads(snapshot_paths(data_dir, PRODUCTION)[1].read_text(encoding="utf-8"))
    provenance = {key: sidecar[key] for key in ("urls", "retrieved_at", "source_last_updated")}
    assert write_snapshot(data_dir, read_catalog(data_dir), PRODUCTION, grown, provenance)
    return last["date"].iloc[0].year


def test_a_refresh_and_an_edited_event_show_without_restarting_the_dashboard(tmp_path):
    data_dir = copy_data_dir(tmp_path / "data")
    with running_app(env={"DASHBOARD_DATA": str(data_dir)}) as url, browser_page() as page:
        page.goto(f"{url}/?lang=en")
        wait_until_drawn(page, 4)
        before = page.inner_text("body")
        page.goto(f"{url}/events?lang=en")
        wait_until_drawn(page, 1)
        assert "Caracazo" in page.inner_text("body")

        year = _add_a_year_of_production(data_dir)
        events = data_dir / "events.yaml"
        events.write_text(
            events.read_text(encoding="utf-8").replace("IMF austerity; Caracazo", "IMF plan; Caracazo riots"),
            encoding="utf-8",
        )

        page.goto(f"{url}/?lang=en")
        wait_until_drawn(page, 4)
        after = page.inner_text("body")
        screenshot(page, "refresh-overview")
        page.goto(f"{url}/events?lang=en")
        wait_until_drawn(page, 1)
        events_text = page.inner_text("body")
    assert f"Oil production {year}" not in before
    assert f"Oil production {year}" in after, "the Overview still shows the snapshot from before the refresh"
    assert "IMF plan; Caracazo riots" in events_text, "the Events page still shows the event as it was"
