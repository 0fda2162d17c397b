//! `okr serve` under a stream of saves: 1,000 saves of one goal file while
//! 20 clients hold the event stream. The server must not crash, its memory
//! must stay flat (resident size after the first 100 saves against after
//! all), and every client must hear the generation of the final state.

use crate::serve::{generation, organisation, save, send, Served, Stream};
use std::time::Duration;

const SAVES: usize = 1_000;
const CLIENTS: usize = 20;

/// The server's resident memory in KiB (Linux's `/proc`).
fn resident(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the process runs");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// Saves as fast as an editor's autosave: the watcher batches them.
#[test]
fn a_thousand_saves_under_twenty_streams() {
    soak(false);
}

/// Each save waited for until its run is announced: 1,000 runs.
#[test]
#[ignore = "about 90 s; run with `cargo test --test okr serve_soak -- --ignored`"]
fn a_thousand_runs_under_twenty_streams() {
    soak(true);
}

/// 1,000 saves, each followed by its own run when `each_a_run`.
fn soak(each_a_run: bool) {
    let (_dir, goals) = organisation();
    let served = Served::start(&goals, &[]);
    let mut streams: Vec<Stream> = (0..CLIENTS)
        .map(|_| Stream::open(&served.address))
        .collect();
    // Each stream first hears the generation of the first run.
    let first: Vec<String> = streams.iter_mut().map(Stream::next).collect();
    assert!(first.iter().all(|generation| *generation == first[0]));
    let file = goals.join("marketing.okr");
    let text = std::fs::read_to_string(&file).expect("read");
    let mut warm = 0;
    for save_number in 1..=SAVES {
        let visitors = format!("{} \"Webinar", 50_000 + save_number);
        save(&file, &text.replace("51,200 \"Webinar", &visitors));
        if each_a_run {
            streams[0].next();
        } else {
            std::thread::sleep(Duration::from_millis(8));
        }
        if save_number == 100 {
            std::thread::sleep(Duration::from_millis(300));
            warm = resident(served.pid());
        }
    }
    // The final state: the last save's number on the page.
    // 50,000 + SAVES visitors.
    let last = "51,000 of 60,000";
    let deadline = std::time::Instant::now() + crate::serve::TIMEOUT;
    let page = loop {
        let (status, _, page) = served.get("/team/marketing");
        assert_eq!(status, 200);
        if page.contains(last) {
            break page;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the last save never showed"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let last_generation = generation(&page);
    for stream in &mut streams {
        stream.hears(&last_generation);
    }
    let end = resident(served.pid());
    // A generation is `PID-RUN`: how many runs the saves made.
    let runs = last_generation.rsplit('-').next().unwrap_or_default();
    eprintln!("{runs} runs; resident memory: {warm} KiB after 100 saves, {end} KiB after {SAVES}");
    assert!(
        end < warm + warm / 2,
        "memory grew from {warm} KiB to {end} KiB"
    );
    // Still answering.
    assert_eq!(send(&served.address, b"GET / HTTP/1.1\r\n\r\n").0, 200);
}
