"""An analyst in a real headless Chromium: logs in, corrects a field, merges two events, splits
one, rejects one; the page and the API show it, analyst text stays text, and logging out hides
the review again. Screenshots go to tests/screenshots/ like the other browser tests'.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from serve_examples import N_EVENTS, example_results
from test_serve_browser import ARGS, CHROMIUM, Page, serving, wait_count, wait_until

from marsad.serve import create_app
from marsad.store import Store
from marsad.store.users import Users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

PASSWORD = "an analyst's passphrase"
EVIL_NOTE = '<img src=x onerror="window.pwned=1">Shelling <b>reported</b>'
EVIL_REASON = "<script>window.pwned=2</script> two sources agree"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    import tempfile

    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=ARGS, viewport={"width": 1400, "height": 900}
        )
        yield context
        context.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    """The example events and one analyst, served by uvicorn on a free loopback port."""
    store = Store(str(tmp_path / "review.db"))
    store.add(example_results())
    Users(store).add("ali", PASSWORD, role="analyst")
    with serving(create_app(store)) as url:
        yield url, store
    store.close()


def wait_edit(p: Any, n: int) -> None:
    """Wait until the page has made ``n`` writes and redrawn after the last one (else say where it is)."""
    wait_until(p, f"window.marsad.state.edits === {n} && document.body.dataset.edit === 'done'")
    try:
        wait_until(p, "document.body.dataset.panel === 'ready' && document.body.dataset.state === 'ready'")
    except AssertionError:
        where = p.evaluate(
            "JSON.stringify({...document.body.dataset, status: document.querySelector('#status').textContent,"
            " result: document.querySelector('#edit-result')?.textContent})"
        )
        raise AssertionError(f"the page did not settle after write {n}: {where}") from None


def open_event(p: Any, event_id: str) -> None:
    p.locator(f'.ev-item[data-event-id="{event_id}"]').click()
    wait_until(
        p,
        "document.body.dataset.panel === 'ready'"
        f" && window.marsad.state.openId === '{event_id}' && document.querySelector('#review') !== null",
    )


def test_an_analyst_edits_merges_splits_and_rejects(browser: Any, server: tuple[str, Store]) -> None:
    base, _ = server
    api = httpx.Client(base_url=base)
    events = api.get("/api/events").json()["events"]
    albu = [e["event_id"] for e in events if e["location"] == "Albu Kamal"]
    mosul = next(e["event_id"] for e in events if e["location"] == "Mosul")
    assert len(albu) == 3
    keep, other = albu[0], albu[1]
    other_article = next(e for e in events if e["event_id"] == other)["sources"][0]["article_id"]
    page = Page(browser, base)
    p = page.open()
    try:
        # Logged out: everything is provisional, drawn hollow, and there is no review.
        assert p.locator("#legend-provisional .n").inner_text() == str(N_EVENTS)
        assert p.locator("#legend-checked .n").inner_text() == "0"
        assert p.locator("#map .ev-marker").count() == p.locator("#map .ev-marker.provisional").count() > 0
        p.locator(f'.ev-item[data-event-id="{keep}"]').click()
        p.wait_for_selector("body[data-panel=ready]")
        assert p.locator("#review").count() == 0
        # Log in.
        p.click("#login-open")
        p.fill("#login-name", "ali")
        p.fill("#login-password", PASSWORD)
        p.click("#login-submit")
        wait_until(p, "document.querySelector('#account').dataset.state === 'in'")
        assert p.locator("#whoami").inner_text() == "ali (analyst)"
        wait_until(p, "document.querySelector('#review') !== null")  # the open panel gained it
        page.shot("20-review-panel")
        # The evidence beside a field: the quotes naming its value are marked.
        evidence = p.locator('.edit-row[data-field="location"] .evidence-for.names-it q')
        assert evidence.count() >= 1 and "Albu Kamal" in evidence.first.inner_text()

        # 1. Correct two fields, with a reason; the notes hold markup an attacker might type.
        p.fill("#edit-fatalities", "12")
        p.fill("#edit-notes", EVIL_NOTE)
        p.fill("#edit-reason", EVIL_REASON)
        p.click("#edit-save")
        wait_edit(p, 1)
        facts = p.locator("#panel .facts").inner_text()
        assert "Killed\n12" in facts and "Status\nedited" in facts
        assert p.locator("#panel .notes").inner_text() == EVIL_NOTE  # shown as text
        assert p.locator("#panel-body img").count() == 0 and p.locator("#panel-body b").count() == 0
        assert EVIL_REASON in p.locator("#edit-result").inner_text()
        assert p.evaluate("window.pwned === undefined")
        assert p.locator(f'.ev-item[data-event-id="{keep}"] .badge.status.edited').count() == 1
        marker = p.locator(f'#map .ev-marker[data-event-id="{keep}"]')
        marker.wait_for()
        assert "edited" in (marker.get_attribute("class") or "").split()
        assert "provisional" not in (marker.get_attribute("class") or "").split()
        assert p.locator("#legend-checked .n").inner_text() == "1"
        page.shot("21-edited")
        after = api.get(f"/api/events/{keep}").json()
        assert after["fatalities"] == 12 and after["notes"] == EVIL_NOTE and after["status"] == "edited"

        # 2. Merge another Albu Kamal event into it.
        p.select_option("#edit-merge-with", other)
        p.fill("#edit-reason", "the same attack, told twice")
        p.click("#edit-merge")
        wait_edit(p, 2)
        assert p.evaluate("document.body.dataset.count") == str(N_EVENTS - 1)
        merged = api.get(f"/api/events/{keep}").json()
        assert merged["n_sources"] == 2 and len(merged["reports"]) == 2
        assert other not in {e["event_id"] for e in api.get("/api/events").json()["events"]}
        assert "Sources and their claims" in p.locator("#panel-body").inner_text()
        page.shot("22-merged")

        # 3. Split the merged-in report off again.
        moved = next(r["report_id"] for r in merged["reports"] if r["article_id"] == other_article)
        p.locator(f'.edit-split input[value="{moved}"]').check()
        p.click("#edit-split")
        wait_edit(p, 3)
        assert p.evaluate("document.body.dataset.count") == str(N_EVENTS)
        assert api.get(f"/api/events/{keep}").json()["n_sources"] == 1

        # 4. Reject the Mosul event: it leaves the map and the list, the API keeps it as rejected.
        open_event(p, mosul)
        p.fill("#edit-reason", "a drill, not an attack")
        p.click("#edit-reject")
        wait_edit(p, 4)
        assert "Status\nrejected" in p.locator("#panel .facts").inner_text()
        assert p.locator(f'.ev-item[data-event-id="{mosul}"]').count() == 0
        assert p.evaluate("document.body.dataset.count") == str(N_EVENTS - 1)
        assert api.get(f"/api/events/{mosul}").json()["status"] == "rejected"
        assert mosul not in {e["event_id"] for e in api.get("/api/events").json()["events"]}
        page.shot("23-rejected")
        # The status filter finds it again (and puts the choice in the URL, like every filter).
        p.select_option("#f-status", "rejected")
        wait_count(p, 1)
        assert p.locator(f'.ev-item[data-event-id="{mosul}"] .badge.status.rejected').count() == 1
        assert "status=rejected" in p.url
        p.select_option("#f-status", "")
        wait_count(p, N_EVENTS - 1)

        # Logged out, the review is gone, and a write from the page's origin without the session fails.
        p.click("#logout")
        wait_until(p, "document.querySelector('#account').dataset.state === 'out'")
        open_event_plain = p.locator(f'.ev-item[data-event-id="{keep}"]')
        open_event_plain.click()
        wait_until(p, f"document.body.dataset.panel === 'ready' && window.marsad.state.openId === '{keep}'")
        assert p.locator("#review").count() == 0
        page.check_clean()
    finally:
        p.close()
        api.close()


def test_a_forged_cross_site_form_is_refused(browser: Any, server: tuple[str, Store]) -> None:
    """A page on another origin posts a form to marsad while the analyst is logged in: refused."""
    base, store = server
    event_id = store.events(limit=1)[0]["event_id"]
    page = Page(browser, base)
    p = page.open()
    try:
        p.click("#login-open")
        p.fill("#login-name", "ali")
        p.fill("#login-password", PASSWORD)
        p.click("#login-submit")
        wait_until(p, "document.querySelector('#account').dataset.state === 'in'")
        # "another site": the same server under another name (localhost vs 127.0.0.1 are two origins)
        evil = base.replace("127.0.0.1", "localhost")
        forged = p.context.new_page()
        forged.goto(f"{evil}/-/versions")
        status = forged.evaluate(
            """async ([target, id]) => {
                 const r = await fetch(`${target}/api/events/${id}/reject`, {
                   method: "POST", mode: "no-cors", credentials: "include",
                   headers: {"Content-Type": "text/plain"}, body: "{}"});
                 return r.type; }""",
            [base, event_id],
        )
        assert status == "opaque"  # the browser sent it; the answer is hidden from the forger
        forged.close()
        assert store.event(event_id)["status"] == "provisional"  # and the server refused it
        page.check_clean()
    finally:
        p.close()


@pytest.fixture
def private_server(tmp_path: Path) -> Iterator[str]:
    """The example events on a private server (create_app(private=True), as serve --private)."""
    store = Store(str(tmp_path / "private.db"))
    store.add(example_results())
    Users(store).add("vera", "a viewer's passphrase", role="viewer")
    with serving(create_app(store, private=True)) as url:
        yield url
    store.close()


def test_a_private_server_shows_a_login_form_first(browser: Any, private_server: str) -> None:
    page = browser.new_page()
    try:
        page.goto(private_server + "/?country=Syria")
        assert page.locator("#events-list").count() == 0  # not the map: the login form
        assert page.locator("form[action='/api/login']").is_visible()
        page.fill("#lp-name", "vera")
        page.fill("#lp-password", "not her passphrase")
        page.click("button[type=submit]")
        assert "Wrong name or password." in page.locator(".error").inner_text()
        page.fill("#lp-password", "a viewer's passphrase")
        page.click("button[type=submit]")
        page.wait_for_selector("body[data-state=ready]", timeout=20_000)
        assert page.url.endswith("/?country=Syria")  # back where the reader was going
        wait_until(page, "document.querySelector('#account').dataset.state === 'in'")
        assert page.locator("#whoami").inner_text() == "vera (viewer)"
        assert page.evaluate("document.body.dataset.count") == "5"  # the Syrian examples
        page.locator("#events-list button").first.click()
        page.wait_for_selector("body[data-panel=ready]")
        assert page.locator("#review").count() == 0  # a viewer reads, never edits
        page.click("#logout")
        page.wait_for_selector("form[action='/api/login']")  # reloaded: the form again
        assert httpx.get(private_server + "/api/events").status_code == 401
    finally:
        page.close()


def test_the_panel_lists_the_changes_with_the_analysts_reason_as_text(
    browser: Any, server: tuple[str, Store]
) -> None:
    url, store = server
    event_id = store.events(limit=1)[0]["event_id"]
    page = Page(browser, url)
    p = page.open(f"/?event={event_id}")
    try:
        p.wait_for_selector("body[data-panel=ready]")
        p.wait_for_selector("#changes li")
        assert p.locator("#changes li").count() == 1  # only the machine's: it was added
        assert p.locator("#changes li .kind").first.inner_text() == "added"
        p.click("#login-open")
        p.fill("#login-name", "ali")
        p.fill("#login-password", PASSWORD)
        p.click("#login-submit")
        wait_until(p, "document.querySelector('#review') !== null")
        p.fill("#edit-wounded", "3")
        p.fill("#edit-reason", EVIL_REASON)
        p.click("#edit-save")
        wait_edit(p, 1)
        # the edit's changes (the field, the status it made "edited", the notes saying so), newest first
        fields = p.locator("#changes li code").all_inner_texts()
        assert sorted(fields[:3]) == ["notes", "status", "wounded"]
        change = p.locator("#changes li", has=p.locator("code", has_text="wounded")).first
        assert change.locator(".who").inner_text() == "ali"
        assert change.locator(".new").inner_text() == "3"
        assert change.locator(".why").inner_text() == EVIL_REASON  # the analyst's words, as text
        assert p.locator("#changes script").count() == 0 and p.evaluate("window.pwned === undefined")
        page.shot("24-changes")
        page.check_clean()
    finally:
        p.close()
