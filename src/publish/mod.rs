//! Publishing: the stylesheets of `xslt/` run by a Saxon found on this machine.
//!
//! The stylesheets are XSLT 3.0, which no Rust crate runs; teikit calls the processor the TEI
//! world uses instead of reimplementing it. [`Saxon::find`] looks, in this order, for
//!
//! 1. `TEIKIT_SAXON`: a Saxon jar (`…/saxon-he-12.jar`, run with `java -jar`), a command that
//!    takes Saxon's `-s: -xsl: -o:` arguments, or `saxonc` for SaxonC-HE in the Python on the
//!    PATH;
//! 2. a `saxon` command on the `PATH` (Homebrew's and many distributions' wrapper);
//! 3. Debian's Saxon-HE jar (`apt-get install libsaxonhe-java`), run with the `java` on the PATH;
//! 4. SaxonC-HE in the Python on the PATH (`pip install saxonche`).
//!
//! The stylesheet is `xslt/tei-to-html.xsl` of the working directory when there is one (so a
//! publisher's edits are used); otherwise teikit's own copy, built into the binary, is written
//! to a temporary directory with its CSS and used from there.
//!
//! Outputs are written like every other output of teikit: to a temporary file, then renamed.

pub mod split;
pub mod volume;

use crate::output::{write_atomically, OutputError};
use crate::xml::{Element, Node};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The HTML stylesheet as shipped, for when no `xslt/` directory is at hand.
const BUNDLED_HTML_XSL: &str = include_str!("../../xslt/tei-to-html.xsl");
/// Its CSS, which the stylesheet embeds from beside itself.
const BUNDLED_HTML_CSS: &str = include_str!("../../xslt/tei-to-html.css");
/// The volume's index page, which the stylesheet includes from beside itself.
const BUNDLED_VOLUME_XSL: &str = include_str!("../../xslt/tei-to-volume.xsl");
/// Where a checkout keeps the stylesheet a publisher may have adapted.
pub const DEFAULT_HTML_STYLESHEET: &str = "xslt/tei-to-html.xsl";

/// Why publishing failed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// No XSLT 3.0 processor is installed.
    #[error(
        "no XSLT 3.0 processor found: install Saxon-HE (`apt-get install libsaxonhe-java`, with \
         a Java runtime) or SaxonC-HE (`pip install saxonche`), or name one with \
         TEIKIT_SAXON=/path/to/saxon-he.jar"
    )]
    NoProcessor,
    /// `TEIKIT_SAXON` names nothing that exists.
    #[error("TEIKIT_SAXON names {0}, which does not exist")]
    NamedProcessorMissing(PathBuf),
    /// The stylesheet given does not exist.
    #[error("{0}: no such stylesheet")]
    StylesheetMissing(PathBuf),
    /// The processor could not be started.
    #[error("cannot run {processor}: {source}")]
    Spawn {
        /// The processor, as described to the user.
        processor: String,
        /// Why.
        source: std::io::Error,
    },
    /// The transformation failed; Saxon's own message says where.
    #[error("{input}: {processor} failed:\n{message}")]
    Transform {
        /// The TEI being transformed.
        input: PathBuf,
        /// The processor.
        processor: String,
        /// What the processor printed.
        message: String,
    },
    /// A temporary file could not be made or read.
    #[error("cannot prepare the transformation: {0}")]
    Scratch(std::io::Error),
    /// The output could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A volume file could not be cut into its documents.
    #[error(transparent)]
    Split(#[from] split::SplitError),
    /// A volume's documents could not be read for its index page.
    #[error("cannot make the volume's index page: {0}")]
    Summary(#[from] volume::SummaryError),
}

/// How a Saxon is started.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Launcher {
    /// A command taking `-s: -xsl: -o:` and `name=value` parameters.
    Command(PathBuf),
    /// `java -jar JAR`, with the same arguments.
    Jar { java: PathBuf, jar: PathBuf },
    /// SaxonC-HE through a Python interpreter.
    SaxonC { python: PathBuf },
}

/// An XSLT 3.0 processor found on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saxon {
    launcher: Launcher,
}

/// Debian's and Fedora's places for the Saxon-HE jar.
const SYSTEM_JARS: &[&str] = &[
    "/usr/share/java/Saxon-HE.jar",
    "/usr/share/java/saxon9he.jar",
    "/usr/share/java/saxon/saxon-he.jar",
];

/// SaxonC-HE, driven from Python: arguments are the stylesheet, the source, the output and
/// `name=value` parameters. The stylesheet is compiled once; a source that is a folder has
/// every file in it transformed into the output folder under its own name, as Saxon's `-s:DIR
/// -o:DIR` does. Errors go to standard error and a non-zero exit.
const SAXONC_DRIVER: &str = r#"
import os, sys
from saxonche import PySaxonProcessor
xsl, source, out, params = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
if os.path.isdir(source):
    pairs = [(os.path.join(source, n), os.path.join(out, n)) for n in sorted(os.listdir(source))]
else:
    pairs = [(source, out)]
with PySaxonProcessor(license=False) as proc:
    try:
        exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=xsl)
        for p in params:
            name, _, value = p.partition("=")
            exe.set_parameter(name, proc.make_string_value(value))
        for source_file, output_file in pairs:
            exe.transform_to_file(source_file=source_file, output_file=output_file)
    except Exception as e:
        sys.stderr.write(str(e).strip() + "\n")
        sys.exit(1)
"#;

impl Saxon {
    /// Finds a processor as the module documentation describes, or says how to install one.
    pub fn find() -> Result<Saxon, PublishError> {
        if let Some(named) = std::env::var_os("TEIKIT_SAXON").filter(|v| !v.is_empty()) {
            if named == "saxonc" {
                return on_path("python3")
                    .filter(|python| has_saxonc(python))
                    .map(Saxon::with_saxonc)
                    .ok_or(PublishError::NoProcessor);
            }
            let named = PathBuf::from(named);
            // A bare name is a command on the PATH; anything else a file.
            let found = if named.components().count() == 1 {
                on_path(&named.to_string_lossy())
            } else {
                Some(named.clone()).filter(|p| p.is_file())
            };
            return found
                .map(Saxon::named)
                .ok_or(PublishError::NamedProcessorMissing(named));
        }
        if let Some(saxon) = on_path("saxon") {
            return Ok(Saxon {
                launcher: Launcher::Command(saxon),
            });
        }
        if let Some(java) = on_path("java") {
            if let Some(jar) = SYSTEM_JARS.iter().map(PathBuf::from).find(|j| j.is_file()) {
                return Ok(Saxon {
                    launcher: Launcher::Jar { java, jar },
                });
            }
        }
        if let Some(python) = on_path("python3").filter(|python| has_saxonc(python)) {
            return Ok(Saxon::with_saxonc(python));
        }
        Err(PublishError::NoProcessor)
    }

    /// A Saxon jar, run by the `java` on the PATH.
    pub fn with_jar(jar: PathBuf) -> Saxon {
        Saxon {
            launcher: Launcher::Jar {
                java: on_path("java").unwrap_or_else(|| PathBuf::from("java")),
                jar,
            },
        }
    }

    /// SaxonC-HE, in the `saxonche` package of this Python interpreter.
    pub fn with_saxonc(python: PathBuf) -> Saxon {
        Saxon {
            launcher: Launcher::SaxonC { python },
        }
    }

    /// The processor `TEIKIT_SAXON` names: a jar, or a command.
    fn named(path: PathBuf) -> Saxon {
        if path.extension().is_some_and(|e| e == "jar") {
            Saxon::with_jar(path)
        } else {
            Saxon {
                launcher: Launcher::Command(path),
            }
        }
    }

    /// What the processor is, for messages.
    pub fn describe(&self) -> String {
        match &self.launcher {
            Launcher::Command(c) => c.display().to_string(),
            Launcher::Jar { jar, .. } => format!("Saxon ({})", jar.display()),
            Launcher::SaxonC { .. } => "SaxonC-HE (Python saxonche)".to_string(),
        }
    }

    /// Runs `stylesheet` on `input` and returns the result.
    pub fn transform(
        &self,
        stylesheet: &Path,
        input: &Path,
        params: &[(&str, &str)],
    ) -> Result<Vec<u8>, PublishError> {
        let scratch = tempfile::tempdir().map_err(PublishError::Scratch)?;
        let out = scratch.path().join("out");
        let params: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let command = self.command(stylesheet, input, &out, &params);
        self.run(command, input)?;
        std::fs::read(&out).map_err(PublishError::Scratch)
    }
}

impl Saxon {
    /// Runs `stylesheet` on every file of `inputs` with one start of the processor and one
    /// compilation of the stylesheet (Saxon's folder mode, or one SaxonC loop), and returns the
    /// results in order. Where the run fails, each input is transformed alone, so that the
    /// failure is told of the document it belongs to.
    ///
    /// While transformed, the `k`-th input is a copy named [`Saxon::input_name`]`(k)`: that is
    /// the file name the stylesheet sees in `document-uri(/)`. `params` apply to every input.
    pub fn transform_all(
        &self,
        stylesheet: &Path,
        inputs: &[&Path],
        params: &[(&str, &str)],
    ) -> Vec<Result<Vec<u8>, PublishError>> {
        if inputs.is_empty() {
            return Vec::new();
        }
        let copies = match Copies::make(inputs, self.runs_for(inputs.len())) {
            Ok(copies) => copies,
            Err(e) => {
                return inputs
                    .iter()
                    .map(|_| {
                        Err(PublishError::Scratch(std::io::Error::new(
                            e.kind(),
                            e.to_string(),
                        )))
                    })
                    .collect()
            }
        };
        match self.transform_folders(stylesheet, &copies, params) {
            Ok(pages) => pages.into_iter().map(Ok).collect(),
            Err(_) => (0..inputs.len())
                .map(|k| {
                    self.transform(stylesheet, &copies.source(k), params)
                        .map_err(|e| e.told_of(inputs[k]))
                })
                .collect(),
        }
    }

    /// The name of the `k`-th input of [`Saxon::transform_all`] while it is transformed.
    pub fn input_name(k: usize) -> String {
        // One length for all, so that a folder's order is the inputs' order.
        format!("{k:06}.xml")
    }

    /// How many processes share `inputs` documents. Measured on 504 documents (2 cores): one
    /// Saxon-HE JVM already keeps both cores busy (3.8 s; two JVMs 5.1 s), while one SaxonC
    /// process uses one (1.38 s; two 0.74 s). A SaxonC process is only worth starting for a
    /// few dozen documents.
    fn runs_for(&self, inputs: usize) -> usize {
        const DOCUMENTS_PER_SAXONC_RUN: usize = 40;
        match self.launcher {
            Launcher::SaxonC { .. } => {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                cores.min(inputs.div_ceil(DOCUMENTS_PER_SAXONC_RUN)).max(1)
            }
            _ => 1,
        }
    }

    /// Runs the processor on every folder of `copies` at once, and reads the pages in order.
    fn transform_folders(
        &self,
        stylesheet: &Path,
        copies: &Copies,
        params: &[(&str, &str)],
    ) -> Result<Vec<Vec<u8>>, PublishError> {
        let params: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let running: Vec<_> = copies
            .folders
            .iter()
            .map(|(source_dir, out_dir)| {
                let mut command = self.command(stylesheet, source_dir, out_dir, &params);
                command
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped());
                (source_dir, command.spawn())
            })
            .collect();
        let mut failure = None;
        for (source_dir, child) in running {
            let result = child.and_then(|c| c.wait_with_output());
            if let Err(e) = self.judge(result, source_dir) {
                failure.get_or_insert(e);
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        (0..copies.chunk_of.len())
            .map(|k| std::fs::read(copies.page(k)).map_err(PublishError::Scratch))
            .collect()
    }
}

/// The inputs of one [`Saxon::transform_all`], copied under the names of
/// [`Saxon::input_name`] into folders of their own, one a process, and the folders the pages
/// are written to.
struct Copies {
    _scratch: tempfile::TempDir,
    /// Per process: the inputs' folder and the pages' folder.
    folders: Vec<(PathBuf, PathBuf)>,
    /// Per input: the process it goes to.
    chunk_of: Vec<usize>,
}

impl Copies {
    /// Copies `inputs` into `runs` folders, in runs of consecutive inputs.
    fn make(inputs: &[&Path], runs: usize) -> std::io::Result<Copies> {
        let scratch = tempfile::tempdir()?;
        let mut folders = Vec::with_capacity(runs);
        for run in 0..runs {
            let (source_dir, out_dir) = (
                scratch.path().join(format!("in{run}")),
                scratch.path().join(format!("out{run}")),
            );
            std::fs::create_dir(&source_dir)?;
            std::fs::create_dir(&out_dir)?;
            folders.push((source_dir, out_dir));
        }
        let per_run = inputs.len().div_ceil(runs);
        let chunk_of: Vec<usize> = (0..inputs.len()).map(|k| k / per_run).collect();
        let copies = Copies {
            _scratch: scratch,
            folders,
            chunk_of,
        };
        for (k, input) in inputs.iter().enumerate() {
            std::fs::copy(input, copies.source(k))?;
        }
        Ok(copies)
    }

    fn source(&self, k: usize) -> PathBuf {
        self.folders[self.chunk_of[k]].0.join(Saxon::input_name(k))
    }

    fn page(&self, k: usize) -> PathBuf {
        self.folders[self.chunk_of[k]].1.join(Saxon::input_name(k))
    }
}

impl PublishError {
    /// The error, told of `input` instead of the copy that was transformed.
    fn told_of(self, input: &Path) -> PublishError {
        match self {
            PublishError::Transform {
                processor, message, ..
            } => PublishError::Transform {
                input: input.to_path_buf(),
                processor,
                message,
            },
            other => other,
        }
    }
}

impl Saxon {
    /// The processor's command for `stylesheet` from `source` into `out` (files, or folders
    /// for Saxon's folder mode, which [`SAXONC_DRIVER`] does the same way).
    fn command(&self, stylesheet: &Path, source: &Path, out: &Path, params: &[String]) -> Command {
        match &self.launcher {
            Launcher::Command(c) => {
                let mut command = Command::new(c);
                command.args(saxon_args(stylesheet, source, out, params));
                command
            }
            Launcher::Jar { java, jar } => {
                let mut command = Command::new(java);
                command
                    .arg("-jar")
                    .arg(jar)
                    .args(saxon_args(stylesheet, source, out, params));
                command
            }
            Launcher::SaxonC { python } => {
                let mut command = Command::new(python);
                command
                    .args(["-c", SAXONC_DRIVER])
                    .arg(stylesheet)
                    .arg(source)
                    .arg(out)
                    .args(params);
                command
            }
        }
    }

    /// Runs `command`; a failure is told of `input` with what the processor printed.
    fn run(&self, mut command: Command, input: &Path) -> Result<(), PublishError> {
        self.judge(command.output(), input)
    }

    /// What a finished run of the processor on `input` came to.
    fn judge(
        &self,
        result: std::io::Result<std::process::Output>,
        input: &Path,
    ) -> Result<(), PublishError> {
        let result = result.map_err(|source| PublishError::Spawn {
            processor: self.describe(),
            source,
        })?;
        if result.status.success() {
            return Ok(());
        }
        Err(PublishError::Transform {
            input: input.to_path_buf(),
            processor: self.describe(),
            message: String::from_utf8_lossy(&result.stderr).trim().to_string(),
        })
    }
}

fn saxon_args(stylesheet: &Path, input: &Path, out: &Path, params: &[String]) -> Vec<OsString> {
    let mut args: Vec<OsString> = [("-s:", input), ("-xsl:", stylesheet), ("-o:", out)]
        .into_iter()
        .map(|(flag, path)| {
            let mut arg = OsString::from(flag);
            arg.push(path.as_os_str());
            arg
        })
        .collect();
    args.extend(params.iter().map(OsString::from));
    args
}

/// Whether `python` has SaxonC-HE: found, not imported (loading its native library would cost
/// a third of a second on every build).
fn has_saxonc(python: &Path) -> bool {
    let found =
        "import importlib.util, sys; sys.exit(importlib.util.find_spec('saxonche') is None)";
    Command::new(python)
        .args(["-c", found])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// The HTML stylesheet to use: `DEFAULT_HTML_STYLESHEET` when the working directory has it,
/// else the bundled copy, written out for the processor (kept alive by the returned guard).
pub struct HtmlStylesheet {
    path: PathBuf,
    _bundled: Option<tempfile::TempDir>,
}

impl HtmlStylesheet {
    /// `explicit` if given, else the checkout's, else the bundled one.
    pub fn locate(explicit: Option<&Path>) -> Result<HtmlStylesheet, PublishError> {
        if let Some(path) = explicit {
            if !path.is_file() {
                return Err(PublishError::StylesheetMissing(path.to_path_buf()));
            }
            return Ok(HtmlStylesheet {
                path: path.to_path_buf(),
                _bundled: None,
            });
        }
        let local = PathBuf::from(DEFAULT_HTML_STYLESHEET);
        if local.is_file() {
            return Ok(HtmlStylesheet {
                path: local,
                _bundled: None,
            });
        }
        let dir = tempfile::tempdir().map_err(PublishError::Scratch)?;
        let path = dir.path().join("tei-to-html.xsl");
        std::fs::write(&path, BUNDLED_HTML_XSL).map_err(PublishError::Scratch)?;
        std::fs::write(dir.path().join("tei-to-html.css"), BUNDLED_HTML_CSS)
            .map_err(PublishError::Scratch)?;
        std::fs::write(dir.path().join("tei-to-volume.xsl"), BUNDLED_VOLUME_XSL)
            .map_err(PublishError::Scratch)?;
        Ok(HtmlStylesheet {
            path,
            _bundled: Some(dir),
        })
    }

    /// Where the stylesheet is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// When the stylesheet last changed: the newest of its files (the page's, the volume's
    /// and the CSS), or teikit itself for the bundled copy.
    fn modified(&self) -> Option<std::time::SystemTime> {
        if self._bundled.is_some() {
            return std::env::current_exe().ok().and_then(|exe| modified(&exe));
        }
        let beside = |name: &str| self.path.with_file_name(name);
        [
            self.path.clone(),
            beside("tei-to-volume.xsl"),
            beside("tei-to-html.css"),
        ]
        .iter()
        .filter_map(|p| modified(p))
        .max()
    }
}

/// What became of one page of [`write_edition`].
#[derive(Debug)]
pub enum Page {
    /// Written now.
    Written,
    /// It would not change: left as it is.
    UpToDate,
    /// Not written.
    Failed(PublishError),
}

/// The TEI documents of one volume: their reading pages are written into the volume's folder
/// (`d59.xml` → `FOLDER/d59.html`), with the volume's `index.html`.
#[derive(Debug, Clone, Default)]
pub struct VolumeFiles {
    /// The volume's folder, whose name is the volume's id: where its pages go.
    pub folder: PathBuf,
    /// Its TEI documents, in any order.
    pub documents: Vec<PathBuf>,
    /// The volume file the documents were cut from ([`split`]), if they were: every page is
    /// then as old as it, and it is never overwritten.
    pub from: Option<PathBuf>,
    /// The chapter of a document, where the document itself no longer says (a document cut
    /// from its volume file).
    pub chapters: BTreeMap<PathBuf, String>,
}

/// Writes the reading edition of `volumes`: every document's page, with previous/next links
/// and a link to its volume's contents, and each volume's `index.html` (title page, contents,
/// index; [`volume`]). One processor run and one compilation of the stylesheet for all of them
/// ([`Saxon::transform_all`]), and only for pages that would change: a document's page older
/// than its TEI or the stylesheet (or teikit itself, for the bundled stylesheet), or whose
/// links name other neighbours than the volume now has ([`rendered_neighbours`]); an index
/// page whose summary's fingerprint differs from the one it was rendered from, or older than
/// the stylesheet. So a build after a one-document edit renders that page (and the index, if
/// what it shows of the document changed), and one after a document is added renders it, its
/// two neighbours and the index.
///
/// Returns every page with what became of it.
pub fn write_edition(
    saxon: &Saxon,
    stylesheet: &HtmlStylesheet,
    volumes: &[VolumeFiles],
) -> Vec<(PathBuf, Page)> {
    let sheet_time = stylesheet.modified();
    let is_stale = |page: &Path, sources: &[&Path]| match (modified(page), sheet_time) {
        (Some(page), Some(sheet)) => {
            page < sheet || sources.iter().any(|s| modified(s).is_none_or(|s| page < s))
        }
        _ => true,
    };
    let scratch = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            let pages = volumes
                .iter()
                .flat_map(|v| v.documents.iter().map(|d| v.folder.join(page_name(d))));
            return all_failed(pages, &e);
        }
    };
    let mut pages: Vec<(PathBuf, Page)> = Vec::new();
    // What to transform, and for each: the page it makes and the inputs never to overwrite.
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut targets: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    let mut edition = Element::new("ed:edition").with_attribute("xmlns:ed", volume::EDITION_NS);
    for files in volumes {
        let id = files
            .folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let hrefs: Vec<(&Path, String)> = files
            .documents
            .iter()
            .map(|tei| (tei.as_path(), page_name(tei)))
            .collect();
        let tei_of: BTreeMap<&str, &Path> = hrefs.iter().map(|(t, h)| (h.as_str(), *t)).collect();
        let summary = volume::summarise_files(&id, &hrefs).map(|mut summary| {
            for contents in &mut summary.contents {
                if let Some(chapter) = files.chapters.get(tei_of[contents.href.as_str()]) {
                    contents.chapter = Some(chapter.clone());
                }
            }
            summary
        });
        // What a page shows comes from its TEI, or from the volume file the TEI was cut from.
        let shown_by = |tei: &Path| -> PathBuf { files.from.clone().unwrap_or(tei.to_path_buf()) };
        let guard = |tei: &Path| -> Vec<PathBuf> {
            std::iter::once(tei.to_path_buf())
                .chain(files.from.clone())
                .collect()
        };
        // The documents in volume order, each with its number as its neighbours' links name
        // it (as found, without numbers, where the volume could not be read: no links then).
        let order: Vec<(String, Option<String>)> = match &summary {
            Ok(s) => s
                .contents
                .iter()
                .map(|c| (c.href.clone(), Some(c.number.clone())))
                .collect(),
            Err(_) => hrefs.iter().map(|(_, h)| (h.clone(), None)).collect(),
        };
        let linked = |j: usize| {
            let (href, number) = order.get(j)?;
            Some((href.clone(), number.clone()?))
        };
        let mut sources = BTreeMap::new();
        for (k, (href, _)) in order.iter().enumerate() {
            let tei = tei_of[href.as_str()];
            let page = files.folder.join(href);
            let wanted = [k.checked_sub(1).and_then(linked), linked(k + 1)];
            let links_hold = rendered_neighbours(&page) == wanted;
            if !links_hold || is_stale(&page, &[shown_by(tei).as_path()]) {
                sources.insert(href.clone(), Saxon::input_name(inputs.len()));
                inputs.push(tei.to_path_buf());
                targets.push((page, guard(tei)));
            } else {
                pages.push((page, Page::UpToDate));
            }
        }
        let index_page = files.folder.join("index.html");
        match summary {
            Ok(summary) => {
                // The index shows the summary and nothing else: it is rendered again when the
                // summary differs from the one it was rendered from (a document added, removed,
                // retitled, a mention moved), whatever the files' times say.
                let fingerprint = summary.fingerprint();
                let mut element = summary.to_element(&sources);
                element.set_attribute("fingerprint", &fingerprint);
                let rendered = rendered_meta(&index_page, "teikit-volume");
                if rendered.as_deref() != Some(fingerprint.as_str()) || is_stale(&index_page, &[]) {
                    let manifest = scratch.path().join(format!("volume{}.xml", targets.len()));
                    match write_element(&manifest, &element) {
                        Ok(()) => {
                            inputs.push(manifest);
                            let mut guards = files.documents.clone();
                            guards.extend(files.from.clone());
                            targets.push((index_page, guards));
                        }
                        Err(e) => pages.push((index_page, Page::Failed(PublishError::Scratch(e)))),
                    }
                } else {
                    pages.push((index_page, Page::UpToDate));
                }
                // The pages look their neighbours up in the edition, each in its own
                // transformation: the contents are all they need, so the index stays out.
                let mut contents_only = element;
                contents_only
                    .children
                    .retain(|c| !matches!(c, Node::Element(e) if e.name == "ed:index"));
                edition.push_element(contents_only);
            }
            Err(e) => pages.push((index_page, Page::Failed(PublishError::Summary(e)))),
        }
    }
    let edition_file = scratch.path().join("edition.xml");
    if let Err(e) = write_element(&edition_file, &edition) {
        pages.extend(all_failed(targets.into_iter().map(|(page, _)| page), &e));
        return pages;
    }
    let edition_uri = crate::base::uri::file_uri(&edition_file);
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let results = saxon.transform_all(stylesheet.path(), &inputs, &[("edition", &edition_uri)]);
    for ((page, guards), result) in targets.into_iter().zip(results) {
        let guards: Vec<&Path> = guards.iter().map(PathBuf::as_path).collect();
        let outcome = match result.and_then(|html| Ok(write_atomically(&page, &html, &guards)?)) {
            Ok(()) => Page::Written,
            Err(e) => Page::Failed(e),
        };
        pages.push((page, outcome));
    }
    pages
}

/// Writes the reading edition of FRUS volume files (`OUT/VOLUME.xml`, as `build --profile
/// frus` writes them): each cut into its documents ([`split`]) and published as
/// [`write_edition`] publishes a volume's documents, into `OUT/VOLUME/` (`dN.html` named by
/// the document's `xml:id`, and `index.html`). A volume file newer than its pages renders them
/// all again.
pub fn write_frus_edition(
    saxon: &Saxon,
    stylesheet: &HtmlStylesheet,
    volume_files: &[PathBuf],
) -> Vec<(PathBuf, Page)> {
    let mut pages = Vec::new();
    let scratch = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            let pages = volume_files
                .iter()
                .map(|v| v.with_extension("").join("index.html"));
            return all_failed(pages, &e);
        }
    };
    let mut volumes = Vec::new();
    for (k, file) in volume_files.iter().enumerate() {
        let folder = file.with_extension("");
        let cut = scratch.path().join(k.to_string());
        match cut_volume(file, &cut) {
            Ok((documents, chapters)) => volumes.push(VolumeFiles {
                folder,
                documents,
                from: Some(file.clone()),
                chapters,
            }),
            Err(e) => pages.push((folder.join("index.html"), Page::Failed(e))),
        }
    }
    pages.extend(write_edition(saxon, stylesheet, &volumes));
    pages
}

/// Cuts the volume file `file` into one TEI file a document in the folder `into`.
fn cut_volume(
    file: &Path,
    into: &Path,
) -> Result<(Vec<PathBuf>, BTreeMap<PathBuf, String>), PublishError> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        PublishError::Split(split::SplitError {
            path: file.to_path_buf(),
            message: e.to_string(),
        })
    })?;
    std::fs::create_dir_all(into).map_err(PublishError::Scratch)?;
    let mut documents = Vec::new();
    let mut chapters = BTreeMap::new();
    for document in split::split_volume(file, &text)? {
        let path = into.join(format!("{}.xml", document.name));
        std::fs::write(&path, &document.text).map_err(PublishError::Scratch)?;
        if let Some(chapter) = document.chapter {
            chapters.insert(path.clone(), chapter);
        }
        documents.push(path);
    }
    Ok((documents, chapters))
}

/// The head of the reading page at `page` (up to `</head>`, within its first 64 KiB), where
/// teikit reads back what it rendered the page from; `None` where there is no page.
fn rendered_head(page: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(page)
        .and_then(|f| f.take(1 << 16).read_to_end(&mut head))
        .ok()?;
    let head = String::from_utf8_lossy(&head);
    Some(head[..head.find("</head>").unwrap_or(head.len())].to_string())
}

/// The previous and next documents a page links to, as its head names them (`<link rel="prev"
/// href="d3.html" data-document="3">`): what it would show again tells whether it must be
/// rendered again when a neighbour is added, removed or renumbered. A page without them (or
/// none) names none.
fn rendered_neighbours(page: &Path) -> [Option<(String, String)>; 2] {
    let Some(head) = rendered_head(page) else {
        return [None, None];
    };
    ["prev", "next"].map(|rel| {
        let start = format!("<link rel=\"{rel}\" href=\"");
        let at = head.find(&start)? + start.len();
        let (href, rest) = head[at..].split_once('"')?;
        let n = rest.strip_prefix(" data-document=\"")?.split_once('"')?.0;
        let unescape = |s: &str| s.replace("&amp;", "&").replace("&quot;", "\"");
        Some((unescape(href), unescape(n)))
    })
}

/// The `content` of `<meta name="NAME">` in the head of `page`, if it has one.
fn rendered_meta(page: &Path, name: &str) -> Option<String> {
    let head = rendered_head(page)?;
    let start = format!("<meta name=\"{name}\" content=\"");
    let at = head.find(&start)? + start.len();
    Some(head[at..].split_once('"')?.0.to_string())
}

/// Every page of `pages` not written, for want of the scratch files the run needs.
fn all_failed(pages: impl Iterator<Item = PathBuf>, e: &std::io::Error) -> Vec<(PathBuf, Page)> {
    pages
        .map(|page| {
            let e = std::io::Error::new(e.kind(), e.to_string());
            (page, Page::Failed(PublishError::Scratch(e)))
        })
        .collect()
}

/// A document's reading page, by name: `d59.xml` → `d59.html`.
fn page_name(tei: &Path) -> String {
    tei.with_extension("html")
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn write_element(path: &Path, element: &Element) -> std::io::Result<()> {
    std::fs::write(path, crate::xml::to_xml_string(element)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jar_named_by_the_environment_runs_with_java_and_anything_else_as_a_command() {
        let jar = Saxon::named(PathBuf::from("/opt/saxon/saxon-he-12.5.jar"));
        assert!(
            matches!(jar.launcher, Launcher::Jar { ref jar, .. } if jar.ends_with("saxon-he-12.5.jar"))
        );
        let command = Saxon::named(PathBuf::from("/usr/local/bin/saxon"));
        assert_eq!(
            command.launcher,
            Launcher::Command(PathBuf::from("/usr/local/bin/saxon"))
        );
    }

    #[test]
    fn saxon_arguments_carry_paths_and_parameters() {
        let args = saxon_args(
            Path::new("x.xsl"),
            Path::new("in.xml"),
            Path::new("out.html"),
            &["lang=fr".to_string()],
        );
        assert_eq!(args, ["-s:in.xml", "-xsl:x.xsl", "-o:out.html", "lang=fr"]);
    }

    #[test]
    fn without_a_checkout_the_bundled_stylesheet_is_written_with_its_css() {
        let sheet = HtmlStylesheet::locate(None).unwrap();
        assert!(sheet.path().is_file());
        assert!(sheet.path().with_file_name("tei-to-html.css").is_file());
    }
}
