package org.revbench.reports.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart with points, drawn as a self-contained SVG element (no fonts or scripts fetched): what the report
 * uses where a table of numbers against depth or T is hard to read.
 */
public final class LineChart {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final Map<String, TreeMap<Double, Double>> series = new LinkedHashMap<>();

    public LineChart(String xLabel, String yLabel, boolean logY) {
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    /** Adds a point to a series (created on first use, in order). A log axis skips values that are not positive. */
    public LineChart point(String seriesName, double x, double y) {
        if (!Double.isFinite(y) || (logY && y <= 0)) {
            return this;
        }
        series.computeIfAbsent(seriesName, k -> new TreeMap<>()).put(x, y);
        return this;
    }

    public boolean isEmpty() {
        return series.isEmpty();
    }

    /** The chart as an {@code <svg>} element of the given size in pixels. */
    public String svg(int width, int height) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, TreeMap<Double, Double>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), true, false);
            e.getValue().forEach(s::add);
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(null, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = ChartStyle.apply(chart, 12);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setAutoRangeIncludesZero(false);
        if (logY) {
            LogAxis y = new LogAxis(yLabel);
            y.setSmallestValue(1e-18);
            y.setTickUnit(new NumberTickUnit(1.0)); // one tick a decade (the unit is in log10 space)
            plot.setRangeAxis(y);
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        return ChartStyle.svg(chart, width, height);
    }
}
