"""kibaru serve in a real browser (Debian's Chromium driven by Playwright): the events table,
filtering, an article with its highlights, inert markup, a correction seen in the table and
in the CSV export, the map's click-through; and a screenshot of each page (``docs/`` when
``KIBARU_SCREENSHOTS=1``).

Chromium comes from the system (``make browser`` / ``.ci/run`` install it with apt): in CI
a missing browser fails these tests; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

from conftest import ROOT
from kibaru.export import write_jsonl

CHROMIUM = os.environ.get("KIBARU_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _need_browser() -> None:
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"{CHROMIUM} is missing: install it with 'make browser' (apt chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "playwright is not installed: pip install -e '.[dev]'"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)


@pytest.fixture
def server(serve_db):
    """``(base_url, db)``: uvicorn serving a private copy of the session store on a free
    port, in a thread of this process."""
    from kibaru.serve import ServeConfig, serving

    with serving(ServeConfig(db=str(serve_db), reviewer="")) as base:
        yield base, serve_db


@pytest.fixture
def browser_page():
    """A Chromium page; every console error and every dialog is recorded on it."""
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.console_errors = []  # type: ignore[attr-defined]
        page.dialogs = []  # type: ignore[attr-defined]
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and page.console_errors.append(
            f"{r.status} {r.url}"))

        def on_dialog(dialog) -> None:
            page.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        try:
            yield page
        finally:
            browser.close()


def _shots(tmp_path: Path) -> Path:
    if os.environ.get("KIBARU_SCREENSHOTS"):
        return ROOT / "docs" / "screenshots"
    return tmp_path


@pytest.mark.slow
def test_browse_filter_read_and_correct_in_the_browser(server, browser_page, tmp_path):
    from playwright.sync_api import expect

    base, db = server
    page = browser_page
    shots = _shots(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    # the events table
    page.goto(f"{base}/events")
    rows = page.locator("tr.event-row")
    assert rows.count() > 20
    total_all = int(page.inner_text("#total"))
    page.screenshot(path=str(shots / "events.png"), full_page=False)

    # filter: choosing a type applies it
    page.select_option("select[name=type]", "AID")
    page.wait_for_url("**/events?*type=AID*")
    n_aid = int(page.inner_text("#total"))
    assert 0 < n_aid < total_all
    assert page.locator("tr.event-row").count() == n_aid
    assert set(page.locator("tr.event-row .type").all_inner_texts()) == {"AID"}
    page.fill("input[name=q]", "blé")
    page.click("#apply")
    page.wait_for_url("**q=bl*")
    assert 0 < int(page.inner_text("#total")) <= n_aid
    assert "country=" not in page.url  # blank fields stay out of the URL

    # an article with its highlights
    page.locator("tr.event-row td.evidence a").first.click()
    page.wait_for_url("**/documents/*")
    hash_no = page.url.rsplit("#event-", 1)[1]  # the event linked to is lit up on load
    target = page.locator(".doc-event.targeted")
    expect(target).to_have_count(1)
    assert target.get_attribute("id") == f"event-{hash_no}"
    assert target.get_attribute("value") == hash_no  # the list's number is the anchor's
    assert page.locator("#article-text mark.targeted").count() >= 1
    assert page.locator("#article-text mark.hl-trigger").count() >= 1
    assert page.locator("#article-text mark.hl-quantity").count() >= 1
    first_item = page.locator(".doc-event").first
    first_item.hover()
    assert page.locator("#article-text mark.active").count() >= 1
    assert page.locator("#removed").is_visible()
    import httpx

    listed = httpx.get(f"{base}/api/events", params={"per_page": 500}).json()["events"]
    pk = next(e["document_pk"] for e in listed if e["source"].endswith("tchad-refugies-aide.html"))
    page.goto(f"{base}/documents/{pk}")
    assert page.locator("#removed li").count() >= 1
    page.screenshot(path=str(shots / "article.png"), full_page=True)

    # the hostile article: its markup is text, nothing runs
    page.goto(f"{base}/events?q=xss&review=all")
    page.locator("tr.event-row td.evidence a").first.click()
    page.wait_for_url("**/documents/*")
    text = page.inner_text("#article-text")
    assert "<script>alert('xss')</script>" in text and "onerror=alert" in text
    assert page.locator("#article-text img").count() == 0
    assert page.locator("#article-text script").count() == 0

    # correct an event in the review form
    page.goto(f"{base}/events?type=ASSAULT&country=MLI")
    row = page.locator("tr.event-row").first
    eid = row.get_attribute("data-event-id")
    assert eid
    row.locator("td a").first.click()
    page.wait_for_url(f"**/events/{eid}")
    assert page.is_checked("input[name=action][value=confirm]")
    page.select_option("select[name=type]", "COERCE")
    # editing a correction field chooses "correct": nothing typed is dropped
    assert page.is_checked("input[name=action][value=correct]")
    page.fill("input[name=actor]", "bfa")
    page.fill("input[name=reviewer]", "Awa Traoré")
    page.fill("input[name=note]", "the attackers came from Burkina Faso")
    page.screenshot(path=str(shots / "review.png"), full_page=False)
    page.click("#review-submit")
    expect(page.locator("#review-result")).to_have_text(re.compile("^saved"))
    expect(page.locator("#review-history")).to_contain_text("Awa Traoré")
    assert "COERCE" in page.inner_text("#event-fields .f-type")
    assert "BFA" in page.inner_text("#event-fields .f-actor")

    # the correction in the table …
    page.goto(f"{base}/events?type=COERCE&country=BFA")
    mine = page.locator(f"tr.event-row[data-event-id='{eid}']")
    assert mine.count() == 1
    assert "corrected" in mine.inner_text() and "BFA" in mine.inner_text()
    # … and in the CSV download of that filter, and in kibaru's JSONL export
    with page.expect_download() as info:
        page.click("#csv")
    rows_csv = list(csv.DictReader(io.StringIO(
        Path(info.value.path()).read_text(encoding="utf-8"))))
    got = [r for r in rows_csv if r["event_id"] == eid]
    assert got and got[0]["type"] == "COERCE" and got[0]["actor_country"] == "BFA"
    assert got[0]["review_status"] == "correct" and got[0]["reviewed_by"] == "Awa Traoré"
    out = io.StringIO()
    write_jsonl(db, out, type="COERCE", country="BFA")
    assert f'"id": "{eid}"' in out.getvalue() and "Awa Traoré" in out.getvalue()

    # the dyad page and the map
    page.goto(f"{base}/dyads/RUS-MLI")
    assert page.locator("#timeline rect.bar").count() >= 1
    page.screenshot(path=str(shots / "dyad.png"), full_page=True)
    page.goto(f"{base}/map")
    page.wait_for_selector("#clusters circle")
    assert "located event" in page.inner_text("#map-count")
    page.screenshot(path=str(shots / "map.png"), full_page=False)
    page.click("#zoom-in")
    expect(page.locator("#map")).to_have_attribute("viewBox", re.compile(r"^\S+ \S+ 180 90$"))
    page.click("#zoom-reset")
    expect(page.locator("#map")).to_have_attribute("viewBox", "-180 -90 360 180")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#map-count")).to_contain_text("located event")
    page.locator("#clusters circle").first.dispatch_event("click")
    page.wait_for_url("**/events?*bbox=*")
    expect(page.locator("tr.event-row").first).to_be_visible()
    assert int(page.inner_text("#total")) >= 1

    assert page.dialogs == [], page.dialogs  # type: ignore[attr-defined]
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]
