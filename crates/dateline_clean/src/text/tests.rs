//! Tests of chrome removal on hand-written scraped pages.

use super::*;
