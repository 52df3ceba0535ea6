//! The code stage: events from the parse.
//!
//! Reads an article's clean text, its [`Analysis`](dateline_doc::Analysis) and its
//! [`Links`](dateline_doc::Links), and adds the [`Events`](dateline_doc::Events) layer: who did
//! what to whom, coded in CAMEO and PLOVER, with the evidence and the rule, and the candidates
//! that were not coded because they are negated, hypothetical, future or past history.

#![deny(missing_docs)]

pub mod cameo;
mod coder;
pub mod dictionary;
pub mod petrarch;

pub use crate::coder::Coder;
