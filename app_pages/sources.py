"""Sources: every series with its provenance and a download, and the two documents behind the events."""

import streamlit as st

from app.i18n import translator
from app.links import safe_link
from app.runtime import cache, data, ui
from app.text import escape_markdown
from app.views.publishers import (
    context_event_count,
    coverage,
    document_counts,
    filter_sources,
    licences,
    sources_table,
)

TEXT = {
    "catalogue_not_loaded": {
        "en": "The events and claims could not be loaded ({error}).",
        "es": "No se pudieron cargar los eventos y las afirmaciones ({error}).",
    },
    "intro": {
        "en": "Where every number comes from: publisher, upstream code, licence, coverage, when the dashboard "
        "retrieved it, and how to cite it. The dashboard reads only these saved snapshots; it never fetches data "
        "while you read.",
        "es": "De dónde sale cada cifra: editor, código de origen, licencia, cobertura, cuándo la consultó el "
        "tablero y cómo citarla. El tablero solo lee estas copias guardadas; nunca descarga datos mientras usted lee.",
    },
    "series_header": {"en": "Series ({n} of {total})", "es": "Series ({n} de {total})"},
    "topic": {"en": "Topic", "es": "Tema"},
    "publisher": {"en": "Publisher", "es": "Editor"},
    "all": {"en": "All", "es": "Todos"},
    "filter_help": {"en": "Leave empty to show all.", "es": "Déjelo vacío para ver todo."},
    "col_title": {"en": "Series", "es": "Serie"},
    "col_id": {"en": "Id", "es": "Id"},
    "col_dataset": {"en": "Dataset", "es": "Conjunto de datos"},
    "col_code": {"en": "Upstream code", "es": "Código de origen"},
    "col_unit": {"en": "Unit", "es": "Unidad"},
    "col_frequency": {"en": "Frequency", "es": "Frecuencia"},
    "col_first": {"en": "First date", "es": "Primera fecha"},
    "col_last": {"en": "Last date", "es": "Última fecha"},
    "venezuela_help": {
        "en": "The years (or months, days) with a value for Venezuela in the snapshot. Empty for world oil prices "
        "and for UNHCR's series by host country, whose countries are the hosts; in UNHCR's other series Venezuela "
        "is the country of origin.",
        "es": "Los años (o meses, días) con un valor para Venezuela en la copia guardada. Vacío para los precios "
        "mundiales del petróleo y para la serie del ACNUR por país de acogida, cuyos países son los de acogida; en "
        "las demás series del ACNUR Venezuela es el país de origen.",
    },
    "col_n_countries": {"en": "Countries (n)", "es": "Países (n)"},
    "col_countries": {"en": "Countries", "es": "Países"},
    "countries_help": {
        "en": "ISO 3166 codes; * means every host country in the data (their number in brackets).",
        "es": "Códigos ISO 3166; * significa todos los países de acogida presentes en los datos (su número entre "
        "paréntesis).",
    },
    "col_rows": {"en": "Rows", "es": "Filas"},
    "col_retrieved": {"en": "Retrieved", "es": "Consultado"},
    "col_licence": {"en": "Licence", "es": "Licencia"},
    "col_edition": {"en": "Edition", "es": "Edición"},
    "col_licence_url": {"en": "Licence terms", "es": "Términos de la licencia"},
    "col_canonical_url": {"en": "Page at the source", "es": "Página en la fuente"},
    "col_citation": {"en": "Citation", "es": "Cita"},
    "licences_header": {"en": "Licences", "es": "Licencias"},
    "licence_line": {"en": "{link}: {n} series", "es": "{link}: {n} series"},
    "download_header": {"en": "Download one series", "es": "Descargar una serie"},
    "download_pick": {"en": "Series", "es": "Serie"},
    "download_button": {
        "en": "Download the whole series (CSV, with source and licence)",
        "es": "Descargar la serie completa (CSV, con fuente y licencia)",
    },
    "download_help": {
        "en": "The whole snapshot as CSV, headed by its source, retrieval date, licence and citation.",
        "es": "La copia completa en CSV, encabezada por su fuente, fecha de consulta, licencia y cita.",
    },
    "detail": {
        "en": "**{title}**: {description}  \nDataset: {dataset}, code `{code}` · {link}  \nCite as: {citation}",
        "es": "**{title}**: {description}  \nConjunto de datos: {dataset}, código `{code}` · {link}  \n"
        "Cítese como: {citation}",
    },
    "open_source_page": {"en": "page at the source", "es": "página en la fuente"},
    "no_match": {
        "en": "No series matches this topic and publisher.",
        "es": "Ninguna serie coincide con este tema y editor.",
    },
    "documents_header": {"en": "The two source documents", "es": "Los dos documentos de origen"},
    "documents_intro": {
        "en": "The events marked on the charts and the claims checked against the data come from two partisan "
        "documents that disagree. The dashboard quotes both and takes no side. {events} events ({from_docs} from "
        "the documents, {context} added as context and drawn in grey) and {claims} claims.",
        "es": "Los eventos marcados en los gráficos y las afirmaciones contrastadas con los datos vienen de dos "
        "documentos partidistas que discrepan. El tablero cita a ambos y no toma partido. {events} eventos "
        "({from_docs} de los documentos, {context} añadidos como contexto y dibujados en gris) y {claims} "
        "afirmaciones.",
    },
    "document_counts": {
        "en": "Events quoted from it: {events} as the main source, {events_also} more as a second source. "
        "Claims quoted from it: {claims} as the main source, {claims_also} more as a second source.",
        "es": "Eventos citados de él: {events} como fuente principal, {events_also} más como segunda fuente. "
        "Afirmaciones citadas de él: {claims} como fuente principal, {claims_also} más como segunda fuente.",
    },
}

lang = ui.current_language()
tr = translator(TEXT, lang)
st.title(tr("page_sources"))
st.caption(tr("intro"))

cat = data.series_catalog()


# Built once per language and data version and shared by every session (app.runtime.cache): read, never modified.
frames = {sid: frame for sid in cat.index if (frame := data.try_series(sid)[0]) is not None}
table = cache.build_shared(sources_table, cat, lang, *cache.build_shared(coverage, cat, frames))

left, right = st.columns(2)
# No "Select all": Streamlit writes it in English only, and choosing nothing already shows every series.
with left:
    topics = st.multiselect(
        tr("topic"),
        sorted(table["topic"].unique()),
        help=tr("filter_help"),
        key="src_topics",
        placeholder=tr("all"),
        select_all=False,
    )
with right:
    publishers = st.multiselect(
        tr("publisher"),
        sorted(table["publisher"].unique()),
        help=tr("filter_help"),
        key="src_publishers",
        placeholder=tr("all"),
        select_all=False,
    )
shown = filter_sources(table, topics, publishers)

st.header(tr("series_header", n=len(shown), total=len(table)))
text_col = st.column_config.TextColumn
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    height=min(35 * (len(shown) + 1) + 3, 528),
    column_order=[
        "title",
        "edition",
        "publisher",
        "code",
        "licence",
        "licence_url",
        "first",
        "last",
        "venezuela",
        "countries",
        "retrieved",
        "canonical_url",
        "citation",
        "topic",
        "dataset",
        "unit",
        "frequency",
        "n_countries",
        "rows",
        "id",
    ],
    column_config={
        "title": text_col(tr("col_title"), width="medium"),
        "id": text_col(tr("col_id")),
        "topic": text_col(tr("topic")),
        "publisher": text_col(tr("publisher")),
        "dataset": text_col(tr("col_dataset")),
        "edition": text_col(tr("col_edition"), width="medium"),
        "code": text_col(tr("col_code")),
        "unit": text_col(tr("col_unit")),
        "frequency": text_col(tr("col_frequency")),
        "first": text_col(tr("col_first")),
        "last": text_col(tr("col_last")),
        "venezuela": text_col("Venezuela", help=tr("venezuela_help")),
        "n_countries": st.column_config.NumberColumn(tr("col_n_countries"), format="%d"),
        "countries": text_col(tr("col_countries"), help=tr("countries_help")),
        "rows": st.column_config.NumberColumn(tr("col_rows"), format="%d"),
        "retrieved": text_col(tr("col_retrieved")),
        "licence": text_col(tr("col_licence")),
        "licence_url": st.column_config.LinkColumn(tr("col_licence_url"), display_text=r"https?://(?:www\.)?([^/]+)"),
        "canonical_url": st.column_config.LinkColumn(tr("col_canonical_url")),
        "citation": text_col(tr("col_citation"), width="large"),
    },
)
if shown.empty:
    st.info(tr("no_match"))

st.markdown("**" + tr("licences_header") + "**")
st.markdown(
    "\n".join(
        "- " + tr("licence_line", link=safe_link(row.licence, row.licence_url), n=row.series)
        for row in licences(cat, lang).itertuples()
    )
)

st.header(tr("download_header"))
choices = shown["id"].tolist() or table["id"].tolist()
picked = st.selectbox(
    tr("download_pick"),
    choices,
    format_func=lambda sid: f"{cat.loc[sid, f'title_{lang}']} ({sid})",
    help=tr("download_help"),
    key="src_pick",
)
row = cat.loc[picked]
st.markdown(
    tr(
        "detail",
        title=escape_markdown(row[f"title_{lang}"]),
        description=escape_markdown(row[f"description_{lang}"]),
        dataset=escape_markdown(row[f"source_name_{lang}"]),
        code=str(row["code"]).replace("`", "'"),
        link=safe_link(tr("open_source_page"), row["canonical_url"]),
        citation=escape_markdown(row["citation"]),
    )
)
frame, error = data.try_series(picked)
if frame is None:
    ui.warn_not_loaded(picked, error, lang)
else:
    ui.download_csv(frame, [picked], lang, file_name=f"{picked}.csv", key="src_download", label=tr("download_button"))

st.header(tr("documents_header"))
try:
    events, claims, documents = data.events(), data.claims(), data.documents()
    counts = list(document_counts(events, claims, documents).itertuples())
except Exception as e:  # a broken events file: still list the documents cited, without the counts
    st.warning(tr("catalogue_not_loaded", error=escape_markdown(str(e).split(". ")[0][:200])), icon="⚠️")
    events, claims, documents, counts = None, None, {}, []
if events is not None:
    n_context = context_event_count(events)
    st.markdown(
        tr(
            "documents_intro",
            events=len(events),
            from_docs=len(events) - n_context,
            context=n_context,
            claims=len(claims),
        )
    )
by_document = {doc.document: doc for doc in counts}
for name in dict.fromkeys([*documents, *by_document]):
    with st.container(border=True):
        described = documents.get(name) or {}
        label = (described.get("label") or {}).get(lang)
        st.markdown((f"**{escape_markdown(label)}** · " if label else "") + "`" + str(name).replace("`", "'") + "`")
        if (description := (described.get("description") or {}).get(lang)) is not None:
            st.markdown(escape_markdown(description))
        if (doc := by_document.get(name)) is not None:
            st.caption(
                tr(
                    "document_counts",
                    events=doc.events,
                    events_also=doc.events_also,
                    claims=doc.claims,
                    claims_also=doc.claims_also,
                )
            )
