//! The files that publish and find the site, added to the rendered output: `.nojekyll`
//! and `CNAME` for GitHub Pages, `sitemap.xml` and `robots.txt` (when a base URL is set,
//! since both need absolute addresses), `data.json` with every entity resolved, and the
//! search index read by the theme's `search.js` (made by [`crate::views::search`]). The guide is
//! a few hundred pages, so a plain list of documents searched in the browser is fast.

use serde::Serialize;

use crate::model::{Channel, Language, Office, Path, Site};
use crate::render::Output;
use crate::urls::{HOME, NOT_FOUND};

/// The publishing files but the sitemap, which lists the pages: these need only the Site
/// model, so they can be made while the pages render.
pub fn files(site: &Site) -> Output {
    let mut output = Output::new();
    output.insert(".nojekyll".into(), Vec::new());
    if let Some(cname) = &site.info.cname {
        output.insert("CNAME".into(), format!("{}\n", cname.trim()).into_bytes());
    }
    if let Some(base) = &site.info.base_url {
        output.insert(
            "robots.txt".into(),
            format!("User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n").into_bytes(),
        );
    }
    output.insert("data.json".into(), data_json(site).into_bytes());
    output.insert(
        "search-index.js".into(),
        crate::views::search::index_script(site).into_bytes(),
    );
    output
}

/// The publishing files of another language's pages: its search index (the other files are
/// the site's, made once).
pub fn language_files(site: &Site) -> Output {
    let mut output = Output::new();
    output.insert(
        "search-index.js".into(),
        crate::views::search::index_script(site).into_bytes(),
    );
    output
}

/// Adds `sitemap.xml` (when a base URL is set) for the pages of `output`.
pub fn add_sitemap(site: &Site, output: &mut Output) {
    if let Some(base) = &site.info.base_url {
        let xml = sitemap(base, &site.info.languages, output);
        output.insert("sitemap.xml".into(), xml.into_bytes());
    }
}

/// `sitemap.xml`: every HTML page but the 404 pages, with its canonical address. In a guide
/// of several languages, each page of the default language is listed in every language,
/// each entry with the addresses of all (`xhtml:link` alternates).
fn sitemap(base: &str, languages: &[Language], output: &Output) -> String {
    let several = languages.len() > 1;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if several {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    let others: Vec<&str> = languages
        .iter()
        .skip(1)
        .map(|l| l.prefix.as_str())
        .collect();
    let pages = output.keys().filter(|p| {
        p.ends_with(".html")
            && *p != NOT_FOUND
            && !others.iter().any(|prefix| p.starts_with(prefix))
    });
    let base = escape_xml(base);
    for path in pages {
        let path = escape_xml(path.strip_suffix(HOME).unwrap_or(path));
        if !several {
            xml.push_str(&format!("  <url><loc>{base}/{path}</loc></url>\n"));
            continue;
        }
        let links: String = languages
            .iter()
            .map(|l| {
                format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{base}/{}{path}\"/>",
                    l.code, l.prefix
                )
            })
            .collect();
        for language in languages {
            let prefix = &language.prefix;
            xml.push_str(&format!(
                "  <url><loc>{base}/{prefix}{path}</loc>{links}</url>\n"
            ));
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Everything a tool needs, with references resolved to ids and URLs.
#[derive(Serialize)]
struct DataExport<'a> {
    /// What this file is.
    about: &'static str,
    title: &'a str,
    base_url: &'a Option<String>,
    sources: Vec<SourceExport<'a>>,
    versions: &'a [crate::model::Version],
    parameters: &'a [crate::model::ParameterView],
    offices: &'a [Office],
    channels: &'a [Channel],
    paths: &'a [Path],
}

/// A source without its page-only fields.
#[derive(Serialize)]
struct SourceExport<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    publisher: &'a str,
    date: &'a Option<String>,
    era: &'a str,
    unverified: bool,
    file: &'a str,
    first_line: usize,
    text: &'a str,
}

/// `data.json`: the current view of every entity, resolved.
fn data_json(site: &Site) -> String {
    let export = DataExport {
        about: "casepath data export: every office, channel, path, source and policy version of the guide, with references resolved to ids and site-relative URLs and every fact's sources attached.",
        title: &site.info.title,
        base_url: &site.info.base_url,
        sources: site
            .sources
            .iter()
            .map(|s| SourceExport {
                id: &s.id,
                title: &s.title,
                url: &s.url,
                publisher: &s.publisher,
                date: &s.date,
                era: &s.era,
                unverified: s.unverified,
                file: &s.file,
                first_line: s.first_line,
                text: &s.text,
            })
            .collect(),
        versions: &site.versions,
        parameters: &site.parameters,
        offices: &site.offices,
        channels: &site.channels,
        paths: &site.paths,
    };
    serde_json::to_string_pretty(&export).unwrap_or_default()
}
