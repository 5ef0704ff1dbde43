"""The floor: the least a Streamlit + Plotly app can do that the dashboard also does.

One ``st.plotly_chart`` of one line with one vertical line, and one select box that changes
the line. It reads the same committed snapshots (monthly series of a few hundred points), so
Streamlit's and Plotly's own costs, not ours, set its times.

Run by the benchmark as ``streamlit run bench/reference_app.py``.
"""

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

SNAPSHOTS = Path(__file__).resolve().parents[1] / "data" / "snapshots"
SERIES = {
    "Brent, monthly": ("oil_price_brent_monthly_usd_per_barrel", "WLD"),
    "WTI, monthly": ("oil_price_wti_monthly_usd_per_barrel", "WLD"),
    "Venezuela's oil production": ("oil_production_ei_thousand_barrels_per_day", "VEN"),
}


@st.cache_data
def read(series_id: str, country: str) -> pd.DataFrame:
    frame = pd.read_csv(SNAPSHOTS / f"{series_id}.csv", parse_dates=["date"])
    return frame[frame["country"] == country]


choice = st.selectbox("Series", list(SERIES))
frame = read(*SERIES[choice])
fig = go.Figure(go.Scatter(x=frame["date"], y=frame["value"], mode="lines", name=choice))
fig.add_vline(x=pd.Timestamp("2014-06-01").timestamp() * 1000, line_dash="dot")
fig.update_layout(height=440, title=choice)
st.plotly_chart(fig, key="chart")
