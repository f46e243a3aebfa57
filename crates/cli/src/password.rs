//! Reading a password from a file or, twice, from the terminal.

use std::path::Path;

use anyhow::{Context, Result};

use crate::failure;

/// The password in `file` (trailing newline removed), or else prompted for twice.
pub fn read(file: Option<&Path>, whose: &str) -> Result<String> {
    match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read password file {}", path.display()))?;
            Ok(text.trim_end_matches(['\n', '\r']).to_owned())
        }
        None => prompt_twice(whose),
    }
}

fn prompt_twice(whose: &str) -> Result<String> {
    let hint = "cannot read a password from the terminal; use --password-file FILE";
    let first = rpassword::prompt_password(format!("Password for {whose}: ")).context(hint)?;
    let second = rpassword::prompt_password("Repeat the password: ").context(hint)?;
    if first != second {
        return Err(failure::invalid("password", "the two entries differ"));
    }
    Ok(first)
}
