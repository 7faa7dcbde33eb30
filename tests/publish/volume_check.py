"""Reads a volume of the reading edition in headless Chromium, as a reader would.

From the volume's index page: follows the table of contents to a document, steps to the next
document and back with the volume links, returns to the volume's contents, follows an index
entry's link to the mention in its document, then goes back in the browser's history to the
index. Saves screenshots of the index page and of the document reached into ARTIFACTS.

Usage: python3 volume_check.py INDEX.html ARTIFACTS_DIR
Prints one line per check; exits 1 with the reason when a check fails.
"""
import sys
import time

from webdriver import Browser, fail

index, artifacts = sys.argv[1], sys.argv[2]


def page(browser):
    return browser.script("return location.pathname.split('/').pop()")


def arrive(browser, expected):
    """The page reached once `expected` has loaded, or whatever is there after ten seconds: a
    busy machine may still be loading the page a click or Back asked for."""
    deadline = time.monotonic() + 10
    while True:
        loaded = browser.script("return document.readyState") == "complete"
        if (page(browser) == expected and loaded) or time.monotonic() > deadline:
            return page(browser)
        time.sleep(0.05)


with Browser(artifacts) as browser:
    browser.open(index)
    browser.shot("volume-index.png")
    first = browser.script("return document.querySelector('ol.toc li a').getAttribute('href')")
    browser.click("ol.toc li a")
    if arrive(browser, first) != first:
        fail(f"the first entry of the contents led to {page(browser)}, not {first}")
    print(f"ok: contents -> {first}")

    following = browser.script("const a = document.querySelector('.volume-nav a[rel=next]');"
                               "return a && a.getAttribute('href')")
    if following:
        browser.click(".volume-nav a[rel=next]")
        if arrive(browser, following) != following:
            fail(f"'next' led to {page(browser)}, not {following}")
        browser.click(".volume-nav a[rel=prev]")
        if arrive(browser, first) != first:
            fail(f"'previous' from {following} led to {page(browser)}, not {first}")
        print(f"ok: {first} -> next {following} -> previous {first}")

    browser.click(".volume-nav .volume-contents a")
    if arrive(browser, "index.html") != "index.html":
        fail(f"'volume contents' led to {page(browser)}")
    print("ok: document -> volume contents")

    target = browser.script("return document.querySelector('#index .mentions a').getAttribute('href')")
    browser.click("#index .mentions a")
    want_page, _, want_id = target.partition("#")
    if arrive(browser, want_page) != want_page or browser.script("return location.hash") != "#" + want_id:
        fail(f"the index link led to {page(browser)}{browser.script('return location.hash')}, not {target}")
    if not browser.in_view(want_id):
        fail(f"the mention {want_id} is not in view on {want_page}")
    browser.shot("mention.png")
    print(f"ok: index -> mention {target}, in view")

    browser.back()
    if arrive(browser, "index.html") != "index.html":
        fail(f"going back from the mention led to {page(browser)}, not the index")
    print("ok: back to the volume index")
