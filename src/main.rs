fn main() -> std::process::ExitCode {
    telev::main()
}
