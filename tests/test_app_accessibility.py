"""The app's pages against WCAG 2.2 AA: axe-core in headless Chromium.

The app serves the last stage from its own development server on 127.0.0.1,
with the demo world seeded. Every page and every refused form is checked,
signed out and signed in, at 1280 px and at 320 px: axe-core must find no
serious or critical violation, nothing may scroll sideways at 320 px, and
after a refused form the keyboard focus is on the error summary.

axe-core is vendored and run by tests/axe.py: nothing is downloaded at test
time. Locally, a missing Chromium, chromedriver or Selenium skips this module;
under CI (CI=true) it fails instead.
"""

from __future__ import annotations

import json
import urllib.request

import axe
import pytest
from conftest import headless_chromium, need_program

from reference_app import Settings, servers
from reference_app.seed import DEMO_PASSWORD, seed

WIDTHS = (1280, 320)
WAIT_SECONDS = 20


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y")
    settings = Settings(database=str(folder / "a11y.db"), instance_path=str(folder / "instance"),
                        argon2_time_cost=1, argon2_memory_kib=8, argon2_parallelism=1)
    seed(settings.database, settings, users=3, articles=5)
    with servers.app_server(database=settings.database, prod=False) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser(app_url):
    chromium, chromedriver = need_program("chromium"), need_program("chromedriver")
    pytest.importorskip("selenium.webdriver")
    with headless_chromium(chromium, chromedriver, WAIT_SECONDS) as driver:
        driver.set_script_timeout(60)
        yield driver


def api(app_url, path):
    with urllib.request.urlopen(app_url + path, timeout=WAIT_SECONDS) as answer:  # noqa: S310
        return json.load(answer)


@pytest.fixture(scope="module")
def world(app_url):
    """Paths into the seeded demo world: an article by someone else, and a tag."""
    articles = api(app_url, "/api/articles?limit=20")["articles"]
    theirs = next(a for a in articles if a["author"]["username"] != "demo")
    return {"article": theirs["slug"], "author": theirs["author"]["username"],
            "tag": api(app_url, "/api/tags")["tags"][0]}


class Audit:
    """Visits pages at one width and collects what axe-core and the layout checks find."""

    def __init__(self, driver, app_url, width):
        self.driver, self.url, self.width, self.problems, self.seen = driver, app_url, width, [], 0
        driver.delete_all_cookies()
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})

    def open(self, path):
        self.driver.get(self.url + path)
        self.check(path)

    def check(self, name):
        """axe-core on the page as it is now; then, at 320 px, no sideways scrolling."""
        self.seen += 1
        assert self.driver.execute_script("return window.innerWidth") == self.width
        self.problems += axe.failing(self.driver, f"{name} @{self.width}px")
        overflow = self.driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            self.problems.append(f"{name} @{self.width}px scrolls sideways by {overflow}px")

    def submit(self, path, fields, name):
        """Fill in the form on ``path`` as a person would, send it, check the page that
        comes back, and that the keyboard focus is on its error summary."""
        from selenium.webdriver.common.by import By

        self.driver.get(self.url + path)
        form = None
        for field, value in fields.items():
            box = self.driver.find_element(By.ID, field)
            box.clear()
            box.send_keys(value)
            form = box.find_element(By.XPATH, "./ancestor::form")
        self.send(form.find_element(By.CSS_SELECTOR, "button"))
        summary = self.driver.find_element(By.ID, "error-summary")
        focused = self.driver.switch_to.active_element
        if focused != summary:
            self.problems.append(f"{name}: focus is on <{focused.tag_name} "
                                 f"id={focused.get_attribute('id')!r}>, not the error summary")
        for link in summary.find_elements(By.CSS_SELECTOR, "a"):
            target = link.get_attribute("href").rsplit("#", 1)[1]
            box = self.driver.find_element(By.ID, target)
            if box.get_attribute("aria-invalid") != "true" or not box.get_attribute(
                    "aria-describedby"):
                self.problems.append(f"{name}: #{target} is not tied to its message")
        self.check(name)

    def sign_in(self):
        self.submit_ok("/login", {"email": "demo@stagecraft.dev", "password": DEMO_PASSWORD})

    def submit_ok(self, path, fields):
        from selenium.webdriver.common.by import By

        self.driver.get(self.url + path)
        for field, value in fields.items():
            self.driver.find_element(By.ID, field).send_keys(value)
        self.send(self.driver.find_element(By.CSS_SELECTOR, "main form button"))
        self.driver.find_element(By.CSS_SELECTOR, "form[action='/logout']")  # signed in

    def send(self, button):
        """Click a form's button, and wait until the page it sent the form to has loaded."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        # Mark this page, then wait for a page without the mark. (Waiting for the old
        # <html> element to go stale races with Chromium: asking about a node that
        # is already gone can fail with "Node ... does not belong to the document".)
        self.driver.execute_script("window.stagecraftOldPage = true")
        try:
            button.click()
        except WebDriverException:
            # Seen once under load: Chromium lost track of the node it had just
            # found. Pressing the same button from the page's side does the same.
            self.driver.execute_script("arguments[0].click()", button)
        WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script("return !window.stagecraftOldPage "
                                       "&& document.readyState === 'complete'"))


def report(audit):
    assert audit.seen, "no page was checked"
    assert not audit.problems, "\n".join(audit.problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_signed_out_have_no_serious_accessibility_violation(browser, app_url, world,
                                                                  width):
    audit = Audit(browser, app_url, width)
    for path in ("/", f"/?tag={world['tag']}", "/?page=1", f"/article/{world['article']}",
                 f"/profile/{world['author']}", "/login", "/register",
                 "/article/no-such-article", "/no/such/page"):
        audit.open(path)
    # Refused forms, with values the browser's own checks let through.
    audit.submit("/login", {"email": "demo@stagecraft.dev", "password": "not the password"},
                 "failed sign-in")
    audit.submit("/register", {"username": "demo", "email": "not-taken@example.com",
                               "password": "password"}, "failed sign-up")
    report(audit)


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_signed_in_have_no_serious_accessibility_violation(browser, app_url, world,
                                                                 width):
    from selenium.webdriver.common.by import By

    audit = Audit(browser, app_url, width)
    audit.sign_in()
    # An article of the viewer's own, with a comment of theirs: Edit, Delete, Delete comment.
    audit.submit_ok("/editor", {"title": f"Mine at {width}", "description": "d",
                                "body": "A paragraph.\n\n    some code"})
    mine = browser.current_url.rsplit("/", 1)[1]
    browser.find_element(By.ID, "comment-body").send_keys("A comment of mine")
    audit.send(browser.find_element(By.CSS_SELECTOR, "#comments form button"))
    for path in ("/", "/feed", f"/article/{mine}", f"/article/{world['article']}",
                 "/profile/demo", f"/profile/{world['author']}", "/editor", f"/editor/{mine}",
                 "/article/no-such-article"):
        audit.open(path)
    audit.submit("/editor", {"title": "   ", "description": "   ", "body": "b"},
                 "failed editor submit")
    audit.submit(f"/article/{mine}", {"comment-body": "   "}, "failed comment")
    report(audit)
