"""The course site in a real browser: headless Chromium, through Selenium.

The site is built once, served on loopback by Python's http.server, and read
with no network: nothing it needs may come from another host. The test saves
screenshots into test-artifacts/ (git-ignored) for a person to look at.

Locally, a missing Chromium, chromedriver or Selenium skips this module with
the reason. Under CI (CI=true) it fails instead: CI must run it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import headless_chromium, serve_folder

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("STAGECRAFT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("STAGECRAFT_CHROMEDRIVER", "/usr/bin/chromedriver")
LESSON_PAGES = sorted(path.parent.name for path in REPO.glob("lessons/[0-9][0-9]_*/index.md"))
WAIT_SECONDS = 20


def unavailable(reason: str):
    """Skip here; fail under CI, where the browser test must run."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI must run the browser test, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def webdriver_module():
    try:
        from selenium import webdriver
    except ImportError:
        unavailable("selenium is not installed (pip install -e '.[dev]')")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            unavailable(f"{path} is missing (apt-get install chromium chromium-driver)")
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        unavailable("mkdocs is not installed (pip install -e '.[dev]')")
    return webdriver


@pytest.fixture(scope="module")
def site_url(webdriver_module, request):
    site_dir = request.getfixturevalue("built_site")  # after the checks above: they may skip
    with serve_folder(site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser(webdriver_module, site_url):
    with headless_chromium(CHROMIUM, CHROMEDRIVER, WAIT_SECONDS) as driver:
        yield driver


def wait_for(driver, condition, message):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_SECONDS).until(condition, message)


def screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), f"could not save {path}"
    return path


def test_the_home_page_is_styled_has_the_nav_and_both_palettes(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.get(site_url)
    nav = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "nav.md-nav--primary"),
                   "no primary navigation")
    labels = nav.get_attribute("textContent")
    for section in ("Getting started", "Lessons", "Labs", "Notebooks", "Reference",
                    "Instructor guide"):
        assert section in labels, f"the nav lacks {section}"
    # Material's stylesheet is in effect: the header is a fixed, coloured bar.
    header = browser.find_element(By.CSS_SELECTOR, "header.md-header")
    assert header.value_of_css_property("position") in ("sticky", "fixed")
    assert header.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "")
    screenshot(browser, "site-home")
    # The palette toggle switches to the dark scheme (and back).
    toggle = next(label for label in browser.find_elements(
        By.CSS_SELECTOR, "form[data-md-component=palette] label") if label.is_displayed())
    toggle.click()
    scheme = "return document.body.getAttribute('data-md-color-scheme')"
    wait_for(browser, lambda d: d.execute_script(scheme) == "slate", "no dark palette")
    next(label for label in browser.find_elements(
        By.CSS_SELECTOR, "form[data-md-component=palette] label") if label.is_displayed()).click()
    wait_for(browser, lambda d: d.execute_script(scheme) == "default", "no way back to light")


def test_a_lesson_page_has_code_blocks_with_copy_buttons(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.get(site_url + "lessons/01_routing/")
    copy = "button.md-clipboard, button.md-code__button[data-md-type=copy]"  # Material <9.7, 9.7+
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, copy),
             "no copy buttons on the code blocks")
    code = browser.find_elements(By.CSS_SELECTOR, "div.highlight pre code")
    assert len(code) >= 5
    assert any("def create_app" in block.get_attribute("textContent") for block in code), (
        "the snippet from reference_app/__init__.py is not on the page")
    sections = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "article h2")]
    assert "Learning objectives" in sections and "What can go wrong" in sections


@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_every_mermaid_diagram_renders_to_svg(browser, site_url, lesson):
    """Mermaid comes from the site itself; from a CDN it would fail here, offline."""
    from selenium.common.exceptions import (
        NoSuchElementException,
        NoSuchShadowRootException,
        StaleElementReferenceException,
    )
    from selenium.webdriver.common.by import By

    browser.get(site_url + f"lessons/{lesson}/")  # every lesson has one (test_docs.py)

    def rendered_svgs(driver):
        """Material draws each diagram into a closed shadow root, which WebDriver can open.
        It swaps each <pre class="mermaid"> for a <div>: for an instant there may be none."""
        svgs = []
        for host in driver.find_elements(By.CSS_SELECTOR, "div.mermaid, pre.mermaid"):
            try:
                svgs.append(host.shadow_root.find_element(By.CSS_SELECTOR, "svg"))
            except (NoSuchShadowRootException, NoSuchElementException,
                    StaleElementReferenceException):
                return None  # not drawn yet, or swapped for its <div> as we looked
        return svgs or None

    svgs = wait_for(browser, rendered_svgs, f"a diagram on {lesson} did not render to SVG")
    for svg in svgs:
        assert "Syntax error" not in svg.get_attribute("textContent"), (
            f"Mermaid cannot parse a diagram on {lesson}")
    if lesson == "01_routing":
        browser.execute_script("arguments[0].scrollIntoView()",
                               browser.find_element(By.CSS_SELECTOR, "div.mermaid"))
        screenshot(browser, "site-lesson-diagram")


def test_search_finds_the_lesson_pages(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(site_url + "lessons/01_routing/")
    # At desktop width the search field sits in the header. Its index loads in
    # a web worker, so wait until the field takes input, then for results.
    field = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "input.md-search__input"),
                     "no search field")
    wait_for(browser, lambda d: field.is_displayed() and field.is_enabled(), "search not ready")
    field.click()
    field.send_keys("StorePlugin")
    field.send_keys(Keys.SPACE)
    results = wait_for(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, "li.md-search-result__item"),
        "the search for StorePlugin found nothing")
    assert any("Routing" in item.get_attribute("textContent") for item in results)
    screenshot(browser, "site-search")
