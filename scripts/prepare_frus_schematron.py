#!/usr/bin/env python3
"""FRUS's five Schematron files, prepared to run offline, for teikit's tests and benchmarks.

usage: prepare_frus_schematron.py OUTDIR DOCUMENT...   (prints the prepared files' paths)

As the reference's run_frus_schematron.py prepares them: each file on its own (frus.sch
without its `extends`), the volume ids from a snapshot of those the documents name, no image
service, and the Roman-numeral helper (an XSLT named template reading document('')) as one
XPath function computing the same value (here without maps, which teikit does not evaluate).
The files are read from $TEIKIT_REFERENCE (default ../shared/reference)/frus/schema.
"""
import os
import re
import sys

ROMAN = """<xsl:function name="ckbk:roman-to-number">
        <xsl:param name="roman"/>
        <xsl:variable name="v" select="for $c in string-to-codepoints(lower-case(string($roman))) return (1, 5, 10, 50, 100, 500, 1000)[index-of(('i', 'v', 'x', 'l', 'c', 'd', 'm'), codepoints-to-string($c))]"/>
        <xsl:sequence select="if (string($roman) = '' or not(matches(lower-case(string($roman)), '^[ivxlcdm]+$'))) then 'NaN' else sum(for $i in 1 to count($v) return (if ($i lt count($v) and $v[$i] lt $v[$i + 1]) then -$v[$i] else $v[$i]))"/>
    </xsl:function>
    """
NAMES = ["frus.sch", "frus-id-checks.sch", "frus-signatures.sch", "frus-characters.sch", "frus-dates.sch"]

here = os.path.dirname(os.path.abspath(__file__))
reference = os.environ.get("TEIKIT_REFERENCE", os.path.join(here, "..", "..", "shared", "reference"))
out, documents = sys.argv[1], sys.argv[2:]
os.makedirs(out, exist_ok=True)
ids = set()
for d in documents:
    ids.update(re.findall(r'\b(frus[0-9][0-9A-Za-z-]*?)(?=[#"\s<])', open(d, encoding="utf-8").read()))
with open(os.path.join(out, "volume-ids-snapshot.xml"), "w", encoding="utf-8") as f:
    f.write("<volume-ids>" + "".join("<volume-id>%s</volume-id>" % i for i in sorted(ids)) + "</volume-ids>")
for name in NAMES:
    s = open(os.path.join(reference, "frus", "schema", name), encoding="utf-8").read()
    if name == "frus.sch":
        s = re.sub(r'<extends\s+href="[^"]*"\s*/>', "", s)
    s = re.sub(r'(?s)<let name="vol-ids" value=".*?"/>', "<let name=\"vol-ids\" value=\"doc('volume-ids-snapshot.xml')//volume-id\"/>", s)
    s = re.sub(r'(?s)<let name="available-images"\s+value=".*?"/>', '<let name="available-images" value="()"/>', s)
    if "ckbk:roman-to-number" in s:
        s = re.sub(r"(?s)\n    <ckbk:romans>.*?\n    </xsl:template>", "", s)
        first = s.find("<pattern")
        s = s[:first] + ROMAN + s[first:]
    path = os.path.join(out, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(s)
    print(path)
