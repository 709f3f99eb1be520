"""Small building blocks the labs' checks share: reading an answer the student gives.

Each helper returns the value, or ends the evaluation with `not_done()` / `wrong(...)`.
"""

from __future__ import annotations

from .core import T, not_done, wrong


def text_answer(ctx, kind_en: str, kind_fr: str) -> str:
    """Return the answer as a stripped str; not done when missing; wrong when not text."""
    if ctx.answer is None:
        not_done()
    if not isinstance(ctx.answer, str) or not ctx.answer.strip():
        wrong(T(f"Give the {kind_en}'s name as text, in quotes: \"...\".",
                f"Donnez le nom {kind_fr} sous forme de texte, entre guillemets : \"...\"."))
    return ctx.answer.strip()


def number_answer(ctx, low: float = 0) -> float:
    """Return the answer as a number >= `low`; not done when missing; wrong otherwise."""
    if ctx.answer is None:
        not_done()
    value = ctx.answer
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low:
        wrong(T("Give a number of at least {low}, without quotes (for example 300_000).",
                "Donnez un nombre d'au moins {low}, sans guillemets (par exemple 300_000)."),
              low=low)
    return value


def key_set(ctx, accepted: dict[str, str]) -> set[str]:
    """Return the answer as a set of canonical keys; not done when missing; wrong otherwise.

    Args:
        ctx: the check's context.
        accepted: every word a student may write (lower case) -> its canonical key.
    """
    if ctx.answer is None:
        not_done()
    answer = ctx.answer
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        wrong(T("Give a set of words in braces, for example {{\"a\", \"b\"}}.",
                "Donnez un ensemble de mots entre accolades, par exemple {{\"a\", \"b\"}}."))
    keys, unknown = set(), []
    for word in answer:
        key = accepted.get(str(word).strip().lower())
        if key is None:
            unknown.append(repr(word))
        else:
            keys.add(key)
    if unknown:
        wrong(T("Unknown word(s) {unknown}. Use: {words}.",
                "Mot(s) inconnu(s) {unknown}. Utilisez : {words}."),
              unknown=", ".join(unknown), words=", ".join(sorted(set(accepted.values()))))
    return keys
