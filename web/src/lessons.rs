//! The course (built into the engine: `dynaplay_engine::lesson::course`).

pub use dynaplay_engine::lesson::course::{lesson, COURSE};
