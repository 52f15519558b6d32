//! The index: its schema, opening it, and turning a stored posting into a document.

use std::path::Path;

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::{doc, Index, TantivyDocument, Term};

use super::analysis::{self, detect_language, Lang, NAME_ANALYZER};
use super::{Result, SearchError};
use crate::store::{Entity, IndexablePosting};

/// Bump when the schema or the analysis changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 2;

/// Per-language text fields.
#[derive(Debug, Clone, Copy)]
pub struct LangFields {
    /// Title, stemmed.
    pub title: Field,
    /// Description, stemmed.
    pub body: Field,
    /// Compound pieces of title and description.
    pub parts: Field,
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
    /// Publication time, unix seconds (ordering).
    pub posted: Field,
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
    let description = b.add_text_field("description", STORED);
    let municipality_key = b.add_text_field("municipality_key", STRING);
    let municipality = b.add_text_field("municipality", STORED);
    let lang = b.add_text_field("lang", STRING | STORED);
    let occupation = b.add_text_field("occupation", STRING);
    let posted = b.add_i64_field("posted", NumericOptions::default().set_fast().set_stored());
    let langs = Lang::ALL.map(|l| {
        let words = l.words_analyzer();
        let fields = LangFields {
            title: b.add_text_field(
                &format!("title_{}", l.code()),
                text(words, IndexRecordOption::WithFreqsAndPositions),
            ),
            body: b.add_text_field(
                &format!("body_{}", l.code()),
                text(words, IndexRecordOption::WithFreqsAndPositions),
            ),
            // Tails are only looked up by prefix (constant score): doc ids alone keep it small.
            parts: b.add_text_field(
                &format!("parts_{}", l.code()),
                text(l.parts_analyzer(), IndexRecordOption::Basic),
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
        langs,
    };
    (b.build(), fields)
}

/// Opens the index in `dir`, creating it when missing. Returns the index and whether it was
/// created (or recreated because its schema version differs) and so must be filled.
pub fn open_or_create(dir: &Path) -> Result<(Index, Fields, bool)> {
    std::fs::create_dir_all(dir).map_err(|e| SearchError::Io {
        path: dir.display().to_string(),
        source: e,
    })?;
    let (schema, fields) = schema();
    let version_file = dir.join("kohtaamo-schema-version");
    let version_ok = std::fs::read_to_string(&version_file)
        .map(|v| v.trim() == SCHEMA_VERSION.to_string())
        .unwrap_or(false);
    let has_index = dir.join("meta.json").exists();
    let (index, created) = if has_index && version_ok {
        (Index::open_in_dir(dir)?, false)
    } else {
        if has_index {
            tracing::warn!(dir = %dir.display(), "index schema changed: rebuilding from the database");
            clear_dir(dir)?;
        }
        let index = Index::create_in_dir(dir, schema)?;
        std::fs::write(&version_file, SCHEMA_VERSION.to_string()).map_err(|e| SearchError::Io {
            path: version_file.display().to_string(),
            source: e,
        })?;
        (index, true)
    };
    analysis::register(&index);
    Ok((index, fields, created))
}

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

/// The key a posting is stored under.
pub fn key(kind: Entity, id: i64) -> String {
    let k = match kind {
        Entity::Vacancy => "vacancy",
        Entity::Task => "task",
        Entity::Employer => "employer",
        Entity::Client => "client",
    };
    format!("{k}:{id}")
}

/// The term that deletes a posting's document.
pub fn key_term(fields: &Fields, kind: Entity, id: i64) -> Term {
    Term::from_field_text(fields.key, &key(kind, id))
}

/// Builds the document of an open posting.
pub fn document(fields: &Fields, p: &IndexablePosting) -> TantivyDocument {
    let lang = p
        .language
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| detect_language(&format!("{} {}", p.title, p.description)));
    let lf = fields.of(lang);
    let kind = match p.kind {
        Entity::Task => "task",
        _ => "vacancy",
    };
    let mut d = doc!(
        fields.key => key(p.kind, p.id),
        fields.kind => kind,
        fields.id => p.id as u64,
        fields.employer_id => p.employer_id as u64,
        fields.employer => p.employer.as_str(),
        fields.title => p.title.as_str(),
        fields.description => p.description.as_str(),
        fields.lang => lang.code(),
        fields.posted => p.date_posted.timestamp(),
        lf.title => p.title.as_str(),
        lf.body => p.description.as_str(),
        lf.parts => p.title.as_str(),
        lf.parts => p.description.as_str(),
    );
    if let Some(ext) = &p.external_id {
        d.add_text(fields.external_id, ext);
    }
    if let Some(m) = &p.municipality {
        d.add_text(fields.municipality, m);
        d.add_text(fields.municipality_key, m.to_lowercase());
    }
    if let Some(code) = &p.occupation_code {
        let group = code.split('.').next().unwrap_or(code);
        for n in 1..=group.len() {
            d.add_text(fields.occupation, &group[..n]);
        }
    }
    d
}
