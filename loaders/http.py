"""The one HTTP client every loader uses: timeouts, retries with backoff, a User-Agent,
a size limit, no redirects to other hosts, and mirror mode for offline work.

Mirror mode keeps the live URL's host, path and query and swaps only scheme and host:

>>> mirror_url("https://api.worldbank.org/v2/country/VEN?format=json", "http://127.0.0.1:8765")
'http://127.0.0.1:8765/api.worldbank.org/v2/country/VEN?format=json'
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .errors import UpstreamError

MIRROR_ENV = "DASHBOARD_MIRROR"
USER_AGENT = (
    "venezuela-economy-dashboard/1.0 (open-source data dashboard; "
    "+https://github.com/venezuela-economy-dashboard) python-requests/" + requests.__version__
)
MAX_BYTES = 64 * 1024 * 1024
MAX_RETRY_AFTER_S = 30.0
MAX_REDIRECTS = 5


def mirror_url(url: str, mirror: str | None) -> str:
    """The URL to request: the live one, or the same host/path/query under a mirror base."""
    if not mirror:
        return url
    live = urlsplit(url)
    rest = live.path + (f"?{live.query}" if live.query else "")
    return f"{mirror.rstrip('/')}/{live.netloc}{rest}"


class _CappedRetry(Retry):
    """urllib3's Retry, but a server cannot make us sleep for longer than MAX_RETRY_AFTER_S."""

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), MAX_RETRY_AFTER_S)


@dataclass(frozen=True)
class Response:
    """One answer: the live URL asked for, the URL actually fetched, and the body."""

    url: str
    fetched_url: str
    body: bytes
    content_type: str


class Http:
    """A shared session for one refresh run. Identical GETs within the run are fetched once.

    >>> http = Http(mirror="http://127.0.0.1:8765")          # doctest: +SKIP
    >>> url = "https://api.worldbank.org/v2/country/VEN/indicator/SP.POP.TOTL?format=json"
    >>> http.get("worldbank", url).body[:20]  # doctest: +SKIP
    b'[{"page": 1, "pages"'
    """

    def __init__(
        self,
        mirror: str | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        retries: int = 3,
        backoff: float = 0.5,
        max_bytes: int = MAX_BYTES,
    ):
        self.mirror = mirror if mirror is not None else os.environ.get(MIRROR_ENV) or None
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        retry = _CappedRetry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=backoff,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=("GET",),
            respect_retry_after_header=True,
            raise_on_status=False,
            redirect=False,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_maxsize=16)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._cache: dict[str, Response] = {}
        self._lock = threading.Lock()

    def get(self, source: str, url: str) -> Response:
        """GET a live URL (through the mirror when set); raise UpstreamError naming source and URL."""
        with self._lock:
            if url in self._cache:
                return self._cache[url]
        target = mirror_url(url, self.mirror)
        response = self._get_same_host(source, url, target)
        with self._lock:
            self._cache[url] = response
        return response

    def _get_same_host(self, source: str, url: str, target: str) -> Response:
        host = urlsplit(target).netloc
        for _ in range(MAX_REDIRECTS + 1):
            try:
                r = self.session.get(target, timeout=self.timeout, stream=True, allow_redirects=False)
            except requests.exceptions.RetryError as e:
                raise UpstreamError(source, url, f"gave up after retries: {_reason(e)}") from e
            except requests.exceptions.ConnectTimeout as e:
                raise UpstreamError(source, url, f"connection timed out after {self.timeout[0]:g} s") from e
            except requests.exceptions.ConnectionError as e:
                if "Read timed out" in str(e):
                    raise UpstreamError(source, url, f"no answer within {self.timeout[1]:g} s (read timeout)") from e
                raise UpstreamError(source, url, f"could not connect: {_reason(e)}") from e
            except requests.exceptions.Timeout as e:
                raise UpstreamError(source, url, f"no answer within {self.timeout[1]:g} s (read timeout)") from e
            if r.is_redirect:
                location = urljoin(target, r.headers.get("Location", ""))
                r.close()
                if urlsplit(location).netloc != host:
                    raise UpstreamError(source, url, f"redirected to another host ({location}); not followed")
                target = location
                continue
            body = self._read_limited(source, url, r)
            if r.status_code != 200:
                raise UpstreamError(source, url, f"HTTP {r.status_code} {r.reason or ''}".strip())
            if not body:
                raise UpstreamError(source, url, "empty body (HTTP 200 with no content)")
            return Response(url, target, body, r.headers.get("Content-Type", ""))
        raise UpstreamError(source, url, f"more than {MAX_REDIRECTS} redirects")

    def _read_limited(self, source: str, url: str, r: requests.Response) -> bytes:
        declared = r.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            r.close()
            raise UpstreamError(
                source, url, f"body of {int(declared):,} bytes is over the {self.max_bytes:,}-byte limit"
            )
        chunks, size = [], 0
        try:
            for chunk in r.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    raise UpstreamError(source, url, f"body is over the {self.max_bytes:,}-byte limit")
                chunks.append(chunk)
        except requests.exceptions.RequestException as e:
            raise UpstreamError(source, url, f"connection broke while reading the body: {_reason(e)}") from e
        finally:
            r.close()
        return b"".join(chunks)


def _reason(e: Exception) -> str:
    inner = e.args[0] if e.args else e
    reason = getattr(inner, "reason", None)
    return str(reason or inner)
