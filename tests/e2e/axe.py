"""axe-core in the browser tests: the pages a test visits are checked for accessibility violations.

axe-core comes from the npm registry, pinned in package.json / package-lock.json and installed by `make install`
(`npm ci`) into node_modules/; the tests load its axe.min.js from disk into the page, so nothing is fetched at run time
and nothing is served to users. Without it (no npm on the machine) the browser tests skip and say why.
"""

import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_MISSING_REASON = (
    f"no axe-core at {AXE_SCRIPT.relative_to(PROJECT_ROOT)}: run `make install` (it runs `npm ci`; needs npm)"
)

# WCAG 2.0 and 2.1, levels A and AA, and Deque's best practices (landmarks, one main heading, heading order, …).
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# Rules let through on some URLs while a known fault is being fixed (pattern of the path, rule ids). Empty: every
# violation on every page fails the test. An entry must name its fault and the issue that fixes it.
TEMPORARY_ALLOWLIST: list[tuple[re.Pattern, frozenset[str]]] = []


class AxeViolationsWarning(UserWarning):
    """An allowlisted violation was found: reported, not failed."""


def axe_is_installed() -> bool:
    return AXE_SCRIPT.is_file()


def _path(url: str) -> str:
    return urlsplit(url).path


def allowed_rules(url: str) -> frozenset[str]:
    path = _path(url)
    return frozenset().union(*(rules for pattern, rules in TEMPORARY_ALLOWLIST if pattern.search(path)))


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations (axe's own JSON, nodes trimmed)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
            const results = await axe.run(document, options);
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary, html: n.html.slice(0, 200)})),
            }));
        }""",
        RULE_TAGS,
    )


# axe leaves a description or label that points at a missing element to review ("incomplete") when no id of the
# list exists, and says nothing when one of several is missing; a refused field must name its error, so this fails too.
MISSING_REFERENCES = """() => {
    const missing = [];
    const check = (element, attribute, ids) => {
        for (const id of ids.split(/\\s+/).filter(Boolean)) {
            if (!document.getElementById(id)) missing.push({target: [attribute + '=' + id], summary:
                `${attribute} names "${id}", which is not on the page`, html: element.outerHTML.slice(0, 200)});
        }
    };
    for (const attribute of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-errormessage']) {
        for (const element of document.querySelectorAll(`[${attribute}]`)) {
            check(element, attribute, element.getAttribute(attribute));
        }
    }
    for (const label of document.querySelectorAll('label[for]')) check(label, 'label for', label.htmlFor);
    return missing;
}"""
MISSING_REFERENCE_RULE = "idref-exists"


def missing_references(page) -> list[dict]:
    """Descriptions, labels and controlled elements that a page names by id but does not have, as an axe-like rule."""
    nodes = page.evaluate(MISSING_REFERENCES)
    if not nodes:
        return []
    return [
        {
            "id": MISSING_REFERENCE_RULE,
            "impact": "serious",
            "help": "descriptions, labels and controlled elements named by id must be on the page",
            "helpUrl": "tests/e2e/axe.py",
            "nodes": nodes,
        }
    ]


def describe(violations: list[dict], url: str) -> str:
    """A readable list: rule id, impact, what it means, and each element (selector, axe's advice, its markup)."""
    lines = [f"{len(violations)} accessibility rule(s) violated on {url} (axe-core and tests/e2e/axe.py):"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(json.dumps(part, ensure_ascii=False) for part in node["target"])
            summary = " / ".join(line.strip() for line in (node["summary"] or "").splitlines() if line.strip())
            lines.append(f"    at {target}: {summary}")
            lines.append(f"       {node['html']}")
    return "\n".join(lines)


@dataclass
class AxeAudit:
    """What one test's pages loaded and which of those documents axe checked."""

    loaded: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)

    def watch(self, page) -> None:
        """Remember every document the page loads (the test must check each of them once)."""
        page.on("load", lambda loaded: self._remember(loaded.url))

    def _remember(self, url: str) -> None:
        if url.startswith("http"):
            self.loaded.append(url)

    def check(self, page) -> None:
        """Fail with a readable list when axe finds a violation on the page as it is now."""
        url = page.url
        violations = axe_violations(page) + missing_references(page)
        allowed = allowed_rules(url)
        tolerated = [v for v in violations if v["id"] in allowed]
        failing = [v for v in violations if v["id"] not in allowed]
        self.checked.add(_path(url))
        if tolerated:
            found = ", ".join(f"{v['id']} ({len(v['nodes'])} elements)" for v in tolerated)
            note = f"let through on {_path(url)} by the TEMPORARY_ALLOWLIST of tests/e2e/axe.py: {found}"
            warnings.warn(note, AxeViolationsWarning, stacklevel=2)
        assert not failing, describe(failing, url)

    def was_checked(self, url: str) -> bool:
        return _path(url) in self.checked

    def unchecked(self) -> list[str]:
        """Documents a page loaded that axe never checked in this test, in the order they were loaded."""
        seen: list[str] = []
        for url in self.loaded:
            if _path(url) not in self.checked and url not in seen:
                seen.append(url)
        return seen
