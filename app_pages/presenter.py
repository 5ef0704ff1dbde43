"""Presenter mode: a story told one big chart at a time, for a class; each step has its own URL and QR code,
and the whole story downloads as a slide pack (PNG slides, CSV data, handout)."""

import os

import streamlit as st

from app import lessons as lesson_words
from app.i18n import translator
from app.runtime import cache, data, ui
from app.runtime import lessons as lesson_ui
from app.runtime.device import is_phone
from app.runtime.embed import embedded_chart, is_embedded, share_controls, show_only_the_embedded_view
from app.text import escape_markdown
from app.views import presenter, slide_pack
from loaders import lessons
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
    "my_lesson": {"en": "My lesson", "es": "Mi lección"},
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
    "make_pack": {"en": "Make the slide pack", "es": "Preparar la presentación"},
    "drawing": {"en": "Drawing the slide pack…", "es": "Dibujando la presentación…"},
    "drawn": {"en": "Slide {n} of {total} drawn", "es": "Diapositiva {n} de {total} dibujada"},
    "pack_ready": {"en": "Slide pack ready: {n} slides", "es": "Presentación lista: {n} diapositivas"},
    "pack_without_slides": {
        "en": "Slide pack ready, without PNG slides: {error}",
        "es": "Presentación lista, sin diapositivas PNG: {error}",
    },
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

# Constant CSS only (no data): larger text for the back of the room, and the step (title, chart, question,
# buttons, QR code) within one 1920×1080 screen.
PRESENTER_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; }
.st-key-presenter-heading h2 { font-size: 2.5rem; line-height: 1.2; padding-top: 0; }
.st-key-presenter-heading p { font-size: 1.2rem; }
.st-key-presenter-counter p { font-size: 1.6rem; font-weight: 700; text-align: center; margin: 0; }
.st-key-presenter-notes p { font-size: 1.45rem; line-height: 1.55; }
.st-key-presenter-question p { font-size: 1.6rem; font-weight: 600; line-height: 1.4; }
.st-key-presenter-quotes p, .st-key-presenter-quotes li { font-size: 1.2rem; }
</style>"""

lang = ui.current_language()
embedded = is_embedded()  # ?embed=true: the step's chart alone, for a frame in another page
if embedded:
    show_only_the_embedded_view()
tr = translator(TEXT, lang)
md = escape_markdown


# Read once per data version (a change to any story file gives a new one) and shared by every session.
stories, problems = cache.build_shared(story_catalogue.read_stories)
for problem in problems:
    st.warning(tr("broken_story", problem=problem), icon="⚠️")
if not stories:
    st.error(tr("no_stories"))
    st.stop()

catalog, events, names = data.series_catalog(), data.events(), ui.category_names(lang)
lesson = lesson_ui.current(catalog, events["id"], lang)
if lesson and lesson["steps"]:
    # The teacher's lesson is presented like any story (it is one, checked on the way in).
    stories = [*stories, lessons.as_story(lesson, lesson_words.catalog_entries(catalog))]
lesson_id = lesson["id"] if lesson and lesson["steps"] else None

story, number, notices = presenter.resolve(stories, st.query_params.get("story"), st.query_params.get("step"))
view, view_notices = presenter.resolve_view(
    st.query_params.get("view"), phone=is_phone(st.context.headers.get("User-Agent"))
)
on_phone = view == "phone"
if not on_phone:
    # A projector shows the step, not the navigation: the sidebar starts collapsed (its » button opens it).
    # The reader's own choice, kept by the browser, wins over this on later visits.
    st.set_page_config(initial_sidebar_state="collapsed")
    st.markdown(PRESENTER_CSS, unsafe_allow_html=True)
for notice in notices + view_notices:
    st.warning(tr(notice.key, **notice.fields), icon="⚠️")
# The address always names the story and step shown, so it can be copied or bookmarked as is.
st.query_params["story"] = story.id
st.query_params["step"] = str(number)
if view_notices:
    del st.query_params["view"]
ui.keep_language_in_url(lang)
lesson_ui.keep_in_url()
step, total = story.steps[number - 1], len(story.steps)
# Keyed by the story shown: choosing another story draws a new menu, so the keyboard focus leaves the menu and
# ← / → move through the steps again (a focused menu keeps the arrow keys for itself).
menu_key = f"presenter_story_{story.id}"


def go_to(target: int) -> None:
    st.query_params["step"] = str(target)


def choose_story() -> None:
    st.query_params["story"] = st.session_state[menu_key]
    st.query_params["step"] = "1"


frames = {}
for sid in dict.fromkeys(s for each in story.steps for s in each.series_ids):
    frame, error = data.try_series(sid)
    if frame is not None:
        frames[sid] = frame
    elif sid in step.series_ids:
        ui.warn_not_loaded(sid, error, lang)
# Built once per story, step, language, size, data version and events, shared by all (app.runtime.cache).
step_fig = (
    cache.build_shared(
        presenter.step_figure,
        story,
        step,
        {sid: frames[sid] for sid in step.series_ids},
        events,
        catalog,
        lang,
        names,
        "phone" if on_phone or embedded else "screen",  # a frame in another page is small: phone-sized type
    )
    if all(sid in frames for sid in step.series_ids)
    else None
)
if embedded:
    if step_fig is not None:
        embedded_chart(step_fig, step.title[lang], "presenter", f"presenter-{story.id}-{number}")
    st.stop()


def make_pack() -> None:
    """Draw the slide pack, showing each slide as it is drawn (about a second a slide, one pack at a time on the
    server: slide_pack.MAX_RENDERS), and keep it in the session for the download button."""
    with st.status(tr("drawing"), expanded=True) as status:
        bar = st.progress(0.0)

        def drawn(n: int, total: int) -> None:
            bar.progress(n / total, text=tr("drawn", n=n, total=total))

        pack = slide_pack.slide_pack(story, lang, frames, events, catalog, names, progress=drawn)
        done = tr("pack_without_slides", error=md(pack.png_error)) if pack.png_error else None
        status.update(label=done or tr("pack_ready", n=total), state="complete", expanded=False)
    st.session_state["presenter_pack"] = (pack_for, pack)


def story_menu() -> None:
    titles = {s.id: s.title[lang] for s in stories}
    if lesson_id:
        if titles[lesson_id] not in lesson_words.default_titles():  # not "My lesson: My lesson"
            titles[lesson_id] = f"{tr('my_lesson')}: {titles[lesson_id]}"
    st.selectbox(
        tr("story"),
        list(titles),
        index=list(titles).index(story.id),
        format_func=titles.get,
        key=menu_key,
        on_change=choose_story,
    )


def navigation() -> None:
    # No arrow icons: Streamlit shows each button's key (← or →) beside its label already.
    back, forward = st.columns(2)
    back.button(
        tr("previous"),
        key="presenter_previous",
        on_click=go_to,
        args=(number - 1,),
        disabled=number == 1,
        shortcut="Left",
        width="stretch",
    )
    forward.button(
        tr("next"),
        key="presenter_next",
        on_click=go_to,
        args=(number + 1,),
        disabled=number == total,
        shortcut="Right",
        type="primary",
        width="stretch",
    )
    with st.container(key="presenter-counter"):
        st.markdown(f"{number} / {total}" + (f" · {tr('end')}" if number == total else ""))


def chart() -> None:
    if step_fig is not None:
        ui.show_chart(step_fig, key=f"presenter-{story.id}-{number}")


def question() -> None:
    if step.question:
        with st.container(key="presenter-question"):
            st.info(md(step.question[lang]), icon=":material/forum:")


def notes() -> None:
    """The teacher's notes and the documents' quotes: hidden until the teacher shows them, so the class
    discusses the question before it hears an answer."""
    if st.toggle(tr("show_notes"), value=False, key="presenter_show_notes"):
        with st.container(key="presenter-notes"):
            st.markdown(md(step.notes[lang]))
        with st.container(key="presenter-quotes"):
            st.markdown(f"**{md(tr('documents_say'))}**")
            st.markdown(presenter.quotes_markdown(step, events, lang))


def qr_code() -> None:
    base = presenter.presenter_base(st.context.url, os.environ.get(presenter.PUBLIC_URL_ENV))
    if story.id == lesson_id:
        # A phone gets this one step of the lesson: the whole lesson would make a QR code too dense to scan.
        one_step = lessons.only_step(lesson, number - 1)
        url = presenter.step_url(base, story.id, 1, lang, view="phone", lesson=lessons.encode_link(one_step))
    else:
        url = presenter.step_url(base, story.id, number, lang, view="phone")
    st.image(cache.build_shared(presenter.qr_png, url), caption=tr("scan"), width=240, alt=tr("qr_alt"))
    if story.id != lesson_id:  # a lesson's address is too long to read off a screen; the lesson editor has it
        st.markdown(f"`{url}`")  # as text: st.code would make phones fetch a 1.56 MB syntax highlighter
    if presenter.is_local_only(url):
        st.caption(tr("local_only"))


pack_for = (story, lang, cache.data_version())  # a pack made for another story, language or data is not offered
if on_phone:
    story_menu()
else:
    menu, export = st.columns([3, 2], vertical_alignment="bottom")
    with menu:
        story_menu()
    with export:  # the slide pack is for the teacher's computer, not for phones
        if st.button(
            tr("make_pack"),
            icon=":material/slideshow:",
            help=tr("export_help"),
            key="presenter_make_pack",
            width="stretch",
        ):
            make_pack()
        made = st.session_state.get("presenter_pack")
        if made and made[0] == pack_for:
            st.download_button(
                tr("export"),
                data=made[1].data,
                file_name=made[1].file_name,
                mime="application/zip",
                on_click="ignore",
                icon=":material/download:",
                key="presenter_export",
                type="primary",
                width="stretch",
            )
        if slide_pack.browser_path() is None:
            st.caption(tr("no_browser"))
        elif queued := slide_pack.renders_queued():
            st.caption(tr("pack_queue", n=queued, next=queued + 1))

with st.container(key="presenter-heading"):
    st.caption(f"{md(story.title[lang])} · {tr('step_of', n=number, total=total)}")
    st.header(md(step.title[lang]), anchor=False)

if on_phone:
    navigation()
    chart()
    question()
    notes()
else:
    # One screen: the chart, and beside it the buttons, the question and the QR code; the notes below.
    left, right = st.columns([5, 2], gap="medium")
    with left:
        chart()
    with right:
        navigation()
        question()
        qr_code()
        if step_fig is not None:
            share_controls(step_fig, step.title[lang], "presenter", f"{story.id}_step_{number:02d}", "presenter")
    notes()
    base_url = presenter.presenter_base(st.context.url, os.environ.get(presenter.PUBLIC_URL_ENV))
    lesson_ui.editor(lesson, story.id, base_url, catalog, events["id"], lang)
    st.caption(tr("intro"))
