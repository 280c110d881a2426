"""The pages a reader sees: search, article, feed and OpenSearch description."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from search.request import MAX_QUERY_CHARS, SORTS, parse_request

from .chart import bar_chart
from .extensions import get_engine
from .state import PageState

bp = Blueprint("pages", __name__)

SORT_LABELS = {"relevance": "pertinence", "newest": "plus récents", "oldest": "plus anciens"}
FACET_TITLES = {"tags": "Mots-clés", "category": "Rubriques", "author": "Auteurs", "period": "Période"}


def pagination(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link, ``None`` standing for a gap: ``[1, None, 4, 5, 6, None, 20]``.

    >>> pagination(5, 20)
    [1, None, 3, 4, 5, 6, 7, None, 20]
    >>> pagination(1, 3)
    [1, 2, 3]
    """
    shown = {1, pages, *range(page - around, page + around + 1)}
    numbers = sorted(n for n in shown if 1 <= n <= pages)
    result: list[int | None] = []
    for number in numbers:
        if result and number - result[-1] > 1:  # type: ignore[operator]
            result.append(None)
        result.append(number)
    return result


@bp.get("/")
def search() -> str:
    """The search page; without a query, the latest articles and the most used tags."""
    search_request = parse_request(request.args.to_dict(flat=False))  # errors: see errors.py
    response = get_engine().search(search_request)
    state = PageState(search_request, understood=response.understood)
    return render_template(
        "search.html",
        response=response,
        state=state,
        chart=bar_chart(response.timeline, state),
        home=not search_request.q and not search_request.has_filters,
        pages=pagination(search_request.page, response.pages),
        # Without words to match, relevance means nothing: the newest come first.
        sorts=[(sort, SORT_LABELS[sort]) for sort in SORTS if search_request.q or sort != "relevance"],
        current_sort=search_request.sort if search_request.q or search_request.sort != "relevance" else "newest",
        facet_titles=FACET_TITLES,
        feed_url=url_for("pages.feed", **search_request.with_changes(page=1).to_params()),
    )


@bp.get("/article/<path:article_id>")
def article(article_id: str) -> str:
    """A whole article, with the words of the search it came from marked."""
    engine = get_engine()
    view = engine.article(article_id)
    if view is None:
        abort(404)
    query = request.args.get("q", "")[:MAX_QUERY_CHARS]
    understand = request.args.get("understand") not in ("0", "false")
    a = view.article
    parts = [(a.title, "title"), (a.lede, "lede"), (a.caption, "caption")] + [(p, "body") for p in a.paragraphs]
    title_html, lede_html, caption_html, *paragraphs = engine.highlight(query, parts, understand)
    return render_template(
        "article.html",
        view=view,
        a=a,
        query=query,
        title_html=title_html,
        lede_html=lede_html,
        caption_html=caption_html,
        paragraphs=paragraphs,
    )


@bp.get("/feed.atom")
def feed() -> Response:
    """The newest articles of any search, as an Atom feed."""
    params = request.args.to_dict(flat=False)
    params.update(sort=["newest"], page=["1"], per_page=[str(current_app.config["FEED_SIZE"])])
    search_request = parse_request(params)
    engine = get_engine()
    response = engine.search(search_request)
    built = engine.location.meta().get("built_at")
    updated = max(
        (hit.published for hit in response.hits if hit.published),
        default=datetime.fromisoformat(built) if built else datetime(2000, 1, 1),
    )
    body = render_template(
        "feed.atom.xml",
        response=response,
        updated=updated,
        page_url=url_for("pages.search", _external=True, **search_request.with_changes(sort="relevance").to_params()),
        self_url=request.url,
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """Lets a browser add Kiosque as a search engine."""
    body = render_template("opensearch.xml", root=url_for("pages.search", _external=True).rstrip("/"))
    return Response(body, mimetype="application/opensearchdescription+xml")
