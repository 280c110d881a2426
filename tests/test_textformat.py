"""Tests of the reader of the Le360 text format (search/textformat.py)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

import pytest

from search.article import Article, ArticleError
from search.textformat import decode_article_bytes, parse_text_article

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
PATH = "articles/2026/03/oulmes.txt"
COMPLETE = (FIXTURES / "complete.txt").read_text(encoding="utf-8")

BOM = b"\xef\xbb\xbf"
SHY = "\u00ad"
NBSP = "\u00a0"


def parse(text: str, article_id: str = "2026/03/oulmes", path: str = PATH) -> Article:
    return parse_text_article(text, article_id, path)


def article(*blocks: str, date_line: str = "date 2026-03-06 Politique") -> str:
    """An article text made of blocks separated by blank lines."""
    return "\n\n".join([date_line, *blocks]) + "\n"


def parse_error(text: str, path: str = PATH) -> ArticleError:
    with pytest.raises(ArticleError) as caught:
        parse(text, path=path)
    return caught.value


# --- a complete article ---------------------------------------------------


def test_parse_text_article_reads_every_field_of_a_complete_article():
    result = parse(COMPLETE)

    assert result.id == "2026/03/oulmes"
    assert result.category == "Économie et société"
    assert result.title == "Agriculture : la coopérative d’Oulmès mise sur l’irrigation au goutte-à-goutte"
    assert result.caption == "Des bassins de rétention creusés au pied des collines, près d’Oulmès."
    assert result.lede.startswith("La coopérative agricole d’Oulmès a présenté jeudi")
    assert result.lede.endswith("doubler leurs récoltes en trois saisons.")
    assert result.author == "Salma Benali"
    assert result.authors == ["Salma Benali"]
    assert result.published == datetime(2026, 3, 6, 18, 6)
    assert result.source == PATH


def test_parse_text_article_joins_body_paragraphs_with_a_blank_line():
    result = parse(COMPLETE)

    assert result.paragraphs == [
        "Réunis dans la salle communale, les agriculteurs ont écouté pendant deux heures "
        "les ingénieurs venus détailler le chantier.",
        "Le financement repose sur un prêt bonifié et sur une contribution de chaque "
        "exploitation, proportionnelle à sa surface.",
        "Par ailleurs, la commune s’engage à entretenir les pistes qui mènent aux parcelles.",
    ]
    assert result.body == "\n\n".join(result.paragraphs)


def test_parse_text_article_keeps_related_links_apart_from_the_body():
    result = parse(COMPLETE)

    assert result.related == [
        "Sécheresse : les barrages du Centre à leur plus bas niveau",
        "Les jeunes agriculteurs face au prix des semences",
    ]
    assert "Lire aussi" not in result.body
    assert "barrages du Centre" not in result.body


def test_parse_text_article_keeps_the_display_form_of_tags():
    result = parse(COMPLETE)

    assert result.tags == ["Agriculture", "Irrigation au goutte-à-goutte", "Économie rurale", "Oulmès"]


@pytest.mark.parametrize(
    ("date_line", "category"),
    [
        ("date 2026-03-06 Politique", "Politique"),
        ("date 2026-03-06 Économie et société", "Économie et société"),
        ("date 2026-03-06   Vie des régions  ", "Vie des régions"),
        ("date 2026-03-06", ""),
    ],
)
def test_parse_text_article_reads_the_rubric_of_the_date_line(date_line, category):
    result = parse(article("Un titre", date_line=date_line))

    assert result.category == category
    assert result.published == datetime(2026, 3, 6)


# --- optional parts -------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "caption", "lede"),
    [
        pytest.param([], "", "", id="none"),
        pytest.param(["Le chapô seul, sans légende."], "", "Le chapô seul, sans légende.", id="lede-only"),
        pytest.param(
            ["Une légende de photo.", "Puis le chapô."],
            "Une légende de photo.",
            "Puis le chapô.",
            id="caption-and-lede",
        ),
    ],
)
def test_parse_text_article_tells_caption_from_lede_by_counting_blocks(header, caption, lede):
    result = parse(article("Le titre", *header, "Par Inès Haddad\nLe 06/03/2026 à 18h06", "Le corps."))

    assert (result.caption, result.lede) == (caption, lede)
    assert result.author == "Inès Haddad"
    assert result.body == "Le corps."


@pytest.mark.parametrize(
    ("byline", "author", "published"),
    [
        pytest.param(
            ["Par Inès Haddad\nLe 06/03/2026 à 18h06"], "Inès Haddad", datetime(2026, 3, 6, 18, 6), id="author-and-time"
        ),
        pytest.param(
            ["Par Inès Haddad", "Le 06/03/2026 à 18h06"], "Inès Haddad", datetime(2026, 3, 6, 18, 6), id="two-blocks"
        ),
        pytest.param(["Le 06/03/2026 à 18h06"], "", datetime(2026, 3, 6, 18, 6), id="time-only"),
        pytest.param(["Par Inès Haddad"], "Inès Haddad", datetime(2026, 3, 6, 0, 0), id="author-only"),
    ],
)
def test_parse_text_article_reads_partial_bylines(byline, author, published):
    result = parse(article("Le titre", "Le chapô.", *byline, "Premier paragraphe.", "Second paragraphe."))

    assert result.author == author
    assert result.published == published
    assert result.lede == "Le chapô."
    assert result.paragraphs == ["Premier paragraphe.", "Second paragraphe."]


def test_parse_text_article_without_byline_keeps_text_and_dates_from_the_date_line():
    result = parse(article("Le titre", "Premier paragraphe.", "Second paragraphe."))

    assert result.title == "Le titre"
    assert result.author == ""
    assert result.published == datetime(2026, 3, 6, 0, 0)
    assert result.paragraphs == ["Premier paragraphe.", "Second paragraphe."]


@pytest.mark.parametrize(
    ("time_line", "published"),
    [
        ("Le 06/03/2026 à 18h06", datetime(2026, 3, 6, 18, 6)),
        ("Le 6/3/2026 à 9h05", datetime(2026, 3, 6, 9, 5)),
        ("Le 06/03/2026 à 9h", datetime(2026, 3, 6, 9, 0)),
        ("Le 06/03/2026 à 18:06", datetime(2026, 3, 6, 18, 6)),
        ("Le 07/03/2026", datetime(2026, 3, 7, 0, 0)),
    ],
)
def test_parse_text_article_reads_the_time_line(time_line, published):
    result = parse(article("Le titre", f"Par Inès Haddad\n{time_line}"))

    assert result.published == published


def test_parse_text_article_reads_an_article_without_body():
    result = parse(article("Le titre", "Par Inès Haddad\nLe 06/03/2026 à 18h06"))

    assert result.title == "Le titre"
    assert result.author == "Inès Haddad"
    assert result.body == ""
    assert result.paragraphs == []
    assert result.tags == []


def test_parse_text_article_reads_tags_of_an_article_without_body():
    result = parse(article("Le titre", "Par Inès Haddad\nLe 06/03/2026 à 18h06", "#Sahel#Élections"))

    assert result.body == ""
    assert result.tags == ["Sahel", "Élections"]


def test_parse_text_article_without_tag_line_keeps_the_last_paragraph_in_the_body():
    text = COMPLETE[: COMPLETE.index("#Agriculture")]
    result = parse(text)

    assert result.tags == []
    assert (
        result.paragraphs[-1] == "Par ailleurs, la commune s’engage à entretenir les pistes qui mènent aux parcelles."
    )


# --- messy files ----------------------------------------------------------


def _leading_space(data: bytes) -> bytes:
    return b" " + data


def _bom(data: bytes) -> bytes:
    return BOM + data


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def _nfd(data: bytes) -> bytes:
    return unicodedata.normalize("NFD", data.decode("utf-8")).encode("utf-8")


def _everything(data: bytes) -> bytes:
    return _bom(_leading_space(_crlf(_nfd(data))))


@pytest.mark.parametrize("mess", [_leading_space, _bom, _crlf, _nfd, _everything])
def test_decode_and_parse_read_a_messy_file_like_a_clean_one(mess):
    clean = parse(COMPLETE)
    data = mess(COMPLETE.encode("utf-8"))

    result = parse(decode_article_bytes(data, PATH))

    assert result == clean
    assert result.published == datetime(2026, 3, 6, 18, 6)


def test_decode_article_bytes_drops_the_bom():
    text = decode_article_bytes(BOM + "date 2026-03-06 Société\n".encode(), PATH)

    assert text == "date 2026-03-06 Société\n"


def test_parse_text_article_accepts_a_bom_left_in_the_text():
    result = parse("\ufeff" + COMPLETE)

    assert result.category == "Économie et société"
    assert result.title.startswith("Agriculture")


def test_parse_text_article_composes_nfd_accents_in_every_field():
    result = parse(unicodedata.normalize("NFD", COMPLETE))

    texts = [
        result.category,
        result.title,
        result.caption,
        result.lede,
        result.author,
        result.body,
        *result.tags,
        *result.related,
    ]
    for text in texts:
        assert unicodedata.is_normalized("NFC", text), text
    assert result.category == "Économie et société"
    assert result.title == "Agriculture : la coopérative d’Oulmès mise sur l’irrigation au goutte-à-goutte"
    assert "Économie rurale" in result.tags
    assert result.related[0] == "Sécheresse : les barrages du Centre à leur plus bas niveau"


def test_parse_text_article_removes_soft_hyphens_everywhere():
    text = article(
        f"La ré{SHY}forme des re{SHY}traites",
        f"Un cha{SHY}pô.",
        f"Par Amé{SHY}lie Roux\nLe 06/03/2026 à 18h06",
        f"Les syn{SHY}dicats pro{SHY}testent.",
        f"Lire aussi : Les re{SHY}traites en débat",
        f"#Re{SHY}traites#Syn{SHY}dicats",
    )

    result = parse(text)

    assert result.title == "La réforme des retraites"
    assert result.lede == "Un chapô."
    assert result.author == "Amélie Roux"
    assert result.body == "Les syndicats protestent."
    assert result.related == ["Les retraites en débat"]
    assert result.tags == ["Retraites", "Syndicats"]


def test_parse_text_article_keeps_no_break_spaces_inside_text():
    text = article(
        f"Le prix atteint 12{NBSP}dirhams{NBSP}!",
        "Par Inès Haddad\nLe 06/03/2026 à 18h06",
        f"«{NBSP}Nous tiendrons{NBSP}», dit-il.",
    )

    result = parse(text)

    assert result.title == f"Le prix atteint 12{NBSP}dirhams{NBSP}!"
    assert result.body == f"«{NBSP}Nous tiendrons{NBSP}», dit-il."


@pytest.mark.parametrize(
    ("tag_line", "tags"),
    [
        ("#  Tag un #Tag deux  #", ["Tag un", "Tag deux"]),
        ("  #Côte d’Ivoire#  Union   africaine", ["Côte d’Ivoire", "Union africaine"]),
        ("#Sécurité#securite#SÉCURITÉ# sécurité ", ["Sécurité"]),
        ("#Maroc#Économie#maroc#economie#Énergie", ["Maroc", "Économie", "Énergie"]),
        ("#Casablanca", ["Casablanca"]),
    ],
)
def test_parse_text_article_cleans_the_tag_line(tag_line, tags):
    result = parse(article("Le titre", "Par Inès Haddad", "Le corps.", tag_line))

    assert result.tags == tags
    assert result.body == "Le corps."


# --- bylines and sentences that look like them ----------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Par ailleurs, le ministre a promis une loi avant l’été.",
        "Par conséquent, les élections sont reportées.",
    ],
)
def test_parse_text_article_keeps_par_sentences_in_the_body(sentence):
    result = parse(article("Le titre", "Le chapô.", "Par Inès Haddad\nLe 06/03/2026 à 18h06", sentence, "La suite."))

    assert result.author == "Inès Haddad"
    assert result.paragraphs == [sentence, "La suite."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Par ailleurs, le ministre a promis une loi avant l’été.",
        "Par conséquent, les élections sont reportées.",
        "Par ailleurs le ministre a promis une loi",
    ],
)
def test_parse_text_article_does_not_take_a_par_sentence_for_the_author(sentence):
    result = parse(article("Le titre", sentence, "La suite."))

    assert result.author == ""
    assert result.paragraphs == [sentence, "La suite."]


def test_parse_text_article_keeps_the_full_author_above_a_time_line():
    result = parse(
        article(
            "Le titre", "Le chapô.", "Par Aude Martin (Dakar, envoyée spéciale)\nLe 06/03/2026 à 18h06", "Le corps."
        )
    )

    assert result.author == "Aude Martin (Dakar, envoyée spéciale)"
    assert result.published == datetime(2026, 3, 6, 18, 6)
    assert result.lede == "Le chapô."
    assert result.body == "Le corps."


def test_parse_text_article_keeps_the_full_author_above_a_time_line_in_its_own_block():
    result = parse(
        article(
            "Le titre",
            "Une légende.",
            "Le chapô.",
            "Par Aude Martin (Dakar, envoyée spéciale)",
            "Le 06/03/2026 à 18h06",
            "Le corps.",
        )
    )

    assert result.author == "Aude Martin (Dakar, envoyée spéciale)"
    assert result.published == datetime(2026, 3, 6, 18, 6)
    assert (result.caption, result.lede) == ("Une légende.", "Le chapô.")
    assert result.body == "Le corps."


def test_parse_text_article_keeps_a_paragraph_starting_with_a_date_in_the_body():
    sentence = "Le 12/03/2026, le conseil municipal a voté le budget."
    result = parse(article("Le titre", "Par Inès Haddad", sentence))

    assert result.author == "Inès Haddad"
    assert result.body == sentence


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("Par Aude Martin et Karim Tazi", ["Aude Martin", "Karim Tazi"]),
        ("Par Aude Martin, Karim Tazi et Inès Haddad", ["Aude Martin", "Karim Tazi", "Inès Haddad"]),
        ("Par Aude Martin & Karim Tazi", ["Aude Martin", "Karim Tazi"]),
    ],
)
def test_parse_text_article_splits_a_byline_with_several_authors(byline, authors):
    result = parse(article("Le titre", f"{byline}\nLe 06/03/2026 à 18h06", "Le corps."))

    assert result.author == byline.removeprefix("Par ")
    assert result.authors == authors


# --- errors ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "  \r\n \n", "\ufeff"])
def test_parse_text_article_reports_an_empty_file_without_line(text):
    error = parse_error(text)

    assert str(error) == f"{PATH}: empty file"
    assert error.line is None
    assert error.path == PATH


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        pytest.param("Le titre sans date\n\nLe corps.\n", 1, ["date YYYY-MM-DD"], id="no-date-line"),
        pytest.param("\n\nLe titre sans date\n", 3, ["date YYYY-MM-DD"], id="no-date-line-after-blanks"),
        pytest.param("datum 2026-03-06 Politique\n\nLe titre\n", 1, ["date YYYY-MM-DD"], id="misspelt-date"),
        pytest.param(
            "date 2026-02-30 Politique\n\nLe titre\n", 1, ["2026-02-30", "does not parse"], id="impossible-date"
        ),
        pytest.param("date 06/03/2026 Politique\n\nLe titre\n", 1, ["06/03/2026", "does not parse"], id="french-date"),
        pytest.param(
            article("Le titre", "Par Inès Haddad\nLe 32/13/2026 à 25h00", "Le corps."),
            6,
            ["Le 32/13/2026 à 25h00", "does not parse"],
            id="bad-time",
        ),
        pytest.param(
            article("Le titre", "Le chapô.", "Le 06/03/2026 à 25h00"),
            7,
            ["Le 06/03/2026 à 25h00", "does not parse"],
            id="bad-hour",
        ),
        pytest.param(
            article("Le titre", "Par Inès Haddad\nLe 06/03/2026 vers midi"),
            6,
            ["Le 06/03/2026 vers midi", "does not parse"],
            id="time-in-words",
        ),
        pytest.param(
            "date 2026-03-06 Politique\nPar Inès Haddad\nLe 06/03/2026 à 18h06\n",
            2,
            ["no title"],
            id="byline-under-date",
        ),
        pytest.param("date 2026-03-06 Politique\n", 2, ["no title"], id="date-line-only"),
    ],
)
def test_parse_text_article_reports_errors_with_file_and_line(text, line, words):
    error = parse_error(text)

    assert error.line == line
    assert str(error).startswith(f"{PATH}:{line}: ")
    for word in words:
        assert word in str(error)
    assert error.article_id == "2026/03/oulmes"


@pytest.mark.parametrize(
    "text",
    [
        article("Par Inès Haddad\nLe 06/03/2026 à 18h06", "Le corps."),
        article("Le 06/03/2026 à 18h06", "Le corps."),
        article("#Sahel#Mali"),
    ],
)
def test_parse_text_article_reports_a_missing_title(text):
    error = parse_error(text)

    assert str(error).startswith(f"{PATH}:")
    assert error.line is not None
    assert "no title" in str(error)


def test_parse_text_article_counts_crlf_lines_in_error_positions():
    text = article("Le titre", "Le chapô.", "Par Inès Haddad\nLe 31/02/2026 à 10h00").replace("\n", "\r\n")

    error = parse_error(text)

    assert error.line == 8
    assert str(error).startswith(f"{PATH}:8: ")


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"\xffdate 2026-03-06 Politique\n", 1),
        (b"date 2026-03-06 Politique\n\nLe titre\nCaf\xe9 noir\n", 4),
        (b"date 2026-03-06 Politique\r\n\r\nLe titre \xc3\n", 3),
    ],
)
def test_decode_article_bytes_names_the_line_of_a_bad_byte(data, line):
    with pytest.raises(ArticleError) as caught:
        decode_article_bytes(data, PATH)

    assert caught.value.line == line
    assert str(caught.value).startswith(f"{PATH}:{line}: ")
    assert "UTF-8" in str(caught.value)


def test_decode_article_bytes_names_the_line_of_a_bad_byte_after_a_bom():
    data = BOM + b"date 2026-03-06 Politique\n\nTitre\n\xffin\n"

    with pytest.raises(ArticleError) as caught:
        decode_article_bytes(data, PATH)

    assert caught.value.line == 4
    assert "0xff" in str(caught.value)


def test_decode_article_bytes_refuses_binary_data():
    with pytest.raises(ArticleError) as caught:
        decode_article_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "images/photo.txt")

    assert str(caught.value).startswith("images/photo.txt: ")
    assert "binary" in str(caught.value)
    assert caught.value.line is None
