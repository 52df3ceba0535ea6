//! From names to actors: dictionary names and role words found in each sentence, joined with
//! the named entities and read through the dependency tree.
//!
//! A country-bearing name ("Hungarian", "US", "Iran's") takes the sector of the noun it
//! modifies when that noun is a role word ("Hungarian officials" → HUNGOV, "US military drills"
//! → USAMIL, "Iran's foreign minister" → IRNGOV), and so does the person that noun names ("US
//! President Donald Trump" → USAGOV). A person's title and apposition code them ("Kim, the North
//! Korean leader"). A capital is the government when it acts ("Washington said"), a place when
//! it is where something happens ("in Washington"). Role words that code nothing else become
//! entities of their own ("the rebels" → REB). Within a document, a surname stands for the full
//! name met elsewhere, and "the North"/"the South" for the Koreas once either is named.

use chrono::NaiveDate;
use dateline_doc::{Analysis, Entity, EntityType, Token};
use rustc_hash::FxHashMap;

use super::{Actor, ActorDictionary, NameKind, Role, country_of, match_form};

/// Prepositions that make a place of a country or capital rather than an actor.
const LOCATIVE: &[&str] = &["in", "at", "near", "inside", "across", "throughout", "within", "around", "outside"];

/// Adjectives that are role words ("military drills"); other role words count as nouns only,
/// so that "general strike" is not the military.
const ROLE_ADJECTIVES: &[&str] =
    &["military", "rebel", "naval", "insurgent", "militant", "governmental", "judicial", "parliamentary", "police"];

/// Relations by which a word modifies the noun it hangs from.
const MODIFIER: &[&str] = &["amod", "compound", "nmod:poss", "nmod", "flat", "nmod:desc", "obl", "nmod:npmod"];

/// A name found in a sentence: tokens `first..=last` (indices into `Analysis::tokens`).
#[derive(Clone, Debug)]
struct NameMatch<'d> {
    first: usize,
    last: usize,
    ids: &'d [u32],
}

#[derive(Clone, Debug)]
struct RoleMatch<'d> {
    first: usize,
    last: usize,
    role: &'d Role,
}

/// An entity being built: its tokens and what is known of it.
#[derive(Clone, Debug)]
struct Candidate {
    first: usize,
    last: usize,
    kind: EntityType,
    canonical: Option<String>,
    actor: Option<String>,
    /// The dictionary's kind when the whole span is one dictionary name.
    name_kind: Option<NameKind>,
    /// A title's sector with no country to go with it ("President Francois Mitterrand"):
    /// the document's main country is taken.
    title: Option<(String, bool)>,
    /// For a group named without a country ("Kurds"), the countries it may belong to.
    group_countries: Vec<String>,
    /// A nationality named as an ethnic group ("ethnic Albanians"): a minority of the country
    /// its sentence names.
    ethnic: bool,
}

/// The entities of a document with canonical names and actor codes: the named entities of
/// `analysis` plus the actor mentions the dictionary finds, in text order.
pub(crate) fn link_entities(
    text: &str,
    analysis: &Analysis,
    dictionary: &ActorDictionary,
    date: Option<NaiveDate>,
) -> Vec<Entity> {
    let mut candidates = Vec::new();
    for sentence in &analysis.sentences {
        let range = sentence.first_token..sentence.first_token + sentence.n_tokens;
        let context = Sentence::new(&analysis.tokens, range.clone());
        let entities: Vec<&Entity> =
            analysis.entities.iter().filter(|entity| range.contains(&entity.first_token)).collect();
        candidates.extend(context.link(&entities, dictionary, date));
    }
    alias_within_document(&mut candidates, &analysis.tokens);
    people_by_surname(&mut candidates, &analysis.tokens, dictionary, date);
    titles_in_main_country(&mut candidates);
    groups_in_context(&mut candidates, &analysis.sentences);
    candidates.sort_by_key(|candidate| (candidate.first, candidate.last));
    candidates
        .into_iter()
        .map(|candidate| {
            let (start, end) = (analysis.tokens[candidate.first].start, analysis.tokens[candidate.last].end);
            Entity {
                start,
                end,
                text: text.get(start..end).unwrap_or_default().to_owned(),
                kind: candidate.kind,
                first_token: candidate.first,
                n_tokens: candidate.last + 1 - candidate.first,
                canonical: candidate.canonical,
                actor: candidate.actor,
            }
        })
        .collect()
}

/// One sentence's tokens with the tree's child lists.
struct Sentence<'a> {
    tokens: &'a [Token],
    range: std::ops::Range<usize>,
    children: Vec<Vec<usize>>,
    /// Forms as the dictionary matches them; `None` for hyphens and lone apostrophes.
    forms: Vec<Option<String>>,
    lemmas: Vec<String>,
}

impl<'a> Sentence<'a> {
    fn new(tokens: &'a [Token], range: std::ops::Range<usize>) -> Sentence<'a> {
        let mut children = vec![Vec::new(); range.len()];
        for index in range.clone() {
            if let Some(head) = Self::head_in(tokens, &range, index) {
                children[head - range.start].push(index);
            }
        }
        let forms = tokens[range.clone()].iter().map(|token| match_form(&token.form)).collect();
        let lemmas = tokens[range.clone()].iter().map(|token| token.lemma.to_lowercase()).collect();
        Sentence { tokens, range, children, forms, lemmas }
    }

    fn head_in(tokens: &[Token], range: &std::ops::Range<usize>, index: usize) -> Option<usize> {
        let head = tokens[index].head as usize;
        (head != 0 && head <= range.len()).then(|| range.start + head - 1)
    }

    fn head(&self, index: usize) -> Option<usize> {
        Self::head_in(self.tokens, &self.range, index)
    }

    fn children(&self, index: usize) -> &[usize] {
        &self.children[index - self.range.start]
    }

    fn deprel(&self, index: usize) -> &str {
        self.tokens[index].deprel.as_str()
    }

    fn lower(&self, index: usize) -> &str {
        self.forms[index - self.range.start].as_deref().unwrap_or(self.tokens[index].form.as_str())
    }

    /// The token of `first..=last` whose head lies outside the span (the last one if several).
    fn span_head(&self, first: usize, last: usize) -> usize {
        (first..=last)
            .rev()
            .find(|&index| self.head(index).is_none_or(|head| head < first || head > last))
            .unwrap_or(last)
    }

    fn link(&self, entities: &[&Entity], dictionary: &ActorDictionary, date: Option<NaiveDate>) -> Vec<Candidate> {
        let (names, roles) = self.find(dictionary);
        let mut candidates: Vec<Candidate> = entities
            .iter()
            .map(|entity| Candidate {
                first: entity.first_token,
                last: entity.first_token + entity.n_tokens.max(1) - 1,
                kind: entity.kind,
                canonical: None,
                actor: None,
                name_kind: None,
                title: None,
                group_countries: Vec::new(),
                ethnic: false,
            })
            .collect();
        // "Jean-Bertrand Aristide", "Khanty-Mansiysk": the recogniser may cut a name at a
        // hyphen written without spaces; the two halves are one entity.
        candidates.sort_by_key(|c| c.first);
        let mut index = 1;
        while index < candidates.len() {
            let (before, after) = (&candidates[index - 1], &candidates[index]);
            let joined = after.first == before.last + 2
                && is_hyphen(&self.tokens[before.last + 1].form)
                && self.tokens[before.last].end == self.tokens[before.last + 1].start
                && self.tokens[before.last + 1].end == self.tokens[after.first].start;
            if joined {
                let last = after.last;
                let kind = if before.kind == after.kind { before.kind } else { after.kind };
                candidates[index - 1].last = last;
                candidates[index - 1].kind = kind;
                candidates.remove(index);
            } else {
                index += 1;
            }
        }
        // Dictionary names join the entities: a name covering entities replaces them (the
        // recogniser may have cut "Kim Jong-un" in two); a name inside an entity informs it.
        for name in &names {
            let inside = candidates.iter().any(|c| c.first <= name.first && name.last <= c.last);
            if inside {
                continue;
            }
            let actor = dictionary.actor(name.ids[0]);
            let kind = entity_type(actor.kind);
            let merged: Vec<usize> = (0..candidates.len())
                .filter(|&index| candidates[index].first <= name.last && name.first <= candidates[index].last)
                .collect();
            let (mut first, mut last) = (name.first, name.last);
            for &index in merged.iter().rev() {
                first = first.min(candidates[index].first);
                last = last.max(candidates[index].last);
                candidates.remove(index);
            }
            candidates.push(Candidate {
                first,
                last,
                kind,
                canonical: None,
                actor: None,
                name_kind: None,
                title: None,
                group_countries: Vec::new(),
                ethnic: false,
            });
        }
        // A surname alone that the recogniser missed, of a person in office on the date:
        // "Putin offered to negotiate".
        if date.is_some() {
            for index in self.range.clone() {
                let token = &self.tokens[index];
                let covered = candidates.iter().any(|c| c.first <= index && index <= c.last)
                    || names.iter().any(|name| name.first <= index && index <= name.last);
                if covered || token.upos != "PROPN" || !token.form.chars().next().is_some_and(char::is_uppercase) {
                    continue;
                }
                let in_office = dictionary
                    .person_by_surname(self.lower(index), date)
                    .is_some_and(|person| person.code_at(date).is_some());
                if in_office {
                    candidates.push(Candidate {
                        first: index,
                        last: index,
                        kind: EntityType::Person,
                        canonical: None,
                        actor: None,
                        name_kind: None,
                        title: None,
                        group_countries: Vec::new(),
                        ethnic: false,
                    });
                }
            }
        }
        let mut consumed_roles = vec![false; roles.len()];
        let mut person_codes: Vec<(usize, String)> = Vec::new();
        // Codes given to role words coordinated with a composed one ("Danish media and
        // government": the government is Danish too).
        let mut role_codes: Vec<Option<String>> = vec![None; roles.len()];
        for candidate in &mut candidates {
            let inner: Vec<&NameMatch> =
                names.iter().filter(|name| candidate.first <= name.first && name.last <= candidate.last).collect();
            let exact = inner.iter().find(|name| name.first == candidate.first && name.last == candidate.last);
            if let Some(name) = exact {
                self.code_name(
                    candidate,
                    name,
                    dictionary,
                    date,
                    &roles,
                    (&mut consumed_roles, &mut role_codes),
                    &mut person_codes,
                );
            } else if let Some(name) = inner.first().filter(|name| self.only_name_inside(candidate, name)) {
                // "Eighty UN": the rest of the entity is no name.
                self.code_name(
                    candidate,
                    name,
                    dictionary,
                    date,
                    &roles,
                    (&mut consumed_roles, &mut role_codes),
                    &mut person_codes,
                );
            } else if let Some(name) = inner.first() {
                // An entity holding a name: "Iranian Foreign Ministry", "Ministry of Defence of Iran".
                let actor = dictionary.actor(name.ids[0]);
                if let Some(country) = actor.code_at(date).and_then(country_of) {
                    let role = roles
                        .iter()
                        .enumerate()
                        .find(|(_, role)| candidate.first <= role.first && role.last <= candidate.last);
                    if let Some((index, role)) = role {
                        consumed_roles[index] = true;
                        candidate.actor = Some(compose(country, &role.role.code, role.role.prefix));
                    } else if candidate.kind != EntityType::Location || self.only_directions_besides(candidate, name) {
                        // "South Lebanon", "northern Iraq": a part of the country is the country.
                        candidate.actor = Some(country.to_owned());
                    }
                }
            } else if matches!(candidate.kind, EntityType::Person | EntityType::Organization) {
                self.code_by_modifiers(candidate, &names, dictionary, date, &roles, &mut consumed_roles);
            }
        }
        // A person named by a coded title takes its code: "US President Donald Trump".
        for (head, code) in person_codes {
            if let Some(person) = candidates
                .iter_mut()
                .find(|c| c.first <= head && head <= c.last && c.kind == EntityType::Person && c.actor.is_none())
            {
                person.actor = Some(code);
            }
        }
        // Role words coding nothing else are actors of their own: "the rebels", "police".
        for (index, role) in roles.iter().enumerate() {
            let overlaps = candidates.iter().any(|c| c.first <= role.last && role.first <= c.last);
            if let Some(code) = role_codes[index].take() {
                if !overlaps {
                    // An actor of its own, no bare role.
                    candidates.push(Candidate {
                        first: role.first,
                        last: role.last,
                        kind: EntityType::Organization,
                        canonical: None,
                        actor: Some(code),
                        name_kind: None,
                        title: None,
                        group_countries: Vec::new(),
                        ethnic: false,
                    });
                }
                continue;
            }
            if consumed_roles[index] || overlaps || self.tokens[role.last].upos != "NOUN" {
                continue;
            }
            if self.deprel(role.last) == "compound" {
                continue;
            }
            candidates.push(Candidate {
                first: role.first,
                last: role.last,
                kind: EntityType::Role,
                canonical: None,
                actor: Some(role.role.code.clone()),
                name_kind: None,
                title: None,
                group_countries: Vec::new(),
                ethnic: false,
            });
        }
        candidates
    }

    /// The dictionary names and role words of the sentence, left to right, longest first.
    fn find<'d>(&self, dictionary: &'d ActorDictionary) -> (Vec<NameMatch<'d>>, Vec<RoleMatch<'d>>) {
        // Hyphens are not words: "Kim Jong-un" is matched as "kim jong un".
        let positions: Vec<usize> =
            self.range.clone().filter(|&index| self.forms[index - self.range.start].is_some()).collect();
        let words: Vec<(&str, &str)> =
            positions.iter().map(|&index| (self.tokens[index].form.as_str(), self.lower(index))).collect();
        let forms: Vec<&str> = positions.iter().map(|&index| self.lower(index)).collect();
        let lemmas: Vec<&str> = positions.iter().map(|&index| self.lemmas[index - self.range.start].as_str()).collect();
        let mut names = Vec::new();
        let mut roles = Vec::new();
        let mut at = 0;
        while at < words.len() {
            if let Some((n, ids)) = dictionary.match_name(&words[at..])
                && self.is_name(&words[at..at + n], dictionary, ids)
            {
                names.push(NameMatch { first: positions[at], last: positions[at + n - 1], ids });
                at += n;
                continue;
            }
            if let Some((n, role)) = dictionary.match_role(&forms[at..], &lemmas[at..]) {
                let last = positions[at + n - 1];
                let upos = self.tokens[last].upos.as_str();
                let adjective_ok =
                    upos == "ADJ" && ROLE_ADJECTIVES.contains(&self.lemmas[last - self.range.start].as_str());
                if upos == "NOUN" || upos == "PROPN" || adjective_ok {
                    roles.push(RoleMatch { first: positions[at], last, role });
                    at += n;
                    continue;
                }
            }
            at += 1;
        }
        (names, roles)
    }

    /// Names are written capitalised: "turkey" and "china" in lower case are not countries.
    fn is_name(&self, words: &[(&str, &str)], dictionary: &ActorDictionary, ids: &[u32]) -> bool {
        let case_sensitive = ids.iter().all(|&id| dictionary.actor(id).kind == NameKind::Abbreviation);
        if case_sensitive {
            return true;
        }
        let content = words.iter().find(|(form, _)| !matches!(*form, "the" | "of" | "and" | "al" | "el"));
        content.is_some_and(|(form, _)| form.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic()))
    }

    /// Codes an entity that is exactly one dictionary name.
    #[allow(clippy::too_many_arguments)]
    fn code_name(
        &self,
        candidate: &mut Candidate,
        name: &NameMatch,
        dictionary: &ActorDictionary,
        date: Option<NaiveDate>,
        roles: &[RoleMatch],
        (consumed_roles, role_codes): (&mut [bool], &mut [Option<String>]),
        person_codes: &mut Vec<(usize, String)>,
    ) {
        let actor = name
            .ids
            .iter()
            .map(|&id| dictionary.actor(id))
            .find(|actor| actor.code_at(date).is_some())
            .unwrap_or_else(|| dictionary.actor(name.ids[0]));
        candidate.name_kind = Some(actor.kind);
        candidate.canonical = Some(actor.canonical.clone());
        let code = actor.code_at(date);
        match actor.kind {
            NameKind::Person => candidate.actor = actor.code_or_former(date),
            NameKind::Organisation | NameKind::Metonym => {
                candidate.actor = code.map(str::to_owned);
                // "Red Cross officials", "al-Qaeda leaders", "officials of the Red Cross": the
                // role word names the organisation's people and takes its code (a bare role
                // would code them as some government's).
                if let Some(code) = code
                    && let Some((index, _)) = self.governing_role(name, roles)
                    && !consumed_roles[index]
                    // "Arab League Secretary General Chadli Klibi": a title of the name after it.
                    && self.tokens.get(roles[index].last + 1).is_none_or(|next| next.upos != "PROPN")
                {
                    consumed_roles[index] = true;
                    role_codes[index] = Some(code.to_owned());
                }
            }
            NameKind::Capital => {
                // A capital that acts is its government ("Washington said"); where something
                // happens ("in Washington") it stands for its country.
                let head = self.span_head(name.first, name.last);
                if self.acts(head) && !is_dateline(self.tokens, name) {
                    candidate.actor = code.map(|code| format!("{code}GOV"));
                } else {
                    candidate.actor = code.map(str::to_owned);
                }
            }
            NameKind::Country | NameKind::Adjective | NameKind::Abbreviation | NameKind::Other | NameKind::Group => {
                if actor.kind == NameKind::Group {
                    candidate.group_countries = actor.codes.iter().map(|code| code.code.clone()).collect();
                }
                // "ethnic Albanians in south Serbia": an ethnic minority, of the country its
                // sentence puts it in (another country named there), else of its own.
                // "Bosnian Serbs", "Kosovo Albanians": a people named after another country is
                // an ethnic group of that one.
                let ethnic = name.first > self.range.start
                    && (self.lower(name.first - 1) == "ethnic"
                        || self.people_of_another_country(name, actor, dictionary, date));
                if ethnic && actor.kind == NameKind::Adjective {
                    candidate.ethnic = true;
                }
                let Some(code) = code else { return };
                let head = self.span_head(name.first, name.last);
                // A user's (PETRARCH) actor takes the roles that modify it ("Bree Prime Minister
                // Romendacil", "MSF Arnor"), and composes with roles whatever its code.
                let user = actor.kind == NameKind::Other;
                let code = if user { self.with_own_roles(code, name, roles, consumed_roles) } else { code.to_owned() };
                let is_country = country_of(&code).is_some() && code.len() == 3;
                // A user's actor in a locative phrase still names the role word it modifies
                // ("Lawmakers in Arnor and Gondor" are both countries' lawmakers).
                let locative = self.is_locative(head) && !(user && self.modifies_role(name, roles));
                if !(is_country || user) || locative {
                    candidate.actor = Some(code);
                    return;
                }
                match self.governing_role(name, roles) {
                    Some((index, governor)) => {
                        consumed_roles[index] = true;
                        let composed = compose(&code, &roles[index].role.code, roles[index].role.prefix);
                        if let Some(governor) = governor {
                            person_codes.push((governor, composed.clone()));
                        }
                        // Role words coordinated with the composed one share its actor.
                        let at = roles[index].last;
                        for (other, role) in roles.iter().enumerate() {
                            let coordinated = self.deprel(role.last) == "conj" && self.head(role.last) == Some(at);
                            if coordinated && !consumed_roles[other] {
                                consumed_roles[other] = true;
                                role_codes[other] = Some(compose(&code, &role.role.code, role.role.prefix));
                            }
                        }
                        candidate.actor = Some(composed);
                    }
                    None => candidate.actor = Some(code),
                }
            }
        }
    }

    /// True for a people ("Serbs") written right after the name or adjective of another
    /// country ("Bosnian Serbs"). Cypriots are Cypriots whatever their community ("Turkish
    /// Cypriots").
    fn people_of_another_country(
        &self,
        name: &NameMatch,
        actor: &Actor,
        dictionary: &ActorDictionary,
        date: Option<NaiveDate>,
    ) -> bool {
        let word = &self.tokens[name.last];
        let plural_noun = name.first == name.last
            && matches!(word.upos.as_str(), "NOUN" | "PROPN")
            && word.form.ends_with('s')
            && !word.form.get(..7).is_some_and(|stem| stem.eq_ignore_ascii_case("cypriot"));
        if actor.kind != NameKind::Adjective || !plural_noun {
            return false;
        }
        let before = name.first - 1;
        let own = actor.code_at(date).and_then(country_of);
        let form = self.tokens[before].form.as_str();
        if !form.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        dictionary.match_name(&[(form, self.lower(before))]).is_some_and(|(_, ids)| {
            ids.iter().map(|&id| dictionary.actor(id)).any(|other| {
                matches!(other.kind, NameKind::Adjective | NameKind::Country)
                    && other.code_at(date).and_then(country_of).is_some_and(|country| Some(country) != own)
            })
        })
    }

    /// `code` with the roles that modify the name itself, nearest first: a title before it
    /// ("Prime Minister Romendacil") or a role word hanging from it ("MSF Arnor").
    fn with_own_roles(&self, code: &str, name: &NameMatch, roles: &[RoleMatch], consumed: &mut [bool]) -> String {
        let head = self.span_head(name.first, name.last);
        let mut own: Vec<usize> = Vec::new();
        for (index, role) in roles.iter().enumerate() {
            let attached = self.head(role.last) == Some(head)
                && matches!(self.deprel(role.last), "compound" | "amod" | "flat" | "name" | "nmod:desc");
            // Or right before the name with only names and role words between.
            let adjacent = role.last < name.first
                && (role.last + 1..name.first).all(|between| {
                    roles.iter().any(|other| other.first <= between && between <= other.last)
                        || self.tokens[between].upos == "PROPN"
                });
            if (attached || adjacent) && role.last < name.first {
                own.push(index);
            }
        }
        own.sort_by_key(|&index| std::cmp::Reverse(roles[index].last));
        let mut code = code.to_owned();
        for index in own {
            consumed[index] = true;
            // A person whose own code names a sector keeps it: a title adds no second one
            // ("Foreign Minister X" with X coded VNMELI stays VNMELI).
            let role = &roles[index].role;
            if !role.prefix && ends_with_sector(&code) {
                continue;
            }
            code = compose(&code, &role.code, role.prefix);
        }
        code
    }

    /// True when the name (or the first conjunct of its list) hangs from a role word as a
    /// noun modifier: "lawmakers in Arnor", "officials in Arnor and Gondor".
    fn modifies_role(&self, name: &NameMatch, roles: &[RoleMatch]) -> bool {
        let mut node = self.span_head(name.first, name.last);
        while self.deprel(node) == "conj" {
            match self.head(node) {
                Some(head) => node = head,
                None => break,
            }
        }
        matches!(self.deprel(node), "nmod" | "obl")
            && self.head(node).is_some_and(|governor| roles.iter().any(|role| role.last == governor))
    }

    /// The role a country-bearing name takes from what it modifies: the role word it hangs
    /// from, or a role word modifying the same noun, or the role word right after it. Returns
    /// the role's index and the governing token when that token may be a person's name.
    fn governing_role(&self, name: &NameMatch, roles: &[RoleMatch]) -> Option<(usize, Option<usize>)> {
        let role_at = |token: usize| roles.iter().position(|role| role.last == token);
        let mut node = self.span_head(name.first, name.last);
        // "Hungarian and Romanian officials": a conjunct hangs from the first conjunct.
        while self.deprel(node) == "conj" {
            match self.head(node) {
                Some(head) => node = head,
                None => break,
            }
        }
        if MODIFIER.contains(&self.deprel(node))
            && let Some(governor) = self.head(node)
        {
            if let Some(index) = role_at(governor) {
                return Some((index, None));
            }
            // "US President Donald Trump", "US military drills": a role word beside the name.
            for &child in self.children(governor) {
                if child != node
                    && matches!(self.deprel(child), "amod" | "compound" | "nmod:desc" | "flat")
                    && let Some(index) = role_at(child)
                {
                    return Some((index, Some(governor)));
                }
            }
        }
        // Surface order, for trees that went astray: "Senior Hungarian officials".
        let mut next = name.last + 1;
        while next < self.range.end && roles.iter().all(|role| role.first != next) {
            let form = self.lower(next);
            let skippable = matches!(form, "and" | "," | "'s" | "’s" | "-" | "senior" | "top" | "former")
                || self.tokens[next].upos == "ADJ"
                || (self.tokens[next].upos == "PROPN"
                    && self.tokens[next].form.chars().next().is_some_and(char::is_uppercase));
            if !skippable || next > name.last + 3 {
                return None;
            }
            next += 1;
        }
        roles.iter().position(|role| role.first == next).map(|index| (index, None))
    }

    /// True when the entity's words besides the name are directions ("South Lebanon",
    /// "northern Iraq"), not another name ("New Mexico", "Gulf of Mexico").
    fn only_directions_besides(&self, candidate: &Candidate, name: &NameMatch) -> bool {
        (candidate.first..=candidate.last).filter(|&index| index < name.first || index > name.last).all(|index| {
            matches!(
                self.lower(index),
                "north"
                    | "south"
                    | "east"
                    | "west"
                    | "northern"
                    | "southern"
                    | "eastern"
                    | "western"
                    | "central"
                    | "northeast"
                    | "northwest"
                    | "southeast"
                    | "southwest"
                    | "northeastern"
                    | "northwestern"
                    | "southeastern"
                    | "southwestern"
                    | "upper"
                    | "lower"
                    | "the"
            )
        })
    }

    /// A person or organisation the dictionary does not know, coded by its title, modifiers
    /// and apposition: "North Korean leader Kim", "Kim, the North Korean leader",
    /// "Iran's Foreign Ministry".
    fn code_by_modifiers(
        &self,
        candidate: &mut Candidate,
        names: &[NameMatch],
        dictionary: &ActorDictionary,
        date: Option<NaiveDate>,
        roles: &[RoleMatch],
        consumed_roles: &mut [bool],
    ) {
        let head = self.span_head(candidate.first, candidate.last);
        let mut scope: Vec<usize> = Vec::new();
        for &child in self.children(head) {
            if (child < candidate.first || child > candidate.last)
                && matches!(self.deprel(child), "compound" | "nmod:desc" | "amod" | "appos" | "nmod:poss" | "nmod")
            {
                self.subtree(child, &mut scope, 12);
            }
        }
        // "Niger's ambassador Brah Mohamane": a name in apposition to a title takes the
        // title's modifiers.
        if self.deprel(head) == "appos"
            && let Some(title) = self.head(head)
        {
            scope.push(title);
            for &child in self.children(title) {
                if child != head && matches!(self.deprel(child), "compound" | "nmod:desc" | "amod" | "nmod:poss") {
                    self.subtree(child, &mut scope, 24);
                }
            }
        }
        // Titles right before the name, whatever the tree says.
        let mut left = candidate.first;
        while left > self.range.start && left + 6 > candidate.first {
            let previous = left - 1;
            let token = &self.tokens[previous];
            let title_like = token.upos == "PROPN" || token.upos == "ADJ" || token.upos == "NOUN";
            if !title_like {
                break;
            }
            scope.push(previous);
            left = previous;
        }
        if candidate.kind == EntityType::Organization {
            scope.extend(candidate.first..=candidate.last);
        }
        let country = names
            .iter()
            .filter(|name| scope.contains(&name.first))
            .find_map(|name| dictionary.actor(name.ids[0]).code_at(date).and_then(country_of));
        let role = roles.iter().enumerate().find(|(_, role)| scope.contains(&role.last));
        // "Arab League Secretary General Chadli Klibi": an organisation's title names one of
        // its people.
        let organisation = || {
            names.iter().filter(|name| scope.contains(&name.first)).find_map(|name| {
                let actor = dictionary.actor(name.ids[0]);
                (actor.kind == NameKind::Organisation).then(|| actor.code_at(date)).flatten()
            })
        };
        if let Some(country) = country {
            candidate.actor = Some(match role {
                Some((index, role)) => {
                    consumed_roles[index] = true;
                    compose(country, &role.role.code, role.role.prefix)
                }
                None => country.to_owned(),
            });
        } else if let Some((index, role)) = role {
            consumed_roles[index] = true;
            if candidate.kind == EntityType::Person {
                match organisation() {
                    Some(code) => candidate.actor = Some(code.to_owned()),
                    None => candidate.title = Some((role.role.code.clone(), role.role.prefix)),
                }
            }
        }
    }

    fn subtree(&self, root: usize, into: &mut Vec<usize>, limit: usize) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if into.len() >= limit {
                return;
            }
            into.push(node);
            stack.extend(self.children(node).iter().copied());
        }
    }

    /// True when the entity's tokens outside `name` are no names themselves (numbers,
    /// determiners, punctuation): "Eighty UN", "the Kremlin".
    fn only_name_inside(&self, candidate: &Candidate, name: &NameMatch) -> bool {
        (candidate.first..=candidate.last)
            .filter(|&index| index < name.first || index > name.last)
            .all(|index| matches!(self.tokens[index].upos.as_str(), "NUM" | "DET" | "PUNCT"))
    }

    /// "in Washington", "at the Kremlin": a place, not an actor.
    fn is_locative(&self, head: usize) -> bool {
        self.children(head).iter().any(|&child| self.deprel(child) == "case" && LOCATIVE.contains(&self.lower(child)))
    }

    /// A capital that does something: "Washington said", "warned Pyongyang", "Moscow's move".
    fn acts(&self, head: usize) -> bool {
        let mut node = head;
        while self.deprel(node) == "conj" {
            match self.head(node) {
                Some(parent) => node = parent,
                None => break,
            }
        }
        matches!(
            self.deprel(node),
            "nsubj" | "nsubj:pass" | "obj" | "iobj" | "obl:agent" | "nmod:poss" | "obl" | "nmod"
        ) && !self.is_locative(node)
    }
}

fn is_hyphen(form: &str) -> bool {
    matches!(form, "-" | "\u{2010}" | "\u{2011}")
}

/// A capital written in capitals at the start of a sentence, as datelines are ("HANOI —").
fn is_dateline(tokens: &[Token], name: &NameMatch) -> bool {
    tokens[name.first..=name.last].iter().all(|token| !token.form.chars().any(char::is_lowercase))
        && tokens
            .get(name.last + 1)
            .is_some_and(|next| matches!(next.form.as_str(), "-" | "\u{2013}" | "\u{2014}" | "," | ":"))
}

/// True when a code of more than three letters ends with a sector ("VNMELI", "USAGOV").
fn ends_with_sector(code: &str) -> bool {
    code.len() > 3 && code.get(code.len() - 3..).is_some_and(super::is_sector)
}

/// A country code with a sector after it ("USA" + "GOV"), or before it for prefix roles; a
/// code that already ends (or, for a prefix, begins) with the sector is kept ("White House
/// security officials" stay USAGOV).
fn compose(country: &str, sector: &str, prefix: bool) -> String {
    match prefix {
        true if country.starts_with(sector) => country.to_owned(),
        false if country.ends_with(sector) => country.to_owned(),
        true => format!("{sector}{country}"),
        false => format!("{country}{sector}"),
    }
}

fn entity_type(kind: NameKind) -> EntityType {
    match kind {
        NameKind::Person => EntityType::Person,
        NameKind::Organisation | NameKind::Metonym | NameKind::Other => EntityType::Organization,
        NameKind::Country | NameKind::Capital | NameKind::Abbreviation => EntityType::Location,
        NameKind::Adjective | NameKind::Group => EntityType::Group,
    }
}

/// What an alias stands for: a canonical name and an actor code; `None` in the map when two
/// people share the alias.
type Alias = (Option<String>, Option<String>);

/// Surnames stand for the full names met in the document ("Kim" → "Kim Jong Un"), and "the
/// North"/"the South" for the Koreas once either is named.
fn alias_within_document(candidates: &mut [Candidate], tokens: &[Token]) {
    let mut aliases: FxHashMap<String, Option<Alias>> = FxHashMap::default();
    for candidate in candidates.iter() {
        if candidate.kind != EntityType::Person || candidate.first == candidate.last {
            continue;
        }
        let full = (first_last_forms(candidate, tokens), candidate.canonical.clone(), candidate.actor.clone());
        let ((first, last), canonical, actor) = full;
        let canonical = canonical.or_else(|| {
            Some(tokens[candidate.first..=candidate.last].iter().map(|t| t.form.as_str()).collect::<Vec<_>>().join(" "))
        });
        let mut keys = vec![last];
        // Family names written first: "Kim Jong Un" → "Kim", "Xi Jinping" → "Xi".
        if candidate.name_kind == Some(NameKind::Person) {
            keys.push(first);
        }
        for key in keys {
            let value = (canonical.clone(), actor.clone());
            aliases
                .entry(key)
                .and_modify(|known| {
                    if known.as_ref().is_some_and(|known| known.0 != value.0) {
                        *known = None;
                    }
                })
                .or_insert(Some(value));
        }
    }
    for candidate in candidates.iter_mut() {
        if candidate.kind != EntityType::Person || candidate.first != candidate.last || candidate.canonical.is_some() {
            continue;
        }
        if let Some(Some((canonical, actor))) = aliases.get(&tokens[candidate.first].form.to_lowercase()) {
            candidate.canonical = canonical.clone();
            if candidate.actor.is_none() {
                candidate.actor = actor.clone();
            }
        }
    }
}

/// People the document names by surname alone, or in a spelling the dictionary lacks
/// ("Putin", "Omar El Bashir"): the one person of that surname in office on the date.
fn people_by_surname(
    candidates: &mut [Candidate],
    tokens: &[Token],
    dictionary: &ActorDictionary,
    date: Option<NaiveDate>,
) {
    for candidate in candidates.iter_mut() {
        if candidate.kind != EntityType::Person || candidate.canonical.is_some() || candidate.name_kind.is_some() {
            continue;
        }
        let (_, last) = first_last_forms(candidate, tokens);
        if let Some(person) = dictionary.person_by_surname(&last, date) {
            candidate.canonical = Some(person.canonical.clone());
            if candidate.actor.is_none() {
                candidate.actor = person.code_or_former(date);
            }
        }
    }
}

/// A group named without a country ("Kurds", "Hutu rebels") belongs to the first of its
/// countries that its sentence names, else its document; a group of one country to that one;
/// else it stays uncoded.
fn groups_in_context(candidates: &mut [Candidate], sentences: &[dateline_doc::Sentence]) {
    let sentence_of =
        |token: usize| sentences.iter().position(|s| s.first_token <= token && token < s.first_token + s.n_tokens);
    let countries: Vec<(Option<usize>, String)> = candidates
        .iter()
        .filter(|candidate| candidate.group_countries.is_empty())
        .filter_map(|candidate| {
            let country = candidate.actor.as_deref().and_then(country_of)?;
            Some((sentence_of(candidate.first), country.to_owned()))
        })
        .collect();
    for candidate in candidates.iter_mut() {
        if candidate.ethnic {
            let sentence = sentence_of(candidate.first);
            let own = candidate.actor.as_deref().and_then(country_of).map(str::to_owned);
            let host = countries.iter().find(|(at, known)| *at == sentence && Some(known) != own.as_ref());
            if let (Some((_, host)), Some(code)) = (host, candidate.actor.take()) {
                candidate.actor = Some(format!("{host}{}", code.get(3..).unwrap_or_default()));
            }
            continue;
        }
        if candidate.group_countries.is_empty() {
            continue;
        }
        let sentence = sentence_of(candidate.first);
        let in_sentence = candidate
            .group_countries
            .iter()
            .find(|country| countries.iter().any(|(at, known)| *at == sentence && known == *country));
        let in_document =
            candidate.group_countries.iter().find(|country| countries.iter().any(|(_, known)| known == *country));
        let only = (candidate.group_countries.len() == 1).then(|| &candidate.group_countries[0]);
        let chosen = in_sentence.or(in_document).or(only).cloned();
        candidate.actor = match (chosen, candidate.actor.take()) {
            // The provisional code starts with the group's first country: put the chosen one
            // in its place, keeping any sector composed after it.
            (Some(country), Some(code)) => Some(format!("{country}{}", code.get(3..).unwrap_or_default())),
            (Some(country), None) => Some(country),
            // "Moslem demonstrators" with no country of the group named: the role it composed
            // with stays, without a country.
            (None, Some(code)) => code.get(3..).filter(|sector| !sector.is_empty()).map(str::to_owned),
            (None, None) => None,
        };
    }
}

/// People with a title and no country ("Defence Minister Pierre Joxe") belong to the country
/// the document names most (the first named, on a tie).
fn titles_in_main_country(candidates: &mut [Candidate]) {
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for candidate in candidates.iter() {
        let Some(country) = candidate.actor.as_deref().and_then(country_of) else { continue };
        match counts.iter_mut().find(|(known, _, _)| known == country) {
            Some((_, count, _)) => *count += 1,
            None => counts.push((country.to_owned(), 1, candidate.first)),
        }
    }
    let Some((main, _, _)) = counts.iter().max_by_key(|(_, count, first)| (*count, std::cmp::Reverse(*first))) else {
        return;
    };
    for candidate in candidates.iter_mut() {
        if candidate.actor.is_none()
            && let Some((sector, prefix)) = &candidate.title
        {
            candidate.actor = Some(compose(main, sector, *prefix));
        }
    }
}

fn first_last_forms(candidate: &Candidate, tokens: &[Token]) -> (String, String) {
    let words: Vec<String> =
        tokens[candidate.first..=candidate.last].iter().filter_map(|t| match_form(&t.form)).collect();
    let first = words.first().cloned().unwrap_or_default();
    let last = words.last().cloned().unwrap_or_default();
    (first, last)
}

#[cfg(test)]
mod tests {
    use dateline_doc::Sentence as Span;

    use super::*;
    use crate::actors::{read_petrarch_actors, read_petrarch_agents};

    /// One sentence as (form, upos, head, deprel) per word.
    fn analysis(words: &[(&str, &str, u32, &str)]) -> (String, Analysis) {
        let mut text = String::new();
        let mut tokens = Vec::new();
        for &(form, upos, head, deprel) in words {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(form);
            tokens.push(Token {
                start,
                end: text.len(),
                form: form.to_owned(),
                upos: upos.to_owned(),
                xpos: String::new(),
                lemma: form.to_lowercase(),
                head,
                deprel: deprel.to_owned(),
            });
        }
        let sentence = Span { start: 0, end: text.len(), first_token: 0, n_tokens: tokens.len() };
        (text, Analysis { sentences: vec![sentence], tokens, entities: Vec::new() })
    }

    fn actors(words: &[(&str, &str, u32, &str)]) -> Vec<(String, String)> {
        let mut dictionary = ActorDictionary::default();
        dictionary.add(read_petrarch_actors("a.txt", "CAMELOT [CAM]\nMERLIN [CAM]\nDANISH [DNK]\n"));
        let agents = "PRIME_MINISTER [~GOV]\nCHARITY {} [NGO~]\nMEDIA {} [~MED]\nGOVERNMENT [~GOV]\n";
        dictionary.add(read_petrarch_agents("b.txt", agents));
        let (text, analysis) = analysis(words);
        link_entities(&text, &analysis, &dictionary, None)
            .into_iter()
            .filter_map(|entity| Some((entity.text, entity.actor?)))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|&(a, b)| (a.to_owned(), b.to_owned())).collect()
    }

    #[test]
    fn user_actors_take_their_titles_and_prefix_roles() {
        let found = actors(&[
            ("Camelot", "PROPN", 3, "compound"),
            ("Prime", "PROPN", 3, "compound"),
            ("Minister", "PROPN", 4, "compound"),
            ("Merlin", "PROPN", 5, "nsubj"),
            ("spoke", "VERB", 0, "root"),
        ]);
        assert!(found.contains(&("Merlin".to_owned(), "CAMGOV".to_owned())), "{found:?}");
        let found = actors(&[
            ("Charity", "PROPN", 2, "compound"),
            ("Camelot", "PROPN", 3, "nsubj"),
            ("spoke", "VERB", 0, "root"),
        ]);
        assert_eq!(found, pairs(&[("Camelot", "NGOCAM")]));
    }

    #[test]
    fn coordinated_roles_share_the_actor() {
        let found = actors(&[
            ("Danish", "ADJ", 2, "amod"),
            ("media", "NOUN", 5, "nsubj"),
            ("and", "CCONJ", 4, "cc"),
            ("government", "NOUN", 2, "conj"),
            ("spoke", "VERB", 0, "root"),
        ]);
        assert_eq!(found, pairs(&[("Danish", "DNKMED"), ("government", "DNKGOV")]));
    }

    #[test]
    fn user_actors_in_a_locative_phrase_still_name_the_role() {
        // Media in Camelot and Danish spoke : both are the role's countries.
        let found = actors(&[
            ("Media", "NOUN", 6, "nsubj"),
            ("in", "ADP", 3, "case"),
            ("Camelot", "PROPN", 1, "nmod"),
            ("and", "CCONJ", 5, "cc"),
            ("Danish", "PROPN", 3, "conj"),
            ("spoke", "VERB", 0, "root"),
        ]);
        assert_eq!(found, pairs(&[("Camelot", "CAMMED"), ("Danish", "DNKMED")]));
        // They spoke in Camelot : a place, no role.
        let found = actors(&[
            ("They", "PRON", 2, "nsubj"),
            ("spoke", "VERB", 0, "root"),
            ("in", "ADP", 4, "case"),
            ("Camelot", "PROPN", 2, "obl"),
        ]);
        assert_eq!(found, pairs(&[("Camelot", "CAM")]));
    }
}
