"""The contributor guide (docs/mitmachen.md) shows only examples that work.

Each example file in the guide is a fenced block right after a line
"Datei `<path>`:" (or "Datei `<path>` (ergänzen):" for additions to an existing file).
The test follows the guide in a copy of the mini archive: it adds the series and the
author, runs the guide's `commentary new` command, writes the example article and its
sources over the scaffold, runs the guide's `commentary check` commands, builds the site
with --strict and reads the example article's notes in the HTML.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from commentary.article import OPTIONAL_KEYS, REQUIRED_KEYS
from commentary.cli import build_parser, main
from commentary.notes import CITATION
from commentary.sources import ENTRY_TYPES
from conftest import ROOT, mkdocs_build, read_html

GUIDE = ROOT / "docs" / "mitmachen.md"
MINI = ROOT / "tests" / "fixtures" / "mini"
TEXT = GUIDE.read_text(encoding="utf-8")

EXAMPLE = re.compile(r"^Datei `(?P<path>[^`]+)`(?P<add> \(ergänzen\))?:\n\n(?P<fence>`{3,})(?P<lang>\w*)\n(?P<code>.*?)\n(?P=fence)$",
                     re.M | re.S)
SHELL = re.compile(r"^```sh\n(?P<code>.*?)\n```$", re.M | re.S)
FENCED = re.compile(r"^(`{3,}|~{3,}).*?^\1$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+).+?\1", re.S)


def examples() -> dict[str, dict]:
    """Target path -> {'text': the blocks for it joined in order, 'add': whether it adds to an existing file}."""
    files: dict[str, dict] = {}
    for match in EXAMPLE.finditer(TEXT):
        entry = files.setdefault(match["path"], {"text": "", "add": bool(match["add"])})
        entry["text"] += match["code"] + "\n"
    return files


def commands(program: str) -> list[list[str]]:
    lines = [line for block in SHELL.finditer(TEXT) for line in block["code"].splitlines()]
    return [shlex.split(line) for line in lines if shlex.split(line)[:1] == [program]]


def prose() -> str:
    """The guide without its front matter, code blocks and inline code."""
    body = TEXT.split("\n---\n", 1)[1]
    return CODE_SPAN.sub(" ", FENCED.sub(" ", body))


def merge(old, new):
    if isinstance(old, dict) and isinstance(new, dict):
        return {**old, **{key: merge(old.get(key), value) for key, value in new.items()}}
    return new


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    """A copy of the mini archive after following the guide; the built site; what the commands printed."""
    project = tmp_path_factory.mktemp("guide") / "project"
    shutil.copytree(MINI, project)
    for part in ("mkdocs.yml", "hooks", "overrides", "docs/mitmachen.md"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / part)
    files = examples()
    for path, example in files.items():  # series and authors first: `commentary new` needs them
        if example["add"]:
            target = project / path
            merged = merge(yaml.safe_load(target.read_text(encoding="utf-8")), yaml.safe_load(example["text"]))
            target.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(project)
    printed = {}
    try:
        for command in commands("commentary"):
            if command[1] == "new":
                out = io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                    assert main(command[1:]) == 0, command
                printed[shlex.join(command)] = out.getvalue().splitlines()
        for path, example in files.items():
            if not example["add"]:
                (project / path).parent.mkdir(parents=True, exist_ok=True)
                (project / path).write_text(example["text"], encoding="utf-8")
    finally:
        monkeypatch.undo()
    result = mkdocs_build(project, project / "site")
    return project, result, printed


def run_check(capsys, monkeypatch, project: Path, *args: str) -> tuple[int, list[str]]:
    monkeypatch.chdir(project)
    capsys.readouterr()
    code = main(["check", *args])
    return code, capsys.readouterr().out.splitlines()


def test_the_guide_has_examples_of_everything_it_explains():
    files = examples()
    assert {"docs/.series.yml", "docs/.authors.yml"} <= set(files)
    articles = [path for path in files if path.startswith("docs/artikel/")]
    assert len(articles) == 2
    for article in articles:
        assert f"bib/{Path(article).stem}.bib" in files
    shown_types = set(re.findall(r"^@(\w+)\{", "".join(f["text"] for f in files.values()), re.M))
    assert shown_types == set(ENTRY_TYPES)
    assert commands("commentary") and {c[1] for c in commands("commentary")} >= {"new", "check", "import"}


def test_the_field_table_is_the_content_model():
    rows = dict(re.findall(r"^\| `(\w+)` \| (ja|nein) \|", TEXT, re.M))
    assert {key for key, required in rows.items() if required == "ja"} == set(REQUIRED_KEYS)
    assert set(rows) == set(REQUIRED_KEYS) | (set(OPTIONAL_KEYS) - {"template", "draft"})


def test_the_prose_has_no_citation_and_german_quotes():
    text = prose()
    assert not [m.group(0) for m in CITATION.finditer(text)], "write &#64; for a literal @ outside code"
    assert '"' not in text, "German quotation marks („…“) in the prose"
    assert "„" in text and "“" in text


def test_every_command_in_the_guide_is_accepted():
    parser = build_parser()
    for command in commands("commentary"):
        parser.parse_args(command[1:])  # exits on an unknown option or subcommand
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for command in commands("make"):
        assert re.search(rf"^{re.escape(command[1])}:", makefile, re.M), command


def test_commentary_new_writes_the_files_the_guide_then_shows(followed):
    _, _, printed = followed
    [paths] = printed.values()
    assert sorted(paths) == sorted(path for path in examples() if path.startswith(("bib/was-", "docs/artikel/was-")))


def test_the_example_archive_passes_every_check_command_of_the_guide(followed, capsys, monkeypatch):
    project, _, _ = followed
    for command in commands("commentary"):
        if command[1] == "check":
            assert run_check(capsys, monkeypatch, project, *command[2:]) == (0, []), command


def test_the_problem_line_quoted_in_the_guide_is_what_check_prints(followed, capsys, monkeypatch, tmp_path):
    project, _, _ = followed
    quoted = re.search(r"`(?P<path>docs/artikel/[^`:]+):(?P<line>\d+): note \[\^(?P<label>\d+)\] is referenced but never defined`",
                       TEXT)
    assert quoted
    copy = Path(shutil.copytree(project, tmp_path / "copy", ignore=shutil.ignore_patterns("site")))
    article = copy / quoted["path"]
    lines = article.read_text(encoding="utf-8").split("\n")
    lines[int(quoted["line"]) - 1] += f"[^{quoted['label']}]"
    article.write_text("\n".join(lines), encoding="utf-8")
    assert run_check(capsys, monkeypatch, copy) == (1, [quoted.group(0).strip("`")])


def test_the_site_builds_strictly_with_the_examples(followed):
    _, result, _ = followed
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


def test_the_example_notes_render_with_their_sources(followed):
    project, result, _ = followed
    assert result.returncode == 0, result.stderr
    page = read_html(project / "site", "artikel/was-kostet-ein-kubikmeter/")
    notes = page.select("div.footnote li[id^='fn:']")
    assert [li["id"] for li in notes] == [f"fn:{n}" for n in range(1, 6)]
    texts = [li.get_text(" ", strip=True) for li in notes]
    assert not [t for t in texts if "@" in t or "[^" in t]
    assert "Wasserpreise in den Gemeinden 2024" in texts[0] and "eigene Stichprobe der Redaktion" in texts[0]
    assert "Ageing Water Infrastructure" in texts[1] and "S. 41–44" in texts[1]
    assert "Wasser für alle?" in texts[2]
    assert "Dürremonitor" in texts[3]
    assert "Unser Brunnen ist trocken" in texts[4]
    assert notes[0].find("a", href="https://statistik.example/berichte/wasserpreise-2024.pdf")
    assert "leserbriefe@wasserblick.example" in page.find("article").get_text()
    assert len(page.select("sup[id^='fnref:']")) == 5

    second = read_html(project / "site", "artikel/wem-gehoert-das-grundwasser/")
    shared = second.find("li", id="fn:1").get_text(" ", strip=True)
    assert "Wasserpreise in den Gemeinden 2024" in shared  # cited by key only, defined in the first article's .bib


def test_the_guide_page_shows_its_examples_verbatim(followed):
    """In the guide, @keys inside code stay text even where the archive knows them."""
    project, result, _ = followed
    assert result.returncode == 0, result.stderr
    page = read_html(project / "site", "mitmachen/")
    code = "\n".join(pre.get_text() for pre in page.select("article pre"))
    assert "[^1]: Die Spanne nennt @statamt2024wasserpreise; eigene Stichprobe der Redaktion." in code
    assert "@online{umweltamt2024duerre," in code
    assert page.find("code", string="&#64;")
    assert page.find("h1").get_text(strip=True).startswith("Mitmachen")
