"""The query language's syntax: user text → a tree of nodes. Never raises.

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
field is read as words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .article import tag_key
from .request import MAX_QUERY_CHARS, InvalidParameter, Period, parse_period

__all__ = [
    "FIELD_ALIASES",
    "MIN_PREFIX",
    "All",
    "Any",
    "Dates",
    "Node",
    "Not",
    "Prefix",
    "Rubric",
    "Text",
    "has_dates",
    "parse_tree",
]

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


def parse_tree(text: str) -> Node | None:
    """The syntax tree of user text (None for a query of nothing searchable)."""
    return _Parser(_lex(text[:MAX_QUERY_CHARS])).parse()


def has_dates(node: Node | None) -> bool:
    """Whether a tree asks for a period of its own (a ``date:`` field outside an exclusion)."""
    if isinstance(node, Dates):
        return True
    return isinstance(node, (All, Any)) and any(has_dates(child) for child in node.children)
