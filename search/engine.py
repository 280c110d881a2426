"""The read side: one engine that the terminal, the page and the API all call.

An ``Engine`` keeps one open view of the live index per process and moves to
a new one when a build lands (``CURRENT`` names another generation). A search
takes a ``SearchRequest`` and returns a ``SearchResponse``: ranked hits with
highlighted snippets, facet counts over the whole result set, a spelling
suggestion when the query finds little, and how long it took.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import re
import threading
import time
from array import array
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from .analysis import analysed_terms
from .article import Article, tag_key
from .cache import ResultCache
from .facets import FacetData, FacetValue, Filters, period_values, timeline
from .generations import IndexLocation
from .matches import Matches
from .query import CompiledQuery, QueryBuilder
from .ranking import RankingConfig, RecencyBM25F, bm25f, feedback, published_days, relevance_of, words_held
from .ranking.evaluation import Evaluator
from .ranking.postings import Postings
from .related import Archive, RelatedConfig, find_related
from .request import SearchRequest, parse_request
from .results import ArticleView, Hit, SearchResponse, hit_from_stored
from .schema import TEXT_FIELDS, from_stored
from .snippets import Highlighter, render
from .understanding import Understanding
from .vocabulary import Vocabulary, surface_words

__all__ = ["ArticleView", "Engine", "Hit", "NoIndex", "SearchResponse"]

log = logging.getLogger(__name__)

# Postings of the words in this share of the articles are read when a generation opens.
PRELOAD_SHARE = 0.2
# Below this many results a spelling suggestion is worth showing.
SUGGEST_BELOW = 3
FACET_LIMITS = {"tags": 20, "author": 10, "category": 30}


class NoIndex(RuntimeError):
    """There is no built index in the folder yet."""


def _freeze_long_lived() -> None:
    """Leave what is alive now, a warmed generation included, out of the garbage collector's full passes.

    A generation holds millions of long-lived objects: every full collection
    walked them all, a pause of 120 ms in some search (measured at 3,580
    articles). Unfrozen and collected first, so that the cycles of a
    generation gone are still freed.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class IndexView:
    """One open generation: its reader, searchers and per-index caches."""

    def __init__(self, folder: Path, config: RankingConfig, understanding: Understanding):
        self.folder = folder
        self.name = folder.name  # the generation
        self.warmed = False
        self.index = whoosh_index.open_dir(str(folder))
        self.reader = self.index.reader()
        self.days = published_days(self.reader)
        self.config = config
        self.relevance = Searcher(self.reader, weighting=bm25f(config), closereader=False)
        self.recency_factors = np.asarray(RecencyBM25F(config, self.days).factors)
        analyzer = self.analyzer = self.index.schema["body"].analyzer
        self.builder = QueryBuilder(analyzer, TEXT_FIELDS, understanding.synonyms)
        self.highlighter = Highlighter()
        self._lock = threading.Lock()

    @cached_property
    def facets(self) -> FacetData:
        """Facet keys of every document (read on first use)."""
        with self._lock:
            return FacetData(self.reader, self.days)

    @cached_property
    def live(self) -> NDArray[np.bool_]:
        """Whether each docnum is a live document (not deleted by an update)."""
        reader = self.reader
        return np.fromiter((not reader.is_deleted(n) for n in range(reader.doc_count_all())), bool)

    @cached_property
    def evaluator(self) -> Evaluator:
        """Scores queries over the postings of this generation, decoded once and cached."""
        with self._lock:
            return Evaluator(Postings(self.reader, self.config, TEXT_FIELDS), self.relevance)

    @cached_property
    def feedback(self) -> feedback.Statistics:
        """What the feedback of short queries reads of this generation, kept between searches."""
        with self._lock:
            return feedback.Statistics(self.relevance)

    @cached_property
    def archive(self) -> Archive:
        """What related articles read: scores over the cached postings, dates and rubrics."""
        reader, live, evaluator = self.reader, self.live, self.evaluator

        # Every word of an article is looked up to weigh it, and most words
        # come back on the next page: read each once per open index.
        @lru_cache(maxsize=2**18)
        def doc_frequency(term: str) -> int:
            return max(reader.doc_frequency("body", term), reader.doc_frequency("title", term))

        return Archive(
            evaluate=lambda query: evaluator.run(query, live),
            doc_frequency=doc_frequency,
            doc_count=reader.doc_count(),
            days=np.asarray(self.days, np.int64),
            rubrics=self.facets.categories,
        )

    @cached_property
    def moments(self) -> array:
        """When each document was published, as raw column values (0 when undated), for the date sorts."""
        with self._lock:
            size = self.reader.doc_count_all()
            moments = array("q", [0]) * size
            if self.reader.has_column("published"):
                column = self.reader.column_reader("published", translate=False)
                for docnum in range(size):
                    if self.days[docnum] >= 0:
                        moments[docnum] = column[docnum]
            return moments

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """The words of the corpus as written (read on first use)."""
        with self._lock:
            return Vocabulary.load(self.folder)

    def warm(self) -> None:
        """Read what the first searches would otherwise wait for: facet keys, vocabulary, common postings."""
        self.facets  # noqa: B018 - cached on first access
        self.moments  # noqa: B018
        self.live  # noqa: B018
        self.vocabulary.warm()
        # The longest postings cost a search most to read: those of the words in a fifth of the articles.
        common = self.vocabulary.frequent_words(PRELOAD_SHARE * self.reader.doc_count())
        self.evaluator.postings.preload("body", (term for word in common for term in analysed_terms(word)))
        self.warmed = True
        _freeze_long_lived()

    def display(self, field_name: str, key: str) -> str:
        """How a facet key is shown: the spelling its articles use most."""
        if field_name != "category_key":
            # The vocabulary counts tags and authors together: its spelling is
            # this field's own only when the other field has no such key.
            other = "author_key" if field_name == "tag_key" else "tag_key"
            name = self.vocabulary.display_name(key)
            if name and not self.reader.doc_frequency(other, key):
                return name
        return self.facets.display(field_name, key)

    def close(self) -> None:
        """Release the index files."""
        self.relevance.close()
        self.reader.close()


class Engine:
    """Searches the live generation of an index folder. Safe to share between threads."""

    def __init__(
        self,
        folder: str | os.PathLike[str],
        config: RankingConfig | None = None,
        cache: ResultCache | None = None,
        understanding: Understanding | None = None,
        related: RelatedConfig | None = None,
    ):
        self.location = IndexLocation(folder)
        self.config = config or RankingConfig()
        # No cache unless given one: a command-line search asks once.
        self.cache = cache or ResultCache(max_bytes=0)
        # Made once: the synonym list is parsed when the engine is, not per query.
        self.understanding = understanding or Understanding()
        self.related_config = related or RelatedConfig()
        self._lock = threading.Lock()
        self._view: IndexView | None = None
        self._generation: str | None = None
        self._retired: IndexView | None = None
        self._watching = False

    # --- the open index -------------------------------------------------------

    def view(self) -> IndexView:
        """The view of the live generation, reopened when a new one has landed.

        While ``watch`` runs, a new generation is opened and warmed in the
        background and requests keep the current view until it is ready.
        """
        if self._watching and self._view is not None:
            return self._view
        name = self.location.live_name()
        if name is None:
            raise NoIndex(f"no index in {self.location.folder}: run 'kiosque build' first")
        if name != self._generation or self._view is None:
            self._swap(name, warm=False)
        assert self._view is not None
        return self._view

    def _swap(self, name: str, warm: bool) -> None:
        view = IndexView(self.location.folder / name, self.config, self.understanding)
        if warm:
            view.warm()
        with self._lock:
            current = self._view
            if name == self._generation and (current is None or current.warmed or not view.warmed):
                view.close()  # another thread got there first, with a view as warm as this one
                return
            # Another thread may be in the middle of a search on the current
            # view: it is closed one swap later, not now.
            if self._retired is not None:
                self._retired.close()
            self._retired, self._view, self._generation = self._view, view, name

    def watch(self, interval: float = 1.0) -> None:
        """Follow new builds from a background thread, warming each before it serves."""
        if self._watching:
            return
        self._watching = True
        threading.Thread(target=self._follow, args=(interval,), name="kiosque-index-watch", daemon=True).start()

    def _follow(self, interval: float) -> None:
        while self._watching:
            try:
                name = self.location.live_name()
                if name is not None and name != self._generation:
                    self._swap(name, warm=True)
                elif self._view is not None and not self._view.warmed:
                    # Opened by a first request: replaced by a warmed copy, since Whoosh's
                    # files are not to be read from two threads at once.
                    self._swap(self._view.name, warm=True)
            except Exception:  # a half-removed generation, say: try again at the next tick
                log.exception("cannot open the index generation in %s", self.location.folder)
            time.sleep(interval)

    def close(self) -> None:
        """Close the open views (the engine reopens one if used again)."""
        self._watching = False
        with self._lock:
            for view in (self._retired, self._view):
                if view is not None:
                    view.close()
            self._view = self._retired = self._generation = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # An index's files are open one by one: an engine let go closes them.
        try:
            self.close()
        except Exception:  # noqa: BLE001 - the interpreter may be shutting down
            pass

    def stats(self) -> dict[str, Any]:
        """How many articles the live index holds, and its build record."""
        view = self.view()
        return {**self.location.meta(), "articles": view.reader.doc_count(), "generation_name": self._generation}

    # --- search -----------------------------------------------------------------

    def search(self, request: SearchRequest | str) -> SearchResponse:
        """Run one search: hits of the requested page, facets, suggestion (kept in the cache)."""
        started = time.perf_counter()
        if isinstance(request, str):
            request = parse_request({"q": [request]})
        view = self.view()
        # « hier » means another day tomorrow: the responses kept are those of one generation and one day.
        kept_for = f"{view.name}|{self.understanding.today().isoformat()}"
        kept = self.cache.get(kept_for, request)
        if kept is not None:
            return dataclasses.replace(kept, took_ms=(time.perf_counter() - started) * 1000)
        response = self._search(view, request, started)
        self.cache.put(kept_for, request, response)
        return response

    def _search(self, view: IndexView, request: SearchRequest, started: float) -> SearchResponse:
        compiled, understood, searched = self.understanding.read(view.builder, request, request.q)
        filters = Filters.of(searched)
        matches = Matches.find(view, searched, compiled, filters, self.config)
        corrected = False
        suggestion = self._suggestion(view, compiled, request.q) if matches.all_words < SUGGEST_BELOW else None
        if suggestion:
            fixed_compiled, fixed_understood, fixed_searched = self.understanding.read(
                view.builder, request, suggestion
            )
            fixed = Matches.find(view, fixed_searched, fixed_compiled, Filters.of(fixed_searched), self.config)
            # A correction is worth offering only if it finds more: more articles with every word, or more at all.
            if fixed.all_words <= matches.all_words and len(fixed.counts.allowed) <= len(matches.counts.allowed):
                suggestion = None
            # No article holds every word: a misspelling is the likeliest cause.
            elif not matches.all_words and fixed.all_words and request.correct:
                compiled, matches, corrected = fixed_compiled, fixed, True
                understood, searched, filters = fixed_understood, fixed_searched, Filters.of(fixed_searched)

        hits = self._page(view, searched, matches)
        for hit, fields in hits:
            hit.title_html = view.highlighter.title(hit.title, compiled)
            hit.snippet = view.highlighter.snippet(fields.get("body", ""), fields.get("lede", ""), compiled)
        counts = matches.counts
        return SearchResponse(
            request=request,
            hits=[hit for hit, _ in hits],
            total=len(counts.allowed),
            all_words=matches.all_words,
            facets=self._facets(view, searched, filters, counts),
            suggestion=suggestion,
            corrected=corrected,
            timeline=timeline(counts.days, searched.period),
            understood=understood,
            took_ms=(time.perf_counter() - started) * 1000,
        )

    def _page(self, view: IndexView, request: SearchRequest, matches: Matches) -> list[tuple[Hit, dict[str, Any]]]:
        first = (request.page - 1) * request.per_page
        allowed = matches.counts.allowed
        if first >= len(allowed):
            return []
        scores = matches.score_of()
        if request.sort == "relevance" and scores:
            ordered = allowed  # already in the order of their scores
        else:
            days, moments = view.days, view.moments
            # The articles holding more of the words first, then by date and time; undated ones last in both orders.
            sign = 1 if request.sort == "oldest" else -1
            ordered = sorted(
                allowed, key=lambda n: (-words_held(scores.get(n, 0.0)), days[n] < 0, sign * moments[n], n)
            )
        tiers = matches.compiled.tiers
        pairs = []
        for docnum in ordered[first : first + request.per_page]:
            fields = view.relevance.stored_fields(docnum)
            score = scores.get(docnum)
            shown = relevance_of(score) if score is not None and request.sort == "relevance" else None
            hit = hit_from_stored(fields, shown)
            hit.all_words = not tiers or (score is not None and words_held(score) >= tiers)
            pairs.append((hit, fields))
        return pairs

    def _facets(
        self, view: IndexView, request: SearchRequest, filters: Filters, counts: Any
    ) -> dict[str, list[FacetValue]]:
        # A selected value that no article carries is shown as the reader wrote it.
        typed = {tag_key(v): v for v in (*request.tags, request.category or "", request.author or "") if v}

        def values(name: str, field_name: str, counter: Any, selected: tuple[str, ...]) -> list[FacetValue]:
            ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
            shown = [key for key, _ in ranked[: FACET_LIMITS[name]]]
            shown += [key for key in selected if key not in shown]  # a selected value never vanishes

            def display(key: str) -> str:
                return view.display(field_name, key) if counter.get(key) else typed.get(key, key)

            return [FacetValue(display(key), counter.get(key, 0), key in selected) for key in shown]

        selected_category = (filters.category,) if filters.category else ()
        selected_author = (filters.author,) if filters.author else ()
        return {
            "tags": values("tags", "tag_key", counts.tags, filters.tags),
            "category": values("category", "category_key", counts.categories, selected_category),
            "author": values("author", "author_key", counts.authors, selected_author),
            "period": period_values(counts.days, request.period),
        }

    def _suggestion(self, view: IndexView, compiled: CompiledQuery, text: str) -> str | None:
        """``text`` with the misspelt words of its query corrected (the rest as typed), or None."""
        changed = False
        # The words as the vocabulary knows them: no punctuation, no elided article.
        for word in dict.fromkeys(surface_words(" ".join(compiled.words))):
            fix = view.vocabulary.correction(word)
            if fix and tag_key(fix) != tag_key(word):
                text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", fix, text, count=1)
                changed = True
        return text if changed else None

    # --- autocomplete and articles ------------------------------------------------

    def complete(self, prefix: str, limit: int = 8) -> list[str]:
        """Completions of a prefix from tags, names and words of the corpus."""
        return [text for text, _ in self.view().vocabulary.completions(prefix[:100], limit)]

    def article(self, article_id: str) -> ArticleView | None:
        """An article by id with its related articles, or None when it is not indexed."""
        view = self.view()
        docnum = view.relevance.document_number(id=article_id)
        if docnum is None:
            return None
        article = from_stored(view.relevance.stored_fields(docnum))
        related, links = self._related(view, docnum, article)
        return ArticleView(article, related, links)

    def _related(self, view: IndexView, docnum: int, article: Article) -> tuple[list[Hit], dict[str, str | None]]:
        seen = {docnum}
        related: list[Hit] = []
        links: dict[str, str | None] = {}
        for title in article.related:
            found = self._find_title(view, title)
            links[title] = None
            if found is None:
                continue
            fields = view.relevance.stored_fields(found)
            links[title] = fields["id"]
            if found not in seen:
                seen.add(found)
                related.append(hit_from_stored(fields, None))
        limit = self.related_config.limit
        if len(related) < limit:
            similar = find_related(view.archive, view.analyzer, docnum, article, seen, self.related_config)
            for other, similarity in similar[: limit - len(related)]:
                related.append(hit_from_stored(view.relevance.stored_fields(other), similarity))
        return related, links

    def highlight(self, query: str, parts: list[tuple[str, str]], understand: bool = True) -> list[str]:
        """Each ``(text, field)`` as safe HTML with the words of ``query`` marked (the article page)."""
        view = self.view()
        compiled, _, _ = self.understanding.read(view.builder, SearchRequest(q=query, understand=understand), query)
        return [render(text, view.highlighter.spans(text, compiled, field)) for text, field in parts]

    def _find_title(self, view: IndexView, title: str) -> int | None:
        compiled = view.builder.compile(f'titre:"{title.replace(chr(34), " ")}"', synonyms=False)
        if compiled.query is None:
            return None
        key = tag_key(title)
        for result in view.relevance.search(compiled.query, limit=5):
            if tag_key(result.get("title", "")) == key:
                return result.docnum
        return None
