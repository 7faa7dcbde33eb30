"""Parses HTML files as HTML5 (html5lib, the WHATWG parsing algorithm) and prints the trees as
XML for the Rust tests to inspect, or every parse error with its file, line and column and
exit 1.

Usage: python3 html5_to_xml.py PAGE.html            prints the page's tree
       python3 html5_to_xml.py PAGE.html PAGE.html…   prints <pages><page path="…">tree</page>…</pages>
"""
import sys
import xml.etree.ElementTree as ET

import html5lib
from html5lib.constants import E

paths = sys.argv[1:]
trees, failed = [], False
for path in paths:
    with open(path, "rb") as f:
        data = f.read()
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    tree = parser.parse(data)
    for (line, col), code, datavars in parser.errors:
        message = E.get(code, code) % datavars if isinstance(datavars, dict) else code
        sys.stderr.write(f"{path}:{line}:{col}: {message}\n")
        failed = True
    trees.append((path, tree))
if failed:
    sys.exit(1)
if len(trees) == 1:
    sys.stdout.write(ET.tostring(trees[0][1], encoding="unicode"))
else:
    pages = ET.Element("pages")
    for path, tree in trees:
        page = ET.SubElement(pages, "page", path=path)
        page.append(tree)
    sys.stdout.write(ET.tostring(pages, encoding="unicode"))
