//! The version switcher of each office, channel and path page.

use std::collections::HashMap;

use crate::model::{Channel, Office, Path, Resolved, Switch};

/// Each entity's switcher entries, by kind and id, before `here` is set for one page.
type Entries = HashMap<(&'static str, String), Vec<Switch>>;

/// Gives every office, channel and path page a switcher to the same entity in the other
/// views: the current view ("Newest sources") and every version, oldest first. A version
/// whose sources (and older ones) do not state the entity yet links to its own page.
pub fn add(site: &mut Resolved) {
    let entries = entries(site);
    let views = site
        .views
        .iter_mut()
        .map(|v| (&mut v.offices, &mut v.channels, &mut v.paths));
    let all =
        std::iter::once((&mut site.offices, &mut site.channels, &mut site.paths)).chain(views);
    for (offices, channels, paths) in all {
        offices
            .iter_mut()
            .for_each(|o| o.switch = switch(&entries, "office", &o.id, &o.url));
        channels
            .iter_mut()
            .for_each(|c| c.switch = switch(&entries, "channel", &c.id, &c.url));
        paths
            .iter_mut()
            .for_each(|p| p.switch = switch(&entries, "path", &p.id, &p.url));
    }
}

/// The switcher entries of every entity of the current view: one per view, the current
/// one first, leading to the entity's page there or, where it is absent, to the view's.
fn entries(site: &Resolved) -> Entries {
    let newest = site.strings.get("versions.newest").to_string();
    let newest = newest.as_str();
    // The entity's URL in each view: the current one first, then each version's.
    let urls: Vec<HashMap<(&'static str, &str), &str>> =
        std::iter::once(view_urls(&site.offices, &site.channels, &site.paths))
            .chain(
                site.views
                    .iter()
                    .map(|v| view_urls(&v.offices, &v.channels, &v.paths)),
            )
            .collect();
    let labels: Vec<(&str, &str)> = std::iter::once((newest, crate::urls::HOME))
        .chain(
            site.views
                .iter()
                .map(|v| (v.version.name.as_str(), v.url.as_str())),
        )
        .collect();
    let mut entries = Entries::new();
    for &key in urls[0].keys() {
        let list = labels
            .iter()
            .zip(&urls)
            .map(|(&(label, view_url), map)| Switch {
                label: label.to_string(),
                url: map.get(&key).copied().unwrap_or(view_url).to_string(),
                here: false,
                present: map.contains_key(&key),
            })
            .collect();
        entries.insert((key.0, key.1.to_string()), list);
    }
    entries
}

/// The URL of each entity of one view, by kind and id.
fn view_urls<'a>(
    offices: &'a [Office],
    channels: &'a [Channel],
    paths: &'a [Path],
) -> HashMap<(&'static str, &'a str), &'a str> {
    let mut map = HashMap::new();
    map.extend(
        offices
            .iter()
            .map(|o| (("office", o.id.as_str()), o.url.as_str())),
    );
    map.extend(
        channels
            .iter()
            .map(|c| (("channel", c.id.as_str()), c.url.as_str())),
    );
    map.extend(
        paths
            .iter()
            .map(|p| (("path", p.id.as_str()), p.url.as_str())),
    );
    map
}

/// The switcher of the page at `url` of one entity, marking the entry for that page.
fn switch(entries: &Entries, kind: &'static str, id: &str, url: &str) -> Vec<Switch> {
    entries
        .get(&(kind, id.to_string()))
        .map(|list| {
            list.iter()
                .map(|s| Switch {
                    here: s.url == url,
                    ..s.clone()
                })
                .collect()
        })
        .unwrap_or_default()
}
