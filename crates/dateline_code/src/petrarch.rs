//! PETRARCH compatibility: the verb dictionary format (CAMEO.2.0.txt) and coding with it.
