"""Presenter mode: a story told one big chart at a time, for a class; each step has its own URL and QR code,
and the whole story downloads as a slide pack (PNG slides, CSV data, handout)."""

import os

import streamlit as st

from app.i18n import translator
from app.runtime import cache, data, ui
from app.runtime.device import is_phone
from app.text import escape_markdown
from app.views import presenter, slide_pack
from loaders import stories as story_catalogue

TEXT = {
    "intro": {
        "en": "Present a story to a class, one chart at a time. Move with the ← and → keys or the buttons; "
        "press F11 for full screen. Students can scan the QR code to open the same chart on their phones.",
        "es": "Presente una historia a una clase, un gráfico a la vez. Avance con las teclas ← y → o con los "
        "botones; pulse F11 para pantalla completa. Los estudiantes pueden escanear el código QR para abrir el "
        "mismo gráfico en su teléfono.",
    },
    "story": {"en": "Story", "es": "Historia"},
    "step_of": {"en": "Step {n} of {total}", "es": "Paso {n} de {total}"},
    "previous": {"en": "Previous", "es": "Anterior"},
    "next": {"en": "Next", "es": "Siguiente"},
    "end": {"en": "End of the story", "es": "Fin de la historia"},
    "show_notes": {"en": "Show the teacher's notes", "es": "Mostrar las notas del docente"},
    "question": {"en": "Discussion question", "es": "Pregunta para la clase"},
    "documents_say": {"en": "What the documents say", "es": "Lo que dicen los documentos"},
    "scan": {"en": "Open this step on a phone", "es": "Abra este paso en un teléfono"},
    "qr_alt": {
        "en": "QR code of this step's address, written out below it",
        "es": "Código QR de la dirección de este paso, escrita debajo",
    },
    "local_only": {
        "en": "This address names this computer, so phones cannot open it. To share, start the dashboard with "
        "`--server.address 0.0.0.0` and open it through this computer's network address, or set "
        "DASHBOARD_PUBLIC_URL to the address students can reach.",
        "es": "Esta dirección corresponde a este equipo, así que los teléfonos no pueden abrirla. Para compartir, "
        "inicie el tablero con `--server.address 0.0.0.0` y ábralo con la dirección de red de este equipo, o "
        "defina DASHBOARD_PUBLIC_URL con la dirección que los estudiantes puedan abrir.",
    },
    "export": {"en": "Download the slide pack (ZIP)", "es": "Descargar la presentación (ZIP)"},
    "pack_queue": {
        "en": "Slide packs being drawn or waiting on this server: {n}. One drawn at a time; a new one is number "
        "{next} in line.",
        "es": "Presentaciones que el servidor dibuja o tiene en espera: {n}. Se dibuja una a la vez; una nueva es la "
        "número {next} de la fila.",
    },
    "export_help": {
        "en": "The whole story: one PNG slide per step (1600×900, with its source line), the data of each step "
        "as CSV, and a handout (HTML and Markdown) with the notes, questions, quotes and citations. "
        "It takes a few seconds.",
        "es": "Toda la historia: una diapositiva PNG por paso (1600×900, con su línea de fuente), los datos de "
        "cada paso en CSV y una guía (HTML y Markdown) con las notas, preguntas, citas y referencias. "
        "Tarda unos segundos.",
    },
    "no_browser": {
        "en": "No Chromium or Chrome was found on the computer running the dashboard, so the slide pack will "
        "hold the data and the handout but no PNG slides.",
        "es": "No se encontró Chromium ni Chrome en el equipo que ejecuta el tablero, así que la presentación "
        "tendrá los datos y la guía pero no las diapositivas PNG.",
    },
    "bad_story": {
        "en": "The address asks for story “{value}” (parameter story), which does not exist; expected one of: "
        "{expected}. Showing the first story instead.",
        "es": "La dirección pide la historia «{value}» (parámetro story), que no existe; se esperaba una de: "
        "{expected}. Se muestra la primera historia.",
    },
    "bad_step": {
        "en": "The address asks for step “{value}” (parameter step), but this story has steps 1 to {total}. "
        "Showing step 1 instead.",
        "es": "La dirección pide el paso «{value}» (parámetro step), pero esta historia tiene los pasos 1 a "
        "{total}. Se muestra el paso 1.",
    },
    "bad_view": {
        "en": "The address asks for view “{value}” (parameter view); expected one of: {expected}. "
        "Showing the projector view.",
        "es": "La dirección pide la vista «{value}» (parámetro view); se esperaba una de: {expected}. "
        "Se muestra la vista para proyector.",
    },
    "broken_story": {
        "en": "A story file was left out because it has a problem: {problem}",
        "es": "Se omitió un archivo de historia porque tiene un problema: {problem}",
    },
    "no_stories": {
        "en": "No story could be loaded from data/stories/.",
        "es": "No se pudo cargar ninguna historia de data/stories/.",
    },
}

# Constant CSS only (no data): larger text for the back of the room.
PRESENTER_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
.st-key-presenter-heading h2 { font-size: 2.5rem; line-height: 1.2; padding-top: 0; }
.st-key-presenter-heading p { font-size: 1.2rem; }
.st-key-presenter-counter p { font-size: 1.6rem; font-weight: 700; text-align: center; margin: 0; }
.st-key-presenter-notes p { font-size: 1.45rem; line-height: 1.55; }
.st-key-presenter-question p { font-size: 1.6rem; font-weight: 600; line-height: 1.4; }
.st-key-presenter-quotes p, .st-key-presenter-quotes li { font-size: 1.2rem; }
</style>"""

lang = ui.current_language()
tr = translator(TEXT, lang)
md = escape_markdown


# Read once per data version (a change to any story file gives a new one) and shared by every session.
stories, problems = cache.build_shared(story_catalogue.read_stories)
for problem in problems:
    st.warning(tr("broken_story", problem=problem), icon="⚠️")
if not stories:
    st.error(tr("no_stories"))
    st.stop()

story, number, notices = presenter.resolve(stories, st.query_params.get("story"), st.query_params.get("step"))
view, view_notices = presenter.resolve_view(
    st.query_params.get("view"), phone=is_phone(st.context.headers.get("User-Agent"))
)
on_phone = view == "phone"
if not on_phone:
    st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
for notice in notices + view_notices:
    st.warning(tr(notice.key, **notice.fields), icon="⚠️")
# The address always names the story and step shown, so it can be copied or bookmarked as is.
st.query_params["story"] = story.id
st.query_params["step"] = str(number)
if view_notices:
    del st.query_params["view"]
ui.keep_language_in_url(lang)
step, total = story.steps[number - 1], len(story.steps)


def go_to(target: int) -> None:
    st.query_params["step"] = str(target)


def choose_story() -> None:
    st.query_params["story"] = st.session_state["presenter_story"]
    st.query_params["step"] = "1"


frames = {}
for sid in dict.fromkeys(s for each in story.steps for s in each.series_ids):
    frame, error = data.try_series(sid)
    if frame is not None:
        frames[sid] = frame
    elif sid in step.series_ids:
        ui.warn_not_loaded(sid, error, lang)
catalog, events, names = data.series_catalog(), data.events(), ui.category_names(lang)


def pack_bytes() -> bytes:
    """Built when the button is pressed, on Streamlit's download thread (the button spins meanwhile); built
    once per story, language, data version and events and shared by every reader (app.runtime.cache), one
    render at a time on the server (slide_pack.MAX_RENDERS)."""
    return cache.build_shared(slide_pack.slide_pack, story, lang, frames, events, catalog, names).data


top_left, top_right = st.columns([3, 2], vertical_alignment="bottom") if not on_phone else (st.container(), None)
with top_left:
    titles = {s.id: s.title[lang] for s in stories}
    st.session_state["presenter_story"] = story.id
    st.selectbox(tr("story"), list(titles), format_func=titles.get, key="presenter_story", on_change=choose_story)
if top_right is not None:  # the slide pack is for the teacher's computer, not for phones
    with top_right:
        st.download_button(
            tr("export"),
            data=pack_bytes,
            file_name=f"{story.id}_{lang}_slides.zip",
            mime="application/zip",
            on_click="ignore",
            icon=":material/slideshow:",
            help=tr("export_help"),
            key="presenter_export",
            width="stretch",
        )
        if slide_pack.browser_path() is None:
            st.caption(tr("no_browser"))
        elif queued := slide_pack.renders_queued():
            st.caption(tr("pack_queue", n=queued, next=queued + 1))

with st.container(key="presenter-heading"):
    st.caption(f"{md(story.title[lang])} · {tr('step_of', n=number, total=total)}")
    st.header(md(step.title[lang]), anchor=False)

back, counter, forward = st.columns([1, 2, 1], vertical_alignment="center")
with back:
    st.button(
        tr("previous"),
        icon=":material/arrow_back:",
        key="presenter_previous",
        on_click=go_to,
        args=(number - 1,),
        disabled=number == 1,
        shortcut="Left",
        width="stretch",
    )
with counter:
    with st.container(key="presenter-counter"):
        st.markdown(f"{number} / {total}" + (f" · {tr('end')}" if number == total else ""))
with forward:
    st.button(
        tr("next"),
        icon=":material/arrow_forward:",
        icon_position="right",
        key="presenter_next",
        on_click=go_to,
        args=(number + 1,),
        disabled=number == total,
        shortcut="Right",
        type="primary",
        width="stretch",
    )

if all(sid in frames for sid in step.series_ids):
    size = "phone" if on_phone else "screen"
    # Built once per story, step, language, size, data version and events, shared by all (app.runtime.cache).
    step_frames = {sid: frames[sid] for sid in step.series_ids}
    fig = cache.build_shared(presenter.step_figure, story, step, step_frames, events, catalog, lang, names, size)
    ui.show_chart(fig, key=f"presenter-{story.id}-{number}")

words, qr_column = st.columns([5, 2], gap="large") if not on_phone else (st.container(), None)
with words:
    if step.question:
        with st.container(key="presenter-question"):
            st.info(md(step.question[lang]), icon=":material/forum:")
    if st.toggle(tr("show_notes"), value=True, key="presenter_show_notes"):
        with st.container(key="presenter-notes"):
            st.markdown(md(step.notes[lang]))
        with st.container(key="presenter-quotes"):
            st.markdown(f"**{md(tr('documents_say'))}**")
            st.markdown(presenter.quotes_markdown(step, events, lang))
if qr_column is not None:
    with qr_column:
        base = presenter.presenter_base(st.context.url, os.environ.get(presenter.PUBLIC_URL_ENV))
        url = presenter.step_url(base, story.id, number, lang, view="phone")
        st.image(
            cache.build_shared(presenter.qr_png, url), caption=tr("scan"), width=280, alt=tr("qr_alt")
        )
        st.markdown(f"`{url}`")  # as text: st.code would make phones fetch a 1.56 MB syntax highlighter
        if presenter.is_local_only(url):
            st.caption(tr("local_only"))

if not on_phone:
    st.caption(tr("intro"))
