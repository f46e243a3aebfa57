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
                let path = up.dir.join(format!("{name}.{ext}"));
                let mut file = tokio::fs::File::create(&path).await.map_err(internal)?;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| AppError::invalid(&name, e.body_text()))?
                {
                    file.write_all(&chunk).await.map_err(internal)?;
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
