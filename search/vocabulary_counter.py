"""The vocabulary of a build, counted with arrays.

``Vocabulary.add`` handles each distinct word of an article in Python: a
fifth of a build once the postings were fast. A build only adds articles,
so this numbers each spelling once, finds an article's spellings and their
uses with NumPy, and counts the document frequencies of a whole share of
the articles at the end. The counts are those of ``Vocabulary.add``
(``tests/test_vocabulary.py`` compares them).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .article import Article
from .vocabulary import _WORD, Vocabulary, _surface_and_key

__all__ = ["VocabularyCounter"]


class VocabularyCounter:
    """Counts the words of new articles into a ``Vocabulary``."""

    def __init__(self) -> None:
        self.form_of_word: dict[str, int] = {}  # a word as written -> its spelling's id, -1 if not counted
        self.forms: list[str] = []
        self.form_ids: dict[str, int] = {}
        self.key_of_form: list[int] = []
        self.keys: list[str] = []
        self.key_ids: dict[str, int] = {}
        self.chosen: list[NDArray[np.int64]] = []  # per article: its spelling of each word
        self.names = Vocabulary()  # tags, authors and headlines, counted as usual: a few per article

    def _form(self, raw: str) -> int:
        found = _surface_and_key(raw)
        if found is None or not found[1]:
            self.form_of_word[raw] = -1
            return -1
        form, key = found
        form_id = self.form_ids.get(form)
        if form_id is None:
            form_id = self.form_ids[form] = len(self.forms)
            self.forms.append(form)
            key_id = self.key_ids.get(key)
            if key_id is None:
                key_id = self.key_ids[key] = len(self.keys)
                self.keys.append(key)
            self.key_of_form.append(key_id)
        self.form_of_word[raw] = form_id
        return form_id

    def add(self, article: Article) -> None:
        words: list[str] = []
        for text in (article.title, article.caption, article.lede, article.body, article.author, *article.tags):
            words.extend(_WORD.findall(text))
        known = self.form_of_word
        for raw in set(words).difference(known):  # words never seen, counted once each
            self._form(raw)
        ids = list(map(known.__getitem__, words))
        all_forms = np.array(ids, dtype=np.int64)
        all_forms = all_forms[all_forms >= 0]
        forms, first_seen, uses = np.unique(all_forms, return_index=True, return_counts=True)
        key_of_form = self.key_of_form
        keys = np.array([key_of_form[form] for form in forms.tolist()], dtype=np.int64)
        if forms.size and np.unique(keys).size < forms.size:
            forms = self._one_spelling_per_word(forms, keys, first_seen, uses)
        self.chosen.append(forms)
        self.names.add_names(article)

    @staticmethod
    def _one_spelling_per_word(
        forms: NDArray[np.int64], keys: NDArray[np.int64], first_seen: NDArray[np.int64], uses: NDArray[np.int64]
    ) -> NDArray[np.int64]:
        # As Vocabulary.add: the most used spelling of each word, on a tie the first seen.
        order = np.lexsort((first_seen, -uses, keys))
        sorted_keys = keys[order]
        first_of_key = np.ones(len(order), dtype=bool)
        first_of_key[1:] = sorted_keys[1:] != sorted_keys[:-1]
        return forms[order[first_of_key]]

    def vocabulary(self) -> Vocabulary:
        """The vocabulary of every article added."""
        vocabulary = self.names
        if self.chosen:
            forms, counts = np.unique(np.concatenate(self.chosen), return_counts=True)
            words = vocabulary.words
            for form, count in zip(forms.tolist(), counts.tolist(), strict=True):
                spelling = self.forms[form]
                held = words.setdefault(self.keys[self.key_of_form[form]], {})
                held[spelling] = held.get(spelling, 0) + count
        return vocabulary
