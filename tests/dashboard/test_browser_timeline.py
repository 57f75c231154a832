"""The Chronologie timeline as chromium draws it: it opens on the last 12 months of data, and
an incident of a few hours is a mark a reader can see and click, not a one-pixel sliver."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pannes.store import open_store

from pannes.processes import stop_process
from pannes.records import Article, Duration, Incident
from tests.dashboard.browser import (
    MARKS,
    WAIT,
    shoot,
    start_dashboard,
    wait_for_app,
    wait_for_chart,
)

pytestmark = MARKS

# Courrielix's mail outages over three years; the 2025 ones lasted a few hours, one day each.
OUTAGES = {"inc-2022": date(2022, 9, 12), "inc-2024": date(2024, 1, 15),
           "inc-2025-04": date(2025, 4, 7), "inc-2025-08": date(2025, 8, 18),
           "inc-2025-10": date(2025, 10, 20)}
IN_THE_LAST_YEAR = {"inc-2025-04", "inc-2025-08", "inc-2025-10"}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("timeline")
    store = open_store(workdir / "timeline.db")
    for incident_id, start in OUTAGES.items():
        title = f"Messagerie Courrielix coupée quelques heures le {start:%d/%m/%Y}"
        article = store.upsert_article(Article(
            url=f"https://lefilinfo.test/{incident_id}", source="lefilinfo", title=title,
            text="La messagerie de Courrielix a été coupée trois heures.", published=start))
        store.save_incident(Incident(
            id=incident_id, title=title, vendors=["Courrielix"], impact=["email_messaging"],
            start=start, end=start, duration=Duration(["trois heures"], 3.0, 3.0, False),
            article_ids=[article.article_id]))
    store.close()
    process, url = start_dashboard(workdir / "timeline.db", workdir)
    yield url
    stop_process(process)


# Each drawn bar and mark of the main plot (not the range slider's copy), with its box on
# screen and its incident, and the plot area's box.
DRAWN = """gd => {
  const main = gd.querySelector('.cartesianlayer .subplot.xy');
  const area = gd.querySelector('.draglayer .xy .nsewdrag').getBoundingClientRect();
  const shapes = (selector) => [...main.querySelectorAll(selector)].map(node => {
    const box = node.getBoundingClientRect();
    return {id: node.__data__.data ? node.__data__.data[0] : null, left: box.left,
            right: box.right, width: box.width, height: box.height};
  });
  return {area: {left: area.left, right: area.right},
          bars: shapes('.barlayer .point path'), marks: shapes('.scatterlayer .point'),
          ticks: [...main.parentNode.querySelectorAll('.xtick text')].map(t => t.textContent)};
}"""


def test_the_timeline_opens_on_the_last_year_and_short_outages_are_visible(page, server):
    page.goto(server)
    wait_for_app(page, "Chronologie des pannes")
    wait_for_chart(page)
    page.locator(".js-plotly-plot .scatterlayer .point").first.wait_for(timeout=WAIT)
    drawn = page.locator(".js-plotly-plot").first.evaluate(DRAWN)
    left, right = drawn["area"]["left"], drawn["area"]["right"]

    def shown(shape) -> bool:
        return left <= (shape["left"] + shape["right"]) / 2 <= right

    # Opens on the last 12 months: the 2025 outages are on screen, the older ones are not,
    # and the axis reads months from late 2024 to late 2025.
    assert {m["id"] for m in drawn["marks"] if shown(m)} == IN_THE_LAST_YEAR
    assert len([m for m in drawn["marks"] if not shown(m)]) == 2
    months = [tuple(map(int, tick.split("/")))[::-1] for tick in drawn["ticks"]]
    assert months and (2024, 10) <= min(months) and max(months) <= (2025, 11), drawn["ticks"]
    # A day's bar on a year's axis is a sliver; the mark at its start is not.
    assert len([b for b in drawn["bars"] if shown(b)]) == 3
    assert all(b["width"] < 4 for b in drawn["bars"]), drawn["bars"]
    assert all(m["width"] >= 8 and m["height"] >= 8 for m in drawn["marks"]), drawn["marks"]
    shoot(page, "20-chronologie-12-mois")

    # The mark of a three-hour outage opens it.
    [mark] = [m for m in drawn["marks"] if m["id"] == "inc-2025-08"]
    box = page.locator(".js-plotly-plot .scatterlayer .point").nth(
        drawn["marks"].index(mark)).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/incident?id=inc-2025-08", timeout=WAIT)
    wait_for_app(page, "Messagerie Courrielix coupée quelques heures le 18/08/2025")
