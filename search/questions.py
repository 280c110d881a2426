"""Readers' questions: the words that frame a question are not what it asks about.

« Quel est le nom du fleuve franchi par l'armée ? » asks about a river and an
army; « nom » only says that a name is expected, and an article that answers
rarely holds it. In a question (it opens with an interrogative word, perhaps
after a preposition, or ends with « ? »), the frame words below still score,
but do not count among the words that order the results (``ranking/tiers.py``):
an article is not put first for holding « nom ». Outside questions they are
words like any other: « Le nom de la rose ».
"""

from __future__ import annotations

import re

from .analysis import fold

__all__ = ["is_frame_word", "is_question"]

# Interrogative words, accents folded (most are stop words already).
_INTERROGATIVES = frozenset(
    """quel quelle quels quelles qui que qu quoi ou quand comment combien pourquoi lequel laquelle
    lesquels lesquelles auquel auxquels auxquelles duquel desquels desquelles""".split()
)
# What questions are made of besides their subject: auxiliaries, the kind of answer expected
# (a name, a year, a kind), and the verbs of naming and meaning.
_FRAME_WORDS = frozenset(
    """quoi ete etre eu peut peuvent faut fallait doit dit disent signifie veut
    nom noms appelle appellent appelait appele appelee appeles appelees nomme nommee nommes nommees
    surnomme surnommee surnom annee annees date type types sorte genre nombre moment""".split()
)
# An interrogative may come after a preposition or two: « à partir de quelle année ».
_OPENING_WORDS = 4
_WORD = re.compile(r"\w+")


def is_question(text: str) -> bool:
    """Whether a query reads as a question.

    >>> is_question("dans quelle ville est né Lasègue"), is_question("Maroc Russie")
    (True, False)
    """
    if text.rstrip().endswith("?"):
        return True
    return any(fold(word) in _INTERROGATIVES for word in _WORD.findall(text)[:_OPENING_WORDS])


def is_frame_word(word: str) -> bool:
    """Whether a word only frames a question (``nom``, ``année``, ``appelle``)."""
    return fold(word) in _FRAME_WORDS
