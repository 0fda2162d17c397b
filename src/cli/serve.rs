//! `okr serve`: the scoreboard as local web pages that follow the files.

use super::{Error, Outcome, Today};
use crate::diagnostic::render::Style;
use crate::serve::Options;
use crate::watch::Session;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// Files or folders to serve (default: every *.okr below, honouring .gitignore).
    paths: Vec<PathBuf>,
    /// The port to listen on; 0 picks a free one (the URL is printed).
    #[arg(long, default_value_t = 8470)]
    port: u16,
    /// The address to listen on. Anything but a loopback address lets other
    /// machines read the goals: a warning says so.
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Open the overview in the default browser.
    #[arg(long)]
    open: bool,
    /// Use the report's and the pages' templates from DIR instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    #[command(flatten)]
    today: Today,
}

pub(super) fn run(args: Args, color: bool) -> Result<Outcome, Error> {
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} lets any machine that reaches it read these goals; \
             okr serve has no authentication (the default, 127.0.0.1, is this machine only)",
            args.bind
        );
    }
    let session = Session::new(
        args.paths,
        None,
        args.today.today,
        Style { color, width: 100 },
    );
    let options = Options {
        address: SocketAddr::new(args.bind, args.port),
        open: args.open,
        templates: args.templates,
    };
    crate::serve::serve(session, &options)?;
    Ok(Outcome::Clean)
}
