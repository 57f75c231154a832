"""Tagging commands: `tag` (stored articles), `tag-text` (one text), `eval` (against gold)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pannes.app.commands import Context, add_command
from pannes.errors import UserInputError

if TYPE_CHECKING:
    from pannes.nlp.tagger import Tagger


def _load_tagger(ctx: Context | None, extra: Sequence[Path] = ()) -> Tagger:
    from pannes.nlp.tagger import Tagger

    files = list(extra)
    if ctx is not None:
        files = list(ctx.settings.nlp.vendor_files) + files
    for path in files:
        if not Path(path).is_file():
            raise UserInputError(f"Vendor file not found: {path} (option --vendors or nlp.vendor_files)")
    return Tagger.load(extra_vendor_files=files)


def _published(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        if len(value) == 7:
            date.fromisoformat(value + "-01")
        else:
            date.fromisoformat(value)
    except ValueError:
        raise UserInputError(f"--published wants YYYY-MM-DD or YYYY-MM, not {value!r}") from None
    return value


# ---------------------------------------------------------------------------- tag-text


def run_tag_text(args: argparse.Namespace, ctx: Context | None) -> int:
    """Print the tags of one text (a file, or standard input with `-`)."""
    if args.file in (None, "-"):
        text = sys.stdin.read()
    else:
        path = Path(args.file)
        if not path.is_file():
            raise UserInputError(f"File not found: {path}")
        text = path.read_text(encoding="utf-8")
    tagger = _load_tagger(ctx, args.vendors)
    tags = tagger.tag(text, published=_published(args.published), title=args.title)
    data = tags.to_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"outage: {'yes' if tags.is_outage else 'no'} (score {tags.outage_score:.2f})")
    if tags.is_outage:
        for field in ("vendors", "affected", "impact", "cause_ruled_out", "region"):
            print(f"{field}: {', '.join(data[field]) or '-'}")
        print(f"cause: {tags.cause}")
        d = tags.duration
        print(f"duration: {d.hours_min}–{d.hours_max} h, ongoing={d.ongoing} ({'; '.join(d.text) or '-'})")
        print(f"start: {data['start'] or '-'}  end: {data['end'] or '-'}")
        if tags.users_affected_text:
            print(f"users affected: {tags.users_affected or '?'} ({tags.users_affected_text})")
    for mention in tags.mentions:
        print(f"mention: {mention.vendor or '?'} {mention.when or ''} {mention.duration_text or ''}".rstrip())
    return 0


# ---------------------------------------------------------------------------- eval


def evaluate_file(gold_path: Path, tagger: Tagger, *, batch_size: int = 16
                  ) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Tag every article of a gold file; returns (scores by section, per-article predictions)."""
    from pannes.nlp.evaluate import article_errors, score
    from pannes.nlp.goldsets import load_gold

    # The tagger reads French; the store keeps other languages out of tagging, so does eval.
    items = [i for i in load_gold(gold_path) if not i.language or i.language.lower().startswith("fr")]
    predictions = [t.to_dict() for t in tagger.tag_many(
        ((i.text, i.published, i.title) for i in items), batch_size=batch_size)]
    scores = score((i.gold, p, i.text) for i, p in zip(items, predictions, strict=True))
    grouping = grouping_section(items, predictions)
    if grouping is not None:
        scores["grouping"] = grouping
    rows = [{"id": i.key, "errors": article_errors(i.gold, p, i.text), "tags": p}
            for i, p in zip(items, predictions, strict=True)]
    return scores, rows


def _published_date(value: str | None) -> date | None:
    """A gold publication date as a date; a month alone or nothing gives None."""
    if value and len(value) >= 10:
        return date.fromisoformat(value[:10])
    return None


def grouping_section(items: Sequence[Any], predictions: Sequence[dict[str, Any]]
                     ) -> dict[str, Any] | None:
    """Pairwise precision / recall / F1 of the incident grouping run on the predicted tags,
    against the gold incidents (`incident_id`, else `same_incident_as` links); None when the
    gold file says nothing about incidents."""
    from pannes.incidents.evaluate import clusters_from_links, score_grouping
    from pannes.records import Article, TaggedArticle, Tags

    if not any(i.gold.get("incident_id") or i.gold.get("same_incident_as") for i in items):
        return None
    keys = [i.key for i in items]
    if any(i.gold.get("incident_id") for i in items):
        labels = [i.gold.get("incident_id") if i.gold.get("is_outage") else None for i in items]
    else:
        component = {}
        for n, cluster in enumerate(clusters_from_links(
                keys, {i.key: i.gold.get("same_incident_as") or [] for i in items})):
            for key in cluster:
                component[key] = n
        labels = [component[i.key] if i.gold.get("is_outage") else None for i in items]
    articles = [
        TaggedArticle(Article(url=f"gold:{i.key}", source=str(i.gold.get("source") or "gold"),
                              title=i.title or "", text=i.text,
                              published=_published_date(i.published)),
                      Tags.from_dict(p))
        for i, p in zip(items, predictions, strict=True)
    ]
    pairs = score_grouping(articles, labels)
    return {
        "articles": len(items),
        "incident pairs": {
            "precision": pairs.precision, "recall": pairs.recall, "f1": pairs.f1,
            "tp": pairs.true_pairs, "fp": pairs.predicted_pairs - pairs.true_pairs,
            "fn": pairs.gold_pairs - pairs.true_pairs,
        },
    }


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


def run_eval(args: argparse.Namespace, ctx: Context | None) -> int:
    """Score the tagger against a gold file and print the table (or JSON)."""
    tagger = _load_tagger(ctx, args.vendors)
    scores, rows = evaluate_file(Path(args.gold), tagger)
    if args.predictions_out:
        with Path(args.predictions_out).open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps({"id": row["id"], "tags": row["tags"]}, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps({"scores": scores, "errors": {r["id"]: r["errors"] for r in rows if r["errors"]}},
                         ensure_ascii=False, indent=2))
    else:
        print(format_scores(scores))
        wrong = [r for r in rows if r["errors"]]
        if wrong:
            print("\narticles with a wrong field:")
            for row in wrong:
                print(f"  {row['id']}: {', '.join(row['errors'])}")
    return 0


# ---------------------------------------------------------------------------- tag (store)


def run_tag(args: argparse.Namespace, ctx: Context) -> int:
    """Tag the stored articles that have no tags from this pipeline version (all with --retag)."""
    from pannes.app.stages import tag_stage

    for path in args.vendors:
        if not Path(path).is_file():
            raise UserInputError(f"Vendor file not found: {path} (option --vendors)")
    report = tag_stage(ctx.store(), ctx.settings, extra_vendor_files=args.vendors, retag=args.retag,
                       batch_size=args.batch_size or None, limit=args.limit or None,
                       progress=ctx.progress)
    print(report.summary())
    return 0


# ---------------------------------------------------------------------------- wiring


def _add_vendor_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vendors", type=Path, action="append", default=[], metavar="FILE",
                        help="extra vendor file (JSONL like nlp/data/vendors.jsonl); repeatable")


def _tag_text_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default="-", help="text file, or - for standard input")
    parser.add_argument("--published", help="publication date, YYYY-MM-DD or YYYY-MM")
    parser.add_argument("--title", help="the article's title")
    parser.add_argument("--json", action="store_true", help="print the tags as JSON")
    _add_vendor_option(parser)


def _eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("gold", help="gold JSONL (text or file, optional title/published, gold fields)")
    parser.add_argument("--predictions-out", metavar="FILE", help="write the predicted tags (JSONL)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    _add_vendor_option(parser)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `tag`, `tag-text` and `eval`."""
    p = add_command(subparsers, "tag", func=run_tag,
                    help="tag the stored articles not yet tagged by this pipeline version")
    p.add_argument("--retag", action="store_true", help="re-tag every article")
    p.add_argument("--batch-size", type=int, default=0, help="articles per spaCy batch")
    p.add_argument("--limit", type=int, default=0, help="stop after this many articles")
    _add_vendor_option(p)
    p = add_command(subparsers, "tag-text", func=run_tag_text, help="print the tags of one text")
    _tag_text_arguments(p)
    p = add_command(subparsers, "eval", func=run_eval,
                    help="score the tagger against a gold JSONL file (ANNOTATION.md metrics)")
    _eval_arguments(p)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m pannes.app.commands.tag tag-text|eval ...` without the store or settings."""
    parser = argparse.ArgumentParser(prog="python -m pannes.app.commands.tag")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("tag-text")
    _tag_text_arguments(p)
    p.set_defaults(func=run_tag_text)
    p = sub.add_parser("eval")
    _eval_arguments(p)
    p.set_defaults(func=run_eval)
    args = parser.parse_args(argv)
    try:
        return args.func(args, None)
    except UserInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
