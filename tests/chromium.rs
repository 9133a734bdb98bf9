//! Headless Chromium for the browser tests (Debian's chromium and chromium-driver): a driver
//! stopped when dropped, a session at a desktop's or a phone's width, and axe-core's source.
//! When the browser cannot start, the tests fail loudly; they never skip.

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the person moves through the pages.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Mouse clicks, at a desktop window's width.
    Mouse,
    /// The keyboard alone (Tab, arrows, Space, Enter), at a phone's width.
    Keyboard,
}

/// chromedriver, stopped when dropped.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub fn cannot_run(why: String) -> ! {
    panic!(
        "BROWSER TESTS CANNOT RUN: {why}. tests/run.sh installs Debian's chromium and chromium-driver \
         and axe-core (npm); run it, or install them."
    )
}

/// Starts chromedriver and a headless Chromium session with the window size of `mode`.
pub async fn start_browser(mode: Mode) -> (Driver, Client) {
    let driver_path =
        std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let browser_path = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let port = free_port();
    let child = Command::new(&driver_path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| cannot_run(format!("{driver_path} does not start: {e}")));
    let driver = Driver(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(20) {
            cannot_run(format!("{driver_path} did not listen on port {port}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = std::env::temp_dir().join(format!("dk-chromium-{port}"));
    let (width, height) = match mode {
        Mode::Mouse => (1280, 900),
        Mode::Keyboard => (390, 844),
    };
    let mut caps = serde_json::Map::new();
    let mut options = json!({
            "binary": browser_path,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.display()),
            ]
    });
    if mode == Mode::Keyboard {
        // A phone's viewport: headless windows do not get narrower than 500 px otherwise.
        options["mobileEmulation"] =
            json!({ "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0 } });
    }
    caps.insert("goog:chromeOptions".into(), options);
    // The console's messages (CSP violations among them), read by `browser_console`.
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    // Both of rustls's crypto providers are in the build (the AWS SDK and reqwest each bring one);
    // the WebDriver client needs one chosen.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = ClientBuilder::rustls()
        .unwrap_or_else(|e| cannot_run(format!("TLS setup: {e}")))
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| cannot_run(format!("{browser_path} does not start: {e}")));
    (driver, client)
}

pub fn axe_source() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("e2e/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| cannot_run(format!("axe-core is missing at {}: {e}", path.display())))
}
