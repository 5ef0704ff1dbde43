"""What kind of screen the reader has, guessed from the browser's User-Agent (pure: a string in)."""

from __future__ import annotations


def expected_plot_px(user_agent: str | None) -> int:
    """A guess at the chart's width in pixels from the browser's User-Agent: phones say 'Mobi'.

    >>> expected_plot_px("Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"), expected_plot_px(None)
    (340, 900)
    """
    return 340 if is_phone(user_agent) else 900


def is_phone(user_agent: str | None) -> bool:
    """Whether the browser says it is a phone ('Mobi' in its User-Agent, as Android and iOS phones send)."""
    return "mobi" in str(user_agent or "").lower()
