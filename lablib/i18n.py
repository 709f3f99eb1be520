"""The language of what lablib shows in a notebook: English or French.

Tables, check results, hints and widget labels follow the notebook's language; error
messages stay in English, as in a vCenter installed in English.
"""

from __future__ import annotations

from .errors import InputError

LANGUAGES = ("en", "fr")
_current = "en"


def set_language(lang: str) -> None:
    """Show lablib's tables, checks and widgets in `lang` ("en" or "fr")."""
    global _current
    if lang not in LANGUAGES:
        raise InputError(f"Unknown language {lang!r}. Accepted: {', '.join(LANGUAGES)}.")
    _current = lang


def language() -> str:
    """Return the current language code."""
    return _current


def tr(en: str, fr: str) -> str:
    """Return the English or French text, as the current language says."""
    return fr if _current == "fr" else en
