//! The [`Resolver`]: lookups over the validated content for one view of the policy
//! versions (the current view, or one version), shared by every kind of record.

use std::collections::{BTreeMap, HashMap};

use crate::load::schema::*;
use crate::load::Content;
use crate::model::{
    Citation, ContactView, FactView, Link, NameView, PageLink, Version, VersionParameter,
    VersionView, Withdrawn,
};
use crate::strings::Strings;
use crate::urls::{contact_href, entity_url, version_prefix, version_url, FLOWCHART};

use super::labels::{display_value, parameter_label};
use super::records::{channel_sources, group_slots, office_sources};

/// Looks things up while resolving.
pub(super) struct Resolver<'a> {
    /// Versions, oldest first.
    pub(super) versions: Vec<&'a PolicyRecord>,
    /// Source id → source record.
    pub(super) sources: HashMap<&'a str, &'a SourceRecord>,
    /// Source id → order of the newest version resting on it.
    pub(super) source_order: HashMap<&'a str, i64>,
    /// Office id → record.
    pub(super) offices: HashMap<&'a str, &'a OfficeRecord>,
    /// Office id → the offices whose parent it is, so that an office's page finds them
    /// without looking through every office.
    pub(super) children: HashMap<&'a str, Vec<&'a OfficeRecord>>,
    /// Office id → the channels it runs.
    pub(super) office_channels: HashMap<&'a str, Vec<&'a ChannelRecord>>,
    /// Channel id → record.
    pub(super) channels: HashMap<&'a str, &'a ChannelRecord>,
    /// Path id → record.
    pub(super) paths: HashMap<&'a str, &'a PathRecord>,
    /// Source id → the text it covers.
    pub(super) slices: &'a BTreeMap<String, crate::validate::SourceSlice>,
    /// Entity links found in Markdown pages: (page link, target kind, target id).
    pub(super) page_links: std::sync::Mutex<Vec<PageLink>>,
    /// The policy version this resolver shows, or `None` for the current view (the
    /// newest version stating each value).
    pub(super) view: Option<&'a PolicyRecord>,
    /// The order of the viewed version: it shows what versions up to this one state
    /// (`i64::MAX` in the current view).
    pub(super) upto: i64,
    /// The string table, for the words the resolver puts around the data.
    pub(super) strings: &'a Strings,
    /// Policy parameter name → its declaration in `parameters.yaml`.
    pub(super) declared: HashMap<&'a str, &'a ParameterRecord>,
    /// (office or channel, kind id) → the kind's label, from `kinds.yaml`.
    pub(super) kind_labels: HashMap<(KindOf, &'a str), &'a str>,
}

impl<'a> Resolver<'a> {
    pub(super) fn new(
        content: &'a Content,
        slices: &'a BTreeMap<String, crate::validate::SourceSlice>,
    ) -> Self {
        let mut versions: Vec<&PolicyRecord> = content.policies.records.iter().collect();
        versions.sort_by_key(|p| p.order.value);
        let mut source_order = HashMap::new();
        for version in &versions {
            for citation in &version.sources {
                source_order.insert(citation.source.value.as_str(), version.order.value);
            }
        }
        let mut children: HashMap<&str, Vec<&OfficeRecord>> = HashMap::new();
        for office in &content.offices.records {
            if let Some(parent) = &office.parent {
                children
                    .entry(parent.value.as_str())
                    .or_default()
                    .push(office);
            }
        }
        let mut office_channels: HashMap<&str, Vec<&ChannelRecord>> = HashMap::new();
        for channel in &content.channels.records {
            if let Some(office) = &channel.office {
                office_channels
                    .entry(office.value.as_str())
                    .or_default()
                    .push(channel);
            }
        }
        Resolver {
            versions,
            children,
            office_channels,
            sources: content
                .sources
                .records
                .iter()
                .map(|r| (r.id.value.as_str(), r))
                .collect(),
            source_order,
            offices: content
                .offices
                .records
                .iter()
                .map(|r| (r.id.value.as_str(), r))
                .collect(),
            channels: content
                .channels
                .records
                .iter()
                .map(|r| (r.id.value.as_str(), r))
                .collect(),
            paths: content
                .paths
                .records
                .iter()
                .map(|r| (r.id.value.as_str(), r))
                .collect(),
            slices,
            page_links: Default::default(),
            view: None,
            upto: i64::MAX,
            strings: &content.strings,
            declared: content
                .parameters
                .records
                .iter()
                .map(|p| (p.id.value.as_str(), p))
                .collect(),
            kind_labels: content
                .kinds
                .records
                .iter()
                .map(|k| ((k.of, k.id.value.as_str()), k.label.as_str()))
                .collect(),
        }
    }

    /// The same resolver, showing what policy version `version` states and inherits.
    pub(super) fn for_version(&self, version: &'a PolicyRecord) -> Self {
        Resolver {
            versions: self.versions.clone(),
            sources: self.sources.clone(),
            source_order: self.source_order.clone(),
            offices: self.offices.clone(),
            children: self.children.clone(),
            office_channels: self.office_channels.clone(),
            channels: self.channels.clone(),
            paths: self.paths.clone(),
            slices: self.slices,
            page_links: Default::default(),
            view: Some(version),
            upto: version.order.value,
            strings: self.strings,
            declared: self.declared.clone(),
            kind_labels: self.kind_labels.clone(),
        }
    }

    /// The offices, channels and paths this resolver's version states or inherits.
    pub(super) fn version_view(
        &self,
        content: &Content,
        version: &PolicyRecord,
        entities: &super::flowchart::Entities<'_>,
    ) -> VersionView {
        let prefix = self.prefix();
        VersionView {
            flowchart: super::flowchart::resolve(
                &content.flowchart.records,
                entities,
                self,
                &format!("{prefix}{FLOWCHART}"),
            ),
            version: self.version_link(version),
            url: version_url(&version.id.value),
            offices: content
                .offices
                .records
                .iter()
                .filter(|o| self.in_view(&office_sources(o)))
                .map(|o| self.office(o))
                .collect(),
            channels: content
                .channels
                .records
                .iter()
                .filter(|c| self.in_view(&channel_sources(c)))
                .map(|c| self.channel(c))
                .collect(),
            paths: content
                .paths
                .records
                .iter()
                .map(|p| self.path(p))
                .filter(|p| !p.steps.is_empty())
                .collect(),
        }
    }

    /// True when one of these citations is visible in this view (always, in the current
    /// view).
    pub(super) fn in_view(&self, refs: &[SourceRef]) -> bool {
        self.view.is_none() || refs.iter().any(|r| self.visible(r))
    }

    /// True when the citation's source belongs to the viewed version or an older one; in
    /// the current view, every source is visible, also those of no version.
    pub(super) fn visible(&self, r: &SourceRef) -> bool {
        match self.source_order.get(r.source.value.as_str()) {
            Some(&order) => order <= self.upto,
            None => self.view.is_none(),
        }
    }

    /// The folder prefix of entity pages in this view (`versions/<id>/` or nothing).
    pub(super) fn prefix(&self) -> String {
        self.view
            .map_or_else(String::new, |v| version_prefix(&v.id.value))
    }

    pub(super) fn version_link(&self, version: &PolicyRecord) -> Link {
        Link {
            kind: "version",
            id: version.id.value.clone(),
            name: version.name.clone(),
            url: version_url(&version.id.value),
        }
    }

    pub(super) fn link(&self, kind: &'static str, id: &str) -> Option<Link> {
        let name = match kind {
            "office" => self.offices.get(id).map(|r| r.name.clone()),
            "channel" => self.channels.get(id).map(|r| r.name.clone()),
            "path" => self.paths.get(id).map(|r| r.name.clone()),
            "source" => self.sources.get(id).map(|r| r.title.clone()),
            "version" => {
                return self
                    .versions
                    .iter()
                    .find(|v| v.id.value == id)
                    .map(|v| self.version_link(v))
            }
            _ => None,
        }?;
        let url = match kind {
            "office" | "channel" | "path" => format!("{}{}", self.prefix(), entity_url(kind, id)),
            _ => entity_url(kind, id),
        };
        Some(Link {
            kind,
            id: id.to_string(),
            name,
            url,
        })
    }

    /// Resolves citations, one per source (the first quote of each source wins). A
    /// version's pages cite only the sources of that version and older ones.
    pub(super) fn citations(&self, refs: &[SourceRef]) -> Vec<Citation> {
        let mut seen: Vec<&str> = Vec::new();
        refs.iter()
            .filter(|r| self.visible(r))
            .filter(|r| {
                let new = !seen.contains(&r.source.value.as_str());
                seen.push(&r.source.value);
                new
            })
            .filter_map(|r| {
                let record = self.sources.get(r.source.value.as_str())?;
                let url = entity_url("source", &r.source.value);
                let line = r
                    .quote
                    .as_ref()
                    .and_then(|q| self.slices.get(r.source.value.as_str())?.line_of(&q.value));
                Some(Citation {
                    source: Link {
                        kind: "source",
                        id: r.source.value.clone(),
                        name: record
                            .short_title
                            .clone()
                            .unwrap_or_else(|| record.title.clone()),
                        url: url.clone(),
                    },
                    href: match line {
                        Some(line) => format!("{url}#L{line}"),
                        None => url,
                    },
                    line,
                    quote: r.quote.as_ref().map(|q| q.value.clone()),
                    section: r.section.clone(),
                    unverified: record.trust == Trust::Unverified,
                    version: self
                        .versions
                        .iter()
                        .rev()
                        .find(|v| v.sources.iter().any(|c| c.source.value == r.source.value))
                        .map(|v| self.version_link(v)),
                })
            })
            .collect()
    }

    /// The order of the newest version, up to the viewed one, any of these sources belongs
    /// to (0 if none).
    pub(super) fn newest(&self, refs: &[SourceRef]) -> i64 {
        refs.iter()
            .filter_map(|r| self.source_order.get(r.source.value.as_str()).copied())
            .filter(|&order| order <= self.upto)
            .max()
            .unwrap_or(0)
    }

    /// The withdrawal of an item, when the viewed version or an older one makes it.
    pub(super) fn withdrawal(&self, withdrawal: Option<&Withdrawal>) -> Option<Withdrawn> {
        let withdrawal = withdrawal?;
        let by =
            self.versions
                .iter()
                .rev()
                .filter(|v| v.order.value <= self.upto)
                .find(|v| {
                    withdrawal.sources.iter().any(|r| {
                        self.source_order.get(r.source.value.as_str()) == Some(&v.order.value)
                    })
                })?;
        Some(Withdrawn {
            version: self.version_link(by),
            note: withdrawal.note.clone(),
            citations: self.citations(&withdrawal.sources),
        })
    }

    pub(super) fn facts(&self, facts: &[Fact]) -> Vec<FactView> {
        let views = facts
            .iter()
            .filter(|f| self.in_view(&f.sources))
            .map(|f| {
                let citations = self.citations(&f.sources);
                FactView {
                    text: f.text.value.clone(),
                    unverified: !citations.is_empty() && citations.iter().all(|c| c.unverified),
                    citations,
                    earlier: Vec::new(),
                    withdrawn: self.withdrawal(f.withdrawn.as_ref()),
                    handout: f.handout,
                    slot: f.slot.clone(),
                    newest: self.newest(&f.sources),
                }
            })
            .collect();
        group_slots(views, |f| (f.slot.clone(), f.newest), |f| &mut f.earlier)
    }

    pub(super) fn contacts(&self, contacts: &[Contact]) -> Vec<ContactView> {
        let views = contacts
            .iter()
            .filter(|c| self.in_view(&c.sources))
            .map(|c| {
                let citations = self.citations(&c.sources);
                ContactView {
                    kind: c.kind,
                    label: c.label.clone(),
                    value: c.value.value.clone(),
                    href: contact_href(c.kind, &c.value.value),
                    note: c.note.clone(),
                    unverified: !citations.is_empty() && citations.iter().all(|c| c.unverified),
                    citations,
                    earlier: Vec::new(),
                    withdrawn: self.withdrawal(c.withdrawn.as_ref()).or_else(|| {
                        c.published_per
                            .as_ref()
                            .and_then(|p| self.withdrawn(&p.value))
                    }),
                    handout: c.handout,
                    slot: c.slot.clone(),
                    newest: self.newest(&c.sources),
                }
            })
            .collect();
        group_slots(views, |c| (c.slot.clone(), c.newest), |c| &mut c.earlier)
    }

    /// The offices in this view that list one of these contact values themselves.
    pub(super) fn offices_sharing_contacts(&self, contacts: &[Contact]) -> Vec<Link> {
        let values: Vec<&str> = contacts.iter().map(|c| c.value.value.as_str()).collect();
        let mut offices: Vec<&&OfficeRecord> = self
            .offices
            .values()
            .filter(|o| {
                o.contacts
                    .iter()
                    .any(|c| values.contains(&c.value.value.as_str()))
            })
            .filter(|o| self.in_view(&office_sources(o)))
            .collect();
        offices.sort_by_key(|o| o.id.value.as_str());
        offices
            .into_iter()
            .filter_map(|o| self.link("office", &o.id.value))
            .collect()
    }

    /// `Some` when the yes/no parameter `name`, as it stands in this view, says no.
    pub(super) fn withdrawn(&self, name: &str) -> Option<Withdrawn> {
        let (version, parameter) = self.current(name)?;
        (parameter.value() == Some(&ParamValue::Bool(false))).then(|| Withdrawn {
            version: self.version_link(version),
            note: parameter.note.clone(),
            citations: self.citations(&parameter.sources),
        })
    }

    /// The version whose entry for parameter `name` this view shows, and the entry: the
    /// newest version up to the viewed one that states or withdraws it.
    pub(super) fn current(&self, name: &str) -> Option<(&'a PolicyRecord, &'a Parameter)> {
        in_effect(self.versions.iter().copied(), name, self.upto)
    }

    /// The value of parameter `name` in this view, with the version that states it; `None`
    /// when no version up to the viewed one states it, or one withdraws it.
    pub(super) fn current_value(
        &self,
        name: &str,
    ) -> Option<(&'a PolicyRecord, &'a Parameter, &'a ParamValue)> {
        let (version, parameter) = self.current(name)?;
        Some((version, parameter, parameter.value()?))
    }

    /// A policy version with the parameters it states and those it carries over.
    pub(super) fn version(&self, version: &'a PolicyRecord) -> Version {
        let mut names: Vec<&String> = self
            .versions
            .iter()
            .filter(|v| v.order.value < version.order.value)
            .flat_map(|v| v.parameters.keys())
            .filter(|name| !version.parameters.contains_key(*name))
            .collect();
        names.sort();
        names.dedup();
        let older = version.order.value - 1;
        Version {
            id: version.id.value.clone(),
            name: version.name.clone(),
            order: version.order.value,
            order_reason: version.order_reason.clone(),
            date: version.date.clone(),
            era: version.era.clone(),
            summary: version.summary.clone(),
            url: version_url(&version.id.value),
            parameters: version
                .parameters
                .iter()
                .map(|(name, parameter)| self.version_parameter(name, version, parameter))
                .collect(),
            carried_over: names
                .into_iter()
                .filter_map(|name| {
                    let (from, parameter) = in_effect(self.versions.iter().copied(), name, older)?;
                    Some(self.version_parameter(name, from, parameter))
                })
                .collect(),
            citations: self.citations(&version.sources),
        }
    }

    /// A parameter as `version` states (or withdraws) it.
    pub(super) fn version_parameter(
        &self,
        name: &str,
        version: &PolicyRecord,
        parameter: &Parameter,
    ) -> VersionParameter {
        VersionParameter {
            name: name.to_string(),
            label: self.label(name),
            display: parameter
                .value()
                .map(|v| self.display(name, v))
                .unwrap_or_default(),
            withdrawn: parameter.is_withdrawn(),
            note: parameter.note.clone(),
            citations: self.citations(&parameter.sources),
            from: self.version_link(version),
        }
    }

    /// The label of policy parameter `name`, as `parameters.yaml` declares it.
    pub(super) fn label(&self, name: &str) -> String {
        match self.declared.get(name) {
            Some(p) => p.label.clone(),
            None => parameter_label(name),
        }
    }

    /// How policy parameter `name` counts (calendar days when it is not declared).
    pub(super) fn unit(&self, name: &str) -> Unit {
        self.declared
            .get(name)
            .map_or(Unit::CalendarDays, |p| p.unit.value)
    }

    /// A value of policy parameter `name` for display, in its unit.
    pub(super) fn display(&self, name: &str, value: &ParamValue) -> String {
        display_value(self.declared.get(name).copied(), value, self.strings)
    }

    /// The label of a kind of office or channel, as `kinds.yaml` declares it.
    pub(super) fn kind_label(&self, of: KindOf, id: &str) -> String {
        self.kind_labels
            .get(&(of, id))
            .map_or_else(|| id.to_string(), |label| label.to_string())
    }

    pub(super) fn names(&self, names: &[OtherName]) -> Vec<NameView> {
        names
            .iter()
            .filter(|n| self.in_view(&n.sources))
            .map(|n| NameView {
                name: n.name.value.clone(),
                citations: self.citations(&n.sources),
            })
            .collect()
    }

    /// The name an office or channel has in this view: in a version whose newest source
    /// naming it uses one of its other names (no newer source of the record itself), that
    /// name, with the current name listed among the others.
    pub(super) fn name_in_view(
        &self,
        name: &str,
        others: &[OtherName],
        record: &[SourceRef],
    ) -> (String, Vec<NameView>) {
        let mut names = self.names(others);
        let newest_other = others
            .iter()
            .filter(|n| self.in_view(&n.sources))
            .enumerate()
            .map(|(i, n)| (self.newest(&n.sources), i))
            .max_by_key(|&(newest, i)| (newest, std::cmp::Reverse(i)));
        let Some((newest, index)) = newest_other else {
            return (name.to_string(), names);
        };
        if self.view.is_none() || newest < self.newest(record) {
            return (name.to_string(), names);
        }
        let used = names.remove(index);
        names.push(NameView {
            name: name.to_string(),
            citations: Vec::new(),
        });
        (used.name, names)
    }
}
