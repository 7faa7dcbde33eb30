//! How converted documents are written: the converter's and the configuration's shared name for
//! an output profile.

/// How converted documents are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputProfile {
    /// Rich TEI P5, one file per document (the default).
    #[default]
    Tei,
    /// FRUS's conventions, one file per volume.
    Frus,
}

impl OutputProfile {
    /// The profile named `name` (`tei`, `frus`), as the command line and `teikit.toml` write it.
    ///
    /// ```
    /// use teikit::base::output::OutputProfile;
    /// assert_eq!(OutputProfile::from_name("frus"), Some(OutputProfile::Frus));
    /// assert_eq!(OutputProfile::from_name("html"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "tei" => Some(OutputProfile::Tei),
            "frus" => Some(OutputProfile::Frus),
            _ => None,
        }
    }
}
