"""The stepper page in a real headless Chromium: next twice shows frame 2 and its caption.

Uses Debian's chromium and chromedriver at fixed paths, never a browser a test
tool downloads; it skips, saying why, only where they are not installed
(`make chromium` installs them).
"""

import os

import pytest

from pathgrad.viz import step_through

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip(
        f"no Chromium at {CHROMIUM} and {CHROMEDRIVER}: sudo apt-get install chromium chromium-driver",
        allow_module_level=True,
    )

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def visible_frames(driver):
    return [img for img in driver.find_elements(By.CSS_SELECTOR, "img[id*='-frame-']") if img.is_displayed()]


def test_next_twice_shows_the_third_frame_and_its_caption(browser, tmp_path, colah):
    stepper = step_through(colah["e"])
    page = stepper.save_html(tmp_path / "stepper.html")
    browser.get(page.resolve().as_uri())

    def caption():
        return browser.find_element(By.CSS_SELECTOR, "p[id$='-caption']").text

    [shown] = visible_frames(browser)
    assert shown.get_attribute("id").endswith("-frame-0")
    assert caption() == stepper[0].caption

    next_button = browser.find_element(By.CSS_SELECTOR, "button[id$='-next']")
    next_button.click()
    next_button.click()

    [shown] = visible_frames(browser)
    assert shown.get_attribute("id").endswith("-frame-2")
    assert caption() == stepper[2].caption
    assert browser.find_element(By.CSS_SELECTOR, "span[id$='-counter']").text == "3 / 5"
    assert browser.find_element(By.CSS_SELECTOR, "input[id$='-slider']").get_attribute("value") == "2"
    # The frame is a real picture: the browser decoded the embedded SVG.
    assert browser.execute_script("return arguments[0].naturalWidth", shown) > 100

    browser.find_element(By.CSS_SELECTOR, "button[id$='-prev']").click()
    [shown] = visible_frames(browser)
    assert shown.get_attribute("id").endswith("-frame-1")
    assert caption() == stepper[1].caption
