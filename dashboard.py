"""Venezuela's economy in numbers: the Streamlit entry point (``streamlit run dashboard.py``).

It lays out navigation and the language control; each page lives in ``app_pages/``. The app
reads only the committed snapshots and catalogues in ``data/`` and never touches the network.
"""

import streamlit as st

from app.i18n import translator
from app.runtime import cache, data, gc_tuning
from app.runtime.accessibility import apply_page_style
from app.runtime.embed import is_embedded
from app.runtime.ui import current_language, fit_page_to_reader, language_selector
from app.text import escape_markdown

st.set_page_config(
    page_title="Venezuela en cifras · Venezuela in numbers",
    page_icon="📈",
    layout="wide",
    initial_sidebar_state="auto",
    menu_items={"Get help": None, "Report a bug": None, "About": None},
)

# Every run starts by noting the data folder's version (a refresh or an edit gives new cache keys, so it shows
# on the next load) and by freezing what outlived the last runs for the garbage collector (app.runtime.gc_tuning).
cache.note_data_version()
gc_tuning.keep_long_lived_frozen()
apply_page_style()
# An embedded chart (?embed=true) is shown alone: no sidebar, no language control, no navigation menu.
embedded = is_embedded()
lang = current_language() if embedded else language_selector()
fit_page_to_reader(lang)
tr = translator({}, lang)
PAGES = [
    ("app_pages/overview.py", "page_overview", "overview", ":material/dashboard:"),
    ("app_pages/explore.py", "page_explore", "explore", ":material/query_stats:"),
    ("app_pages/inflation.py", "page_inflation", "inflation", ":material/trending_up:"),
    ("app_pages/migration.py", "page_migration", "migration", ":material/flight_takeoff:"),
    ("app_pages/events.py", "page_events", "events", ":material/event:"),
    ("app_pages/claims.py", "page_claims", "claims", ":material/fact_check:"),
    ("app_pages/sources.py", "page_sources", "sources", ":material/menu_book:"),
    ("app_pages/presenter.py", "page_presenter", "presenter", ":material/co_present:"),
]
pages = [
    st.Page(path, title=tr(title), url_path=url, icon=icon, default=(url == "overview"))
    for path, title, url, icon in PAGES
]
if not embedded:
    st.sidebar.caption(tr("about"))
events_read = data.events().attrs
if events_read.get("error") or events_read.get("skipped"):
    st.warning(
        tr("events_problem", detail=escape_markdown(events_read.get("error") or ", ".join(events_read["skipped"]))),
        icon="⚠️",
    )
st.navigation(pages, position="hidden" if embedded else "sidebar").run()
