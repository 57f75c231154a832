"""Incidents: articles about one outage grouped across outlets, editors' corrections on top,
vendor reliability, exports and an Atom feed.

Entry points (each module's docstring says more):
- incidents.assemble.group_articles(articles, existing=()) -> list[Incident]   (pure, no store)
- incidents.regroup.regroup(store, rebuild=False, recompute=False) -> RegroupReport
  (incremental: incidents.blocking finds the candidates, incidents.features keeps the text
  statistics between runs; editors' corrections apply locally through incidents.local)
- incidents.corrections: correct_incident, correct_article, merge_incidents, split_incident,
  history, corrected_tags, editable_fields, CorrectionError
- incidents.reliability: vendor_reliability, compare_vendors, known_vendors, format_table
- incidents.export: write_incidents, write_articles, select_incidents, select_articles
- incidents.feed: build_feed(store, FeedFilter(...))
- incidents.evaluate: pairwise_scores, score_grouping, clusters_from_labels / _links
"""
