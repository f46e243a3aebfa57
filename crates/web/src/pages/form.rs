//! Submitted forms, and the state a form is re-rendered with: the values as typed and each error
//! beside its field.

use aims_app::AppError;
use aims_core::FieldError;

/// A submitted form as name/value pairs (a name repeats for checkbox groups).
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name` as sent (empty included), or `None` when the field is absent.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    /// The value of `name` unless it is absent or blank (for selects with an empty choice).
    pub fn chosen(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// Every value of `name` (checkbox groups).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The form without its CSRF token and secrets, to re-render the values as typed.
    pub fn typed(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| k != "csrf" && !k.contains("password"))
            .cloned()
            .collect()
    }
}

/// One entry of the error summary at the top of a form.
pub struct SummaryItem {
    /// The id of the field to jump to, or "" when the error belongs to no one field.
    pub anchor: String,
    pub text: String,
}

/// A form's values and errors, for rendering it (fresh, prefilled, or again after an error).
#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: Vec<(String, String)>,
    errors: Vec<FieldError>,
    /// The fields the form shows, with their labels.
    fields: &'static [(&'static str, &'static str)],
}

impl FormState {
    pub fn new(fields: &'static [(&'static str, &'static str)]) -> FormState {
        FormState {
            fields,
            ..Default::default()
        }
    }

    /// Sets a value (replacing any earlier one of that name).
    pub fn set(mut self, name: &str, value: impl Into<String>) -> Self {
        self.values.retain(|(k, _)| k != name);
        self.values.push((name.into(), value.into()));
        self
    }

    /// Adds one more value of `name` (checkbox groups).
    pub fn add(mut self, name: &str, value: impl Into<String>) -> Self {
        self.values.push((name.into(), value.into()));
        self
    }

    /// The state of a submitted form that a service refused with `error`.
    pub fn refused(
        fields: &'static [(&'static str, &'static str)],
        form: &FormData,
        error: &AppError,
    ) -> Self {
        FormState {
            values: form.typed(),
            errors: error.fields(),
            fields,
        }
    }

    /// A form-level error that belongs to no one field.
    pub fn with_error(mut self, field: &str, reason: &str) -> Self {
        self.errors.push(FieldError::new(field, reason));
        self
    }

    pub fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether `name` has the value `word` (selected option, checked box).
    pub fn has(&self, name: &str, word: &str) -> bool {
        self.values.iter().any(|(k, v)| k == name && v == word)
    }

    /// The errors of the field `name`, joined; "" when it has none.
    pub fn error(&self, name: &str) -> String {
        let parts: Vec<String> = self
            .errors
            .iter()
            .filter(|e| base(&e.field) == name)
            .map(describe)
            .collect();
        parts.join("; ")
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The ids that describe field `name`: its hint and its error, space-separated.
    pub fn describedby(&self, name: &str, hint: &str) -> String {
        let mut ids = Vec::new();
        if !hint.is_empty() {
            ids.push(format!("f-{name}-hint"));
        }
        if !self.error(name).is_empty() {
            ids.push(format!("f-{name}-err"));
        }
        ids.join(" ")
    }

    /// Every error, labelled, linking to its field when the form shows that field.
    pub fn summary(&self) -> Vec<SummaryItem> {
        self.errors
            .iter()
            .map(|e| {
                let name = base(&e.field);
                match self.fields.iter().find(|(f, _)| *f == name) {
                    Some((f, label)) => SummaryItem {
                        anchor: format!("f-{f}"),
                        text: format!("{label}: {}", describe(e)),
                    },
                    None if e.field == "unique" => SummaryItem {
                        anchor: String::new(),
                        text: e.reason.clone(),
                    },
                    None => SummaryItem {
                        anchor: String::new(),
                        text: format!("{}: {}", e.field.replace('_', " "), e.reason),
                    },
                }
            })
            .collect()
    }
}

/// The form field an error names: `exclusions[2].item` belongs to `exclusions`.
fn base(field: &str) -> &str {
    field.split(['[', '.']).next().unwrap_or(field)
}

/// An error's reason, with the entry it concerns for list fields (`entry 3, justification: ...`).
fn describe(e: &FieldError) -> String {
    let Some((_, rest)) = e.field.split_once('[') else {
        return e.reason.clone();
    };
    let (index, sub) = rest.split_once(']').unwrap_or((rest, ""));
    let n = index
        .parse::<usize>()
        .map_or_else(|_| index.to_owned(), |i| (i + 1).to_string());
    match sub.trim_start_matches('.') {
        "" => format!("entry {n}: {}", e.reason),
        sub => format!("entry {n}, {sub}: {}", e.reason),
    }
}

/// Parses `left | right` lines of a textarea; blank lines are skipped.
pub fn piped_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('|') {
            Some((a, b)) => (a.trim().to_owned(), b.trim().to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_their_field_and_entry() {
        let e = AppError::Invalid(aims_core::ValidationErrors(vec![
            FieldError::new("exclusions[1].justification", "is required"),
            FieldError::new("name", "is required"),
        ]));
        let s = FormState::refused(&[("exclusions", "Exclusions")], &FormData::default(), &e);
        assert_eq!(s.error("exclusions"), "entry 2, justification: is required");
        assert_eq!(s.error("name"), "is required");
        let summary: Vec<String> = s.summary().into_iter().map(|i| i.text).collect();
        assert_eq!(
            summary,
            vec![
                "Exclusions: entry 2, justification: is required",
                "name: is required"
            ]
        );
    }

    #[test]
    fn piped_lines_split_once() {
        assert_eq!(
            piped_lines("a | b\n\n c \nd|e|f"),
            vec![
                ("a".into(), "b".into()),
                ("c".into(), String::new()),
                ("d".into(), "e|f".into())
            ]
        );
    }
}
