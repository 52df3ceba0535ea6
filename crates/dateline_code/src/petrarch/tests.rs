//! Tests of the PETRARCH reader and coder.
