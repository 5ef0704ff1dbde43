"""Every registered source's parser, on its own fixtures, gives the one tidy shape the rest of the project reads.

Each source keeps in ``tests/fixtures/<source>/contract.yaml`` a catalog entry and the fixture files that
make one good answer; a new publisher without them fails here, saying what to add.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest
import yaml

from loaders.localfile import STATUSES
from loaders.metadata import is_country_code
from loaders.sources import SOURCES
from tests.publishers import REPO

FIXTURES = REPO / "tests" / "fixtures"


def contract_case(source: str, tmp_path: Path) -> tuple[dict, list[bytes]]:
    """The source's contract entry and answer bodies; a local file's entry points at a data folder holding it."""
    path = FIXTURES / source / "contract.yaml"
    assert path.is_file(), (
        f"{source} has no {path.relative_to(REPO)}: add one with 'entry:' (a catalog entry) and "
        "'bodies:' (file names in that folder that make one good answer)"
    )
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    bodies = [(path.parent / name).read_bytes() for name in case["bodies"]]
    return case["entry"] | {"data_dir": str(tmp_path)}, bodies


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_parse_gives_the_tidy_frame(source, tmp_path):
    entry, bodies = contract_case(source, tmp_path)
    frame = SOURCES[source].parse(bodies, entry)

    assert list(frame.columns)[:3] == ["date", "country", "value"]
    assert set(frame.columns) <= {"date", "country", "value", "status"}, list(frame.columns)
    assert len(frame) > 0, f"{source}: the contract fixtures gave no rows"
    assert pd.api.types.is_datetime64_any_dtype(frame["date"]), frame["date"].dtype
    assert pd.api.types.is_float_dtype(frame["value"]), frame["value"].dtype
    assert frame["value"].notna().all(), "missing observations must be dropped"
    bad_codes = sorted({c for c in frame["country"] if not is_country_code(c)})
    assert not bad_codes, f"{source}: not ISO3 country codes: {bad_codes}"
    if "status" in frame:
        assert set(frame["status"]) <= {"", *STATUSES}, set(frame["status"])
    order = frame[["country", "date"]]
    assert order.equals(order.sort_values(["country", "date"], kind="stable")), "rows sorted by country, then date"
    assert not frame.duplicated(["country", "date"]).any(), "one value per country and date"


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_parse_is_pure(source, tmp_path):
    """Bytes in, frame out: parsing the same answer twice gives the same frame and leaves the entry as it was."""
    entry, bodies = contract_case(source, tmp_path)
    before = yaml.safe_dump(entry)
    first, second = (SOURCES[source].parse(bodies, entry) for _ in range(2))
    pd.testing.assert_frame_equal(first, second)
    assert yaml.safe_dump(entry) == before


def test_the_add_command_names_no_publisher():
    """Publisher facts live in the publisher's module: add.py holds no source's name as a string."""
    tree = ast.parse((REPO / "loaders" / "add.py").read_text(encoding="utf-8"))
    named = sorted({n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in SOURCES})
    assert named == [], f"loaders/add.py names {named}: move what it knows into the source module (SHORT_NAME, ...)"
