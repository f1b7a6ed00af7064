//! Stage 5, **render**: turn the planned pages into files, in memory.
//!
//! The theme's Tera templates are parsed once. The Site model is put in Tera's global
//! context once (`site`), so each page's own context holds only what is particular to it:
//! `root` (the `../` prefix back to the site root), `url`, `title`, `kind` and the entity it
//! shows (`office`, `channel`, `path`, `source`, `page`). Template errors become diagnostics
//! at the template's line and column, with the page and data record that triggered them.

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::{Context, ErrorKind, Tera, Value};

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::load::Theme;
use crate::model::{root_of, Site};
use crate::plan::{PlannedPage, Subject};

/// The rendered site: output path → bytes, sorted by path.
pub type Output = BTreeMap<String, Vec<u8>>;

/// The templates every theme must have.
pub const REQUIRED_TEMPLATES: [&str; 20] = [
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
    "version.html",
    "diff.html",
    "search.html",
    "folder.html",
    "flowchart.html",
    "flowchart_node.html",
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
    // Each view's flowchart is turned into a template value once, not once per node page.
    let charts: Vec<Option<Value>> = std::iter::once(&site.flowchart)
        .chain(site.views.iter().map(|v| &v.flowchart))
        .map(|chart| chart.as_ref().map(Value::from_serializable))
        .collect();
    let tera = &*tera;
    // Pages render in parallel; the results come back in plan order.
    let rendered: Vec<tera::TeraResult<String>> = plan
        .par_iter()
        .map(|page| render_page(site, page, tera, &charts))
        .collect();
    let mut output = Output::new();
    // The same template mistake fails on many pages: report it once, with the first page
    // that hit it and how many others did.
    let mut failures: Vec<(String, tera::Error, &PlannedPage, usize)> = Vec::new();
    for (page, result) in plan.iter().zip(rendered) {
        match result {
            Ok(html) => {
                output.insert(page.url.clone(), html.into_bytes());
            }
            Err(error) => {
                let key = error_key(&error);
                match failures.iter_mut().find(|(k, ..)| *k == key) {
                    Some((.., others)) => *others += 1,
                    None => failures.push((key, error, page, 0)),
                }
            }
        }
    }
    let mut diagnostics = Diagnostics::new();
    for (_, error, page, others) in &failures {
        let mut trigger = format!(
            "while rendering `{}` for {}",
            page.url,
            describe_subject(site, page)
        );
        if *others > 0 {
            trigger.push_str(&format!(
                ", and {others} more page{}",
                if *others == 1 { "" } else { "s" }
            ));
        }
        diagnostics.push(template_diagnostic(error, theme, Some(trigger)));
    }
    for (path, bytes) in &theme.static_files {
        output.insert(format!("static/{path}"), bytes.clone());
    }
    diagnostics.into_result(output)
}

/// What makes two template errors the same mistake: the template, place and message.
fn error_key(error: &tera::Error) -> String {
    match error.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            format!("{}:{:?}:{}", r.filename(), r.span(), r.message())
        }
        other => other.to_string(),
    }
}

/// Renders one page with its own small context.
fn render_page(
    site: &Site,
    page: &PlannedPage,
    tera: &Tera,
    charts: &[Option<Value>],
) -> tera::TeraResult<String> {
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
    let view = page.view.map(|v| &site.views[v]);
    context.insert("version", &view.map(|v| &v.version));
    let (offices, channels, paths) = match view {
        Some(v) => (&v.offices, &v.channels, &v.paths),
        None => (&site.offices, &site.channels, &site.paths),
    };
    let chart = match view {
        Some(v) => v.flowchart.as_ref(),
        None => site.flowchart.as_ref(),
    };
    let chart_value = charts[page.view.map_or(0, |v| v + 1)].as_ref();
    let kind = match page.subject {
        Subject::Home => "home",
        Subject::Office(i) => {
            context.insert("office", &offices[i]);
            "office"
        }
        Subject::Channel(i) => {
            context.insert("channel", &channels[i]);
            "channel"
        }
        Subject::Path(i) => {
            context.insert("path", &paths[i]);
            "path"
        }
        Subject::Version(v) => {
            context.insert("view", &site.views[v]);
            context.insert("details", &site.versions[v]);
            "version"
        }
        Subject::Diff(d) => {
            context.insert("diff", &site.diffs[d]);
            "diff"
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
        Subject::Search => "search",
        Subject::Folder(i) => {
            context.insert("folder", &site.folders[i]);
            "folder"
        }
        Subject::Flowchart => {
            if let (Some(chart), Some(value)) = (chart, chart_value) {
                context.insert_value("chart", value.clone());
                context.insert(
                    "flowchart_svg",
                    &crate::flowchart::svg::render(chart, &root),
                );
            }
            "flowchart"
        }
        Subject::FlowchartNode(i) => {
            if let (Some(chart), Some(value)) = (chart, chart_value) {
                context.insert_value("chart", value.clone());
                context.insert("node", &chart.nodes[i]);
            }
            "flowchart-node"
        }
        Subject::Handout(i) => {
            context.insert("handout", &site.handouts[i]);
            // Handouts are made in the paths' order; the page offers the path's calculator.
            context.insert("path", &site.paths[i]);
            "handout"
        }
        Subject::Handouts => "handouts",
    };
    context.insert("kind", kind);
    let description = match page.subject {
        Subject::Office(i) => offices[i].summary.as_str(),
        Subject::Channel(i) => channels[i].summary.as_str(),
        Subject::Path(i) => paths[i].summary.as_str(),
        Subject::Source(i) => site.sources[i].summary.as_str(),
        Subject::Version(v) => site.versions[v].summary.as_str(),
        Subject::FlowchartNode(i) => chart.map_or("", |c| c.nodes[i].text.as_str()),
        Subject::Handout(i) => site.handouts[i].summary.as_str(),
        Subject::Page(i) => site.pages[i]
            .description
            .as_deref()
            .unwrap_or(&site.info.description),
        _ => site.info.description.as_str(),
    };
    context.insert("description", description.trim());
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
fn describe_subject(site: &Site, page: &PlannedPage) -> String {
    let (offices, channels, paths) = match page.view.map(|v| &site.views[v]) {
        Some(v) => (&v.offices, &v.channels, &v.paths),
        None => (&site.offices, &site.channels, &site.paths),
    };
    match page.subject {
        Subject::Office(i) => format!("office `{}` (content/data/offices.yaml)", offices[i].id),
        Subject::Channel(i) => format!("channel `{}` (content/data/channels.yaml)", channels[i].id),
        Subject::Path(i) => format!("path `{}` (content/data/paths.yaml)", paths[i].id),
        Subject::Source(i) => format!(
            "source `{}` (content/data/sources.yaml)",
            site.sources[i].id
        ),
        Subject::Page(i) => format!("content/pages/{}", site.pages[i].source_path),
        Subject::FlowchartNode(i) => format!(
            "flowchart node `{}` (content/data/flowchart.yaml)",
            site.flowchart
                .as_ref()
                .map_or("", |c| c.nodes[i].id.as_str())
        ),
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
