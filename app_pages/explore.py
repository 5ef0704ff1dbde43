"""Explore: any series, any countries, on one time axis, with events marked; the whole view lives in the URL."""

import pandas as pd
import streamlit as st

from app import lessons as lesson_words
from app.charts import explore_figure
from app.i18n import translator
from app.runtime import data, ui
from app.runtime import lessons as lesson_ui
from app.runtime.embed import embedded_chart, is_embedded, share_controls, show_only_the_embedded_view
from app.runtime.upload import upload_panel
from app.text import escape_markdown
from app.views import (
    explore_controls,
    explore_series,
    explore_shared,
    explore_state,
    explore_view,
)
from app.views.explore_controls import WIDGET_KEYS as K
from loaders.metadata import country_name

lang = ui.current_language()
embedded = is_embedded()  # ?embed=true: the chart alone, for a frame in another page
if embedded:
    show_only_the_embedded_view()
tr = translator(explore_view.TEXT, lang)
catalog = data.series_catalog()
all_events = data.events()
lesson_ui.current(catalog, all_events["id"], lang)  # a lesson arriving in the link, before the page rewrites it
category_keys = explore_controls.event_category_keys(all_events, data.event_categories())
cat_names = ui.category_names(lang)
event_years, event_ids, event_labels = explore_shared.event_choices(lang)
series_options, series_labels = explore_shared.series_choices(lang)


def zoom_to_event() -> None:
    years = explore_controls.years_around_event(event_years, st.session_state.get(K["event"]))
    if years is not None:
        st.session_state[K["years"]] = years


# ------------------------------------------------------------ read the URL (once per new link)
arrival = explore_controls.arrival(
    st.query_params.to_dict(), st.session_state, list(catalog.index), category_keys, event_years
)
st.session_state.update(arrival.widgets)

st.title(tr("page_explore"))
st.caption(tr("intro"))
warnings = st.container()
for problem in arrival.problems:
    warnings.warning(problem.message(lang), icon="⚠️")

# ------------------------------------------------------------ what to show
left, right = st.columns([3, 2])
# No bulk "Select all" / "Select N matches" (select_all=False): Enter in the search would add every match, and
# Streamlit writes those words in English only.
with left:
    series_ids = st.multiselect(
        tr("series"),
        series_options,
        format_func=series_labels.get,
        key=K["series"],
        max_selections=explore_state.MAX_SERIES,
        wrap=True,
        help=tr("series_help", n=explore_state.MAX_SERIES),
        select_all=False,
    )
if not series_ids:
    st.info(tr("pick_series"))
    # The address follows the emptied choice, so a reload or a shared link shows it too.
    params, written = explore_controls.url_without_series(st.query_params.to_dict())
    st.query_params.from_dict(params)
    ui.keep_language_in_url(lang)
    st.session_state[explore_controls.URL_WRITTEN] = written
    st.stop()

loaded: dict[str, data.SeriesData] = {}
for sid in series_ids:
    series, error = data.try_series_data(sid)
    if series is None:
        ui.warn_not_loaded(sid, error, lang)
    else:
        loaded[sid] = series
if not loaded:
    st.stop()
available = {sid: list(series.frame["country"].unique()) for sid, series in loaded.items()}
with right:
    countries = st.multiselect(
        tr("countries"),
        explore_controls.country_options(available, st.session_state.get(K["countries"], []), lang),
        format_func=lambda c: f"{country_name(c, lang)} ({c})",
        key=K["countries"],
        max_selections=explore_state.MAX_COUNTRIES,
        wrap=True,
        select_all=False,
        help=tr("countries_help"),
    )
choices = {
    sid: explore_series.countries_for(available[sid], countries or explore_state.DEFAULT_COUNTRIES) for sid in loaded
}
used_countries = {sid: choice.used for sid, choice in choices.items()}

# The years and base years the chosen series (for the countries drawn) have.
years_present: set[int] = set()
for sid, series in loaded.items():
    years_present |= explore_shared.years(series, choices[sid].used)
years_fit = explore_controls.fit_years(st.session_state, years_present)
st.session_state.update(years_fit.widgets)

c1, c2, c3 = st.columns([3, 1.6, 3])
with c1:
    transform = st.radio(
        tr("transform"),
        explore_state.TRANSFORMS,
        format_func=lambda t: tr(f"transform_{t}"),
        key=K["transform"],
        horizontal=True,
    )
with c2:
    st.selectbox(tr("base"), years_fit.base_years, key=K["base"], disabled=transform != "index")
    st.toggle(tr("log"), key=K["log"], help=tr("log_help"))
with c3:
    st.slider(tr("years"), min_value=years_fit.lo, max_value=years_fit.hi, key=K["years"])

with st.expander(tr("more"), expanded=explore_controls.more_options_open(st.session_state, category_keys)):
    m1, m2 = st.columns(2)
    with m1:
        st.radio(
            tr("freq"), explore_state.FREQUENCIES, format_func=lambda f: tr(f"freq_{f}"), key=K["freq"], horizontal=True
        )
        st.radio(
            tr("layout"),
            explore_state.LAYOUTS,
            format_func=lambda v: tr(f"layout_{v}"),
            key=K["layout"],
            horizontal=True,
        )
    with m2:
        st.multiselect(
            tr("cats"),
            category_keys,
            format_func=lambda c: cat_names.get(c, c),
            key=K["cats"],
            wrap=True,
            select_all=False,
        )
        st.selectbox(
            tr("event"),
            [""] + event_ids,
            format_func=lambda e: event_labels.get(e, tr("event_none")),
            key=K["event"],
            on_change=zoom_to_event,
            help=tr("event_help"),
        )

state = explore_controls.state_from_widgets(st.session_state, category_keys, lang)

# ------------------------------------------------------------ say what the chart does differently from the choice
for notice in explore_controls.notices(state, years_fit, arrival.from_url, loaded=len(loaded)):
    if notice.kind == "warning":
        warnings.warning(notice.text, icon="⚠️")
    elif notice.kind == "caption":
        st.caption(notice.text)
    else:
        st.info(notice.text)
dual = explore_controls.dual_axes(state, loaded=len(loaded))

notes: list[str] = []
frames: dict[str, pd.DataFrame] = {}
table_parts: dict[str, pd.DataFrame] = {}  # frames' rows of the table, built once per series
panels: list[explore_figure.Panel] = []
for sid, series in loaded.items():
    shown, table_parts[sid] = explore_shared.rows(series, choices[sid].used, state)
    notes += explore_view.series_notes(series.entry, choices[sid], shown, state, countries)
    frames[sid] = shown
lines = sum(frame["country"].nunique() for frame in frames.values())
thinned = False
for sid, shown in frames.items():
    drawn = explore_shared.for_drawing(loaded[sid], choices[sid].used, state, lines)
    thinned |= len(drawn) < len(shown)
    panels.append(explore_view.series_panel(loaded[sid].entry, drawn, state))
with st.expander(tr("try_yours")):
    uploads = upload_panel(lang)
for name, frame in uploads:
    frames[name], panel = explore_view.uploaded_panel(name, frame, state, lines)
    table_parts[name] = explore_series.table_part(name, frames[name])
    panels.append(panel)
if thinned:
    notes.append(tr("thinned"))
for note in notes:
    st.caption(note)

x_range = (pd.Timestamp(year=state.start, month=1, day=1), pd.Timestamp(year=state.end, month=12, day=31))
# Built once per view and shared by every session that asks for it (never for a session's own uploads).
shown_events, event_marks = explore_shared.events_to_show(
    list(loaded), state.cats, state.event, lang, x_range, cat_names
)
fig = explore_shared.shared_unless_uploaded(
    uploads,
    explore_figure.explore_figure,
    panels,
    shown_events,
    lang,
    source="; ".join(
        [data.source_line(list(loaded), lang)]
        + ([tr("uploaded_source", names=", ".join(name for name, _ in uploads))] if uploads else [])
    ),
    x_range=x_range,
    dual=dual,
    log=state.log,
    country_order=countries,
    category_names=cat_names,
    highlight={state.event} if state.event else None,
    left_out=tr("left_out"),
    event_marks=event_marks,
)
chart_title = " · ".join(panel.title for panel in panels)
view_params = explore_state.state_to_params(state)
if embedded:
    embedded_chart(fig, chart_title, "explore", "explore-chart", view_params)
    st.stop()
ui.show_chart(fig, key="explore-chart")
share_controls(fig, chart_title, "explore", f"explore_{state.transform}", "explore", view_params)
drawn_lines = {sid: choices[sid].used for sid in loaded}
chart_view = lesson_words.ChartView(
    drawn_lines, (state.start, state.end), state.event, state.transform, state.base, state.log
)
lesson_ui.add_step_control(chart_view, catalog, lang)

# ------------------------------------------------------------ before / after the highlighted event
if state.event:
    ev = all_events.set_index("id").loc[state.event]

    st.header(tr("before_after", title=escape_markdown(ev[f"title_{lang}"])))
    st.caption(tr("before_after_note", date=f"{ev['start']:%Y-%m-%d}"))
    changes = explore_shared.before_after_table(loaded.values(), used_countries, state, ev["start"])
    st.table(changes, hide_index=True)

# ------------------------------------------------------------ the table of exactly what is plotted
table = explore_shared.shared_unless_uploaded(uploads, explore_series.table_of_parts, list(table_parts.values()))
st.header(tr("table"))
st.caption(tr("table_note", rows=f"{len(table):,}".replace(",", "." if lang == "es" else ",")))
readings = {panel.series_id: (panel.frequency, panel.period) for panel in panels}
titles = {panel.series_id: panel.title for panel in panels}
view = explore_shared.shared_unless_uploaded(uploads, explore_series.table_view, table, lang, readings, titles)
st.dataframe(
    view,
    hide_index=True,
    column_config={
        # Written in Python: the browser's locale would otherwise choose the separators, not ?lang=.
        "date": st.column_config.TextColumn(tr("col_date")),
        "country": tr("col_country"),
        "series": tr("col_series"),
        "value": st.column_config.TextColumn(tr("col_value"), alignment="right"),
        "status": tr("col_status"),
    },
    key="explore-table",
)
ui.download_csv(table, list(loaded), lang, file_name=f"explore_{state.transform}.csv", key="explore-csv")

# ------------------------------------------------------------ the URL holds the whole view
params, written = explore_controls.url_after_run(state)
st.query_params.from_dict(params)
lesson_ui.keep_in_url()  # the teacher's lesson survives a reload of Explore too
ui.keep_language_in_url(lang)
st.session_state[explore_controls.URL_WRITTEN] = written
st.session_state[explore_controls.LAST_STATE] = state
