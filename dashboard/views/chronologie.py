"""Chronologie: search and filter, incidents on a timeline, matching articles below."""

from __future__ import annotations

import math

import streamlit as st
from pannes.dashboard import data, urlstate
from pannes.dashboard.charts import OPEN_WINDOW, PLOTLY_CONFIG, timeline_figure
from pannes.dashboard.data import DataVersion
from pannes.dashboard.export import to_csv, to_json
from pannes.dashboard.filters import sidebar_filters
from pannes.dashboard.labels import cause_fr, date_fr, duration_fr, impact_fr, plural_fr
from pannes.dashboard.links import incident_link, open_incident
from pannes.dashboard.render import escape_markdown, markdown_link, segments_markdown

from pannes.config import Settings
from pannes.records import SearchHit, SearchQuery

PER_PAGE = 20
TIMELINE_LIMIT = 300
EXPORT_LIMIT = 5000
QUERY, PAGE, SORT, ALL_ARTICLES = "q", "page", "tri", "tout"
SORTS = {"pertinence": ("Pertinence", "relevance"), "recent": ("Plus récents", "date"),
         "ancien": ("Plus anciens", "date_asc")}
TIMELINE_KEY = "timeline"


def _on_timeline_select() -> None:
    """Remember the incident clicked on the timeline; the script then opens it."""
    event = st.session_state.get(TIMELINE_KEY) or {}
    points = (event.get("selection") or {}).get("points") or []
    for point in points:
        custom = point.get("customdata")
        if custom:
            st.session_state["_open_incident"] = custom[0] if isinstance(custom, list) else custom
            return


def _step_page(delta: int, pages: int) -> None:
    st.session_state[PAGE] = min(max(1, int(st.session_state.get(PAGE, 1)) + delta), pages)


def _hit_caption(hit: SearchHit) -> str:
    parts = [escape_markdown(hit.source or "source inconnue"), date_fr(hit.published)]
    if hit.vendors:
        parts.append("Fournisseur : " + escape_markdown(", ".join(hit.vendors)))
    if hit.impact:
        parts.append("Impact : " + escape_markdown(", ".join(impact_fr(i) for i in hit.impact)))
    if hit.cause:
        parts.append("Cause : " + escape_markdown(cause_fr(hit.cause)))
    if hit.hours_min is not None or hit.hours_max is not None:
        parts.append("Durée : " + escape_markdown(duration_fr(hit.hours_min, hit.hours_max)))
    return " · ".join(parts)


def _show_hit(hit: SearchHit) -> None:
    with st.container(border=True):
        st.markdown(f"**{markdown_link(hit.title, hit.url)}**")
        st.caption(_hit_caption(hit))
        if hit.snippet.segments:
            st.markdown(segments_markdown(hit.snippet.segments))
        if hit.incident_id:
            incident_link(hit.incident_id)


def _timeline(settings: Settings, version: DataVersion, query: SearchQuery,
              period: bool) -> None:
    """The incidents on a timeline: on the last 12 months of data, or on the whole period
    when the filters choose one."""
    incidents = data.search_all(settings, version, query, TIMELINE_LIMIT)
    st.subheader("Chronologie des incidents")
    if not incidents.total:
        st.info("Aucun incident ne correspond à cette recherche et à ces filtres.")
        return
    figure = timeline_figure(incidents.hits, window=None if period else OPEN_WINDOW)
    shown = len(incidents.hits)
    note = plural_fr(incidents.total, "incident")
    if incidents.total > shown:
        note += f" ; les {shown} plus récents sont affichés, affinez les filtres pour voir les autres"
    note += "."
    if figure is not None and figure.layout.xaxis.rangeslider.autorange:
        note += (" La chronologie s'ouvre sur les 12 derniers mois de données : le curseur "
                 "sous le graphique remonte plus loin.")
    st.caption(note + " Faites glisser pour zoomer, double-cliquez pour revenir ; "
               "cliquez sur une barre ou un losange pour ouvrir l'incident.")
    if figure is not None:
        st.plotly_chart(figure, key=TIMELINE_KEY, on_select=_on_timeline_select,
                        selection_mode="points", width="stretch",
                        config=PLOTLY_CONFIG)
    else:
        st.caption("Aucun de ces incidents n'a de date de début connue.")
    with st.expander("Liste des incidents de la chronologie"):
        for hit in incidents.hits:
            label = f"{date_fr(hit.start)} — {hit.title}"
            incident_link(hit.id, label, icon=None)


def _results(settings: Settings, version: DataVersion, query: SearchQuery) -> None:
    result = data.search(settings, version, query)
    pages = max(1, math.ceil(result.total / PER_PAGE))
    if result.message:
        st.info(escape_markdown(result.message))
    st.subheader("Articles")
    if not result.total:
        st.info("Aucun article ne correspond. Essayez moins de mots ou retirez des filtres.")
        return
    first = (query.page - 1) * PER_PAGE + 1
    last = first + len(result.hits) - 1
    left, mid, right = st.columns([3, 1, 1])
    left.caption(f"{plural_fr(result.total, 'article')} — résultats {first} à {last}")

    def export(fmt: str):
        def build() -> str:
            hits = data.search_all(settings, version, query, EXPORT_LIMIT).hits
            return to_csv(hits) if fmt == "csv" else to_json(hits)
        return build

    mid.download_button("Exporter en CSV", data=export("csv"), file_name="pannes-resultats.csv",
                        mime="text/csv", key="export_csv", icon=":material/download:",
                        on_click="ignore")  # exporting does not redraw the page
    right.download_button("Exporter en JSON", data=export("json"),
                          file_name="pannes-resultats.json", mime="application/json",
                          key="export_json", icon=":material/download:", on_click="ignore")
    for hit in result.hits:
        _show_hit(hit)
    previous, position, following = st.columns([1, 2, 1])
    previous.button("← Précédente", key="page_prev", disabled=query.page <= 1,
                    on_click=_step_page, args=(-1, pages))
    position.number_input(f"Page (sur {pages})", min_value=1, max_value=pages, step=1,
                          key=PAGE)
    following.button("Suivante →", key="page_next", disabled=query.page >= pages,
                     on_click=_step_page, args=(1, pages))


def render() -> None:
    if "_open_incident" in st.session_state:
        open_incident(st.session_state.pop("_open_incident"))
    settings = data.dashboard_settings()
    version = data.version_of(settings)
    # Every vendor with an incident (a search facet would stop at the 50 most frequent).
    vendors = [v for v, _ in data.vendors_with_incidents(settings, version)]
    sources = [row["source"] for row in data.source_counts(settings, version)]
    filters = sidebar_filters(vendors, sources)

    st.title("Chronologie des pannes")
    urlstate.restore_text(QUERY)
    urlstate.restore_choice(SORT, SORTS, "pertinence")
    urlstate.restore_bool(ALL_ARTICLES)
    search_col, sort_col = st.columns([4, 1])
    text = search_col.text_input("Rechercher dans les articles et les incidents", key=QUERY,
                                 placeholder="ex. panne messagerie, « centre de données », OVH")
    sort_col.selectbox("Tri", list(SORTS), key=SORT, format_func=lambda k: SORTS[k][0])
    all_articles = st.toggle("Inclure les articles qui ne relatent pas une panne",
                             key=ALL_ARTICLES)
    sort_key = st.session_state[SORT]

    # A new search or new filters start again from the first page.
    signature = (text, filters, sort_key, all_articles)
    if st.session_state.get("_chrono_signature", signature) != signature:
        st.session_state[PAGE] = 1
    st.session_state["_chrono_signature"] = signature
    page = urlstate.restore_int(PAGE, 1)

    incidents_query = SearchQuery(text=text, filters=filters.to_search(), kind="incidents",
                                  sort="date")
    _timeline(settings, version, incidents_query,
              period=bool(filters.date_from or filters.date_to))

    articles_query = SearchQuery(
        text=text, filters=filters.to_search(is_outage=None if all_articles else True),
        kind="articles", sort=SORTS[sort_key][1], page=page, per_page=PER_PAGE)
    total = data.search(settings, version, articles_query).total
    pages = max(1, math.ceil(total / PER_PAGE))
    if page > pages:  # a shared link to a page that no longer exists
        st.session_state[PAGE] = page = pages
        articles_query.page = page
    _results(settings, version, articles_query)

    urlstate.publish({QUERY: text.strip(), **filters.to_query(),
                      SORT: sort_key if sort_key != "pertinence" else None,
                      ALL_ARTICLES: "1" if all_articles else None,
                      PAGE: page if page > 1 else None})


render()
