//! The corpus pages the bench binaries read (`main.rs`, `bin/eval.rs`, `bin/outputs.rs`): one
//! directory per page under `corpus/<name>/`, holding `source.html`.

use std::path::{Path, PathBuf};

/// The page directories of the corpus at `dir` (those with a `source.html`), sorted by id.
pub fn page_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("corpus {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("source.html").exists())
        .collect();
    pages.sort();
    pages
}

/// A page directory's id (its name).
pub fn page_id(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The URL a page is extracted under (its base for relative links), the same in every binary.
pub fn page_url(id: &str) -> String {
    format!("http://127.0.0.1/{id}/")
}
