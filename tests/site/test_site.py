"""The browser site, built and opened offline: the playground and a notebook run the real pathgrad in Pyodide.

`make site`'s build (notebooks/site/build.py) goes into a fresh folder, a
static server serves it on 127.0.0.1, and Debian's headless Chromium opens
it at 1400×1000 with every host name but 127.0.0.1 unresolvable, so a file
fetched from anywhere else would fail. Screenshots go to /tmp/pathgrad-site-*.png.

Skips (saying why) only where the site cannot be built because a registry
(PyPI, npm) is unreachable and nothing is cached; `make test` sets
PATHGRAD_SITE_REQUIRED=1, which turns that skip into a failure.
"""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REQUIRED = os.environ.get("PATHGRAD_SITE_REQUIRED") == "1"
# What pip and npm print when a registry cannot be reached.
UNREACHABLE = re.compile(r"ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|NewConnectionError|"
                         r"Failed to establish a new connection|Temporary failure in name resolution|"
                         r"No matching distribution found|network is unreachable", re.IGNORECASE)

if os.environ.get("NO_BROWSER"):  # the user's own opt-out (make test NO_BROWSER=1)
    pytest.skip("NO_BROWSER is set: the browser tests are skipped", allow_module_level=True)
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(f"no Chromium at {CHROMIUM} and {CHROMEDRIVER}: sudo apt-get install chromium chromium-driver",
                allow_module_level=True)  # make test installs it first (make chromium)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

sys.path.insert(0, str(ROOT / "notebooks" / "site"))
import serve  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site, built by make site's own script into an empty folder."""
    out = tmp_path_factory.mktemp("site") / "site"
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(ROOT / "notebooks" / "site" / "build.py"), "--out", str(out)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        log = done.stdout + done.stderr
        if UNREACHABLE.search(log) and not REQUIRED:
            pytest.skip(f"the site cannot be built: a registry is unreachable ({UNREACHABLE.search(log).group(0)})")
        pytest.fail(f"make site failed:\n{log[-3000:]}", pytrace=False)
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    record(f"site: built in {time.monotonic() - started:.0f} s, {size / 1e6:.1f} MB")
    return out


SERVED = [0]  # the bytes the test's server has sent: pages, the kernel's worker and all


class Counting(serve.Handler):
    def copyfile(self, source, outputfile):
        start = source.tell()
        super().copyfile(source, outputfile)
        SERVED[0] += source.tell() - start


@pytest.fixture(scope="module")
def address(site):
    httpd = serve.server(site, 0, handler=Counting)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                 f"--user-data-dir={tmp_path / 'profile'}",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # A hang guard, not a limit: the playground runs Pyodide on the page's own thread, which a loaded
    # machine keeps busy past WebDriver's 30 s for a script (seen at load average 14).
    driver.set_script_timeout(600)
    yield driver
    driver.quit()


def requested_hosts(driver):
    """The hosts of every request the page made since the last call (from Chromium's performance log)."""
    import json

    hosts = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith(("http:", "https:", "ws:", "wss:")):
                hosts.add(url.split("/")[2])
    return hosts


def record(line):
    """Timings for docs/browser.md (never asserted): appended to /tmp/pathgrad-site-timings.txt."""
    with open("/tmp/pathgrad-site-timings.txt", "a") as log:
        log.write(line + "\n")


def test_playground_draws_steps_and_diagnoses_a_wrong_grad(address, browser):
    # x*y+z at x=2, y=3, z=4: t1 = x*y = 6, t2 = t1 + z = 10; dt2/dx = y = 3, dt2/dy = x = 2, dt2/dz = 1.
    browser.get(f"{address}/playground/index.html#program=x*y%2Bz&x=2&y=3&z=4")
    wait = WebDriverWait(browser, 600)  # a hang guard: the machine may be loaded
    wait.until(lambda d: d.execute_script("return document.body.dataset.ready || document.getElementById('error').textContent"))
    assert browser.find_element(By.ID, "error").text == ""
    assert browser.find_element(By.ID, "output").text.startswith("Output: t2 = 10.")
    svg = browser.find_element(By.CSS_SELECTOR, "#stepper svg")
    texts = [t.text for t in svg.find_elements(By.TAG_NAME, "text")]
    for label in ("x", "y", "z", "t1", "t2", "data 6", "data 10"):
        assert label in texts, (label, texts)
    counter = browser.find_element(By.CSS_SELECTOR, ".pathgrad-counter")
    assert counter.text == "Frame 1 of 4"
    browser.find_element(By.CSS_SELECTOR, ".pathgrad-view").click()
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    wait.until(lambda d: counter.text == "Frame 2 of 4")
    browser.find_element(By.XPATH, "//button[contains(., 'last')]").click()
    wait.until(lambda d: counter.text == "Frame 4 of 4")
    caption = browser.find_element(By.CSS_SELECTOR, ".pathgrad-caption").text
    assert "x.grad = 3" in caption and "y.grad = 2" in caption and "z.grad = 1" in caption, caption
    browser.save_screenshot("/tmp/pathgrad-site-playground.png")

    answers = {"x": "3", "y": "3", "z": "1"}  # y is wrong: the operand itself, not the other one
    for key, answer in answers.items():
        browser.find_element(By.CSS_SELECTOR, f"#questions input[data-key='{key}']").send_keys(answer)
    browser.find_element(By.ID, "check").click()
    wait.until(lambda d: d.find_element(By.ID, "verdict").text)
    assert browser.find_element(By.ID, "verdict").text == "2 of 3 right."
    rows = {row.find_element(By.TAG_NAME, "input").get_attribute("data-key"): row.text
            for row in browser.find_elements(By.CSS_SELECTOR, "#questions tr")}
    assert rows["x"].endswith("right")
    assert "wrong local derivative" in rows["y"] and "∂t1/∂y = x = 2, not 3" in rows["y"], rows["y"]
    browser.find_element(By.ID, "reveal").click()
    assert browser.find_element(By.ID, "answers").text == (
        "grads: dt2/dx = 3, dt2/dy = 2, dt2/dz = 1, dt2/dt1 = 1, dt2/dt2 = 1")
    browser.save_screenshot("/tmp/pathgrad-site-quiz.png")

    # Hostile text is a refusal shown as text; the page's structure does not change.
    program = browser.find_element(By.ID, "program")
    program.clear()
    program.send_keys("<img src=x onerror=alert(1)>")
    drawn = browser.execute_script("return document.body.dataset.drawn")
    browser.find_element(By.ID, "draw").click()
    wait.until(lambda d: d.find_element(By.ID, "error").text)
    assert "syntax error" in browser.find_element(By.ID, "error").text or "refused" in browser.find_element(By.ID, "error").text
    assert browser.find_elements(By.CSS_SELECTOR, "#error *") == []
    assert browser.execute_script("return document.body.dataset.drawn") == drawn
    assert requested_hosts(browser) <= {address.split("/")[2]}


def run_cell(browser, wait, code):
    """Insert a code cell above the first, type `code`, run it (Shift+Enter) and wait until it is done; the cell."""
    first = browser.find_element(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")
    first.find_element(By.CSS_SELECTOR, ".jp-InputPrompt").click()
    ActionChains(browser).send_keys(Keys.ESCAPE).send_keys("a").perform()
    wait.until(lambda d: "jp-CodeCell" in d.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")[0].get_attribute("class")
               and d.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")[0] != first)
    cell = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")[0]
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    cell.find_element(By.CSS_SELECTOR, ".cm-content").send_keys(code)
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
    prompt = cell.find_element(By.CSS_SELECTOR, ".jp-InputPrompt")
    wait.until(lambda d: re.fullmatch(r"\[\d+\]:", prompt.text))  # "[ ]:" before, "[*]:" while it runs
    return cell


def test_a_notebook_imports_pathgrad_and_draws_svg_in_jupyterlite(address, browser):
    browser.get(f"{address}/lab/index.html?path=01_chain_rule_on_a_graph.ipynb")
    wait = WebDriverWait(browser, 600)  # a hang guard
    wait.until(lambda d: "| Idle" in d.find_element(By.ID, "jp-main-statusbar").text)
    listed = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".jp-DirListing-itemText")]
    assert [name[:3] for name in listed[:3]] == ["01_", "02_", "03_"], listed

    cell = run_cell(browser, wait, "import pathgrad; pathgrad.ENGINE")
    assert cell.find_element(By.CSS_SELECTOR, ".jp-OutputArea-output").text == "'pure'"

    # Where the browser has no JSPI (here pretended), a drawing says in one line what to run, and that works.
    run_cell(browser, wait, "import pyodide.ffi; real = pyodide.ffi.can_run_sync; pyodide.ffi.can_run_sync = lambda: False")
    cell = run_cell(browser, wait, "from pathgrad.viz import save; save(pathgrad.Value(1.0, 'x') * 2, 'g.svg')")
    assert cell.find_element(By.CSS_SELECTOR, ".jp-OutputArea-output").text.splitlines()[-1] == (
        "NotLoaded: drawing (Graphviz, @viz-js/viz) needs a download first, and this browser cannot wait for one "
        "inside a call: run `await pathgrad.viz.browser.load()` once in a cell, then try again")
    run_cell(browser, wait, "pyodide.ffi.can_run_sync = real; await pathgrad.viz.browser.load(); print('loaded')")

    cell = run_cell(browser, wait, "from pathgrad.viz import draw; draw(pathgrad.Value(2.0, 'x') * pathgrad.Value(3.0, 'y'))")
    output = cell.find_element(By.CSS_SELECTOR, ".jp-OutputArea-output")
    image = output.find_element(By.TAG_NAME, "img")  # JupyterLab shows image/svg+xml as an <img> of the SVG
    source = image.get_attribute("src")
    assert source.startswith("data:image/svg+xml,"), source[:80]
    assert "%3Csvg" in source and "data%206" in source  # the product's box: data 6
    assert image.size["width"] > 100
    browser.save_screenshot("/tmp/pathgrad-site-notebook.png")
    assert requested_hosts(browser) <= {address.split("/")[2]}


def menu(browser, wait, top, item):
    """Click JupyterLab's menu `top`, then its entry `item`."""
    browser.find_element(By.XPATH, f"//div[contains(@class,'lm-MenuBar-itemLabel') and text()='{top}']").click()
    entry = wait.until(lambda d: d.find_element(
        By.XPATH, f"//div[contains(@class,'lm-Menu-itemLabel') and text()='{item}']"))
    entry.click()


# Each notebook's Vega-Lite charts (pathgrad.viz.plot: line charts, and the moons' decision boundaries).
NOTEBOOKS = {
    "01_chain_rule_on_a_graph.ipynb": 0,
    "02_forward_vs_reverse_mode.ipynb": 1,
    "03_paths_explode_factorization_does_not.ipynb": 1,
    "04_backprop_by_hand.ipynb": 0,
    "05_activations_and_losses.ipynb": 2,
    "06_gradient_checking.ipynb": 1,
    "07_training_an_mlp.ipynb": 3,
    "08_a_gpt_from_scalars.ipynb": 1,
    "09_second_derivatives.ipynb": 1,
    "10_check_your_backprop.ipynb": 0,  # the quiz's command line runs in-process
    "11_micrograds_lecture_at_real_size.ipynb": 1,
}


def test_the_site_holds_every_notebook():
    assert sorted(NOTEBOOKS) == sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))


def finished(driver):
    """Run All is over: no cell queued or running, and every cell ran, or one stopped the run with an error."""
    prompts = [p.text for p in driver.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell .jp-InputPrompt")]
    if any(p == "[*]:" for p in prompts):
        return False
    errors = driver.find_elements(By.CSS_SELECTOR, ERRORS)
    return all(re.fullmatch(r"\[\d+\]:", p) for p in prompts) or bool(errors)


ERRORS = ".jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS))
def test_every_notebook_runs_all_its_cells_in_jupyterlite(address, browser, notebook):
    charts = NOTEBOOKS[notebook]
    started, served = time.monotonic(), SERVED[0]
    browser.get(f"{address}/lab/index.html?path={notebook}")
    wait = WebDriverWait(browser, 600, ignored_exceptions=[StaleElementReferenceException])
    wait.until(lambda d: "| Idle" in d.find_element(By.ID, "jp-main-statusbar").text)
    ready, fetched = time.monotonic() - started, SERVED[0] - served  # a fresh profile: a first visit
    hosts = requested_hosts(browser)
    menu(browser, wait, "Edit", "Clear Outputs of All Cells")
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-OutputArea-output"))
    menu(browser, wait, "Run", "Run All Cells")
    started = time.monotonic()
    # The run's events: it starts (a cell queued or counted), then ends; 20 minutes is only a hang guard.
    wait.until(lambda d: any(p.text != "[ ]:" for p in d.find_elements(
        By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell .jp-InputPrompt")))
    WebDriverWait(browser, 1200, ignored_exceptions=[StaleElementReferenceException]).until(finished)
    record(f"{notebook[:2]}: kernel idle {ready:.1f} s after navigation, {fetched / 1e6:.1f} MB fetched; "
           f"Run All {time.monotonic() - started:.1f} s")
    cells = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")
    failed = [number for number, cell in enumerate(cells, start=1)
              if any("Traceback" in o.text or "Error" in o.text for o in cell.find_elements(By.CSS_SELECTOR, ERRORS))]
    outputs = [o.text for o in browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-OutputArea-output")]
    browser.save_screenshot(f"/tmp/pathgrad-site-{notebook[:2]}.png")
    assert failed == [], [t[-800:] for t in outputs if "Error" in t]
    prompts = [c.find_element(By.CSS_SELECTOR, ".jp-InputPrompt").text for c in cells]
    assert all(re.fullmatch(r"\[\d+\]:", p) for p in prompts), prompts  # every cell ran
    # Every chart drawn by JupyterLite's own Vega-Lite renderer.
    WebDriverWait(browser, 120).until(lambda d: len(d.find_elements(
        By.CSS_SELECTOR, ".jp-Notebook .jp-RenderedVegaCommon5 canvas, .jp-Notebook .jp-RenderedVegaCommon5 svg")) >= charts)
    drawn = browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-RenderedVegaCommon5")
    assert len(drawn) == charts and all(chart.size["width"] > 200 for chart in drawn)
    if notebook.startswith("10"):
        # The quiz's command line, run in-process: its refusal of a non-number, exit status 2.
        assert any("--answers: a='minus eight' is not a finite number" in text for text in outputs), outputs[-3:]
    browser.save_screenshot(f"/tmp/pathgrad-site-{notebook[:2]}.png")
    assert hosts | requested_hosts(browser) <= {address.split("/")[2]}


def test_the_widget_expands_a_clicked_box_through_the_kernel(address, browser):
    """Stepper.widget() in JupyterLite: a click on the collapsed L0 goes to the kernel, which sends the expanded stepper."""
    browser.get(f"{address}/lab/index.html?path=01_chain_rule_on_a_graph.ipynb")
    wait = WebDriverWait(browser, 600, ignored_exceptions=[StaleElementReferenceException])
    wait.until(lambda d: "| Idle" in d.find_element(By.ID, "jp-main-statusbar").text)
    cell = run_cell(browser, wait, "import random; from pathgrad.nn import MLP; from pathgrad.viz import step_through; "
                                   "random.seed(0); step_through(MLP(2, [3, 1])([1.0, -2.0]), collapse=['L0']).widget()")
    counter = ".pathgrad-counter"
    # The widget mounts again whenever new data comes: find its parts afresh each time.
    wait.until(lambda d: cell.find_element(By.CSS_SELECTOR, counter).text == "Frame 1 of 4")  # y, L0
    cell.find_element(By.CSS_SELECTOR, ".pathgrad-view g#s0").click()  # L0 opens into its three neurons
    wait.until(lambda d: cell.find_element(By.CSS_SELECTOR, counter).text == "Frame 1 of 6")
    boxes = cell.find_elements(By.CSS_SELECTOR, ".pathgrad-view g[data-pathgrad-expand]")
    assert sorted(b.get_attribute("data-pathgrad-expand") for b in boxes) == [f"layers.0.neurons.{k}" for k in range(3)]
    browser.save_screenshot("/tmp/pathgrad-site-widget.png")
    assert requested_hosts(browser) <= {address.split("/")[2]}
