//! The wave optimizer: give as many tasks as possible to eligible shoppers, and among all such assignments
//! choose one of least total home-to-venue distance, with fair tie-breaking. Pure: no I/O.
//!
//! # Model
//!
//! A min-cost max-flow: source → venue (capacity = the venue's open tasks) → shopper (capacity **1**: one task
//! per venue per shopper; cost = distance) → sink (the shopper's capacity, as unit arcs costing 0, 1, 2, … so
//! that among equal distances work goes to shoppers with fewer tasks). Distances are whole metres scaled by a
//! factor larger than any possible sum of tie-break costs, so tie-breaking never outweighs a metre.
//!
//! # Algorithms
//!
//! [`optimal`] uses cost scaling (see `cost_scaling`): a maximum flow first, then Goldberg's push–relabel
//! refinement of its cost with global price updates. It is exact, and checks its answer with a certificate
//! that does not depend on how the answer was found.
//!
//! [`optimal_by_shortest_paths`] is the textbook reference: successive shortest paths with Johnson potentials
//! (each round a Dijkstra over the residual graph adds one task along the cheapest augmenting path). Slower on
//! large waves, but it yields the least distance for *every* task count on the way, which the benchmark uses to
//! judge the greedy baseline. Only pairs within the shopper's travel radius (and passing every eligibility rule)
//! become arcs, so the graph is sparse.

mod cost_scaling;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::distance_m;

/// A venue with open tasks.
#[derive(Debug, Clone, Copy)]
pub struct Venue {
    pub lat: f64,
    pub lon: f64,
    /// Open tasks to fill.
    pub demand: u32,
}

/// A shopper who can take tasks.
#[derive(Debug, Clone, Copy)]
pub struct Shopper {
    pub lat: f64,
    pub lon: f64,
    pub radius_m: f64,
    /// How many more tasks they may take.
    pub capacity: u32,
}

/// An eligible (venue, shopper) pair and its distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub venue: usize,
    pub shopper: usize,
    pub metres: u32,
}

/// Why tasks of a venue stayed unassigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfilled {
    /// No eligible shopper lives within reach of the venue.
    NoEligibleShopper,
    /// Eligible shoppers exist, but all their capacity went to other tasks (or they hold one task here already).
    ShoppersAtCapacity,
}

/// The result: (venue, shopper) pairs, their total distance, and what stayed open.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub pairs: Vec<(usize, usize)>,
    pub total_m: u64,
    /// (venue, tasks left open, why)
    pub unfilled: Vec<(usize, u32, Unfilled)>,
    /// The least total distance (metres) for assigning exactly k tasks, at index k−1 (filled by
    /// `optimal_by_shortest_paths`:
    /// shortest-path augmentation finds the cheapest k-task assignment for every k on the way).
    pub least_m_by_count: Vec<u64>,
    /// The solver checked its own answer: no augmenting path is left (the count is maximal) and every residual
    /// arc has a non-negative reduced cost under the final potentials (no cheaper assignment of that count).
    pub certified: bool,
}

/// The pairs within each shopper's radius that `allowed(venue, shopper)` accepts, found through a grid of
/// cells ~`cell_km` wide (no all-pairs scan).
pub fn candidate_pairs(venues: &[Venue], shoppers: &[Shopper], allowed: impl Fn(usize, usize) -> bool) -> Vec<Pair> {
    const CELL_DEG: f64 = 0.1; // ~11 km north–south
    let cell = |lat: f64, lon: f64| ((lat / CELL_DEG).floor() as i64, (lon / CELL_DEG).floor() as i64);
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, v) in venues.iter().enumerate() {
        grid.entry(cell(v.lat, v.lon)).or_default().push(i);
    }
    let mut pairs = Vec::new();
    for (s, shopper) in shoppers.iter().enumerate() {
        if shopper.capacity == 0 {
            continue;
        }
        let (lat_min, lat_max, lon_min, lon_max) = super::bounding_box(shopper.lat, shopper.lon, shopper.radius_m);
        let (c0, c1) = (cell(lat_min, lon_min), cell(lat_max, lon_max));
        for cy in c0.0..=c1.0 {
            for cx in c0.1..=c1.1 {
                for &v in grid.get(&(cy, cx)).into_iter().flatten() {
                    let venue = &venues[v];
                    if venue.demand == 0 {
                        continue;
                    }
                    let d = distance_m(shopper.lat, shopper.lon, venue.lat, venue.lon);
                    if d <= shopper.radius_m && allowed(v, s) {
                        pairs.push(Pair {
                            venue: v,
                            shopper: s,
                            metres: d.round() as u32,
                        });
                    }
                }
            }
        }
    }
    pairs
}

/// The residual graph, with paired edges (`e` and `e ^ 1` are each other's reverse).
struct Graph {
    to: Vec<usize>,
    cap: Vec<i32>,
    cost: Vec<i64>,
    adj: Vec<Vec<usize>>,
}

impl Graph {
    fn new(nodes: usize) -> Self {
        Self {
            to: Vec::new(),
            cap: Vec::new(),
            cost: Vec::new(),
            adj: vec![Vec::new(); nodes],
        }
    }

    fn add(&mut self, from: usize, to: usize, cap: i32, cost: i64) -> usize {
        let e = self.to.len();
        self.to.extend([to, from]);
        self.cap.extend([cap, 0]);
        self.cost.extend([cost, -cost]);
        self.adj[from].push(e);
        self.adj[to].push(e + 1);
        e
    }
}

/// The exact optimum: the most tasks, then the least total distance, then the fairest spread.
pub fn optimal(venues: &[Venue], shoppers: &[Shopper], pairs: &[Pair]) -> Plan {
    optimal_up_to(venues, shoppers, pairs, u64::MAX)
}

/// The cost of a pair and of a shopper's k-th slot: whole metres outweigh any sum of tie-breaks.
fn tie_break_scale(venues: &[Venue], shoppers: &[Shopper]) -> i64 {
    let total_demand: i64 = venues.iter().map(|v| i64::from(v.demand)).sum();
    let max_capacity = shoppers.iter().map(|s| i64::from(s.capacity)).max().unwrap_or(0);
    total_demand * max_capacity + 1
}

/// Like [`optimal`], but assigns at most `max_tasks` tasks (the least distance for that many, or for the most
/// possible when fewer fit).
pub fn optimal_up_to(venues: &[Venue], shoppers: &[Shopper], pairs: &[Pair], max_tasks: u64) -> Plan {
    let (nv, ns) = (venues.len(), shoppers.len());
    // Nodes: 0 = limiter, 1 = source, venues, shoppers, sink.
    let (limiter, src, sink) = (0, 1, nv + ns + 2);
    let venue_node = |v: usize| 2 + v;
    let shopper_node = |s: usize| 2 + nv + s;
    let scale = tie_break_scale(venues, shoppers);
    let total_demand: u64 = venues.iter().map(|v| u64::from(v.demand)).sum();
    let mut edges = Vec::with_capacity(pairs.len() + nv + ns * 3 + 1);
    edges.push((limiter, src, max_tasks.min(total_demand).min(i32::MAX as u64) as i32, 0));
    for (v, venue) in venues.iter().enumerate() {
        if venue.demand > 0 {
            edges.push((src, venue_node(v), venue.demand as i32, 0));
        }
    }
    let first_pair = edges.len();
    for p in pairs {
        edges.push((
            venue_node(p.venue),
            shopper_node(p.shopper),
            1,
            i64::from(p.metres) * scale,
        ));
    }
    for (s, shopper) in shoppers.iter().enumerate() {
        for k in 0..shopper.capacity {
            edges.push((shopper_node(s), sink, 1, i64::from(k)));
        }
    }
    let mut net = cost_scaling::Network::new(nv + ns + 3, &edges);
    let Some((_, price)) = cost_scaling::solve(&mut net, limiter, sink) else {
        // Costs beyond 64-bit price arithmetic (far larger waves than any real one): the reference solver.
        return optimal_by_shortest_paths(venues, shoppers, pairs);
    };
    let mut plan = Plan {
        certified: cost_scaling::is_optimal(&net, limiter, sink, &price),
        ..Plan::default()
    };
    let mut filled = vec![0u32; nv];
    let mut has_pair = vec![false; nv];
    for (i, p) in pairs.iter().enumerate() {
        has_pair[p.venue] = true;
        if net.flow(first_pair + i) > 0 {
            plan.pairs.push((p.venue, p.shopper));
            plan.total_m += u64::from(p.metres);
            filled[p.venue] += 1;
        }
    }
    plan.unfilled = unfilled(venues, &filled, &has_pair);
    plan
}

/// The reference solver (successive shortest paths): the same optimum as [`optimal`], and the least distance
/// for every task count in `least_m_by_count`.
pub fn optimal_by_shortest_paths(venues: &[Venue], shoppers: &[Shopper], pairs: &[Pair]) -> Plan {
    let (nv, ns) = (venues.len(), shoppers.len());
    let (src, sink) = (0, nv + ns + 1);
    let venue_node = |v: usize| 1 + v;
    let shopper_node = |s: usize| 1 + nv + s;
    let scale = tie_break_scale(venues, shoppers);

    let mut g = Graph::new(nv + ns + 2);
    for (v, venue) in venues.iter().enumerate() {
        if venue.demand > 0 {
            g.add(src, venue_node(v), venue.demand as i32, 0);
        }
    }
    let mut pair_edges = Vec::with_capacity(pairs.len());
    for p in pairs {
        let e = g.add(
            venue_node(p.venue),
            shopper_node(p.shopper),
            1,
            i64::from(p.metres) * scale,
        );
        pair_edges.push((e, p));
    }
    for (s, shopper) in shoppers.iter().enumerate() {
        for k in 0..shopper.capacity {
            g.add(shopper_node(s), sink, 1, i64::from(k));
        }
    }

    let n = g.adj.len();
    let mut potential = vec![0i64; n];
    let mut dist = vec![i64::MAX; n];
    let mut prev = vec![usize::MAX; n];
    let mut settled = Vec::new();
    let mut touched = Vec::new();
    let mut heap = BinaryHeap::new();
    let mut least_by_count = Vec::new();
    let mut cumulative: i64 = 0;
    // Nodes that can no longer reach the sink ("dead": in matching terms, venues no augmenting path can fill
    // and the saturated shoppers around them) never can again, so searches skip them. `died[u]` is the round
    // in which u was found dead (u32::MAX while alive); it also scopes the optimality certificate below.
    let mut died = vec![u32::MAX; n];
    let mut rounds: u32 = 0;
    const RECHECK_EVERY: u32 = 16;
    loop {
        if rounds % RECHECK_EVERY == 0 {
            mark_dead(&g, sink, rounds, &mut died);
        }
        rounds += 1;
        dist[src] = 0;
        touched.push(src);
        heap.push(Reverse((0i64, src)));
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u] {
                continue;
            }
            settled.push(u);
            if u == sink {
                break;
            }
            for &e in &g.adj[u] {
                if g.cap[e] <= 0 {
                    continue;
                }
                let w = g.to[e];
                if died[w] != u32::MAX {
                    continue;
                }
                let nd = d + g.cost[e] + potential[u] - potential[w];
                // Nothing at or beyond the best path to the sink found so far can be on a shorter one.
                if nd < dist[w] && nd < dist[sink] {
                    if dist[w] == i64::MAX {
                        touched.push(w);
                    }
                    dist[w] = nd;
                    prev[w] = e;
                    heap.push(Reverse((nd, w)));
                }
            }
        }
        heap.clear();
        let reached = dist[sink] != i64::MAX;
        if reached {
            let bound = dist[sink];
            // The path's true cost: its reduced length plus the potential difference of its ends.
            cumulative += bound - potential[src] + potential[sink];
            least_by_count.push((cumulative / scale) as u64);
            for &u in &settled {
                potential[u] += dist[u] - bound;
            }
            let mut w = sink;
            while w != src {
                let e = prev[w];
                g.cap[e] -= 1;
                g.cap[e ^ 1] += 1;
                w = g.to[e ^ 1];
            }
        }
        for &u in &touched {
            dist[u] = i64::MAX;
            prev[u] = usize::MAX;
        }
        touched.clear();
        settled.clear();
        if !reached {
            break;
        }
    }

    // Optimality certificate: the last search found no path, so the flow is maximal; and no residual cycle
    // has negative cost, because every residual arc has a non-negative reduced cost, except arcs into nodes
    // that died earlier than the arc's tail (no cycle can use those: a dead node reaches only nodes that died
    // no later than itself).
    let certified = (0..n).all(|u| {
        g.adj[u].iter().all(|&e| {
            let w = g.to[e];
            g.cap[e] <= 0 || died[w] < died[u] || g.cost[e] + potential[u] - potential[w] >= 0
        })
    });
    let mut plan = Plan {
        least_m_by_count: least_by_count,
        certified,
        ..Plan::default()
    };
    let mut filled = vec![0u32; nv];
    let mut has_pair = vec![false; nv];
    for (e, p) in pair_edges {
        has_pair[p.venue] = true;
        if g.cap[e] == 0 {
            plan.pairs.push((p.venue, p.shopper));
            plan.total_m += u64::from(p.metres);
            filled[p.venue] += 1;
        }
    }
    plan.unfilled = unfilled(venues, &filled, &has_pair);
    plan
}

/// Marks every node that cannot reach the sink in the residual graph as dead (from round `round` on):
/// a reverse breadth-first search from the sink.
fn mark_dead(g: &Graph, sink: usize, round: u32, died: &mut [u32]) {
    let mut reaches = vec![false; g.adj.len()];
    let mut queue = std::collections::VecDeque::from([sink]);
    reaches[sink] = true;
    while let Some(w) = queue.pop_front() {
        for &e in &g.adj[w] {
            // `e ^ 1` runs from `g.to[e]` into `w`.
            let u = g.to[e];
            if !reaches[u] && g.cap[e ^ 1] > 0 && died[u] == u32::MAX {
                reaches[u] = true;
                queue.push_back(u);
            }
        }
    }
    for (u, reaches) in reaches.into_iter().enumerate() {
        if !reaches && died[u] == u32::MAX {
            died[u] = round;
        }
    }
}

fn unfilled(venues: &[Venue], filled: &[u32], has_pair: &[bool]) -> Vec<(usize, u32, Unfilled)> {
    venues
        .iter()
        .enumerate()
        .filter(|(v, venue)| filled[*v] < venue.demand)
        .map(|(v, venue)| {
            let why = if has_pair[v] {
                Unfilled::ShoppersAtCapacity
            } else {
                Unfilled::NoEligibleShopper
            };
            (v, venue.demand - filled[v], why)
        })
        .collect()
}

/// The baseline people reach for: take pairs nearest first, keep each that still fits.
pub fn greedy(venues: &[Venue], shoppers: &[Shopper], pairs: &[Pair]) -> Plan {
    let mut sorted: Vec<&Pair> = pairs.iter().collect();
    sorted.sort_by_key(|p| (p.metres, p.venue, p.shopper));
    let mut left: Vec<u32> = shoppers.iter().map(|s| s.capacity).collect();
    let mut open: Vec<u32> = venues.iter().map(|v| v.demand).collect();
    let mut plan = Plan::default();
    let mut has_pair = vec![false; venues.len()];
    for p in &sorted {
        has_pair[p.venue] = true;
        if left[p.shopper] > 0 && open[p.venue] > 0 {
            left[p.shopper] -= 1;
            open[p.venue] -= 1;
            plan.pairs.push((p.venue, p.shopper));
            plan.total_m += u64::from(p.metres);
        }
    }
    let filled: Vec<u32> = venues.iter().zip(&open).map(|(v, o)| v.demand - o).collect();
    plan.unfilled = unfilled(venues, &filled, &has_pair);
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every feasible choice of pairs, by brute force: (most pairs, least distance).
    fn brute_force(venues: &[Venue], shoppers: &[Shopper], pairs: &[Pair]) -> (usize, u64) {
        let mut best = (0usize, 0u64);
        for mask in 0u32..(1 << pairs.len()) {
            let chosen: Vec<&Pair> = pairs
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, p)| p)
                .collect();
            let fits_venues = venues
                .iter()
                .enumerate()
                .all(|(v, venue)| chosen.iter().filter(|p| p.venue == v).count() as u32 <= venue.demand);
            let fits_shoppers = shoppers
                .iter()
                .enumerate()
                .all(|(s, shopper)| chosen.iter().filter(|p| p.shopper == s).count() as u32 <= shopper.capacity);
            if fits_venues && fits_shoppers {
                let total: u64 = chosen.iter().map(|p| u64::from(p.metres)).sum();
                if chosen.len() > best.0 || (chosen.len() == best.0 && total < best.1) {
                    best = (chosen.len(), total);
                }
            }
        }
        best
    }

    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    fn check_plan(venues: &[Venue], shoppers: &[Shopper], pairs: &[Pair], plan: &Plan) {
        let mut per_shopper = vec![0u32; shoppers.len()];
        let mut per_venue = vec![0u32; venues.len()];
        let mut seen = std::collections::HashSet::new();
        for &(v, s) in &plan.pairs {
            assert!(seen.insert((v, s)), "one task per venue per shopper");
            assert!(
                pairs.iter().any(|p| p.venue == v && p.shopper == s),
                "only eligible pairs"
            );
            per_shopper[s] += 1;
            per_venue[v] += 1;
        }
        assert!(per_shopper.iter().zip(shoppers).all(|(n, s)| *n <= s.capacity));
        assert!(per_venue.iter().zip(venues).all(|(n, v)| *n <= v.demand));
    }

    #[test]
    fn matches_brute_force_on_random_small_instances() {
        let mut rng = Lcg(7);
        for round in 0..300 {
            let nv = 1 + rng.next(4) as usize;
            let ns = 1 + rng.next(4) as usize;
            let venues: Vec<Venue> = (0..nv)
                .map(|_| Venue {
                    lat: 0.0,
                    lon: 0.0,
                    demand: rng.next(3) as u32,
                })
                .collect();
            let shoppers: Vec<Shopper> = (0..ns)
                .map(|_| Shopper {
                    lat: 0.0,
                    lon: 0.0,
                    radius_m: 1.0,
                    capacity: rng.next(3) as u32,
                })
                .collect();
            let mut pairs = Vec::new();
            for v in 0..nv {
                for s in 0..ns {
                    if rng.next(3) > 0 && pairs.len() < 14 {
                        pairs.push(Pair {
                            venue: v,
                            shopper: s,
                            metres: rng.next(50) as u32,
                        });
                    }
                }
            }
            let (count, total) = brute_force(&venues, &shoppers, &pairs);
            let reference = optimal_by_shortest_paths(&venues, &shoppers, &pairs);
            check_plan(&venues, &shoppers, &pairs, &reference);
            assert!(reference.certified);
            assert_eq!(reference.least_m_by_count.len(), reference.pairs.len());
            assert_eq!(
                reference.least_m_by_count.last().copied().unwrap_or(0),
                reference.total_m
            );
            let plan = optimal(&venues, &shoppers, &pairs);
            check_plan(&venues, &shoppers, &pairs, &plan);
            assert!(plan.certified, "round {round}");
            for plan in [&reference, &plan] {
                assert_eq!(
                    (plan.pairs.len(), plan.total_m),
                    (count, total),
                    "round {round}: {venues:?} {shoppers:?} {pairs:?}"
                );
            }
            // Capped at k tasks, the least distance for k.
            for (k, least) in reference.least_m_by_count.iter().enumerate() {
                let capped = optimal_up_to(&venues, &shoppers, &pairs, k as u64 + 1);
                check_plan(&venues, &shoppers, &pairs, &capped);
                assert!(capped.certified);
                assert_eq!(
                    (capped.pairs.len(), capped.total_m),
                    (k + 1, *least),
                    "round {round}, k {k}"
                );
            }
            let greedy = greedy(&venues, &shoppers, &pairs);
            check_plan(&venues, &shoppers, &pairs, &greedy);
            assert!(greedy.pairs.len() <= count);
        }
    }

    #[test]
    fn one_task_per_venue_per_shopper_even_when_slots_would_allow_more() {
        // One shopper with capacity 3 and a venue needing 2 visits: only one may go to them.
        let venues = [Venue {
            lat: 0.0,
            lon: 0.0,
            demand: 2,
        }];
        let shoppers = [Shopper {
            lat: 0.0,
            lon: 0.0,
            radius_m: 1.0,
            capacity: 3,
        }];
        let pairs = [Pair {
            venue: 0,
            shopper: 0,
            metres: 5,
        }];
        let plan = optimal(&venues, &shoppers, &pairs);
        assert_eq!(plan.pairs, [(0, 0)]);
        assert_eq!(plan.unfilled, [(0, 1, Unfilled::ShoppersAtCapacity)]);
    }

    #[test]
    fn maximum_count_beats_shorter_distance() {
        // Greedy gives venue 0 to the close shopper 0 and strands venue 1; the optimum routes around.
        let venues = [
            Venue {
                lat: 0.0,
                lon: 0.0,
                demand: 1,
            },
            Venue {
                lat: 0.0,
                lon: 0.0,
                demand: 1,
            },
        ];
        let shoppers = [
            Shopper {
                lat: 0.0,
                lon: 0.0,
                radius_m: 1.0,
                capacity: 1,
            },
            Shopper {
                lat: 0.0,
                lon: 0.0,
                radius_m: 1.0,
                capacity: 1,
            },
        ];
        let pairs = [
            Pair {
                venue: 0,
                shopper: 0,
                metres: 1,
            },
            Pair {
                venue: 1,
                shopper: 0,
                metres: 100,
            },
            Pair {
                venue: 0,
                shopper: 1,
                metres: 500,
            },
        ];
        assert_eq!(greedy(&venues, &shoppers, &pairs).pairs.len(), 1);
        let plan = optimal(&venues, &shoppers, &pairs);
        assert_eq!(plan.pairs.len(), 2);
        assert_eq!(plan.total_m, 600);
    }

    #[test]
    fn equal_distances_go_to_the_shopper_with_fewer_tasks() {
        // Two venues, both 10 m from both shoppers; shopper 0 could take both, but fairness spreads them.
        let venues = [
            Venue {
                lat: 0.0,
                lon: 0.0,
                demand: 1,
            },
            Venue {
                lat: 0.0,
                lon: 0.0,
                demand: 1,
            },
        ];
        let shoppers = [
            Shopper {
                lat: 0.0,
                lon: 0.0,
                radius_m: 1.0,
                capacity: 2,
            },
            Shopper {
                lat: 0.0,
                lon: 0.0,
                radius_m: 1.0,
                capacity: 2,
            },
        ];
        let pairs: Vec<Pair> = (0..2)
            .flat_map(|v| {
                (0..2).map(move |s| Pair {
                    venue: v,
                    shopper: s,
                    metres: 10,
                })
            })
            .collect();
        let plan = optimal(&venues, &shoppers, &pairs);
        let mut shoppers_used: Vec<usize> = plan.pairs.iter().map(|(_, s)| *s).collect();
        shoppers_used.sort();
        assert_eq!(shoppers_used, [0, 1]);
    }

    #[test]
    fn unfilled_tasks_say_why() {
        let venues = [
            Venue {
                lat: 50.0,
                lon: 30.0,
                demand: 1,
            },
            Venue {
                lat: 48.0,
                lon: 24.0,
                demand: 2,
            },
        ];
        let shoppers = [Shopper {
            lat: 50.0,
            lon: 30.01,
            radius_m: 5_000.0,
            capacity: 1,
        }];
        let pairs = candidate_pairs(&venues, &shoppers, |_, _| true);
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].venue, 0);
        let plan = optimal(&venues, &shoppers, &pairs);
        assert_eq!(plan.unfilled, [(1, 2, Unfilled::NoEligibleShopper)]);
    }
}
