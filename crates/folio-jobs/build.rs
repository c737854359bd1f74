//! `sqlx::migrate!` embeds the migration files, but stable rustc cannot track a directory from a
//! proc macro: rebuild when a migration is added or changed.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
