"""Topics are catalog data: one label per topic in each language, used by Explore and Sources alike,
and a series naming a topic the catalog does not list is refused with the allowed ones."""

from pathlib import Path

import pytest

import loaders
from app.views.explore_series import series_label, sorted_series
from app.views.publishers import sources_table
from loaders.errors import ValidationError
from loaders.metadata import read_catalog
from loaders.settings import data_dir

CATALOG_TEXT = (data_dir() / "catalog.yaml").read_text(encoding="utf-8")


def catalog_with(tmp_path: Path, text: str) -> Path:
    (tmp_path / "catalog.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_series_with_an_unknown_topic_is_refused_naming_series_field_and_allowed_topics(tmp_path):
    text = CATALOG_TEXT.replace("  topic: migration\n", "  topic: migrations\n", 1)
    with pytest.raises(ValidationError) as refused:
        read_catalog(catalog_with(tmp_path, text))
    message = str(refused.value)
    assert "field 'topic' is 'migrations'" in message and "series '" in message
    assert "expected one of: oil_prices, oil_production, inflation, gdp, economy, trade, migration, society" in message


def test_a_topic_without_its_spanish_label_is_refused(tmp_path):
    text = CATALOG_TEXT.replace("    es: Sociedad\n", "", 1)
    with pytest.raises(ValidationError, match="topic 'society': field 'es' .* missing or empty"):
        read_catalog(catalog_with(tmp_path, text))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_explore_and_sources_name_each_topic_with_the_catalogs_one_label(lang):
    catalog = loaders.catalog()
    labels = read_catalog().topics
    table = sources_table(catalog, lang).set_index("id")
    for sid in catalog.index:
        label = labels[catalog.loc[sid, "topic"]][lang]
        assert series_label(catalog, sid, lang).startswith(f"{label} · ")
        assert table.loc[sid, "topic"] == label


def test_explore_lists_series_in_the_catalogs_topic_order():
    catalog = loaders.catalog()
    order = list(read_catalog().topics)
    listed_topics = [catalog.loc[sid, "topic"] for sid in sorted_series(catalog, "en")]
    assert [order.index(t) for t in listed_topics] == sorted(order.index(t) for t in listed_topics)
    assert listed_topics[0] == "oil_prices"
