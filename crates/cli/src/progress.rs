//! Progress bars on stderr for runs over large logs, drawn only when stderr is a terminal (so
//! pipelines and `--json` output stay clean).

use std::sync::Arc;

use aims_app::monitoring::{RunProgress, RunStage};
use aims_monitor::Step;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar of one run; cleared when dropped.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A hidden-unless-terminal bar on stderr.
    pub fn new() -> Bar {
        Bar {
            bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        }
    }

    /// A callback for [`aims_app::App::monitor_run_with_progress`].
    pub fn for_run(&self) -> RunProgress {
        let bar = self.bar.clone();
        Arc::new(move |stage| show(&bar, stage))
    }

    /// Shows an engine step (`aims monitor compute`).
    pub fn step(&self, step: Step) {
        show(
            &self.bar,
            RunStage::Computing {
                done: step.done,
                total: step.total,
            },
        );
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Moves the bar to `stage`, switching its style when the stage changes.
fn show(bar: &ProgressBar, stage: RunStage) {
    let (message, template, position, length) = match stage {
        RunStage::Hashing { done, total } => (
            "fingerprinting",
            "{msg:15} [{bar:30}] {bytes}/{total_bytes}",
            done,
            total,
        ),
        RunStage::Computing { done, total } => (
            "computing",
            "{msg:15} [{bar:30}] {pos}/{len} column groups, {elapsed}",
            done as u64,
            total as u64,
        ),
        RunStage::Storing => ("storing", "{msg:15} {elapsed}", 0, 0),
    };
    if bar.message() != message {
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message);
    }
    bar.set_length(length);
    bar.set_position(position);
}
