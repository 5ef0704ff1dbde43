"""Hostile text: titles, descriptions, quotes, claims and uploaded files carrying HTML, script, Markdown
links to ``javascript:``, images that would call home, maths, very long strings, right-to-left and control
characters. Everywhere they are shown they stay inert text; no path leaves ``data/``; downloads start no
cell with a formula; uploads have a size limit. The real-browser check is at the end (marked ``browser``).
"""

from __future__ import annotations

import ast
import csv
import io
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import loaders
from app import downloads
from loaders import store
from loaders.errors import ValidationError
from loaders.metadata import read_catalog
from tests.browser import (
    PAGE_CHARTS,
    browser_page,
    chromium_path,
    exception_texts,
    running_app,
    screenshot,
    wait_until_drawn,
)
from tests.dashboard_process import PAGES, run_dashboard
from tests.hostile_text import HOSTILE, hostile_data_dir
from tests.publishers import REPO

WTI = "oil_price_wti_daily_usd_per_barrel"
# Text a Markdown renderer would act on, unless backslash-escaped: HTML tags, links, images, maths, colour directives.
UNESCAPED = re.compile(
    r"(?<!\\)<(script|img|svg|iframe|a |style)|(?<!\\)\]\(\s*(javascript|data|vbscript):|(?<!\\)!\[|(?<!\\)\$\\href"
    r"|(?<!\\):red\["
)
MARKDOWN_KINDS = ("markdown", "caption", "warning", "error", "info", "success", "title", "header", "subheader")
MARKDOWN_KINDS += ("expander", "metric")
DATA_MARKERS = ("__pwned", "HYPERLINK", "beacon", "RTL override", "maths link", "{{7*7}}")
TRAVERSAL_IDS = [
    "../catalog",
    "../../etc/passwd",
    "/etc/passwd",
    "snapshots/../../catalog",
    "..\\..\\catalog",
    "%2e%2e%2fcatalog",
    "oil_price_wti_daily_usd_per_barrel\n",
    "oil_price_wti_daily_usd_per_barrel\x00.csv",
    "oil_price_wti_daily_usd_per_barrel/../../../catalog",
    "",
    "A" * 300,
]


# ---------------------------------------------------------------- the dashboard in AppTest, hostile data
@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    return hostile_data_dir(tmp_path_factory.mktemp("hostile") / "data")


ES_PAGES = ["app_pages/explore.py", "app_pages/events.py", "app_pages/claims.py", "app_pages/sources.py"]


@pytest.fixture(scope="module")
def hostile_runs(hostile_dir) -> dict:
    """Every page in English; the text-heavy ones in Spanish, with Explore asked for a path outside data/."""
    bad = ",".join(["../../../etc/passwd", "snapshots/../../catalog", WTI])
    return {
        "en": run_dashboard(hostile_dir, PAGES, "en"),
        "es": run_dashboard(hostile_dir, ES_PAGES, "es", query={"app_pages/explore.py": {"series": bad}}),
    }


def all_texts(run: dict) -> list[tuple[str, str, str]]:
    return [(page, kind, str(v)) for page, texts in run.items() for kind, values in texts.items() for v in values]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_page_runs_and_draws_with_hostile_text(hostile_runs, lang):
    for page, texts in hostile_runs[lang].items():
        assert texts["exception"] == [], f"{page}: {texts['exception']}"
        if page != "app_pages/sources.py":
            assert texts["plotly_chart"], f"{page} draws no chart"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_markdown_from_data_is_escaped_everywhere(hostile_runs, lang):
    unescaped = []
    for page, texts in hostile_runs[lang].items():
        for kind in MARKDOWN_KINDS:
            for text in texts[kind]:
                if kind == "markdown" and text in texts["unsafe_markdown"]:
                    continue  # checked below: raw HTML may carry no data at all
                if m := UNESCAPED.search(str(text)):
                    unescaped.append((page, kind, str(text)[max(0, m.start() - 40) : m.end() + 40]))
    assert unescaped == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_data_text_reaches_html_or_unsafe_markdown(hostile_runs, lang):
    for page, texts in hostile_runs[lang].items():
        for body in texts["unsafe_markdown"] + texts["html"]:
            assert not any(marker in body for marker in DATA_MARKERS), f"{page}: data text in raw HTML: {body[:200]}"


def test_hostile_text_is_shown_not_dropped(hostile_runs):
    """The reader still sees the hostile titles, as text (a table cell, a chart label, an escaped line)."""
    shown = " ".join(text for _, _, text in all_texts(hostile_runs["en"]))
    for marker in ("window.__pwned=1", "RTL override", "HYPERLINK"):
        assert marker in shown, f"{marker!r} appears nowhere: dropped instead of shown as text?"


def test_explore_refuses_a_series_path_outside_data_with_a_warning(hostile_runs):
    texts = hostile_runs["es"]["app_pages/explore.py"]
    assert texts["exception"] == []
    named = [w for w in texts["warning"] + texts["error"] + texts["info"] if "etc/passwd" in w or "etc\\/passwd" in w]
    assert named, f"no warning names the bad series: {texts['warning']}"
    assert not any("root:" in t for _, _, t in all_texts({"explore": texts}))


def test_no_page_uses_raw_html_with_text_from_data():
    """Every unsafe_allow_html=True / st.html in the app renders a module-level constant, never data."""
    offenders = []
    for path in [
        REPO / "dashboard.py",
        *sorted((REPO / "app").glob("*.py")),
        *sorted((REPO / "app_pages").glob("*.py")),
    ]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            raw = any(k.arg == "unsafe_allow_html" and getattr(k.value, "value", False) is True for k in node.keywords)
            raw |= isinstance(node.func, ast.Attribute) and node.func.attr == "html"
            if not raw:
                continue
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) or isinstance(first, ast.Name) and first.id in constants):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []


# ---------------------------------------------------------------- paths never leave data/
@pytest.mark.parametrize("series_id", TRAVERSAL_IDS, ids=range(len(TRAVERSAL_IDS)))
def test_series_ids_cannot_name_a_path_outside_data(series_id):
    with pytest.raises(ValidationError):
        loaders.load(series_id)
    with pytest.raises(ValidationError):
        store.snapshot_paths(loaders.settings.data_dir(), series_id)
    with pytest.raises(ValidationError):
        store.read_sidecar(loaders.settings.data_dir(), series_id)


@pytest.mark.parametrize("series_id", TRAVERSAL_IDS, ids=range(len(TRAVERSAL_IDS)))
def test_a_catalog_entry_with_a_path_for_an_id_is_refused(series_id, tmp_path):
    import yaml

    from tests.publishers import small_data_dir

    data_dir = small_data_dir(tmp_path / "data", [WTI])
    doc = yaml.safe_load((data_dir / "catalog.yaml").read_text())
    doc["series"][0]["id"] = series_id
    (data_dir / "catalog.yaml").write_text(yaml.safe_dump(doc))
    with pytest.raises(ValidationError, match="field 'id'"):
        read_catalog(data_dir)


@pytest.mark.parametrize(
    "name",
    [
        "../catalog.yaml",
        "../../etc/passwd",
        "/etc/passwd",
        "sub/file.csv",
        "..csv",
        "a\\..\\b.csv",
        "x.csv\n",
        ".hidden",
    ],
)
def test_local_file_names_cannot_leave_data_local(name):
    from loaders.sources import local

    assert local.file_name_problem(name) is not None


# ---------------------------------------------------------------- downloads
FORMULA = ("=", "+", "-", "@")


def cells_a_spreadsheet_sees(data: bytes) -> list[str]:
    """Every cell of the file as a spreadsheet splitting on commas, or on semicolons (es-ES Excel), reads it."""
    text = data.decode("utf-8")
    cells = []
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            cells += row
    return cells


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_no_formula_cell(data: bytes) -> None:
    # A formula character first, or after blanks a spreadsheet may trim; a plain number is no formula.
    cells = cells_a_spreadsheet_sees(data)
    bad = [c for c in cells if c.lstrip(" \t\r\n").startswith(FORMULA) and not is_number(c.strip())]
    assert bad == [], f"cells a spreadsheet would run: {bad[:5]}"


def test_downloads_of_hostile_text_start_no_cell_with_a_formula():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-04-20"] * len(HOSTILE)),
            "country": HOSTILE,
            "value": [-36.98] * len(HOSTILE),
            "status": list(reversed(HOSTILE)),
        }
    )
    frame = frame.rename(columns={"status": "=cmd|' /C calc'!A0"})
    header = [f"series: x ({h}, unit)" for h in HOSTILE] + ["citation: a, =HYPERLINK(1); @x; -2+3"]
    data = downloads.csv_with_provenance(frame, header)
    assert_no_formula_cell(data)
    assert b"-36.98" in data, "numbers must stay numbers"
    back = pd.read_csv(io.BytesIO(data), comment="#")
    assert back["value"].tolist() == [-36.98] * len(HOSTILE)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    cells=st.lists(st.text(alphabet=st.sampled_from("=+-@\t\r\n ,;|'\"a1.<>"), max_size=12), min_size=1, max_size=6),
    header=st.text(alphabet=st.sampled_from("=+-@\t ,;|'\"a1."), max_size=30),
)
def test_downloads_start_no_cell_with_a_formula_for_any_text(cells, header):
    frame = pd.DataFrame({"date": pd.to_datetime(["2020-01-01"] * len(cells)), "country": cells, "value": 1.5})
    assert_no_formula_cell(downloads.csv_with_provenance(frame, [header]))


# ---------------------------------------------------------------- uploads
def test_uploads_have_a_size_limit():
    from app.runtime import upload

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert 0 < config["server"]["maxUploadSize"] <= 5, "the server accepts uploads over 5 MB"
    assert upload.MAX_UPLOAD_BYTES <= 5 * 2**20
    with pytest.raises(ValidationError, match="limit"):
        upload.read_upload(b"date,value\n" + b"2019,1\n" * (upload.MAX_UPLOAD_BYTES // 7 + 1), "big.csv")


HOSTILE_UPLOADS = [
    ("<img src=x onerror=window.__pwned=1>.csv", b"date,value\n2019,1.5\n2020,2.5\n"),
    ("[x](javascript:window.__pwned=1).csv", b"date,value\n2019,<script>window.__pwned=1</script>\n"),
    ("rtl\u202egpj.csv", b'date,value,country\n2019,=HYPERLINK("http://evil.example"),VEN\n'),
    ("ok.csv", b"date,value\n2019,1\n[click](javascript:window.__pwned=1),2\n"),
    ("ok2.csv", b"date,value\n2019,1\n2020,![beacon](http://127.0.0.1:9/b.png)\n"),
    ("ok3.csv", ("date,value,country\n2019,1," + "A" * 3000 + "\n").encode()),
    ("ok4.csv", "date,value,status\n2019,1,\u202e<svg onload=window.__pwned=1>\x07\n".encode()),
    ("bin.csv", b"\x00\xff\xfe<script>\x1b[2J"),
]


def _upload_app():
    import streamlit as st

    from app.runtime.upload import upload_panel

    accepted = upload_panel("en")
    for name, frame in accepted:
        st.text(f"{name}: {len(frame)}")


def test_hostile_uploads_are_refused_or_shown_as_inert_text():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_upload_app, default_timeout=60).run()
    for name, content in HOSTILE_UPLOADS:
        at.file_uploader[0].upload(name, content, "text/csv")
    at.run()
    assert not at.exception
    bodies = [e.value for e in at.error] + [e.value for e in at.caption] + [e.value for e in at.markdown]
    assert len(at.error) >= 5, "hostile files were not refused"
    for body in bodies:
        assert not UNESCAPED.search(body), body[:200]
    for text in at.text:
        assert "<" not in text.value and "[" not in text.value.split(":")[0]


# ---------------------------------------------------------------- the real browser
NO_INJECTION_JS = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase(), value = attr.value || '';
      if (name.startsWith('on') && value.includes('__pwned')) bad.push(`${el.tagName} ${name}=${value.slice(0, 60)}`);
      if (['href', 'src', 'xlink:href', 'action', 'formaction', 'srcdoc', 'data'].includes(name)
          && (/^\\s*(javascript:|vbscript:|data:text\\/html)/i.test(value) || value.includes('__pwned')))
        bad.push(`${el.tagName} ${name}=${value.slice(0, 60)}`);
    }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('__pwned')) bad.push('SCRIPT ' + el.textContent);
    if (el.tagName === 'STYLE' && el.textContent.includes('body{display:none}')) bad.push('STYLE from data');
    if (el.tagName === 'IMG' && (el.getAttribute('src') || '').includes('beacon')) bad.push('IMG from data');
    if (['IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)) bad.push(el.tagName);
  }
  return bad;
}
"""
# Links made from data text: Streamlit's Markdown turns http://..., www.... and e-mail addresses into links even
# when every character is backslash-escaped (or written as an entity); only a break such as U+2060 WORD JOINER
# after "http", "www" or "@" stops it. Not a script, but an element the data put there.
DATA_LINKS_JS = """
() => Array.from(document.querySelectorAll('a[href]'))
  .map(a => a.getAttribute('href'))
  .filter(h => h.includes('beacon') || h.includes('evil.example'))
"""


@pytest.mark.browser
@pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_in_a_real_browser_no_script_runs_and_no_element_is_injected(tmp_path):
    data_dir = hostile_data_dir(tmp_path / "data")
    dialogs, requests = [], []
    with running_app(env={"DASHBOARD_DATA": str(data_dir)}) as url, browser_page() as page:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url))
        found: dict[str, list[str]] = {}
        links: list[str] = []
        for path, charts in PAGE_CHARTS:
            page.goto(f"{url}/{path}?lang=en")
            wait_until_drawn(page, charts)
            page.wait_for_selector("[data-testid='stHeading']", timeout=45_000)  # a page with no chart: its title
            page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=45_000)
            # Move over every chart so hover labels with hostile quotes are rendered too.
            for chart in page.query_selector_all(".js-plotly-plot")[:4]:
                box = chart.bounding_box()
                if box:
                    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
            screenshot(page, f"hostile-{path}")
            problems = [f"exception: {t[:100]}" for t in exception_texts(page)]
            problems += ["window.__pwned is set: a script from data ran"] * (
                page.evaluate("() => window.__pwned") is not None
            )
            problems += page.evaluate(NO_INJECTION_JS)
            if problems:
                found[path] = problems
            links += [f"{path}: {href}" for href in page.evaluate(DATA_LINKS_JS)]
            if path == "sources":
                # Its sections render one after another: wait for the hostile title, up to a bound, before reading.
                try:
                    page.wait_for_function("() => document.body.innerText.includes('window.__pwned=1')", timeout=30_000)
                except PlaywrightTimeout:
                    pass
                sources_text = page.inner_text("body")
        uploaded = _upload_in_browser(page, url, tmp_path)
        if uploaded:
            problems = ["window.__pwned is set"] * (page.evaluate("() => window.__pwned") is not None)
            problems += page.evaluate(NO_INJECTION_JS)
            if problems:
                found["explore after a hostile upload"] = problems
    assert found == {}, "\n".join(f"{path}: {p}" for path, problems in found.items() for p in problems)
    assert dialogs == [], f"dialogs opened: {dialogs}"
    assert not [r for r in requests if not r.startswith(url) and not r.startswith("data:")], "the page called out"
    assert "window.__pwned=1" in sources_text, "the hostile titles are not shown as text on Sources"
    assert uploaded is not False
    if links:
        pytest.xfail(
            "links made from data text (GFM autolinks survive backslash-escaping): " + "; ".join(sorted(set(links)))
        )


def _upload_in_browser(page, url: str, tmp_path: Path) -> bool | None:
    """Upload a hostile CSV on Explore when it has an uploader; None when the page has none."""
    page.goto(f"{url}/explore?lang=en")
    wait_until_drawn(page, 1)
    field = page.query_selector("input[type=file]")
    if field is None:
        return None
    path = tmp_path / "<img src=x onerror=window.__pwned=1>.csv"
    path.write_text("date,value\n2019,<script>window.__pwned=1</script>\n2020,[x](javascript:window.__pwned=1)\n")
    field.set_input_files(str(path))
    page.wait_for_selector("[data-testid='stAlertContentError'], [data-testid='stCaptionContainer']", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000)
    return True
