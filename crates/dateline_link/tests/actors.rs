//! Actor linking through the real NLP pipeline, on the project's own sentences: each case
//! names entities (by text) and the actor code linking must give them.

use std::sync::OnceLock;

use chrono::NaiveDate;
use dateline_doc::{Entity, Timestamp};
use dateline_link::Linker;
use dateline_nlp::pipeline::{Models, analyze};

fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| Models::embedded().expect("embedded models load"))
}

fn linker() -> &'static Linker {
    static LINKER: OnceLock<Linker> = OnceLock::new();
    LINKER.get_or_init(|| Linker::embedded().expect("embedded resources load"))
}

fn entities(text: &str, date: &str) -> Vec<Entity> {
    let (analysis, _) = analyze(text, models());
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok().map(Timestamp::Date);
    linker().link(text, &analysis, date).entities
}

/// Checks that each `(text, code)` is an entity with that actor code (`-` for none).
#[track_caller]
fn check(text: &str, date: &str, expected: &[(&str, &str)]) {
    let found = entities(text, date);
    let shown: Vec<String> =
        found.iter().map(|e| format!("{}={}", e.text, e.actor.as_deref().unwrap_or("-"))).collect();
    for (mention, code) in expected {
        let hit = found.iter().find(|entity| entity.text == *mention);
        let actual = hit.map(|entity| entity.actor.as_deref().unwrap_or("-"));
        assert_eq!(actual, Some(*code), "`{mention}` in {text:?}: found {shown:?}");
    }
}

#[test]
fn countries_adjectives_and_roles() {
    check(
        "Senior Hungarian and Romanian officials agreed on Wednesday that their countries should cooperate.",
        "2019-03-01",
        &[("Hungarian", "HUNGOV"), ("Romanian", "ROUGOV")],
    );
    check("North Korea said it would not negotiate.", "2019-03-01", &[("North Korea", "PRK")]);
    check("US military drills angered Pyongyang.", "2019-03-01", &[("US", "USAMIL"), ("Pyongyang", "PRKGOV")]);
    check("Iran's foreign minister rejected the offer.", "2019-03-01", &[("Iran", "IRNGOV")]);
    check("The rebels attacked a police station.", "2019-03-01", &[("rebels", "REB")]);
}

#[test]
fn people_by_office_date_title_and_apposition() {
    check(
        "North Korean leader Kim Jong-un met US President Donald Trump in Hanoi.",
        "2019-02-27",
        &[("Kim Jong-un", "PRKGOV"), ("Donald Trump", "USAGOV"), ("Hanoi", "VNM")],
    );
    check("Donald Trump held a rally in Ohio.", "2023-06-01", &[("Donald Trump", "USAELI")]);
    check("On Sunday, Putin offered to negotiate with Armenia.", "2019-09-29", &[("Putin", "RUSGOV")]);
    check("Bolivian President Evo Morales resigned.", "2019-11-10", &[("Evo Morales", "BOLGOV")]);
    check("Kim Jong-un left. Later, Kim spoke again.", "2019-02-27", &[("Kim", "PRKGOV")]);
}

#[test]
fn capitals_act_or_are_places() {
    check("Washington said the sanctions would stay.", "2019-03-01", &[("Washington", "USAGOV")]);
    check("Protesters gathered in Moscow on Sunday.", "2019-03-01", &[("Moscow", "RUS")]);
    check("The Kremlin denied the report.", "2019-03-01", &[("Kremlin", "RUSGOV")]);
}

#[test]
fn organisations() {
    check("NATO warned Russia on Monday.", "2019-03-01", &[("NATO", "IGOWSTNAT"), ("Russia", "RUS")]);
    check("The United Nations called for a ceasefire.", "2019-03-01", &[("United Nations", "IGOUNO")]);
    // The organisation's people take its code, not some government's.
    check("Red Cross officials suspended aid deliveries in Baghdad.", "2003-03-01", &[("officials", "NGOHLHIRC")]);
    check("NATO officials met on Monday.", "2019-03-01", &[("officials", "IGOWSTNAT")]);
}

#[test]
fn a_name_in_apposition_takes_its_title_s_country() {
    check(
        "The minister summoned Niger's ambassador Brah Mohamane to complain.",
        "2019-03-01",
        &[("Brah Mohamane", "NERGOV")],
    );
}

#[test]
fn groups_take_the_country_their_context_names() {
    check("A group of Yoruba leaders announced a boycott.", "2019-03-01", &[("Yoruba", "NGAGOV")]);
    check("Hutu rebels demanded that Burundi's government grant more rights.", "2019-03-01", &[("Hutu", "BDIREB")]);
    // A group of several countries with none of them named stays uncoded.
    check("Shiites marched through the capital.", "2019-03-01", &[("Shiites", "-")]);
    // ... but a role it modifies stays an actor, of no country yet.
    check("Police dispersed Moslem demonstrators.", "2019-03-01", &[("Moslem", "OPP")]);
}

#[test]
fn ethnic_minorities_belong_to_the_country_they_live_in() {
    check("Up to 100 ethnic Albanians demonstrated on Tuesday in Serbia.", "2019-03-01", &[("Albanians", "SRB")]);
    check("Albanians demonstrated on Tuesday in Serbia.", "2019-03-01", &[("Albanians", "ALB")]);
    // A people named after another country belongs to that one; Cypriots stay Cypriots.
    check("Bosnian Serbs demanded a truce.", "1993-03-01", &[("Serbs", "BIH")]);
    check("Turkish Cypriots voted on Saturday.", "2019-03-01", &[("Cypriots", "CYP")]);
}
