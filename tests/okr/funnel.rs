//! `okr funnel`: the backward plan, forward yield, leverage and what-if.

use crate::common::run;

#[test]
fn the_spec_example_needs_exactly_ten_thousand_trials() {
    let (status, stdout, stderr) = run(&["funnel", "examples", "inbound"]);
    assert_eq!(status, 0, "{stderr}");
    let trials = stdout
        .lines()
        .find(|line| line.starts_with("trials "))
        .expect("a trials row");
    assert!(
        trials.contains("10,000") && !trials.contains("10,001"),
        "{trials}"
    );
    let visitors = stdout
        .lines()
        .find(|line| line.starts_with("visitors "))
        .unwrap();
    assert!(visitors.contains("149,254"), "{visitors}");
    assert!(
        stdout.contains("35% (KR quality)"),
        "the quality KR sets the planning conversion: {stdout}"
    );
    insta::assert_snapshot!("funnel-inbound", stdout);
}

#[test]
fn a_money_target_plans_through_the_stage_value() {
    let (status, stdout, _) = run(&[
        "funnel",
        "examples",
        "inbound",
        "--target",
        "customers=$16.8M",
    ]);
    assert_eq!(status, 0);
    assert!(
        stdout.contains("Target: 1,400 customers (--target)"),
        "{stdout}"
    );
}

#[test]
fn what_if_shows_the_plan_before_and_after() {
    let (status, stdout, _) = run(&[
        "funnel",
        "examples",
        "marketing/inbound",
        "--what-if",
        "mqls=50%",
    ]);
    assert_eq!(status, 0);
    insta::assert_snapshot!("funnel-inbound-what-if", stdout);
    let visitors = stdout
        .lines()
        .rev()
        .find(|line| line.starts_with("visitors "))
        .unwrap();
    assert!(
        visitors.contains("149,254") && visitors.contains("119,403"),
        "{visitors}"
    );
}

#[test]
fn mistakes_are_usage_errors_that_say_what_exists() {
    for (args, expected) in [
        (
            vec!["funnel", "examples", "nope"],
            "the funnels are: growth/plg, marketing/inbound, sales/pipeline",
        ),
        (
            vec!["funnel", "examples", "inbound", "--target", "custom=5"],
            "its stages are visitors, trials, mqls, customers",
        ),
        (
            vec!["funnel", "examples", "inbound", "--target", "customers"],
            "write STAGE=QUANTITY",
        ),
        (
            vec!["funnel", "examples", "inbound", "--what-if", "visitors=50%"],
            "after the first",
        ),
        (
            vec!["funnel", "examples", "inbound", "--what-if", "mqls=5"],
            "more than 0% and at most 100%",
        ),
        (
            vec![
                "funnel",
                "examples",
                "inbound",
                "--target",
                "customers=lots",
            ],
            "customers=lots",
        ),
    ] {
        let (status, stdout, stderr) = run(&args);
        assert_eq!(status, 2, "{args:?}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
