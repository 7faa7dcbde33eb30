//! One ordered parallel map for every command that works through many files: `validate`,
//! `diff` of two directories and `build`.
//!
//! Workers take the next item from a shared counter, so a slow file never holds up the others;
//! each worker builds its own state once (a schema validator with its memo tables) and keeps it
//! for every item it takes; results come back in the order of the items, whatever order they
//! were computed in, so reports are deterministic.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Stack for each worker: deep documents cost the XML reader stack per level.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// The number of workers for `items` items: `jobs` (0 for one per core), at least one, at most
/// one per item.
pub fn workers(jobs: usize, items: usize) -> usize {
    let jobs = if jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        jobs
    };
    jobs.clamp(1, items.max(1))
}

/// Applies `work` to every item of `items` on up to `jobs` threads (0: one per core) and returns
/// the results in the items' order.
///
/// Items are taken in the order `schedule` gives (indices into `items`; `None`: in order), for
/// instance largest first so that the workers finish together. Each worker calls `init` once
/// and passes the state to `work` for every item it takes. `progress` is told how many items
/// are done after each one. An item left without a result because no worker could be started
/// is `None`.
///
/// ```
/// use teikit::parallel::ordered_map;
/// let lengths = ordered_map(&["a", "bbb", "cc"], 2, None, || (), |_, s: &&str| s.len(), &|_| {});
/// assert_eq!(lengths, [Some(1), Some(3), Some(2)]);
/// ```
pub fn ordered_map<T, S, R>(
    items: &[T],
    jobs: usize,
    schedule: Option<&[usize]>,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Option<R>>
where
    T: Sync,
    R: Send,
{
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let take = |k: usize| match schedule {
        Some(order) => order.get(k).copied(),
        None => (k < items.len()).then_some(k),
    };
    std::thread::scope(|scope| {
        for _ in 0..workers(jobs, items.len()) {
            // A worker that cannot start leaves its items to the others; if none starts, the
            // items stay without a result, which the callers report.
            let _ = std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, || {
                    let mut state = init();
                    while let Some(index) = take(next.fetch_add(1, Ordering::Relaxed)) {
                        let result = work(&mut state, &items[index]);
                        // Each slot is written once, by one worker: the lock is never contended
                        // and never poisoned by another writer.
                        if let Ok(mut slot) = slots[index].lock() {
                            *slot = Some(result);
                        }
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                    }
                });
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn results_keep_the_items_order_whatever_the_schedule() {
        let items: Vec<u64> = (0..200).collect();
        let schedule: Vec<usize> = (0..200).rev().collect();
        let squares = ordered_map(&items, 4, Some(&schedule), || (), |_, n| n * n, &|_| {});
        let expected: Vec<Option<u64>> = items.iter().map(|n| Some(n * n)).collect();
        assert_eq!(squares, expected);
    }

    #[test]
    fn each_worker_makes_its_state_once_and_progress_counts_every_item() {
        let inits = AtomicUsize::new(0);
        let last = AtomicUsize::new(0);
        let items: Vec<u32> = (0..50).collect();
        let seen = ordered_map(
            &items,
            3,
            None,
            || {
                inits.fetch_add(1, Ordering::Relaxed);
                0usize
            },
            |count, _| {
                *count += 1;
                *count
            },
            &|n| {
                last.fetch_max(n, Ordering::Relaxed);
            },
        );
        assert!(seen.iter().all(Option::is_some));
        assert!((1..=3).contains(&inits.load(Ordering::Relaxed)));
        assert_eq!(last.load(Ordering::Relaxed), 50);
    }

    #[test]
    fn no_items_no_work() {
        let none: Vec<Option<u8>> = ordered_map(&[] as &[u8], 0, None, || (), |_, b| *b, &|_| {});
        assert!(none.is_empty());
        assert_eq!(workers(0, 0), 1);
        assert_eq!(workers(8, 3), 3);
    }
}
