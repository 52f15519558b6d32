//! The index: its schema, opening it, and turning a stored posting into a document.

use std::path::Path;

use tantivy::schema::{Document, OwnedValue};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::{Index, IndexSettings, Term};

use super::analysis::{self, detect_language, Analyser, FieldKind, Lang, NAME_ANALYZER};
use super::{Result, SearchError};
use crate::store::{Entity, IndexableEmployer, IndexablePosting};

/// Bump when the schema or the analysis changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 14;

/// An inferred occupation below this confidence is not indexed.
const MIN_OCCUPATION_CONFIDENCE: f64 = 0.2;

/// Per-language text fields.
#[derive(Debug, Clone, Copy)]
pub struct LangFields {
    /// Title, stemmed.
    pub title: Field,
    /// Description, stemmed.
    pub body: Field,
    /// Compound pieces of title and description.
    pub parts: Field,
    /// Word families (derivation roots) of title and description.
    pub roots: Field,
}

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `vacancy:12`: the key updates and deletes go by.
    pub key: Field,
    /// `vacancy` or `task`.
    pub kind: Field,
    /// Id within the kind.
    pub id: Field,
    /// Employer id (filter for employer users).
    pub employer_id: Field,
    /// Employer name, searchable and shown.
    pub employer: Field,
    /// Source id, shown.
    pub external_id: Field,
    /// Title as written, shown.
    pub title: Field,
    /// Description as written, for snippets.
    pub description: Field,
    /// Lower-cased municipality (filter).
    pub municipality_key: Field,
    /// Municipality as written, shown.
    pub municipality: Field,
    /// Analysed language of the document.
    pub lang: Field,
    /// ISCO-08 group prefixes of the occupation code (`9`, `91`, `911`, `9112`).
    pub occupation: Field,
    /// Publication time, unix seconds (ordering, freshness).
    pub posted: Field,
    /// Occupation code as given, shown and compared.
    pub occupation_code: Field,
    /// Fewest hours per week offered.
    pub hours_min: Field,
    /// Most hours per week offered.
    pub hours_max: Field,
    /// Adjustments the employer offers, one per value (stored).
    pub adjustments: Field,
    /// Adjustments, analysed (Finnish words), to meet a client's needs.
    pub adjustments_text: Field,
    /// A task's estimated total hours of work, shown.
    pub estimated_hours: Field,
    /// Fast: 0 vacancy, 1 task, 2 employer.
    pub kind_code: Field,
    /// Fast: the ISCO group digits with a leading 1 (`9112` -> 19112), 0 when unknown.
    pub isco: Field,
    /// Fast: confidence of that occupation (1 given, less when inferred, 0 when unknown).
    pub isco_confidence: Field,
    /// Fast: the shifts and licences the text names ([`super::signals::Signals`]).
    pub signals: Field,
    /// Fast: last moment to apply, unix seconds (`i64::MAX` when not given).
    pub valid_through: Field,
    /// Fast: [`place_key`] of the municipality, 0 when unknown.
    pub place: Field,
    /// Fast: 0 fi, 1 sv, 2 en.
    pub lang_code: Field,
    /// Text fields by language: fi, sv, en.
    pub langs: [(Lang, LangFields); 3],
}

impl Fields {
    /// The text fields of `lang`.
    pub fn of(&self, lang: Lang) -> LangFields {
        self.langs
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, f)| *f)
            .expect("every language has fields")
    }
}

fn text(analyzer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    )
}

/// Builds the schema.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let key = b.add_text_field("key", STRING | STORED);
    let kind = b.add_text_field("kind", STRING | STORED);
    let id = b.add_u64_field("id", INDEXED | STORED | FAST);
    let employer_id = b.add_u64_field("employer_id", INDEXED | FAST);
    let employer = b.add_text_field(
        "employer",
        text(NAME_ANALYZER, IndexRecordOption::WithFreqsAndPositions).set_stored(),
    );
    let external_id = b.add_text_field("external_id", STORED);
    let title = b.add_text_field("title", STORED);
    // An employer prospect's line of work and past titles (built here, not a stored text of
    // the database). Postings leave it empty: their descriptions are in the database.
    let description = b.add_text_field("description", STORED);
    let municipality_key = b.add_text_field("municipality_key", STRING);
    let municipality = b.add_text_field("municipality", STORED);
    let lang = b.add_text_field("lang", STRING | STORED);
    let occupation = b.add_text_field("occupation", STRING);
    let posted = b.add_i64_field("posted", NumericOptions::default().set_fast().set_stored());
    let occupation_code = b.add_text_field("occupation_code", STORED);
    let hours_min = b.add_f64_field("hours_min", STORED | FAST);
    let hours_max = b.add_f64_field("hours_max", STORED | FAST);
    let adjustments = b.add_text_field("adjustments", STORED);
    let adjustments_text = b.add_text_field(
        "adjustments_text",
        text(Lang::Fi.words_analyzer(), IndexRecordOption::Basic),
    );
    let estimated_hours = b.add_f64_field("estimated_hours", STORED);
    let kind_code = b.add_u64_field("kind_code", FAST);
    let isco = b.add_u64_field("isco", FAST);
    let isco_confidence = b.add_f64_field("isco_confidence", FAST);
    let signals = b.add_u64_field("signals", FAST);
    let valid_through = b.add_i64_field("valid_through", INDEXED | FAST);
    let place = b.add_u64_field("place", FAST);
    let lang_code = b.add_u64_field("lang_code", FAST);
    let langs = Lang::ALL.map(|l| {
        // The writer's analyzers: each text analysed once for the three fields.
        let words = l.index_analyzer(FieldKind::Words);
        let fields = LangFields {
            // Frequencies for BM25; no positions: nothing searches phrases, and snippets
            // find their words by analysing the text again.
            title: b.add_text_field(
                &format!("title_{}", l.code()),
                text(words, IndexRecordOption::WithFreqs),
            ),
            body: b.add_text_field(
                &format!("body_{}", l.code()),
                text(words, IndexRecordOption::WithFreqs),
            ),
            // Frequencies here too: tantivy prunes a union (Block-WAND) only when every term
            // in it reads them, and every query word looks up its parts.
            parts: b.add_text_field(
                &format!("parts_{}", l.code()),
                text(
                    l.index_analyzer(FieldKind::Parts),
                    IndexRecordOption::WithFreqs,
                ),
            ),
            roots: b.add_text_field(
                &format!("roots_{}", l.code()),
                text(
                    l.index_analyzer(FieldKind::Roots),
                    IndexRecordOption::WithFreqs,
                ),
            ),
        };
        (l, fields)
    });
    let fields = Fields {
        key,
        kind,
        id,
        employer_id,
        employer,
        external_id,
        title,
        description,
        municipality_key,
        municipality,
        lang,
        occupation,
        posted,
        occupation_code,
        hours_min,
        hours_max,
        adjustments,
        adjustments_text,
        estimated_hours,
        kind_code,
        isco,
        isco_confidence,
        signals,
        valid_through,
        place,
        lang_code,
        langs,
    };
    (b.build(), fields)
}

/// Creates a missing index directory open to its owner only (0700 on Unix), like the
/// database it is derived from. An existing one is left as the operator set it.
fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| SearchError::Io {
        path: dir.display().to_string(),
        source: e,
    })
}

/// Opens the index in `dir`, creating it when missing. Returns the index and whether it was
/// created (or recreated because its schema version or its Finnish analyser differs) and so
/// must be filled.
pub fn open_or_create(dir: &Path, analyser: Analyser) -> Result<(Index, Fields, bool)> {
    create_private_dir(dir)?;
    let (schema, fields) = schema();
    let version_file = dir.join("kohtaamo-schema-version");
    // The version names the analyser: terms of one do not meet queries of the other.
    let version = format!("{SCHEMA_VERSION} {}", analyser.name());
    let version_ok = std::fs::read_to_string(&version_file)
        .map(|v| v.trim() == version)
        .unwrap_or(false);
    let has_index = dir.join("meta.json").exists();
    let (index, created) = if has_index && version_ok {
        (Index::open_in_dir(dir)?, false)
    } else {
        if has_index {
            tracing::warn!(dir = %dir.display(), %version, "index schema or analyser changed: rebuilding from the database");
            clear_dir(dir)?;
        }
        let index = Index::builder()
            .schema(schema)
            .settings(IndexSettings {
                docstore_blocksize: DOCSTORE_BLOCK,
                ..IndexSettings::default()
            })
            .create_in_dir(dir)?;
        std::fs::write(&version_file, &version).map_err(|e| SearchError::Io {
            path: version_file.display().to_string(),
            source: e,
        })?;
        (index, true)
    };
    analysis::register(&index, analyser);
    Ok((index, fields, created))
}

/// Bytes of stored fields compressed together. A hit's stored fields are read by
/// decompressing their whole block: tantivy's 16 KiB made that most of reading a page's 20 hits
/// (about 100 documents' fields decompressed per hit). A quarter of it makes the stored fields
/// (kind, ids, title, employer, place, language) about a fifth larger: 6.4 -> 7.8 MiB at
/// 100,000 postings.
const DOCSTORE_BLOCK: usize = 4096;

fn clear_dir(dir: &Path) -> Result<()> {
    let io = |e| SearchError::Io {
        path: dir.display().to_string(),
        source: e,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_file() {
            std::fs::remove_file(&path).map_err(io)?;
        }
    }
    Ok(())
}

/// A document as the index writer takes it: its field values in order. Analysed texts go in
/// as pre-tokenised values and stay as they are (tantivy's own document type would write
/// them to JSON and read them back).
#[derive(Debug, Default)]
pub struct IndexDoc(Vec<(Field, OwnedValue)>);

impl IndexDoc {
    fn add(&mut self, field: Field, value: impl Into<OwnedValue>) {
        self.0.push((field, value.into()));
    }
}

fn field_value(entry: &(Field, OwnedValue)) -> (Field, &OwnedValue) {
    (entry.0, &entry.1)
}

impl Document for IndexDoc {
    type Value<'a> = &'a OwnedValue;
    type FieldsValuesIter<'a> = std::iter::Map<
        std::slice::Iter<'a, (Field, OwnedValue)>,
        fn(&'a (Field, OwnedValue)) -> (Field, &'a OwnedValue),
    >;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.0.iter().map(field_value)
    }
}

/// The key a posting is stored under.
pub fn key(kind: Entity, id: i64) -> String {
    let k = match kind {
        Entity::Vacancy => "vacancy",
        Entity::Task => "task",
        Entity::Employer => "employer",
        Entity::Client => "client",
        Entity::Event => "client_event",
        Entity::Contact => "employer_contact",
    };
    format!("{k}:{id}")
}

/// The term that deletes a posting's document.
pub fn key_term(fields: &Fields, kind: Entity, id: i64) -> Term {
    Term::from_field_text(fields.key, &key(kind, id))
}

/// Builds the document of an open posting.
pub fn document(fields: &Fields, p: &IndexablePosting) -> IndexDoc {
    let lang = p
        .language
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| detect_language(&format!("{} {}", p.title, p.description)));
    let lf = fields.of(lang);
    let (kind, kind_code) = match p.kind {
        Entity::Task => ("task", KIND_TASK),
        _ => ("vacancy", KIND_VACANCY),
    };
    let mut d = IndexDoc::default();
    d.add(fields.key, key(p.kind, p.id));
    d.add(fields.kind, kind);
    d.add(fields.id, p.id as u64);
    d.add(fields.employer_id, p.employer_id as u64);
    d.add(fields.employer, p.employer.as_str());
    d.add(fields.title, p.title.as_str());
    // No description: the database keeps it (compressed), and snippets and reasons read it
    // for the hits they show.
    d.add(fields.lang, lang.code());
    d.add(fields.posted, p.date_posted.timestamp());
    d.add(fields.kind_code, kind_code);
    d.add(fields.lang_code, lang_code(lang));
    d.add(
        fields.place,
        p.municipality.as_deref().map(place_key).unwrap_or(0),
    );
    d.add(lf.title, p.title.as_str());
    d.add(lf.body, p.description.as_str());
    d.add(lf.parts, p.title.as_str());
    d.add(lf.parts, p.description.as_str());
    d.add(lf.roots, p.title.as_str());
    d.add(lf.roots, p.description.as_str());
    // The given code, or the best inferred occupation when it is sure enough.
    let occupations: Vec<&crate::domain::OccupationGuess> = p
        .occupations
        .iter()
        .filter(|o| o.confidence >= MIN_OCCUPATION_CONFIDENCE)
        .collect();
    let top = p
        .occupation_code
        .as_deref()
        .map(|c| (c, 1.0))
        .or_else(|| occupations.first().map(|o| (o.code.as_str(), o.confidence)));
    d.add(fields.isco, isco_code(top.map(|t| t.0)));
    d.add(fields.isco_confidence, top.map_or(0.0, |t| t.1));
    d.add(
        fields.valid_through,
        p.valid_through.map_or(i64::MAX, |t| t.timestamp()),
    );
    d.add(
        fields.signals,
        super::signals::read(&format!("{} {}", p.title, p.description)).0,
    );
    if let Some(ext) = &p.external_id {
        d.add(fields.external_id, ext.as_str());
    }
    if let Some(m) = &p.municipality {
        d.add(fields.municipality, m.as_str());
        d.add(fields.municipality_key, m.to_lowercase());
    }
    if let Some((code, _)) = top {
        d.add(fields.occupation_code, code);
    }
    let mut groups: Vec<&str> = p.occupation_code.iter().map(|c| c.as_str()).collect();
    groups.extend(occupations.iter().map(|o| o.code.as_str()));
    let mut indexed: Vec<&str> = Vec::new();
    for code in groups {
        let group = code.split('.').next().unwrap_or(code);
        for n in 1..=group.len() {
            if !indexed.contains(&&group[..n]) {
                indexed.push(&group[..n]);
                d.add(fields.occupation, &group[..n]);
            }
        }
    }
    if let Some(h) = p.hours_min {
        d.add(fields.hours_min, h);
    }
    if let Some(h) = p.hours_max {
        d.add(fields.hours_max, h);
    }
    for a in &p.adjustments_offered {
        d.add(fields.adjustments, a.as_str());
        d.add(fields.adjustments_text, a.as_str());
    }
    if let Some(h) = p.estimated_hours {
        d.add(fields.estimated_hours, h);
    }
    d
}

/// `kind_code` of a vacancy.
pub const KIND_VACANCY: u64 = 0;
/// `kind_code` of a task.
pub const KIND_TASK: u64 = 1;
/// `kind_code` of an employer prospect.
pub const KIND_EMPLOYER: u64 = 2;

fn lang_code(lang: Lang) -> u64 {
    match lang {
        Lang::Fi => 0,
        Lang::Sv => 1,
        Lang::En => 2,
    }
}

/// The language of a `lang_code`.
pub fn lang_of_code(code: u64) -> Lang {
    match code {
        1 => Lang::Sv,
        2 => Lang::En,
        _ => Lang::Fi,
    }
}

/// Packs the ISCO group of an occupation code into a number (`9112.1` -> 19112, `91` -> 191);
/// 0 when there is no code.
pub fn isco_code(code: Option<&str>) -> u64 {
    code.map(|c| c.split('.').next().unwrap_or(c))
        .filter(|g| !g.is_empty() && g.len() <= 4 && g.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|g| format!("1{g}").parse().ok())
        .unwrap_or(0)
}

/// The ISCO group digits of an [`isco_code`], `None` for 0.
pub fn isco_digits(packed: u64) -> Option<String> {
    (packed > 0).then(|| packed.to_string()[1..].to_string())
}

/// A stable 64-bit key of a municipality name (FNV-1a of its lower-cased form); never 0.
pub fn place_key(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.trim().to_lowercase().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h.max(1)
}

/// Builds the document of an employer prospect: its name, line of work and the titles of its
/// postings, searchable like a posting of kind `employer`.
pub fn employer_document(fields: &Fields, e: &IndexableEmployer) -> IndexDoc {
    let text = std::iter::once(e.industry.clone().unwrap_or_default())
        .chain(e.titles.iter().cloned())
        .collect::<Vec<_>>()
        .join(". ");
    let lang = detect_language(&text);
    let lf = fields.of(lang);
    let mut d = IndexDoc::default();
    d.add(fields.key, key(Entity::Employer, e.id));
    d.add(fields.kind, "employer");
    d.add(fields.id, e.id as u64);
    d.add(fields.employer_id, e.id as u64);
    d.add(fields.employer, e.name.as_str());
    d.add(fields.title, e.name.as_str());
    d.add(fields.description, text.as_str());
    d.add(fields.lang, lang.code());
    d.add(fields.posted, e.last_active.timestamp());
    d.add(fields.kind_code, KIND_EMPLOYER);
    d.add(fields.lang_code, lang_code(lang));
    d.add(fields.isco, 0u64);
    d.add(fields.isco_confidence, 0.0f64);
    d.add(fields.signals, 0u64);
    d.add(fields.valid_through, i64::MAX);
    d.add(
        fields.place,
        e.municipality.as_deref().map(place_key).unwrap_or(0),
    );
    // The line of work is the title; the text holds it and the titles.
    d.add(lf.title, e.industry.as_deref().unwrap_or_default());
    d.add(lf.body, text.as_str());
    d.add(lf.parts, text.as_str());
    d.add(lf.roots, text.as_str());
    if let Some(m) = &e.municipality {
        d.add(fields.municipality, m.as_str());
        d.add(fields.municipality_key, m.to_lowercase());
    }
    d
}

/// The query of every document whose last moment to apply is before `now` (they leave search
/// and matches at once; the hourly expiry closes them in the database). It reads the inverted
/// index, not the fast field: the expired are few (the expiry removes them), so collecting
/// them once per query is far cheaper than checking every candidate's value.
pub fn expired(fields: &Fields, now: i64) -> Box<dyn tantivy::query::Query> {
    Box::new(tantivy::query::InvertedIndexRangeQuery::new(
        std::ops::Bound::Unbounded,
        std::ops::Bound::Excluded(Term::from_field_i64(fields.valid_through, now)),
    ))
}

#[cfg(test)]
mod stored_tests {
    use super::*;

    /// What a document keeps to be read back: the stored fields, by name.
    fn stored_fields(doc: &IndexDoc, schema: &Schema) -> Vec<String> {
        doc.0
            .iter()
            .filter(|(f, _)| schema.get_field_entry(*f).is_stored())
            .map(|(f, _)| schema.get_field_name(*f).to_string())
            .collect()
    }

    #[test]
    fn a_posting_keeps_no_text_of_its_description_to_read_back() {
        let (schema, fields) = schema();
        let description = "Laitoshuoltoa ja ikkunanpesua sairaalassa. ".repeat(10);
        let posting = IndexablePosting {
            kind: Entity::Vacancy,
            id: 7,
            external_id: Some("x-7".into()),
            title: "Laitoshuoltaja".into(),
            description: description.clone(),
            employer_id: 3,
            employer: "Puhtaus Oy".into(),
            municipality: Some("Lahti".into()),
            language: Some("fi".into()),
            occupation_code: None,
            date_posted: chrono::Utc::now(),
            hours_min: None,
            hours_max: None,
            adjustments_offered: vec![],
            occupations: vec![],
            valid_through: None,
            estimated_hours: None,
        };
        let doc = document(&fields, &posting);
        let stored = stored_fields(&doc, &schema);
        assert!(!stored.contains(&"description".to_string()), "{stored:?}");
        assert!(stored.contains(&"title".to_string()), "{stored:?}");
        // No stored value holds the text, under any field.
        for (f, v) in &doc.0 {
            if schema.get_field_entry(*f).is_stored() {
                if let OwnedValue::Str(s) = v {
                    assert!(!s.contains("ikkunanpesua"), "{}", schema.get_field_name(*f));
                }
            }
        }
        // It is still searchable: the body field is indexed from it.
        let body = fields.of(Lang::Fi).body;
        assert!(doc
            .0
            .iter()
            .any(|(f, v)| *f == body && matches!(v, OwnedValue::Str(s) if *s == description)));
    }
}
