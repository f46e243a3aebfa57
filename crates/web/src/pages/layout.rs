//! What every page shares: the navigation shell, rendering, error pages and small formatting helpers.

use aims_app::auth::SessionActor;
use aims_app::AppError;
use aims_core::keys::Kind;
use aims_core::{Action, Role};
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// The signed-in user as the navigation shell shows them.
#[derive(Debug, Clone)]
pub struct UserBar {
    pub username: String,
    pub role: Role,
    pub csrf: String,
    /// Items due or overdue for the user, when counted.
    pub due: Option<usize>,
}

impl UserBar {
    pub fn role_label(&self) -> &'static str {
        self.role.label()
    }

    /// Items due or overdue for the user (0 when not counted).
    pub fn due_count(&self) -> usize {
        self.due.unwrap_or(0)
    }
}

/// One link of the main navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The page title, the navigation section it belongs to and the signed-in user, if any.
pub struct Layout {
    pub title: String,
    pub section: &'static str,
    pub user: Option<UserBar>,
}

const NAV: &[(&str, &str, &str)] = &[
    ("/", "Dashboard", "dashboard"),
    ("/notifications", "Notifications", "notifications"),
    ("/systems", "Inventory", "inventory"),
    ("/context", "Context", "context"),
    ("/controls", "Controls", "controls"),
    ("/scope", "Scope", "scope"),
    ("/risks", "Risks", "risks"),
    ("/impacts", "Impact", "impacts"),
    ("/monitoring", "Monitoring", "monitoring"),
    ("/soa", "SoA", "soa"),
    ("/incidents", "Incidents", "incidents"),
    ("/nonconformities", "Nonconformities", "nonconformities"),
    ("/roadmap", "Roadmap", "roadmap"),
    ("/journey", "Journey", "journey"),
    ("/maturity", "Maturity", "maturity"),
    ("/gaps", "Gaps", "gaps"),
    ("/coverage", "Coverage", "coverage"),
    ("/catalogs", "Catalogs", "catalogs"),
    ("/ledger", "Ledger", "ledger"),
    ("/account", "Account", "account"),
    ("/users", "Users", "users"),
    ("/security-events", "Security", "security"),
];

impl Layout {
    pub fn anonymous(title: &str) -> Layout {
        Layout {
            title: title.into(),
            section: "",
            user: None,
        }
    }

    pub fn nav(&self) -> Vec<NavItem> {
        let admin = self
            .user
            .as_ref()
            .is_some_and(|u| u.role.permits(Action::ManageUsers));
        let trail = self
            .user
            .as_ref()
            .is_some_and(|u| aims_app::security::may_read_trail(u.role));
        NAV.iter()
            .filter(|(_, _, s)| *s != "users" || admin)
            .filter(|(_, _, s)| *s != "security" || trail)
            .map(|(href, label, s)| NavItem {
                href,
                label,
                current: *s == self.section,
            })
            .collect()
    }

    /// The CSRF token for this page's forms.
    pub fn csrf(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.csrf.as_str())
    }

    /// Whether the user's role permits `action` (to show or hide controls; services still check).
    pub fn can(&self, action: Action) -> bool {
        self.user.as_ref().is_some_and(|u| u.role.permits(action))
    }

    pub fn username(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.username.as_str())
    }
}

/// The signed-in user of a request, with what handlers need from them.
pub struct Shell {
    pub session: SessionActor,
}

impl Shell {
    pub fn new(session: SessionActor) -> Shell {
        Shell { session }
    }

    pub fn actor(&self) -> &aims_app::Actor {
        &self.session.actor
    }

    pub fn bar(&self) -> UserBar {
        UserBar {
            username: self.session.actor.username.clone(),
            role: self.session.actor.role,
            csrf: self.session.csrf.clone(),
            due: self.session.due,
        }
    }

    pub fn layout(&self, section: &'static str, title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            section,
            user: Some(self.bar()),
        }
    }

    /// The error page for a service error, with this user's navigation.
    pub fn fail(&self, e: AppError) -> PageError {
        PageError::from_app(e, Some(self.bar()))
    }
}

/// Turns a service result into a page result carrying the user's navigation.
pub trait OrPage<T> {
    fn or_page(self, shell: &Shell) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, shell: &Shell) -> Result<T, PageError> {
        self.map_err(|e| shell.fail(e))
    }
}

/// A page that could not be shown: rendered as an error page with a status.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
    pub user: Option<UserBar>,
    /// The service error behind the page, when there was one (for the security trail).
    pub cause: Option<Box<AppError>>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    message: String,
}

impl PageError {
    pub fn new(status: StatusCode, message: String, user: Option<UserBar>) -> PageError {
        PageError {
            status,
            message,
            user,
            cause: None,
        }
    }

    pub fn from_app(e: AppError, user: Option<UserBar>) -> PageError {
        let (status, message) = match &e {
            AppError::Forbidden { .. } => {
                (StatusCode::FORBIDDEN, format!("You cannot do this: {e}."))
            }
            AppError::Refused(m) => (StatusCode::FORBIDDEN, format!("Not allowed: {m}.")),
            AppError::NotFound { what } => {
                (StatusCode::NOT_FOUND, format!("{what} was not found."))
            }
            AppError::Invalid(_) => (
                StatusCode::BAD_REQUEST,
                format!("The request is not valid: {e}."),
            ),
            AppError::Conflict(f) => (
                StatusCode::CONFLICT,
                format!("This cannot be done: {}.", f.reason),
            ),
            AppError::Unauthenticated(m) => (StatusCode::UNAUTHORIZED, format!("{m}.")),
            AppError::Throttled { message, .. } => {
                (StatusCode::TOO_MANY_REQUESTS, format!("{message}."))
            }
            AppError::Schema(_) => {
                tracing::error!(error = %e, "page failed: database schema");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!("The database is not ready: {e}."),
                )
            }
            AppError::Store(_) | AppError::Internal(_) => {
                tracing::error!(error = %e, "page failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "An internal error occurred; it has been logged.".into(),
                )
            }
        };
        let mut page = PageError::new(status, message, user);
        page.cause = Some(Box::new(e));
        page
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.status {
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::CONFLICT => "Cannot be done",
            StatusCode::BAD_REQUEST => "Bad request",
            StatusCode::UNAUTHORIZED => "Sign in needed",
            StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
            StatusCode::PAYLOAD_TOO_LARGE => "Too large",
            s if s.is_server_error() => "Something went wrong",
            _ => "Error",
        };
        let page = ErrorPage {
            layout: Layout {
                title: title.into(),
                section: "",
                user: self.user,
            },
            status: self.status.as_u16(),
            message: self.message,
        };
        let mut res = render(self.status, &page);
        if let Some(e) = &self.cause {
            crate::error::mark(&mut res, e);
        }
        res
    }
}

/// Renders a template as an HTML response that no cache keeps.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "An internal error occurred; it has been logged.",
            )
                .into_response()
        }
    }
}

/// Renders a page with status 200.
pub fn ok<T: Template>(page: &T) -> Response {
    render(StatusCode::OK, page)
}

/// The page of a record key (`SYS-3`, `CTX-1`, `IP-2`, `SCP-1`, `CTL-4`, `SOA:A.6.2.4`, `SOA-1`),
/// or "" when it has none.
pub fn key_href(key: &str) -> String {
    match Kind::of_key(key) {
        Some(Kind::AiSystem) => format!("/systems/{key}"),
        Some(Kind::ContextIssue) => format!("/context/issues/{key}"),
        Some(Kind::Party) => format!("/parties/{key}"),
        Some(Kind::Scope) => format!("/scope/{key}"),
        Some(Kind::Control) => format!("/controls/{key}"),
        Some(Kind::Risk) => format!("/risks/{key}"),
        Some(Kind::ImpactAssessment) => format!("/impacts/{key}"),
        Some(Kind::Methodology) => format!("/methodology#{key}"),
        Some(Kind::SoaEntry) => format!("/soa#line-{}", key.get(4..).unwrap_or_default()),
        Some(Kind::SoaVersion) => "/soa#versions-h".to_owned(),
        Some(Kind::ExternalImplementation) => {
            format!("/integration/{}", key.get(4..).unwrap_or_default())
        }
        Some(Kind::Action) => format!("/actions/{key}"),
        Some(Kind::Incident) => format!("/incidents/{key}"),
        Some(Kind::Nonconformity) => format!("/nonconformities/{key}"),
        Some(Kind::CertBody) => format!("/certification-bodies/{key}"),
        Some(Kind::Briefing) => format!("/journey#{key}"),
        Some(Kind::MaturityAssessment) => format!("/maturity/{key}"),
        Some(Kind::MonitoringRun) => format!("/monitoring/runs/{key}"),
        Some(Kind::Alert) => format!("/monitoring#{key}"),
        Some(Kind::MonitoringPlan) => {
            format!("/systems/{}/monitoring", key.get(4..).unwrap_or_default())
        }
        Some(Kind::Framework) => {
            format!(
                "/catalogs/{}",
                super::catalogs::segment(key.get(3..).unwrap_or_default())
            )
        }
        Some(Kind::Crosswalk) => {
            let ids = key.get(3..).unwrap_or_default();
            let (source, target) = ids.split_once(':').unwrap_or((ids, ""));
            super::catalogs::crosswalk_href(source, target)
        }
        _ => String::new(),
    }
}

/// A stored timestamp for people: `2026-03-01 14:05 UTC`.
pub fn when(at: &str) -> String {
    aims_core::time::parse(at).map_or_else(
        || at.to_owned(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// The calendar day of a stored timestamp: `2026-03-01`.
pub fn day(at: &str) -> String {
    aims_core::time::parse(at).map_or_else(|| at.to_owned(), |t| t.format("%Y-%m-%d").to_string())
}

/// The time of day of a stored timestamp: `14:05 UTC`.
pub fn clock(at: &str) -> String {
    aims_core::time::parse(at).map_or_else(String::new, |t| t.format("%H:%M UTC").to_string())
}

/// The first 12 characters of a hash.
pub fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// An optional text, or a dash.
pub fn or_dash(value: &Option<String>) -> &str {
    value.as_deref().filter(|v| !v.is_empty()).unwrap_or("—")
}

/// A query string (`?a=1&b=2`) of the non-empty pairs, or "" when there are none.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::auth::urlencode(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// One choice of a select, radio group or checkbox group.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Opt {
        Opt {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// The users a record may be given to as owner: the active ones, and `current` even if it has
/// been disabled since, so that an edit form still shows who owns the record.
pub async fn owner_options(
    state: &crate::AppState,
    shell: &Shell,
    current: &str,
) -> Result<Vec<Opt>, PageError> {
    Ok(state
        .app
        .user_list(shell.actor())
        .await
        .or_page(shell)?
        .into_iter()
        .filter(|u| !u.disabled || u.username == current)
        .map(|u| {
            Opt::new(
                u.username.clone(),
                format!("{} ({})", u.display_name, u.username),
            )
        })
        .collect())
}

/// The choices of a vocabulary, as `(word, label)` pairs.
pub fn opts<T: Copy>(
    all: &[T],
    word: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Opt> {
    all.iter().map(|v| Opt::new(word(*v), label(*v))).collect()
}
