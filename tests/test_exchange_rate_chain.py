"""The bolívar per US dollar chained across the redenominations: the rule, its sidecar, and `validate`."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
import yaml

import loaders
from loaders.__main__ import main
from loaders.metadata import read_catalog
from loaders.refresh import refresh
from loaders.sources import derived
from tests.publishers import REPO, small_data_dir

CHAINED, FRED = "exchange_rate_chained_ves_per_usd", "exchange_rate_official_fred_lcu_per_usd"
# FRED's EXVZUS around each change of unit, as published (bolívares of the time per US$).
FIXTURE = b"""date,country,value
2007-12-01,VEN,2.1446
2008-01-01,VEN,2.1446
2018-07-01,VEN,129228.5
2018-08-01,VEN,2495016.1501
2018-09-01,VEN,61.4953
2021-09-01,VEN,4063529.5303
2021-10-01,VEN,4191337.2125
2021-11-01,VEN,4.4848
"""


def entry() -> dict:
    return read_catalog().series[CHAINED]


def test_each_month_is_in_todays_bolivares_and_the_mixed_month_is_dropped():
    frame = derived.parse([FIXTURE], entry())
    values = dict(zip(frame["date"].dt.strftime("%Y-%m"), frame["value"], strict=True))
    assert "2018-08" not in values  # FRED averages two units in it: left out, not averaged
    assert values["2007-12"] == values["2008-01"] == pytest.approx(2.1446e-11)  # FRED restated 2007 already
    assert values["2018-07"] == pytest.approx(129228.5 / 1e11)
    assert values["2018-09"] == pytest.approx(61.4953 / 1e6)
    # FRED's October 2021 is still in the old unit (a month late): divided like September, so no false 1e6 jump.
    assert values["2021-10"] == pytest.approx(4.1913372125)
    assert values["2021-10"] / values["2021-09"] == pytest.approx(1.0314, abs=1e-4)
    assert values["2021-11"] / values["2021-10"] == pytest.approx(1.07, abs=0.01)


def test_the_recipe_and_the_input_checksum_go_to_the_sidecar():
    frame = derived.parse([FIXTURE], entry())
    provenance = frame.attrs["provenance"]
    assert provenance["inputs"] == [{"series_id": FRED, "sha256": loaders.store.sha256(FIXTURE)}]
    assert [(r["date"], r["factor"]) for r in provenance["redenominations"]] == [
        ("2008-01-01", 1000),
        ("2018-08-20", 100000),
        ("2021-10-01", 1000000),
    ]
    assert provenance["mixed_months_dropped"] == ["2018-08"]


def test_every_redenomination_in_the_table_cites_a_source():
    assert all(str(r["url"]).startswith("https://") for r in entry()["redenominations"])


def test_committed_snapshot_matches_its_recorded_input():
    sidecar = json.loads((REPO / "data" / "snapshots" / f"{CHAINED}.json").read_text())
    fred_csv = (REPO / "data" / "snapshots" / f"{FRED}.csv").read_bytes()
    assert sidecar["inputs"] == [{"series_id": FRED, "sha256": loaders.store.sha256(fred_csv)}]
    chained = loaders.load(CHAINED).set_index("date")["value"]
    fred = loaders.load(FRED).set_index("date")["value"]
    assert pd.Timestamp("2018-08-01") in fred.index and pd.Timestamp("2018-08-01") not in chained.index
    assert len(chained) == len(fred) - 1
    # At the changes of unit the line moves as much as the months around it, not by a power of ten.
    step = chained / chained.shift(1)
    assert step[pd.Timestamp("2008-01-01")] == pytest.approx(1.0)
    assert 1.0 < step[pd.Timestamp("2021-11-01")] < 1.2 and 1.0 < step[pd.Timestamp("2021-10-01")] < 1.2


def test_validate_recomputes_it_and_names_what_changed(tmp_path, capsys):
    data = small_data_dir(tmp_path / "data", [FRED, CHAINED])
    (data / "snapshots").mkdir()
    for sid in (FRED, CHAINED):
        for ext in ("csv", "json"):
            shutil.copy(REPO / "data" / "snapshots" / f"{sid}.{ext}", data / "snapshots" / f"{sid}.{ext}")
    assert main(["--data-dir", str(data), "validate"]) == 0
    doc = yaml.safe_load((data / "catalog.yaml").read_text())
    chained = next(e for e in doc["series"] if e["id"] == CHAINED)
    chained["redenominations"][2]["factor"] = 1000  # a wrong factor in the table
    (data / "catalog.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    capsys.readouterr()
    assert main(["--data-dir", str(data), "validate"]) == 1
    assert f"{CHAINED}: recomputing it from its inputs and the catalog's factors gives other values" in (
        capsys.readouterr().out
    )


def test_refresh_computes_it_after_its_input_is_written(tmp_path, fake_http):
    """The chained series is computed from the FRED snapshot this very refresh wrote."""
    http = fake_http(b"observation_date,EXVZUS\n" + FIXTURE.split(b"\n", 1)[1].replace(b",VEN,", b","), "text/csv")
    data = small_data_dir(tmp_path / "data", [FRED, CHAINED])
    outcomes = refresh(data_dir=data, http=http, progress=False)
    assert [(o.series_id, o.status) for o in outcomes] == [(FRED, "updated"), (CHAINED, "updated")]
    sidecar = json.loads((data / "snapshots" / f"{CHAINED}.json").read_text())
    assert sidecar["inputs"][0]["sha256"] == loaders.store.sha256((data / "snapshots" / f"{FRED}.csv").read_bytes())


def test_bcv_2025_monthly_means_agree_with_fred():
    """EXVZUS covers 2025 itself, so the chain does not splice in the BCV; the two official sources agree."""
    bcv = loaders.load("exchange_rate_bcv_ves_per_usd")
    monthly = bcv.groupby(bcv["date"].dt.to_period("M"))["value"].mean()
    chained = loaders.load(CHAINED).set_index(loaders.load(CHAINED)["date"].dt.to_period("M"))["value"]
    ratio = (monthly / chained.reindex(monthly.index)).dropna()
    assert len(ratio) >= 9 and ratio.between(0.9, 1.1).all()
