//! The decision-only path allocates nothing (issue 10): the benchmark's 200-policy pack and its
//! 1,000 generated requests (a third of them leave out a signal some policy needs, so the
//! stand-in loop runs), plus requests stating device attributes for the pack's device filters,
//! are each decided once to warm up, then again while this thread's allocations are counted.
//!
//! The counting allocator is the suite binary's global allocator (a global allocator is per
//! binary, and the suite is the one integration binary: CONVENTIONS.md). It counts per thread,
//! so tests running in parallel on other threads do not disturb the count; for every other test
//! it only forwards to the system allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use accord::eval::{self, AssumeMissing, Options};
use accord::model::request::Request;

use super::generate;
use super::support::compile_text;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: a thread being torn down has no counter left, and must still allocate.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// This thread's allocations while `f` runs.
fn allocations_in(f: impl FnOnce()) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn the_counter_sees_an_allocation() {
    let n = allocations_in(|| {
        std::hint::black_box(vec![1u8; 100]);
    });
    assert_eq!(n, 1);
}

#[test]
fn deciding_allocates_nothing_after_warm_up() {
    let compiled = compile_text(&generate::pack(2026, 200).render());
    let mut requests: Vec<Request> = (0..1000u64)
        .map(|k| Request::parse(&generate::request_yaml(k)).expect("generated requests parse"))
        .collect();
    // The pack's device filters read `device.attributes`: stated, and stated in part (as
    // `accord replay` reads them from sign-in logs).
    for (i, attributes) in [
        "{ trustType: AzureAD }",
        "{ trustType: ServerAD, isCompliant: true }",
    ]
    .iter()
    .enumerate()
    {
        for (j, registered) in ["resource", "home"].iter().enumerate() {
            let text = format!(
                "user: {{ name: u0@contoso.com, groups: [g{i}] }}\napp: exchange\n\
                 device: {{ registered: {registered}, attributes: {attributes} }}"
            );
            let mut request = Request::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            request.device.attributes_partial = j == 1;
            requests.push(request);
        }
    }
    let resolved: Vec<_> = requests
        .iter()
        .filter_map(|r| eval::resolve(&compiled, r).ok())
        .collect();
    assert!(resolved.len() > 900, "{} requests resolve", resolved.len());
    let missing = resolved
        .iter()
        .filter(|r| {
            let q = r.request;
            q.device.platform.is_none() || q.network.ip.is_none() || q.network.country.is_none()
        })
        .count();
    assert!(missing > 300, "only {missing} requests leave out a signal");

    for assume in [AssumeMissing::Unknown, AssumeMissing::NotMatching] {
        let options = Options {
            assume_missing: assume,
        };
        // Warm-up; and the stand-in loop must run for many requests, or this proves little.
        let mut stand_ins = 0;
        for r in &resolved {
            eval::decide_fast(&compiled, r, options);
            if !eval::decide_resolved(&compiled, r, options)
                .trace
                .scenarios
                .is_empty()
            {
                stand_ins += 1;
            }
        }
        if assume == AssumeMissing::Unknown {
            assert!(
                stand_ins > 250,
                "only {stand_ins} requests decided over stand-ins"
            );
        }
        for (i, r) in resolved.iter().enumerate() {
            let n = allocations_in(|| {
                std::hint::black_box(eval::decide_fast(&compiled, r, options));
            });
            assert_eq!(
                n, 0,
                "deciding request {i} ({assume:?}) allocated {n} times: {:?}",
                r.request
            );
        }
    }
}
