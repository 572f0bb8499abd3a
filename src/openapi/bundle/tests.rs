use super::*;

#[test]
fn bundle_pointers_are_split_into_entry_and_rest() {
    assert_eq!(
        split_entry("/$defs/Account/properties/id"),
        Some(("Account".to_owned(), "/properties/id".to_owned()))
    );
    assert_eq!(
        split_entry("/$defs/a~1b"),
        Some(("a/b".to_owned(), String::new()))
    );
    assert_eq!(split_entry("/other"), None);
}

#[test]
fn original_pointers_are_moved_with_their_moved_ancestors() {
    let moves = vec![
        (
            "/properties/a/anyOf/0".to_owned(),
            "/properties/a".to_owned(),
        ),
        (
            "/properties/a/anyOf/0/properties/b/anyOf/0".to_owned(),
            "/properties/a/properties/b".to_owned(),
        ),
    ];
    let written = Written {
        origins: HashMap::new(),
        moves: HashMap::from([("K".to_owned(), moves)]),
    };
    let at = |p: &str| written.converted("K", p);
    assert_eq!(
        at("/properties/a"),
        "/properties/a",
        "the wrapper admits null"
    );
    assert_eq!(
        at("/properties/a/properties/b"),
        "/properties/a/anyOf/0/properties/b"
    );
    assert_eq!(
        at("/properties/a/properties/b/properties/c"),
        "/properties/a/anyOf/0/properties/b/anyOf/0/properties/c"
    );
    assert_eq!(written.converted("L", "/x"), "/x");
}

#[test]
fn moved_nodes_are_translated_by_the_longest_move() {
    let moves = [
        (
            "/properties/a/anyOf/0".to_owned(),
            "/properties/a".to_owned(),
        ),
        (
            "/properties/a/anyOf/0/properties/b/anyOf/0".to_owned(),
            "/properties/a/properties/b".to_owned(),
        ),
    ];
    assert_eq!(
        unmove(&moves, "/properties/a/anyOf/0/properties/b/anyOf/0/type"),
        "/properties/a/properties/b/type"
    );
    assert_eq!(
        unmove(&moves, "/properties/a/anyOf/0/required"),
        "/properties/a/required"
    );
    assert_eq!(
        unmove(&moves, "/properties/a/anyOf/1"),
        "/properties/a/anyOf/1"
    );
    assert_eq!(unmove(&moves, "/properties/ab"), "/properties/ab");
}
