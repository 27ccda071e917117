//! The course: the lessons in `static/lessons/`, built in, in order. The page lists them
//! at `#/lessons`; a workshop names them by slug; `cargo test` proves each one (the CLI's
//! `dynaplay lesson check` on the whole folder), and the e2e tests check that every file
//! there is listed here.

use super::Lesson;

pub const COURSE: &[(&str, &str)] = &[
    ("01-tables-and-keys", include_str!("../../../static/lessons/01-tables-and-keys.json")),
    ("02-conditional-writes", include_str!("../../../static/lessons/02-conditional-writes.json")),
    ("03-query-vs-scan", include_str!("../../../static/lessons/03-query-vs-scan.json")),
    ("04-atomic-counters", include_str!("../../../static/lessons/04-atomic-counters.json")),
    ("05-batches-and-transactions", include_str!("../../../static/lessons/05-batches-and-transactions.json")),
    ("06-secondary-indexes", include_str!("../../../static/lessons/06-secondary-indexes.json")),
    ("07-sort-key-order", include_str!("../../../static/lessons/07-sort-key-order.json")),
    ("08-put-vs-update", include_str!("../../../static/lessons/08-put-vs-update.json")),
    ("09-time-to-live", include_str!("../../../static/lessons/09-time-to-live.json")),
    ("10-streams", include_str!("../../../static/lessons/10-streams.json")),
    ("11-iam-per-user-rows", include_str!("../../../static/lessons/11-iam-per-user-rows.json")),
    ("12-partiql", include_str!("../../../static/lessons/12-partiql.json")),
    ("13-partitions-and-hot-keys", include_str!("../../../static/lessons/13-partitions-and-hot-keys.json")),
    ("14-parallel-scan", include_str!("../../../static/lessons/14-parallel-scan.json")),
    ("15-eventual-consistency", include_str!("../../../static/lessons/15-eventual-consistency.json")),
    ("16-throttling", include_str!("../../../static/lessons/16-throttling.json")),
    ("17-backups-and-restore", include_str!("../../../static/lessons/17-backups-and-restore.json")),
    ("18-global-tables", include_str!("../../../static/lessons/18-global-tables.json")),
    ("19-relational-mirror", include_str!("../../../static/lessons/19-relational-mirror.json")),
    ("20-export-to-s3", include_str!("../../../static/lessons/20-export-to-s3.json")),
];

/// A built-in lesson by its slug.
pub fn lesson(slug: &str) -> Option<Lesson> {
    COURSE.iter().find(|(s, _)| *s == slug).and_then(|(_, text)| Lesson::parse(text).ok())
}

#[cfg(test)]
mod tests {
    /// Lessons that use the relational mirror are proven by the CLI's tests, where the
    /// SQL engine is linked in (`dynaplay lesson check` on the whole folder).
    #[test]
    fn every_lesson_of_the_course_reads_and_proves_itself() {
        for (slug, text) in super::COURSE {
            let lesson = super::Lesson::parse(text).unwrap_or_else(|e| panic!("{slug}: {}", e.0));
            let sql = lesson.steps.iter().flat_map(|s| &s.solution).any(|r| r.operation == "ExecuteSql");
            assert!(sql || super::super::verify(&lesson).ok(), "{slug}");
        }
    }
}
