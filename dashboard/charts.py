"""Plotly figures of the dashboard; every label from the web is escaped for plotly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta

import plotly.graph_objects as go
from pannes.dashboard.labels import (
    cause_fr,
    date_fr,
    duration_fr,
    impact_fr,
    month_fr,
)
from pannes.dashboard.render import plotly_text
from plotly.colors import qualitative

from pannes.french import MONTHS, MONTHS_SHORT, WEEKDAYS
from pannes.records import CAUSE_LABELS, IMPACT_LABELS, SearchHit

NO_IMPACT = "non précisé"
SUNDAY_FIRST = (WEEKDAYS[-1], *WEEKDAYS[:-1])  # plotly's weeks start on Sunday
MIN_SPAN_DAYS = 21
# The timeline opens on the last twelve months of its data (the range slider shows the rest).
OPEN_WINDOW = timedelta(days=365)
OPEN_PAD = timedelta(days=10)  # room after the latest incident's mark
# Each incident also has a mark at its start, a few pixels wide at any zoom: on a year's
# axis, a bar of a few hours (drawn as its day) would be a sliver of one or two pixels.
MARK_SIZE = 11
_PALETTE = qualitative.Safe + qualitative.Vivid
IMPACT_COLOURS = {label: _PALETTE[i % len(_PALETTE)] for i, label in enumerate(IMPACT_LABELS)}
IMPACT_COLOURS[NO_IMPACT] = "#9e9e9e"
CAUSE_COLOURS = {label: _PALETTE[i % len(_PALETTE)] for i, label in enumerate(CAUSE_LABELS)}
_FONT = dict(family="Source Sans Pro, sans-serif")
# Numeric date ticks at every zoom level (plotly's month names would be English).
DATE_TICKS = [
    dict(dtickrange=[None, 86_400_000], value="%d/%m/%Y %H h"),
    dict(dtickrange=[86_400_000, 28 * 86_400_000], value="%d/%m/%Y"),
    dict(dtickrange=[28 * 86_400_000, 365 * 86_400_000], value="%m/%Y"),
    dict(dtickrange=[365 * 86_400_000, None], value="%Y"),
]


# Streamlit's plotly bundle registers only the "en" and "en-US" locales, so `locale: "fr"`
# alone changes nothing: the French wording goes with each chart, in its config's `locales`.
FR_LOCALE: dict[str, object] = {
    "dictionary": {
        "Zoom": "Zoom",
        "Pan": "Déplacer",
        "Box Select": "Sélection rectangulaire",
        "Lasso Select": "Sélection au lasso",
        "Zoom in": "Zoom avant",
        "Zoom out": "Zoom arrière",
        "Autoscale": "Échelle automatique",
        "Reset axes": "Réinitialiser les axes",
        "Reset view": "Réinitialiser la vue",
        "Download plot as a png": "Télécharger le graphique (PNG)",
        "Download plot as a PNG": "Télécharger le graphique (PNG)",
        "Download plot as an SVG": "Télécharger le graphique (SVG)",
        "Download plot": "Télécharger le graphique",
        "Toggle Spike Lines": "Afficher ou masquer les lignes de repère",
        "Show closest data on hover": "Survol : donnée la plus proche",
        "Compare data on hover": "Survol : comparer les données",
        "Double-click to zoom back out": "Double-cliquez pour revenir au zoom initial",
        "Taking snapshot - this may take a few seconds":
            "Capture en cours, cela peut prendre quelques secondes",
        "Snapshot succeeded": "Capture réussie",
        "Sorry, there was a problem downloading your snapshot!":
            "Désolé, la capture n'a pas pu être téléchargée.",
        "Click to enter Plot title": "Cliquez pour saisir le titre",
        "Click to enter X axis title": "Cliquez pour saisir le titre de l'axe X",
        "Click to enter Y axis title": "Cliquez pour saisir le titre de l'axe Y",
        "trace": "série",
    },
    "format": {
        "days": list(SUNDAY_FIRST),
        "shortDays": [day[:3] + "." for day in SUNDAY_FIRST],
        "months": list(MONTHS),
        "shortMonths": list(MONTHS_SHORT),
        "periods": ["", ""],
        "dateTime": "%A %e %B %Y %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "decimal": ",",
        "thousands": "\u202f",
        "grouping": [3],
        "currency": ["", " €"],
        "year": "%Y",
        "month": "%B %Y",
        "dayMonth": "%e %b",
        "dayMonthYear": "%e %b %Y",
    },
}
# Every chart's config: French wording, no plotly logo.
PLOTLY_CONFIG: dict[str, object] = {"displaylogo": False, "locale": "fr",
                                    "locales": {"fr": FR_LOCALE}}


def _bar_span(hit: SearchHit) -> tuple[datetime, datetime] | None:
    """Start and end of an incident's bar; an end date counts as a whole day."""
    if hit.start is None:
        return None
    start = datetime.combine(hit.start, time.min)
    if hit.end is not None and hit.end >= hit.start:
        end = datetime.combine(hit.end + timedelta(days=1), time.min)
    else:
        hours = max(hit.hours_max or hit.hours_min or 24.0, 24.0)
        end = start + timedelta(hours=hours)
    return start, end


def _hover(hit: SearchHit) -> str:
    parts = [f"<b>{plotly_text(hit.title, 120)}</b>"]
    when = date_fr(hit.start)
    if hit.end and hit.end != hit.start:
        when += f" → {date_fr(hit.end)}"
    parts.append(plotly_text(when))
    if hit.vendors:
        parts.append("Fournisseur : " + plotly_text(", ".join(hit.vendors), 80))
    if hit.impact:
        parts.append("Impact : " + plotly_text(", ".join(impact_fr(i) for i in hit.impact), 120))
    if hit.cause:
        parts.append("Cause : " + plotly_text(cause_fr(hit.cause)))
    if hit.hours_min is not None or hit.hours_max is not None:
        parts.append("Durée : " + plotly_text(duration_fr(hit.hours_min, hit.hours_max)))
    parts.append("<i>Cliquer pour ouvrir l'incident</i>")
    return "<br>".join(parts)


def timeline_figure(hits: Sequence[SearchHit], *,
                    window: timedelta | None = OPEN_WINDOW) -> go.Figure | None:
    """Incidents as bars from start to end with a mark at their start, one row per vendor,
    coloured by main impact; the axis opens on the last `window` of the data (all of it when
    None or shorter)."""
    by_impact: dict[str, list[tuple[SearchHit, datetime, datetime]]] = {}
    rows: list[str] = []
    for hit in hits:
        span = _bar_span(hit)
        if span is None:
            continue
        impact = hit.impact[0] if hit.impact else NO_IMPACT
        by_impact.setdefault(impact, []).append((hit, *span))
        row = _row_label(hit)
        if row not in rows:
            rows.append(row)
    if not by_impact:
        return None
    fig = go.Figure()
    order = [label for label in [*IMPACT_LABELS, NO_IMPACT] if label in by_impact]
    for impact in order:
        items = by_impact[impact]
        fig.add_trace(go.Bar(
            name=plotly_text(impact_fr(impact) if impact != NO_IMPACT else "Impact non précisé"),
            orientation="h",
            base=[start.isoformat() for _, start, _ in items],
            x=[(end - start).total_seconds() * 1000 for _, start, end in items],
            y=[_row_label(hit) for hit, _, _ in items],
            customdata=[[hit.id] for hit, _, _ in items],
            hovertext=[_hover(hit) for hit, _, _ in items],
            hovertemplate="%{hovertext}<extra></extra>",
            marker_color=IMPACT_COLOURS.get(impact, "#9e9e9e"),
            marker_line_width=0,
            legendgroup=impact,
        ))
        fig.add_trace(go.Scatter(
            mode="markers",
            x=[start.isoformat() for _, start, _ in items],
            y=[_row_label(hit) for hit, _, _ in items],
            customdata=[[hit.id] for hit, _, _ in items],
            hovertext=[_hover(hit) for hit, _, _ in items],
            hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(symbol="diamond", size=MARK_SIZE,
                        color=IMPACT_COLOURS.get(impact, "#9e9e9e"),
                        line=dict(width=1, color="white")),
            legendgroup=impact,
            showlegend=False,
        ))
    fig.update_layout(
        barmode="overlay",
        height=min(900, 200 + 34 * len(rows)),
        margin=dict(l=10, r=10, t=40, b=10),
        # Above the plot: below, it would cover the dates and the range slider.
        legend=dict(title="Impact principal", orientation="h", x=0, y=1.02, yanchor="bottom"),
        font=_FONT,
        dragmode="zoom",
        clickmode="event+select",
    )
    fig.update_xaxes(type="date", title=None, rangeslider=dict(visible=True, thickness=0.1),
                     tickformatstops=DATE_TICKS)
    first = min(start for items in by_impact.values() for _, start, _ in items)
    last = max(end for items in by_impact.values() for _, _, end in items)
    if last - first < timedelta(days=MIN_SPAN_DAYS):  # a lone incident: show its weeks
        pad = (timedelta(days=MIN_SPAN_DAYS) - (last - first)) / 2
        fig.update_xaxes(range=[(first - pad).isoformat(), (last + pad).isoformat()])
    elif window is not None and last - first > window:
        fig.update_xaxes(range=[(last - window).isoformat(), (last + OPEN_PAD).isoformat()],
                         rangeslider_autorange=True)
    fig.update_yaxes(title=None, categoryorder="array", categoryarray=list(reversed(rows)),
                     automargin=True)
    return fig


def _count_tick(highest: int) -> int | None:
    """Whole-number ticks for small counts (plotly would show 0.2, 0.4…)."""
    return 1 if highest <= 10 else None


def _row_label(hit: SearchHit) -> str:
    return plotly_text(hit.vendors[0], 40) if hit.vendors else "Fournisseur inconnu"


def periods_figure(series: Mapping[str, Sequence[tuple[str, int]]], *,
                   yearly: bool) -> go.Figure:
    """Incidents per month (or year), one group of bars per vendor."""
    fig = go.Figure()
    for vendor, points in series.items():
        fig.add_trace(go.Bar(
            name=plotly_text(vendor, 40),
            x=[p if yearly else month_fr(p) for p, _ in points],
            y=[n for _, n in points],
            hovertemplate="%{x} : %{y} incident(s)<extra>" + plotly_text(vendor, 40) + "</extra>",
        ))
    fig.update_layout(barmode="group", height=380, margin=dict(l=10, r=10, t=30, b=10),
                      font=_FONT, yaxis_title="Incidents", legend_title="Fournisseur")
    fig.update_yaxes(rangemode="tozero", tickformat="d", dtick=_count_tick(
        max((n for points in series.values() for _, n in points), default=1)))
    fig.update_xaxes(type="category")
    return fig


def vendor_bars_figure(values: Mapping[str, float | None], *, title: str,
                       unit: str) -> go.Figure:
    """One bar per vendor (downtime, median duration); unknown values are left out."""
    known = {v: x for v, x in values.items() if x is not None}
    fig = go.Figure(go.Bar(
        x=[plotly_text(v, 40) for v in known], y=list(known.values()),
        hovertemplate="%{x} : %{y:.1f} " + unit + "<extra></extra>",
        marker_color=_PALETTE[0],
    ))
    fig.update_layout(title=title, height=320, margin=dict(l=10, r=10, t=50, b=10),
                      font=_FONT, yaxis_title=unit)
    return fig


def causes_figure(causes: Mapping[str, Sequence[tuple[str, int]]]) -> go.Figure:
    """Causes of each vendor's incidents as stacked bars."""
    fig = go.Figure()
    labels = [c for c in CAUSE_LABELS if any(c == k for rows in causes.values() for k, _ in rows)]
    for cause in labels:
        fig.add_trace(go.Bar(
            name=plotly_text(cause_fr(cause)),
            x=[plotly_text(v, 40) for v in causes],
            y=[dict(rows).get(cause, 0) for rows in causes.values()],
            marker_color=CAUSE_COLOURS.get(cause),
            hovertemplate="%{x} : %{y}<extra>" + plotly_text(cause_fr(cause)) + "</extra>",
        ))
    fig.update_layout(barmode="stack", height=360, margin=dict(l=10, r=10, t=30, b=10),
                      font=_FONT, yaxis_title="Incidents", legend_title="Cause")
    fig.update_yaxes(rangemode="tozero", tickformat="d", dtick=_count_tick(
        max((sum(n for _, n in rows) for rows in causes.values()), default=1)))
    return fig

