"""Every number a story step or a claim quotes from a series is recomputed from its snapshot.

Each step of ``data/stories/*.yaml`` and each claim of ``data/claims.yaml`` lists, under ``figures``, the
numbers its notes read straight from a series: ``{series, date, value[, country, scale]}`` (country defaults
to VEN; ``scale`` divides the snapshot value; ``value`` has exactly the decimals the text shows). The
snapshot value is rounded to those decimals and must equal ``value``, and the number must appear in the
English text written the English way (65,374 / 111.80) and in the Spanish text the Spanish way (65.374 /
111,80). A fall written in words ("shrank by 27.6%") is found by its size: a negative figure is looked up
without its sign.

Numbers a note derives from a series (yearly averages of monthly prices, changes between two years) are
recomputed by the tests at the end of this file.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

import pandas as pd
import pytest
import yaml

import loaders
from loaders import settings

DEFAULT_COUNTRY = "VEN"


def _records() -> list[tuple[str, dict, dict[str, str]]]:
    """(where, figure, {lang: text}) for every figure of every story step and claim."""
    out = []
    for path in sorted(settings.stories_dir().glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, step in enumerate(doc["steps"], start=1):
            texts = {
                lang: step["notes"][lang] + " " + (step.get("question") or {}).get(lang, "") for lang in ("en", "es")
            }
            out += [(f"{path.name} step {number}", fig, texts) for fig in step.get("figures") or []]
    claims = yaml.safe_load(settings.claims_path().read_text(encoding="utf-8")).get("claims") or []
    for claim in claims:
        texts = {
            lang: " ".join(str((claim.get(field) or {}).get(lang, "")) for field in ("note", "no_series_note"))
            for lang in ("en", "es")
        }
        out += [(f"claims.yaml {claim['id']}", fig, texts) for fig in claim.get("figures") or []]
    return out


RECORDS = _records()


@cache
def _series(series_id: str) -> pd.DataFrame:
    return loaders.load(series_id)


def snapshot_value(figure: dict) -> float:
    """The snapshot row the figure names: its series, country and the first day of its year/month, or its day."""
    date = str(figure["date"])
    day = {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date)
    frame = _series(figure["series"])
    country = figure.get("country", DEFAULT_COUNTRY)
    hit = frame[(frame["country"] == country) & (frame["date"] == pd.Timestamp(day))]
    assert len(hit) == 1, f"{figure['series']}: no single row for {country} on {day} (found {len(hit)})"
    return float(hit["value"].iloc[0]) / float(figure.get("scale", 1))


def decimals(value: str) -> int:
    return len(value.split(".")[1]) if "." in value else 0


def rounded(value: float, places: int) -> str:
    """The value to ``places`` decimals, as the shortest exact decimal of the float (not its binary error)."""
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN))


def written(value: str, lang: str) -> str:
    """'65374' → '65,374' (en) / '65.374' (es); '111.80' → '111.80' / '111,80'. No sign: see the module doc."""
    whole, _, frac = value.lstrip("-").partition(".")
    groups = f"{int(whole):,}"
    if lang == "es":
        return groups.replace(",", ".") + ("," + frac if frac else "")
    return groups + ("." + frac if frac else "")


def appears(number: str, text: str) -> bool:
    """The number stands alone in the text: not part of a longer number (3.1 is not in 3.15 or 23.1)."""
    return re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)", text) is not None


@pytest.mark.parametrize(
    ("where", "figure", "texts"), RECORDS, ids=[f"{w}:{f['series']}:{f['date']}" for w, f, _ in RECORDS]
)
def test_each_number_in_a_text_is_the_snapshot_value_in_both_languages(where: str, figure: dict, texts: dict) -> None:
    value = str(figure["value"])
    got = rounded(snapshot_value(figure), decimals(value))
    assert got.lstrip("-") == value.lstrip("-") and (got.startswith("-") == value.startswith("-") or got == "0"), (
        f"{where}: {figure['series']} {figure['date']} is {got} in the snapshot; the text says {value}"
    )
    for lang in ("en", "es"):
        assert appears(written(value, lang), texts[lang]), (
            f"{where}: the {lang} text does not show {written(value, lang)} ({figure['series']} {figure['date']})"
        )


def test_every_story_step_that_quotes_a_series_lists_its_figures() -> None:
    for path in sorted(settings.stories_dir().glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        missing = [n for n, step in enumerate(doc["steps"], start=1) if not step.get("figures")]
        assert not missing, f"{path.name}: steps {missing} quote numbers but list no figures"


def test_a_number_that_drifts_from_its_snapshot_fails() -> None:
    """The check above would catch a slip: Brent in December 1998 was 9.82, not 9.80."""
    figure = {"series": "oil_price_brent_monthly_usd_per_barrel", "country": "WLD", "date": "1998-12", "value": "9.80"}
    assert rounded(snapshot_value(figure), 2) == "9.82"
    assert written("65374", "en") == "65,374" and written("65374", "es") == "65.374"
    assert written("111.80", "es") == "111,80" and not appears("3.1", "3.15 million")


# --- numbers the notes derive from a series -----------------------------------------------------------------------


def _step_notes(story: str, number: int) -> dict[str, str]:
    doc = yaml.safe_load((settings.stories_dir() / f"{story}.yaml").read_text(encoding="utf-8"))
    return doc["steps"][number - 1]["notes"]


def _venezuela(series_id: str) -> pd.Series:
    frame = _series(series_id)
    frame = frame[frame["country"] == DEFAULT_COUNTRY]
    return frame.set_index(frame["date"].dt.year)["value"]


def _brent_yearly() -> pd.Series:
    """Yearly Brent as the stories say it: the mean of each year's monthly averages."""
    frame = _series("oil_price_brent_monthly_usd_per_barrel")
    return frame.groupby(frame["date"].dt.year)["value"].mean()


@pytest.mark.parametrize(
    ("story", "step", "years"),
    [("revolution_1992_2025", 2, (1996, 1997)), ("revolution_1992_2025", 5, (1998, 2007)),
     ("revolution_1992_2025", 8, (2014, 2015, 2016))],
)  # fmt: skip
def test_yearly_brent_averages_are_the_means_of_the_monthly_averages(story: str, step: int, years: tuple) -> None:
    notes, yearly = _step_notes(story, step), _brent_yearly()
    for year in years:
        shown = rounded(float(yearly[year]), 1)
        for lang in ("en", "es"):
            assert appears(written(shown, lang), notes[lang]), f"{story} step {step} ({lang}): Brent {year} is {shown}"
        assert "monthly averages" in notes["en"] and "promedios mensuales" in notes["es"]


def test_changes_the_stories_state_are_recomputed() -> None:
    """The oil-price fall of 2014–16, US-dollar GDP 2012→2020 against real GDP, and the 2013 dollar-GDP drop."""
    brent = _series("oil_price_brent_monthly_usd_per_barrel").set_index("date")["value"]
    crash = round((1 - brent[pd.Timestamp("2016-01-01")] / brent[pd.Timestamp("2014-06-01")]) * 100)
    usd = _venezuela("gdp_imf_usd_bn")
    usd_fall = round((1 - usd[2020] / usd[2012]) * 100)
    growth = _venezuela("gdp_growth_imf_pct")
    real_fall = round((1 - (1 + growth.loc[2013:2020] / 100).prod()) * 100)
    per_person = _venezuela("gdp_per_capita_wb_usd")
    per_person_fall = round((1 - per_person[2013] / per_person[2012]) * 100)
    assert (crash, usd_fall, real_fall, per_person_fall) == (73, 89, 74, 31)
    gdp_step = _step_notes("revolution_1992_2025", 14)
    for lang, words in (("en", ("89% less", "fell 31%", "about 74%")), ("es", ("89% menos", "un 31%", "un 74%"))):
        assert all(w in gdp_step[lang] for w in words), f"revolution step 14 ({lang}) must say {words}"
    for story, step in (("revolution_1992_2025", 8), ("hyperinflation_2014_2021", 1)):
        assert "73%" in _step_notes(story, step)["en"] and "73%" in _step_notes(story, step)["es"]


def test_the_official_exchange_rate_description_matches_its_snapshot() -> None:
    """Bolívares fuertes throughout (1998 = 0.548), the last year, and Ecuador's dollarisation jump."""
    rate = _series("exchange_rate_official_wb_lcu_per_usd")
    rate = rate.set_index(rate["date"].dt.year)
    ven, ecu = (rate.loc[rate["country"] == country, "value"] for country in ("VEN", "ECU"))
    shown = {
        "1998": rounded(float(ven[1998]), 3),
        "last": str(ven.index.max()),
        "sucres": rounded(float(ecu[1999]), 0),
        "dollar": rounded(float(ecu[2000]), 1),
    }
    assert shown == {"1998": "0.548", "last": "2017", "sucres": "11787", "dollar": "1.0"}
    entry = loaders.catalog().loc["exchange_rate_official_wb_lcu_per_usd"]
    for lang in ("en", "es"):
        text = entry[f"description_{lang}"]
        for number in (shown["1998"], shown["sucres"], shown["dollar"]):
            assert appears(written(number, lang), text), f"description_{lang} does not show {written(number, lang)}"
        assert f"ends in {shown['last']}" in text or f"termina en {shown['last']}" in text
