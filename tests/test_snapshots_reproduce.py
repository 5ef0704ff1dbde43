"""The committed snapshots are exactly what the project's own refresh makes from the publishers' answers."""

from __future__ import annotations

import json

import pytest

from loaders.http import Http
from loaders.refresh import refresh
from tests.publishers import REPO, small_data_dir
from tests.upstream import SERVE, upstream_mirror

pytestmark = pytest.mark.skipif(not SERVE.exists(), reason=f"{SERVE} not present: reproduction check skipped")

# Fields that record when and through which mirror a refresh ran, not what it fetched.
RUN_FIELDS = {"retrieved_at", "fetched_urls", "mirror"}


def test_refresh_against_mirror_reproduces_committed_snapshots(tmp_path, monkeypatch):
    monkeypatch.setenv("EIA_API_KEY", "any-key-the-mirror-accepts")  # the EIA API needs one; the mirror takes any
    committed = REPO / "data" / "snapshots"
    series = sorted(p.stem for p in committed.glob("*.csv"))
    assert len(series) >= 30
    data_dir = small_data_dir(tmp_path / "data", series)
    with upstream_mirror() as base_url:
        outcomes = refresh(data_dir=data_dir, http=Http(mirror=base_url), progress=False)
    assert [o for o in outcomes if o.status != "updated"] == []
    for sid in series:
        fresh, kept = data_dir / "snapshots" / f"{sid}.csv", committed / f"{sid}.csv"
        assert fresh.read_bytes() == kept.read_bytes(), f"{sid}.csv differs from a fresh refresh"
        new_meta = json.loads((data_dir / "snapshots" / f"{sid}.json").read_text())
        old_meta = json.loads((committed / f"{sid}.json").read_text())
        assert {k: v for k, v in new_meta.items() if k not in RUN_FIELDS} == {
            k: v for k, v in old_meta.items() if k not in RUN_FIELDS
        }, f"{sid}.json differs beyond retrieval time and mirror"
