"""Tagging commands: `tag` (stored articles) and `tag-text` (one text)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pannes.app.commands import Context, add_command
from pannes.errors import UserInputError

if TYPE_CHECKING:
    from pannes.nlp.tagger import Tagger


def _load_tagger(ctx: Context | None, extra: Sequence[Path] = (), models: Path | None = None) -> Tagger:
    from pannes.app.stages import load_tagger

    return load_tagger(ctx.settings if ctx is not None else None, extra, models_dir=models)


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
    tagger = _load_tagger(ctx, args.vendors, args.models)
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


# ---------------------------------------------------------------------------- tag (store)


def run_tag(args: argparse.Namespace, ctx: Context) -> int:
    """Tag the stored articles that have no tags from this pipeline version (all with --retag)."""
    from pannes.app.stages import tag_stage

    for path in args.vendors:
        if not Path(path).is_file():
            raise UserInputError(f"Vendor file not found: {path} (option --vendors)")
    report = tag_stage(ctx.store(), ctx.settings, extra_vendor_files=args.vendors, retag=args.retag,
                       batch_size=args.batch_size or None, limit=args.limit or None,
                       models_dir=args.models, progress=ctx.progress)
    print(report.summary())
    return 0


# ---------------------------------------------------------------------------- wiring


def _add_vendor_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vendors", type=Path, action="append", default=[], metavar="FILE",
                        help="extra vendor file (JSONL like nlp/data/vendors.jsonl); repeatable")
    parser.add_argument("--models", type=Path, metavar="DIR",
                        help="learned decisions written by pannes train (default: nlp.models_dir, "
                             "else the shipped ones)")


def _tag_text_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default="-", help="text file, or - for standard input")
    parser.add_argument("--published", help="publication date, YYYY-MM-DD or YYYY-MM")
    parser.add_argument("--title", help="the article's title")
    parser.add_argument("--json", action="store_true", help="print the tags as JSON")
    _add_vendor_option(parser)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `tag` and `tag-text`."""
    p = add_command(subparsers, "tag", func=run_tag,
                    help="tag the stored articles not yet tagged by this pipeline version")
    p.add_argument("--retag", action="store_true", help="re-tag every article")
    p.add_argument("--batch-size", type=int, default=0, help="articles per spaCy batch")
    p.add_argument("--limit", type=int, default=0, help="stop after this many articles")
    _add_vendor_option(p)
    p = add_command(subparsers, "tag-text", func=run_tag_text, help="print the tags of one text")
    _tag_text_arguments(p)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m pannes.app.commands.tag tag-text ...` without the store or settings."""
    parser = argparse.ArgumentParser(prog="python -m pannes.app.commands.tag")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("tag-text")
    _tag_text_arguments(p)
    p.set_defaults(func=run_tag_text)
    args = parser.parse_args(argv)
    try:
        return args.func(args, None)
    except UserInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
