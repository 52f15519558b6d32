//! What every page's layout needs: the language, who is signed in and in what role, the
//! navigation for that role, the address to come back to after a language switch, the CSRF
//! token for forms, and the stylesheets.

use actix_web::HttpRequest;

use super::assets;
use super::i18n::Lang;
use crate::domain::{Role, User};

/// A form field a page could not use, and why (in the page's language): shown in the error
/// summary, linking to the field, and at the field.
#[derive(Debug, Clone)]
pub struct FieldError {
    /// The field's `id` (and name).
    pub field: &'static str,
    /// What to do.
    pub message: String,
}

/// One link of the main navigation.
pub struct NavLink {
    /// Where it goes.
    pub href: &'static str,
    /// What it says.
    pub text: String,
    /// Whether it is the page shown (`aria-current="page"`).
    pub current: bool,
}

/// The signed-in user as the header shows them.
pub struct SignedIn {
    /// Name.
    pub name: String,
    /// Role in words.
    pub role: String,
}

/// The layout's data; every page template has one as `page`.
pub struct Page {
    /// The page's language.
    pub lang: Lang,
    /// The page's own title (the layout adds the service name, and "Error:" when
    /// [`Page::has_errors`]).
    pub title: String,
    /// The form on the page has errors (the title says so first, as GOV.UK does).
    pub has_errors: bool,
    /// Who is signed in.
    pub user: Option<SignedIn>,
    /// Navigation by role.
    pub nav: Vec<NavLink>,
    /// This page's path and query: the language switcher comes back here.
    pub here: String,
    /// The value of every form's hidden `csrf_token` field. Empty until sessions provide
    /// one; set here only, so the session code fills it in one place.
    pub csrf_token: String,
    /// Stylesheet addresses (versioned by content, so they can be cached for long).
    pub styles: Vec<String>,
}

impl Page {
    /// The layout for `req` in `lang`, for `user` (none on the sign-in page).
    pub fn new(req: &HttpRequest, lang: Lang, user: Option<&User>, title: String) -> Self {
        let path = req.path();
        let here = match req.query_string() {
            "" => path.to_string(),
            q => format!("{path}?{q}"),
        };
        let nav = user
            .map(|u| nav_for(u.role, lang, path))
            .unwrap_or_default();
        Page {
            lang,
            title,
            has_errors: false,
            user: user.map(|u| SignedIn {
                name: u.name.clone(),
                role: role_name(lang, u.role),
            }),
            nav,
            here,
            csrf_token: super::session::cached(req)
                .map(|s| s.session.csrf_token)
                .unwrap_or_default(),
            styles: assets::stylesheets(),
        }
    }

    /// The message `id` in the page's language.
    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }

    /// The languages the switcher offers: (code, name in that language, whether current).
    pub fn languages(&self) -> Vec<(&'static str, String, bool)> {
        Lang::ALL
            .into_iter()
            .map(|l| {
                (
                    l.code(),
                    l.t(&format!("language-{}", l.code())),
                    l == self.lang,
                )
            })
            .collect()
    }
}

/// A role in words.
pub fn role_name(lang: Lang, role: Role) -> String {
    lang.t(&format!("role-{}", role.as_str()))
}

/// The main navigation of a role; pages not built yet are not linked.
fn nav_for(role: Role, lang: Lang, path: &str) -> Vec<NavLink> {
    let links: &[(&'static str, &str)] = match role {
        Role::Coach => &[
            (super::coach::CASELOAD_PATH, "nav-caseload"),
            (super::coach::SEARCH_PATH, "nav-search"),
            (super::coach::REGISTER_PATH, "nav-employers"),
            (super::dashboard::DASHBOARD_PATH, "nav-dashboard"),
        ],
        Role::Coordinator => &[(super::dashboard::DASHBOARD_PATH, "nav-dashboard")],
        Role::Employer => &[
            (super::employer::HOME_PATH, "emp-nav-postings"),
            (super::employer::FEEDBACK_PATH, "emp-nav-feedback"),
        ],
        Role::Admin => &[(super::admin::USERS_PATH, "nav-users")],
        Role::Auditor => &[(super::admin::ACCESS_LOG_PATH, "nav-access-log")],
    };
    links
        .iter()
        .map(|(href, id)| NavLink {
            href,
            text: lang.t(id),
            current: path == *href,
        })
        .collect()
}
