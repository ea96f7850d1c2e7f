"""The importer's parsers one by one: examples first, then properties (hypothesis)."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from commentary.importer.citations import find_quoted, parse_creator, parse_note
from commentary.importer.dates import parse_date
from commentary.importer.fidelity import words
from commentary.importer.keys import KeyMaker
from commentary.importer.layout import parse_note_lines, read_layout
from commentary.importer.markers import choose_markers, find_candidates
from commentary.importer.model import Document
from commentary.importer.urls import find_urls, strip_tracking_raw
from commentary.writing import FileSet, escape_markdown, format_entry
from commentary.bib import read_bib_text

# ---------------------------------------------------------------- examples


@pytest.mark.parametrize("text, iso", [
    ("08.08.2025", "2025-08-08"), ("8. August 2025", "2025-08-08"), ("August 8, 2025", "2025-08-08"),
    ("8 Aug. 2025", "2025-08-08"), ("März 2024", "2024-03"), ("2021", "2021"), ("2024-02-29", "2024-02-29"),
    ("31.02.2024", None), ("S. 12", None),
])
def test_dates(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text, url", [
    ("online unter https://a.example/x.", "https://a.example/x"),
    ("(siehe https://de.wikipedia.org/wiki/A_(B))", "https://de.wikipedia.org/wiki/A_(B)"),
    ("https://a.example/x?utm_source=n&q=1#top,", "https://a.example/x?q=1#top"),
    ("[https://a.example/p.pdf]", "https://a.example/p.pdf"),
    ("www.a.example/seite;", "https://www.a.example/seite"),
])
def test_urls(text, url):
    assert [f.url for f in find_urls(text)] == [url]


def test_quotes_mixed_and_mistyped():
    for text, title in [("„Titel“, x", "Titel"), ("“Title”, x", "Title"), ('"Titel", x', "Titel"), ("„Titel„, x", "Titel"),
                        ("«Заголовок» (x)", "Заголовок"), ("„Ein „inneres“ Wort“", "Ein „inneres“ Wort")]:
        start, end = find_quoted(text)
        assert text[start + 1:end - 1] == title


def test_creators():
    assert parse_creator("Gretchen Small").persons == ["Small, Gretchen"]
    assert parse_creator("Ursula von der Leyen").persons == ["von der Leyen, Ursula"]
    assert parse_creator("Jane Doe und John Smith").persons == ["Doe, Jane", "Smith, John"]
    assert parse_creator("Bundesamt für Statistik").organization == "Bundesamt für Statistik"
    assert parse_creator("OECD").organization == "OECD"
    assert parse_creator("Das zeigt eine Studie") is None


def sources(note: str):
    return [p.draft for p in parse_note(note).pieces if p.kind == "source"]


def test_note_forms():
    [a] = sources("Siehe Autor Name: Titel der Sache, bei Medium, 08.08.2025, online unter https://m.example/a")
    assert (a.authors, a.title, a.organization, a.date) == (["Name, Autor"], "Titel der Sache", "Medium", "2025-08-08")
    [b] = sources("Institution (2021): Titel. Reihe Nr. 5, Im Internet unter : https://i.example/r.pdf [13.10.2021]")
    assert (b.type, b.organization, b.series, b.number, b.date, b.urldate) == ("report", "Institution", "Reihe", "5", "2021", "2021-10-13")
    [c] = sources("“Headline [https://n.example/h]”, Publication.")
    assert (c.title, c.journaltitle or c.organization, c.url) == ("Headline", "Publication", "https://n.example/h")
    assert sources("Nur ein Kommentar, ohne Quelle.") == []
    assert sources("https://nur.example/link") == []  # no title: stays a link in the note
    two = sources("Vgl. „A“, bei X, 01.01.2024, online unter https://x.example/a; „B“, bei Y, 02.01.2024, https://y.example/b")
    assert [d.title for d in two] == ["A", "B"]


def test_books_without_url():
    [a] = sources("Mehr dazu: Marcel Fratzscher, Die Deutschland-Illusion, München: Hanser 2014.")
    assert (a.type, a.authors, a.title, a.publisher, a.location, a.date) == (
        "book", ["Fratzscher, Marcel"], "Die Deutschland-Illusion", "Hanser", "München", "2014")
    [b] = sources("Siehe Max Muster: Ein Buch. Westend Verlag, Frankfurt 2020.")
    assert (b.type, b.authors, b.title, b.date) == ("book", ["Muster, Max"], "Ein Buch", "2020")
    assert "Westend" in b.publisher


def test_note_text_keeps_its_own_words():
    parsed = parse_note("Die Zahlen sind vorläufig. Siehe „Titel“, bei Medium, 08.08.2025, online unter https://m.example/a. Dort S. 3.")
    texts = [p.text for p in parsed.pieces if p.kind == "text"]
    assert texts == ["Die Zahlen sind vorläufig. Siehe ", ". Dort S. 3."]


def test_keys_prefix_free():
    maker = KeyMaker(["small2025putin"])
    key = maker.make("Small, Gretchen", "2025-01-01", "Putin again")
    assert not key.startswith("small2025putin") and not "small2025putin".startswith(key)
    assert maker.make("", "", "„Ж“") != ""


def test_two_lists_layout():
    document = read_layout("T\n\nText¹ und [1].\n\nFußnoten\n\n1. Eine Fußnote.\n\nQuellen\n\n[1] Eine Quelle.\n", Document("x", "text"))
    assert [len(l.notes) for l in document.lists] == [1, 1]


def test_file_set_is_all_or_nothing(tmp_path):
    files = FileSet()
    files.add(tmp_path / "a.md", "A")
    files.add(tmp_path / "b.bib", "B")
    assert not (tmp_path / "a.md").exists()
    files.discard()
    assert list(tmp_path.iterdir()) == []
    files.add(tmp_path / "a.md", "A")
    files.commit()
    assert (tmp_path / "a.md").read_text() == "A"


def test_a_source_written_back_reads_the_same():
    from commentary.sources import source_from_entry
    from commentary.writing import format_source

    text = format_entry("article", "leyen2024rede", [("author", "von der Leyen, Ursula and Small, Gretchen"), ("title", "Rede"),
                                                    ("journaltitle", "Die Zeit"), ("date", "2024-05"), ("location", "Berlin")])
    first = source_from_entry(read_bib_text(text, "a.bib").entries["leyen2024rede"])
    again = source_from_entry(read_bib_text(format_source(first), "b.bib").entries["leyen2024rede"])
    assert again == first


def test_bib_values_round_trip():
    text = format_entry("online", "k", [("title", "Ein {Titel} mit } Klammer und @handle"), ("url", "https://a.example/?x=%20")])
    parsed = read_bib_text(text, "k.bib")
    assert not parsed.problems
    assert parsed.entries["k"].fields["url"] == "https://a.example/?x=%20"


# ---------------------------------------------------------------- properties

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=10)
SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def _sup(n: int) -> str:
    return "".join(SUP[int(d)] for d in str(n))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(count=st.integers(1, 30), style=st.sampled_from(["[{}]", "({})", "sup", ".{}"]), data=st.data())
def test_markers_found_in_order_and_distractors_left(count, style, data):
    """Markers 1..n in one style, sprinkled with years, law articles and vote counts, are found exactly."""
    paragraphs = []
    expected = []
    for n in range(1, count + 1):
        words_before = data.draw(st.lists(WORD, min_size=2, max_size=8))
        distractor = data.draw(st.sampled_from(["", " (2019)", " (Art. 8)", " im Jahr 2019.", " Sanders (1) lag vorn"]))
        if style == "sup":
            marker = _sup(n)
        elif style == ".{}":
            marker = "." + str(n)
        else:
            marker = style.format(n)
        sentence = " ".join(words_before) + marker + distractor + " " + " ".join(data.draw(st.lists(WORD, min_size=1, max_size=4))) + "."
        paragraphs.append(sentence)
        expected.append((len(paragraphs) - 1, n))
    from hypothesis import note
    note(repr(paragraphs))
    choice = choose_markers(find_candidates(paragraphs), list(range(1, count + 1)))
    found = [(c.block, n) for c in choice.markers for n in c.numbers]
    assert found == expected
    assert not choice.unmarked and not choice.orphans


@settings(max_examples=150, deadline=None)
@given(notes=st.lists(st.lists(WORD, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=48),
       prefix=st.sampled_from(["{}. ", "{}) ", "({}) ", "[{}] ", "{} ", "- ", ""]), blank=st.booleans())
def test_note_lines_parse_to_the_same_notes(notes, prefix, blank):
    assume(all(n[:1].isupper() or prefix not in ("", "- ") for n in notes) or True)
    notes = [n[0].upper() + n[1:] for n in notes]  # a note starts with a capital, as real ones do
    lines = []
    for i, note in enumerate(notes, 1):
        lines.append((len(lines) + 1, (prefix.format(i) if "{}" in prefix else prefix) + note))
        if blank:
            lines.append((len(lines) + 1, ""))
    document = Document("x", "text")
    parsed, rest, numbered = parse_note_lines(lines, 0, len(notes) if prefix in ("", "- ") else None, document)
    assert [n.text for n in parsed] == notes
    assert [n.number for n in parsed] == list(range(1, len(notes) + 1))
    assert rest == [] and not document.problems


HOST = st.from_regex(r"[a-z]{2,10}\.(de|ch|com|example)", fullmatch=True)
PATH = st.lists(st.from_regex(r"[A-Za-z0-9_~-]{1,10}", fullmatch=True), max_size=4).map("/".join)
PARAM = st.tuples(st.from_regex(r"[a-z]{1,6}", fullmatch=True), st.from_regex(r"[A-Za-z0-9%]{0,6}", fullmatch=True))


@settings(max_examples=200, deadline=None)
@given(host=HOST, path=PATH, params=st.lists(PARAM, max_size=4), tracking=st.lists(
    st.sampled_from(["utm_source", "utm_medium", "fbclid", "gclid", "mc_cid"]), max_size=3, unique=True),
    fragment=st.sampled_from(["", "#top", "#abs-3"]), trailing=st.sampled_from(["", ".", ",", ";", ")", ").", ":"]))
def test_urls_lose_only_trailing_punctuation_and_tracking(host, path, params, tracking, fragment, trailing):
    params = [(k, v) for k, v in params if not re.match(r"utm_|mc_|fbclid|gclid", k)]
    query_parts = [f"{k}={v}" for k, v in params] + [f"{t}=x1" for t in tracking]
    url = f"https://{host}/{path}" + ("?" + "&".join(query_parts) if query_parts else "") + fragment
    text = f"Siehe {url}{trailing} weiter"
    [found] = find_urls(text)
    assert found.written == url
    expected = f"https://{host}/{path}" + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else "") + fragment
    assert found.url == expected
    assert sorted(found.dropped) == sorted(tracking)
    assert strip_tracking_raw(expected) == (expected, [])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_escaped_markdown_shows_exactly_the_text(text):
    """Whatever a paragraph says, the page shows it (no markup, no citation, no list, no heading)."""
    text = " ".join(text.split())
    assume(text)
    rendered = markdown.markdown(escape_markdown(text), extensions=["tables", "attr_list", "footnotes"])
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert " ".join(shown.split()) == text
    assert "@" not in escape_markdown(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab1.-=#>*_+ [](){}|!?:`~^<&@\\")), min_size=1, max_size=12), min_size=2, max_size=4))
def test_escaped_lines_stay_one_paragraph_of_text(lines):
    lines = [" ".join(l.split()) for l in lines]
    assume(all(lines))
    text = "\n".join(lines)
    rendered = markdown.markdown(escape_markdown(text), extensions=["tables", "attr_list", "footnotes"])
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert " ".join(shown.split()) == " ".join(text.split())


def kept_words(parsed) -> list[str]:
    """The words a parsed note still shows: its text and its sources' fields (casefolded).

    "und"/"and" between authors and "Nr" before a number are the house style's to write.
    """
    have = []
    for piece in parsed.pieces:
        if piece.kind == "text":
            have += words(piece.text)
        elif piece.kind == "source":
            draft = piece.draft
            have += words(" ".join(v for _, v in draft.fields()))
            have += ["und", "and"] if len(draft.authors) > 1 else []
            have += ["Nr"] if draft.number else []
    return [w.casefold() for w in have]


@settings(max_examples=100, deadline=None)
@given(before=st.lists(WORD, max_size=5), author=st.tuples(WORD, WORD), title=st.lists(WORD, min_size=1, max_size=6),
       medium=WORD, day=st.integers(1, 28), month=st.integers(1, 12), year=st.integers(1990, 2030), host=HOST)
def test_a_source_note_loses_no_word(before, author, title, medium, day, month, year, host):
    """Whatever is recognised as a source, the note's words are in its text or the entry's fields."""
    first, last = (w.capitalize() for w in author)
    note = (" ".join(before) + (". " if before else "") + f"Siehe {first} {last}: „{' '.join(title)}“, bei {medium.capitalize()}, "
            f"{day:02d}.{month:02d}.{year}, online unter https://{host}/x")
    parsed = parse_note(note)
    from commentary.importer.citations import CONNECTIVE_WORDS
    need = [w for w in words(note) if w.lower() not in CONNECTIVE_WORDS]
    have_folded = kept_words(parsed)
    for word in need:
        assert word.casefold() in have_folded
    assert len(parsed.drafts) == 1 and parsed.drafts[0].title == " ".join(title)


TOKENS = ["Siehe", "Vgl.", "auch", "„", "“", "\"", "«", "»", ":", ",", ".", ";", "(", ")", "[", "]", "bei", "in:", "und",
          "Anna", "Keller", "Bundesamt", "für", "Statistik", "Die", "Zeit", "Titel", "Bericht", "Nr.", "5", "2021", "(2021)",
          "08.08.2025", "3. März 2024", "August 8, 2025", "online", "unter", "abrufbar", "Stand:", "abgerufen", "am",
          "https://a.example/x", "https://b.example/y?utm_source=z&k=1", "https://web.archive.org/web/1/https://a.example/x",
          "Verlag", "Westend", "Frankfurt", "S.", "12", "ebd.", "Post", "von", "auf", "X", "Путин", "(Putin)", "The", "Times"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=30))
def test_any_note_keeps_every_word(tokens):
    """Whatever a note looks like: parsing never fails, and every word stays (text, fields or a connective)."""
    from commentary.importer.citations import CONNECTIVE_WORDS
    note = " ".join(tokens)
    parsed = parse_note(note)
    have_folded = kept_words(parsed)
    for word in words(note):
        assert word.casefold() in have_folded or word.casefold() in CONNECTIVE_WORDS, (word, note)
    urls = {f.url for f in find_urls(note)}
    kept = {p.url.url for p in parsed.pieces if p.url is not None} | {d.url for d in parsed.drafts if d.url}
    assert urls <= kept


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(st.lists(st.sampled_from(["Der", "Rat", "beschloss", "viel", "(2019)", "Art.", "8", "und", "–",
                                                     "Zürich", "https://c.example/z", "a@b.example", "*", "_", "#", "1."]),
                                    min_size=3, max_size=12), min_size=1, max_size=6),
       notes=st.lists(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=20), min_size=1, max_size=8),
       style=st.sampled_from(["[{}]", "({})", "sup"]))
def test_any_article_imports_without_losing_anything(paragraphs, notes, style):
    """End to end (dry run, so the fidelity check runs on files read back from disk): exit 0."""
    import contextlib
    import io
    import shutil
    import tempfile
    from pathlib import Path

    from commentary.cli import main

    root = Path(__file__).resolve().parent.parent
    marker = (lambda n: "".join(SUP[int(d)] for d in str(n))) if style == "sup" else style.format
    body = []
    count = len(notes)
    for i in range(count):
        words_ = paragraphs[i % len(paragraphs)]
        body.append(" ".join(words_).replace(" #", " x#") + "." + marker(i + 1) + " Ende.")
    lines = [f"{i}. " + " ".join(tokens) for i, tokens in enumerate(notes, 1)]
    text = "Ein Titel für den Test\n\n01.02.2024\n\n" + "\n\n".join(body) + "\n\nAnmerkungen\n\n" + "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copytree(root / "tests" / "fixtures" / "import" / "project", project, dirs_exist_ok=True)
        shutil.copy2(root / "mkdocs.yml", project / "mkdocs.yml")
        (project / "artikel.txt").write_text(text, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["import", str(project / "artikel.txt"), "--dry-run", "--project", str(project)])
        assert code == 0, err.getvalue() + "\n" + text
