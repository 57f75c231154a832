"""`pannes eval` (score the tagger against gold; cross-validated with --cv; on the crawler's
stored text with --stored) and `pannes train` (fit the learned decisions on gold)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pannes.app.commands import Context, add_command
from pannes.errors import UserInputError

# The fields of a report, in order: (section, field, metric, label)
REPORT_FIELDS = [
    ("tagging", "is_outage", "f1", "outage F1"),
    ("tagging", "vendors", "f1", "vendors F1"),
    ("tagging", "vendors_lenient", "f1", "vendors F1, surface forms"),
    ("tagging", "affected", "f1", "affected F1"),
    ("tagging", "impact", "f1", "impact micro-F1"),
    ("tagging", "cause", "accuracy", "cause accuracy"),
    ("tagging", "duration", "accuracy", "duration overlap"),
    ("tagging", "start", "accuracy", "start"),
    ("tagging", "region", "f1", "region F1"),
    ("grouping", "incident pairs", "f1", "grouping pairs F1"),
]


def _gold_paths(args: argparse.Namespace, names: list[str] | None = None) -> list[Path]:
    paths = [Path(p) for p in (args.gold if names is None else names)]
    for path in paths:
        if not path.is_file():
            raise UserInputError(f"Gold file not found: {path}")
    return paths


def _tagger(ctx: Context | None, args: argparse.Namespace) -> Any:
    from pannes.app.stages import load_tagger

    return load_tagger(ctx.settings if ctx is not None else None, args.vendors,
                       models_dir=getattr(args, "models", None))


def _figure(scores: dict[str, Any], section: str, name: str, metric: str) -> float | None:
    value = scores.get(section, {}).get(name)
    return None if not isinstance(value, dict) else value.get(metric)


def format_scores(scores: dict[str, dict[str, Any]]) -> str:
    """The figures as a plain-text table."""
    lines = []
    for section, figures in scores.items():
        lines.append(f"== {section} ({figures.get('articles', '?')} articles)")
        lines.append(f"{'field':<16}{'P':>8}{'R':>8}{'F1':>8}{'acc':>8}   counts")
        for name, value in figures.items():
            if not isinstance(value, dict):
                continue
            if "f1" in value:
                lines.append(f"{name:<16}{value['precision']:>8.3f}{value['recall']:>8.3f}"
                             f"{value['f1']:>8.3f}{'':>8}   tp={value['tp']} fp={value['fp']} fn={value['fn']}")
            elif "accuracy" in value:
                lines.append(f"{name:<16}{'':>24}{value['accuracy']:>8.3f}   "
                             f"{value['correct']}/{value['total']}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- eval


def score_predictions(items: Sequence[Any], predictions: Sequence[dict[str, Any]]
                      ) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Tagging scores (nlp.evaluate) and the grouping section (incidents.evaluate)."""
    from pannes.incidents.evaluate import grouping_section
    from pannes.nlp.evaluate import evaluate_items

    scores, rows = evaluate_items(items, predictions)
    grouping = grouping_section(items, predictions)
    if grouping is not None:
        scores["grouping"] = grouping
    return scores, rows


def run_eval(args: argparse.Namespace, ctx: Context | None) -> int:
    """Score the tagger against gold files and print the table (or JSON)."""
    if args.cv:
        return run_cross_validation(args, ctx)
    from pannes.nlp.evaluate import french_items, tag_items

    items = french_items(_gold_paths(args))
    if args.stored:
        if ctx is None:
            raise UserInputError("--stored needs the database (--db)")
        items, predictions = _stored_predictions(ctx, args, items)
    else:
        predictions = tag_items(items, _tagger(ctx, args))
    scores, rows = score_predictions(items, predictions)
    if args.predictions_out:
        with Path(args.predictions_out).open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps({"id": row["id"], "tags": row["tags"]}, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps({"scores": scores, "errors": {r["id"]: r["errors"] for r in rows if r["errors"]}},
                         ensure_ascii=False, indent=2))
        return 0
    print(format_scores(scores))
    wrong = [r for r in rows if r["errors"]]
    if wrong:
        print("\narticles with a wrong field:")
        for row in wrong:
            print(f"  {row['id']}: {', '.join(row['errors'])}")
    return 0


def _stored_predictions(ctx: Context, args: argparse.Namespace, items: list[Any]
                        ) -> tuple[list[Any], list[dict[str, Any]]]:
    """Tag the text the crawler stored for the gold articles (matched by title), as users see
    it: extracted from the fetched pages, boilerplate and all."""
    from dataclasses import replace

    from pannes.nlp.evaluate import name_key

    by_title = {name_key(i.gold.get("title") or i.title or ""): i for i in items}
    stored = []
    for article in ctx.store().iter_articles():
        item = by_title.get(name_key(article.title or ""))
        if item is not None:
            stored.append((replace(item, text=article.text, title=article.title), article))
    if not stored:
        raise UserInputError("No stored article matches a gold title: crawl the site of this gold "
                             "set first (for the demo corpus: pannes demo --no-dashboard)")
    print(f"scoring the stored text of {len(stored)} of {len(items)} gold articles", file=sys.stderr)
    tagger = _tagger(ctx, args)
    tags = tagger.tag_many((a.text, a.published, a.title, a.source) for _, a in stored)
    return [i for i, _ in stored], [t.to_dict() for t in tags]


def run_cross_validation(args: argparse.Namespace, ctx: Context | None) -> int:
    """K-fold cross-validation by incident: learned decisions and rules alone, same folds."""
    from pannes.nlp.crossval import cross_validate
    from pannes.nlp.evaluate import french_items

    if args.cv < 2:
        raise UserInputError("--cv wants at least 2 folds")
    items = french_items(_gold_paths(args))
    extra_items = french_items(_gold_paths(args, args.train_also))
    examples = _examples(ctx, args, items + extra_items)
    extra = examples[len(items):]
    examples = examples[:len(items)]
    by_key = {i.key: i for i in items}
    if args.draws < 1:
        raise UserInputError("--draws wants at least 1")
    results = [cross_validate(examples, args.cv, extra=extra, split=split,
                              scorer=lambda ex, preds: score_predictions([by_key[e.key] for e in ex], preds)[0])
               for split in range(args.draws)]
    rows = _cv_rows(results[0])
    if args.draws > 1:
        import statistics

        draws = [_cv_rows(r) for r in results]
        for label, row in rows.items():
            row["draws_mean"] = round(statistics.fmean(d[label]["learned"] for d in draws if label in d), 4)
            row["draws"] = [d[label]["learned"] for d in draws if label in d]
    if args.json:
        print(json.dumps({"folds": args.cv, "draws": args.draws, "articles": len(items),
                          "train_also": len(extra_items), "fields": rows}, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.cv}-fold cross-validation by incident, {len(items)} articles "
          f"({sum(1 for i in items if i.gold.get('is_outage'))} outages)"
          + (f"; {len(extra_items)} more in every training fold, never scored" if extra_items else ""))
    draws_head = f"{f'{args.draws} draws':>10}" if args.draws > 1 else ""
    print(f"{'field':<28}{'learned':>9}{'folds mean ± spread':>22}{'rules':>9}{draws_head}")
    for label, row in rows.items():
        print(f"{label:<28}{row['learned']:>9.3f}{row['mean']:>13.3f} ± {row['spread']:.3f}"
              f"{row['rules']:>9.3f}" + (f"{row['draws_mean']:>10.3f}" if args.draws > 1 else ""))
    return 0


def _cv_rows(result: Any) -> dict[str, dict[str, float]]:
    import statistics

    rows = {}
    for section, name, metric, label in REPORT_FIELDS:
        folds = [_figure(f.scores, section, name, metric) for f in result.folds]
        if any(v is None for v in folds):
            continue
        rows[label] = {
            "learned": round(_figure(result.pooled, section, name, metric) or 0.0, 4),
            "rules": round(_figure(result.pooled_rules, section, name, metric) or 0.0, 4),
            "mean": round(statistics.fmean(folds), 4),
            "spread": round(statistics.pstdev(folds), 4),
        }
    return rows


def _examples(ctx: Context | None, args: argparse.Namespace, items: list[Any]) -> list[Any]:
    from pannes.nlp.training import extract

    print(f"reading the features of {len(items)} articles ...", file=sys.stderr)
    return extract(_tagger(ctx, args), items)


# ---------------------------------------------------------------------------- train


def run_train(args: argparse.Namespace, ctx: Context | None) -> int:
    """Fit the learned decisions on gold files (and editors' corrections) into --out."""
    from dataclasses import replace

    from pannes.nlp.goldsets import GoldItem
    from pannes.nlp.training import data_hash, train

    paths = _gold_paths(args)
    from pannes.nlp.evaluate import french_items

    items: list[GoldItem] = french_items(paths)
    invented_paths = _gold_paths(args, args.train_also)
    invented = range(len(items), len(items) + len(french_items(invented_paths)))
    items += french_items(invented_paths)
    paths += invented_paths
    corrections_blob = b""
    if args.with_corrections:
        from pannes.app.corrections_gold import corrected_gold

        extra = corrected_gold(Path(args.with_corrections))
        print(f"adding {len(extra)} articles corrected by editors in {args.with_corrections}",
              file=sys.stderr)
        items += extra
        corrections_blob = json.dumps([i.gold for i in extra], sort_keys=True, default=str).encode()
    if not items:
        raise UserInputError("No French article in the gold files")
    examples = [replace(e, invented=i in invented) for i, e in enumerate(_examples(ctx, args, items))]
    models = train(examples)
    import sklearn

    models.meta.update({
        "data": [p.name for p in paths] + ([f"corrections:{Path(args.with_corrections).name}"]
                                           if args.with_corrections else []),
        "data_sha256": data_hash(paths, corrections_blob),
        "articles": len(items),
        "outages": sum(1 for i in items if i.gold.get("is_outage")),
        "seed": 0,
        "scikit_learn": sklearn.__version__,
    })
    path = models.save(args.out)
    report = models.meta.get("tuning", {})
    print(f"models written to {path} (data sha256 {models.meta['data_sha256'][:12]}, "
          f"{len(items)} articles)")
    for decision, figures in report.items():
        kept = "rules" if decision in models.use_rules else "model"
        print(f"  {decision:<10} inner CV: model {figures['model']:.3f}, rules {figures['rules']:.3f} "
              f"-> {kept}")
    return 0


# ---------------------------------------------------------------------------- wiring


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("gold", nargs="+", help="gold JSONL files (ANNOTATION.md fields)")
    parser.add_argument("--vendors", type=Path, action="append", default=[], metavar="FILE",
                        help="extra vendor file (JSONL like nlp/data/vendors.jsonl); repeatable")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `eval` and `train`."""
    p = add_command(subparsers, "eval", func=run_eval,
                    help="score the tagger against gold JSONL files (ANNOTATION.md metrics)",
                    epilog="--cv K cross-validates the learned decisions by incident on the gold "
                           "files (K-1 folds train, one scores) beside the rules on the same folds.")
    _add_common(p)
    p.add_argument("--cv", type=int, default=0, metavar="K",
                   help="K-fold cross-validation by incident, learned decisions against rules")
    p.add_argument("--train-also", nargs="+", default=[], metavar="GOLD",
                   help="with --cv: gold files added to every training fold and never scored "
                        "(the project's invented sets, as `pannes train` uses them)")
    p.add_argument("--draws", type=int, default=1, metavar="N",
                   help="with --cv: also draw the folds N-1 other ways and report the mean "
                        "of the N draws (a steadier figure than one split)")
    p.add_argument("--stored", action="store_true",
                   help="score the text the crawler stored in --db for the gold articles")
    p.add_argument("--models", type=Path, metavar="DIR", help="models to evaluate (default: shipped)")
    p.add_argument("--predictions-out", metavar="FILE", help="write the predicted tags (JSONL)")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p = add_command(subparsers, "train", func=run_train,
                    help="train the learned decisions on gold JSONL files",
                    epilog="Deterministic for the same data; records the data's sha256. Ship the "
                           "result by training into nlp/models (see README, Tagging).")
    _add_common(p)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write models.json")
    p.add_argument("--train-also", nargs="+", default=[], metavar="GOLD",
                   help="gold files trained on but left out of the inner cross-validation's scores "
                        "where a decision is tuned on real articles only (the project's invented sets)")
    p.add_argument("--with-corrections", metavar="DB",
                   help="add the articles editors corrected in this database as gold")
