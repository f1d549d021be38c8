"""The course site against WCAG 2.2 AA: axe-core in headless Chromium.

The site is built once (the built_site fixture), served on loopback by Python's
http.server, and checked in both palettes (Material's light "default" and dark
"slate") at 1280 px and at 320 px: the home page, the longest lesson and a
notebook. axe-core (tests/axe.py) must find no serious or critical violation,
and every code block that scrolls sideways must be reachable by keyboard and
named (docs/pages/assets/javascripts/scrollable.js).

Locally, a missing Chromium, chromedriver, Selenium or MkDocs skips this
module; under CI (CI=true) it fails instead.
"""

from __future__ import annotations

import importlib
import json
import os

import axe
import pytest
from conftest import headless_chromium, need_program, serve_folder

PAGES = {"home": "", "lesson 6": "lessons/06_caching/", "notebook 6": "notebooks/06_caching/"}
# mkdocs.yml's palettes, in order: Material remembers the reader's choice in
# localStorage ("__palette", under the site's path) and applies it on every page.
PALETTES = {"default": 0, "slate": 1}
WIDTHS = (1280, 320)
WAIT_SECONDS = 20
TABS = 40  # after the skip link, to lesson 6's first code block: 3 today
CHOOSE_PALETTE = """
const inputs = document.querySelectorAll("input[data-md-color-scheme]");
const input = inputs[arguments[0]];
__md_set("__palette", {index: arguments[0], color: {
  media: input.getAttribute("data-md-color-media"),
  scheme: input.getAttribute("data-md-color-scheme"),
  primary: input.getAttribute("data-md-color-primary"),
  accent: input.getAttribute("data-md-color-accent")}});
"""
# Code that scrolls sideways but that a keyboard cannot reach, or that has no name.
UNREACHABLE_CODE = """
return [...document.querySelectorAll(".md-content :is(pre, pre > code, .highlight-ipynb)")]
  .filter(el => el.scrollWidth > el.clientWidth + 1
                && ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
  .filter(el => el.tabIndex !== 0 || !el.getAttribute("aria-label"))
  .map(el => el.outerHTML.slice(0, 120));
"""


@pytest.fixture(scope="module")
def site_url(request):
    need_program("chromium")
    need_program("chromedriver")
    for module in ("selenium.webdriver", "mkdocs", "material"):
        try:
            importlib.import_module(module)
        except ImportError:
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI must run this test, but {module} is not installed")
            pytest.skip(f"{module} is not installed (pip install -e '.[dev]')")
    site_dir = request.getfixturevalue("built_site")  # after the checks above: they may skip
    with serve_folder(site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser(site_url):
    with headless_chromium(need_program("chromium"), need_program("chromedriver"),
                           WAIT_SECONDS) as driver:
        driver.set_script_timeout(60)
        yield driver


def open_page(driver, url):
    """Load a page and let Material's scripts and ours run (two animation frames)."""
    driver.get(url)
    driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const frames = () => requestAnimationFrame(() => requestAnimationFrame(() => done()));
        document.readyState === "complete" ? frames() : addEventListener("load", frames);""")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("palette", PALETTES)
def test_site_pages_have_no_serious_accessibility_violation(browser, site_url, palette, width):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    open_page(browser, site_url)
    browser.execute_script(CHOOSE_PALETTE, PALETTES[palette])
    problems = []
    for name, path in PAGES.items():
        open_page(browser, site_url + path)
        where = f"{name} ({palette}, {width}px)"
        assert browser.execute_script("return window.innerWidth") == width
        scheme = browser.execute_script("return document.body.dataset.mdColorScheme")
        assert scheme == palette, f"{where} shows the {scheme} palette"
        problems += axe.failing(browser, where)
        unreachable = browser.execute_script(UNREACHABLE_CODE)
        if unreachable:
            problems.append(f"{where}: {len(unreachable)} code blocks scroll sideways but are "
                            f"not focusable and named: {json.dumps(unreachable[:3])}")
    assert not problems, "\n".join(problems)


def test_code_that_scrolls_sideways_scrolls_from_the_keyboard(browser, site_url):
    """At 320 px, a keyboard user skips to the content, Tab reaches lesson 6's
    first code block that overflows, it has a name to be announced by, and the
    arrow keys scroll it."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 320, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    open_page(browser, site_url + "lessons/06_caching/")
    focused = "return document.activeElement"
    ActionChains(browser).send_keys(Keys.TAB).perform()
    skip = browser.execute_script(focused)
    assert "md-skip" in skip.get_attribute("class"), "the first Tab is not the skip link"
    skip.send_keys(Keys.ENTER)
    for _ in range(TABS):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        code = browser.execute_script(focused)
        if code.get_attribute("data-scroll-focus") is not None:
            break
    else:
        pytest.fail(f"{TABS} presses of Tab never reached a code block that scrolls")
    assert code.get_attribute("role") == "region"
    assert code.get_attribute("aria-label").startswith("Code block 1")
    assert code.get_property("scrollLeft") == 0
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT * 5).perform()
    # The browser may scroll smoothly, over several frames: wait for it (bounded),
    # rather than reading scrollLeft in the same instant.
    WebDriverWait(browser, 5, poll_frequency=0.05).until(
        lambda _: code.get_property("scrollLeft") > 0, "the arrow keys did not scroll the code")
