//! Notifications: what is due or overdue for one person, and the e-mail digest that lists them.

use chrono::{Days, NaiveDate};
use serde::Serialize;

crate::vocabulary!(
    /// The kind of thing that falls due.
    Area {
        RiskReview => ("risk_review", "Risk review"),
        Action => ("action", "Roadmap action"),
        CorrectiveAction => ("corrective_action", "Corrective action"),
        Nonconformity => ("nonconformity", "Nonconformity"),
        IncidentReport => ("incident_report", "Serious-incident report"),
        ScopeApproval => ("scope_approval", "Scope approval"),
        ImpactSignOff => ("impact_sign_off", "Impact assessment sign-off"),
        MonitoringRun => ("monitoring_run", "Monitoring run"),
    }
);

/// Days ahead that count as "due soon".
pub const HORIZON_DAYS: u64 = 14;

/// The last day that counts as due soon, seen from `today`.
pub fn horizon(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_days(Days::new(HORIZON_DAYS))
        .unwrap_or(today)
}

/// One thing a person should do, and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Notification {
    #[schema(value_type = String)]
    pub area: Area,
    /// The record (`RSK-4`, `ACT-2`, `INC-1`, `SCP-3`, `SYS-7`).
    pub key: String,
    pub title: String,
    /// What is due, in words.
    pub what: String,
    /// The due date (YYYY-MM-DD); for approvals without a deadline, the day it was asked for.
    pub date: String,
    pub overdue: bool,
    /// The page to act on it.
    pub link: String,
}

impl Notification {
    /// A notification whose `date` is a deadline: overdue once the day has passed.
    pub fn due(
        area: Area,
        key: String,
        title: String,
        what: String,
        date: String,
        today: NaiveDate,
    ) -> Notification {
        let overdue = date < today.to_string();
        Notification {
            link: link(area, &key),
            area,
            key,
            title,
            what,
            date,
            overdue,
        }
    }
}

/// The page of a notification's record.
pub fn link(area: Area, key: &str) -> String {
    match area {
        Area::RiskReview => format!("/risks/{key}"),
        Area::Action | Area::CorrectiveAction => format!("/actions/{key}"),
        Area::Nonconformity => format!("/nonconformities/{key}"),
        Area::IncidentReport => format!("/incidents/{key}"),
        Area::ScopeApproval => format!("/scope/{key}"),
        Area::ImpactSignOff => format!("/impacts/{key}"),
        Area::MonitoringRun => format!("/systems/{key}/monitoring"),
    }
}

/// Overdue first, then by date, then by key.
pub fn sort(items: &mut [Notification]) {
    items.sort_by(|a, b| {
        (!a.overdue, &a.date, a.area, &a.key).cmp(&(!b.overdue, &b.date, b.area, &b.key))
    });
}

/// An e-mail digest: its subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub subject: String,
    pub body: String,
}

/// The digest of `items` for a person: a subject that counts them and a body with one line per
/// item (key, what is due, date) and its link, made absolute with `base_url` when one is set.
pub fn digest(name: &str, items: &[Notification], base_url: Option<&str>) -> Digest {
    let overdue = items.iter().filter(|i| i.overdue).count();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let subject = if overdue > 0 {
        format!(
            "aims: {} due, {} overdue",
            plural(items.len(), "item", "items"),
            overdue
        )
    } else {
        format!("aims: {} due", plural(items.len(), "item", "items"))
    };
    let base = base_url.map(|b| b.trim_end_matches('/')).unwrap_or("");
    let mut body = format!("Hello {name},\n\nThese items in aims are due or overdue for you:\n\n");
    for i in items {
        let state = if i.overdue { "OVERDUE" } else { "due" };
        body.push_str(&format!(
            "- {} {}: {} ({state} {})\n  {}\n  {base}{}\n",
            i.key,
            i.area.label(),
            i.what,
            i.date,
            i.title,
            i.link
        ));
    }
    body.push_str("\nEach item is mailed once per due date. See every item on the notifications page of aims.\n");
    Digest { subject, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn item(area: Area, key: &str, date: &str) -> Notification {
        Notification::due(
            area,
            key.into(),
            format!("title of {key}"),
            "do it".into(),
            date.into(),
            day("2026-03-10"),
        )
    }

    #[test]
    fn overdue_is_before_today_and_sorts_first() {
        let mut items = vec![
            item(Area::Action, "ACT-2", "2026-03-12"),
            item(Area::RiskReview, "RSK-1", "2026-03-10"),
            item(Area::Action, "ACT-1", "2026-03-01"),
        ];
        sort(&mut items);
        let keys: Vec<(&str, bool)> = items.iter().map(|i| (i.key.as_str(), i.overdue)).collect();
        assert_eq!(
            keys,
            vec![("ACT-1", true), ("RSK-1", false), ("ACT-2", false)]
        );
        assert_eq!(items[1].link, "/risks/RSK-1");
        assert_eq!(horizon(day("2026-03-10")), day("2026-03-24"));
    }

    #[test]
    fn digest_counts_and_lists_items() {
        let items = vec![
            item(Area::Action, "ACT-1", "2026-03-01"),
            item(Area::IncidentReport, "INC-3", "2026-03-11"),
        ];
        let d = digest("Grace", &items, Some("https://aims.example.org/"));
        assert_eq!(d.subject, "aims: 2 items due, 1 overdue");
        assert!(d
            .body
            .contains("- ACT-1 Roadmap action: do it (OVERDUE 2026-03-01)"));
        assert!(d.body.contains("https://aims.example.org/incidents/INC-3"));
        assert_eq!(digest("G", &items[1..], None).subject, "aims: 1 item due");
    }
}
