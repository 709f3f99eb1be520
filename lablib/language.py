"""The notebook's language: the one place that checks and sets it (English or French)."""

from __future__ import annotations

from .errors import InputError
from .text import LANGUAGES, Text, use_language


def check_language(lang: object) -> str:
    """Return `lang` if it is a language lablib speaks, else raise InputError."""
    if lang not in LANGUAGES:
        raise InputError(Text(
            "Unknown language {lang}. Accepted: {accepted}.",
            "Langue inconnue : {lang}. Acceptées : {accepted}.",
            lang=repr(lang)[:40], accepted=", ".join(LANGUAGES)))
    return str(lang)


def set_language(lang: str) -> None:
    """Show lablib's messages, tables, checks, widgets and plots in `lang` ("en" or "fr")."""
    use_language(check_language(lang))
