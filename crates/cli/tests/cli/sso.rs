//! `aims serve` refuses single sign-on settings it cannot use, naming the setting (exit 2),
//! whether they come from flags or from aims.toml in the data directory.

use crate::harness::Aims;

const OIDC_VARS: &[&str] = &[
    "AIMS_PUBLIC_URL",
    "AIMS_OIDC_ISSUER",
    "AIMS_OIDC_CLIENT_ID",
    "AIMS_OIDC_CLIENT_SECRET",
    "AIMS_OIDC_REDIRECT_URL",
    "AIMS_OIDC_SCOPES",
    "AIMS_OIDC_ROLE_CLAIM",
    "AIMS_OIDC_ROLE_MAP",
    "AIMS_OIDC_DEFAULT_ROLE",
    "AIMS_OIDC_LABEL",
];

/// Runs `aims serve` with `extra` flags on a free port; it must exit 2. Returns stderr.
fn serve_refused(aims: &Aims, extra: &[&str]) -> String {
    let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let mut cmd = aims.cmd(&args);
    for var in OIDC_VARS {
        cmd.env_remove(var);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("run aims serve: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "aims serve {extra:?}: {stderr}");
    stderr
}

fn write_config(aims: &Aims, text: &str) {
    let path = aims.data_dir().join("aims.toml");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write aims.toml: {e}"));
}

#[test]
fn bad_single_sign_on_settings_are_named_and_refused() {
    let aims = Aims::initialised();
    let err = serve_refused(&aims, &["--oidc-issuer", "https://id.example.test"]);
    assert!(
        err.contains("error: oidc.client_id: is required with oidc.issuer"),
        "{err}"
    );
    let err = serve_refused(
        &aims,
        &[
            "--oidc-issuer",
            "https://id.example.test",
            "--oidc-client-id",
            "aims",
            "--oidc-role-map",
            "aims-admins=boss",
        ],
    );
    assert!(
        err.contains("error: oidc.role_map: 'boss' (for 'aims-admins') is not a role"),
        "{err}"
    );

    write_config(
        &aims,
        "[oidc]\nissuer = \"https://id.example.test\"\nclient_id = \"aims\"\n",
    );
    let err = serve_refused(&aims, &[]);
    assert!(
        err.contains("error: oidc.role_map: is required unless oidc.default_role is set"),
        "{err}"
    );
    // A flag fills in what the file lacks.
    let err = serve_refused(&aims, &["--oidc-default-role", "chief"]);
    assert!(err.contains("error: oidc.default_role:"), "{err}");

    write_config(
        &aims,
        "[oidc]\nissuer = \"https://id.example.test\"\nsecret = \"x\"\n",
    );
    let err = serve_refused(&aims, &[]);
    assert!(
        err.contains("error: aims.toml: unknown field `secret`") && err.contains("(line 3)"),
        "{err}"
    );
}
