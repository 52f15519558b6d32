//! Imports: vacancies as JSON Lines of schema.org `JobPosting`, and municipality reference
//! data. A bad line is reported with its number and never stops the rest.

use crate::occupations::Occupations;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::Value;

use chrono::{DateTime, Utc};

use crate::domain::{HoursRange, Source, VacancyDraft, VacancyInput};
use crate::search::Indexer;
use crate::store::{Entity, ImportOutcome, IndexablePosting, MunicipalityRow, Store, StoreError};

/// Lines per database transaction (and per batch handed to the index).
const BATCH: usize = 2_000;
/// Longest accepted line (a JobPosting with a very long description is still far below).
const MAX_LINE: usize = 1024 * 1024;

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Lines (CSV records) read, rejected ones included.
    pub lines: u64,
    /// New records.
    pub imported: u64,
    /// Existing records updated.
    pub updated: u64,
    /// Lines rejected.
    pub rejected: u64,
    /// Rejected lines: (line number, reason).
    pub errors: Vec<(u64, String)>,
}

/// Opens `file` for reading (`-` is stdin; a `.gz` name is decompressed). Returns the reader
/// and the size in bytes when known (for progress).
pub fn open_input(file: &str) -> std::io::Result<(Box<dyn BufRead + Send>, Option<u64>)> {
    if file == "-" {
        return Ok((Box::new(BufReader::new(std::io::stdin())), None));
    }
    let f = File::open(file)?;
    let size = f.metadata().ok().map(|m| m.len());
    if file.ends_with(".gz") {
        Ok((
            Box::new(BufReader::new(flate2::read::GzDecoder::new(f))),
            None,
        ))
    } else {
        Ok((Box::new(BufReader::new(f)), size))
    }
}

/// Reads JobPosting lines from `reader` and upserts them by `identifier`. `progress` gets the
/// bytes read so far. Occupations are read with the taxonomy in the database.
pub async fn import_vacancies(
    store: &Store,
    reader: impl BufRead,
    progress: impl FnMut(u64),
) -> Result<ImportReport, StoreError> {
    match import_vacancies_into(store, reader, progress, None).await {
        Ok(report) => Ok(report),
        Err(ImportError::Store(e)) => Err(e),
        Err(ImportError::Search(e)) => unreachable!("an import without an index: {e}"),
    }
}

/// [`import_vacancies`], indexing what it writes with `indexer` when given (the CLI, when no
/// server holds the index): each batch is analysed and added to the index as it is stored,
/// instead of the index reading every posting back from the database afterwards.
pub async fn import_vacancies_into(
    store: &Store,
    reader: impl BufRead,
    progress: impl FnMut(u64),
    indexer: Option<&mut Indexer>,
) -> Result<ImportReport, ImportError> {
    let analyser =
        crate::search::Analyser::choose(None).unwrap_or(crate::search::Analyser::Snowball);
    let occupations = Occupations::new(&store.occupations().await?, analyser);
    import_vacancies_with(store, reader, progress, &occupations, indexer).await
}

/// Why an import stopped (a bad line never stops it).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The index failed (the database holds the batch; the index reads it back later).
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
}

/// [`import_vacancies_into`] with the occupation taxonomy given. Three stages overlap: this
/// task parses a batch while the database stores the one before and the index analyses the
/// one before that.
pub async fn import_vacancies_with(
    store: &Store,
    mut reader: impl BufRead,
    mut progress: impl FnMut(u64),
    occupations: &Occupations,
    mut indexer: Option<&mut Indexer>,
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    if let Some(indexer) = indexer.as_deref_mut() {
        indexer.sync().await?;
    }
    let mut storing: Option<tokio::task::JoinHandle<Stored>> = None;
    let mut bytes_read = 0u64;
    let mut ended = false;
    while !ended {
        let (batch, n, end) = read_batch(&mut reader, occupations, &mut report);
        ended = end;
        bytes_read += n;
        if let Some(task) = storing.take() {
            stored(task, &mut report, indexer.as_deref_mut(), store).await?;
            progress(bytes_read - n);
        }
        if batch.is_empty() {
            break;
        }
        let store = store.clone();
        storing = Some(tokio::spawn(async move {
            let mut batch = batch;
            let result = store.import_vacancies(&mut batch).await;
            (batch, result)
        }));
    }
    if let Some(task) = storing.take() {
        stored(task, &mut report, indexer.as_deref_mut(), store).await?;
    }
    progress(bytes_read);
    if let Some(indexer) = indexer {
        indexer.finish_written().await?;
        // What was not handed over as written (on PostgreSQL: all of it) is read back, once
        // every change this import committed has its number (PostgreSQL numbers a change
        // only when the transactions older than it are over, on any database of the server).
        store.settled_change_seq().await?;
        indexer.catch_up().await?;
    }
    Ok(report)
}

/// A stored batch: its lines and what the database did with them.
type Stored = (
    Vec<(String, VacancyDraft)>,
    Result<crate::store::ImportedBatch, StoreError>,
);

/// Reads up to [`BATCH`] valid lines; rejected ones go to `report`. Returns them, the bytes
/// read, and whether the input ended (or could not be read further).
fn read_batch(
    reader: &mut impl BufRead,
    occupations: &Occupations,
    report: &mut ImportReport,
) -> (Vec<(String, VacancyDraft)>, u64, bool) {
    let mut batch: Vec<(String, VacancyDraft)> = Vec::with_capacity(BATCH);
    let mut bytes_read = 0u64;
    let mut buf = Vec::new();
    while batch.len() < BATCH {
        buf.clear();
        let n = match (&mut *reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
        {
            Ok(n) => n,
            Err(e) => {
                report.rejected += 1;
                report
                    .errors
                    .push((report.lines + 1, format!("cannot read: {e}")));
                return (batch, bytes_read, true);
            }
        };
        if n == 0 {
            return (batch, bytes_read, true);
        }
        report.lines += 1;
        let line_no = report.lines;
        bytes_read += n as u64;
        if buf.len() > MAX_LINE && !buf.ends_with(b"\n") {
            // Skip the rest of an overlong line.
            let mut rest = Vec::new();
            let _ = reader.read_until(b'\n', &mut rest);
            report.rejected += 1;
            report
                .errors
                .push((line_no, format!("line is longer than {MAX_LINE} bytes")));
            continue;
        }
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t.trim(),
            Err(_) => {
                report.rejected += 1;
                report.errors.push((line_no, "line is not UTF-8".into()));
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        match parse_job_posting(text) {
            Ok((employer, mut draft)) => {
                occupations.fill_vacancy(&mut draft);
                batch.push((employer, draft));
            }
            Err(message) => {
                report.rejected += 1;
                report.errors.push((line_no, message));
            }
        }
    }
    (batch, bytes_read, false)
}

/// Counts a stored batch and hands it to the index: new vacancies as written, updated ones
/// read back (an update keeps some stored values, such as the posting date).
async fn stored(
    task: tokio::task::JoinHandle<Stored>,
    report: &mut ImportReport,
    indexer: Option<&mut Indexer>,
    store: &Store,
) -> Result<(), ImportError> {
    let (batch, result) = match task.await {
        Ok(stored) => stored,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    let imported = result?;
    let updated: Vec<i64> = imported
        .rows
        .iter()
        .filter(|r| r.outcome == ImportOutcome::Updated)
        .map(|r| r.id)
        .collect();
    report.updated += updated.len() as u64;
    report.imported += (imported.rows.len() - updated.len()) as u64;
    let (Some(indexer), Some(changes)) = (indexer, imported.changes) else {
        return Ok(());
    };
    // New vacancies as written; updated ones as read back, which is also the last state of a
    // line that updates one inserted earlier in the batch.
    let again: std::collections::HashSet<i64> = updated.iter().copied().collect();
    let mut postings: Vec<IndexablePosting> = batch
        .into_iter()
        .zip(&imported.rows)
        .filter(|(_, row)| !again.contains(&row.id))
        .map(|((employer, draft), row)| indexable(row.id, employer, draft, imported.at))
        .collect();
    postings.extend(store.indexable(Entity::Vacancy, &updated).await?);
    indexer.index_written(postings, updated, changes).await?;
    Ok(())
}

/// The index's view of a vacancy just inserted from `draft` at `at`: what reading it back
/// would give.
fn indexable(id: i64, employer: String, d: VacancyDraft, at: DateTime<Utc>) -> IndexablePosting {
    IndexablePosting {
        kind: Entity::Vacancy,
        id,
        external_id: d.external_id,
        title: d.title,
        description: d.description,
        employer_id: d.employer_id,
        employer,
        municipality: d.municipality,
        language: d.language.map(|l| l.as_str().to_string()),
        occupation_code: d.occupation_code.map(|c| c.as_str().to_string()),
        date_posted: d.date_posted.unwrap_or(at),
        hours_min: d.hours_per_week.and_then(|h| h.min),
        hours_max: d.hours_per_week.and_then(|h| h.max),
        adjustments_offered: d.adjustments_offered,
        occupations: d.occupations,
        valid_through: d.valid_through,
        estimated_hours: None,
    }
}

/// Maps one JSON line of schema.org JobPosting to the employer's name and a validated vacancy.
pub fn parse_job_posting(line: &str) -> Result<(String, VacancyDraft), String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
    if !v.is_object() {
        return Err("expected a JSON object (a schema.org JobPosting)".into());
    }
    let employer =
        organisation_name(&v["hiringOrganization"]).ok_or("hiringOrganization.name is missing")?;
    let employer = crate::domain::bounded_text("hiringOrganization.name", &employer, 200)
        .map_err(|e| e.to_string())?;
    let input = VacancyInput {
        employer_id: 0,
        title: text(&v["title"]).ok_or("title is missing")?,
        description: text(&v["description"]).ok_or("description is missing")?,
        municipality: locality(&v["jobLocation"]),
        occupation_code: code(&v["occupationalCategory"]),
        hours_per_week: text(&v["workHours"]).and_then(|h| hours(&h)),
        employment_type: first_text(&v["employmentType"]),
        language: first_text(&v["inLanguage"]),
        valid_through: text(&v["validThrough"]),
        date_posted: text(&v["datePosted"]),
        wage_subsidy_ok: None,
        work_trial_ok: None,
        adjustments_offered: None,
        external_id: identifier(&v["identifier"]),
    };
    let draft = VacancyDraft::parse(&input, Source::Import)
        .map_err(|e| format!("{}: {}", job_posting_field(&e.field), e.message))?;
    Ok((employer, draft))
}

/// The JobPosting name of a vacancy field, so that an import error names what the file says.
fn job_posting_field(field: &str) -> String {
    let (head, rest) = field
        .split_once(['.', '['])
        .map_or((field, ""), |(h, _)| (h, &field[h.len()..]));
    let name = match head {
        "municipality" => "jobLocation.address.addressLocality",
        "occupation_code" => "occupationalCategory",
        "employment_type" => "employmentType",
        "language" => "inLanguage",
        "valid_through" => "validThrough",
        "date_posted" => "datePosted",
        "external_id" => "identifier",
        "hours_per_week" => "workHours",
        other => other,
    };
    if head == "hours_per_week" {
        name.to_string()
    } else {
        format!("{name}{rest}")
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn first_text(v: &Value) -> Option<String> {
    match v {
        Value::Array(items) => items.iter().find_map(text),
        other => text(other),
    }
}

/// `identifier` is a text, a number, or a PropertyValue `{"value": …}`.
fn identifier(v: &Value) -> Option<String> {
    text(v).or_else(|| text(&v["value"]))
}

fn organisation_name(v: &Value) -> Option<String> {
    text(v).or_else(|| text(&v["name"]))
}

/// `jobLocation` is a Place (or a list of them) with `address.addressLocality`.
fn locality(v: &Value) -> Option<String> {
    match v {
        Value::Array(items) => items.iter().find_map(locality),
        Value::String(s) => Some(s.clone()),
        other => text(&other["address"]["addressLocality"])
            .or_else(|| text(&other["address"]))
            .or_else(|| text(&other["name"])),
    }
}

/// `occupationalCategory` is a code, a text starting with a code ("9112 Siivoojat"), or a
/// CategoryCode `{"codeValue": …}`. Anything that is not a code is dropped, not rejected.
fn code(v: &Value) -> Option<String> {
    let raw = text(v).or_else(|| text(&v["codeValue"]))?;
    let head = raw.split_whitespace().next()?.to_string();
    crate::domain::OccupationCode::parse("occupationalCategory", &head)
        .ok()
        .map(|c| c.as_str().to_string())
}

/// Reads hours per week from text such as "37.5", "20-30 h/vk" or "25–30".
fn hours(s: &str) -> Option<HoursRange> {
    let numbers: Vec<f64> = s
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.replace(',', ".").parse().ok())
        .filter(|h: &f64| (0.0..=80.0).contains(h))
        .take(2)
        .collect();
    match numbers.as_slice() {
        [one] => Some(HoursRange {
            min: Some(*one),
            max: Some(*one),
        }),
        [a, b] => Some(HoursRange {
            min: Some(a.min(*b)),
            max: Some(a.max(*b)),
        }),
        _ => None,
    }
}

/// One CSV record, with its fields looked up by column name.
struct CsvRow<'a> {
    headers: &'a csv::StringRecord,
    record: &'a csv::StringRecord,
}

impl CsvRow<'_> {
    /// The trimmed value of column `name`; empty when the column or the value is missing.
    fn get(&self, name: &str) -> String {
        self.headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| self.record.get(i))
            .map(str::trim)
            .unwrap_or_default()
            .to_string()
    }

    fn optional(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }
}

/// Reads a reference-data CSV whose `required` columns must exist; each record goes through
/// `parse`, and a record that fails is reported with its line number while the rest go on.
fn read_reference_csv<T>(
    path: &Path,
    required: &[&str],
    parse: impl Fn(&CsvRow) -> Result<T, String>,
) -> anyhow::Result<(Vec<T>, ImportReport)> {
    let mut rdr = csv::Reader::from_path(path)?;
    let headers = rdr.headers()?.clone();
    if let Some(missing) = required.iter().find(|c| !headers.iter().any(|h| h == **c)) {
        anyhow::bail!(
            "{}: column {missing} is missing (expected {})",
            path.display(),
            required.join(", ")
        );
    }
    let mut report = ImportReport::default();
    let mut rows = Vec::new();
    for (i, record) in rdr.records().enumerate() {
        report.lines += 1;
        // Line 1 is the header.
        let line = i as u64 + 2;
        let parsed = record.map_err(|e| e.to_string()).and_then(|record| {
            parse(&CsvRow {
                headers: &headers,
                record: &record,
            })
        });
        match parsed {
            Ok(row) => rows.push(row),
            Err(message) => {
                report.rejected += 1;
                report.errors.push((line, message));
            }
        }
    }
    Ok((rows, report))
}

/// Imports municipalities from the CSV layout of `fi_municipalities_geonames_derived.csv`
/// (columns found by name: `kunta_code`, `kunta_name`, `lat`, `lon`, and optionally
/// `maakunta_code`, `maakunta_name_geonames_en`).
pub async fn import_municipalities(store: &Store, path: &Path) -> anyhow::Result<ImportReport> {
    let (rows, mut report) =
        read_reference_csv(path, &["kunta_code", "kunta_name", "lat", "lon"], |r| {
            let number = |name: &str| {
                let raw = r.get(name);
                raw.parse::<f64>()
                    .map_err(|_| format!("{name} '{raw}' is not a number"))
            };
            let (lat, lon) = (number("lat")?, number("lon")?);
            if !(59.0..=71.0).contains(&lat) || !(19.0..=32.0).contains(&lon) {
                return Err(format!("coordinates {lat}, {lon} are outside Finland"));
            }
            let (code, name) = (r.get("kunta_code"), r.get("kunta_name"));
            if code.is_empty() || name.is_empty() {
                return Err("kunta_code and kunta_name must not be empty".into());
            }
            Ok(MunicipalityRow {
                code,
                name,
                region_code: r.optional("maakunta_code"),
                region_name: r.optional("maakunta_name_geonames_en"),
                lat,
                lon,
            })
        })?;
    report.imported = store.upsert_municipalities(&rows).await? as u64;
    Ok(report)
}

/// Imports the occupation taxonomy from the CSV layout of
/// `esco_v1.1.1_occupations_isco_fi_sv_en.csv` (columns found by name: `concept_type`, `code`,
/// `label_fi`, `label_sv`, `label_en`).
pub async fn import_occupations(store: &Store, path: &Path) -> anyhow::Result<ImportReport> {
    let required = ["concept_type", "code", "label_fi", "label_sv", "label_en"];
    let (rows, mut report) = read_reference_csv(path, &required, |r| {
        let concept_type = r.get("concept_type");
        if concept_type != "isco_group" && concept_type != "occupation" {
            return Err(format!(
                "concept_type '{concept_type}' is neither isco_group nor occupation"
            ));
        }
        let code = crate::domain::OccupationCode::parse("code", &r.get("code"))
            .map_err(|e| e.to_string())?;
        let label_fi = r.get("label_fi");
        if label_fi.is_empty() {
            return Err("label_fi is empty".into());
        }
        Ok(crate::store::OccupationRow {
            isco_group: code.isco_group().to_string(),
            code: code.as_str().to_string(),
            concept_type,
            label_fi,
            label_sv: r.get("label_sv"),
            label_en: r.get("label_en"),
        })
    })?;
    report.imported = store.upsert_occupations(&rows).await? as u64;
    Ok(report)
}

/// Reads every posting's occupations anew with the taxonomy in the database (after it
/// changed); returns how many postings changed. Each change is logged, so the index follows.
pub async fn reclassify_postings(store: &Store) -> Result<usize, StoreError> {
    use crate::store::Entity;
    let analyser =
        crate::search::Analyser::choose(None).unwrap_or(crate::search::Analyser::Snowball);
    let occupations = Occupations::new(&store.occupations().await?, analyser);
    let mut changed = 0;
    for kind in [Entity::Vacancy, Entity::Task] {
        let mut after = 0;
        loop {
            let page = store.posting_texts(kind, after, 1_000).await?;
            let Some(last) = page.last() else { break };
            after = last.0;
            let items: Vec<_> = page
                .into_iter()
                .map(|(id, title, text, code)| {
                    (id, occupations.of_posting(code.as_deref(), &title, &text))
                })
                .collect();
            changed += store.set_posting_occupations(kind, &items).await?;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_posting_maps_to_a_vacancy() {
        let line = r#"{"@type":"JobPosting","identifier":"d-1","title":"Varastotyöntekijä",
            "description":"Keräilyä.","hiringOrganization":{"name":"Logistiikka Oy"},
            "jobLocation":{"address":{"addressLocality":"00510 - Helsinki"}},
            "workHours":"20-30 h/vk","employmentType":["PART_TIME"],"inLanguage":"fi-FI"}"#
            .replace('\n', " ");
        let (employer, d) = parse_job_posting(&line).unwrap();
        assert_eq!(employer, "Logistiikka Oy");
        assert_eq!(d.municipality.as_deref(), Some("Helsinki"));
        assert_eq!(
            d.hours_per_week,
            Some(HoursRange {
                min: Some(20.0),
                max: Some(30.0)
            })
        );
        assert_eq!(d.external_id.as_deref(), Some("d-1"));
        assert_eq!(d.language.as_ref().map(|l| l.as_str()), Some("fi"));
    }

    #[test]
    fn region_only_posting_keeps_municipality_unknown() {
        let line = r#"{"identifier":"2","title":"Myyjä","description":"x","hiringOrganization":{"name":"K"},"jobLocation":{"address":{"addressLocality":"Uusimaa"}}}"#;
        let (_, d) = parse_job_posting(line).unwrap();
        assert_eq!(d.municipality, None);
        assert_eq!(d.location.as_deref(), Some("Uusimaa"));
    }

    #[test]
    fn missing_title_is_a_reason_not_a_panic() {
        let err = parse_job_posting(r#"{"description":"x","hiringOrganization":{"name":"K"}}"#)
            .unwrap_err();
        assert!(err.contains("title"), "{err}");
        assert!(parse_job_posting("{not json").unwrap_err().contains("JSON"));
    }
}
