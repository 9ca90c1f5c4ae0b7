// Events are many small allocations freed on another thread (decoded on one, printed on the
// other); mimalloc handles that pattern markedly faster than the system allocator. Without
// transparent huge pages (`no_thp`): each thread's partly used 2 MiB pages tripled the
// resident memory of `telev filter`'s workers for a few percent of speed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    telev::main()
}
