"""The dashboard's pages as ``dashboard.py`` declares them (read, not run)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from tests.browser import REPO


@dataclass(frozen=True)
class Page:
    file: str
    url_path: str
    default: bool

    @property
    def name(self) -> str:
        return self.url_path

    @property
    def path_in_url(self) -> str:
        """What follows the host: the default page is served at ``/``."""
        return "" if self.default else self.url_path

    @property
    def placeholder(self) -> bool:
        """A page not written yet (the skeleton's 'Coming soon')."""
        text = (REPO / self.file).read_text(encoding="utf-8")
        return "Coming soon" in text and len(text.splitlines()) < 6


def dashboard_pages() -> list[Page]:
    """Every page in the navigation, from the PAGES table of ``dashboard.py``."""
    tree = ast.parse((REPO / "dashboard.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            rows = ast.literal_eval(node.value)
            return [Page(row[0], row[2], row[2] == "overview") for row in rows]
    raise RuntimeError("dashboard.py has no PAGES table")
