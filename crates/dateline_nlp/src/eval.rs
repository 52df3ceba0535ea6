//! Evaluation metrics: CoNLL 2018 shared task scores and entity F1.
