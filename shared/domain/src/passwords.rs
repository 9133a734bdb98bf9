//! Password hashing and verification on a bounded pool of argon2id threads that reuse their memory.
//!
//! Argon2id needs its whole memory cost as working memory: 19 MiB with the parameters of
//! shared/ARCHITECTURE.md §6. Allocated per call on whichever blocking thread runs it, that memory stays
//! with the thread's allocator arena, and a runner with hundreds of blocking threads grew past
//! 1.5 GB. Here a fixed number of long-lived threads (`PASSWORD_WORKERS`, default the number of
//! cores) each own one working memory, reused from job to job.
//!
//! The bound: at most `workers` computations run at once, each in its worker's memory (19 MiB
//! with the current parameters; a stored hash with a larger `m`, up to [`MAX_MEMORY_KIB`], grows
//! its worker's memory for that one job only), and at most `QUEUE_PER_WORKER × workers` jobs (a
//! password and a PHC string each) wait in the queue. Further callers wait in their own tasks,
//! first come first served, until the queue has room.

use crate::crypto::{self, PasswordHashError};
use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::{RngCore, rngs::OsRng};
use std::sync::{Arc, Mutex, OnceLock};
use subtle::ConstantTimeEq;
use tokio::sync::{mpsc, oneshot};
use zeroize::{Zeroize, Zeroizing};

/// The setting (environment variable) that overrides the process-wide pool's number of workers.
pub const WORKERS_SETTING: &str = "PASSWORD_WORKERS";
/// Jobs that may wait in the queue per worker; more callers wait in their own tasks.
pub const QUEUE_PER_WORKER: usize = 16;
/// The largest memory cost (KiB) a stored hash may ask for; larger never verifies.
pub const MAX_MEMORY_KIB: u32 = 64 * 1024;
/// The most workers a pool starts.
pub const MAX_WORKERS: usize = 256;

enum Task {
    Hash(oneshot::Sender<Result<String, PasswordHashError>>),
    Verify {
        phc: String,
        reply: oneshot::Sender<bool>,
    },
}

struct Job {
    password: Zeroizing<String>,
    task: Task,
}

/// A bounded pool of argon2id worker threads, each with its own reusable working memory.
///
/// Dropping the pool ends its threads once the queued jobs are done.
pub struct PasswordPool {
    jobs: mpsc::Sender<Job>,
    workers: usize,
}

impl PasswordPool {
    /// Starts `workers` threads (at least 1, at most [`MAX_WORKERS`]). Their working memory is
    /// taken at each thread's first job, not before.
    pub fn new(workers: usize) -> PasswordPool {
        let wanted = workers.clamp(1, MAX_WORKERS);
        let (jobs, queue) = mpsc::channel(wanted * QUEUE_PER_WORKER);
        let queue = Arc::new(Mutex::new(queue));
        let mut started = 0;
        for n in 0..wanted {
            let queue = queue.clone();
            match std::thread::Builder::new()
                .name(format!("argon2id-{n}"))
                .spawn(move || work(&queue))
            {
                Ok(_) => started += 1,
                Err(err) => tracing::error!(error = %err, "cannot start a password thread"),
            }
        }
        // With no thread started the queue's receiver is gone: every job fails at once.
        PasswordPool {
            jobs,
            workers: started,
        }
    }

    /// The number of worker threads running.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Hashes a password to a PHC string (argon2id, the design's parameters, a fresh salt).
    pub async fn hash(&self, password: String) -> Result<String, PasswordHashError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            password: Zeroizing::new(password),
            task: Task::Hash(reply),
        };
        self.jobs.send(job).await.map_err(|_| PasswordHashError)?;
        answer.await.map_err(|_| PasswordHashError)?
    }

    /// Whether `password` matches the PHC string `phc` (any argon2 variant and parameters up to
    /// [`MAX_MEMORY_KIB`]); a malformed one never matches.
    pub async fn verify(&self, password: String, phc: String) -> bool {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            password: Zeroizing::new(password),
            task: Task::Verify { phc, reply },
        };
        if self.jobs.send(job).await.is_err() {
            return false;
        }
        answer.await.unwrap_or(false)
    }

    /// Spends a verification's time (the current parameters) for a username that does not exist.
    pub async fn verify_of_nobody(&self, password: String) {
        match nobody_phc() {
            Some(phc) => {
                let _ = self.verify(password, phc.to_string()).await;
            }
            None => {
                let _ = self.hash(password).await;
            }
        }
    }
}

/// The process-wide pool: `PASSWORD_WORKERS` threads, else one per available core.
pub fn pool() -> &'static PasswordPool {
    static POOL: OnceLock<PasswordPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let pool = PasswordPool::new(workers_from(std::env::var(WORKERS_SETTING).ok()));
        tracing::info!(workers = pool.workers(), "argon2id pool started");
        pool
    })
}

/// Hashes a password on the process-wide pool.
pub async fn hash(password: String) -> Result<String, PasswordHashError> {
    pool().hash(password).await
}

/// Verifies a password against a PHC string on the process-wide pool.
pub async fn verify(password: String, phc: String) -> bool {
    pool().verify(password, phc).await
}

/// Spends a verification's time on the process-wide pool, for usernames that do not exist.
pub async fn verify_of_nobody(password: String) {
    pool().verify_of_nobody(password).await
}

/// The number of workers a setting asks for; the available cores if unset or not a number from
/// 1 to [`MAX_WORKERS`].
fn workers_from(setting: Option<String>) -> usize {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    match setting.as_deref().map(str::trim) {
        None | Some("") => cores,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=MAX_WORKERS).contains(&n) => n,
            _ => {
                tracing::warn!(
                    setting = WORKERS_SETTING,
                    value = text,
                    cores,
                    "not a number of workers from 1 to 256; using one per core"
                );
                cores
            }
        },
    }
}

/// A worker: takes jobs until the pool is gone, computing each in its own reused memory.
fn work(queue: &Mutex<mpsc::Receiver<Job>>) {
    let mut memory = Memory::default();
    loop {
        // One idle worker waits on the queue while holding the lock; the others wait for the lock.
        let job = match queue.lock() {
            Ok(mut queue) => queue.blocking_recv(),
            Err(poisoned) => poisoned.into_inner().blocking_recv(),
        };
        let Some(job) = job else { return };
        let password = job.password.as_bytes();
        match job.task {
            // A caller that stopped waiting (its request was cancelled) costs nothing more.
            Task::Hash(reply) if !reply.is_closed() => {
                let _ = reply.send(memory.hash(password));
            }
            Task::Verify { phc, reply } if !reply.is_closed() => {
                let _ = reply.send(memory.verify(password, &phc));
            }
            _ => {}
        }
    }
}

/// A worker's argon2 working memory: sized for the current parameters, grown for one job when a
/// stored hash needs more.
#[derive(Default)]
struct Memory {
    blocks: Vec<Block>,
}

impl Memory {
    /// Runs argon2 into `out` in this memory, then wipes the part it used.
    fn compute(
        &mut self,
        argon2: &Argon2<'_>,
        block_count: usize,
        password: &[u8],
        salt: &[u8],
        out: &mut [u8],
    ) -> Result<(), argon2::Error> {
        if self.blocks.len() < block_count {
            self.blocks.resize(block_count, Block::default());
        }
        let used = &mut self.blocks[..block_count];
        let result = argon2.hash_password_into_with_memory(password, salt, out, &mut *used);
        for block in used.iter_mut() {
            block.as_mut().zeroize();
        }
        let usual = crypto::password_params().block_count();
        if self.blocks.len() > usual {
            self.blocks.truncate(usual);
            self.blocks.shrink_to_fit();
        }
        result
    }

    /// A PHC string for `password` with the current parameters and a fresh salt, in the same
    /// format as [`crypto::hash_password`].
    fn hash(&mut self, password: &[u8]) -> Result<String, PasswordHashError> {
        let params = crypto::password_params();
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let length = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let mut out = Zeroizing::new([0u8; Output::MAX_LENGTH]);
        let out = out.get_mut(..length).ok_or(PasswordHashError)?;
        self.compute(&argon2, params.block_count(), password, &salt, out)
            .map_err(|_| PasswordHashError)?;
        phc_string(&params, &salt, out)
    }

    /// Whether `password` matches `phc`, recomputed with the stored algorithm, version,
    /// parameters and salt and compared in constant time.
    fn verify(&mut self, password: &[u8], phc: &str) -> bool {
        let Some(stored) = Stored::parse(phc) else {
            tracing::warn!(
                "a stored password hash is not an argon2 PHC string this service checks"
            );
            return false;
        };
        let mut salt = [0u8; 64];
        let Ok(salt) = stored.salt.decode_b64(&mut salt) else {
            return false;
        };
        let expected = stored.output.as_bytes();
        let mut out = Zeroizing::new([0u8; Output::MAX_LENGTH]);
        let Some(out) = out.get_mut(..expected.len()) else {
            return false;
        };
        if self
            .compute(&stored.argon2, stored.block_count, password, salt, out)
            .is_err()
        {
            return false;
        }
        out.ct_eq(expected).into()
    }
}

/// What a stored PHC string says: the argon2 instance (algorithm, version, parameters), its
/// number of memory blocks, the salt and the expected output.
struct Stored<'a> {
    argon2: Argon2<'static>,
    block_count: usize,
    salt: Salt<'a>,
    output: Output,
}

impl<'a> Stored<'a> {
    /// `None` unless `phc` is an argon2 PHC string with a salt and an output, parsed by the
    /// password-hash crate, asking for at most [`MAX_MEMORY_KIB`].
    fn parse(phc: &'a str) -> Option<Stored<'a>> {
        let hash = PasswordHash::new(phc).ok()?;
        let algorithm = Algorithm::try_from(hash.algorithm).ok()?;
        let version = match hash.version {
            Some(version) => Version::try_from(version).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&hash).ok()?;
        if params.m_cost() > MAX_MEMORY_KIB {
            return None;
        }
        Some(Stored {
            block_count: params.block_count(),
            argon2: Argon2::new(algorithm, version, params),
            salt: hash.salt?,
            output: hash.hash?,
        })
    }
}

/// `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, as the password-hash crate writes it.
fn phc_string(params: &Params, salt: &[u8], out: &[u8]) -> Result<String, PasswordHashError> {
    let salt = SaltString::encode_b64(salt).map_err(|_| PasswordHashError)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(|_| PasswordHashError)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(out).map_err(|_| PasswordHashError)?),
    };
    Ok(hash.to_string())
}

/// A PHC string with the current parameters that no password matches (random salt and output):
/// checking it costs what checking a citizen's password costs.
fn nobody_phc() -> Option<&'static str> {
    static NOBODY: OnceLock<Option<String>> = OnceLock::new();
    NOBODY
        .get_or_init(|| {
            let (mut salt, mut out) = ([0u8; 16], [0u8; Params::DEFAULT_OUTPUT_LEN]);
            OsRng.fill_bytes(&mut salt);
            OsRng.fill_bytes(&mut out);
            phc_string(&crypto::password_params(), &salt, &out).ok()
        })
        .as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{PasswordHasher, PasswordVerifier};

    fn stock_verifies(password: &str, phc: &str) -> bool {
        let parsed = PasswordHash::new(phc).expect("a PHC string");
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    }

    #[tokio::test]
    async fn a_hash_round_trips_on_the_pool_and_verifies_with_stock_argon2() {
        let pool = PasswordPool::new(1);
        // The same worker, its memory dirty from the job before, for every job below.
        let phc = pool.hash("correct horse".into()).await.expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(pool.verify("correct horse".into(), phc.clone()).await);
        assert!(!pool.verify("Correct horse".into(), phc.clone()).await);
        assert!(stock_verifies("correct horse", &phc));
        assert!(!stock_verifies("correct horsf", &phc));
        let other = pool.hash("correct horse".into()).await.expect("hash");
        assert_ne!(phc, other, "a fresh salt each time");
        assert_eq!(phc.len(), other.len());
    }

    #[tokio::test]
    async fn stock_argon2_hashes_verify_on_the_pool_whatever_their_parameters() {
        let pool = PasswordPool::new(1);
        let current = crypto::hash_password("battery staple").expect("stock hash");
        assert!(pool.verify("battery staple".into(), current.clone()).await);
        assert!(!pool.verify("battery stapler".into(), current).await);
        // Smaller and larger memory than today's, another variant and version, a longer output.
        for (algorithm, version, params) in [
            (
                Algorithm::Argon2id,
                Version::V0x13,
                Params::new(4096, 3, 1, None),
            ),
            (
                Algorithm::Argon2id,
                Version::V0x13,
                Params::new(24 * 1024, 1, 2, Some(64)),
            ),
            (
                Algorithm::Argon2i,
                Version::V0x10,
                Params::new(1024, 2, 1, Some(16)),
            ),
        ] {
            let argon2 = Argon2::new(algorithm, version, params.expect("params"));
            let salt = SaltString::generate(&mut OsRng);
            let phc = argon2
                .hash_password(b"battery staple", &salt)
                .expect("stock hash")
                .to_string();
            assert!(
                pool.verify("battery staple".into(), phc.clone()).await,
                "{phc}"
            );
            assert!(
                !pool.verify("battery stapl".into(), phc.clone()).await,
                "{phc}"
            );
        }
        // The memory a larger stored `m` took is given back after its job.
        let usual = crypto::password_params().block_count();
        let mut memory = Memory::default();
        let big = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(24 * 1024, 1, 1, None).expect("params"),
        )
        .hash_password(b"x-password", &SaltString::generate(&mut OsRng))
        .expect("stock hash")
        .to_string();
        assert!(memory.verify(b"x-password", &big));
        assert_eq!(memory.blocks.len(), usual);
        assert!(
            memory
                .blocks
                .iter()
                .all(|b| b.as_ref().iter().all(|w| *w == 0))
        );
    }

    #[tokio::test]
    async fn malformed_or_unacceptable_stored_hashes_never_match() {
        let pool = PasswordPool::new(1);
        let good = pool.hash("password one".into()).await.expect("hash");
        // Not hashed (that would take the memory refused): the parameters alone refuse it.
        let too_big = good.replace("m=19456", &format!("m={}", MAX_MEMORY_KIB + 8));
        for phc in [
            "",
            "garbage",
            "$argon2id$v=19$m=19456,t=2,p=1$",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ",
            "$argon2id$v=19$m=19456,t=2,p=1$%%%%$%%%%",
            "$argon2id$v=99$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
            "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$argon2id$v=19$m=19456,t=2,p=1,x=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
            &good[..good.len() - 3],
            &too_big,
        ] {
            assert!(
                !pool.verify("password one".into(), phc.to_string()).await,
                "{phc}"
            );
        }
        assert!(pool.verify("password one".into(), good).await);
        // The nobody check has today's parameters and matches nothing.
        let nobody = nobody_phc().expect("nobody's hash");
        assert!(
            nobody.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{nobody}"
        );
        assert!(!pool.verify("password one".into(), nobody.to_string()).await);
        pool.verify_of_nobody("password one".into()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sixty_four_concurrent_verifications_on_two_workers_are_all_right() {
        let pool = Arc::new(PasswordPool::new(2));
        assert_eq!(pool.workers(), 2);
        let mut stored = Vec::new();
        for n in 0..4 {
            let password = format!("password number {n}");
            let phc = pool.hash(password.clone()).await.expect("hash");
            stored.push((password, phc));
        }
        let stored = Arc::new(stored);
        let mut checks = tokio::task::JoinSet::new();
        for i in 0..64 {
            let (pool, stored) = (pool.clone(), stored.clone());
            checks.spawn(async move {
                let (password, _) = &stored[i % 4];
                // Every third check is against another citizen's hash.
                let phc = &stored[if i % 3 == 0 { (i + 1) % 4 } else { i % 4 }].1;
                let expected = i % 3 != 0;
                let matched = pool.verify(password.clone(), phc.clone()).await;
                (i, expected, matched)
            });
        }
        let mut seen = 0;
        while let Some(done) = checks.join_next().await {
            let (i, expected, matched) = done.expect("check");
            assert_eq!(matched, expected, "check {i}");
            seen += 1;
        }
        assert_eq!(seen, 64);
    }

    #[tokio::test]
    async fn the_process_wide_pool_serves_the_module_functions() {
        let phc = hash("module password".into()).await.expect("hash");
        assert!(verify("module password".into(), phc.clone()).await);
        assert!(!verify("module passwort".into(), phc).await);
        verify_of_nobody("module password".into()).await;
        assert!(pool().workers() >= 1);
    }

    #[test]
    fn the_workers_setting_falls_back_to_the_cores() {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        assert_eq!(workers_from(None), cores);
        assert_eq!(workers_from(Some(" 3 ".into())), 3);
        assert_eq!(workers_from(Some("0".into())), cores);
        assert_eq!(workers_from(Some("many".into())), cores);
        assert_eq!(workers_from(Some("100000".into())), cores);
    }

    #[tokio::test]
    async fn a_pool_without_threads_fails_at_once() {
        let (jobs, queue) = mpsc::channel(1);
        drop(queue);
        let pool = PasswordPool { jobs, workers: 0 };
        assert!(pool.hash("anything at all".into()).await.is_err());
        assert!(
            !pool
                .verify("anything at all".into(), "$argon2id$".into())
                .await
        );
    }
}
