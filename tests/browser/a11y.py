"""Accessibility checks for the browser tests: axe-core and a few structural rules.

axe-core is vendored (tests/browser/axe/, see its VERSION) and evaluated in the page through the
browser's debugging protocol, which the site's Content-Security-Policy (no inline script) does
not govern, so the page under test keeps its real policy.

Each check raises AssertionError with a message that says what to fix and where.
"""

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"

# WCAG 2.0 and 2.1, levels A and AA (the Web Accessibility Directive, EN 301 549), plus the
# best practices that catch real barriers: landmarks, one main, headings, skip link target.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = ("serious", "critical")


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_results(page, *, tags=AXE_TAGS) -> dict:
    """Run axe-core on the page as it is now; return its results object."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return {violations: results.violations, url: results.url};
        }""",
        tags,
    )


def format_violations(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            selector = " ".join(
                " ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            lines.append(f"    {selector}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_no_axe_violations(page, *, impacts=BLOCKING_IMPACTS) -> list:
    """Fail on any axe violation of the given impacts; return the lesser ones (for reports)."""
    results = axe_results(page)
    blocking = [v for v in results["violations"] if v["impact"] in impacts]
    assert not blocking, (
        f"axe-core found {len(blocking)} serious or critical violation(s) on {results['url']}:\n"
        + format_violations(blocking)
    )
    return [v for v in results["violations"] if v["impact"] not in impacts]


def assert_lang(page, language: str) -> None:
    lang = page.locator("html").get_attribute("lang")
    assert lang == language, f"<html lang={lang!r}> on {page.url}, expected {language!r}"


def assert_headings_in_order(page) -> None:
    """Exactly one h1, and no level skipped on the way down (an h2 followed by an h4)."""
    levels = page.evaluate(
        """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
            .filter((h) => h.getClientRects().length || h.closest(".visually-hidden"))
            .map((h) => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)])"""
    )
    h1s = [text for level, text in levels if level == 1]
    assert len(h1s) == 1, f"{len(h1s)} h1 on {page.url}: {h1s}"
    previous = 0
    for level, text in levels:
        assert level <= previous + 1, (
            f"heading level skipped on {page.url}: h{level} {text!r} after h{previous}; "
            f"outline: {levels}"
        )
        previous = level


def assert_images_have_alt(page) -> None:
    missing = page.evaluate(
        """() => [...document.querySelectorAll("img:not([alt])")].map((img) => img.outerHTML)"""
    )
    assert not missing, f"images without an alt attribute on {page.url}: {missing}"


def assert_no_horizontal_overflow(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] <= widths[1]:
        return
    # What sticks out: elements past the right edge that no scrolling box clips (an absolutely
    # positioned child escapes a scrolling box that is not its containing block).
    wide = page.evaluate(
        """() => {
            const clipped = (el) => {
                if (["absolute", "fixed"].includes(getComputedStyle(el).position)) return false;
                for (let box = el.parentElement; box && box !== document.body;
                     box = box.parentElement) {
                    if (getComputedStyle(box).overflowX !== "visible") return true;
                }
                return false;
            };
            return [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
                .filter((el) => !clipped(el))
                .slice(0, 8)
                .map((el) => el.outerHTML.slice(0, 120)
                     + " right=" + Math.round(el.getBoundingClientRect().right));
        }"""
    )
    raise AssertionError(
        f"page scrolls sideways on {page.url}: scrollWidth {widths[0]} > {widths[1]}; "
        f"elements past the edge: {wide}"
    )


def check_page(page, language: str = "en") -> list:
    """Every check of the tour on the page as it is: axe, lang, headings, images.

    Returns axe's minor and moderate violations (they do not fail the test)."""
    assert_lang(page, language)
    assert_headings_in_order(page)
    assert_images_have_alt(page)
    return assert_no_axe_violations(page)
