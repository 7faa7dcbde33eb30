"""Parses an HTML file as HTML5 (html5lib, the WHATWG parsing algorithm) and prints the tree
as XML for the Rust tests to inspect, or every parse error with its line and column and exit 1.

Usage: python3 html5_to_xml.py PAGE.html
"""
import sys
import xml.etree.ElementTree as ET

import html5lib
from html5lib.constants import E

path = sys.argv[1]
with open(path, "rb") as f:
    data = f.read()
parser = html5lib.HTMLParser(namespaceHTMLElements=False)
tree = parser.parse(data)
if parser.errors:
    for (line, col), code, datavars in parser.errors:
        message = E.get(code, code) % datavars if isinstance(datavars, dict) else code
        sys.stderr.write(f"{path}:{line}:{col}: {message}\n")
    sys.exit(1)
sys.stdout.write(ET.tostring(tree, encoding="unicode"))
