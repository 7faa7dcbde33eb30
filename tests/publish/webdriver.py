"""Headless Chromium through ChromeDriver (W3C WebDriver), spoken with the standard library only:
what the browser checks of the pages share.

    with Browser(artifacts) as browser:
        browser.open(page)
        browser.click("#ref_d59fn2")
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

CHROME_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,900",
]


def fail(message):
    """Ends the check: one line saying why, exit status 1."""
    print("FAIL: " + message)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One ChromeDriver and one Chromium session; screenshots go to `artifacts`."""

    def __init__(self, artifacts):
        self.artifacts = artifacts
        os.makedirs(artifacts, exist_ok=True)
        port = free_port()
        self.driver = subprocess.Popen(
            ["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())["value"]

    def __enter__(self):
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        else:
            self.close()
            fail("chromedriver did not start")
        profile = tempfile.mkdtemp(prefix="teikit-chromium-")
        self.session = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": "/usr/bin/chromium",
                                   "args": CHROME_ARGS + [f"--user-data-dir={profile}"]},
        }}})["sessionId"]
        self.s = f"/session/{self.session}"
        return self

    def __exit__(self, *_):
        self.close()

    def close(self):
        if self.session:
            try:
                self.call("DELETE", f"/session/{self.session}")
            except OSError:
                pass
        self.driver.terminate()
        self.driver.wait()

    def open(self, page):
        self.call("POST", self.s + "/url", {"url": "file://" + os.path.abspath(page)})

    def back(self):
        # WebDriver's own Back waits for the page to load, as a script's history.back() does not.
        self.call("POST", self.s + "/back", {})

    def script(self, source, *args):
        return self.call("POST", self.s + "/execute/sync", {"script": source, "args": list(args)})

    def element(self, css):
        found = self.call("POST", self.s + "/element", {"using": "css selector", "value": css})
        return next(iter(found.values()))

    def click(self, css):
        self.call("POST", self.s + f"/element/{self.element(css)}/click", {})

    def in_view(self, element_id):
        # A pixel of tolerance: a scrolled-to element may sit a fraction of a pixel above the top.
        return self.script(
            "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
            "return r.top >= -1 && r.bottom <= window.innerHeight + 1;", element_id)

    def resize(self, width, height):
        self.call("POST", self.s + "/window/rect", {"width": width, "height": height})

    def shot(self, name, css=None):
        path = self.s + (f"/element/{self.element(css)}/screenshot" if css else "/screenshot")
        with open(os.path.join(self.artifacts, name), "wb") as f:
            f.write(base64.b64decode(self.call("GET", path)))
        print(f"saved {os.path.join(self.artifacts, name)}")
