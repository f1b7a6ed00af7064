//! The settings of `content/site.yaml` that must have a shape: the base URL the site is
//! published at, and the custom domain written to `CNAME`.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::schema::Spanned;
use crate::load::{at, Content};

/// The values of `content/site.yaml` that are checked, with their places.
#[derive(Clone, serde::Deserialize)]
struct SiteValues {
    /// `base_url:`, where the site is published.
    #[serde(default)]
    base_url: Option<Spanned<String>>,
    /// `cname:`, the custom domain written to `CNAME`.
    #[serde(default)]
    cname: Option<Spanned<String>>,
    /// `language:`, the default language.
    #[serde(default)]
    language: Option<Spanned<String>>,
    /// `languages:`, every language the site is published in.
    #[serde(default)]
    languages: Option<Spanned<Vec<Spanned<String>>>>,
}

/// Checks `base_url` (see [`base_url_problem`]) and `cname` (one host name) of
/// `content/site.yaml`.
pub(super) fn check_site(content: &Content, diagnostics: &mut Diagnostics) {
    let Some(file) = &content.site_file else {
        return;
    };
    // The file decoded as the configuration; its problems, if any, are reported already.
    let Some(values) = crate::load::parse_yaml::<SiteValues>(file, &mut Diagnostics::new()) else {
        return;
    };
    let location =
        |value: &Spanned<String>| at(file, &value.referenced, value.value.chars().count());
    if let Some(url) = &values.base_url {
        if let Some(problem) = base_url_problem(&url.value) {
            diagnostics.push(
                Diagnostic::at(location(url), format!("the base URL {problem}"))
                    .with_label("`base_url` of the site")
                    .with_hint(
                        "write the address the site is published at, such as \
                         `https://example.github.io/guide`",
                    ),
            );
        }
    }
    super::languages::check_languages(
        file,
        values.language.as_ref(),
        values.languages.as_ref(),
        diagnostics,
    );
    if let Some(cname) = &values.cname {
        if !is_host_name(&cname.value) {
            diagnostics.push(
                Diagnostic::at(location(cname), "`cname` must be one host name")
                    .with_label("written to the file CNAME for GitHub Pages")
                    .with_hint(
                        "write the domain only, such as `guide.example.org`: letters, digits, \
                         hyphens and dots, with no `https://`, no path and no spaces or line \
                         breaks",
                    ),
            );
        }
    }
}

/// What is wrong with a base URL (`base_url` in `content/site.yaml`, `--base-url`), as the end
/// of a sentence that starts "the base URL", or `None` when it is good: `http` or `https`, a
/// host name, an optional `:port`, and a path without `//` (the 404 page links to the path,
/// and a browser reads `//evil.example/` as another host), spaces, `?` or `#`.
pub fn base_url_problem(url: &str) -> Option<String> {
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        url.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    let Some(scheme) = scheme else {
        return Some("must start with `http://` or `https://`".to_string());
    };
    let rest = &url[scheme.len()..];
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if authority.is_empty() {
        return Some(format!("must name a host after `{scheme}`"));
    }
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    if !is_host_name(host) || !port_ok {
        return Some(
            "must have a host name of letters, digits, hyphens and dots, and may add a `:port`"
                .to_string(),
        );
    }
    if path.contains("//") {
        return Some(
            "must not hold `//` in its path: a browser reads what follows as another host"
                .to_string(),
        );
    }
    let allowed = |c: char| c.is_alphanumeric() || "/-._~%!$&'()*+,;=:@".contains(c);
    if !path.chars().all(allowed) {
        return Some(
            "may hold only letters, digits and `/-._~%!$&'()*+,;=:@` in its path, with no \
             spaces, `?` or `#`"
                .to_string(),
        );
    }
    None
}

/// True for one host name: dot-separated labels of ASCII letters, digits and hyphens, none
/// empty or longer than 63 characters or starting or ending with a hyphen.
pub fn is_host_name(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_http_addresses_with_a_host_and_a_plain_path() {
        for good in [
            "https://example.github.io/guide",
            "https://example.github.io/guide/",
            "http://localhost:8000",
            "HTTPS://Example.org/a-b_c/~d/%20",
        ] {
            assert_eq!(base_url_problem(good), None, "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "https://",
            "https://a.example//evil.example/",
            "https://a.example@evil.example",
            "https://a.example:port",
            "https://a.example\\evil.example",
            "https://a.example/a b",
            "https://a.example/a\nb",
            "https://a.example/?q",
            "https://a.example/#top",
            "https://-a.example",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn host_names_are_dotted_labels() {
        assert!(is_host_name("guide.example.org"));
        assert!(is_host_name("a-b.example"));
        for bad in [
            "",
            "https://guide.example.org",
            "guide.example.org/",
            "guide.example.org\nevil",
            " guide.example.org",
            "a..b",
            "a.example.",
            "-a.example",
        ] {
            assert!(!is_host_name(bad), "{bad:?}");
        }
        assert!(!is_host_name(&"a".repeat(64)));
    }
}
