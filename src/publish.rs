//! The files that publish and find the site, added to the rendered output: `.nojekyll`
//! and `CNAME` for GitHub Pages, `sitemap.xml` and `robots.txt` (when a base URL is set,
//! since both need absolute addresses), `data.json` with every entity resolved, and the
//! search index read by the theme's `search.js`.
//!
//! The search index is our own small format, a script that assigns a global
//! (`window.CASEPATH_SEARCH = [...]`): a page can load it with a `<script>` tag, which
//! works offline and from `file://`, where `fetch` of a JSON file is blocked. The guide is
//! a few hundred pages, so a plain list of documents searched in the browser is fast.

use serde::Serialize;

use crate::markdown::plain_text;
use crate::model::{Channel, ContactView, FactView, Office, Path, Site};
use crate::render::Output;

/// Adds the publishing files to `output`.
pub fn add_files(site: &Site, output: &mut Output) {
    output.insert(".nojekyll".into(), Vec::new());
    if let Some(cname) = &site.info.cname {
        output.insert("CNAME".into(), format!("{}\n", cname.trim()).into_bytes());
    }
    if let Some(base) = &site.info.base_url {
        output.insert("sitemap.xml".into(), sitemap(base, output).into_bytes());
        output.insert(
            "robots.txt".into(),
            format!("User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n").into_bytes(),
        );
    }
    output.insert("data.json".into(), data_json(site).into_bytes());
    output.insert("search-index.js".into(), search_index(site).into_bytes());
}

/// `sitemap.xml`: every HTML page but the 404 page, with its canonical address.
fn sitemap(base: &str, output: &Output) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in output
        .keys()
        .filter(|p| p.ends_with(".html") && *p != "404.html")
    {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        xml.push_str(&format!(
            "  <url><loc>{}/{}</loc></url>\n",
            escape_xml(base),
            escape_xml(path)
        ));
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

/// One searchable page.
#[derive(Serialize)]
struct SearchDoc {
    /// Title.
    t: String,
    /// Site-relative URL.
    u: String,
    /// Kind, shown beside the title.
    k: &'static str,
    /// Plain text.
    b: String,
}

/// Plain text of facts and contacts, one after another.
fn texts(facts: &[&[FactView]], contacts: &[ContactView]) -> String {
    let mut text = String::new();
    for c in contacts {
        text.push_str(&format!("{}: {}. ", c.label, c.value));
    }
    for list in facts {
        for f in *list {
            text.push_str(&f.text);
            text.push(' ');
        }
    }
    text
}

/// `search-index.js`: the current view's pages, the sources and the Markdown pages.
fn search_index(site: &Site) -> String {
    let mut docs = Vec::new();
    for p in &site.paths {
        let mut body = format!("{} {} ", p.summary, p.for_whom);
        for s in &p.steps {
            body.push_str(&s.title);
            body.push_str(". ");
            body.push_str(&texts(&[&s.text, &s.have_ready, &s.record], &s.contacts));
        }
        docs.push(SearchDoc {
            t: p.name.clone(),
            u: p.url.clone(),
            k: "Path",
            b: body,
        });
    }
    for o in &site.offices {
        let names: Vec<&str> = o.other_names.iter().map(|n| n.name.as_str()).collect();
        let mut body = format!(
            "{} {} {} ",
            names.join(" "),
            o.summary,
            o.receipt_prefix.as_ref().map_or("", |p| p.value.as_str())
        );
        body.push_str(&texts(&[&o.hours, &o.jurisdiction, &o.facts], &o.contacts));
        for t in &o.tiers {
            body.push_str(&texts(&[&t.can, &t.cannot], &[]));
        }
        docs.push(SearchDoc {
            t: o.name.clone(),
            u: o.url.clone(),
            k: "Office",
            b: body,
        });
    }
    for c in &site.channels {
        let names: Vec<&str> = c.other_names.iter().map(|n| n.name.as_str()).collect();
        let mut body = format!("{} {} ", names.join(" "), c.summary);
        body.push_str(&texts(
            &[&c.who, &c.response_time, &c.hours, &c.limits, &c.facts],
            &c.contacts,
        ));
        docs.push(SearchDoc {
            t: c.name.clone(),
            u: c.url.clone(),
            k: "Way to get in touch",
            b: body,
        });
    }
    for p in &site.pages {
        docs.push(SearchDoc {
            t: p.title.clone(),
            u: p.url.clone(),
            k: "Page",
            b: plain_text_of_html(&p.html),
        });
    }
    for s in &site.sources {
        let body = format!(
            "{} {}",
            s.summary,
            s.text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        docs.push(SearchDoc {
            t: s.title.clone(),
            u: s.url.clone(),
            k: "Source",
            b: plain_text(&body),
        });
    }
    let json = serde_json::to_string(&docs).unwrap_or_else(|_| "[]".into());
    format!("window.CASEPATH_SEARCH = {json};\n")
}

/// The text of rendered HTML, without tags.
fn plain_text_of_html(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
