//! Embeds the default theme (`themes/default/`) in the binary, so a site without a
//! `themes/` folder, and `casepath init`, work with nothing but `content/`.

use std::fmt::Write;
use std::path::Path;
use std::{env, fs};

fn main() {
    let theme = Path::new("themes/default");
    println!("cargo:rerun-if-changed={}", theme.display());
    let mut files = Vec::new();
    collect(theme, theme, &mut files);
    files.sort();
    let mut code =
        String::from("/// The files of `themes/default/`: path inside the theme, contents.\n");
    code.push_str("pub const FILES: &[(&str, &[u8])] = &[\n");
    for (rel, absolute) in &files {
        writeln!(code, "    ({rel:?}, include_bytes!({absolute:?})),").unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("default_theme.rs");
    fs::write(out, code).unwrap();
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let absolute = fs::canonicalize(&path)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            files.push((rel, absolute));
        }
    }
}
