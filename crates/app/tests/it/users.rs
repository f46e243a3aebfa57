//! Users: added by admins, validated, unique, bootstrapped once.

use aims_app::users::NewUser;
use aims_app::AppError;
use aims_core::Role;

use crate::harness::{
    assert_conflict, assert_invalid, backends, fresh, invalid_fields, ok, root, snapshot, PASSWORD,
};

fn new_user(username: &str, role: &str, password: &str) -> NewUser {
    NewUser {
        username: Some(username.into()),
        display_name: None,
        role: Some(role.into()),
        password: Some(password.into()),
        email: None,
    }
}

#[tokio::test]
async fn users_are_validated_unique_and_bootstrapped_once() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let u = ok(
            b,
            app.user_add(&root(), &new_user("alice", "auditor", PASSWORD))
                .await,
        );
        assert_eq!((u.key.as_str(), u.role), ("USR-2", Role::Auditor), "{b}");
        assert_eq!(u.display_name, "alice", "{b}: defaults to the username");
        assert!(!u.disabled, "{b}");

        let snap = snapshot(app).await;
        let cases = [
            (new_user("Alice", "viewer", PASSWORD), "username"),
            (new_user("1alice", "viewer", PASSWORD), "username"),
            (new_user("a", "viewer", PASSWORD), "username"),
            (new_user("bob", "boss", PASSWORD), "role"),
            (new_user("bob", "viewer", "short"), "password"),
        ];
        for (input, field) in &cases {
            assert_invalid(b, app.user_add(&root(), input).await, field);
        }
        let nothing = NewUser::default();
        assert_eq!(
            invalid_fields(b, app.user_add(&root(), &nothing).await),
            vec!["username", "role", "password"],
            "{b}"
        );
        let again = new_user("alice", "viewer", PASSWORD);
        assert_conflict(b, app.user_add(&root(), &again).await, "username");
        assert_conflict(b, app.bootstrap_admin("second", PASSWORD).await, "username");
        let missing = app.user_disable(&root(), "nobody").await;
        assert!(
            matches!(missing, Err(AppError::NotFound { .. })),
            "{b}: {missing:?}"
        );
        assert_eq!(snapshot(app).await, snap, "{b}");

        let names: Vec<String> = ok(b, app.user_list(&root()).await)
            .into_iter()
            .map(|u| format!("{} {}", u.username, u.role))
            .collect();
        assert_eq!(names, vec!["root admin", "alice auditor"], "{b}");
    }
}
