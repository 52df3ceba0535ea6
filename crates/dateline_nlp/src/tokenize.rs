//! The tokenizer: clean text to words with byte offsets, following UD English conventions.
