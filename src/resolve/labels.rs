//! Words for kinds and parameters.

use crate::load::schema::{ChannelKind, OfficeKind, ParamValue};

/// A readable label for a parameter name: `service_center_followup_days` →
/// "Service center follow-up wait".
pub fn parameter_label(name: &str) -> String {
    let known = match name {
        "service_center_followup_days" => Some("Wait before you email the service center"),
        "hq_followup_days" => Some("Wait before you email headquarters"),
        "hq_response_days" => Some("Time for headquarters to answer"),
        "field_office_followup_days" => {
            Some("Wait before you call again about a field-office case")
        }
        "contact_center_name" => Some("Name of the contact center"),
        "deaf_line_label" => Some("Name of the line for deaf callers"),
        "adoptions_line_name" => Some("Name of the adoptions line"),
        "service_center_emails_published" => Some("Service-center email addresses published"),
        "receipt_prefixes_published" => Some("Receipt prefixes (EAC, WAC, LIN, SRC) published"),
        "asylum_email_published" => Some("Refugee and asylee email published"),
        "infopass" => Some("InfoPass appointments"),
        "online_account" => Some("Online account with secure messages"),
        "online_messages_response" => Some("Answer time for online messages"),
        "ombudsman_call_review_days" => {
            Some("How far back the Ombudsman can ask for a call review")
        }
        "international_offices_count" => Some("Number of USCIS offices overseas"),
        _ => None,
    };
    match known {
        Some(label) => label.to_string(),
        None => {
            let words = name.trim_end_matches("_days").replace('_', " ");
            let mut chars = words.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        }
    }
}

/// A parameter value for display: days get "days", yes/no are words.
pub fn display_value(name: &str, value: &ParamValue) -> String {
    match value {
        ParamValue::Number(n) if name.ends_with("_days") => {
            format!("{n} day{}", if *n == 1 { "" } else { "s" })
        }
        ParamValue::Number(n) => n.to_string(),
        ParamValue::Bool(true) if name.ends_with("_published") => "published".to_string(),
        ParamValue::Bool(false) if name.ends_with("_published") => "not published".to_string(),
        ParamValue::Bool(true) => "yes".to_string(),
        ParamValue::Bool(false) => "no".to_string(),
        ParamValue::Text(t) => t.clone(),
    }
}

pub(super) fn office_kind_label(kind: OfficeKind) -> &'static str {
    match kind {
        OfficeKind::ContactCenter => "Contact center",
        OfficeKind::ServiceCenter => "Service center",
        OfficeKind::Headquarters => "USCIS headquarters",
        OfficeKind::FieldOffice => "Field offices",
        OfficeKind::InternationalOffice => "Offices outside the U.S.",
        OfficeKind::Ombudsman => "Ombudsman (outside USCIS)",
        OfficeKind::DepartmentOfState => "Department of State",
        OfficeKind::Other => "Other",
    }
}

pub(super) fn channel_kind_label(kind: ChannelKind) -> &'static str {
    match kind {
        ChannelKind::Phone => "Phone",
        ChannelKind::Online => "Online",
        ChannelKind::Email => "Email",
        ChannelKind::Mail => "Mail",
        ChannelKind::Fax => "Fax",
        ChannelKind::InPerson => "In person",
        ChannelKind::ServiceRequest => "Service request",
        ChannelKind::Form => "Form",
    }
}
