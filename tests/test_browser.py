"""Widgets in a real browser: JupyterLab in headless Chromium, driven by Playwright as a person would.

For each notebook with a control, the test opens the notebook in JupyterLab, runs all cells, waits
until every cell has run, then operates the control with the mouse or the keyboard (clicks a
button, drags a slider's handle, presses arrow keys on it, types into a text box) and checks what
a person would see: the watched parts of the panel look different on screen afterwards, no cell
shows an error, nor does JupyterLab's log console (where a widget callback that raises shows its
traceback) or the kernel's own log, and the kernel is alive and idle. On failure a screenshot of the
page is saved in ``test-artifacts/browser/`` (next to the test report; its path is in the test's
captured output).

Adding a notebook's control is one row of ``CONTROLS``: the notebook, a CSS selector that finds
its panel, what to do to it, and which parts of the panel must change.

Needs Debian's ``chromium`` (``apt-get install chromium``; any Chromium or Chrome named by the
variable ``COURSE_CHROMIUM`` works too) and Playwright for Python (in requirements.txt; its own
browser download is not used). Without them the tests are skipped, saying so, except in CI
(``CI`` set to true), where a skip would hide a broken promise and so fails. The JupyterLab
server uses the test session's fresh model cache, and these tests run after the notebooks'
nbval run (conftest.py orders them last), so they load the models nbval just trained instead of
training them again: run alone, they train from scratch (slower, same checks).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # Playwright is imported when the browser starts, so that its absence can skip
    from playwright.sync_api import Locator, Page

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
RUN_ALL_TIMEOUT = 600  # seconds for one notebook's cells in fast mode (seen: 1-2.5 minutes from an empty cache)
RESPONSE_TIMEOUT = 10  # seconds from operating a control to the change on screen

pytestmark = pytest.mark.browser

Operate = Callable[["Page", "Locator"], str]


# ---------------------------------------------------------------------------------------------
# What a person does to a control. Each returns a few words saying what it did (for the log).


def click_option(index: int) -> Operate:
    """Click the toggle button at ``index`` (-1: the last) of the panel's button row."""

    def operate(page, panel) -> str:
        button = panel.locator("button.widget-toggle-button").nth(index)
        label = button.inner_text().strip()
        button.click()
        return f"clicked the button {label!r}"

    return operate


def choose_in_dropdown(label: str, index: int) -> Operate:
    """Choose the option at ``index`` (-1: the last) of the panel's dropdown labelled ``label``."""

    def operate(page, panel) -> str:
        select = panel.locator(f".widget-dropdown:has(.widget-label:text-is('{label}')) select")
        option = select.locator("option").nth(index).inner_text().strip()
        select.select_option(label=option)
        return f"chose {option!r} in the dropdown {label!r}"

    return operate


def drag_slider(pick: Callable[[list[str]], int], by_pixels: int) -> Operate:
    """Drag the handle of the slider chosen by ``pick`` (given the sliders' labels) with the mouse."""

    def operate(page, panel) -> str:
        sliders = panel.locator(".widget-slider")
        labels = [label.strip() for label in sliders.locator(".widget-label").all_inner_texts()]
        slider = sliders.nth(pick(labels))
        before = slider.locator(".widget-readout").inner_text().strip()
        handle = slider.locator(".noUi-handle")
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + by_pixels, y, steps=12)
        page.mouse.up()
        after = slider.locator(".widget-readout").inner_text().strip()
        return f"dragged slider {labels[pick(labels)]!r} by {by_pixels} px with the mouse: {before} -> {after}"

    return operate


def press_on_slider(keys: list[str]) -> Operate:
    """Click the (first) slider's handle to focus it, then press ``keys`` one after another."""

    def operate(page, panel) -> str:
        slider = panel.locator(".widget-slider").first
        before = slider.locator(".widget-readout").inner_text().strip()
        slider.locator(".noUi-handle").click()
        for key in keys:
            page.keyboard.press(key)
            page.wait_for_timeout(50)
        after = slider.locator(".widget-readout").inner_text().strip()
        return f"pressed {' '.join(keys)} on the slider's handle: {before} -> {after}"

    return operate


def type_into(text: str) -> Operate:
    """Click into the panel's text box, select what is there and type ``text`` key by key."""

    def operate(page, panel) -> str:
        box = panel.locator(".widget-text input").first
        box.click()
        page.keyboard.press("Control+a")
        page.keyboard.type(text, delay=60)
        return f"typed {text!r} into the text box"

    return operate


def readouts_all(text: str) -> Callable[[Locator], None]:
    """A check of the panel before it is operated: every slider's readout shows ``text``."""

    def check(panel) -> None:
        readouts = [r.strip() for r in panel.locator(".widget-readout").all_inner_texts()]
        assert readouts and set(readouts) == {text}, f"every slider should read {text} before it is moved: {readouts}"

    return check


def largest_number_in_label(labels: list[str]) -> int:
    """The slider whose label carries the largest number in brackets (05: the KL of each dimension)."""
    values = [float(m.group(1)) if (m := re.search(r"\(([-\d.]+)\)", label)) else float("-inf") for label in labels]
    return max(range(len(labels)), key=values.__getitem__)


def panel_with(marker: str) -> str:
    """CSS for the outermost widget box in a cell's output that holds ``marker``."""
    return f".jp-OutputArea-output .widget-vbox:has({marker})"


# ---------------------------------------------------------------------------------------------
# The table: one row per notebook control.


@dataclass(frozen=True)
class Control:
    notebook: str  # file in notebooks/
    panel: str  # CSS selector of the control's panel (the first match is used)
    operate: Operate  # what a person does to it
    watch: tuple[str, ...]  # CSS selectors, inside the panel, of what must look different afterwards
    first: Callable[[Locator], None] | None = None  # a check of the panel before it is operated


CONTROLS = [
    Control("03_tsne_visualisation.ipynb", panel_with(".widget-label:text-is('t-SNE')"), click_option(-1), ("img",)),
    Control("04_autoencoder_family.ipynb", panel_with(".widget-label:text-is('noise')"), click_option(-1), ("img",)),
    Control("05_vae_latent_sliders.ipynb", panel_with("button:has-text('Random code')"),
            drag_slider(largest_number_in_label, by_pixels=90), ("img",), first=readouts_all("0.00")),
    Control("06_gan_training.ipynb", panel_with(".widget-label:text-is('snapshot')"), click_option(-1), ("img",)),
    Control("07_wgan.ipynb", panel_with(".widget-label:text-is('snapshot')"), click_option(-1), ("img",)),
    Control("08_embeddings.ipynb", panel_with(".widget-label:text-is('word(s)')"), type_into("thou"),
            (".widget-html",)),
    Control("09_char_rnn_temperature.ipynb", panel_with(".widget-label:text-is('temperature')"),
            press_on_slider(["ArrowRight"] * 5), (".widget-html >> nth=0", ".widget-html >> nth=1")),
    Control("10_beam_search.ipynb", panel_with(".widget-label:text-is('beam')"), click_option(-1), ("img",)),
    Control("11_attention.ipynb", panel_with(".widget-label:text-is('date')"), type_into("Mon, 3 May 2021"),
            (".widget-html", "img")),
    Control("12_transformers.ipynb", panel_with(".widget-label:text-is('date')"), type_into("Mon, 3 May 2021"),
            (".widget-html", "img")),
    Control("12_transformers.ipynb", panel_with(".widget-label:text-is('line')"), click_option(-1), ("img",)),
    Control("12_transformers.ipynb", panel_with(".widget-label:text-is('date')"), choose_in_dropdown("attention", -1),
            ("img",)),
]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The browser and the server.


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str):
    how = (
        "To run the browser tests: apt-get install chromium (Debian/Ubuntu; or point COURSE_CHROMIUM at a "
        "Chromium or Chrome) and pip install -r requirements.txt (Playwright)."
    )
    if _ci():
        pytest.fail(f"{reason}; CI must run the browser tests (CI={os.environ['CI']!r}). {how}", pytrace=False)
    pytest.skip(f"{reason}. {how}")


def chromium_path() -> str | None:
    named = os.environ.get("COURSE_CHROMIUM", "").strip()
    if named:
        found = named if Path(named).is_file() else shutil.which(named)
        if found is None:
            _unavailable(f"COURSE_CHROMIUM={named!r} names no program")
        return found
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_settings(folder: Path) -> None:
    """JupyterLab user settings: every cell in the page (no virtual scrolling), no news or update checks."""
    settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "checkForUpdates": False,
            "fetchNews": "false",
        },
    }
    for name, content in settings.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


@dataclass
class Lab:
    url: str
    log: Path
    folder: Path

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    executable = chromium_path()
    if executable is None:
        _unavailable("no Chromium found (looked for chromium, chromium-browser, google-chrome)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """JupyterLab from this environment on a free port, no token, serving a temporary copy of the
    notebooks; fast mode and the session's fresh model cache come from conftest.py's environment."""
    folder = tmp_path_factory.mktemp("lab")
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(path, notebooks / path.name)
    write_settings(folder / "settings")
    env = dict(os.environ)
    env.update(
        COURSE_MODE="fast",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(folder / "config"),
        JUPYTER_DATA_DIR=str(folder / "data"),
        JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
        PYTHONUNBUFFERED="1",
    )
    port = free_port()
    log = folder / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
        "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={notebooks}",
        f"--LabApp.user_settings_dir={folder / 'settings'}", f"--LabApp.workspaces_dir={folder / 'workspaces'}",
    ]  # fmt: skip
    with open(log, "wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=notebooks)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/api/status", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; its log:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.5)
        yield Lab(url=url, log=log, folder=notebooks)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ---------------------------------------------------------------------------------------------
# Reading the page.

CELL_STATE = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].map(cell => {
    const prompt = cell.querySelector('.jp-InputArea-prompt');
    const errors = [...cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map(node => node.innerText);
    return {prompt: prompt ? prompt.innerText.trim() : '', errors};
})"""
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|^\s*\w*(Error|Exception)\b", re.M)
KERNEL_EXCEPTION = re.compile(r"Traceback \(most recent call last\)|Exception in comm|Error in observer")


def page_errors(cells: list[dict]) -> list[str]:
    return [f"cell {i + 1}: {text[-1500:]}" for i, cell in enumerate(cells) for text in cell["errors"]
            if ERROR_TEXT.search(text)]  # fmt: skip


def log_console_errors(page) -> list[str]:
    """Tracebacks in JupyterLab's log console, where a widget callback that raises shows its error
    (ipywidgets sends it there, not to any cell): the status bar counts the entries."""
    item = page.locator(".jp-LogConsoleStatusItem [title]")
    title = item.first.get_attribute("title") if item.count() else ""
    entries = re.search(r"(\d+) log entr", title or "")
    if not entries or entries.group(1) == "0":
        return []
    item.first.click()  # opens the log console
    outputs = page.locator(".jp-LogConsolePanel .jp-OutputArea-output")
    outputs.first.wait_for(timeout=10_000)
    return [text[-1500:] for text in outputs.all_inner_texts() if ERROR_TEXT.search(text)]


def run_all_cells(page) -> float:
    """Run > Run All Cells from the menu, then wait until every code cell has a number; seconds taken."""
    started = time.monotonic()
    page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click()
    page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click()
    quiet_since = None
    while True:
        cells = page.evaluate(CELL_STATE)
        prompts = [cell["prompt"] for cell in cells]
        if prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts):
            return time.monotonic() - started
        if errors := page_errors(cells):
            raise AssertionError("a cell raised while running all cells:\n" + "\n".join(errors))
        if any("*" in p for p in prompts):
            quiet_since = None
        else:  # nothing running or queued, yet not every cell ran: the run stopped
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 15:
                raise AssertionError(f"the run stopped before every cell ran; prompts: {prompts}")
        if time.monotonic() - started > RUN_ALL_TIMEOUT:
            raise AssertionError(f"cells still running after {RUN_ALL_TIMEOUT} s; prompts: {prompts}")
        page.wait_for_timeout(500)


def looks(panel, selectors: tuple[str, ...]) -> list[bytes]:
    """What the watched parts of the panel look like now: a screenshot of each."""
    return [panel.locator(selector).first.screenshot(animations="disabled") for selector in selectors]


KERNEL_STATUS = """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(item => item.innerText)
    .find(text => /^Python 3 .*\\|/.test(text)) || ''"""  # the status bar's "Python 3 (ipykernel) | Idle"
KERNEL_IDLE = f"() => ({KERNEL_STATUS})().endsWith('| Idle')"


def kernel_status(page) -> str:
    return page.evaluate(KERNEL_STATUS)


# ---------------------------------------------------------------------------------------------
# The test.


def operate_and_check(page, lab: Lab, control: Control) -> str:
    """Open the notebook, run all cells, operate the control and check what the page shows; a line
    saying what was done and seen (AssertionError when something is wrong)."""
    log_start = len(lab.log_text())
    # a workspace of its own, reset: only this notebook open, its kernel the one in the status bar
    page.goto(f"{lab.url}/lab/workspaces/{Path(control.notebook).stem}/tree/{control.notebook}?reset")
    page.locator(".jp-Notebook .jp-CodeCell").first.wait_for(timeout=60_000)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)  # the kernel started and connected
    run_seconds = run_all_cells(page)

    panel = page.locator(control.panel).first
    panel.scroll_into_view_if_needed(timeout=30_000)
    for selector in control.watch:  # a picture is loaded and decoded (a broken one fails here)
        panel.locator(selector).first.evaluate("element => element.tagName !== 'IMG' || element.decode()")
    page.wait_for_timeout(500)  # and painted
    if control.first is not None:
        control.first(panel)
    before = looks(panel, control.watch)
    did = control.operate(page, panel)

    started = time.monotonic()
    changed = [False] * len(before)
    while not all(changed) and time.monotonic() - started < RESPONSE_TIMEOUT:
        page.wait_for_timeout(100)
        changed = [now != then for now, then in zip(looks(panel, control.watch), before)]
    response = time.monotonic() - started
    assert all(changed), (
        f"{did}, but within {RESPONSE_TIMEOUT} s nothing changed on screen in "
        f"{[s for s, c in zip(control.watch, changed) if not c]}"
    )

    page.wait_for_timeout(1000)  # let any late error from the callback arrive
    cells = page.evaluate(CELL_STATE)
    assert not page_errors(cells), "error output in the page:\n" + "\n".join(page_errors(cells))
    logged = log_console_errors(page)
    assert not logged, "error in JupyterLab's log console (a widget callback raised?):\n" + "\n".join(logged)
    kernel_log = lab.log_text()[log_start:]
    assert not KERNEL_EXCEPTION.search(kernel_log), f"the kernel logged an exception:\n{kernel_log[-3000:]}"
    kernels = lab.api("/api/kernels")
    assert [k["execution_state"] for k in kernels] == ["idle"], f"kernel not alive and idle: {kernels}"
    assert kernel_status(page).endswith("| Idle"), f"the page shows the kernel as {kernel_status(page)!r}"
    return (f"{control.notebook}: ran all cells in {run_seconds:.0f} s; {did}; "
            f"{', '.join(control.watch)} changed on screen within {response:.1f} s")  # fmt: skip


def shut_down_kernels(lab: Lab) -> None:
    for kernel in lab.api("/api/kernels") or []:
        lab.api(f"/api/kernels/{kernel['id']}", method="DELETE")


def control_id(index: int) -> str:
    """The notebook's number, with a letter when the notebook has more than one control (12a, 12b)."""
    number = CONTROLS[index].notebook.split("_")[0]
    same = [i for i, c in enumerate(CONTROLS) if c.notebook.split("_")[0] == number]
    return number if len(same) == 1 else number + "abcdefgh"[same.index(index)]


@pytest.mark.parametrize("control", CONTROLS, ids=[control_id(i) for i in range(len(CONTROLS))])
def test_control_responds_in_the_browser(control: Control, browser, lab: Lab):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        print(operate_and_check(page, lab, control))
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{Path(control.notebook).stem}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the page: {shot}")
        raise
    finally:
        shut_down_kernels(lab)
        page.close()


RAISING_CALLBACK = """import ipywidgets as widgets
shown = widgets.HTML("nothing clicked yet")
buttons = widgets.ToggleButtons(options=["a", "b"], description="raises")
def answer(change):
    shown.value = f"clicked {change['new']}"
    raise RuntimeError("a callback that raises after redrawing")
buttons.observe(answer, names="value")
widgets.VBox([buttons, shown])"""


def test_the_checks_catch_a_callback_that_raises(browser, lab: Lab):
    """The checks have teeth: a control whose picture changes, but whose callback then raises, fails."""
    import nbformat

    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(RAISING_CALLBACK)])
    notebook.metadata["kernelspec"] = kernelspec
    nbformat.write(notebook, lab.folder / "raising_callback.ipynb")
    control = Control("raising_callback.ipynb", panel_with(".widget-label:text-is('raises')"), click_option(-1),
                      (".widget-html",))  # fmt: skip
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        with pytest.raises(AssertionError, match="log console"):
            operate_and_check(page, lab, control)
    finally:
        shut_down_kernels(lab)
        page.close()
