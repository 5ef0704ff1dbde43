"""The dashboard run with AppTest in a fresh Python against another data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.publishers import REPO

APP_SCRIPT = r"""
import json, sys
from streamlit.testing.v1 import AppTest

from streamlit import config

config.set_option("client.showErrorDetails", "full")  # the tests want the exception, readers never see it
pages, lang, query = json.loads(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
report = {}
for page in pages:
    at = AppTest.from_file("dashboard.py", default_timeout=90)
    at.query_params["lang"] = lang
    for key, value in query.get(page, {}).items():
        at.query_params[key] = value
    at.run()
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    texts = {
        kind: [getattr(e, "value", None) if kind != "exception" else e.message + "\n" + "\n".join(e.stack_trace)
               for e in getattr(at, kind)]
        for kind in ("exception", "error", "warning", "info", "success", "markdown", "caption", "title",
                     "header", "subheader", "text", "code", "latex", "metric")
    }
    texts["metric"] = [f"{m.label} {m.value}" for m in at.metric]
    texts["expander"] = [e.label for e in at.expander]
    texts["selectbox_options"] = [str(o) for s in at.selectbox for o in s.options]
    texts["multiselect_options"] = [str(o) for s in at.multiselect for o in s.options]
    texts["dataframe"] = [e.value.to_csv() for e in at.dataframe]
    texts["html"] = [e.proto.body for e in at.get("html")]
    unsafe = [e.value for e in at.markdown if getattr(e.proto, "allow_html", False)]
    texts["unsafe_markdown"] = unsafe
    texts["plotly_chart"] = [e.proto.spec for e in at.get("plotly_chart")]
    report[page] = texts
print("@@REPORT@@" + json.dumps(report, default=str))
"""


def run_dashboard(
    data_dir: Path, pages: list[str], lang: str = "en", query: dict | None = None, env: dict | None = None
) -> dict:
    """Run each page with AppTest in a fresh Python whose ``DASHBOARD_DATA`` is ``data_dir``.

    A subprocess, because the loaders read ``DASHBOARD_DATA`` at import and Streamlit caches
    data for the life of a process. Returns ``{page: {element kind: [texts]}}``.
    """
    env = {**os.environ, "DASHBOARD_DATA": str(data_dir), "PYTHONPATH": str(REPO), **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", APP_SCRIPT, json.dumps(pages), lang, json.dumps(query or {})],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    marker = done.stdout.rfind("@@REPORT@@")
    assert done.returncode == 0 and marker >= 0, f"AppTest run failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return json.loads(done.stdout[marker + len("@@REPORT@@") :])


PAGES = [
    "app_pages/overview.py",
    "app_pages/explore.py",
    "app_pages/inflation.py",
    "app_pages/migration.py",
    "app_pages/events.py",
    "app_pages/claims.py",
    "app_pages/sources.py",
    "app_pages/presenter.py",
]
