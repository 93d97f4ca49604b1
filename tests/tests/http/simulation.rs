//! A property-based simulation (issue 5, "Faults"): three devices of two
//! organisations make random edits against the real server over HTTP, go
//! offline, crash after sending a push (the answer is lost), have their
//! tokens expire and their memberships revoked and granted again. Proptest
//! draws the sequence of steps (and shrinks a failing one).
//!
//! After every step: every acknowledged write is on the server (its version
//! is in the record's history), and a device that has just synced holds no
//! record of a program its user may not see. At the end every device, back
//! online and synced, holds exactly the server's view for its user.
//!
//! Each device is modelled as the field app behaves: an outbox that is only
//! emptied by acknowledgements or rejections, a cursor, the records it
//! pulled (deleted when their program is revoked), and a new login keeping
//! the outbox when its token stopped working.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use stegvis_tests::*;
use uuid::Uuid;

const NAMES: [&str; 3] = ["Amina K", "Bilal S", "Cecilia R"];
/// Records each program's devices share (so edits meet and merge).
const SLOTS: u8 = 3;

#[derive(Clone, Debug)]
enum Step {
    Edit {
        dev: usize,
        slot: u8,
        name: usize,
    },
    Sync {
        dev: usize,
    },
    Online {
        dev: usize,
        online: bool,
    },
    CrashAfterSend {
        dev: usize,
    },
    ExpireToken {
        dev: usize,
    },
    /// Device 1's user loses (or regains) the second program of organisation A.
    Membership {
        granted: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..3usize, 0..SLOTS, 0..NAMES.len()).prop_map(|(dev, slot, name)| Step::Edit { dev, slot, name }),
        3 => (0..3usize).prop_map(|dev| Step::Sync { dev }),
        1 => (0..3usize, any::<bool>()).prop_map(|(dev, online)| Step::Online { dev, online }),
        1 => (0..3usize).prop_map(|dev| Step::CrashAfterSend { dev }),
        1 => (0..3usize).prop_map(|dev| Step::ExpireToken { dev }),
        1 => any::<bool>().prop_map(|granted| Step::Membership { granted }),
    ]
}

/// One device as the field app keeps it.
struct Dev {
    username: String,
    api: Api,
    device: Device,
    online: bool,
    /// The programs the user was a member of at the last login (where it writes).
    programs: Vec<Uuid>,
    outbox: Vec<Value>,
    cursor: Option<String>,
    /// Record id → the record as last pulled.
    local: BTreeMap<Uuid, Value>,
}

struct Org {
    admin: Api,
    org: Uuid,
}

struct Case {
    devs: Vec<Dev>,
    /// Device 1's user id, whose membership of `a2` changes.
    member: Uuid,
    a2: Uuid,
    a_admin: Api,
    /// Programs each device's user may see now (the model of memberships).
    allowed: Vec<BTreeSet<Uuid>>,
    /// (record id, version) of every acknowledged write.
    acked: Vec<(Uuid, i64)>,
    /// Acknowledged writes not yet checked against the server.
    unchecked: Vec<(Uuid, i64)>,
    /// An admin of each organisation reads histories.
    readers: Vec<Api>,
}

static CASE: AtomicUsize = AtomicUsize::new(0);

async fn new_case(base: &str, a: &Org, b: &Org) -> Case {
    let n = CASE.fetch_add(1, Ordering::Relaxed);
    let a1 = create_program(&a.admin, a.org, &format!("A1-{n}")).await;
    let a2 = create_program(&a.admin, a.org, &format!("A2-{n}")).await;
    let b1 = create_program(&b.admin, b.org, &format!("B1-{n}")).await;
    for (admin, program) in [(&a.admin, a1), (&a.admin, a2), (&b.admin, b1)] {
        add_member(admin, program, admin.user_id()).await;
    }
    let users = [
        (&a.admin, format!("sim{n}-a"), vec![a1]),
        (&a.admin, format!("sim{n}-ab"), vec![a1, a2]),
        (&b.admin, format!("sim{n}-b"), vec![b1]),
    ];
    let mut devs = Vec::new();
    let mut allowed = Vec::new();
    let mut member = Uuid::nil();
    for (i, (admin, username, programs)) in users.into_iter().enumerate() {
        let id = create_user(admin, &username, "coach", &programs).await;
        if i == 1 {
            member = id;
        }
        let api = Api::login(base, &username, PASSWORD, "sim phone").await;
        allowed.push(programs.iter().copied().collect());
        devs.push(Dev {
            username,
            api,
            device: Device::new(),
            online: true,
            programs,
            outbox: Vec::new(),
            cursor: None,
            local: BTreeMap::new(),
        });
    }
    let a_admin = Api::login(base, "admin-a", PASSWORD, "sim desk").await;
    let b_admin = Api::login(base, "admin-b", PASSWORD, "sim desk").await;
    Case {
        devs,
        member,
        a2,
        a_admin: Api::login(base, "admin-a", PASSWORD, "sim admin desk").await,
        allowed,
        acked: Vec::new(),
        unchecked: Vec::new(),
        readers: vec![a_admin, b_admin],
    }
}

fn slot_id(program: Uuid, slot: u8) -> Uuid {
    Uuid::new_v5(&program, &[slot])
}

fn is_401(resp: &Resp) -> bool {
    resp.status == StatusCode::UNAUTHORIZED
}

impl Dev {
    /// A new login keeping the outbox (the app asks for the password).
    async fn relogin(&mut self) {
        self.api = Api::login(self.api.base_url(), &self.username, PASSWORD, "sim phone").await;
        let me = self.api.get("/api/v1/auth/sessions").await;
        assert_eq!(me.status, StatusCode::OK, "{me}");
    }

    async fn push(&mut self, keep_answer: bool) -> Vec<(Uuid, i64)> {
        if self.outbox.is_empty() {
            return Vec::new();
        }
        let mut resp = self.api.push(&self.device, &self.outbox).await;
        if is_401(&resp) {
            self.relogin().await;
            resp = self.api.push(&self.device, &self.outbox).await;
        }
        let results = Api::check_push(&resp, &self.outbox);
        if !keep_answer {
            return Vec::new();
        }
        let mut acked = Vec::new();
        for (m, r) in self.outbox.iter().zip(&results) {
            if r["status"] != json!("rejected") {
                acked.push((m["record_id"].as_str().unwrap().parse().unwrap(), r["version"].as_i64().unwrap()));
            } else {
                assert_eq!(r["error"]["code"], json!("forbidden"), "only a lost membership refuses an edit: {r}");
            }
        }
        self.outbox.clear();
        acked
    }

    async fn pull(&mut self) {
        loop {
            let mut resp = self.api.pull(self.cursor.as_deref(), Some(50)).await;
            if is_401(&resp) {
                self.relogin().await;
                resp = self.api.pull(self.cursor.as_deref(), Some(50)).await;
            }
            let page = Api::check_page(&resp);
            for program in &page.revoked_program_ids {
                self.local.retain(|_, r| r["program_id"] != json!(program));
            }
            for r in page.records {
                self.local.insert(record_id(&r), r);
            }
            self.cursor = Some(page.cursor);
            if !page.has_more {
                return;
            }
        }
    }
}

async fn run_step(case: &mut Case, step: &Step) {
    match *step {
        Step::Edit { dev, slot, name } => {
            let d = &mut case.devs[dev];
            let program = d.programs[usize::from(slot) % d.programs.len()];
            let id = slot_id(program, slot);
            let base = d.local.get(&id).and_then(|r| r["version"].as_i64());
            let data = json!({"display_name": NAMES[name], "languages": ["sv"], "needs_interpreter": false,
                              "status": "active", "started_on": "2026-01-12"});
            let mutation = d.device.put(program, "participant", id, base, data);
            d.outbox.push(mutation);
        }
        Step::Sync { dev } => {
            if !case.devs[dev].online {
                return;
            }
            let acked = case.devs[dev].push(true).await;
            case.acked.extend(&acked);
            case.unchecked.extend(acked);
            case.devs[dev].pull().await;
            let d = &case.devs[dev];
            for r in d.local.values() {
                let program: Uuid = r["program_id"].as_str().unwrap().parse().unwrap();
                assert!(case.allowed[dev].contains(&program), "{} holds a record it may not see: {r}", d.username);
            }
        }
        Step::Online { dev, online } => case.devs[dev].online = online,
        Step::CrashAfterSend { dev } => {
            if case.devs[dev].online {
                // Sent, committed, the answer never arrives: the outbox keeps it all.
                case.devs[dev].push(false).await;
            }
        }
        Step::ExpireToken { dev } => {
            let r = case.devs[dev].api.logout().await;
            assert!(r.status == StatusCode::NO_CONTENT || is_401(&r), "{r}");
        }
        Step::Membership { granted } => {
            let path = format!("/api/v1/programs/{}/members", case.a2);
            if granted {
                let r = case.a_admin.post(&path, &json!({"user_id": case.member})).await;
                r.expect(StatusCode::NO_CONTENT);
                case.allowed[1].insert(case.a2);
            } else {
                let r = case.a_admin.delete(&format!("{path}/{}", case.member)).await;
                assert!(r.status == StatusCode::NO_CONTENT || r.status == StatusCode::NOT_FOUND, "{r}");
                case.allowed[1].remove(&case.a2);
            }
        }
    }
    check_acknowledged(case).await;
}

/// Every acknowledged write not yet checked has its version in the record's history.
async fn check_acknowledged(case: &mut Case) {
    for (id, version) in std::mem::take(&mut case.unchecked) {
        let mut found = false;
        for reader in &case.readers {
            let h = reader.get(&format!("/api/v1/records/{id}/history")).await;
            if h.status == StatusCode::OK {
                found = h.body["versions"].as_array().unwrap().iter().any(|v| v["version"] == json!(version));
                break;
            }
        }
        assert!(found, "acknowledged version {version} of {id} is not on the server");
    }
}

async fn finish(case: &mut Case) {
    for d in &mut case.devs {
        d.online = true;
    }
    for _ in 0..2 {
        for dev in 0..case.devs.len() {
            run_step(case, &Step::Sync { dev }).await;
        }
    }
    for d in &mut case.devs {
        assert!(d.outbox.is_empty(), "{}: outbox left after syncing online", d.username);
        let fresh = d.api.pull_all(None).await;
        let server: BTreeMap<Uuid, (Value, Value)> =
            fresh.records.iter().map(|r| (record_id(r), (r["version"].clone(), r["data"].clone()))).collect();
        let held: BTreeMap<Uuid, (Value, Value)> =
            d.local.iter().map(|(id, r)| (*id, (r["version"].clone(), r["data"].clone()))).collect();
        assert_eq!(held, server, "{} holds exactly the server's view for its user", d.username);
    }
    case.unchecked = case.acked.clone();
    check_acknowledged(case).await;
}

#[test]
fn three_devices_two_organisations_random_faults_nothing_lost_nothing_leaked() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (server, a, b) = rt.block_on(async {
        let server = Server::start().await;
        let base = server.base_url().to_owned();
        let mut orgs = Vec::new();
        for (name, admin) in [("Haninge kommun", "admin-a"), ("Tyresö kommun", "admin-b")] {
            let org = server.create_org(name).await;
            server.create_admin(org, admin, PASSWORD).await;
            orgs.push(Org { admin: Api::login(&base, admin, PASSWORD, "sim admin").await, org });
        }
        let b = orgs.pop().unwrap();
        let a = orgs.pop().unwrap();
        (server, a, b)
    });
    let cases: u32 = std::env::var("SIMULATION_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(24);
    let mut runner = TestRunner::new(Config { cases, max_shrink_iters: 64, ..Config::default() });
    let base = server.base_url().to_owned();
    let result = runner.run(&proptest::collection::vec(step(), 5..40), |steps| {
        rt.block_on(async {
            let mut case = new_case(&base, &a, &b).await;
            for step in &steps {
                run_step(&mut case, step).await;
            }
            finish(&mut case).await;
        });
        Ok(())
    });
    if let Err(e) = result {
        panic!("simulation failed: {e}");
    }
}
