"""The tagger's version, derived from what decides the tags: the code's release, the data files,
the trained models and any extra vendor file. Stored articles tagged by another version are
tagged again, so adding a vendor file or shipping new models re-tags without a manual bump."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

RELEASE = "pannes-tagger-2"


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in {".jsonl", ".json"}) \
        if directory.is_dir() else []


def pipeline_version(extra_vendor_files: Sequence[Path | str] = (),
                     models_dir: Path | str | None = None) -> str:
    """`pannes-tagger-2+<12 hex>`: a hash of the data files, the models and the extra vendor
    files (their bytes, so an edited file is a new version; their order does not matter)."""
    package = Path(str(resources.files("pannes.nlp")))
    models = Path(models_dir) if models_dir is not None else package / "models"
    digest = hashlib.sha256()
    for path in [*_files(package / "data"), *_files(models)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    extra = sorted(hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in extra_vendor_files
                   if Path(p).is_file())
    digest.update("\n".join(extra).encode())
    return f"{RELEASE}+{digest.hexdigest()[:12]}"
