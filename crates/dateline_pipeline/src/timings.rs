//! Where the CPU time goes, stage by stage: with `DATELINE_TIMINGS=1` in the environment, each
//! worker thread adds the CPU time it spends in each stage (and each step of the NLP stage) to
//! process-wide totals, and [`report`] lays them out per article. Thread CPU time, not wall
//! time: the figures hold on a loaded machine and add up over threads. Off, the cost is one
//! relaxed load per stage.

use std::fmt::Write as _;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use dateline_nlp::pipeline::Step;

/// What the time is spent on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Loading models and dictionaries.
    Load,
    /// Reading inputs (files, gzip, WARC, JSON Lines) into documents.
    Read,
    /// Extraction: HTML parsing, main text, metadata.
    Clean,
    /// NLP: tokenisation and sentence splitting.
    Split,
    /// NLP: parts of speech.
    Tag,
    /// NLP: lemmas.
    Lemma,
    /// NLP: dependency parse.
    Parse,
    /// NLP: named entities.
    Recognize,
    /// NLP: the `Analysis` and CoNLL-U layers.
    Layers,
    /// Actors, places, times, quotes, tone.
    Link,
    /// Events.
    Code,
    /// Printing the output (JSON) or storing the articles (SQLite).
    Output,
}

const PARTS: [(Part, &str); 12] = [
    (Part::Load, "load models and dictionaries (once)"),
    (Part::Read, "read inputs"),
    (Part::Clean, "clean (HTML, extraction, metadata)"),
    (Part::Split, "nlp: tokenize + split"),
    (Part::Tag, "nlp: tag"),
    (Part::Lemma, "nlp: lemmatize"),
    (Part::Parse, "nlp: parse"),
    (Part::Recognize, "nlp: entities"),
    (Part::Layers, "nlp: layers"),
    (Part::Link, "link"),
    (Part::Code, "code"),
    (Part::Output, "output (JSON or store)"),
];

static NANOS: [AtomicU64; 12] = [const { AtomicU64::new(0) }; 12];
static ARTICLES: AtomicU64 = AtomicU64::new(0);
static TOKENS: AtomicU64 = AtomicU64::new(0);

/// Whether `DATELINE_TIMINGS` asks for timings (set, and neither empty nor `0`).
pub fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("DATELINE_TIMINGS").is_some_and(|value| !value.is_empty() && value != "0"))
}

/// CPU time of the calling thread, in nanoseconds.
pub fn thread_cpu_nanos() -> u64 {
    nanos(rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime))
}

fn process_cpu_nanos() -> u64 {
    nanos(rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime))
}

fn nanos(time: rustix::time::Timespec) -> u64 {
    (time.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(time.tv_nsec as u64)
}

/// Adds `nanos` of CPU time to `part`.
pub fn add(part: Part, nanos: u64) {
    NANOS[part as usize].fetch_add(nanos, Ordering::Relaxed);
}

/// Counts an article that went through the NLP stage, with its tokens.
pub fn count_article(tokens: usize) {
    ARTICLES.fetch_add(1, Ordering::Relaxed);
    TOKENS.fetch_add(tokens as u64, Ordering::Relaxed);
}

/// Runs `work`, adding the calling thread's CPU time to `part` when timings are on.
pub fn measure<T>(part: Part, work: impl FnOnce() -> T) -> T {
    if !enabled() {
        return work();
    }
    let start = thread_cpu_nanos();
    let result = work();
    add(part, thread_cpu_nanos().saturating_sub(start));
    result
}

/// Times the steps of the NLP stage from the calls of `analyze_observed`'s observer.
pub(crate) struct StepClock {
    mark: u64,
}

impl StepClock {
    pub(crate) fn start() -> StepClock {
        StepClock { mark: thread_cpu_nanos() }
    }

    pub(crate) fn done(&mut self, step: Step) {
        let now = thread_cpu_nanos();
        let part = match step {
            Step::Split => Part::Split,
            Step::Tag => Part::Tag,
            Step::Lemma => Part::Lemma,
            Step::Parse => Part::Parse,
            Step::Recognize => Part::Recognize,
            Step::Layers => Part::Layers,
        };
        add(part, now.saturating_sub(self.mark));
        self.mark = now;
    }
}

/// The totals so far as a table: CPU milliseconds per article for each part, its share of the
/// process's CPU time, and what no part accounts for (thread hand-over, allocation outside the
/// stages). `None` when timings are off or no article went through the NLP stage.
pub fn report() -> Option<String> {
    if !enabled() {
        return None;
    }
    let articles = ARTICLES.load(Ordering::Relaxed);
    if articles == 0 {
        return None;
    }
    let process = process_cpu_nanos();
    let per_article = |nanos: u64| nanos as f64 / 1e6 / articles as f64;
    let share = |nanos: u64| 100.0 * nanos as f64 / process.max(1) as f64;
    let tokens = TOKENS.load(Ordering::Relaxed);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "dateline: CPU time by stage (DATELINE_TIMINGS): {articles} articles, {tokens} tokens, {:.3} s CPU in all",
        process as f64 / 1e9
    );
    let _ = writeln!(out, "  {:<38} {:>10} {:>12} {:>7}", "part", "CPU s", "ms/article", "share");
    let mut accounted = 0u64;
    let mut steady = 0u64;
    for (part, name) in PARTS {
        let nanos = NANOS[part as usize].load(Ordering::Relaxed);
        accounted += nanos;
        if part != Part::Load {
            steady += nanos;
        }
        let _ = writeln!(
            out,
            "  {name:<38} {:>10.3} {:>12.3} {:>6.1}%",
            nanos as f64 / 1e9,
            per_article(nanos),
            share(nanos)
        );
    }
    let other = process.saturating_sub(accounted);
    let _ = writeln!(
        out,
        "  {:<38} {:>10.3} {:>12.3} {:>6.1}%",
        "other (threads, unmeasured)",
        other as f64 / 1e9,
        per_article(other),
        share(other)
    );
    let nlp: u64 = [Part::Split, Part::Tag, Part::Lemma, Part::Parse, Part::Recognize, Part::Layers]
        .iter()
        .map(|&part| NANOS[part as usize].load(Ordering::Relaxed))
        .sum();
    let _ = writeln!(
        out,
        "  per article without loading: {:.3} ms CPU ({:.0} articles/s per core); NLP alone {:.0} tokens/s",
        per_article(steady + other),
        1e3 / per_article(steady + other).max(1e-9),
        tokens as f64 / (nlp as f64 / 1e9).max(1e-9)
    );
    Some(out)
}

/// `items` with the CPU time of each `next` added to `part` when timings are on.
pub fn measured<I: Iterator>(part: Part, items: I) -> impl Iterator<Item = I::Item> {
    let mut items = items;
    std::iter::from_fn(move || measure(part, || items.next()))
}
