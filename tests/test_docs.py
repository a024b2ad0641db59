"""The README and docs/ stand on their own (a fresh clone has all they point to) and keep up with the code."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from trafficking_cms.demo.staff import USERS

ROOT = Path(settings.BASE_DIR)
README = ROOT / "README.md"
DOCS = {"ARCHITECTURE": ROOT / "docs" / "ARCHITECTURE.md", "DOMAIN": ROOT / "docs" / "LAW.md"}
SECURITY = ROOT / "docs" / "SECURITY.md"
GUIDES = [
    ROOT / "docs" / "INTEGRATION.md",
    ROOT / "docs" / "INTEGRATION.ru.md",
    ROOT / "docs" / "EXPORTS.md",
    SECURITY,
]
PAGES = [README, *DOCS.values(), *GUIDES]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CITATION = re.compile(r"\b(ARCHITECTURE|DOMAIN)(?:\.md)? ?§ ?(\d+)")
CODE = [
    path
    for pattern in ("*/*.py", "*/*/*.py", "templates/**/*.html")
    for path in ROOT.glob(pattern)
    if not path.is_relative_to(ROOT / ".venv") and "migrations" not in path.parts
]


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_slug(line.lstrip("#")) for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("#")}


def _sections(page: Path) -> set[str]:
    return set(re.findall(r"^## (\d+)\. ", page.read_text(encoding="utf-8"), flags=re.MULTILINE))


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_page_sends_the_reader_outside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"\.\./shared|/work/shared|handbook-ky\.txt", text)


def test_the_readme_cites_the_architecture_and_the_law_only_by_links_to_docs():
    text = README.read_text(encoding="utf-8")
    assert [
        match.group(0) for match in CITATION.finditer(text) if text[match.start() - 5 : match.start()] != "docs/"
    ] == []
    assert "docs/ARCHITECTURE.md" in text and "docs/LAW.md" in text


def test_docs_hold_the_architecture_and_the_law_digest_in_numbered_sections():
    assert _sections(DOCS["ARCHITECTURE"]) == {str(n) for n in range(1, 9)}
    assert _sections(DOCS["DOMAIN"]) == {str(n) for n in range(1, 12)}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_between_the_pages_leads_somewhere(page):
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name} links to a missing {path}"
        assert not anchor or anchor in _anchors(linked), f"{page.name} links to a missing heading {target}"


def test_every_section_the_code_cites_exists_in_docs():
    cited = {
        (name, number, path.relative_to(ROOT).as_posix())
        for path in CODE
        for name, number in CITATION.findall(path.read_text(encoding="utf-8"))
    }
    assert cited, "the code cites no section: the pattern is wrong"
    missing = [(name, number, where) for name, number, where in cited if number not in _sections(DOCS[name])]
    assert missing == []


def test_the_readme_lists_every_demo_user():
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", README.read_text(encoding="utf-8"), flags=re.MULTILINE))
    assert listed == {username for username, *_ in USERS} | {"admin"}


def test_the_readme_explains_every_setting_read_from_the_environment():
    source = (ROOT / "trafficking_cms" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"""(?:environ(?:\.get)?[\[(]|env_bool\()["']([A-Z_]+)["']""", source))
    assert len(names) > 20, "the pattern is wrong"
    table = README.read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert sorted(name for name in names if f"`{name}`" not in table) == []


# `file.py` or `file.py::test_name`, and `::test_name` for another test of the last file named.
TEST_CITATION = re.compile(r"`((?:[a-z_0-9]+/)*test_[a-z0-9_]+\.py)(?:::(\w+))?`|`::(\w+)`")


def test_every_test_the_security_page_cites_exists():
    """docs/SECURITY.md proves each ASVS requirement with a test: a renamed or removed test must not leave it stale."""
    cited, current = [], None
    for match in TEST_CITATION.finditer(SECURITY.read_text(encoding="utf-8")):
        path, name, continued = match.groups()
        if path:
            current = path.removeprefix("tests/")
        name = name or continued
        assert current is not None, f"::{name} cited before any test file"
        cited.append((current, name))
    assert len(cited) > 50
    missing = []
    for path, name in cited:
        source = ROOT / "tests" / path
        if not source.exists() or (name and not re.search(rf"def {name}\b", source.read_text(encoding="utf-8"))):
            missing.append(f"{path}::{name}" if name else path)
    assert missing == []
