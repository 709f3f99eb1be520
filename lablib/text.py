"""What lablib shows, in English and French: one text type, rendered when it is shown.

A `Text` holds both languages and is turned into a string only when it is displayed
(`str()`, a table, an error message), in the language `set_language` chose for the
notebook. So a table built before `lablib.set_language("fr")` still shows French, and
every message, refusal, table and plot goes through the same two functions:

    Text("{vm} runs on {host}.", "{vm} tourne sur {host}.", vm="vm-shared", host=host)
    str(text)                  # rendered in the current language
    text.render("fr")          # or in a given one

Values may be Texts themselves; they are rendered in the same language. The language is
chosen, and checked, by lablib.language.set_language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

LANGUAGES = ("en", "fr")
_current = ["en"]


def use_language(lang: str) -> None:
    """Render from now on in `lang`, already checked (lablib.language.set_language)."""
    _current[0] = lang


def language() -> str:
    """Return the current language code."""
    return _current[0]


def render(value: Any, lang: str | None = None) -> str:
    """Return `value` as shown in `lang` (the current language by default)."""
    if isinstance(value, Text):
        return value.render(lang)
    return str(value)


class Text:
    """A message in English and French, with `{name}` fields filled when it is rendered."""

    __slots__ = ("_en", "_fr", "_parts", "_values")

    def __init__(self, en: str, fr: str | None = None, /, **values: Any):
        self._en, self._fr = en, en if fr is None else fr
        self._values = values
        self._parts: tuple[Any, list[Any]] | None = None  # (separator, parts) of a join

    @classmethod
    def of(cls, value: Any) -> Text:
        """Return `value` as a Text (a plain string reads the same in both languages)."""
        return value if isinstance(value, Text) else cls(str(value))

    @classmethod
    def join(cls, separator: Any, parts: Iterable[Any]) -> Text:
        """Return the parts joined by `separator`, rendered together."""
        joined = cls("")
        joined._parts = (separator, list(parts))
        return joined

    def fill(self, **values: Any) -> Text:
        """Return this text with more `{name}` values."""
        filled = Text(self._en, self._fr, **{**self._values, **values})
        filled._parts = self._parts
        return filled

    def render(self, lang: str | None = None) -> str:
        """Return the text in `lang` (the current language by default)."""
        lang = language() if lang is None else lang
        if self._parts is not None:
            separator, parts = self._parts
            return render(separator, lang).join(render(part, lang) for part in parts)
        template = self._fr if lang == "fr" else self._en
        if not self._values:
            return template
        return template.format(**{k: v.render(lang) if isinstance(v, Text) else v
                                  for k, v in self._values.items()})

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return repr(self.render())

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)

    def __add__(self, other: Any) -> Text:
        return Text.join("", [self, other])

    def __radd__(self, other: Any) -> Text:
        return Text.join("", [other, self])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return all(self.render(lang) == other.render(lang) for lang in LANGUAGES)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self.render(lang) for lang in LANGUAGES))

    def __len__(self) -> int:
        return len(self.render())

    def __contains__(self, part: str) -> bool:
        return part in self.render()


def number(value: float, digits: int = 1) -> Text:
    """Return a decimal number as each language writes it: 5.4 in English, 5,4 in French."""
    written = f"{value:.{digits}f}"
    return Text(written, written.replace(".", ","))
