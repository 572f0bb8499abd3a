//! One test per style, on the Parameter Object's "Style Examples" table (the parameter
//! `color` holding `blue`, `[blue, black, brown]` and `{R: 100, G: 200, B: 150}`), and the
//! round trip back to the typed value.

use serde_json::{Value, json};

use super::{Serial, Shape, Style};

fn serial(style: Style, explode: bool) -> Serial {
    Serial { style, explode }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn object() -> Value {
    json!({"R": 100, "G": 200, "B": 150})
}

fn array() -> Value {
    json!(["blue", "black", "brown"])
}

fn shape_array() -> Shape {
    Shape::Array(vec!["string".into()])
}

fn shape_object() -> Shape {
    let int = || vec!["integer".to_owned()];
    Shape::Object(vec![
        ("R".into(), int()),
        ("G".into(), int()),
        ("B".into(), int()),
    ])
}

/// Writes the three example values, compares with the table, and reads each back.
fn table(s: Serial, primitive: &[(&str, &str)], arr: &[(&str, &str)], obj: &[(&str, &str)]) {
    let scalar = Shape::Scalar(vec!["string".into()]);
    for (value, shape, want) in [
        (json!("blue"), scalar, primitive),
        (array(), shape_array(), arr),
        (object(), shape_object(), obj),
    ] {
        let sent = s.write("color", &value);
        assert_eq!(sent, pairs(want), "{s:?} writing {value}");
        assert_eq!(
            s.read("color", &sent, &shape),
            Some(value.clone()),
            "{s:?} reading {sent:?}"
        );
    }
}

#[test]
fn matrix() {
    table(
        serial(Style::Matrix, false),
        &[("color", ";color=blue")],
        &[("color", ";color=blue,black,brown")],
        &[("color", ";color=R,100,G,200,B,150")],
    );
    table(
        serial(Style::Matrix, true),
        &[("color", ";color=blue")],
        &[("color", ";color=blue;color=black;color=brown")],
        &[("color", ";R=100;G=200;B=150")],
    );
}

#[test]
fn label() {
    table(
        serial(Style::Label, false),
        &[("color", ".blue")],
        &[("color", ".blue,black,brown")],
        &[("color", ".R,100,G,200,B,150")],
    );
    table(
        serial(Style::Label, true),
        &[("color", ".blue")],
        &[("color", ".blue.black.brown")],
        &[("color", ".R=100.G=200.B=150")],
    );
}

#[test]
fn simple() {
    table(
        serial(Style::Simple, false),
        &[("color", "blue")],
        &[("color", "blue,black,brown")],
        &[("color", "R,100,G,200,B,150")],
    );
    table(
        serial(Style::Simple, true),
        &[("color", "blue")],
        &[("color", "blue,black,brown")],
        &[("color", "R=100,G=200,B=150")],
    );
}

#[test]
fn form() {
    table(
        serial(Style::Form, false),
        &[("color", "blue")],
        &[("color", "blue,black,brown")],
        &[("color", "R,100,G,200,B,150")],
    );
    table(
        serial(Style::Form, true),
        &[("color", "blue")],
        &[("color", "blue"), ("color", "black"), ("color", "brown")],
        &[("R", "100"), ("G", "200"), ("B", "150")],
    );
}

#[test]
fn space_pipe_and_tab_delimited_arrays() {
    for (style, joined) in [
        (Style::SpaceDelimited, "blue black brown"),
        (Style::PipeDelimited, "blue|black|brown"),
        (Style::TabDelimited, "blue\tblack\tbrown"),
    ] {
        let s = serial(style, false);
        let sent = s.write("color", &array());
        assert_eq!(sent, pairs(&[("color", joined)]));
        assert_eq!(s.read("color", &sent, &shape_array()), Some(array()));
    }
}

#[test]
fn deep_object() {
    let s = serial(Style::DeepObject, true);
    let sent = s.write("color", &object());
    assert_eq!(
        sent,
        pairs(&[
            ("color[R]", "100"),
            ("color[G]", "200"),
            ("color[B]", "150")
        ])
    );
    assert_eq!(s.read("color", &sent, &shape_object()), Some(object()));
    assert!(s.owns("color", "color[R]", &shape_object()));
    assert!(!s.owns("color", "colour[R]", &shape_object()));
}

#[test]
fn a_lone_word_is_a_one_element_array_in_form_style() {
    let s = Serial::of(crate::openapi::ParamIn::Query, None, None);
    assert_eq!(s, serial(Style::Form, true));
    let ints = Shape::Array(vec!["integer".into()]);
    assert_eq!(
        s.read("tags", &pairs(&[("tags", "abc")]), &ints),
        Some(json!(["abc"]))
    );
    assert_eq!(
        s.read("ids", &pairs(&[("ids", "1"), ("ids", "2")]), &ints),
        Some(json!([1, 2]))
    );
    assert_eq!(s.read("ids", &pairs(&[("other", "1")]), &ints), None);
}

#[test]
fn defaults_by_location() {
    use crate::openapi::ParamIn;
    assert_eq!(
        Serial::of(ParamIn::Path, None, None),
        serial(Style::Simple, false)
    );
    assert_eq!(
        Serial::of(ParamIn::Header, None, None),
        serial(Style::Simple, false)
    );
    assert_eq!(
        Serial::of(ParamIn::Cookie, None, None),
        serial(Style::Form, true)
    );
    assert_eq!(
        Serial::of(ParamIn::Query, Some("form"), Some(false)),
        serial(Style::Form, false)
    );
}

#[test]
fn typed_reading() {
    let s = serial(Style::Simple, false);
    let shape = Shape::Scalar(vec!["integer".into()]);
    assert_eq!(s.read("n", &pairs(&[("n", "12")]), &shape), Some(json!(12)));
    assert_eq!(
        s.read("n", &pairs(&[("n", "12x")]), &shape),
        Some(json!("12x"))
    );
    let b = Shape::Scalar(vec!["boolean".into()]);
    assert_eq!(s.read("b", &pairs(&[("b", "true")]), &b), Some(json!(true)));
}
