//! OpenAPI 3.0 Schema Objects to JSON Schema 2020-12.
