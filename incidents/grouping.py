"""Group outage articles into incidents: same vendor, compatible dates, similar content.

Articles are taken oldest first, as news arrives. Each joins the best compatible incident or
founds a new one. Compatible means: a vendor in common (near names count, see
incidents.vendor_names) or one side's vendor named in the other's text
(`GroupingParams.mentioned_vendors`), dates that can describe one event (incidents.timespan)
and content similar enough for the strength of the date evidence (TF-IDF cosine,
incidents.similarity):

    event dates within two days ("same")            cosine >= params.same
    only publication dates, close ("near")          cosine >= params.near
    no dates to compare ("unknown")                 cosine >= params.unknown
    no vendor in common (none on a side, or named)  each threshold + params.no_vendor_extra
    a rewrite published within a week               cosine >= params.copy, whatever the dates
                                                    (not across vendors only named)

An incident's vendors, and the vendors its texts name, are those of its core members: every
member but those that joined by a vendor named across (`Grouper.core_members`). So a
subsidiary's story joins the group's incident by naming the group, but a story naming only the
subsidiary does not follow it in: incidents cannot chain from vendor to vendor.

The thresholds were chosen by cross-validation by incident on the annotated train+dev sets
with the tags the tagger predicts for held-out folds (each fold's choice made on the other
folds; see the commit that set them).

Grouping is incremental: given the incidents already known (`existing`), their members stay
(unless an article no longer fits its incident's vendor or dates), new articles join them,
and identifiers never change; running it again on the same input changes nothing.
`group_articles` is the pure entry point (no store): eval and tests call it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from pannes.incidents.blocking import ClusterIndex
from pannes.incidents.ids import article_incident_id
from pannes.incidents.similarity import TfidfIndex, name_terms, terms
from pannes.incidents.timespan import (
    NEAR_PUBLISHED_DAYS,
    RELATION_RANK,
    Period,
    Span,
    article_span,
    parse_when,
    period_span,
    relation,
)
from pannes.incidents.vendor_names import vendor_classes

from pannes.records import Incident, TaggedArticle

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GroupingParams:
    """Minimum content similarity to join an incident, by strength of the date evidence."""

    same: float = 0.05
    near: float = 0.10
    unknown: float = 0.25
    no_vendor_extra: float = 0.10
    # Close rewrites of one story (an agency dispatch) published within a week join whatever
    # their stated dates say: a wrong date on one of them must not split the incident.
    copy: float = 0.35
    # A vendor of one side named in the other's text, when their vendors differ (the tagger
    # chose another organisation of the story): joins as if one side had no vendor. The
    # article joined so brings neither its vendor nor the vendors its text names to the
    # incident (Grouper.core_members): incidents do not chain from vendor to vendor.
    mentioned_vendors: bool = True

    def threshold(self, rel: str, has_vendor: bool) -> float:
        base = {"same": self.same, "near": self.near, "unknown": self.unknown}[rel]
        return base if has_vendor else base + self.no_vendor_extra


DEFAULT_PARAMS = GroupingParams()

# How close an article's dates must be to a mentioned period for the article to be about the
# mentioned incident; shared with incidents.mentions, so both directions agree.
MENTION_JOIN_RELATIONS = ("same", "near")


# The key of clusters whose members' texts were not read yet for vendors they name.
UNREAD = "?"


def _named_keys(cluster: Cluster) -> set[str]:
    """What the named-vendors index keeps a cluster under."""
    return {UNREAD} if cluster.mentioned_classes is None else cluster.mentioned_classes


@dataclass
class Cluster:
    """An incident being formed: member articles and mentions of it in other articles."""

    id: str
    members: list[int] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)  # (article id, mention index)
    vendor_classes: set[str] = field(default_factory=set)
    # Vendor classes named in the members' texts; None until a comparison needs them.
    mentioned_classes: set[str] | None = None
    span: Span = field(default_factory=Span)
    # For an incident known only from mentions: the vendor name and the period it was dated.
    mention_vendor: str | None = None
    mention_period: str | None = None

    @property
    def known_from_mentions(self) -> bool:
        return not self.members


def names_of(articles: Iterable[TaggedArticle], incidents: Iterable[Incident] = ()) -> list[str]:
    """Every vendor name grouping compares: of articles, of their mentions, of incidents."""
    names = []
    for item in articles:
        names += item.tags.vendors
        names += [m.vendor for m in item.tags.mentions if m.vendor]
    for incident in incidents:
        names += incident.vendors
    return names


def with_ids(articles: Sequence[TaggedArticle]) -> list[TaggedArticle]:
    """Articles with an id each (those without get their 1-based position), for pure use."""
    out = []
    for position, item in enumerate(articles, start=1):
        if item.article.id is None:
            item = TaggedArticle(replace(item.article, id=position), item.tags)
        out.append(item)
    return out


def _order_key(item: TaggedArticle) -> tuple[date, int]:
    return (item.article.published or item.tags.start or date.max, item.article.id or 0)


class Grouper:
    """The state of one grouping run: articles, their features, the clusters so far."""

    def __init__(self, articles: Sequence[TaggedArticle], existing: Sequence[Incident] = (),
                 *, pinned: Iterable[int] = (), params: GroupingParams = DEFAULT_PARAMS,
                 classes: Mapping[str, str] | None = None, index: TfidfIndex | None = None,
                 taken: Iterable[str] = (),
                 published_periods: Mapping[int, Period] | None = None) -> None:
        """`classes` (vendor name -> class) and `index` (the text features) are computed from
        `articles` unless given; `taken` are ids in use besides those of `existing`;
        `published_periods` give the rough publication period (a month) of articles with no
        publication day."""
        self.params = params
        self.all = {a.article.id: a for a in articles}
        self.outages = {i: a for i, a in self.all.items() if a.tags.is_outage}
        self.pinned = set(pinned)
        if classes is None:
            classes = vendor_classes(names_of(self.all.values(), existing))
        self.classes = classes
        periods = published_periods or {}
        self.spans = {i: article_span(a, periods.get(i)) for i, a in self.outages.items()}
        self.index = index or TfidfIndex({i: terms(a.article.title, a.article.text)
                                          for i, a in self.outages.items()})
        self.clusters: list[Cluster] = []
        self._position: dict[int, int] = {}  # id(cluster) -> creation order
        self._index = ClusterIndex(lambda c: self._position[id(c)])
        # Clusters by the vendor classes their texts name (UNREAD until read), for articles
        # of those vendors (vendors_meet): only when vendors named across join.
        self._named_index = ClusterIndex(lambda c: self._position[id(c)], _named_keys)
        self.cluster_of: dict[int, Cluster] = {}
        self.taken: set[str] = taken if isinstance(taken, set) else set(taken)
        self._mentioned: dict[int, set[str]] = {}
        self._own: dict[int, set[str]] = {}
        self._name_terms: dict[str, list[tuple[frozenset[str], str]]] | None = None
        self._load(existing)

    # ------------------------------------------------------------------ helpers

    def vendor_classes_of(self, names: Iterable[str]) -> set[str]:
        return {self.classes[n] for n in names if n in self.classes}

    def own_classes(self, article_id: int) -> set[str]:
        """The vendor classes of an outage article's own vendors (do not change the set)."""
        found = self._own.get(article_id)
        if found is None:
            found = self._own[article_id] = self.vendor_classes_of(
                self.outages[article_id].tags.vendors)
        return found

    def mentioned_classes(self, article_id: int) -> set[str]:
        """Vendor classes named in the article's title or text (every content word of one of
        their names), besides its own vendors'. Read from the article's terms when first
        asked (incidents.similarity), so only compared articles are read."""
        if not self.params.mentioned_vendors:
            return set()
        found = self._mentioned.get(article_id)
        if found is None:
            if self._name_terms is None:
                self._name_terms = {}
                for name, cls in sorted(self.classes.items()):
                    words = name_terms(name)
                    if words:
                        self._name_terms.setdefault(min(words), []).append((words, cls))
            mine = self.index.terms(article_id)
            found = {cls for term in mine.keys() & self._name_terms.keys()
                     for words, cls in self._name_terms[term] if words <= mine.keys()}
            found -= self.own_classes(article_id)
            self._mentioned[article_id] = found
        return found

    def cluster_mentioned(self, cluster: Cluster) -> set[str]:
        """Vendor classes named in the members' texts (computed when first asked)."""
        if cluster.mentioned_classes is None:
            cluster.mentioned_classes = set()
            for member in self.core_members(cluster.members):
                cluster.mentioned_classes |= self.mentioned_classes(member)
            self._named_index.add(cluster)
        return cluster.mentioned_classes

    def vendors_meet(self, article_id: int, cluster: Cluster, *, named: bool = True) -> str | None:
        """How the article's vendors meet the cluster's: "shared" (a class in common),
        "named" (one side's vendor named in the other's text; looked for only if `named`),
        "open" (a side with no vendor), or None (different vendors)."""
        own = self.own_classes(article_id)
        if not own or not cluster.vendor_classes:
            return "open"
        if own & cluster.vendor_classes:
            return "shared"
        if named and self.mentioned_classes(article_id) & cluster.vendor_classes \
                or named and own & self.cluster_mentioned(cluster):
            return "named"
        return None

    def core_members(self, members: Sequence[int]) -> list[int]:
        """The members that give their incident its vendors and named vendors: all of them,
        but those that joined by a vendor named across. Replayed oldest first, as articles are
        placed: a member is one of them when it has no vendor, or shares one with those before
        it (or none of those has one), or an editor placed it. So an article joined by name
        never brings its own vendor (nor the vendors its text names) to the incident, and
        incidents cannot chain from vendor to vendor."""
        if not self.params.mentioned_vendors:
            return list(members)
        core, classes = [], set()
        for member in sorted(members, key=lambda a: _order_key(self.outages[a])):
            mine = self.own_classes(member)
            if not mine or not classes or mine & classes or member in self.pinned:
                core.append(member)
                classes |= mine
        return core

    def _refresh(self, cluster: Cluster) -> None:
        cluster.vendor_classes = set()
        cluster.mentioned_classes = None
        span = Span()
        core = self.core_members(cluster.members)
        for member in core:
            cluster.vendor_classes |= self.own_classes(member)
        for member in cluster.members:
            span = span.union(self.spans[member])
        if not cluster.members:
            cluster.vendor_classes = self.vendor_classes_of([cluster.mention_vendor or ""])
            for article_id, index in cluster.mentions:
                period = parse_when(self.all[article_id].tags.mentions[index].when)
                if period is not None:
                    span = span.union(period_span(period))
        cluster.span = span
        self._index.add(cluster)
        if not self.params.mentioned_vendors:
            return
        if all(member in self._mentioned for member in core):
            self.cluster_mentioned(cluster)  # reads no text: read now (and indexed)
        else:
            self._named_index.add(cluster)  # as UNREAD, read when first compared

    def clusters_naming(self, classes: set[str]) -> list[Cluster]:
        """Clusters sharing a vendor class with `classes` (all of them for an empty set),
        plus clusters with no vendor, in creation order."""
        return self._index.naming(classes, self.clusters)  # type: ignore[return-value]

    def prune(self, keep: Callable[[Cluster], bool]) -> None:
        """Drop the clusters `keep` rejects, and forget them in the cluster index."""
        self.clusters = [c for c in self.clusters if keep(c)]
        self._index.rebuild(self.clusters)
        self._named_index.rebuild(self.clusters if self.params.mentioned_vendors else ())

    def add_cluster(self, cluster: Cluster) -> Cluster:
        self._position[id(cluster)] = len(self._position)
        self.clusters.append(cluster)
        self.taken.add(cluster.id)
        for member in cluster.members:
            self.cluster_of[member] = cluster
        self._refresh(cluster)
        return cluster

    def _fitting(self, members: Sequence[int]) -> list[int]:
        """The members whose vendor and dates are still compatible with the rest of their
        incident. Pinned ones (placed by an editor) always are, and the others are compared
        with each other only: an editor's placement never pushes an incident's own articles
        out."""
        everyone = list(members)
        pinned = [a for a in members if a in self.pinned]
        members = [a for a in members if a not in self.pinned]
        classes = [self.own_classes(a) for a in members]
        spans = [self.spans[a] for a in members]
        # What all the members but one have in common, for each one: prefix and suffix unions.
        n = len(members)
        before_c: list[set[str]] = [set()] * (n + 1)
        before_s = [Span()] * (n + 1)
        for i in range(n):
            before_c[i + 1], before_s[i + 1] = before_c[i] | classes[i], before_s[i].union(spans[i])
        after_c: list[set[str]] = [set()] * (n + 1)
        after_s = [Span()] * (n + 1)
        for i in range(n - 1, -1, -1):
            after_c[i], after_s[i] = after_c[i + 1] | classes[i], after_s[i + 1].union(spans[i])
        keep = set(pinned)
        for i, article_id in enumerate(members):
            mine, theirs = classes[i], before_c[i] | after_c[i + 1]
            others = members[:i] + members[i + 1:]
            if mine and theirs and not mine & theirs and not self._named_across(
                    article_id, mine, theirs, others):
                continue
            if relation(spans[i], before_s[i].union(after_s[i + 1])) != "far" \
                    or self._copy_relation(article_id, others) == "near":
                keep.add(article_id)
        return [a for a in everyone if a in keep]

    def _named_across(self, article_id: int, mine: set[str], theirs: set[str],
                      others: Sequence[int]) -> bool:
        """Whether a member whose vendors differ from the others' met them by name (read only
        for such members, which are few)."""
        if not self.params.mentioned_vendors:
            return False
        if self.mentioned_classes(article_id) & theirs:
            return True
        return any(mine & self.mentioned_classes(other) for other in others)

    # ------------------------------------------------------------------ memory

    def _load(self, existing: Sequence[Incident]) -> None:
        """Start from the incidents already known; drop members that no longer fit."""
        for incident in existing:
            members = [a for a in incident.article_ids
                       if a in self.outages and a not in self.cluster_of]
            if len(members) > 1:
                keep = self._fitting(members)
                if keep != members:
                    log.info("Incident %s: %d article(s) no longer fit", incident.id,
                             len(members) - len(keep))
                members = keep or members[:1]
            cluster = Cluster(incident.id, members)
            if not members:
                if not incident.known_from_mentions:
                    continue
                cluster.mention_vendor = incident.vendors[0] if incident.vendors else None
                cluster.mentions = self.mentions_of(incident)
                cluster.mention_period = self._period_label(cluster)
            self.add_cluster(cluster)

    def mentions_of(self, incident: Incident) -> list[tuple[int, int]]:
        """The mentions (article, index) that made a known-from-mentions incident."""
        wanted = self.vendor_classes_of(incident.vendors)
        refs = []
        for article_id in incident.provenance.get("mentioned_in", []):
            item = self.all.get(article_id)
            if item is None:
                continue
            for index, mention in enumerate(item.tags.mentions):
                if mention.vendor and self.classes.get(mention.vendor) in wanted:
                    refs.append((article_id, index))
        return refs

    def _period_label(self, cluster: Cluster) -> str | None:
        for article_id, index in cluster.mentions:
            period = parse_when(self.all[article_id].tags.mentions[index].when)
            if period is not None:
                return period.label
        return None

    # ------------------------------------------------------------------ assigning

    def candidates(self, article_id: int) -> Iterable[Cluster]:
        """The clusters this article could join (incidents.blocking), in creation order: of
        its vendors or with none, and when vendors named across join (vendors_meet), of the
        vendors its text names and those whose texts name its vendors (or are not read yet)."""
        own, span = self.own_classes(article_id), self.spans[article_id]
        if not own or not self.params.mentioned_vendors:
            return self._index.near(own, span, self.clusters)  # type: ignore[return-value]
        found = self._index.near(own | self.mentioned_classes(article_id), span, self.clusters)
        found += self._named_index.near(own | {UNREAD}, span, self.clusters, open_ones=False)
        unique = {id(c): c for c in found}
        return sorted(unique.values(), key=lambda c: self._position[id(c)])  # type: ignore

    def best_cluster(self, article_id: int) -> Cluster | None:
        """The incident this article should join, or None for a new one."""
        has_vendor = bool(self.outages[article_id].tags.vendors)
        best: tuple | None = None
        for cluster in self.candidates(article_id):
            rel = relation(self.spans[article_id], cluster.span)
            # Different vendors named across join only with dates that agree (not as
            # rewrites): the texts of incidents of other vendors are read only then.
            meet = self.vendors_meet(article_id, cluster, named=rel != "far")
            if meet is None:
                continue
            if rel == "far" and not cluster.known_from_mentions:
                rel = self._copy_relation(article_id, cluster.members)
            if rel == "far":
                continue
            if cluster.known_from_mentions:
                # No text to compare: an article dated inside the mentioned period, or only
                # published during or soon after it, joins it. These are the relations
                # incidents.mentions._best_real accepts; were they stricter here, the article
                # would found an incident that then takes the mentions, and the mentioned
                # incident's id would vanish.
                key = (RELATION_RANK[rel], 0, 0.0)
                if rel in MENTION_JOIN_RELATIONS and has_vendor and (best is None or key > best[0]):
                    best = (key, cluster)
                continue
            sim = self.index.best(article_id, cluster.members)
            both_vendors = meet == "shared"
            if sim < self.params.threshold(rel, both_vendors):
                continue
            key = (RELATION_RANK[rel], 1, sim)
            if best is None or key > best[0]:
                best = (key, cluster)
        return best[1] if best else None

    def _copy_relation(self, article_id: int, members: Sequence[int]) -> str:
        """"near" when the article is a near-copy of one of `members` published within a week."""
        published = self.outages[article_id].article.published
        if published is None:
            return "far"
        for member in members:
            other = self.outages[member].article.published
            if other is not None and abs((other - published).days) <= NEAR_PUBLISHED_DAYS \
                    and self.index.cosine(article_id, member) >= self.params.copy:
                return "near"
        return "far"

    def assign(self, article_id: int) -> Cluster:
        cluster = self.best_cluster(article_id)
        if cluster is None:
            item = self.outages[article_id]
            vendor = item.tags.vendors[0] if item.tags.vendors else None
            when = item.tags.start or item.article.published
            new_id = article_incident_id(vendor, when, article_id, self.taken)
            return self.add_cluster(Cluster(new_id, [article_id]))
        cluster.members.append(article_id)
        if len(cluster.members) == 1:  # a known-from-mentions incident gets its first article
            cluster.mention_vendor = cluster.mention_period = None
        self.cluster_of[article_id] = cluster
        self._refresh(cluster)
        return cluster

    def assign_new(self, among: set[int] | None = None) -> list[int]:
        """Place every outage article (of `among`, if given) not yet in an incident; returns
        their ids."""
        new = [a for a in sorted(self.outages.values(), key=_order_key)
               if a.article.id not in self.cluster_of
               and (among is None or a.article.id in among)]
        for item in new:
            self.assign(item.article.id)
        return [a.article.id for a in new]


def cluster_articles(articles: Sequence[TaggedArticle], existing: Sequence[Incident] = (), *,
                     pinned: Iterable[int] = (), params: GroupingParams = DEFAULT_PARAMS,
                     published_periods: Mapping[int, Period] | None = None) -> Grouper:
    """Run the grouping of outage articles; the returned Grouper holds the clusters."""
    grouper = Grouper(with_ids(articles), existing, pinned=pinned, params=params,
                      published_periods=published_periods)
    grouper.assign_new()
    return grouper


def reuse_ids(clusters: list[Cluster], previous: Sequence[Incident]) -> None:
    """Give clusters grouped from scratch the ids of the incidents they overlap most."""
    overlaps = []
    for position, cluster in enumerate(clusters):
        members, mentioners = set(cluster.members), {a for a, _ in cluster.mentions}
        for incident in previous:
            shared = len(members & set(incident.article_ids))
            shared_mentions = len(mentioners & set(incident.provenance.get("mentioned_in", [])))
            if shared or (shared_mentions and not members and incident.known_from_mentions):
                overlaps.append((shared, shared_mentions, incident.id, position))
    overlaps.sort(key=lambda o: (-o[0], -o[1], o[2]))
    used_ids, renamed = set(), set()
    for _, _, incident_id, position in overlaps:
        if incident_id in used_ids or position in renamed:
            continue
        clusters[position].id = incident_id
        used_ids.add(incident_id)
        renamed.add(position)
    # Fresh ids must not collide with a reused one.
    seen: set[str] = set(used_ids)
    for position, cluster in enumerate(clusters):
        if position in renamed:
            continue
        base, n = cluster.id, 2
        while cluster.id in seen:
            cluster.id = f"{base}-{n}"
            n += 1
        seen.add(cluster.id)


def reuse_mention_ids(clusters: list[Cluster], previous: Sequence[Incident]) -> None:
    """After a rebuild has attached mentions: an incident known only from mentions keeps its
    id when the articles it was waiting for now found a cluster that took its mentions."""
    current = {c.id for c in clusters}
    previous_ids = {i.id for i in previous}
    held = {a for i in previous for a in i.article_ids}
    for incident in sorted(previous, key=lambda i: i.id):
        if not incident.known_from_mentions or incident.id in current:
            continue
        mentioners = set(incident.provenance.get("mentioned_in", []))
        scored = [(len(mentioners & {a for a, _ in c.mentions}), -position, c)
                  for position, c in enumerate(clusters)
                  if c.members and c.id not in previous_ids and not set(c.members) & held]
        best = max(((n, p, c) for n, p, c in scored if n), default=None,
                   key=lambda s: (s[0], s[1]))
        if best is not None:
            best[2].id = incident.id
            current.add(incident.id)
