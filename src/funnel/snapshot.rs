//! The funnel rows ([`FunnelData`]) as one compact value, so that the store can keep them in
//! the database and a node that starts reads them in a fraction of a second instead of every
//! event (`store::funnel_rows`).
//!
//! The encoding is row by row, each number a LEB128 varint (signed ones zigzag, sorted ones as
//! the wrapping difference from the row before), event and placement types and occupation codes by
//! their place in a table of names at the head, all in one zstd frame with a checksum. Types
//! are named, not numbered, so that a build that adds a type still reads an older value; a
//! name this build does not know makes the value unreadable (the caller reads the database).

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::{ClientFacts, ContactFact, EventFact, FunnelData};
use crate::domain::{EventType, PlacementType};

const MAGIC: &[u8; 4] = b"KFR1";

/// The most a value may hold uncompressed (about 60 million events): more is not read.
const LARGEST: u64 = 1 << 30;

/// Why a kept value could not be read.
#[derive(Debug, thiserror::Error)]
#[error("funnel rows kept in the database cannot be read: {0}")]
pub struct SnapshotError(String);

fn corrupt(what: impl Into<String>) -> SnapshotError {
    SnapshotError(what.into())
}

/// `data` as one compressed value (see the module's documentation).
pub fn encode(data: &FunnelData) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes(MAGIC);
    let kinds: Vec<&str> = EventType::ALL.iter().map(|k| k.as_str()).collect();
    let placements: Vec<&str> = PlacementType::ALL.iter().map(|p| p.as_str()).collect();
    w.names(&kinds);
    w.names(&placements);
    // Occupation codes in order of first use; events name them by place.
    let mut occupations: Vec<&str> = Vec::new();
    let mut place: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for o in data.events.iter().filter_map(|e| e.occupation.as_deref()) {
        if !place.contains_key(o) {
            place.insert(o, occupations.len() as u64);
            occupations.push(o);
        }
    }
    w.names(&occupations);

    w.unsigned(data.clients.len() as u64);
    let mut last_id = 0;
    for c in &data.clients {
        w.signed(c.id.wrapping_sub(last_id));
        last_id = c.id;
        w.signed(c.coach_id);
        w.signed(i64::from(c.intake.num_days_from_ce()));
    }

    w.unsigned(data.events.len() as u64);
    let (mut last_client, mut last_id, mut last_at) = (0, 0, 0);
    for e in &data.events {
        w.signed(e.client_id.wrapping_sub(last_client));
        w.signed(e.id.wrapping_sub(last_id));
        w.signed(e.at.wrapping_sub(last_at));
        (last_client, last_id, last_at) = (e.client_id, e.id, e.at);
        w.unsigned(kind_place(e.kind));
        let flags = u8::from(e.placement.is_some())
            | u8::from(e.hours_per_week.is_some()) << 1
            | u8::from(e.face_to_face) << 2
            | u8::from(e.out_of_work_at_entry.is_some()) << 3
            | u8::from(e.out_of_work_at_entry == Some(true)) << 4
            | u8::from(e.employer_id.is_some()) << 5
            | u8::from(e.occupation.is_some()) << 6;
        w.byte(flags);
        if let Some(p) = e.placement {
            w.unsigned(placement_place(p));
        }
        if let Some(h) = e.hours_per_week {
            w.bytes(&h.to_le_bytes());
        }
        if let Some(employer) = e.employer_id {
            w.signed(employer);
        }
        if let Some(o) = e.occupation.as_deref() {
            w.unsigned(place[o]);
        }
    }

    w.unsigned(data.contacts.len() as u64);
    let mut last_at = 0;
    for c in &data.contacts {
        w.signed(c.coach_id);
        w.signed(c.at.wrapping_sub(last_at));
        last_at = c.at;
        w.byte(u8::from(c.face_to_face));
    }
    w.bytes(MAGIC);

    let mut out = Vec::with_capacity(w.0.len() / 3);
    let mut encoder = zstd::stream::Encoder::new(&mut out, 3).expect("a zstd encoder");
    encoder.include_checksum(true).expect("a zstd parameter");
    // The frame records its size: a reader allocates once and decompresses in one call.
    encoder
        .set_pledged_src_size(Some(w.0.len() as u64))
        .expect("a zstd parameter");
    std::io::Write::write_all(&mut encoder, &w.0).expect("writing to memory");
    encoder.finish().expect("writing to memory");
    out
}

/// The rows of a value [`encode`] made.
pub fn decode(bytes: &[u8]) -> Result<FunnelData, SnapshotError> {
    let zstd = |e: std::io::Error| corrupt(format!("zstd: {e}"));
    let too_large = || corrupt(format!("more than {LARGEST} bytes"));
    let raw = match zstd::zstd_safe::get_frame_content_size(bytes) {
        Ok(Some(size)) if size > LARGEST => return Err(too_large()),
        // The size recorded (values written since it is): one allocation, one call.
        Ok(Some(size)) => zstd::bulk::decompress(bytes, size as usize).map_err(zstd)?,
        // A value written before, streamed.
        _ => {
            let mut raw = Vec::new();
            let decoder = zstd::stream::Decoder::new(bytes).map_err(zstd)?;
            std::io::Read::read_to_end(&mut std::io::Read::take(decoder, LARGEST + 1), &mut raw)
                .map_err(zstd)?;
            if raw.len() as u64 > LARGEST {
                return Err(too_large());
            }
            raw
        }
    };
    let mut r = Reader { bytes: &raw, at: 0 };
    if r.take(4)? != MAGIC {
        return Err(corrupt("not a funnel rows value"));
    }
    let kinds = r
        .names()?
        .into_iter()
        .map(|n| EventType::parse(&n).ok_or_else(|| corrupt(format!("event type {n}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let placements = r
        .names()?
        .into_iter()
        .map(|n| PlacementType::parse(&n).ok_or_else(|| corrupt(format!("placement type {n}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let occupations: Vec<Arc<str>> = r.names()?.into_iter().map(Arc::from).collect();

    let n = r.count()?;
    let mut clients = Vec::with_capacity(n);
    let mut last_id = 0i64;
    for _ in 0..n {
        let id = last_id.wrapping_add(r.signed()?);
        last_id = id;
        let coach_id = r.signed()?;
        let intake = i32::try_from(r.signed()?)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or_else(|| corrupt("intake date"))?;
        clients.push(ClientFacts {
            id,
            coach_id,
            intake,
        });
    }

    let n = r.count()?;
    let mut events = Vec::with_capacity(n);
    let (mut last_client, mut last_id, mut last_at) = (0i64, 0i64, 0i64);
    for _ in 0..n {
        let client_id = last_client.wrapping_add(r.signed()?);
        let id = last_id.wrapping_add(r.signed()?);
        let at = last_at.wrapping_add(r.signed()?);
        (last_client, last_id, last_at) = (client_id, id, at);
        let kind = *pick(&kinds, r.unsigned()?, "event type")?;
        let flags = r.byte()?;
        let placement = if flags & 1 != 0 {
            Some(*pick(&placements, r.unsigned()?, "placement type")?)
        } else {
            None
        };
        let hours_per_week = if flags & 2 != 0 {
            let b: [u8; 8] = r.take(8)?.try_into().expect("eight bytes");
            Some(f64::from_le_bytes(b))
        } else {
            None
        };
        let employer_id = if flags & 32 != 0 {
            Some(r.signed()?)
        } else {
            None
        };
        let occupation = if flags & 64 != 0 {
            Some(pick(&occupations, r.unsigned()?, "occupation")?.clone())
        } else {
            None
        };
        events.push(EventFact {
            id,
            client_id,
            kind,
            at,
            placement,
            hours_per_week,
            face_to_face: flags & 4 != 0,
            out_of_work_at_entry: (flags & 8 != 0).then_some(flags & 16 != 0),
            employer_id,
            occupation,
        });
    }

    let n = r.count()?;
    let mut contacts = Vec::with_capacity(n);
    let mut last_at = 0i64;
    for _ in 0..n {
        let coach_id = r.signed()?;
        let at = last_at.wrapping_add(r.signed()?);
        last_at = at;
        let face_to_face = r.byte()? != 0;
        contacts.push(ContactFact {
            coach_id,
            at,
            face_to_face,
        });
    }
    if r.take(4)? != MAGIC || r.at != raw.len() {
        return Err(corrupt("the value does not end where it should"));
    }
    Ok(FunnelData {
        clients,
        events,
        contacts,
    })
}

fn kind_place(kind: EventType) -> u64 {
    EventType::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every type is in ALL") as u64
}

fn placement_place(p: PlacementType) -> u64 {
    PlacementType::ALL
        .iter()
        .position(|k| *k == p)
        .expect("every type is in ALL") as u64
}

fn pick<'a, T>(table: &'a [T], at: u64, what: &str) -> Result<&'a T, SnapshotError> {
    usize::try_from(at)
        .ok()
        .and_then(|i| table.get(i))
        .ok_or_else(|| corrupt(format!("{what} number {at}")))
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }

    fn unsigned(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn signed(&mut self, v: i64) {
        self.unsigned(((v << 1) ^ (v >> 63)) as u64);
    }

    fn names(&mut self, names: &[&str]) {
        self.unsigned(names.len() as u64);
        for n in names {
            self.unsigned(n.len() as u64);
            self.bytes(n.as_bytes());
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| corrupt("the value ends early"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn byte(&mut self) -> Result<u8, SnapshotError> {
        Ok(self.take(1)?[0])
    }

    fn unsigned(&mut self) -> Result<u64, SnapshotError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(corrupt("a number too long"))
    }

    fn signed(&mut self) -> Result<i64, SnapshotError> {
        let v = self.unsigned()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A count of rows, each at least one byte long (so a corrupt count cannot ask for more
    /// memory than the value holds).
    fn count(&mut self) -> Result<usize, SnapshotError> {
        let n = self.unsigned()?;
        usize::try_from(n)
            .ok()
            .filter(|n| *n <= self.bytes.len() - self.at)
            .ok_or_else(|| corrupt(format!("{n} rows in a value of {} bytes", self.bytes.len())))
    }

    fn names(&mut self) -> Result<Vec<String>, SnapshotError> {
        let n = self.count()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let len = self.count()?;
            let s = std::str::from_utf8(self.take(len)?).map_err(|_| corrupt("a name"))?;
            out.push(s.to_string());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn sample() -> FunnelData {
        let cook: Arc<str> = Arc::from("5120");
        let event = |id, client_id, kind, at| EventFact {
            id,
            client_id,
            kind,
            at,
            placement: None,
            hours_per_week: None,
            face_to_face: false,
            out_of_work_at_entry: None,
            employer_id: None,
            occupation: None,
        };
        FunnelData {
            clients: vec![
                ClientFacts {
                    id: 3,
                    coach_id: 7,
                    intake: day("2024-01-31"),
                },
                ClientFacts {
                    id: 90_000_000_000,
                    coach_id: 1,
                    intake: day("1970-01-01"),
                },
            ],
            events: vec![
                EventFact {
                    out_of_work_at_entry: Some(false),
                    ..event(12, 3, EventType::Engaged, 1_706_700_000)
                },
                EventFact {
                    face_to_face: true,
                    employer_id: Some(44),
                    ..event(9, 3, EventType::EmployerContact, 1_706_000_000)
                },
                EventFact {
                    placement: Some(PlacementType::Competitive),
                    hours_per_week: Some(22.5),
                    employer_id: Some(-1),
                    occupation: Some(cook.clone()),
                    out_of_work_at_entry: Some(true),
                    ..event(40, 3, EventType::Employed, 1_706_800_000)
                },
                EventFact {
                    placement: Some(PlacementType::Education),
                    occupation: Some(Arc::from("9112")),
                    ..event(41, 90_000_000_000, EventType::Employed, -5)
                },
                EventFact {
                    occupation: Some(cook),
                    ..event(i64::MAX, 90_000_000_000, EventType::Closed, i64::MAX)
                },
            ],
            contacts: vec![
                ContactFact {
                    coach_id: 7,
                    at: 1_706_000_000,
                    face_to_face: true,
                },
                ContactFact {
                    coach_id: 1,
                    at: 5,
                    face_to_face: false,
                },
            ],
        }
    }

    #[test]
    fn rows_read_back_as_they_were_written() {
        let data = sample();
        let back = decode(&encode(&data)).unwrap();
        assert_eq!(back.clients, data.clients);
        assert_eq!(back.events, data.events);
        assert_eq!(back.contacts, data.contacts);
        let empty = decode(&encode(&FunnelData::default())).unwrap();
        assert!(empty.clients.is_empty() && empty.events.is_empty() && empty.contacts.is_empty());
    }

    #[test]
    fn a_value_records_its_size_and_one_that_does_not_is_read_too() {
        let data = sample();
        let bytes = encode(&data);
        let raw = zstd::stream::decode_all(&bytes[..]).unwrap();
        assert_eq!(
            zstd::zstd_safe::get_frame_content_size(&bytes).unwrap(),
            Some(raw.len() as u64)
        );
        // As values were written before: streamed, no size in the frame.
        let older = zstd::stream::encode_all(&raw[..], 3).unwrap();
        assert_eq!(
            zstd::zstd_safe::get_frame_content_size(&older).unwrap(),
            None
        );
        let back = decode(&older).unwrap();
        assert_eq!(back.events, data.events);
        assert_eq!(back.clients, data.clients);
    }

    #[test]
    fn a_damaged_value_is_an_error_not_other_rows() {
        let bytes = encode(&sample());
        assert!(decode(&bytes[..bytes.len() - 1]).is_err(), "cut short");
        for at in [bytes.len() / 2, bytes.len() - 5] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x55;
            assert!(decode(&flipped).is_err(), "a byte changed at {at}");
        }
        assert!(decode(b"not zstd").is_err());
        // A well-formed frame of something else.
        let other = zstd::stream::encode_all(&b"KFR1 but then nothing"[..], 3).unwrap();
        assert!(decode(&other).is_err());
    }

    #[test]
    fn an_unknown_type_name_makes_the_value_unreadable() {
        let mut w = Writer::default();
        w.bytes(MAGIC);
        w.names(&["engaged", "sabbatical"]);
        let bytes = zstd::stream::encode_all(&w.0[..], 3).unwrap();
        let e = decode(&bytes).unwrap_err().to_string();
        assert!(e.contains("sabbatical"), "{e}");
    }
}
