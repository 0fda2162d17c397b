//! Stage 4, output: the scoreboard. Its data is the report document of
//! SPEC §6 ([`crate::document::report`]); the templates render it as
//! Markdown or one self-contained HTML page.
//!
//! - `build`: scores, and each team's, objective's and KR's entry, made
//!   when written (JSON) or read (templates), never the whole report at once;
//!   `json`: the JSON report, its teams serialized on every thread;
//! - `context`: what templates read, teams, objectives and charts made on
//!   demand (minijinja objects);
//! - `alignment`, `funnels`: the alignment tree and the funnel plans the
//!   templates draw (each team's funnel plans made when read, from an
//!   index of the funnels' links); `on_demand`: those made when a template
//!   first reads them; `ids`: the HTML page's element ids;
//! - [`chart`]: each KR's SVG chart; [`templates`]: loading and rendering
//!   templates; [`render`]: a report in a format, to a writer or a file;
//!   [`live`]: a report kept in memory, rendered a page at a time.

mod alignment;
mod build;
pub mod chart;
mod context;
mod funnels;
mod ids;
mod json;
pub mod live;
mod on_demand;
pub mod render;
pub mod templates;

pub use build::{kr_text, scores};
pub use ids::element_id;
