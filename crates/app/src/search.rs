//! One search box over every area: a record whose key is the text typed (`rsk-12` finds
//! `RSK-12`) comes first, then records whose title holds it, then records whose other text
//! holds it; at most `limit` per area, and only areas the actor may read (users for admins).

use aims_catalog::Catalog;
use aims_core::keys::{normalise, Kind};
use aims_core::Action;
use aims_store::search::{self as store, Found, Rank, Table};
use serde::Serialize;

use crate::{Actor, App, AppError, Result};

/// The most results asked for per area.
pub const MAX_LIMIT: i64 = 100;
/// Results per area when no limit is given.
pub const DEFAULT_LIMIT: i64 = 10;

/// One area searched in the database: its name, its label, its table and where its records live.
struct Area {
    name: &'static str,
    label: &'static str,
    table: Table,
    /// The page of a record: the prefix its key is appended to.
    href: &'static str,
    /// How the title is read when the table keeps it inside JSON content.
    title: TitleFrom,
}

enum TitleFrom {
    Column,
    /// This field of the JSON in the first text column.
    Json(&'static str),
    /// An impact assessment: its system and version from the JSON content.
    Impact,
}

const fn table(
    table: &'static str,
    title: Option<&'static str>,
    text: &'static [&'static str],
    only: Option<&'static str>,
) -> Table {
    Table {
        table,
        key: "key",
        title,
        text,
        only,
        order: "n",
    }
}

const AREAS: &[Area] = &[
    Area {
        name: "systems",
        label: "AI systems",
        table: table(
            "ai_systems",
            Some("name"),
            &["purpose", "intended_use"],
            None,
        ),
        href: "/systems/",
        title: TitleFrom::Column,
    },
    Area {
        name: "risks",
        label: "Risks",
        table: table(
            "risks",
            Some("title"),
            &["cause", "event", "consequence"],
            None,
        ),
        href: "/risks/",
        title: TitleFrom::Column,
    },
    Area {
        name: "controls",
        label: "Controls",
        table: table("controls", Some("name"), &["description"], None),
        href: "/controls/",
        title: TitleFrom::Column,
    },
    Area {
        name: "incidents",
        label: "Incidents",
        table: table("incidents", None, &["content"], None),
        href: "/incidents/",
        title: TitleFrom::Json("title"),
    },
    Area {
        name: "nonconformities",
        label: "Nonconformities",
        table: table("nonconformities", None, &["content"], None),
        href: "/nonconformities/",
        title: TitleFrom::Json("description"),
    },
    Area {
        name: "actions",
        label: "Actions",
        table: table("actions", Some("title"), &["description"], None),
        href: "/actions/",
        title: TitleFrom::Column,
    },
    Area {
        name: "impacts",
        label: "Impact assessments",
        table: table("impact_assessments", None, &["content"], None),
        href: "/impacts/",
        title: TitleFrom::Impact,
    },
    Area {
        name: "context_issues",
        label: "Context issues",
        table: table(
            "context_issues",
            Some("title"),
            &["description", "effect"],
            Some("archived = 0"),
        ),
        href: "/context/issues/",
        title: TitleFrom::Column,
    },
    Area {
        name: "parties",
        label: "Interested parties",
        table: table(
            "parties",
            Some("name"),
            &["description", "requirements"],
            Some("archived = 0"),
        ),
        href: "/parties/",
        title: TitleFrom::Column,
    },
    Area {
        name: "soa",
        label: "Statement of Applicability",
        table: Table {
            table: "soa_entries",
            key: "control_id",
            title: None,
            text: &["justification"],
            only: None,
            order: "control_id",
        },
        href: "/soa#",
        title: TitleFrom::Column,
    },
];

/// The users area, searched for admins only.
const USERS: Area = Area {
    name: "users",
    label: "Users",
    table: Table {
        table: "users",
        key: "username",
        title: Some("display_name"),
        text: &[],
        only: None,
        order: "n",
    },
    href: "/users#",
    title: TitleFrom::Column,
};

/// How a result matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    Key,
    Title,
    Text,
}

impl Match {
    /// In words, for pages.
    pub fn label(self) -> &'static str {
        match self {
            Match::Key => "key",
            Match::Title => "title",
            Match::Text => "text",
        }
    }
}

/// One record found.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    pub key: String,
    pub title: String,
    /// The record's page.
    pub href: String,
    #[serde(rename = "match")]
    pub matched: Match,
}

/// The records found in one area, best first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AreaHits {
    /// `systems`, `risks`, `controls`, ... `requirements`, `users`.
    pub area: String,
    pub label: String,
    pub hits: Vec<Hit>,
}

/// The answer to a search: the areas with hits, the area of the best hit first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    pub query: String,
    pub areas: Vec<AreaHits>,
}

impl SearchResults {
    /// How many records were found in all.
    pub fn total(&self) -> usize {
        self.areas.iter().map(|a| a.hits.len()).sum()
    }
}

fn matched(rank: Rank) -> Match {
    match rank {
        Rank::Key => Match::Key,
        Rank::Title => Match::Title,
        Rank::Text => Match::Text,
    }
}

/// The title of a row found, read from its column or its JSON content.
fn title_of(area: &Area, f: &Found) -> String {
    let json = || {
        f.text
            .as_deref()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
    };
    let title = match area.title {
        TitleFrom::Column => f.title.clone(),
        TitleFrom::Json(field) => json().and_then(|v| v[field].as_str().map(str::to_owned)),
        TitleFrom::Impact => json().map(|v| {
            format!(
                "Impact assessment of {}, version {}",
                v["system"].as_str().unwrap_or("?"),
                v["version"].as_i64().unwrap_or(0)
            )
        }),
    };
    let title = title.unwrap_or_default();
    match area.name {
        "soa" => crate::soa::annex_a()
            .into_iter()
            .find(|(id, _)| *id == f.key)
            .map_or(title, |(_, t)| t),
        _ => title,
    }
}

/// Whether `title` holds `needle` (lower case).
fn holds(title: &str, needle: &str) -> bool {
    title.to_lowercase().contains(needle)
}

/// A requirement of a built-in catalog with its title and guidance in lower case, folded once.
struct Requirement {
    framework: &'static str,
    id: &'static str,
    title: &'static str,
    title_lower: String,
    guidance_lower: String,
}

fn catalog_requirements() -> &'static [Requirement] {
    static ALL: std::sync::OnceLock<Vec<Requirement>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        Catalog::builtin()
            .iter()
            .flat_map(|fw| {
                fw.items.iter().map(move |item| Requirement {
                    framework: &fw.id,
                    id: &item.id,
                    title: &item.title,
                    title_lower: item.title.to_lowercase(),
                    guidance_lower: item.guidance.to_lowercase(),
                })
            })
            .collect()
    })
}

/// Requirements of the built-in catalogs whose ID is the text (`ISO42001:A.6.2.4` or
/// `A.6.2.4`), or whose title or guidance holds it.
fn requirements(query: &str, needle: &str, limit: usize) -> Vec<Hit> {
    let wanted = query.trim();
    let (fw_wanted, id_wanted) = match wanted.split_once(':') {
        Some((f, i)) => (Some(f.trim()), i.trim()),
        None => (None, wanted),
    };
    let mut hits: Vec<(Match, Hit)> = Vec::new();
    for r in catalog_requirements() {
        let id_matches = r.id.eq_ignore_ascii_case(id_wanted)
            && fw_wanted.is_none_or(|f| f.eq_ignore_ascii_case(r.framework));
        let m = if id_matches {
            Match::Key
        } else if r.title_lower.contains(needle) {
            Match::Title
        } else if r.guidance_lower.contains(needle) {
            Match::Text
        } else {
            continue;
        };
        hits.push((
            m,
            Hit {
                key: format!("{}:{}", r.framework, r.id),
                title: r.title.to_owned(),
                href: format!("/catalogs/{}/items/{}", r.framework, path_part(r.id)),
                matched: m,
            },
        ));
    }
    hits.sort_by_key(|(m, _)| *m as u8);
    hits.into_iter().take(limit).map(|(_, h)| h).collect()
}

/// `s` as one segment of a path (characters other than letters, digits, `.`, `-` and `_`
/// percent-encoded).
pub fn path_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl App {
    /// Finds records in every area the actor may read: exact key first, then title, then text;
    /// at most `limit` (1 to 100, default 10) per area. The text must have 2 to 200 characters.
    pub async fn search(
        &self,
        actor: &Actor,
        query: &str,
        limit: Option<i64>,
    ) -> Result<SearchResults> {
        actor.require(Action::Read)?;
        let q = query.trim();
        let chars = q.chars().count();
        if chars < 2 {
            return Err(AppError::invalid("q", "type at least 2 characters"));
        }
        if chars > 200 {
            return Err(AppError::invalid("q", "must be at most 200 characters"));
        }
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AppError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let needle = q.to_lowercase();
        let key = normalise(q);
        let mut conn = self.read().await?;
        let users = actor.role.permits(Action::ManageUsers);
        let searched: Vec<&Area> = AREAS.iter().chain(users.then_some(&USERS)).collect();
        // Text shaped like a key (`rsk-12`) that names a record finds that record alone: no
        // table is scanned for it as words.
        let mut areas = Vec::new();
        if Kind::of_key(&key).is_some() {
            areas = self
                .find_in(&mut conn, &searched, q, &key, None, limit)
                .await?;
        }
        if areas.is_empty() {
            areas = self
                .find_in(&mut conn, &searched, q, &key, Some(&needle), limit)
                .await?;
        }
        drop(conn);
        let reqs = requirements(q, &needle, limit as usize);
        if !reqs.is_empty() {
            areas.push(AreaHits {
                area: "requirements".into(),
                label: "Catalog requirements".into(),
                hits: reqs,
            });
        }
        // The area holding the best match first; otherwise the fixed order above.
        areas.sort_by_key(|a| a.hits.first().map_or(3, |h| h.matched as u8));
        Ok(SearchResults {
            query: q.to_owned(),
            areas,
        })
    }
    /// The hits of each area in `searched`: exact keys only without a `needle`.
    async fn find_in(
        &self,
        conn: &mut aims_store::Conn,
        searched: &[&Area],
        q: &str,
        key: &str,
        needle: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AreaHits>> {
        let mut areas = Vec::new();
        for area in searched {
            // SoA decisions are keyed by control ID as the catalog spells it (`A.6.2.4`).
            let exact = match area.name {
                "soa" => crate::soa::annex_a()
                    .into_iter()
                    .map(|(id, _)| id)
                    .find(|id| id.eq_ignore_ascii_case(q))
                    .unwrap_or_else(|| key.to_owned()),
                "users" => q.to_owned(),
                _ => key.to_owned(),
            };
            let found = store::find(conn, &area.table, &exact, needle, limit).await?;
            let mut hits: Vec<Hit> = found
                .iter()
                .map(|f| {
                    let title = title_of(area, f);
                    // Where the title sits inside the content, a content match is a title
                    // match when the title holds the text.
                    let rank = match (f.rank, &area.title) {
                        (Rank::Text, TitleFrom::Json(_) | TitleFrom::Impact)
                            if needle.is_some_and(|n| holds(&title, n)) =>
                        {
                            Rank::Title
                        }
                        (Rank::Text, _)
                            if area.name == "soa" && needle.is_some_and(|n| holds(&title, n)) =>
                        {
                            Rank::Title
                        }
                        (r, _) => r,
                    };
                    Hit {
                        href: format!("{}{}", area.href, f.key),
                        key: f.key.clone(),
                        title,
                        matched: matched(rank),
                    }
                })
                .collect();
            hits.sort_by_key(|h| h.matched as u8);
            if !hits.is_empty() {
                areas.push(AreaHits {
                    area: area.name.into(),
                    label: area.label.into(),
                    hits,
                });
            }
        }
        Ok(areas)
    }
}

#[cfg(test)]
mod tests {
    use super::{path_part, requirements, Match};

    #[test]
    fn a_requirement_is_found_by_its_id_first() {
        let hits = requirements("iso42001:a.6.2.4", "iso42001:a.6.2.4", 5);
        assert_eq!(
            hits.first().map(|h| h.key.as_str()),
            Some("ISO42001:A.6.2.4")
        );
        assert_eq!(hits.first().map(|h| h.matched), Some(Match::Key));
    }

    #[test]
    fn path_parts_are_encoded() {
        assert_eq!(path_part("A.6.2.4"), "A.6.2.4");
        assert_eq!(path_part("Art 9/1"), "Art%209%2F1");
    }
}
