//! Credentials and base URLs: from environment variables, or a credentials file with the same
//! names.
//!
//! | vendor | variables |
//! | --- | --- |
//! | VTpass | `VTPASS_API_KEY`, `VTPASS_PUBLIC_KEY`, `VTPASS_SECRET_KEY`; or `VTPASS_EMAIL`, `VTPASS_PASSWORD` |
//! | Ukheshe Eclipse | `ECLIPSE_IDENTITY`, `ECLIPSE_PASSWORD`, `ECLIPSE_TENANT_ID`, `ECLIPSE_WALLET_ID` |
//! | DT One | `DTONE_API_KEY`, `DTONE_API_SECRET` |
//! | GSUBZ | `GSUBZ_API_KEY` |
//!
//! Each vendor also reads `<VENDOR>_BASE_URL` (e.g. `VTPASS_BASE_URL`); `--base-url` wins over
//! it. The credentials file holds `NAME=value` lines (`#` starts a comment; values may be
//! quoted); a variable set in the environment wins over the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use vas_common::SecretString;

use crate::cli::VendorArg;
use crate::error::{CliError, CliResult};

/// Where values come from: the environment first, then the credentials file.
#[derive(Debug, Default)]
pub struct Settings {
    file: Option<PathBuf>,
    // Values are kept as secrets; only names are ever printed.
    values: BTreeMap<String, SecretString>,
    env: Option<BTreeMap<String, SecretString>>,
}

impl Settings {
    /// Loads the credentials file: `explicit` (from `--config`), else `$VAS_CONFIG`, else
    /// `$XDG_CONFIG_HOME/vas/credentials` or `~/.config/vas/credentials` if it exists.
    ///
    /// An explicit file that cannot be read is an error; an absent default file is not.
    pub fn load(explicit: Option<&Path>) -> CliResult<Self> {
        let (path, must_exist) = match explicit {
            Some(p) => (Some(p.to_path_buf()), true),
            None => match std::env::var_os("VAS_CONFIG").filter(|v| !v.is_empty()) {
                Some(p) => (Some(PathBuf::from(p)), true),
                None => (default_file(), false),
            },
        };
        let Some(path) = path else { return Ok(Self::default()) };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let values = parse_file(&text).map_err(|(line, why)| {
                    CliError::config(format!("{}: line {line}: {why}", path.display()))
                        .hint("write one NAME=value per line, e.g. GSUBZ_API_KEY=...")
                })?;
                Ok(Self { file: Some(path), values, env: None })
            }
            Err(e) if !must_exist && e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Self::default())
            }
            Err(e) => Err(CliError::config(format!(
                "cannot read the credentials file {}: {e}",
                path.display()
            ))),
        }
    }

    /// Settings from the given variables only, ignoring the process environment (for the
    /// demo, which points every vendor at the embedded sandbox).
    pub fn from_vars(vars: &[(&str, String)]) -> Self {
        Self {
            file: None,
            values: BTreeMap::new(),
            env: Some(
                vars.iter().map(|(k, v)| (k.to_string(), SecretString::from(v.clone()))).collect(),
            ),
        }
    }

    /// Settings from the given variables only (for tests).
    #[cfg(test)]
    pub fn from_pairs(env: &[(&str, &str)], file: &[(&str, &str)]) -> Self {
        Self {
            file: Some(PathBuf::from("test-credentials")),
            values: file
                .iter()
                .map(|(k, v)| (k.to_string(), SecretString::from(v.to_string())))
                .collect(),
            env: Some(
                env.iter()
                    .map(|(k, v)| (k.to_string(), SecretString::from(v.to_string())))
                    .collect(),
            ),
        }
    }

    /// The value of `name`: the environment first, then the file. Empty values count as unset.
    fn get(&self, name: &str) -> Option<SecretString> {
        use vas_common::ExposeSecret as _;
        let from_env = match &self.env {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok().map(SecretString::from),
        };
        if let Some(v) = from_env.filter(|v| !v.expose_secret().is_empty()) {
            return Some(v);
        }
        self.values.get(name).filter(|v| !v.expose_secret().is_empty()).cloned()
    }

    /// The value of `name` as plain text (for values that are not secret: ids, URLs).
    fn get_plain(&self, name: &str) -> Option<String> {
        use vas_common::ExposeSecret as _;
        self.get(name).map(|s| s.expose_secret().trim().to_string())
    }

    fn where_to_set(&self) -> String {
        match &self.file {
            Some(f) => format!("in the environment or in {}", f.display()),
            None => "in the environment or in a credentials file (--config FILE)".to_string(),
        }
    }

    fn missing(&self, vendor: &str, names: &[&str], alternative: Option<&str>) -> CliError {
        let list = names.join(", ");
        let mut e = CliError::config(format!(
            "missing {vendor} credential{}: {list} {} not set",
            if names.len() == 1 { "" } else { "s" },
            if names.len() == 1 { "is" } else { "are" },
        ))
        .hint(format!("set {list} {}", self.where_to_set()));
        if let Some(alt) = alternative {
            e = e.detail(alt.to_string());
        }
        e
    }

    /// Collects the names in `names` that are unset.
    fn unset<'a>(&self, names: &[&'a str]) -> Vec<&'a str> {
        names.iter().copied().filter(|n| self.get(n).is_none()).collect()
    }

    /// The base URL for `vendor`: `--base-url`, else `<VENDOR>_BASE_URL`, else `None` (the
    /// vendor's live API).
    pub fn base_url(&self, vendor: VendorArg, flag: Option<&str>) -> CliResult<Option<String>> {
        let url = match flag {
            Some(u) => Some(u.trim().to_string()),
            None => self.get_plain(&format!("{}_BASE_URL", env_prefix(vendor))),
        };
        match url {
            Some(u) if u.is_empty() => Ok(None),
            Some(u) if !(u.starts_with("http://") || u.starts_with("https://")) => {
                Err(CliError::config(format!(
                    "the base URL `{u}` does not start with http:// or https://"
                )))
            }
            other => Ok(other),
        }
    }

    /// VTpass credentials: API keys, else email and password.
    pub fn vtpass(&self) -> CliResult<VtpassCredentials> {
        let keys = ["VTPASS_API_KEY", "VTPASS_PUBLIC_KEY", "VTPASS_SECRET_KEY"];
        let basic = ["VTPASS_EMAIL", "VTPASS_PASSWORD"];
        let missing_keys = self.unset(&keys);
        if missing_keys.is_empty() {
            return Ok(VtpassCredentials::ApiKeys {
                api_key: self.secret("VTPASS_API_KEY")?,
                public_key: self.secret("VTPASS_PUBLIC_KEY")?,
                secret_key: self.secret("VTPASS_SECRET_KEY")?,
            });
        }
        let missing_basic = self.unset(&basic);
        if missing_basic.is_empty() {
            return Ok(VtpassCredentials::Basic {
                email: self.get_plain("VTPASS_EMAIL").unwrap_or_default(),
                password: self.secret("VTPASS_PASSWORD")?,
            });
        }
        // Name the set the person seems to have started on.
        if missing_basic.len() < basic.len() && missing_keys.len() == keys.len() {
            Err(self.missing(
                "VTpass",
                &missing_basic,
                Some("or use API keys: VTPASS_API_KEY, VTPASS_PUBLIC_KEY, VTPASS_SECRET_KEY"),
            ))
        } else {
            Err(self.missing(
                "VTpass",
                &missing_keys,
                Some("or use your login: VTPASS_EMAIL and VTPASS_PASSWORD"),
            ))
        }
    }

    /// Ukheshe Eclipse credentials.
    pub fn eclipse(&self) -> CliResult<EclipseCredentials> {
        let names =
            ["ECLIPSE_IDENTITY", "ECLIPSE_PASSWORD", "ECLIPSE_TENANT_ID", "ECLIPSE_WALLET_ID"];
        let missing = self.unset(&names);
        if !missing.is_empty() {
            return Err(self.missing("Eclipse", &missing, None));
        }
        Ok(EclipseCredentials {
            identity: self.get_plain("ECLIPSE_IDENTITY").unwrap_or_default(),
            password: self.secret("ECLIPSE_PASSWORD")?,
            tenant_id: self.number("ECLIPSE_TENANT_ID")?,
            wallet_id: self.number("ECLIPSE_WALLET_ID")?,
        })
    }

    /// DT One credentials.
    pub fn dtone(&self) -> CliResult<DtoneCredentials> {
        let names = ["DTONE_API_KEY", "DTONE_API_SECRET"];
        let missing = self.unset(&names);
        if !missing.is_empty() {
            return Err(self.missing("DT One", &missing, None));
        }
        Ok(DtoneCredentials {
            api_key: self.secret("DTONE_API_KEY")?,
            api_secret: self.secret("DTONE_API_SECRET")?,
        })
    }

    /// GSUBZ credentials.
    pub fn gsubz(&self) -> CliResult<GsubzCredentials> {
        let missing = self.unset(&["GSUBZ_API_KEY"]);
        if !missing.is_empty() {
            return Err(self.missing("GSUBZ", &missing, None));
        }
        Ok(GsubzCredentials { api_key: self.secret("GSUBZ_API_KEY")? })
    }

    /// `DTONE_SIMULATION`: `1`/`true` keeps DT One purchases simulations (nothing debited).
    pub fn dtone_simulation(&self) -> CliResult<bool> {
        match self.get_plain("DTONE_SIMULATION").map(|v| v.to_ascii_lowercase()).as_deref() {
            None | Some("0" | "false" | "no") => Ok(false),
            Some("1" | "true" | "yes") => Ok(true),
            Some(other) => {
                Err(CliError::config(format!("DTONE_SIMULATION must be 1 or 0, not `{other}`")))
            }
        }
    }

    fn secret(&self, name: &str) -> CliResult<SecretString> {
        self.get(name).ok_or_else(|| self.missing("", &[name], None))
    }

    fn number(&self, name: &str) -> CliResult<u64> {
        let v = self.get_plain(name).unwrap_or_default();
        v.parse::<u64>().map_err(|_| {
            CliError::config(format!("{name} must be a whole number, not `{v}`"))
                .hint(format!("set {name} {}", self.where_to_set()))
        })
    }
}

/// The variable prefix of a vendor: `VTPASS`, `ECLIPSE`, `DTONE`, `GSUBZ`.
pub fn env_prefix(vendor: VendorArg) -> &'static str {
    match vendor {
        VendorArg::Vtpass => "VTPASS",
        VendorArg::Eclipse => "ECLIPSE",
        VendorArg::Dtone => "DTONE",
        VendorArg::Gsubz => "GSUBZ",
    }
}

/// VTpass credentials.
pub enum VtpassCredentials {
    /// `api-key` with `public-key` (GET) and `secret-key` (POST).
    ApiKeys {
        /// `api-key`.
        api_key: SecretString,
        /// `public-key` (`PK_…`).
        public_key: SecretString,
        /// `secret-key` (`SK_…`).
        secret_key: SecretString,
    },
    /// HTTP Basic with the account's email and password.
    Basic {
        /// The account email.
        email: String,
        /// The account password.
        password: SecretString,
    },
}

/// Ukheshe Eclipse credentials.
pub struct EclipseCredentials {
    /// The login identity.
    pub identity: String,
    /// The login password.
    pub password: SecretString,
    /// The tenant id.
    pub tenant_id: u64,
    /// The wallet paid from.
    pub wallet_id: u64,
}

/// DT One credentials.
pub struct DtoneCredentials {
    /// The API key.
    pub api_key: SecretString,
    /// The API secret (HMAC key).
    pub api_secret: SecretString,
}

/// GSUBZ credentials.
pub struct GsubzCredentials {
    /// The API key.
    pub api_key: SecretString,
}

fn default_file() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(x) => PathBuf::from(x),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".config"),
    };
    Some(base.join("vas").join("credentials"))
}

/// Parses `NAME=value` lines. Returns the 1-based line number and the reason on error; never
/// echoes a value.
fn parse_file(text: &str) -> Result<BTreeMap<String, SecretString>, (usize, String)> {
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else {
            return Err((i + 1, "expected NAME=value".to_string()));
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err((i + 1, "the name must be letters, digits and _".to_string()));
        }
        let value = value.trim();
        let value = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
            .unwrap_or(value);
        out.insert(name.to_string(), SecretString::from(value.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Exit;
    use vas_common::ExposeSecret as _;

    #[test]
    fn missing_variables_are_named_without_values() {
        let s = Settings::from_pairs(&[("DTONE_API_KEY", "k-123")], &[]);
        let Err(e) = s.dtone() else { panic!("expected an error") };
        assert_eq!(e.exit, Exit::Config);
        assert_eq!(e.message, "missing DT One credential: DTONE_API_SECRET is not set");
        assert!(!e.to_string().contains("k-123"));
        assert!(e.hint.as_deref().unwrap_or("").contains("DTONE_API_SECRET"));
    }

    #[test]
    fn no_value_in_debug() {
        let s =
            Settings::from_pairs(&[("DTONE_API_SECRET", "env-secret")], &[("X", "file-secret")]);
        let d = format!("{s:?}");
        assert!(!d.contains("env-secret") && !d.contains("file-secret"), "{d}");
        let s = Settings::from_vars(&[("GSUBZ_API_KEY", "vars-secret".to_string())]);
        assert!(!format!("{s:?}").contains("vars-secret"));
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let s =
            Settings::from_pairs(&[("GSUBZ_API_KEY", "from-env")], &[("GSUBZ_API_KEY", "file")]);
        assert_eq!(
            s.gsubz().map(|c| c.api_key.expose_secret().to_string()).ok(),
            Some("from-env".into())
        );
        let s = Settings::from_pairs(&[], &[("GSUBZ_API_KEY", "file")]);
        assert_eq!(
            s.gsubz().map(|c| c.api_key.expose_secret().to_string()).ok(),
            Some("file".into())
        );
    }

    #[test]
    fn vtpass_accepts_either_scheme_and_names_the_started_one() {
        let s = Settings::from_pairs(&[("VTPASS_EMAIL", "a@b.c"), ("VTPASS_PASSWORD", "p")], &[]);
        assert!(matches!(s.vtpass(), Ok(VtpassCredentials::Basic { .. })));
        let s = Settings::from_pairs(&[("VTPASS_EMAIL", "a@b.c")], &[]);
        let Err(e) = s.vtpass() else { panic!("expected an error") };
        assert_eq!(e.message, "missing VTpass credential: VTPASS_PASSWORD is not set");
        let s = Settings::from_pairs(&[], &[]);
        let Err(e) = s.vtpass() else { panic!("expected an error") };
        assert!(e.message.contains("VTPASS_API_KEY, VTPASS_PUBLIC_KEY, VTPASS_SECRET_KEY"));
    }

    #[test]
    fn eclipse_ids_must_be_numbers() {
        let s = Settings::from_pairs(
            &[
                ("ECLIPSE_IDENTITY", "me"),
                ("ECLIPSE_PASSWORD", "pw"),
                ("ECLIPSE_TENANT_ID", "12x"),
                ("ECLIPSE_WALLET_ID", "7"),
            ],
            &[],
        );
        let Err(e) = s.eclipse() else { panic!("expected an error") };
        assert_eq!(e.message, "ECLIPSE_TENANT_ID must be a whole number, not `12x`");
    }

    #[test]
    fn base_url_flag_wins_and_must_be_http() {
        let s = Settings::from_pairs(&[("GSUBZ_BASE_URL", "http://127.0.0.1:9")], &[]);
        assert_eq!(
            s.base_url(VendorArg::Gsubz, None).ok().flatten().as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(
            s.base_url(VendorArg::Gsubz, Some("http://localhost:1")).ok().flatten().as_deref(),
            Some("http://localhost:1")
        );
        assert!(s.base_url(VendorArg::Gsubz, Some("localhost:1")).is_err());
    }

    #[test]
    fn the_file_format() {
        let m = parse_file("# c\n\nexport A=1\nB = \"two words\"\nC='x'\n").unwrap_or_default();
        let got: Vec<_> =
            m.iter().map(|(k, v)| (k.as_str(), v.expose_secret().to_string())).collect();
        assert_eq!(got, [("A", "1".into()), ("B", "two words".into()), ("C", "x".into())]);
        assert_eq!(
            parse_file("A=1\nnonsense\n").err(),
            Some((2, "expected NAME=value".to_string()))
        );
    }
}
