//! The gazetteer: countries, first-level divisions and populated places with coordinates, and
//! the choice of one reading for a place name.
