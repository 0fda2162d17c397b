//! Stage 2, the semantic model: typed goals per file (`build`), and the
//! workspace that resolves references across every file read (`resolve`).

pub mod build;
pub mod goals;
pub mod meaning;
pub mod period;
pub mod quantity;
pub mod resolve;
