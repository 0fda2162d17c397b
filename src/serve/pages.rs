//! Takes a request and the current [`State`]; gives the page: the route
//! matched, its query read (a parameter it does not know, or a value that
//! is not one, is a 400), and its template rendered. Only these routes
//! exist; a path is matched segment by segment against team ids, period
//! labels and funnel ids, never joined to a folder, so nothing on disk but
//! the goals' numbers can be reached.

use super::http::{Request, Response};
use super::state::{is_status, Row, State};
use super::Site;
use crate::model::goals::ReferenceText;
use crate::report::element_id;
use crate::score::Status;
use minijinja::{context, Value};
use serde::Serialize;

/// Teams listed on one page of the overview: 2,000 teams stay far below
/// the 200 KB a page may weigh.
const PAGE_SIZE: usize = 200;
/// The longest query a page reads, and the longest filter value.
const MAX_QUERY: usize = 1024;
const MAX_VALUE: usize = 100;

/// The page for `request`.
pub(super) fn page(site: &Site, state: &State, request: &Request) -> Response {
    let segments: Vec<&str> = request.path.split('/').skip(1).collect();
    let result = match segments.as_slice() {
        [""] => overview(site, state, &request.query),
        ["team", id] => no_query(request).and_then(|()| team(site, state, id, None)),
        ["team", id, period] => {
            no_query(request).and_then(|()| team(site, state, id, Some(period)))
        }
        ["funnel", id, funnel] => query(&request.query, &["period"]).and_then(|params| {
            funnel_page(
                site,
                state,
                id,
                funnel,
                params.first().map(|(_, v)| v.as_str()),
            )
        }),
        ["goal", id] => no_query(request).and_then(|()| goal(state, id)),
        ["diagnostics"] => no_query(request).and_then(|()| diagnostics(site, state)),
        ["explain", code] => no_query(request).and_then(|()| explain(site, state, code)),
        ["report.json"] => query(&request.query, &["period"])
            .and_then(|params| report_json(state, params.first().map(|(_, v)| v.as_str()))),
        _ => Err(Refusal::NotFound("no such page".into())),
    };
    result.unwrap_or_else(|refusal| refused(site, state, &refusal))
}

/// Why a page is not given.
enum Refusal {
    /// 404: no such page, team, period or funnel.
    NotFound(String),
    /// 400: a query parameter that is unknown or malformed.
    BadQuery(String),
    /// 503: the JSON needs goals that parse.
    Unavailable(String),
    /// 500: a template failed (a bug, or a `--templates` override's).
    Failed(String),
}

fn no_query(request: &Request) -> Result<(), Refusal> {
    query(&request.query, &[]).map(|_| ())
}

/// The query's parameters, each one of `known` at most once, none empty.
fn query(raw: &str, known: &[&str]) -> Result<Vec<(String, String)>, Refusal> {
    if raw.len() > MAX_QUERY {
        return Err(Refusal::BadQuery("the query is too long".into()));
    }
    let mut params: Vec<(String, String)> = Vec::new();
    for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
        if !known.contains(&name.as_ref()) {
            return Err(Refusal::BadQuery(format!("unknown parameter `{name}`")));
        }
        if params.iter().any(|(seen, _)| *seen == name) {
            return Err(Refusal::BadQuery(format!("parameter `{name}` given twice")));
        }
        if value.chars().count() > MAX_VALUE || value.chars().any(char::is_control) {
            return Err(Refusal::BadQuery(format!(
                "parameter `{name}` is not a value"
            )));
        }
        // An empty field of the filter form means no filter.
        if !value.trim().is_empty() {
            params.push((name.into_owned(), value.trim().to_string()));
        }
    }
    Ok(params)
}

/// The overview's filters, as read from its query.
#[derive(Default, Serialize)]
struct Filters {
    period: Option<String>,
    owner: Option<String>,
    status: Option<String>,
    team: Option<String>,
    page: usize,
}

fn filters(state: &State, raw: &str) -> Result<Filters, Refusal> {
    let mut filters = Filters {
        page: 1,
        ..Filters::default()
    };
    for (name, value) in query(raw, &["period", "owner", "status", "team", "page"])? {
        match name.as_str() {
            "period" if state.periods.contains(&value) => filters.period = Some(value),
            "period" => {
                return Err(Refusal::BadQuery(format!("no goals for period `{value}`")));
            }
            "status" if is_status(&value) => filters.status = Some(value),
            "status" => return Err(Refusal::BadQuery(format!("`{value}` is not a status"))),
            "page" => {
                filters.page =
                    value.parse().ok().filter(|&page| page > 0).ok_or_else(|| {
                        Refusal::BadQuery(format!("`{value}` is not a page number"))
                    })?;
            }
            "owner" => filters.owner = Some(value.trim_start_matches('@').to_lowercase()),
            _ => filters.team = Some(value.to_lowercase()),
        }
    }
    Ok(filters)
}

impl Filters {
    fn matches(&self, state: &State, row: &Row) -> bool {
        let period = match &self.period {
            Some(period) => row.period == *period,
            None => state.current.contains(&row.period),
        };
        period
            && self
                .owner
                .as_ref()
                .is_none_or(|owner| row.owners.contains(owner))
            && self
                .status
                .as_ref()
                .is_none_or(|status| row.statuses.contains(&status.as_str()))
            && self.team.as_ref().is_none_or(|team| {
                row.id.to_lowercase().contains(team) || row.name.to_lowercase().contains(team)
            })
    }

    /// The query string of these filters on another page of the list.
    fn link(&self, page: usize) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("period", &self.period),
            ("owner", &self.owner),
            ("status", &self.status),
            ("team", &self.team),
        ] {
            if let Some(value) = value {
                query.append_pair(name, value);
            }
        }
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            "/".into()
        } else {
            format!("/?{query}")
        }
    }
}

fn overview(site: &Site, state: &State, raw: &str) -> Result<Response, Refusal> {
    let filters = filters(state, raw)?;
    let matching: Vec<&Row> = state
        .rows
        .iter()
        .filter(|row| filters.matches(state, row))
        .collect();
    let mut statuses: Vec<(&str, usize)> = Vec::new();
    for status in matching.iter().flat_map(|row| &row.statuses) {
        match statuses.iter_mut().find(|(known, _)| known == status) {
            Some((_, count)) => *count += 1,
            None => statuses.push((status, 1)),
        }
    }
    let pages = matching.len().div_ceil(PAGE_SIZE).max(1);
    if filters.page > pages {
        return Err(Refusal::NotFound(format!("there are {pages} pages")));
    }
    let shown: Vec<&Row> = matching
        .iter()
        .skip((filters.page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .copied()
        .collect();
    let previous = (filters.page > 1).then(|| filters.link(filters.page - 1));
    let next = (filters.page < pages).then(|| filters.link(filters.page + 1));
    let periods: Vec<(String, String)> = state
        .periods
        .iter()
        .map(|period| {
            let link = Filters {
                period: Some(period.clone()),
                page: 1,
                ..Filters::default()
            }
            .link(1);
            (period.clone(), link)
        })
        .collect();
    render(
        site,
        state,
        "serve/overview.html.j2",
        200,
        Reads::Day,
        context! {
            rows => shown,
            matching => matching.len(),
            teams => state.rows.len(),
            statuses,
            status_names => Status::ALL.map(Status::as_str),
            filters,
            page_count => pages,
            previous,
            next,
            period_links => periods,
            current => state.current,
        },
    )
}

fn team(site: &Site, state: &State, id: &str, period: Option<&str>) -> Result<Response, Refusal> {
    let unknown = || {
        Refusal::NotFound(match period {
            Some(period) => format!("no team `{id}` in period `{period}`"),
            None => format!("no team `{id}`"),
        })
    };
    if state.broken() {
        return render(
            site,
            state,
            "serve/team.html.j2",
            200,
            Reads::Day,
            context! {},
        );
    }
    let file = state.team_file(id, period).ok_or_else(unknown)?;
    let live = state.live.as_ref().ok_or_else(unknown)?;
    let team = live.team(file).ok_or_else(unknown)?;
    let others: Vec<&String> = state
        .rows
        .iter()
        .filter(|row| row.id == id && row.file != file)
        .map(|row| &row.period)
        .collect();
    render(
        site,
        state,
        "serve/team.html.j2",
        200,
        Reads::Team(live.team_context(file)),
        context! { team, other_periods => others },
    )
}

fn funnel_page(
    site: &Site,
    state: &State,
    id: &str,
    funnel: &str,
    period: Option<&str>,
) -> Result<Response, Refusal> {
    if state.broken() {
        return render(
            site,
            state,
            "serve/funnel.html.j2",
            200,
            Reads::Day,
            context! {},
        );
    }
    let unknown = || Refusal::NotFound(format!("no funnel `{funnel}` for team `{id}`"));
    let file = state.team_file(id, period).ok_or_else(unknown)?;
    let live = state.live.as_ref().ok_or_else(unknown)?;
    let team = live.team(file).ok_or_else(unknown)?;
    let read = live.team_context(file);
    let plans = read
        .get_attr("funnel_plans")
        .and_then(|plans| plans.get_item(&Value::from(id)))
        .map_err(|_| unknown())?;
    let plan = plans
        .try_iter()
        .map_err(|_| unknown())?
        .find(|plan| {
            plan.get_attr("id")
                .is_ok_and(|found| found.as_str() == Some(funnel))
        })
        .ok_or_else(unknown)?;
    render(
        site,
        state,
        "serve/funnel.html.j2",
        200,
        Reads::Team(read),
        context! { team, plan },
    )
}

/// `/goal/ID`: a link to an objective of another team (an `aligns` line, a
/// parent's children), sent on to that team's page at the objective.
fn goal(state: &State, id: &str) -> Result<Response, Refusal> {
    let unknown = || Refusal::NotFound(format!("no objective `{id}`"));
    let live = state.live.as_ref().ok_or_else(unknown)?;
    let row = state
        .rows
        .iter()
        .find(|row| {
            live.workspace().goals.get(row.file).is_some_and(|goals| {
                goals.objectives.iter().any(|objective| {
                    let reference = ReferenceText::new(&row.id, &objective.id.value);
                    element_id(&row.period, &reference.to_string()) == id
                })
            })
        })
        .ok_or_else(unknown)?;
    let mut moved = Response::text(303, "see the objective's team page");
    moved
        .headers
        .push(("Location", format!("/team/{}/{}#{id}", row.id, row.period)));
    Ok(moved)
}

fn diagnostics(site: &Site, state: &State) -> Result<Response, Refusal> {
    let teams: std::collections::BTreeMap<String, String> = state
        .rows
        .iter()
        .filter_map(|row| {
            let live = state.live.as_ref()?;
            let path = &live.workspace().files.get(row.file)?.path;
            Some((path.clone(), format!("/team/{}/{}", row.id, row.period)))
        })
        .collect();
    render(
        site,
        state,
        "serve/diagnostics.html.j2",
        200,
        Reads::Day,
        context! { team_pages => teams },
    )
}

fn explain(site: &Site, state: &State, code: &str) -> Result<Response, Refusal> {
    let text = crate::diagnostic::explain::explain(code)
        .map_err(|_| Refusal::NotFound(format!("no diagnostic code `{code}`")))?;
    render(
        site,
        state,
        "serve/explain.html.j2",
        200,
        Reads::Day,
        context! { code, text },
    )
}

fn report_json(state: &State, period: Option<&str>) -> Result<Response, Refusal> {
    let Some(live) = &state.live else {
        return Err(Refusal::Unavailable(
            "the goals do not all parse or cannot all be read: see /diagnostics".into(),
        ));
    };
    let period = period
        .map(|label| {
            crate::model::period::Period::parse(label)
                .map_err(|_| Refusal::BadQuery(format!("`{label}` is not a period")))
        })
        .transpose()?;
    let shown =
        crate::workspace::shown_files(&live.workspace().goals, period.as_ref(), live.today());
    let mut body = Vec::new();
    live.write_json(&shown, &mut body)
        .map_err(|error| Refusal::Failed(error.to_string()))?;
    Ok(Response {
        status: 200,
        content_type: "application/json",
        headers: Vec::new(),
        body,
    })
}

/// A page refused, as a page (the layout keeps its links and its reload).
fn refused(site: &Site, state: &State, refusal: &Refusal) -> Response {
    let (status, message) = match refusal {
        Refusal::NotFound(message) => (404, message),
        Refusal::BadQuery(message) => (400, message),
        Refusal::Unavailable(message) => (503, message),
        Refusal::Failed(message) => (500, message),
    };
    render(
        site,
        state,
        "serve/error.html.j2",
        status,
        Reads::Day,
        context! { status, message },
    )
    .unwrap_or_else(|_| Response::text(status, message))
}

/// What a page reads of the report besides its own values and the day
/// and periods (which the layout and the overview show).
enum Reads {
    /// Nothing more.
    Day,
    /// A team's section: its `charts`, `aligned_to` and `funnel_plans`
    /// ([`crate::report::live::Live::team_context`]).
    Team(Value),
}

/// Renders a page's template: its own values over what it `reads` of the
/// report (when the goals are scored) and what the layout reads.
fn render(
    site: &Site,
    state: &State,
    name: &str,
    status: u16,
    reads: Reads,
    values: Value,
) -> Result<Response, Refusal> {
    let mut merged = vec![
        values,
        context! {
            generation => state.generation,
            broken => state.broken(),
            unreadable => state.unreadable,
            diagnostics => state.diagnostics,
            counts => state.counts,
            script => super::RELOAD_SCRIPT,
        },
    ];
    if let Reads::Team(team) = reads {
        merged.push(team);
    }
    if let Some(live) = &state.live {
        merged.push(context! {
            report => context! { today => live.today().to_string() },
            periods => live.periods(),
        });
    }
    let mut body = Vec::with_capacity(16 * 1024);
    site.templates
        .render_to(name, minijinja::value::merge_maps(merged), &mut body)
        .map_err(|error| Refusal::Failed(error.to_string()))?;
    Ok(Response {
        status,
        content_type: "text/html; charset=utf-8",
        headers: vec![("Content-Security-Policy", site.policy.clone())],
        body,
    })
}
