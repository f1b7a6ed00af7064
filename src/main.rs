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
    Build(BuildArgs),
    /// Run the whole build and check every internal link and anchor, writing nothing.
    Check(SiteArgs),
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let result = match &cli.command {
        Command::Build(args) => casepath::build(&args.site.options()).map(|r| {
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

/// `build --pdf`: prints the handouts of the site just built. The site stays written when
/// this fails, so the closing line says so.
fn print_pdfs(options: &casepath::Options, styled: bool) -> ExitCode {
    let start = std::time::Instant::now();
    let printed = casepath::pdf::find_chromium().and_then(|chromium| {
        casepath::pdf::print_handouts(&options.out, &chromium).map(|w| (chromium, w))
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
            for diagnostic in &diagnostics.0 {
                eprint!("{}\n\n", diagnostic.render(styled));
            }
            eprintln!("error: the site was built, but its handouts were not printed to PDF");
            ExitCode::from(1)
        }
    }
}
