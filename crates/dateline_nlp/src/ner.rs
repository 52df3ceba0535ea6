//! The named-entity recognizer.
