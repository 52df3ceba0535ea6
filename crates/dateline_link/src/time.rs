//! Temporal expressions: finding them in running text and normalising them against the
//! publication time.
