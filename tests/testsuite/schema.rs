//! `casepath schema`: it prints one file's JSON Schema or all of them, and a schema refuses
//! an unknown key. (The shipped guide's committed schemas and data are checked in
//! `guide/schema.rs`.)

use crate::common::SiteTest;

#[test]
fn the_schema_rejects_an_unknown_key() {
    let schemas = casepath::load::schema::json_schemas();
    let (_, offices) = schemas.iter().find(|(f, _)| *f == "offices.yaml").unwrap();
    let bad = serde_json::json!([{"id": "x", "name": "X", "kind": "other", "summary": "s", "phone": "1"}]);
    assert!(!jsonschema::validator_for(offices).unwrap().is_valid(&bad));
}

#[test]
fn schema_prints_one_file_or_all() {
    let test = SiteTest::empty();
    let run = test.run_plain(&["schema", "paths"]);
    assert_eq!(run.code, 0);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        schema["title"],
        "casepath escalation paths (content/data/paths.yaml)"
    );
    let run = test.run_plain(&["schema", "nope"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(
        "help: the files are: site, sources, offices, channels, parameters, kinds, policies, paths, flowchart, front-matter"
    ));
}
