//! Benchmark (not a test): the server's CPU per request of the login and code steps, the local
//! runner on the memory store, read off the serving thread's own CPU clock, so neither the client
//! nor the password threads are counted. Prints the median and the 90th percentile per step.
//! Run: `cargo bench -p blackbox --bench step_cpu`.

use blackbox::{Browser, Page, Service, submit_login, token_login_to_notice};
use std::time::Duration;

/// Citizens each step is measured with (three wrong codes each, before a lockout); the
/// environment's `STEP_CPU_CITIZENS` sets another number (fewer, under a profiler).
fn citizens() -> usize {
    std::env::var("STEP_CPU_CITIZENS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40)
}

/// The CPU clock of the calling thread.
fn this_threads_clock() -> libc::clockid_t {
    let mut clock: libc::clockid_t = 0;
    // SAFETY: pthread_self() is the calling thread, and `clock` is a valid place to write.
    let status = unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) };
    assert_eq!(status, 0, "pthread_getcpuclockid");
    clock
}

/// The CPU time `clock` has counted, in nanoseconds.
fn cpu_ns(clock: libc::clockid_t) -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec to write to.
    let status = unsafe { libc::clock_gettime(clock, &mut now) };
    assert_eq!(status, 0, "clock_gettime");
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}

struct Step {
    name: &'static str,
    samples: Vec<u64>,
}

impl Step {
    fn new(name: &'static str) -> Step {
        Step {
            name,
            samples: Vec::new(),
        }
    }

    fn line(&mut self) -> String {
        self.samples.sort_unstable();
        let at = |q: f64| {
            let i = ((self.samples.len() as f64 - 1.0) * q).round() as usize;
            self.samples[i] as f64 / 1000.0
        };
        format!(
            "{:<44} {:>5} {:>10.1} {:>10.1}",
            self.name,
            self.samples.len(),
            at(0.5),
            at(0.9)
        )
    }
}

/// Measures what the serving thread spends on `request`.
async fn measured<F: std::future::Future<Output = Page>>(
    clock: libc::clockid_t,
    step: &mut Step,
    request: F,
) -> Page {
    // The server answered the last request before this one starts; its thread is idle.
    let before = cpu_ns(clock);
    let page = request.await;
    // A response is written before the handler's task ends: give the thread a moment.
    tokio::time::sleep(Duration::from_millis(2)).await;
    step.samples.push(cpu_ns(clock) - before);
    page
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let harness = keys_core::testing::test_harness(|_| {});
    let (app, outbox) = (harness.app.clone(), harness.outbox.clone());
    let (ready, started) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("the server's runtime");
        runtime.block_on(async move {
            let (listener, base) = blackbox::bind().await;
            ready
                .send((base, this_threads_clock()))
                .expect("hand over the address");
            let router = local::router(app, Some(outbox));
            local::serve(listener, router).await.expect("serve");
        });
    });
    let (base, clock) = started.recv().expect("the server started");
    let service = Service {
        base,
        local: Some(harness),
        emulator: None,
    };

    let mut login_page = Step::new("GET /login (the page)");
    let mut wrong_card = Step::new("POST /login/token, a wrong card code");
    let mut right_card = Step::new("POST /login/token, right card code (+ GET notice)");
    let mut wrong_email = Step::new("POST /activate/email-code, a wrong code");
    let mut right_email = Step::new("POST /activate/email-code, right (+ GET done)");
    let browser = service.browser("en");
    for _ in 0..20 {
        browser.get("/login").await;
    }
    // The floor: a static file, so HTTP, the socket and the common layers, no step at all.
    let mut floor = Step::new("GET /assets/style.css (the floor: HTTP only)");
    for _ in 0..citizens() * 4 {
        let before = cpu_ns(clock);
        let asset = browser.get_raw("/assets/style.css").await;
        assert_eq!(asset.status().as_u16(), 200);
        let _ = asset.bytes().await;
        tokio::time::sleep(Duration::from_millis(2)).await;
        floor.samples.push(cpu_ns(clock) - before);
    }
    for _ in 0..citizens() * 4 {
        measured(clock, &mut login_page, browser.get("/login")).await;
    }
    for _ in 0..citizens() {
        let citizen = service.new_citizen("en").await;
        let browser: Browser = service.browser("en");
        let token = submit_login(&browser, &citizen.username, &citizen.password, "token").await;
        for _ in 0..3 {
            let wrong = measured(
                clock,
                &mut wrong_card,
                browser.act(&token, "submit", &[("code", "999999")]),
            )
            .await;
            assert_eq!(wrong.status, 401, "{}", wrong.json);
        }
        let code = citizen.card_code(&token.json["data"]["challenge_index"]);
        let notice = measured(
            clock,
            &mut right_card,
            browser.act(&token, "submit", &[("code", &code)]),
        )
        .await;
        assert_eq!(notice.step(), "login.token.notice", "{}", notice.json);

        let other = service.browser("en");
        let notice = token_login_to_notice(&other, &citizen).await;
        let step1 = other.act(&notice, "activate", &[]).await;
        let step2 = other.act(&step1, "confirm", &[]).await;
        let step3 = other.act(&step2, "submit", &[("key", "email")]).await;
        for _ in 0..3 {
            let wrong = measured(
                clock,
                &mut wrong_email,
                other.act(&step3, "submit", &[("code", "999999")]),
            )
            .await;
            assert!((400..500).contains(&wrong.status), "{}", wrong.json);
        }
        let code = service.last_mail_to(&citizen.email).await.code();
        let done = measured(
            clock,
            &mut right_email,
            other.act(&step3, "submit", &[("code", &code)]),
        )
        .await;
        assert_eq!(done.step(), "activate.done", "{}", done.json);
    }
    println!(
        "server CPU per request (the serving thread's clock; memory store; {} cores; {} profile)",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "{:<44} {:>5} {:>10} {:>10}",
        "step", "n", "median µs", "p90 µs"
    );
    for step in [
        &mut floor,
        &mut login_page,
        &mut wrong_card,
        &mut right_card,
        &mut wrong_email,
        &mut right_email,
    ] {
        println!("{}", step.line());
    }
}
