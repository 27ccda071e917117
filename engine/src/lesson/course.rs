//! The course: the lessons in `static/lessons/`, built in, in order. The page lists them
//! at `#/lessons`; a workshop names them by slug; `cargo test` proves each one (the CLI's
//! `dynaplay lesson check` on the whole folder), and the e2e tests check that every file
//! there is listed here.

use super::Lesson;

/// A lesson of the course as its list shows it, before the lesson itself is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listed {
    pub slug: &'static str,
    pub title: &'static str,
    pub steps: usize,
}

/// The course's lessons, listed: [`COURSE`] without the lessons' text, so a build that
/// fetches the lessons when they are opened (the page's) can still list them at start. A
/// test holds it to the files.
pub const INDEX: &[Listed] = &[
    Listed { slug: "01-tables-and-keys", title: "Tables and keys", steps: 4 },
    Listed { slug: "02-conditional-writes", title: "Conditional writes and optimistic locking", steps: 3 },
    Listed { slug: "03-query-vs-scan", title: "Query versus Scan, and what they cost", steps: 3 },
    Listed { slug: "04-atomic-counters", title: "Atomic counters", steps: 2 },
    Listed { slug: "05-batches-and-transactions", title: "Batches versus transactions", steps: 3 },
    Listed { slug: "06-secondary-indexes", title: "Secondary indexes", steps: 3 },
    Listed { slug: "07-sort-key-order", title: "Sort-key order and key prefixes", steps: 2 },
    Listed { slug: "08-put-vs-update", title: "PutItem versus UpdateItem", steps: 2 },
    Listed { slug: "09-time-to-live", title: "Time to Live", steps: 2 },
    Listed { slug: "10-streams", title: "Streams: every change, in order", steps: 2 },
    Listed { slug: "11-iam-per-user-rows", title: "IAM: each user to their own rows", steps: 4 },
    Listed { slug: "12-partiql", title: "PartiQL: SQL-like, but still DynamoDB", steps: 2 },
    Listed { slug: "13-partitions-and-hot-keys", title: "Partitions and hot keys", steps: 2 },
    Listed { slug: "14-parallel-scan", title: "Parallel scan", steps: 3 },
    Listed { slug: "15-eventual-consistency", title: "Eventually consistent reads", steps: 3 },
    Listed { slug: "16-throttling", title: "Throttling and retries", steps: 2 },
    Listed { slug: "17-backups-and-restore", title: "Backups and point-in-time recovery", steps: 4 },
    Listed { slug: "18-global-tables", title: "Global tables", steps: 4 },
    Listed { slug: "19-relational-mirror", title: "A stream trigger keeps SQL in sync", steps: 3 },
    Listed { slug: "20-export-to-s3", title: "Export a table to S3", steps: 3 },
];

/// Each lesson's slug and text (its file), in the course's order.
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

    #[test]
    fn the_index_lists_the_course() {
        let listed: Vec<_> = super::COURSE
            .iter()
            .map(|(slug, _)| {
                let lesson = super::lesson(slug).unwrap();
                super::Listed { slug, title: lesson.title.leak(), steps: lesson.steps.len() }
            })
            .collect();
        assert_eq!(listed, super::INDEX);
    }
}
