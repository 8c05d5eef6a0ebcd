//! Exact outputs: layout choices and comment placement.

use super::printer::WIDTH;
use super::*;
use crate::syntax::parse_file;

fn fmt(text: &str) -> String {
    let parsed = parse_file(FileId(0), text);
    assert!(formattable(&parsed), "{:?}", parsed.diagnostics);
    let once = format_file(&parsed, FileId(0), text);
    let again = format_file(&parse_file(FileId(0), &once), FileId(0), &once);
    assert_eq!(again, once, "not idempotent");
    once
}

#[test]
fn own_line_comments_stay_before_their_item_or_statement_reindented() {
    let text = "# head\n\n# about a\ntenant a {\n      # the id\n  id = \"1\"\n        domains = [\"a.com\"]\n}\n";
    let want = "\
# head

# about a
tenant a {
  # the id
  id = \"1\"
  domains = [\"a.com\"]
}
";
    assert_eq!(fmt(text), want);
}

#[test]
fn trailing_comments_stay_at_the_end_of_their_line() {
    let text = "policy \"p\" {   # opener\n  state = on # why\n  grant mfa\n}   # after\ntenant b { }  # empty\n";
    let want = "\
policy \"p\" {  # opener
  state = on  # why
  grant mfa
}  # after

tenant b {}  # empty
";
    assert_eq!(fmt(text), want);
}

#[test]
fn comments_at_the_end_of_a_block_stay_inside_it() {
    let text = "sharing {\n  onedrive = anyone\n  invitations {\n    from = nobody\n    # later: domains\n  }\n# the end of sharing\n}\n# the end of the file\n";
    let want = "\
sharing {
  onedrive = anyone
  invitations {
    from = nobody
    # later: domains
  }
  # the end of sharing
}
# the end of the file
";
    assert_eq!(fmt(text), want);
}

#[test]
fn a_comment_keeps_a_block_multi_line() {
    let text = "location hq { ip = [\"203.0.113.0/24\"]  # office\n  trusted }\nlocation lab { ip = [\"198.51.100.0/24\"] trusted }\n";
    let want = "\
location hq {
  ip = [\"203.0.113.0/24\"]  # office
  trusted
}

location lab { ip = [\"198.51.100.0/24\"]  trusted }
";
    assert_eq!(fmt(text), want);
}

#[test]
fn comments_inside_a_statement_move_before_it_except_a_lone_trailing_one() {
    let text = "policy \"p\" {\n  users {\n    include all, # everyone\n      group \"g\"\n    exclude user \"a\",\n      # the second\n      user \"b\" # b\n  }\n}\n";
    let want = "\
policy \"p\" {
  users {
    include all, group \"g\"  # everyone
    # the second
    exclude user \"a\", user \"b\"  # b
  }
}
";
    assert_eq!(fmt(text), want);
}

#[test]
fn blank_lines_one_between_items_and_kept_once_inside_blocks() {
    let text = "tenant a {}\ntenant b {}\n\n\n\ncross_tenant default {\n\n  inbound b2b_collaboration = allow\n\n\n  trust none\n  service_provider\n\n}\n\n\n# trailing notes\n";
    let want = "\
tenant a {}

tenant b {}

cross_tenant default {
  inbound b2b_collaboration = allow

  trust none
  service_provider
}

# trailing notes
";
    assert_eq!(fmt(text), want);
}

#[test]
fn extension_comments_stay_in_the_extension_block() {
    let text = "location a {\n  ip = []\n  extension { # raw Graph\n    \"/x\" = [1, 2] # two\n    # more later\n  }\n}\n";
    let want = "\
location a {
  ip = []
  extension {  # raw Graph
    \"/x\" = [1,2]  # two
    # more later
  }
}
";
    assert_eq!(fmt(text), want);
}

#[test]
fn statements_the_model_keeps_no_span_for_are_found_in_the_source() {
    let text = "location embargo {\n  trusted\n  lookup = # how\n gps  # phones\n  countries = [\"KP\"]  # list\n  unknown_countries # also unknown\n}\n";
    let want = "\
location embargo {
  trusted
  # how
  lookup = gps  # phones
  countries = [\"KP\"]  # list
  unknown_countries  # also unknown
}
";
    assert_eq!(fmt(text), want);
}

#[test]
fn blocks_go_on_one_line_up_to_the_width_limit() {
    // `tenant t { id = "..." }` is 20 columns plus the id.
    let fits = format!("tenant t {{ id = \"{}\" }}\n", "x".repeat(WIDTH - 20));
    assert_eq!(fmt(&fits), fits);
    let long = format!("tenant t {{ id = \"{}\" }}\n", "x".repeat(WIDTH - 19));
    assert_eq!(
        fmt(&long),
        format!("tenant t {{\n  id = \"{}\"\n}}\n", "x".repeat(WIDTH - 19))
    );
}

#[test]
fn layout_rules_per_construct() {
    let text = "cross_tenant default { trust mfa }\ncross_tenant x { trust mfa service_provider }\norganization o { a owner active }\npolicy \"p\" { grant mfa }\nsharing { onedrive = anyone }\n";
    let want = "\
cross_tenant default { trust mfa }

cross_tenant x {
  trust mfa
  service_provider
}

organization o {
  a owner active
}

policy \"p\" {
  grant mfa
}

sharing {
  onedrive = anyone
}
";
    assert_eq!(fmt(text), want);
}

#[test]
fn names_strings_and_rules_print_so_they_read_back_the_same() {
    let text = concat!(
        "cross_tenant \"default\" { trust none }\n",
        "tenant \"x y\" { id = \"a\\\"b\\\\c\\u00e9\" }\n",
        "policy \"p\" {\n",
        "  users { include external(all, b2b_guest)  exclude external(b2b_member) from tenants(\"a b\", c) }\n",
        "  conditions { devices = include \"device.model -eq \\\"x\\\"\"  locations = include(\"hq\") }\n",
        "  grant any(auth_strength \"mfa\", auth_strength mfa)\n",
        "}\n",
        "policy \"q\" { conditions { devices = exclude \"device.model -eq \\\"it's\\\"\" } }\n",
    );
    let want = "\
cross_tenant \"default\" { trust none }

tenant \"x y\" { id = \"a\\\"b\\\\cé\" }

policy \"p\" {
  users { include external(all) from any  exclude external(b2b_member) from tenants(\"a b\", c) }
  conditions { devices = include 'device.model -eq \"x\"'  locations = include(hq) }
  grant any(auth_strength \"mfa\", auth_strength mfa)
}

policy \"q\" {
  conditions { devices = exclude \"device.model -eq \\\"it's\\\"\" }
}
";
    assert_eq!(fmt(text), want);
}

#[test]
fn format_pack_prints_items_by_kind_and_states_that_are_not_the_default() {
    let parsed = parse_file(
        FileId(0),
        "sharing { onedrive = anyone }\npolicy \"p\" { state = off }\ntenant a {}\n",
    );
    let mut pack = parsed.pack;
    pack.policies[0].state_written = false;
    let want = "\
tenant a {}

policy \"p\" {
  state = off
}

sharing {
  onedrive = anyone
}
";
    assert_eq!(format_pack(&pack), want);
}

#[test]
fn empty_file_and_comment_only_file() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("  # a\n\n\n   # b  \n"), "# a\n\n# b\n");
}

#[test]
fn files_with_errors_are_not_formattable() {
    let parsed = parse_file(FileId(0), "policy \"p\" { state = maybe }");
    assert!(parsed.parsed);
    assert!(!formattable(&parsed));
    assert!(!formattable(&parse_file(FileId(0), "policy {")));
}
