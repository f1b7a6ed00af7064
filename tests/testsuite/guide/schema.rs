//! The JSON Schemas in the shipped guide's `content/schema/` are the ones the Rust types
//! make, and the shipped data validates against them.

use std::fs;

use crate::common::repo;

#[test]
fn committed_schemas_match_the_types() {
    for (file, schema) in casepath::load::schema::json_schemas() {
        let path = repo()
            .join("content/schema")
            .join(format!("{}.json", file.trim_end_matches(".yaml")));
        let committed = fs::read_to_string(&path).unwrap_or_default();
        let expected = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        assert_eq!(
            committed,
            expected,
            "{} is out of date: run `cargo run -- schema --out content/schema`",
            path.display()
        );
    }
}

#[test]
fn the_shipped_data_validates_against_its_schema() {
    for (file, schema) in casepath::load::schema::json_schemas() {
        let path = match file {
            "site.yaml" => repo().join("content/site.yaml"),
            "front-matter.yaml" => continue,
            data => repo().join("content/data").join(data),
        };
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema="),
            "{file} has no schema line"
        );
        let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
}
