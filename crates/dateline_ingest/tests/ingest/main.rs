//! Integration tests of `dateline_ingest`: every format, compressed and not, through the
//! public API, on fixtures built in memory and written to a scratch directory.

mod charset;
mod common;
mod formats;
mod inputs;
mod robustness;
mod warc;
