//! Stage 6, serving: `okr serve` keeps the scoreboard as local web pages
//! that follow the files. The watch session (`crate::watch`) re-checks what
//! a save can affect; each run becomes the [`state::State`] every page is
//! rendered from, with the HTML report's templates, until the next; an
//! event stream tells open pages to reload.
//!
//! - `http.rs`: connections, bounded in number and size, one request each;
//! - `state.rs`: a run's report, or its diagnostics while a file does not
//!   parse, and the [`state::Hub`] that tells streams of a new run;
//! - `pages.rs`: the routes, their queries, their templates.

mod http;
mod pages;
mod state;

use crate::report::templates::{TemplateError, Templates, TEMPLATES};
use crate::watch::{Session, WatchError};
use http::{Answer, Request, Response};
use state::{Hub, State};
use std::collections::HashSet;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

/// The pages' templates, beside the report's that they include.
pub const PAGES: &[(&str, &str)] = &[
    (
        "serve/layout.html.j2",
        include_str!("../../templates/serve/layout.html.j2"),
    ),
    (
        "serve/overview.html.j2",
        include_str!("../../templates/serve/overview.html.j2"),
    ),
    (
        "serve/team.html.j2",
        include_str!("../../templates/serve/team.html.j2"),
    ),
    (
        "serve/funnel.html.j2",
        include_str!("../../templates/serve/funnel.html.j2"),
    ),
    (
        "serve/diagnostics.html.j2",
        include_str!("../../templates/serve/diagnostics.html.j2"),
    ),
    (
        "serve/explain.html.j2",
        include_str!("../../templates/serve/explain.html.j2"),
    ),
    (
        "serve/error.html.j2",
        include_str!("../../templates/serve/error.html.j2"),
    ),
];

/// The one script a page runs: it reloads the page when the event stream
/// announces a generation other than the page's. Its hash is the only
/// script the pages' Content-Security-Policy allows.
const RELOAD_SCRIPT: &str = "(function(){var g=document.documentElement.dataset.generation,\
s=new EventSource(\"/events\");s.onmessage=function(e){if(e.data!==g){s.close();location.reload();}};})();";

/// What the request handlers share: the templates and the pages' policy.
struct Site {
    templates: Templates,
    /// The Content-Security-Policy header of every page.
    policy: String,
}

/// How `okr serve` was asked to run.
pub struct Options {
    /// Where to listen; port 0 picks a free one.
    pub address: SocketAddr,
    /// Open the overview in the default browser once serving.
    pub open: bool,
    /// `--templates DIR`: overrides for the report's and the pages' templates.
    pub templates: Option<std::path::PathBuf>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address is taken or not ours.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: SocketAddr,
        /// Why not.
        source: std::io::Error,
    },
    /// The templates did not load.
    #[error(transparent)]
    Templates(#[from] TemplateError),
    /// Ctrl-C or the file watcher could not be set up.
    #[error(transparent)]
    Watch(#[from] WatchError),
}

/// Serves the pages of `session`'s goals at `options.address` until Ctrl-C
/// or SIGTERM, printing the URL, then each run's status line.
pub fn serve(mut session: Session, options: &Options) -> Result<(), ServeError> {
    let mut templates = Templates::load_all(options.templates.as_deref(), &[TEMPLATES, PAGES])?;
    templates.link_goals_to_pages();
    let site = Site {
        templates,
        policy: policy(),
    };
    let listener = TcpListener::bind(options.address).map_err(|source| ServeError::Bind {
        address: options.address,
        source,
    })?;
    let bound = listener.local_addr().map_err(|source| ServeError::Bind {
        address: options.address,
        source,
    })?;
    let (mut watcher, events) = crate::watch::start(&session)?;
    let state = Arc::new(RwLock::new(State::empty()));
    let hub = Arc::new(Hub::new());
    let mut serial = 0;
    let mut scored = state::Scored::default();
    // The first run before the first request: no page shows "being read".
    let line = state::update(
        &state,
        &mut session,
        &HashSet::new(),
        &mut serial,
        &mut scored,
    );
    publish(&state, &hub);
    let url = format!("http://{bound}/");
    let mut out = std::io::stdout();
    let _ = writeln!(out, "Serving {url} (Ctrl-C to stop)\n{line}");
    let _ = out.flush();
    if options.open {
        open_browser(&url);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let handler = {
        let (state, hub, site) = (Arc::clone(&state), Arc::clone(&hub), Arc::new(site));
        Arc::new(move |request: Request| handle(&site, &state, &hub, request))
    };
    let server = {
        let stop = Arc::clone(&stop);
        let local_only = bound.ip().is_loopback();
        std::thread::spawn(move || http::serve(&listener, &stop, local_only, handler))
    };
    let mut first = true;
    crate::watch::watch(&mut session, &mut watcher, &events, |session, changed| {
        // The first run was made above, before serving.
        if std::mem::take(&mut first) {
            return true;
        }
        let line = state::update(&state, session, changed, &mut serial, &mut scored);
        publish(&state, &hub);
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
        true
    });
    stop.store(true, Ordering::SeqCst);
    hub.stop();
    // Wakes the accept loop so that it sees `stop`.
    let wake = SocketAddr::new(
        if bound.ip().is_unspecified() {
            IpAddr::from([127, 0, 0, 1])
        } else {
            bound.ip()
        },
        bound.port(),
    );
    let _ = TcpStream::connect(wake);
    let _ = server.join();
    let _ = writeln!(std::io::stdout(), "stopped");
    Ok(())
}

/// Announces the state's generation to the event streams.
fn publish(state: &RwLock<State>, hub: &Hub) {
    let generation = state
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .generation
        .clone();
    hub.publish(&generation);
}

/// The Content-Security-Policy of every page: nothing from elsewhere, the
/// report's inline styles and data images, and only the reload script.
fn policy() -> String {
    use sha2::Digest;
    let hash = data_encoding::BASE64.encode(&sha2::Sha256::digest(RELOAD_SCRIPT.as_bytes()));
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
         script-src 'sha256-{hash}'; connect-src 'self'; form-action 'self'; \
         base-uri 'none'; frame-ancestors 'none'"
    )
}

/// One request: the event stream, or a page rendered from the current state.
fn handle(site: &Site, state: &RwLock<State>, hub: &Arc<Hub>, request: Request) -> Answer {
    if request.path == "/events" {
        if !request.query.is_empty() {
            return Answer::Page(Response::text(400, "/events takes no query"));
        }
        let hub = Arc::clone(hub);
        return Answer::Stream(Box::new(move |stream| events(stream, &hub)));
    }
    let state = state.read().unwrap_or_else(PoisonError::into_inner);
    Answer::Page(pages::page(site, &state, &request))
}

/// Server-sent events: the current generation at once, then each new one,
/// until the client goes or the server stops.
fn events(mut stream: TcpStream, hub: &Hub) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n{}Connection: close\r\n\r\nretry: 1000\n\n",
        http::SECURITY_HEADERS
    );
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut seen = String::new();
    while let Some(next) = hub.next(&seen) {
        let message = match next {
            Some(generation) => {
                let message = format!("data: {generation}\n\n");
                seen = generation;
                message
            }
            None => ": still here\n\n".to_string(),
        };
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Opens `url` in the default browser, as `mdbook serve --open` does; a
/// failure is said, not fatal.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("warning: could not open a browser (`{opener}`); open {url}");
    }
}
