//! Bank export formats, written piece by piece (header, one piece per line, footer) so a batch of any size
//! streams with bounded memory. Pure: no I/O.
//!
//! - **CSV** (UTF-8, comma-separated, header row): `end_to_end_id, shopper_id, account_holder, iban, tax_id,
//!   gross, income_tax, military_levy, net, currency, remittance`; amounts in the currency's units with two
//!   decimals (`1234.50`).
//! - **ISO 20022 pain.001.001.09** (and .03): one payment information block paying every line's net amount from
//!   the configured debtor account; `NbOfTxs` and `CtrlSum` at group and payment level; the end-to-end id of
//!   each transfer is the line's id without dashes (what the bank's status file refers to).

use crate::domain::text::csv_cell;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use crate::domain::ledger::decimal;

// Not to be confused with `tabular::ExportFormat` (the spreadsheets of results and responses); the GraphQL name
// stays `ExportFormat`.
/// The formats a payout batch's bank file comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "ExportFormat")]
pub enum BankFileFormat {
    Csv,
    /// ISO 20022 customer credit transfer initiation, version 09.
    Pain00100109,
    /// The older version 03, still the one many banks take.
    Pain00100103,
}

impl BankFileFormat {
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "csv" => Some(BankFileFormat::Csv),
            "pain.001.001.09" | "pain00100109" | "xml" => Some(BankFileFormat::Pain00100109),
            "pain.001.001.03" | "pain00100103" => Some(BankFileFormat::Pain00100103),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BankFileFormat::Csv => "csv",
            BankFileFormat::Pain00100109 => "pain.001.001.09",
            BankFileFormat::Pain00100103 => "pain.001.001.03",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            BankFileFormat::Csv => "text/csv; charset=utf-8",
            _ => "application/xml",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            BankFileFormat::Csv => "csv",
            _ => "xml",
        }
    }
}

/// What the file says once, before the lines.
#[derive(Debug, Clone)]
pub struct Header {
    pub message_id: String,
    pub created_at: DateTime<Utc>,
    pub execution_date: NaiveDate,
    pub batch_id: String,
    pub line_count: i64,
    /// Sum of the lines' net amounts (what the bank pays out).
    pub net_total: i64,
    pub currency: String,
    pub debtor_name: String,
    pub debtor_iban: String,
    pub debtor_bic: Option<String>,
    /// Remittance text naming the period, e.g. `Fieldwork payout 2026-11-01..2026-11-30`.
    pub remittance: String,
}

/// One payment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Line {
    pub id: String,
    pub seq: i64,
    pub shopper_id: String,
    pub account_holder: String,
    pub iban: String,
    pub tax_id: String,
    pub gross: i64,
    pub income_tax: i64,
    pub military_levy: i64,
    pub net: i64,
    pub currency: String,
}

impl Line {
    /// The end-to-end id the bank echoes back: the line id without dashes (32 characters; the limit is 35).
    pub fn end_to_end_id(&self) -> String {
        end_to_end_id(&self.id)
    }
}

pub fn end_to_end_id(line_id: &str) -> String {
    line_id.replace('-', "")
}

/// Max140Text and friends: at most `n` characters, never empty.
fn clip(text: &str, n: usize) -> String {
    let clipped: String = text.trim().chars().take(n).collect();
    if clipped.is_empty() {
        "-".into()
    } else {
        clipped
    }
}

type Out = Writer<Vec<u8>>;

fn open(w: &mut Out, name: &str) {
    w.write_event(Event::Start(BytesStart::new(name)))
        .expect("writing to memory cannot fail");
}

fn close(w: &mut Out, name: &str) {
    w.write_event(Event::End(BytesEnd::new(name)))
        .expect("writing to memory cannot fail");
}

fn leaf(w: &mut Out, name: &str, text: &str) {
    open(w, name);
    w.write_event(Event::Text(BytesText::new(text)))
        .expect("writing to memory cannot fail");
    close(w, name);
}

fn amount(w: &mut Out, name: &str, kopiykas: i64, currency: &str) {
    let mut start = BytesStart::new(name);
    start.push_attribute(("Ccy", currency));
    w.write_event(Event::Start(start))
        .expect("writing to memory cannot fail");
    w.write_event(Event::Text(BytesText::new(&decimal(kopiykas))))
        .expect("writing to memory cannot fail");
    close(w, name);
}

fn account(w: &mut Out, name: &str, iban: &str) {
    open(w, name);
    open(w, "Id");
    leaf(w, "IBAN", iban);
    close(w, "Id");
    close(w, name);
}

fn agent(w: &mut Out, name: &str, bic: Option<&str>, format: BankFileFormat) {
    open(w, name);
    open(w, "FinInstnId");
    match bic {
        Some(bic) => leaf(
            w,
            if format == BankFileFormat::Pain00100103 {
                "BIC"
            } else {
                "BICFI"
            },
            bic,
        ),
        // No BIC: the bank is known from the IBAN (EPC guidance: "NOTPROVIDED").
        None => {
            open(w, "Othr");
            leaf(w, "Id", "NOTPROVIDED");
            close(w, "Othr");
        }
    }
    close(w, "FinInstnId");
    close(w, name);
}

/// The file's beginning.
pub fn header(format: BankFileFormat, h: &Header) -> Vec<u8> {
    match format {
        BankFileFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "end_to_end_id",
                "shopper_id",
                "account_holder",
                "iban",
                "tax_id",
                "gross",
                "income_tax",
                "military_levy",
                "net",
                "currency",
                "remittance",
            ])
            .expect("writing to memory cannot fail");
            w.into_inner().expect("writing to memory cannot fail")
        }
        _ => {
            let namespace = format!("urn:iso:std:iso:20022:tech:xsd:{}", format.as_str());
            let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
            w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
                .expect("writing to memory cannot fail");
            let mut document = BytesStart::new("Document");
            document.push_attribute(("xmlns", namespace.as_str()));
            w.write_event(Event::Start(document))
                .expect("writing to memory cannot fail");
            open(&mut w, "CstmrCdtTrfInitn");
            open(&mut w, "GrpHdr");
            leaf(&mut w, "MsgId", &clip(&h.message_id, 35));
            leaf(
                &mut w,
                "CreDtTm",
                &h.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            );
            leaf(&mut w, "NbOfTxs", &h.line_count.to_string());
            leaf(&mut w, "CtrlSum", &decimal(h.net_total));
            open(&mut w, "InitgPty");
            leaf(&mut w, "Nm", &clip(&h.debtor_name, 140));
            close(&mut w, "InitgPty");
            close(&mut w, "GrpHdr");
            open(&mut w, "PmtInf");
            leaf(&mut w, "PmtInfId", &clip(&h.message_id, 35));
            leaf(&mut w, "PmtMtd", "TRF");
            leaf(&mut w, "BtchBookg", "false");
            leaf(&mut w, "NbOfTxs", &h.line_count.to_string());
            leaf(&mut w, "CtrlSum", &decimal(h.net_total));
            let date = h.execution_date.format("%Y-%m-%d").to_string();
            if format == BankFileFormat::Pain00100103 {
                leaf(&mut w, "ReqdExctnDt", &date);
            } else {
                open(&mut w, "ReqdExctnDt");
                leaf(&mut w, "Dt", &date);
                close(&mut w, "ReqdExctnDt");
            }
            open(&mut w, "Dbtr");
            leaf(&mut w, "Nm", &clip(&h.debtor_name, 140));
            close(&mut w, "Dbtr");
            account(&mut w, "DbtrAcct", &h.debtor_iban);
            agent(&mut w, "DbtrAgt", h.debtor_bic.as_deref(), format);
            leaf(&mut w, "ChrgBr", "SLEV");
            let mut out = w.into_inner();
            out.push(b'\n');
            out
        }
    }
}

/// One payment.
pub fn line(format: BankFileFormat, h: &Header, l: &Line) -> Vec<u8> {
    match format {
        BankFileFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            // Text cells are defused against spreadsheet formulas; amounts are numbers we format ourselves.
            w.write_record([
                l.end_to_end_id().as_str(),
                &csv_cell(&l.shopper_id),
                &csv_cell(&l.account_holder),
                &csv_cell(&l.iban),
                &csv_cell(&l.tax_id),
                &decimal(l.gross),
                &decimal(l.income_tax),
                &decimal(l.military_levy),
                &decimal(l.net),
                &csv_cell(&l.currency),
                &csv_cell(&h.remittance),
            ])
            .expect("writing to memory cannot fail");
            w.into_inner().expect("writing to memory cannot fail")
        }
        _ => {
            let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
            open(&mut w, "CdtTrfTxInf");
            open(&mut w, "PmtId");
            leaf(&mut w, "InstrId", &l.seq.to_string());
            leaf(&mut w, "EndToEndId", &l.end_to_end_id());
            close(&mut w, "PmtId");
            open(&mut w, "Amt");
            amount(&mut w, "InstdAmt", l.net, &l.currency);
            close(&mut w, "Amt");
            open(&mut w, "Cdtr");
            leaf(&mut w, "Nm", &clip(&l.account_holder, 140));
            close(&mut w, "Cdtr");
            account(&mut w, "CdtrAcct", &l.iban);
            open(&mut w, "RmtInf");
            leaf(&mut w, "Ustrd", &clip(&h.remittance, 140));
            close(&mut w, "RmtInf");
            close(&mut w, "CdtTrfTxInf");
            let mut out = w.into_inner();
            out.push(b'\n');
            out
        }
    }
}

/// The file's end.
pub fn footer(format: BankFileFormat) -> Vec<u8> {
    match format {
        BankFileFormat::Csv => Vec::new(),
        _ => b"</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n".to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_for(n: i64, total: i64) -> Header {
        Header {
            message_id: "FW0123456789abcdef0123456789abcdef".into(),
            created_at: "2026-12-01T10:00:00Z".parse().unwrap(),
            execution_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            batch_id: "b".into(),
            line_count: n,
            net_total: total,
            currency: "UAH".into(),
            debtor_name: "ТОВ «Польові дослідження» & Co".into(),
            debtor_iban: "UA903052992990004149123456789".into(),
            debtor_bic: None,
            remittance: "Fieldwork payout 2026-11-01..2026-11-30".into(),
        }
    }

    fn a_line(seq: i64) -> Line {
        Line {
            id: "0193a5e2-7c1d-7000-8000-00000000000a".into(),
            seq,
            shopper_id: "s".into(),
            account_holder: "Тарас \"Шев\" <Ч>".into(),
            iban: "UA213223130000026007233566001".into(),
            tax_id: "3000000008".into(),
            gross: 65_000,
            income_tax: 11_700,
            military_levy: 3_250,
            net: 50_050,
            currency: "UAH".into(),
        }
    }

    #[test]
    fn xml_is_well_formed_and_escaped() {
        let h = header_for(2, 100_100);
        let mut xml = header(BankFileFormat::Pain00100109, &h);
        xml.extend(line(BankFileFormat::Pain00100109, &h, &a_line(1)));
        xml.extend(line(BankFileFormat::Pain00100109, &h, &a_line(2)));
        xml.extend(footer(BankFileFormat::Pain00100109));
        let text = String::from_utf8(xml).unwrap();
        assert!(text.contains("<NbOfTxs>2</NbOfTxs>"), "{text}");
        assert!(text.contains("<CtrlSum>1001.00</CtrlSum>"));
        assert!(text.contains("<InstdAmt Ccy=\"UAH\">500.50</InstdAmt>"));
        assert!(text.contains("<EndToEndId>0193a5e27c1d7000800000000000000a</EndToEndId>"));
        assert!(text.contains("&lt;Ч&gt;"), "names are escaped");
        // Parses back as XML, and every element closes.
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut depth = 0i32;
        loop {
            match reader.read_event().unwrap() {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0);
    }

    #[test]
    fn csv_has_a_header_and_quotes_what_needs_it() {
        let h = header_for(1, 50_050);
        let mut out = header(BankFileFormat::Csv, &h);
        out.extend(line(BankFileFormat::Csv, &h, &a_line(1)));
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][2], "Тарас \"Шев\" <Ч>");
        assert_eq!(&rows[0][5], "650.00");
        assert_eq!(&rows[0][8], "500.50");
        assert_eq!(reader.headers().unwrap().len(), 11);
    }

    #[test]
    fn formats_parse() {
        assert_eq!(BankFileFormat::parse("CSV"), Some(BankFileFormat::Csv));
        assert_eq!(
            BankFileFormat::parse("pain.001.001.09"),
            Some(BankFileFormat::Pain00100109)
        );
        assert_eq!(
            BankFileFormat::parse("pain.001.001.03"),
            Some(BankFileFormat::Pain00100103)
        );
        assert_eq!(BankFileFormat::parse("pdf"), None);
    }
}
