//! A table of figures with typed cells, shown three ways from the same values: as HTML in
//! the page's language, as CSV for Finnish Excel (UTF-8 with BOM, `;` between cells, decimal
//! commas) and as an XLSX workbook (real numbers with number formats).

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::format;
use super::i18n::Lang;

/// What a column holds (decides alignment, the CSV unit and the XLSX number format).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Words.
    Text,
    /// Whole numbers.
    Count,
    /// Decimal numbers.
    Decimal,
    /// Shares shown as percentages.
    Percent,
    /// Dates.
    Date,
}

/// One value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Words.
    Text(String),
    /// A whole number.
    Count(usize),
    /// A decimal number with its number of decimals; `None`: cannot be computed.
    Decimal(Option<f64>, usize),
    /// A share (0–1); `None`: cannot be computed.
    Percent(Option<f64>),
    /// A date.
    Date(NaiveDate),
    /// Nothing.
    Empty,
}

impl Cell {
    /// As the page shows it.
    pub fn display(&self, lang: Lang) -> String {
        let none = || lang.t("not-available");
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => format::count(lang, *n),
            Cell::Decimal(Some(x), digits) => format::decimal(lang, *x, *digits),
            Cell::Percent(Some(r)) => format::percent(lang, *r),
            Cell::Decimal(None, _) | Cell::Percent(None) => none(),
            Cell::Date(d) => format::date_with_week(lang, *d),
            Cell::Empty => String::new(),
        }
    }

    /// As a CSV cell that Finnish Excel reads as a number or a date: percentages in percent
    /// (the header says `%`), decimal commas, no grouping; nothing for "cannot be computed".
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Decimal(Some(x), digits) => format::excel_decimal(*x, *digits),
            Cell::Percent(Some(r)) => format::excel_decimal(r * 100.0, 1),
            Cell::Decimal(None, _) | Cell::Percent(None) | Cell::Empty => String::new(),
            Cell::Date(d) => format::date_input(*d),
        }
    }
}

/// A column.
#[derive(Debug, Clone)]
pub struct Column {
    /// Heading, in the page's language.
    pub header: String,
    /// What it holds.
    pub kind: Kind,
}

/// A row: its cells, and the key tests and scrapers find its main figure by
/// (`data-figure`, on the second cell).
#[derive(Debug, Clone)]
pub struct Row {
    /// `stage:employed`, `cohort:interview`, …
    pub key: String,
    /// One per column.
    pub cells: Vec<Cell>,
    /// A link the page (not the exports) shows in an extra last cell: (address, text).
    pub link: Option<(String, String)>,
    /// Indented under the row before (a part of it).
    pub part: bool,
}

/// A table of the dashboard, also exported.
#[derive(Debug, Clone)]
pub struct Table {
    /// Identifier, in export addresses (`/dashboard/export/{id}.csv`) and the access log.
    pub id: &'static str,
    /// Title, in the page's language.
    pub title: String,
    /// What the figures mean.
    pub note: String,
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows.
    pub rows: Vec<Row>,
    /// Clients the table names (for the access log).
    pub clients: Vec<i64>,
}

impl Table {
    /// An empty table `id` with its title and note from the catalogue.
    pub fn new(lang: Lang, id: &'static str, columns: Vec<(&str, Kind)>) -> Self {
        Table {
            id,
            title: lang.t(&format!("table-{id}")),
            note: lang.t(&format!("table-{id}-note")),
            columns: columns
                .into_iter()
                .map(|(header, kind)| Column {
                    header: lang.t(header),
                    kind,
                })
                .collect(),
            rows: Vec::new(),
            clients: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, key: impl Into<String>, cells: Vec<Cell>) -> &mut Row {
        self.rows.push(Row {
            key: key.into(),
            cells,
            link: None,
            part: false,
        });
        self.rows.last_mut().expect("just pushed")
    }

    /// The CSV file: UTF-8 with a byte-order mark (so Excel reads it as UTF-8), `;` between
    /// cells and CRLF line ends, as Excel with Finnish settings writes and reads CSV.
    pub fn to_csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        {
            let mut w = csv::WriterBuilder::new()
                .delimiter(b';')
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut out);
            w.write_record(self.columns.iter().map(csv_header))?;
            for row in &self.rows {
                w.write_record(row.cells.iter().map(Cell::csv))?;
            }
            w.flush()?;
        }
        Ok(out)
    }

    /// The XLSX workbook: one sheet named for the table, a bold header row, numbers as
    /// numbers (percentages as shares with a percent format), dates as dates.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&self.title))?;
        let bold = Format::new().set_bold().set_text_wrap();
        let percent = Format::new().set_num_format("0.0 %");
        let decimal = Format::new().set_num_format("0.0");
        let date = Format::new().set_num_format("d.m.yyyy");
        for (c, col) in self.columns.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, &col.header, &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.cells.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, c, s)?;
                    }
                    Cell::Count(n) => {
                        sheet.write_number(r, c, *n as f64)?;
                    }
                    Cell::Decimal(Some(x), _) => {
                        sheet.write_number_with_format(r, c, *x, &decimal)?;
                    }
                    Cell::Percent(Some(x)) => {
                        sheet.write_number_with_format(r, c, *x, &percent)?;
                    }
                    Cell::Date(d) => {
                        let when = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        sheet.write_datetime_with_format(r, c, &when, &date)?;
                    }
                    Cell::Decimal(None, _) | Cell::Percent(None) | Cell::Empty => {}
                }
            }
        }
        sheet.autofit();
        book.save_to_buffer()
    }
}

/// A CSV heading: percentages in percent say so.
fn csv_header(c: &Column) -> String {
    match c.kind {
        Kind::Percent => format!("{} (%)", c.header),
        _ => c.header.clone(),
    }
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    clean.trim().trim_matches('\'').to_string()
}

/// A table as the page shows it.
pub struct TableView {
    /// Identifier (the section's `id`).
    pub id: &'static str,
    /// Title.
    pub title: String,
    /// What the figures mean.
    pub note: String,
    /// Column headings: (text, numeric).
    pub headers: Vec<(String, bool)>,
    /// Rows.
    pub rows: Vec<RowView>,
    /// Download links.
    pub exports: Vec<ExportLink>,
}

/// A row as the page shows it.
pub struct RowView {
    /// Cells.
    pub cells: Vec<CellView>,
    /// A part of the row before.
    pub part: bool,
    /// A bar (0–100) drawn beside the figure (the cohort funnel).
    pub bar: Option<u32>,
}

/// A cell as the page shows it.
pub struct CellView {
    /// Text.
    pub text: String,
    /// Its column's heading (shown beside it when narrow screens stack the table).
    pub label: String,
    /// Right-aligned figure.
    pub numeric: bool,
    /// `data-figure` key, on the row's main figure.
    pub figure: Option<String>,
    /// A link: (address, text).
    pub link: Option<(String, String)>,
}

/// A download link.
pub struct ExportLink {
    /// Address.
    pub href: String,
    /// Text naming the table and the format.
    pub text: String,
}

impl TableView {
    /// `table` in `lang`, with download links at `export_base` (`/dashboard/export`) and
    /// `query` (the period); `bar_column` draws a bar of that share column.
    pub fn new(
        table: &Table,
        lang: Lang,
        export_base: &str,
        query: &str,
        bar_column: Option<usize>,
        link_header: Option<String>,
    ) -> Self {
        let mut headers: Vec<(String, bool)> = table
            .columns
            .iter()
            .map(|c| (c.header.clone(), c.kind != Kind::Text))
            .collect();
        let has_links = table.rows.iter().any(|r| r.link.is_some());
        if has_links {
            headers.push((link_header.unwrap_or_default(), false));
        }
        let rows = table
            .rows
            .iter()
            .map(|row| {
                let mut cells: Vec<CellView> = row
                    .cells
                    .iter()
                    .zip(&table.columns)
                    .enumerate()
                    .map(|(i, (cell, col))| CellView {
                        text: cell.display(lang),
                        label: col.header.clone(),
                        numeric: col.kind != Kind::Text,
                        figure: (i == 1).then(|| row.key.clone()),
                        link: None,
                    })
                    .collect();
                if has_links {
                    cells.push(CellView {
                        text: String::new(),
                        label: headers.last().map(|h| h.0.clone()).unwrap_or_default(),
                        numeric: false,
                        figure: None,
                        link: row.link.clone(),
                    });
                }
                let bar = bar_column.and_then(|i| match row.cells.get(i) {
                    Some(Cell::Percent(Some(share))) => {
                        Some((share.clamp(0.0, 1.0) * 100.0).round() as u32)
                    }
                    _ => None,
                });
                RowView {
                    cells,
                    part: row.part,
                    bar,
                }
            })
            .collect();
        let exports = ["csv", "xlsx"]
            .into_iter()
            .map(|ext| ExportLink {
                href: format!("{export_base}/{}.{ext}?{query}", table.id),
                text: lang.t1(&format!("export-{ext}"), "table", table.title.clone()),
            })
            .collect();
        TableView {
            id: table.id,
            title: table.title.clone(),
            note: table.note.clone(),
            headers,
            rows,
            exports,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new(
            Lang::Fi,
            "cohort_funnel",
            vec![
                ("col-step", Kind::Text),
                ("col-clients", Kind::Count),
                ("col-share-of-cohort", Kind::Percent),
            ],
        );
        t.row(
            "cohort:engaged",
            vec![
                Cell::Text("Aloitti palvelun; \"uusi\"".into()),
                Cell::Count(1234),
                Cell::Percent(Some(0.857_142)),
            ],
        );
        t.row(
            "cohort:interview",
            vec![Cell::Text("x".into()), Cell::Count(0), Cell::Percent(None)],
        );
        t
    }

    #[test]
    fn csv_opens_right_in_finnish_excel() {
        let bytes = table().to_csv().unwrap();
        assert!(
            bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
            "UTF-8 byte-order mark"
        );
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "Vaihe;Asiakkaita;Osuus kohortista (%)\r\n\
             \"Aloitti palvelun; \"\"uusi\"\"\";1234;85,7\r\n\
             x;0;\r\n"
        );
    }

    #[test]
    fn xlsx_is_a_workbook() {
        let bytes = table().to_xlsx().unwrap();
        assert!(bytes.starts_with(b"PK"), "a zip container");
    }

    #[test]
    fn the_page_shows_figures_in_the_language_with_their_keys() {
        let view = TableView::new(
            &table(),
            Lang::Fi,
            "/dashboard/export",
            "from=x",
            Some(2),
            None,
        );
        let first = &view.rows[0];
        assert_eq!(first.cells[1].text, "1\u{a0}234");
        assert_eq!(first.cells[1].figure.as_deref(), Some("cohort:engaged"));
        assert_eq!(first.cells[2].text, "85,7\u{a0}%");
        assert_eq!(first.bar, Some(86));
        assert_eq!(view.rows[1].cells[2].text, "–");
        assert_eq!(
            view.exports[0].href,
            "/dashboard/export/cohort_funnel.csv?from=x"
        );
        assert_eq!(view.exports[0].text, "Kohorttisuppilo, CSV-tiedosto");
        assert_eq!(
            sheet_name("Porrasmalli: työkokeilu → palkkatuki → palkkatyö")
                .chars()
                .count(),
            31
        );
        assert!(!sheet_name("a:b/c").contains([':', '/']));
    }
}
