//! Manifests of every generation, parsed from their exact bytes.
