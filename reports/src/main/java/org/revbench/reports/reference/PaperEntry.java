package org.revbench.reports.reference;

/**
 * A paper of the report's index (references/papers.yaml).
 *
 * @param id      the specs' paper id
 * @param title   title and authors
 * @param pending what is not built yet, or null when the paper has a page
 */
public record PaperEntry(String id, String title, String pending) {}
