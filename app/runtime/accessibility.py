"""What every page needs to be read with a screen reader, a keyboard or weak eyes, beyond Streamlit's defaults.

Streamlit's light theme writes captions, quotes and the labels of disabled controls at 60% or 40% opacity
(greys of 3.88:1 and 2.29:1 on white), and links and code in captions lighter still; WCAG AA asks 4.5:1 for
text. Keyboard focus gets a ring that shows on every control, and the description of each chart
(``ui.show_chart``) is kept for screen readers without taking room on the screen (in a container keyed
``screen-reader-only-…``).
"""

from __future__ import annotations

import streamlit as st

# Greys and blues of at least 4.5:1 on white (#595959 is 7.0:1, #005A8C 7.5:1, #1B6E3A 6.3:1).
PAGE_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"] blockquote,
[data-testid="stWidgetLabel"] p,
[data-testid="stWidgetLabel"] span { color: #595959 !important; opacity: 1 !important; }
[data-testid="stWidgetLabel"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"] a, [data-testid="stMarkdownContainer"] a { color: #005A8C !important; }
[data-testid="stCaptionContainer"] code { color: #1B6E3A !important; }
:focus-visible { outline: 3px solid #0072B2 !important; outline-offset: 2px !important; }
[class*="st-key-screen-reader-only-"] {
  position: absolute !important; width: 1px !important; min-width: 0 !important; height: 1px !important;
  margin: -1px !important; padding: 0 !important; border: 0 !important; overflow: hidden !important;
  clip: rect(0 0 0 0); white-space: nowrap;
}
</style>"""


def apply_page_style() -> None:
    """Add the page's contrast, focus and screen-reader styles (a style-only ``st.html`` takes no room)."""
    st.html(PAGE_CSS)
