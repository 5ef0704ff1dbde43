"""What many test files share: the fake HTTP client source modules are fetched through."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from loaders.http import Response

Answer = bytes | dict[str, bytes] | Callable[[str], bytes]


class FakeHttp:
    """Stands in for ``loaders.http.Http``: answers each GET and records ``(source, url)`` in ``calls``, in order.

    ``answer`` is the body for every URL, a dict of bodies by URL, or a function of the URL that
    returns the body (or raises, like a failed request). ``fetched_prefix`` goes before the URL in
    ``Response.fetched_url``, as a mirror's address would.

    >>> http = FakeHttp({"https://x.org/a": b"1"})
    >>> http.get("x", "https://x.org/a").body, http.calls
    (b'1', [('x', 'https://x.org/a')])
    """

    mirror = None
    LIMIT = 1000  # more requests than any fetch needs: a fetch that does not stop fails here, not by timeout

    def __init__(self, answer: Answer, content_type: str = "application/octet-stream", fetched_prefix: str = ""):
        self.answer, self.content_type, self.fetched_prefix = answer, content_type, fetched_prefix
        self.calls: list[tuple[str, str]] = []

    @property
    def urls(self) -> list[str]:
        return [url for _, url in self.calls]

    def get(self, source: str, url: str) -> Response:
        self.calls.append((source, url))
        assert len(self.calls) <= self.LIMIT, "fetch did not stop"
        if isinstance(self.answer, bytes):
            body = self.answer
        elif isinstance(self.answer, dict):
            body = self.answer[url]
        else:
            body = self.answer(url)
        return Response(url, self.fetched_prefix + url, body, self.content_type)


@pytest.fixture
def fake_http() -> type[FakeHttp]:
    """The fake client class: ``fake_http(body)``, ``fake_http({url: body})`` or ``fake_http(lambda url: body)``."""
    return FakeHttp
