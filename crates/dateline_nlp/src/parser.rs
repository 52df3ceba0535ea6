//! The dependency parser.
