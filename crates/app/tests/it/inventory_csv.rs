//! The inventory as CSV.

use crate::harness::{backends, fresh, ok, root};
use crate::inventory_list::{lq, populate};

/// Parses CSV text (quoted fields, doubled quotes) into records.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

#[tokio::test]
async fn csv_export_has_one_line_per_system() {
    for b in backends() {
        let t = fresh(b).await;
        populate(&t.app).await;
        // Every page, whatever per_page says.
        let query = lq("per_page=1");
        let text = ok(b, t.app.system_export_csv(&root(), &query).await);
        assert!(
            text.starts_with("key,name,purpose,intended_use,owner,business_unit,stage,technique,ai_roles,supplier,data_categories,stakeholders,regions,eu_class,eu_rationale,criticality,in_scope,status,retired_reason,created_at,updated_at\n"),
            "{b}: {text}"
        );
        assert!(
            text.contains(r#","Scores ""loan"" applications, fast","#),
            "{b}"
        );
        let rows = parse_csv(&text);
        assert_eq!(rows.len(), 1 + 5, "{b}: header and the five active systems");
        assert!(rows.iter().all(|r| r.len() == 21), "{b}");
        let first: Vec<&str> = rows[0].iter().map(String::as_str).collect();
        let keys: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(
            keys,
            vec!["SYS-1", "SYS-2", "SYS-3", "SYS-4", "SYS-5"],
            "{b}"
        );

        let s = ok(b, t.app.system_get(&root(), "SYS-1").await).system;
        let expected = [
            "SYS-1",
            "Credit scoring",
            "Scores \"loan\" applications, fast",
            "",
            "alice",
            "Lending",
            "deployed",
            "other",
            "provider; deployer",
            "In-house",
            "personal; financial",
            "Applicants; Credit officers",
            "EU; UK",
            "high_risk",
            "Assessed by legal",
            "critical",
            "in",
            "active",
            "",
            s.created_at.as_str(),
            s.updated_at.as_str(),
        ];
        assert_eq!(rows[1], expected, "{b}");
        let column = |name: &str| first.iter().position(|h| *h == name).unwrap_or(usize::MAX);
        assert_eq!(
            rows[5][column("business_unit")],
            "",
            "{b}: SYS-5 has no unit"
        );
        assert_eq!(rows[5][column("in_scope")], "out", "{b}");
        assert_eq!(rows[3][column("owner")], "bob", "{b}");

        // Filters and sort apply; retired systems carry their reason.
        let retired = lq("status=all&sort=-key&unit=Lending");
        let rows = parse_csv(&ok(b, t.app.system_export_csv(&root(), &retired).await));
        let got: Vec<(&str, &str, &str)> = rows[1..]
            .iter()
            .map(|r| (r[0].as_str(), r[17].as_str(), r[18].as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("SYS-6", "retired", "Replaced"),
                ("SYS-2", "active", ""),
                ("SYS-1", "active", "")
            ],
            "{b}"
        );

        // An empty result is the header alone.
        let none = lq("q=zebra");
        let rows = parse_csv(&ok(b, t.app.system_export_csv(&root(), &none).await));
        assert_eq!(rows.len(), 1, "{b}");
    }
}
