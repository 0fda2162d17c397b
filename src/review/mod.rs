//! Stage 3, an analysis: the weekly review (`okr review`). Takes the goals
//! in the working tree, the git history behind them and a window (`window`);
//! gives one digest for a team or all of them: what changed in the window
//! (`changes`: check-ins, moved targets and confidence, KRs that turned),
//! who owes a check-in (`owed`), and where things stand (`state`: KRs
//! behind, initiatives overdue, funnels against their plan). Without
//! history it gives the state alone and says why. `render` prints it.

pub mod changes;
pub mod owed;
pub mod render;
pub mod state;
pub mod window;

use crate::history::repo::{current_folder, Repo};
use crate::history::HistoryError;
use crate::syntax::KeptLines;
use crate::workspace::{shown_files, Workspace};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::PathBuf;
use window::{From, Since, Window};

/// What `okr review` was asked.
pub struct Request<'a> {
    /// The files or folders read (none: the current folder).
    pub paths: &'a [PathBuf],
    /// `--since`: a date or a revision; none: the default window.
    pub since: Option<Since>,
    /// The day the state is computed for.
    pub today: NaiveDate,
    /// `--team`: one team's digest instead of everyone's.
    pub team: Option<&'a str>,
}

/// The digest.
#[derive(Debug)]
pub struct Review {
    /// The day the state is computed for.
    pub today: NaiveDate,
    /// The teams covered, sorted.
    pub teams: Vec<String>,
    /// The window, and where its changes were read from.
    pub window: Window,
    /// What changed in the window; none without history (`window.from` says why).
    pub changes: Option<changes::Changes>,
    /// Who owes a check-in.
    pub owed: Vec<owed::Owner>,
    /// KRs at risk or off track today.
    pub behind: Vec<state::Behind>,
    /// Initiatives overdue.
    pub overdue: Vec<state::Overdue>,
    /// Funnels against their plan.
    pub funnels: Vec<state::FunnelActual>,
}

/// Why a review could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The history could not be read (an unknown `--since` revision, a broken repository).
    #[error(transparent)]
    History(#[from] HistoryError),
    /// `--team` names a team no file shown declares.
    #[error("no goals of team `{team}` for today's period{}", .suggestion.as_deref().map(crate::diagnostic::suggest::did_you_mean).map(|s| format!("; {s}")).unwrap_or_default())]
    UnknownTeam {
        /// The team as given.
        team: String,
        /// The nearest team there is.
        suggestion: Option<String>,
    },
}

/// The review `request` asks for, of `workspace` (read from its paths, with
/// the `lines` pest parsed in each kept: `Workspace::load_keeping_lines`).
pub fn review(
    workspace: &Workspace,
    lines: Vec<KeptLines>,
    request: &Request<'_>,
) -> Result<Review, ReviewError> {
    let today = request.today;
    let periods = shown_files(&workspace.goals, None, today);
    let in_period: Vec<usize> = (0..workspace.goals.len())
        .filter(|&file| periods[file])
        .collect();
    let shown: Vec<usize> = in_period
        .iter()
        .copied()
        .filter(|&file| {
            request
                .team
                .is_none_or(|team| workspace.goals[file].team_id() == Some(team))
        })
        .collect();
    if let (Some(team), true) = (request.team, shown.is_empty()) {
        let teams = in_period
            .iter()
            .filter_map(|&file| workspace.goals[file].team_id());
        return Err(ReviewError::UnknownTeam {
            team: team.to_string(),
            suggestion: crate::diagnostic::suggest::nearest(team, teams).map(str::to_string),
        });
    }
    let goals = || shown.iter().map(|&file| &workspace.goals[file]);
    let days = window::default_days(goals());
    let scored: Vec<state::Scored> = shown
        .par_iter()
        .map(|&file| state::Scored::new(&workspace.goals[file], today))
        .collect();
    let cwd = current_folder()?;
    let mut repo = match Repo::discover(&cwd) {
        Ok(repo) => Ok(repo),
        Err(HistoryError::NotARepository { .. }) => Err("not a git repository".to_string()),
        Err(error) => return Err(error.into()),
    };
    let window = window::window(
        repo.as_ref().map_err(Clone::clone),
        request.since.as_ref(),
        today,
        days,
    )?;
    // A command run elsewhere than the goals needs to be told where they are.
    let file_of = |goals: &crate::model::goals::Goals| {
        (!request.paths.is_empty()).then(|| workspace.files[goals.file].path.clone())
    };
    // The changes (git, the old side parsed, the diff) and the state need
    // nothing of each other: made side by side, the serial parts of each
    // run on both cores.
    let (changes, (owed, behind, overdue, funnels)) = rayon::join(
        || match (&window.from, repo.as_mut()) {
            (From::Commit(point), Ok(repo)) => {
                let filter = repo.path_filter(&cwd, request.paths)?;
                let now = changes::Current::new(workspace, lines, &cwd);
                changes::changes(repo, point, &filter, now, &scored, window.since).map(Some)
            }
            _ => Ok(None),
        },
        || {
            (
                owed::owed(&scored, today, file_of),
                state::behind(&scored),
                state::overdue(goals(), today),
                state::funnels(&workspace.goals, &scored, today),
            )
        },
    );
    let changes = changes?;
    let mut teams: Vec<String> = goals()
        .filter_map(|goals| goals.team_id().map(str::to_string))
        .collect();
    teams.sort();
    teams.dedup();
    Ok(Review {
        today,
        teams,
        owed,
        behind,
        overdue,
        funnels,
        window,
        changes,
    })
}
