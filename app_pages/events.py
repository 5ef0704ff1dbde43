"""Events: every event the two documents describe (and the few context events) on a timeline and in a list,
each with its exact quote, its document and a link to the numbers around it in Explore."""

import streamlit as st

from app.charts.figures import ChartText
from app.i18n import translator
from app.links import EXPLORE_PAGE
from app.runtime import cache, data, ui
from app.runtime.device import expected_plot_px
from app.views.events import (
    CONTEXT,
    chronological,
    event_cards,
    explore_params,
    filter_events,
    format_when,
    timeline_figure,
    timeline_range,
)
from loaders.events import cite_document

TEXT = {
    "intro": {
        "en": "What two partisan documents say happened, and when it happened according to public references. "
        "The documents disagree with each other; each event shows a document's exact words and names the "
        "document. Grey, hollow markers are context added by the dashboard, not taken from the documents.",
        "es": "Lo que dos documentos partidistas dicen que ocurrió, y cuándo ocurrió según referencias públicas. "
        "Los documentos no coinciden entre sí; cada evento muestra las palabras exactas de un documento y lo "
        "nombra. Los marcadores grises y huecos son contexto añadido por el tablero, no tomado de los documentos.",
    },
    "categories": {"en": "Categories", "es": "Categorías"},
    "all_categories": {"en": "All categories", "es": "Todas las categorías"},
    "document": {"en": "Document", "es": "Documento"},
    "all_documents": {"en": "Both documents and context", "es": "Ambos documentos y contexto"},
    "context_only": {"en": "Context only (not from the documents)", "es": "Solo contexto (no de los documentos)"},
    "timeline_title": {"en": "Timeline", "es": "Línea de tiempo"},
    "timeline_help": {
        "en": "◆ a point in time, ▬ a period (▶ still going on in 2025); numbers match the list below. "
        "Hover over or tap an event for its title, date and quote.",
        "es": "◆ un momento, ▬ un período (▶ aún en curso en 2025); los números corresponden a la lista de abajo. "
        "Pase el cursor o toque un evento para ver su título, fecha y cita.",
    },
    "timeline_source": {
        "en": "Events as the documents describe them: {docs}; dates from the public references in the list. "
        "Grey row: context, not from the documents.",
        "es": "Eventos según los describen los documentos: {docs}; fechas según las referencias públicas de la "
        "lista. Fila gris: contexto, no de los documentos.",
    },
    "choose": {"en": "See the numbers around an event", "es": "Ver las cifras en torno a un evento"},
    "choose_placeholder": {"en": "Choose an event", "es": "Elija un evento"},
    "open_explore": {"en": "Open in Explore", "es": "Abrir en Explorar"},
    "explore_link": {"en": "The numbers around it, in Explore", "es": "Las cifras en torno a él, en Explorar"},
    "no_series": {
        "en": "No series in the dashboard measures this event; it appears only on the timeline.",
        "es": "Ninguna serie del tablero mide este evento; solo aparece en la línea de tiempo.",
    },
    "list_title": {"en": "{n} events", "es": "{n} eventos"},
    "list_title_filtered": {"en": "{n} of {total} events", "es": "{n} de {total} eventos"},
    "none_match": {
        "en": "No event matches these filters. Clear the categories or choose another document.",
        "es": "Ningún evento coincide con estos filtros. Quite las categorías o elija otro documento.",
    },
    "also_in": {"en": "Also in", "es": "También en"},
    "date_reference": {"en": "Date reference", "es": "Referencia de la fecha"},
    "date_in_quote": {"en": "The quote itself gives the date.", "es": "La propia cita da la fecha."},
    "context_badge": {"en": "Context", "es": "Contexto"},
    "why": {"en": "Why it is here", "es": "Por qué está aquí"},
    "context_note": {
        "en": "Added by the dashboard for context; neither document mentions it.",
        "es": "Añadido por el tablero como contexto; ningún documento lo menciona.",
    },
}

lang = ui.current_language()
tr = translator(TEXT, lang)
names = ui.category_names(lang)
documents = data.documents()
category_order = list(data.event_categories())
all_events = cache.shallow_copy(cache.build_shared(chronological, data.events()))

st.title(tr("page_events"))
st.caption(tr("intro"))

left, right = st.columns(2)
with left:
    # No "Select all": Streamlit writes it in English only, and choosing nothing already shows every category.
    chosen_categories = st.multiselect(
        tr("categories"),
        category_order,
        format_func=lambda key: names.get(key, key),
        placeholder=tr("all_categories"),
        key="events-categories",
        select_all=False,
    )
with right:
    document = st.selectbox(
        tr("document"),
        [None, *documents, CONTEXT],
        format_func=lambda d: (
            tr("all_documents")
            if d is None
            else tr("context_only")
            if d == CONTEXT
            else cite_document(d, lang, documents)
        ),
        key="events-document",
    )
# Shared, so the timeline's key names it by a look-up instead of reading its every cell.
shown = cache.shallow_copy(cache.build_shared(filter_events, all_events, chosen_categories, document))

if shown.empty:
    st.info(tr("none_match"))
    st.stop()

by_id = {row.id: row for row in shown.itertuples()}
st.header(tr("timeline_title"))
st.caption(tr("timeline_help"))
choice = st.selectbox(
    tr("choose"),
    list(by_id),
    index=None,
    format_func=lambda eid: (
        f"{by_id[eid].number}. {getattr(by_id[eid], f'title_{lang}')} "
        f"({format_when(by_id[eid].start, by_id[eid].end, by_id[eid].precision, bool(by_id[eid].ongoing), lang)})"
    ),
    placeholder=tr("choose_placeholder"),
    key="events-choice",
)
if choice is not None:
    params = explore_params(by_id[choice], lang)
    if params is None:
        st.info(tr("no_series"), icon=":material/info:")
    elif st.button(tr("open_explore"), icon=":material/query_stats:", type="primary", key="events-open"):
        st.switch_page(EXPLORE_PAGE, query_params=params)

text = ChartText(source=tr("timeline_source", docs="; ".join(cite_document(d, lang, documents) for d in documents)))
fig = cache.build_shared(
    timeline_figure,
    shown,
    lang,
    names,
    text,
    category_order,
    highlight=choice,
    x_range=timeline_range(all_events),
    plot_px=expected_plot_px(st.context.headers.get("User-Agent")),
)
ui.show_chart(fig, key="events-timeline")

if len(shown) == len(all_events):
    st.header(tr("list_title", n=len(shown)))
else:
    st.header(tr("list_title_filtered", n=len(shown), total=len(all_events)))

words = {
    key: tr(key)
    for key in ("context_badge", "why", "context_note", "also_in", "date_reference", "date_in_quote", "no_series")
}
for card in cache.build_shared(event_cards, shown, lang, names, documents, words):
    with st.container(border=True, gap="small"):
        st.markdown(card.markdown)
        if card.explore is not None:
            st.page_link(
                EXPLORE_PAGE, label=tr("explore_link"), icon=":material/query_stats:", query_params=card.explore
            )
