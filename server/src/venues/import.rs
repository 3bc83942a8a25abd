//! Reading venue lists from files: CSV (UTF-8 with or without BOM, or Windows-1251) and GeoJSON point features,
//! with a column mapping. Pure: bytes in, venue drafts and per-row errors out; no database.

use std::collections::{HashMap, HashSet};

use super::{RawVenue, VenueField, VenueFields};
use crate::domain::{GeofenceRadius, ValidationError, VenueType};

/// The file's format.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "VenueFileFormat")]
pub enum ImportFormat {
    Csv,
    Geojson,
}

impl ImportFormat {
    /// From a file name's extension.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let lower = name.to_lowercase();
        if lower.ends_with(".csv") || lower.ends_with(".txt") {
            Some(ImportFormat::Csv)
        } else if lower.ends_with(".geojson") || lower.ends_with(".json") {
            Some(ImportFormat::Geojson)
        } else {
            None
        }
    }
}

/// The text encoding of a CSV file.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEncoding {
    /// By the byte-order mark (UTF-8, UTF-16 LE or BE), else UTF-8 if the bytes are valid UTF-8, else what a
    /// detector finds (Windows-1251 for Ukrainian files saved as "CSV" by Excel).
    #[default]
    Auto,
    Utf8,
    Windows1251,
}

/// Which column of the file (CSV header, or GeoJSON property) holds each venue field; omitted fields use the
/// field's own name (`external_code`, `name`, `type`, `address`, `oblast`, `raion`, `hromada`, `city`, `lat`,
/// `lon`, `geofence_m`, `time_zone`, `size_class`); for GeoJSON, `lat`/`lon` default to the point geometry. A
/// file without a zone column has its venues' zones derived from their coordinates.
#[derive(async_graphql::InputObject, Debug, Clone, Default)]
#[graphql(name = "VenueColumnMappingInput")]
pub struct ColumnMapping {
    pub external_code: Option<String>,
    pub name: Option<String>,
    #[graphql(name = "type")]
    pub venue_type: Option<String>,
    pub address: Option<String>,
    pub oblast: Option<String>,
    pub raion: Option<String>,
    pub hromada: Option<String>,
    pub city: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub geofence_m: Option<String>,
    pub time_zone: Option<String>,
    pub size_class: Option<String>,
}

/// Values for rows that do not carry them.
#[derive(Debug, Clone)]
pub struct ImportDefaults {
    pub venue_type: Option<VenueType>,
    pub geofence: GeofenceRadius,
}

/// A problem with one row: the row number (the header is row 1 in a CSV; features count from 1), the column
/// and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub row: usize,
    pub column: Option<String>,
    pub message: crate::domain::Msg,
}

/// What a file held.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows_read: usize,
    /// (row number, venue): valid, with the week's hours empty and active (files carry neither; an import
    /// keeps them on venues that exist, `VenueFields::as_import_of`).
    pub drafts: Vec<(usize, VenueFields)>,
    pub errors: Vec<RowError>,
}

/// Bytes → text, following the encoding rule. `Auto` reads a byte-order mark (UTF-8, UTF-16 LE or BE), else
/// valid UTF-8, else asks a detector (`chardetng`, as browsers do) and takes Windows-1251 or whatever Cyrillic
/// single-byte encoding it finds. A file that cannot be read as text is refused in words that name what it
/// looks like and how to save it.
pub fn decode(bytes: &[u8], encoding: TextEncoding) -> Result<String, ValidationError> {
    // Each refusal names what the file looks like and how to save it (`import-save-as` in the catalogue).
    let refuse = |what: crate::domain::Msg| ValidationError::new("file", crate::msg!("import-unreadable", what = what));
    let text = match encoding {
        TextEncoding::Windows1251 => encoding_rs::WINDOWS_1251
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
        TextEncoding::Utf8 => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            std::str::from_utf8(body)
                .map(str::to_string)
                .map_err(|e| refuse(crate::msg!("import-not-utf8", byte = e.valid_up_to())))?
        }
        TextEncoding::Auto => match encoding_rs::Encoding::for_bom(bytes) {
            Some((found, bom)) => {
                let (text, had_errors) = found.decode_without_bom_handling(&bytes[bom..]);
                if had_errors {
                    return Err(refuse(crate::msg!("import-bad-after-mark", encoding = found.name())));
                }
                text.into_owned()
            }
            None => match std::str::from_utf8(bytes) {
                Ok(text) => text.to_string(),
                Err(_) => {
                    if looks_like_utf16(bytes) {
                        return Err(refuse(crate::msg!("import-utf16-without-mark")));
                    }
                    let mut detector = chardetng::EncodingDetector::new();
                    detector.feed(bytes, true);
                    let guess = detector.guess(Some(b"ua"), true);
                    let (text, _, had_errors) = guess.decode(bytes);
                    if had_errors {
                        return Err(refuse(crate::msg!("import-not-readable-as", encoding = guess.name())));
                    }
                    text.into_owned()
                }
            },
        },
    };
    if text.contains('\0') {
        return Err(refuse(crate::msg!("import-nul")));
    }
    Ok(text)
}

/// Every other byte zero in the first hundreds: UTF-16 text of Latin and digits (a CSV's commas and numbers).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(400)];
    let zeros = head.iter().filter(|&&b| b == 0).count();
    head.len() >= 8 && zeros * 3 >= head.len()
}

const MAX_ROWS: usize = 200_000;

/// Reads a whole file. File-level problems (unreadable, a mapped column missing) are a `ValidationError`;
/// row-level problems are collected in `Parsed::errors`.
pub fn parse(
    bytes: &[u8],
    format: ImportFormat,
    encoding: TextEncoding,
    mapping: &ColumnMapping,
    defaults: &ImportDefaults,
) -> Result<Parsed, ValidationError> {
    let text = decode(bytes, encoding)?;
    let records = match format {
        ImportFormat::Csv => csv_records(&text, mapping)?,
        ImportFormat::Geojson => geojson_records(&text, mapping)?,
    };
    if records.len() > MAX_ROWS {
        return Err(ValidationError::new(
            "file",
            crate::msg!("import-too-many-rows", max = MAX_ROWS),
        ));
    }
    let mut parsed = Parsed {
        rows_read: records.len(),
        ..Parsed::default()
    };
    let mut seen = HashSet::new();
    for (row, record) in records {
        match draft(&record, mapping, defaults) {
            Ok(draft) => {
                if !seen.insert(draft.external_code.clone()) {
                    parsed.errors.push(RowError {
                        row,
                        column: Some(column(&mapping.external_code, "external_code")),
                        message: crate::msg!("import-code-twice", code = &draft.external_code),
                    });
                } else {
                    parsed.drafts.push((row, draft));
                }
            }
            Err(err) => parsed.errors.push(RowError {
                row,
                column: Some(err.field),
                message: err.message,
            }),
        }
    }
    Ok(parsed)
}

fn column(mapped: &Option<String>, default: &str) -> String {
    mapped.clone().unwrap_or_else(|| default.to_string())
}

/// A row as column → value; lat/lon may come from a geometry.
type Record = HashMap<String, String>;

/// A CSV reader over text a spreadsheet wrote, and its header row (names trimmed): commas, semicolons (a
/// spreadsheet's "CSV" where the decimal mark is a comma) or tabs (Excel's "Unicode text"), whichever the header
/// row has most of. Also reads the service events' files (`events::read_csv`).
pub fn csv_reader(text: &str) -> Result<(csv::Reader<&[u8]>, Vec<String>), ValidationError> {
    let first_line = text.lines().next().unwrap_or_default();
    let count = |d: u8| first_line.bytes().filter(|&b| b == d).count();
    let delimiter = [b';', b'\t']
        .into_iter()
        .fold(b',', |best, d| if count(d) > count(best) { d } else { best });
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ValidationError::new("file", crate::msg!("import-no-header", detail = e.to_string())))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    Ok((reader, headers))
}

fn csv_records(text: &str, mapping: &ColumnMapping) -> Result<Vec<(usize, Record)>, ValidationError> {
    let (mut reader, headers) = csv_reader(text)?;
    for (mapped, default, required) in required_columns(mapping) {
        let name = column(mapped, default);
        if required && !headers.contains(&name) {
            return Err(ValidationError::new(
                "mapping",
                crate::msg!("import-column-missing", column = name, columns = headers.join(", ")),
            ));
        }
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| {
            ValidationError::new(
                "file",
                crate::msg!("import-row-unreadable", row = row, detail = e.to_string()),
            )
        })?;
        let map = headers.iter().cloned().zip(record.iter().map(str::to_string)).collect();
        out.push((row, map));
    }
    Ok(out)
}

fn required_columns(mapping: &ColumnMapping) -> [(&Option<String>, &'static str, bool); 4] {
    [
        (&mapping.external_code, "external_code", true),
        (&mapping.name, "name", true),
        (&mapping.lat, "lat", true),
        (&mapping.lon, "lon", true),
    ]
}

fn geojson_records(text: &str, mapping: &ColumnMapping) -> Result<Vec<(usize, Record)>, ValidationError> {
    let doc: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ValidationError::new("file", crate::msg!("import-not-json", detail = e.to_string())))?;
    let features = doc
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| ValidationError::new("file", crate::msg!("import-not-geojson")))?;
    let lat_column = column(&mapping.lat, "lat");
    let lon_column = column(&mapping.lon, "lon");
    let mut out = Vec::with_capacity(features.len());
    for (i, feature) in features.iter().enumerate() {
        let mut map: Record = HashMap::new();
        if let Some(props) = feature.get("properties").and_then(|p| p.as_object()) {
            for (key, value) in props {
                let text = match value {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                map.insert(key.clone(), text);
            }
        }
        let geometry = feature.get("geometry");
        if geometry.and_then(|g| g.get("type")).and_then(|t| t.as_str()) == Some("Point") {
            if let Some([lon, lat, ..]) = geometry
                .and_then(|g| g.get("coordinates"))
                .and_then(|c| c.as_array())
                .map(Vec::as_slice)
            {
                // RFC 7946: [longitude, latitude].
                map.entry(lat_column.clone()).or_insert_with(|| lat.to_string());
                map.entry(lon_column.clone()).or_insert_with(|| lon.to_string());
            }
        }
        out.push((i + 1, map));
    }
    Ok(out)
}

fn draft(record: &Record, mapping: &ColumnMapping, defaults: &ImportDefaults) -> Result<VenueFields, ValidationError> {
    let get = |mapped: &Option<String>, default: &str| -> String {
        record
            .get(&column(mapped, default))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let number = |mapped: &Option<String>, default: &str| -> Result<f64, ValidationError> {
        let value = get(mapped, default);
        value.replace(',', ".").parse::<f64>().map_err(|_| {
            ValidationError::new(
                column(mapped, default),
                crate::msg!("import-not-a-number", value = value),
            )
        })
    };
    let (lat, lon) = (number(&mapping.lat, "lat")?, number(&mapping.lon, "lon")?);
    let type_value = get(&mapping.venue_type, "type");
    let venue_type = match (type_value.is_empty(), &defaults.venue_type) {
        (false, _) => type_value,
        (true, Some(default)) => default.as_str().to_string(),
        (true, None) => {
            return Err(ValidationError::new(
                column(&mapping.venue_type, "type"),
                crate::msg!("import-type-empty"),
            ))
        }
    };
    let geofence_value = get(&mapping.geofence_m, "geofence_m");
    let geofence_m = if geofence_value.is_empty() {
        defaults.geofence.metres()
    } else {
        geofence_value.parse::<i64>().map_err(|_| {
            ValidationError::new(
                column(&mapping.geofence_m, "geofence_m"),
                crate::msg!("import-whole-metres"),
            )
        })?
    };
    let raw = RawVenue {
        external_code: get(&mapping.external_code, "external_code"),
        name: get(&mapping.name, "name"),
        venue_type,
        address: get(&mapping.address, "address"),
        oblast: get(&mapping.oblast, "oblast"),
        raion: get(&mapping.raion, "raion"),
        hromada: get(&mapping.hromada, "hromada"),
        city: get(&mapping.city, "city"),
        lat,
        lon,
        geofence_m,
        time_zone: Some(get(&mapping.time_zone, "time_zone")),
        size_class: Some(get(&mapping.size_class, "size_class")),
        active: true,
        ..RawVenue::default()
    };
    VenueFields::parse(raw, |field| match field {
        VenueField::ExternalCode => column(&mapping.external_code, "external_code"),
        VenueField::Name => column(&mapping.name, "name"),
        VenueField::Type => column(&mapping.venue_type, "type"),
        VenueField::Address => column(&mapping.address, "address"),
        VenueField::Oblast => column(&mapping.oblast, "oblast"),
        VenueField::Raion => column(&mapping.raion, "raion"),
        VenueField::Hromada => column(&mapping.hromada, "hromada"),
        VenueField::City => column(&mapping.city, "city"),
        VenueField::Lat => column(&mapping.lat, "lat"),
        VenueField::Lon => column(&mapping.lon, "lon"),
        VenueField::Geofence => column(&mapping.geofence_m, "geofence_m"),
        VenueField::TimeZone => column(&mapping.time_zone, "time_zone"),
        VenueField::SizeClass => column(&mapping.size_class, "size_class"),
        // Files carry no opening hours.
        VenueField::OpeningHours => "opening_hours".to_string(),
    })
    // A row reports its first bad column.
    .map_err(|errors| {
        errors
            .into_iter()
            .next()
            .unwrap_or_else(|| ValidationError::new("row", crate::msg!("import-row-invalid")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message as an English reader sees it.
    fn en(m: &crate::domain::Msg) -> String {
        crate::i18n::render(crate::domain::Language::En, m)
    }

    fn defaults() -> ImportDefaults {
        ImportDefaults {
            venue_type: Some(VenueType::parse("t", "CNAP").unwrap()),
            geofence: GeofenceRadius::DEFAULT,
        }
    }

    #[test]
    fn csv_with_bom_mapping_and_row_errors() {
        let file = "\u{feff}code,title,lat,lon,kind\nA1,ЦНАП Кам'янської громади,48.5,34.6,\nA2,Без координат,,30.1,SHOP\nA1,Дубль,48.1,34.1,\nA3,Далеко,95,30,CNAP_BRANCH\n";
        let mapping = ColumnMapping {
            external_code: Some("code".into()),
            name: Some("title".into()),
            venue_type: Some("kind".into()),
            ..Default::default()
        };
        let parsed = parse(
            file.as_bytes(),
            ImportFormat::Csv,
            TextEncoding::Auto,
            &mapping,
            &defaults(),
        )
        .unwrap();
        assert_eq!(parsed.rows_read, 4);
        assert_eq!(parsed.drafts.len(), 1);
        let (row, venue) = &parsed.drafts[0];
        assert_eq!(*row, 2);
        assert_eq!(venue.name, "ЦНАП Кам’янської громади");
        assert_eq!((venue.venue_type.as_str(), venue.geofence.metres()), ("CNAP", 150));
        let errors: Vec<(usize, Option<&str>)> = parsed.errors.iter().map(|e| (e.row, e.column.as_deref())).collect();
        assert_eq!(errors, [(3, Some("lat")), (4, Some("code")), (5, Some("lat"))]);
    }

    #[test]
    fn windows_1251_is_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("external_code;name;lat;lon\nK1;Київ;50,45;30,52\n");
        let parsed = parse(
            &bytes,
            ImportFormat::Csv,
            TextEncoding::Auto,
            &ColumnMapping::default(),
            &defaults(),
        )
        .unwrap();
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.drafts[0].1.name, "Київ");
        assert_eq!(
            (parsed.drafts[0].1.location.lat(), parsed.drafts[0].1.location.lon()),
            (50.45, 30.52)
        );
    }

    #[test]
    fn utf16_with_its_mark_is_read_and_without_it_refused_in_words() {
        let text = "external_code,name,lat,lon\nK1,ЦНАП Києва,50.45,30.52\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        // Excel's "Unicode text": UTF-16 LE with its mark, tab-separated.
        let excel: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.replace(',', "\t").encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        for bytes in [&le, &be, &excel] {
            let parsed = parse(
                bytes,
                ImportFormat::Csv,
                TextEncoding::Auto,
                &ColumnMapping::default(),
                &defaults(),
            )
            .unwrap();
            assert_eq!(parsed.drafts[0].1.name, "ЦНАП Києва");
        }
        let err = parse(
            &le[2..],
            ImportFormat::Csv,
            TextEncoding::Auto,
            &ColumnMapping::default(),
            &defaults(),
        )
        .unwrap_err();
        assert_eq!(err.field, "file");
        let text = en(&err.message);
        assert!(text.contains("UTF-16") && text.contains("CSV UTF-8"), "{text}");
        assert!(!text.contains('\0'));
        let ukrainian = crate::i18n::render(crate::domain::Language::Uk, &err.message);
        assert!(
            ukrainian.contains("UTF-16") && ukrainian.contains("CSV UTF-8"),
            "{ukrainian}"
        );
        // A longer Windows-1251 file, as Excel saves "CSV" on a Ukrainian Windows.
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251
            .encode("external_code;name;lat;lon\nK1;Центр надання адміністративних послуг м. Житомира;50,25;28,66\n");
        let parsed = parse(
            &cp1251,
            ImportFormat::Csv,
            TextEncoding::Auto,
            &ColumnMapping::default(),
            &defaults(),
        )
        .unwrap();
        assert_eq!(
            parsed.drafts[0].1.name,
            "Центр надання адміністративних послуг м. Житомира"
        );
    }

    #[test]
    fn a_missing_mapped_column_is_a_file_error() {
        let err = parse(
            b"a,b\n1,2\n",
            ImportFormat::Csv,
            TextEncoding::Auto,
            &ColumnMapping::default(),
            &defaults(),
        )
        .unwrap_err();
        assert_eq!(err.field, "mapping");
        assert!(en(&err.message).contains("external_code"));
    }

    #[test]
    fn geojson_points_give_lat_and_lon() {
        let file = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[24.03,49.84]},"properties":{"code":"L1","n":"Львівська"}},
            {"type":"Feature","geometry":null,"properties":{"code":"L2","n":"Без точки"}}]}"#;
        let mapping = ColumnMapping {
            external_code: Some("code".into()),
            name: Some("n".into()),
            ..Default::default()
        };
        let parsed = parse(
            file.as_bytes(),
            ImportFormat::Geojson,
            TextEncoding::Auto,
            &mapping,
            &defaults(),
        )
        .unwrap();
        assert_eq!(parsed.drafts.len(), 1);
        assert_eq!(
            (parsed.drafts[0].1.location.lat(), parsed.drafts[0].1.location.lon()),
            (49.84, 24.03)
        );
        assert_eq!(parsed.errors[0].row, 2);
        assert!(parse(b"{}", ImportFormat::Geojson, TextEncoding::Auto, &mapping, &defaults()).is_err());
    }
}
