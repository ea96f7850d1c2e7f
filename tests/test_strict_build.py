"""Bad content fails `mkdocs build --strict` with a message naming the file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build, read_html

MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path) -> Path:
    """A tiny archive (two articles of one series) with the project's real site configuration."""
    project = tmp_path / "project"
    shutil.copytree(MINI, project)
    for part in ("mkdocs.yml", "hooks", "overrides"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / part)
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def failing_build(project: Path) -> str:
    result = mkdocs_build(project, project / "site")
    assert result.returncode != 0, "the strict build should have failed"
    return result.stderr


def test_the_fixture_itself_builds_cleanly(mini):
    result = mkdocs_build(mini, mini / "site")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


def test_unknown_key_names_file_and_line_and_stays_visible(mini):
    edit(mini / "docs/artikel/netze-teil-zwei.md", "@keller2024netze", "@keller2024unbekannt")
    log = failing_build(mini)
    assert "docs/artikel/netze-teil-zwei.md:15: unknown source key '@keller2024unbekannt'" in log
    result = mkdocs_build(mini, mini / "site", strict=False)
    assert result.returncode == 0
    note = read_html(mini / "site", "artikel/netze-teil-zwei/").find("li", id="fn:1")
    assert "@keller2024unbekannt" in note.get_text()  # never silently dropped


def test_duplicate_key_across_files(mini):
    (mini / "bib/netze-teil-zwei.bib").write_text(
        (mini / "bib/netze-teil-zwei.bib").read_text() + "\n@online{amt2024bericht, title = {Doppelt}, organization = {X}}\n")
    log = failing_build(mini)
    assert "bib/netze-teil-zwei.bib:9: duplicate key 'amt2024bericht' (also in bib/netze-teil-eins.bib:1)" in log


def test_duplicate_key_within_one_file(mini):
    (mini / "bib/netze-teil-eins.bib").write_text(
        (mini / "bib/netze-teil-eins.bib").read_text() + "\n@online{amt2024bericht, title = {Doppelt}, organization = {X}}\n")
    log = failing_build(mini)
    assert "bib/netze-teil-eins.bib:8: duplicate key 'amt2024bericht' (first on line 1)" in log
    assert "Traceback" not in log


def test_non_web_url_is_an_error_and_never_a_link(mini):
    edit(mini / "bib/netze-teil-eins.bib", "https://amt.example/bericht-2024.pdf", "javascript:alert(1)")
    log = failing_build(mini)
    assert "bib/netze-teil-eins.bib:1: amt2024bericht: url must start with http:// or https://, not 'javascript:alert(1)'" in log
    mkdocs_build(mini, mini / "site", strict=False)
    page = read_html(mini / "site", "artikel/netze-teil-eins/")
    assert not [a for a in page.find_all("a") if a.get("href", "").startswith("javascript")]


def test_note_referenced_but_never_defined(mini):
    edit(mini / "docs/artikel/netze-teil-eins.md", "Darüber wird gestritten.[^2]", "Darüber wird gestritten.[^2][^3]")
    log = failing_build(mini)
    assert "docs/artikel/netze-teil-eins.md:13: note [^3] is referenced but never defined" in log


def test_note_defined_but_never_referenced(mini):
    edit(mini / "docs/artikel/netze-teil-eins.md", "[^2]: Nur ein Kommentar.", "[^2]: Nur ein Kommentar.\n[^3]: Übrig geblieben.")
    log = failing_build(mini)
    assert "docs/artikel/netze-teil-eins.md:17: note [^3] is defined but never referenced" in log


def test_a_key_that_prefixes_another(mini):
    (mini / "bib/netze-teil-zwei.bib").write_text(
        (mini / "bib/netze-teil-zwei.bib").read_text() + "\n@online{amt2024, title = {Kurz}, organization = {X}}\n")
    edit(mini / "docs/artikel/netze-teil-zwei.md", "[^1]: Siehe", "[^1]: Siehe @amt2024 und")
    log = failing_build(mini)
    assert "bib/netze-teil-eins.bib:1: key 'amt2024' (bib/netze-teil-zwei.bib:9) is a prefix of 'amt2024bericht'; rename one" in log


def test_an_at_word_in_the_running_text(mini):
    edit(mini / "docs/artikel/netze-teil-eins.md", "Darüber wird gestritten.", "Darüber streitet @stadtwerke.")
    log = failing_build(mini)
    assert "docs/artikel/netze-teil-eins.md:13: '@stadtwerke' in the running text would be taken as a citation" in log
