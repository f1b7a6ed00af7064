//! Offices, channels, paths, steps, waits and parameters, resolved one record at a time.

use std::collections::HashMap;

use crate::load::schema::*;
use crate::model::{
    Channel, Office, OtherValue, ParameterCell, ParameterView, Path, PrefixView, Schedule,
    ScheduleColumn, ScheduleRow, Step, TierView, WaitView,
};
use crate::urls::entity_url;

use super::Resolver;

impl<'a> Resolver<'a> {
    pub(super) fn office(&self, o: &OfficeRecord) -> Office {
        let id = o.id.value.as_str();
        let (name, other_names) = self.name_in_view(&o.name, &o.other_names, &o.sources);
        Office {
            id: id.to_string(),
            name,
            url: format!("{}{}", self.prefix(), entity_url("office", id)),
            other_names,
            kind: self.kind_label(KindOf::Office, &o.kind.value),
            summary: o.summary.clone(),
            receipt_prefix: o.receipt_prefix.as_ref().map(|p| PrefixView {
                value: p.value.clone(),
            }),
            contacts: self.contacts(&o.contacts),
            hours: self.facts(&o.hours),
            jurisdiction: self.facts(&o.jurisdiction),
            tiers: o
                .tiers
                .iter()
                .filter(|t| self.in_view(&t.sources))
                .map(|t| TierView {
                    name: t.name.value.clone(),
                    staff: t.staff.clone(),
                    can: self.facts(&t.can),
                    cannot: self.facts(&t.cannot),
                    citations: self.citations(&t.sources),
                })
                .collect(),
            facts: self.facts(&o.facts),
            parent: o
                .parent
                .as_ref()
                .and_then(|p| self.link("office", &p.value)),
            children: (self.children.get(id).into_iter().flatten())
                .filter(|c| self.in_view(&cited(**c)))
                .filter_map(|c| self.link("office", &c.id.value))
                .collect(),
            channels: (self.office_channels.get(id).into_iter().flatten())
                .filter(|c| self.in_view(&cited(**c)))
                .filter_map(|c| self.link("channel", &c.id.value))
                .collect(),
            citations: self.citations(&o.sources),
            backlinks: Vec::new(),
            switch: Vec::new(),
        }
        .sorted()
    }

    pub(super) fn channel(&self, c: &ChannelRecord) -> Channel {
        let (name, other_names) = self.name_in_view(&c.name, &c.other_names, &c.sources);
        Channel {
            id: c.id.value.clone(),
            name,
            url: format!("{}{}", self.prefix(), entity_url("channel", &c.id.value)),
            other_names,
            kind: self.kind_label(KindOf::Channel, &c.kind.value),
            summary: c.summary.clone(),
            office: c
                .office
                .as_ref()
                .and_then(|o| self.link("office", &o.value)),
            case_specific: self
                .strings
                .get(match c.case_specific {
                    CaseSpecific::Yes => "channel.case_specific.yes",
                    CaseSpecific::No => "channel.case_specific.no",
                    CaseSpecific::Limited => "channel.case_specific.limited",
                })
                .to_string(),
            who: self.facts(&c.who),
            response_time: self.facts(&c.response_time),
            hours: self.facts(&c.hours),
            limits: self.facts(&c.limits),
            contacts: self.contacts(&c.contacts),
            facts: self.facts(&c.facts),
            citations: self.citations(&c.sources),
            backlinks: Vec::new(),
            switch: Vec::new(),
        }
    }

    pub(super) fn path(&self, p: &PathRecord) -> Path {
        Path {
            id: p.id.value.clone(),
            name: p.name.clone(),
            url: format!("{}{}", self.prefix(), entity_url("path", &p.id.value)),
            for_whom: p.for_whom.clone(),
            summary: p.summary.clone(),
            steps: p
                .steps
                .iter()
                .filter(|s| self.in_view(&cited(*s)))
                .enumerate()
                .map(|(i, s)| self.step(i + 1, s))
                .collect(),
            facts: self.facts(&p.facts),
            citations: self.citations(&p.sources),
            backlinks: Vec::new(),
            switch: Vec::new(),
            schedule: if self.view.is_none() {
                self.schedule(p)
            } else {
                None
            },
        }
    }

    /// The waits of a path in the current view and in each version.
    pub(super) fn schedule(&self, p: &PathRecord) -> Option<Schedule> {
        let mut columns = Vec::new();
        let mut parameters = Vec::new();
        for (i, step) in p.steps.iter().enumerate() {
            let waits = [("wait", &step.wait), ("response", &step.response)];
            for (kind, wait) in waits {
                if let Some(wait) = wait {
                    columns.push(ScheduleColumn {
                        step: i + 1,
                        title: step.title.clone(),
                        id: step.id.value.clone(),
                        kind,
                        after: wait.after.clone(),
                        unit: self.unit(&wait.parameter.value),
                    });
                    parameters.push(wait.parameter.value.as_str());
                }
            }
        }
        if columns.is_empty() {
            return None;
        }
        let days =
            |name: &str, upto: i64| match in_effect(self.versions.iter().copied(), name, upto)?
                .1
                .value()
            {
                Some(ParamValue::Number(n)) => Some(*n),
                _ => None,
            };
        let mut rows = vec![ScheduleRow {
            id: "current".into(),
            name: self.strings.get("versions.newest").to_string(),
            days: parameters.iter().map(|n| days(n, self.upto)).collect(),
        }];
        rows.extend(self.versions.iter().map(|v| ScheduleRow {
            id: v.id.value.clone(),
            name: v.name.clone(),
            days: parameters.iter().map(|n| days(n, v.order.value)).collect(),
        }));
        rows.retain(|r| r.days.iter().any(Option::is_some));
        let mut units: Vec<Unit> = Vec::new();
        for column in &columns {
            if !units.contains(&column.unit) {
                units.push(column.unit);
            }
        }
        Some(Schedule {
            columns,
            units,
            rows,
        })
    }

    pub(super) fn step(&self, number: usize, s: &StepRecord) -> Step {
        let channel = s
            .channel
            .as_ref()
            .and_then(|c| self.channels.get(c.value.as_str()));
        let office = s
            .office
            .as_ref()
            .and_then(|o| self.offices.get(o.value.as_str()));
        let contacts = match (channel, office) {
            (Some(c), _) if !c.contacts.is_empty() => self.contacts(&c.contacts),
            (_, Some(o)) => self.contacts(&o.contacts),
            _ => Vec::new(),
        };
        Step {
            id: s.id.value.clone(),
            number,
            title: s.title.clone(),
            wait: s.wait.as_ref().and_then(|w| self.wait(w)),
            response: s.response.as_ref().and_then(|w| self.wait(w)),
            office: s
                .office
                .as_ref()
                .and_then(|o| self.link("office", &o.value)),
            channel: s
                .channel
                .as_ref()
                .and_then(|c| self.link("channel", &c.value)),
            contacts,
            text: self.facts(&s.text),
            have_ready: self.facts(&s.have_ready),
            record: self.facts(&s.record),
            citations: self.citations(&s.sources),
            related_offices: channel
                .map(|c| self.offices_sharing_contacts(&c.contacts))
                .unwrap_or_default(),
            unstated_waits: s
                .wait
                .iter()
                .chain(&s.response)
                .filter(|w| self.current_value(&w.parameter.value).is_none())
                .map(|w| self.label(&w.parameter.value))
                .collect(),
        }
    }

    /// A wait in this view: the value of the newest version up to the viewed one that
    /// states the parameter, and the other values other versions state.
    pub(super) fn wait(&self, wait: &Wait) -> Option<WaitView> {
        let name = wait.parameter.value.as_str();
        let (version, parameter, value) = self.current_value(name)?;
        let ParamValue::Number(days) = *value else {
            return None;
        };
        let others = self
            .versions
            .iter()
            .filter_map(|v| v.parameters.get(name).map(|p| (*v, p)))
            .filter(|(_, p)| p.value().is_some_and(|v| v != value))
            .map(|(v, p)| OtherValue {
                display: p.value().map(|v| self.display(name, v)).unwrap_or_default(),
                version: self.version_link(v),
                citations: self.citations(&p.sources),
            })
            .collect();
        Some(WaitView {
            parameter: name.to_string(),
            label: self.label(name),
            days,
            unit: self.unit(name),
            after: wait.after.clone(),
            version: self.version_link(version),
            note: parameter.note.clone(),
            citations: self.citations(&parameter.sources),
            others,
        })
    }

    /// Parameter `name` as it stands in `version`: stated, carried over or withdrawn.
    pub(super) fn parameter_cell(&self, name: &str, version: &PolicyRecord) -> ParameterCell {
        let Some((from, parameter)) =
            in_effect(self.versions.iter().copied(), name, version.order.value)
        else {
            return ParameterCell {
                display: None,
                state: "none",
                from: None,
            };
        };
        let state = match (parameter.is_withdrawn(), from.id.value == version.id.value) {
            (true, _) => "withdrawn",
            (false, true) => "stated",
            (false, false) => "carried-over",
        };
        ParameterCell {
            display: parameter.value().map(|v| self.display(name, v)),
            state,
            from: Some(self.version_link(from)),
        }
    }

    pub(super) fn parameter_views(&self) -> Vec<ParameterView> {
        let mut names: Vec<&String> = self
            .versions
            .iter()
            .flat_map(|v| v.parameters.keys())
            .collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter_map(|name| {
                let (version, parameter) = self.current(name)?;
                Some(ParameterView {
                    name: name.clone(),
                    label: self.label(name),
                    current: parameter
                        .value()
                        .map(|v| self.display(name, v))
                        .unwrap_or_default(),
                    current_withdrawn: parameter.is_withdrawn(),
                    current_version: self.version_link(version),
                    by_version: self
                        .versions
                        .iter()
                        .map(|v| self.parameter_cell(name, v))
                        .collect(),
                })
            })
            .collect()
    }
}

/// Every citation of a record that states something of it (see [`Record::cited`]), to
/// tell whether it is in a version's view.
pub(super) fn cited(record: &impl Record) -> Vec<SourceRef> {
    record.cited().cloned().collect()
}

/// Every citation of an office that states something of it.
pub(super) fn office_sources(o: &OfficeRecord) -> Vec<SourceRef> {
    cited(o)
}

/// Every citation of a channel that states something of it.
pub(super) fn channel_sources(c: &ChannelRecord) -> Vec<SourceRef> {
    cited(c)
}

impl Office {
    pub(super) fn sorted(mut self) -> Self {
        self.children.sort_by(|a, b| a.name.cmp(&b.name));
        self.channels.sort_by(|a, b| a.name.cmp(&b.name));
        self
    }
}

/// Folds items that share a slot: the one reaching the newest version stays, at the place
/// of the first of its slot; the others go into its `earlier` list, newest first.
pub(super) fn group_slots<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> (Option<String>, i64),
    earlier: impl Fn(&mut T) -> &mut Vec<T>,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    let mut slot_index: HashMap<String, usize> = HashMap::new();
    for item in items {
        let (slot, newest) = key(&item);
        let Some(slot) = slot else {
            out.push(item);
            continue;
        };
        match slot_index.get(&slot) {
            None => {
                slot_index.insert(slot, out.len());
                out.push(item);
            }
            Some(&index) => {
                let current_newest = key(&out[index]).1;
                if newest > current_newest {
                    let mut old = std::mem::replace(&mut out[index], item);
                    let older = std::mem::take(earlier(&mut old));
                    let list = earlier(&mut out[index]);
                    list.push(old);
                    list.extend(older);
                } else {
                    earlier(&mut out[index]).push(item);
                }
            }
        }
    }
    for item in &mut out {
        earlier(item).sort_by_key(|e| -key(e).1);
    }
    out
}
