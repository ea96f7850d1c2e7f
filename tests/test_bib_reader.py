"""The fast .bib reader (commentary.bibtex_reader) gives exactly what pybtex's Parser gives.

read_bib_text reads files inside the reader's subset with it and every other file
with pybtex; read_bib_text_with_pybtex is the reference (pybtex alone, as before).
Compared: the whole BibFile — path, lines, problems, and for every entry its key,
type, fields (names, values, order) and persons (every name part), down to the
attributes' types and order.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from pybtex.database import Person
from pybtex.textutils import normalize_whitespace

import commentary.bib
from commentary import bibtex_reader
from commentary.bib import read_bib_text, read_bib_text_with_pybtex
from commentary.bibtex_reader import Unsupported, read_entries

ROOT = Path(__file__).resolve().parent.parent
REPO_BIB_FILES = sorted([*ROOT.glob("bib/**/*.bib"), *ROOT.glob("tests/fixtures/**/*.bib")])
# files of the repository that must take pybtex's path (each has a deliberate error)
FALLBACK_FIXTURES = {"tests/fixtures/broken/bib/schluessel.bib", "tests/fixtures/broken/bib/syntax.bib"}


def layout(value):
    """A value with its type, and the attributes or items of objects and dicts, in order."""
    if isinstance(value, dict):
        return (type(value).__name__, [(key, layout(item)) for key, item in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [layout(item) for item in value])
    if hasattr(value, "__dict__"):
        return (type(value).__name__, [(name, layout(item)) for name, item in vars(value).items()])
    return (type(value).__name__, value)


def shape(bib_file):
    return (
        bib_file.path,
        bib_file.lines,
        bib_file.problems,
        [(key, layout(entry)) for key, entry in bib_file.entries.items()],
    )


def outcome(read, text, path="x.bib"):
    """The shape of what read gives, or the exception it raises."""
    try:
        return ("read", shape(read(text, path)))
    except Exception as error:  # noqa: BLE001 - both paths must fail alike
        return ("raised", type(error).__name__, str(error))


def uses_fast_reader(text: str) -> bool:
    try:
        read_entries(text)
    except Unsupported:
        return False
    return True


ENTRY_HEAD = re.compile(r"^[ \t]*@([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s]*)[ \t]*,", re.M)


def original_lines(text: str) -> dict[str, int]:
    """BibFile.lines as read_bib_text found them before the fast reader (the reference for both paths)."""
    lines: dict[str, int] = {}
    for match in ENTRY_HEAD.finditer(text):
        kind, key = match.group(1).lower(), match.group(2)
        if kind in ("comment", "preamble", "string"):
            continue
        line = text.count("\n", 0, match.start()) + 1
        if key.lower() in lines:
            continue
        lines[key.lower()] = line
    return lines


def assert_same(text: str, path: str = "x.bib") -> None:
    assert outcome(read_bib_text, text, path) == outcome(read_bib_text_with_pybtex, text, path)
    assert read_bib_text(text, path).lines == original_lines(text)


# --- the repository's own files and a generated archive ---------------------------------------------


@pytest.mark.parametrize("file", REPO_BIB_FILES, ids=lambda file: str(file.relative_to(ROOT)))
def test_repository_files_read_as_pybtex_reads_them(file):
    label = str(file.relative_to(ROOT))
    text = file.read_text(encoding="utf-8")
    assert_same(text, label)
    assert uses_fast_reader(text) == (label not in FALLBACK_FIXTURES)


def test_the_comparison_sees_persons_and_field_order():
    text = "@online{a1, author = {Keller, Anna}, title = {T}, url = {U}}"
    described = repr(shape(read_bib_text(text, "a.bib")))
    assert "'first_names', ('list', [('str', 'Anna')])" in described
    assert "('title', ('str', 'Title'))" not in described and "('title', ('str', 'T'))" in described
    assert described.index("'title'") < described.index("'url'")
    swapped = "@online{a1, author = {Keller, Anna}, url = {U}, title = {T}}"
    assert shape(read_bib_text(swapped, "a.bib")) != shape(read_bib_text(text, "a.bib"))


@pytest.fixture(scope="module")
def generated_bib(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), "--n", "30", "--out", str(out), "--no-check"],
                   check=True, capture_output=True, timeout=300)
    files = sorted((out / "bib").glob("*.bib"))
    assert len(files) == 30
    return files


def test_a_generated_archive_reads_as_pybtex_reads_it(generated_bib):
    entries = 0
    for file in generated_bib:
        text = file.read_text(encoding="utf-8")
        assert uses_fast_reader(text), file.name
        assert_same(text, f"bib/{file.name}")
        entries += len(read_bib_text(text, file.name).entries)
    assert entries > 300


def test_normal_files_do_not_touch_pybtex_parser(monkeypatch, generated_bib):
    class NoParser:
        def __init__(self, *args, **kwargs):
            raise AssertionError("pybtex's Parser used for a file the fast reader covers")

    files = [*generated_bib, *(file for file in REPO_BIB_FILES if str(file.relative_to(ROOT)) not in FALLBACK_FIXTURES)]
    expected = {file: shape(read_bib_text_with_pybtex(file.read_text(encoding="utf-8"), file.name)) for file in files}
    monkeypatch.setattr(commentary.bib, "Parser", NoParser)
    for file in files:
        assert shape(read_bib_text(file.read_text(encoding="utf-8"), file.name)) == expected[file]


# --- whitespace, persons, caches ---------------------------------------------------------------------


def test_whitespace_normalisation_is_pybtex_s():
    """The reader normalises with ' '.join(value.split()); pybtex with re.sub(r'\\s+', ' ', value.strip())."""
    by_regex = {chr(code) for code in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(code))}
    by_isspace = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert by_regex == by_isspace
    for space in by_regex:
        for text in (f"a{space}b", f"{space}a{space}{space}b{space}", f"{space} \n{space}", f"x\u00a0{space}y"):
            assert " ".join(text.split()) == normalize_whitespace(text)


def test_persons_are_new_objects_every_time():
    text = "@online{a1, author = {Keller, Anna and Anna Keller}, title = {T}}\n"
    first = read_bib_text(text, "a.bib").entries["a1"].persons["author"]
    first[0].first_names.append("Changed")
    first[1].last_names[0] = "Changed"
    again = read_bib_text(text, "a.bib").entries["a1"].persons["author"]
    assert shape(read_bib_text(text, "a.bib")) == shape(read_bib_text_with_pybtex(text, "a.bib"))
    assert [str(person) for person in again] == ["Keller, Anna", "Keller, Anna"]
    assert again[0] is not again[1] and again[0].first_names is not again[1].first_names


def test_a_name_pybtex_complains_about_falls_back_every_time():
    text = "@online{a1, author = {One, Two, Three, Four}, title = {T}}\n"
    for _ in range(2):  # the second time too: a bad name is never remembered as good
        assert not uses_fast_reader(text)
        problems = read_bib_text(text, "a.bib").problems
        assert [problem.message for problem in problems] == [
            "BibTeX syntax: Too many commas in 'One, Two, Three, Four'"]
        assert_same(text)


def test_fields_and_persons_keep_their_spelling_and_order():
    text = "@Online{Key1,\n  URL = {https://x.example/},\n  Author = {B, A},\n  Title = {T},\n  EDITOR = {C, D},\n}\n"
    assert uses_fast_reader(text)
    entry = read_bib_text(text, "a.bib").entries["key1"]
    assert (entry.key, entry.type, entry.original_type) == ("Key1", "online", "Online")
    assert list(entry.fields) == ["URL", "Title"] and list(entry.persons) == ["Author", "EDITOR"]
    assert entry.fields["url"] == "https://x.example/" and str(entry.persons["editor"][0]) == "C, D"
    assert_same(text)


# --- what the subset covers, and what falls back ------------------------------------------------------

COVERED = {
    "nested braces and quotes": '@online{a1, title = {Die {EU} und "ihr" {Netz {im} Bau}}, note = "Ein {"}Zitat{"} {x}"}',
    "numbers": "@online{a1, title = {T}, number = 2024, pages = 12 }",
    "parentheses": "@online(a1, title = {T (mit Klammern)}, note = {a{b)}c})",
    "comment between entries": "% a comment\n@comment{alles {hier} wird übersprungen}\n@online{a1, title = {T}}\n"
                               "Freier Text, auch mit = und , und }.\n@book{b2, title = {U},}",
    "odd commas and spaces": "@online  {  a1 ,, title\n=\n{T}\n,,  ,note={N} }",
    "no fields, no comma": "@online{a1}\n@online{a2,}",
    "key with odd characters": "@online{a:b-c/d{e, title = {T}}",
    "whitespace everywhere": "@online{a1, title = {  Ein\n\n  Titel\tmit \u00a0 Lücken  }, note = {\n}}",
    "empty values": '@online{a1, title = {}, note = "", author = {}, editor = { }}',
    "persons": "@book{a1, author = {Ludwig van Beethoven and de la Fontaine, Jr., Jean and {Amt für Netze} and "
               "Иванов, Иван Иванович and Ji{\\v r}í Novák AND Ole Kr{\\o}yer}, editor = {Keller, Anna and}}",
    "at sign inside values": "@online{a1, title = {a@b}, url = {mailto:x@y.example}}",
    "number followed by the end": "@online{a1, year=2024}",
    "upper-case comment": "@COMMENT(x) @Online{a1, title={T}}",
}

FALLS_BACK = {
    "@string": "@string{eu = {Europäische Union}}\n@online{a1, title = eu}",
    "@preamble": '@preamble{"\\newcommand{\\x}{}"}\n@online{a1, title = {T}}',
    "concatenation": '@online{a1, title = {Teil} # " eins"}',
    "concatenation after a number": "@online{a1, title = 12 # {b}}",
    "macro": "@online{a1, title = {T}, month = jan}",
    "undefined macro": "@online{a1, title = {T}, journal = unbekannt}",
    "unbalanced braces": "@online{a1, title = {Nicht {geschlossen}\n\n@online{a2, title = {T}}",
    "closing brace in quotes": '@online{a1, title = "a}b"}',
    "unclosed entry": "@online{a1, title = {T},\n\n@online{a2, title = {U}}",
    "missing comma": "@online{a1, title = {T} note = {N}}",
    "missing equals sign": "@online{a1, title {T}}",
    "missing key": "@online{, title = {T}}",
    "stray at sign": "Mail an info@example.org\n@online{a1, title = {T}}",
    "at sign without a command": "@ {x}",
    "at sign at the end": "@online{a1, title = {T}}\n@",
    "at sign in a comment": "@comment{siehe @online{a2} und @mehr}\n@online{a1, title = {T}}",
    "duplicate key": "@online{a1, title = {T}}\n@online{A1, title = {U}}",
    "duplicate field": "@online{a1, title = {T}, Title = {U}}",
    "duplicate author": "@online{a1, author = {A, B}, AUTHOR = {C, D}}",
    "duplicate empty author": "@online{a1, author = {}, author = {C, D}}",
    "too many commas in a name": "@online{a1, author = {A, B, C, D}}",
    "number glued to a name": "@online{a1, year = 2024abc}",
    "deep nesting": "@online{a1, title = " + "{" * 60 + "x" + "}" * 60 + "}",
    "too deep for pybtex": "@online{a1, title = " + "{" * 120 + "x" + "}" * 120 + "}",
    "wrong closing delimiter": "@online(a1, title = {T}}",
    "premature end": "@online{a1, title = {T}",
}


@pytest.mark.parametrize("text", COVERED.values(), ids=COVERED.keys())
def test_the_subset_is_read_by_the_fast_reader(text):
    assert uses_fast_reader(text)
    assert_same(text)


@pytest.mark.parametrize("text", FALLS_BACK.values(), ids=FALLS_BACK.keys())
def test_everything_else_falls_back_to_pybtex(text):
    assert not uses_fast_reader(text)
    assert_same(text)


def test_problems_of_the_broken_fixtures_are_unchanged():
    syntax = (ROOT / "tests/fixtures/broken/bib/syntax.bib").read_text(encoding="utf-8")
    problems = read_bib_text(syntax, "bib/syntax.bib").problems
    assert problems and all(problem.message.startswith("BibTeX syntax: ") for problem in problems)
    keys = (ROOT / "tests/fixtures/broken/bib/schluessel.bib").read_text(encoding="utf-8")
    messages = [problem.message for problem in read_bib_text(keys, "bib/schluessel.bib").problems]
    assert any(message.startswith("duplicate key 'netz2024doppelt'") for message in messages)


def test_entries_and_persons_are_made_as_the_constructors_make_them():
    """The reader's two shortcuts are checked on import; with this pybtex both are taken."""
    assert bibtex_reader._new_entry is bibtex_reader._entry_directly
    assert bibtex_reader._copy_persons
    sample = ("Book", "K", {"title": "T", "url": "U"}, OrderedDict(title="Title", url="URL"),
              {"editor": [Person("A, B")]}, OrderedDict(editor="Editor"))
    assert layout(bibtex_reader._entry_directly(*sample)) == layout(bibtex_reader._entry_by_constructor(*sample))


# --- random entries in the subset (must be read by the fast reader) and random text (anything) ----------

SPACE = st.sampled_from([" ", "", "  ", "\n", "\n  ", "\t", " \r\n", "\u00a0", "\u2003"])
CHARS = (list("abcxyzABCÄÖÜäöüßéèçñ0123456789 ,.;:=#%&!?()[]<>'/\\-_~+*")
         + ["\n", "\t", "  ", "   ", "\u00a0", "\u2009", "\u2003"]
         + list("ИванПетровичЖёЩюя")
         + ["—", "–", "„", "“", "«", "»", "€", "😀"])
PLAIN_CHARS = st.sampled_from([*CHARS, "@", '"'])
NO_QUOTE = st.sampled_from([*CHARS, "@"])
NO_AT = st.sampled_from([*CHARS, '"'])


def braced(chars, depth=0):
    """Text with balanced braces (what a {…} value may hold)."""
    leaf = st.lists(chars, max_size=12).map("".join)
    if depth >= 3:
        return leaf
    nested = braced(chars, depth + 1).map(lambda inner: "{" + inner + "}")
    return st.lists(st.one_of(leaf, leaf, nested), max_size=4).map("".join)


BRACED_VALUE = braced(PLAIN_CHARS).map(lambda text: "{" + text + "}")
# in quotes: no '"' at brace level 0, anything inside braces
QUOTED_VALUE = st.lists(
    st.one_of(st.lists(NO_QUOTE, max_size=12).map("".join), BRACED_VALUE),
    max_size=4,
).map(lambda parts: '"' + "".join(parts) + '"')
NUMBER_VALUE = st.integers(min_value=0, max_value=10**12).map(str)

WORD = st.one_of(
    st.sampled_from(["Anna", "Keller", "Müller-Lüdenscheidt", "Иван", "Иванов", "Jean", "Ji{\\v r}í", "O'Neil",
                     "de", "la", "van", "von", "der", "d'", "Jr", "Jr.", "III", "{Amt für Netze}", "{von Braun}",
                     "{\\'E}mile", "ß", "and", "AND", "Andersen", "Sandra", "{and}", "A.", "B.-C."]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜИванов", min_size=1, max_size=8),
)
NAME_WORDS = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
PERSON = st.one_of(
    NAME_WORDS,  # First von Last
    st.tuples(NAME_WORDS, NAME_WORDS).map(", ".join),  # von Last, First
    st.tuples(NAME_WORDS, NAME_WORDS, NAME_WORDS).map(", ".join),  # von Last, Jr, First
)
AND = st.sampled_from([" and ", " AND ", " And ", "\nand ", "  and\n  ", " and  "])


@st.composite
def person_value(draw):
    people = draw(st.lists(PERSON, min_size=0, max_size=4))
    text = people[0] if people else ""
    for person in people[1:]:
        text += draw(AND) + person
    return "{" + text + "}"


FIELD_NAME = st.one_of(
    st.sampled_from(["title", "Title", "TITLE", "url", "date", "urldate", "note", "langid", "titleaddon",
                     "organization", "journaltitle", "x-custom", "a.b", "f:g", "n_1", "abc123",
                     "a@b", "@x", "x|y", "<t>", "[f]", "!a", "a\\b", "~", "a;b", "?", "x\x7f"]),
    st.from_regex(r"[A-Za-z][A-Za-z0-9_.:+\-]{0,10}", fullmatch=True),
)
PERSON_FIELD = st.sampled_from(["author", "Author", "AUTHOR", "editor", "Editor"])
ENTRY_TYPE = st.one_of(st.sampled_from(["online", "Online", "ARTICLE", "book", "report", "misc", "inproceedings",
                                        "@online", "on-line", "x.y", "a@b", "Comments", "strings"]),
                       st.from_regex(r"[A-Za-z][A-Za-z0-9_\-]{0,8}", fullmatch=True)
                       .filter(lambda name: name.lower() not in ("comment", "string", "preamble")))
KEY = st.one_of(st.from_regex(r"[a-z][a-z0-9]{0,15}", fullmatch=True),
                st.sampled_from(["a{b", 'a"b', "a=b", "a@b", "a(b", "{x", "Ключ", "ä1"]),
                st.from_regex(r"[A-Za-z0-9:_\-./+äöü]{1,12}", fullmatch=True))
BETWEEN = st.one_of(
    st.just("\n\n"),
    st.lists(NO_AT, max_size=20).map(lambda chars: "\n" + "".join(chars) + "\n"),
    st.lists(NO_AT, max_size=20).map(lambda chars: "\n@comment{" + "".join(chars) + "}\n"),
)


@st.composite
def entry_text(draw, key):
    brace = draw(st.booleans())
    opening, closing = ("{", "}") if brace else ("(", ")")
    names: set[str] = set()
    fields = []
    for _ in range(draw(st.integers(min_value=0, max_value=7))):
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            name, value = draw(PERSON_FIELD), draw(person_value())
        else:
            name = draw(FIELD_NAME)
            value = draw(st.one_of(BRACED_VALUE, BRACED_VALUE, QUOTED_VALUE, NUMBER_VALUE))
        if name.lower() in names:
            continue
        names.add(name.lower())
        fields.append(f"{draw(SPACE)}{name}{draw(SPACE)}={draw(SPACE)}{value}{draw(SPACE)}")
    body = ",".join(fields)
    if fields and draw(st.booleans()):
        body += "," + draw(SPACE)
    return f"@{draw(ENTRY_TYPE)}{draw(SPACE)}{opening}{draw(SPACE)}{key}{draw(SPACE)},{body}{closing}"


@st.composite
def bib_text(draw):
    keys = draw(st.lists(KEY, max_size=6, unique_by=str.lower))
    text = draw(st.sampled_from(["", "% Quellen\n", "\ufeff"]))
    for key in keys:
        text += draw(entry_text(key)) + draw(BETWEEN)
    return text


SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(bib_text())
@example("@online{a1, author = {Keller, Anna and von Braun, Jr, Wernher}, title = {T}}")
@example("@online{a1, author = {Иванов, Иван and {Amt für Netze}}, title = {Ж {ж} ж}}")
def test_random_files_of_the_subset_read_as_pybtex_reads_them(text):
    assert uses_fast_reader(text), text
    assert_same(text)


FRAGMENTS = st.one_of(
    bib_text(),
    st.sampled_from(["@string{m = {M}}", "@preamble{{p}}", " # ", "jan", "{", "}", '"', "@", ",", "=", "(", ")",
                     "@online{", "@comment", "title = ", "author = {A, B, C, D}", "2024", "\n", " and ", "{x}"]),
    st.lists(PLAIN_CHARS, max_size=10).map("".join),
)


@SETTINGS
@given(st.lists(FRAGMENTS, max_size=8).map("".join))
def test_random_text_reads_as_pybtex_reads_it(text):
    assert_same(text)
    event("fast reader" if uses_fast_reader(text) else "pybtex")


@SETTINGS
@given(bib_text(), st.data())
def test_random_damage_reads_as_pybtex_reads_it(text, data):
    """A file of the subset with a piece cut out or a character put in: reader or pybtex, the same result."""
    assume(text)
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=min(len(text), start + 5)))
    insert = data.draw(st.sampled_from(["", "{", "}", '"', "#", "@", ",", "=", "(", ")", " ", "\n", "x", "1"]))
    damaged = text[:start] + insert + text[end:]
    assert_same(damaged)
    event("fast reader" if uses_fast_reader(damaged) else "pybtex")
