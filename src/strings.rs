//! The string table: every word a reader sees that is not the guide's own data, by key.
//!
//! Page titles, headings, labels, the units of waits and the helpers' messages are looked up
//! here by a dotted key (`titles.paths`, `units.calendar_days`), never written in the engine.
//! The table is read by the load stage ([`crate::load`]) in layers, each overriding the one
//! before: the default theme's `strings.yaml` built into the binary, the theme's own
//! `strings.yaml`, the theme's `strings.<language>.yaml` for the guide's `language:`, and the
//! `strings:` of `content/site.yaml`, where a guide puts its own words.
//!
//! A text may hold placeholders in braces (`Step {n}`), filled by [`Strings::fill`] or by the
//! templates' `t` function. A key whose group holds `one` and `other` is a count: "1 day",
//! "15 days" ([`Strings::count`]).

use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::Arc;

use tera::{Kwargs, State, TeraResult, Value};

/// The string table, read-only once loaded; cheap to clone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Strings {
    /// Each text by its full dotted key.
    texts: Arc<BTreeMap<String, String>>,
}

impl serde::Serialize for Strings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.texts.as_ref().serialize(serializer)
    }
}

impl Strings {
    /// A table of these texts, by full dotted key.
    pub fn new(texts: BTreeMap<String, String>) -> Self {
        Strings {
            texts: Arc::new(texts),
        }
    }

    /// The text of `key`. A key the table does not hold gives the key itself, so a missing
    /// word shows up on the page instead of stopping the build; the load stage makes sure
    /// every key the engine names is there (the built-in table is always the first layer).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts.get(key).map_or(key, String::as_str)
    }

    /// The text of `key` with each `{name}` placeholder of `args` filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        fill(self.get(key), args)
    }

    /// The count `key` for `n`: the text of `key.one` when `n` is 1, of `key.other`
    /// otherwise, with `{n}` filled in ("1 day", "15 days").
    pub fn count(&self, key: &str, n: i64) -> String {
        let form = if n == 1 { "one" } else { "other" };
        fill(self.get(&format!("{key}.{form}")), &[("n", &n)])
    }

    /// True when the table holds the text `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.texts.contains_key(key)
    }

    /// True when the table holds texts under `key.` (a group such as `units`).
    pub fn has_group(&self, key: &str) -> bool {
        let prefix = format!("{key}.");
        self.texts
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    /// Every key of the table, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }

    /// The texts under `key.` as a nested map, for a template that hands a whole group to a
    /// script (`t(key="helpers.deadline") | json`).
    pub fn group(&self, key: &str) -> Value {
        let prefix = format!("{key}.");
        let mut root = Node::default();
        for (k, text) in self.texts.range(prefix.clone()..) {
            let Some(rest) = k.strip_prefix(&prefix) else {
                break;
            };
            root.insert(rest.split('.'), text);
        }
        root.into_value()
    }

    /// The templates' `t` function over this table.
    ///
    /// `t(key="titles.paths")` gives the text; more arguments fill the placeholders of the
    /// same name (`t(key="path.step", n=3)` gives "Step 3"). A key whose group is a count takes
    /// `n` (`t(key="units.calendar_days", n=15)` gives "15 days"); any other group gives its
    /// texts as a map. A key the table does not hold is an error that names the nearest key.
    ///
    /// A text comes out escaped for HTML as words written in a template would be: `&`, `<`,
    /// `>` and `"` are escaped (so a text is safe in a double-quoted attribute), an apostrophe
    /// stays as it is. Arguments are escaped too, unless they are already safe (the text of
    /// another `t` call).
    pub fn tera_function(&self) -> impl Fn(Kwargs, &State) -> TeraResult<Value> + Send + Sync {
        let strings = self.clone();
        move |kwargs: Kwargs, _: &State| {
            let key: String = kwargs.must_get::<&str>("key")?.to_string();
            let args: Vec<(String, String)> = kwargs
                .iter()
                .filter(|(name, _)| name.as_str() != Some("key"))
                .map(|(name, value)| {
                    let text = value.to_string();
                    let text = if value.is_safe() { text } else { escape(&text) };
                    (name.to_string(), text)
                })
                .collect();
            let args: Vec<(&str, &dyn Display)> = args
                .iter()
                .map(|(name, value)| (name.as_str(), value as &dyn Display))
                .collect();
            let text = match strings.texts.get(&key) {
                Some(text) => text.as_str(),
                None if strings.has_group(&key) => {
                    let n = kwargs.get::<i64>("n")?;
                    match n.filter(|_| strings.contains(&format!("{key}.other"))) {
                        Some(1) => strings.get_owned(&format!("{key}.one")),
                        Some(_) => strings.get_owned(&format!("{key}.other")),
                        None => return Ok(strings.group(&key)),
                    }
                }
                None => return Err(tera::Error::message(missing_key_message(&strings, &key))),
            };
            Ok(Value::safe_string(&fill(&escape(text), &args)))
        }
    }

    /// The text of `key` with the table's lifetime ([`Strings::get`] for a key made on the fly).
    fn get_owned(&self, key: &str) -> &str {
        self.texts.get(key).map_or("", String::as_str)
    }
}

/// `text` escaped for HTML text and double-quoted attributes: `&`, `<`, `>` and `"`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The message for a key the table does not hold, with the nearest key it does.
pub fn missing_key_message(strings: &Strings, key: &str) -> String {
    format!(
        "the string table has no `{key}`: {}",
        missing_key_hint(strings, key)
    )
}

/// What to do about a key the table does not hold: the nearest key it does, if one is
/// close, and where keys are added.
pub fn missing_key_hint(strings: &Strings, key: &str) -> String {
    let known: Vec<&str> = strings.keys().collect();
    let add = "add the key to the theme's strings.yaml (themes/<theme>/strings.yaml)";
    match crate::diagnostic::nearest(key, &known) {
        Some(near) => format!("did you mean `{near}`? Otherwise {add}"),
        None => add.to_string(),
    }
}

/// `text` with each `{name}` of `args` replaced by its value; other braces stay as they are.
pub fn fill(text: &str, args: &[(&str, &dyn Display)]) -> String {
    if args.is_empty() || !text.contains('{') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = args.iter().find(|(n, _)| *n == name)?;
            Some((value.to_string(), close))
        });
        match filled {
            Some((value, close)) => {
                out.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A group of texts being made into a template value.
#[derive(Default)]
struct Node {
    text: Option<String>,
    children: BTreeMap<String, Node>,
}

impl Node {
    fn insert<'a>(&mut self, mut path: impl Iterator<Item = &'a str>, text: &str) {
        match path.next() {
            Some(part) => self
                .children
                .entry(part.to_string())
                .or_default()
                .insert(path, text),
            None => self.text = Some(text.to_string()),
        }
    }

    fn into_value(self) -> Value {
        match self.text {
            Some(text) if self.children.is_empty() => Value::from(text),
            _ => {
                let map: BTreeMap<String, Value> = self
                    .children
                    .into_iter()
                    .map(|(k, v)| (k, v.into_value()))
                    .collect();
                Value::from_serializable(&map)
            }
        }
    }
}

/// The keys of the string table that a template names in a `t(key="…")` call with a key
/// written out, each with its byte offset in the text (of the key, after the quote). Keys
/// built from parts (`key="units." ~ unit`) are left to the render, which reports them.
pub fn template_keys(text: &str) -> Vec<(usize, &str)> {
    let mut keys = Vec::new();
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices("t(") {
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue;
        }
        let after = text[at + 2..].trim_start();
        let Some(after) = after.strip_prefix("key") else {
            continue;
        };
        let Some(after) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        let after = after.trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let body = &after[1..];
        let Some(end) = body.find(quote) else {
            continue;
        };
        if body[end + 1..].trim_start().starts_with('~') {
            continue;
        }
        let start = text.len() - body.len();
        keys.push((start, &body[..end]));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(pairs: &[(&str, &str)]) -> Strings {
        Strings::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        assert_eq!(
            fill("Step {n}: {title}", &[("n", &2), ("title", &"Call")]),
            "Step 2: Call"
        );
        assert_eq!(fill("{unknown} and {n", &[("n", &1)]), "{unknown} and {n");
        assert_eq!(fill("no args {n}", &[]), "no args {n}");
    }

    #[test]
    fn counts_pick_one_or_other() {
        let strings = table(&[
            ("units.days.one", "{n} day"),
            ("units.days.other", "{n} days"),
        ]);
        assert_eq!(strings.count("units.days", 1), "1 day");
        assert_eq!(strings.count("units.days", 15), "15 days");
        assert!(strings.has_group("units"));
        assert!(!strings.has_group("unit"));
        assert_eq!(strings.get("missing.key"), "missing.key");
    }

    #[test]
    fn the_template_function_fills_counts_and_names_missing_keys() {
        let strings = table(&[
            ("path.step", "Step {n}"),
            ("units.days.one", "{n} day"),
            ("units.days.other", "{n} days"),
            ("helpers.a", "A"),
        ]);
        let mut tera = tera::Tera::default();
        tera.register_function("t", strings.tera_function());
        tera.add_raw_template(
            "x",
            r#"{{ t(key="path.step", n=2) }}|{{ t(key="units.days", n=1) }}|{{ t(key="units." ~ "days", n=3) }}|{% set h = t(key="helpers") %}{{ h.a }}"#,
        )
        .unwrap();
        assert_eq!(
            tera.render("x", &tera::Context::new()).unwrap(),
            "Step 2|1 day|3 days|A"
        );
        tera.add_raw_template("y", r#"{{ t(key="path.stp") }}"#)
            .unwrap();
        let error = format!("{:?}", tera.render("y", &tera::Context::new()).unwrap_err());
        assert!(error.contains("did you mean `path.step`?"), "{error}");
    }

    /// The built-in string table, as the first layer of every guide's.
    fn builtin() -> Strings {
        let mut diagnostics = crate::diagnostic::Diagnostics::new();
        let builtin = crate::load::strings::embedded();
        let strings =
            crate::load::strings::string_table(&builtin, None, &[], None, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{}", diagnostics.render(false));
        strings
    }

    /// Every key that the engine's code names, written out as a string (`"titles.paths"`),
    /// is in the default theme's table, so no page shows a key instead of words.
    #[test]
    fn every_key_the_engine_names_is_in_the_default_table() {
        let strings = builtin();
        let groups: std::collections::BTreeSet<&str> =
            strings.keys().filter_map(|k| k.split('.').next()).collect();
        let is_key = |s: &str| {
            s.contains('.')
                && !s.starts_with('.')
                && !s.ends_with('.')
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
        };
        let files = [
            ".html", ".yaml", ".json", ".js", ".css", ".txt", ".md", ".xml", ".rs", ".pdf",
        ];
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut named = 0;
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            // This file's own tests use tables of their own.
            if entry.path().extension().is_none_or(|e| e != "rs")
                || entry.path().ends_with("strings.rs")
                    && entry.path().parent() == Some(src.as_path())
            {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for literal in text.split('"').skip(1).step_by(2) {
                let first = literal.split('.').next().unwrap_or("");
                if !is_key(literal)
                    || !groups.contains(first)
                    || files.iter().any(|f| literal.ends_with(f))
                {
                    continue;
                }
                named += 1;
                if !strings.contains(literal) && !strings.has_group(literal) {
                    missing.push(format!("{}: {literal}", entry.path().display()));
                }
            }
        }
        assert!(named > 40, "only {named} keys found in src/");
        assert!(
            missing.is_empty(),
            "keys not in themes/default/strings.yaml: {missing:#?}"
        );
        // Keys the engine builds from parts.
        for unit in ["calendar_days", "business_days"] {
            assert!(strings.contains(&format!("units.{unit}.one")));
            assert!(strings.contains(&format!("units.{unit}.other")));
            assert!(strings.contains(&format!("deadline.count.{unit}")));
        }
        for key in [
            "name",
            "hours",
            "serves",
            "tier",
            "tier_can",
            "tier_cannot",
            "who",
            "response_time",
            "limit",
            "step",
            "have_ready",
            "record",
        ] {
            assert!(strings.contains(&format!("diff.statement.{key}")), "{key}");
        }
    }

    #[test]
    fn written_out_keys_of_templates_are_found() {
        let text = r#"{{ t(key="a.b") }} {{ t( key = 'c' , n=1) }} {{ t(key="u." ~ x) }} {{ at(key="no") }}"#;
        let keys: Vec<&str> = template_keys(text).into_iter().map(|(_, k)| k).collect();
        assert_eq!(keys, ["a.b", "c"]);
        let (at, key) = template_keys(text)[0];
        assert_eq!(&text[at..at + key.len()], "a.b");
    }
}
