package org.revbench.reports.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Named points (one series each, shapes only) and one connecting line through some of them (a Pareto front), drawn as
 * a self-contained SVG element: the memory-against-time chart of a study, where each method is a point.
 */
public final class ScatterChart {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
            new Color(0xbcbd22), new Color(0x7f7f7f)};

    private final String xLabel;
    private final String yLabel;
    private final Map<String, double[]> points = new LinkedHashMap<>();
    private final List<double[]> line = new ArrayList<>();
    private String lineName;

    public ScatterChart(String xLabel, String yLabel) {
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public ScatterChart point(String name, double x, double y) {
        if (Double.isFinite(x) && Double.isFinite(y)) {
            points.put(name, new double[] {x, y});
        }
        return this;
    }

    /** The connecting line, through the given points in order (dashed, grey). */
    public ScatterChart line(String name, List<double[]> through) {
        lineName = name;
        line.clear();
        line.addAll(through);
        return this;
    }

    public boolean isEmpty() { return points.isEmpty(); }

    public String svg(int width, int height) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[]> e : points.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            s.add(e.getValue()[0], e.getValue()[1]);
            data.addSeries(s);
        }
        if (lineName != null && line.size() > 1) {
            XYSeries s = new XYSeries(lineName, false, true);
            line.forEach(p -> s.add(p[0], p[1]));
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(null, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = ChartStyle.apply(chart, 11);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(true);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < points.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-5, -5, 10, 10));
        }
        if (data.getSeriesCount() > points.size()) {
            int i = points.size();
            renderer.setSeriesLinesVisible(i, true);
            renderer.setSeriesShapesVisible(i, false);
            renderer.setSeriesPaint(i, new Color(0x555555));
            renderer.setSeriesStroke(i, new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {6f, 4f}, 0f));
        }
        plot.setRenderer(renderer);
        return ChartStyle.svg(chart, width, height);
    }
}
