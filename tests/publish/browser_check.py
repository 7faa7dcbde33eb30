"""Reads a reading-edition page in headless Chromium, as a reader would, through ChromeDriver
(W3C WebDriver, spoken with the standard library only).

Follows a note reference and checks that the note is in view, follows the note's back-link and
checks that the reference is in view again, then saves screenshots of the first screen, of the
handwritten annotation and of the page on a phone-sized screen into ARTIFACTS.

Usage: python3 browser_check.py PAGE.html NOTE_ID ARTIFACTS_DIR
Prints one line per check; exits 1 with the reason when a check fails.
"""
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

page, note_id, artifacts = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(artifacts, exist_ok=True)

CHROME_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,900",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
driver = subprocess.Popen(
    ["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
)
base = f"http://127.0.0.1:{port}"


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["value"]


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


for _ in range(100):
    try:
        call("GET", "/status")
        break
    except OSError:
        time.sleep(0.1)
else:
    fail("chromedriver did not start")

profile = tempfile.mkdtemp(prefix="teikit-chromium-")
session = None
try:
    session = call("POST", "/session", {"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": "/usr/bin/chromium",
                               "args": CHROME_ARGS + [f"--user-data-dir={profile}"]},
    }}})["sessionId"]
    s = f"/session/{session}"

    def script(source, *args):
        return call("POST", s + "/execute/sync", {"script": source, "args": list(args)})

    def element(css):
        found = call("POST", s + "/element", {"using": "css selector", "value": css})
        return next(iter(found.values()))

    def in_view(element_id):
        return script(
            "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
            "return r.top >= 0 && r.bottom <= window.innerHeight;", element_id)

    def shot(name, element_ref=None):
        path = s + (f"/element/{element_ref}/screenshot" if element_ref else "/screenshot")
        with open(os.path.join(artifacts, name), "wb") as f:
            f.write(base64.b64decode(call("GET", path)))
        print(f"saved {os.path.join(artifacts, name)}")

    call("POST", s + "/url", {"url": "file://" + os.path.abspath(page)})
    shot("first-screen.png")
    annotation = element("aside.annotation")
    shot("annotation.png", annotation)

    if in_view(note_id):
        fail(f"note {note_id} is already in view before following its reference")
    call("POST", s + f"/element/{element('#ref_' + note_id)}/click", {})
    if script("return location.hash") != "#" + note_id:
        fail(f"following the reference did not go to #{note_id}")
    if not in_view(note_id):
        fail(f"note {note_id} is not in view after following its reference")
    print(f"ok: reference -> note {note_id}, in view")

    script("window.scrollTo(0, document.body.scrollHeight)")
    call("POST", s + f"/element/{element('#' + note_id + ' a.backref')}/click", {})
    if script("return location.hash") != "#ref_" + note_id:
        fail("following the back-link did not go to the reference")
    if not in_view("ref_" + note_id):
        fail("the reference is not in view after following the back-link")
    print(f"ok: note {note_id} -> back to its reference, in view")

    call("POST", s + "/window/rect", {"width": 390, "height": 844})
    call("POST", s + "/url", {"url": "file://" + os.path.abspath(page)})
    overflow = script("return document.documentElement.scrollWidth > window.innerWidth")
    if overflow:
        fail("the page is wider than a phone screen")
    shot("phone.png")
    print("ok: fits a phone screen")
finally:
    if session:
        try:
            call("DELETE", f"/session/{session}")
        except OSError:
            pass
    driver.terminate()
    driver.wait()
