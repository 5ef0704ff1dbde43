"""Performance benchmark of the dashboard against a minimal Streamlit + Plotly reference app.

Run everything with ``python -m bench`` (``--quick`` for a short run, ``--only NAME`` for one
measurement); it writes ``bench/report.json`` and ``bench/report.md``. See ``bench/__main__.py``.
"""
