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

use std::collections::HashMap;
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
    /// The rendered pages of each other language, by its code.
    pub languages: std::collections::BTreeMap<String, render::RenderCache>,
}

impl Cache {
    /// A cache that keeps each compile's work for the next.
    pub fn kept() -> Self {
        Cache {
            decoded: load::DecodeMemo::kept(),
            render: render::RenderCache::kept(),
            check: check::CheckCache::kept(),
            diffs: Default::default(),
            languages: Default::default(),
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
    let (mut validated, mut tera) = load_and_validate(options, cache, &mut timer)?;
    *warnings = std::mem::take(&mut validated.warnings);
    let languages = site_languages(&validated.content);
    let mut resolved = resolve::resolve(&validated);
    resolved.info.languages = languages.clone();
    let site = views::build(resolved, &cache.diffs);
    let editions: Vec<Edition> = languages[1..]
        .iter()
        .map(|language| edition(&validated, language, &languages, cache, warnings))
        .collect();
    timer.lap("resolve");
    let plan = plan::plan(&site);
    // The publishing files need only the Site model: they are made while the pages render.
    let theme = &validated.content.theme;
    let (output, published) = rayon::join(
        || render::render(&site, &plan, theme, &mut tera, &mut cache.render),
        || publish::files(&site),
    );
    let mut output = output?;
    output.extend(published);
    for edition in &editions {
        let strings = &edition.site.strings;
        let mut tera = render::with_strings(&tera, strings);
        let keep = cache.render.keeps();
        let cache = cache.languages.entry(edition.language.code.clone());
        let cache = cache.or_insert_with(|| match keep {
            true => render::RenderCache::kept(),
            false => render::RenderCache::default(),
        });
        let rendered = render::render(&edition.site, &edition.plan, theme, &mut tera, cache)?;
        let files = rendered
            .into_iter()
            .chain(publish::language_files(&edition.site));
        let prefix = &edition.language.prefix;
        output.extend(
            files
                .filter(|(path, _)| !path.starts_with(urls::STATIC))
                .map(|(path, bytes)| (format!("{prefix}{path}"), bytes)),
        );
    }
    publish::add_sitemap(&site, &mut output);
    timer.lap("render");
    check_links(&validated, &site, &editions, &output, cache)?;
    timer.lap("check");
    Ok(output)
}

/// The load and validate stages, with the templates parsed while the content is checked:
/// template syntax errors are reported together with content errors.
fn load_and_validate(
    options: &Options,
    cache: &mut Cache,
    timer: &mut Timer,
) -> Result<(validate::Validated, tera::Tera), Diagnostics> {
    let (mut content, load_errors) = load::load_with(&options.root, &cache.decoded)?;
    if let Some(base_url) = &options.base_url {
        content.config.base_url = Some(base_url.clone());
    }
    timer.lap("load");
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
    let both = match (validated, tera) {
        (Ok(validated), Ok(tera)) => (validated, tera),
        (Err(mut content_errors), Err(template_errors)) => {
            content_errors.extend(template_errors);
            return Err(content_errors);
        }
        (Err(errors), Ok(_)) | (Ok(_), Err(errors)) => return Err(errors),
    };
    timer.lap("validate");
    Ok(both)
}

/// Checks every internal link and anchor of `output`. A broken link of a Markdown page is
/// shown at its line in the page's file (the translation's, on a page of another language).
fn check_links(
    validated: &validate::Validated,
    site: &model::Site,
    editions: &[Edition],
    output: &render::Output,
    cache: &mut Cache,
) -> Result<(), Diagnostics> {
    let content = &validated.content;
    let originals = files_by_path(content.pages.iter());
    let mut sources: HashMap<String, &load::MarkdownFile> = site
        .pages
        .iter()
        .filter_map(|page| Some((page.url.clone(), *originals.get(page.source_path.as_str())?)))
        .collect();
    for edition in editions {
        let language = &edition.language;
        let translations = files_by_path(load::translations_in(content, &language.code));
        for page in &edition.site.pages {
            let path = page.source_path.as_str();
            if let Some(file) = translations.get(path).or_else(|| originals.get(path)) {
                sources.insert(format!("{}{}", language.prefix, page.url), *file);
            }
        }
    }
    let locate = |page: &str, target: &str| {
        let file = sources.get(page)?;
        markdown::link_location(file, target)
    };
    check::check_links_located(output, &mut cache.check, &locate)
}

/// Markdown files by their path under `content/pages/`.
fn files_by_path<'a>(
    files: impl Iterator<Item = &'a load::MarkdownFile>,
) -> HashMap<&'a str, &'a load::MarkdownFile> {
    files.map(|file| (file.rel_path.as_str(), file)).collect()
}

/// The languages of the site, the default first, each with its name in itself (the text
/// `language.name` of its string table; its code when its table does not name it) and the
/// folder of its pages.
fn site_languages(content: &load::Content) -> Vec<model::Language> {
    let default = content.default_language();
    let default_name = content.strings.get("language.name");
    let mut languages: Vec<String> = content.languages();
    languages.dedup();
    languages
        .into_iter()
        .map(|code| {
            let strings = content.language_strings.get(&code);
            let name = strings.map_or(default_name, |s| s.get("language.name"));
            let named = code == default || name != default_name;
            model::Language {
                name: if named {
                    name.to_string()
                } else {
                    code.clone()
                },
                prefix: urls::language_prefix(&code, default),
                code,
            }
        })
        .collect()
}

/// One other language's edition of the site: what its pages show, and the pages.
struct Edition {
    /// The language.
    language: model::Language,
    /// The Site model in that language.
    site: model::Site,
    /// Its pages, each with what it says about its translation.
    plan: Vec<plan::PlannedPage>,
}

/// The edition of `language`: the translated content resolved, its pages planned, and the
/// warnings about its translated pages in `warnings`.
fn edition(
    validated: &validate::Validated,
    language: &model::Language,
    languages: &[model::Language],
    cache: &Cache,
    warnings: &mut Diagnostics,
) -> Edition {
    let code = language.code.as_str();
    let (mut translated, freshness) = translate::apply(validated, code);
    let pages = put_translated_pages(&mut translated.content, code, warnings);
    let content = &mut translated.content;
    if let Some(strings) = content.language_strings.get(code) {
        content.strings = strings.clone();
    }
    let words = load::site_words(content, code).cloned();
    content.config.language = Some(code.to_string());
    if let Some(words) = &words {
        let config = &mut content.config;
        let put = |into: &mut Option<String>, from: &Option<String>| {
            if from.is_some() {
                into.clone_from(from);
            }
        };
        put(&mut config.title, &words.title);
        put(&mut config.description, &words.description);
        put(&mut config.disclaimer, &words.disclaimer);
    }
    let mut resolved = resolve::resolve(&translated);
    resolved.info.prefix = language.prefix.clone();
    resolved.info.languages = languages.to_vec();
    let site = views::build(resolved, &cache.diffs);
    let mut plan = plan::plan(&site);
    plan::mark_notices(&mut plan, &site, |kind, id| match kind {
        "page" => pages.get(id).copied(),
        "site" => words.is_none().then_some(model::TranslationNotice::Missing),
        _ => freshness.of(kind, id).map(|notice| match notice {
            translate::Notice::Stale => model::TranslationNotice::Stale,
            translate::Notice::Missing => model::TranslationNotice::Missing,
        }),
    });
    Edition {
        language: language.clone(),
        site,
        plan,
    }
}

/// Puts the translations into `language` in place of their originals in `content.pages`,
/// and returns what each page says about its translation, by its file: missing where there
/// is none, stale where it was made from another text of the original (a warning at its
/// `translated_from:`, in `warnings`).
fn put_translated_pages(
    content: &mut load::Content,
    language: &str,
    warnings: &mut Diagnostics,
) -> std::collections::BTreeMap<String, model::TranslationNotice> {
    let mut notices = std::collections::BTreeMap::new();
    let translations: Vec<load::MarkdownFile> =
        load::translations_in(content, language).cloned().collect();
    for page in &mut content.pages {
        let Some(translation) = translations.iter().find(|t| t.rel_path == page.rel_path) else {
            notices.insert(page.rel_path.clone(), model::TranslationNotice::Missing);
            continue;
        };
        let now = translate::fingerprint(page.body());
        if let Some(warning) = stale_page(translation, page, &now) {
            notices.insert(page.rel_path.clone(), model::TranslationNotice::Stale);
            warnings.push(warning);
        }
        *page = translation.clone();
    }
    notices
}

/// The warning for a translation of `original` (whose text's fingerprint is `now`) made
/// from another text, or that does not say which: at its `translated_from:`, or its first
/// line.
fn stale_page(
    translation: &load::MarkdownFile,
    original: &load::MarkdownFile,
    now: &str,
) -> Option<diagnostic::Diagnostic> {
    let from = translation.front.translated_from.as_deref();
    if from == Some(now) {
        return None;
    }
    let file = &translation.file;
    let line = file.text[..translation.body_start]
        .lines()
        .position(|l| l.starts_with("translated_from:"));
    let location = match line {
        Some(i) => diagnostic::Location::new(file, i + 1, 18, 8),
        None => diagnostic::Location::new(file, 1, 1, 3),
    };
    let path = format!("content/pages/{}", original.rel_path);
    let (message, label) = match from {
        Some(_) => (
            format!("this translation may be behind its original, {path}"),
            "made from an older text of the original",
        ),
        None => (
            format!("this translation does not say which text of {path} it was made from"),
            "no `translated_from:` in the front matter",
        ),
    };
    Some(
        diagnostic::Diagnostic::warning_at(location, message)
            .with_label(label)
            .with_note(format!(
                "the original's text now has the fingerprint `{now}`"
            ))
            .with_hint(format!(
                "bring the translation up to date with {path}, then set \
                 `translated_from: {now}` in its front matter"
            )),
    )
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
