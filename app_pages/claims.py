"""Claims: what the two documents claim that numbers can speak to; for each, the exact words, the document,
a chart of the series that bear on it and a neutral note of what those series show. One claim at a time,
so the page draws at most two charts."""

import streamlit as st

from app.charts.figures import ChartText
from app.citations import quote_markdown
from app.i18n import translator
from app.links import EXPLORE_PAGE, link_label, references
from app.runtime import cache, data, ui
from app.runtime.device import expected_plot_px
from app.text import escape_markdown, inert
from app.views.claims import chart_groups, claim_figure, claim_label, claim_range
from loaders.events import cite_document

TEXT = {
    "intro": {
        "en": "Claims in the two documents that numbers can speak to. For each: the document's exact words, "
        "a chart of the dashboard's series that bear on it, with the documents' events marked, and a note of "
        "what those series show. The dashboard takes no side: it shows the numbers and where they come from.",
        "es": "Afirmaciones de los dos documentos sobre las que las cifras pueden decir algo. Para cada una: las "
        "palabras exactas del documento, un gráfico de las series del tablero relacionadas, con los eventos de "
        "los documentos marcados, y una nota de lo que muestran esas series. El tablero no toma partido: "
        "muestra las cifras y de dónde provienen.",
    },
    "choose": {"en": "Claim ({n} in all)", "es": "Afirmación ({n} en total)"},
    "claim_param": {
        "en": "The link asked for claim “{value}”, which is not in the catalogue; showing the first claim.",
        "es": "El enlace pedía la afirmación «{value}», que no está en el catálogo; se muestra la primera.",
    },
    "also_in": {"en": "Also in", "es": "También en"},
    "data_show": {"en": "What the data show", "es": "Lo que muestran los datos"},
    "references": {"en": "References", "es": "Referencias"},
    "more_series": {
        "en": "Other series that bear on this claim: {titles}.",
        "es": "Otras series relacionadas con esta afirmación: {titles}.",
    },
    "open_explore": {"en": "Open these series in Explore", "es": "Abrir estas series en Explorar"},
    "log_note": {
        "en": "Logarithmic scale: each gridline step is a multiplication, so 100% and 100,000% fit on one chart.",
        "es": "Escala logarítmica: cada paso de la cuadrícula es una multiplicación, así que 100% y 100.000% "
        "caben en un gráfico.",
    },
}

lang = ui.current_language()
tr = translator(TEXT, lang)
claims = data.claims().reset_index(drop=True)
catalog = data.series_catalog()
by_id = {row.id: (i + 1, row) for i, row in enumerate(claims.itertuples())}

st.title(tr("page_claims"))
st.caption(tr("intro"))

# ?claim=<id> opens a claim (a shareable link); the URL follows the selector. The URL is read only when it
# changed from what this page last wrote, so it does not undo the reader's choice.
asked = st.query_params.get("claim")
if asked != st.session_state.get("claims-url"):
    if asked in by_id:
        st.session_state["claims-choice"] = asked
    elif asked:
        st.warning(tr("claim_param", value=inert(asked)))
choice = st.selectbox(
    tr("choose", n=len(claims)),
    list(by_id),
    format_func=lambda cid: claim_label(by_id[cid][0], by_id[cid][1].quote),
    key="claims-choice",
)
st.query_params["claim"] = st.session_state["claims-url"] = choice
ui.keep_language_in_url(lang)
number, claim = by_id[choice]

with st.container(border=True):
    st.markdown(quote_markdown(claim.quote, cite_document(claim.document, lang, data.documents())))
    for other in claim.also_in or []:
        if isinstance(other, dict) and other.get("quote"):
            st.caption(f"{tr('also_in')}:")
            st.markdown(quote_markdown(other["quote"], cite_document(other.get("document"), lang, data.documents())))

st.header(tr("data_show"))
series_ids = [s for s in (claim.series or []) if s in catalog.index]
groups = chart_groups(series_ids, catalog)
if not series_ids or isinstance(claim.no_series_note_en, str):
    note = getattr(claim, f"no_series_note_{lang}")
    if isinstance(note, str) and note:
        st.info(escape_markdown(note), icon=":material/info:")

plot_px = expected_plot_px(st.context.headers.get("User-Agent"))
names = ui.category_names(lang)
frames = {}
for sid in [sid for group in groups for sid in group]:
    frame, error = data.try_series(sid)
    if frame is None:
        ui.warn_not_loaded(sid, error, lang)
    else:
        frames[sid] = frame
# Built once per input and shared by every session (app.runtime.cache).
x_range = cache.build_shared(claim_range, groups, frames)
for position, group in enumerate(groups):
    shown = [sid for sid in group if sid in frames]
    if not shown:
        continue
    text = ChartText(source=data.source_line(shown, lang), left_out=tr("left_out"))
    events = data.events_for(shown)
    fig, plotted = cache.build_shared(
        claim_figure,
        shown,
        {sid: frames[sid] for sid in shown},
        catalog,
        events,
        lang,
        text,
        category_names=names,
        plot_px=plot_px,
        x_range=x_range,
        countries=claim.countries,
    )
    ui.show_chart(fig, key=f"claim-{choice}-{position}")
    if fig.layout.yaxis.type == "log":
        st.caption(tr("log_note"))
    ui.download_csv(plotted, shown, lang, f"{choice}-{position + 1}.csv", key=f"claim-download-{choice}-{position}")

st.markdown(escape_markdown(getattr(claim, f"note_{lang}")))
charted = [sid for group in groups for sid in group]
others = [sid for sid in series_ids if sid not in charted]
if others:
    titles = ", ".join(catalog.loc[sid, f"title_{lang}"] for sid in others)
    st.caption(escape_markdown(tr("more_series", titles=titles)))
if charted:
    st.page_link(
        EXPLORE_PAGE,
        label=tr("open_explore"),
        icon=":material/query_stats:",
        query_params={"series": ",".join(charted), "lang": lang}
        | ({"countries": ",".join(claim.countries)} if claim.countries else {}),
    )
links = references(claim.references)
if links:
    st.caption(f"{tr('references')}: " + ", ".join(f"[{escape_markdown(link_label(u))}]({u})" for u in links))
