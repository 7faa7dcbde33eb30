//! Expressions against a small document, each expected value worked out from the XPath 2.0
//! and F&O specifications.

use super::*;

const DOC: &str = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="root">
<text><body>
<div type="chapter" n="1"><head>One</head><p xml:id="p1">Alpha <hi>beta</hi> gamma</p><p n="2">Delta</p></div>
<div type="chapter" n="10"><p>  Epsilon
  zeta </p><note n="3" target="#p1">See</note><ptr target="#p1" cRef="x"/></div>
<date when="1973-05-23"/><date when="2031-01-01"/>
<!-- a comment --><?pi value?>
</body></text></TEI>"##;

fn eval(expr: &str) -> Result<Vec<String>, XPathError> {
    let doc = roxmltree::Document::parse(DOC).unwrap();
    let mut context = StaticContext::default();
    context.bind_namespace("tei", crate::base::ns::TEI);
    context.bind_namespace("xs", XS);
    context.bind_namespace("fn", FN);
    let xpath = XPath::compile(expr, &context)?;
    let evaluator = Evaluator::new(&doc, &[], None);
    let value = xpath.evaluate_on(&evaluator, doc.root())?;
    Ok(value.iter().map(Item::string).collect())
}

fn one(expr: &str) -> String {
    match eval(expr) {
        Ok(v) if v.len() == 1 => v[0].clone(),
        other => panic!("{expr}: {other:?}"),
    }
}

#[test]
fn paths_and_axes() {
    assert_eq!(one("count(//tei:p)"), "3");
    assert_eq!(one("count(/tei:TEI/tei:text/tei:body/tei:div)"), "2");
    assert_eq!(one("string(//tei:div[2]/@n)"), "10");
    assert_eq!(one("count(//tei:div[@n = '1']/tei:p)"), "2");
    assert_eq!(one("name(//tei:hi/..)"), "p");
    assert_eq!(one("count(//tei:hi/ancestor::*)"), "5");
    assert_eq!(one("name(//tei:hi/ancestor::*[1])"), "p");
    assert_eq!(one("name(//tei:hi/ancestor::*[last()])"), "TEI");
    assert_eq!(
        one("string(//tei:p[@n]/preceding-sibling::*[1])"),
        "Alpha beta gamma"
    );
    assert_eq!(one("string(//tei:p[@n]/preceding::text()[1])"), " gamma");
    assert_eq!(one("string(//tei:p[@n]/preceding::text()[2])"), "beta");
    assert_eq!(one("string(//tei:hi/following::tei:p[1])"), "Delta");
    assert_eq!(one("count(//tei:note/following-sibling::*)"), "1");
    assert_eq!(one("count(//tei:note/preceding::tei:div)"), "1");
    assert_eq!(one("count(//@n)"), "4");
    assert_eq!(one("count(//tei:div[1]//node())"), "9");
    assert_eq!(one("count(//comment() | //processing-instruction())"), "2");
    assert_eq!(one("local-name(//tei:p/@xml:id/..)"), "p");
    assert_eq!(one("name(//tei:p[1]/@xml:id)"), "xml:id");
    assert_eq!(one("namespace-uri((//tei:p)[1])"), crate::base::ns::TEI);
    assert_eq!(one("string((//tei:p)[last()])").trim(), "Epsilon\n  zeta");
    assert_eq!(
        one("count(//tei:div/tei:p[1])"),
        "2",
        "positions per parent"
    );
    assert_eq!(one("count((//tei:div/tei:p)[1])"), "1");
    assert_eq!(one("string(id('p1')/tei:hi)"), "beta");
    assert_eq!(
        one("id(substring(//tei:ptr/@target, 2)) << //tei:ptr"),
        "true"
    );
    assert_eq!(one("//tei:ptr >> //tei:note"), "true");
    assert_eq!(one("count(//tei:p except //tei:p[@n])"), "2");
    assert_eq!(one("count(//tei:p intersect //tei:div[1]/*)"), "2");
    assert_eq!(one("count(//tei:div[1]/(tei:head | tei:p))"), "3");
    assert_eq!(one("string-join(//tei:div/@n/string(), ',')"), "1,10");
    assert_eq!(one("//tei:body/*[1] is //tei:div[1]"), "true");
}

#[test]
fn comparisons() {
    assert_eq!(
        one("//tei:div/@n = 10"),
        "true",
        "untyped against a number is a number"
    );
    assert_eq!(one("//tei:div/@n = '10'"), "true");
    assert_eq!(one("//tei:div/@n > 9"), "true");
    assert_eq!(
        one("//tei:div/@n > '9'"),
        "false",
        "as strings, '1' and '10' sort before '9'"
    );
    assert_eq!(one("//tei:div[1]/@n eq '1'"), "true");
    assert_eq!(one("//tei:div/@n != 1"), "true", "some pair differs");
    assert_eq!(one("not(//tei:div/@n = (2, 3))"), "true");
    assert_eq!(one("1 eq 1.0"), "true");
    assert_eq!(one("'a' lt 'b'"), "true");
    assert!(eval("//tei:div/@n eq '1'").is_err(), "eq of two items");
    assert!(eval("'a' eq 1").is_err(), "eq of a string and a number");
    assert!(
        eval("//tei:div/@type = 1").is_err(),
        "'chapter' is not a number"
    );
    assert_eq!(eval("() eq 1").unwrap(), Vec::<String>::new());
    assert_eq!(
        one("xs:date('2020-01-02') gt xs:date('2020-01-01')"),
        "true"
    );
    assert_eq!(
        one("//tei:date[1]/@when cast as xs:date lt current-date()"),
        "true"
    );
    assert!(
        eval("//tei:date/@when cast as xs:date").is_err(),
        "two items"
    );
    assert_eq!(
        one("(//tei:date/@when ! xs:date(.)) = xs:date('2031-01-01')"),
        "true"
    );
}

#[test]
fn strings_and_regular_expressions() {
    assert_eq!(one("normalize-space(//tei:div[2]/tei:p)"), "Epsilon zeta");
    assert_eq!(one("string-length('añb')"), "3");
    assert_eq!(one("substring('12345', 1.5, 2.6)"), "234");
    assert_eq!(one("substring('12345', 0, 3)"), "12");
    assert_eq!(one("substring-before('a#b#c', '#')"), "a");
    assert_eq!(one("substring-after('a#b#c', '#')"), "b#c");
    assert_eq!(one("translate('bar', 'abc', 'AB')"), "BAr");
    assert_eq!(one("concat('a', (), 1, true())"), "a1true");
    assert_eq!(one("upper-case('tei')"), "TEI");
    assert_eq!(eval("tokenize(' a  b ')").unwrap(), ["a", "b"]);
    assert_eq!(
        eval("tokenize('a,b,,c', ',')").unwrap(),
        ["a", "b", "", "c"]
    );
    assert_eq!(eval("tokenize('', ',')").unwrap(), Vec::<String>::new());
    assert!(
        eval("tokenize('abc', 'x*')").is_err(),
        "matches the empty string"
    );
    assert_eq!(one("matches('Doc 59', '^doc\\s+\\d+$', 'i')"), "true");
    assert_eq!(one("matches('a.b', '.', 'q')"), "true");
    assert_eq!(one("replace('abcd', '(b)(c)', '[$2$1]')"), "a[cb]d");
    assert_eq!(
        one("replace('aXb', 'x', '$0-', 'i')"),
        "aX-b",
        "flags are the fourth argument"
    );
    assert_eq!(one("replace('a.b', '.', '-', 'q')"), "a-b");
    assert_eq!(
        one("replace('/a/b/file.xml', '^.*/(.*?)$', '$1')"),
        "file.xml"
    );
    assert_eq!(one("'a' || 1 || ()"), "a1");
    assert_eq!(one("contains-token('a b  c', 'b')"), "true");
    assert_eq!(one("string-join(('a','b'), '-')"), "a-b");
    assert_eq!(one("compare('a', 'b')"), "-1");
    assert_eq!(one("codepoints-to-string((72, 105))"), "Hi");
    assert_eq!(
        eval("analyze-string('a1b22c', '\\d+')/fn:match").unwrap(),
        ["1", "22"]
    );
    assert_eq!(
        one("string-join(analyze-string('a1b22c', '\\d+')/fn:non-match, '|')"),
        "a|b|c"
    );
    assert!(
        eval("analyze-string('a', 'a')").is_err(),
        "the element result is not supported"
    );
    assert!(eval("analyze-string('a', 'a')//fn:group").is_err());
}

#[test]
fn numbers_types_and_sequences() {
    assert_eq!(one("1 + 2 * 3"), "7");
    assert_eq!(one("7 div 2"), "3.5");
    assert_eq!(one("7 idiv 2"), "3");
    assert_eq!(one("-7 mod 2"), "-1");
    assert_eq!(one("1e0 div 0"), "INF");
    assert!(eval("1 div 0").is_err());
    assert_eq!(one("round(2.5)"), "3");
    assert_eq!(one("round(-2.5)"), "-2");
    assert_eq!(one("number('x')"), "NaN");
    assert_eq!(one("sum(//tei:div/@n)"), "11");
    assert_eq!(one("max((3, 1, 2))"), "3");
    assert_eq!(one("avg((1, 2))"), "1.5");
    assert_eq!(eval("1 to 3").unwrap(), ["1", "2", "3"]);
    assert_eq!(eval("reverse(1 to 3)").unwrap(), ["3", "2", "1"]);
    assert_eq!(eval("subsequence(1 to 5, 2, 2)").unwrap(), ["2", "3"]);
    assert_eq!(
        eval("distinct-values(('a', 'b', 'a', //tei:div[1]/@n, 1))").unwrap(),
        ["a", "b", "1", "1"]
    );
    assert_eq!(eval("index-of(('a', 'b', 'a'), 'a')").unwrap(), ["1", "3"]);
    assert_eq!(eval("('a', 'b', 'c')[position() > 1]").unwrap(), ["b", "c"]);
    assert_eq!(eval("('a', 'b', 'c')[last()]").unwrap(), ["c"]);
    assert_eq!(one("'12' castable as xs:integer"), "true");
    assert_eq!(one("'1.5' castable as xs:integer"), "false");
    assert_eq!(one("() castable as xs:integer?"), "true");
    assert_eq!(one("'2019-02-29' castable as xs:date"), "false");
    assert_eq!(
        one("xs:date('2026-01-31') + xs:dayTimeDuration('P1D')"),
        "2026-02-01"
    );
    assert_eq!(one("xs:float('1.5') eq 1.5"), "true");
    assert_eq!(one("1 instance of xs:integer"), "true");
    assert_eq!(one("1 instance of xs:decimal"), "true");
    assert_eq!(one("//tei:p instance of element()+"), "true");
    assert_eq!(
        one("//tei:p[1]/text()[1] instance of text()"),
        "false",
        "two p are first"
    );
    assert_eq!(one("(//tei:p)[1]/text()[1] instance of text()"), "true");
    assert_eq!(one("if (//tei:note) then 'y' else 'n'"), "y");
    assert_eq!(
        eval("for $d in //tei:div return string($d/@n)").unwrap(),
        ["1", "10"]
    );
    assert_eq!(one("some $p in //tei:p satisfies $p/@n = 2"), "true");
    assert_eq!(one("every $p in //tei:p satisfies $p/@n"), "false");
    assert_eq!(one("let $x := 2, $y := $x * 3 return $y"), "6");
    assert_eq!(eval("(1, 2) ! (. * 10)").unwrap(), ["10", "20"]);
    assert_eq!(one("'a b' => tokenize() => count()"), "2");
    assert!(
        eval("('a', 'b') and true()").is_err(),
        "no boolean value of two strings"
    );
}

#[test]
fn unknown_constructs_are_refused_by_name() {
    let error = |e: &str| eval(e).unwrap_err().to_string();
    assert!(error("format-number(1, '0')").contains("format-number"));
    assert!(error("doc('https://example.org/x.xml')").contains("network"));
    assert!(error("foo:bar()").contains("`foo`"));
    assert!(error("$undeclared").contains("$undeclared"));
    assert!(error("namespace::x").contains("namespace axis"));
    assert!(error("xs:gYear('1999')").contains("xs:gYear"));
    assert!(error("1 +").contains("expected"));
    assert!(error("substring('a')").contains("arguments"));
}

/// Expressions put together from XPath's pieces at random: each compiles or is refused, and
/// evaluates or fails, without a panic.
#[test]
fn random_expressions_never_panic() {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    const PIECES: &[&str] = &[
        "//",
        "/",
        "tei:p",
        "@n",
        "..",
        ".",
        "*",
        "[",
        "]",
        "(",
        ")",
        ",",
        "1",
        "2.5",
        "'a'",
        "=",
        "!=",
        "<",
        "eq",
        "and",
        "or",
        "not(",
        "count(",
        "string(",
        "substring(",
        "1 to 3",
        "|",
        "except",
        "$x",
        "for $x in",
        "return",
        "if (",
        ") then",
        "else",
        "castable as",
        "xs:integer",
        "cast as",
        "xs:date",
        "ancestor::",
        "preceding::",
        "text()",
        "node()",
        "-",
        "+",
        "div",
        "idiv",
        "mod",
        "||",
        "!",
        "tokenize(",
        "replace(",
        "matches(",
        "'\\d+'",
        "'['",
        "id(",
        "name(",
        "last()",
        "position()",
        "some $y in",
        "satisfies",
        "let $z :=",
        "instance of",
        "element()",
        "?",
        "*",
        "analyze-string(",
        "/fn:match",
        "sum(",
        "xs:double(",
    ];
    let doc = roxmltree::Document::parse(DOC).unwrap();
    let mut context = StaticContext::default();
    context.bind_namespace("tei", crate::base::ns::TEI);
    context.bind_namespace("xs", XS);
    context.bind_namespace("fn", FN);
    context.declare_variable("x");
    let evaluator = Evaluator::new(&doc, &[], None);
    let config = Config {
        cases: 3000,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let pieces = proptest::collection::vec(proptest::sample::select(PIECES), 1..12);
    runner
        .run(&pieces, |chosen| {
            let text = chosen.join(" ");
            if let Ok(xpath) = XPath::compile(&text, &context) {
                let mut env = Env::default();
                env.bind("x".into(), std::rc::Rc::new(Vec::new()));
                let _ = xpath.evaluate(
                    &evaluator,
                    &Focus::node(XNode::of(doc.root_element())),
                    &mut env,
                );
            }
            Ok(())
        })
        .unwrap();
}
