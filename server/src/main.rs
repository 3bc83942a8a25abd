//! The `fieldwork` binary: everything lives in the library; this only hands over to the CLI.

/// mimalloc returns freed memory to the operating system (glibc's allocator keeps the 19 MiB blocks of
/// password hashing and the buffers of photo decoding long after a burst; see docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    fieldwork::cli::main()
}
