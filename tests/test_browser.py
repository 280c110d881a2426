"""The site in a real headless Chromium, as a reader uses it.

Needs Debian's chromium and axe-core (``make test`` installs both) and
Playwright's Python driver. Screenshots land in ``test-output/`` for a person
to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from .axe import audit, describe
from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-output"
# The closed network of CI refuses Chromium's calls home; these flags stop them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists() and os.environ.get("KIOSQUE_SKIP_BROWSER"):
    pytest.skip("no Chromium and KIOSQUE_SKIP_BROWSER is set", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(app) -> Iterator[str]:
    """The app served on a free local port, in a thread."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: run 'make test', which installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"the browser reported errors: {errors}"


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def total(page: Page) -> int:
    return int(page.locator(".summary strong").inner_text().replace("\u202f", ""))


def test_search_facet_article_and_back(page: Page, server: str):
    page.goto(server)
    page.get_by_role("combobox", name="Rechercher dans les articles").fill("tramway")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"\?q=tramway"))
    expect(page.locator(".hit mark").first).to_be_visible()
    before = total(page)
    shot(page, "results")

    tag = page.locator(".facet-value", has_text="Urbanisme").first
    expected = int(tag.locator(".count").inner_text())
    assert 0 < expected < before
    tag.click()
    expect(page.locator(".chip", has_text="#Urbanisme")).to_be_visible()
    assert total(page) == expected == page.locator(".hit").count()
    for tags in page.locator(".hit .tags").all():
        assert "#Urbanisme" in tags.inner_text()

    first_title = page.locator(".hit-title a").first
    title = first_title.inner_text()
    first_title.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".article-body mark").first).to_be_visible()
    shot(page, "article")

    page.go_back()
    expect(page).to_have_url(re.compile(r"tag=Urbanisme"))
    assert total(page) == expected


def test_autocomplete_with_the_keyboard(page: Page, server: str):
    page.goto(server)
    box = page.get_by_role("combobox", name="Rechercher dans les articles")
    box.press_sequentially("Bour", delay=30)
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    assert "Nasser Bourita" in options.all_inner_texts()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    chosen = options.first.inner_text()
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q="))
    expect(box).to_have_value(chosen)
    assert total(page) > 0


def test_timeline_bar_filters_a_period(page: Page, server: str):
    page.goto(f"{server}/?q=Maroc")
    bars = page.locator("svg .bar")
    assert bars.count() > 2
    bars.nth(0).click()
    expect(page.locator(".chip").first).to_be_visible()
    assert "from=" in page.url and "to=" in page.url


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
    )


@pytest.mark.parametrize("width", [320, 800, 1280])
def test_timeline_labels_never_overlap(browser, server: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    page = context.new_page()
    for url in ("/", "/?q=Maroc", "/?q=tramway"):  # 22 months, fewer months, a few
        page.goto(server + url)
        chart = page.locator("svg.timeline-svg").bounding_box()
        labels = page.locator("svg .bar-label").all()
        boxes = [box for box in (label.bounding_box() for label in labels) if box]  # None: not shown
        bars = page.locator("svg .bar").all()
        # As many as fit: every bar on a wide screen with few bars, a label every few bars otherwise.
        assert len(boxes) >= min(len(bars), 4 if width < 640 else 8), (url, len(boxes), len(bars))
        for n, box in enumerate(boxes):
            assert chart["x"] <= box["x"] and box["x"] + box["width"] <= chart["x"] + chart["width"], (url, n)
            for other in boxes[n + 1 :]:
                assert not overlap(box, other), (url, width, box, other)
        for bar in bars:  # the full period and count, in the tooltip and the accessible name
            title = bar.locator("title").text_content()
            assert re.fullmatch(r"(\w+ )?\d{4} : \d+ articles?", title), title
            expect(bar).to_have_accessible_name(title)
    shot(page, f"timeline-{width}px")
    context.close()


def test_keyboard_reaches_the_content_with_visible_focus(page: Page, server: str):
    page.goto(f"{server}/?q=tramway")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0  # shown on focus
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_narrow_screen_has_no_horizontal_scroll(browser, server: str):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()
    for url in ("/?q=Maroc", "/article/2025-10-06-bourita-lavrov-entretien"):
        page.goto(server + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{url} is {width}px wide"
    shot(page, "results-360px")
    context.close()


def test_page_works_without_javascript(browser, server: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server)
    page.locator("#q").fill("Lavrov")
    page.locator("#q").press("Enter")
    expect(page.locator(".hit").first).to_be_visible()
    context.close()


def test_the_period_read_in_the_words_is_a_chip_that_removes_it(page: Page, server: str):
    page.goto(server)
    page.get_by_role("combobox", name="Rechercher dans les articles").fill("tramway juin 2026")
    page.get_by_role("button", name="Rechercher").click()
    chip = page.get_by_role("link", name="Retirer la période Période : juin 2026")
    expect(chip).to_be_visible()
    assert total(page) == page.locator(".hit").count() == 1
    expect(page.locator(".hit time")).to_have_attribute("datetime", re.compile(r"^2026-06"))
    shot(page, "period-chip")
    page.get_by_role("link", name="Rechercher « juin 2026 » comme mots").click()
    expect(page.get_by_role("combobox", name="Rechercher dans les articles")).to_have_value('tramway "juin 2026"')
    expect(page.locator(".chip-period")).to_have_count(0)
    page.go_back()
    chip.click()
    expect(page).to_have_url(re.compile(r"\?q=tramway$"))
    expect(page.locator(".chip-period")).to_have_count(0)
    assert total(page) > 1


def test_the_synonyms_added_are_said_and_the_word_can_be_searched_alone(page: Page, server: str):
    page.goto(f"{server}/?q=ONU")
    line = page.locator(".expansion")
    expect(line).to_contain_text("Inclut aussi : Nations unies")
    with_synonyms = total(page)
    expect(page.locator(".hit mark", has_text="Nations unies").first).to_be_visible()
    shot(page, "synonyms")
    line.get_by_role("link", name="Rechercher uniquement « ONU »").click()
    expect(page.get_by_role("combobox", name="Rechercher dans les articles")).to_have_value('"ONU"')
    expect(page.locator(".expansion")).to_have_count(0)
    assert 0 < total(page) < with_synonyms


AUDITED_PAGES = {
    "home": "/",
    "results with filters": "/?q=tramway&tag=Urbanisme&from=2025-01&to=2026-12&sort=newest",
    "understood query": "/?q=ONU+juin+2025",
    "article": "/article/2025-10-06-bourita-lavrov-entretien?q=lavrov",
    "corrected search": "/?q=lavrof",
}


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("name", AUDITED_PAGES)
def test_pages_pass_an_accessibility_audit(browser, server: str, name: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(server + AUDITED_PAGES[name])
    violations = audit(page)
    context.close()
    assert violations == [], f"{name} at {width}px:\n{describe(violations)}"
