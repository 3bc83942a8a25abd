//! Benchmark: the wave optimizer against a greedy nearest-first baseline, on venues at the real hromada centres
//! and shoppers drawn around real populated places (GeoNames postal places).
//!
//! `cargo bench -p fieldwork-server --bench optimizer`. One core (the optimizer is single-threaded).
//! Prints a Markdown table for docs/benchmarks.md.

mod common;

use std::time::Instant;

use fieldwork::domain::optimizer::{
    candidate_pairs, greedy, optimal, optimal_by_shortest_paths, optimal_up_to, Shopper, Venue,
};

struct Lcg(u64);
impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n
    }
}

struct Instance {
    name: String,
    venues: Vec<Venue>,
    shoppers: Vec<Shopper>,
}

/// `n_venues` venues: the hromada centres first, then more offices within ~10 km of random centres;
/// `n_shoppers` shoppers within ~3 km of random populated places, travel radius 15–40 km, capacity 3.
fn instance(n_venues: usize, visits: u32, n_shoppers: usize, seed: u64) -> Instance {
    let centres = common::read_points("ua_hromadas_centroids.csv", 8, 9);
    let places = common::read_points("geonames_postal_UA.csv", 9, 10);
    let mut rng = Lcg(seed);
    let venues = (0..n_venues)
        .map(|i| {
            let (lat, lon) = if i < centres.len() {
                centres[i]
            } else {
                let (lat, lon) = centres[rng.below(centres.len())];
                (lat + (rng.unit() - 0.5) * 0.18, lon + (rng.unit() - 0.5) * 0.27)
            };
            Venue {
                lat,
                lon,
                demand: visits,
            }
        })
        .collect();
    let shoppers = (0..n_shoppers)
        .map(|_| {
            let (lat, lon) = places[rng.below(places.len())];
            Shopper {
                lat: lat + (rng.unit() - 0.5) * 0.054,
                lon: lon + (rng.unit() - 0.5) * 0.08,
                radius_m: 15_000.0 + rng.unit() * 25_000.0,
                capacity: 3,
            }
        })
        .collect();
    Instance {
        name: format!("{n_venues} venues × {visits} visits, {n_shoppers} shoppers × 3"),
        venues,
        shoppers,
    }
}

fn main() {
    // The reference solver is timed too, except where it takes minutes (`--reference-all` includes those).
    let reference_all = std::env::args().any(|a| a == "--reference-all");
    println!("| instance | tasks | eligible pairs | assigned | km | pairs ms | solve ms | certified exact | reference (shortest paths): assigned, km, ms | greedy: assigned | km | greedy km vs optimum at greedy's count |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (n_venues, visits, n_shoppers) in [
        (1_769, 2, 3_000),
        (2_700, 2, 3_000),
        (5_000, 2, 5_000),
        (10_000, 2, 10_000),
    ] {
        let inst = instance(n_venues, visits, n_shoppers, 2026);
        // Eligibility beyond distance: about 1 pair in 50 is a declared conflict or a recent visit.
        let conflict = |v: usize, s: usize| (v.wrapping_mul(2654435761) ^ s.wrapping_mul(40503)) % 50 != 0;
        let started = Instant::now();
        let pairs = candidate_pairs(&inst.venues, &inst.shoppers, conflict);
        let pairs_ms = started.elapsed().as_secs_f64() * 1000.0;
        let started = Instant::now();
        let plan = optimal(&inst.venues, &inst.shoppers, &pairs);
        let solve_ms = started.elapsed().as_secs_f64() * 1000.0;
        let reference = if reference_all || n_venues <= 5_000 {
            let started = Instant::now();
            let reference = optimal_by_shortest_paths(&inst.venues, &inst.shoppers, &pairs);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            assert_eq!(
                (reference.pairs.len(), reference.total_m),
                (plan.pairs.len(), plan.total_m)
            );
            format!(
                "{}, {:.0}, {ms:.0}",
                reference.pairs.len(),
                reference.total_m as f64 / 1000.0
            )
        } else {
            "not run".to_string()
        };
        let greedy_plan = greedy(&inst.venues, &inst.shoppers, &pairs);
        let at_greedy_count = optimal_up_to(&inst.venues, &inst.shoppers, &pairs, greedy_plan.pairs.len() as u64);
        assert_eq!(at_greedy_count.pairs.len(), greedy_plan.pairs.len());
        let tasks: u32 = inst.venues.iter().map(|v| v.demand).sum();
        println!(
            "| {} | {tasks} | {} | {} | {:.0} | {pairs_ms:.0} | {solve_ms:.0} | {} | {reference} | {} ({:+.1} %) | {:.0} | {:+.1} % |",
            inst.name,
            pairs.len(),
            plan.pairs.len(),
            plan.total_m as f64 / 1000.0,
            if plan.certified && at_greedy_count.certified { "yes" } else { "NO" },
            greedy_plan.pairs.len(),
            100.0 * (greedy_plan.pairs.len() as f64 - plan.pairs.len() as f64) / plan.pairs.len() as f64,
            greedy_plan.total_m as f64 / 1000.0,
            100.0 * (greedy_plan.total_m as f64 - at_greedy_count.total_m as f64) / at_greedy_count.total_m as f64,
        );
    }
}
