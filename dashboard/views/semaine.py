"""Cette semaine: the incidents of the last seven days, for the morning editorial meeting."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st
from pannes.dashboard import data, urlstate
from pannes.dashboard.data import ActiveIncident
from pannes.dashboard.filters import MAX_DATE, MIN_DATE
from pannes.dashboard.labels import cause_fr, date_fr, duration_fr, impact_fr, plural_fr
from pannes.dashboard.links import incident_link
from pannes.dashboard.render import escape_markdown

from pannes.records import Incident

DAYS = 7
RECENT_WHEN_EMPTY = 10
LIMIT = 200
REFERENCE_DAY = "jour"


def _activity(active: ActiveIncident) -> str:
    """Why an incident is in this week's list."""
    parts = []
    if active.started:
        parts.append("commencé cette semaine")
    if active.reported and not (active.started and active.reported == active.incident.start):
        parts.append(f"article publié le {date_fr(active.reported)}")
    if active.ongoing:
        parts.append("toujours en cours")
    return "Cette semaine : " + ", ".join(parts) if parts else ""


def _show_incident(incident: Incident, activity: str = "") -> None:
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(incident.title)}**")
        if activity:
            st.markdown(f":blue-badge[{escape_markdown(activity)}]")
        when = date_fr(incident.start)
        if incident.end and incident.end != incident.start:
            when += f" → {date_fr(incident.end)}"
        parts = [when]
        if incident.vendors:
            parts.append("Fournisseur : " + escape_markdown(", ".join(incident.vendors)))
        if incident.impact:
            parts.append("Impact : " + escape_markdown(
                ", ".join(impact_fr(i) for i in incident.impact)))
        if incident.cause:
            parts.append("Cause : " + escape_markdown(cause_fr(incident.cause)))
        duration = duration_fr(incident.duration.hours_min, incident.duration.hours_max,
                               incident.duration.ongoing)
        parts.append("Durée : " + escape_markdown(duration))
        parts.append(plural_fr(len(incident.article_ids), "article"))
        st.caption(" · ".join(parts))
        incident_link(incident.id)


def render() -> None:
    settings = data.dashboard_settings()
    version = data.version_of(settings)
    urlstate.restore_date(REFERENCE_DAY)
    st.title("Cette semaine")
    st.date_input("Semaine se terminant le", key=REFERENCE_DAY, min_value=MIN_DATE,
                  max_value=MAX_DATE, format="DD/MM/YYYY",
                  help="Laissez vide pour la semaine qui se termine aujourd'hui.")
    reference = st.session_state[REFERENCE_DAY] or date.today()
    since = reference - timedelta(days=DAYS - 1)
    st.caption(f"Incidents actifs du {date_fr(since)} au {date_fr(reference)} : commencés, "
               "signalés par un article ou toujours en cours ; les plus récents d'abord.")
    active = data.active_incidents(settings, version, since, reference, LIMIT)
    if active:
        st.markdown(f"**{plural_fr(len(active), 'incident')}** ces {DAYS} derniers jours.")
        for item in active:
            _show_incident(item.incident, _activity(item))
    else:
        st.info(f"Aucun incident n'a commencé, n'a été signalé ni n'était en cours ces {DAYS} "
                "derniers jours. Voici les plus récents connus.")
        latest = data.recent_incidents(settings, version, None, reference, RECENT_WHEN_EMPTY)
        if not latest:
            st.caption("Aucun incident n'a encore été regroupé : lancez `pannes group` "
                       "(ou `pannes update`).")
        for incident in latest:
            _show_incident(incident)
    urlstate.publish({REFERENCE_DAY: st.session_state.get(REFERENCE_DAY)})


render()
