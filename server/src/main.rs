//! The `fieldwork` binary: everything lives in the library; this only hands over to the CLI.

/// mimalloc, built without transparent huge pages and told to purge freed memory at once, returns what a burst
/// of photo decoding or password hashing used to the operating system (glibc's allocator kept gigabytes; see
/// docs/benchmarks.md for the measurements behind both settings).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (the Rust bindings do not name it yet).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // SAFETY: setting an option is allowed at any time; purging is read on every free.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    fieldwork::cli::main()
}
