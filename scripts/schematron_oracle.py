#!/usr/bin/env python3
"""The Schematron oracle for teikit's differential tests and benchmarks: SchXslt 2.0 on SaxonC-HE.

usage: schematron_oracle.py SCH FILE...   (prints one JSON object per FILE, then a timing line)

Each assert/report without an id gets the id teikit gives it, `PATTERN#K` (the pattern's id, or
`pattern-N` for the N-th pattern; K its place among the pattern's asserts and reports), so that
findings compare per assertion. Findings: [id, SVRL location, role] for every failed assert and
successful report; `fired`: how many times a rule fired. SchXslt is read from
$TEIKIT_REFERENCE (default ../shared/reference)/schematron/schxslt/2.0.
"""
import atexit, json, os, shutil, sys, tempfile, time
from lxml import etree
from saxonche import PySaxonProcessor

S = 'http://purl.oclc.org/dsdl/schematron'
SVRL = 'http://purl.oclc.org/dsdl/svrl'
here = os.path.dirname(os.path.abspath(__file__))
reference = os.environ.get('TEIKIT_REFERENCE', os.path.join(here, '..', '..', 'shared', 'reference'))
schxslt = os.path.join(reference, 'schematron', 'schxslt', '2.0', 'pipeline-for-svrl.xsl')

sch, files = sys.argv[1], sys.argv[2:]
tree = etree.parse(sch)
patterns = [p for p in tree.getroot().iter('{%s}pattern' % S) if p.get('abstract') != 'true']
for index, pattern in enumerate(patterns):
    name = pattern.get('id') or 'pattern-%d' % (index + 1)
    checks = [c for c in pattern.iter('{%s}assert' % S, '{%s}report' % S)]
    for k, check in enumerate(checks, 1):
        if not check.get('id'):
            check.set('id', '%s#%d' % (name, k))
work = tempfile.mkdtemp(prefix='teikit-oracle')
atexit.register(shutil.rmtree, work, True)
# The schema is annotated in a copy; the files it includes and extends are copied beside it
# (and only those), so that their relative references resolve.
home = os.path.dirname(os.path.abspath(sch))
def referenced(path, seen):
    for e in etree.parse(path).getroot().iter('{%s}include' % S, '{%s}extends' % S):
        href = (e.get('href') or '').split('#')[0]
        if href and '://' not in href:
            target = os.path.normpath(os.path.join(os.path.dirname(path), href))
            if target not in seen:
                seen.add(target)
                referenced(target, seen)
    return seen
# Files beside the schema (not folders) too, for what its expressions read with doc(): the
# compiled stylesheet, written beside the copy, resolves them from there, as teikit from the schema.
beside = [os.path.join(home, f) for f in os.listdir(home) if os.path.isfile(os.path.join(home, f))]
if sum(os.path.getsize(f) for f in beside) > 50 * 1024 * 1024:
    beside = []
for f in referenced(os.path.abspath(sch), set(beside)) | set(beside):
    relative = os.path.relpath(f, home)
    if relative.startswith('..'):
        sys.exit('%s: included from outside the schema folder; the oracle copies only that folder' % f)
    os.makedirs(os.path.join(work, 'schema', os.path.dirname(relative)), exist_ok=True)
    shutil.copy(f, os.path.join(work, 'schema', relative))
os.makedirs(os.path.join(work, 'schema'), exist_ok=True)
annotated = os.path.join(work, 'schema', os.path.basename(sch))
tree.write(annotated, encoding='utf-8', xml_declaration=True)
with PySaxonProcessor(license=False) as processor:
    xslt = processor.new_xslt30_processor()
    started = time.perf_counter()
    pipeline = xslt.compile_stylesheet(stylesheet_file=schxslt)
    compiled_xsl = pipeline.transform_to_string(source_file=annotated)
    stylesheet = os.path.join(work, 'schema', 'compiled-for-svrl.xsl')
    with open(stylesheet, 'w', encoding='utf-8') as out:
        out.write(compiled_xsl)
    validator = xslt.compile_stylesheet(stylesheet_file=stylesheet)
    compile_seconds = time.perf_counter() - started
    run_seconds = 0.0
    for f in files:
        started = time.perf_counter()
        report = validator.transform_to_string(source_file=os.path.abspath(f))
        run_seconds += time.perf_counter() - started
        svrl = etree.fromstring(report.encode('utf-8'))
        findings = []
        for e in svrl:
            if e.tag in ('{%s}failed-assert' % SVRL, '{%s}successful-report' % SVRL):
                findings.append([e.get('id'), e.get('location'), e.get('role')])
        fired = len(svrl.findall('{%s}fired-rule' % SVRL))
        print(json.dumps({'file': f, 'fired': fired, 'findings': findings}), flush=True)
print(json.dumps({'compile_seconds': compile_seconds, 'run_seconds': run_seconds}))
