//! The `accord` command line; see `accord::cli`.

// A run allocates and frees small buffers for every exchange it records and judges, on every
// worker thread; mimalloc's per-thread heaps keep that cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    accord::cli::main()
}
