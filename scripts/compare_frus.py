#!/usr/bin/env python3
"""Compare teikit's FRUS volumes with the Office of the Historian's own encoding, element by element.

usage: python3 scripts/compare_frus.py [--devset DIR] [--teikit BIN] [-v] [--json]

Builds the development set (DIR/sources, default ../shared/frus-devset or $TEIKIT_FRUS_DEVSET) with
`teikit build --profile frus` into a temporary folder, then compares each official fragment
(DIR/official/VOLUME_dN.xml) with the document of the same id in teikit's VOLUME.xml.

What is compared, per element kind (each a multiset of keys per document, summed over all documents):
  pb        n and position (the three words before it; a page break standing just before the document,
            or first in it, is at the document's start)
  note      n, xml:id, type and position (the three words before it)
  persName  text and @corresp (names with @corresp only); a title one side tags inside the name and
            the other before it ("Colonel Monzon" / "Monzon": the official encoding does both) still
            matches
  gloss     text and @target
  date      the dateline dates' @when / @from / @to, to the minute; an offset is compared where both
            give one (some official datelines give a time without one)
  head      the document's title (its text without notes)
  signed    the signature's text
  list      @type of each typed list

Precision = matched / teikit's, recall = matched / official's. Exit status 0 always (a report);
-v prints every disagreement, --json the table as JSON.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

from lxml import etree

TEI = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI}
KINDS = ["pb", "note", "persName", "gloss", "date", "head", "signed", "list"]


def words(text):
    return [w for w in (re.sub(r"[^\w]", "", t).lower() for t in text.split()) if w]


def local(el):
    return etree.QName(el).localname if isinstance(el.tag, str) else None


def position_index(div):
    """Every element of div with the words of the document before it (document order, notes included)."""
    before = {}
    seen = []

    def walk(el):
        before[el] = seen[-3:] if seen else []
        if el.text:
            seen.extend(words(el.text))
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                seen.extend(words(child.tail))

    walk(div)
    return before


def text_without_notes(el):
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and local(child) != "note":
            parts.append(text_without_notes(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def date_key(date):
    def norm(v):
        if v is None:
            return None
        m = re.match(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$", v)
        if not m:
            return (v, None, None)
        return (m.group(1), m.group(2), m.group(3))

    return tuple(norm(date.get(a)) for a in ("when", "from", "to"))


def same_date(official, ours):
    for a, b in zip(official, ours):
        if (a is None) != (b is None):
            return False
        if a is None:
            continue
        if a[0] != b[0] or a[1] != b[1]:
            return False
        if a[2] and b[2] and a[2].replace("Z", "+00:00") != b[2].replace("Z", "+00:00"):
            return False
    return True


def features(div, page_before=None):
    """The keys of each kind in one document division."""
    before = position_index(div)
    found = {k: [] for k in KINDS}
    if page_before is not None:
        found["pb"].append((page_before.get("n"), ()))
    for el in div.iter():
        name = local(el)
        if name == "pb":
            # A page break first in the division (before the head) is at the document's start.
            found["pb"].append((el.get("n"), tuple(before[el])))
        elif name == "note" and el.get("rend") != "inline":
            found["note"].append((el.get("n"), el.get("{http://www.w3.org/XML/1998/namespace}id"),
                                  el.get("type"), tuple(before[el])))
        elif name == "persName" and el.get("corresp"):
            found["persName"].append((" ".join(words("".join(el.itertext()))), el.get("corresp")))
        elif name == "gloss" and el.get("target"):
            found["gloss"].append((" ".join(words("".join(el.itertext()))), el.get("target")))
        elif name == "date" and any(local(a) == "dateline" for a in el.iterancestors()):
            found["date"].append(date_key(el))
        elif name == "head" and el.getparent() is div:
            found["head"].append(" ".join(words(text_without_notes(el))))
        elif name == "signed":
            found["signed"].append(" ".join(words(text_without_notes(el))))
        elif name == "list" and el.get("type"):
            found["list"].append(el.get("type"))
    return found


def same_name(official, ours):
    (a, target_a), (b, target_b) = official, ours
    return target_a == target_b and (a == b or a.endswith(" " + b) or b.endswith(" " + a))


def match(kind, official, ours):
    """(matched, missed official keys, extra teikit keys)."""
    if kind in ("date", "persName"):
        same = same_date if kind == "date" else same_name
        # Exact keys first, so that a loose match does not take another's partner.
        left = list(ours)
        matched, missed, loose = 0, [], []
        for key in official:
            if key in left:
                left.remove(key)
                matched += 1
            else:
                loose.append(key)
        for key in loose:
            hit = next((i for i, k in enumerate(left) if same(key, k)), None)
            if hit is None:
                missed.append(key)
            else:
                matched += 1
                left.pop(hit)
        return matched, missed, left
    a, b = collections.Counter(official), collections.Counter(ours)
    common = a & b
    return sum(common.values()), list((a - common).elements()), list((b - common).elements())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devset", default=os.environ.get("TEIKIT_FRUS_DEVSET", os.path.join(root, "../shared/frus-devset")))
    parser.add_argument("--teikit", default=os.path.join(root, "target/release/teikit"))
    parser.add_argument("-v", action="store_true", help="print every disagreement")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--since", type=int, default=1952,
                        help="only the volumes from this year on (default 1952: the older eras' "
                             "volume files are still being taught to teikit, issue 25)")
    args = parser.parse_args()

    def year(volume):
        m = re.match(r"^frus(\d{4})", volume)
        return int(m.group(1)) if m else 0

    out = tempfile.mkdtemp(prefix="teikit-frus-")
    sources = tempfile.mkdtemp(prefix="teikit-frus-sources-")
    for volume in sorted(os.listdir(os.path.join(args.devset, "sources"))):
        path = os.path.join(args.devset, "sources", volume)
        if os.path.isdir(path) and year(volume) >= args.since:
            os.symlink(os.path.abspath(path), os.path.join(sources, volume))
    build = subprocess.run([args.teikit, "build", "--profile", "frus", "--sources",
                            sources, "--out", out],
                           capture_output=True, text=True)
    if build.returncode != 0:
        sys.stderr.write(build.stderr)
        sys.exit("teikit build --profile frus failed")
    volumes = {}
    totals = {k: [0, 0, 0] for k in KINDS}  # official, teikit, matched
    documents = 0
    official_dir = os.path.join(args.devset, "official")
    for name in sorted(os.listdir(official_dir)):
        m = re.match(r"^(.*)_(d\d+)\.xml$", name)
        if not m:
            continue
        volume, doc_id = m.groups()
        if year(volume) < args.since:
            continue
        text = open(os.path.join(official_dir, name), encoding="utf-8").read()
        text = re.sub(r"^<!--.*?-->\s*", "", text, flags=re.S)
        wrapped = ('<wrap xmlns="%s" xmlns:frus="http://history.state.gov/frus/ns/1.0">%s</wrap>' % (TEI, text))
        official = etree.fromstring(wrapped.encode("utf-8"))[0]
        if volume not in volumes:
            volumes[volume] = etree.parse(os.path.join(out, volume + ".xml"))
        ours = volumes[volume].find('.//t:div[@type="document"][@{http://www.w3.org/XML/1998/namespace}id="%s"]' % doc_id, NS)
        if ours is None:
            print("%s %s: not in teikit's volume" % (volume, doc_id))
            continue
        documents += 1
        previous = ours.getprevious()
        page_before = previous if previous is not None and local(previous) == "pb" else None
        theirs, mine = features(official), features(ours, page_before)
        for kind in KINDS:
            matched, missed, extra = match(kind, theirs[kind], mine[kind])
            totals[kind][0] += len(theirs[kind])
            totals[kind][1] += len(mine[kind])
            totals[kind][2] += matched
            if args.v and (missed or extra):
                for key in missed:
                    print("%s %s %s: official only: %s" % (volume, doc_id, kind, key))
                for key in extra:
                    print("%s %s %s: teikit only: %s" % (volume, doc_id, kind, key))
    rows = []
    for kind in KINDS:
        official, teikit, matched = totals[kind]
        rows.append({
            "kind": kind, "official": official, "teikit": teikit, "matched": matched,
            "precision": round(matched / teikit, 3) if teikit else None,
            "recall": round(matched / official, 3) if official else None,
        })
    if args.json:
        print(json.dumps({"documents": documents, "kinds": rows}, indent=1))
        return
    print("%d documents" % documents)
    print("| element | official | teikit | matched | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|")
    fmt = lambda v: "—" if v is None else "%.3f" % v
    for r in rows:
        print("| %s | %d | %d | %d | %s | %s |" % (r["kind"], r["official"], r["teikit"], r["matched"],
                                                fmt(r["precision"]), fmt(r["recall"])))


if __name__ == "__main__":
    main()
