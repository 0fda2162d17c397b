//! The title shape `okr::activity-kr` looks for: a KR titled as work to do
//! ("Launch 3 campaigns", "Delivery of 4 workshops") rather than a result,
//! unless the title names a funnel outcome ("Create 5,000 MQLs for Sales").
//! The word lists and why they are as they are: `docs/decisions.md`.

/// Verbs that lead a title describing work rather than a result, each with
/// its `-ing` and `-ed` forms (and irregular past forms).
const VERBS: &[&[&str]] = &[
    &["launch", "launching", "launched"],
    &["execute", "executing", "executed"],
    &["run", "running", "ran"],
    &["create", "creating", "created"],
    &["build", "building", "built"],
    &["publish", "publishing", "published"],
    &["ship", "shipping", "shipped"],
    &["host", "hosting", "hosted"],
    &["hold", "holding", "held"],
    &["implement", "implementing", "implemented"],
    &["complete", "completing", "completed"],
    &["deliver", "delivering", "delivered"],
    &["write", "writing", "wrote", "written"],
    &["start", "starting", "started"],
    &["organize", "organizing", "organized"],
    &["organise", "organising", "organised"],
    &["schedule", "scheduling", "scheduled"],
    &["attend", "attending", "attended"],
    &["send", "sending", "sent"],
    &["post", "posting", "posted"],
    &["hire", "hiring", "hired"],
    &["train", "training", "trained"],
    &["conduct", "conducting", "conducted"],
    &["perform", "performing", "performed"],
    &["produce", "producing", "produced"],
    &["release", "releasing", "released"],
    &["design", "designing", "designed"],
    &["develop", "developing", "developed"],
];

/// Nouns naming an activity when `of` follows: "Delivery of 4 workshops".
/// (`launch of`, `hosting of` are verb forms above.)
const NOMINALISATIONS: &[&str] = &[
    "execution",
    "launch",
    "delivery",
    "creation",
    "hosting",
    "organisation",
    "organization",
    "implementation",
    "completion",
];

/// What a funnel counts: a title naming one of these measures an outcome,
/// whatever verb leads it. Singular and plural forms.
const OUTCOMES: &[&str] = &[
    "lead",
    "leads",
    "mql",
    "mqls",
    "sql",
    "sqls",
    "sao",
    "saos",
    "opportunity",
    "opportunities",
    "opps",
    "pipeline",
    "customer",
    "customers",
    "revenue",
    "arr",
    "mrr",
    "signup",
    "signups",
    "sign-up",
    "sign-ups",
    "trial",
    "trials",
    "visitor",
    "visitors",
    "conversion",
    "conversions",
    "retention",
    "churn",
];

/// Words after which an outcome word is still the thing counted: "MQLs
/// *for* Sales", "customers *from* events", "leads *per* week". Any other
/// word after it (a noun) makes it a modifier: "lead *campaigns*",
/// "customer *webinars*" count campaigns and webinars.
const AFTER_A_HEAD: &[&str] = &[
    "a",
    "across",
    "after",
    "among",
    "an",
    "and",
    "are",
    "as",
    "at",
    "before",
    "but",
    "by",
    "daily",
    "during",
    "each",
    "every",
    "for",
    "from",
    "in",
    "into",
    "is",
    "monthly",
    "of",
    "on",
    "or",
    "over",
    "per",
    "quarterly",
    "since",
    "than",
    "that",
    "the",
    "this",
    "through",
    "to",
    "under",
    "until",
    "via",
    "weekly",
    "which",
    "who",
    "with",
    "within",
    "without",
    "yearly",
];

/// What leads an activity title: a verb form, or a nominalisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Activity {
    /// The verb as written, lowercased: `launch`, `hosted`.
    Verb(String),
    /// `delivery of`.
    Nominal(String),
}

impl std::fmt::Display for Activity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Activity::Verb(verb) => write!(f, "{verb} …"),
            Activity::Nominal(noun) => write!(f, "{noun} of …"),
        }
    }
}

/// The activity that leads `title`, unless the title names a funnel outcome.
pub(super) fn activity(title: &str) -> Option<Activity> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let (activity, rest) = leading_activity(&words)?;
    (!names_outcome(rest)).then_some(activity)
}

/// A word without the punctuation around it, lowercased.
fn core(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

fn leading_activity<'a, 'w>(words: &'a [&'w str]) -> Option<(Activity, &'a [&'w str])> {
    let first = core(words.first()?);
    if VERBS.iter().any(|forms| forms.contains(&first.as_str())) {
        let nominal = words.get(1).is_some_and(|next| core(next) == "of");
        if !nominal || NOMINALISATIONS.contains(&first.as_str()) {
            let skip = if nominal { 2 } else { 1 };
            let activity = if nominal {
                Activity::Nominal(first)
            } else {
                Activity::Verb(first)
            };
            return Some((activity, &words[skip..]));
        }
        return None;
    }
    // "(The) delivery of 4 workshops".
    let at = usize::from(first == "the");
    let noun = core(words.get(at)?);
    let of = words.get(at + 1).is_some_and(|next| core(next) == "of");
    (of && NOMINALISATIONS.contains(&noun.as_str()))
        .then(|| (Activity::Nominal(noun), &words[at + 2..]))
}

/// Whether the words name a funnel outcome as what they count, not as a
/// modifier of another noun.
fn names_outcome(words: &[&str]) -> bool {
    words.iter().enumerate().any(|(at, word)| {
        let outcome = core(word);
        if !OUTCOMES.contains(&outcome.as_str()) {
            // "sign ups".
            return outcome == "sign"
                && words
                    .get(at + 1)
                    .is_some_and(|next| matches!(core(next).as_str(), "up" | "ups"));
        }
        // Punctuation right after the word ends its phrase: "MQLs, …".
        let ends_phrase = word
            .chars()
            .last()
            .is_some_and(|last| !last.is_alphanumeric());
        let Some(next) = words.get(at + 1) else {
            return true;
        };
        let next_core = core(next);
        ends_phrase
            || next_core.is_empty()
            || AFTER_A_HEAD.contains(&next_core.as_str())
            || next_core.ends_with("ed")
            || !next.starts_with(|c: char| c.is_alphabetic())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verb(title: &str) -> Option<String> {
        activity(title).map(|activity| activity.to_string())
    }

    #[test]
    fn titles_led_by_an_activity_verb_in_any_form() {
        for (title, found) in [
            ("Launch 3 campaigns", "launch …"),
            ("Launched the partner portal", "launched …"),
            ("Hosting 4 webinars", "hosting …"),
            ("Held 300 product demos", "held …"),
            ("Shipped 2 integrations", "shipped …"),
            ("Write 12 blog posts", "write …"),
            ("Execute targeted lead campaigns", "execute …"),
            ("Host 4 customer webinars", "host …"),
            ("Train 20 partner reps", "train …"),
            ("Delivery of 4 workshops", "delivery of …"),
            ("The execution of 6 events", "execution of …"),
            ("Launch of the partner portal", "launch of …"),
        ] {
            assert_eq!(verb(title).as_deref(), Some(found), "{title}");
        }
    }

    #[test]
    fn outcomes_and_other_shapes_are_not_activities() {
        for title in [
            // A funnel outcome is what is counted, whatever the verb.
            "Create 5,000 MQLs for Sales",
            "Generate leads",
            "Run trials with 40 design partners",
            "Publish case studies that win customers",
            "Start 900 trials",
            "Build pipeline: $2M",
            "Host webinars for 300 sign ups",
            "Create 400 MQLs sourced from events",
            // Not led by an activity verb.
            "Trials sourced by 3 campaigns",
            "Everyone in the company can tell us what their OKRs are",
            "Ingestion on self-hosted deployments is horizontally scalable",
            "Understand the possible product directions",
            "Partner portal live",
            // A noun that is not a nominalisation of an activity.
            "Delivery time under 2 days",
            "",
        ] {
            assert_eq!(verb(title), None, "{title}");
        }
        // "Training" and "posting" lead work when they are the activity.
        assert_eq!(
            verb("Training sessions for 20 reps").as_deref(),
            Some("training …")
        );
    }
}
