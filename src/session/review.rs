//! The `review` job: runs a session and collects every document into a review page.

use crate::io::Event;
use crate::report::RunSummary;
use crate::review::{Entry, Review, ReviewOptions};

use super::{Observer, Session};

/// Runs `session` and collects every document into a review (`textscrub review`).
pub fn collect(
    session: &Session,
    options: ReviewOptions,
    observer: &mut dyn Observer,
) -> Result<(Review, RunSummary), crate::error::Error> {
    let mut review = Review::new(session.main_pipeline().rules(), options);
    let summary = session.run(
        observer,
        |input, document| {
            let outcome = session.clean(input, document);
            let entry = Entry::prepare(&document.id, &document.text, &outcome);
            (outcome, Some(entry))
        },
        |event,
         summary: &mut RunSummary,
         _: &mut dyn Observer|
         -> Result<(), crate::error::Error> {
            if let Event::Item(_, Ok((document, (outcome, entry)))) = event {
                summary.record(document.text.len(), outcome);
                // (Taken, to keep; the rest is freed where it was made.)
                let entry = entry.take().expect("the work function made an entry");
                if entry.is_dropped() {
                    summary.dropped += 1;
                }
                review.add(entry);
            }
            Ok(())
        },
    )?;
    Ok((review, summary))
}
