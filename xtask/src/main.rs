//! `cargo xtask`: project automation. `cargo xtask train tagger|parser|ner|lemma` trains a model
//! on the treebanks in `../shared/data` and writes it to `resources/models/` (`lemma`: the
//! lemmatizer's data alone, which `tagger` writes too); `cargo xtask gate` measures the embedded
//! models on the held-out test sets and fails when a figure falls below its floor, so that no
//! change makes the models silently worse.

mod gate;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use dateline_nlp::TrainOptions;

#[derive(Debug, Parser)]
#[command(name = "xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Train a model and write it to resources/models.
    Train {
        /// Which model.
        model: Model,
        /// The shared data folder.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Where the model file goes.
        #[arg(long, default_value = "resources/models")]
        out: PathBuf,
        /// Seed for the example order.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Passes over the data (default: the model's own).
        #[arg(long)]
        epochs: Option<usize>,
    },
    /// Measure the embedded models on EWT and UNER test and check the accuracy floors.
    Gate {
        /// The shared data folder.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Model {
    Tagger,
    Parser,
    Ner,
    Lemma,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Train { model, data, out, seed, epochs } => {
            let options = TrainOptions { data_dir: data, out_dir: out, seed, epochs };
            println!("{}", train(model, &options)?);
        }
        Command::Gate { data } => {
            if !gate::run(&data)? {
                anyhow::bail!("a figure fell below its floor");
            }
        }
    }
    Ok(())
}

/// Trains one model and returns its report.
fn train(model: Model, options: &TrainOptions) -> anyhow::Result<String> {
    match model {
        Model::Tagger => Ok(dateline_nlp::tagger::train(options)?),
        Model::Parser => Ok(dateline_nlp::parser::train(options)?),
        Model::Ner => Ok(dateline_nlp::ner::train(options)?),
        Model::Lemma => Ok(dateline_nlp::tagger::train_lemmatizer(options)?),
    }
}
