"""The one HTTP client every loader uses: timeouts, retries with backoff, a User-Agent,
a size limit, a time limit per answer, no redirects to other hosts, and mirror mode for offline work.
Credentials in URLs (``user:password@``, ``api_key=...``) never reach a message, a sidecar or a log:

>>> redact_url("http://bot:s3cret@127.0.0.1:8765/x?series_id=A&api_key=abc123")
'http://bot:***@127.0.0.1:8765/x?series_id=A&api_key=***'

Mirror mode keeps the live URL's host, path and query and swaps only scheme and host:

>>> mirror_url("https://api.worldbank.org/v2/country/VEN?format=json", "http://127.0.0.1:8765")
'http://127.0.0.1:8765/api.worldbank.org/v2/country/VEN?format=json'
"""

from __future__ import annotations

import math
import os
import re
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from .errors import UpstreamError, UpstreamTimeout

MIRROR_ENV = "DASHBOARD_MIRROR"
USER_AGENT = (
    "venezuela-economy-dashboard/1.0 (open-source data dashboard; "
    "+https://github.com/venezuela-economy-dashboard) python-requests/" + requests.__version__
)
MAX_BYTES = 64 * 1024 * 1024
MAX_RETRY_AFTER_S = 30.0
MAX_REDIRECTS = 5
# One request, from its first byte sent to the body's last byte, retries included: a server that
# drips header or body bytes (never a read timeout) cannot hold a refresh for longer than this.
MAX_SECONDS = 120.0
# Read timeouts are retried this often: a publisher that kept silent for 30 s rarely answers the
# third time, and each try costs the whole read timeout (5xx, 429 and broken bodies keep `retries`).
READ_RETRIES = 1
_SECRET_PARAM = re.compile(
    r"(?i)\b((?:api[_-]?key|apikey|access[_-]?token|token|secret|password|passwd|pwd|auth|signature|sig|key)=)[^&\s#'\",;)]+"
)
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@/\s]+@")


def redact_url(url: str | None) -> str | None:
    """The URL with any password and secret-looking query values replaced by ``***``."""
    return url if not url else redact_text(url)


def redact_text(text: str) -> str:
    """Any text (a message, a URL) with URL passwords and ``key=value`` secrets replaced by ``***``.

    >>> redact_text("HTTP 403 for https://x.org/a?token=T0K&id=DCOILWTICO")
    'HTTP 403 for https://x.org/a?token=***&id=DCOILWTICO'
    """
    return _SECRET_PARAM.sub(r"\1***", _USERINFO.sub(r"\1***@", text))


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


_current = threading.local()  # the _Deadline of the request this thread is making, if any


class _Deadline:
    """One request's time limit: when it passes, a timer shuts the request's socket, which ends
    any read in progress (a header byte every 10 s resets a read timeout; this does not reset)."""

    def __init__(self, seconds: float, reason: str):
        self.seconds, self.reason, self.expired = seconds, reason, False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _current.deadline = None

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            _shut(self._sock)


def _shut(sock: socket.socket | None) -> None:
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # already closed: nothing left to stop
            pass


class _WatchedHTTPConnection(HTTPConnection):
    """A connection that hands its socket to the current request's deadline before waiting for an answer."""

    def getresponse(self, *args, **kwargs):  # urllib3's signature
        deadline = getattr(_current, "deadline", None)
        if deadline is not None:
            deadline.watch(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


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
        max_seconds: float = MAX_SECONDS,
        read_retries: int = READ_RETRIES,
    ):
        self.mirror = mirror if mirror is not None else os.environ.get(MIRROR_ENV) or None
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_seconds = max_seconds
        self.retries, self.backoff = retries, backoff
        # A refresh sets this (time.monotonic() value): no request waits past the refresh's own deadline.
        self.deadline_at: float | None = None
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        retry = _CappedRetry(
            total=retries,
            connect=retries,
            read=min(retries, read_retries),
            status=retries,
            backoff_factor=backoff,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=("GET",),
            respect_retry_after_header=True,
            raise_on_status=False,
            redirect=False,
        )
        adapter = _WatchedAdapter(max_retries=retry, pool_maxsize=16)
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
        seconds, reason = self.max_seconds, f"no complete answer within {self.max_seconds:g} s of asking; gave up"
        left = self.deadline_at - time.monotonic() if self.deadline_at is not None else math.inf
        if left < seconds:
            seconds, reason = max(left, 0.0), "the refresh's deadline passed while waiting for the answer"
        with _Deadline(seconds, reason) as deadline:
            try:
                response = self._get_same_host(source, url, target)
            except UpstreamError as e:
                if deadline.expired and not isinstance(e, UpstreamTimeout):  # the shut socket looked like a broken link
                    raise UpstreamTimeout(source, url, deadline.reason) from e
                raise
        with self._lock:
            self._cache[url] = response
        return response

    def _get_same_host(self, source: str, url: str, target: str) -> Response:
        """GET, following redirects only on the same host; retry an answer whose body broke off."""
        for attempt in range(self.retries + 1):
            try:
                return self._get_once(source, url, target)
            except _BrokenBody as e:
                if attempt == self.retries:
                    tries = f" ({attempt + 1} tries)" if attempt else ""
                    raise UpstreamError(source, url, f"connection broke while reading the body{tries}: {e}") from e
                time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _get_once(self, source: str, url: str, target: str) -> Response:
        host = urlsplit(target).netloc
        for _ in range(MAX_REDIRECTS + 1):
            try:
                r = self.session.get(target, timeout=self.timeout, stream=True, allow_redirects=False)
            except requests.exceptions.RetryError as e:
                raise UpstreamError(source, url, f"gave up after retries: {_reason(e)}") from e
            except requests.exceptions.ConnectTimeout as e:
                raise UpstreamTimeout(source, url, f"connection timed out after {self.timeout[0]:g} s") from e
            except requests.exceptions.ConnectionError as e:
                if "timed out" in str(e):
                    raise UpstreamTimeout(source, url, f"no answer within {self.timeout[1]:g} s (read timeout)") from e
                raise UpstreamError(source, url, f"could not connect: {_reason(e)}") from e
            except requests.exceptions.Timeout as e:
                raise UpstreamTimeout(source, url, f"no answer within {self.timeout[1]:g} s (read timeout)") from e
            except requests.exceptions.RequestException as e:  # e.g. an invalid answer line or header
                raise UpstreamError(source, url, f"invalid answer: {_reason(e)}") from e
            if r.is_redirect:
                location = urljoin(target, r.headers.get("Location", ""))
                r.close()
                if urlsplit(location).netloc != host:
                    where = redact_url(location)
                    raise UpstreamError(source, url, f"redirected to another host ({where}); not followed")
                target = location
                continue
            body = self._read_limited(source, url, r)
            if r.status_code != 200:
                history = getattr(getattr(r.raw, "retries", None), "history", None) or ()
                tries = f" (after {len(history) + 1} tries)" if history else ""
                raise UpstreamError(source, url, f"HTTP {r.status_code} {r.reason or ''}".strip() + tries)
            if not body:
                raise UpstreamError(source, url, "empty body (HTTP 200 with no content)")
            return Response(url, target, body, r.headers.get("Content-Type", ""))
        raise UpstreamError(source, url, f"more than {MAX_REDIRECTS} redirects")

    def _read_limited(self, source: str, url: str, r: requests.Response) -> bytes:
        declared = r.headers.get("Content-Length")
        if declared and declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            r.close()
            raise UpstreamError(
                source, url, f"body of {int(declared):,} bytes is over the {self.max_bytes:,}-byte limit"
            )
        chunks, size = [], 0
        deadline = getattr(_current, "deadline", None)

        def still_arriving(deadline: _Deadline) -> UpstreamTimeout:
            if not size:  # nothing of the body came: the headers never ended
                return UpstreamTimeout(source, url, deadline.reason)
            return UpstreamTimeout(
                source, url, f"body still arriving after {deadline.seconds:g} s ({size:,} bytes); gave up"
            )

        try:
            while chunk := r.raw.read1(64 * 1024, decode_content=True):  # whatever has arrived, up to 64 KiB
                size += len(chunk)
                if size > self.max_bytes:
                    raise UpstreamError(source, url, f"body is over the {self.max_bytes:,}-byte limit")
                if deadline is not None and deadline.expired:
                    raise still_arriving(deadline)
                chunks.append(chunk)
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as e:
            if deadline is not None and deadline.expired:
                raise still_arriving(deadline) from e
            raise _BrokenBody(_reason(e)) from e
        finally:
            r.close()
        if deadline is not None and deadline.expired:  # the shut socket ended the body early: it is not complete
            raise still_arriving(deadline)
        return b"".join(chunks)


class _BrokenBody(Exception):
    """The connection broke while the body was arriving (worth another try)."""


def _reason(e: Exception) -> str:
    """The innermost readable cause: "[Errno 111] Connection refused" rather than a chain of reprs."""
    inner = e.args[0] if e.args else e
    reason = str(getattr(inner, "reason", None) or inner)
    return reason.rpartition("Failed to establish a new connection: ")[2]
