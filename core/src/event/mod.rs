//! The safe layer: `Event`, `Cancellation`, `Submission` (needs `alloc`).
