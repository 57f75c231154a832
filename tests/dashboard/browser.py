"""The browser harness of the dashboard tests: Debian's headless chromium driven by
Playwright, against `streamlit run` started here on loopback.

Screenshots are kept under artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pannes.app.commands.dashboard import free_port, streamlit_command, wait_until_up
from tests.dashboard.conftest import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
WAIT = 90_000  # ms: how long a rerun may take on a busy machine before a step fails

MARKS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at "
                       "/usr/bin/chromium (apt-get install chromium); .ci/run installs it"),
]

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
expect.set_options(timeout=WAIT)


def start_dashboard(db: Path, workdir: Path, *, port: int | None = None, config: str = "",
                    editors: Path | None = None) -> tuple[subprocess.Popen, str]:
    """`streamlit run` on a loopback port, as `pannes dashboard` runs it, from `workdir` (where
    Streamlit looks for .streamlit/secrets.toml); `config` is the pannes configuration's text,
    `editors` the local editors file (by default an absent one: no editor)."""
    port = port or free_port(0)
    config_file = workdir / f"config-{port}.toml"
    config_file.write_text(config, encoding="utf-8")
    env = dict(os.environ, PANNES_DB=str(db), PANNES_CONFIG=str(config_file),
               PANNES_EDITORS_FILE=str(editors or workdir / "no-editors.txt"))
    log = (workdir / f"streamlit-{port}.log").open("w", encoding="utf-8")
    process = subprocess.Popen(streamlit_command(db, port=port), env=env, stdout=log,
                               stderr=subprocess.STDOUT, cwd=workdir)
    url = f"http://127.0.0.1:{port}"
    if not wait_until_up(url, timeout=120, process=process):
        process.kill()
        pytest.fail("the dashboard did not start:\n" + (workdir / log.name).read_text())
    return process, url


@contextmanager
def launch() -> Iterator[object]:
    """Debian's chromium, headless, through Playwright."""
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_tab(browser):
    """A fresh browser session (its own Streamlit session); any JS dialog is recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 2200}, locale="fr-FR",
                                  accept_downloads=True)
    context.set_default_timeout(WAIT)
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    return context, tab


def shoot(page, name: str) -> None:
    """Keep a screenshot once the page is drawn (no lazy element still loading, no rerun)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    expect(page.locator('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]')
           ).to_have_count(0)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def wait_for_app(page, heading: str) -> None:
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=WAIT)


def wait_for_chart(page) -> None:
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=WAIT)
