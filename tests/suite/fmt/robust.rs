//! The parser never panics, whatever it is given; and whatever parses cleanly round-trips.

use accord::fmt::{format_file, formattable};
use accord::source::FileId;
use accord::syntax::parse_file;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Words of the language, punctuation and comments: soup that often gets deep into the
/// grammar and the lowering, where random characters stop at the first token.
fn token() -> impl Strategy<Value = String> {
    let words = select(vec![
        "resource",
        "tenant",
        "id",
        "=",
        "domains",
        "organization",
        "owner",
        "member",
        "active",
        "location",
        "ip",
        "countries",
        "trusted",
        "unknown_countries",
        "lookup",
        "gps",
        "cross_tenant",
        "default",
        "inbound",
        "outbound",
        "b2b_collaboration",
        "allow",
        "block",
        "users",
        "apps",
        "all",
        "group",
        "user",
        "trust",
        "mfa",
        "none",
        "service_provider",
        "automatic_consent",
        "policy",
        "state",
        "on",
        "off",
        "include",
        "exclude",
        "external",
        "(",
        ")",
        "from",
        "any",
        "tenants",
        "role",
        "app",
        "action",
        "conditions",
        "platforms",
        "ios",
        "locations",
        "client_apps",
        "[",
        "]",
        "browser",
        "sign_in_risk",
        "high",
        "devices",
        "grant",
        "terms_of_use",
        "auth_strength",
        "session",
        "sign_in_frequency",
        "8h",
        "400d",
        "every_time",
        "extension",
        "\"/a\"",
        "1",
        "-0.5e3",
        "null",
        "sharing",
        "sharepoint",
        "anyone",
        "site",
        "level",
        "invitations",
        "teams",
        "guest_access",
        "calendar",
        "free_busy",
        "{",
        "}",
        ",",
        "\"x\"",
        "'r'",
        "\"\\u00e9\"",
        "# c\n",
        "\n",
        "\"#\"",
        "'#'",
        "\"",
        "'",
    ]);
    select(vec![" ", "  ", "\n", ""])
        .prop_flat_map(move |sep| words.clone().prop_map(move |w| format!("{w}{sep}")))
}

fn check(text: &str) {
    let parsed = parse_file(FileId(0), text);
    if formattable(&parsed) {
        super::assert_round_trip(text, "generated text");
    } else if parsed.parsed {
        // Lowering errors lose text, but formatting must still not panic.
        let _ = format_file(&parsed, FileId(0), text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..256)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics_and_round_trips_when_clean(tokens in vec(token(), 0..40)) {
        check(&tokens.concat());
    }
}
