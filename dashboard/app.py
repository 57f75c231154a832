"""The pannes dashboard: `streamlit run dashboard/app.py -- --db PATH` (or `pannes dashboard`).

This script sets the page up, checks there is something to show, and hands over to the page
chosen in the navigation (views/). Pages read the store through dashboard.data and keep
their state (query, filters, page, incident) in the URL.
"""

from __future__ import annotations

import logging
import sqlite3

import streamlit as st
from pannes.dashboard import data
from pannes.dashboard.failures import failure_fr
from pannes.dashboard.render import escape_markdown
from pannes.dashboard.signin_panel import editor_sidebar

from pannes.config import Settings
from pannes.errors import PannesError

log = logging.getLogger(__name__)

st.set_page_config(page_title="pannes — veille des pannes informatiques", page_icon="⚡",
                   layout="wide")

PAGES = [
    st.Page("views/chronologie.py", title="Chronologie", url_path="chronologie",
            icon=":material/timeline:", default=True),
    st.Page("views/fournisseurs.py", title="Fournisseurs", url_path="fournisseurs",
            icon=":material/compare_arrows:"),
    st.Page("views/incident.py", title="Incident", url_path="incident",
            icon=":material/report:"),
    st.Page("views/semaine.py", title="Cette semaine", url_path="semaine",
            icon=":material/view_week:"),
    st.Page("views/collecte.py", title="Collecte", url_path="collecte",
            icon=":material/cloud_download:"),
]
# Pages that have something to say about an empty store.
WORKS_WHEN_EMPTY = {"collecte"}

HOW_TO_FILL = """\
Pour la remplir :

- `pannes demo` lance un site de démonstration local, le collecte, l'analyse et ouvre ce
  tableau de bord ;
- `pannes update` collecte les sources de presse réelles, repère les pannes et les regroupe
  en incidents (ou étape par étape : `pannes crawl`, puis `pannes tag`, puis `pannes group`).

Rechargez ensuite cette page.
"""


def show_how_to_fill(status: str, db_path: str) -> None:
    """The empty state: where we looked and how to put data there."""
    st.title("Aucune panne à afficher pour l'instant")
    if status == "missing":
        st.info(f"Il n'y a pas encore de base de données pannes à l'emplacement "
                f"« {escape_markdown(db_path)} ».\n\n" + HOW_TO_FILL, icon=":material/info:")
    else:
        st.info(f"La base de données « {escape_markdown(db_path)} » ne contient encore aucun "
                "article.\n\n" + HOW_TO_FILL, icon=":material/info:")
    st.caption("Pour ouvrir une autre base : `pannes dashboard --db CHEMIN` "
               "(ou la variable d'environnement PANNES_DB).")


def main() -> None:
    settings = None
    try:
        settings = data.dashboard_settings()
        page = st.navigation(PAGES)
        status = data.store_status(settings)
    except (PannesError, sqlite3.Error) as exc:  # unreadable configuration or database
        st.error("Le tableau de bord ne peut pas démarrer. " + _failure(exc, settings),
                 icon=":material/error:")
        st.stop()
    if status != "ready" and not (status == "empty" and page.url_path in WORKS_WHEN_EMPTY):
        show_how_to_fill(status, str(settings.db_path))
        st.stop()
    try:
        with st.sidebar:
            counts = data.collection_counts(settings, data.version_of(settings))
            st.caption(f"{counts['articles']:,} articles · {counts['outages']:,} pannes · "
                       f"{counts['incidents']:,} incidents".replace(",", "\u202f"))
            editor_sidebar(settings)
        page.run()
    except (PannesError, sqlite3.Error) as exc:  # e.g. Elasticsearch cannot be reached
        st.error("Impossible d'afficher cette page. " + _failure(exc, settings),
                 icon=":material/error:")


def _failure(exc: BaseException, settings: Settings | None) -> str:
    log.warning("dashboard failure: %s", exc)
    db_path = str(settings.db_path) if settings else "?"
    return failure_fr(exc, db_path=db_path,
                      backend=settings.search_backend if settings else "sqlite")

main()
