//! `casepath schema`: the JSON Schema of each data file, printed or written to a folder.

use std::path::Path;
use std::process::ExitCode;

/// Prints the JSON Schema of `file` (or of every data file), or writes them into `out`.
pub fn schema(file: Option<&str>, out: Option<&Path>) -> ExitCode {
    let all = crate::load::schema::json_schemas();
    let wanted: Vec<_> = match file {
        None => all.iter().collect(),
        Some(name) => {
            let name = name.trim_end_matches(".yaml");
            let found: Vec<_> = all
                .iter()
                .filter(|(f, _)| f.trim_end_matches(".yaml") == name)
                .collect();
            if found.is_empty() {
                let names: Vec<&str> = all
                    .iter()
                    .map(|(f, _)| f.trim_end_matches(".yaml"))
                    .collect();
                eprintln!(
                    "error: no data file `{name}`\nhelp: the files are: {}",
                    names.join(", ")
                );
                return ExitCode::from(2);
            }
            found
        }
    };
    match out {
        Some(dir) => {
            for (file, schema) in wanted {
                let path = dir.join(format!("{}.json", file.trim_end_matches(".yaml")));
                let text = serde_json::to_string_pretty(schema).unwrap_or_default() + "\n";
                if let Err(error) =
                    std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, text))
                {
                    eprintln!("error: cannot write {}: {error}", path.display());
                    return ExitCode::from(1);
                }
            }
        }
        None if wanted.len() == 1 => {
            println!(
                "{}",
                serde_json::to_string_pretty(&wanted[0].1).unwrap_or_default()
            );
        }
        None => {
            let map: serde_json::Map<String, serde_json::Value> = wanted
                .into_iter()
                .map(|(f, s)| (f.to_string(), s.clone()))
                .collect();
            println!("{}", serde_json::to_string_pretty(&map).unwrap_or_default());
        }
    }
    ExitCode::SUCCESS
}
