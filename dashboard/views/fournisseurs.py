"""Fournisseurs: compare 2 to 5 vendors, and rank every vendor over the chosen period."""

from __future__ import annotations

from collections import defaultdict

import streamlit as st
from pannes.dashboard import data, urlstate
from pannes.dashboard.charts import PLOTLY_CONFIG, causes_figure, periods_figure, vendor_bars_figure
from pannes.dashboard.data import DataVersion
from pannes.dashboard.filters import Filters, sidebar_filters
from pannes.dashboard.labels import cause_fr, date_fr, hours_fr, impact_fr, plural_fr
from pannes.dashboard.links import incident_link
from pannes.dashboard.render import escape_markdown
from pannes.incidents.reliability import VendorReliability

from pannes.config import Settings

COMPARE, STEP, GROUP = "comparer", "pas", "groupe"
STEPS = {"mois": "Par mois", "annee": "Par année"}
MAX_VENDORS = 5
RANKING_ROWS = 500
UNKNOWN_NOTE = ("La durée d'un incident est le milieu de la fourchette annoncée. Les incidents "
                "de durée inconnue comptent dans le nombre d'incidents, pas dans les durées "
                "totale, médiane ou maximale.")


def _members(groups: dict[str, str], vendors: list[str]) -> dict[str, list[str]]:
    """Each group's brands among `vendors` (the group itself included when it is one)."""
    members: dict[str, list[str]] = defaultdict(list)
    for vendor in vendors:
        members[groups.get(vendor, vendor)].append(vendor)
    return members


def _per_period(settings: Settings, version: DataVersion, vendors: dict[str, list[str]],
                filters: Filters, yearly: bool) -> dict[str, list[tuple[str, int]]]:
    """Incidents per month or year of each vendor (or group: of any of its brands)."""
    series: dict[str, list[tuple[str, int]]] = {}
    for vendor, names in vendors.items():
        months = data.incidents_per_month(settings, version, tuple(names), filters.date_from,
                                          filters.date_to)
        if yearly:
            years: dict[str, int] = defaultdict(int)
            for month, n in months:
                years[month[:4]] += n
            series[vendor] = sorted(years.items())
        else:
            series[vendor] = months
    periods = sorted({p for points in series.values() for p, _ in points})
    return {v: [(p, dict(points).get(p, 0)) for p in periods] for v, points in series.items()}


def _comparison_table(stats: list[VendorReliability]) -> list[dict[str, str]]:
    rows = [
        ("Incidents", [str(s.incidents) for s in stats]),
        ("Durée connue pour", [f"{s.with_duration} ({s.unknown_duration} inconnue(s))"
                               for s in stats]),
        ("Durée totale", [hours_fr(s.total_hours) for s in stats]),
        ("Durée médiane", [hours_fr(s.median_hours) for s in stats]),
        ("Plus long incident", [hours_fr(s.longest_hours) for s in stats]),
        ("Perte ou fuite de données", [f"{s.data_loss_or_breach} "
                                       f"({s.share_data_loss_or_breach:.0%})" for s in stats]),
        ("Premier incident", [date_fr(s.first_start) for s in stats]),
        ("Dernier incident", [date_fr(s.last_start) for s in stats]),
        ("Impacts les plus fréquents", [", ".join(f"{impact_fr(k)} ({n})"
                                                  for k, n in s.by_impact[:3]) or "—"
                                        for s in stats]),
        ("Causes", [", ".join(f"{cause_fr(k)} ({n})" for k, n in s.by_cause[:3]) or "—"
                    for s in stats]),
    ]
    return [{"": label, **{s.vendor: values[i] for i, s in enumerate(stats)}}
            for label, values in rows]


def _ranking(stats: list[VendorReliability]) -> list[dict[str, object]]:
    return [{
        "Rang": rank,
        "Fournisseur": s.vendor,
        "Incidents": s.incidents,
        "Durée totale (h)": round(s.total_hours, 1) if s.total_hours is not None else None,
        "Durée médiane (h)": round(s.median_hours, 1) if s.median_hours is not None else None,
        "Plus long (h)": round(s.longest_hours, 1) if s.longest_hours is not None else None,
        "Durée inconnue": s.unknown_duration,
        "Perte ou fuite de données": s.data_loss_or_breach,
        "Dernier incident": s.last_start,
    } for rank, s in enumerate(stats, start=1)]


def _regroup_choice(groups: dict[str, str], vendors: list[str]) -> None:
    """When the toggle flips, the chosen vendors become their groups, or the chosen groups
    their brands (those of `vendors`, the vendors with incidents)."""
    chosen = st.session_state.get(COMPARE) or []
    if st.session_state[GROUP]:
        st.session_state[COMPARE] = list(dict.fromkeys(groups.get(v, v) for v in chosen))
    else:
        members = _members(groups, vendors)
        st.session_state[COMPARE] = list(dict.fromkeys(
            v for g in chosen for v in members.get(g, [g])))[:MAX_VENDORS]


def render() -> None:
    settings = data.dashboard_settings()
    version = data.version_of(settings)
    filters = sidebar_filters([], [], period_only=True)
    st.title("Fournisseurs")
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        st.warning("La période est vide : la date de début est après la date de fin.")
        st.stop()
    vendors = data.vendors_with_incidents(settings, version)
    if not vendors:
        st.info("Aucun incident n'a encore été regroupé : lancez `pannes group` "
                "(ou `pannes update`) pour comparer les fournisseurs.")
        st.stop()
    groups = data.vendor_groups(settings, version)
    urlstate.restore_bool(GROUP)
    if not groups:
        st.session_state[GROUP] = False
    by_group = st.toggle(
        "Regrouper les marques par groupe", key=GROUP, disabled=not groups,
        on_change=_regroup_choice, args=(groups, [v for v, _ in vendors]),
        help="Compte les incidents d'une marque avec ceux de sa maison mère (Instagram avec "
             "Meta) ; un incident qui nomme deux marques d'un groupe compte une fois."
             if groups else "Aucun groupe connu : relancez `pannes tag` pour les enregistrer.")
    known = data.vendors_with_incidents(settings, version, by_group) if by_group else vendors
    members = _members(groups if by_group else {}, [v for v, _ in vendors])
    names = [v for v, _ in known]
    counts = dict(known)
    chosen = urlstate.restore_list(COMPARE, allowed=names)
    if not chosen and not st.query_params and not urlstate.was_kept(COMPARE):
        st.session_state[COMPARE] = names[:3]  # a first look: the vendors with most incidents
    urlstate.restore_choice(STEP, STEPS, "mois")

    chosen_col, step_col = st.columns([4, 1])
    chosen = chosen_col.multiselect(
        "Fournisseurs à comparer (de 2 à 5)", names, key=COMPARE, max_selections=MAX_VENDORS,
        format_func=lambda v: f"{v} ({counts.get(v, 0)})", placeholder="Choisir des fournisseurs")
    step = step_col.radio("Regroupement", list(STEPS), key=STEP, format_func=STEPS.get,
                          horizontal=True)
    period = ""
    if filters.date_from or filters.date_to:
        period = f" du {date_fr(filters.date_from)} au {date_fr(filters.date_to)}"

    if len(chosen) < 2:
        st.info("Choisissez au moins deux fournisseurs pour les comparer.")
    else:
        found = {s.vendor: s for s in data.reliability(settings, version, tuple(chosen),
                                                       filters.date_from, filters.date_to,
                                                       by_group)}
        # A chosen vendor without incidents in the period still has its column (zero).
        stats = [found.get(v) or VendorReliability(v, 0, 0, 0, None, None, None, None, 0, 0.0)
                 for v in chosen]
        st.subheader("Comparaison" + period)
        st.dataframe(_comparison_table(stats), hide_index=True, width="stretch")
        st.caption(UNKNOWN_NOTE)
        rolled = [escape_markdown(g) + " regroupe "
                  + ", ".join(escape_markdown(m) for m in sorted(members[g]))
                  for g in chosen if members.get(g, [g]) != [g]]
        if rolled:
            st.caption(" ; ".join(rolled) + ".")
        series = _per_period(settings, version, {v: members.get(v, [v]) for v in chosen},
                             filters, yearly=step == "annee")
        st.markdown("**Incidents " + ("par année" if step == "annee" else "par mois") + "**")
        st.plotly_chart(periods_figure(series, yearly=step == "annee"), width="stretch",
                        config=PLOTLY_CONFIG)
        left, right = st.columns(2)
        left.plotly_chart(vendor_bars_figure({s.vendor: s.total_hours for s in stats},
                                             title="Durée totale d'indisponibilité",
                                             unit="heures"),
                          width="stretch", config=PLOTLY_CONFIG)
        right.plotly_chart(vendor_bars_figure({s.vendor: s.median_hours for s in stats},
                                              title="Durée médiane d'un incident",
                                              unit="heures"),
                           width="stretch", config=PLOTLY_CONFIG)
        st.markdown("**Causes des incidents**")
        st.plotly_chart(causes_figure({s.vendor: s.by_cause for s in stats}), width="stretch",
                        config=PLOTLY_CONFIG)
        longest = [s for s in stats if s.longest_incident]
        if longest:
            st.markdown("**Plus longs incidents**")
            for s in longest:
                incident_link(s.longest_incident,
                              f"{s.vendor} : {hours_fr(s.longest_hours)}", icon=None)

    st.subheader("Classement de tous les fournisseurs" + period)
    ranking = data.vendor_ranking(settings, version, filters.date_from, filters.date_to,
                                  by_group)
    if not ranking:
        st.info("Aucun incident sur cette période.")
    else:
        st.caption(plural_fr(len(ranking), "fournisseur")
                   + (" (les marques comptées avec leur groupe)" if by_group else "")
                   + ", par nombre d'incidents.")
        st.dataframe(_ranking(ranking[:RANKING_ROWS]), hide_index=True, width="stretch",
                     column_config={"Dernier incident": st.column_config.DateColumn(
                         format="DD/MM/YYYY")})
    urlstate.publish({COMPARE: list(chosen), STEP: step if step != "mois" else None,
                      GROUP: "1" if by_group else None,
                      **{k: v for k, v in filters.to_query().items() if k in ("du", "au")}})


render()
