//! Turning an error into what the user reads and the exit code.
//!
//! Bad input (`Invalid`, `Conflict`) prints one `error: FIELD: REASON` line per field and exits
//! 2; every other failure prints `error: MESSAGE` and exits 1.

use std::io::Write;
use std::process::ExitCode;

use aims_app::AppError;

/// Exit code for bad input.
pub const BAD_INPUT: u8 = 2;
/// Exit code for every other failure.
pub const FAILED: u8 = 1;

/// Prints `e` to stderr and returns the exit code it deserves.
pub fn report(e: &anyhow::Error) -> ExitCode {
    let (lines, code) = describe(e);
    let mut err = std::io::stderr().lock();
    for line in lines {
        let _ = writeln!(err, "error: {line}");
    }
    ExitCode::from(code)
}

fn describe(e: &anyhow::Error) -> (Vec<String>, u8) {
    match e.downcast_ref::<AppError>() {
        Some(app @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let lines = app.fields().iter().map(ToString::to_string).collect();
            (lines, BAD_INPUT)
        }
        Some(app) => (vec![app.to_string()], FAILED),
        None => (vec![format!("{e:#}")], FAILED),
    }
}

/// A bad-input error naming `field`, reported like the services' own.
pub fn invalid(field: &str, reason: impl Into<String>) -> anyhow::Error {
    AppError::invalid(field, reason).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_names_every_field_and_exits_2() {
        let mut errs = aims_core::ValidationErrors::default();
        errs.push("name", "is required");
        errs.push("stage", "unknown value 'x'");
        let (lines, code) = describe(&AppError::Invalid(errs).into());
        assert_eq!(code, BAD_INPUT);
        assert_eq!(lines, vec!["name: is required", "stage: unknown value 'x'"]);
    }

    #[test]
    fn other_errors_exit_1() {
        let (lines, code) = describe(&AppError::not_found("AI system SYS-9").into());
        assert_eq!(
            (lines[0].as_str(), code),
            ("AI system SYS-9 not found", FAILED)
        );
        let (_, code) = describe(&anyhow::anyhow!("disk full"));
        assert_eq!(code, FAILED);
    }
}
