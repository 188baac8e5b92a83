"""Drawings and steppers in a real browser: a saved page, and a notebook in a real JupyterLab.

Uses Debian's chromium and chromedriver at fixed paths, never a browser a test
tool downloads. These tests skip, saying why, where Chromium or JupyterLab is
not installed (`make chromium`; `pip install -e '.[test]'`) or when NO_BROWSER
is set (`make test NO_BROWSER=1`).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from pathgrad import Value
from pathgrad.viz import step_through

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "04_backprop_by_hand.ipynb"
SHOTS = Path(os.environ.get("PATHGRAD_SCREENSHOTS", "/tmp/pathgrad-screenshots"))

if os.environ.get("NO_BROWSER"):
    pytest.skip("NO_BROWSER is set: the browser tests are skipped", allow_module_level=True)
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip(
        f"no Chromium at {CHROMIUM} and {CHROMEDRIVER}: sudo apt-get install chromium chromium-driver",
        allow_module_level=True,
    )

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def chromium(profile, scripts=True):
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
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    if not scripts:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.fixture
def browser(tmp_path):
    driver = chromium(tmp_path / "chromium-profile")
    yield driver
    driver.quit()


def screenshot(driver, name):
    """Keep a picture of what the browser shows, to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def svg_grad_text(driver, node_id):
    return driver.execute_script(
        "var t = document.querySelectorAll('.pathgrad-view g#' + arguments[0] + ' text');"
        "return t[t.length - 1].textContent;",
        node_id,
    )


# Every picture's smallest text as shown, in CSS px: an inline SVG's texts by their size on screen;
# an SVG <img> by its scale times its smallest font; a PNG drawing by its scale times the smallest
# font of the SVG beside it in the output (passed in as [points of that font, the SVG's width in points]).
SMALLEST_TEXT = """
var sizes = [];
document.querySelectorAll("svg text").forEach(function (t) {
  var r = t.getBoundingClientRect();
  if (r.width === 0 || t.closest("[hidden]")) return;
  sizes.push(parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
});
document.querySelectorAll("img[src^='data:image/svg+xml']").forEach(function (img) {
  var svg = decodeURIComponent(img.getAttribute("src").slice("data:image/svg+xml,".length));
  var box = svg.match(/viewBox="[-\\d.]+ [-\\d.]+ ([\\d.]+)/);
  var fonts = (svg.match(/font-size="[\\d.]+"/g) || []).map(function (f) { return parseFloat(f.slice(11)); });
  if (box && fonts.length && img.clientWidth) sizes.push(Math.min.apply(null, fonts) * img.clientWidth / parseFloat(box[1]));
});
var pngs = document.querySelectorAll(".jp-RenderedImage img");
(arguments[0] || []).forEach(function (known, k) {
  if (pngs[k] && pngs[k].clientWidth) sizes.push(known[0] * pngs[k].clientWidth / known[1]);
});
return sizes;
"""

# Output areas (and the stepper's own view) wider than the room they have: what scrolls sideways.
SIDEWAYS = """
return Array.from(document.querySelectorAll(".jp-OutputArea-output, .pathgrad-stepper, .pathgrad-view, body"))
  .filter(function (e) {
    var view = e.classList.contains("pathgrad-view");  // the live view may pan, but only past readable size
    return !view && e.scrollWidth > e.clientWidth + 1;
  })
  .map(function (e) { return e.className + " " + e.scrollWidth + " > " + e.clientWidth; });
"""


# The ids of highlighted nodes (outlined in the focus colour) whose box is not wholly inside the view.
FOCUS_OUTSIDE_VIEW = """
var view = arguments[0], frame = view.getBoundingClientRect();
var inner = {left: frame.left + view.clientLeft, top: frame.top + view.clientTop};
inner.right = inner.left + view.clientWidth; inner.bottom = inner.top + view.clientHeight;
return Array.from(view.querySelectorAll("g.node")).filter(function (g) {
  var shape = g.querySelector("polygon, ellipse");
  return shape && shape.getAttribute("stroke") === "#c2410c";
}).filter(function (g) {
  var r = g.getBoundingClientRect();
  return r.left < inner.left - 1 || r.right > inner.right + 1 || r.top < inner.top - 1 || r.bottom > inner.bottom + 1;
}).map(function (g) { return g.id; });
"""


def smallest_text_px(driver, png_fonts=()):
    return driver.execute_script(SMALLEST_TEXT, list(png_fonts))


def sideways_scrolls(driver):
    return driver.execute_script(SIDEWAYS)


def test_next_twice_shows_the_third_frame_its_caption_and_its_grads(browser, tmp_path, colah):
    stepper = step_through(colah["e"])
    page = stepper.save_html(tmp_path / "stepper.html")
    browser.get(page.resolve().as_uri())
    caption = browser.find_element(By.CSS_SELECTOR, ".pathgrad-caption")
    counter = browser.find_element(By.CSS_SELECTOR, ".pathgrad-counter")
    assert caption.text == stepper[0].caption and counter.text == "Frame 1 of 5"
    assert browser.find_elements(By.TAG_NAME, "figure") == []  # the storyboard gave way to the stepper
    assert svg_grad_text(browser, "v1") == "grad"  # b's grad is blank before backward

    next_button = browser.find_element(By.XPATH, "//button[contains(., 'next')]")
    next_button.click()
    next_button.click()
    assert counter.text == "Frame 3 of 5" and caption.text == stepper[2].caption
    assert svg_grad_text(browser, "v1") == "grad 3"  # 3 from d so far
    screenshot(browser, "page-frame-3")
    browser.find_element(By.XPATH, "//button[contains(., 'prev')]").click()
    assert counter.text == "Frame 2 of 5" and svg_grad_text(browser, "v1") == "grad"

    view = browser.find_element(By.CSS_SELECTOR, ".pathgrad-view")
    view.send_keys(Keys.END)
    assert counter.text == "Frame 5 of 5" and svg_grad_text(browser, "v1") == "grad 5"
    view.send_keys(Keys.HOME)
    assert counter.text == "Frame 1 of 5"
    view.send_keys(Keys.ARROW_RIGHT)
    assert counter.text == "Frame 2 of 5"


def test_hostile_labels_do_not_change_the_pages_structure(browser, tmp_path):
    hostile = ["<!--<script>", "</script><script>document.title='owned'</script>", "a\nb &amp; \x1b"]
    x = Value(2.0, hostile[0])
    y = x * Value(3.0, hostile[1]) + Value(1.0, hostile[2])
    y.label = "y"
    stepper = step_through(y)
    page = stepper.save_html(tmp_path / "hostile.html")
    browser.get(page.resolve().as_uri())
    assert browser.title == "backward pass of y"
    assert len(browser.find_elements(By.CSS_SELECTOR, ".pathgrad-stepper script")) == 2
    counter = browser.find_element(By.CSS_SELECTOR, ".pathgrad-counter")
    browser.find_element(By.XPATH, "//button[contains(., 'next')]").click()
    assert counter.text == f"Frame 2 of {len(stepper)}"
    texts = browser.execute_script(
        "return Array.from(document.querySelectorAll('.pathgrad-view text')).map(t => t.textContent)"
    )
    assert hostile[0] in texts and hostile[1] in texts


def test_without_scripts_the_page_is_a_storyboard_of_readable_pictures(tmp_path, colah):
    stepper = step_through(colah["e"])
    page = stepper.save_html(tmp_path / "stepper.html")
    driver = chromium(tmp_path / "profile", scripts=False)
    try:
        driver.get(page.resolve().as_uri())
        screenshot(driver, "page-storyboard")
        images = driver.find_elements(By.CSS_SELECTOR, "figure img")
        assert len(images) == len(stepper)  # colah's graph fits: each frame is one picture of it whole
        assert all(driver.execute_script("return arguments[0].naturalWidth", image) > 400 for image in images)
        assert min(smallest_text_px(driver)) >= 8 and not sideways_scrolls(driver)
        captions = [c.text for c in driver.find_elements(By.TAG_NAME, "figcaption")]
        assert captions[2] == f"Frame 3 of 5. {stepper[2].caption}"
    finally:
        driver.quit()


# A real JupyterLab: the committed notebook opened fresh (so untrusted), then run.


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (pip install -e '.[test]')")
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    port, token = free_port(), uuid.uuid4().hex
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    env["JUPYTER_PATH"] = str(Path(sys.executable).parent.parent / "share" / "jupyter")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail("JupyterLab did not start within 60 s")
    yield f"{base}/lab/tree/{NOTEBOOK.name}?token={token}"
    server.terminate()
    server.wait(timeout=30)


def committed_outputs(mime):
    notebook = json.loads(NOTEBOOK.read_text())
    return [o for cell in notebook["cells"] for o in cell.get("outputs", ()) if mime in o.get("data", {})]


def test_an_untrusted_notebook_in_jupyterlab_shows_drawings_and_storyboards_then_steps(browser, jupyterlab):
    assert committed_outputs("image/png") and committed_outputs("text/html")
    browser.get(jupyterlab)
    wait = WebDriverWait(browser, 90)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-RenderedHTMLCommon figure img"))
    time.sleep(2)  # let the images decode
    screenshot(browser, "lab-untrusted")

    # The drawings: PNGs, decoded, at the size the SVG would have.
    drawings = browser.find_elements(By.CSS_SELECTOR, ".jp-RenderedImage img")
    assert len(drawings) >= 3
    for image in drawings:
        assert browser.execute_script("return arguments[0].naturalWidth", image) > 300
    # The stepper's storyboard: its script stripped, every frame's pictures readable, nothing scrolls sideways.
    story = browser.find_elements(By.CSS_SELECTOR, ".jp-RenderedHTMLCommon figure img")
    assert len(story) >= 5
    browser.execute_script("arguments[0].scrollIntoView()", story[1])
    time.sleep(1)
    screenshot(browser, "lab-storyboard")
    assert min(smallest_text_px(browser)) >= 8
    assert sideways_scrolls(browser) == []
    note = browser.find_element(By.XPATH, "//*[contains(text(), 'To step through it')]")
    assert note.is_displayed()

    # Run the notebook up to the stepper's cell, then step.
    cells = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")
    for cell in cells[:4]:  # the imports, the neuron, the hand check, the stepper
        cell.find_element(By.CSS_SELECTOR, ".jp-InputArea-prompt").click()
        cell.send_keys(Keys.SHIFT, Keys.ENTER)
        time.sleep(0.5)
    counter = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".pathgrad-counter"))
    assert counter.text.startswith("Frame 1 of ")
    count = int(counter.text.split(" of ")[1])
    browser.execute_script("arguments[0].scrollIntoView()", counter)
    view = browser.find_element(By.CSS_SELECTOR, ".pathgrad-view")
    assert view.size["height"] <= 0.7 * 1000  # no taller than the visible notebook area
    next_button = browser.find_element(By.XPATH, "//button[contains(., 'next')]")
    for k in range(1, count + 1):  # at every frame, the highlighted node lies wholly inside the view
        assert counter.text == f"Frame {k} of {count}"
        outside = browser.execute_script(FOCUS_OUTSIDE_VIEW, view)
        assert outside == [], f"frame {k}: {outside}"
        if k == 2:
            assert browser.find_element(By.CSS_SELECTOR, ".pathgrad-caption").text.startswith("Step 1 of ")
            screenshot(browser, "lab-stepper-frame-2")
        next_button.click()
    view.send_keys(Keys.HOME)
    assert counter.text == f"Frame 1 of {count}"
    view.send_keys(Keys.ARROW_RIGHT)
    # Readable in the view: no text below 8 px; "whole" shows all of it, "readable" goes back.
    assert min(smallest_text_px(browser)) >= 8
    browser.find_element(By.XPATH, "//button[.='whole']").click()
    svg = view.find_element(By.TAG_NAME, "svg")
    assert svg.size["width"] <= view.size["width"]
    screenshot(browser, "lab-stepper-whole")
    browser.find_element(By.XPATH, "//button[.='readable']").click()

    # The same stepper as a widget, in a new cell below: the same controls and numbering.
    pytest.importorskip("anywidget", reason="anywidget is not installed (pip install -e '.[test]')")
    cells[3].find_element(By.CSS_SELECTOR, ".jp-InputArea-prompt").click()
    browser.switch_to.active_element.send_keys("b")  # command mode: a new cell below
    time.sleep(1)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    browser.switch_to.active_element.send_keys("stepper.widget()")
    browser.switch_to.active_element.send_keys(Keys.SHIFT, Keys.ENTER)
    widget_counter = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-OutputArea .pathgrad-counter")[1:])
    widget_counter = widget_counter[0]
    assert widget_counter.text == f"Frame 1 of {count}"
    root = widget_counter.find_element(By.XPATH, "ancestor::*[.//button][1]")
    root.find_element(By.XPATH, ".//button[contains(., 'next')]").click()
    root.find_element(By.XPATH, ".//button[contains(., 'next')]").click()
    assert widget_counter.text == f"Frame 3 of {count}"
    browser.execute_script("arguments[0].scrollIntoView()", widget_counter)
    time.sleep(1)
    screenshot(browser, "lab-widget-frame-3")
