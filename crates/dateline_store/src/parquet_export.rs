//! Events as a Parquet file, with the columns of the CSV export (`id`, `date`, `source`, ...,
//! `url`), in row groups of 65,536 events.

use std::io::Write;
use std::sync::Arc;

use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use crate::query::{EventFilter, EventRow};
use crate::{Store, StoreError};

const ROW_GROUP: usize = 65_536;

const SCHEMA: &str = "message events {
    REQUIRED INT64 id;
    OPTIONAL BYTE_ARRAY date (UTF8);
    OPTIONAL BYTE_ARRAY date_text (UTF8);
    OPTIONAL BYTE_ARRAY source (UTF8);
    OPTIONAL BYTE_ARRAY source_name (UTF8);
    OPTIONAL BYTE_ARRAY target (UTF8);
    OPTIONAL BYTE_ARRAY target_name (UTF8);
    OPTIONAL BYTE_ARRAY cameo (UTF8);
    OPTIONAL BYTE_ARRAY root (UTF8);
    OPTIONAL BYTE_ARRAY event_name (UTF8);
    OPTIONAL INT64 quad;
    OPTIONAL DOUBLE goldstein;
    OPTIONAL BYTE_ARRAY plover (UTF8);
    OPTIONAL BYTE_ARRAY place (UTF8);
    OPTIONAL BYTE_ARRAY place_country (UTF8);
    OPTIONAL DOUBLE lat;
    OPTIONAL DOUBLE lon;
    OPTIONAL INT64 num_mentions;
    OPTIONAL INT64 num_sources;
    OPTIONAL INT64 num_articles;
    OPTIONAL INT64 first_article;
    OPTIONAL BYTE_ARRAY url (UTF8);
}";

/// One column's values.
enum Column {
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
}

fn columns(events: &[EventRow]) -> Vec<Column> {
    let text = |get: &dyn Fn(&EventRow) -> Option<String>| Column::Text(events.iter().map(get).collect());
    let int = |get: &dyn Fn(&EventRow) -> Option<i64>| Column::Int(events.iter().map(get).collect());
    let float = |get: &dyn Fn(&EventRow) -> Option<f64>| Column::Float(events.iter().map(get).collect());
    vec![
        int(&|event| Some(event.id)),
        text(&|event| event.date.clone()),
        text(&|event| event.date_text.clone()),
        text(&|event| event.source.clone()),
        text(&|event| event.source_name.clone()),
        text(&|event| event.target.clone()),
        text(&|event| event.target_name.clone()),
        text(&|event| Some(event.cameo.clone())),
        text(&|event| Some(event.root.clone())),
        text(&|event| event.event_name.clone()),
        int(&|event| Some(i64::from(event.quad))),
        float(&|event| Some(event.goldstein)),
        text(&|event| event.plover.clone()),
        text(&|event| event.place.as_ref().map(|place| place.name.clone())),
        text(&|event| event.place.as_ref().and_then(|place| place.country.clone())),
        float(&|event| event.place.as_ref().map(|place| place.lat)),
        float(&|event| event.place.as_ref().map(|place| place.lon)),
        int(&|event| Some(event.num_mentions)),
        int(&|event| Some(event.num_sources)),
        int(&|event| Some(event.num_articles)),
        int(&|event| event.first_article),
        text(&|event| event.url.clone()),
    ]
}

fn levels<T>(values: &[Option<T>]) -> Vec<i16> {
    values.iter().map(|value| i16::from(value.is_some())).collect()
}

fn write_group<W: Write + Send>(
    writer: &mut SerializedFileWriter<W>,
    events: &[EventRow],
) -> Result<(), parquet::errors::ParquetError> {
    let mut group = writer.next_row_group()?;
    let mut columns = columns(events).into_iter();
    while let Some(mut column) = group.next_column()? {
        match columns.next() {
            Some(Column::Int(values)) => {
                let present: Vec<i64> = values.iter().flatten().copied().collect();
                let levels = levels(&values);
                column.typed::<Int64Type>().write_batch(&present, Some(&levels), None)?;
            }
            Some(Column::Float(values)) => {
                let present: Vec<f64> = values.iter().flatten().copied().collect();
                let levels = levels(&values);
                column.typed::<DoubleType>().write_batch(&present, Some(&levels), None)?;
            }
            Some(Column::Text(values)) => {
                let present: Vec<ByteArray> =
                    values.iter().flatten().map(|text| ByteArray::from(text.as_bytes().to_vec())).collect();
                let levels = levels(&values);
                column.typed::<ByteArrayType>().write_batch(&present, Some(&levels), None)?;
            }
            None => {}
        }
        column.close()?;
    }
    group.close()?;
    Ok(())
}

impl Store {
    /// Writes every event matching `filter` to `out` as Parquet; returns how many.
    pub fn export_parquet<W: Write + Send>(&self, filter: &EventFilter, out: W) -> Result<usize, StoreError> {
        let parquet_error = |error: parquet::errors::ParquetError| StoreError::Output(std::io::Error::other(error));
        let schema = Arc::new(parse_message_type(SCHEMA).map_err(parquet_error)?);
        let properties = Arc::new(WriterProperties::builder().build());
        let mut writer = SerializedFileWriter::new(out, schema, properties).map_err(parquet_error)?;
        let mut group: Vec<EventRow> = Vec::with_capacity(ROW_GROUP);
        let count = self.each_event(filter, |event| {
            group.push(event.clone());
            if group.len() == ROW_GROUP {
                write_group(&mut writer, &group).map_err(parquet_error)?;
                group.clear();
            }
            Ok(())
        })?;
        if !group.is_empty() || count == 0 {
            write_group(&mut writer, &group).map_err(parquet_error)?;
        }
        writer.close().map_err(parquet_error)?;
        Ok(count)
    }
}
