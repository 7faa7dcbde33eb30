"""Reads a review page (`teikit diff --format html`) in headless Chromium, as a reviewer would.

Checks that deleted and inserted words are marked so that they show (struck through and
underlined, each with a background), that every link of the jump list goes to its change and
brings it into view, and saves screenshots of the first screen and of the first change.

Usage: python3 review_check.py REVIEW.html ARTIFACTS_DIR
Prints one line per check; exits 1 with the reason when a check fails.
"""
import sys

from webdriver import Browser, fail

page, artifacts = sys.argv[1], sys.argv[2]

with Browser(artifacts) as browser:
    browser.open(page)
    browser.shot("first-screen.png")
    for tag, line in [("del", "line-through"), ("ins", "underline")]:
        style = browser.script(
            "const e = document.querySelector(arguments[0]); if (!e) return null;"
            "const s = getComputedStyle(e);"
            "return [s.textDecorationLine, s.backgroundColor, e.getBoundingClientRect().width];", tag)
        if style is None:
            fail(f"no <{tag}> on the page")
        decoration, background, width = style
        if line not in decoration or background in ("rgba(0, 0, 0, 0)", "transparent") or width <= 0:
            fail(f"<{tag}> is not visibly marked: {style}")
        print(f"ok: <{tag}> shows ({decoration}, {background})")
    targets = browser.script(
        "return Array.from(document.querySelectorAll('nav a')).map(a => a.getAttribute('href').slice(1));")
    if not targets:
        fail("the jump list is empty")
    for target in targets:
        browser.script("window.scrollTo(0, 0)")
        browser.click(f"nav a[href='#{target}']")
        if browser.script("return location.hash") != "#" + target:
            fail(f"the link to {target} did not go there")
        if not browser.in_view(target):
            fail(f"{target} is not in view after following its link")
    print(f"ok: {len(targets)} links of the jump list, each to its change, in view")
    browser.shot("first-change.png", "#" + targets[0])
