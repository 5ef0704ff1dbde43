"""The chart a reader's browser gets is the figure the page built, however it is sent."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from app.runtime import ui


def _figure(scale: float = 1.0) -> go.Figure:
    dates = pd.date_range("2018-07-01", periods=5, freq="YS-JUL")
    fig = go.Figure(go.Scatter(x=dates, y=np.array([1.0, np.nan, 3.5, -2.0, 1e6]) * scale, customdata=[["a"]] * 5))
    fig.add_vline(x=pd.Timestamp("2019-01-28"), line_dash="dot")
    fig.update_layout(title="Producción <b>", xaxis_range=[dates[0], dates[-1]])
    return fig


def test_streamlit_sends_the_same_json_as_plotly_makes_of_the_figure():
    fig = _figure()
    sent = json.loads(pio.to_json(ui.wire_figure(fig).to_dict(), validate=False))
    assert sent == json.loads(pio.to_json(fig.to_dict(), validate=False))
    assert sent["layout"]["shapes"][0]["x0"].startswith("2019-01-28")


def test_each_figure_is_sent_as_itself_never_as_another_figure_that_was_shown_before():
    first, second = _figure(1.0), _figure(2.0)
    assert ui.wire_figure(first) is ui.wire_figure(first)
    first_sent = pio.to_json(ui.wire_figure(first).to_dict(), validate=False)
    second_sent = pio.to_json(ui.wire_figure(second).to_dict(), validate=False)
    assert first_sent != second_sent
    assert second_sent == pio.to_json(second.to_dict(), validate=False)
