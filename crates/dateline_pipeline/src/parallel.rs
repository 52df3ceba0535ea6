//! Many documents on several threads: one thread reads, `threads` workers run the stages, and
//! the caller's thread receives the results (to print or store them). Queues are bounded, so a
//! slow consumer slows the reader instead of filling memory.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;

use dateline_doc::{Article, RawDoc};
use dateline_ingest::IngestError;

use crate::{Pipeline, Processed};

/// What became of one document.
#[derive(Debug)]
pub enum Outcome {
    /// Every stage ran.
    Processed(Box<Processed>),
    /// The caller's `skip` test said the article is known already: only cleaning ran.
    Skipped(Box<Article>),
    /// The document could not be read.
    Failed(IngestError),
}

/// Runs `pipeline` over `documents` on `threads` worker threads (at least one) and hands each
/// outcome to `sink` on the calling thread, in completion order. `skip` is asked after
/// cleaning whether an article can be left out (it was stored before); it runs on the workers.
/// Stops early when `sink` returns false.
pub fn run_parallel<I, S, F>(pipeline: &Pipeline, documents: I, threads: usize, skip: S, mut sink: F)
where
    I: Iterator<Item = Result<RawDoc, IngestError>> + Send,
    S: Fn(&Article) -> bool + Sync,
    F: FnMut(Outcome) -> bool,
{
    let threads = threads.max(1);
    let (raw_sender, raw_receiver) = sync_channel::<Result<RawDoc, IngestError>>(threads * 4);
    let (done_sender, done_receiver) = sync_channel::<Outcome>(threads * 4);
    let raw_receiver = Arc::new(Mutex::new(raw_receiver));
    thread::scope(|scope| {
        scope.spawn(move || {
            for document in documents {
                if raw_sender.send(document).is_err() {
                    break;
                }
            }
        });
        for _ in 0..threads {
            let raw_receiver = Arc::clone(&raw_receiver);
            let done_sender = done_sender.clone();
            let skip = &skip;
            scope.spawn(move || {
                while let Some(document) = next(&raw_receiver) {
                    let outcome = match document {
                        Err(error) => Outcome::Failed(error),
                        Ok(raw) => process_one(pipeline, &raw, skip),
                    };
                    if done_sender.send(outcome).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_sender);
        for outcome in done_receiver.iter() {
            if !sink(outcome) {
                break;
            }
        }
        // Dropping the receiver ends the workers, whose sends now fail, and then the reader.
        drop(done_receiver);
    });
}

/// One document through the stages. A stage that panics on it costs this document only: it
/// is reported as failed, naming the input, and the batch goes on.
fn process_one(pipeline: &Pipeline, raw: &RawDoc, skip: &(impl Fn(&Article) -> bool + Sync)) -> Outcome {
    let run = || {
        let article = pipeline.clean(raw);
        if skip(&article) {
            Outcome::Skipped(Box::new(article))
        } else {
            Outcome::Processed(Box::new(pipeline.analyze(article)))
        }
    };
    match panic::catch_unwind(AssertUnwindSafe(run)) {
        Ok(outcome) => outcome,
        Err(payload) => {
            let reason = payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".to_owned());
            Outcome::Failed(IngestError {
                input: raw.source.uri.clone(),
                id: Some(raw.id.clone()),
                message: format!("internal error while processing the document ({reason}); it was skipped"),
            })
        }
    }
}

/// The next document of the shared queue, or `None` when the reader is done.
fn next(receiver: &Mutex<Receiver<Result<RawDoc, IngestError>>>) -> Option<Result<RawDoc, IngestError>> {
    receiver.lock().ok()?.recv().ok()
}
