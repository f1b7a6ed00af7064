//! The `casepath` command line: parses arguments and runs the library's pipeline.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// mimalloc instead of the system allocator: rendering makes and frees many small values
/// on every thread, and glibc's allocator spent a fifth of a build's instructions on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// casepath builds a sourced, cross-linked guide website from YAML data and Markdown.
#[derive(Parser)]
#[command(name = "casepath", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds).
    Build(BuildArgs),
    /// Run the whole build and check every internal link and anchor, writing nothing.
    Check(CheckArgs),
    /// Show what changed between two policy versions (by id, older first): what the newer
    /// source states differently and what it withdraws; what it does not restate carries
    /// over and is no change.
    Diff(DiffArgs),
    /// Start a new policy version: copy its source text in and add skeleton records to
    /// sources.yaml and policies.yaml (appended; the files are otherwise left as they are).
    NewVersion(NewVersionArgs),
    /// Print the JSON Schema of the data files, or write one file per data file.
    Schema(SchemaArgs),
    /// Start a new guide in a folder: one office, channel, path, source and page.
    Init(InitArgs),
    /// Preview the site: build it in memory, serve it, and reload open pages on every change.
    Serve(ServeArgs),
    /// Record which English each translated data text was made from (`from:`), and list
    /// the translations that are behind the English and the texts not translated.
    Translate(TranslateArgs),
}

#[derive(Args)]
struct TranslateArgs {
    /// The language: the folder of `content/data/` that holds its translations (`es`).
    language: String,
    /// The site root: the folder that holds `content/`.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Change nothing; fail (exit code 1) when a text lacks `from:` or is behind the English.
    #[arg(long)]
    check: bool,
}

#[derive(Args)]
struct InitArgs {
    /// The folder to create the guide in.
    dir: PathBuf,
    /// Write the files even if the folder is not empty.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct NewVersionArgs {
    /// The new version's id (kebab-case); its source record gets the same id.
    id: String,
    /// The new source text, as received (copied into content/sources/).
    #[arg(long)]
    source: PathBuf,
    /// The site root: the folder that holds `content/`.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Args)]
struct SchemaArgs {
    /// Only this file's schema (`offices`, `offices.yaml`, `site`, …).
    file: Option<String>,
    /// Write `<file>.json` for each data file into this folder instead of printing.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct DiffArgs {
    /// The older version's id.
    from: String,
    /// The newer version's id.
    to: String,
    /// The site root: the folder that holds `content/`.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Readable text (coloured on a terminal).
    Text,
    /// JSON, for tools.
    Json,
}

#[derive(Args)]
struct ServeArgs {
    /// The site root: the folder that holds `content/` and `themes/`.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The port to listen on [default: 1111, or the next free one]; 0 picks any free port.
    #[arg(long)]
    port: Option<u16>,
    /// The address to listen on; other machines can see the preview unless it is loopback.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the preview in the default browser.
    #[arg(long)]
    open: bool,
    /// Poll the files for changes (for WSL, Docker and network drives, where change events
    /// do not arrive).
    #[arg(long)]
    poll: bool,
    /// The address the site is published at; its path is served too (`/guide/`).
    #[arg(long, value_parser = base_url)]
    base_url: Option<String>,
}

#[derive(Args)]
struct SiteArgs {
    /// The site root: the folder that holds `content/` and `themes/`.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The output folder (relative paths are inside the root).
    #[arg(long, default_value = "site")]
    out: PathBuf,
    /// The address the site is published at, for canonical links.
    #[arg(long, value_parser = base_url)]
    base_url: Option<String>,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Fail (exit code 1) when there are warnings, such as a source that nothing cites.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Also print each handout to handouts/<path>/handout.pdf with an installed Chromium
    /// (CHROMIUM_PATH, else `chromium` or `google-chrome` on PATH).
    #[arg(long)]
    pdf: bool,
}

impl SiteArgs {
    fn options(&self) -> casepath::Options {
        let out = if self.out.is_absolute() {
            self.out.clone()
        } else {
            self.root.join(&self.out)
        };
        casepath::Options {
            root: self.root.clone(),
            out,
            base_url: self.base_url.clone(),
        }
    }
}

/// Reads `--base-url`: refused as a usage error when `base_url` in `content/site.yaml` would
/// be refused as a content error.
fn base_url(value: &str) -> Result<String, String> {
    match casepath::validate::base_url_problem(value) {
        Some(problem) => Err(format!("the base URL {problem}")),
        None => Ok(value.to_string()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let result = match &cli.command {
        Command::Build(args) => casepath::build(&args.site.options()).map(|r| {
            eprint!("{}", r.warnings.render_each(styled));
            println!(
                "built {} pages ({} files) in {} ms{}",
                r.pages,
                r.files,
                r.elapsed.as_millis(),
                with_warnings(&r.warnings)
            );
        }),
        Command::Serve(args) => casepath::cmd::serve::serve(casepath::cmd::serve::ServeOptions {
            site: casepath::Options {
                root: args.root.clone(),
                out: args.root.join("site"),
                base_url: args.base_url.clone(),
            },
            bind: args.bind,
            port: args.port,
            open: args.open,
            poll: args.poll,
            styled,
        }),
        Command::Check(args) => match casepath::check(&args.site.options()) {
            Ok(r) if args.deny_warnings && !r.warnings.is_empty() => {
                eprint!("{}", r.warnings.render_each(styled));
                let n = r.warnings.len();
                eprintln!(
                    "error: the check found {n} warning{}, and `--deny-warnings` makes warnings \
                     fail it",
                    if n == 1 { "" } else { "s" }
                );
                return ExitCode::from(1);
            }
            result => result.map(|r| {
                eprint!("{}", r.warnings.render_each(styled));
                println!(
                    "checked {} pages: no broken links or anchors ({} ms){}",
                    r.pages,
                    r.elapsed.as_millis(),
                    with_warnings(&r.warnings)
                );
            }),
        },
        Command::Diff(args) => return diff(args, styled),
        Command::Schema(args) => {
            return casepath::cmd::schema::schema(args.file.as_deref(), args.out.as_deref())
        }
        Command::NewVersion(args) => return new_version(args, styled),
        Command::Translate(args) => return translate(args, styled),
        Command::Init(args) => casepath::cmd::init::init(&args.dir, args.force).map(|files| {
            println!(
                "created a new guide in {} ({} files); build it with: casepath build --root {}",
                args.dir.display(),
                files.len(),
                args.dir.display()
            );
        }),
    };
    match result {
        Ok(()) => match &cli.command {
            Command::Build(args) if args.pdf => print_pdfs(&args.site.options(), styled),
            _ => ExitCode::SUCCESS,
        },
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(styled));
            ExitCode::from(1)
        }
    }
}

/// The end of the closing line of a run that had warnings: `, with 2 warnings (above)`.
fn with_warnings(warnings: &casepath::diagnostic::Diagnostics) -> String {
    match warnings.len() {
        0 => String::new(),
        1 => ", with 1 warning (above)".to_string(),
        n => format!(", with {n} warnings (above)"),
    }
}

/// `casepath diff A B`: the structured diff of two policy versions.
fn diff(args: &DiffArgs, styled: bool) -> ExitCode {
    let site = match casepath::resolve(&args.root) {
        Ok(site) => site,
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(styled));
            return ExitCode::from(1);
        }
    };
    let known: Vec<&str> = site.versions.iter().map(|v| v.id.as_str()).collect();
    for id in [&args.from, &args.to] {
        if !known.contains(&id.as_str()) {
            eprintln!(
                "error: unknown policy version `{id}`\nhelp: the versions, oldest first, are: {}",
                known.join(", ")
            );
            return ExitCode::from(2);
        }
    }
    let Some(diff) = casepath::views::diff::diff(&site, &args.from, &args.to, &Default::default())
    else {
        return ExitCode::from(2);
    };
    if diff.reversed {
        eprintln!(
            "warning: `{}` is newer than `{}`, so this diff runs back in time\nhelp: to see what `{}` changed, write: casepath diff {} {}",
            args.from, args.to, args.from, args.to, args.from
        );
    }
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&diff) {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(1);
            }
        },
        Format::Text => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            print!("{}", casepath::cmd::diff::to_text(&diff, colour));
        }
    }
    ExitCode::SUCCESS
}

/// `casepath new-version`: adds a version's skeleton and says what to fill in.
fn new_version(args: &NewVersionArgs, styled: bool) -> ExitCode {
    use casepath::cmd::new_version::Refused;
    let added = match casepath::cmd::new_version::new_version(&args.root, &args.id, &args.source) {
        Ok(added) => added,
        Err(Refused::Usage(message)) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
        Err(Refused::Content(diagnostics)) => {
            eprint!("{}", diagnostics.render(styled));
            return ExitCode::from(1);
        }
    };
    let id = &args.id;
    let after = match &added.after {
        Some(after) => format!(", after `{after}`"),
        None => String::new(),
    };
    println!(
        "added policy version `{id}` (order {}{after}):",
        added.order
    );
    println!("  {:<36} the source text", added.text);
    println!(
        "  {:<36} its source record",
        format!("content/data/sources.yaml:{}", added.source_line)
    );
    println!(
        "  {:<36} the version",
        format!("content/data/policies.yaml:{}", added.version_line)
    );
    println!("Now:");
    println!("  1. Replace each FILL IN in the two records; `casepath check` lists those left.");
    println!("  2. Under `parameters:` of `{id}`, write each rule its text changes, quoting it:");
    println!("     `value:` for a new value, or `withdrawn: true` for a rule it takes back.");
    if !added.parameters.is_empty() {
        println!("     The rules so far: {}.", added.parameters.join(", "));
    }
    println!("  3. For a fact or contact the text adds or rewords, cite `source: {id}` in");
    println!(
        "     offices.yaml, channels.yaml or paths.yaml; to take one back, give it `withdrawn:`."
    );
    match &added.after {
        Some(after) => println!(
            "Everything else carries over from `{after}`. See what changed: casepath diff {after} {id}"
        ),
        None => println!("See the result: casepath serve"),
    }
    ExitCode::SUCCESS
}

/// `casepath translate LANG`: records `from:` and lists stale and missing translations.
fn translate(args: &TranslateArgs, styled: bool) -> ExitCode {
    let write = !args.check;
    let summary = match casepath::cmd::translate::translate(&args.root, &args.language, write) {
        Ok(summary) => summary,
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(styled));
            return ExitCode::from(1);
        }
    };
    let lines = |title: &str, lines: &[String]| {
        if !lines.is_empty() {
            println!("{title}:");
            lines.iter().for_each(|line| println!("  {line}"));
        }
    };
    lines("behind the English (stale)", &summary.stale);
    lines("not translated (missing)", &summary.missing);
    lines("write `from:` by hand", &summary.by_hand);
    let files = summary.changed.join(", ");
    match (summary.recorded, write) {
        (0, _) => println!("every translated text records its English"),
        (n, true) => println!("recorded the English of {n} texts in {files}"),
        (n, false) => {
            println!("{n} texts do not record their English yet (in {files}); run without --check")
        }
    }
    println!(
        "{} stale, {} records with texts not translated",
        summary.stale.len(),
        summary.missing.len()
    );
    let fails = args.check && (summary.recorded > 0 || !summary.stale.is_empty());
    if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `build --pdf`: prints the handouts of the site just built. The site stays written when
/// this fails, so the closing line says so.
fn print_pdfs(options: &casepath::Options, styled: bool) -> ExitCode {
    let start = std::time::Instant::now();
    let printed = casepath::cmd::pdf::find_chromium().and_then(|chromium| {
        casepath::cmd::pdf::print_handouts(&options.out, &chromium).map(|w| (chromium, w))
    });
    match printed {
        Ok((chromium, written)) => {
            println!(
                "printed {} handout PDFs with {} in {} ms",
                written.len(),
                chromium.display(),
                start.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render_each(styled));
            eprintln!("error: the site was built, but its handouts were not printed to PDF");
            ExitCode::from(1)
        }
    }
}
