"""The French dictionary: is a word ordinary, correctly spelt French?

"Did you mean" must not rewrite ``dans`` into ``ans`` because the index holds
no stop word, nor ``dirige`` into something else because no article has that
form. The word list is simplemma's French lexicon (about 250,000 forms, with
their inflections), which ships inside the package: nothing to download.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

__all__ = ["is_french_word"]


@lru_cache(maxsize=50_000)
def is_french_word(word: str) -> bool:
    """Whether ``word`` is a form of the French dictionary (case aside).

    >>> is_french_word("dirige"), is_french_word("Lavrov")
    (True, False)
    """
    return bool(word) and simplemma.is_known(word, lang="fr")
