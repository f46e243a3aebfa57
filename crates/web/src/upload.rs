//! Prediction-log uploads (multipart), shared by the API and the pages: each file is streamed to
//! a temporary folder that is removed when the upload is dropped.

use std::path::PathBuf;

use aims_app::monitoring::LogRun;
use aims_app::AppError;
use axum::extract::Multipart;
use tokio::io::AsyncWriteExt;

/// Largest prediction-log upload (both files together).
pub const UPLOAD_LIMIT: usize = 2 * 1024 * 1024 * 1024;

/// File name endings the metrics engine reads.
const LOG_EXTENSIONS: [&str; 6] = ["csv", "parquet", "pq", "ndjson", "jsonl", "json"];

/// A received upload: the log to compute and the form's text fields (e.g. `csrf`).
pub struct LogUpload {
    pub log: LogRun,
    pub text: Vec<(String, String)>,
    dir: PathBuf,
}

impl Drop for LogUpload {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

/// Reads files `current` and `reference` and text fields `split_at`, `observed_at`, `label`
/// (and `csrf`, kept for the caller); any other field is refused by name.
pub async fn read_log(mut form: Multipart) -> Result<LogUpload, AppError> {
    let dir = std::env::temp_dir().join(format!(
        "aims-upload-{}-{:x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    std::fs::create_dir_all(&dir).map_err(internal)?;
    let mut up = LogUpload {
        log: LogRun::default(),
        text: Vec::new(),
        dir,
    };
    let mut current = None;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|e| AppError::invalid("body", e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "current" | "reference" => {
                let original = field.file_name().unwrap_or_default().to_string();
                if original.is_empty() && name == "reference" {
                    continue;
                }
                let ext = original
                    .rsplit_once('.')
                    .map(|(_, e)| e.to_ascii_lowercase())
                    .unwrap_or_default();
                if !LOG_EXTENSIONS.contains(&ext.as_str()) {
                    return Err(AppError::invalid(
                        &name,
                        format!(
                            "'{original}' is not a prediction log: the file name must end in .{}",
                            LOG_EXTENSIONS.join(", .")
                        ),
                    ));
                }
                declared_type_fits(&name, &original, field.content_type())?;
                let path = up.dir.join(format!("{name}.{ext}"));
                let mut file = tokio::fs::File::create(&path).await.map_err(internal)?;
                let mut seen: usize = 0;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| AppError::invalid(&name, e.body_text()))?
                {
                    if seen == 0 {
                        content_fits(&name, &original, &ext, &chunk)?;
                    }
                    seen = seen.saturating_add(chunk.len());
                    if seen > UPLOAD_LIMIT {
                        return Err(AppError::invalid(
                            &name,
                            format!(
                                "'{original}' is larger than the {} GiB an upload may be",
                                UPLOAD_LIMIT >> 30
                            ),
                        ));
                    }
                    file.write_all(&chunk).await.map_err(internal)?;
                }
                if seen == 0 {
                    return Err(AppError::invalid(&name, format!("'{original}' is empty")));
                }
                file.flush().await.map_err(internal)?;
                if name == "current" {
                    current = Some(path);
                    up.log.label.get_or_insert(original);
                } else {
                    up.log.reference = Some(path);
                }
            }
            "split_at" | "observed_at" | "label" | "csrf" => {
                let text = field
                    .text()
                    .await
                    .map_err(|e| AppError::invalid(&name, e.body_text()))?;
                let given = Some(text.clone()).filter(|t| !t.trim().is_empty());
                match name.as_str() {
                    "split_at" => up.log.split_at = given,
                    "observed_at" => up.log.observed_at = given,
                    "label" if given.is_some() => up.log.label = given,
                    _ => {}
                }
                up.text.push((name, text));
            }
            other => return Err(AppError::invalid(other, "unknown form field")),
        }
    }
    up.log.current = current
        .ok_or_else(|| AppError::invalid("current", "the prediction log file is required"))?;
    Ok(up)
}

/// Declared types a browser or client may send for a log file; anything else (an image, a PDF,
/// an HTML page, an executable) is refused before it is stored.
const DECLARED_TYPES: [&str; 10] = [
    "application/octet-stream",
    "text/csv",
    "text/plain",
    "application/csv",
    "application/vnd.ms-excel",
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
    "application/vnd.apache.parquet",
    "application/x-parquet",
];

fn declared_type_fits(field: &str, original: &str, declared: Option<&str>) -> Result<(), AppError> {
    let Some(declared) = declared else {
        return Ok(());
    };
    let essence = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence.is_empty() || DECLARED_TYPES.contains(&essence.as_str()) {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            format!("'{original}' was sent as {essence}, which is not a prediction log"),
        ))
    }
}

/// Whether the first bytes of a file are what its name says: Parquet starts with `PAR1`, the
/// text formats hold no NUL byte, JSON starts with `{` or `[`.
fn content_fits(field: &str, original: &str, ext: &str, head: &[u8]) -> Result<(), AppError> {
    let refuse = |what: &str| {
        Err(AppError::invalid(
            field,
            format!("'{original}' does not look like {what}: its content does not match its name"),
        ))
    };
    match ext {
        "parquet" | "pq" => {
            if head.starts_with(b"PAR1") {
                Ok(())
            } else {
                refuse("a Parquet file")
            }
        }
        _ if head.contains(&0) => refuse("a text file"),
        "ndjson" | "jsonl" | "json" => {
            let first = head.iter().find(|b| !b.is_ascii_whitespace());
            if matches!(first, Some(b'{' | b'[')) || first.is_none() {
                Ok(())
            } else {
                refuse("JSON")
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_must_be_what_its_name_says() {
        assert!(content_fits("current", "a.parquet", "parquet", b"PAR1\x15\x04").is_ok());
        assert!(content_fits("current", "a.parquet", "parquet", b"ts,label\n").is_err());
        assert!(content_fits("current", "a.csv", "csv", b"ts,label\n1,0\n").is_ok());
        assert!(content_fits("current", "a.csv", "csv", b"\x89PNG\r\n\x1a\n\0\0").is_err());
        assert!(content_fits("current", "a.ndjson", "ndjson", b" {\"a\": 1}").is_ok());
        assert!(content_fits("current", "a.ndjson", "ndjson", b"a,b").is_err());
    }

    #[test]
    fn declared_types_of_other_files_are_refused() {
        assert!(declared_type_fits("current", "a.csv", Some("text/csv")).is_ok());
        assert!(declared_type_fits("current", "a.csv", None).is_ok());
        let e = declared_type_fits("current", "a.csv", Some("image/png"));
        assert!(matches!(e, Err(AppError::Invalid(_))));
    }
}
