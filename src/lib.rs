//! casepath: a static site generator for sourced, cross-linked guides to getting help
//! with a case.
//!
//! The pipeline runs one way, one module per stage; each stage uses only the ones before it
//! (checked by `tests/testsuite/architecture.rs`):
//!
//! 1. [`load`] reads `content/` and the theme, decoding YAML into the [`load::schema`] types;
//! 2. [`validate`](mod@validate) checks everything that can be wrong with the content: ids, sources,
//!    quotes, references, waits, the flowchart, page addresses and Markdown links;
//! 3. [`resolve`](mod@resolve) turns the validated content into the entities of the [`model`], and cannot
//!    fail;
//! 4. [`views`] derives backlinks, version switchers, diffs, handouts, folders and search
//!    documents, and assembles the [`model::Site`] that templates see;
//! 5. [`plan`] lists the pages to make;
//! 6. [`render`] renders them with Tera, in memory;
//! 7. [`publish`] adds the files for the host: the search index, `data.json`, the sitemap;
//! 8. [`check`](mod@check) verifies every internal link and anchor;
//! 9. [`write`](mod@write) puts the new site in place, all or nothing.
//!
//! [`model`] holds the types the stages pass on, without logic, and [`urls`] decides every
//! address. Every stage reports problems as [`diagnostic::Diagnostic`]s with file, line and
//! column. [`cmd`] holds what only the command line needs: `casepath serve` runs stages 1 to
//! 8 on every change and serves the result from memory, keeping what it can in a [`Cache`].

pub mod build_date;
pub mod check;
pub mod cmd;
pub mod diagnostic;
pub mod load;
pub mod markdown;
pub mod model;
pub mod plan;
pub mod publish;
pub mod render;
pub mod resolve;
pub mod strings;
pub mod translate;
pub mod urls;
pub mod validate;
pub mod views;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostic::Diagnostics;

/// What a build or check is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root (holds `content/` and `themes/`).
    pub root: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Overrides `base_url` of the site configuration.
    pub base_url: Option<String>,
}

/// What a successful run made.
#[derive(Debug)]
pub struct Report {
    /// Number of HTML pages.
    pub pages: usize,
    /// Number of files in all.
    pub files: usize,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// What the content has that is probably a mistake, but did not stop the run.
    pub warnings: Diagnostics,
}

/// What a compile made: the rendered, link-checked site in memory, and the warnings about
/// the content.
#[derive(Debug)]
pub struct Compiled {
    /// The site.
    pub output: render::Output,
    /// The warnings (an unused source, a short quote, …).
    pub warnings: Diagnostics,
}

/// Runs the pipeline up to the rendered, link-checked site in memory.
///
/// With `CASEPATH_TIMINGS` set in the environment, prints each stage's wall time to
/// standard error, for profiling.
pub fn compile(options: &Options) -> Result<render::Output, Diagnostics> {
    compile_with(options, &mut Cache::default())
}

/// What one compile keeps for the next, so that `casepath serve` redoes only what an edit
/// changed: the decoded YAML of each file, the rendered pages with their inputs'
/// fingerprints, the links found in each page and the word diffs of the sources. A compile
/// with a cache gives exactly what one without would. Nothing is kept anywhere else in the
/// process.
#[derive(Debug, Default)]
pub struct Cache {
    /// The decoded YAML of each file, by its text.
    pub decoded: load::DecodeMemo,
    /// Pages and what they were rendered from.
    pub render: render::RenderCache,
    /// Links and anchors of each page, and the pages whose links were all good.
    pub check: check::CheckCache,
    /// Word diffs of the source texts.
    pub diffs: views::diff::WordDiffMemo,
}

impl Cache {
    /// A cache that keeps each compile's work for the next.
    pub fn kept() -> Self {
        Cache {
            decoded: load::DecodeMemo::kept(),
            render: render::RenderCache::kept(),
            check: check::CheckCache::kept(),
            diffs: Default::default(),
        }
    }
}

/// [`compile`], reusing and updating `cache`.
pub fn compile_with(options: &Options, cache: &mut Cache) -> Result<render::Output, Diagnostics> {
    compile_reporting(options, cache).map(|compiled| compiled.output)
}

/// [`compile_with`], keeping the warnings of the content. When a stage fails, only its
/// errors are reported: the warnings come once they are fixed.
pub fn compile_reporting(options: &Options, cache: &mut Cache) -> Result<Compiled, Diagnostics> {
    let mut warnings = Diagnostics::new();
    let output = compile_stages(options, cache, &mut warnings)?;
    Ok(Compiled { output, warnings })
}

/// The stages of [`compile_reporting`]; the validate stage's warnings go to `warnings`.
fn compile_stages(
    options: &Options,
    cache: &mut Cache,
    warnings: &mut Diagnostics,
) -> Result<render::Output, Diagnostics> {
    let mut timer = Timer::from_env();
    let (mut content, load_errors) = load::load_with(&options.root, &cache.decoded)?;
    if let Some(base_url) = &options.base_url {
        content.config.base_url = Some(base_url.clone());
    }
    timer.lap("load");
    // The templates are parsed while the content is checked; template syntax errors are
    // reported together with content errors.
    let theme = std::mem::take(&mut content.theme);
    let strings = content.strings.clone();
    let (tera, validated) = rayon::join(
        || render::templates(&theme, &strings),
        || validate::validate(content, load_errors),
    );
    let validated = validated.map(|mut validated| {
        validated.content.theme = theme;
        validated
    });
    let (validated, mut tera) = match (validated, tera) {
        (Ok(validated), Ok(tera)) => (validated, tera),
        (Err(mut content_errors), Err(template_errors)) => {
            content_errors.extend(template_errors);
            return Err(content_errors);
        }
        (Err(errors), Ok(_)) | (Ok(_), Err(errors)) => return Err(errors),
    };
    timer.lap("validate");
    let mut validated = validated;
    *warnings = std::mem::take(&mut validated.warnings);
    let site = views::build(resolve::resolve(&validated), &cache.diffs);
    timer.lap("resolve");
    let plan = plan::plan(&site);
    // The publishing files need only the Site model: they are made while the pages render.
    let (output, published) = rayon::join(
        || {
            render::render(
                &site,
                &plan,
                &validated.content.theme,
                &mut tera,
                &mut cache.render,
            )
        },
        || publish::files(&site),
    );
    let mut output = output?;
    output.extend(published);
    publish::add_sitemap(&site, &mut output);
    timer.lap("render");
    // A broken link of a Markdown page is shown at its line in the page's file.
    let sources: std::collections::HashMap<&str, &load::MarkdownFile> = site
        .pages
        .iter()
        .filter_map(|page| {
            let file = validated
                .content
                .pages
                .iter()
                .find(|p| p.rel_path == page.source_path)?;
            Some((page.url.as_str(), file))
        })
        .collect();
    let locate = |page: &str, target: &str| {
        let file = sources.get(page)?;
        markdown::link_location(file, target)
    };
    check::check_links_located(&output, &mut cache.check, &locate)?;
    timer.lap("check");
    Ok(output)
}

/// Stage timings for `CASEPATH_TIMINGS`: off unless the variable is set. Each lap prints
/// the stage's wall time and the CPU time of the whole process (all threads, user and
/// system) during it, so that a stage's cost can be told from waiting on a busy machine.
struct Timer(Option<(Instant, Duration)>);

impl Timer {
    fn from_env() -> Timer {
        Timer(std::env::var_os("CASEPATH_TIMINGS").map(|_| (Instant::now(), cpu_time())))
    }

    /// Prints the time since the last lap, named after the stage that just ended.
    fn lap(&mut self, stage: &str) {
        if let Some((start, cpu)) = &mut self.0 {
            let now = cpu_time();
            eprintln!(
                "timing: {stage:<8} {:>8.2} ms wall {:>8.2} ms cpu",
                start.elapsed().as_secs_f64() * 1e3,
                now.saturating_sub(*cpu).as_secs_f64() * 1e3
            );
            *start = Instant::now();
            *cpu = now;
        }
    }
}

/// The CPU time this process has used so far, user and system, all threads.
#[cfg(unix)]
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given, which is zeroed and ours.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// Elsewhere CPU time is not measured (shown as 0).
#[cfg(not(unix))]
fn cpu_time() -> Duration {
    Duration::ZERO
}

/// Runs the pipeline up to the resolved entities (no views, no templates, no output), for
/// commands that work on the data, such as `casepath diff`.
pub fn resolve(root: &Path) -> Result<model::Resolved, Diagnostics> {
    let (content, load_errors) = load::load(root)?;
    let validated = validate::validate(content, load_errors)?;
    Ok(resolve::resolve(&validated))
}

/// Runs the pipeline up to the Site model that templates see (no templates, no output).
pub fn site(root: &Path) -> Result<model::Site, Diagnostics> {
    resolve(root).map(|resolved| views::build(resolved, &Default::default()))
}

/// Builds the site and writes it to `options.out`, replacing the old output only on success.
pub fn build(options: &Options) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let out = write::guard_output(&options.root, &options.out)?;
    write::recover_interrupted(&out);
    let compiled = compile_reporting(options, &mut Cache::default())?;
    let output = compiled.output;
    let mut timer = Timer::from_env();
    write::write_atomic(&out, &output)?;
    timer.lap("write");
    let mut report = report(&output, start, compiled.warnings);
    // The output also holds the marker that says casepath wrote it.
    report.files += 1;
    Ok(report)
}

/// Runs the whole pipeline and checks every link, writing nothing.
pub fn check(options: &Options) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    let compiled = compile_reporting(options, &mut Cache::default())?;
    Ok(report(&compiled.output, start, compiled.warnings))
}

fn report(output: &render::Output, start: Instant, warnings: Diagnostics) -> Report {
    Report {
        pages: output.keys().filter(|k| k.ends_with(".html")).count(),
        files: output.len(),
        elapsed: start.elapsed(),
        warnings,
    }
}
