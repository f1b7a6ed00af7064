//! Stage 5, **render**: turn the planned pages into files, in memory.
//!
//! The theme's Tera templates are parsed once. The Site model is put in Tera's global
//! context once (`site`), so each page's own context holds only what is particular to it:
//! `root` (the `../` prefix back to the site root), `url`, `title`, `kind` and the entity it
//! shows (`office`, `channel`, `path`, `source`, `page`). Template errors become diagnostics
//! at the template's line and column, with the page and data record that triggered them.

use std::collections::BTreeMap;

use tera::{Context, ErrorKind, Tera};

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::load::Theme;
use crate::model::{root_of, Site};
use crate::plan::{PlannedPage, Subject};

/// The rendered site: output path → bytes, sorted by path.
pub type Output = BTreeMap<String, Vec<u8>>;

/// The templates every theme must have.
pub const REQUIRED_TEMPLATES: [&str; 14] = [
    "home.html",
    "office.html",
    "channel.html",
    "path.html",
    "source.html",
    "page.html",
    "offices.html",
    "channels.html",
    "paths.html",
    "sources.html",
    "versions.html",
    "404.html",
    "handout.html",
    "handouts.html",
];

/// Parses the theme's templates; reports syntax errors at their line and column.
pub fn templates(theme: &Theme) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::default();
    let mut diagnostics = Diagnostics::new();
    // Components and base templates must be parsed together, so add all at once; on a
    // syntax error, add them one by one to find every broken file.
    let all: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(name, file)| (name.as_str(), &*file.text))
        .collect();
    if let Err(error) = tera.add_raw_templates(all.clone()) {
        let mut found = false;
        for (name, text) in &all {
            let mut single = Tera::default();
            if let Err(error) = single.add_raw_template(name, text) {
                if matches!(error.kind(), ErrorKind::SyntaxError(_)) {
                    diagnostics.push(template_diagnostic(&error, theme, None));
                    found = true;
                }
            }
        }
        if !found {
            diagnostics.push(template_diagnostic(&error, theme, None));
        }
        return Err(diagnostics);
    }
    for name in REQUIRED_TEMPLATES {
        if !tera.contains_template(name) {
            diagnostics.push(
                Diagnostic::new(format!("the theme has no template `{name}`"))
                    .with_hint("copy it from themes/default/templates/ or create it"),
            );
        }
    }
    diagnostics.into_result(tera)
}

/// Renders every planned page and copies the theme's static files under `static/`.
pub fn render(
    site: &Site,
    plan: &[PlannedPage],
    theme: &Theme,
    tera: &mut Tera,
) -> Result<Output, Diagnostics> {
    tera.global_context().insert("site", site);
    let mut output = Output::new();
    let mut diagnostics = Diagnostics::new();
    for page in plan {
        match render_page(site, page, tera) {
            Ok(html) => {
                output.insert(page.url.clone(), html.into_bytes());
            }
            Err(error) => {
                let trigger = format!(
                    "while rendering `{}` for {}",
                    page.url,
                    describe_subject(site, page.subject)
                );
                diagnostics.push(template_diagnostic(&error, theme, Some(trigger)));
            }
        }
    }
    for (path, bytes) in &theme.static_files {
        output.insert(format!("static/{path}"), bytes.clone());
    }
    diagnostics.into_result(output)
}

/// Renders one page with its own small context.
fn render_page(site: &Site, page: &PlannedPage, tera: &Tera) -> tera::TeraResult<String> {
    let mut context = Context::new();
    let root = match page.subject {
        // The 404 page is served at whatever depth the missing URL had, so its links must
        // be absolute: the base URL's path when one is set, else the host's root.
        Subject::NotFound => site
            .info
            .base_url
            .as_deref()
            .map_or_else(|| "/".to_string(), base_path),
        _ => root_of(&page.url),
    };
    context.insert("root", &root);
    context.insert("url", &page.url);
    context.insert("title", &page.title);
    let kind = match page.subject {
        Subject::Home => "home",
        Subject::Office(i) => {
            context.insert("office", &site.offices[i]);
            "office"
        }
        Subject::Channel(i) => {
            context.insert("channel", &site.channels[i]);
            "channel"
        }
        Subject::Path(i) => {
            context.insert("path", &site.paths[i]);
            "path"
        }
        Subject::Source(i) => {
            context.insert("source", &site.sources[i]);
            "source"
        }
        Subject::Page(i) => {
            context.insert("page", &site.pages[i]);
            "page"
        }
        Subject::Offices => "offices",
        Subject::Channels => "channels",
        Subject::Paths => "paths",
        Subject::Sources => "sources",
        Subject::Versions => "versions",
        Subject::NotFound => "404",
        Subject::Handout(i) => {
            context.insert("handout", &site.handouts[i]);
            "handout"
        }
        Subject::Handouts => "handouts",
    };
    context.insert("kind", kind);
    tera.render(page.template, &context)
}

/// The path part of a base URL, ending with `/`: `https://x.github.io/guide` → `/guide/`.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    format!("{}/", path.trim_end_matches('/'))
}

/// Names the data behind a page, so a template error points at the content too.
fn describe_subject(site: &Site, subject: Subject) -> String {
    match subject {
        Subject::Office(i) => format!(
            "office `{}` (content/data/offices.yaml)",
            site.offices[i].id
        ),
        Subject::Channel(i) => format!(
            "channel `{}` (content/data/channels.yaml)",
            site.channels[i].id
        ),
        Subject::Path(i) => format!("path `{}` (content/data/paths.yaml)", site.paths[i].id),
        Subject::Source(i) => format!(
            "source `{}` (content/data/sources.yaml)",
            site.sources[i].id
        ),
        Subject::Page(i) => format!("content/pages/{}", site.pages[i].source_path),
        Subject::Handout(i) => format!(
            "the handout of path `{}` (content/data/paths.yaml)",
            site.handouts[i].id
        ),
        other => format!("the {other:?} page").to_lowercase(),
    }
}

/// A diagnostic for a Tera error, at the template's line and column when Tera gives one.
fn template_diagnostic(error: &tera::Error, theme: &Theme, trigger: Option<String>) -> Diagnostic {
    let report = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => Some(report),
        _ => None,
    };
    let mut diagnostic = match report {
        Some(report) => {
            let file = theme
                .templates
                .iter()
                .find(|(name, _)| name == report.filename())
                .map(|(_, file)| file.clone())
                .unwrap_or_else(|| SourceFile::new(report.filename(), ""));
            let span = report.span();
            let len = if span.start_line == span.end_line {
                span.end_col.saturating_sub(span.start_col).max(1)
            } else {
                1
            };
            let location = Location::new(&file, span.start_line, span.start_col + 1, len);
            Diagnostic::at(location, format!("template error: {}", report.message()))
                .with_label("here")
        }
        None => Diagnostic::new(format!("template error: {error}")),
    };
    if let Some(trigger) = trigger {
        diagnostic = diagnostic.with_hint(trigger);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_keep_the_project_folder() {
        assert_eq!(base_path("https://user.github.io/guide"), "/guide/");
        assert_eq!(base_path("https://user.github.io/guide/"), "/guide/");
        assert_eq!(base_path("https://example.org"), "/");
    }
}
