//! The GitHub Actions workflows casepath ships (`.github/workflows/*.yml`) and the one
//! `casepath init` writes: they check on every push and pull request, publish only from the
//! repository's default branch, grant write permissions only to the deploy job, and pin
//! every action to a major version or a commit. `.ci/lint-workflows` runs actionlint on the
//! same files.

use std::path::Path;

use serde_json::Value;

/// Every workflow this repository ships, with its file name.
fn repository_workflows() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows");
    let mut found: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect(".github/workflows exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| matches!(path.extension(), Some(e) if e == "yml" || e == "yaml"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no workflow in {}", dir.display());
    found
}

/// The workflow `casepath init` writes into a new guide.
fn init_workflow() -> String {
    let dir = tempfile::tempdir().unwrap();
    casepath::cmd::init::init(dir.path(), false).expect("init writes a new guide");
    std::fs::read_to_string(dir.path().join(casepath::cmd::init::WORKFLOW_PATH))
        .expect("init writes the Pages workflow")
}

/// Parses a workflow as YAML into a JSON value.
fn parse(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("the workflow is valid YAML")
}

/// A copy of the mapping at `key` of `value`, or an empty one.
fn map(value: &Value, key: &str) -> serde_json::Map<String, Value> {
    value
        .get(key)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The steps of every job, with the job's name.
fn steps(workflow: &Value) -> Vec<(&str, &Value)> {
    let jobs = workflow.get("jobs").and_then(Value::as_object);
    jobs.into_iter()
        .flatten()
        .flat_map(|(job, body)| {
            let list = body.get("steps").and_then(Value::as_array);
            list.into_iter().flatten().map(move |s| (job.as_str(), s))
        })
        .collect()
}

/// The action a step uses, without its version (`actions/checkout`), if it uses one.
fn action(step: &Value) -> Option<&str> {
    let uses = step.get("uses")?.as_str()?;
    Some(uses.split('@').next().unwrap_or(uses))
}

/// Whether `uses:` names a major version (`@v6`, `@v6.1.0`) or a full commit SHA.
fn is_pinned(uses: &str) -> bool {
    if uses.starts_with("./") || uses.starts_with("docker://") {
        return true;
    }
    let Some((_, reference)) = uses.rsplit_once('@') else {
        return false;
    };
    let version = reference.strip_prefix('v').map(|v| {
        !v.is_empty()
            && v.split('.')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    });
    version == Some(true)
        || (reference.len() == 40 && reference.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What is wrong with a workflow that checks a guide and publishes it to GitHub Pages, one
/// sentence each; empty when nothing is.
fn problems(text: &str) -> Vec<String> {
    let workflow = parse(text);
    let mut found = Vec::new();

    let on = map(&workflow, "on");
    for trigger in ["push", "pull_request", "workflow_dispatch"] {
        if !on.contains_key(trigger) {
            found.push(format!("it does not run on `{trigger}`"));
        }
    }
    if let Some(push) = on.get("push").and_then(Value::as_object) {
        if push.contains_key("branches") || push.contains_key("branches-ignore") {
            found.push(
                "`push` names branches: a new repository's default branch may have another name"
                    .into(),
            );
        }
    }

    let top = map(&workflow, "permissions");
    if top.get("contents").and_then(Value::as_str) != Some("read") {
        found.push("the workflow's permissions are not `contents: read`".into());
    }
    if top.values().any(|v| v.as_str() == Some("write")) {
        found.push("the workflow grants a write permission to every job".into());
    }

    let mut deploy_jobs = 0;
    for (name, job) in map(&workflow, "jobs") {
        let permissions = map(&job, "permissions");
        let deploys = steps(&workflow)
            .iter()
            .any(|(j, s)| *j == name.as_str() && action(s) == Some("actions/deploy-pages"));
        if !deploys {
            if permissions.values().any(|v| v.as_str() == Some("write")) {
                found.push(format!("job `{name}` deploys nothing but may write"));
            }
            continue;
        }
        deploy_jobs += 1;
        for (scope, level) in [("pages", "write"), ("id-token", "write")] {
            if permissions.get(scope).and_then(Value::as_str) != Some(level) {
                found.push(format!("deploy job `{name}` lacks `{scope}: {level}`"));
            }
        }
        let condition = job.get("if").and_then(Value::as_str).unwrap_or_default();
        if !condition.contains("github.event.repository.default_branch") {
            found.push(format!(
                "deploy job `{name}` does not run only on the default branch"
            ));
        }
        if job.get("needs").is_none() {
            found.push(format!("deploy job `{name}` does not wait for the build"));
        }
    }
    if deploy_jobs != 1 {
        found.push(format!("{deploy_jobs} jobs deploy to Pages, not 1"));
    }

    for (job, step) in steps(&workflow) {
        if let Some(uses) = step.get("uses").and_then(Value::as_str) {
            if !is_pinned(uses) {
                found.push(format!(
                    "job `{job}` uses `{uses}`, not pinned to `@vN` or a commit"
                ));
            }
        }
        let pages_only = matches!(
            action(step),
            Some("actions/configure-pages" | "actions/upload-pages-artifact")
        );
        if pages_only && step.get("if").is_none() {
            found.push(format!(
                "job `{job}` runs {} on pull requests too",
                action(step).unwrap()
            ));
        }
    }

    let runs: Vec<&str> = steps(&workflow)
        .iter()
        .filter_map(|(_, s)| s.get("run").and_then(Value::as_str))
        .collect();
    for command in ["check", "build"] {
        let with_base = format!("casepath {command} --base-url \"$BASE_URL\"");
        if !runs.iter().any(|r| r.contains(&with_base)) {
            found.push(format!("no step runs `{with_base}`"));
        }
    }
    let base_urls = steps(&workflow)
        .iter()
        .filter(|(_, s)| {
            s.pointer("/env/BASE_URL").and_then(Value::as_str)
                == Some("${{ steps.pages.outputs.base_url }}")
        })
        .count();
    if base_urls < 2 {
        found.push("`check` and `build` do not both get the Pages address".into());
    }
    found
}

#[test]
fn every_shipped_workflow_checks_pull_requests_and_deploys_only_from_the_default_branch() {
    for (file, text) in repository_workflows() {
        assert_eq!(problems(&text), Vec::<String>::new(), "{file}");
    }
}

#[test]
fn the_repository_workflow_builds_casepath_from_its_own_source() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/pages.yml"),
    )
    .unwrap();
    let workflow = parse(&text);
    let runs: Vec<&str> = steps(&workflow)
        .iter()
        .filter_map(|(_, s)| s.get("run").and_then(Value::as_str))
        .collect();
    assert!(runs
        .iter()
        .any(|r| r.contains("cargo +stable build --release --locked")));
    assert!(!runs.iter().any(|r| r.contains("install casepath")));
}

#[test]
fn init_writes_a_workflow_that_passes_the_same_checks() {
    let text = init_workflow();
    assert_eq!(text, casepath::cmd::init::pages_workflow());
    assert_eq!(problems(&text), Vec::<String>::new());
    assert!(!text.contains("@VERSION@"));
}

#[test]
fn the_init_workflow_installs_this_casepath_version_and_caches_it() {
    let workflow = parse(&init_workflow());
    assert_eq!(
        workflow
            .pointer("/env/CASEPATH_VERSION")
            .and_then(Value::as_str),
        Some(env!("CARGO_PKG_VERSION"))
    );
    let all = steps(&workflow);
    let install = all
        .iter()
        .find_map(|(_, s)| {
            s.get("run")
                .and_then(Value::as_str)
                .filter(|r| r.contains("cargo +stable install"))
        })
        .expect("a step installs casepath");
    assert!(
        install.contains("install casepath --locked --version \"$CASEPATH_VERSION\""),
        "{install}"
    );
    let cache = all
        .iter()
        .find(|(_, s)| action(s) == Some("actions/cache"))
        .expect("a step caches the installed casepath")
        .1;
    assert_eq!(
        cache.pointer("/with/path").and_then(Value::as_str),
        Some("~/.cargo/bin/casepath")
    );
    let key = cache.pointer("/with/key").and_then(Value::as_str).unwrap();
    assert!(key.contains("${{ env.CASEPATH_VERSION }}"), "{key}");
}

#[test]
fn the_checks_catch_each_mistake_they_look_for() {
    let good = init_workflow();
    let cases = [
        ("  push:\n", "  push:\n    branches: [main]\n", "names branches"),
        ("  pull_request:\n", "", "`pull_request`"),
        ("  workflow_dispatch:\n", "", "`workflow_dispatch`"),
        ("      id-token: write\n", "", "lacks `id-token: write`"),
        ("      pages: read\n", "      pages: write\n", "deploys nothing but may write"),
        ("permissions:\n  contents: read\n", "permissions:\n  contents: write\n", "every job"),
        ("actions/checkout@v6", "actions/checkout@main", "not pinned"),
        ("deploy-pages@v5", "deploy-pages@v5.0", ""),
        ("actions/cache@v5", "actions/cache@0123456789abcdef0123456789abcdef01234567", ""),
        (
            "    if: github.ref == format('refs/heads/{0}', github.event.repository.default_branch)\n",
            "    if: github.ref == 'refs/heads/main'\n",
            "only on the default branch",
        ),
        ("        if: env.DEPLOY == 'true'\n        uses: actions/configure-pages", "        uses: actions/configure-pages", "on pull requests too"),
        ("casepath check --base-url", "casepath check --base", "casepath check --base-url"),
    ];
    for (from, to, expected) in cases {
        assert!(good.contains(from), "the workflow has no {from:?}");
        let found = problems(&good.replacen(from, to, 1));
        if expected.is_empty() {
            assert_eq!(found, Vec::<String>::new(), "{to:?} is allowed");
        } else {
            assert!(
                found.iter().any(|p| p.contains(expected)),
                "{from:?} → {to:?}: expected a problem with {expected:?}, got {found:?}"
            );
        }
    }
}

#[test]
fn the_readme_states_this_version_and_the_minimum_rust_version_of_cargo_toml() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let msrv = env!("CARGO_PKG_RUST_VERSION");
    assert!(!msrv.is_empty(), "Cargo.toml sets rust-version");
    assert!(
        readme.contains(&format!("Rust {msrv} or newer")),
        "README.md does not say `Rust {msrv} or newer`"
    );
    let install = format!(
        "cargo install casepath --locked --version {}",
        env!("CARGO_PKG_VERSION")
    );
    assert!(
        readme.contains(&install),
        "README.md does not say `{install}`"
    );
}
