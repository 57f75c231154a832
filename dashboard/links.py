"""Links between pages (an incident's page) and to the original articles."""

from __future__ import annotations

from typing import Any

import streamlit as st
from pannes.dashboard.render import escape_markdown

INCIDENT_PAGE = "views/incident.py"
CHRONOLOGY_PAGE = "views/chronologie.py"
INCIDENT_PARAM = "id"


def incident_link(incident_id: str, label: str = "Voir l'incident", *,
                  where: Any = None, icon: str | None = ":material/arrow_forward:") -> None:
    """A link to an incident's page; the label is escaped (it may be a title from the web)."""
    (where or st).page_link(INCIDENT_PAGE, label=escape_markdown(label), icon=icon,
                            query_params={INCIDENT_PARAM: incident_id})


def open_incident(incident_id: str) -> None:
    """Go to an incident's page now (e.g. after a click on the timeline)."""
    st.switch_page(INCIDENT_PAGE, query_params={INCIDENT_PARAM: incident_id})
