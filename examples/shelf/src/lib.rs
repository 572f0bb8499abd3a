//! shelf: a small book catalogue over HTTP, described by `openapi.yaml` beside this crate's
//! manifest. It is the worked example of accord in `cargo test` (see `tests/conformance.rs`
//! for its suite, `tests/spec.rs` for the cases derived from the document alone).
//!
//! Routes, each of which needs `Authorization: Bearer <token>`:
//!
//! - `GET /v1/books`: every book, as `{"items": [...]}`.
//! - `GET /v1/books/{id}`: one book, or 404.
//! - `POST /v1/books`: adds a book from `{"title", "author", "year"}`; 201 with the book and
//!   its `Location`.
//!
//! Errors are `{"code", "message"}`: 400 `invalid`, 401 `unauthorized`, 404 `not-found`.
//!
//! With `SHELF_BUG=year-as-text` in the environment, the service has a deliberate bug, to
//! show how a failing contract test reads: `GET /v1/books/{id}` gives the year as text.

use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Value, json};

/// A book on the shelf.
#[derive(Debug, Clone, Serialize)]
pub struct Book {
    pub id: String,
    pub title: String,
    pub author: String,
    pub year: i64,
}

#[derive(Clone)]
struct Shelf {
    token: Arc<str>,
    books: Arc<Mutex<Vec<Book>>>,
    year_as_text: bool,
}

/// The service, accepting `token` as its bearer token, with three books on the shelf.
pub fn app(token: &str) -> Router {
    let books = [
        ("The Left Hand of Darkness", "Ursula K. Le Guin", 1969),
        ("Kindred", "Octavia E. Butler", 1979),
        ("The Bone People", "Keri Hulme", 1984),
    ];
    let shelf = Shelf {
        token: token.into(),
        books: Arc::new(Mutex::new(
            books
                .iter()
                .enumerate()
                .map(|(i, (title, author, year))| Book {
                    id: format!("b{}", i + 1),
                    title: (*title).into(),
                    author: (*author).into(),
                    year: *year,
                })
                .collect(),
        )),
        year_as_text: std::env::var("SHELF_BUG").is_ok_and(|b| b == "year-as-text"),
    };
    Router::new()
        .route("/v1/books", get(list).post(add))
        .route("/v1/books/{id}", get(one))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not-found", "no such resource") })
        .with_state(shelf)
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"code": code, "message": message}))).into_response()
}

/// The refusal of a request that lacks the service's bearer token, if it does.
fn refusal(shelf: &Shelf, headers: &HeaderMap) -> Option<Response> {
    let expected = format!("Bearer {}", shelf.token);
    match headers.get(header::AUTHORIZATION) {
        Some(v) if v.as_bytes() == expected.as_bytes() => None,
        _ => Some(error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid bearer token is required",
        )),
    }
}

async fn list(State(shelf): State<Shelf>, headers: HeaderMap) -> Response {
    if let Some(refused) = refusal(&shelf, &headers) {
        return refused;
    }
    let books = shelf.books.lock().unwrap_or_else(PoisonError::into_inner);
    Json(json!({"items": *books})).into_response()
}

async fn one(State(shelf): State<Shelf>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Some(refused) = refusal(&shelf, &headers) {
        return refused;
    }
    let books = shelf.books.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(book) = books.iter().find(|b| b.id == id) else {
        return error(StatusCode::NOT_FOUND, "not-found", "no book has this id");
    };
    let mut body = json!(book);
    if shelf.year_as_text {
        body["year"] = Value::String(book.year.to_string());
    }
    Json(body).into_response()
}

async fn add(State(shelf): State<Shelf>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refused) = refusal(&shelf, &headers) {
        return refused;
    }
    let fields: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let text = |name: &str| {
        fields[name]
            .as_str()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
    };
    let (Some(title), Some(author), Some(year)) =
        (text("title"), text("author"), fields["year"].as_i64())
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid",
            "a book needs a title, an author and a year",
        );
    };
    let mut books = shelf.books.lock().unwrap_or_else(PoisonError::into_inner);
    let book = Book {
        id: format!("b{}", books.len() + 1),
        title,
        author,
        year,
    };
    books.push(book.clone());
    let location = format!("/v1/books/{}", book.id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(book),
    )
        .into_response()
}
