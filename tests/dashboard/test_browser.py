"""The dashboard in a real browser: Debian's headless chromium driven by Playwright, against
`streamlit run` started here on a store built from the demo corpus (plus our fixture articles).

Screenshots are kept under artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pannes.dashboard.charts import FR_LOCALE
from pannes.dashboard.export import COLUMNS
from pannes.store import open_store

from pannes.processes import stop_process
from tests.dashboard.browser import (
    MARKS,
    WAIT,
    expect,
    new_tab,
    playwright_api,
    shoot,
    start_dashboard,
    wait_for_app,
    wait_for_chart,
)
from tests.dashboard.conftest import build_dashboard_store

pytestmark = MARKS


DB_OF: dict[str, Path] = {}  # server URL -> its database


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    from tests.conftest import DEMO_CORPUS, load_demo_corpus

    if not DEMO_CORPUS.is_file():
        pytest.skip("the demo corpus is not written yet")
    workdir = tmp_path_factory.mktemp("browser")
    store = open_store(workdir / "demo.db")
    build_dashboard_store(store, load_demo_corpus())
    store.close()
    process, url = start_dashboard(workdir / "demo.db", workdir)
    DB_OF[url] = workdir / "demo.db"
    yield url
    stop_process(process)


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def search(page, text: str) -> None:
    box = page.get_by_label("Rechercher dans les articles et les incidents")
    box.fill(text)
    box.press("Enter")


def choose(page, label: str, option: str) -> None:
    """Pick an option in a sidebar multiselect."""
    widget = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text=label)
    widget.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def result_titles(page) -> list[str]:
    """The titles of the results on screen, once the page shows all of them."""
    caption = page.get_by_text(re.compile(r"articles? — résultats \d+ à \d+"))
    first, last = map(int, re.findall(r"(\d+) à (\d+)", caption.inner_text())[0])
    titles = page.locator("p strong a")
    expect(titles).to_have_count(last - first + 1)
    return titles.all_inner_texts()


def test_search_filter_and_open_an_incident(page, server):
    page.goto(server)
    wait_for_app(page, "Chronologie des pannes")
    wait_for_chart(page)
    shoot(page, "01-chronologie")

    search(page, "Nébulor")
    page.wait_for_url("**q=N%C3%A9bulor**", timeout=WAIT)
    expect(page.get_by_role("link", name="Nébulor explique la panne de son centre de données")
           ).to_be_visible(timeout=WAIT)
    highlight = page.locator("p span").filter(has_text=re.compile(r"^Nébulor$")).first
    expect(highlight).to_be_visible(timeout=WAIT)  # the matched word, highlighted in the snippet
    shoot(page, "02-recherche")

    choose(page, "Cause", "Matériel")
    page.wait_for_url("**cause=hardware**", timeout=WAIT)
    expect(page.get_by_text("2 articles — résultats 1 à 2")).to_be_visible(timeout=WAIT)
    assert query(page)["q"] == ["Nébulor"] and query(page)["cause"] == ["hardware"]
    shoot(page, "03-filtre")

    page.get_by_role("link", name="Voir l'incident").first.click()
    page.wait_for_url("**/incident?id=inc-nebulor-2025-06", timeout=WAIT)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nébulor", timeout=WAIT)
    expect(page.get_by_role("heading", name="Articles (2)")).to_be_visible()
    original = page.get_by_role("link", name="Panne géante chez Nébulor : des milliers de sites "
                                             "hors ligne")
    assert original.get_attribute("href") == "https://lefilinfo.test/2025/06/02/panne-nebulor"
    page.get_by_text("Preuves dans le texte (2 passages)").click()
    expect(page.get_by_text("Une baie de stockage a lâché, entraînant l'arrêt des machines "
                            "virtuelles de ses clients.")).to_be_visible(timeout=WAIT)
    # No editor configured: read-only, and no correction form.
    expect(page.get_by_text("Lecture seule : aucun éditeur n'est configuré")).to_be_visible()
    expect(page.get_by_text("Corriger, fusionner ou scinder cet incident")).to_have_count(0)
    expect(page.get_by_role("button", name="Enregistrer la correction")).to_have_count(0)
    shoot(page, "04-incident")
    assert page.dialogs == []


def test_a_click_on_a_timeline_bar_opens_its_incident(page, server):
    page.goto(server + "/?q=postalis")
    wait_for_app(page, "Chronologie des pannes")
    wait_for_chart(page)
    bar = page.locator(".js-plotly-plot .barlayer .point path").first
    bar.click(force=True)
    page.wait_for_url("**/incident?id=inc-postalis-2025-05", timeout=WAIT)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Postalis", timeout=WAIT)
    shoot(page, "05-clic-chronologie")


def test_a_shared_link_reproduces_the_view(browser, server):
    first, tab = new_tab(browser)
    tab.goto(server)
    wait_for_app(tab, "Chronologie des pannes")
    search(tab, "panne")
    tab.wait_for_url("**q=panne**", timeout=WAIT)
    tab.get_by_role("button", name="Suivante →").click()
    tab.wait_for_url("**page=2**", timeout=WAIT)
    expect(tab.get_by_text("résultats 21 à")).to_be_visible(timeout=WAIT)
    shared, titles = tab.url, result_titles(tab)
    first.close()
    assert titles

    other, tab = new_tab(browser)
    tab.goto(shared)  # someone else opens the link
    wait_for_app(tab, "Chronologie des pannes")
    expect(tab.get_by_text("résultats 21 à")).to_be_visible(timeout=WAIT)
    expect(tab.get_by_label("Rechercher dans les articles et les incidents")).to_have_value("panne")
    assert result_titles(tab) == titles
    shoot(tab, "06-lien-partage")
    tab.goto(server + "/incident?id=inc-scriptix-2025-04")
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Scriptix", timeout=WAIT)
    other.close()


def test_filters_survive_a_visit_to_another_page(page, server):
    page.goto(server)
    wait_for_app(page, "Chronologie des pannes")
    search(page, "messagerie")
    page.wait_for_url("**q=messagerie**")
    choose(page, "Cause", "Bogue logiciel")
    page.wait_for_url("**cause=software_bug**")
    page.get_by_role("link", name="Cette semaine").click()
    wait_for_app(page, "Cette semaine")
    page.get_by_role("link", name="Chronologie", exact=True).click()
    wait_for_app(page, "Chronologie des pannes")
    expect(page.get_by_label("Rechercher dans les articles et les incidents")
           ).to_have_value("messagerie")
    page.wait_for_url("**cause=software_bug**")
    assert query(page)["q"] == ["messagerie"]


def test_a_script_title_is_shown_inert(page, server):
    page.goto(server + "/?q=scriptix")
    wait_for_app(page, "Chronologie des pannes")
    wait_for_chart(page)
    literal = ("<script>alert('titre')</script> Panne chez Scriptix **gras** "
               "[lien](javascript:alert(1))")
    expect(page.get_by_text(literal, exact=True)).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("<img src=x onerror=alert('texte')>", exact=False).first
           ).to_be_visible()
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("script:has-text(\"alert('titre')\")").count() == 0
    assert page.locator("img[src='x']").count() == 0
    page.locator(".js-plotly-plot .barlayer .point path").first.hover(force=True)
    shoot(page, "07-titre-script-inerte")

    page.get_by_role("link", name="Voir l'incident").first.click()
    page.wait_for_url("**/incident?id=inc-scriptix-2025-04", timeout=WAIT)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "<script>alert('titre')</script> Panne chez Scriptix **gras** [lien](javascript:alert(1))",
        timeout=WAIT)
    expect(page.get_by_text("adresse non cliquable", exact=False)).to_be_visible()
    assert page.locator("a[href^='javascript']").count() == 0
    shoot(page, "08-incident-script-inerte")
    assert page.dialogs == []
    assert page.evaluate("() => typeof window.alert") == "function"


def download(page, label: str) -> tuple[str, str]:
    """Click a download button and read the file. A click landing while the previous
    download's rerun redraws the button is lost, so it is tried again."""
    for attempt in range(3):
        page.wait_for_load_state("networkidle")
        try:
            with page.expect_download(timeout=WAIT // 3) as event:
                page.get_by_role("button", name=label).click()
        except playwright_api.TimeoutError:
            if attempt == 2:
                raise
            continue
        return event.value.suggested_filename, Path(event.value.path()).read_text("utf-8")
    raise AssertionError("unreachable")


def test_results_export_as_csv_and_json(page, server):
    page.goto(server + "/?q=nebulor&cause=hardware")
    wait_for_app(page, "Chronologie des pannes")
    expect(page.get_by_text("2 articles — résultats 1 à 2")).to_be_visible(timeout=WAIT)
    files = {label: download(page, label) for label in ("Exporter en CSV", "Exporter en JSON")}
    (csv_name, csv_text), (json_name, json_text) = files.values()
    assert (csv_name, json_name) == ("pannes-resultats.csv", "pannes-resultats.json")
    reader = csv.DictReader(io.StringIO(csv_text))
    assert tuple(reader.fieldnames) == COLUMNS
    rows = sorted(reader, key=lambda r: r["date"])
    records = sorted(json.loads(json_text), key=lambda r: r["date"])
    store = open_store(DB_OF[server])
    expected = []
    for url in ("https://lefilinfo.test/2025/06/02/panne-nebulor",
                "https://octets-hebdo.test/nebulor-explique-sa-panne"):
        article = store.find_article(url)
        expected.append({"type": "article", "id": str(article.id), "titre": article.title,
                         "source": article.source, "date": article.published.isoformat(),
                         "url": url, "cause": "hardware",
                         "incident": store.incident_of_article(article.id)})
    store.close()
    for row, record, want in zip(rows, records, expected, strict=True):
        assert {k: row[k] for k in want} == want
        assert {k: record[k] for k in want} == want
        assert row["fournisseurs"] == "Nébulor" and record["fournisseurs"] == ["Nébulor"]
    # CSV writes whole hours as `pannes export` does ("8"); JSON keeps the number.
    assert rows[0]["duree_heures_min"] == "8" and records[0]["duree_heures_min"] == 8.0
    assert {r["incident"] for r in rows} == {"inc-nebulor-2025-06"}


def test_other_pages_render(page, server):
    for path, heading, last, name in [
            ("/fournisseurs", "Fournisseurs", "Classement de tous les fournisseurs",
             "09-fournisseurs"),
            ("/semaine?jour=2025-06-04", "Cette semaine", "Voir l'incident", "10-cette-semaine"),
            ("/collecte", "Collecte", "Aucune collecte enregistrée dans cette base.",
             "11-collecte")]:
        page.goto(server + path)
        wait_for_app(page, heading)
        expect(page.get_by_text(last).first).to_be_visible()
        shoot(page, name)
    assert page.dialogs == []


def test_an_empty_store_shows_how_to_fill_it(page, tmp_path):
    process, url = start_dashboard(tmp_path / "absent.db", tmp_path)
    try:
        page.goto(url)
        wait_for_app(page, "Aucune panne à afficher pour l'instant")
        expect(page.get_by_text("pannes demo").first).to_be_visible(timeout=WAIT)
        shoot(page, "00-base-vide")
    finally:
        stop_process(process)


def test_chart_tools_are_labelled_in_french(page, server):
    page.goto(server)
    wait_for_app(page, "Chronologie des pannes")
    wait_for_chart(page)
    modebar = page.locator(".js-plotly-plot .modebar-btn")
    expect(modebar.first).to_be_attached(timeout=WAIT)
    titles = set(modebar.evaluate_all("buttons => buttons.map(b => b.getAttribute('data-title'))"))
    assert {"Zoom avant", "Zoom arrière", "Réinitialiser les axes",
            "Télécharger le graphique (PNG)"} <= titles, titles
    # Streamlit's own button is not plotly's to translate; every plotly tool is French.
    assert titles - {"Fullscreen"} <= set(FR_LOCALE["dictionary"].values()), titles
