package org.revbench.reports.reference;

/**
 * A chart of our measurements against a quantity read from the row ids: every row id of {@code table} ending in
 * a number ({@code revsresnet-37}, {@code pararevsnn165}) is a point, the number its x and the text before it
 * its series.
 *
 * @param id      file name of the chart
 * @param table   the spec table inside the paper
 * @param title   the chart's title
 * @param metric  our metric on the y axis
 * @param xLabel  x axis label
 * @param yLabel  y axis label
 * @param logY    a logarithmic y axis
 */
public record FigureSpec(String id, String table, String title, String metric, String xLabel, String yLabel,
                         boolean logY) {}
