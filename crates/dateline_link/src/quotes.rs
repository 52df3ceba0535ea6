//! Quotes and reported speech with their speakers.
