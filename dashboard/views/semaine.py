"""Cette semaine: the incidents of the last seven days, for the morning editorial meeting."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from dashboard import data, urlstate
from dashboard.labels import cause_fr, date_fr, duration_fr, impact_fr, plural_fr
from dashboard.links import incident_link
from dashboard.render import escape_markdown
from pannes.records import Incident

DAYS = 7
RECENT_WHEN_EMPTY = 10
LIMIT = 200
REFERENCE_DAY = "jour"


def _show_incident(incident: Incident) -> None:
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(incident.title)}**")
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
    reference = urlstate.restore_date(REFERENCE_DAY) or date.today()
    since = reference - timedelta(days=DAYS - 1)

    st.title("Cette semaine")
    st.caption(f"Incidents commencés du {date_fr(since)} au {date_fr(reference)}, "
               "les plus récents d'abord.")
    incidents = data.recent_incidents(settings, version, since, reference, LIMIT)
    if incidents:
        st.markdown(f"**{plural_fr(len(incidents), 'incident')}** ces {DAYS} derniers jours.")
        for incident in incidents:
            _show_incident(incident)
    else:
        st.info(f"Aucun incident n'a commencé ces {DAYS} derniers jours. "
                "Voici les plus récents connus.")
        latest = data.recent_incidents(settings, version, None, reference, RECENT_WHEN_EMPTY)
        if not latest:
            st.caption("Aucun incident n'a encore été regroupé : lancez `pannes group` "
                       "(ou `pannes update`).")
        for incident in latest:
            _show_incident(incident)
    urlstate.publish({REFERENCE_DAY: st.session_state.get(REFERENCE_DAY)})


render()
