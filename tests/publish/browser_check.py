"""Reads a reading-edition page in headless Chromium, as a reader would.

Follows a note reference and checks that the note is in view, follows the note's back-link and
checks that the reference is in view again, then saves screenshots of the first screen, of the
handwritten annotation and of the page on a phone-sized screen into ARTIFACTS.

Usage: python3 browser_check.py PAGE.html NOTE_ID ARTIFACTS_DIR
Prints one line per check; exits 1 with the reason when a check fails.
"""
import sys

from webdriver import Browser, fail

page, note_id, artifacts = sys.argv[1], sys.argv[2], sys.argv[3]

with Browser(artifacts) as browser:
    browser.open(page)
    browser.shot("first-screen.png")
    browser.shot("annotation.png", "aside.annotation")

    if browser.in_view(note_id):
        fail(f"note {note_id} is already in view before following its reference")
    browser.click("#ref_" + note_id)
    if browser.script("return location.hash") != "#" + note_id:
        fail(f"following the reference did not go to #{note_id}")
    if not browser.in_view(note_id):
        fail(f"note {note_id} is not in view after following its reference")
    print(f"ok: reference -> note {note_id}, in view")

    browser.script("window.scrollTo(0, document.body.scrollHeight)")
    browser.click("#" + note_id + " a.backref")
    if browser.script("return location.hash") != "#ref_" + note_id:
        fail("following the back-link did not go to the reference")
    if not browser.in_view("ref_" + note_id):
        fail("the reference is not in view after following the back-link")
    print(f"ok: note {note_id} -> back to its reference, in view")

    browser.resize(390, 844)
    browser.open(page)
    if browser.script("return document.documentElement.scrollWidth > window.innerWidth"):
        fail("the page is wider than a phone screen")
    browser.shot("phone.png")
    print("ok: fits a phone screen")
