"""Base for the components that hold a JSONL lexicon: load in `initialize`, save with `to_disk`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pannes.nlp.cues import CueMatcher
from pannes.nlp.extensions import register_extensions
from pannes.nlp.lexicon import load_rows, read_jsonl, write_jsonl
from spacy.language import Language
from spacy.tokens import Doc


class LexiconComponent:
    """A spaCy component whose patterns are JSONL rows (packaged default or a given file)."""

    default_file = ""  # name of the packaged data file
    longest = False

    def __init__(self, nlp: Language, name: str, *, data_file: str = "") -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.data_file = data_file
        self.rows: list[dict[str, Any]] = []
        self.matcher: CueMatcher | None = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data_file: str | None = None,
        rows: Iterable[dict[str, Any]] | None = None,
    ) -> None:
        """Load the lexicon: given rows, a file, or the packaged default."""
        if rows is not None:
            self.set_rows(list(rows))
        else:
            self.set_rows(load_rows(data_file if data_file is not None else self.data_file,
                                    self.default_file))

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.matcher = CueMatcher(self.nlp.vocab, rows, self.nlp.make_doc, longest=self.longest)

    def match(self, doc: Doc) -> list:
        if self.matcher is None:
            self.initialize()
        assert self.matcher is not None
        return self.matcher(doc)

    def to_disk(self, path: Path | str, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_jsonl(path / "patterns.jsonl", self.rows)

    def from_disk(self, path: Path | str, *, exclude: Iterable[str] = ()) -> LexiconComponent:
        self.set_rows(read_jsonl(Path(path) / "patterns.jsonl"))
        return self
