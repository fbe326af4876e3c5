"""Polite HTTP fetching for web inputs (URLs on the command line, ``.urls`` files, feed links).

One :class:`Fetcher` per run holds one ``httpx.Client`` (connection reuse), a per-host
:class:`RateLimiter` and a per-site robots.txt cache. For each URL it:

1. checks robots.txt for the site (fetched once, cached; ``urllib.robotparser`` rules for the
   ``Kibaru`` token). A 4xx robots.txt allows everything; a 5xx or 429 one disallows the whole
   site (RFC 9309); an unreachable site fails every URL on it at once, with the reason;
2. waits for the host's turn (default 1 request per second per host, every request counted:
   robots.txt, retries and redirect hops alike);
3. sends a GET with a User-Agent naming Kibaru and its version; connect and read timeouts
   (default 10 s / 20 s) and a wall-clock limit per attempt;
4. retries connection errors, timeouts, 429 and 5xx answers up to :data:`MAX_RETRIES` times,
   waiting ``Retry-After`` when the server sends one, else an exponential backoff
   (0.5 s, 1 s, 2 s by default);
5. follows redirects itself (at most :data:`MAX_REDIRECTS`), so each hop is rate-limited and
   checked against its own site's robots.txt;
6. reads at most :data:`~kibaru.ingest.decode.MAX_BYTES` of (decompressed) body.

Failures raise :class:`~kibaru.errors.InputError` naming the URL as given: ``K120`` unreachable,
timed out or an HTTP error status (``"HTTP 404 Not Found"``), too many redirects or an invalid
URL; ``K121`` disallowed by robots.txt; ``K103`` too large. :meth:`Fetched.to_rawdoc` adds
``K122`` for a body that is neither HTML nor text (an image, a PDF).

All durations are in seconds; rates in requests per second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from ..errors import InputError
from .decode import MAX_BYTES
from .rawdoc import RawDoc, url_id
from .sniff import media_kind, parse_content_type

__all__ = [
    "Fetcher",
    "Fetched",
    "RateLimiter",
    "USER_AGENT",
    "CONNECT_TIMEOUT_S",
    "READ_TIMEOUT_S",
    "ATTEMPT_TIMEOUT_S",
    "RATE_PER_HOST",
    "MAX_RETRIES",
    "BACKOFF_S",
    "MAX_RETRY_WAIT_S",
    "MAX_REDIRECTS",
    "is_web_url",
]

#: Seconds allowed to open a TCP (and TLS) connection.
CONNECT_TIMEOUT_S = 10.0
#: Seconds allowed between two reads from the server (not for the whole body).
READ_TIMEOUT_S = 20.0
#: Wall-clock seconds allowed for one attempt, headers and body (a server dripping bytes).
ATTEMPT_TIMEOUT_S = 120.0
#: Requests per second to one host (0 or less: no limit).
RATE_PER_HOST = 1.0
#: Retries after the first attempt, for connection errors, timeouts, 429 and 5xx.
MAX_RETRIES = 3
#: First backoff in seconds; doubled after each failed attempt.
BACKOFF_S = 0.5
#: Longest wait before a retry, in seconds: a longer ``Retry-After`` ends the retries.
MAX_RETRY_WAIT_S = 60.0
#: Redirects followed for one URL.
MAX_REDIRECTS = 10
#: Bytes of robots.txt read (RFC 9309 asks for at least 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024
#: The product token matched against robots.txt ``User-agent`` lines.
ROBOTS_TOKEN = "Kibaru"
#: Where site owners learn what Kibaru is (a placeholder until the project has a home page).
PROJECT_URL = "https://example.org/kibaru"
#: How site owners reach whoever runs Kibaru (a placeholder: set your own for real crawls).
CONTACT = "contact: kibaru@example.org"


def _version() -> str:
    try:
        return metadata.version("kibaru")
    except metadata.PackageNotFoundError:  # running from a source tree without install
        return "0"


#: Sent with every request.
USER_AGENT = f"{ROBOTS_TOKEN}/{_version()} (+{PROJECT_URL}; {CONTACT})"
_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
           "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRYABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def is_web_url(value: str) -> bool:
    """True for an absolute ``http://`` or ``https://`` URL with a host."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


@dataclass(frozen=True)
class Fetched:
    """A successful (2xx) answer.

    ``requested`` is the URL as given, ``url`` the URL after redirects; ``media_type`` and
    ``charset`` come from the ``Content-Type`` header, lower-cased (``""`` / None when
    absent); ``data`` is the body, content-encoding (gzip, deflate, br) removed.
    """

    requested: str
    url: str
    status: int
    media_type: str
    charset: str | None
    data: bytes

    @property
    def kind(self) -> str | None:
        """``"html"``, ``"text"``, ``"feed"`` or None
        (:func:`~kibaru.ingest.sniff.media_kind`)."""
        return media_kind(self.media_type, self.data)

    def to_rawdoc(self, *, title: str | None = None, published: str | None = None) -> RawDoc:
        """The page as a :class:`RawDoc` (bytes, with the header charset); ``id`` hashes the
        final URL, ``source`` is the URL as given. Raises ``K122`` when the body is not HTML
        or text (a feed here, an image, a PDF)."""
        kind = self.kind
        if kind not in ("html", "text"):
            what = "an RSS/Atom feed" if kind == "feed" else (self.media_type or "unknown")
            raise InputError(self.requested, f"unsupported content type ({what}): not an HTML "
                             "or text page", code="K122")
        return RawDoc(id=url_id(self.url), source=self.requested, kind=kind, data=self.data,
                      published=published, title=title, url=self.url, charset=self.charset)


class RateLimiter:
    """Spaces requests to one host at least ``1 / per_second`` seconds apart.

    :meth:`wait` reserves the host's next slot under a lock and then sleeps until it, so
    threads sharing a limiter are spaced too. ``clock`` (seconds, monotonic) and ``sleep`` are
    injectable for tests. ``per_second`` of 0 or less disables the limit.
    """

    def __init__(self, per_second: float = RATE_PER_HOST, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / per_second if per_second and per_second > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Block until ``host`` may be asked again; return the seconds waited."""
        if not self.interval:
            return 0.0
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay


@dataclass
class _Answer:
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes
    attempts: int = 1


class _Unreachable(Exception):
    """robots.txt could not be fetched: every URL of the site fails with this reason."""


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _tries(attempts: int) -> str:
    return f" after {attempts} attempts" if attempts > 1 else ""


class Fetcher:
    """Fetch web pages politely (see the module docstring for the rules).

    Keyword arguments (all optional; defaults are this module's constants):

    - ``connect_timeout``, ``read_timeout``: seconds (``httpx`` connect and read timeouts);
      ``attempt_timeout``: wall-clock seconds for one attempt, body included;
    - ``rate_per_host``: requests per second to one host (0: no limit);
    - ``max_retries``: retries after the first attempt; ``backoff``: first wait in seconds,
      doubled each retry; ``max_retry_wait``: longest wait honoured (a longer ``Retry-After``
      gives up at once);
    - ``max_bytes``: largest body accepted (decompressed), else ``K103``;
    - ``max_redirects``; ``user_agent``; ``robots``: False skips robots.txt (tests, or sites
      you own);
    - ``transport``: an ``httpx`` transport (e.g. ``httpx.MockTransport``); ``trust_env``:
      honour ``HTTP(S)_PROXY``/``NO_PROXY`` and ``SSL_CERT_FILE`` (default True);
    - ``clock`` (monotonic seconds) and ``sleep``: injectable for tests.

    Use it as a context manager, or call :meth:`close`. Safe to share between threads for
    fetching; the robots cache may fetch one site's robots.txt twice under a race.
    """

    def __init__(
        self,
        *,
        connect_timeout: float = CONNECT_TIMEOUT_S,
        read_timeout: float = READ_TIMEOUT_S,
        attempt_timeout: float = ATTEMPT_TIMEOUT_S,
        rate_per_host: float = RATE_PER_HOST,
        max_retries: int = MAX_RETRIES,
        backoff: float = BACKOFF_S,
        max_retry_wait: float = MAX_RETRY_WAIT_S,
        max_bytes: int = MAX_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        user_agent: str = USER_AGENT,
        robots: bool = True,
        transport: httpx.BaseTransport | None = None,
        trust_env: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.attempt_timeout = attempt_timeout
        self.max_retries = max(0, max_retries)
        self.backoff = backoff
        self.max_retry_wait = max_retry_wait
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self.robots = robots
        self._clock = clock
        self._sleep = sleep
        self.limiter = RateLimiter(rate_per_host, clock=clock, sleep=sleep)
        self._robots: dict[str, RobotFileParser | bool | _Unreachable] = {}
        self._client = httpx.Client(
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout,
                                  write=read_timeout, pool=connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": user_agent, "Accept": _ACCEPT,
                     "Accept-Language": "fr,fr-FR;q=0.9,*;q=0.5"},
            transport=transport,
            trust_env=trust_env,
        )

    # -- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public -----------------------------------------------------------------------------

    def fetch(self, url: str) -> Fetched:
        """GET ``url`` and return the 2xx answer.

        Raises :class:`~kibaru.errors.InputError` naming ``url``: ``K120`` (not an http(s)
        URL, unreachable, timed out, HTTP 4xx/5xx, too many redirects), ``K121`` (disallowed
        by robots.txt, for the URL or a redirect target), ``K103`` (body over ``max_bytes``).
        """
        if not is_web_url(url):
            raise InputError(url, "not an http(s) URL", code="K120")
        answer, final = self._get(url, source=url, robots=self.robots, max_bytes=self.max_bytes,
                                  truncate=False)
        if not 200 <= answer.status < 300:
            where = f" at {final}" if final != url else ""
            raise InputError(url, f"HTTP {answer.status} {answer.reason}".rstrip()
                             + where + _tries(answer.attempts), code="K120")
        media, charset = parse_content_type(answer.headers.get("content-type"))
        return Fetched(requested=url, url=final, status=answer.status, media_type=media,
                       charset=charset, data=answer.body)

    def allowed(self, url: str) -> bool:
        """True when the site's robots.txt lets Kibaru fetch ``url`` (cached per site).

        Raises ``K120`` naming ``url`` when robots.txt cannot be fetched at all (the site is
        unreachable): RFC 9309 forbids crawling then, and the reason says why.
        """
        parts = urlsplit(url)
        site = f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"
        rules = self._robots.get(site)
        if rules is None:
            rules = self._robots[site] = self._load_robots(site)
        if isinstance(rules, _Unreachable):
            raise InputError(url, str(rules), code="K120")
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(ROBOTS_TOKEN, url)

    # -- internals --------------------------------------------------------------------------

    def _load_robots(self, site: str) -> RobotFileParser | bool | _Unreachable:
        robots_url = f"{site}/robots.txt"
        try:
            answer, _ = self._get(robots_url, source=robots_url, robots=False,
                                  max_bytes=ROBOTS_MAX_BYTES, truncate=True)
        except InputError as exc:
            return _Unreachable(f"{exc.reason} (fetching {robots_url})")
        if answer.status == 429 or answer.status >= 500:
            return False  # unavailable: complete disallow (RFC 9309, 2.3.1.4)
        if answer.status >= 400 or not 200 <= answer.status < 300:
            return True  # no robots.txt: everything allowed
        parser = RobotFileParser(robots_url)
        parser.parse(answer.body.decode("utf-8", "replace").splitlines())
        return parser

    def _get(self, url: str, *, source: str, robots: bool, max_bytes: int,
             truncate: bool) -> tuple[_Answer, str]:
        """Follow redirects from ``url``; return the last answer and its URL."""
        current = url
        for _ in range(self.max_redirects + 1):
            try:
                ok = not robots or self.allowed(current)
            except InputError as exc:
                raise InputError(source, exc.reason, code=exc.code) from None
            if not ok:
                via = f" (redirected to {current})" if current != url else ""
                raise InputError(source, f"disallowed by robots.txt{via}", code="K121")
            answer = self._attempts(current, source=source, max_bytes=max_bytes,
                                    truncate=truncate)
            location = answer.headers.get("location")
            if answer.status not in _REDIRECTS or not location:
                return answer, current
            try:
                target = str(httpx.URL(current).join(location.strip()))
            except (httpx.InvalidURL, ValueError):
                raise InputError(source, f"bad redirect location {location!r}",
                                 code="K120") from None
            if not is_web_url(target):
                raise InputError(source, f"redirected to a non-HTTP URL {target}", code="K120")
            current = target
        raise InputError(source, f"too many redirects (more than {self.max_redirects})",
                         code="K120")

    def _attempts(self, url: str, *, source: str, max_bytes: int, truncate: bool) -> _Answer:
        """One URL, retried on connection errors, timeouts, 429 and 5xx."""
        host = (urlsplit(url).hostname or "").lower()
        attempt = 0
        while True:
            self.limiter.wait(host)
            try:
                answer = self._once(url, source=source, max_bytes=max_bytes, truncate=truncate)
            except _RETRYABLE as exc:
                reason = self._describe(exc)
                if attempt >= self.max_retries:
                    raise InputError(source, f"unreachable: {reason}{_tries(attempt + 1)}",
                                     code="K120") from None
                self._sleep(self._backoff(attempt))
                attempt += 1
                continue
            except httpx.HTTPError as exc:  # not worth retrying: bad URL, unsupported scheme...
                raise InputError(source, f"cannot fetch ({type(exc).__name__}: {exc})",
                                 code="K120") from None
            except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
                raise InputError(source, f"invalid URL ({exc})", code="K120") from None
            answer.attempts = attempt + 1
            if answer.status == 429 or answer.status >= 500:
                asked = _retry_after(answer.headers.get("retry-after"))
                delay = self._backoff(attempt) if asked is None else asked
                if attempt >= self.max_retries:
                    return answer
                if delay > self.max_retry_wait:
                    answer.reason += (f" (Retry-After {delay:.0f} s is longer than the "
                                      f"{self.max_retry_wait:.0f} s limit)")
                    return answer
                self._sleep(delay)
                attempt += 1
                continue
            return answer

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff * (2 ** attempt), self.max_retry_wait))

    def _once(self, url: str, *, source: str, max_bytes: int, truncate: bool) -> _Answer:
        """One GET. The body is read only for a 2xx answer, at most ``max_bytes`` of it
        (cut there when ``truncate``, else ``K103``)."""
        started = self._clock()
        with self._client.stream("GET", url) as resp:
            answer = _Answer(resp.status_code, resp.reason_phrase or "", resp.headers, b"")
            if not 200 <= resp.status_code < 300:
                return answer
            declared = resp.headers.get("content-length", "")
            if not truncate and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(source, f"too large: {declared} bytes (limit {max_bytes})",
                                 code="K103")
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                chunks.append(chunk)
                if size > max_bytes:
                    if truncate:
                        break
                    raise InputError(source, f"too large: more than {max_bytes} bytes "
                                     f"(limit {max_bytes})", code="K103")
                if self._clock() - started > self.attempt_timeout:
                    raise httpx.ReadTimeout(f"body not received within {self.attempt_timeout:g} s")
            answer.body = b"".join(chunks)[:max_bytes]
            return answer

    def _describe(self, exc: Exception) -> str:
        detail = str(exc).strip()
        if isinstance(exc, httpx.ConnectTimeout):
            return f"connection timed out (limit {self.connect_timeout:g} s)"
        if isinstance(exc, httpx.ReadTimeout):
            if detail.startswith("body not received"):
                return f"timed out: {detail}"
            return f"timed out waiting for the server (read timeout {self.read_timeout:g} s)"
        if isinstance(exc, httpx.TimeoutException):
            return "timed out"
        if isinstance(exc, httpx.ConnectError):
            return f"cannot connect ({detail or 'connection failed'})"
        if isinstance(exc, httpx.RemoteProtocolError):
            return f"the server broke the connection ({detail or 'protocol error'})"
        return f"network error ({type(exc).__name__}{': ' + detail if detail else ''})"
