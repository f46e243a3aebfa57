//! Runs `aims` on a temporary data directory (or a PostgreSQL URL) and reads what it prints.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// The first admin's password in every test.
pub const PASSWORD: &str = "correct horse battery";

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "aims-cli-test-{}-{:x}",
            std::process::id(),
            random()
        ));
        std::fs::create_dir_all(&p).unwrap_or_else(|e| panic!("temp dir: {e}"));
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A random number from std alone.
pub fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// One aims installation under test.
pub struct Aims {
    pub tmp: TempDir,
    /// `--database-url`, when not the data directory's SQLite file.
    pub url: Option<String>,
}

impl Aims {
    /// An empty data directory, not yet initialised.
    pub fn new() -> Aims {
        Aims {
            tmp: TempDir::new(),
            url: None,
        }
    }

    /// An empty database at `url`.
    pub fn with_url(url: String) -> Aims {
        Aims {
            tmp: TempDir::new(),
            url: Some(url),
        }
    }

    /// Initialised, with the admin `admin`.
    pub fn initialised() -> Aims {
        let aims = Aims::new();
        aims.init();
        aims
    }

    pub fn data_dir(&self) -> PathBuf {
        self.tmp.0.join("data")
    }

    /// Writes `text` to a file in the temporary directory and returns its path.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.tmp.0.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {name}: {e}"));
        path
    }

    /// `aims` with this installation's location and no inherited AIMS_* settings.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_aims"));
        for var in [
            "AIMS_DATABASE_URL",
            "AIMS_USER",
            "AIMS_DATA_DIR",
            "RUST_LOG",
        ] {
            cmd.env_remove(var);
        }
        cmd.arg("--data-dir").arg(self.data_dir());
        if let Some(url) = &self.url {
            cmd.arg("--database-url").arg(url);
        }
        cmd.args(args).timeout(std::time::Duration::from_secs(120));
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args)
            .output()
            .unwrap_or_else(|e| panic!("run aims {args:?}: {e}"))
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "aims {args:?} failed with {:?}:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs a command that must exit with `code`; returns its stderr.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(code),
            "aims {args:?}: stdout {}\nstderr {stderr}",
            String::from_utf8_lossy(&out.stdout)
        );
        stderr
    }

    /// Runs a command with `--json` and parses what it printed.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("aims {all:?} gave {text}: {e}"))
    }

    /// `aims init` with the admin password in a file.
    pub fn init(&self) -> String {
        let pw = self.file("admin-password", &format!("{PASSWORD}\n"));
        self.ok(&["init", "--admin-password-file", path(&pw)])
    }

    /// How many ledger events there are.
    pub fn events(&self) -> usize {
        let log = self.json(&["ledger", "log", "--limit", "1000"]);
        log.as_array().map(Vec::len).unwrap_or_default()
    }

    /// Adds a minimal system owned by `admin`.
    pub fn add_system(&self, name: &str) -> String {
        self.ok(&[
            "system",
            "add",
            "--name",
            name,
            "--purpose",
            "Tested",
            "--owner",
            "admin",
        ])
    }
}

pub fn path(p: &Path) -> &str {
    p.to_str()
        .unwrap_or_else(|| panic!("non-UTF-8 temp path {p:?}"))
}

/// Every row of the named sheet of an XLSX workbook, as text.
pub fn xlsx_rows(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .unwrap_or_else(|e| panic!("not an XLSX workbook: {e}"));
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("no sheet {sheet}: {e}"));
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// Runs `flow` against a fresh, initialised PostgreSQL database when `AIMS_TEST_POSTGRES_URL`
/// names a server (psql must be installed), then drops it; does nothing otherwise.
pub fn on_postgres(tag: &str, flow: impl FnOnce(&Aims)) {
    let Some(base) = std::env::var("AIMS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        return;
    };
    let name = format!("aims_cli_{tag}_{:x}", random());
    let status = std::process::Command::new("psql")
        .args([base.as_str(), "-v", "ON_ERROR_STOP=1", "-q", "-c"])
        .arg(format!("CREATE DATABASE {name}"))
        .status()
        .unwrap_or_else(|e| panic!("psql is needed for the PostgreSQL test: {e}"));
    assert!(status.success(), "create database {name}");
    let (prefix, _) = base.rsplit_once('/').unwrap_or((&base, ""));
    let aims = Aims::with_url(format!("{prefix}/{name}"));
    aims.init();
    flow(&aims);
    let _ = std::process::Command::new("psql")
        .args([base.as_str(), "-q", "-c"])
        .arg(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .status();
}
