//! The part-of-speech tagger (UPOS and XPOS).
