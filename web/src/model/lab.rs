//! The contention lab's form: the text a learner typed, as the engine's lab settings.

use dynaplay_engine::lab::LabSettings;

#[derive(Clone, Debug, PartialEq)]
pub struct LabForm {
    pub clients: String,
    pub increments: String,
    pub latency_ms: String,
    pub transaction_ms: String,
    /// Blank: on demand.
    pub write_units: String,
    pub seed: String,
}

impl Default for LabForm {
    fn default() -> LabForm {
        let s = LabSettings::default();
        LabForm {
            clients: s.clients.to_string(),
            increments: s.increments.to_string(),
            latency_ms: s.latency_ms.to_string(),
            transaction_ms: s.transaction_ms.to_string(),
            write_units: String::new(),
            seed: s.seed.to_string(),
        }
    }
}

impl LabForm {
    /// The settings, checked against the lab's bounds.
    pub fn settings(&self) -> Result<LabSettings, String> {
        fn whole<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, String> {
            text.trim().parse().map_err(|_| format!("{what} must be a whole number."))
        }
        let write_units = match self.write_units.trim() {
            "" => None,
            t => Some(whole(t, "Write capacity units")?),
        };
        let s = LabSettings {
            clients: whole(&self.clients, "Clients")?,
            increments: whole(&self.increments, "Increments per client")?,
            latency_ms: whole(&self.latency_ms, "Latency (ms)")?,
            transaction_ms: whole(&self.transaction_ms, "Transaction time (ms)")?,
            write_units,
            seed: whole(&self.seed, "Seed")?,
        };
        s.check()?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_whole_numbers_within_bounds() {
        assert_eq!(LabForm::default().settings(), Ok(LabSettings::default()));
        let provisioned = LabForm { write_units: " 5 ".into(), ..LabForm::default() };
        assert_eq!(provisioned.settings().unwrap().write_units, Some(5));
        let bad = LabForm { clients: "many".into(), ..LabForm::default() };
        assert_eq!(bad.settings(), Err("Clients must be a whole number.".into()));
        let big = LabForm { clients: "21".into(), ..LabForm::default() };
        assert_eq!(big.settings(), Err("Clients must be from 1 to 20.".into()));
    }
}
