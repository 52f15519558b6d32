//! A seeded two-year history of many clients and coaches is recorded through the API; the
//! true funnel, outcome and fidelity figures are computed here from the generator's own plan
//! (placements with their start and end, first contacts, closures), not from the events, and
//! compared with what `/funnel` and `/fidelity` answer.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use kohtaamo::domain::Role;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use crate::funnel::{client, ok_event};
use crate::helpers::{spawn_app, TestApp};

const DAY: i64 = 86_400;
const COACHES: usize = 4;
const CLIENTS: usize = 160;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn midnight(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp()
}
fn stamp(t: i64) -> String {
    DateTime::<Utc>::from_timestamp(t, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[derive(Debug, Clone)]
struct PlannedPlacement {
    kind: &'static str,
    start: i64,
    end: Option<i64>,
    hours: Option<f64>,
    vacancy: usize,
}

/// What the generator decided for one client: the facts the true figures come from.
#[derive(Debug, Clone, Default)]
struct Plan {
    coach: usize,
    intake: NaiveDate,
    out_of_work: bool,
    /// (time, stage) of each main-line stage step, in time order.
    stages: Vec<(i64, &'static str)>,
    first_f2f: Option<i64>,
    placements: Vec<PlannedPlacement>,
    closed_at: Option<i64>,
    /// Extra requests (time, body) that must not change any figure: profiling, match answers,
    /// benefits counselling.
    noise: Vec<(i64, Value)>,
    /// Placements first recorded with a wrong type and then corrected (index into placements).
    corrected: HashSet<usize>,
}

/// Actions of one client in time order, as API requests.
enum Action {
    Event(Value),
    Contact(Value),
    Correctable { wrong: Value, right: Value },
}

fn generate(rng: &mut ChaCha8Rng, start: NaiveDate, limit: i64) -> Plan {
    let mut p = Plan {
        coach: rng.gen_range(0..COACHES),
        intake: start + Duration::days(rng.gen_range(0..730)),
        out_of_work: rng.gen_bool(0.9),
        ..Default::default()
    };
    let intake = midnight(p.intake);
    let hour = 10 * 3600;
    let push = |p: &mut Plan, at: i64, stage: &'static str| -> bool {
        if at > limit {
            return false;
        }
        p.stages.push((at, stage));
        true
    };
    push(&mut p, intake + 9 * 3600, "engaged");
    let mut t = intake;
    if rng.gen_bool(0.85) {
        t = intake + rng.gen_range(0..7) * DAY + hour;
        push(&mut p, t, "job_search");
    }
    if rng.gen_bool(0.5) {
        p.noise.push((
            intake + rng.gen_range(1..20) * DAY + 11 * 3600,
            json!({"type": "profiling"}),
        ));
    }
    let mut contact = None;
    if rng.gen_bool(0.75) {
        let at = t.max(intake) + rng.gen_range(3..100) * DAY + hour;
        if push(&mut p, at, "employer_contact") {
            p.first_f2f = Some(at);
            contact = Some(at);
        }
    } else if rng.gen_bool(0.5) {
        let at = t.max(intake) + rng.gen_range(3..60) * DAY + hour;
        push(&mut p, at, "employer_contact");
    }
    let mut last = p.stages.last().unwrap().0;
    if let Some(c) = contact {
        if rng.gen_bool(0.7) {
            let at = c + rng.gen_range(1..30) * DAY;
            if push(&mut p, at, "interview") {
                last = at;
                let path: f64 = rng.gen();
                let place = |p: &mut Plan,
                             rng: &mut ChaCha8Rng,
                             kind: &'static str,
                             at: i64|
                 -> Option<usize> {
                    if !push(p, at, "employed") {
                        return None;
                    }
                    let hours = rng
                        .gen_bool(0.85)
                        .then(|| [10.0, 15.0, 20.0, 25.0, 30.0, 37.5][rng.gen_range(0..6)]);
                    p.placements.push(PlannedPlacement {
                        kind,
                        start: at,
                        end: None,
                        hours,
                        vacancy: rng.gen_range(0..12),
                    });
                    Some(p.placements.len() - 1)
                };
                if path < 0.25 {
                    let trial_at = at + rng.gen_range(5..20) * DAY;
                    if let Some(trial) = place(&mut p, rng, "work_trial", trial_at) {
                        last = trial_at;
                        let end = trial_at + rng.gen_range(20..90) * DAY;
                        if push(&mut p, end, "job_ended") {
                            p.placements[trial].end = Some(end);
                            last = end;
                            if rng.gen_bool(0.6) {
                                let s_at = end + rng.gen_range(1..20) * DAY;
                                if let Some(sub) = place(&mut p, rng, "wage_subsidised", s_at) {
                                    last = s_at;
                                    if rng.gen_bool(0.7) {
                                        // Hired on open-market terms by the same or a new employer.
                                        let c_at = s_at + rng.gen_range(30..200) * DAY;
                                        if let Some(_comp) = place(&mut p, rng, "competitive", c_at)
                                        {
                                            p.placements[sub].end = Some(c_at);
                                            last = c_at;
                                        }
                                    }
                                }
                            }
                        }
                    }
                } else if path < 0.75 {
                    let c_at = at + rng.gen_range(5..40) * DAY;
                    if let Some(comp) = place(&mut p, rng, "competitive", c_at) {
                        last = c_at;
                        if rng.gen_bool(0.1) {
                            p.corrected.insert(comp);
                        }
                        if rng.gen_bool(0.4) {
                            let end = c_at + rng.gen_range(30..400) * DAY;
                            if push(&mut p, end, "job_ended") {
                                p.placements[comp].end = Some(end);
                                last = end;
                            }
                        }
                    }
                }
            }
        }
    }
    if rng.gen_bool(0.3) {
        p.noise
            .push((last + 3600, json!({"type": "benefits_counselling"})));
    }
    let holds_job = p.placements.last().is_some_and(|pl| pl.end.is_none());
    if !holds_job && rng.gen_bool(0.1) {
        // After every other step, profiling and counselling included.
        let after = p.noise.iter().map(|n| n.0).fold(last, i64::max);
        let at = after + rng.gen_range(10..60) * DAY;
        if at <= limit {
            p.stages.push((at, "closed"));
            p.closed_at = Some(at);
        }
    }
    p
}

fn actions(p: &Plan, employers: &[i64], vacancies: &[i64]) -> Vec<(i64, Action)> {
    let mut out: Vec<(i64, Action)> = Vec::new();
    let mut placements = p.placements.iter().enumerate();
    for &(at, stage) in &p.stages {
        let action = match stage {
            "engaged" => Action::Event(
                json!({"type": "engaged", "at": stamp(at), "out_of_work_at_entry": p.out_of_work}),
            ),
            "employer_contact" if p.first_f2f == Some(at) => Action::Contact(
                json!({"employer_id": employers[(at / DAY) as usize % employers.len()], "at": stamp(at), "face_to_face": true}),
            ),
            "employer_contact" => Action::Event(
                json!({"type": "employer_contact", "at": stamp(at), "face_to_face": false}),
            ),
            "employed" => {
                let (i, pl) = placements.next().expect("a placement per employed step");
                let right = json!({"type": "employed", "at": stamp(at), "placement_type": pl.kind,
                    "hours_per_week": pl.hours, "vacancy_id": vacancies[pl.vacancy]});
                if p.corrected.contains(&i) {
                    let mut wrong = right.clone();
                    wrong["placement_type"] = json!("wage_subsidised");
                    Action::Correctable { wrong, right }
                } else {
                    Action::Event(right)
                }
            }
            "closed" => {
                Action::Event(json!({"type": "closed", "at": stamp(at), "client_choice": true}))
            }
            other => Action::Event(json!({"type": other, "at": stamp(at)})),
        };
        out.push((at, action));
    }
    for (at, body) in &p.noise {
        let mut body = body.clone();
        body["at"] = json!(stamp(*at));
        out.push((*at, Action::Event(body)));
    }
    if !p.noise.is_empty() {
        out.push((
            midnight(p.intake) + 12 * 3600,
            Action::Event(json!({"type": "match_declined", "at": stamp(midnight(p.intake) + 12 * 3600), "vacancy_id": vacancies[0]})),
        ));
    }
    out.sort_by_key(|(at, _)| *at);
    out
}

/// True figures, from the plans.
struct Truth<'a> {
    plans: &'a [Plan],
    coach_ids: &'a [i64],
    from: NaiveDate,
    to: NaiveDate,
    contacts: &'a [(usize, i64, bool)],
    vacancy_codes: &'a [&'static str],
    vacancy_employers: &'a [usize],
}

impl Truth<'_> {
    fn end(&self) -> i64 {
        midnight(self.to) + DAY
    }
    fn start(&self) -> i64 {
        midnight(self.from)
    }
    fn population(&self, coach: Option<usize>) -> Vec<&Plan> {
        self.plans
            .iter()
            .filter(|p| p.intake <= self.to && coach.is_none_or(|c| c == p.coach))
            .collect()
    }
    fn cohort(&self, coach: Option<usize>) -> Vec<&Plan> {
        self.population(coach)
            .into_iter()
            .filter(|p| p.intake >= self.from)
            .collect()
    }
    fn known_stages<'p>(&self, p: &'p Plan) -> Vec<(i64, &'p str)> {
        p.stages
            .iter()
            .copied()
            .filter(|(at, _)| *at < self.end())
            .collect()
    }
    fn known_placements(&self, p: &Plan) -> Vec<PlannedPlacement> {
        p.placements
            .iter()
            .filter(|pl| pl.start < self.end())
            .map(|pl| PlannedPlacement {
                end: pl.end.filter(|e| *e < self.end()),
                ..pl.clone()
            })
            .collect()
    }
    fn closed(&self, p: &Plan, before: i64) -> bool {
        p.closed_at.is_some_and(|c| c < before)
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn close(api: &Value, truth: Option<f64>, what: &str) {
    match truth {
        None => assert!(api.is_null(), "{what}: expected null, API says {api}"),
        Some(t) => {
            let a = api
                .as_f64()
                .unwrap_or_else(|| panic!("{what}: API gave {api}, truth {t}"));
            assert!((a - t).abs() < 1e-9, "{what}: API {a}, truth {t}");
        }
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

async fn record(
    app: &TestApp,
    seed: u64,
) -> (
    Vec<Plan>,
    Vec<i64>,
    Vec<(usize, i64, bool)>,
    Vec<&'static str>,
    Vec<usize>,
    Vec<String>,
    Vec<i64>,
) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let tokens: Vec<String> = futures_join(app, COACHES).await;
    let codes = [
        "4321", "5120", "9112", "5223", "8160", "9621", "7112", "5131",
    ];
    let mut employers = Vec::new();
    for i in 0..6 {
        employers.push(app.employer(&tokens[0], &format!("Työnantaja {i}")).await);
    }
    let mut vacancies = Vec::new();
    let mut vacancy_codes = Vec::new();
    let mut vacancy_employers = Vec::new();
    for i in 0..12 {
        let (e, code) = (i % 6, codes[(i * 5) % codes.len()]);
        let r = app
            .post(
                "/api/v1/vacancies",
                &tokens[0],
                &json!({"employer_id": employers[e], "title": format!("Työ {i}"), "description": "Avoin työpaikka",
                        "municipality": "Tampere", "occupation_code": code}),
            )
            .await;
        assert_eq!(r.status(), 201);
        vacancies.push(r.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
        vacancy_codes.push(code);
        vacancy_employers.push(e);
    }
    let start = date("2024-01-01");
    let limit = midnight(date("2026-06-30"));
    let plans: Vec<Plan> = (0..CLIENTS)
        .map(|_| generate(&mut rng, start, limit))
        .collect();
    let mut coach_ids = vec![0; COACHES];
    let mut client_ids = Vec::with_capacity(plans.len());
    for (i, p) in plans.iter().enumerate() {
        let token = &tokens[p.coach];
        let id = client(app, token, &format!("Asiakas {i}"), &p.intake.to_string()).await;
        client_ids.push(id);
        let r = app.get(&format!("/api/v1/clients/{id}"), token).await;
        coach_ids[p.coach] = r.json::<Value>().await.unwrap()["coach_id"]
            .as_i64()
            .unwrap();
        for (_, action) in actions(p, &employers, &vacancies) {
            match action {
                Action::Event(body) => {
                    ok_event(app, token, id, body).await;
                }
                Action::Correctable { wrong, mut right } => {
                    let wrong_id = ok_event(app, token, id, wrong).await;
                    right["supersedes"] = json!(wrong_id);
                    ok_event(app, token, id, right).await;
                }
                Action::Contact(mut body) => {
                    body["client_id"] = json!(id);
                    let r = app.post("/api/v1/employer-contacts", token, &body).await;
                    assert_eq!(r.status(), 201, "{:?}", r.text().await);
                }
            }
        }
    }
    // Job development without a client.
    let mut contacts: Vec<(usize, i64, bool)> = Vec::new();
    for (coach, token) in tokens.iter().enumerate() {
        for week in 0..130 {
            for _ in 0..rng.gen_range(0..4) {
                let at = midnight(start) + week * 7 * DAY + rng.gen_range(0..5) * DAY + 13 * 3600;
                let f2f = rng.gen_bool(0.6);
                let r = app
                    .post(
                        "/api/v1/employer-contacts",
                        token,
                        &json!({"employer_id": employers[rng.gen_range(0..employers.len())], "at": stamp(at), "face_to_face": f2f}),
                    )
                    .await;
                assert_eq!(r.status(), 201);
                contacts.push((coach, at, f2f));
            }
        }
    }
    for p in &plans {
        if let Some(at) = p.first_f2f {
            contacts.push((p.coach, at, true));
        }
    }
    (
        plans,
        coach_ids,
        contacts,
        vacancy_codes,
        vacancy_employers,
        tokens,
        client_ids,
    )
}

async fn futures_join(app: &TestApp, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(app.token(Role::Coach, None).await);
    }
    out
}

fn check_funnel(t: &Truth, api: &Value, coach: Option<usize>) {
    let population = t.population(coach);
    let cohort = t.cohort(coach);
    assert_eq!(api["clients"], population.len());
    assert_eq!(api["cohort"], cohort.len());

    let mut stage_counts: HashMap<&str, usize> = HashMap::new();
    for p in &population {
        let stage = t.known_stages(p).last().map(|s| s.1).unwrap_or("engaged");
        *stage_counts.entry(stage).or_default() += 1;
    }
    for s in api["stages"].as_array().unwrap() {
        let name = s["stage"].as_str().unwrap();
        assert_eq!(
            s["clients"],
            stage_counts.get(name).copied().unwrap_or(0),
            "clients at stage {name}"
        );
    }

    let path = [
        "engaged",
        "job_search",
        "employer_contact",
        "interview",
        "employed",
    ];
    let furthest: Vec<usize> = cohort
        .iter()
        .map(|p| {
            t.known_stages(p)
                .iter()
                .filter_map(|(_, s)| path.iter().position(|x| x == s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, c) in api["conversions"].as_array().unwrap().iter().enumerate() {
        let from = furthest.iter().filter(|f| **f >= i).count();
        let to = furthest.iter().filter(|f| **f > i).count();
        assert_eq!(c["reached_from"], from, "reached {}", path[i]);
        assert_eq!(c["reached_to"], to, "reached {}", path[i + 1]);
        close(&c["rate"], ratio(to, from), "conversion rate");
    }

    let mut stays: HashMap<&str, Vec<f64>> = HashMap::new();
    for p in &population {
        let stages = t.known_stages(p);
        let mut current: Option<(&str, i64)> = None;
        for (at, s) in stages {
            match current {
                Some((c, _)) if c == s => {}
                Some((c, since)) => {
                    if since >= t.start() && since < t.end() {
                        stays
                            .entry(c)
                            .or_default()
                            .push((at - since) as f64 / DAY as f64);
                    }
                    current = Some((s, at));
                }
                None => current = Some((s, at)),
            }
        }
    }
    for s in api["time_in_stage"].as_array().unwrap() {
        let name = s["stage"].as_str().unwrap();
        let v = stays.get(name).cloned().unwrap_or_default();
        assert_eq!(s["stays"], v.len(), "stays in {name}");
        close(
            &s["median_days"],
            median(v),
            &format!("median days in {name}"),
        );
    }

    // Quarterly competitive employment rate, out of work at entry as the denominator.
    let quarters = api["outcomes"]["quarters"].as_array().unwrap();
    assert_eq!(quarters.len(), 8, "two years");
    for (i, q) in quarters.iter().enumerate() {
        let qs = midnight(date(&format!("{}-{:02}-01", 2024 + i / 4, (i % 4) * 3 + 1)));
        let qe = if i % 4 == 3 {
            midnight(date(&format!("{}-01-01", 2025 + i / 4)))
        } else {
            midnight(date(&format!("{}-{:02}-01", 2024 + i / 4, (i % 4) * 3 + 4)))
        };
        let denominator: Vec<&&Plan> = population
            .iter()
            .filter(|p| midnight(p.intake) < qe && p.out_of_work && !t.closed(p, qs))
            .collect();
        let employed = denominator
            .iter()
            .filter(|p| {
                t.known_placements(p).iter().any(|pl| {
                    pl.kind == "competitive" && pl.start < qe && pl.end.is_none_or(|e| e > qs)
                })
            })
            .count();
        assert_eq!(
            q["out_of_work_at_entry"],
            denominator.len(),
            "quarter {}",
            q["quarter"]
        );
        assert_eq!(
            q["competitively_employed"], employed,
            "quarter {}",
            q["quarter"]
        );
        close(
            &q["rate"],
            ratio(employed, denominator.len()),
            "quarterly rate",
        );
    }

    let days: Vec<f64> = cohort
        .iter()
        .filter_map(|p| {
            t.known_placements(p)
                .iter()
                .find(|pl| pl.kind == "competitive")
                .map(|pl| (pl.start - midnight(p.intake)) as f64 / DAY as f64)
        })
        .collect();
    let d = &api["outcomes"]["days_to_first_job"];
    assert_eq!(d["clients"], days.len());
    close(
        &d["mean_days"],
        (!days.is_empty()).then(|| days.iter().sum::<f64>() / days.len() as f64),
        "mean days to job",
    );
    close(&d["median_days"], median(days), "median days to job");

    let competitive: Vec<PlannedPlacement> = population
        .iter()
        .flat_map(|p| t.known_placements(p))
        .filter(|pl| pl.kind == "competitive" && pl.start >= t.start())
        .collect();
    let hours: Vec<f64> = competitive.iter().filter_map(|pl| pl.hours).collect();
    let h = &api["outcomes"]["hours"];
    assert_eq!(h["placements"], hours.len());
    close(
        &h["share_20_hours_or_more"],
        ratio(hours.iter().filter(|x| **x >= 20.0).count(), hours.len()),
        "share ≥ 20 h",
    );
    close(
        &h["mean_hours_per_week"],
        (!hours.is_empty()).then(|| hours.iter().sum::<f64>() / hours.len() as f64),
        "mean hours",
    );
    for (i, days) in [90, 180].into_iter().enumerate() {
        let eligible: Vec<&PlannedPlacement> = competitive
            .iter()
            .filter(|pl| pl.start + days * DAY <= t.end())
            .collect();
        let still = eligible
            .iter()
            .filter(|pl| pl.end.is_none_or(|e| e >= pl.start + days * DAY))
            .count();
        let api_t = &api["outcomes"]["tenure"][i];
        assert_eq!(api_t["days"], days);
        assert_eq!(
            api_t["placements"],
            eligible.len(),
            "placements old enough for {days} days"
        );
        assert_eq!(
            api_t["still_employed"], still,
            "still employed at {days} days"
        );
    }

    let (mut trial, mut subsidy, mut comp, mut first) = (0, 0, 0, 0);
    for p in &cohort {
        let pls = t.known_placements(p);
        if let Some(tr) = pls.iter().find(|pl| pl.kind == "work_trial") {
            trial += 1;
            if let Some(s) = pls
                .iter()
                .find(|pl| pl.kind == "wage_subsidised" && pl.start >= tr.start)
            {
                subsidy += 1;
                if pls
                    .iter()
                    .any(|pl| pl.kind == "competitive" && pl.start >= s.start)
                {
                    comp += 1;
                }
            }
        }
        if pls.first().is_some_and(|pl| pl.kind == "competitive") {
            first += 1;
        }
    }
    let path = &api["placement_path"];
    assert_eq!(path["work_trial"], trial);
    assert_eq!(path["then_wage_subsidised"], subsidy);
    assert_eq!(path["then_competitive"], comp);
    assert_eq!(path["competitive_first"], first);
    if coach.is_none() {
        assert!(
            trial > 0 && subsidy > 0 && comp > 0,
            "the scenario exercises the staircase: {trial} → {subsidy} → {comp}"
        );
    }

    let by_coach = api["by_coach"].as_array().unwrap();
    let coaches: Vec<usize> = (0..COACHES)
        .filter(|c| coach.is_none_or(|k| k == *c))
        .collect();
    assert_eq!(by_coach.len(), coaches.len());
    for c in coaches {
        let row = by_coach
            .iter()
            .find(|r| r["coach_id"] == t.coach_ids[c])
            .unwrap();
        let mine = t.population(Some(c));
        let cohort = t.cohort(Some(c));
        assert_eq!(row["clients"], mine.len());
        assert_eq!(
            row["active"],
            mine.iter().filter(|p| !t.closed(p, t.end())).count()
        );
        assert_eq!(row["cohort"], cohort.len());
        assert_eq!(
            row["competitive_jobs"],
            cohort
                .iter()
                .filter(|p| t
                    .known_placements(p)
                    .iter()
                    .any(|pl| pl.kind == "competitive"))
                .count()
        );
    }
}

fn check_fidelity(t: &Truth, api: &Value, coach: Option<usize>) {
    let population = t.population(coach);
    let active: Vec<&&Plan> = population
        .iter()
        .filter(|p| !t.closed(p, t.end()))
        .collect();
    let coaches: HashSet<usize> = active.iter().map(|p| p.coach).collect();
    let item = |name: &str| -> &Value {
        api["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item"] == name)
            .unwrap()
    };
    close(
        &item("caseload_size")["raw"],
        ratio(active.len(), coaches.len()),
        "caseload",
    );

    let days: Vec<f64> = t
        .cohort(coach)
        .iter()
        .filter_map(|p| {
            p.first_f2f
                .filter(|at| *at < t.end())
                .map(|at| (at - midnight(p.intake)) as f64 / DAY as f64)
        })
        .collect();
    assert_eq!(item("rapid_job_search")["n"], days.len());
    let rapid = median(days);
    close(
        &item("rapid_job_search")["raw"],
        rapid,
        "rapid search median days",
    );
    let expected_score = rapid.map(|d| match d {
        d if d <= 30.0 => 5,
        d if d <= 60.0 => 4,
        d if d <= 90.0 => 3,
        d if d <= 120.0 => 2,
        _ => 1,
    });
    assert_eq!(item("rapid_job_search")["score"], json!(expected_score));

    let f2f = t
        .contacts
        .iter()
        .filter(|(c, at, f2f)| {
            *f2f && *at >= t.start() && *at < t.end() && coach.is_none_or(|k| k == *c)
        })
        .count();
    let weeks = ((t.to - t.from).num_days() + 1) as f64 / 7.0;
    let coaches_with_clients: HashSet<usize> = population.iter().map(|p| p.coach).collect();
    let per_week = f2f as f64 / weeks / coaches_with_clients.len() as f64;
    close(
        &item("employer_contacts")["raw"],
        Some(per_week),
        "contacts per coach per week",
    );
    let expected = match per_week {
        w if w >= 6.0 => 5,
        w if w >= 5.0 => 4,
        w if w >= 4.0 => 3,
        w if w >= 3.0 => 2,
        _ => 1,
    };
    assert_eq!(item("employer_contacts")["score"], expected);

    let jobs: Vec<PlannedPlacement> = population
        .iter()
        .flat_map(|p| t.known_placements(p))
        .filter(|pl| pl.start >= t.start())
        .collect();
    let codes: HashSet<&str> = jobs.iter().map(|pl| t.vacancy_codes[pl.vacancy]).collect();
    let employers: HashSet<usize> = jobs
        .iter()
        .map(|pl| t.vacancy_employers[pl.vacancy])
        .collect();
    let pct = |a: usize| ratio(a, jobs.len()).map(|r| r * 100.0);
    close(
        &item("diversity_of_job_types")["raw"],
        pct(codes.len()),
        "job type diversity",
    );
    close(
        &item("diversity_of_employers")["raw"],
        pct(employers.len()),
        "employer diversity",
    );
    let competitive = jobs.iter().filter(|pl| pl.kind == "competitive").count();
    close(
        &item("competitive_jobs")["raw"],
        pct(competitive),
        "competitive share",
    );
    assert_eq!(item("competitive_jobs")["n"], jobs.len());

    let mut alerts: Vec<(i64, &str)> = active
        .iter()
        .filter(|p| p.first_f2f.is_none_or(|at| at >= t.end()) && t.known_placements(p).is_empty())
        .filter_map(|p| {
            let days = (t.to - p.intake).num_days();
            match days {
                d if d > 30 => Some((d, "over_30_days")),
                d if d >= 21 => Some((d, "over_21_days")),
                _ => None,
            }
        })
        .collect();
    // Stable: plans are in client-id order, the API's tie-break.
    alerts.sort_by_key(|a| std::cmp::Reverse(a.0));
    let api_alerts: Vec<(i64, &str)> = api["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["days_since_intake"].as_i64().unwrap(),
                a["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(api_alerts, alerts);
}

#[tokio::test]
async fn funnel_and_fidelity_match_figures_computed_independently_from_a_generated_history() {
    let app = spawn_app().await;
    let (plans, coach_ids, contacts, vacancy_codes, vacancy_employers, _tokens, _clients) =
        record(&app, 20_261_122).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let truth = Truth {
        plans: &plans,
        coach_ids: &coach_ids,
        from: date("2024-01-01"),
        to: date("2025-12-31"),
        contacts: &contacts,
        vacancy_codes: &vacancy_codes,
        vacancy_employers: &vacancy_employers,
    };

    for coach in [None, Some(1)] {
        let filter = coach
            .map(|c| format!("&coach={}", coach_ids[c]))
            .unwrap_or_default();
        let funnel: Value = app
            .get(
                &format!("/api/v1/funnel?from=2024-01-01&to=2025-12-31{filter}"),
                &coordinator,
            )
            .await
            .json()
            .await
            .unwrap();
        let fidelity: Value = app
            .get(
                &format!("/api/v1/fidelity?from=2024-01-01&to=2025-12-31{filter}"),
                &coordinator,
            )
            .await
            .json()
            .await
            .unwrap();

        check_funnel(&truth, &funnel, coach);
        check_fidelity(&truth, &fidelity, coach);
    }
}

/// Funnel and fidelity for the whole service and for each coach, over the generated period.
async fn all_figures(app: &TestApp, token: &str, coach_ids: &[i64]) -> Vec<(Value, Value)> {
    let mut out = Vec::new();
    let filters =
        std::iter::once(String::new()).chain(coach_ids.iter().map(|c| format!("&coach={c}")));
    for filter in filters {
        let q = format!("from=2024-01-01&to=2025-12-31{filter}");
        let funnel: Value = app
            .get(&format!("/api/v1/funnel?{q}"), token)
            .await
            .json()
            .await
            .unwrap();
        let fidelity: Value = app
            .get(&format!("/api/v1/fidelity?{q}"), token)
            .await
            .json()
            .await
            .unwrap();
        out.push((funnel, fidelity));
    }
    out
}

#[tokio::test]
async fn erased_clients_still_count_in_the_funnel_and_fidelity_figures() {
    let app = spawn_app().await;
    let (plans, coach_ids, contacts, vacancy_codes, vacancy_employers, tokens, clients) =
        record(&app, 20_261_201).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let admin = app.token(Role::Admin, None).await;
    let before = all_figures(&app, &coordinator, &coach_ids).await;

    // Every fourth client erased: by its coach (art. 17), or by an admin (end of retention).
    for (i, (p, id)) in plans.iter().zip(&clients).enumerate() {
        if i % 4 != 0 {
            continue;
        }
        let token = if i % 8 == 0 { &admin } else { &tokens[p.coach] };
        let r = app.delete(&format!("/api/v1/clients/{id}"), token).await;
        assert_eq!(r.status(), 204);
    }
    let after = all_figures(&app, &coordinator, &coach_ids).await;
    let dir = app.stop().await;
    let fresh_app = crate::helpers::spawn_app_in(dir).await;
    let fresh = all_figures(&fresh_app, &coordinator, &coach_ids).await;

    assert!(
        after == before,
        "the kept figures changed with the erasures"
    );
    assert!(
        fresh == before,
        "the figures read anew changed with the erasures"
    );
    let truth = Truth {
        plans: &plans,
        coach_ids: &coach_ids,
        from: date("2024-01-01"),
        to: date("2025-12-31"),
        contacts: &contacts,
        vacancy_codes: &vacancy_codes,
        vacancy_employers: &vacancy_employers,
    };
    check_funnel(&truth, &fresh[0].0, None);
    check_fidelity(&truth, &fresh[0].1, None);
    check_funnel(&truth, &fresh[2].0, Some(1));
    check_fidelity(&truth, &fresh[2].1, Some(1));
}
