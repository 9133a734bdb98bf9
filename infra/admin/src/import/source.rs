//! Reading an import file lazily, one line at a time with a bounded buffer, and parsing each line (CSV with the csv crate, JSON lines with serde_json) into a raw row.
//!
//! Every row of both formats is one line: none of the fields (ids, usernames, PHC strings,
//! addresses, language codes, serials, 6-digit codes) can hold a line break. Framing by line
//! keeps a row with broken quoting from swallowing the rows after it, gives every reject its
//! exact line number, and bounds memory by the longest line allowed.

use keys_domain::keys::CARD_SIZE;
use serde::Deserialize;
use std::collections::HashMap;
use std::io::{self, BufRead};
use std::path::Path;

/// The longest line read; a longer one is rejected without being kept in memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// The two input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A header line naming the columns, then one citizen a line.
    Csv,
    /// One JSON object a line.
    Jsonl,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }

    /// The format a file's extension names (`.csv`; `.jsonl`, `.ndjson`), if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// One physical line of the file.
#[derive(Debug)]
pub struct Line {
    /// 1-based, as an editor counts.
    pub number: u64,
    /// Byte offset of the line's first byte.
    pub start: u64,
    /// Byte offset just past the line's end (its newline included).
    pub end: u64,
    /// The text without its line ending, or why it could not be read.
    pub text: Result<String, String>,
}

/// Reads lines lazily with at most `MAX_LINE_BYTES` of a line in memory.
pub struct Lines<R> {
    reader: R,
    number: u64,
    offset: u64,
    buffer: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    /// Starts reading at byte `offset`, which is the start of line `after_line + 1`.
    pub fn new(reader: R, after_line: u64, offset: u64) -> Self {
        Self {
            reader,
            number: after_line,
            offset,
            buffer: Vec::new(),
        }
    }

    /// The next line, or `None` at the end of the file.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        self.buffer.clear();
        let mut consumed = 0usize;
        let mut too_long = false;
        loop {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                break;
            }
            let (take, newline) = match available.iter().position(|&b| b == b'\n') {
                Some(at) => (at + 1, true),
                None => (available.len(), false),
            };
            if !too_long {
                if self.buffer.len() + take > MAX_LINE_BYTES {
                    too_long = true;
                    self.buffer = Vec::new();
                } else {
                    self.buffer.extend_from_slice(&available[..take]);
                }
            }
            self.reader.consume(take);
            consumed += take;
            if newline {
                break;
            }
        }
        if consumed == 0 {
            return Ok(None);
        }
        self.number += 1;
        let start = self.offset;
        self.offset += consumed as u64;
        let text = if too_long {
            Err(format!("the line is longer than {MAX_LINE_BYTES} bytes"))
        } else {
            while matches!(self.buffer.last(), Some(b'\n' | b'\r')) {
                self.buffer.pop();
            }
            String::from_utf8(std::mem::take(&mut self.buffer))
                .map_err(|_| "the line is not valid UTF-8".to_string())
        };
        Ok(Some(Line {
            number: self.number,
            start,
            end: self.offset,
            text,
        }))
    }
}

/// A row as the file gives it, before any check.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub email: String,
    pub lang: String,
    pub card_serial: String,
    /// The citizen's name (an optional column: empty when the file has none).
    pub name: String,
    /// The national register number (an optional column; kept only as a keyed hash).
    pub national_register_number: String,
    /// The card codes in order; `None` where a JSON code was not a string.
    pub codes: Vec<Option<String>>,
}

/// The columns every CSV file has (the 24 `codeN` columns besides).
pub const CSV_COLUMNS: [&str; 6] = [
    "id",
    "username",
    "password_hash",
    "email",
    "lang",
    "card_serial",
];

/// Where each column of a CSV file is.
#[derive(Debug, Clone)]
pub struct CsvHeader {
    width: usize,
    fields: [usize; 6],
    /// Where the optional `name` column is, if the file has one.
    name: Option<usize>,
    /// Where the optional `national_register_number` column is, if the file has one.
    national_register_number: Option<usize>,
    codes: Vec<usize>,
}

/// One CSV record of a line, parsed by the csv crate.
fn csv_record(text: &str) -> Result<csv::StringRecord, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Err("the line is empty".into()),
        Err(_) => return Err("malformed CSV".into()),
    }
    let mut extra = csv::StringRecord::new();
    match reader.read_record(&mut extra) {
        Ok(false) => Ok(record),
        _ => Err(
            "malformed CSV: the line holds more than one record (a stray carriage return or quote)"
                .into(),
        ),
    }
}

impl CsvHeader {
    /// Reads the header line: the six columns and `code1`..`code24`, in any order; other
    /// columns are ignored.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let record = csv_record(text).map_err(|reason| format!("header: {reason}"))?;
        let mut index: HashMap<String, usize> = HashMap::new();
        for (position, name) in record.iter().enumerate() {
            let name = name.trim().to_ascii_lowercase();
            if index.insert(name.clone(), position).is_some() {
                return Err(format!("header: column {name} appears twice"));
            }
        }
        let code_names: Vec<String> = (1..=CARD_SIZE).map(|n| format!("code{n}")).collect();
        let missing: Vec<&str> = CSV_COLUMNS
            .iter()
            .copied()
            .chain(code_names.iter().map(String::as_str))
            .filter(|name| !index.contains_key(*name))
            .collect();
        if !missing.is_empty() {
            return Err(format!("header: missing columns {}", missing.join(", ")));
        }
        let at = |name: &str| index.get(name).copied().unwrap_or_default();
        Ok(Self {
            width: record.len(),
            fields: CSV_COLUMNS.map(at),
            name: index.get("name").copied(),
            national_register_number: index.get("national_register_number").copied(),
            codes: code_names.iter().map(|name| at(name)).collect(),
        })
    }

    /// Parses one data line.
    pub fn row(&self, text: &str) -> Result<RawRow, String> {
        // Quotes come in pairs in well-formed CSV (around a field, and doubled inside one): an
        // odd count is an unterminated or stray quote, whatever the csv crate made of it.
        if !text.matches('"').count().is_multiple_of(2) {
            return Err("broken quoting: an unterminated or stray double quote".into());
        }
        let record = csv_record(text)?;
        if record.len() != self.width {
            return Err({
                format!(
                    "wrong number of fields: {}, the header has {} (a field holding commas, such as a PHC hash, must be quoted)",
                    record.len(),
                    self.width
                )
            });
        }
        let field = |position: usize| record.get(position).unwrap_or_default().to_string();
        let stray_quote = self
            .fields
            .iter()
            .chain(&self.codes)
            .chain(&self.name)
            .chain(&self.national_register_number)
            .any(|&position| field(position).contains('"'));
        if stray_quote {
            return Err("broken quoting: a stray double quote inside a field".into());
        }
        let [id, username, password_hash, email, lang, card_serial] = self.fields.map(field);
        Ok(RawRow {
            id,
            username,
            password_hash,
            email,
            lang,
            card_serial,
            name: self.name.map(field).unwrap_or_default(),
            national_register_number: self.national_register_number.map(field).unwrap_or_default(),
            codes: self.codes.iter().map(|&p| Some(field(p))).collect(),
        })
    }
}

#[derive(Deserialize)]
struct JsonRow {
    id: String,
    username: String,
    password_hash: String,
    email: String,
    lang: String,
    card_serial: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    national_register_number: String,
    codes: Vec<serde_json::Value>,
}

/// Parses one JSON line. Errors name a column or a missing field, never a value.
pub fn json_row(text: &str) -> Result<RawRow, String> {
    let row: JsonRow = serde_json::from_str(text).map_err(|err| {
        use serde_json::error::Category;
        match err.classify() {
            Category::Data => {
                let message = err.to_string();
                match message.strip_prefix("missing field ") {
                    Some(rest) => format!(
                        "missing field {}",
                        rest.split(" at line").next().unwrap_or_default()
                    ),
                    None => format!(
                        "a field has the wrong type (column {}): codes is a list of strings, the other fields are strings",
                        err.column()
                    ),
                }
            }
            Category::Syntax | Category::Eof | Category::Io => {
                format!("not valid JSON (column {})", err.column())
            }
        }
    })?;
    Ok(RawRow {
        id: row.id,
        username: row.username,
        password_hash: row.password_hash,
        email: row.email,
        lang: row.lang,
        card_serial: row.card_serial,
        name: row.name,
        national_register_number: row.national_register_number,
        codes: row
            .codes
            .into_iter()
            .map(|code| match code {
                serde_json::Value::String(code) => Some(code),
                _ => None,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_line() -> String {
        let mut columns: Vec<String> = CSV_COLUMNS.iter().map(|c| c.to_string()).collect();
        columns.extend((1..=24).map(|n| format!("code{n}")));
        columns.join(",")
    }

    fn data_line(username: &str) -> String {
        let mut fields = vec![
            "c1".to_string(),
            username.to_string(),
            "$2b$04$hash".to_string(),
            "jan@example.be".to_string(),
            "nl".to_string(),
            "S-1".to_string(),
        ];
        fields.extend((1..=24).map(|n| format!("{n:06}")));
        fields.join(",")
    }

    #[test]
    fn lines_are_numbered_and_bounded() {
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let text = format!("one\r\n\ntwo\n{long}\nthree");
        let mut lines = Lines::new(io::BufReader::with_capacity(16, text.as_bytes()), 0, 0);
        let mut seen = Vec::new();
        while let Some(line) = lines.next_line().expect("read") {
            seen.push((line.number, line.start, line.text));
        }
        assert_eq!(seen[0], (1, 0, Ok("one".to_string())));
        assert_eq!(seen[1], (2, 5, Ok(String::new())));
        assert_eq!(seen[2], (3, 6, Ok("two".to_string())));
        assert!(seen[3].2.as_ref().is_err_and(|e| e.contains("longer")));
        assert_eq!(seen[4].0, 5);
        assert_eq!(seen[4].2, Ok("three".to_string()));
        assert_eq!(seen.len(), 5);
    }

    #[test]
    fn csv_columns_may_come_in_any_order() {
        let header = CsvHeader::parse(&format!("\u{feff}{}", header_line())).expect("header");
        let row = header.row(&data_line("jan")).expect("row");
        assert_eq!(row.username, "jan");
        assert_eq!(row.codes.len(), 24);
        assert_eq!(row.codes[23].as_deref(), Some("000024"));
        let quoted = data_line("\"jan, the first\"");
        assert_eq!(
            header.row(&quoted).expect("quoted").username,
            "jan, the first"
        );
        assert!(CsvHeader::parse("id,username").is_err_and(|e| e.contains("password_hash")));
        assert_eq!(row.name, "", "a file without a name column");
        let named = CsvHeader::parse(&format!("name,{}", header_line())).expect("named header");
        let row = named
            .row(&format!("\"Peeters, Jan\",{}", data_line("jan")))
            .expect("named row");
        assert_eq!(row.name, "Peeters, Jan");
        assert_eq!(row.username, "jan");
    }

    #[test]
    fn broken_quoting_is_caught_on_its_line() {
        let header = CsvHeader::parse(&header_line()).expect("header");
        let unterminated = data_line("\"jan");
        assert!(
            header
                .row(&unterminated)
                .is_err_and(|e| e.contains("quoting"))
        );
        let stray = data_line("ja\"n");
        assert!(header.row(&stray).is_err_and(|e| e.contains("quoting")));
        let short = data_line("jan").replacen(",nl,", ",", 1);
        assert!(
            header
                .row(&short)
                .is_err_and(|e| e.contains("wrong number of fields"))
        );
    }

    #[test]
    fn json_errors_name_no_value() {
        let err = json_row(r#"{"id": "c1", "username": 123456}"#).expect_err("type");
        assert!(!err.contains("123456"), "{err}");
        let err = json_row(r#"{"id": "c1"}"#).expect_err("missing");
        assert!(err.starts_with("missing field `username`"), "{err}");
        assert!(json_row("{not json").is_err_and(|e| e.contains("not valid JSON")));
    }
}
