// Events are many small allocations freed on another thread (decoded on one, printed on the
// other); mimalloc handles that pattern markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    telev::main()
}
