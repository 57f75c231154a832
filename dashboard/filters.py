"""The shared filters (vendor, impact, cause, source, period, duration) and their URL form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import streamlit as st
from pannes.dashboard import urlstate
from pannes.dashboard.labels import cause_fr, impact_fr

from pannes.records import CAUSE_LABELS, IMPACT_LABELS, SearchFilters

# URL parameter names (French: they are visible in shared links).
VENDOR, IMPACT, CAUSE, SOURCE, DATE_FROM, DATE_TO, DURATION = (
    "fournisseur", "impact", "cause", "source", "du", "au", "duree")
FILTER_KEYS = (VENDOR, IMPACT, CAUSE, SOURCE, DATE_FROM, DATE_TO, DURATION)

# Duration presets: URL value -> (label, min hours, max hours); ranges overlap-match.
DURATIONS: dict[str, tuple[str, float | None, float | None]] = {
    "": ("Toutes les durées", None, None),
    "moins-1h": ("Moins d'une heure", None, 1.0),
    "1h-6h": ("1 à 6 heures", 1.0, 6.0),
    "6h-24h": ("6 à 24 heures", 6.0, 24.0),
    "1j-7j": ("1 à 7 jours", 24.0, 168.0),
    "plus-7j": ("Plus d'une semaine", 168.0, None),
}

MIN_DATE = date(1990, 1, 1)
MAX_DATE = date(2100, 12, 31)


@dataclass(frozen=True)
class Filters:
    """What the sidebar filters ask for."""

    vendors: tuple[str, ...] = ()
    impact: tuple[str, ...] = ()
    cause: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    duration: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_search(self, *, is_outage: bool | None = None) -> SearchFilters:
        _, min_hours, max_hours = DURATIONS.get(self.duration, DURATIONS[""])
        return SearchFilters(
            vendors=list(self.vendors), impact=list(self.impact), cause=list(self.cause),
            sources=list(self.sources), date_from=self.date_from, date_to=self.date_to,
            min_hours=min_hours, max_hours=max_hours, is_outage=is_outage)

    def to_query(self) -> dict[str, urlstate.QueryValue]:
        return {VENDOR: list(self.vendors), IMPACT: list(self.impact), CAUSE: list(self.cause),
                SOURCE: list(self.sources), DATE_FROM: self.date_from, DATE_TO: self.date_to,
                DURATION: self.duration}

    @property
    def active(self) -> bool:
        return bool(self.vendors or self.impact or self.cause or self.sources
                    or self.date_from or self.date_to or self.duration)


def _reset() -> None:
    for key in (VENDOR, IMPACT, CAUSE, SOURCE):
        st.session_state[key] = []
    st.session_state[DATE_FROM] = None
    st.session_state[DATE_TO] = None
    st.session_state[DURATION] = ""


def sidebar_filters(vendor_options: list[str], source_options: list[str], *,
                    period_only: bool = False) -> Filters:
    """Draw the shared filters in the sidebar (state from and to the URL) and read them."""
    urlstate.restore_date(DATE_FROM)
    urlstate.restore_date(DATE_TO)
    with st.sidebar:
        st.header("Filtres")
        st.caption("Période")
        left, right = st.columns(2)
        left.date_input("Du", key=DATE_FROM, min_value=MIN_DATE, max_value=MAX_DATE,
                        format="DD/MM/YYYY")
        right.date_input("Au", key=DATE_TO, min_value=MIN_DATE, max_value=MAX_DATE,
                         format="DD/MM/YYYY")
        if period_only:
            return Filters(date_from=st.session_state[DATE_FROM],
                           date_to=st.session_state[DATE_TO])

        chosen_vendors = urlstate.restore_list(VENDOR)
        st.multiselect("Fournisseur", list(dict.fromkeys([*chosen_vendors, *vendor_options])),
                       key=VENDOR, placeholder="Tous les fournisseurs")
        urlstate.restore_list(IMPACT, allowed=IMPACT_LABELS)
        st.multiselect("Impact", list(IMPACT_LABELS), key=IMPACT, format_func=impact_fr,
                       placeholder="Tous les impacts")
        urlstate.restore_list(CAUSE, allowed=CAUSE_LABELS)
        st.multiselect("Cause", list(CAUSE_LABELS), key=CAUSE, format_func=cause_fr,
                       placeholder="Toutes les causes")
        chosen_sources = urlstate.restore_list(SOURCE)
        st.multiselect("Source", list(dict.fromkeys([*chosen_sources, *source_options])),
                       key=SOURCE, placeholder="Toutes les sources")
        urlstate.restore_choice(DURATION, DURATIONS, "")
        st.selectbox("Durée", list(DURATIONS), key=DURATION,
                     format_func=lambda k: DURATIONS[k][0])
        st.button("Réinitialiser les filtres", on_click=_reset, key="reset_filters")
    return current_filters()


def current_filters() -> Filters:
    """The filters as the sidebar left them in this session."""
    state = st.session_state
    return Filters(
        vendors=tuple(state.get(VENDOR) or ()), impact=tuple(state.get(IMPACT) or ()),
        cause=tuple(state.get(CAUSE) or ()), sources=tuple(state.get(SOURCE) or ()),
        date_from=state.get(DATE_FROM), date_to=state.get(DATE_TO),
        duration=state.get(DURATION) or "")
