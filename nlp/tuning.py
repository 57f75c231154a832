"""Choose each decision's settings, thresholds, and rule or model, by inner cross-validation.

Given only the training articles, each decision is fitted on part of them and scored on the
rest (folds by incident), for a small grid of settings; the thresholds are then chosen on
those held-out probabilities. A decision keeps the rules' verdict when the rules score at
least as well there: the issue's "keep a rule wherever cross-validation shows it beats the
learned decision", decided on training data only. The timing decisions (duration, start) are
scored on the real articles only (`Example.invented` marks the project's own sets, written
with the rules), and keep the rules when their model, fitted on everything, gets fewer of the
invented articles right than the rules do.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pannes.nlp.decisions import (
    Models,
    Thresholds,
    label_probabilities,
    place_candidates,
    roles_from_probabilities,
)
from pannes.nlp.evaluate import Names, default_names, label_scores, outage_scores
from pannes.nlp.folds import assign_folds
from pannes.nlp.training import (
    Example,
    Settings,
    fit_duration,
    fit_labels,
    fit_outage,
    fit_region,
    fit_roles,
    fit_start,
    without_words,
)

from pannes.records import CAUSE_LABELS, IMPACT_LABELS

C_GRID = (0.3, 1.0, 3.0)
# The place model reads many sparse context features over few places: it gets a more
# regularised grid and lower thresholds to choose from (measured by the outer CV)
REGION_C_GRID = (0.03, 0.1, 0.3, 1.0)
REGION_THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.5)
INNER_FOLDS = 4
# The timing-phrase model is fitted on few articles: strong regularisation, and a phrase is kept
# only when the model is fairly sure it belongs (measured by the inner cross-validation).
# Whether the impact and cause models read the words of the incident's sentences.
LABEL_WORDS_GRID = (False,)
DURATION_C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
DURATION_THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


@dataclass
class Choice:
    settings: Settings
    thresholds: Thresholds
    use_rules: list[str]
    report: dict[str, Any] = field(default_factory=dict)


def _inner(examples: Sequence[Example]) -> list[tuple[list[Example], list[Example]]]:
    fold_of = assign_folds(examples, INNER_FOLDS)
    return [([e for e in examples if fold_of[e.key] != f], [e for e in examples if fold_of[e.key] == f])
            for f in range(INNER_FOLDS)]


def _gold_outages(examples: Sequence[Example]) -> list[Example]:
    return [e for e in examples if e.passed and e.gold.get("is_outage")]


def _held_out(splits: Sequence[tuple[list[Example], list[Example]]], fit: Callable[[list[Example]], Any],
              predict: Callable[[Any, Example], Any]) -> dict[str, Any]:
    """Key -> prediction of the inner fold that held the article out."""
    out: dict[str, Any] = {}
    for train, test in splits:
        model = fit(train)
        for e in test:
            out[e.key] = predict(model, e)
    return out


def _best(options: dict[Any, float]) -> tuple[Any, float]:
    """The option with the highest score (the first listed among equals)."""
    best = max(options.values())
    return next(k for k, v in options.items() if v == best), best


def tune(examples: Sequence[Example], *, settings: Settings | None = None,
         names: Names | None = None) -> Choice:
    names = names or default_names()
    splits = _inner(examples)
    base = settings or Settings()
    grid_c = (base.c_outage,) if settings else C_GRID
    th = Thresholds()
    use_rules: list[str] = []
    report: dict[str, Any] = {}

    # ---- outage: F1 over every article (a prefilter miss is a miss)
    def outage_f1(verdicts: dict[str, bool]) -> float:
        return outage_scores([(e.gold, {"is_outage": verdicts.get(e.key, False)}, "") for e in examples])["f1"]

    options: dict[tuple, float] = {}
    words_grid = (base.outage_words,) if settings else (True, False)
    for c, words in itertools.product(grid_c, words_grid):
        s = replace(base, c_outage=c, outage_words=words)
        probs = _held_out(splits, lambda tr, s=s: fit_outage(tr, s),
                          lambda m, e, w=words: m.proba(e.outage if w else without_words(e.outage))["yes"]
                          if e.passed else 0.0)
        for t in (0.3, 0.4, 0.5, 0.6, 0.7):
            options[(c, words, t)] = outage_f1({k: p >= t for k, p in probs.items()})
    (c, words, t), score = _best(options)
    rule = outage_f1({e.key: bool(e.rule.get("rule_outage")) for e in examples})
    base = replace(base, c_outage=c, outage_words=words)
    th = replace(th, outage=t)
    if rule >= score:
        use_rules.append("outage")
    report["outage"] = {"model": score, "rules": rule, "c": c, "words": words, "threshold": t}

    # ---- roles: vendors F1 and affected F1 over the gold outages
    outages = _gold_outages(examples)
    outage_splits = [([e for e in tr], [e for e in te if e.passed and e.gold.get("is_outage")])
                     for tr, te in splits]

    def role_f1(field_name: str, chosen: dict[str, tuple[list[str], list[str]]]) -> float:
        triples = [(e.gold, {"is_outage": True, "vendors": chosen[e.key][0], "affected": chosen[e.key][1]}, "")
                   for e in outages]
        return label_scores(triples, field_name, names)["f1"]

    vendor_options: dict[tuple, float] = {}
    affected_options: dict[tuple, float] = {}
    grid_roles = (base.c_roles,) if settings else C_GRID
    for c in grid_roles:
        s = replace(base, c_roles=c)
        probs = _held_out(outage_splits, lambda tr, s=s: fit_roles(tr, s, names),
                          lambda m, e: [m.proba(cand.features) for cand in e.candidates])
        for top, more, child in itertools.product((0.05, 0.15, 0.3), (0.5, 0.7, 0.9), (0.2, 0.4, 1.01)):
            t = replace(th, vendor_top=top, vendor_more=more, vendor_child=child)
            chosen = {e.key: roles_from_probabilities(e.candidates, probs[e.key], t)[:2] for e in outages}
            vendor_options[(c, top, more, child)] = role_f1("vendors", chosen)
        for a in (0.2, 0.3, 0.4, 0.5, 0.6):
            t = replace(th, affected=a)
            chosen = {e.key: roles_from_probabilities(e.candidates, probs[e.key], t)[:2] for e in outages}
            affected_options[(c, a)] = role_f1("affected", chosen)
    (c, top, more, child), vendor_score = _best(vendor_options)
    (_, a), affected_score = _best({k: v for k, v in affected_options.items() if k[0] == c})
    base = replace(base, c_roles=c)
    th = replace(th, vendor_top=top, vendor_more=more, vendor_child=child, affected=a)
    rules_chosen = {e.key: (e.rule.get("vendors") or [], e.rule.get("affected") or []) for e in outages}
    rule_vendors, rule_affected = role_f1("vendors", rules_chosen), role_f1("affected", rules_chosen)
    if rule_vendors >= vendor_score:
        use_rules.append("vendors")
    if rule_affected >= affected_score:
        use_rules.append("affected")
    report["vendors"] = {"model": vendor_score, "rules": rule_vendors, "c": c, "top": top, "more": more,
                         "child": child}
    report["affected"] = {"model": affected_score, "rules": rule_affected, "threshold": a}

    # ---- impact labels (micro-F1) and cause (accuracy), over the gold outages
    for kind in ("impact", "cause"):
        base, th = _tune_labels(kind, outages, outage_splits, base, th, grid_c, settings is not None,
                                use_rules, report)

    # ---- region: the places hit (micro-F1 over the gold outages)
    def region_f1(chosen: dict[str, list[str]]) -> float:
        return label_scores([(e.gold, {"is_outage": True, "region": chosen[e.key]}, "") for e in outages],
                            "region")["f1"]

    options = {}
    for c in (REGION_C_GRID if not settings else (base.c_region,)):
        s = replace(base, c_region=c)
        probs = _held_out(outage_splits, lambda tr, s=s: fit_region(tr, s),
                          lambda m, e: [(name, m.proba(f)["yes"])
                                        for name, f in place_candidates(e.candidates, e.rule.get("region") or [],
                                                                                e.places)])
        for t in REGION_THRESHOLDS:
            options[(c, t)] = region_f1({e.key: [n for n, p in probs[e.key] if p >= t] for e in outages})
    (c, t), score = _best(options)
    base = replace(base, c_region=c)
    th = replace(th, region=t)
    rule = region_f1({e.key: list(e.rule.get("region") or []) for e in outages})
    if rule >= score:
        use_rules.append("region")
    report["region"] = {"model": score, "rules": rule, "c": c, "threshold": t}

    # ---- duration and start: which timing phrases and which day belong to the incident. Scored
    # on the real articles only when there are some: the invented sets were written with the
    # rules and favour them.
    # A model that wins there must still keep every invented article the rules get right, in
    # sample (`_guard`): those sets pin down the conventions, like the tests' thresholds.
    scored = [e for e in outages if not e.invented] or outages
    pinned = [e for e in outages if e.invented]
    base, th = _tune_duration(examples, scored, outage_splits, base, th, settings is not None, use_rules, report)
    base, th = _tune_start(scored, outage_splits, base, th, settings is not None, use_rules, report)
    _guard(examples, pinned, base, th, use_rules, report)
    return Choice(base, th, use_rules, report)


def _tune_labels(kind: str, outages: Sequence[Example], splits: Sequence[tuple[list[Example], list[Example]]],
                 base: Settings, th: Thresholds, grid_c: Sequence[float], fixed: bool, use_rules: list[str],
                 report: dict[str, Any]) -> tuple[Settings, Thresholds]:
    """The impact labels (micro-F1, with their threshold) or the cause (accuracy) over the gold
    outages: the model's regularisation and words by held-out score, then rule or model."""
    labels = IMPACT_LABELS if kind == "impact" else CAUSE_LABELS
    options: dict[tuple, float] = {}
    c_grid = (getattr(base, f"c_{kind}"),) if fixed else grid_c
    words_grid = (getattr(base, f"{kind}_words"),) if fixed else LABEL_WORDS_GRID
    for c, words in itertools.product(c_grid, words_grid):
        s = replace(base, **{f"c_{kind}": c, f"{kind}_words": words})
        probs = _held_out(splits, lambda tr, s=s: fit_labels(tr, kind, s),
                          lambda m, e, w=words: label_probabilities(m, e.details, labels, kind, w))
        if kind == "impact":
            for t in (0.3, 0.4, 0.5, 0.6):
                triples = [(e.gold, {"is_outage": True, "impact": [x for x in labels if probs[e.key][x] >= t]}, "")
                           for e in outages]
                options[(c, words, t)] = label_scores(triples, "impact")["f1"]
        else:
            right = sum((e.gold.get("cause") or "unknown") == max(labels, key=lambda x: probs[e.key][x])
                        for e in outages)
            options[(c, words, None)] = right / max(1, len(outages))
    (c, words, t), score = _best(options)
    base = replace(base, **{f"c_{kind}": c, f"{kind}_words": words})
    if kind == "impact":
        th = replace(th, impact=t)
        rule = label_scores([(e.gold, {"is_outage": True, "impact": e.rule.get("impact") or []}, "")
                             for e in outages], "impact")["f1"]
    else:
        rule = sum((e.gold.get("cause") or "unknown") == (e.rule.get("cause") or "unknown")
                   for e in outages) / max(1, len(outages))
    if rule >= score:
        use_rules.append(kind)
    report[kind] = {"model": score, "rules": rule, "c": c, "words": words, "threshold": t}
    return base, th


def _log_loss(probs: dict[str, list[float]], labels: dict[str, list[str]]) -> float:
    """Held-out log-loss of candidate probabilities against their "yes"/"no" labels, per article key."""
    total = 0.0
    for key, article_labels in labels.items():
        for p, label in zip(probs[key], article_labels, strict=True):
            p = min(max(p, 1e-6), 1 - 1e-6)
            total -= math.log(p if label == "yes" else 1 - p)
    return total


def _smoothed_best(thresholds: Sequence[float], scores: Sequence[float]) -> tuple[float, float]:
    """The threshold whose score, counted with its neighbours', is highest (a lone lucky peak is
    not chosen), and its own score."""
    smoothed = [scores[max(0, i - 1)] + 2 * scores[i] + scores[min(len(scores) - 1, i + 1)]
                for i in range(len(scores))]
    best = max(range(len(scores)), key=lambda i: smoothed[i])
    return thresholds[best], scores[best]


def _tune_duration(examples: Sequence[Example], outages: Sequence[Example],
                   splits: Sequence[tuple[list[Example], list[Example]]], base: Settings, th: Thresholds,
                   fixed: bool, use_rules: list[str], report: dict[str, Any]) -> tuple[Settings, Thresholds]:
    """The timing-phrase model's regularisation and words by its held-out log-loss over the
    phrases (smooth, so stable on few articles), then the threshold by the held-out duration
    overlap, each threshold counted with its neighbours (a lone lucky peak is not chosen)."""
    from pannes.nlp.duration_choice import candidate_labels, candidate_probabilities, choose
    from pannes.nlp.evaluate import duration_correct

    with_timing = [e for e in outages if e.timing is not None]

    def overlap(chosen: dict[str, Any]) -> float:
        return sum(duration_correct(e.gold.get("duration"), chosen[e.key]) for e in outages) / max(1, len(outages))

    grid = ((base.c_duration,), (base.duration_words,)) if fixed else (DURATION_C_GRID, (True, False))
    held: dict[tuple[float, bool], dict[str, list[float]]] = {}
    for c, words in itertools.product(*grid):
        s = replace(base, c_duration=c, duration_words=words)
        held[(c, words)] = _held_out([(tr, [e for e in te if e.timing is not None]) for tr, te in splits],
                                     lambda tr, s=s: fit_duration(tr, s),
                                     lambda m, e, w=words: candidate_probabilities(m, e.timing, words=w))
    losses = {k: _log_loss(v, {e.key: candidate_labels(e.timing, e.gold) for e in with_timing})
              for k, v in held.items()}
    c, words = min(losses, key=lambda k: losses[k])
    probs = held[(c, words)]
    scores = [overlap({e.key: choose(e.timing, probs[e.key], t).to_dict() if e.timing is not None
                       else e.rule.get("duration") for e in outages}) for t in DURATION_THRESHOLDS]
    t, score = _smoothed_best(DURATION_THRESHOLDS, scores)
    rule = overlap({e.key: e.rule.get("duration") for e in outages})
    if rule >= score:
        use_rules.append("duration")
    report["duration"] = {"model": score, "rules": rule, "c": c, "words": words, "threshold": t,
                          "log_loss": round(losses[(c, words)], 2), "articles": len(outages)}
    return replace(base, c_duration=c, duration_words=words), replace(th, duration=t)


def _guard(examples: Sequence[Example], pinned: Sequence[Example], base: Settings, th: Thresholds,
           use_rules: list[str], report: dict[str, Any]) -> None:
    """Keep the rules for the duration (or start) when the model fitted on every example gets
    fewer of the invented articles right than the rules do."""
    from pannes.nlp.decisions import decide_duration, decide_start
    from pannes.nlp.evaluate import duration_correct, start_correct

    from pannes.records import Duration

    models = Models(thresholds=th, duration=fit_duration(examples, base), start=fit_start(examples, base),
                    use_rules=[] if base.duration_words else ["duration_words"])
    for name in ("duration", "start"):
        if name in use_rules or not pinned:
            continue
        if name == "duration":
            model = sum(duration_correct(e.gold.get("duration"), decide_duration(
                models, e.timing, Duration.from_dict(e.rule.get("duration"))).to_dict()) for e in pinned)
            rules = sum(duration_correct(e.gold.get("duration"), e.rule.get("duration")) for e in pinned)
        else:
            model = sum(start_correct(e.gold.get("start"), decide_start(models, e.timing, _day(e.rule.get("start"))),
                                      e.text) for e in pinned)
            rules = sum(start_correct(e.gold.get("start"), e.rule.get("start"), e.text) for e in pinned)
        report[name]["invented"] = {"model": model, "rules": rules, "articles": len(pinned)}
        if model < rules:
            use_rules.append(name)


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


START_C_GRID = (0.03, 0.1, 0.3, 1.0)
START_THRESHOLDS = (0.0, 0.1, 0.2, 0.3)


def _tune_start(outages: Sequence[Example], splits: Sequence[tuple[list[Example], list[Example]]],
                base: Settings, th: Thresholds, fixed: bool, use_rules: list[str], report: dict[str, Any]
                ) -> tuple[Settings, Thresholds]:
    """The start model's regularisation by held-out log-loss, then the threshold below which no
    day is the start by held-out accuracy (neighbours counted, as for the duration)."""
    from pannes.nlp.evaluate import start_correct
    from pannes.nlp.start_choice import choose_start, start_labels, start_probabilities

    def accuracy(chosen: dict[str, Any]) -> float:
        return sum(start_correct(e.gold.get("start"), chosen[e.key], e.text) for e in outages) / max(1, len(outages))

    held: dict[float, dict[str, list[float]]] = {}
    for c in ((base.c_start,) if fixed else START_C_GRID):
        s = replace(base, c_start=c)
        held[c] = _held_out([(tr, [e for e in te if e.timing is not None]) for tr, te in splits],
                            lambda tr, s=s: fit_start(tr, s),
                            lambda m, e: start_probabilities(m, e.timing.starts))
    labels = {e.key: start_labels(e.timing.starts, e.gold) for e in outages if e.timing is not None}
    losses = {c: _log_loss(probs, labels) for c, probs in held.items()}
    c = min(losses, key=lambda k: losses[k])
    probs = held[c]
    scores = [accuracy({e.key: choose_start(e.timing.starts, probs[e.key], t, e.timing.rule_resolved,
                                            _day(e.rule.get("start")))
                        if e.timing is not None else e.rule.get("start") for e in outages})
              for t in START_THRESHOLDS]
    t, score = _smoothed_best(START_THRESHOLDS, scores)
    rule = accuracy({e.key: e.rule.get("start") for e in outages})
    if rule >= score:
        use_rules.append("start")
    report["start"] = {"model": score, "rules": rule, "c": c, "threshold": t, "log_loss": round(losses[c], 2),
                       "articles": len(outages)}
    return replace(base, c_start=c), replace(th, start=t)


__all__ = ["tune", "Choice", "Models"]
