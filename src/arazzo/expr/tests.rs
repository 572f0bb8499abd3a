//! The examples of the specification's "Runtime Expressions" section (1.0.1 and 1.1.0), and
//! the expressions its published example documents use.

use super::*;

fn p(segments: &[&str], pointer: &[&str]) -> Path {
    Path {
        segments: segments.iter().map(|s| s.to_string()).collect(),
        pointer: pointer.iter().map(|s| s.to_string()).collect(),
    }
}

fn toks(t: &[&str]) -> Vec<String> {
    t.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_examples_table_parses() {
    let cases: Vec<(&str, Expr)> = vec![
        ("$method", Expr::Method),
        (
            "$request.header.accept",
            Expr::Request(Source::Header("accept".into())),
        ),
        ("$request.path.id", Expr::Request(Source::Path("id".into()))),
        (
            "$request.body#/user/uuid",
            Expr::Request(Source::Body(toks(&["user", "uuid"]))),
        ),
        ("$url", Expr::Url),
        (
            "$response.body#/status",
            Expr::Response(Source::Body(toks(&["status"]))),
        ),
        (
            "$response.body#/items/0/id",
            Expr::Response(Source::Body(toks(&["items", "0", "id"]))),
        ),
        (
            "$response.header.Server",
            Expr::Response(Source::Header("Server".into())),
        ),
        (
            "$message.header.Server",
            Expr::Message(Source::Header("Server".into())),
        ),
        (
            "$message.payload#/status",
            Expr::Message(Source::Payload(toks(&["status"]))),
        ),
        ("$self", Expr::SelfUri),
        ("$inputs.username", Expr::Inputs(p(&["username"], &[]))),
        (
            "$workflows.foo.inputs.username",
            Expr::Workflows {
                workflow: "foo".into(),
                field: WorkflowField::Inputs,
                name: p(&["username"], &[]),
            },
        ),
        (
            "$steps.someStepId.outputs.pets",
            Expr::Steps {
                step: "someStepId".into(),
                output: p(&["pets"], &[]),
            },
        ),
        (
            "$steps.someStepId.outputs.pets#/0/id",
            Expr::Steps {
                step: "someStepId".into(),
                output: p(&["pets"], &["0", "id"]),
            },
        ),
        ("$outputs.bar", Expr::Outputs(p(&["bar"], &[]))),
        (
            "$workflows.foo.outputs.bar",
            Expr::Workflows {
                workflow: "foo".into(),
                field: WorkflowField::Outputs,
                name: p(&["bar"], &[]),
            },
        ),
        (
            "$workflows.foo.outputs.mappedResponse#/name",
            Expr::Workflows {
                workflow: "foo".into(),
                field: WorkflowField::Outputs,
                name: p(&["mappedResponse"], &["name"]),
            },
        ),
        (
            "$sourceDescriptions.petstore.getPetById",
            Expr::SourceDescriptions {
                source: "petstore".into(),
                reference: "getPetById".into(),
            },
        ),
        (
            "$sourceDescriptions.petstore.url",
            Expr::SourceDescriptions {
                source: "petstore".into(),
                reference: "url".into(),
            },
        ),
        (
            "$components.parameters.foo",
            Expr::Components {
                kind: "parameters".into(),
                name: "foo".into(),
            },
        ),
        (
            "$components.successActions.bar",
            Expr::Components {
                kind: "successActions".into(),
                name: "bar".into(),
            },
        ),
        (
            "$components.failureActions.baz",
            Expr::Components {
                kind: "failureActions".into(),
                name: "baz".into(),
            },
        ),
        ("$statusCode", Expr::StatusCode),
    ];
    for (text, want) in cases {
        let got = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(got, want, "{text}");
        assert_eq!(got.to_string(), text, "prints back");
    }
}

#[test]
fn names_from_published_documents() {
    assert_eq!(
        parse("$inputs.x-store-id").unwrap(),
        Expr::Inputs(p(&["x-store-id"], &[]))
    );
    assert_eq!(
        parse("$inputs.customer#/firstName").unwrap(),
        Expr::Inputs(p(&["customer"], &["firstName"]))
    );
    assert_eq!(
        parse("$steps.find-pet.outputs.my_pet_id").unwrap(),
        Expr::Steps {
            step: "find-pet".into(),
            output: p(&["my_pet_id"], &[])
        }
    );
    assert_eq!(
        parse("$response.body.count").unwrap(),
        Expr::Response(Source::Body(toks(&["count"])))
    );
    assert_eq!(
        parse("$response.body.items[0].id").unwrap(),
        Expr::Response(Source::Body(toks(&["items", "0", "id"])))
    );
    assert_eq!(
        parse("$inputs.getUserLocation.userEmail").unwrap(),
        Expr::Inputs(p(&["getUserLocation", "userEmail"], &[]))
    );
    assert_eq!(
        parse("$workflows.producerWorkflow.steps.waitForEvent.outputs.userId").unwrap(),
        Expr::WorkflowStep {
            workflow: "producerWorkflow".into(),
            step: "waitForEvent".into(),
            output: Some(p(&["userId"], &[]))
        }
    );
    assert_eq!(
        parse("$sourceDescriptions.petStoreDescription.loginUser").unwrap(),
        Expr::SourceDescriptions {
            source: "petStoreDescription".into(),
            reference: "loginUser".into()
        }
    );
}

#[test]
fn rejects_what_is_not_an_expression() {
    for (text, message) in [
        ("$input.username", "did you mean `$inputs`?"),
        ("$statusCode.x", "takes nothing after it"),
        ("$steps.a.output.x", "write `$steps.a.outputs.<name>`"),
        ("$response.heder.x", "expected `header.`"),
        ("$response.body#status", "must start with `/`"),
        ("$components.schemas.x", "not a kind of component"),
        ("$inputs.", "expected a name"),
        ("$workflows.w.results.x", "`.outputs.<name>`"),
    ] {
        let e = parse(text).expect_err(text);
        assert!(e.message.contains(message), "{text}: {}", e.message);
    }
}

#[test]
fn templates_split_text_and_expressions() {
    let t =
        Template::parse("https://{$inputs.host}/api/{$steps.create.outputs.id}/status").unwrap();
    assert_eq!(
        t.parts,
        vec![
            Part::Text("https://".into()),
            Part::Expr(Expr::Inputs(p(&["host"], &[])), 8),
            Part::Text("/api/".into()),
            Part::Expr(
                Expr::Steps {
                    step: "create".into(),
                    output: p(&["id"], &[])
                },
                27
            ),
            Part::Text("/status".into()),
        ]
    );
    let json = Template::parse("{\n  \"petId\": \"{$inputs.pet_id}\"\n}").unwrap();
    assert_eq!(json.expressions().count(), 1);
    assert_eq!(
        Template::parse("a {$inputs.x").unwrap_err().message,
        "`{$` without a closing `}`"
    );
    let e = Template::parse("ok {$nope}").unwrap_err();
    assert_eq!(e.at, 4);
}

#[test]
fn classifies_string_values() {
    assert!(matches!(classify("$inputs.username"), Ok(Text::Expr(_))));
    assert!(matches!(classify("available"), Ok(Text::Literal)));
    assert!(matches!(classify("$5 off"), Ok(Text::Literal)));
    assert!(matches!(classify("$USD"), Ok(Text::Literal)));
    assert!(matches!(
        classify("Bearer {$steps.login.outputs.token}"),
        Ok(Text::Template(_))
    ));
    assert!(classify("$input.username").is_err());
}
