//! Stage 5, **render**: turn the planned pages into files, in memory.
//!
//! The theme's Tera templates are parsed once ([`templates`]). The Site model is put in
//! Tera's global context once (`site`), so each page's own context holds only what is
//! particular to it (see `inputs`): `root` (the `../` prefix back to the site root), `url`,
//! `title`, `kind` and the entity it shows (`office`, `channel`, `path`, `source`, `page`).
//! Template errors become diagnostics at the template's line and column, with the page and
//! data record that triggered them (see `template_errors`). With a [`RenderCache`], only
//! the pages whose inputs changed render again (see `cache`).
//!
//! Templates take every word from the string table ([`crate::strings`]) through the function
//! `t(key="…")`, which works in components too; a key written out in a template that the
//! table does not hold is reported before anything renders, at its line and column.

mod cache;
mod fingerprint;
pub mod flowchart;
mod inputs;
pub mod notes;
mod template_errors;
mod templates;

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::Tera;

pub use cache::RenderCache;
pub use templates::{templates, with_strings, REQUIRED_TEMPLATES};

use crate::diagnostic::Diagnostics;
use crate::load::Theme;
use crate::model::Site;
use crate::plan::PlannedPage;
use crate::urls::static_url;
use inputs::{render_page, Chart, Shared};
use template_errors::Failures;

/// The rendered site: output path → bytes, sorted by path.
pub type Output = BTreeMap<String, Vec<u8>>;

/// Renders every planned page and copies the theme's static files under `static/`.
///
/// With a [`RenderCache`] from the previous build (as `casepath serve` keeps one), a page
/// whose inputs are the same as then is not rendered again: its HTML is taken from the
/// cache. The result is the same either way.
pub fn render(
    site: &Site,
    plan: &[PlannedPage],
    theme: &Theme,
    tera: &mut Tera,
    cache: &mut RenderCache,
) -> Result<Output, Diagnostics> {
    // Each view's flowchart is turned into a template value once, not once per node page.
    let charts = Chart::of_views(site, cache.keeps());
    let work = cache.work(site, theme, plan, &charts);
    let (mut fresh, site_value) = cache.next(site, &work);
    let mut shared = Shared::default();
    if let Some(value) = site_value {
        shared.site = Some(value.clone());
        tera.global_context().insert_value("site", value);
    }
    let tera = &*tera;
    // Pages render in parallel; the results come back in plan order.
    let rendered: Vec<Option<tera::TeraResult<String>>> = plan
        .par_iter()
        .zip(&work.stale)
        .map(|(page, &stale)| stale.then(|| render_page(site, page, tera, &charts, &shared)))
        .collect();
    let mut output = Output::new();
    let mut failures = Failures::default();
    for ((page, result), fingerprint) in plan.iter().zip(rendered).zip(work.fingerprints()) {
        let html = match result {
            None => cache.take_page(&page.url),
            Some(Ok(html)) => html.into_bytes(),
            Some(Err(error)) => {
                failures.add(error, page);
                continue;
            }
        };
        fresh.keep_page(&page.url, *fingerprint, &html);
        output.insert(page.url.clone(), html);
    }
    *cache = fresh;
    for (path, bytes) in &theme.static_files {
        output.insert(static_url(path), bytes.clone());
    }
    failures.into_diagnostics(site, theme).into_result(output)
}
