"""What an outside probe found (issue 13), each closed: address-bar values shown as inert text,
odd step numbers, a brace in a citation, tracebacks for a bad --data-dir, bidi controls in data text.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

import loaders
from app import image_export
from app.text import escape_markdown, escape_plotly, inert
from app.views import presenter, slide_pack
from loaders.__main__ import main
from loaders.stories import load_stories
from tests.dashboard_process import PAGES, run_dashboard
from tests.publishers import copy_data_dir

TRACKER = "![t](http://127.0.0.1:9/track.png)"
PHISH = "[Session expired - log in again](http://127.0.0.1:9/login)"
MATHS = ":red[alarm] $x^2$"


def _shown(texts: dict) -> str:
    return " ".join(str(t) for kind in ("warning", "error", "info", "markdown", "caption") for t in texts[kind])


def _assert_inert(shown: str) -> None:
    for live in ("![t](", "[Session expired - log in again](", ":red[alarm]", "$x^2$", "](http://127.0.0.1:9"):
        assert live not in shown, f"{live!r} reached Markdown unescaped"


def test_address_bar_values_are_shown_as_inert_text(tmp_path):
    """Explore's series, Presenter's story, step and view, and Claims' claim: markdown from a URL renders as text."""
    query = {
        "app_pages/explore.py": {"series": TRACKER, "countries": PHISH},
        "app_pages/presenter.py": {"story": TRACKER, "step": PHISH, "view": MATHS},
        "app_pages/claims.py": {"claim": PHISH},
    }
    report = run_dashboard(copy_data_dir(tmp_path / "data"), list(query), query=query)
    for page, texts in report.items():
        assert not texts["exception"], texts["exception"]
        shown = _shown(texts)
        _assert_inert(shown)
        assert texts["warning"], f"{page} said nothing about the bad value"
    assert escape_markdown("track.png") in " ".join(report["app_pages/explore.py"]["warning"])
    assert "Session expired" in " ".join(report["app_pages/claims.py"]["warning"])


def test_inert_keeps_a_long_value_short():
    assert len(inert("9" * 5000)) == 80 and inert("a\nb") == "a b"


@pytest.mark.parametrize("step", ["²", "٣", "9" * 5000, "1e3", " 2 ", "-1"])
def test_odd_step_numbers_fall_back_to_the_first_step_with_a_notice(step):
    stories = load_stories()
    story, number, notices = presenter.resolve(stories, None, step)
    if step == " 2 ":
        assert number == 2 and not notices
    else:
        assert number == 1 and [n.key for n in notices] == ["bad_step"]
        assert len(notices[0].fields["value"]) <= 80


def test_the_presenter_page_survives_a_superscript_and_a_huge_step(tmp_path):
    pages = ["app_pages/presenter.py"]
    for step in ("²", "9" * 5000):
        data_dir = copy_data_dir(tmp_path / f"d{len(step)}")
        texts = run_dashboard(data_dir, pages, query={pages[0]: {"step": step}})[pages[0]]
        assert not texts["exception"], texts["exception"]
        assert any("(parameter step)" in w for w in texts["warning"])


def _brace_in_citation(data_dir) -> None:
    path = data_dir / "catalog.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["sources"]["worldbank"]["citation"] = "World Bank {WDI}, indicator {code}, via api.worldbank.org {"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_brace_in_a_citation_is_text_on_every_page_and_validate_names_it(tmp_path, capsys):
    data_dir = copy_data_dir(tmp_path / "data")
    _brace_in_citation(data_dir)
    cat = loaders.catalog(data_dir)
    assert cat.loc["gdp_wb_usd", "citation"] == "World Bank {WDI}, indicator NY.GDP.MKTP.CD, via api.worldbank.org {"
    assert main(["--data-dir", str(data_dir), "list", "--long"]) == 0
    assert "World Bank {WDI}, indicator NY.GDP.MKTP.CD" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "validate", "--seeds", str(data_dir / "none")]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM catalog.yaml: source 'worldbank', field 'citation': a brace other than {code}" in out
    report = run_dashboard(data_dir, PAGES)
    broken = {page: texts["exception"][0][:300] for page, texts in report.items() if texts["exception"]}
    assert not broken, broken


@pytest.mark.parametrize("command", [["list"], ["validate"], ["refresh", "fred"]])
def test_a_missing_data_dir_is_one_line_not_a_traceback(tmp_path, capsys, command):
    code = main(["--data-dir", str(tmp_path / "nowhere"), *command])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and "nowhere/catalog.yaml: No such file or directory" in err
    assert "--data-dir" in err and "Traceback" not in err


def test_an_unwritable_data_dir_is_one_line_not_a_traceback(tmp_path, capsys, monkeypatch):
    import filelock

    data_dir = copy_data_dir(tmp_path / "data")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(data_dir / ".refresh.lock"))

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    code = main(["--data-dir", str(data_dir), "refresh", "fred"])
    err = capsys.readouterr().err
    assert code == 2 and err.strip() == f"error: {data_dir / '.refresh.lock'}: Permission denied", err


def test_bidi_controls_in_data_text_are_neutralised():
    spoof = "invoice\u202egpj.exe"  # displayed as "invoiceexe.jpg"
    assert "\u202e" not in escape_markdown(spoof) and "gpj" in escape_markdown(spoof)
    assert "\u202e" not in escape_plotly(spoof)
    assert "\u2066" not in inert("a\u2066b\u2069")


def test_the_deployment_guide_says_how_to_keep_metrics_private():
    from tests.publishers import REPO

    guide = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert "/_stcore/metrics" in guide and "404" in guide
    assert "docs/deployment.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_plotly_markup_and_hover_codes_in_data_text_are_escaped():
    assert escape_plotly('<a href="http://x.example">Brent</a>') == '&lt;a href="http://x.example"&gt;Brent&lt;/a&gt;'
    assert "%{" not in escape_plotly("[y=%{y}]")
    assert json.dumps(escape_plotly("café & co")) == '"caf\\u00e9 &amp; co"'


# ---------------------------------------------------------------- uploads (probes 1, 2, 9)
def _far_cell_workbook() -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["date", "value"])
    sheet.append([2019, 1.5])
    sheet["XFD1048576"] = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_with_one_far_cell_is_refused_before_any_cell_is_built():
    import resource
    import time

    from loaders import localfile

    data = _far_cell_workbook()
    assert len(data) < 10_000
    start, rss = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(localfile.LocalFileError) as caught:
        localfile.read_table(data, "far.xlsx", country="VEN")
    assert time.perf_counter() - start < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 200 * 1024, "memory grew by over 200 MB"
    assert "reaches cell XFD1048576 (1,048,576 rows × 16,384 columns), over the limit of 2,000,000 cells" in str(
        caught.value
    )


def test_a_file_of_bad_rows_stops_after_the_first_problems_with_a_small_message():
    import time

    from loaders import localfile

    data = ("date,value\n" + "20x1,abc\n" * 600_000).encode()[:4_900_000]
    start = time.perf_counter()
    with pytest.raises(localfile.LocalFileError) as caught:
        localfile.read_table(data, "bad.csv", country="VEN")
    assert time.perf_counter() - start < 30
    error = caught.value
    assert len(error.problems) == localfile.MAX_PROBLEMS + 1
    assert re.search(r"stopped after the first 100 problems; [\d,]+ more lines not checked", error.problems[-1].message)
    assert len(str(error)) < 5_000 and sum(map(len, localfile.problem_lines(error))) < 40_000
    # A header of 5,000 unknown columns: one problem each, but only the first 100 are kept and listed.
    wide = ("date,value," + ",".join(f"extra{i}" for i in range(5000)) + "\n2019,1\n").encode()
    with pytest.raises(localfile.LocalFileError) as caught:
        localfile.read_table(wide, "wide.csv", country="VEN")
    assert len(caught.value.problems) == 101 and caught.value.problems[-1].message == "… and 4,900 more problems"


def test_one_reader_uploads_a_few_files_of_a_bounded_size_each_checked_once():
    from types import SimpleNamespace

    from app.runtime import upload

    reads = []

    def fake(name: str, size: int) -> SimpleNamespace:
        body = b"date,value\n2019,1.5\n2020,2\n"
        return SimpleNamespace(name=name, size=size, file_id=name, getvalue=lambda: reads.append(name) or body)

    files = [fake(f"f{i}.csv", 4 * 2**20) for i in range(10)]
    kept, left = upload.within_limits(files)
    assert [f.name for f in kept] == ["f0.csv", "f1.csv"] and len(left) == 8  # 3 × 4 MB is over 10 MB
    cache: dict = {}
    for _ in range(5):  # five interactions
        for f in kept:
            assert upload.check_once(cache, f, f.name)["value"].tolist() == [1.5, 2.0]
    assert reads == ["f0.csv", "f1.csv"], "each file is read once, not on every interaction"


# ---------------------------------------------------------------- formulas through CSV headers (probe 4)
PROBE_TITLE = 'Brent,"=HYPERLINK(""http://127.0.0.1:9/x"",""click"")"'


def test_a_formula_in_a_title_is_defused_in_every_csv_header_line():
    import csv
    import io

    import pandas as pd

    from app.downloads import csv_with_provenance

    frame = pd.DataFrame({"date": ["2020-01-01"], "country": ["WLD"], "value": [1.0]})
    data = csv_with_provenance(frame, [f"series: x ({PROBE_TITLE}, usd)", f"citation: {PROBE_TITLE}"])
    cells = [cell for row in csv.reader(io.StringIO(data.decode())) for cell in row]
    assert not [c for c in cells if c.lstrip().startswith(("=", "+", "@"))], cells


def test_add_refuses_a_title_or_citation_a_spreadsheet_would_run(tmp_path, capsys):
    data_dir = copy_data_dir(tmp_path / "data")
    (data_dir / "local").mkdir(exist_ok=True)
    (data_dir / "local" / "mine.csv").write_text("date,value\n2019,1.5\n2020,2\n", encoding="utf-8")
    flags = ["--unit", "pct", "--publisher", "Me", "--licence", "CC BY 4.0", "--citation", "Me (2025)."]
    for flag, value in (("--title", PROBE_TITLE), ("--citation", "Me; @SUM(1+1)")):
        args = ["--title", "Mine", *flags, flag, value]
        code = main(["--data-dir", str(data_dir), "add", "local", "mine.csv", *args])
        err = capsys.readouterr().err
        assert code == 2 and f"{flag} holds" in err and "as a formula" in err, err
    assert not (data_dir / "snapshots" / "mine_pct.csv").exists()


# ---------------------------------------------------------------- Plotly markup from data (probe 8)
def test_links_and_hover_codes_in_data_text_never_reach_a_figure_as_markup():
    import pandas as pd

    from app.charts import figures

    link = '<a href="http://127.0.0.1:9/x">click</a>'
    frame = pd.DataFrame({"date": pd.to_datetime(["2020-01-01", "2021-01-01"]), "country": "VEN", "value": [1.0, 2.0]})
    line = figures.Line(frame, f"Brent {link}", hover_unit="usd [y=%{y}]", frequency="annual", period="average")
    traces, _ = figures.line_trace_dicts(line, "#000", False, "en")
    text = figures.ChartText(title=link, y_title=f"{link} [y=%{{y}}]", source=link)
    fig = figures.timeseries_figure([line], None, text, lang="en")
    # legendgroup is an identifier and meta the words describe.py reads (escaped where shown): neither is drawn
    # unless a template names it, which none may
    templates = json.dumps([t.get("hovertemplate") or "" for t in traces] + [t.hovertemplate or "" for t in fig.data])
    assert "%{meta" not in templates and "%{fullData.meta" not in templates
    fig.update_traces(legendgroup=None, meta=None)
    shown = [{k: v for k, v in t.items() if k not in ("legendgroup", "meta")} for t in traces]
    spec = json.dumps(shown, default=str) + json.dumps(json.loads(fig.to_json()))  # to_json writes < as \\u003c
    assert "<a " not in spec and "<a href" not in spec, "a link from data reached the figure"
    customdata = json.dumps([t.get("customdata") for t in traces], default=str)
    assert "%{y}" not in customdata and "[y=%&#123;y}]" in customdata
    assert "&lt;a href" in figures.legend_name(link) and "%{" not in figures.legend_name("%{y}")


# ---------------------------------------------------------------- slide packs (probe 5)
def test_slide_packs_are_drawn_one_at_a_time_and_the_queue_is_visible(monkeypatch):
    import asyncio
    import threading
    import time

    drawing, most, seen_queue = [0], [0], []
    lock = threading.Lock()

    async def fake_render(figs, opts, path, drawn):
        with lock:
            drawing[0] += 1
            most[0] = max(most[0], drawing[0])
        seen_queue.append(slide_pack.renders_queued())
        await asyncio.sleep(0.2)
        with lock:
            drawing[0] -= 1
        drawn.append(b"png")

    monkeypatch.setattr(slide_pack, "browser_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(image_export, "_render", fake_render)  # one queue for slide packs and single charts
    readers = [threading.Thread(target=slide_pack.render_pngs, args=([],)) for _ in range(6)]
    start = time.perf_counter()
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(10)
    assert most[0] == slide_pack.MAX_RENDERS == 1, f"{most[0]} Chromium renders at once"
    assert max(seen_queue) >= 5 and seen_queue[-1] == 1, seen_queue  # the others were seen waiting
    assert time.perf_counter() - start >= 6 * 0.2 * 0.9
    assert slide_pack.renders_queued() == 0
