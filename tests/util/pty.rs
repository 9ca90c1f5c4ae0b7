//! telev on a real terminal: a pty of the test's own (no script(1)), with what the terminal
//! shows read back through a terminal emulator (vt100).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{Winsize, tcsetwinsize};

pub struct Pty {
    child: Child,
    keys: File,
    shown: Arc<Mutex<Vec<u8>>>,
    /// Reads what the child writes until its terminal is gone; joined once it has exited,
    /// so that everything it wrote is in `shown`.
    reader: Option<std::thread::JoinHandle<()>>,
    size: (u16, u16),
}

impl Pty {
    /// Runs `command` with a new pty of `cols` × `rows` as its controlling terminal and its
    /// stdin, stdout and stderr.
    pub fn spawn(mut command: Command, cols: u16, rows: u16) -> Pty {
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pty");
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let size = Winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        tcsetwinsize(&master, size).unwrap();
        let terminal = File::options()
            .read(true)
            .write(true)
            .open(name.to_str().unwrap())
            .unwrap();
        let fd = |f: &File| Stdio::from(OwnedFd::from(f.try_clone().unwrap()));
        command
            .stdin(fd(&terminal))
            .stdout(fd(&terminal))
            .stderr(fd(&terminal));
        // A session of its own with the pty as its terminal, so a typed ^C reaches it as SIGINT.
        unsafe {
            command.pre_exec(|| {
                rustix::process::setsid()?;
                rustix::process::ioctl_tiocsctty(std::io::stdin().as_fd())?;
                Ok(())
            });
        }
        let child = command.spawn().expect("telev starts on the pty");
        drop(terminal);
        let master = File::from(master);
        let mut output = master.try_clone().unwrap();
        let shown = Arc::new(Mutex::new(Vec::new()));
        let reading = shown.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0; 4096];
            // Reading fails (EIO) once the child and its terminal are gone.
            while let Ok(n @ 1..) = output.read(&mut buf) {
                reading.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            child,
            keys: master,
            shown,
            reader: Some(reader),
            size: (cols, rows),
        }
    }

    pub fn type_keys(&mut self, keys: &[u8]) {
        self.keys.write_all(keys).unwrap();
    }

    /// Waits until the terminal has been sent `text` (20 s at most).
    pub fn until_shown(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !String::from_utf8_lossy(&self.shown.lock().unwrap()).contains(text) {
            assert!(
                Instant::now() < deadline,
                "never showed {text:?}: {}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Every byte written to the terminal so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.shown.lock().unwrap().clone()
    }

    /// What the terminal shows now, as a terminal emulator draws it.
    pub fn screen(&self) -> String {
        let size = |n| std::num::NonZeroU16::new(n).expect("not zero");
        let (cols, rows) = self.size;
        let mut screen = vt100::Parser::new(size(rows), size(cols), 0);
        screen.process(&self.bytes());
        screen.screen().contents()
    }

    /// What the output asked the terminal to do besides showing text: set its title, write
    /// the clipboard, ring the bell.
    pub fn acts(&self) -> Acts {
        let size = |n| std::num::NonZeroU16::new(n).expect("not zero");
        let (cols, rows) = self.size;
        let mut terminal =
            vt100::Parser::new_with_callbacks(size(rows), size(cols), 0, Acts::default());
        terminal.process(&self.bytes());
        terminal.callbacks().clone()
    }

    /// Waits for telev to end (10 s at most, then kills it) and for all it wrote to be read.
    pub fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                self.child.kill().unwrap();
                break self.child.wait().unwrap();
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        // The child is gone, but what it wrote last may still be on its way to `shown`.
        if let Some(reader) = self.reader.take() {
            reader
                .join()
                .expect("the pty's reader ends with its terminal");
        }
        status
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Acts {
    pub titles: Vec<Vec<u8>>,
    pub clipboard: Vec<Vec<u8>>,
    pub bells: usize,
}

impl vt100::Callbacks for Acts {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }

    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }

    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}
