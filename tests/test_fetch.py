"""Web inputs: fetching (kibaru.ingest.fetch), feeds (kibaru.ingest.feeds) and WARC files
(kibaru.ingest.warc), through kibaru.ingest.iter_inputs.

Everything runs against a real HTTP server on 127.0.0.1 (a ThreadingHTTPServer started per
test on a free port); no other network. WARC files are written here with warcio. No spaCy
model is loaded (the clean stage is used to check decoding, not the coder).
"""

from __future__ import annotations

import gzip
import io
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kibaru.clean import clean
from kibaru.errors import InputError
from kibaru.ingest import Fetcher, RawDoc, iter_inputs
from kibaru.ingest.feeds import entry_date
from kibaru.ingest.fetch import USER_AGENT, RateLimiter, _retry_after
from kibaru.ingest.rawdoc import url_id
from kibaru.ingest.sniff import looks_like_feed, parse_content_type

# --- French pages written for these tests ---------------------------------------------------

ARTICLE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Le Mali reçoit du blé russe</title></head>
<body><article><h1>Le Mali reçoit du blé russe</h1>
<p>Bamako, le 16 mai 2024 – La Russie a livré 25 000 tonnes de blé au Mali, a annoncé
mercredi le ministère malien de l’Économie, précisant que la cargaison était arrivée à Dakar
avant d’être acheminée par la route jusqu’à la capitale.</p>
<p>« Cette aide arrive à point nommé », a déclaré le ministre, qui a remercié Moscou pour ce
geste en faveur des populations touchées par la hausse des prix des céréales.</p>
</article></body></html>
"""
ARTICLE_2 = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Niamey ferme sa frontière</title></head>
<body><article><h1>Niamey ferme sa frontière</h1>
<p>Niamey, le 17 mai 2024 – Le gouvernement nigérien a fermé jeudi sa frontière avec le Bénin,
invoquant des raisons de sécurité, selon un communiqué lu à la télévision nationale.</p>
<p>Les transporteurs bloqués à Malanville réclament une réouverture rapide du corridor.</p>
</article></body></html>
"""
# Latin-1 bytes with a wrong <meta charset>: only the HTTP header names the right encoding.
LATIN1 = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="koi8-r"><title>À Ségou</title></head>
<body><article><h1>À Ségou, l’été des récoltes</h1>
<p>À Ségou, les paysans ont récolté cette année des céréales en quantité, a indiqué
vendredi la direction régionale de l'agriculture, qui évoque une saison « exceptionnelle ».</p>
<p>Les prix du mil et du sorgho ont baissé sur les marchés de la région depuis le début de
l'été, selon les commerçants interrogés à Ségou et à Markala.</p>
</article></body></html>
""".replace("’", "'")
CONTENT = (
    "<p>Bamako, le 16 mai 2024 – La Russie a livré 25 000 tonnes de blé au Mali, a annoncé "
    "mercredi le ministère malien de l’Économie. La cargaison est arrivée à Dakar avant "
    "d’être acheminée par la route jusqu’à la capitale, selon un communiqué.</p>"
    "<p>« Cette aide arrive à point nommé », a déclaré le ministre.</p>"
)
ROBOTS = "User-agent: *\nDisallow: /private/\n"


def feed(base: str) -> str:
    """An RSS 2.0 feed: one entry with full content, one with only a link."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Le Journal du Sahel</title><link>{base}/</link><description>Actualités</description>
<item><title>Le Mali reçoit 25 000 tonnes de blé russe</title>
<link>{base}/never-fetched.html</link>
<pubDate>Thu, 16 May 2024 00:30:00 +0200</pubDate>
<description>Court résumé.</description>
<content:encoded><![CDATA[{CONTENT}]]></content:encoded></item>
<item><title>Niamey ferme sa frontière</title><link>{base}/article2.html</link>
<pubDate>Fri, 17 May 2024 08:00:00 GMT</pubDate><description>Lire la suite…</description></item>
</channel></rss>
"""


# --- the local server -----------------------------------------------------------------------

class Site:
    """What the test server served: every request with its time and User-Agent."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.hits: list[tuple[str, float, str]] = []
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def record(self, path: str, agent: str) -> int:
        with self._lock:
            self.hits.append((path, time.monotonic(), agent))
            return sum(1 for p, _, _ in self.hits if p == path)

    def count(self, path: str) -> int:
        return sum(1 for p, _, _ in self.hits if p == path)

    def times(self, path: str) -> list[float]:
        return [t for p, t, _ in self.hits if p == path]


class Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (quiet)
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # the client gave up (timeout tests)
            pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        site: Site = self.server.site  # type: ignore[attr-defined]
        path = self.path
        n = site.record(path, self.headers.get("User-Agent", ""))
        page = ARTICLE.encode()
        if path == "/robots.txt":
            self._send(200, ROBOTS.encode(), "text/plain")
        elif path in ("/article.html", "/private/page.html"):
            self._send(200, page)
        elif path == "/article2.html":
            self._send(200, ARTICLE_2.encode())
        elif path == "/latin1.html":
            self._send(200, LATIN1.encode("latin-1"), "text/html; charset=ISO-8859-1")
        elif path == "/plain.txt":
            self._send(200, "Le Niger a fermé sa frontière.".encode(), "text/plain; charset=utf-8")
        elif path == "/flaky":
            self._send(500, b"oops") if n == 1 else self._send(200, page)
        elif path == "/busy":
            if n == 1:
                self._send(429, b"slow down", headers={"Retry-After": "1"})
            else:
                self._send(200, page)
        elif path == "/down":
            self._send(503, b"maintenance")
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, page)
        elif path == "/redirect":
            self._send(302, b"", headers={"Location": "/article.html"})
        elif path == "/redirect-private":
            self._send(301, b"", headers={"Location": site.url("/private/page.html")})
        elif path == "/loop":
            self._send(302, b"", headers={"Location": "/loop"})
        elif path == "/feed.rss":
            self._send(200, feed(site.base).encode(), "application/rss+xml; charset=utf-8")
        elif path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "image/png")
        elif path == "/big.html":
            self._send(200, page * 10)
        else:
            self._send(404, b"<h1>Introuvable</h1>")


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.site = Site(f"http://127.0.0.1:{server.server_address[1]}")  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server.site  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def quick(**kwargs: object) -> Fetcher:
    """A fetcher for tests: no rate limit, short backoff and timeouts, no proxies."""
    settings: dict[str, object] = dict(rate_per_host=0, backoff=0.05, connect_timeout=2.0,
                                       read_timeout=3.0, trust_env=False)
    settings.update(kwargs)
    return Fetcher(**settings)  # type: ignore[arg-type]


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with quick() as f:
        yield f


def fetch_error(fetcher: Fetcher, url: str) -> InputError:
    with pytest.raises(InputError) as info:
        fetcher.fetch(url)
    return info.value


# --- fetching -------------------------------------------------------------------------------

def test_french_page_is_fetched_with_kibaru_user_agent(site: Site, fetcher: Fetcher) -> None:
    page = fetcher.fetch(site.url("/article.html"))
    assert (page.status, page.media_type, page.charset, page.kind) == (200, "text/html",
                                                                      "utf-8", "html")
    assert page.data == ARTICLE.encode()
    doc = page.to_rawdoc()
    assert (doc.kind, doc.source, doc.url, doc.charset) == ("html", site.url("/article.html"),
                                                            site.url("/article.html"), "utf-8")
    assert doc.id == url_id(site.url("/article.html")) and len(doc.id) == 16
    fetcher.fetch(site.url("/article2.html"))
    assert site.count("/robots.txt") == 1  # cached per site
    agents = {agent for _, _, agent in site.hits}
    assert agents == {USER_AGENT}
    assert USER_AGENT.startswith("Kibaru/0.") and "+http" in USER_AGENT


def test_robots_txt_disallowed_path_is_never_requested(site: Site, fetcher: Fetcher) -> None:
    error = fetch_error(fetcher, site.url("/private/page.html"))
    assert error.code == "K121" and "disallowed by robots.txt" in str(error)
    assert error.source == site.url("/private/page.html")
    redirected = fetch_error(fetcher, site.url("/redirect-private"))
    assert redirected.code == "K121" and "redirected to" in redirected.reason
    assert site.count("/private/page.html") == 0


def test_robots_can_be_switched_off(site: Site) -> None:
    with quick(robots=False) as f:
        assert f.fetch(site.url("/private/page.html")).status == 200
    assert site.count("/robots.txt") == 0


def test_500_then_200_is_retried(site: Site, fetcher: Fetcher) -> None:
    page = fetcher.fetch(site.url("/flaky"))
    assert page.status == 200 and site.count("/flaky") == 2


def test_persistent_503_gives_up_after_max_retries(site: Site) -> None:
    with quick(max_retries=2) as f:
        error = fetch_error(f, site.url("/down"))
    assert error.code == "K120"
    assert "HTTP 503" in error.reason and "after 3 attempts" in error.reason
    assert site.count("/down") == 3


def test_429_waits_for_retry_after(site: Site, fetcher: Fetcher) -> None:
    page = fetcher.fetch(site.url("/busy"))
    assert page.status == 200
    first, second = site.times("/busy")
    assert second - first >= 0.9


def test_404_names_the_url_and_the_status(site: Site, fetcher: Fetcher) -> None:
    error = fetch_error(fetcher, site.url("/nulle-part.html"))
    assert error.code == "K120" and error.source == site.url("/nulle-part.html")
    assert "HTTP 404 Not Found" in str(error)
    assert site.count("/nulle-part.html") == 1  # a 4xx is not retried


def test_slow_server_times_out(site: Site) -> None:
    started = time.monotonic()
    with quick(read_timeout=0.3, max_retries=1) as f:
        error = fetch_error(f, site.url("/slow"))
    assert error.code == "K120" and "timed out" in error.reason
    assert "after 2 attempts" in error.reason
    assert time.monotonic() - started < 1.4


def test_redirect_is_followed_and_final_url_kept(site: Site, fetcher: Fetcher) -> None:
    doc = fetcher.fetch(site.url("/redirect")).to_rawdoc()
    assert doc.source == site.url("/redirect")
    assert doc.url == site.url("/article.html")
    assert doc.id == url_id(site.url("/article.html"))


def test_redirect_loop_stops(site: Site) -> None:
    with quick(max_redirects=3) as f:
        error = fetch_error(f, site.url("/loop"))
    assert error.code == "K120" and "too many redirects" in error.reason
    assert site.count("/loop") == 4


def test_unreachable_host_is_named(fetcher: Fetcher) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/article.html"
    error = fetch_error(fetcher, url)
    assert error.code == "K120" and error.source == url
    assert "unreachable" in error.reason and "robots.txt" in error.reason
    with pytest.raises(InputError):  # the site's failure is cached: no second wait
        fetcher.fetch(f"http://127.0.0.1:{port}/other.html")


def test_too_large_and_unsupported_bodies(site: Site) -> None:
    with quick(max_bytes=len(ARTICLE.encode()) * 2) as f:
        assert f.fetch(site.url("/article.html")).status == 200
        assert fetch_error(f, site.url("/big.html")).code == "K103"
        image = f.fetch(site.url("/image.png"))
    with pytest.raises(InputError) as info:
        image.to_rawdoc()
    assert info.value.code == "K122" and "image/png" in info.value.reason


def test_latin1_header_charset_reaches_the_decoder(site: Site, fetcher: Fetcher) -> None:
    doc = fetcher.fetch(site.url("/latin1.html")).to_rawdoc()
    assert doc.charset == "iso-8859-1" and isinstance(doc.data, bytes)
    assert clean(doc).title == "À Ségou, l'été des récoltes"
    assert "À Ségou, les paysans" in clean(doc).text
    # without the header the page's wrong <meta charset="koi8-r"> would win
    assert "Ségou" not in clean(replace(doc, charset=None)).text


def test_text_plain_page_is_text(site: Site, fetcher: Fetcher) -> None:
    doc = fetcher.fetch(site.url("/plain.txt")).to_rawdoc()
    assert (doc.kind, doc.data) == ("text", "Le Niger a fermé sa frontière.".encode())


def test_rate_limit_spaces_requests_to_one_host(site: Site) -> None:
    with quick(rate_per_host=1.0, robots=False) as f:
        f.fetch(site.url("/article.html"))
        f.fetch(site.url("/article2.html"))
    (first,), (second,) = site.times("/article.html"), site.times("/article2.html")
    assert second - first >= 0.8


def test_rate_limiter_is_per_host() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    assert limiter.wait("a.example") == 0.0
    assert limiter.wait("b.example") == 0.0  # another host does not wait
    assert limiter.wait("a.example") == pytest.approx(0.5)
    now[0] += 10
    assert limiter.wait("a.example") == 0.0
    assert slept == [pytest.approx(0.5)]
    assert RateLimiter(0).wait("a.example") == 0.0


def test_retry_after_header_forms() -> None:
    assert _retry_after("1") == 1.0
    assert _retry_after(None) is None and _retry_after("bientôt") is None
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


# --- through iter_inputs: URLs, .urls files, feeds ------------------------------------------

def items(inputs: list[str], fetcher: Fetcher) -> list[RawDoc | InputError]:
    return list(iter_inputs(inputs, fetcher=fetcher))


def test_url_arguments_keep_their_order_and_errors_do_not_stop(site: Site, fetcher: Fetcher,
                                                               tmp_path: Path) -> None:
    local = tmp_path / "local.txt"
    local.write_text("Le Tchad a rappelé son ambassadeur.", encoding="utf-8")
    got = items([site.url("/article.html"), site.url("/missing.html"),
                 site.url("/private/page.html"), str(local)], fetcher)
    assert [type(x).__name__ for x in got] == ["RawDoc", "InputError", "InputError", "RawDoc"]
    assert [getattr(x, "code", None) for x in got] == [None, "K120", "K121", None]


def test_urls_file(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    listing = tmp_path / "a-lire.urls"
    listing.write_text(f"# revue de presse du 16 mai\n\n{site.url('/article.html')}\n"
                       f"ftp://exemple.org/x\n  {site.url('/missing.html')}  \n"
                       f"{site.url('/plain.txt')}\n", encoding="utf-8")
    got = items([str(listing)], fetcher)
    assert [getattr(x, "code", x.kind if isinstance(x, RawDoc) else None) for x in got] == [
        "html", "K125", "K120", "text"]
    assert got[1].source == f"{listing}:4"  # type: ignore[union-attr]
    empty = tmp_path / "vide.urls"
    empty.write_text("# rien\n", encoding="utf-8")
    assert [e.code for e in items([str(empty)], fetcher)] == ["K125"]  # type: ignore[union-attr]


def check_feed_docs(got: list[RawDoc | InputError], site: Site) -> None:
    assert all(isinstance(d, RawDoc) for d in got), got
    full, linked = got
    assert isinstance(full, RawDoc) and isinstance(linked, RawDoc)
    # the entry with content:encoded is read from the feed, its link is never fetched
    assert full.kind == "html" and isinstance(full.data, str) and CONTENT in full.data
    assert full.title == "Le Mali reçoit 25 000 tonnes de blé russe"
    assert full.published == "2024-05-16"  # the date as written, not shifted to UTC
    assert full.url == full.source == site.url("/never-fetched.html")
    assert site.count("/never-fetched.html") == 0
    # the entry with only a link is fetched; title and date come from the entry
    assert linked.data == ARTICLE_2.encode() and linked.url == site.url("/article2.html")
    assert (linked.title, linked.published) == ("Niamey ferme sa frontière", "2024-05-17")
    cleaned = clean(full)
    assert "25 000 tonnes de blé" in cleaned.text and cleaned.published == "2024-05-16"
    assert "Malanville" in clean(linked).text


def test_feed_url_yields_its_entries(site: Site, fetcher: Fetcher) -> None:
    check_feed_docs(items([site.url("/feed.rss")], fetcher), site)


@pytest.mark.parametrize("name", ["journal.rss", "journal.xml"])
def test_feed_file_yields_its_entries(site: Site, fetcher: Fetcher, tmp_path: Path,
                                      name: str) -> None:
    path = tmp_path / name
    path.write_text(feed(site.base), encoding="utf-8")
    check_feed_docs(items([str(path)], fetcher), site)


def test_atom_feed_and_broken_feeds(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    atom = tmp_path / "journal.atom"
    atom.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Sahel</title><id>urn:x</id>
<updated>2024-05-17T10:00:00+02:00</updated>
<entry><title>Niamey</title><id>urn:1</id><link href="{site.url('/article2.html')}"/>
<updated>2024-05-17T01:00:00+02:00</updated></entry>
<entry><title>Sans lien</title><id>urn:2</id><updated>2024-05-17T10:00:00Z</updated>
<summary>Résumé seul.</summary></entry>
</feed>""", encoding="utf-8")
    got = items([str(atom)], fetcher)
    assert isinstance(got[0], RawDoc) and got[0].published == "2024-05-17"
    assert isinstance(got[1], InputError) and got[1].code == "K124"
    assert got[1].source == f"{atom}#2"
    broken = tmp_path / "casse.rss"
    broken.write_bytes(b"<rss><channel><item><title>x")
    empty = tmp_path / "vide.rss"
    empty.write_text('<rss version="2.0"><channel><title>Rien</title></channel></rss>')
    assert [getattr(x, "code", None) for x in items([str(broken), str(empty)], fetcher)] == [
        "K124", "K124"]


def test_xml_that_is_not_a_feed_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "page.xml"
    path.write_bytes(b"<!DOCTYPE html><html><body><p>x</p></body></html>")
    (doc,) = iter_inputs([str(path)])
    assert isinstance(doc, RawDoc) and doc.kind == "html"


def test_entry_dates() -> None:
    assert entry_date({"published": "Thu, 16 May 2024 00:30:00 +0200"}) == "2024-05-16"
    assert entry_date({"updated": "2024-05-17T23:59:00-05:00"}) == "2024-05-17"
    assert entry_date({"published": "2024-05-18"}) == "2024-05-18"
    assert entry_date({"published": "hier"}) is None and entry_date({}) is None


def test_sniffing_helpers() -> None:
    assert parse_content_type("text/HTML; Charset=\"ISO-8859-1\"") == ("text/html",
                                                                       "iso-8859-1")
    assert parse_content_type(None) == ("", None)
    assert looks_like_feed(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- x -->\n<rss>')
    assert looks_like_feed(b"<rdf:RDF xmlns:rdf='x'>") and not looks_like_feed(b"<html>")


def test_files_never_open_a_web_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kibaru.ingest.readers as readers

    def refuse() -> None:
        raise AssertionError("a Fetcher was created for local files")

    monkeypatch.setattr(readers, "Fetcher", refuse)
    (tmp_path / "a.txt").write_text("Le Mali.", encoding="utf-8")
    assert [d.id for d in iter_inputs([str(tmp_path)])] == ["a"]  # type: ignore[union-attr]


# --- WARC -----------------------------------------------------------------------------------

def write_warc(path: Path, *, gz: bool, pages: int = 2) -> list[str]:
    """A WARC with a warcinfo record, ``pages`` French HTML responses (each with its request
    record), an image and a 404; returns the HTML pages' URLs."""
    urls = []
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))

        def response(url: str, status: str, ctype: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers))

        for i in range(pages):
            url = f"https://journal.example/afrique/article-{i}.html"
            request = StatusAndHeaders(f"GET /afrique/article-{i}.html HTTP/1.1",
                                       [("Host", "journal.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request",
                                                          http_headers=request))
            page = ARTICLE if i % 2 == 0 else ARTICLE_2
            response(url, "200 OK", "text/html; charset=utf-8", page.encode())
            urls.append(url)
        response("https://journal.example/logo.png", "200 OK", "image/png",
                 b"\x89PNG\r\n\x1a\n" + bytes(256))
        response("https://journal.example/absent.html", "404 Not Found", "text/html",
                 b"<h1>Introuvable</h1>")
    return urls


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_yields_the_html_responses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    urls = write_warc(path, gz=name.endswith(".gz"))
    got = list(iter_inputs([str(path)]))
    assert all(isinstance(d, RawDoc) for d in got), got
    docs = [d for d in got if isinstance(d, RawDoc)]
    assert [d.url for d in docs] == [d.source for d in docs] == urls
    assert [d.kind for d in docs] == ["html", "html"]
    assert [d.charset for d in docs] == ["utf-8", "utf-8"]
    assert docs[0].data == ARTICLE.encode() and docs[0].published is None
    assert len({d.id for d in docs}) == 2 and all(len(d.id) == 16 for d in docs)
    assert [d.id for d in iter_inputs([str(path)])] == [d.id for d in docs]  # type: ignore[union-attr]
    assert "25 000 tonnes de blé" in clean(docs[0]).text


def test_truncated_warc_gz_keeps_what_came_before(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, gz=True, pages=4)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    got = list(iter_inputs([str(cut)]))
    *docs, error = got
    assert docs and all(isinstance(d, RawDoc) for d in docs)
    assert len(docs) < 4
    assert isinstance(error, InputError) and error.code == "K123"
    assert error.source == str(cut) and "truncated" in error.reason


def test_truncated_plain_warc_drops_the_cut_record(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    write_warc(whole, gz=False, pages=2)
    data = whole.read_bytes()
    marker = data.index(b"Niamey ferme")  # inside the second page's body
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[:marker])
    got = list(iter_inputs([str(cut)]))
    assert [type(x).__name__ for x in got] == ["RawDoc", "InputError"]
    assert got[1].code == "K123" and "truncated" in got[1].reason  # type: ignore[union-attr]


def test_not_a_warc_empty_and_no_pages(tmp_path: Path) -> None:
    text = tmp_path / "faux.warc"
    text.write_text("Ceci n'est pas une archive.\n", encoding="utf-8")
    zipped = tmp_path / "faux.warc.gz"
    zipped.write_bytes(gzip.compress(b"Ceci n'est pas une archive.\n"))
    empty = tmp_path / "vide.warc"
    empty.write_bytes(b"")
    images = tmp_path / "images.warc"
    write_warc(images, gz=False, pages=0)
    got = list(iter_inputs([str(text), str(zipped), str(empty), str(images)]))
    assert [getattr(x, "code", None) for x in got] == ["K123", "K123", "K101", "K123"]
    assert [x.source for x in got] == [str(text), str(zipped), str(empty), str(images)]  # type: ignore[union-attr]


def test_folder_reads_warc_feed_and_text(site: Site, fetcher: Fetcher, tmp_path: Path) -> None:
    write_warc(tmp_path / "b.warc.gz", gz=True, pages=1)
    (tmp_path / "a.txt").write_text("Le Mali.", encoding="utf-8")
    (tmp_path / "c.rss").write_text(feed(site.base), encoding="utf-8")
    (tmp_path / "d.xml").write_text(feed(site.base), encoding="utf-8")  # .xml: named only
    got = items([str(tmp_path)], fetcher)
    assert [d.source for d in got] == [  # type: ignore[union-attr]
        str(tmp_path / "a.txt"), "https://journal.example/afrique/article-0.html",
        site.url("/never-fetched.html"), site.url("/article2.html")]
