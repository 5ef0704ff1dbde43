"""A chart in another web page: the address of a view with ``embed=true`` (Streamlit then hides its own
header and menus, and the pages show the chart alone), the same view without it, and the ``<iframe>`` code a
reader copies. Pure: strings in, strings out.

>>> view_url("http://host:8501/explore", {"series": "a,b", "lang": "es"}, embed=True)
'http://host:8501/explore?series=a%2Cb&lang=es&embed=true'
>>> iframe_code("http://host/explore?embed=true", 'Brent "&" WTI')
'<iframe src="http://host/explore?embed=true" title="Brent &quot;&amp;&quot; WTI" width="100%" height="560" \
style="border:0" loading="lazy"></iframe>'
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

from app.text import escape_html

EMBED_PARAM = "embed"

TEXT = {
    "embed": {"en": "Embed", "es": "Insertar"},
    "embed_help": {
        "en": "Code to put this chart, as it is now, in another web page",
        "es": "Código para poner este gráfico, tal como está ahora, en otra página web",
    },
    "embed_caption": {
        "en": "Paste this into a web page: it shows this chart with its title, its source and a link back here. "
        "The page must be able to reach this dashboard's address.",
        "es": "Péguelo en una página web: muestra este gráfico con su título, su fuente y un enlace de vuelta aquí. "
        "La página debe poder llegar a la dirección de este tablero.",
    },
    "full_view": {"en": "Open the full view", "es": "Abrir la vista completa"},
    "download_png": {"en": "Download PNG", "es": "Descargar PNG"},
    "download_svg": {"en": "Download SVG", "es": "Descargar SVG"},
    "download_image_help": {
        "en": "The chart as an image, with its title and source line drawn in (takes a few seconds)",
        "es": "El gráfico como imagen, con su título y su fuente dibujados (tarda unos segundos)",
    },
    "no_browser": {
        "en": "Images need a Chromium or Chrome on the server (Debian: apt-get install chromium).",
        "es": "Las imágenes necesitan un Chromium o Chrome en el servidor (Debian: apt-get install chromium).",
    },
}


def page_base(page_url: str | None, configured: str | None, page_path: str) -> str:
    """A page's address without query: the configured public URL and the page's path, else the browser's.

    >>> page_base("http://10.0.0.5:8501/", None, "explore"), page_base(None, "https://x.org/app/", "explore")
    ('http://10.0.0.5:8501/explore', 'https://x.org/app/explore')
    """
    if configured:
        return configured.rstrip("/") + "/" + page_path
    parts = urlsplit(page_url or "")
    path = parts.path.rstrip("/")
    if not path.endswith("/" + page_path):
        # The app may have been opened at its root (the default page): the page lives beside it.
        path = path.rsplit("/", 1)[0] if path.count("/") > 1 else ""
        path = f"{path}/{page_path}"
    return urlunsplit((parts.scheme or "http", parts.netloc or "localhost:8501", path, "", ""))


def view_url(base: str, params: Mapping[str, str], embed: bool) -> str:
    """The view ``params`` describe at ``base``, embedded or not (any ``embed`` in ``params`` is dropped)."""
    query = {key: value for key, value in params.items() if key.lower() != EMBED_PARAM}
    query |= {EMBED_PARAM: "true"} if embed else {}
    return f"{base}?{urlencode(query)}" if query else base


def iframe_code(url: str, title: str, width: str = "100%", height: int = 560) -> str:
    """The ``<iframe>`` that shows ``url``, titled for screen readers; every attribute escaped."""
    return (
        f'<iframe src="{escape_html(url)}" title="{escape_html(title)}" width="{width}" height="{height}" '
        'style="border:0" loading="lazy"></iframe>'
    )
