//! Turns command-line inputs into byte streams: expands directories and glob patterns into
//! files, opens files and stdin, undoes gzip compression, and keeps the first bytes of each
//! stream aside so that the format can be sniffed without consuming anything.
//!
//! This module also holds the bounded read helpers that every reader uses, so that no single
//! document, line or header can make memory grow past `IngestConfig::max_document_bytes`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;

use crate::IngestError;

/// How many bytes at the start of a stream are kept for format sniffing.
pub(crate) const SNIFF_LEN: usize = 8 * 1024;

/// The buffer size of the readers opened here.
const BUFFER_LEN: usize = 64 * 1024;

/// The magic bytes of a gzip member.
pub(crate) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A byte stream the readers can pull from, whatever it is backed by.
pub(crate) type Stream = Box<dyn BufRead + Send>;

/// File name extensions of files that are certainly not news, skipped when found inside a
/// directory or by a glob pattern (a file named explicitly is always read).
const SKIPPED_EXTENSIONS: &[&str] = &[
    "7z", "a", "apng", "avi", "avif", "bin", "bmp", "bz2", "class", "css", "dll", "doc", "docx", "eot", "exe", "flac",
    "gif", "heic", "ico", "jar", "jpeg", "jpg", "js", "m4a", "m4v", "mjs", "mkv", "mov", "mp3", "mp4", "mpeg", "o",
    "odt", "ogg", "otf", "pdf", "png", "ppt", "pptx", "pyc", "rar", "so", "sqlite", "svg", "tif", "tiff", "ttf",
    "wasm", "wav", "webm", "webp", "woff", "woff2", "xls", "xlsx", "xz", "zip", "zst",
];

/// One thing to read, found by expanding an input argument.
pub(crate) enum Found {
    /// A file. `explicit` is true when it was named on the command line rather than found in a
    /// directory or by a pattern: only explicit files are reported when they are not news.
    File {
        /// Where the file is.
        path: PathBuf,
        /// Whether the file was named explicitly.
        explicit: bool,
    },
    /// Standard input.
    Stdin,
    /// The argument could not be expanded (a missing path, a pattern matching nothing, an
    /// unreadable directory entry).
    Error(IngestError),
}

/// An iterator of the things one input argument expands to.
pub(crate) type Expansion = Box<dyn Iterator<Item = Found> + Send>;

/// Expands one input argument lazily: `-` is stdin, an existing directory is walked
/// recursively in sorted order, an existing file is itself, and anything else that contains
/// glob metacharacters is a glob pattern.
pub(crate) fn expand(argument: &str) -> Expansion {
    if argument == "-" {
        return Box::new(std::iter::once(Found::Stdin));
    }
    let path = Path::new(argument);
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => walk(path),
        Ok(_) => Box::new(std::iter::once(Found::File { path: path.to_path_buf(), explicit: true })),
        Err(_) if argument.contains(['*', '?', '[']) => expand_glob(argument),
        Err(error) => Box::new(std::iter::once(Found::Error(IngestError::new(argument, None, describe_io(&error))))),
    }
}

/// Expands a glob pattern. Matches are sorted by the glob crate; hidden files only match a
/// pattern that spells out their leading dot; directories that match are walked.
fn expand_glob(pattern: &str) -> Expansion {
    let options =
        glob::MatchOptions { case_sensitive: true, require_literal_separator: true, require_literal_leading_dot: true };
    let paths = match glob::glob_with(pattern, options) {
        Ok(paths) => paths,
        Err(error) => {
            let message = format!("invalid glob pattern: {error}");
            return Box::new(std::iter::once(Found::Error(IngestError::new(pattern, None, message))));
        }
    };
    let mut paths = paths.peekable();
    if paths.peek().is_none() {
        let error = IngestError::new(pattern, None, "no file matches this glob pattern");
        return Box::new(std::iter::once(Found::Error(error)));
    }
    let pattern = pattern.to_owned();
    Box::new(paths.flat_map(move |entry| -> Expansion {
        match entry {
            Ok(path) if path.is_dir() => walk(&path),
            Ok(path) if is_skipped(&path) => Box::new(std::iter::empty()),
            Ok(path) => Box::new(std::iter::once(Found::File { path, explicit: false })),
            Err(error) => {
                let input = error.path().to_string_lossy().into_owned();
                let message = format!("cannot read while matching `{pattern}`: {}", describe_io(error.error()));
                Box::new(std::iter::once(Found::Error(IngestError::new(input, None, message))))
            }
        }
    }))
}

/// Walks a directory recursively, in file name order, skipping hidden files and directories
/// and files whose extension says they are not news.
fn walk(root: &Path) -> Expansion {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    Box::new(walker.filter_map(|entry| match entry {
        Ok(entry) if entry.file_type().is_dir() => None,
        Ok(entry) if is_skipped(entry.path()) => None,
        Ok(entry) => Some(Found::File { path: entry.into_path(), explicit: false }),
        Err(error) => {
            let input = error.path().map_or_else(String::new, |path| path.to_string_lossy().into_owned());
            let message = match error.io_error() {
                Some(io_error) => describe_io(io_error),
                None => error.to_string(),
            };
            Some(Found::Error(IngestError::new(input, None, message)))
        }
    }))
}

/// True for names starting with a dot.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// True for hidden files and files whose extension (ignoring a final `.gz`) is one of
/// [`SKIPPED_EXTENSIONS`]: what a directory walk leaves out.
pub(crate) fn is_skipped(path: &Path) -> bool {
    let Some(name) = path.file_name() else { return false };
    if is_hidden(name) {
        return true;
    }
    let name = name.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    match name.rsplit_once('.') {
        Some((_, extension)) => SKIPPED_EXTENSIONS.contains(&extension),
        None => false,
    }
}

/// A sentence for an I/O error, without the OS error number noise where possible.
pub(crate) fn describe_io(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    }
}

/// An input stream opened for reading, with its first bytes set aside for sniffing.
pub(crate) struct Opened {
    /// The whole stream, decompressed, from its first byte.
    pub(crate) reader: Stream,
    /// Up to [`SNIFF_LEN`] first bytes of the decompressed stream (fewer if the stream is
    /// shorter or a read error came first: that error is then met again through `reader`).
    pub(crate) prefix: Vec<u8>,
    /// Whether the stream was gzip-compressed.
    pub(crate) compressed: bool,
}

/// Opens a file.
pub(crate) fn open_file(path: &Path) -> io::Result<Opened> {
    let file = File::open(path)?;
    Ok(open_stream(Box::new(file)))
}

/// Opens standard input.
pub(crate) fn open_stdin() -> Opened {
    open_stream(Box::new(io::stdin()))
}

/// Wraps any byte source: detects gzip by its magic bytes and decompresses it (all members,
/// as per-record gzip WARCs need), and reads the prefix used for sniffing.
pub(crate) fn open_stream(raw: Box<dyn Read + Send>) -> Opened {
    let mut raw = BufReader::with_capacity(BUFFER_LEN, raw);
    let (head, error) = read_prefix(&mut raw, SNIFF_LEN);
    let compressed = head.starts_with(&GZIP_MAGIC);
    let rejoined = Cursor::new(head.clone()).chain(Deferred::new(error)).chain(raw);
    if !compressed {
        return Opened { reader: Box::new(rejoined), prefix: head, compressed };
    }
    let mut decoder = MultiGzDecoder::new(rejoined);
    let (prefix, error) = read_prefix(&mut decoder, SNIFF_LEN);
    let rejoined = Cursor::new(prefix.clone()).chain(Deferred::new(error)).chain(decoder);
    Opened { reader: Box::new(BufReader::with_capacity(BUFFER_LEN, rejoined)), prefix, compressed }
}

/// Reads up to `len` bytes, stopping early at the end of the stream or at an error, which is
/// returned beside the bytes read before it.
fn read_prefix(reader: &mut impl Read, len: usize) -> (Vec<u8>, Option<io::Error>) {
    let mut prefix = Vec::with_capacity(len.min(SNIFF_LEN));
    match reader.take(len as u64).read_to_end(&mut prefix) {
        Ok(_) => (prefix, None),
        Err(error) => (prefix, Some(error)),
    }
}

/// A reader that fails with a stored error, then keeps failing the same way, or that is empty
/// when there is no error. It replays an error met while reading a prefix at the point of the
/// stream where it happened.
struct Deferred {
    error: Option<(io::ErrorKind, String)>,
}

impl Deferred {
    fn new(error: Option<io::Error>) -> Deferred {
        Deferred { error: error.map(|error| (error.kind(), error.to_string())) }
    }
}

impl Read for Deferred {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        match &self.error {
            Some((kind, message)) => Err(io::Error::new(*kind, message.clone())),
            None => Ok(0),
        }
    }
}

impl BufRead for Deferred {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match &self.error {
            Some((kind, message)) => Err(io::Error::new(*kind, message.clone())),
            None => Ok(&[]),
        }
    }

    fn consume(&mut self, _amount: usize) {}
}

/// Why a bounded read did not return the data.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The data is longer than the bound; `read` bytes were read before giving up.
    TooLarge,
    /// The stream failed.
    Io(io::Error),
}

/// Reads the rest of a stream, failing with [`ReadError::TooLarge`] as soon as it is longer
/// than `max` bytes (without reading further than `max + 1` bytes).
pub(crate) fn read_bounded(reader: &mut impl Read, max: usize) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader.take((max as u64).saturating_add(1)).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() > max { Err(ReadError::TooLarge) } else { Ok(bytes) }
}

/// What [`read_line_bounded`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// The end of the stream, with no byte before it.
    Eof,
    /// A line, now in the buffer without its `\n` (a final line may lack one). `terminated`
    /// tells whether a `\n` ended it.
    Read {
        /// Whether the line ended with `\n`.
        terminated: bool,
    },
    /// A line longer than the bound: it was consumed but not kept; `len` is its length.
    TooLong {
        /// The length of the line in bytes.
        len: u64,
    },
}

/// Reads one line into `line` (cleared first), without its `\n`, keeping at most `max` bytes:
/// a longer line is read through to its end and dropped, so memory stays bounded.
pub(crate) fn read_line_bounded(
    reader: &mut (impl BufRead + ?Sized),
    line: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    line.clear();
    let mut len: u64 = 0;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            if !any {
                return Ok(Line::Eof);
            }
            return Ok(finish_line(len, max, false));
        }
        any = true;
        let (chunk, used, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (&available[..at], at + 1, true),
            None => (available, available.len(), false),
        };
        len += chunk.len() as u64;
        if len <= max as u64 {
            line.extend_from_slice(chunk);
        } else {
            line.clear();
        }
        reader.consume(used);
        if done {
            return Ok(finish_line(len, max, true));
        }
    }
}

fn finish_line(len: u64, max: usize, terminated: bool) -> Line {
    if len > max as u64 { Line::TooLong { len } } else { Line::Read { terminated } }
}

/// Reads and drops exactly `len` bytes, returning how many there were before the end of the
/// stream.
pub(crate) fn skip(reader: &mut (impl BufRead + ?Sized), len: u64) -> io::Result<u64> {
    let mut left = len;
    while left > 0 {
        let available = match reader.fill_buf() {
            Ok(available) => available.len(),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available == 0 {
            break;
        }
        let used = available.min(usize::try_from(left).unwrap_or(usize::MAX));
        reader.consume(used);
        left -= used as u64;
    }
    Ok(len - left)
}

/// A byte count for messages: `512 bytes`, `3.2 MiB`.
pub(crate) fn human_bytes(len: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if len >= MIB {
        let tenths = len * 10 / MIB;
        if tenths % 10 == 0 { format!("{} MiB", tenths / 10) } else { format!("{}.{} MiB", tenths / 10, tenths % 10) }
    } else if len >= 1024 {
        format!("{} KiB", len / 1024)
    } else {
        format!("{len} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<(Line, Vec<u8>)> {
        let mut reader = Cursor::new(input.to_vec());
        let mut line = Vec::new();
        let mut out = Vec::new();
        loop {
            let got = read_line_bounded(&mut reader, &mut line, max).expect("in-memory read");
            if got == Line::Eof {
                return out;
            }
            out.push((got, line.clone()));
        }
    }

    #[test]
    fn bounded_lines_drop_long_lines_and_keep_going() {
        let got = lines(b"short\nthis one is long\nend", 8);
        assert_eq!(got[0], (Line::Read { terminated: true }, b"short".to_vec()));
        assert_eq!(got[1].0, Line::TooLong { len: 16 });
        assert_eq!(got[2], (Line::Read { terminated: false }, b"end".to_vec()));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn empty_lines_are_lines() {
        let got = lines(b"\n\n", 8);
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|(_, line)| line.is_empty()));
    }

    #[test]
    fn bounded_read_refuses_what_is_too_long() {
        assert!(matches!(read_bounded(&mut &b"12345"[..], 4), Err(ReadError::TooLarge)));
        assert_eq!(read_bounded(&mut &b"1234"[..], 4).ok(), Some(b"1234".to_vec()));
    }

    #[test]
    fn skip_reports_a_short_stream() {
        let mut reader = Cursor::new(vec![0u8; 10]);
        assert_eq!(skip(&mut reader, 4).ok(), Some(4));
        assert_eq!(skip(&mut reader, 100).ok(), Some(6));
    }

    #[test]
    fn skipped_extensions() {
        assert!(is_skipped(Path::new("a/b/photo.JPG")));
        assert!(is_skipped(Path::new("a/b/photo.png.gz")));
        assert!(is_skipped(Path::new("a/.hidden.html")));
        assert!(!is_skipped(Path::new("a/b/page.html")));
        assert!(!is_skipped(Path::new("a/b/crawl.warc.gz")));
        assert!(!is_skipped(Path::new("a/b/README")));
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(12), "12 bytes");
        assert_eq!(human_bytes(64 * 1024 * 1024), "64 MiB");
        assert_eq!(human_bytes(3 * 1024 * 1024 + 300 * 1024), "3.2 MiB");
    }
}
