//! Min-cost maximum flow by Goldberg's cost scaling (push–relabel), for the wave optimizer.
//!
//! 1. A maximum flow is found first (Dinic's blocking flows): it fixes the task count.
//! 2. The flow's cost is then minimised without changing its value: any two flows of equal value differ by a
//!    circulation in the residual graph, so a minimum-cost circulation over the residual graph of a maximum flow
//!    is a minimum-cost maximum flow. Cost scaling finds it: costs are multiplied by `n + 1` (`n` nodes), and for
//!    ε = C, C/α, …, 1 a *refine* step turns an αε-optimal flow into an ε-optimal one (saturate every arc of
//!    negative reduced cost, then push excess along admissible arcs and relabel nodes without any). A flow that
//!    is 1-optimal for costs scaled by `n + 1` is (1/(n+1))-optimal for the integer costs, hence optimal.
//! 3. Global price updates (a bucket-based shortest-path search from the nodes in deficit, run every so many
//!    relabels) keep the number of relabels low; they are the heuristic that makes cost scaling fast in practice.
//!
//! `is_optimal` checks the result independently of how it was found.

use std::collections::VecDeque;

/// A network in compressed form: arcs grouped by tail, each with its reverse.
pub(super) struct Network {
    /// `first[u]..first[u + 1]` are the arcs leaving `u`.
    first: Vec<usize>,
    head: Vec<u32>,
    rev: Vec<u32>,
    /// Residual capacity.
    cap: Vec<i32>,
    cost: Vec<i64>,
    /// Where each input edge ended up (its forward arc).
    forward: Vec<u32>,
    original_cap: Vec<i32>,
}

impl Network {
    /// `edges`: (tail, head, capacity, cost).
    pub(super) fn new(nodes: usize, edges: &[(usize, usize, i32, i64)]) -> Self {
        let mut degree = vec![0usize; nodes + 1];
        for &(u, w, _, _) in edges {
            degree[u] += 1;
            degree[w] += 1;
        }
        let mut first = vec![0usize; nodes + 1];
        for u in 0..nodes {
            first[u + 1] = first[u] + degree[u];
        }
        let arcs = first[nodes];
        let mut next = first.clone();
        let mut head = vec![0u32; arcs];
        let mut rev = vec![0u32; arcs];
        let mut cap = vec![0i32; arcs];
        let mut cost = vec![0i64; arcs];
        let mut forward = Vec::with_capacity(edges.len());
        for &(u, w, c, k) in edges {
            let (a, b) = (next[u], next[w]);
            next[u] += 1;
            next[w] += 1;
            head[a] = w as u32;
            head[b] = u as u32;
            rev[a] = b as u32;
            rev[b] = a as u32;
            cap[a] = c;
            cost[a] = k;
            cost[b] = -k;
            forward.push(a as u32);
        }
        let original_cap = cap.clone();
        Self {
            first,
            head,
            rev,
            cap,
            cost,
            forward,
            original_cap,
        }
    }

    fn nodes(&self) -> usize {
        self.first.len() - 1
    }

    /// The flow on input edge `i`.
    pub(super) fn flow(&self, i: usize) -> i32 {
        let a = self.forward[i] as usize;
        self.original_cap[a] - self.cap[a]
    }

    fn push(&mut self, a: usize, amount: i32) {
        self.cap[a] -= amount;
        let r = self.rev[a] as usize;
        self.cap[r] += amount;
    }

    /// Dinic's algorithm: a maximum flow from `s` to `t`; returns its value.
    fn max_flow(&mut self, s: usize, t: usize) -> i64 {
        let n = self.nodes();
        let mut level = vec![u32::MAX; n];
        let mut cur = vec![0usize; n];
        let mut queue = VecDeque::new();
        let mut total = 0i64;
        let mut stack: Vec<usize> = Vec::new();
        loop {
            level.fill(u32::MAX);
            level[s] = 0;
            queue.push_back(s);
            while let Some(u) = queue.pop_front() {
                for a in self.first[u]..self.first[u + 1] {
                    let w = self.head[a] as usize;
                    if self.cap[a] > 0 && level[w] == u32::MAX {
                        level[w] = level[u] + 1;
                        queue.push_back(w);
                    }
                }
            }
            if level[t] == u32::MAX {
                return total;
            }
            cur.copy_from_slice(&self.first[..n]);
            // Blocking flow by depth-first search with current-arc pointers; `stack` holds the arcs of the path.
            loop {
                let u = stack.last().map_or(s, |&a| self.head[a] as usize);
                if u == t {
                    let amount = stack.iter().map(|&a| self.cap[a]).min().unwrap_or(0);
                    for &a in &stack {
                        self.push(a, amount);
                    }
                    total += i64::from(amount);
                    // Back up to the first saturated arc and continue from its tail.
                    if let Some(i) = stack.iter().position(|&a| self.cap[a] == 0) {
                        stack.truncate(i);
                    }
                    continue;
                }
                let mut advanced = false;
                while cur[u] < self.first[u + 1] {
                    let a = cur[u];
                    let w = self.head[a] as usize;
                    if self.cap[a] > 0 && level[w] == level[u] + 1 {
                        stack.push(a);
                        advanced = true;
                        break;
                    }
                    cur[u] += 1;
                }
                if !advanced {
                    // Dead end: nothing more through `u` in this phase.
                    level[u] = u32::MAX;
                    match stack.pop() {
                        Some(a) => {
                            let tail = self.head[self.rev[a] as usize] as usize;
                            cur[tail] += 1;
                        }
                        None => break,
                    }
                }
            }
        }
    }
}

/// The scaling factor between successive ε.
const ALPHA: i64 = 8;

/// Solves min-cost max-flow from `s` to `t` in place. Returns the flow value and the final prices for costs
/// scaled by `n + 1` (under which the flow is 1-optimal; see `is_optimal`), or `None` when the costs are too
/// large for 64-bit price arithmetic.
pub(super) fn solve(net: &mut Network, s: usize, t: usize) -> Option<(i64, Vec<i64>)> {
    let n = net.nodes() as i64;
    let scale = n + 1;
    let max_cost = net.cost.iter().map(|c| c.abs()).max().unwrap_or(0);
    // Prices move by at most ~3nε per refine, and Σε ≤ 2·C·(n+1): keep well inside i64.
    if (max_cost as i128) * (scale as i128) * (scale as i128) * 8 >= i128::from(i64::MAX) {
        return None;
    }
    let value = net.max_flow(s, t);
    for c in &mut net.cost {
        *c *= scale;
    }
    let mut price = vec![0i64; n as usize];
    let mut eps = max_cost * scale;
    while eps > 1 {
        eps = (eps / ALPHA).max(1);
        refine(net, &mut price, eps);
    }
    for c in &mut net.cost {
        *c /= scale;
    }
    Some((value, price))
}

/// The certificate, checked independently of how the flow was found: no residual path from `s` to `t` (the flow
/// is maximum), and every residual arc has reduced cost ≥ −1 under `price` with costs scaled by `n + 1`, so every
/// residual cycle (at most `n` arcs) costs more than −1 in original integer units, hence ≥ 0: no cheaper flow of
/// the same value exists.
pub(super) fn is_optimal(net: &Network, s: usize, t: usize, price: &[i64]) -> bool {
    let n = net.nodes();
    let scale = n as i64 + 1;
    let mut seen = vec![false; n];
    let mut queue = VecDeque::from([s]);
    seen[s] = true;
    while let Some(u) = queue.pop_front() {
        for a in net.first[u]..net.first[u + 1] {
            let w = net.head[a] as usize;
            if net.cap[a] > 0 && !seen[w] {
                seen[w] = true;
                queue.push_back(w);
            }
        }
    }
    if seen[t] {
        return false;
    }
    (0..n).all(|u| {
        (net.first[u]..net.first[u + 1]).all(|a| {
            let w = net.head[a] as usize;
            net.cap[a] <= 0 || net.cost[a] * scale + price[u] - price[w] >= -1
        })
    })
}

/// Turns an (αε)-optimal flow into an ε-optimal one.
fn refine(net: &mut Network, price: &mut [i64], eps: i64) {
    let n = net.nodes();
    let mut excess = vec![0i64; n];
    // Saturate every residual arc of negative reduced cost: the flow becomes 0-optimal, a pseudo-flow.
    for u in 0..n {
        for a in net.first[u]..net.first[u + 1] {
            let c = net.cap[a];
            if c > 0 {
                let w = net.head[a] as usize;
                if net.cost[a] + price[u] - price[w] < 0 {
                    net.push(a, c);
                    excess[u] -= i64::from(c);
                    excess[w] += i64::from(c);
                }
            }
        }
    }
    let mut active: VecDeque<usize> = (0..n).filter(|&u| excess[u] > 0).collect();
    let mut cur: Vec<usize> = net.first[..n].to_vec();
    let mut relabels_since_update = 0usize;
    let update_every = n.max(64);
    global_update(net, price, &excess, eps);
    while let Some(u) = active.pop_front() {
        // Discharge u.
        while excess[u] > 0 {
            if cur[u] == net.first[u + 1] {
                relabel(net, price, u, eps);
                cur[u] = net.first[u];
                relabels_since_update += 1;
                if relabels_since_update >= update_every {
                    relabels_since_update = 0;
                    global_update(net, price, &excess, eps);
                    cur[..n].copy_from_slice(&net.first[..n]);
                }
                continue;
            }
            let a = cur[u];
            let w = net.head[a] as usize;
            if net.cap[a] > 0 && net.cost[a] + price[u] - price[w] < 0 {
                let amount = excess[u].min(i64::from(net.cap[a]));
                net.push(a, amount as i32);
                excess[u] -= amount;
                let was = excess[w];
                excess[w] += amount;
                if was <= 0 && excess[w] > 0 {
                    active.push_back(w);
                }
            } else {
                cur[u] += 1;
            }
        }
    }
}

/// Lowers `price[u]` just enough that its cheapest residual arc becomes admissible (reduced cost −ε).
fn relabel(net: &Network, price: &mut [i64], u: usize, eps: i64) {
    let mut best = i64::MIN;
    for a in net.first[u]..net.first[u + 1] {
        if net.cap[a] > 0 {
            let w = net.head[a] as usize;
            best = best.max(price[w] - net.cost[a]);
        }
    }
    debug_assert!(best != i64::MIN, "a node with excess has a residual arc");
    price[u] = best - eps;
}

/// Global price update: distances (in units of ε) from every node to the set of nodes in deficit over
/// residual arcs, by a bucket queue; prices of reached nodes drop by ε·distance. Keeps ε-optimality and points
/// every admissible path toward a deficit.
fn global_update(net: &Network, price: &mut [i64], excess: &[i64], eps: i64) {
    let n = net.nodes();
    const UNREACHED: usize = usize::MAX;
    let mut dist = vec![UNREACHED; n];
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new()];
    for u in 0..n {
        if excess[u] < 0 {
            dist[u] = 0;
            buckets[0].push(u);
        }
    }
    if buckets[0].is_empty() {
        return;
    }
    let mut remaining_excess: i64 = excess.iter().filter(|&&e| e > 0).sum();
    let mut done = vec![false; n];
    let mut level = 0usize;
    // Cap the search: beyond n buckets nothing useful is left.
    while level < buckets.len() && remaining_excess > 0 {
        while let Some(w) = buckets[level].pop() {
            if done[w] || dist[w] != level {
                continue;
            }
            done[w] = true;
            if excess[w] > 0 {
                remaining_excess -= excess[w];
            }
            // Arcs u → w with residual capacity: scan w's arcs and look at their reverses.
            for b in net.first[w]..net.first[w + 1] {
                let a = net.rev[b] as usize; // u → w
                if net.cap[a] <= 0 {
                    continue;
                }
                let u = net.head[b] as usize;
                if done[u] {
                    continue;
                }
                // Reduced cost of u → w, in whole ε (rounded down, at least 0 after the update's shift).
                let rc = net.cost[a] + price[u] - price[w];
                let steps = if rc < 0 { 0 } else { (rc / eps) as usize + 1 };
                let d = level + steps;
                if d < dist[u] && d <= n {
                    dist[u] = d;
                    if buckets.len() <= d {
                        buckets.resize(d + 1, Vec::new());
                    }
                    buckets[d].push(u);
                }
            }
        }
        level += 1;
    }
    // Nodes not reached (or not finished) are raised as far as the last level, which keeps ε-optimality.
    let top = level;
    for u in 0..n {
        let d = if done[u] { dist[u] } else { top };
        price[u] -= eps * d as i64;
    }
}
