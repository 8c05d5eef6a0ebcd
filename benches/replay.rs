//! `cargo bench --bench replay`: replaying full-size Graph sign-in objects (3-5 KB each, the
//! fields the platform writes) in JSON Lines against `policies/contoso-group`.
//!
//! Parsing and deciding are measured apart (`parse`, `map_decide`), then end to end over
//! chunks (`chunk`, what one worker does) and through the whole pipeline on every core
//! (`pipeline`, reader thread and rayon, on a file in the target folder).
//!
//! The inputs are generated here, not committed. For the command-line measurements in the
//! README (the 10-million-sign-in run, peak memory, the `jq` floor), the same generator
//! writes a file: `ACCORD_REPLAY_BENCH_FILE=/tmp/signins.jsonl ACCORD_REPLAY_BENCH_RECORDS=1000000
//! cargo bench --bench replay`.

use std::io::Write;
use std::path::Path;

use accord::eval::{self, Options};
use accord::replay::map::{self, Context, Mapped, Notes};
use accord::replay::read::{Body, Chunk};
use accord::replay::record::SignIn;
use accord::replay::{self, Engine};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const CONTOSO: &str = "2b7c6f6e-4a5c-4c1e-9a53-2d6f1f5b7a01";

struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// One sign-in as Graph beta writes it, about 4 KB.
fn record(g: &mut Gen, i: u64) -> String {
    let (upn, home, access, user_type) = match g.next() % 6 {
        0..=2 => (
            format!("user{}@contoso.com", g.next() % 5000),
            CONTOSO,
            "none",
            "member",
        ),
        3 => (
            format!("p{}@fabrikam.com", g.next() % 500),
            "8d0e5b8a-6b1f-4bd7-8f0e-6c9f4a1c2b02",
            "b2bCollaboration",
            "member",
        ),
        4 => (
            format!("g{}@tailspintoys.com", g.next() % 500),
            "5a3f1d2c-9e8b-4c7a-b6d5-1f2e3d4c5b03",
            "b2bCollaboration",
            "guest",
        ),
        _ => (
            format!("x{}@woodgrove.example", g.next() % 500),
            "0e6c3a1d-7b9f-4d2e-8a5c-3f1b2d4e6a07",
            "b2bCollaboration",
            "guest",
        ),
    };
    let resource = g.pick(&[
        "00000003-0000-0ff1-ce00-000000000000",
        "00000002-0000-0ff1-ce00-000000000000",
        "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
        "00000003-0000-0000-c000-000000000000",
    ]);
    let client = g.pick(&[
        "Browser",
        "Browser",
        "Mobile Apps and Desktop clients",
        "Exchange ActiveSync",
        "IMAP4",
    ]);
    let os = g.pick(&[
        "Windows 10",
        "Windows10",
        "Ios",
        "Android",
        "MacOs",
        "Linux",
    ]);
    let country = g.pick(&["US", "FR", "GB", "DE", "IR"]);
    let ip = g.pick(&[
        "203.0.113.10",
        "198.51.100.7",
        "192.0.2.33",
        "2001:db8:10::5",
        "2001:db8:99::1",
    ]);
    let compliant = g.next() % 2 == 0;
    let mfa = match g.next() % 3 {
        0 => {
            r#"{"authenticationStepDateTime":"2026-11-02T10:00:01Z","authenticationMethod":"Mobile app notification","authenticationMethodDetail":"iPhone 15","succeeded":true,"authenticationStepResultDetail":"MFA successfully completed","authenticationStepRequirement":"Multifactor authentication"}"#
        }
        1 => {
            r#"{"authenticationStepDateTime":"2026-11-02T10:00:01Z","authenticationMethod":"Previously satisfied","authenticationMethodDetail":null,"succeeded":true,"authenticationStepResultDetail":"MFA requirement satisfied by claim in the token","authenticationStepRequirement":"Multifactor authentication"}"#
        }
        _ => {
            r#"{"authenticationStepDateTime":"2026-11-02T10:00:01Z","authenticationMethod":"Password","authenticationMethodDetail":"Password in the cloud","succeeded":true,"authenticationStepResultDetail":"Correct password","authenticationStepRequirement":"Primary authentication"}"#
        }
    };
    let policies: Vec<String> = [
        "Require MFA for external users",
        "Compliant device for in-organization members on SharePoint",
        "Block embargoed countries for out-of-organization users",
        "Risky sign-ins",
        "Employees: require MFA",
        "Block legacy authentication",
    ]
    .iter()
    .enumerate()
    .map(|(k, name)| {
        format!(
            r#"{{"id":"{k:08x}-1111-4222-8333-{:012x}","displayName":"{name}","enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"result":"{}","conditionsSatisfied":"application,users"}}"#,
            k * 7919,
            if k % 3 == 0 { "notApplied" } else if k == 4 { "reportOnlyNotApplied" } else { "success" }
        )
    })
    .collect();
    format!(
        concat!(
            r#"{{"id":"{id:08x}-0000-4000-8000-{id:012x}","createdDateTime":"2026-11-02T10:00:00Z","userDisplayName":"User {id}","userPrincipalName":"{upn}","userId":"{id:08x}-aaaa-4bbb-8ccc-{id:012x}","appId":"d3590ed6-52b3-4102-aeff-aad2292ab01c","appDisplayName":"Microsoft Office","ipAddress":"{ip}","ipAddressFromResourceProvider":null,"clientAppUsed":"{client}","userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0","correlationId":"{id:08x}-cccc-4ddd-8eee-{id:012x}","conditionalAccessStatus":"success","originalRequestId":"{id:08x}-dddd-4eee-8fff-{id:012x}","isInteractive":true,"tokenIssuerName":"","tokenIssuerType":"AzureAD","clientCredentialType":"none","processingTimeInMilliseconds":142,"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes_v2":[],"resourceDisplayName":"Office 365 SharePoint Online","resourceId":"{resource}","resourceTenantId":"{contoso}","homeTenantId":"{home}","homeTenantName":"","authenticationMethodsUsed":[],"authenticationRequirement":"multiFactorAuthentication","signInIdentifier":"","signInIdentifierType":null,"servicePrincipalName":"","signInEventTypes":["interactiveUser"],"servicePrincipalId":"","federatedCredentialId":"","userType":"{user_type}","flaggedForReview":false,"isTenantRestricted":false,"autonomousSystemNumber":8075,"crossTenantAccessType":"{access}","servicePrincipalCredentialKeyId":"","servicePrincipalCredentialThumbprint":"","uniqueTokenIdentifier":"AbCdEfGhIjKlMnOpQrStUv","incomingTokenType":"none","authenticationProtocol":"none","resourceServicePrincipalId":"{id:08x}-eeee-4fff-8aaa-{id:012x}","sessionLifetimePolicies":[],"authenticationAppDeviceDetails":null,"authenticationContextClassReferences":[],"mfaDetail":null,"status":{{"errorCode":0,"failureReason":"Other.","additionalDetails":"MFA requirement satisfied by claim in the token"}},"#,
            r#""deviceDetail":{{"deviceId":"{id:08x}-ffff-4aaa-8bbb-{id:012x}","displayName":"DEVICE-{id}","operatingSystem":"{os}","browser":"Edge 120.0.0","isCompliant":{compliant},"isManaged":true,"trustType":"Azure AD joined"}},"location":{{"city":"Redmond","state":"Washington","countryOrRegion":"{country}","geoCoordinates":{{"altitude":null,"latitude":47.68050003051758,"longitude":-122.12094116210938}}}},"#,
            r#""appliedConditionalAccessPolicies":[{policies}],"authenticationProcessingDetails":[{{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"}},{{"key":"Is CAE Token","value":"False"}},{{"key":"Oauth Scope Info","value":"[\"AllSites.Write\",\"Files.ReadWrite.All\",\"openid\",\"profile\",\"User.Read\"]"}}],"networkLocationDetails":[{{"networkType":"namedNetwork","networkNames":["hq"]}}],"#,
            r#""authenticationDetails":[{{"authenticationStepDateTime":"2026-11-02T10:00:00Z","authenticationMethod":"Password","authenticationMethodDetail":"Password in the cloud","succeeded":true,"authenticationStepResultDetail":"Correct password","authenticationStepRequirement":"Primary authentication"}},{mfa}],"appliedEventListeners":[],"privateLinkDetails":{{"policyId":"","policyName":"","resourceId":"","policyTenantId":""}},"appTokenProtectionStatus":null,"signInTokenProtectionStatus":"none"}}"#
        ),
        id = i,
        upn = upn,
        ip = ip,
        client = client,
        resource = resource,
        contoso = CONTOSO,
        home = home,
        user_type = user_type,
        access = access,
        os = os,
        compliant = compliant,
        country = country,
        policies = policies.join(","),
        mfa = mfa,
    )
}

fn lines(count: u64, seed: u64) -> Vec<u8> {
    let mut g = Gen(seed | 1);
    let mut out = Vec::with_capacity(count as usize * 4300);
    for i in 0..count {
        out.extend_from_slice(record(&mut g, i).as_bytes());
        out.push(b'\n');
    }
    out
}

fn compile() -> eval::Compiled {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = accord::load::load_pack(&root.join("policies/contoso-group")).expect("pack loads");
    let validation = accord::check(&loaded);
    eval::compile(validation.validated.as_ref().expect("pack validates"))
}

/// The JSON Lines input as chunks of about a megabyte, as the reader makes them.
fn chunks(data: &[u8]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    let mut records = Vec::new();
    for (n, line) in data
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let s = cur.len();
        cur.extend_from_slice(line);
        records.push((s, cur.len(), n as u64 + 1));
        if cur.len() >= replay::read::CHUNK_BYTES {
            out.push(Chunk {
                file: "bench".into(),
                body: Body::Json {
                    data: std::mem::take(&mut cur),
                    records: std::mem::take(&mut records),
                    lines: true,
                },
            });
        }
    }
    if !records.is_empty() {
        out.push(Chunk {
            file: "bench".into(),
            body: Body::Json {
                data: cur,
                records,
                lines: true,
            },
        });
    }
    out
}

fn bench(c: &mut Criterion) {
    if let (Ok(path), Ok(n)) = (
        std::env::var("ACCORD_REPLAY_BENCH_FILE"),
        std::env::var("ACCORD_REPLAY_BENCH_RECORDS"),
    ) {
        let n: u64 = n.parse().expect("a record count");
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        let mut g = Gen(7);
        for i in 0..n {
            writeln!(f, "{}", record(&mut g, i)).expect("write");
        }
        eprintln!("wrote {n} sign-ins to {path}");
        return;
    }
    let pack = compile();
    const N: u64 = 20_000;
    let data = lines(N, 7);
    let avg = data.len() as u64 / N;
    assert!(
        (3000..=5000).contains(&avg),
        "records are 3-5 KB: {avg} bytes"
    );
    let records: Vec<&[u8]> = data
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();

    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    group.throughput(Throughput::Elements(N));
    group.bench_function(BenchmarkId::new("parse", N), |b| {
        b.iter(|| {
            let mut k = 0usize;
            for r in &records {
                let s: SignIn = serde_json::from_slice(r).expect("parses");
                k += s.applied.0.len();
            }
            k
        })
    });
    group.bench_function(BenchmarkId::new("floor_skip_everything", N), |b| {
        b.iter(|| {
            for r in &records {
                let _: serde::de::IgnoredAny = serde_json::from_slice(r).expect("parses");
            }
        })
    });
    let parsed: Vec<SignIn> = records
        .iter()
        .map(|r| serde_json::from_slice(r).expect("parses"))
        .collect();
    let ctx = Context {
        resource_tenant: Some(CONTOSO.into()),
        resource_name: Some("contoso".into()),
        directory: None,
    };
    group.bench_function(BenchmarkId::new("map_decide", N), |b| {
        b.iter(|| {
            let mut blocks = 0usize;
            for s in &parsed {
                let mut notes = Notes::default();
                if let Mapped::Replay(req) = map::map(s, &ctx, &mut notes) {
                    if let Ok(r) = eval::resolve(&pack, &req) {
                        let o = eval::decide_fast(&pack, &r, Options::default());
                        eval::policy_results(&pack, &r, Options::default(), |_, _, _| {});
                        blocks += o.decision as usize;
                    }
                }
            }
            blocks
        })
    });
    let engine = Engine::new(&pack, None, None, Options::default());
    let chunked = chunks(&data);
    group.bench_function(BenchmarkId::new("chunk_one_core", N), |b| {
        b.iter(|| {
            chunked
                .iter()
                .map(|c| engine.chunk(c).summary.replayed)
                .sum::<u64>()
        })
    });
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("replay-bench.jsonl");
    std::fs::write(&file, &data).expect("write the bench file");
    group.bench_function(BenchmarkId::new("pipeline_all_cores", N), |b| {
        b.iter(|| {
            let s = replay::run(
                &engine,
                std::slice::from_ref(&file),
                &mut |_| {},
                &mut |_| {},
            )
            .unwrap_or_else(|e| panic!("replays: {e:?}"));
            assert_eq!(s.read, N);
            s.replayed
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
