//! The lemmatizer.
