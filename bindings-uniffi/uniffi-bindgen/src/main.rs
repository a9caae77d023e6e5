//! `uniffi-bindgen`: generates the Kotlin and Swift sources of
//! `tranship-uniffi` from its built library (`generate --library`).

fn main() {
    uniffi::uniffi_bindgen_main()
}
