package org.revbench.reports.reference;

/** Where a paper's own numbers cannot be reproduced from its definitions, explained. */
public record Discrepancy(String title, String text) {}
