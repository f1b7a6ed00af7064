//! The `casepath` command line: parses arguments and runs the library's pipeline.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

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
    Build(SiteArgs),
    /// Run the whole build and check every internal link and anchor, writing nothing.
    Check(SiteArgs),
    /// Show what changed between two policy versions (by id, older first).
    Diff(DiffArgs),
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
struct SiteArgs {
    /// The site root: the folder that holds `content/` and `themes/`.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The output folder (relative paths are inside the root).
    #[arg(long, default_value = "site")]
    out: PathBuf,
    /// The address the site is published at, for canonical links.
    #[arg(long)]
    base_url: Option<String>,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let result = match &cli.command {
        Command::Build(args) => casepath::build(&args.options()).map(|r| {
            println!(
                "built {} pages ({} files) in {} ms",
                r.pages,
                r.files,
                r.elapsed.as_millis()
            );
        }),
        Command::Check(args) => casepath::check(&args.options()).map(|r| {
            println!(
                "checked {} pages: no broken links or anchors ({} ms)",
                r.pages,
                r.elapsed.as_millis()
            );
        }),
        Command::Diff(args) => return diff(args, styled),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render(styled));
            ExitCode::from(1)
        }
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
    let Some(diff) = casepath::versions::diff(&site, &args.from, &args.to) else {
        return ExitCode::from(2);
    };
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
            print!("{}", casepath::versions::to_text(&diff, colour));
        }
    }
    ExitCode::SUCCESS
}
