#!/usr/bin/env python3
"""How fast `teikit lsp` answers on a large document: the 2.2 MB FRUS history monograph
(../shared/reference/corpus/valid-or-invalid/frus-history.xml, or $TEIKIT_REFERENCE) against TEI P5
tei_all, as an editor would use it.

usage: python3 scripts/bench_lsp.py [--teikit target/release/teikit] [--runs 20]

Measures, each the median of --runs (after one warm-up):
  open        didOpen until its diagnostics arrive (the schema is compiled before, on a first open)
  edit        a one-character insertion in a paragraph until its diagnostics arrive
  completion  a completion request inside a paragraph, after `<` (elements), in a start tag
              (attributes) and in a pointer value (ids with what they name)
and the server's resident memory (VmRSS) with the document open, next to the document's size
and the memory of a server that has compiled the schema but opened nothing.

Then, as a newcomer opens the same document with no teikit.toml (the bundled schema: some 2,500
findings), medians of --runs:
  open        didOpen until its diagnostics arrive
  burst       five keystrokes 10 ms apart (50 ms in all), then the time from the last one
              until the diagnostics of that last version arrive (the server gives each
              publication the editor's version)
  completion  a completion request sent right after the burst: its answer, while the
              validation of the last version runs
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)


class Server:
    def __init__(self, binary, cwd):
        self.p = subprocess.Popen([binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        self.id = 0
        self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        self.notify("initialized", {})

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def read(self):
        length = 0
        while True:
            line = self.p.stdout.readline()
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(length))

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.id += 1
        self.send({"jsonrpc": "2.0", "id": self.id, "method": method, "params": params})
        while True:
            m = self.read()
            if m.get("id") == self.id:
                return m

    def diagnostics(self):
        while True:
            m = self.read()
            if m.get("method") == "textDocument/publishDiagnostics":
                return m["params"]["diagnostics"]

    def rss_kb(self):
        for line in open("/proc/%d/status" % self.p.pid):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

    def stop(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.p.wait()


def position(text, offset):
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--teikit", default=os.path.join(root, "target/release/teikit"))
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    reference = os.environ.get("TEIKIT_REFERENCE", os.path.join(root, "../shared/reference"))
    source = os.path.join(reference, "corpus/valid-or-invalid/frus-history.xml")
    text = open(source, encoding="utf-8").read()
    work = tempfile.mkdtemp(prefix="teikit-lsp-bench-")
    with open(os.path.join(work, "teikit.toml"), "w") as f:
        f.write('schema = "%s"\nprofile = "generic"\n' % os.path.join(reference, "tei/tei_all.rng"))
    path = os.path.join(work, "frus-history.xml")
    open(path, "w", encoding="utf-8").write(text)
    uri = "file://" + path

    server = Server(args.teikit, work)
    # A small document of the same project first: the schema is compiled once per project.
    small = os.path.join(work, "small.xml")
    open(small, "w").write('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    server.notify("textDocument/didOpen", {"textDocument": {"uri": "file://" + small, "languageId": "xml", "version": 1, "text": open(small).read()}})
    server.diagnostics()
    baseline_kb = server.rss_kb()

    opens = []
    for run in range(3):
        t = time.perf_counter()
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "xml", "version": 1, "text": text}})
        found = server.diagnostics()
        opens.append(time.perf_counter() - t)
    rss_kb = server.rss_kb()

    # Edits: insert a letter inside a paragraph, then take it out again.
    anchor = text.index("<p>", len(text) // 2) + 3
    edits = []
    version = 2
    for run in range(args.runs + 1):
        pos = position(text, anchor)
        t = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                      "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}]})
        server.diagnostics()
        edits.append(time.perf_counter() - t)
        version += 1
        end = dict(pos, character=pos["character"] + 1)
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                      "contentChanges": [{"range": {"start": pos, "end": end}, "text": ""}]})
        server.diagnostics()
        version += 1
    edits = edits[1:]

    def complete(offset):
        times, count = [], 0
        for run in range(args.runs + 1):
            t = time.perf_counter()
            r = server.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position(text, offset)})
            times.append(time.perf_counter() - t)
            count = len((r.get("result") or {}).get("items", []))
        return statistics.median(times[1:]), count

    # After `<` inside a paragraph: type `<`, ask, take it out.
    pos = position(text, anchor)
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                  "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "<"}]})
    server.diagnostics()
    version += 1
    text_lt = text[:anchor] + "<" + text[anchor:]
    elements, element_count = complete_in(server, uri, text_lt, anchor + 1, args.runs)
    end = dict(pos, character=pos["character"] + 1)
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                  "contentChanges": [{"range": {"start": pos, "end": end}, "text": ""}]})
    server.diagnostics()
    start_tag = text.index("<p ", len(text) // 2) + 3
    attributes, attribute_count = complete(start_tag)
    pointer = text.index('corresp="#', len(text) // 2) + len('corresp="#')
    pointers, pointer_count = complete(pointer)
    server.stop()

    mb = len(text.encode()) / 1e6
    print("teikit lsp on %s (%.1f MB, %d diagnostics against tei_all), %s runs, medians:" % (os.path.basename(source), mb, len(found), args.runs))
    print("  open (diagnostics)        %6.1f ms" % (statistics.median(opens) * 1000))
    print("  edit -> diagnostics       %6.1f ms" % (statistics.median(edits) * 1000))
    print("  completion after <        %6.1f ms  (%d elements)" % (elements * 1000, element_count))
    print("  completion in a start tag %6.1f ms  (%d attributes)" % (attributes * 1000, attribute_count))
    print("  completion of a pointer   %6.1f ms  (%d ids)" % (pointers * 1000, pointer_count))
    print("  memory: %.1f MB with the document open; %.1f MB before opening it (schema compiled); document %.1f MB; ratio %.2f"
          % (rss_kb / 1024, baseline_kb / 1024, mb, (rss_kb - baseline_kb) / 1024 / mb))
    newcomer(args.teikit, text, args.runs)


def newcomer(binary, text, runs):
    """The monograph with no configuration: bundled schema, thousands of findings."""
    work = tempfile.mkdtemp(prefix="teikit-lsp-newcomer-")
    path = os.path.join(work, "frus-history.xml")
    open(path, "w", encoding="utf-8").write(text)
    uri = "file://" + path
    server = Server(binary, work)
    opens, bursts, completions = [], [], []
    found = []
    version = 1
    for run in range(runs + 1):
        t = time.perf_counter()
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "xml", "version": version, "text": text}})
        found = server.diagnostics()
        opens.append(time.perf_counter() - t)
        anchor = text.index("<p>", len(text) // 2) + 3
        current = text
        for letter in "abcde":
            version += 1
            pos = position(current, anchor)
            server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                          "contentChanges": [{"range": {"start": pos, "end": pos}, "text": letter}]})
            current = current[:anchor] + letter + current[anchor:]
            anchor += 1
            last = time.perf_counter()
            time.sleep(0.01)
        last_version = version
        # A completion asked at once: answered while the last version is being validated.
        server.id += 1
        asked = time.perf_counter()
        server.send({"jsonrpc": "2.0", "id": server.id, "method": "textDocument/completion",
                     "params": {"textDocument": {"uri": uri}, "position": position(current, anchor)}})
        answered = published = None
        while answered is None or published is None:
            m = server.read()
            if m.get("id") == server.id:
                answered = time.perf_counter()
            elif m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == last_version:
                published = time.perf_counter()
        bursts.append(published - last)
        completions.append(answered - asked)
        server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        server.diagnostics()
        version += 1
    server.stop()
    print("teikit lsp, no teikit.toml (bundled schema, %d diagnostics), %s runs, medians:" % (len(found), runs))
    print("  open (diagnostics)              %6.1f ms" % (statistics.median(opens[1:]) * 1000))
    print("  5 keystrokes in 50 ms -> last   %6.1f ms after the last keystroke (max %.1f)" % (statistics.median(bursts[1:]) * 1000, max(bursts[1:]) * 1000))
    print("  completion during validation    %6.1f ms" % (statistics.median(completions[1:]) * 1000))


def complete_in(server, uri, text, offset, runs):
    times, count = [], 0
    for run in range(runs + 1):
        t = time.perf_counter()
        r = server.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position(text, offset)})
        times.append(time.perf_counter() - t)
        count = len((r.get("result") or {}).get("items", []))
    return statistics.median(times[1:]), count


if __name__ == "__main__":
    main()
