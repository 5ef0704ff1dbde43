"""Hostile text (markup, scripts, formulas, control characters) and a data folder full of it."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.publishers import copy_data_dir

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE = [
    SCRIPT,
    IMG,
    "[click me](javascript:window.__pwned=1)",
    '<a href="javascript:window.__pwned=1">link</a>',
    '<svg onload="window.__pwned=1"><circle r="9"/></svg>',
    '<iframe src="javascript:window.__pwned=1"></iframe>',
    '"><script>window.__pwned=1</script>',
    "<style>body{display:none}</style>",
    "![beacon](http://127.0.0.1:9/beacon.png)",
    "$\\href{javascript:window.__pwned=1}{maths link}$",
    ":red[coloured] **bold** <b>b</b> `code`",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\u202eRTL override\u202c and \u200fright-to-left mark \u05e9\u05dc\u05d5\u05dd",
    "control \x07 bell \x1b[31m ansi red \x0b vertical tab",
    "{{7*7}} ${7*7} %(x)s {0}",
    "A" * 5000 + " very long",
]


def hostile(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


def hostile_data_dir(target: Path) -> Path:
    """A full copy of data/ whose titles, descriptions, events, quotes and claims are hostile text.

    Every series title gets a hostile prefix (so it still tells series apart); events and claims get
    hostile titles, descriptions, quotes and notes. Ids, dates, codes and numbers stay valid.
    """
    copy_data_dir(target)
    catalog_path = target / "catalog.yaml"
    doc = yaml.safe_load(catalog_path.read_text(encoding="utf-8"))
    for i, entry in enumerate(doc["series"]):
        for lang in ("en", "es"):
            entry["title"][lang] = f"{hostile(i)} {entry['title'][lang]}"
            entry["description"][lang] = f"{hostile(i + 1)} {entry['description'][lang]} {hostile(i + 2)}"
    catalog_path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")

    events_path = target / "events.yaml"
    doc = yaml.safe_load(events_path.read_text(encoding="utf-8"))
    for i, event in enumerate(doc["events"]):
        for lang in ("en", "es"):
            event["title"][lang] = f"{hostile(i)} {event['title'][lang]}"
            event["description"][lang] = f"{hostile(i + 3)} {event['description'][lang]}"
        if event.get("quote"):
            event["quote"] = f"{hostile(i + 5)} {event['quote']}"
        if i % 4 == 0 and event.get("date_reference"):
            event["date_reference"] = "javascript:window.__pwned=1"
    events_path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")

    claims_path = target / "claims.yaml"
    doc = yaml.safe_load(claims_path.read_text(encoding="utf-8"))
    for i, claim in enumerate(doc["claims"]):
        claim["quote"] = f"{hostile(i)} {claim['quote']}"
        if claim.get("references"):
            claim["references"] = ["javascript:window.__pwned=1", *claim["references"][1:]]
        for key in ("note", "no_series_note"):
            if isinstance(claim.get(key), dict):
                for lang in ("en", "es"):
                    claim[key][lang] = f"{hostile(i + 2)} {claim[key][lang]}"
    claims_path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target
