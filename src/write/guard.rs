//! Which folder may be the output: `--out` and `--root` resolved through symbolic links and
//! `..`, and a folder refused when replacing it would delete anything but a previous output
//! (the guide, a repository, a home folder, files casepath did not write).

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::MARKER;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// `path` made absolute with every symbolic link and `..` resolved: the nearest ancestor
/// that exists is resolved by the file system (`canonicalize`), and the rest, which does
/// not exist yet and so holds no links, is applied by name.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let parts: Vec<Component> = absolute.components().collect();
    for keep in (1..=parts.len()).rev() {
        let existing: PathBuf = parts[..keep].iter().collect();
        if let Ok(mut real) = fs::canonicalize(&existing) {
            for part in &parts[keep..] {
                match part {
                    Component::ParentDir => {
                        real.pop();
                    }
                    Component::Normal(name) => real.push(name),
                    _ => {}
                }
            }
            return real;
        }
    }
    absolute
}

/// The output folder as the build will replace it: its parent resolved ([`resolve`]), its
/// own name kept, so that an output path that is a symbolic link names the link (which is
/// what gets replaced), not what it leads to.
pub fn resolve_output(out: &Path) -> PathBuf {
    let absolute = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    match (absolute.components().next_back(), absolute.parent()) {
        (Some(Component::Normal(name)), Some(parent)) => resolve(parent).join(name),
        _ => resolve(&absolute),
    }
}

/// Refuses an output folder whose replacement would delete anything but a previous output,
/// and returns the resolved output path ([`resolve_output`]) to build into. `root` and
/// `out` are resolved first, so `site/../content`, `../<root>`, a root given through a
/// symbolic link and a symbolic link to a folder are judged by where they really lead.
/// The output may not be:
/// - the file system root, or hold the site root;
/// - `content/`, `themes/` or `.git` of the root, or lie inside one;
/// - the home folder (`$HOME`), or hold it;
/// - an existing folder that holds files but no [`MARKER`] (files casepath did not write),
///   except `<root>/site`, the default output, which builds before the marker existed
///   wrote without one.
///
/// An output path that is a symbolic link is replaced as a link (see [`write_atomic`]), so
/// what the link leads to is not judged: nothing is deleted there.
pub fn guard_output(root: &Path, out: &Path) -> Result<PathBuf, Diagnostics> {
    let root = resolve(root);
    let resolved = resolve_output(out);
    let shown = if out == resolved {
        out.display().to_string()
    } else {
        format!("{} (that is, {})", out.display(), resolved.display())
    };
    let refuse = |rule: String, hint: &str| -> Result<PathBuf, Diagnostics> {
        Err(Diagnostic::new(format!("the output folder {shown} {rule}"))
            .with_hint(format!(
                "casepath deletes and replaces the whole output folder on every build; {hint}"
            ))
            .into())
    };
    let choose = "choose a new or empty folder with --out, such as `site` in the site root";
    if resolved.parent().is_none() {
        return refuse("is the root of the file system".into(), choose);
    }
    if root.starts_with(&resolved) {
        return refuse(
            format!(
                "holds the site root; building there would delete the content (the site root \
                 is {})",
                root.display()
            ),
            choose,
        );
    }
    for folder in ["content", "themes", ".git"] {
        if resolved.starts_with(root.join(folder)) {
            return refuse(
                format!("is or lies inside the site's {folder}/, which it would delete"),
                "choose an output folder outside content/, themes/ and .git, such as `site`",
            );
        }
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    if let Some(home) = home.map(|h| resolve(Path::new(&h))) {
        if home.starts_with(&resolved) {
            return refuse(
                format!("is or holds your home folder {}", home.display()),
                choose,
            );
        }
    }
    let is_folder = fs::symlink_metadata(&resolved).is_ok_and(|m| m.is_dir());
    let holds_files =
        is_folder && fs::read_dir(&resolved).is_ok_and(|mut entries| entries.next().is_some());
    if holds_files && !resolved.join(MARKER).is_file() && resolved != root.join("site") {
        return refuse(
            format!("already holds files, and no `{MARKER}` file says casepath wrote them"),
            &format!(
                "building there would delete them. Choose a new or empty folder with --out, or, \
                 if the folder holds only a site that an older casepath built, delete it or \
                 mark it as casepath's with `touch {}`",
                resolved.join(MARKER).display()
            ),
        );
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn resolving_applies_dotdot_after_links_and_keeps_an_output_link_itself() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(base.join("root/content")).unwrap();
        fs::create_dir(base.join("elsewhere")).unwrap();
        symlink(base.join("root"), base.join("link")).unwrap();
        symlink(base.join("elsewhere"), base.join("root/site")).unwrap();
        // `..` after a link is the link target's parent, as the kernel applies it.
        for (given, resolved) in [
            ("link/content/../content", "root/content"),
            ("root/new/../content", "root/content"),
            ("link/missing/x", "root/missing/x"),
        ] {
            assert_eq!(resolve(&base.join(given)), base.join(resolved), "{given}");
        }
        // The output's own name is kept, so a link there is replaced, not followed; and
        // `site/..` goes where the kernel goes: to the parent of what the link leads to.
        assert_eq!(
            resolve_output(&base.join("link/site")),
            base.join("root/site")
        );
        assert_eq!(resolve_output(&base.join("link/site/..")), base);
    }

    #[test]
    fn the_file_system_root_is_never_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let refused = guard_output(dir.path(), Path::new("/")).unwrap_err();
        assert_eq!(
            refused.0[0].message,
            "the output folder / is the root of the file system"
        );
    }
}
