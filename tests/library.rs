//! Library-level tests: the seed fixtures, the real scraped pages, rule files, the
//! normalize cases and the properties every outcome must have.

mod library {
    mod fixtures;
    mod normalize;
    mod properties;
    mod quality;
    mod rule_files;
    mod scraped_pages;
}
