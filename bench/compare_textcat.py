"""spaCy's own text classifiers against pannes' learned decisions, on the same folds.

Issue 13 asks to use spaCy's trainable components (`textcat`, `textcat_multilabel`) where
they fit and linear models over the rules' features where those fit better. This runs both
on the same 5 folds by incident over the real annotated sets (train + dev), with the
project's invented sets in every training fold, and writes the figures:

- outage F1: `textcat` (bag of words and bigrams; with `--ensemble`, also spaCy's default
  ensemble with its own tok2vec, about 3 minutes more) against `pannes_learned_outage`;
- impact micro-F1 over the gold outages: `textcat_multilabel` (bag of words and bigrams)
  against the learned impact decision (whose figure also counts the outages it missed).

    .venv/bin/python bench/compare_textcat.py [--shared ../shared] [--ensemble]

Writes bench/results/textcat.json and bench/results/textcat.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
INVENTED = ["tests/fixtures/nlp/probe.jsonl", "tests/fixtures/nlp/probe2.jsonl",
            "tests/fixtures/nlp/probe3.jsonl", "demo/corpus/articles.jsonl"]
EPOCHS = 12
BOW = {"@architectures": "spacy.TextCatBOW.v3", "ngram_size": 2, "no_output_layer": False}


def train_textcat(pipe: str, model: dict[str, Any] | None, labels: list[str],
                  rows: list[tuple[str, dict[str, float]]]) -> Any:
    import spacy
    from spacy.training import Example

    nlp = spacy.blank("fr")
    component = nlp.add_pipe(pipe, config={"model": model} if model else {})
    for label in labels:
        component.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(text), {"cats": cats}) for text, cats in rows]
    random.seed(0)
    spacy.util.fix_random_seed(0)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(EPOCHS):
        random.shuffle(examples)
        for batch in spacy.util.minibatch(examples, 16):
            nlp.update(batch, sgd=optimizer)
    return nlp


def outage_f1(pairs: list[tuple[bool, bool]]) -> float:
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    return round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--ensemble", action="store_true")
    args = parser.parse_args()

    from pannes.nlp.crossval import cross_validate
    from pannes.nlp.evaluate import french_items, label_scores
    from pannes.nlp.folds import assign_folds
    from pannes.nlp.tagger import Tagger
    from pannes.nlp.training import extract

    from pannes.records import IMPACT_LABELS

    shared = Path(args.shared)
    started = time.time()
    tagger = Tagger.load(learned=False)
    real = extract(tagger, french_items([shared / "eval" / "train.jsonl", shared / "eval" / "dev.jsonl"]))
    extra = extract(tagger, french_items([shared / "seeds" / "gold.jsonl", *(ROOT / p for p in INVENTED[:3])]))
    extra += extract(Tagger.load(learned=False, extra_vendor_files=[ROOT / "demo" / "vendors.jsonl"]),
                     french_items([ROOT / INVENTED[3]]))
    fold = assign_folds(real, 5)
    cv = cross_validate(real, 5, extra=extra)
    summary = cv.summary()
    out: dict[str, Any] = {
        "articles": len(real), "outages": sum(bool(e.gold.get("is_outage")) for e in real),
        "learned": {"outage_f1": summary["is_outage.f1"]["learned"], "impact_f1": summary["impact.f1"]["learned"]},
        "rules": {"outage_f1": summary["is_outage.f1"]["rules"], "impact_f1": summary["impact.f1"]["rules"]},
    }
    architectures = {"bow": BOW | {"exclusive_classes": True}}
    if args.ensemble:
        architectures["ensemble"] = None  # spaCy's default textcat model
    for name, model in architectures.items():
        pairs = []
        for f in range(5):
            train = [e for e in real if fold[e.key] != f] + extra
            nlp = train_textcat("textcat", model, ["OUTAGE", "OTHER"],
                                [(e.text, {"OUTAGE": float(bool(e.gold.get("is_outage"))),
                                           "OTHER": float(not e.gold.get("is_outage"))}) for e in train])
            test = [e for e in real if fold[e.key] == f]
            pairs += [(bool(e.gold.get("is_outage")), doc.cats["OUTAGE"] >= 0.5)
                      for e, doc in zip(test, nlp.pipe(e.text for e in test), strict=True)]
        out[f"textcat_{name}"] = {"outage_f1": outage_f1(pairs)}
    probs: dict[str, dict[str, float]] = {}
    for f in range(5):
        train = [e for e in [*[e for e in real if fold[e.key] != f], *extra] if e.gold.get("is_outage")]
        nlp = train_textcat("textcat_multilabel", BOW | {"exclusive_classes": False}, list(IMPACT_LABELS),
                            [(e.text, {x: float(x in (e.gold.get("impact") or [])) for x in IMPACT_LABELS})
                             for e in train])
        test = [e for e in real if fold[e.key] == f and e.gold.get("is_outage")]
        probs.update({e.key: doc.cats for e, doc in zip(test, nlp.pipe(e.text for e in test), strict=True)})
    outages = [e for e in real if e.gold.get("is_outage")]
    out["textcat_multilabel_bow"] = {
        f"impact_f1@{t}": label_scores([(e.gold, {"is_outage": True, "impact": [x for x in IMPACT_LABELS
                                                                                  if probs[e.key][x] >= t]}, "")
                                        for e in outages], "impact")["f1"]
        for t in (0.3, 0.5)}
    out["seconds"] = round(time.time() - started)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "textcat.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    lines = [
        "# spaCy text classifiers against the learned decisions",
        "",
        f"5 folds by incident over {out['articles']} real articles (train + dev, {out['outages']} outages); "
        "the invented sets train in every fold. `python bench/compare_textcat.py"
        + (" --ensemble" if args.ensemble else "") + "`.",
        "",
        "| decision | learned (linear over rule features) | rules alone | spaCy component |",
        "|---|---|---|---|",
    ]
    spacy_outage = ", ".join(f"textcat {k.removeprefix('textcat_')} {v['outage_f1']:.3f}"
                             for k, v in out.items() if k.startswith("textcat_") and "outage_f1" in v)
    lines.append(f"| outage F1 | {out['learned']['outage_f1']:.3f} | {out['rules']['outage_f1']:.3f} | {spacy_outage} |")
    ml = out["textcat_multilabel_bow"]
    lines.append(f"| impact micro-F1 | {out['learned']['impact_f1']:.3f} | {out['rules']['impact_f1']:.3f} | "
                 f"textcat_multilabel bow {ml['impact_f1@0.3']:.3f} (threshold 0.3), "
                 f"{ml['impact_f1@0.5']:.3f} (0.5), gold outages given |")
    lines += ["", f"Run time {out['seconds']} s."]
    (RESULTS / "textcat.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
