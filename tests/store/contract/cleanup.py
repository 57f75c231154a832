"""Removing what a contract run created on a real cluster, by concrete names.

Elasticsearch 8+ refuses to delete indices by wildcard (action.destructive_requires_name
defaults to true), so the names behind the run's patterns are listed first.
"""

from __future__ import annotations

from typing import Any

from pannes.store.elastic_mapping import KINDS, index_pattern, template_name


def drop_indices(client: Any, prefix: str) -> list[str]:
    """Delete every index and the template under `prefix`; the names of the deleted indices."""
    names: list[str] = []
    for kind in KINDS:
        names += sorted(client.indices.get(index=index_pattern(prefix, kind),
                                           allow_no_indices=True).body)
    for name in names:
        client.indices.delete(index=name)
    client.indices.delete_index_template(name=template_name(prefix))
    return names
