"""A fast, exact reader for the subset of BibTeX that the archive's .bib files use.

pybtex's Parser spends most of its time in its general-purpose token scanner (a
regular-expression search, a Token object and a line count per token). This reader
walks the same grammar with a few anchored regular expressions — a whole entry of
plain ``name = {value}`` fields is one match — and gives the very same result:
pybtex ``Entry`` objects with the same type, key, fields (names as written, values,
order) and ``Person`` objects (from pybtex's own ``split_name_list`` and ``Person``),
for files that stay inside this subset:

- text between entries, scanned for ``@`` as pybtex scans it;
- ``@comment`` followed by ``{`` or ``(``: pybtex skips just that head and goes on
  looking for ``@`` inside the comment, and so does this reader;
- entries ``@type{key, name = value, ...}`` or ``@type(key, ...)``, with pybtex's
  optional fields and commas (``,,`` and a trailing comma are fine);
- values ``{...}`` (nested braces), ``"..."`` (balanced braces inside) and numbers,
  whitespace-normalised as pybtex normalises them.

Anything else raises ``Unsupported`` and the caller reads the whole file with pybtex,
so problems and their messages stay pybtex's: ``@string``, ``@preamble``, ``#``
concatenation, macro names as values (``month = jan``), syntax errors of any kind,
unbalanced or deeply nested braces (over MAX_DEPTH), a field given twice in an
entry, a key given twice in a file, and any error pybtex reports while making a
Person (a name with too many commas).

Two shortcuts, each checked against pybtex when this module is imported and not
taken if the check fails: an Entry and its two dictionaries are built directly
(as their constructors and ``__setitem__`` build them), and each distinct name is
parsed by ``Person(name)`` once per process, later occurrences getting a new
Person with copies of its name-part lists.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from string import digits

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Entry, Person
from pybtex.database.input.bibtex import NAME_CHARS
from pybtex.utils import OrderedCaseInsensitiveDict

__all__ = ["MAX_DEPTH", "Unsupported", "read_entries"]


class Unsupported(Exception):
    """The text leaves the subset this reader reproduces exactly: use pybtex."""


# pybtex's tokens (pybtex.database.input.bibtex.LowLevelParser); every token is
# preceded by optional whitespace (Scanner.eat_whitespace: r"\s+").
_NAME = rf"[{re.escape(NAME_CHARS)}][{re.escape(NAME_CHARS + digits)}]*"
# after '@': the command name and the body's opening delimiter
_HEAD = re.compile(rf"\s*({_NAME})\s*([{{(])")
_KEY_BRACE = re.compile(r"\s*([^\s,}]+)")
_KEY_PAREN = re.compile(r"\s*([^\s,]+)")
# the common field, in one step: name = {value without braces}, then an optional comma
_SIMPLE_FIELD = re.compile(rf"\s*({_NAME})\s*=\s*\{{([^{{}}]*)\}}\s*(,?)")
# the general field: name '=' and whatever value follows
_FIELD_HEAD = re.compile(rf"\s*({_NAME})\s*=\s*")
_NUMBER = re.compile(r"[0-9]+")
_PLAIN_BRACED = re.compile(r"[^{}]*\}")
_PLAIN_QUOTED = re.compile(r'[^"{}]*"')
_BRACE = re.compile(r"[{}]")
_QUOTE_OR_BRACE = re.compile(r'["{}]')
_AFTER_VALUE = re.compile(r"\s*(,?)")
_SPACE = re.compile(r"\s*")

# A whole entry of simple fields: '@type{key,' and 'name = {value without braces}'
# separated by commas. findall of _SIMPLE_FIELDS on its body gives the fields.
_SIMPLE_ENTRY = re.compile(
    rf"\s*({_NAME})\s*\{{\s*([^\s,}}]+)\s*,"
    rf"((?>\s*{_NAME}\s*=\s*\{{[^{{}}]*+\}}\s*,)*+(?>\s*{_NAME}\s*=\s*\{{[^{{}}]*+\}})?+)\s*\}}"
)
_SIMPLE_FIELDS = re.compile(rf"({_NAME})\s*=\s*\{{([^{{}}]*)\}}")
_NOT_ENTRIES = frozenset(("comment", "string", "preamble"))

# pybtex raises "too many nested braces" beyond 100 levels; stay well below.
MAX_DEPTH = 50

_CACHE_SIZE = 100_000  # entries of each cache below

_PERSON_FIELDS = frozenset(role.lower() for role in Person.valid_roles)


def read_entries(text: str) -> list[tuple[str, Entry]]:
    """(key as written, Entry) for every entry of text, in file order, as pybtex makes them.

    Raises Unsupported when text leaves the subset (see the module's docstring).
    """
    raw = _scan(text)
    entries: list[tuple[str, Entry]] = []
    seen_keys: set[str] = set()
    with pybtex.errors.capture() as errors:
        for entry_type, key, fields in raw:
            lower_key = key.lower()
            if lower_key in seen_keys:
                raise Unsupported(f"repeated key {key}")
            seen_keys.add(lower_key)
            entries.append((key, _make_entry(entry_type, key, fields, errors)))
    if errors:  # e.g. a Person with too many commas: pybtex reports it
        raise Unsupported(str(errors[0]))
    return entries


def _make_entry(entry_type: str, key: str, fields: list[tuple[str, str]], errors: list) -> Entry:
    """pybtex's Parser.process_entry for fields without duplicates (errors: pybtex's captured errors)."""
    field_values: dict[str, str] = {}
    field_names: OrderedDict[str, str] = OrderedDict()
    person_values: dict[str, list] = {}
    person_names: OrderedDict[str, str] = OrderedDict()
    person_fields: set[str] = set()  # also those without a name: pybtex counts them as given
    for name, value in fields:
        lower = name.lower()
        if lower in _PERSON_FIELDS:
            # Entry.add_person for each name
            person_fields.add(lower)
            people = [_person(name_string, errors) for name_string in _split_names(value)]
            if people:
                person_values[lower] = people
                person_names[lower] = name
        else:
            # textutils.normalize_whitespace: re.sub(r"\s+", " ", value.strip());
            # str.split() splits at exactly the characters r"\s" matches in a str.
            field_values[lower] = " ".join(value.split())
            field_names[lower] = name
    if len(field_values) + len(person_fields) != len(fields):
        raise Unsupported(f"a field given twice in {key}")
    return _new_entry(entry_type, key, field_values, field_names, person_values, person_names)


def _entry_by_constructor(entry_type, key, field_values, field_names, person_values, person_names) -> Entry:
    entry = Entry(entry_type)
    for lower, name in field_names.items():
        entry.fields[name] = field_values[lower]
    for lower, name in person_names.items():
        entry.persons[name] = person_values[lower]
    entry.key = key
    return entry


def _entry_directly(entry_type, key, field_values, field_names, person_values, person_names) -> Entry:
    """The Entry that _entry_by_constructor makes, without its method calls."""
    entry = _new_object(Entry)
    entry.type = entry_type.lower()
    entry.original_type = entry_type
    entry.fields = fields = _new_object(OrderedCaseInsensitiveDict)
    fields._dict = field_values
    fields._keys = field_names
    entry.persons = persons = _new_object(OrderedCaseInsensitiveDict)
    persons._dict = person_values
    persons._keys = person_names
    entry.key = key
    return entry


def _layout(value):
    """Attributes, their types and order, all the way down to plain values."""
    if isinstance(value, dict):
        return (type(value), [(name, _layout(item)) for name, item in value.items()])
    if hasattr(value, "__dict__"):
        return (type(value), [(name, _layout(item)) for name, item in vars(value).items()])
    return (type(value), value)


_new_object = object.__new__
# Making an Entry and its two dictionaries directly saves ~15 % of the reading time. It
# relies on pybtex's attribute layout, so it is used only if it gives the same
# object as the constructor for a sample entry; otherwise the constructor is used.
_SAMPLE = ("Online", "Key1", {"title": "T"}, OrderedDict(title="Title"),
           {"author": []}, OrderedDict(author="Author"))
_new_entry = (_entry_directly
              if _layout(_entry_directly(*_SAMPLE)) == _layout(_entry_by_constructor(*_SAMPLE))
              else _entry_by_constructor)


def _scan(text: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(type, key, [(field name, raw value)]) per entry, walking pybtex's LowLevelParser grammar."""
    result = []
    find = text.find
    simple_entry = _SIMPLE_ENTRY.match
    simple_fields = _SIMPLE_FIELDS.findall
    pos = 0
    while True:
        at = find("@", pos)
        if at < 0:
            return result
        whole = simple_entry(text, at + 1)
        if whole and whole.group(1).lower() not in _NOT_ENTRIES:
            result.append((whole.group(1), whole.group(2), simple_fields(whole.group(3))))
            pos = whole.end()
            continue
        pos = _entry(text, at + 1, result)


def _entry(text: str, pos: int, result: list) -> int:
    """Read the command after the '@' before pos into result; the position after it."""
    head = _HEAD.match(text, pos)
    if not head:
        raise Unsupported("not a command after '@'")
    command = head.group(1)
    pos = head.end()
    kind = command.lower()
    if kind == "comment":
        return pos  # pybtex skips just the head; the scan for '@' goes on inside
    if kind in ("string", "preamble"):
        raise Unsupported(f"@{command}")
    closing = "}" if head.group(2) == "{" else ")"
    key_match = (_KEY_BRACE if closing == "}" else _KEY_PAREN).match(text, pos)
    if not key_match:
        raise Unsupported("no key")
    key = key_match.group(1)
    pos = key_match.end()
    fields: list[tuple[str, str]] = []
    # pybtex's parse_entry_fields: an optional field, then a comma and again, until no comma
    while True:
        match = _SIMPLE_FIELD.match(text, pos)
        if match:
            fields.append((match.group(1), match.group(2)))
            pos = match.end()
            if match.group(3):
                continue
            break
        match = _FIELD_HEAD.match(text, pos)
        if match:
            name = match.group(1)
            pos = match.end()
            value, pos = _value(text, pos)
            fields.append((name, value))
        match = _AFTER_VALUE.match(text, pos)
        pos = match.end()
        if not match.group(1):
            break
    pos = _SPACE.match(text, pos).end()
    if not text.startswith(closing, pos):
        raise Unsupported(f"entry {key} does not end with {closing!r}")
    result.append((command, key, fields))
    return pos + 1


def _value(text: str, pos: int) -> tuple[str, int]:
    """The raw value starting at pos (no whitespace before it) and the position after it."""
    char = text[pos : pos + 1]
    if char == "{":
        match = _PLAIN_BRACED.match(text, pos + 1)
        end = match.end() - 1 if match else _braced_end(text, pos + 1)
    elif char == '"':
        match = _PLAIN_QUOTED.match(text, pos + 1)
        end = match.end() - 1 if match else _quoted_end(text, pos + 1)
    else:
        match = _NUMBER.match(text, pos)
        if not match:
            raise Unsupported("a macro name or no value")
        end = match.end()
        after = _SPACE.match(text, end).end()
        if text.startswith("#", after):
            raise Unsupported("# concatenation")
        return match.group(), end
    after = _SPACE.match(text, end + 1).end()
    if text.startswith("#", after):
        raise Unsupported("# concatenation")
    return text[pos + 1 : end], end + 1


def _braced_end(text: str, start: int) -> int:
    """Index of the '}' closing a value whose '{' ends just before start."""
    depth = 0
    for match in _BRACE.finditer(text, start):
        if match.group() == "{":
            depth += 1
            if depth > MAX_DEPTH:
                raise Unsupported("braces nested too deeply")
        elif depth:
            depth -= 1
        else:
            return match.start()
    raise Unsupported("unclosed brace")


def _quoted_end(text: str, start: int) -> int:
    """Index of the '"' closing a value whose '"' ends just before start.

    As in pybtex: at brace level 0 a '"' closes the value and a '}' is an error;
    inside braces only braces count.
    """
    depth = 0
    for match in _QUOTE_OR_BRACE.finditer(text, start):
        char = match.group()
        if char == "{":
            depth += 1
            if depth > MAX_DEPTH:
                raise Unsupported("braces nested too deeply")
        elif char == "}":
            if not depth:
                raise Unsupported("unbalanced braces in a quoted value")
            depth -= 1
        elif not depth:
            return match.start()
    raise Unsupported("unclosed quote")


# author/editor value -> its names, as split_name_list gives them
_split_cache: dict[str, tuple[str, ...]] = {}


def _split_names(value: str) -> tuple[str, ...]:
    """split_name_list(normalize_whitespace(value)), remembered (a pure function of value)."""
    names = _split_cache.get(value)
    if names is None:
        if len(_split_cache) >= _CACHE_SIZE:
            _split_cache.clear()
        names = _split_cache[value] = tuple(split_name_list(" ".join(value.split())))
    return names


# name string -> its parts, as Person(name string) made them without reporting an error
_person_parts: dict[str, tuple[list[str], ...]] = {}


def _person(name: str, errors: list) -> Person:
    """Person(name), made once per distinct name and copied after that.

    Parsing a name is the largest part of reading our files, and the same people
    appear again and again. A copy is a new Person with new lists equal to those
    Person(name) makes: the same object in every respect. Only names parsed without
    a reported error are remembered, so every error is reported (and leads to pybtex).
    """
    parts = _person_parts.get(name)
    if parts is None:
        reported = len(errors)
        person = Person(name)
        if len(errors) == reported and _copy_persons:
            if len(_person_parts) >= _CACHE_SIZE:
                _person_parts.clear()
            # copies: the Person handed out may be changed by its user
            _person_parts[name] = (person.first_names[:], person.middle_names[:], person.prelast_names[:],
                                   person.last_names[:], person.lineage_names[:])
        return person
    person = _new_object(Person)
    # the attributes in the order Person.__init__ sets them
    person.first_names = parts[0][:]
    person.middle_names = parts[1][:]
    person.prelast_names = parts[2][:]
    person.last_names = parts[3][:]
    person.lineage_names = parts[4][:]
    return person


def _persons_copy_exactly() -> bool:
    """Is a copy made by _person the same object as Person(name)? (pybtex's layout unchanged)"""
    name = "de la Fontaine, Jr., Jean {Baptiste} Marie"
    with pybtex.errors.capture() as errors:
        made = _person(name, errors)
        copied = _person(name, errors)
    _person_parts.pop(name, None)
    return not errors and made is not copied and _layout(made) == _layout(copied) == _layout(Person(name))


_copy_persons = True
_copy_persons = _persons_copy_exactly()
