//! The theme: the templates, static files and string files of `themes/<name>/`, or the
//! default theme built into the binary when the site has no `themes/default/`.

use std::path::Path;

use super::files::{display_path, files_under, read_bytes, read_text};
use super::{strings, Theme};
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};

/// Reads the theme folder `themes/<name>/`. Its files must lie inside `themes/` once their
/// symbolic links are resolved, unless `follow_links` (`follow_theme_links: true` in
/// `site.yaml`) lets them lead anywhere.
pub(super) fn load_theme(
    root: &Path,
    name: &str,
    follow_links: bool,
    diagnostics: &mut Diagnostics,
) -> Theme {
    let mut theme = Theme::default();
    let mut parts = Path::new(name).components();
    if !matches!(
        (parts.next(), parts.next()),
        (Some(std::path::Component::Normal(_)), None)
    ) {
        diagnostics.push(
            Diagnostic::new(format!(
                "the theme `{name}` set in content/site.yaml is not the name of a folder in \
                 themes/"
            ))
            .with_hint("set `theme:` to a folder name without `/` or `..`, such as `default`"),
        );
        return theme;
    }
    let themes_dir = root.join("themes");
    let within = (!follow_links).then_some(themes_dir.as_path());
    let theme_dir = themes_dir.join(name);
    if !theme_dir.is_dir() && name == "default" {
        return embedded_theme();
    }
    if !theme_dir.is_dir() {
        diagnostics.push(
            Diagnostic::new(format!("theme folder `themes/{name}` not found"))
                .with_hint("create the theme folder, or set `theme:` in content/site.yaml"),
        );
        return theme;
    }
    let templates_dir = theme_dir.join("templates");
    for path in files_under(root, &templates_dir, within, diagnostics) {
        if let Some(file) = read_text(root, &path, diagnostics) {
            let name = display_path(&templates_dir, &path);
            theme.templates.push((name, file));
        }
    }
    theme.strings = strings::theme_files(root, &theme_dir, within, diagnostics);
    let static_dir = theme_dir.join("static");
    for path in files_under(root, &static_dir, within, diagnostics) {
        if let Some(bytes) = read_bytes(root, &path, diagnostics) {
            let rel = display_path(&static_dir, &path);
            theme.static_files.push((rel, bytes));
        }
    }
    theme
}

/// The files of the default theme built into the binary.
pub(super) mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// The default theme built into the binary, for sites without a `themes/default/` folder.
pub fn embedded_theme() -> Theme {
    let mut theme = strings::embedded();
    for (path, bytes) in embedded::FILES {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let file = SourceFile::new(format!("(built-in theme) {path}"), text);
            theme.templates.push((name.to_string(), file));
        } else if let Some(name) = path.strip_prefix("static/") {
            theme.static_files.push((name.to_string(), bytes.to_vec()));
        }
    }
    theme
}
