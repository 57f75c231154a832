"""Which incidents an article could join, found without looking at every incident.

An article joins an incident that shares one of its vendors (or has none; an article with no
vendor may join any), and whose dates are within `WINDOW_DAYS` of its own: past that gap,
`incidents.timespan.relation` says "far" and no near-copy is published within a week. So
clusters are kept by vendor class and by the `BUCKET_DAYS`-long periods their dates cover;
a cluster with no dates, or dates over more than `MAX_BUCKETS` periods, is always a candidate.
Grouping keeps a second index of the same kind by the vendor classes the incidents' texts
name (incidents.grouping, for vendors named across). Entries may be stale (a cluster grew or
lost a vendor): readers check the real dates and vendors, and always get the candidates in
creation order, as a full scan would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Protocol

from pannes.incidents.timespan import NEAR_DAYS, NEAR_PUBLISHED_DAYS, SAME_DAYS, Span

# The widest gap between an article's dates and an incident's that can still relate them
# (an article only published up to NEAR_DAYS after event dates, give or take SAME_DAYS).
WINDOW_DAYS = max(NEAR_DAYS + SAME_DAYS, NEAR_PUBLISHED_DAYS)
BUCKET_DAYS = 30
MAX_BUCKETS = 24
ANY_VENDOR = "*"  # the key every cluster is also kept under, for articles with no vendor
NO_VENDOR = ""  # the key of clusters with no vendor


class Indexed(Protocol):
    vendor_classes: set[str]
    span: Span


def _vendor_classes(cluster: Indexed) -> set[str]:
    return cluster.vendor_classes


Extent = tuple[date, date]


def extent(span: Span) -> Extent | None:
    """The first and last date a span mentions (event or publication), None for no date."""
    dates = [d for d in (span.lo, span.hi, span.pub_lo, span.pub_hi) if d is not None]
    return (min(dates), max(dates)) if dates else None


def _close(a: Extent, b: Extent) -> bool:
    return (b[0] - a[1]).days <= WINDOW_DAYS and (a[0] - b[1]).days <= WINDOW_DAYS


def _buckets(lo: date, hi: date) -> range:
    return range(lo.toordinal() // BUCKET_DAYS, hi.toordinal() // BUCKET_DAYS + 1)


class ClusterIndex:
    """Clusters by vendor class and by period (see the module docstring); `classes` gives the
    classes a cluster is kept under, its vendors' unless told."""

    def __init__(self, position: Callable[[Indexed], int],
                 classes: Callable[[Indexed], set[str]] = _vendor_classes) -> None:
        self._position = position
        self._classes = classes
        self._by_class: dict[str, dict[int, Indexed]] = {}
        self._dated: dict[tuple[str, int], dict[int, Indexed]] = {}
        self._undated: dict[str, dict[int, Indexed]] = {}
        self._extents: dict[int, Extent | None] = {}  # each cluster's, when last added

    def add(self, cluster: Indexed) -> None:
        """Index a cluster as it is now (call again when its vendors or dates change)."""
        keys = [*(self._classes(cluster) or {NO_VENDOR}), ANY_VENDOR]
        for key in keys[:-1]:
            self._by_class.setdefault(key, {})[id(cluster)] = cluster
        span = self._extents[id(cluster)] = extent(cluster.span)
        if span is None:
            buckets = None
        else:
            low, high = span[0] - timedelta(days=WINDOW_DAYS), span[1] + timedelta(days=WINDOW_DAYS)
            buckets = _buckets(low, high)
        for key in keys:
            if buckets is None or len(buckets) > MAX_BUCKETS:
                self._undated.setdefault(key, {})[id(cluster)] = cluster
            else:
                for bucket in buckets:
                    self._dated.setdefault((key, bucket), {})[id(cluster)] = cluster

    def rebuild(self, clusters: Iterable[Indexed]) -> None:
        self._by_class, self._dated, self._undated, self._extents = {}, {}, {}, {}
        for cluster in clusters:
            self.add(cluster)

    def _names(self, cluster: Indexed, key: str, classes: set[str]) -> bool:
        if key == ANY_VENDOR:
            return True
        if key == NO_VENDOR:
            return not self._classes(cluster)
        return bool(classes & self._classes(cluster))

    def naming(self, classes: set[str], everything: Iterable[Indexed]) -> list[Indexed]:
        """Clusters sharing a vendor class with `classes` (all of `everything` for an empty
        set), plus clusters with no vendor, in creation order."""
        if not classes:
            return list(everything)
        found: dict[int, Indexed] = {}
        for key in (*sorted(classes), NO_VENDOR):
            for cluster in self._by_class.get(key, {}).values():
                if self._names(cluster, key, classes):
                    found.setdefault(id(cluster), cluster)
        return sorted(found.values(), key=self._position)

    def near(self, classes: set[str], span: Span, everything: Iterable[Indexed], *,
             open_ones: bool = True) -> list[Indexed]:
        """The clusters `naming(classes)` gives whose dates are close enough to `span`'s to
        relate (and those with no dates), in creation order; without those with no class if
        not `open_ones` (and `classes` is not empty)."""
        mine = extent(span)
        if mine is None:
            found = self.naming(classes, everything)
            if open_ones or not classes:
                return found
            return [c for c in found if classes & self._classes(c)]
        keys = ((*sorted(classes), NO_VENDOR) if open_ones else tuple(sorted(classes))) \
            if classes else (ANY_VENDOR,)
        low, high = mine[0], mine[1]
        found: dict[int, Indexed] = {}
        for key in keys:
            pools = [self._undated.get(key, {})]
            pools += [self._dated.get((key, b), {}) for b in _buckets(low, high)]
            for pool in pools:
                for cluster in pool.values():
                    if id(cluster) in found or not self._names(cluster, key, classes):
                        continue
                    theirs = self._extents[id(cluster)]
                    if theirs is None or _close(mine, theirs):
                        found[id(cluster)] = cluster
        return sorted(found.values(), key=self._position)
