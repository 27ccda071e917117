//! The two measures admission keeps: a token bucket (provisioned capacity with its burst
//! pool) and a one-second window (per-partition ceilings and on-demand limits).

/// Seconds of unused provisioned capacity a bucket keeps: AWS's burst capacity.
pub const BURST_S: f64 = 300.0;

/// Units banked for a provisioned table or index, refilled at its provisioned rate on the
/// engine clock. The balance may go below zero: a request admitted while it was positive
/// takes its units whole, and the debt is repaid by the refill.
#[derive(Clone, Debug, PartialEq)]
pub struct Bucket {
    pub balance: f64,
    pub at_ms: u64,
}

impl Bucket {
    /// A bucket holding its whole burst pool: what a new table starts with here.
    pub fn full(rate: f64, now_ms: u64) -> Bucket {
        Bucket { balance: rate * BURST_S, at_ms: now_ms }
    }

    /// Adds what `rate` units per second earned since the last refill, up to the burst pool.
    pub fn refill(&mut self, rate: f64, now_ms: u64) {
        let elapsed = now_ms.saturating_sub(self.at_ms) as f64 / 1000.0;
        let cap = rate * BURST_S;
        if self.balance < cap {
            self.balance = (self.balance + rate * elapsed).min(cap);
        } else {
            // Capacity lowered: the pool shrinks with it.
            self.balance = cap;
        }
        self.at_ms = self.at_ms.max(now_ms);
    }
}

/// Units consumed in one engine-clock second.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Window {
    pub second: u64,
    pub units: f64,
}

impl Window {
    /// Units used so far in the second of `now_ms`.
    pub fn used(&self, now_ms: u64) -> f64 {
        if self.second == now_ms / 1000 {
            self.units
        } else {
            0.0
        }
    }

    /// Adds units to the second of `now_ms`; returns the units of the second it closed,
    /// if this starts a new one.
    pub fn add(&mut self, now_ms: u64, units: f64) -> Option<f64> {
        let second = now_ms / 1000;
        if self.second == second {
            self.units += units;
            return None;
        }
        let closed = std::mem::replace(self, Window { second, units });
        Some(closed.units)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_refills_at_its_rate_up_to_five_minutes_of_capacity() {
        let mut b = Bucket::full(1.0, 0);
        assert_eq!(b.balance, 300.0);
        b.balance = -2.0;
        b.refill(1.0, 3_000);
        assert_eq!(b.balance, 1.0);
        b.refill(1.0, 10_000_000);
        assert_eq!(b.balance, 300.0);
        b.refill(0.5, 10_000_000);
        assert_eq!(b.balance, 150.0);
    }

    #[test]
    fn a_window_counts_one_second() {
        let mut w = Window::default();
        assert_eq!(w.add(1_500, 2.0), Some(0.0));
        assert_eq!(w.add(1_900, 1.0), None);
        assert_eq!(w.used(1_999), 3.0);
        assert_eq!(w.used(2_000), 0.0);
        assert_eq!(w.add(2_000, 1.0), Some(3.0));
    }
}
