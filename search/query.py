"""The syntax tree of a user's query (``syntax.py``) → a Whoosh query over the index.

A word that the analyzer splits (``Moyen-Orient``) is matched as a phrase,
never as loose words, and the alternative terms of an accented word at one
position are ORed; the exact form of a word weighs more than its stems.

Plain words typed one after another (no ``ET``/``AND``) match the articles
holding any of them, those holding the most words first (``ranking/tiers.py``),
with a bonus where consecutive words stand close (``ranking/proximity.py``).
Exclusions and ``rubrique:``/``date:`` stay strict.

A word the synonym list holds (``understanding/synonyms.py``) stays one word
of the query: its query ORs what was typed and the synonyms, these weighing
``SYNONYM_BOOST`` of a typed match, a synonym of several words as a phrase.
Words typed one after another that the list holds together (``Nations
unies``) each take the synonyms of the whole. Quoted words, exclusions and
the fields of names (``auteur:``, ``tag:``) take none.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from whoosh import query as q
from whoosh.analysis import Analyzer

from .analysis import fold, index_terms, is_exact
from .questions import is_frame_word, is_question
from .ranking import Tiered, proximity_clauses
from .syntax import MIN_PREFIX, All, Any, Dates, Node, Not, Prefix, Rubric, Text, parse_tree
from .understanding.synonyms import Expansion, Synonyms, key_of

__all__ = [
    "All",
    "Any",
    "CompiledQuery",
    "Dates",
    "EXACT_BOOST",
    "ExpandedPrefix",
    "Not",
    "Prefix",
    "QueryBuilder",
    "Rubric",
    "SYNONYM_BOOST",
    "Text",
    "parse_tree",
]

# A match on the form the reader typed counts this much more than its stem alone.
EXACT_BOOST = 1.0
# A match on a synonym counts this much of a match on the word typed.
SYNONYM_BOOST = 0.8
# The fields whose words take synonyms (not names of people or tags, matched as written).
EXPANDED_FIELDS = (None, "title", "lede", "body", "caption")
# Queries of up to this many plain words are short enough to learn their subject from their matches.
MAX_EXPANDED_WORDS = 3


class ExpandedPrefix(q.Prefix):
    """A prefix query whose many expansions are ORed by preloading their postings.

    Whoosh ORs the terms of a prefix through a tree of union matchers: a short
    prefix on a large index (``inte*``: hundreds of terms) took seconds. An
    array of preloaded postings matches the same documents about twenty times
    faster. Like Whoosh's own prefix, it scores every match the same.
    """

    def matcher(self, searcher: typing.Any, context: typing.Any = None) -> typing.Any:
        terms = [q.Term(self.fieldname, word) for word in self._btexts(searcher.reader()) if word]
        if len(terms) <= 1:
            return super().matcher(searcher, context)
        if context is not None and self.constantscore:
            context = context.set(weighting=None)
        union = q.Or(terms, boost=self.boost)
        union.matcher_type = q.Or.ARRAY_MATCHER
        return union.matcher(searcher, context)


@dataclass
class CompiledQuery:
    """The user's query: its tree, its Whoosh query, and what to highlight."""

    text: str
    tree: Node | None
    query: q.Query | None = None
    # Each positive word or phrase: (field or None, the terms of each position).
    highlights: list[tuple[str | None, list[list[str]]]] = field(default_factory=list)
    prefixes: list[tuple[str | None, list[str]]] = field(default_factory=list)
    # How many words tier the results (see ranking/tiers.py); 0 when the query is all or nothing.
    tiers: int = 0
    # Short lists of words, not questions: their best matches may re-rank them (ranking/feedback.py).
    expandable: bool = False
    # Whether words take their synonyms, and those they took.
    synonyms: bool = True
    expansions: list[Expansion] = field(default_factory=list)

    @property
    def stems(self) -> set[str]:
        """Every stem the positive words and phrases look for."""
        return {term for _, groups in self.highlights for group in groups for term in group}

    @property
    def words(self) -> list[str]:
        """The positive plain words, as typed (for spelling suggestions)."""
        words: list[str] = []

        def walk(node: Node | None) -> None:
            if isinstance(node, Text) and node.field is None and not node.phrase:
                words.extend(node.text.split())
            elif isinstance(node, (All, Any)):
                for child in node.children:
                    walk(child)

        walk(self.tree)
        return words


class QueryBuilder:
    """Turns syntax trees into Whoosh queries over one schema's fields."""

    def __init__(self, analyzer: Analyzer, text_fields: Sequence[str], synonyms: Synonyms | None = None):
        self.analyzer = analyzer
        self.text_fields = tuple(text_fields)
        self.synonyms = synonyms if synonyms is not None else Synonyms()
        self._synonym_stems: dict[str, list[list[str]]] = {}  # analyzed once per synonym

    def positions(self, text: str) -> list[list[str]]:
        """The terms of ``text`` grouped by position (alternatives share one)."""
        groups: dict[int, list[str]] = {}
        for token in self.analyzer(text, positions=True, mode="query"):
            terms = groups.setdefault(token.pos, [])
            if token.text not in terms:
                terms.append(token.text)
        return [groups[pos] for pos in sorted(groups)]

    def prefixes(self, text: str) -> list[str]:
        """Index-term prefixes for a typed prefix: its folded form and its stems."""
        folded = re.sub(r"[^a-z0-9']", "", fold(text))
        candidates = [folded, *index_terms(text.lower())] if folded else []
        return [p for p in dict.fromkeys(candidates) if len(p) >= MIN_PREFIX]

    @staticmethod
    def _position(name: str, group: list[str], boost: float = 1.0) -> q.Query:
        terms = [q.Term(name, t, boost=boost * (EXACT_BOOST if is_exact(t) else 1.0)) for t in group]
        return terms[0] if len(terms) == 1 else q.Or(terms)

    def _fields(self, node_field: str | None) -> tuple[str, ...]:
        return self.text_fields if node_field is None else (node_field,)

    def _positions_query(self, groups: list[list[str]], node_field: str | None, boost: float = 1.0) -> q.Query:
        """One word or a phrase, in each of the fields."""
        per_field = []
        for name in self._fields(node_field):
            if len(groups) == 1:
                per_field.append(self._position(name, groups[0], boost))
            else:
                parts = [self._position(name, g) for g in groups]
                per_field.append(q.Sequence(parts, boost=boost))
        return per_field[0] if len(per_field) == 1 else q.Or(per_field)

    def _stems(self, text: str) -> list[list[str]]:
        """The stems of each position of a synonym (its exact forms are not looked for)."""
        stems = self._synonym_stems.get(text)
        if stems is None:
            stems = [[t for t in g if not is_exact(t)] or g for g in self.positions(text)]
            self._synonym_stems[text] = stems
        return stems

    def _takes_synonyms(self, node: Text, compiled: CompiledQuery, positive: bool) -> bool:
        return compiled.synonyms and positive and not node.phrase and node.field in EXPANDED_FIELDS

    def _expand(self, word: str, added: tuple[str, ...], node_field: str | None, compiled: CompiledQuery) -> None:
        """Note what a word took: for the reader, and for highlighting."""
        if any(e.word == word for e in compiled.expansions):
            return
        compiled.expansions.append(Expansion(word, added))
        for synonym in added:
            compiled.highlights.append((node_field, self._stems(synonym)))

    def _text(
        self, node: Text, compiled: CompiledQuery, positive: bool, added: tuple[str, ...] | None = None
    ) -> q.Query | None:
        """A word or phrase; ``added``: the synonyms of the run of words it belongs to."""
        units = [node.text] if node.phrase else node.text.split()
        expands = self._takes_synonyms(node, compiled, positive)
        queries = []
        for unit in units:
            groups = self.positions(unit)
            if not groups:
                continue
            if positive:
                # Marks follow the stems: a snippet shows every form of the word.
                stems = [[t for t in g if not is_exact(t)] or g for g in groups]
                compiled.highlights.append((node.field, stems))
            query = self._positions_query(groups, node.field)
            synonyms = added if added is not None else self.synonyms.lookup(key_of(unit)) if expands else ()
            if synonyms:
                if added is None:
                    self._expand(unit, synonyms, node.field, compiled)
                alternatives = [self._positions_query(self._stems(s), node.field, SYNONYM_BOOST) for s in synonyms]
                query = q.Or([query, *alternatives])
            queries.append(query)
        if not queries:
            return None
        return queries[0] if len(queries) == 1 else q.And(queries)

    def _runs(self, children: list[Node], compiled: CompiledQuery) -> dict[int, tuple[str, ...]]:
        """Words typed one after another that the synonym list holds together: child index → synonyms."""
        keys = [
            key_of(c.text) if isinstance(c, Text) and self._takes_synonyms(c, compiled, True) and " " not in c.text
            else None
            for c in children
        ]  # fmt: skip
        runs: dict[int, tuple[str, ...]] = {}
        at = 0
        while at < len(children):
            stop = at
            while stop < len(keys) and keys[stop] is not None:
                stop += 1
            end, added = self.synonyms.match(keys[at:stop], 0) if keys[at] else (0, ())  # type: ignore[arg-type]
            if not added:
                at += 1
                continue
            run = children[at : at + end]
            self._expand(" ".join(c.text for c in run), added, None, compiled)  # type: ignore[union-attr]
            runs.update(dict.fromkeys(range(at, at + end), added))
            at += end
        return runs

    def build(self, node: Node | None, compiled: CompiledQuery, positive: bool = True) -> q.Query | None:
        """The Whoosh query of a tree (None when nothing in it can be searched)."""
        if isinstance(node, Text):
            return self._text(node, compiled, positive)
        if isinstance(node, Prefix):
            prefixes = self.prefixes(node.text)
            if not prefixes:
                return None
            if positive:
                compiled.prefixes.append((node.field, prefixes))
            return q.Or([ExpandedPrefix(name, p) for name in self._fields(node.field) for p in prefixes])
        if isinstance(node, Rubric):
            return q.Term("category_key", node.key)
        if isinstance(node, Dates):
            start = datetime.combine(node.period.start, time.min) if node.period.start else None
            end = datetime.combine(node.period.end, time.max) if node.period.end else None
            return q.DateRange("published", start, end)
        if isinstance(node, Not):
            child = self.build(node.child, compiled, not positive)
            return q.Not(child) if child is not None else None
        if isinstance(node, (All, Any)):
            children = [c for c in (self.build(child, compiled, positive) for child in node.children) if c is not None]
            if not children:
                return None
            if isinstance(node, Any):
                return children[0] if len(children) == 1 else q.Or(children)
            if all(isinstance(c, q.Not) for c in children):
                children.insert(0, q.Every())
            return children[0] if len(children) == 1 else q.And(children)
        return None

    def compile(self, text: str, synonyms: bool = True) -> CompiledQuery:
        """Parse and build the user's ``text``; ``query`` is None when nothing is searchable."""
        compiled = CompiledQuery(text, parse_tree(text), synonyms=synonyms and len(self.synonyms) > 0)
        compiled.expandable = 0 < len(compiled.words) <= MAX_EXPANDED_WORDS and not is_question(text)
        tree = compiled.tree
        if isinstance(tree, All) and tree.implicit:
            compiled.query = self._tiered(tree, compiled)
        else:
            compiled.query = self.build(tree, compiled)
        return compiled

    def _tiered(self, tree: All, compiled: CompiledQuery) -> q.Query | None:
        """Plain words: any of them matches, the articles holding more of them first."""
        words: list[q.Query] = []
        strict: list[q.Query] = []  # exclusions, rubric and dates
        frame: list[q.Query] = []  # the words that only frame a question
        near: list[list[str]] = []  # the terms of each plain word, in the order typed
        question = is_question(compiled.text)
        runs = self._runs(tree.children, compiled) if compiled.synonyms else {}
        for index, child in enumerate(tree.children):
            if index in runs:
                built = self._text(child, compiled, True, runs[index])  # type: ignore[arg-type]
            else:
                built = self.build(child, compiled)
            if built is None:
                continue
            if isinstance(child, (Not, Rubric, Dates)):
                strict.append(built)
                continue
            if question and isinstance(child, Text) and child.field is None and is_frame_word(child.text):
                frame.append(built)
                continue
            words.append(built)
            if isinstance(child, Text) and child.field is None and not child.phrase:
                groups = self.positions(child.text)
                if len(groups) == 1:
                    near.append(groups[0])
        if len(words) < 2 and not frame:
            query = words[0] if words else None
            if not strict:
                return query
            if query is None and all(isinstance(c, q.Not) for c in strict):
                query = q.Every()
            return q.And([query, *strict]) if query is not None else q.And(strict)
        compiled.tiers = len(words)
        scored: q.Query = q.Or([Tiered(w) for w in words] + frame + proximity_clauses(near, self.text_fields))
        return q.And([scored, *strict]) if strict else scored
