//! A directory of PETRARCH dictionaries (`--dict-dir`): verb dictionaries (`*verbs*`,
//! `CAMEO*`), actor dictionaries (`*actors*`), agent dictionaries (`*agents*`), and optionally
//! discard lists (`*discards*`) and the coding ontology (`*ontology*`, for negated verbs),
//! told apart by file name. Malformed lines are reported on stderr with file:line and skipped.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use dateline_code::petrarch::{Discards, VerbDictionary};
use dateline_link::actors::{ActorDictionary, read_petrarch_actors, read_petrarch_agents};

/// The dictionaries of a PETRARCH dictionary directory.
pub(crate) struct PetrarchDictionaries {
    /// Verb patterns (with the ontology's negated codes, when given).
    pub(crate) verbs: VerbDictionary,
    /// Actors and agents.
    pub(crate) actors: ActorDictionary,
    /// Discard phrases.
    pub(crate) discards: Discards,
}

/// Reads the dictionaries of `dir`.
pub(crate) fn load_petrarch_dir(dir: &Path) -> anyhow::Result<PetrarchDictionaries> {
    let mut names: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    names.sort();
    let mut verbs = VerbDictionary::new();
    let mut actors = ActorDictionary::default();
    let mut discards = Discards::default();
    let (mut verb_files, mut actor_files) = (0, 0);
    for path in &names {
        let file = path.file_name().map(|name| name.to_string_lossy().to_lowercase()).unwrap_or_default();
        let kind = if file.contains("discards") {
            "discards"
        } else if file.contains("ontology") {
            "ontology"
        } else if file.contains("verbs") || file.starts_with("cameo") {
            "verbs"
        } else if file.contains("actors") {
            "actors"
        } else if file.contains("agents") {
            "agents"
        } else {
            continue;
        };
        let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        let shown = path.display().to_string();
        if kind == "discards" {
            discards.phrases.extend(Discards::parse(&text).phrases);
        } else if kind == "verbs" || kind == "ontology" {
            let before = verbs.warnings.len();
            if kind == "verbs" {
                verbs.add(&shown, &text);
                verb_files += 1;
            } else {
                verbs.add_ontology(&shown, &text);
            }
            for warning in &verbs.warnings[before..] {
                eprintln!("dateline: warning: {warning}");
            }
        } else {
            let loaded = if kind == "actors" {
                read_petrarch_actors(&shown, &text)
            } else {
                read_petrarch_agents(&shown, &text)
            };
            for warning in &loaded.warnings {
                eprintln!("dateline: warning: {warning}: line skipped");
            }
            actors.add(loaded);
            actor_files += 1;
        }
    }
    if verb_files == 0 {
        bail!("no verb dictionary (*verbs*.txt or CAMEO*.txt) in {}", dir.display());
    }
    if actor_files == 0 {
        bail!("no actors or agents dictionary (*actors*.txt, *agents*.txt) in {}", dir.display());
    }
    Ok(PetrarchDictionaries { verbs, actors, discards })
}
