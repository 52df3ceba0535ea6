//! Coding one sentence with a [`VerbDictionary`]: verbs found by form or lemma, patterns
//! matched over the dependency tree, actors taken from the linked entities. See the module
//! documentation of [`crate::petrarch`] for the interpretation.

use std::ops::Range;

use dateline_doc::{Analysis, Entity, EntityType, Token};
use rustc_hash::FxHashMap;

use super::dict::{Code, Elem, Pattern, VerbDictionary, VerbEntry, WordSpec};

/// An actor of a coding: its code and the tokens that name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodedActor {
    /// The CAMEO actor code.
    pub code: String,
    /// The tokens (indices into `Analysis::tokens`) of the entity that names it.
    pub tokens: Range<usize>,
    /// Index of that entity in the slice given to [`code_sentence`].
    pub entity: usize,
}

/// One event coded from a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coding {
    /// Who acts.
    pub source: CodedActor,
    /// At whom.
    pub target: CodedActor,
    /// The CAMEO event code.
    pub code: String,
    /// The dictionary line that gave the code: the pattern's, else the verb's (`file:line`).
    pub rule: String,
    /// The verb token (index into `Analysis::tokens`).
    pub trigger: usize,
}

/// Codes the events of sentence `sentence` of `analysis`, with actors from `entities` (the
/// linked entities, `Links::entities`; those without an actor code are ignored).
pub fn code_sentence(dict: &VerbDictionary, analysis: &Analysis, sentence: usize, entities: &[Entity]) -> Vec<Coding> {
    let Some(info) = analysis.sentences.get(sentence) else {
        return Vec::new();
    };
    let first = info.first_token;
    let end = (first + info.n_tokens).min(analysis.tokens.len());
    if first >= end {
        return Vec::new();
    }
    let ctx = Ctx::new(dict, &analysis.tokens[first..end], first, entities);
    let mut codings = Vec::new();
    for verb in 0..ctx.len() {
        ctx.code_verb(verb, &mut codings);
    }
    codings
}

/// Relations that name the subject.
fn is_subject(rel: &str) -> bool {
    matches!(rel, "nsubj" | "csubj" | "nsubj:xsubj")
}

fn is_passive_subject(rel: &str) -> bool {
    matches!(rel, "nsubj:pass" | "nsubjpass" | "csubj:pass" | "csubjpass")
}

/// Relations the default target search does not follow from the verb.
fn blocks_target(rel: &str) -> bool {
    let base = rel.split(':').next().unwrap_or(rel);
    matches!(
        base,
        "nsubj"
            | "csubj"
            | "nsubjpass"
            | "csubjpass"
            | "punct"
            | "aux"
            | "auxpass"
            | "cop"
            | "mark"
            | "cc"
            | "advmod"
            | "discourse"
            | "parataxis"
            | "conj"
            | "advcl"
            | "vocative"
            | "expl"
            | "list"
            | "reparandum"
    ) || rel == "obl:agent"
        || rel == "nmod:agent"
        || rel == "acl:relcl"
}

/// Relations through which a noun's modifiers name the actor it stands for.
fn np_modifier(rel: &str) -> bool {
    let base = rel.split(':').next().unwrap_or(rel);
    matches!(base, "compound" | "nmod" | "amod" | "flat" | "appos" | "name" | "obl" | "det")
}

struct Ctx<'a> {
    dict: &'a VerbDictionary,
    tokens: &'a [Token],
    first: usize,
    entities: &'a [Entity],
    form: Vec<String>,
    lemma: Vec<String>,
    head: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    /// The entity (with an actor code) each token belongs to.
    actor: Vec<Option<usize>>,
    /// Codes composed for role entities from the actor that modifies them.
    composed: FxHashMap<usize, String>,
}

/// What a pattern match binds.
#[derive(Clone, Copy, Default)]
struct Binds {
    source: Option<usize>,
    target: Option<usize>,
    /// Words the match used: between patterns of one weight, the one naming more words wins.
    words: usize,
}

impl<'a> Ctx<'a> {
    fn new(dict: &'a VerbDictionary, tokens: &'a [Token], first: usize, entities: &'a [Entity]) -> Ctx<'a> {
        let n = tokens.len();
        let mut head = vec![None; n];
        let mut children = vec![Vec::new(); n];
        for (index, token) in tokens.iter().enumerate() {
            let h = token.head as usize;
            if h >= 1 && h <= n && h - 1 != index {
                head[index] = Some(h - 1);
                children[h - 1].push(index);
            }
        }
        // Cycles would make walks loop: cut any token whose head chain does not reach a root.
        for start in 0..n {
            let mut at = start;
            let mut steps = 0;
            while let Some(h) = head[at] {
                at = h;
                steps += 1;
                if steps > n {
                    if let Some(h) = head[start].take() {
                        children[h].retain(|&c| c != start);
                    }
                    break;
                }
            }
        }
        let mut actor = vec![None; n];
        for (index, entity) in entities.iter().enumerate() {
            if entity.actor.is_none() {
                continue;
            }
            let (from, to) = (entity.first_token, entity.first_token + entity.n_tokens);
            for global in from.max(first)..to.min(first + n) {
                actor[global - first].get_or_insert(index);
            }
        }
        let mut ctx = Ctx {
            dict,
            tokens,
            first,
            entities,
            form: tokens.iter().map(|t| t.form.to_uppercase()).collect(),
            lemma: tokens.iter().map(|t| t.lemma.to_uppercase()).collect(),
            head,
            children,
            actor,
            composed: FxHashMap::default(),
        };
        ctx.compose_roles();
        // A role word with no actor to compose with ("the government" alone) is no actor:
        // PETRARCH never codes a bare sector.
        for slot in ctx.actor.iter_mut() {
            if slot
                .is_some_and(|entity| entities[entity].kind == EntityType::Role && !ctx.composed.contains_key(&entity))
            {
                *slot = None;
            }
        }
        ctx
    }

    /// A role entity ("security officials", "lawmakers") modified by an actor that is not a
    /// role ("White House security officials", "lawmakers in Arnor") stands for that actor's
    /// sector: the actor's code, with the role's appended unless it already ends with it.
    fn compose_roles(&mut self) {
        let mut composed = FxHashMap::default();
        for token in 0..self.len() {
            let Some(entity) = self.actor[token] else { continue };
            let e = &self.entities[entity];
            if e.kind != EntityType::Role || composed.contains_key(&entity) {
                continue;
            }
            // The entity's head: its token whose head lies outside it.
            let inside = |t: usize| self.actor[t] == Some(entity);
            if self.head[token].is_some_and(inside) {
                continue;
            }
            let Some(modifier) = self.np_actor_excluding(token, entity) else { continue };
            let m = &self.entities[modifier];
            if m.kind == EntityType::Role {
                continue;
            }
            let (role, base) = (e.actor.as_deref().unwrap_or(""), m.actor.as_deref().unwrap_or(""));
            let code = if base.ends_with(role) { base.to_owned() } else { format!("{base}{role}") };
            composed.insert(entity, code);
        }
        self.composed = composed;
    }

    fn len(&self) -> usize {
        self.tokens.len()
    }

    fn rel(&self, token: usize) -> &str {
        &self.tokens[token].deprel
    }

    fn word_matches(&self, spec: &WordSpec, token: usize) -> bool {
        self.form[token] == spec.text || (!spec.exact && self.lemma[token] == spec.text)
    }

    /// The tokens of `root`'s subtree, in text order.
    fn subtree(&self, root: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(at) = stack.pop() {
            out.push(at);
            stack.extend(self.children[at].iter().copied());
        }
        out.sort_unstable();
        out
    }

    /// "did n't clash", "will not ever clash": a negation hangs from the verb itself.
    fn is_negated(&self, verb: usize) -> bool {
        self.children[verb].iter().any(|&child| {
            let rel = self.rel(child);
            let negation = |word: &str| matches!(word, "NOT" | "N'T" | "N\u{2019}T" | "NEVER");
            (rel == "neg" || rel.starts_with("advmod")) && (negation(&self.lemma[child]) || negation(&self.form[child]))
        })
    }

    /// A verb whose clause is the "that" complement of a coded verb with an actor: "Y noted
    /// that X regretted ..." is the noting, the complement its content.
    fn reported(&self, verb: usize) -> bool {
        let mut at = verb;
        for _ in 0..4 {
            let Some(head) = self.head[at] else { return false };
            if self.is_that_clause(at) {
                // "It has been noted that ...": a noting without an actor leaves the content.
                return self.is_verb(head)
                    && self.verb_entries(head).first().is_some_and(|(entry, _)| !entry.code.is_null())
                    && !self.source_actors(head).0.is_empty();
            }
            if !matches!(self.rel(at).split(':').next().unwrap_or(""), "conj" | "xcomp") {
                return false;
            }
            at = head;
        }
        false
    }

    /// A verb whose open complement is a coded verb ("will be hosting X to celebrate ..."):
    /// the complement's event is the one told.
    fn coded_complement(&self, verb: usize) -> bool {
        self.children[verb].iter().any(|&c| {
            self.rel(c) == "xcomp"
                && self.is_verb(c)
                && self.verb_entries(c).first().is_some_and(|(entry, _)| !entry.code.is_null())
        })
    }

    /// A clausal complement introduced by "that": "allowed that Mordor is ...".
    fn is_that_clause(&self, token: usize) -> bool {
        self.rel(token).split(':').next() == Some("ccomp")
            && self.children[token].iter().any(|&c| self.rel(c) == "mark" && self.form[c] == "THAT")
    }

    fn is_verb(&self, token: usize) -> bool {
        let t = &self.tokens[token];
        t.upos == "VERB" || (t.xpos.starts_with("VB") && t.upos != "AUX")
    }

    /// The verb entries that fit the token, with the tokens a multi-word verb uses; entries
    /// matched by form come before those matched by lemma, longer ones first.
    fn verb_entries(&self, verb: usize) -> Vec<(&'a VerbEntry, Vec<usize>)> {
        let mut found = Vec::new();
        if let Some(entries) = self.dict.verbs.get(&self.form[verb]) {
            for entry in entries {
                if let Some(used) = self.multiword(entry, verb) {
                    found.push((entry, used));
                }
            }
        }
        if found.is_empty() {
            if let Some(entries) = self.dict.verbs.get(&self.lemma[verb]) {
                for entry in entries.iter().filter(|entry| entry.base && !self.bad_es(verb, entry)) {
                    if let Some(used) = self.multiword(entry, verb) {
                        found.push((entry, used));
                    }
                }
            }
        }
        found.sort_by_key(|(entry, _)| std::cmp::Reverse(entry.words.len()));
        found
    }

    /// A form that adds "-es" where English adds only "-s" ("departes"): no form of the verb.
    /// "-es" follows a sibilant or an "o" ("passes", "fixes", "reaches", "goes").
    fn bad_es(&self, verb: usize, entry: &VerbEntry) -> bool {
        let base = &entry.words[entry.verb];
        let form = &self.form[verb];
        let sibilant = ["S", "X", "Z", "CH", "SH", "O"].iter().any(|end| base.ends_with(end));
        form.len() == base.len() + 2 && form.starts_with(base.as_str()) && form.ends_with("ES") && !sibilant
    }

    /// Checks the other words of a multi-word verb: particles after it (adjacent or attached as
    /// `compound:prt`), words before it adjacent.
    fn multiword(&self, entry: &VerbEntry, verb: usize) -> Option<Vec<usize>> {
        let mut used = vec![verb];
        let mut at = verb;
        for word in &entry.words[entry.verb + 1..] {
            let spec = WordSpec { text: word.clone(), exact: false };
            let next = at + 1;
            if next < self.len() && self.word_matches(&spec, next) {
                at = next;
            } else {
                at = *self.children[verb]
                    .iter()
                    .find(|&&c| self.rel(c) == "compound:prt" && !used.contains(&c) && self.word_matches(&spec, c))?;
            }
            used.push(at);
        }
        let mut at = verb;
        for word in entry.words[..entry.verb].iter().rev() {
            let spec = WordSpec { text: word.clone(), exact: false };
            at = at.checked_sub(1).filter(|&prev| self.word_matches(&spec, prev))?;
            used.push(at);
        }
        Some(used)
    }

    fn code_verb(&self, verb: usize, codings: &mut Vec<Coding>) {
        if !self.is_verb(verb) {
            return;
        }
        let entries = self.verb_entries(verb);
        if entries.is_empty() || self.reported(verb) || self.coded_complement(verb) {
            return;
        }
        let mut best: Option<(&Pattern, Binds, &VerbEntry)> = None;
        let mut fallback: Option<&VerbEntry> = None;
        for (entry, used) in &entries {
            let subtree = self.subtree(verb);
            // The words a pattern finds before the verb are the subject's side: the verb's own
            // adverbs ("was heavily criticized", "recently allowed") belong to the verb phrase.
            // So do its own function words: "inching nearer to accord" is no `(TO) *`; and
            // coordinating words join actors, they say nothing of the event: "Neither X nor Y
            // boycotted" is no `NEITHER *`.
            let adverbs: Vec<usize> = self.children[verb]
                .iter()
                .copied()
                .filter(|&c| {
                    c < verb && matches!(self.rel(c).split(':').next().unwrap_or(""), "advmod" | "mark" | "case")
                })
                .flat_map(|c| self.subtree(c))
                .collect();
            let before: Vec<usize> = subtree
                .iter()
                .copied()
                .filter(|&t| {
                    t < verb
                        && !used.contains(&t)
                        && !adverbs.contains(&t)
                        && self.rel(t).split(':').next() != Some("cc")
                })
                .collect();
            // A "that" complement is a statement of its own: "allowed that Mordor is n't the
            // neatest place" is no `* {THE NEATEST PLACE}`.
            let complements: Vec<usize> = self.children[verb]
                .iter()
                .copied()
                .filter(|&c| self.is_that_clause(c))
                .flat_map(|c| self.subtree(c))
                .collect();
            let after: Vec<usize> = subtree
                .iter()
                .copied()
                .filter(|&t| t > verb && !used.contains(&t) && !complements.contains(&t))
                .collect();
            let block = &self.dict.blocks[entry.block];
            for pattern in &block.patterns {
                if best.is_some_and(|(b, _, _)| b.weight > pattern.weight) {
                    continue;
                }
                if pattern.compound && self.source_actors(verb).0.len() < 2 {
                    continue;
                }
                let mut binds = Binds::default();
                if self.match_seq(&pattern.before, &before, 0, &mut binds)
                    && self.match_seq(&pattern.after, &after, 0, &mut binds)
                    && best.is_none_or(|(b, bb, _)| (b.weight, bb.words) < (pattern.weight, binds.words))
                {
                    best = Some((pattern, binds, entry));
                }
            }
            fallback.get_or_insert(entry);
        }
        let (code, rule, binds, compound): (&Code, &str, Binds, bool) = match best {
            Some((pattern, binds, _)) => (&pattern.code, &pattern.rule, binds, pattern.compound),
            None => {
                let entry = fallback.expect("entries is not empty");
                (&entry.code, &entry.rule, Binds::default(), false)
            }
        };
        // A negated verb codes the negated event when the ontology has one, else nothing.
        let negated;
        let code = match &self.dict.ontology {
            Some(ontology) if self.is_negated(verb) => {
                let negate =
                    |code: &Option<String>| code.as_deref().and_then(|c| ontology.negate(c)).map(str::to_owned);
                negated = Code { forward: negate(&code.forward), reverse: negate(&code.reverse) };
                &negated
            }
            _ => code,
        };
        if code.is_null() {
            return;
        }
        let (mut sources, mut passive_target) = self.source_actors(verb);
        if let Some(token) = binds.source {
            // A pattern naming the source only makes the subject the one acted on, unless an
            // object is: "X hosts Y to celebrate May Day with $Z" is Z's celebration with X,
            // "from $Z X visited Y" Z's visit to Y.
            let bound = self.actors_at(token);
            let object = self.children[verb].iter().any(|&c| {
                matches!(self.rel(c), "obj" | "dobj" | "iobj") && self.actors_at(c).iter().any(|a| !bound.contains(a))
            });
            if binds.target.is_none() && passive_target.is_none() && !object {
                let subject: Vec<usize> = sources.iter().copied().filter(|s| !bound.contains(s)).collect();
                if !subject.is_empty() {
                    passive_target = Some(subject);
                }
            }
            sources = bound;
        }
        let mut pairs = Vec::new();
        if compound {
            for &a in &sources {
                for &b in &sources {
                    if a != b {
                        pairs.push((a, b));
                    }
                }
            }
        } else {
            let targets = match binds.target {
                Some(token) => self.actors_at(token),
                None => passive_target.unwrap_or_else(|| self.target_actors(verb, &sources)),
            };
            for &a in &sources {
                for &b in &targets {
                    pairs.push((a, b));
                }
            }
        }
        for (source, target) in pairs {
            if source == target || self.same_span(source, target) || self.coded(source).code == self.coded(target).code
            {
                continue;
            }
            if let Some(forward) = &code.forward {
                self.push(codings, source, target, forward, rule, verb);
            }
            if let Some(reverse) = &code.reverse {
                self.push(codings, target, source, reverse, rule, verb);
            }
        }
    }

    fn same_span(&self, a: usize, b: usize) -> bool {
        let (a, b) = (&self.entities[a], &self.entities[b]);
        a.first_token == b.first_token && a.n_tokens == b.n_tokens
    }

    fn coded(&self, entity: usize) -> CodedActor {
        let e = &self.entities[entity];
        CodedActor {
            code: self.composed.get(&entity).cloned().or_else(|| e.actor.clone()).unwrap_or_default(),
            tokens: e.first_token..e.first_token + e.n_tokens,
            entity,
        }
    }

    fn push(&self, codings: &mut Vec<Coding>, source: usize, target: usize, code: &str, rule: &str, verb: usize) {
        let coding = Coding {
            source: self.coded(source),
            target: self.coded(target),
            code: code.to_owned(),
            rule: rule.to_owned(),
            trigger: self.first + verb,
        };
        if !codings.iter().any(|c| {
            c.source.tokens == coding.source.tokens && c.target.tokens == coding.target.tokens && c.code == coding.code
        }) {
            codings.push(coding);
        }
    }

    // ----- actors -------------------------------------------------------------------------

    /// The entity at a token plus those of its conjuncts.
    fn actors_at(&self, token: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![(token, 0usize)];
        while let Some((at, depth)) = stack.pop() {
            if depth > 8 {
                continue;
            }
            let found = match self.actor[at] {
                Some(entity) => Some(entity),
                None => self.np_actor(at),
            };
            if let Some(entity) = found {
                if !out.contains(&entity) {
                    out.push(entity);
                }
                // "The ambassadors of Arnor, Osgiliath and Gondor": the conjuncts of the
                // modifier that names the actor count too.
                if self.actor[at].is_none() {
                    let e = &self.entities[entity];
                    for g in e.first_token..e.first_token + e.n_tokens {
                        if g >= self.first && g - self.first < self.len() {
                            stack.push((g - self.first, depth + 1));
                            break;
                        }
                    }
                }
            }
            // Conjuncts hang from the entity's head token or from the noun itself.
            let heads: Vec<usize> = match self.actor[at] {
                Some(entity) => {
                    let e = &self.entities[entity];
                    (e.first_token..e.first_token + e.n_tokens)
                        .filter(|&g| g >= self.first && g - self.first < self.len())
                        .map(|g| g - self.first)
                        .collect()
                }
                None => vec![at],
            };
            for h in heads {
                // A comma list the parser read as an apposition ("Mordor, the Shire, Arnor and
                // Bree"): an appositive is a further member when it or its head has conjuncts.
                let list = self.children[h].iter().any(|&c| self.rel(c).starts_with("conj"));
                for &child in self.children[h].iter().rev() {
                    let inside = self.actor[at].is_some() && self.actor[child] == self.actor[at];
                    let member = self.rel(child).starts_with("conj")
                        || (self.rel(child) == "appos"
                            && (list || self.children[child].iter().any(|&c| self.rel(c).starts_with("conj"))));
                    // A verb conjunct is a clause of its own, not a further member ("Gondor ,
                    // ... after crowds burned": a misparse joins the clause to the noun).
                    if member && !inside && !self.is_verb(child) {
                        stack.push((child, depth + 1));
                    }
                }
            }
        }
        out
    }

    /// The actor a noun without one of its own stands for, through its modifiers ("lawmakers
    /// in Arnor", "the ambassadors of Gondor"): the nearest entity below it.
    fn np_actor(&self, token: usize) -> Option<usize> {
        self.np_actor_excluding(token, usize::MAX)
    }

    /// [`Ctx::np_actor`], skipping the tokens of entity `skip`.
    fn np_actor_excluding(&self, token: usize, skip: usize) -> Option<usize> {
        let mut level = vec![token];
        for _ in 0..3 {
            let mut next = Vec::new();
            for &at in &level {
                for &child in &self.children[at] {
                    if np_modifier(self.rel(child)) {
                        next.push(child);
                    }
                }
            }
            next.sort_unstable();
            if let Some(&hit) = next.iter().find(|&&t| self.actor[t].is_some_and(|e| e != skip)) {
                return self.actor[hit];
            }
            if next.is_empty() {
                return None;
            }
            level = next;
        }
        None
    }

    /// The closest modifier of a noun (determiner, compound, adjective, possessive) that is an
    /// actor: "Osgiliath soldiers", "Gondor 's army".
    fn tight_actor(&self, token: usize) -> Option<usize> {
        self.children[token].iter().copied().find(|&child| {
            let base = self.rel(child).split(':').next().unwrap_or("");
            let tight = matches!(base, "det" | "compound" | "amod" | "name" | "flat") || self.rel(child) == "nmod:poss";
            tight && self.actor[child].is_some()
        })
    }

    /// The source actors of a verb, and for a passive verb its target (the passive subject).
    fn source_actors(&self, verb: usize) -> (Vec<usize>, Option<Vec<usize>>) {
        let mut at = verb;
        let mut raised = false;
        for _ in 0..4 {
            let kids = &self.children[at];
            let passive_subject = kids.iter().copied().find(|&c| is_passive_subject(self.rel(c)));
            let passive =
                passive_subject.is_some() || kids.iter().any(|&c| matches!(self.rel(c), "aux:pass" | "auxpass"));
            if passive {
                let agent = kids.iter().copied().find(|&c| {
                    let rel = self.rel(c);
                    rel == "obl:agent"
                        || rel == "nmod:agent"
                        || ((rel == "obl" || rel == "nmod")
                            && self.children[c].iter().any(|&k| self.rel(k) == "case" && self.form[k] == "BY"))
                });
                let target = passive_subject.map(|s| self.actors_at(s)).filter(|t| !t.is_empty());
                if at == verb {
                    // Without an agent, the actor met among the other dependents acts: "X was
                    // criticized over its dispute with Y" is Y's criticism.
                    let source = match agent {
                        Some(agent) => self.actors_at(agent),
                        None => {
                            let phrases = kids.iter().copied().filter(|&c| {
                                matches!(self.rel(c), "obl" | "nmod")
                                    && self.children[c].iter().any(|&k| self.rel(k) == "case")
                            });
                            self.actors_below(phrases.collect(), target.as_deref().unwrap_or(&[]))
                        }
                    };
                    return (source, target);
                }
                // A raising verb: "X was seen to break into ..." is X breaking in.
                if raised && agent.is_none() {
                    return (target.unwrap_or_default(), None);
                }
                return (agent.map(|a| self.actors_at(a)).unwrap_or_default(), None);
            }
            if let Some(subject) = kids.iter().copied().find(|&c| is_subject(self.rel(c))) {
                let actors = self.actors_at(subject);
                if !actors.is_empty() {
                    return (actors, None);
                }
            }
            let rel = self.rel(at).split(':').next().unwrap_or("");
            let Some(head) = self.head[at] else { break };
            match rel {
                "xcomp" => {
                    // Object control: "urged Eriador to respond"; not under a verb that leaves
                    // its event to the complement ("X will be hosting Y to celebrate": X's).
                    if let Some(object) = self.children[head]
                        .iter()
                        .copied()
                        .find(|&c| matches!(self.rel(c), "obj" | "dobj" | "iobj") && c != at)
                        .filter(|_| !self.coded_complement(head))
                    {
                        let actors = self.actors_at(object);
                        if !actors.is_empty() {
                            return (actors, None);
                        }
                    }
                    raised = at == verb;
                    at = head;
                }
                "conj" | "ccomp" => at = head,
                // An infinitive beside the verb belongs to its verb phrase ("is inching nearer
                // to accord with Y"); an adverbial clause of its own ("after leaving Y", "when
                // ...") takes none from the verb it modifies.
                "advcl" if self.is_infinitive(at) => at = head,
                _ => break,
            }
        }
        (Vec::new(), None)
    }

    /// A clause marked by "to": "to accord", "to wage war".
    fn is_infinitive(&self, verb: usize) -> bool {
        self.children[verb].iter().any(|&k| self.rel(k) == "mark" && self.form[k] == "TO")
    }

    /// The target: the nearest actor among the verb's dependents, breadth first, in text order
    /// within a level, skipping subjects, agents and clauses beside the verb.
    fn target_actors(&self, verb: usize, sources: &[usize]) -> Vec<usize> {
        // The object first, with the actors its own phrase names: "warned the population of
        // Gondor about Mordor" is a warning to Gondor.
        let objects: Vec<usize> = self.children[verb]
            .iter()
            .copied()
            .filter(|&c| matches!(self.rel(c).split(':').next().unwrap_or(""), "obj" | "dobj" | "iobj"))
            .collect();
        let found = self.actors_below(objects, sources);
        if !found.is_empty() {
            return found;
        }
        let level: Vec<usize> = self.children[verb].iter().copied().filter(|&c| !blocks_target(self.rel(c))).collect();
        let found = self.actors_below(level, sources);
        if !found.is_empty() {
            return found;
        }
        // Else an infinitive beside the verb ("vowed on Thursday to wage war on the Rohans",
        // parsed as an adverbial clause) says at whom.
        let infinitives: Vec<usize> = self.children[verb]
            .iter()
            .copied()
            .filter(|&c| self.rel(c).split(':').next() == Some("advcl") && self.is_infinitive(c))
            .collect();
        let level: Vec<usize> = infinitives
            .iter()
            .flat_map(|&c| self.children[c].iter().copied().filter(|&k| !blocks_target(self.rel(k))))
            .collect();
        self.actors_below(level, sources)
    }

    /// The nearest actor at or below the tokens of `level`, breadth first, in text order within
    /// a level, not counting `sources`.
    fn actors_below(&self, mut level: Vec<usize>, sources: &[usize]) -> Vec<usize> {
        for _ in 0..5 {
            level.sort_unstable();
            for &at in &level {
                // A noun whose own modifiers name an actor counts as that actor at its place
                // ("an attack by Osgiliath soldiers in south Ithilen": the soldiers first).
                let place = if self.actor[at].is_some() { Some(at) } else { self.tight_actor(at) };
                if let Some(place) = place
                    && let Some(entity) = self.actor[place]
                {
                    if sources.contains(&entity) {
                        continue;
                    }
                    // From the modifier, so that its conjuncts count ("Eriadori and
                    // Calenardhon leaders").
                    let actors: Vec<usize> =
                        self.actors_at(place).into_iter().filter(|e| !sources.contains(e)).collect();
                    if !actors.is_empty() {
                        return actors;
                    }
                }
            }
            let mut next = Vec::new();
            for &at in &level {
                for &child in &self.children[at] {
                    let rel = self.rel(child);
                    if !matches!(rel.split(':').next().unwrap_or(""), "punct" | "parataxis" | "advcl" | "cc")
                        && rel != "acl:relcl"
                    {
                        next.push(child);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            level = next;
        }
        Vec::new()
    }

    // ----- pattern matching ---------------------------------------------------------------

    /// Matches `elems` in order against `cands` (token indices in text order) from `from`.
    fn match_seq(&self, elems: &[Elem], cands: &[usize], from: usize, binds: &mut Binds) -> bool {
        let Some((elem, rest)) = elems.split_first() else {
            return true;
        };
        if matches!(elem, Elem::Skip) {
            // Past the next actor, or nowhere when none is left.
            let next = match (from..cands.len()).find(|&pos| self.actor[cands[pos]].is_some()) {
                Some(pos) => {
                    let e = &self.entities[self.actor[cands[pos]].expect("found an actor")];
                    let end = (e.first_token + e.n_tokens).saturating_sub(self.first).max(cands[pos] + 1);
                    cands.iter().position(|&t| t >= end).unwrap_or(cands.len())
                }
                None => from,
            };
            return self.match_seq(rest, cands, next, binds);
        }
        for pos in from..cands.len() {
            let saved = *binds;
            if let Some(next) = self.match_one(elem, cands, pos, binds) {
                if self.match_seq(rest, cands, next, binds) {
                    return true;
                }
            }
            *binds = saved;
        }
        false
    }

    /// Matches one element starting at `cands[pos]`; returns the position after it.
    fn match_one(&self, elem: &Elem, cands: &[usize], pos: usize, binds: &mut Binds) -> Option<usize> {
        let token = cands[pos];
        match elem {
            Elem::Prep(items) => {
                let (head, rest) = items.split_first()?;
                let end = self.match_contiguous(std::slice::from_ref(head), token, binds, 0)?;
                let host = match self.head[token] {
                    Some(h) if matches!(self.rel(token), "case" | "mark") => h,
                    _ => token,
                };
                let region: Vec<usize> = self.subtree(host).into_iter().filter(|&t| t >= end).collect();
                // Words alone follow the preposition directly, past its determiners: "for
                // foreign asylum" is no `(FOR ASYLUM)`.
                let words_only = rest.iter().all(|e| matches!(e, Elem::Word(_) | Elem::Synset(_) | Elem::Phrase(_)));
                if words_only && !rest.is_empty() {
                    let mut start = end;
                    while start < self.len() && self.rel(start) == "det" {
                        start += 1;
                    }
                    let end = self.match_contiguous(rest, start, binds, 1)?;
                    let last = region.last().copied().unwrap_or(token).max(token).max(end - 1);
                    return Some(cands.iter().position(|&t| t > last).unwrap_or(cands.len()));
                }
                if !self.match_seq(rest, &region, 0, binds) {
                    return None;
                }
                // The phrase is used up: what follows it in the pattern lies after it ("IFTAR (IN
                // ^) +": the target is past "in Osgiliath").
                let last = region.last().copied().unwrap_or(token).max(token);
                Some(cands.iter().position(|&t| t > last).unwrap_or(cands.len()))
            }
            _ => {
                let end = self.match_contiguous(std::slice::from_ref(elem), token, binds, 0)?;
                Some(cands.iter().position(|&t| t >= end).unwrap_or(cands.len()))
            }
        }
    }

    /// Matches the elements of a `{...}` group from `token`: in order, each right after the
    /// previous one, except that a few modifiers of the phrase (adjectives, numbers, compounds,
    /// adverbs) may stand before an inner element; the last (the phrase's head) follows the
    /// element before it directly: "new global economic relations" is `{NEW &TIETYPES
    /// RELATIONS}`, "economic trade relations" is no `{&TIETYPES RELATIONS}`. Returns the token
    /// after the match.
    fn match_group(&self, items: &[Elem], token: usize, binds: &mut Binds, depth: usize) -> Option<usize> {
        let mut at = token;
        for (index, item) in items.iter().enumerate() {
            let mut start = at;
            loop {
                if let Some(end) = self.match_contiguous(std::slice::from_ref(item), start, binds, depth) {
                    at = end;
                    break;
                }
                // Only between elements, and only over a modifier of the phrase.
                let skippable = index > 0
                    && index + 1 < items.len()
                    && start < self.len()
                    && start - at < 3
                    && matches!(
                        self.rel(start).split(':').next().unwrap_or(""),
                        "amod" | "nummod" | "compound" | "advmod"
                    );
                if !skippable {
                    return None;
                }
                start += 1;
            }
        }
        Some(at)
    }

    /// Matches elements on adjacent tokens from `token`; returns the token after the match.
    fn match_contiguous(&self, elems: &[Elem], token: usize, binds: &mut Binds, depth: usize) -> Option<usize> {
        if depth > 6 {
            return None;
        }
        let mut at = token;
        for elem in elems {
            if at >= self.len() {
                return None;
            }
            at = match elem {
                Elem::Word(spec) => {
                    if !self.word_matches(spec, at) {
                        return None;
                    }
                    binds.words += 1;
                    at + 1
                }
                Elem::Phrase(items) | Elem::Prep(items) => self.match_contiguous(items, at, binds, depth + 1)?,
                Elem::Group(items) => {
                    // A noun phrase: its head, the last word, is no verb ("to supply" is no
                    // `{TO SUPPLY}`).
                    let end = self.match_group(items, at, binds, depth + 1)?;
                    if end > at && self.tokens[end - 1].upos == "VERB" {
                        return None;
                    }
                    end
                }
                Elem::Synset(name) => {
                    let members = self.dict.synsets.get(name)?;
                    members.iter().find_map(|member| self.match_contiguous(member, at, binds, depth + 1))?
                }
                Elem::Skip => at,
                Elem::Source | Elem::Target => {
                    let entity = self.actor[at]?;
                    if matches!(elem, Elem::Source) {
                        binds.source = Some(at);
                    } else {
                        binds.target = Some(at);
                    }
                    let e = &self.entities[entity];
                    (e.first_token + e.n_tokens).saturating_sub(self.first).max(at + 1)
                }
            };
        }
        Some(at)
    }
}
