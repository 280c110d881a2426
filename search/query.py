"""User text → a Whoosh query. Never raises on what a user types.

The language:

- plain words: all required (``diplomatie maroc``); ``"a phrase"``;
- ``-mot`` or ``NOT``/``SAUF`` excludes; ``OR``/``OU`` between two terms
  (binding tighter than the implicit AND, as web search engines do);
  ``AND``/``ET``; parentheses; ``diplom*`` for a prefix;
- fields: ``titre:``/``title:``, ``auteur:``/``author:``, ``tag:``,
  ``rubrique:``/``category:``, ``date:`` (``2026``, ``2026-03``,
  ``2026-03-06`` or a range ``2026-01..2026-03``).

Bad syntax degrades to the plain words it contains: an unbalanced quote
closes at the end, a stray parenthesis or operator is dropped, an unknown
field is read as words. A word that the analyzer splits (``Moyen-Orient``)
is matched as a phrase, and the alternative terms of an accented word at one
position are ORed.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from whoosh import query as q
from whoosh.analysis import Analyzer

from .analysis import fold, index_terms
from .article import tag_key
from .request import MAX_QUERY_CHARS, InvalidParameter, Period, parse_period

__all__ = ["FIELD_ALIASES", "CompiledQuery", "QueryBuilder", "parse_tree"]

# User field names (French and English) → index field.
FIELD_ALIASES = {
    "titre": "title",
    "title": "title",
    "auteur": "author",
    "author": "author",
    "tag": "tags",
    "tags": "tags",
    "rubrique": "category_key",
    "category": "category_key",
    "date": "published",
}
_OPERATORS = {"OR": "OR", "OU": "OR", "AND": "AND", "ET": "AND", "NOT": "NOT", "SAUF": "NOT"}
_TOKEN = re.compile(
    r"""
    (?P<lparen>\() | (?P<rparen>\))
    | (?P<field>[^\W\d_]+):(?P<value>"[^"]*"?|[^\s()"]*)
    | (?P<neg>-)(?=[^\s-])
    | (?P<phrase>"[^"]*"?)
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
# A prefix shorter than this would expand to half the vocabulary.
MIN_PREFIX = 2
# Deeper parentheses are read as if absent: nobody nests further, and the
# parser must not run out of stack on "((((…".
MAX_DEPTH = 12


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
class _Token:
    kind: str  # lparen, rparen, field, neg, phrase, word, op
    text: str
    field: str = ""


# The syntax tree, before it meets an index.
@dataclass
class Text:
    """Words or a phrase, in the text fields or in one of them."""

    text: str
    field: str | None = None
    phrase: bool = False


@dataclass
class Prefix:
    """Words starting with ``text``."""

    text: str
    field: str | None = None


@dataclass
class Rubric:
    """The exact rubric, case and accents aside."""

    key: str


@dataclass
class Dates:
    """Published within a period."""

    period: Period


@dataclass
class Not:
    """Everything but what ``child`` matches."""

    child: Node


@dataclass
class All:
    """Every child matches; ``implicit`` when the user only listed words."""

    children: list[Node]
    implicit: bool = True


@dataclass
class Any:
    """At least one child matches."""

    children: list[Node]


Node = Text | Prefix | Rubric | Dates | Not | All | Any


def _lex(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "value":
            kind = "field"
        if kind == "field":
            tokens.append(_Token("field", match.group("value"), match.group("field")))
        elif kind == "word" and match.group() in _OPERATORS:
            tokens.append(_Token("op", _OPERATORS[match.group()]))
        else:
            tokens.append(_Token(kind or "word", match.group()))
    return tokens


class _Parser:
    """Recursive descent that drops what it cannot use instead of failing."""

    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node | None:
        children: list[Node] = []
        while self.peek() is not None:
            node = self.conjunction()
            if node is not None:
                children.append(node)
            if self.peek() is not None and self.peek().kind == "rparen":  # type: ignore[union-attr]
                self.take()  # a stray ")"
        return _join(children, implicit=True)

    def conjunction(self) -> Node | None:
        children: list[Node] = []
        explicit = False
        while (token := self.peek()) is not None and token.kind != "rparen":
            if token.kind == "op" and token.text == "AND":
                self.take()
                explicit = True
                continue
            node = self.disjunction()
            if node is not None:
                children.append(node)
        return _join(children, implicit=not explicit)

    def disjunction(self) -> Node | None:
        first = self.unary()
        options = [first] if first is not None else []
        while (token := self.peek()) is not None and token.kind == "op" and token.text == "OR":
            while (token := self.peek()) is not None and token.kind == "op" and token.text == "OR":
                self.take()  # "OR OR" is one OR
            following = self.peek()
            if following is None or following.kind == "rparen":
                break
            node = self.unary()
            if node is not None:
                options.append(node)
        if len(options) > 1:
            return Any(options)
        return options[0] if options else None

    def unary(self) -> Node | None:
        token = self.take()
        negated = False
        # Negations chain without recursion: "- -x" is x, "-(-x)" is handled by depth.
        while token.kind == "neg" or (token.kind == "op" and token.text == "NOT"):
            following = self.peek()
            if following is None or following.kind == "rparen":
                return None
            negated = not negated
            token = self.take()
        node = self._primary(token)
        return Not(node) if negated and node is not None else node

    def _primary(self, token: _Token) -> Node | None:
        if token.kind == "op":  # an OR or AND with nothing before it
            return None
        if token.kind == "lparen":
            if self.depth >= MAX_DEPTH:
                return None
            self.depth += 1
            inner = self.conjunction()
            self.depth -= 1
            if self.peek() is not None:
                self.take()  # the ")"
            return inner
        if token.kind == "rparen":
            return None
        if token.kind == "field":
            return _field_node(token.field, token.text)
        if token.kind == "phrase":
            text = token.text.strip('"')
            return Text(text, phrase=True) if text.strip() else None
        return _word_node(token.text, None)


def _join(children: list[Node], implicit: bool) -> Node | None:
    if not children:
        return None
    return children[0] if len(children) == 1 else All(children, implicit=implicit)


def _word_node(text: str, field: str | None) -> Node | None:
    if text.endswith("*"):
        stem = text.rstrip("*")
        if len(stem) >= MIN_PREFIX and "*" not in stem:
            return Prefix(stem, field)
        text = stem
    text = text.replace("*", " ")
    return Text(text, field) if text.strip() else None


def _field_node(name: str, value: str) -> Node | None:
    target = FIELD_ALIASES.get(name.casefold())
    if target is None:  # "Diplomatie: Bourita" or a pasted URL: plain words
        return _word_node(f"{name} {value}", None)
    phrase = value.startswith('"')
    value = value.strip('"').strip()
    if not value:
        return None
    if target == "published":
        try:
            return Dates(parse_period(value))
        except InvalidParameter:
            return None  # a date that does not parse filters nothing
    if target == "category_key":
        return Rubric(tag_key(value))
    if phrase or target == "tags":
        return Text(value, target, phrase=True)
    return _word_node(value, target)


@dataclass
class CompiledQuery:
    """The user's query: its tree, its Whoosh query, and what to highlight."""

    text: str
    tree: Node | None
    query: q.Query | None = None
    # Each positive word or phrase: (field or None, the terms of each position).
    highlights: list[tuple[str | None, list[list[str]]]] = field(default_factory=list)
    prefixes: list[tuple[str | None, list[str]]] = field(default_factory=list)

    def can_relax(self) -> bool:
        """Whether the query is plain words that could match any instead of all."""
        tree = self.tree
        return isinstance(tree, All) and tree.implicit and sum(not isinstance(c, Not) for c in tree.children) > 1

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

    def __init__(self, analyzer: Analyzer, text_fields: Sequence[str]):
        self.analyzer = analyzer
        self.text_fields = tuple(text_fields)

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

    def _fields(self, node_field: str | None) -> tuple[str, ...]:
        return self.text_fields if node_field is None else (node_field,)

    def _text(self, node: Text, compiled: CompiledQuery, positive: bool) -> q.Query | None:
        units = [node.text] if node.phrase else node.text.split()
        queries = []
        for unit in units:
            groups = self.positions(unit)
            if not groups:
                continue
            if positive:
                compiled.highlights.append((node.field, groups))
            per_field = []
            for name in self._fields(node.field):
                parts: list[q.Query] = [
                    q.Term(name, g[0]) if len(g) == 1 else q.Or([q.Term(name, t) for t in g]) for g in groups
                ]
                per_field.append(parts[0] if len(parts) == 1 else q.Sequence(parts))
            queries.append(per_field[0] if len(per_field) == 1 else q.Or(per_field))
        if not queries:
            return None
        return queries[0] if len(queries) == 1 else q.And(queries)

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

    def compile(self, text: str) -> CompiledQuery:
        """Parse and build the user's ``text``; ``query`` is None when nothing is searchable."""
        compiled = CompiledQuery(text, parse_tree(text))
        compiled.query = self.build(compiled.tree, compiled)
        return compiled

    def relax(self, compiled: CompiledQuery) -> q.Query | None:
        """The query matching any of the plain words instead of all, exclusions kept."""
        tree = compiled.tree
        assert isinstance(tree, All)
        scratch = CompiledQuery(compiled.text, None)
        options = [self.build(c, scratch) for c in tree.children if not isinstance(c, Not)]
        exclusions = [self.build(c, scratch) for c in tree.children if isinstance(c, Not)]
        present = [o for o in options if o is not None]
        if not present:
            return None
        query: q.Query = q.Or(present)
        kept = [e for e in exclusions if e is not None]
        return q.And([query, *kept]) if kept else query


def parse_tree(text: str) -> Node | None:
    """The syntax tree of user text (None for a query of nothing searchable)."""
    return _Parser(_lex(text[:MAX_QUERY_CHARS])).parse()
