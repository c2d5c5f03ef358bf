"""The analyst's page in a real Chromium (Debian's, driven by Playwright; no browser download).

Skips with the reason when /usr/bin/chromium or the playwright package is missing, or when the
real articles in ../shared are absent. Screenshots go to test-artifacts/ (not tracked).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import DEV_ARTICLES, EXAMPLE_TXT, REPO, need

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DENY_RED = "rgb(214, 40, 40)"  # --deny in app.css

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (apt-get install -y chromium): browser tests skipped", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (PyPI) not installed: browser tests skipped")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on loopback in a thread, with a small store: the example and a dozen dev articles."""
    pytest.importorskip("duckdb", reason="duckdb not installed: no store for the Explore page")
    from rasd.web import create_app
    from rasd.web.loader import load_store

    example = need(EXAMPLE_TXT).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in need(DEV_ARTICLES).read_text(encoding="utf-8").splitlines()[:12]]
    rows.append({"id": "example-idlib", "text": example, "published": "2020-01-16", "outlet": "Example outlet"})
    path = tmp_path_factory.mktemp("web") / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    with _serve(create_app(store=load_store([path]))) as url:
        yield {"url": url, "example": example}


@contextlib.contextmanager
def _serve(app):
    """Run `app` with uvicorn on a free loopback port in a thread; yield its base URL."""
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # Offline: any request that is not to our own server fails the test.
    pg.on("request", lambda r: errors.append("remote request: " + r.url)
          if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    yield pg
    ctx.close()
    assert not errors, errors


def test_analyse_shows_the_example_events_and_the_observatory_denial(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server["url"] + "/#analyse")
    page.fill("#in-text", server["example"])
    page.fill("#in-published", "2020-01-16")
    page.fill("#in-outlet", "Example outlet")
    page.click("#btn-analyse")
    page.wait_for_selector(".card")
    assert page.locator(".card").count() >= 3
    assert "events" in page.inner_text("#analyse-status")

    # every kind of evidence is highlighted in the article
    kinds = " ".join(page.locator("#article mark.hl").evaluate_all("els => els.map(e => e.dataset.kinds)"))
    for kind in ("trigger", "place", "actor", "source", "figure", "date"):
        assert kind in kinds, f"no {kind} highlighted"

    # the Observatory's denial: a red badge in a row naming المرصد
    denial = page.locator("tr.claim-row.denies", has_text="المرصد").first
    badge = denial.locator(".badge.denies")
    assert badge.inner_text() == "denies"
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == DENY_RED
    assert page.locator(".card .badge.contested").count() >= 1

    # hover shows what a figure was coded as; click focuses its event card
    fig = page.locator("#article mark.k-figure").first
    fig.hover()
    assert page.locator("#tip").is_visible()
    assert "killed" in page.inner_text("#tip") or "injured" in page.inner_text("#tip")
    fig.click()
    assert page.locator(".card.focus").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "analyse.png"))

    with page.expect_download() as dl:
        page.click("#btn-download")
    doc = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert doc["schema"] == "rasd.document/1" and doc["events"]

    # Arabic interface: right-to-left, the article on the right, labels translated
    page.click("#lang-toggle")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.inner_text("#tab-analyse") == "تحليل"
    assert page.locator("tr.claim-row.denies .badge.denies").first.inner_text() == "ينفي"
    art, cards = page.locator("#article").bounding_box(), page.locator("#cards").bounding_box()
    assert art["x"] > cards["x"], "in RTL the article should sit on the right"
    page.screenshot(path=str(ARTIFACTS / "analyse-ar.png"))
    page.click("#lang-toggle")
    assert page.evaluate("document.documentElement.dir") == "ltr"


def test_a_refused_article_shows_the_reason(server, page):
    page.goto(server["url"] + "/#analyse")
    page.fill("#in-text", "This is English text and nothing else, so nothing can be coded from it here.")
    page.click("#btn-analyse")
    page.wait_for_selector("#analyse-status.error")
    assert "Arabic" in page.inner_text("#analyse-status")


def test_an_uploaded_file_fills_the_article(server, page, tmp_path):
    f = tmp_path / "report.txt"
    f.write_text(server["example"], encoding="utf-8")
    page.goto(server["url"] + "/#analyse")
    page.set_input_files("#in-file", str(f))
    page.wait_for_function("document.querySelector('#in-text').value.length > 100")
    assert page.input_value("#in-text") == server["example"]


def test_explore_maps_the_store_and_opens_a_cluster_then_its_document(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server["url"] + "/#explore")
    page.wait_for_selector("#map circle.pt")
    assert page.locator("#map circle.pt").count() >= 5
    assert page.locator("#map path.adm1").count() > 50
    assert page.locator("#timeline rect").count() >= 1
    assert page.locator("#list tbody tr").count() >= 5

    # filters go to the API: contested only
    page.select_option("select[name=contested]", "true")
    page.click("#filters button[type=submit]")
    page.wait_for_function("document.querySelector('#explore-status').textContent.includes('events')")
    rows = page.locator("#list tbody tr").count()
    assert rows >= 1 and all("Contested" in page.locator("#list tbody tr").nth(i).inner_text() for i in range(rows))
    page.select_option("select[name=contested]", "")
    page.click("#filters button[type=submit]")
    page.wait_for_timeout(300)

    # the example's Idlib cluster: every outlet's claims, with a link to the document
    page.locator("#list tbody tr", has_text="Idlib").first.click()
    page.wait_for_selector("#cluster-panel .member")
    panel = page.inner_text("#cluster-panel")
    assert "Example outlet" in panel
    page.locator("#map circle.pt").first.click(force=True)
    page.locator("#list tbody tr", has_text="Idlib").first.click()
    page.wait_for_selector("#cluster-panel .member")
    page.screenshot(path=str(ARTIFACTS / "explore.png"), full_page=True)

    page.locator("#cluster-panel a.open-doc").first.click()
    page.wait_for_selector("#article mark.hl")
    assert page.locator("#view-analyse").is_visible()
    assert page.locator(".card").count() >= 1


def test_api_docs_render_offline(server, page):
    page.goto(server["url"] + "/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 8
    paths = " ".join(page.locator(".opblock-summary-path").all_inner_texts()).replace("\u200b", "")
    assert "/v1/extract" in paths and "/v1/clusters" in paths
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))


def test_explore_without_a_store_says_why_and_still_draws_the_map(page):
    from rasd.web import create_app

    with _serve(create_app(db=None)) as url:
        page.goto(url + "/#explore")
        page.wait_for_selector("#explore-status.error")
        assert "rasd serve --db" in page.inner_text("#explore-status")
        assert page.locator("#map path.adm1").count() > 50
