//! `teikit build`: every source converted, checked and written (or compared, with `--check`),
//! and the reading edition when asked.

use super::convert::convert_error_status;
use super::print_all;
use super::{OutputProfileArg, Status};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use teikit::base::output::OutputProfile;
use teikit::build::{build_with_progress, BuildOptions, Outcome};

/// `teikit build`: the arguments.
#[derive(Debug, clap::Args)]
pub(super) struct BuildArgs {
    /// The sources directory: VOLUME/dN.txt beside VOLUME/volume.toml.
    #[arg(long, default_value = "sources", value_name = "SOURCES")]
    sources: PathBuf,
    /// Where the TEI goes: OUT/VOLUME/dN.xml.
    #[arg(long, default_value = "tei", value_name = "OUT")]
    out: PathBuf,
    /// Write nothing; exit 1 naming every output that is missing or differs from a fresh
    /// conversion.
    #[arg(long)]
    check: bool,
    /// Also list capitalised words that no register covers.
    #[arg(long)]
    report_unknown: bool,
    /// Treat the converter's warnings as errors: a source with any is not written.
    #[arg(long)]
    strict: bool,
    /// Also write the reading edition, OUT/VOLUME/dN.html and each volume's
    /// OUT/VOLUME/index.html (contents and index), with the XSLT 3.0 stylesheet and a Saxon
    /// found on this machine (see TEIKIT_SAXON).
    #[arg(long, conflicts_with = "check")]
    html: bool,
    /// The stylesheet for --html (default: xslt/tei-to-html.xsl when present, else
    /// teikit's own copy).
    #[arg(long, requires = "html", value_name = "XSL")]
    stylesheet: Option<PathBuf>,
    /// How to write the TEI: tei (OUT/VOLUME/dN.xml, rich TEI P5, the default) or frus
    /// (OUT/VOLUME.xml, one file per volume in the Office of the Historian's conventions).
    /// Default: teikit.toml's `[convert] profile`, else tei.
    #[arg(long, value_enum)]
    profile: Option<OutputProfileArg>,
    /// Also check every output against this RELAX NG schema (for frus, the publisher's
    /// frus.rnc); default: the bundled schema for tei, none for frus.
    #[arg(long, value_name = "FILE.rng|FILE.rnc")]
    schema: Option<PathBuf>,
}

/// `teikit build`.
pub(super) fn run(args: BuildArgs) -> ExitCode {
    match super::build_settings(args.profile, args.schema) {
        Ok((profile, schema)) => run_build(
            BuildOptions {
                sources: args.sources,
                out: args.out,
                check: args.check,
                strict: args.strict,
                profile,
                schema,
            },
            args.report_unknown,
            match args.html {
                true => Publish::Html {
                    stylesheet: args.stylesheet,
                },
                false => Publish::Nothing,
            },
        ),
        Err(status) => status,
    }
}

/// Whether `build` also writes the reading edition.
enum Publish {
    /// The TEI only.
    Nothing,
    /// The HTML page of each document too, with this stylesheet (or the default one).
    Html {
        /// `--stylesheet`.
        stylesheet: Option<PathBuf>,
    },
}

fn publisher(
    stylesheet: Option<&Path>,
) -> Result<(teikit::publish::Saxon, teikit::publish::HtmlStylesheet), teikit::publish::PublishError>
{
    Ok((
        teikit::publish::Saxon::find()?,
        teikit::publish::HtmlStylesheet::locate(stylesheet)?,
    ))
}

fn run_build(options: BuildOptions, report_unknown: bool, publish: Publish) -> ExitCode {
    let check = options.check;
    let unit = match options.profile {
        OutputProfile::Tei => "source(s)",
        OutputProfile::Frus => "volume(s)",
    };
    // Find the processor before converting anything, so that a missing Saxon costs nothing.
    let publisher = match publish {
        Publish::Nothing => Ok(None),
        Publish::Html { stylesheet } => publisher(stylesheet.as_deref()).map(Some),
    };
    let publisher = match publisher {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return Status::Trouble.into();
        }
    };
    let progress = super::progress::Progress::new("building");
    let built = build_with_progress(&options, &|done, total| progress.set(done, total));
    progress.finish();
    let report = match built {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}"); // located, with its severity
            return Status::Trouble.into();
        }
    };
    let mut tally = Tally {
        status: Status::Success,
        converted: 0,
        written: 0,
        pages: 0,
        to_publish: Vec::new(),
        profile: options.profile,
    };
    for (source, outcome) in &report.outcomes {
        tally.take(source, outcome, publisher.as_ref());
    }
    if let Some((saxon, sheet)) = &publisher {
        tally.publish(saxon, sheet);
    }
    let Tally {
        status,
        converted,
        written,
        pages,
        ..
    } = tally;
    print_all(&report.warnings);
    if report_unknown {
        print_all(&report.unknown_names);
    }
    let verb = if check {
        "checked"
    } else {
        "converted and validated"
    };
    let pages = if publisher.is_some() {
        format!(", {pages} reading page(s) written")
    } else {
        String::new()
    };
    eprintln!(
        "{verb} {converted} of {} {unit}; {written} TEI file(s) written{pages}",
        report.outcomes.len()
    );
    status.into()
}

/// What a build did, source by source.
struct Tally {
    status: Status,
    converted: usize,
    written: usize,
    pages: usize,
    /// The TEI files whose reading pages are to be written, all in one processor run.
    to_publish: Vec<PathBuf>,
    /// What the TEI files are: documents, or volume files.
    profile: OutputProfile,
}

impl Tally {
    /// Reports one source's outcome (and writes its reading page, where asked).
    fn take(
        &mut self,
        source: &Path,
        outcome: &Outcome,
        publisher: Option<&(teikit::publish::Saxon, teikit::publish::HtmlStylesheet)>,
    ) {
        match outcome {
            Outcome::Current { output, written } => {
                self.converted += 1;
                if *written {
                    self.written += 1;
                    eprintln!("wrote {}", output.display());
                }
                if publisher.is_some() {
                    self.to_publish.push(output.clone());
                }
            }
            Outcome::Stale { output, missing } => {
                let why = if *missing {
                    "missing: nothing is committed for"
                } else {
                    "differs from a fresh conversion of"
                };
                eprintln!(
                    "{}: error: {why} {}; run `teikit build` and commit the result",
                    output.display(),
                    source.display()
                );
                self.problems();
            }
            Outcome::Failed(e) => {
                if convert_error_status(e) != Status::Success.into() {
                    self.problems();
                }
            }
            Outcome::Invalid {
                problems,
                after_warnings,
                then,
            } => {
                let why = if *after_warnings {
                    "see the warnings about the source"
                } else {
                    "a converter bug"
                };
                eprintln!(
                    "{}: error: the converted TEI breaks the rules ({why}); it is written, and the build fails:",
                    source.display()
                );
                print_all(problems);
                self.problems();
                self.take(source, then, publisher);
            }
            Outcome::Unwritable(e) => {
                eprintln!("error: {e}");
                self.status = Status::Trouble;
            }
        }
    }

    /// Writes the reading pages of the TEI files collected (documents, or FRUS volume files
    /// cut into their documents) and their volumes' index pages, one processor run for all.
    fn publish(&mut self, saxon: &teikit::publish::Saxon, sheet: &teikit::publish::HtmlStylesheet) {
        let mut volumes: Vec<teikit::publish::VolumeFiles> = Vec::new();
        for tei in &self.to_publish {
            let folder = tei.parent().map(Path::to_path_buf).unwrap_or_default();
            match volumes.iter_mut().find(|v| v.folder == folder) {
                Some(volume) => volume.documents.push(tei.clone()),
                None => volumes.push(teikit::publish::VolumeFiles {
                    folder,
                    documents: vec![tei.clone()],
                    ..Default::default()
                }),
            }
        }
        let pages = match self.profile {
            OutputProfile::Tei => teikit::publish::write_edition(saxon, sheet, &volumes),
            OutputProfile::Frus => {
                teikit::publish::write_frus_edition(saxon, sheet, &self.to_publish)
            }
        };
        for (page, outcome) in pages {
            match outcome {
                teikit::publish::Page::Written => {
                    self.pages += 1;
                    eprintln!("wrote {}", page.display());
                }
                teikit::publish::Page::UpToDate => {}
                teikit::publish::Page::Failed(e) => {
                    eprintln!("error: {e}");
                    self.status = Status::Trouble;
                }
            }
        }
    }

    /// Problems in the input: exit 1, unless teikit could not run at all (2).
    fn problems(&mut self) {
        if self.status == Status::Success {
            self.status = Status::Problems;
        }
    }
}
