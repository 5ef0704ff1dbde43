"""Every interface string of the dashboard exists in English and Spanish, with the same placeholders.

The tables are read from the source (``app/``, ``app_pages/``, ``dashboard.py``) as literals, so a page's own
table is checked without running the page; any module-level mapping whose entries are {"en": ..., "es": ...}
counts, wherever it lives.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from app.i18n import LANGUAGES, translator

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(REPO / "app").rglob("*.py"), *(REPO / "app_pages").glob("*.py"), REPO / "dashboard.py"])


def _literal(node: ast.expr) -> object:
    """The literal a table is written as (``a | {...}`` merges: the written part is the right side)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _literal(node.right)
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _texts(value: object, where: str) -> list[tuple[str, dict]]:
    """(where, {"en": ..., "es": ...}) for every language entry in a table, at any depth."""
    if isinstance(value, dict) and set(value) & set(LANGUAGES) and all(isinstance(v, str) for v in value.values()):
        return [(where, value)]
    if isinstance(value, dict):
        return [found for key, inner in value.items() for found in _texts(inner, f"{where}[{key!r}]")]
    return []


def interface_texts() -> list[tuple[str, dict]]:
    found = []
    for path in SOURCES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            if not targets or node.value is None:
                continue
            for target in targets:
                if isinstance(target, ast.Name):
                    found += _texts(_literal(node.value), f"{path.relative_to(REPO)}:{target.id}")
    return found


TEXTS = interface_texts()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_tables_are_found():
    tables = {where.split("[")[0] for where, _ in TEXTS}
    assert "app/i18n.py:COMMON" in tables and "app/views/explore_view.py:TEXT" in tables, sorted(tables)
    assert len(TEXTS) > 250  # the scan finds the tables, not a handful


@pytest.mark.parametrize("where, entry", TEXTS, ids=[where for where, _ in TEXTS])
def test_every_interface_string_is_in_both_languages_with_the_same_placeholders(where, entry):
    missing = [lang for lang in LANGUAGES if not str(entry.get(lang) or "").strip()]
    assert not missing, f"{where}: no {', '.join(missing)} text"
    assert _fields(entry["en"]) == _fields(entry["es"]), f"{where}: placeholders differ between en and es"


def test_a_missing_translation_is_visible_not_silently_english():
    tr = translator({"only_en": {"en": "Hello"}}, "es")
    assert tr("only_en") != "Hello" and "Hello" in tr("only_en")
    with pytest.raises(KeyError):
        tr("no_such_key")
