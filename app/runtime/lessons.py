"""The teacher's lesson in a session: kept in the session and in the address (``lesson=v1.…``), so it survives a
reload and travels in a link; and the widgets that add a chart to it (Explore) and list, reorder, edit, remove,
download, share and upload it (Presenter mode). What a lesson is and how it is checked: ``loaders.lessons``;
its words and the step a chart becomes: ``app.lessons``."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from app import lessons as app_lessons
from app.i18n import number, translator
from app.text import escape_markdown
from loaders import lessons
from loaders.stories import NOTES_MAX, QUESTION_MAX, TITLE_MAX

PRESENTER_PAGE = "app_pages/presenter.py"
EDITING_KEY = "lesson_editing"  # the 0-based step whose words are being edited, if any

TEXT = {
    "add": {"en": "Add to my lesson", "es": "Agregar a mi lección"},
    "add_help": {
        "en": "Keep this chart, with your title, note and discussion question, as the next step of a lesson you "
        "present in Presenter mode.",
        "es": "Guarde este gráfico, con su título, nota y pregunta para la clase, como el próximo paso de una "
        "lección que presenta en el modo presentación.",
    },
    "step_title": {"en": "Step title", "es": "Título del paso"},
    "step_notes": {"en": "Note for the teacher", "es": "Nota para el docente"},
    "step_question": {"en": "Discussion question (optional)", "es": "Pregunta para la clase (opcional)"},
    "add_step": {"en": "Add this step", "es": "Agregar este paso"},
    "added": {
        "en": "Step {n} added to “{title}”.",
        "es": "Paso {n} agregado a «{title}».",
    },
    "needs_words": {
        "en": "Give the step a title and a note before adding it.",
        "es": "Dé al paso un título y una nota antes de agregarlo.",
    },
    "present": {"en": "Present my lesson ({steps})", "es": "Presentar mi lección ({steps})"},
    "one_step": {"en": "1 step", "es": "1 paso"},
    "steps": {"en": "{n} steps", "es": "{n} pasos"},
    "bad_link": {
        "en": "The lesson in this address could not be opened: {problem}",
        "es": "No se pudo abrir la lección de esta dirección: {problem}",
    },
    "bad_file": {
        "en": "The file could not be opened as a lesson: {problem}",
        "es": "No se pudo abrir el archivo como lección: {problem}",
    },
    "editor": {"en": "My lesson: {steps}", "es": "Mi lección: {steps}"},
    "editor_empty": {
        "en": "My lesson: no steps yet",
        "es": "Mi lección: todavía sin pasos",
    },
    "editor_intro": {
        "en": "Add steps from any chart of the Explore page (“Add to my lesson”). The lesson lives in this "
        "page's address: bookmark it, or share the link below. At most {limit} steps.",
        "es": "Agregue pasos desde cualquier gráfico de la página Explorar («Agregar a mi lección»). La lección "
        "vive en la dirección de esta página: guárdela como marcador o comparta el enlace de abajo. Como máximo "
        "{limit} pasos.",
    },
    "lesson_title": {"en": "Lesson title", "es": "Título de la lección"},
    "lesson_summary": {"en": "Summary, shown before the first step", "es": "Resumen, antes del primer paso"},
    "save": {"en": "Save", "es": "Guardar"},
    "up": {"en": "Move up", "es": "Subir"},
    "down": {"en": "Move down", "es": "Bajar"},
    "edit": {"en": "Edit", "es": "Editar"},
    "remove": {"en": "Remove", "es": "Quitar"},
    "download": {"en": "Download as a story file (YAML)", "es": "Descargar como archivo de historia (YAML)"},
    "download_help": {
        "en": "Upload it here again later, or save it as data/stories/{id}.yaml to make it a built-in story "
        "(then translate each text into the other language).",
        "es": "Vuelva a subirlo aquí más adelante, o guárdelo como data/stories/{id}.yaml para que sea una "
        "historia incluida (y traduzca cada texto al otro idioma).",
    },
    "link": {"en": "Link to this lesson ({n} characters)", "es": "Enlace a esta lección ({n} caracteres)"},
    "upload": {"en": "Open a lesson file", "es": "Abrir un archivo de lección"},
    "clear": {"en": "Start a new lesson", "es": "Empezar una lección nueva"},
}


def _tr(lang: str):
    return translator(TEXT, lang)


def _steps(n: int, lang: str) -> str:
    return _tr(lang)("one_step") if n == 1 else _tr(lang)("steps", n=n)


def current(catalog: pd.DataFrame, event_ids: Collection[str], lang: str) -> dict | None:
    """This session's lesson. A ``lesson`` link parameter that differs from it (a shared link, a reload) replaces
    it; one that cannot be read is named in a warning and dropped from the address."""
    asked = st.query_params.get(lessons.LINK_PARAM)
    held = st.session_state.get(app_lessons.SESSION_KEY)
    if asked and (held is None or not held["steps"] or lessons.encode_link(held) != asked):
        try:
            held = lessons.decode_link(asked, app_lessons.catalog_entries(catalog), set(event_ids))
            st.session_state[app_lessons.SESSION_KEY] = held
        except lessons.LessonError as error:
            st.warning(_tr(lang)("bad_link", problem=app_lessons.message(error, lang)), icon="⚠️")
            del st.query_params[lessons.LINK_PARAM]
    return held


def save(lesson: dict | None) -> None:
    """Keep the lesson in the session and, once it has steps, in the address."""
    st.session_state[app_lessons.SESSION_KEY] = lesson
    keep_in_url()


def keep_in_url() -> None:
    """Write the session's lesson into the address (again after a page has written its own parameters)."""
    lesson = st.session_state.get(app_lessons.SESSION_KEY)
    if lesson and lesson["steps"]:
        st.query_params[lessons.LINK_PARAM] = lessons.encode_link(lesson)
    elif lessons.LINK_PARAM in st.query_params:
        del st.query_params[lessons.LINK_PARAM]


def presenter_params(lesson: dict, step: int, lang: str) -> dict[str, str]:
    """The presenter's address of a lesson's step (1-based)."""
    return {"story": lesson["id"], "step": str(step), "lang": lang, lessons.LINK_PARAM: lessons.encode_link(lesson)}


def add_step_control(view: app_lessons.ChartView, catalog: pd.DataFrame, lang: str) -> None:
    """Explore's "Add to my lesson": the teacher's words for the chart on screen, added as the lesson's next step
    (a chart of several units at their level cannot be one step: the control says so)."""
    tr = _tr(lang)
    mixed_units = app_lessons.mixed_units(list(view.lines), view.transform, catalog, lang)
    lesson = st.session_state.get(app_lessons.SESSION_KEY)
    with st.popover(tr("add"), icon=":material/playlist_add:", help=tr("add_help")):
        if mixed_units:
            st.info(app_lessons.text("mixed_units", lang, units=escape_markdown(mixed_units)))
        with st.form("lesson_add", clear_on_submit=True, border=False):
            title = st.text_input(tr("step_title"), max_chars=TITLE_MAX, key="lesson_add_title")
            notes = st.text_area(tr("step_notes"), max_chars=NOTES_MAX, height=110, key="lesson_add_notes")
            question = st.text_area(tr("step_question"), max_chars=QUESTION_MAX, height=80, key="lesson_add_question")
            submitted = st.form_submit_button(tr("add_step"), disabled=bool(mixed_units), type="primary")
        if submitted:
            if not title.strip() or not notes.strip():
                st.warning(tr("needs_words"))
            else:
                lesson = lesson or lessons.new_lesson(
                    app_lessons.text("default_title", lang), app_lessons.text("default_summary", lang)
                )
                try:
                    texts = (title.strip(), notes.strip(), question.strip())
                    lesson = lessons.add_step(lesson, app_lessons.step_from_view(texts, view))
                    save(lesson)
                    st.success(tr("added", n=len(lesson["steps"]), title=escape_markdown(lesson["title"][lang])))
                except lessons.LessonError as error:
                    st.warning(app_lessons.message(error, lang))
        if lesson and lesson["steps"]:
            st.page_link(
                PRESENTER_PAGE,
                label=tr("present", steps=_steps(len(lesson["steps"]), lang)),
                icon=":material/co_present:",
                query_params=presenter_params(lesson, 1, lang),  # a lesson is presented from its start
            )


# ---------------------------------------------------------------- Presenter mode's editor


def _change(lesson: dict, changed: dict | None, story_shown: str | None) -> None:
    """Save an edited lesson; when it is on screen, follow it (its id changes with its title, its last step may
    be gone), or leave it for the first story when it has no steps left."""
    save(changed)
    st.session_state.pop(EDITING_KEY, None)
    if story_shown != lesson["id"]:
        return
    if changed and changed["steps"]:
        st.query_params["story"] = changed["id"]
        shown = str(st.query_params.get("step", "1"))
        st.query_params["step"] = str(min(int(shown) if shown.isdigit() else 1, len(changed["steps"])))
    else:
        for name in ("story", "step"):
            st.query_params.pop(name, None)


def _retitle(lesson: dict, story_shown: str | None) -> None:
    title = st.session_state["lesson_title"].strip() or lesson["title"]["en"]
    summary = st.session_state["lesson_summary"].strip() or lesson["summary"]["en"]
    _change(lesson, lessons.retitled(lesson, title, summary), story_shown)


def _edit_texts(lesson: dict, index: int, story_shown: str | None) -> None:
    step = lesson["steps"][index]
    title = st.session_state["lesson_step_title"].strip() or step["title"]["en"]
    notes = st.session_state["lesson_step_notes"].strip() or step["notes"]["en"]
    question = st.session_state["lesson_step_question"]
    _change(lesson, lessons.replace_step(lesson, index, lessons.with_texts(step, title, notes, question)), story_shown)


def _upload(catalog: pd.DataFrame, event_ids: Collection[str], lang: str) -> None:
    uploaded = st.session_state.get("lesson_upload")
    if uploaded is None:
        return
    try:
        lesson = lessons.from_yaml(uploaded.getvalue(), app_lessons.catalog_entries(catalog), set(event_ids))
    except lessons.LessonError as error:
        st.session_state["lesson_upload_problem"] = app_lessons.message(error, lang)
        return
    save(lesson)
    st.query_params.update(story=lesson["id"], step="1")


def editor(
    lesson: dict | None,
    story_shown: str | None,
    base_url: str,
    catalog: pd.DataFrame,
    event_ids: Collection[str],
    lang: str,
) -> None:
    """Presenter mode's "My lesson": the steps with up, down, edit and remove; the title and summary; the
    story file to download; the link to share; a file to open."""
    tr = _tr(lang)
    steps = lesson["steps"] if lesson else []
    label = tr("editor", steps=_steps(len(steps), lang)) if steps else tr("editor_empty")
    with st.expander(label, icon=":material/school:", expanded=bool(st.session_state.get(EDITING_KEY) is not None)):
        st.caption(tr("editor_intro", limit=lessons.MAX_STEPS))
        if lesson:
            with st.form("lesson_titles", border=False):
                st.text_input(tr("lesson_title"), value=lesson["title"][lang], max_chars=TITLE_MAX, key="lesson_title")
                st.text_area(
                    tr("lesson_summary"), value=lesson["summary"][lang], max_chars=NOTES_MAX, key="lesson_summary"
                )
                st.form_submit_button(tr("save"), on_click=_retitle, args=(lesson, story_shown))
        for index, step in enumerate(steps):
            _step_row(lesson, index, step, story_shown, lang)
        if steps:
            st.download_button(
                tr("download"),
                data=lessons.to_yaml(lesson),
                file_name=f"{lesson['id']}.yaml",
                mime="application/x-yaml",
                on_click="ignore",
                icon=":material/download:",
                help=tr("download_help", id=lesson["id"]),
                key="lesson_download",
            )
            link = f"{base_url}?{urlencode(presenter_params(lesson, 1, lang))}"
            # Keyed by the link: a text input keeps the value it was created with, and the link changes with the lesson.
            st.text_input(tr("link", n=number(len(link), lang)), value=link, key=f"lesson_link_{hash(link)}")
        st.file_uploader(
            tr("upload"),
            type=["yaml", "yml"],
            key="lesson_upload",
            on_change=_upload,
            args=(catalog, event_ids, lang),
        )
        if problem := st.session_state.pop("lesson_upload_problem", None):
            st.error(tr("bad_file", problem=problem))
        if lesson:
            st.button(
                tr("clear"),
                icon=":material/delete_sweep:",
                key="lesson_clear",
                on_click=_change,
                args=(lesson, None, story_shown),
            )


def _start_editing(index: int) -> None:
    st.session_state[EDITING_KEY] = index


def _step_row(lesson: dict, index: int, step: dict, story_shown: str | None, lang: str) -> None:
    tr = _tr(lang)
    last = len(lesson["steps"]) - 1
    words, up, down, edit, remove = st.columns([6, 1, 1, 1, 1], vertical_alignment="center")
    words.markdown(f"{index + 1}\\. {escape_markdown(step['title'][lang])}")
    moves = (
        (up, "up", -1, index == 0, ":material/arrow_upward:"),
        (down, "down", 1, index == last, ":material/arrow_downward:"),
    )
    for column, name, offset, disabled, icon in moves:
        column.button(
            tr(name),
            icon=icon,
            key=f"lesson_{name}_{index}",
            disabled=disabled,
            on_click=_change,
            args=(lesson, lessons.move_step(lesson, index, offset), story_shown),
            width="stretch",
        )
    edit.button(
        tr("edit"),
        icon=":material/edit:",
        key=f"lesson_edit_{index}",
        on_click=_start_editing,
        args=(index,),
        width="stretch",
    )
    remove.button(
        tr("remove"),
        icon=":material/delete:",
        key=f"lesson_remove_{index}",
        on_click=_change,
        args=(lesson, lessons.remove_step(lesson, index), story_shown),
        width="stretch",
    )
    if st.session_state.get(EDITING_KEY) == index:
        with st.form(f"lesson_step_{index}"):
            st.text_input(tr("step_title"), value=step["title"][lang], max_chars=TITLE_MAX, key="lesson_step_title")
            st.text_area(tr("step_notes"), value=step["notes"][lang], max_chars=NOTES_MAX, key="lesson_step_notes")
            st.text_area(
                tr("step_question"),
                value=(step.get("question") or {}).get(lang, ""),
                max_chars=QUESTION_MAX,
                key="lesson_step_question",
            )
            st.form_submit_button(tr("save"), on_click=_edit_texts, args=(lesson, index, story_shown), type="primary")
