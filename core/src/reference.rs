//! Image references: `[registry/]repository[:tag][@digest]` (SPEC section 7).
