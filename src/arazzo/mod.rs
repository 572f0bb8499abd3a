//! Arazzo workflows: the OpenAPI Initiative's format for multi-step API workflows (1.0.x and
//! 1.1.x), read as a second suite language.
//!
//! - [`model`] is the document: source descriptions, workflows, steps, parameters, actions,
//!   criteria and components, each node with the JSON Pointer it came from.
//! - [`load`] reads a file into the model and [`check`] applies the rules its structure
//!   cannot state, every problem located at `file:line:col`.
//! - [`expr`] parses runtime expressions (`$response.body#/data/0/id`) and templates that
//!   embed them; [`eval`] evaluates them against a [`eval::Scope`].
//! - [`condition`] and [`criterion`] judge success criteria: simple, regex and JSONPath
//!   (RFC 9535); XPath is not supported.
//! - [`plan`] binds a document to the specs it names and presents it as a suite, so that the
//!   runner (`exec`) runs each workflow as a case.

pub mod check;
pub mod condition;
pub mod criterion;
pub mod eval;
pub mod expr;
pub mod load;
pub mod model;
pub mod plan;

pub use model::Arazzo;
