//! The link stage: from names to actors, places and times.
//!
//! Reads an [`Article`](dateline_doc::Article) and its [`Analysis`](dateline_doc::Analysis)
//! and adds the [`Links`](dateline_doc::Links) layer: entities with canonical names and CAMEO
//! actor codes, places with coordinates, times normalised against the publication time,
//! quotes with speakers, and tone. Every resource is the project's own, in `resources/`, and
//! compiled into the binary; users add their own dictionaries at the edge.

#![deny(missing_docs)]

pub mod geo;
pub mod quotes;
pub mod time;
