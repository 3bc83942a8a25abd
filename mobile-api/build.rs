//! The typed client is generated from `schema.graphql` and `operations/*.graphql` at compile time; rebuild
//! when either changes (the derive macro reads them, which cargo cannot see).

fn main() {
    println!("cargo:rerun-if-changed=../schema.graphql");
    println!("cargo:rerun-if-changed=operations");
}
