//! The sentence splitter.
