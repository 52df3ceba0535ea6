//! PETRARCH compatibility: the verb dictionary format (`CAMEO.2.0.txt`, the validation suite's
//! `PETR_Validate_verbs_*.txt`) and coding sentences with it over a Universal Dependencies tree.
//!
//! # The format, as read here
//!
//! - `#` starts a comment; `<!-- ... -->` lines are ignored.
//! - `&NAME` starts a synonym set; each following `+member` line is one member: a word, words
//!   joined by `_` or spaces (a phrase, matched on adjacent tokens), `(...)`, or another set
//!   (`+&TIETYPES`). A blank line ends the set.
//! - `--- NAME [code] ---` starts a verb block with its default code.
//! - A verb line is `VERB {IRREGULAR FORMS} [code]`: the base word matches a token by form or
//!   lemma, the listed forms by form; a code on the line replaces the block's for that verb.
//!   Multi-word verbs mark the verb with `+`: `+BREAK_DOWN` (a particle after the verb,
//!   adjacent or attached as `compound:prt`), `WIRE_+TAP` (a word right before it).
//! - A pattern is `- BEFORE * AFTER [code]`, `*` being the verb. Elements: `WORD` (form or
//!   lemma, upper case; a trailing `_` asks for the exact form), `A_B` (adjacent words),
//!   `{A B}` (words of one noun phrase: adjacent, but modifiers may stand before an inner
//!   element, so "new global economic relations" is `{NEW &TIETYPES RELATIONS}`), `&SET` (any
//!   member), `(P ...)` (a prepositional phrase: `P` is a
//!   token, usually the `case` or `mark` of a head; the other elements lie in that head's
//!   subtree after `P`), `$` (the source actor is here), `+` (the target actor is here), `%`
//!   (the subject is a compound whose members act on each other), `^` (skips the next actor,
//!   if any), `=` (ignored).
//! - Codes: `[050]`; `[042:043]` codes the source→target event 042 and the target→source
//!   event 043; `[:173]` only the reverse; `[---]` codes nothing (the verb or pattern is there
//!   to block coding). Other codes (`[075A]`, `[+++]`) are malformed: the line is skipped with
//!   a warning. A pattern line without its leading `-` is read with a warning.
//!
//! # Coding over the tree
//!
//! Every `VERB` token is looked up by form, then by lemma; longer multi-word verbs win. The
//! patterns of the verb's block are tried against the verb's subtree: elements before `*` must
//! match tokens of the subtree before the verb (not the verb's own adverbs: "recently
//! allowed" is no `RECENTLY *`; nor coordinating words, which join actors: "Neither X nor Y
//! boycotted" is no `NEITHER *`), elements after it tokens after the verb, in order, gaps
//! allowed, but not inside a "that" complement ("allowed that Mordor is n't the neatest
//! place"), and not on the verb's own adverbs, `mark` or `case` words. A `(P ...)` element uses
//! up its phrase: what follows it in the pattern lies after the phrase; when it holds words only,
//! they follow `P` directly, past determiners ("for foreign asylum" is no `(FOR ASYLUM)`). A
//! `{...}` group is a noun phrase: its last word is no verb ("to supply" is no `{TO SUPPLY}`). The matching pattern with
//! the most elements wins, then the one matching more words ("austrian gold florin" over
//! "florin"), then the first in the file; when none matches, the verb's own code applies.
//!
//! A verb form that adds "-es" where English adds "-s" ("departes") is no form of the verb. A
//! verb in the "that" complement of a coded verb with an actor ("X noted that Y regretted ...")
//! codes nothing: the complement is the noting's content. A verb whose open complement
//! (`xcomp`) is a coded verb ("X will be hosting Y to celebrate ...") codes nothing either: the
//! complement tells the event, and takes the governing verb's subject.
//!
//! The source is the actor of the verb's subject (`nsubj`), or of the passive agent (`by`
//! phrase) when the verb is passive, whose subject is then the target; a passive verb without
//! an agent takes the first actor of its prepositional phrases ("X was criticized over its
//! dispute with Y": Y criticizes X). A verb governed (`xcomp`) by a passive raising verb
//! without an agent takes that verb's subject ("X was seen to break into ..."). A verb without an
//! actor subject takes its controller's (`xcomp`: the object of the governing verb if it is
//! an actor, else its subject) or its head's (`conj`, `ccomp`, and `advcl` when it is an
//! infinitive: "inching nearer to accord with Y"; "after leaving Y" takes no source from the
//! verb it modifies). The target is the
//! actor of the verb's object, or of a phrase inside it ("warned the population of Y about Z":
//! Y), else the first actor met breadth-first among the verb's other dependents (objects, prepositional
//! phrases and their modifiers, clausal complements), not crossing into `parataxis`, `advcl`
//! or relative clauses. `$` and `+` in a matched pattern override both; a pattern binding `$`
//! only makes the subject the target unless the verb has an actor object ("X hosts Y to
//! celebrate May Day with $Z": Z celebrates with X). A verb conjunct of a noun (a misparse) is
//! no further actor. A verb without a target among its dependents takes the first actor of an
//! infinitive beside it ("vowed on Thursday to wage war on the Rohans"). An actor is an entity
//! carrying an actor code, or the nearest such entity among a noun's modifiers ("lawmakers in
//! Arnor"); coordinated actors (`conj`) all count, and every source is paired with every
//! target (one coding per pair). With `%`, every ordered pair of the compound subject's
//! members is coded. A coding needs both a source and a target; an actor never acts on itself.
//! A role entity ("officials") is an actor only composed with the actor that modifies it:
//! a bare sector is never coded.
//!
//! A verb negated by its own dependent ("did n't clash", "will not wire tap") codes the
//! negated event when an [`Ontology`] was read (PETRARCH's internal coding ontology: "did not
//! clash", 110, becomes 050; "will not wire tap", 170, becomes 057), and nothing when the
//! ontology has no negation for the code. Without an ontology the code is kept.

mod coder;
mod dict;
mod discards;
mod ontology;
#[cfg(test)]
mod tests;

pub use coder::{CodedActor, Coding, code_sentence};
pub use dict::{Block, Code, DictWarning, Elem, Pattern, VerbDictionary, VerbEntry, WordSpec};
pub use discards::{Discard, Discards};
pub use ontology::Ontology;
