//! Hostile and broken XML: entity attacks, malformed documents, deep
//! nesting and size. Each must end in a clean error or a diagnostic, fast,
//! and never in a panic, an expansion or a file read.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::tests::{bom, read, read_err, FULL_1_6};
use super::tree::MAX_ELEMENT_DEPTH;
use super::MAX_DEPTH;
use crate::model::Level;
use crate::sbom::{read as read_bytes, ReadError};

/// The fastest of three runs of `f` (robust against a busy machine).
fn fastest<T>(mut f: impl FnMut() -> T) -> (T, Duration) {
    let start = Instant::now();
    let mut value = f();
    let mut best = start.elapsed();
    for _ in 0..2 {
        let start = Instant::now();
        value = f();
        best = best.min(start.elapsed());
    }
    (value, best)
}

fn billion_laughs(root: &str) -> String {
    let mut doc =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n  <!ENTITY lol \"lol\">\n");
    for level in 1..=9 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        let body = format!("&{previous};").repeat(10);
        doc.push_str(&format!("  <!ENTITY lol{level} \"{body}\">\n"));
    }
    doc.push_str("]>\n");
    doc.push_str(&root.replace("TEXT", "&lol9;"));
    doc
}

#[test]
fn billion_laughs_is_refused_in_milliseconds() {
    let cdx = billion_laughs(
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>\
         <component><name>TEXT</name></component></components></bom>",
    );
    let classic = billion_laughs("<lolz>TEXT</lolz>");
    for text in [&cdx, &classic] {
        let (result, took) = fastest(|| read_bytes("laughs.xml", text.as_bytes().to_vec()));
        let err = result.unwrap_err();
        let ReadError::UnsafeXml { reason, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*reason, "the DOCTYPE declares entities");
        assert_eq!(err.line_col(), Some((2, 1)));
        assert!(took < Duration::from_millis(100), "{took:?}");
        let code = miette::Diagnostic::code(&err).unwrap().to_string();
        assert_eq!(code, "oemtrace::read::unsafe_xml");
        let help = miette::Diagnostic::help(&err).unwrap().to_string();
        assert!(
            help.contains("billion laughs") && help.contains("XXE"),
            "{help}"
        );
    }
    // The reader refuses it on its own too, without detection in front.
    let (result, took) =
        fastest(|| super::read("laughs.xml", crate::model::SourceText::from(cdx.as_str())));
    assert!(matches!(result, Err(ReadError::UnsafeXml { .. })));
    assert!(took < Duration::from_millis(100), "{took:?}");
}

fn xxe(target: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM \"{target}\">]>\n\
         <bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>\
         <component><name>&xxe;</name></component></components></bom>"
    )
}

#[test]
fn xxe_is_refused_and_never_reads_the_file() {
    let text = xxe("file:///etc/passwd");
    let (result, took) = fastest(|| read_bytes("xxe.xml", text.as_bytes().to_vec()));
    let err = result.unwrap_err();
    assert!(matches!(err, ReadError::UnsafeXml { .. }), "{err:?}");
    assert!(took < Duration::from_millis(100), "{took:?}");
    assert!(!format!("{err:?}").contains("root:"), "{err:?}");
    let direct = super::read("xxe.xml", crate::model::SourceText::from(text.as_str()));
    assert!(matches!(direct, Err(ReadError::UnsafeXml { .. })));

    // Proof that no file is opened: a named pipe with no writer blocks
    // whoever opens it for reading, so a reader that followed the entity
    // would never return.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("xxe-fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let text = xxe(&format!("file://{}", fifo.display()));
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let result = super::read("xxe.xml", crate::model::SourceText::from(text.as_str()));
        let _ = send.send(matches!(result, Err(ReadError::UnsafeXml { .. })));
    });
    let refused = receive.recv_timeout(Duration::from_secs(10));
    assert_eq!(
        refused,
        Ok(true),
        "the reader blocked on the pipe or read on"
    );
}

#[test]
fn external_and_other_dtds_are_refused_but_a_bare_doctype_is_not() {
    let external = "<!DOCTYPE bom SYSTEM \"http://example.com/bom.dtd\">\n\
                    <bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>";
    let err = read_err(external);
    assert!(
        matches!(&err, ReadError::UnsafeXml { reason, .. } if reason.contains("external DTD")),
        "{err:?}"
    );
    let parameter = "<!DOCTYPE bom [<!ENTITY % p SYSTEM \"http://example.com/p\"> %p;]>\
                     <bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>";
    assert!(matches!(read_err(parameter), ReadError::UnsafeXml { .. }));
    let subset = "<!DOCTYPE bom [<!ATTLIST bom version CDATA \"9\">]>\
                  <bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>";
    assert!(matches!(read_err(subset), ReadError::UnsafeXml { .. }));

    let doc = read(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE bom>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\
         <components><component><name>x</name></component></components></bom>",
    );
    assert_eq!(doc.components.len(), 1);
    assert!(doc.diagnostics.is_empty());
}

#[test]
fn undeclared_entities_are_kept_as_written_and_reported() {
    let doc = read(&bom(
        "<components><component bom-ref=\"a&ref;b\"><name>&xxe;</name>\
         <supplier><name>AO &kaspersky; &#0;</name></supplier></component></components>",
    ));
    let c = &doc.components[0];
    assert_eq!(c.name, "&xxe;");
    assert_eq!(c.bom_ref.as_deref(), Some("a&ref;b"));
    assert_eq!(c.fields[1].value(doc.texts()), "AO &kaspersky; &#0;");
    let found: Vec<(&str, &str, Level)> = doc
        .diagnostics
        .iter()
        .map(|d| {
            let span = d.span.unwrap();
            (d.code, &doc.source[span.range()], d.level)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("unknown-entity", "&ref;", Level::Warning),
            ("unknown-entity", "&xxe;", Level::Warning),
            ("unknown-entity", "&kaspersky;", Level::Warning),
            ("unknown-entity", "&#0;", Level::Warning),
        ]
    );
    assert!(doc.diagnostics[1].message.contains("kept as written"));
}

/// A syntax error's (line, column, message).
fn syntax(text: &str) -> (usize, usize, String) {
    match read_err(text) {
        ReadError::Syntax {
            line,
            column,
            message,
            ..
        } => (line, column, message),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn malformed_xml_is_a_syntax_error_with_its_place() {
    let head = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n";

    let (line, column, message) = syntax(&format!("{head}  <components>\n  </component>\n</bom>"));
    assert_eq!((line, column), (3, 3), "{message}");
    assert!(
        message.contains("components") && message.contains("component"),
        "{message}"
    );

    let truncated = format!("{head}  <components>\n    <component><name>a</name>");
    let (line, column, message) = syntax(&truncated);
    assert_eq!((line, column), (3, 30), "{message}");
    assert!(
        message.contains("before <component> is closed"),
        "{message}"
    );
    let err = read_err(&truncated);
    assert!(
        err.to_string()
            .starts_with("t.cdx.xml:3:30: the document ends"),
        "{err}"
    );
    let help = miette::Diagnostic::help(&err).unwrap().to_string();
    assert!(help.contains("XML"), "{help}");

    let (line, column, _) = syntax(&format!("{head}  <components><compo"));
    assert_eq!((line, column), (2, 15));
    let (line, _, _) = syntax(&format!(
        "{head}<component bom-ref=\"x><name>a</name></component></bom>"
    ));
    assert_eq!(line, 2);
    let (line, column, _) = syntax(&format!("{head}<name>AT&T</name></bom>"));
    assert_eq!((line, column), (2, 9));
    let (line, _, message) = syntax(&format!("{head}<component a=\"1\" a=\"2\"/></bom>"));
    assert_eq!(line, 2, "{message}");
    let (line, column, message) = syntax(&format!("{head}</bom>\ntrailing"));
    assert_eq!((line, column), (3, 1));
    assert_eq!(message, "text after the root element");
    let (line, column, message) = syntax(&format!("{head}</bom>\n<bom/>"));
    assert_eq!(
        (line, column, message.as_str()),
        (3, 1, "a second root element")
    );

    let err = super::read("x.xml", crate::model::SourceText::from("<!-- nothing -->")).unwrap_err();
    assert!(matches!(&err, ReadError::Syntax { message, .. } if message == "no root element"));
}

#[test]
fn no_prefix_of_a_document_panics_or_reads_wrongly() {
    let text = FULL_1_6;
    for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        let prefix = &text[..end];
        match read_bytes("cut.xml", prefix.as_bytes().to_vec()) {
            // Only the whole document (and what differs from it by
            // trailing whitespace) is complete.
            Ok(doc) => assert!(text[end..].trim().is_empty(), "{end}: {doc:?}"),
            Err(err) => assert!(err.line_col().is_some() || end < 40, "{end}: {err:?}"),
        }
    }
}

#[test]
fn markup_characters_anywhere_never_panic() {
    let text = FULL_1_6;
    for i in (0..text.len()).filter(|&i| text.as_bytes()[i].is_ascii()) {
        for replacement in ["<", ">", "&", "\"", "/", "]]>", "<!--"] {
            let mut mutated = String::with_capacity(text.len() + 4);
            mutated.push_str(&text[..i]);
            mutated.push_str(replacement);
            mutated.push_str(&text[i + 1..]);
            // Ok or Err are both fine; a panic fails the test.
            let _ = read_bytes("mutated.xml", mutated.into_bytes());
        }
    }
}

fn nested_components(depth: usize) -> String {
    let open = "<component><name>c</name><components>";
    let close = "</components></component>";
    bom(&format!(
        "<components>{}{}</components>",
        open.repeat(depth),
        close.repeat(depth)
    ))
}

#[test]
fn deep_component_nesting_is_a_clean_error_and_fast() {
    let start = Instant::now();
    let err = read_err(&nested_components(10_000));
    assert!(matches!(err, ReadError::TooDeep { .. }), "{err:?}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );

    // At the limit it still reads; one past it is refused, as in JSON.
    let doc = read(&nested_components(MAX_DEPTH));
    assert_eq!(doc.components.len(), MAX_DEPTH);
    assert_eq!(doc.relationships.len(), MAX_DEPTH - 1);
    let err = read_err(&nested_components(MAX_DEPTH + 1));
    let ReadError::TooDeep { limit, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(limit, MAX_DEPTH);
}

#[test]
fn deep_nesting_elsewhere_is_bounded_without_recursion() {
    let deep = |open: &str, close: &str, depth: usize| {
        bom(&format!("{}{}", open.repeat(depth), close.repeat(depth)))
    };
    // Dependencies: the JSON reader's limit.
    let dependencies = |depth: usize| {
        let (open, close) = ("<dependency ref=\"r\">", "</dependency>");
        bom(&format!(
            "<dependencies>{}{}</dependencies>",
            open.repeat(depth),
            close.repeat(depth)
        ))
    };
    let doc = read(&dependencies(MAX_DEPTH));
    assert_eq!(doc.relationships.len(), MAX_DEPTH - 1);
    let err = read_err(&dependencies(MAX_DEPTH + 1));
    assert!(matches!(err, ReadError::TooDeep { limit, .. } if limit == MAX_DEPTH));
    // Pedigree, unknown and foreign elements: the element limit.
    for (open, close) in [
        (
            "<component><name>p</name><pedigree><ancestors>",
            "</ancestors></pedigree></component>",
        ),
        ("<x>", "</x>"),
        ("<f:x xmlns:f=\"urn:f\">", "</f:x>"),
    ] {
        let err = read_err(&deep(open, close, 100_000));
        let ReadError::TooDeep { limit, .. } = err else {
            panic!("{open}: {err:?}")
        };
        assert!(limit == MAX_ELEMENT_DEPTH || limit == MAX_DEPTH, "{open}");
    }
    // Deep but allowed unknown elements are read past.
    let doc = read(&deep("<x>", "</x>", MAX_ELEMENT_DEPTH - 1));
    assert!(doc.components.is_empty());
}

#[test]
fn many_components_read_in_linear_time() {
    let one = "<component bom-ref=\"r\"><name>n</name><version>1</version>\
               <purl>pkg:npm/n@1</purl><hashes><hash alg=\"SHA-1\">ab</hash></hashes></component>\n";
    let mut body = String::from("<components>");
    for _ in 0..50_000 {
        body.push_str(one);
    }
    body.push_str("<component><name>last</name></component></components>");
    let text = bom(&body);
    let start = Instant::now();
    let doc = read(&text);
    assert_eq!(doc.components.len(), 50_001);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}
